// nn.Transformer and its parts (torch/nn/modules/transformer.py, PyTorch 2.x):
// TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder.
//
// The layers compute PyTorch's "slow path" (self-attention, feed-forward, residuals and LayerNorms,
// post-norm or pre-norm). PyTorch's eval-mode fast path (_transformer_encoder_layer_fwd, nested
// tensors for padded batches) computes the same numbers and is not reproduced
// (Note [No fused attention] in functional_attention.ts). The stacks hold deep copies of the layer
// they are given, as PyTorch's _get_clones makes them: the layer's parameters are drawn once and
// every copy starts from the same values (Note [Module deepcopy] in copy.ts).

import { Tensor } from "../core/tensor.js";
import { sameShape } from "../core/shape.js";
import { Device } from "../core/device.js";
import { DType, get_default_dtype } from "../core/dtype.js";
import { full } from "../ops/creation.js";
import { Module } from "./module.js";
import { ModuleList } from "./containers.js";
import { Linear, type FactoryOpts } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { ReLU, GELU } from "./activation.js";
import { MultiheadAttention } from "./attention.js";
import { _canonical_mask, _none_or_dtype } from "./functional_attention.js";
import { F } from "./F.js";
import { warnOnce, pyError } from "../ops/util.js";
import * as init from "./init.js";
import { deepcopy } from "./copy.js";

/** The feed-forward activation: "relu", "gelu", a function of one tensor, or a module. */
export type Activation = "relu" | "gelu" | ((x: Tensor) => Tensor) | Module;


// ---------------------------------------------------------------------------------------------
// helpers (module-level functions of transformer.py)

/** transformer.py's _get_clones: a ModuleList of n deep copies of module. */
export function _get_clones<M extends Module>(module: M, n: number): ModuleList {
  return new ModuleList(Array.from({ length: n }, () => deepcopy(module)));
}

function _get_activation_fn(activation: string): (x: Tensor) => Tensor {
  if (activation === "relu") return F.relu;
  if (activation === "gelu") return F.gelu;
  throw pyError("RuntimeError", `activation should be relu/gelu, not ${activation}`);
}

/** A square causal mask: 0 on and below the diagonal, -inf above. */
export function _generate_square_subsequent_mask(sz: number, opts: { device?: string | Device | null; dtype?: DType | null } = {}): Tensor {
  const t = full([sz, sz], -Infinity, { dtype: opts.dtype ?? get_default_dtype(), ...(opts.device ? { device: opts.device } : {}) });
  return t.triu(1);
}

/** The sequence length of src ([S, E] unbatched, [N, S, E] or [S, N, E] batched). */
function _get_seq_len(src: Tensor, batch_first: boolean): number {
  if (src.ndim === 2) return src.shape[0]!;
  return src.shape[batch_first ? 1 : 0]!;
}

/** transformer.py's _detect_is_causal_mask: is_causal when given; else whether mask equals the
 *  causal mask of `size` (of its own size when null). */
export function _detect_is_causal_mask(mask: Tensor | null, is_causal: boolean | null = null, size: number | null = null): boolean {
  let make_causal = is_causal === true;
  if (is_causal === null && mask !== null) {
    const sz = size ?? mask.size(-2);
    const causal = _generate_square_subsequent_mask(sz, { device: mask.device, dtype: mask.dtype });
    const same = sameShape(mask.shape, causal.shape);
    make_causal = same ? Boolean(mask.eq(causal).all().item()) : false;
  }
  return make_causal;
}

/** Calls a module (with its hooks) or a function of one tensor. */
const apply1 = (f: ((x: Tensor) => Tensor) | Module, x: Tensor): Tensor => (f as unknown as (x: Tensor) => Tensor)(x);

// ---------------------------------------------------------------------------------------------
// layers

/** The layers' parameters after (d_model, nhead), in PyTorch's order, with its defaults. */
interface LayerParams {
  dim_feedforward: number; dropout: number; activation: Activation; layer_norm_eps: number;
  batch_first: boolean; norm_first: boolean; bias: boolean; device: string | null; dtype: DType | null;
}

/** the layers' attention and norms, built from their parameters */
const attention = (d_model: number, nhead: number, o: LayerParams) =>
  new MultiheadAttention(d_model, nhead, o.dropout, o.bias, false, false, null, null, o.batch_first, o.device, o.dtype);
const layerNorm = (d_model: number, o: LayerParams) => new LayerNorm(d_model, o.layer_norm_eps, true, o.bias, o.device, o.dtype);

function resolveActivation(activation: Activation): ((x: Tensor) => Tensor) | Module {
  return typeof activation === "string" ? _get_activation_fn(activation) : activation;
}


/**
 * Self-attention and a feed-forward network, each with dropout, a residual connection and a
 * LayerNorm (after it, or before it with norm_first): new nn.TransformerEncoderLayer(d_model,
 * nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5,
 * batch_first=false, norm_first=false, bias=true, device=null, dtype=null), by position or named.
 */
export class TransformerEncoderLayer extends Module {
  self_attn!: MultiheadAttention;
  linear1!: Linear;
  dropout!: Dropout;
  linear2!: Linear;
  norm_first: boolean;
  norm1!: LayerNorm;
  norm2!: LayerNorm;
  dropout1!: Dropout;
  dropout2!: Dropout;
  /** 1 for relu, 2 for gelu, 0 otherwise (what PyTorch's fast path keys on) */
  activation_relu_or_gelu: number;
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(d_model: number, nhead: number, dim_feedforward = 2048, dropout = 0.1, activation: Activation = "relu", layer_norm_eps = 1e-5,
    batch_first = false, norm_first = false, bias = true, device: string | null = null, dtype: DType | null = null) {
    super();
    const o: LayerParams = { dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype };
    this.self_attn = attention(d_model, nhead, o);
    this.linear1 = new Linear(d_model, dim_feedforward, { bias, device, dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dim_feedforward, d_model, { bias, device, dtype });
    this.norm_first = norm_first;
    this.norm1 = layerNorm(d_model, o);
    this.norm2 = layerNorm(d_model, o);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    const act = resolveActivation(activation);
    this.activation_relu_or_gelu = act === F.relu || act instanceof ReLU ? 1
      : act === F.gelu || act instanceof GELU ? 2 : 0;
    this.activation = act;
  }

  /** forward(src, src_mask=null, src_key_padding_mask=null, is_causal=false), by position or
   *  named (Note [Module forwards]) */
  override forward(src: Tensor, src_mask: Tensor | null = null, src_key_padding_mask: Tensor | null = null, is_causal = false): Tensor {
    const kpm = _canonical_mask(src_key_padding_mask, "src_key_padding_mask", _none_or_dtype(src_mask), "src_mask", src.dtype);
    const mask = _canonical_mask(src_mask, "src_mask", null, "", src.dtype, false);
    let x = src;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), mask, kpm, is_causal));
      x = x.add(this._ff_block(this.norm2(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, mask, kpm, is_causal)));
      x = this.norm2(x.add(this._ff_block(x)));
    }
    return x;
  }

  /** the self-attention block */
  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const [y] = this.self_attn(x, x, x, key_padding_mask, false, attn_mask, true, is_causal);
    return this.dropout1(y);
  }

  /** the feed-forward block */
  _ff_block(x: Tensor): Tensor {
    return this.dropout2(this.linear2(this.dropout(apply1(this.activation, this.linear1(x)))));
  }
}

/**
 * Self-attention, attention over the encoder's output (memory) and a feed-forward network, each
 * with dropout, a residual connection and a LayerNorm: new nn.TransformerDecoderLayer(d_model,
 * nhead, …the parameters of TransformerEncoderLayer).
 */
export class TransformerDecoderLayer extends Module {
  self_attn!: MultiheadAttention;
  multihead_attn!: MultiheadAttention;
  linear1!: Linear;
  dropout!: Dropout;
  linear2!: Linear;
  norm_first: boolean;
  norm1!: LayerNorm;
  norm2!: LayerNorm;
  norm3!: LayerNorm;
  dropout1!: Dropout;
  dropout2!: Dropout;
  dropout3!: Dropout;
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(d_model: number, nhead: number, dim_feedforward = 2048, dropout = 0.1, activation: Activation = "relu", layer_norm_eps = 1e-5,
    batch_first = false, norm_first = false, bias = true, device: string | null = null, dtype: DType | null = null) {
    super();
    const o: LayerParams = { dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype };
    this.self_attn = attention(d_model, nhead, o);
    this.multihead_attn = attention(d_model, nhead, o);
    this.linear1 = new Linear(d_model, dim_feedforward, { bias, device, dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dim_feedforward, d_model, { bias, device, dtype });
    this.norm_first = norm_first;
    this.norm1 = layerNorm(d_model, o);
    this.norm2 = layerNorm(d_model, o);
    this.norm3 = layerNorm(d_model, o);
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = resolveActivation(activation);
  }

  /** forward(tgt, memory, tgt_mask=null, memory_mask=null, tgt_key_padding_mask=null,
   *  memory_key_padding_mask=null, tgt_is_causal=false, memory_is_causal=false), by position or
   *  named (Note [Module forwards]) */
  override forward(tgt: Tensor, memory: Tensor, tgt_mask: Tensor | null = null, memory_mask: Tensor | null = null,
    tgt_key_padding_mask: Tensor | null = null, memory_key_padding_mask: Tensor | null = null, tgt_is_causal = false, memory_is_causal = false): Tensor {
    let x = tgt;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal));
      x = x.add(this._mha_block(this.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal));
      x = x.add(this._ff_block(this.norm3(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal)));
      x = this.norm2(x.add(this._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal)));
      x = this.norm3(x.add(this._ff_block(x)));
    }
    return x;
  }

  /** the self-attention block */
  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const [y] = this.self_attn(x, x, x, key_padding_mask, false, attn_mask, true, is_causal);
    return this.dropout1(y);
  }

  /** the attention block over the memory */
  _mha_block(x: Tensor, mem: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const [y] = this.multihead_attn(x, mem, mem, key_padding_mask, false, attn_mask, true, is_causal);
    return this.dropout2(y);
  }

  /** the feed-forward block */
  _ff_block(x: Tensor): Tensor {
    return this.dropout3(this.linear2(this.dropout(apply1(this.activation, this.linear1(x)))));
  }
}

// ---------------------------------------------------------------------------------------------
// stacks


/**
 * A stack of num_layers copies of encoder_layer, then norm if given:
 * new nn.TransformerEncoder(encoder_layer, num_layers, norm=null, enable_nested_tensor=true, mask_check=true).
 * (enable_nested_tensor and mask_check only steer PyTorch's fast path; they are kept as
 * attributes, and the warning PyTorch gives when the fast path cannot be used is given too.)
 */
export class TransformerEncoder extends Module {
  layers!: ModuleList;
  num_layers: number;
  norm!: Module | null;
  enable_nested_tensor: boolean;
  use_nested_tensor: boolean;
  mask_check: boolean;

  constructor(encoder_layer: Module, num_layers: number, norm: Module | null = null, enable_nested_tensor = true, mask_check = true) {
    super();
    this.layers = _get_clones(encoder_layer, num_layers);
    this.num_layers = num_layers;
    this.norm = norm;
    this.enable_nested_tensor = enable_nested_tensor;
    this.use_nested_tensor = enable_nested_tensor;
    this.mask_check = mask_check;

    const enc = "encoder_layer";
    let why = "";
    if (!(encoder_layer instanceof TransformerEncoderLayer)) why = `${enc} was not TransformerEncoderLayer`;
    else if (encoder_layer.norm_first) why = `${enc}.norm_first was True`;
    else if (!encoder_layer.self_attn.batch_first) why = `${enc}.self_attn.batch_first was not True(use batch_first for better inference performance)`;
    else if (!encoder_layer.self_attn._qkv_same_embed_dim) why = `${enc}.self_attn._qkv_same_embed_dim was not True`;
    else if (!encoder_layer.activation_relu_or_gelu) why = `${enc}.activation_relu_or_gelu was not True`;
    else if (encoder_layer.norm1.eps !== encoder_layer.norm2.eps) why = `${enc}.norm1.eps was not equal to ${enc}.norm2.eps`;
    else if (encoder_layer.self_attn.num_heads % 2 === 1) why = `${enc}.self_attn.num_heads is odd`;
    if (enable_nested_tensor && why) {
      warnOnce(`enable_nested_tensor is True, but self.use_nested_tensor is False because ${why}`);
      this.use_nested_tensor = false;
    }
  }

  /** forward(src, mask=null, src_key_padding_mask=null, is_causal=null), by position or named
   *  (Note [Module forwards]); is_causal null detects a causal mask. */
  override forward(src: Tensor, mask_: Tensor | null = null, src_key_padding_mask: Tensor | null = null, is_causal_: boolean | null = null): Tensor {
    const kpm = _canonical_mask(src_key_padding_mask, "src_key_padding_mask", _none_or_dtype(mask_), "mask", src.dtype);
    const mask = _canonical_mask(mask_, "mask", null, "", src.dtype, false);
    const first = this.layers.at(0) as Module & { self_attn?: MultiheadAttention };
    const seq_len = _get_seq_len(src, first.self_attn?.batch_first ?? false);
    const is_causal = _detect_is_causal_mask(mask, is_causal_, seq_len);
    let output = src;
    for (const mod of this.layers) output = (mod as TransformerEncoderLayer)(output, mask, kpm, is_causal);
    if (this.norm !== null) output = apply1(this.norm, output);
    return output;
  }
}


/** A stack of num_layers copies of decoder_layer, then norm if given:
 *  new nn.TransformerDecoder(decoder_layer, num_layers, norm=null). */
export class TransformerDecoder extends Module {
  layers!: ModuleList;
  num_layers: number;
  norm!: Module | null;

  constructor(decoder_layer: Module, num_layers: number, norm: Module | null = null) {
    super();
    this.layers = _get_clones(decoder_layer, num_layers);
    this.num_layers = num_layers;
    this.norm = norm;
  }

  /** forward(tgt, memory, tgt_mask=null, memory_mask=null, tgt_key_padding_mask=null,
   *  memory_key_padding_mask=null, tgt_is_causal=null, memory_is_causal=false), by position or named
   *  (Note [Module forwards]); tgt_is_causal null detects a causal tgt_mask. */
  override forward(tgt: Tensor, memory: Tensor, tgt_mask: Tensor | null = null, memory_mask: Tensor | null = null,
    tgt_key_padding_mask: Tensor | null = null, memory_key_padding_mask: Tensor | null = null, tgt_is_causal: boolean | null = null,
    memory_is_causal = false): Tensor {
    const first = this.layers.at(0) as Module & { self_attn?: MultiheadAttention };
    const seq_len = _get_seq_len(tgt, first.self_attn?.batch_first ?? false);
    const causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, seq_len);
    let output = tgt;
    for (const mod of this.layers) {
      output = (mod as TransformerDecoderLayer)(output, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
        memory_key_padding_mask, causal, memory_is_causal);
    }
    if (this.norm !== null) output = apply1(this.norm, output);
    return output;
  }
}

// ---------------------------------------------------------------------------------------------
// Transformer

/**
 * The encoder-decoder Transformer of "Attention Is All You Need": new nn.Transformer(d_model=512,
 * nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1,
 * activation="relu", custom_encoder=null, custom_decoder=null, layer_norm_eps=1e-5,
 * batch_first=false, norm_first=false, bias=true, device=null, dtype=null), by position or named. Every parameter of more than one
 * dimension is re-initialised with xavier_uniform_, in parameters() order, as PyTorch does.
 */
export class Transformer extends Module {
  encoder!: Module;
  decoder!: Module;
  d_model: number;
  nhead: number;
  batch_first: boolean;

  constructor(d_model = 512, nhead = 8, num_encoder_layers = 6, num_decoder_layers = 6, dim_feedforward = 2048, dropout = 0.1,
    activation: Activation = "relu", custom_encoder: Module | null = null, custom_decoder: Module | null = null, layer_norm_eps = 1e-5,
    batch_first = false, norm_first = false, bias = true, device: string | null = null, dtype: DType | null = null) {
    super();
    const o: LayerParams = { dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype };
    const layer = (Layer: typeof TransformerEncoderLayer | typeof TransformerDecoderLayer) => new Layer(d_model, nhead, dim_feedforward,
      dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype);
    this.encoder = custom_encoder ?? new TransformerEncoder(layer(TransformerEncoderLayer), num_encoder_layers, layerNorm(d_model, o));
    this.decoder = custom_decoder ?? new TransformerDecoder(layer(TransformerDecoderLayer), num_decoder_layers, layerNorm(d_model, o));
    this._reset_parameters();
    this.d_model = d_model;
    this.nhead = nhead;
    this.batch_first = batch_first;
  }

  /** forward(src, tgt, src_mask=null, tgt_mask=null, memory_mask=null, src_key_padding_mask=null,
   *  tgt_key_padding_mask=null, memory_key_padding_mask=null, src_is_causal=null,
   *  tgt_is_causal=null, memory_is_causal=false), by position or named (Note [Module forwards]). The
   *  encoder and decoder are called with keywords, as PyTorch calls them (custom ones included). */
  override forward(src: Tensor, tgt: Tensor, src_mask: Tensor | null = null, tgt_mask: Tensor | null = null, memory_mask: Tensor | null = null,
    src_key_padding_mask: Tensor | null = null, tgt_key_padding_mask: Tensor | null = null, memory_key_padding_mask: Tensor | null = null,
    src_is_causal: boolean | null = null, tgt_is_causal: boolean | null = null, memory_is_causal = false): Tensor {
    const is_batched = src.ndim === 3;
    if (!this.batch_first && src.size(1) !== tgt.size(1) && is_batched) throw pyError("RuntimeError", "the batch number of src and tgt must be equal");
    else if (this.batch_first && src.size(0) !== tgt.size(0) && is_batched) throw pyError("RuntimeError", "the batch number of src and tgt must be equal");
    if (src.size(-1) !== this.d_model || tgt.size(-1) !== this.d_model)
      throw pyError("RuntimeError", "the feature number of src and tgt must be equal to d_model");
    const memory = (this.encoder as TransformerEncoder)(src, { mask: src_mask, src_key_padding_mask, is_causal: src_is_causal });
    return (this.decoder as TransformerDecoder)(tgt, memory, {
      tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask, tgt_is_causal, memory_is_causal,
    });
  }

  /** A square causal mask for a sequence of length sz: 0 on and below the diagonal, -inf above
   *  (Transformer.generate_square_subsequent_mask(sz, device, dtype)). */
  static generate_square_subsequent_mask(sz: number, ...rest: (string | Device | DType | null | { device?: string | Device | null; dtype?: DType | null } | undefined)[]): Tensor {
    // positional device and dtype, or an options object (a DType or Device is not one)
    const o: { device: string | Device | null; dtype: DType | null } = { device: null, dtype: null };
    for (const a of rest) {
      if (a === null || a === undefined) continue;
      if (a instanceof DType) o.dtype = a;
      else if (typeof a === "string" || a instanceof Device) o.device = a;
      else { o.device = a.device ?? o.device; o.dtype = a.dtype ?? o.dtype; }
    }
    return _generate_square_subsequent_mask(sz, o);
  }

  _reset_parameters(): void {
    for (const p of this.parameters()) if (p.dim() > 1) init.xavier_uniform_(p);
  }
}
