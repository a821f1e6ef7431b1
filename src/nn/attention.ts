// nn.MultiheadAttention (torch/nn/modules/activation.py, PyTorch 2.x) and the Linear subclass its
// output projection is (torch/nn/modules/linear.py's NonDynamicallyQuantizableLinear, a name that
// only keeps quantization tools from swapping it; it computes what Linear computes).
//
// The forward is F.multi_head_attention_forward's math (src/nn/functional_attention.ts); the fused
// kernels PyTorch may take in eval mode compute the same numbers and are not reproduced
// (Note [No fused attention]).

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { Linear, emptyParam, type FactoryOpts } from "./linear.js";
import * as init from "./init.js";
import { _canonical_mask, _none_or_dtype, multi_head_attention_forward } from "./functional_attention.js";
import { pyError } from "../ops/util.js";

/** Linear under the name PyTorch gives MultiheadAttention's out_proj. */
export class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * Multi-head attention: new nn.MultiheadAttention(embed_dim, num_heads, {dropout, bias,
 * add_bias_kv, add_zero_attn, kdim, vdim, batch_first}). Parameters as PyTorch names and lays them
 * out: in_proj_weight [3E, E] and in_proj_bias [3E] when kdim = vdim = embed_dim, else
 * q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim]; out_proj; bias_k and
 * bias_v [1, 1, E] with add_bias_kv. Initialised as _reset_parameters does: xavier_uniform_ on the
 * projection weights, zeros on the biases, xavier_normal_ on bias_k / bias_v (out_proj's weight
 * keeps Linear's default init), drawing in PyTorch's order.
 *
 * forward(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights,
 * is_causal), by position or named, returns [attn_output, attn_weights or null].
 */
export class MultiheadAttention extends Module {
  embed_dim: number;
  kdim: number;
  vdim: number;
  _qkv_same_embed_dim: boolean;
  num_heads: number;
  dropout: number;
  batch_first: boolean;
  head_dim: number;
  add_zero_attn: boolean;
  in_proj_weight!: Parameter | null;
  q_proj_weight!: Parameter | null;
  k_proj_weight!: Parameter | null;
  v_proj_weight!: Parameter | null;
  in_proj_bias!: Parameter | null;
  out_proj!: NonDynamicallyQuantizableLinear;
  bias_k!: Parameter | null;
  bias_v!: Parameter | null;

  constructor(embed_dim: number, num_heads: number, dropout = 0, bias = true, add_bias_kv = false, add_zero_attn = false,
    kdim: number | null = null, vdim: number | null = null, batch_first = false, device: string | null = null, dtype: DType | null = null) {
    super();
    if (embed_dim <= 0 || num_heads <= 0)
      throw pyError("ValueError", `embed_dim and num_heads must be greater than 0, got embed_dim=${embed_dim} and num_heads=${num_heads} instead`);
    const factory: FactoryOpts = { device, dtype };
    this.embed_dim = embed_dim;
    this.kdim = kdim ?? embed_dim;
    this.vdim = vdim ?? embed_dim;
    this._qkv_same_embed_dim = this.kdim === embed_dim && this.vdim === embed_dim;
    this.num_heads = num_heads;
    this.dropout = dropout;
    this.batch_first = batch_first;
    this.head_dim = Math.floor(embed_dim / num_heads);
    if (this.head_dim * num_heads !== embed_dim) throw pyError("AssertionError", "embed_dim must be divisible by num_heads");

    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = emptyParam([embed_dim, embed_dim], factory);
      this.k_proj_weight = emptyParam([embed_dim, this.kdim], factory);
      this.v_proj_weight = emptyParam([embed_dim, this.vdim], factory);
      this.register_parameter("in_proj_weight", null);
    } else {
      this.in_proj_weight = emptyParam([3 * embed_dim, embed_dim], factory);
      this.register_parameter("q_proj_weight", null);
      this.register_parameter("k_proj_weight", null);
      this.register_parameter("v_proj_weight", null);
    }
    if (bias) this.in_proj_bias = emptyParam([3 * embed_dim], factory);
    else this.register_parameter("in_proj_bias", null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embed_dim, embed_dim, { bias, ...factory });
    if (add_bias_kv) {
      this.bias_k = emptyParam([1, 1, embed_dim], factory);
      this.bias_v = emptyParam([1, 1, embed_dim], factory);
    } else {
      this.bias_k = null;
      this.bias_v = null;
    }
    this.add_zero_attn = add_zero_attn;
    this._reset_parameters();
  }

  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) init.xavier_uniform_(this.in_proj_weight!);
    else {
      init.xavier_uniform_(this.q_proj_weight!);
      init.xavier_uniform_(this.k_proj_weight!);
      init.xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k !== null) init.xavier_normal_(this.bias_k);
    if (this.bias_v !== null) init.xavier_normal_(this.bias_v);
  }

  /** forward(query, key, value, key_padding_mask=null, need_weights=true, attn_mask=null,
   *  average_attn_weights=true, is_causal=false), or those named (Note [Module forwards]). */
  override forward(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | null = null, need_weights = true,
    attn_mask: Tensor | null = null, average_attn_weights = true, is_causal = false): [Tensor, Tensor | null] {
    const is_batched = query.ndim === 3;
    const kpm = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask", query.dtype);
    const mask = _canonical_mask(attn_mask, "attn_mask", null, "", query.dtype, false);
    if (this.batch_first && is_batched) {
      // transposed so that "query is key is value" (self-attention) still holds after
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else { query = query.transpose(1, 0); key = value = key.transpose(1, 0); }
      } else {
        query = query.transpose(1, 0); key = key.transpose(1, 0); value = value.transpose(1, 0);
      }
    }
    const [out, weights] = multi_head_attention_forward(
      query, key, value, this.embed_dim, this.num_heads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.add_zero_attn, this.dropout, this.out_proj.weight, this.out_proj.bias, {
        training: this.training, key_padding_mask: kpm, need_weights, attn_mask: mask,
        use_separate_proj_weight: !this._qkv_same_embed_dim, q_proj_weight: this.q_proj_weight, k_proj_weight: this.k_proj_weight,
        v_proj_weight: this.v_proj_weight, average_attn_weights, is_causal,
      });
    return this.batch_first && is_batched ? [out.transpose(1, 0), weights] : [out, weights];
  }
}
