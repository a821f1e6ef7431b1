// nn.Embedding (torch/nn/modules/sparse.py): a lookup table of num_embeddings vectors.

import { Tensor } from "../core/tensor.js";
import { get_default_dtype, type DType } from "../core/dtype.js";
import { formatPyFloat } from "../core/printing.js";
import { no_grad } from "../autograd/grad_mode.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import * as F from "./functional.js";
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
    let pad = opts.padding_idx ?? null;
    if (pad !== null) {
      if (pad > 0 && !(pad < num_embeddings)) throw new Error("Padding_idx must be within num_embeddings");
      if (pad < 0) {
        if (!(pad >= -num_embeddings)) throw new Error("Padding_idx must be within num_embeddings");
        pad = num_embeddings + pad;
      }
    }
    this.padding_idx = pad;
    this.max_norm = opts.max_norm ?? null;
    this.norm_type = opts.norm_type ?? 2;
    this.scale_grad_by_freq = opts.scale_grad_by_freq ?? false;
    this.sparse = opts.sparse ?? false;
    const w = opts._weight ?? null;
    if (w === null) {
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
  _fill_padding_idx_with_zero(): void {
    if (this.padding_idx !== null) no_grad(() => this.weight.select(0, this.padding_idx!).fill_(0));
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, {
      padding_idx: this.padding_idx, max_norm: this.max_norm, norm_type: this.norm_type,
      scale_grad_by_freq: this.scale_grad_by_freq, sparse: this.sparse,
    });
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
