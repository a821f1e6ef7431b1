// nn.Embedding (torch/nn/modules/sparse.py): a lookup table of num_embeddings vectors.

import { Tensor } from "../core/tensor.js";
import { get_default_dtype, type DType } from "../core/dtype.js";
import { checkSizeTuple } from "../core/shape.js";
import { formatPyFloat } from "../core/printing.js";
import { no_grad } from "../autograd/grad_mode.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { F } from "./F.js";
import * as init from "./init.js";

export interface EmbeddingOpts {
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  sparse?: boolean;
  _weight?: Tensor | null;
  _freeze?: boolean;
  device?: string | null;
  dtype?: DType | null;
}

/** padding_idx checked against the number of embeddings, negative ones counted from the end. */
function paddingIdx(pad: number | null, n: number, msg: string): number | null {
  if (pad === null) return null;
  if ((pad > 0 && !(pad < n)) || (pad < 0 && !(pad >= -n))) throw new Error(msg);
  return pad < 0 ? n + pad : pad;
}

function fillPaddingRow(weight: Parameter, pad: number | null): void {
  if (pad !== null) no_grad(() => weight.select(0, pad).fill_(0));
}

/** Weight [num_embeddings, embedding_dim] from N(0, 1), with the padding_idx row zeroed. */
export class Embedding extends Module {
  num_embeddings: number;
  embedding_dim: number;
  padding_idx: number | null;
  max_norm: number | null;
  norm_type: number;
  scale_grad_by_freq: boolean;
  sparse: boolean;
  weight!: Parameter;

  constructor(num_embeddings: number, embedding_dim: number, opts: EmbeddingOpts = {}) {
    super();
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    this.padding_idx = paddingIdx(opts.padding_idx ?? null, num_embeddings, "Padding_idx must be within num_embeddings");
    this.max_norm = opts.max_norm ?? null;
    this.norm_type = opts.norm_type ?? 2;
    this.scale_grad_by_freq = opts.scale_grad_by_freq ?? false;
    this.sparse = opts.sparse ?? false;
    const w = opts._weight ?? null;
    if (w === null) {
      checkSizeTuple("empty", [num_embeddings, embedding_dim]);
      this.weight = new Parameter(Tensor.empty([num_embeddings, embedding_dim], opts.dtype ?? get_default_dtype()), !(opts._freeze ?? false));
      this.reset_parameters();
    } else {
      if (w.shape.length !== 2 || w.shape[0] !== num_embeddings || w.shape[1] !== embedding_dim)
        throw new Error("Shape of weight does not match num_embeddings and embedding_dim");
      this.weight = new Parameter(w, !(opts._freeze ?? false));
    }
  }

  reset_parameters(): void {
    init.normal_(this.weight);
    this._fill_padding_idx_with_zero();
  }

  /** @internal */
  _fill_padding_idx_with_zero(): void { fillPaddingRow(this.weight, this.padding_idx); }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.padding_idx, this.max_norm, this.norm_type, this.scale_grad_by_freq, this.sparse);
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${formatPyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${formatPyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ", scale_grad_by_freq=True";
    if (this.sparse) s += ", sparse=True";
    return s;
  }

  /** An Embedding whose weight is `embeddings` (shared, not copied); frozen (no gradient) by default. */
  static from_pretrained(embeddings: Tensor, opts: Omit<EmbeddingOpts, "_weight" | "_freeze" | "device" | "dtype"> & { freeze?: boolean } = {}): Embedding {
    if (embeddings.ndim !== 2) throw new Error("Embeddings parameter is expected to be 2-dimensional");
    const [rows, cols] = embeddings.shape as [number, number];
    return new Embedding(rows, cols, { ...opts, _weight: embeddings, _freeze: opts.freeze ?? true });
  }
}

export interface EmbeddingBagOpts {
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  mode?: "sum" | "mean" | "max";
  sparse?: boolean;
  _weight?: Tensor | null;
  include_last_offset?: boolean;
  padding_idx?: number | null;
  device?: string | null;
  dtype?: DType | null;
}

/** Sums, means or maxima of bags of embeddings: EmbeddingBag(num_embeddings, embedding_dim,
 *  {max_norm, norm_type, scale_grad_by_freq, mode='mean', sparse, include_last_offset, padding_idx}).
 *  The weight starts as N(0, 1) with the padding_idx row zeroed, drawn as nn.Embedding draws it. */
export class EmbeddingBag extends Module {
  num_embeddings: number;
  embedding_dim: number;
  max_norm: number | null;
  norm_type: number;
  scale_grad_by_freq: boolean;
  mode: "sum" | "mean" | "max";
  sparse: boolean;
  include_last_offset: boolean;
  padding_idx: number | null;
  weight!: Parameter;

  constructor(num_embeddings: number, embedding_dim: number, opts: EmbeddingBagOpts = {}) {
    super();
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    this.max_norm = opts.max_norm ?? null;
    this.norm_type = opts.norm_type ?? 2;
    this.scale_grad_by_freq = opts.scale_grad_by_freq ?? false;
    // (nn.EmbeddingBag's assertion spells it lower-case, nn.Embedding's with a capital P)
    this.padding_idx = paddingIdx(opts.padding_idx ?? null, num_embeddings, "padding_idx must be within num_embeddings");
    const w = opts._weight ?? null;
    if (w === null) {
      this.weight = new Parameter(Tensor.empty([num_embeddings, embedding_dim], opts.dtype ?? get_default_dtype()));
      this.reset_parameters();
    } else {
      if (w.shape.length !== 2 || w.shape[0] !== num_embeddings || w.shape[1] !== embedding_dim)
        throw new Error("Shape of weight does not match num_embeddings and embedding_dim");
      this.weight = new Parameter(w);
    }
    this.mode = opts.mode ?? "mean";
    this.sparse = opts.sparse ?? false;
    this.include_last_offset = opts.include_last_offset ?? false;
  }

  reset_parameters(): void {
    init.normal_(this.weight);
    fillPaddingRow(this.weight, this.padding_idx);
  }

  override forward(input: Tensor, offsets: Tensor | null = null, per_sample_weights: Tensor | null = null): Tensor {
    return F.embedding_bag(input, this.weight, {
      offsets, max_norm: this.max_norm, norm_type: this.norm_type, scale_grad_by_freq: this.scale_grad_by_freq, mode: this.mode,
      sparse: this.sparse, per_sample_weights, include_last_offset: this.include_last_offset, padding_idx: this.padding_idx,
    });
  }

  /** PyTorch 2.x formats every attribute with repr(): mode='mean', max_norm=1.0. */
  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.max_norm !== null) s += `, max_norm=${formatPyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${formatPyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ", scale_grad_by_freq=True";
    s += `, mode='${this.mode}'`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    return s;
  }

  /** An EmbeddingBag whose weight is `embeddings` (shared); frozen (no gradient) by default. */
  static from_pretrained(embeddings: Tensor, opts: Omit<EmbeddingBagOpts, "_weight" | "device" | "dtype"> & { freeze?: boolean } = {}): EmbeddingBag {
    if (embeddings.ndim !== 2) throw new Error("Embeddings parameter is expected to be 2-dimensional");
    const [rows, cols] = embeddings.shape as [number, number];
    const bag = new EmbeddingBag(rows, cols, { ...opts, _weight: embeddings });
    bag.weight.requires_grad = !(opts.freeze ?? true);
    return bag;
  }
}
