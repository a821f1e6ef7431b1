// torch.nn.functional's attention: scaled_dot_product_attention and multi_head_attention_forward
// (PyTorch 2.x: aten/src/ATen/native/transformers/attention.cpp's math path, and
// torch/nn/functional.py). Both are composed from differentiable ops (matmul, bmm, baddbmm,
// softmax, dropout, linear, cat, pad …), so autograd, double backward and every backend work
// without a formula of their own; the numbers are those of PyTorch's composite (math) kernels.
//
// Note [No fused attention]: on CPU, PyTorch 2.x may run scaled_dot_product_attention through a
// flash-attention kernel, and nn.MultiheadAttention / nn.TransformerEncoderLayer through
// _native_multi_head_attention / _transformer_encoder_layer_fwd in eval mode. Those kernels compute
// the same function as the math path (up to rounding), so only the math is implemented here. Where
// they disagree with the math path PyTorch's reference is the math path: a query row whose every
// key is masked gives zeros from scaled_dot_product_attention (2.x's _safe_softmax), and
// is_causal together with an explicit attn_mask is refused.
//
// Python AssertionError / ValueError / RuntimeError become Errors whose message is PyTorch's
// str(exception); the name says which Python exception it was.

import { Tensor } from "../core/tensor.js";
import { sameShape } from "../core/shape.js";
import { sizeStr, tupleStr } from "../core/printing.js";
import { type DType, bool, float16, bfloat16, float32, cppTypeName } from "../core/dtype.js";
import { cat } from "../ops/indexing.js";
import { ones, zeros, zeros_like } from "../ops/creation.js";
import { where } from "../ops/elementwise.js";
import { pad } from "../ops/padding.js";
import { linear, dropout, softmax } from "./functional.js";
import { warnOnce, pyError } from "../ops/util.js";
import "./_ops.js";

// ---------------------------------------------------------------------------------------------
// helpers

/** F._none_or_dtype */
export function _none_or_dtype(input: Tensor | null | undefined): DType | null {
  if (input === null || input === undefined) return null;
  if (input instanceof Tensor) return input.dtype;
  throw pyError("RuntimeError", "input to _none_or_dtype() must be None or torch.Tensor");
}

/**
 * F._canonical_mask: a bool mask (True = masked out) becomes an additive float mask of
 * `target_type` (0 where False, -inf where True); a float mask is returned as it is.
 */
export function _canonical_mask(
  mask: Tensor | null | undefined, mask_name: string, other_type: DType | null, other_name: string, target_type: DType, check_other = true,
): Tensor | null {
  if (mask === null || mask === undefined) return null;
  const isFloat = mask.dtype.is_floating_point;
  if (mask.dtype !== bool && !isFloat) throw pyError("AssertionError", `only bool and floating types of ${mask_name} are supported`);
  if (check_other && other_type !== null && mask.dtype !== other_type)
    warnOnce(`Support for mismatched ${mask_name} and ${other_name} is deprecated. Use same type for both instead.`);
  if (!isFloat) return zeros_like(mask, { dtype: target_type }).masked_fill_(mask, -Infinity);
  return mask;
}

// ---------------------------------------------------------------------------------------------
// scaled_dot_product_attention

/** scaled_dot_product_attention's keyword-only arguments. */
export interface SdpaOpts { scale?: number | null; enable_gqa?: boolean }

/** attention.cpp's convert_boolean_attn_mask: True takes part (0), False is masked out (-inf). */
function convertBooleanAttnMask(mask: Tensor | null, dtype: DType): Tensor | null {
  if (mask === null) return null;
  if (mask.dtype === bool) return where(mask.logical_not(), -Infinity, zeros([], { dtype }));
  return mask;
}

/**
 * Note [Safe softmax]: 2.x's math path ends in at::_safe_softmax, which gives 0 (not NaN) on a row
 * whose every score is -inf, and whose derivative is softmax's, taken at that zero result. Feeding
 * such rows to softmax as zeros and zeroing them after gives the same values and gradients (zero on
 * those rows) without a NaN ever entering the backward pass. Rows are checked first, so the common
 * case is one plain softmax.
 */
function safeSoftmax(attn: Tensor): Tensor {
  const rows = attn.eq(-Infinity).all(-1, true);
  if (!rows.any().item()) return attn.softmax(-1);
  return where(rows, 0, where(rows, 0, attn).softmax(-1));
}

/**
 * softmax(q·kᵀ·scale + mask)·v over the last two dims, batch dims broadcast (PyTorch 2.x's
 * _scaled_dot_product_attention_math): query [..., L, E], key [..., S, E], value [..., S, Ev].
 * attn_mask is a bool mask (True takes part) or a float mask added to the scores; is_causal masks
 * out key j > query i; scale defaults to 1/√E; dropout_p drops attention weights (always, as the
 * functional form does); enable_gqa repeats key/value heads (dim -3) to the query's head count.
 */
export function scaled_dot_product_attention(
  query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | null = null, dropout_p = 0, is_causal = false, opts: SdpaOpts = {},
): Tensor {
  const scaleArg = opts.scale ?? null, enable_gqa = opts.enable_gqa ?? false;
  // validate_sdpa_input
  if (query.dtype !== key.dtype || query.dtype !== value.dtype)
    throw pyError("RuntimeError", `Expected query, key, and value to have the same dtype, but got query.dtype: ${cppTypeName(query.dtype)} key.dtype: ${cppTypeName(key.dtype)} and value.dtype: ${cppTypeName(value.dtype)} instead.`);
  if (String(query.device) !== String(key.device) || String(query.device) !== String(value.device))
    throw pyError("RuntimeError", `Expected query, key, and value to have the same device type, but got query.device: ${query.device} key.device: ${key.device} and value.device: ${value.device} instead.`);
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2)
    throw pyError("RuntimeError", `Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: ${query.ndim} key.dim: ${key.ndim} and value.dim: ${value.ndim} instead.`);
  if (attn_mask !== null && attn_mask.dtype !== bool && attn_mask.dtype !== float32 && attn_mask.dtype !== query.dtype)
    throw pyError("RuntimeError", `Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: ${cppTypeName(attn_mask.dtype)} and  query.dtype: ${cppTypeName(query.dtype)} instead.`);

  let mask = convertBooleanAttnMask(attn_mask, query.dtype);
  // the math path keeps half-precision inputs in float32 (allowFP16BF16ReductionMathSDP is off)
  const origin = query.dtype;
  const acc = (t: Tensor) => (t.dtype === float16 || t.dtype === bfloat16 ? t.to(float32) : t);
  const q0 = acc(query), k0 = acc(key), v0 = acc(value);
  // q and k are each scaled by √scale before the product, for stability (as PyTorch does)
  const negative = scaleArg !== null && scaleArg < 0;
  const scale = scaleArg === null ? 1 / Math.sqrt(q0.size(-1)) : Math.abs(scaleArg);
  const sf = Math.sqrt(scale);
  const q = q0.mul(negative ? 0 - sf : sf);
  if (is_causal) {
    if (mask !== null) throw pyError("RuntimeError", "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
    const L = q.size(-2), S = k0.size(-2);
    mask = convertBooleanAttnMask(ones(L, S, { dtype: bool, device: q.device }).tril(), q.dtype);
  }
  let k = k0, v = v0;
  if (enable_gqa) {
    const qh = q.size(-3), kh = k.size(-3), vh = v.size(-3);
    const allEqual = qh === kh && kh === vh;
    if (!allEqual && !(qh % kh === 0 && qh % vh === 0))
      throw pyError("RuntimeError", "Number of heads in key and value must divide the number of heads in ");
    if (!allEqual) { k = k.repeat_interleave(qh / kh, -3); v = v.repeat_interleave(qh / vh, -3); }
  }
  let attn = q.matmul(k.transpose(-2, -1).mul(sf));
  if (mask !== null) attn.add_(mask);
  attn = safeSoftmax(attn);
  if (dropout_p > 0) attn = dropout(attn, dropout_p, true);
  const out = attn.matmul(v);
  return out.dtype === origin ? out : out.to(origin);
}

// ---------------------------------------------------------------------------------------------
// multi_head_attention_forward

/** Checks the shapes of query, key, value and the masks; true when the input is batched. */
function mhaShapeCheck(query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, attn_mask: Tensor | null, num_heads: number): boolean {
  if (query.ndim === 3) {
    if (key.ndim !== 3 || value.ndim !== 3)
      throw pyError("AssertionError", `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (kpm !== null && kpm.ndim !== 2)
      throw pyError("AssertionError", `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (attn_mask !== null && attn_mask.ndim !== 2 && attn_mask.ndim !== 3)
      throw pyError("AssertionError", `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.ndim}-D tensor instead`);
    return true;
  }
  if (query.ndim === 2) {
    if (key.ndim !== 2 || value.ndim !== 2)
      throw pyError("AssertionError", `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (kpm !== null && kpm.ndim !== 1)
      throw pyError("AssertionError", `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (attn_mask !== null) {
      if (attn_mask.ndim !== 2 && attn_mask.ndim !== 3)
        throw pyError("AssertionError", `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.ndim}-D tensor instead`);
      if (attn_mask.ndim === 3) {
        const expected = [num_heads, query.shape[0]!, key.shape[0]!];
        if (!sameShape(attn_mask.shape, expected))
          throw pyError("AssertionError", `Expected \`attn_mask\` shape to be ${tupleStr(expected)} but got ${sizeStr(attn_mask.shape)}`);
      }
    }
    return false;
  }
  throw pyError("AssertionError", `query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
}

/** q, k, v projected with one packed [3E, E] weight; self-attention (q is k is v) and
 *  encoder-decoder attention (k is v) share the matrix product, as PyTorch's does. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): [Tensor, Tensor, Tensor] {
  const E = q.size(-1);
  // [..., n·E] → [n, ..., E], made contiguous so that the heads can be viewed out of it
  const unpack = (t: Tensor, n: number) => t.unflatten(-1, [n, E]).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous();
  if (k === v) {
    if (q === k) {
      const proj = unpack(linear(q, w, b), 3);
      return [proj.select(0, 0), proj.select(0, 1), proj.select(0, 2)];
    }
    const [w_q, w_kv] = w.split([E, E * 2]) as [Tensor, Tensor];
    const [b_q, b_kv] = b === null ? [null, null] : (b.split([E, E * 2]) as [Tensor, Tensor]);
    const kv = unpack(linear(k, w_kv, b_kv), 2);
    return [linear(q, w_q, b_q), kv.select(0, 0), kv.select(0, 1)];
  }
  const [w_q, w_k, w_v] = w.chunk(3) as [Tensor, Tensor, Tensor];
  const [b_q, b_k, b_v] = b === null ? [null, null, null] : (b.chunk(3) as [Tensor, Tensor, Tensor]);
  return [linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)];
}

/** q, k, v projected with their own weights (kdim / vdim may differ from the embedding dim). */
function inProjection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor,
  b_q: Tensor | null, b_k: Tensor | null, b_v: Tensor | null): [Tensor, Tensor, Tensor] {
  const Eq = q.size(-1), Ek = k.size(-1), Ev = v.size(-1);
  const check = (t: Tensor | null, shape: number[], what: string) => {
    if (t !== null && !sameShape(t.shape, shape))
      throw pyError("AssertionError", `expecting ${what} shape of ${tupleStr(shape)}, but got ${sizeStr(t.shape)}`);
  };
  check(w_q, [Eq, Eq], "query weights");
  check(w_k, [Eq, Ek], "key weights");
  check(w_v, [Eq, Ev], "value weights");
  check(b_q, [Eq], "query bias");
  check(b_k, [Eq], "key bias");
  check(b_v, [Eq], "value bias");
  return [linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)];
}

export interface MhaForwardOpts {
  training?: boolean; key_padding_mask?: Tensor | null; need_weights?: boolean; attn_mask?: Tensor | null;
  use_separate_proj_weight?: boolean; q_proj_weight?: Tensor | null; k_proj_weight?: Tensor | null; v_proj_weight?: Tensor | null;
  static_k?: Tensor | null; static_v?: Tensor | null; average_attn_weights?: boolean; is_causal?: boolean;
}

/**
 * F.multi_head_attention_forward: query [L, N, E] (or unbatched [L, E]), key [S, N, Ek], value
 * [S, N, Ev]. Returns [attn_output [L, N, E], attn_weights] where the weights are [N, L, S]
 * averaged over heads (or [N, num_heads, L, S]), null unless need_weights. With need_weights the
 * weights are computed explicitly (baddbmm, softmax); without, through
 * scaled_dot_product_attention, as PyTorch 2.x does.
 */
export function multi_head_attention_forward(
  query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: number, num_heads: number,
  in_proj_weight: Tensor | null, in_proj_bias: Tensor | null, bias_k: Tensor | null, bias_v: Tensor | null,
  add_zero_attn: boolean, dropout_p: number, out_proj_weight: Tensor, out_proj_bias: Tensor | null,
  opts: MhaForwardOpts = {},
): [Tensor, Tensor | null] {
  const o: Required<MhaForwardOpts> = {
    training: true, key_padding_mask: null, need_weights: true, attn_mask: null, use_separate_proj_weight: false, q_proj_weight: null,
    k_proj_weight: null, v_proj_weight: null, static_k: null, static_v: null, average_attn_weights: true, is_causal: false, ...opts,
  };
  let kpm = o.key_padding_mask, attn_mask = o.attn_mask, is_causal = o.is_causal;
  const { need_weights, static_k, static_v } = o;
  const is_batched = mhaShapeCheck(query, key, value, kpm, attn_mask, num_heads);
  // unbatched input runs as a batch of one, squeezed out at the end
  if (!is_batched) {
    query = query.unsqueeze(1);
    key = key.unsqueeze(1);
    value = value.unsqueeze(1);
    if (kpm !== null) kpm = kpm.unsqueeze(0);
  }
  const [tgt_len, bsz, embed_dim] = query.shape as [number, number, number];
  let src_len = key.shape[0]!;

  kpm = _canonical_mask(kpm, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask", query.dtype);
  if (is_causal && attn_mask === null)
    throw pyError("RuntimeError", "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.");
  if (is_causal && kpm === null && !need_weights) {
    // without a padding mask and without weights, the hint goes to scaled_dot_product_attention
    // as is_causal, and the mask itself is not used
    attn_mask = null;
  } else {
    attn_mask = _canonical_mask(attn_mask, "attn_mask", null, "", query.dtype, false);
    // merged with the padding mask, the mask is no longer causal
    if (kpm !== null) is_causal = false;
  }

  if (embed_dim !== embed_dim_to_check)
    throw pyError("AssertionError", `was expecting embedding dimension of ${embed_dim_to_check}, but got ${embed_dim}`);
  const head_dim = Math.floor(embed_dim / num_heads);
  if (head_dim * num_heads !== embed_dim) throw pyError("AssertionError", `embed_dim ${embed_dim} not divisible by num_heads ${num_heads}`);
  if (o.use_separate_proj_weight) {
    // kdim / vdim may differ from embed_dim when separate projection weights are used
    if (!sameShape(key.shape.slice(0, 2), value.shape.slice(0, 2)))
      throw pyError("AssertionError", `key's sequence and batch dims ${sizeStr(key.shape.slice(0, 2))} do not match value's ${sizeStr(value.shape.slice(0, 2))}`);
  } else if (!sameShape(key.shape, value.shape)) {
    throw pyError("AssertionError", `key shape ${sizeStr(key.shape)} does not match value shape ${sizeStr(value.shape)}`);
  }

  // in-projection
  let q: Tensor, k: Tensor, v: Tensor;
  if (!o.use_separate_proj_weight) {
    if (in_proj_weight === null) throw pyError("AssertionError", "use_separate_proj_weight is False but in_proj_weight is None");
    [q, k, v] = inProjectionPacked(query, key, value, in_proj_weight, in_proj_bias);
  } else {
    if (o.q_proj_weight === null) throw pyError("AssertionError", "use_separate_proj_weight is True but q_proj_weight is None");
    if (o.k_proj_weight === null) throw pyError("AssertionError", "use_separate_proj_weight is True but k_proj_weight is None");
    if (o.v_proj_weight === null) throw pyError("AssertionError", "use_separate_proj_weight is True but v_proj_weight is None");
    const [b_q, b_k, b_v] = in_proj_bias === null ? [null, null, null] : (in_proj_bias.chunk(3) as [Tensor, Tensor, Tensor]);
    [q, k, v] = inProjection(query, key, value, o.q_proj_weight, o.k_proj_weight, o.v_proj_weight, b_q, b_k, b_v);
  }

  // the attention mask, as [1 or N·num_heads, L, S]
  if (attn_mask !== null) {
    if (attn_mask.ndim === 2) {
      if (!sameShape(attn_mask.shape, [tgt_len, src_len]))
        throw pyError("RuntimeError", `The shape of the 2D attn_mask is ${sizeStr(attn_mask.shape)}, but should be ${tupleStr([tgt_len, src_len])}.`);
      attn_mask = attn_mask.unsqueeze(0);
    } else if (attn_mask.ndim === 3) {
      const correct = [bsz * num_heads, tgt_len, src_len];
      if (!sameShape(attn_mask.shape, correct))
        throw pyError("RuntimeError", `The shape of the 3D attn_mask is ${sizeStr(attn_mask.shape)}, but should be ${tupleStr(correct)}.`);
    } else {
      throw pyError("RuntimeError", `attn_mask's dimension ${attn_mask.ndim} is not supported`);
    }
  }

  // the learned key/value biases, as one more source position
  if (bias_k !== null && bias_v !== null) {
    if (static_k !== null) throw pyError("AssertionError", "bias cannot be added to static key.");
    if (static_v !== null) throw pyError("AssertionError", "bias cannot be added to static value.");
    k = cat([k, bias_k.repeat(1, bsz, 1)]);
    v = cat([v, bias_v.repeat(1, bsz, 1)]);
    if (attn_mask !== null) attn_mask = pad(attn_mask, [0, 1]);
    if (kpm !== null) kpm = pad(kpm, [0, 1]);
  } else if (bias_k !== null || bias_v !== null) {
    throw pyError("AssertionError", "");
  }

  // heads into the batch dimension: [N·num_heads, L or S, head_dim]
  q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1);
  if (static_k === null) k = k.view(k.shape[0]!, bsz * num_heads, head_dim).transpose(0, 1);
  else {
    if (static_k.size(0) !== bsz * num_heads) throw pyError("AssertionError", `expecting static_k.size(0) of ${bsz * num_heads}, but got ${static_k.size(0)}`);
    if (static_k.size(2) !== head_dim) throw pyError("AssertionError", `expecting static_k.size(2) of ${head_dim}, but got ${static_k.size(2)}`);
    k = static_k;
  }
  if (static_v === null) v = v.view(v.shape[0]!, bsz * num_heads, head_dim).transpose(0, 1);
  else {
    if (static_v.size(0) !== bsz * num_heads) throw pyError("AssertionError", `expecting static_v.size(0) of ${bsz * num_heads}, but got ${static_v.size(0)}`);
    if (static_v.size(2) !== head_dim) throw pyError("AssertionError", `expecting static_v.size(2) of ${head_dim}, but got ${static_v.size(2)}`);
    v = static_v;
  }

  // a zero key/value, as one more source position
  if (add_zero_attn) {
    const shape = [bsz * num_heads, 1, head_dim];
    k = cat([k, zeros(shape, { dtype: k.dtype })], 1);
    v = cat([v, zeros(shape, { dtype: v.dtype })], 1);
    if (attn_mask !== null) attn_mask = pad(attn_mask, [0, 1]);
    if (kpm !== null) kpm = pad(kpm, [0, 1]);
  }
  src_len = k.size(1);

  // the padding mask merged into the attention mask
  if (kpm !== null) {
    if (kpm.shape[0] !== bsz) throw pyError("AssertionError", `Expected key_padded_mask.shape[0] to be ${bsz}, but got ${kpm.shape[0]}`);
    if (kpm.shape[1] !== src_len) throw pyError("AssertionError", `Expected key_padded_mask.shape[1] to be ${src_len}, but got ${kpm.shape[1]}`);
    kpm = kpm.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len);
    attn_mask = attn_mask === null ? kpm : attn_mask.add(kpm);
  }

  if (!o.training) dropout_p = 0;

  if (need_weights) {
    const E = q.size(-1);
    const q_scaled = q.mul(Math.sqrt(1.0 / E));
    if (is_causal && attn_mask === null) throw pyError("AssertionError", "FIXME: is_causal not implemented for need_weights");
    let w = attn_mask !== null ? attn_mask.baddbmm(q_scaled, k.transpose(-2, -1)) : q_scaled.bmm(k.transpose(-2, -1));
    w = softmax(w, -1);
    if (dropout_p > 0) w = dropout(w, dropout_p);
    let out = w.bmm(v);
    out = out.transpose(0, 1).contiguous().view(tgt_len * bsz, embed_dim);
    out = linear(out, out_proj_weight, out_proj_bias);
    out = out.view(tgt_len, bsz, out.size(1));
    // the weights per head, or averaged over the heads
    w = w.view(bsz, num_heads, tgt_len, src_len);
    if (o.average_attn_weights) w = w.mean(1);
    if (!is_batched) { out = out.squeeze(1); w = w.squeeze(0); }
    return [out, w];
  }

  // attn_mask is [1, L, S] or [N·num_heads, L or 1, S]; scaled_dot_product_attention broadcasts
  // it against [N, num_heads, L, S]
  if (attn_mask !== null) {
    if (attn_mask.size(0) === 1 && attn_mask.ndim === 3) attn_mask = attn_mask.unsqueeze(0);
    else attn_mask = attn_mask.view(bsz, num_heads, -1, src_len);
  }
  const q4 = q.view(bsz, num_heads, tgt_len, head_dim);
  const k4 = k.view(bsz, num_heads, src_len, head_dim);
  const v4 = v.view(bsz, num_heads, src_len, head_dim);
  let out = scaled_dot_product_attention(q4, k4, v4, attn_mask, dropout_p, is_causal);
  out = out.permute(2, 0, 1, 3).contiguous().view(bsz * tgt_len, embed_dim);
  out = linear(out, out_proj_weight, out_proj_bias);
  out = out.view(tgt_len, bsz, out.size(1));
  if (!is_batched) out = out.squeeze(1);
  return [out, null];
}
