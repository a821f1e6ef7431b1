// vmap's batching rules (Note [Batched tensors] in func/batched.ts): one record per op, keyed by the
// op's name as the dispatch sees it (a Tensor method's or torch function's aten name: "add",
// "flatten"; "F.linear" for nn.functional's), each running the op once on the physical values, as
// functorch's BatchRulesBinaryOps.cpp, BatchRulesViews.cpp, BatchRulesReduceOps.cpp,
// BatchRulesLinearAlgebra.cpp, BatchRulesConvolution.cpp and BatchRulesLoss.cpp do. An op without
// a rule runs once per sample and its results are stacked (BatchedFallback.cpp), with PyTorch's
// warning; so does an op whose rule does not cover the call (a rule returns FALLBACK).
//
// Most rules move the mapped dimension of each batched argument to the front ("moved") and shift
// the logical dims by one; unbatched arguments stay as they are and broadcast. A rule may also be
// written in logical ops on the batched tensors themselves (linear with batched weights is a
// matmul and an add), which dispatch again.

import { Tensor } from "../core/tensor.js";
import { normDim } from "../core/shape.js";
import { bool } from "../core/dtype.js";
import { BatchedTensor, levels, hasBatched, checkNoDraws, recordingTransforms, _setBatchedDispatcher } from "./batched.js";
import { resultType, warnOnce } from "../ops/util.js";
import { stack as stackImpl } from "../ops/indexing.js";
import { namedPair } from "../ops/_helpers.js";
import { slice } from "../ops/index_ops.js";
import { F, ATEN } from "../nn/F.js";
import { unfold } from "../ops/conv.js";
import { record, needsGrad } from "../autograd/record.js";
import { get_rng_state, set_rng_state } from "../core/random.js";

type Fn = (...args: unknown[]) => unknown;
/** A batching rule: the op `fn` on `args` (some batched at vmap level `lv`), or FALLBACK. */
type Rule = (args: unknown[], lv: number, fn: Fn, op: string) => unknown;
const FALLBACK = Symbol("fallback");

// ---- helpers ------------------------------------------------------------------------------------

/** Whether x is batched at level lv (a BatchedTensor of a lower level is an ordinary tensor there). */
const at = (x: unknown, lv: number): x is BatchedTensor => x instanceof BatchedTensor && x.level === lv;
const size = (lv: number): number => levels[lv - 1]!.size;
/** x's physical value with the mapped dim first (x itself when not batched at lv). */
function moved(x: Tensor, lv: number): Tensor {
  if (!at(x, lv)) return x;
  return x.bdim === 0 ? x.value : x.value.movedim(x.bdim, 0);
}
/** x's physical value with the mapped dim first, expanded there when x is not batched at lv. */
function movedExpanded(x: Tensor, lv: number): Tensor {
  return at(x, lv) ? moved(x, lv) : x.unsqueeze(0).expand([size(lv), ...x.shape]);
}
const batched = (v: Tensor, lv: number, bdim = 0): BatchedTensor => new BatchedTensor(v, bdim, lv);
/** f applied to each tensor of an op's result (a tensor, a list, a (values, indices) pair). */
function mapResult(r: unknown, f: (t: Tensor) => Tensor): unknown {
  if (r instanceof Tensor) return f(r);
  if (Array.isArray(r)) {
    const items = r.map((x) => mapResult(x, f));
    // (a named tuple keeps its names: slogdet's sign and logabsdet, sort's values and indices)
    for (const k of Object.getOwnPropertyNames(r)) {
      const i = k === "length" || /^\d+$/.test(k) ? -1 : r.indexOf((r as unknown as Record<string, unknown>)[k]);
      if (i >= 0) Object.defineProperty(items, k, { value: items[i], enumerable: false });
    }
    return items;
  }
  return r;
}
/** The results of an op on physical values with the mapped dim first, as batched tensors. */
const wrapOut = (r: unknown, lv: number): unknown => mapResult(r, (t) => batched(t, lv));
/** Another argument than the first batched at lv (rules for one batched input fall back then). */
const othersBatched = (args: readonly unknown[], lv: number): boolean =>
  args.slice(1).some((a) => at(a, lv) || (Array.isArray(a) && a.some((x) => at(x, lv))) || (isPlain(a) && Object.values(a).some((x) => at(x, lv))));
const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype;
/** The sizes of view / reshape / expand / permute, given as a list or as varargs (the parser
 *  passes `x.reshape(-1)` on as it is); null where they are no sizes (view(dtype)). */
function sizesArg(args: readonly unknown[]): number[] | null {
  if (Array.isArray(args[1])) return args[1] as number[];
  const rest = args.slice(1).filter((a) => !isPlain(a));
  return rest.length > 0 && rest.every((a) => typeof a === "number") ? rest as number[] : null;
}
/** A logical dim (or list of them) as the physical one with the mapped dim first. */
function shiftDims(d: unknown, ndim: number): unknown {
  if (typeof d === "number") return normDim(d, ndim) + 1;
  if (Array.isArray(d)) return d.map((x) => normDim(x as number, ndim) + 1);
  return d;
}
/** x with `count` size-1 dims after its (front) mapped dim: its logical dims right-aligned to a
 *  higher rank, as broadcasting aligns them. */
function padLogical(v: Tensor, count: number): Tensor {
  for (let i = 0; i < count; i++) v = v.unsqueeze(1);
  return v;
}

// ---- rule families ------------------------------------------------------------------------------

/** Elementwise ops of one batched tensor: the op on the value as it is (with other tensors, such
 *  as clamp's bounds, aligned as pointwise aligns them). */
const unary: Rule = (args, lv, fn, op) => {
  if (othersBatched(args, lv)) return FALLBACK;
  if (args.slice(1).some((a) => a instanceof Tensor)) return pointwise(op.endsWith("_"))(args, lv, fn, op);
  const x = args[0] as BatchedTensor;
  const r = fn(x.value, ...args.slice(1));
  return r === x.value ? x : batched(r as Tensor, lv, x.bdim);
};

/** A result that does not depend on the values (new_zeros, new_empty …): the op on the value. */
const unbatchedResult: Rule = (args, lv, fn) => (othersBatched(args, lv) ? FALLBACK : fn((args[0] as BatchedTensor).value, ...args.slice(1)));

/** Elementwise ops of several tensors, with broadcasting (numbers too): each batched argument's
 *  logical dims right-aligned to the result's rank behind the mapped dim. In-place ones write
 *  into the first argument, which must be batched (PyTorch's error otherwise). */
function pointwise(inplace: boolean): Rule {
  return (args, lv, fn, op) => {
    const tensors = args.filter((a): a is Tensor => a instanceof Tensor);
    if (inplace && !at(args[0], lv)) {
      throw new Error(`vmap: ${op}(self, *extra_args) is not possible because there exists a Tensor \`other\` in extra_args that has more elements than \`self\`. ` +
        "This happened due to `other` being vmapped over but `self` not being vmapped over in a vmap. " +
        `Please try to use out-of-place operators instead of ${op}. If said operator is being called inside the PyTorch framework, please file a bug report instead.`);
    }
    const rank = Math.max(...tensors.map((t) => t.ndim));
    // a logical 0-d tensor is 1-d physically, which would change type promotion: promote first
    // (boolean masks, where's condition and masked_fill's mask, stay as they are)
    const values = tensors.filter((t) => t.dtype !== bool);
    const dtype = !inplace && values.some((t) => t.dtype !== values[0]!.dtype)
      ? resultType(...args.filter((a): a is Tensor | number => (a instanceof Tensor && a.dtype !== bool) || typeof a === "number")) : null;
    const phys = args.map((a) => {
      if (!(a instanceof Tensor)) return a;
      const v = at(a, lv) ? padLogical(moved(a, lv), rank - a.ndim) : a;
      return dtype !== null && v.dtype !== bool && v.dtype !== dtype ? v.to(dtype) : v;
    });
    const r = fn(...phys);
    if (inplace) return args[0];
    return r instanceof Tensor ? batched(r, lv) : FALLBACK; // (where(condition): nonzero's indices)
  };
}

/** Reductions over dims (sum, mean, amax …; the dim argument first after self): the dims shifted;
 *  over all dims, over every dim but the mapped one. `single`: the op takes one dim, so a full
 *  reduction flattens the sample first; `full`: the op that reduces a whole sample when called
 *  without a dim (max() is amax over all). */
function reduction(single = false, full?: (v: Tensor) => Tensor): Rule {
  return (args, lv, fn) => {
    if (othersBatched(args, lv)) return FALLBACK;
    const x = args[0] as BatchedTensor, v = moved(x, lv), rest = args.slice(1);
    const d = rest[0];
    const noDim = d === undefined || d === null || isPlain(d) || (Array.isArray(d) && d.length === 0);
    if (!noDim) return wrapOut(fn(v, shiftDims(d, x.ndim), ...rest.slice(1)), lv);
    if (rest.some((a) => typeof a === "boolean" && a)) return FALLBACK; // keepdim over all dims
    const flat = v.reshape([v.shape[0]!, -1]);
    if (full) return batched(full(flat), lv);
    const dims = single || x.ndim === 0 ? 1 : Array.from({ length: x.ndim }, (_, i) => i + 1);
    const opts = rest.filter(isPlain);
    return wrapOut(fn(single || x.ndim === 0 ? flat : v, dims, false, ...opts), lv);
  };
}

/** Ops with logical dims at the given argument positions (after self; a default where the
 *  argument may be left out), `extra` more dims allowed (unsqueeze's new one): the dims shifted. */
function dimsAt(positions: readonly number[], defaults: readonly (number | undefined)[] = [], extra = 0): Rule {
  return (args, lv, fn) => {
    if (othersBatched(args, lv)) return FALLBACK;
    const x = args[0] as BatchedTensor, rest = args.slice(1);
    positions.forEach((p, i) => {
      const d = rest[p] === undefined || rest[p] === null ? defaults[i] : rest[p];
      if (d !== undefined) rest[p] = shiftDims(d, x.ndim + extra);
    });
    return wrapOut(fn(moved(x, lv), ...rest), lv);
  };
}

/** view / reshape: the sizes behind the mapped dim. */
const reshapeRule: Rule = (args, lv, fn) => {
  const x = args[0] as BatchedTensor, s = sizesArg(args);
  if (s === null || othersBatched(args, lv)) return FALLBACK; // (view(dtype))
  // (a view of a value whose mapped dim is not first may be impossible, and raises as PyTorch's)
  const v = moved(x, lv);
  return batched(fn(v, [v.shape[0]!, ...s]) as Tensor, lv);
};

/** Ops whose first dim is the batch of samples (pooling, a convolution with unbatched weights):
 *  an unbatched input (one rank less) takes the mapped dim as its batch; a batched one folds the
 *  mapped dim into its batch and unfolds it from the results. */
function foldBatch(rank: number): Rule {
  return (args, lv, fn) => {
    if (othersBatched(args, lv)) return FALLBACK;
    const x = args[0] as BatchedTensor, v = moved(x, lv), rest = args.slice(1);
    if (x.ndim === rank - 1) return wrapOut(fn(v, ...rest), lv);
    if (x.ndim !== rank) return FALLBACK; // (the op's own error, per sample)
    const r = fn(v.flatten(0, 1), ...rest);
    return wrapOut(mapResult(r, (t) => t.reshape([v.shape[0]!, v.shape[1]!, ...t.shape.slice(1)])), lv);
  };
}

// ---- rules that need their own code -------------------------------------------------------------

/** matmul, the numpy way (1-d operands get a dim and lose it again): with one batched operand and
 *  an unbatched matrix on the right (linear's case), one matmul on the values; otherwise both
 *  operands batched-first at the same rank, broadcast by matmul. */
const matmulRule: Rule = (args, lv, fn) => {
  const [a, b] = args as [Tensor, Tensor];
  if (args.length > 2) return FALLBACK;
  if (a.ndim === 0 || b.ndim === 0) return FALLBACK; // (the op's own error)
  if (at(a, lv) && !at(b, lv) && b.ndim === 2) return batched(fn(moved(a, lv), b) as Tensor, lv);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a, b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const rank = Math.max(a2.ndim, b2.ndim);
  const phys = (t: Tensor): Tensor => (at(t, lv) ? padLogical(moved(t, lv), rank - t.ndim) : t);
  let r = fn(phys(a2), phys(b2)) as Tensor;
  if (b.ndim === 1) r = r.squeeze(-1);
  if (a.ndim === 1) r = r.squeeze(-1 - (b.ndim === 1 ? 0 : 1));
  return batched(r, lv);
};

/** mm / bmm / mv / dot: matmul on operands of the ranks the op takes. */
function matmulOf(ranks: readonly [number, number]): Rule {
  return (args, lv, fn, op) => {
    const [a, b] = args as [Tensor, Tensor];
    if (args.length > 2 || a.ndim !== ranks[0] || b.ndim !== ranks[1]) return FALLBACK;
    return matmulRule(args, lv, (x, y) => (x as Tensor).matmul(y as Tensor), op);
  };
}

/** addmm(self, mat1, mat2, {beta, alpha}) = beta self + alpha (mat1 @ mat2), in logical ops. */
const addmmRule: Rule = (args) => {
  const [self, m1, m2, o] = args as [Tensor, Tensor, Tensor, { beta?: number; alpha?: number } | undefined];
  if (args.length > 4 || !(m1 instanceof Tensor) || (o !== undefined && !isPlain(o))) return FALLBACK;
  const beta = o?.beta ?? 1, alpha = o?.alpha ?? 1;
  let prod = m1.mm(m2);
  if (alpha !== 1) prod = prod.mul(alpha);
  return beta === 0 ? prod : (beta === 1 ? self : self.mul(beta)).add(prod);
};

/**
 * Note [Shared weights]: a parameter that grad differentiates inside vmap is expanded over the
 * samples (Note [Gradients inside vmap] in func/index.ts): batched, but the same tensor for each
 * sample (stride 0 along the mapped dim). Computing with it as batched would turn one matmul or
 * convolution into one per sample; instead linear and the convolutions run with the one weight
 * (the samples folded into the batch, as for an unbatched weight) and a node on their result
 * gives the expanded weight its per-sample gradients, as PyTorch's ExpandedWeights (and Opacus)
 * compute them: for linear, gᵀx per sample; for a convolution, g times the input's unfolded
 * patches per sample. The input's own gradient comes from the op's ordinary node, with the one
 * weight off the graph: right for first derivatives, not for the derivative of the input's
 * gradient with respect to the weight, so while a transform records its gradients to
 * differentiate them again (hessian, grad of grad) the weights are computed with as batched.
 */
function sharedValue(w: Tensor | null | undefined, lv: number): Tensor | null {
  if (!at(w, lv) || w.value instanceof BatchedTensor || w.value.stride(w.bdim) !== 0 || recordingTransforms.count > 0) return null;
  return moved(w, lv);
}
/** The one tensor of a shared weight (its sample 0, off the graph: the node gives its gradients). */
const one = (w: Tensor): Tensor => w.detach().select(0, 0);

/** `out` (computed with the shared weights' one tensors) as the result of a node that gives each
 *  shared weight the per-sample gradient `perSample(g)` (Note [Shared weights]). */
function sharedWeightsNode(out: Tensor, shared: readonly (readonly [Tensor, (g: Tensor) => Tensor])[]): Tensor {
  const wanted = shared.filter(([w]) => w.requires_grad);
  if (!needsGrad(wanted.map(([w]) => w))) return out;
  return record("ExpandedWeightBackward0", [out, ...wanted.map(([w]) => w)], out.detach(), ([g]) => [g!, ...wanted.map(([, f]) => f(g!))]);
}

/** F.linear(input, weight, bias): with unbatched (or shared) weight and bias, linear on the
 *  input's value (the samples are more leading dims); otherwise input @ weightᵀ + bias in logical
 *  ops. */
const linearRule: Rule = (args, lv, fn) => {
  const [input, weight, bias] = args as [Tensor, Tensor, Tensor | null | undefined];
  if (args.length > 3 || input.ndim === 0 || weight.ndim === 0) return FALLBACK;
  const sw = sharedValue(weight, lv), sb = sharedValue(bias, lv);
  if ((at(weight, lv) && sw === null) || (at(bias, lv) && sb === null)) {
    const r = input.matmul(weight.t());
    return bias === null || bias === undefined ? r : r.add(bias);
  }
  const x = movedExpanded(input, lv), B = x.shape[0]!;
  const out = fn(x, sw === null ? weight : one(sw), sb === null ? bias : one(sb)) as Tensor;
  const rows = (t: Tensor): Tensor => t.reshape([B, -1, t.shape[t.ndim - 1]!]);
  const shared: [Tensor, (g: Tensor) => Tensor][] = [];
  // (one row per sample, as for per-sample gradients: the outer product, which mul makes faster)
  const gTx = (g: Tensor): Tensor => (rows(x).shape[1] === 1 ? rows(g).transpose(1, 2).mul(rows(x)) : rows(g).transpose(1, 2).bmm(rows(x)));
  if (sw !== null) shared.push([sw, (g) => gTx(g).reshape(sw.shape.slice())]);
  if (sb !== null) shared.push([sb, (g) => rows(g).sum(1).reshape(sb.shape.slice())]);
  return batched(sharedWeightsNode(out, shared), lv);
};

/** F.conv1d / F.conv2d (input, weight, bias, stride, padding, dilation, groups), as functorch's
 *  convolution rule: with unbatched weights the samples fold into the input's batch; with batched
 *  weights they fold into the channels, one group of channels per sample (the input's copies for
 *  an unbatched input). An unbatched input (no batch dim) gets one for the call. */
function convRule(spatial: number): Rule {
  const fold = foldBatch(spatial + 2);
  return (args, lv, fn, op) => {
    const [input, weight, bias, stride, padding, dilation, groups] = args as [Tensor, Tensor, Tensor | null | undefined, unknown, unknown, unknown, number | undefined];
    if (args.length > 7 || (bias !== null && bias !== undefined && !(bias instanceof Tensor))) return FALLBACK;
    if (!at(weight, lv) && !at(bias, lv)) return fold(args, lv, fn, op);
    if (input.ndim === spatial + 1) {
      const r = dispatchOp(op, fn, [input.unsqueeze(0), weight, bias, stride, padding, dilation, groups]) as Tensor;
      return r.squeeze(0);
    }
    if (input.ndim !== spatial + 2 || weight.ndim !== spatial + 2) return FALLBACK;
    const sw = sharedValue(weight, lv), sb = sharedValue(bias, lv);
    if (sw !== null && (sb !== null || !at(bias, lv)) && (groups ?? 1) === 1 && typeof padding !== "string") {
      return sharedConv(spatial, movedExpanded(input, lv), sw, sb, sb === null ? bias : one(sb), [stride, padding, dilation], fn, lv);
    }
    const B = size(lv), g = groups ?? 1;
    const x = at(input, lv) ? moved(input, lv) : null; // [B, N, C, ...]
    const xs = x !== null ? x.transpose(0, 1).flatten(1, 2) // [N, B·C, ...]
      : input.repeat([1, B, ...Array(spatial).fill(1)]);
    const w = movedExpanded(weight, lv).flatten(0, 1); // [B·Cout, Cin/g, ...]
    const bb = bias === null || bias === undefined ? bias : movedExpanded(bias, lv).flatten();
    const r = fn(xs, w, bb, stride, padding, dilation, B * g) as Tensor; // [N, B·Cout, ...]
    return batched(r.unflatten(1, [B, -1]), lv, 1);
  };
}

/** A convolution (groups 1, numeric padding) of the samples' inputs x ([B, N, C, ...]) with a
 *  shared weight and bias (Note [Shared weights]): one convolution of the folded batch, and the
 *  weight's per-sample gradients from the unfolded input patches (a 1-d convolution is a 2-d one
 *  of height 1 there). */
function sharedConv(spatial: number, x: Tensor, sw: Tensor, sb: Tensor | null, bias: Tensor | null | undefined,
  params: [unknown, unknown, unknown], fn: Fn, lv: number): Tensor {
  const [B, N] = x.shape as [number, number];
  const xf = x.flatten(0, 1);
  const out = fn(xf, one(sw), bias, ...params) as Tensor; // [B·N, Cout, ...]
  const perSample = (t: Tensor): Tensor => t.reshape([B, N, t.shape[1]!, -1]); // [B, N, C, L]
  const shared: [Tensor, (g: Tensor) => Tensor][] = [[sw, (g) => {
    const two = (v: unknown, fill: number): number[] => {
      const a = Array.isArray(v) ? v as number[] : [v === undefined ? fill : v as number];
      return spatial === 1 ? [fill === 0 ? 0 : 1, a[0]!] : a.length === 1 ? [a[0]!, a[0]!] : a;
    };
    const k = sw.shape.slice(3), x4 = spatial === 1 ? xf.unsqueeze(2) : xf;
    const cols = perSample(unfold(x4, spatial === 1 ? [1, k[0]!] : k, two(params[2], 1), two(params[1], 0), two(params[0], 1)));
    const gs = perSample(g); // [B, N, Cout, L]
    const gw = gs.permute([0, 2, 1, 3]).flatten(2).bmm(cols.permute([0, 1, 3, 2]).flatten(1, 2)); // [B, Cout, C·k]
    return gw.reshape(sw.shape.slice());
  }]];
  if (sb !== null) shared.push([sb, (g) => perSample(g).sum([1, 3])]);
  const r = sharedWeightsNode(out, shared);
  return batched(r.reshape([B, N, ...r.shape.slice(1)]), lv);
}

/** The options of a loss function called as its implementation takes them: (input, target,
 *  [weight,] options); null where the legacy size_average/reduce arguments are given. */
function lossOptions(rest: readonly unknown[]): Record<string, unknown> | null {
  const [w, o] = rest as [unknown, Record<string, unknown> | undefined];
  const opts = w instanceof Tensor || w === null ? { ...o, weight: w } : { ...(w as Record<string, unknown> | undefined), ...o };
  return "size_average" in opts || "reduce" in opts ? null : opts;
}

/** F.nll_loss: per-sample losses by the op with reduction "none" on samples folded into the batch,
 *  then each sample's reduction (the mean weighted by the targets' class weights, ignored targets
 *  left out, as the op's own mean). */
const nllRule: Rule = (args, lv, fn, op) => {
  const [input, target] = args as [Tensor, Tensor];
  const o = lossOptions(args.slice(2));
  if (o === null || at(o.weight, lv) || !(target instanceof Tensor)) return FALLBACK;
  const reduction = (o.reduction as string | undefined) ?? "mean", ignore = (o.ignore_index as number | undefined) ?? -100;
  if (input.ndim === 1) {
    const r = dispatchOp(op, fn, [input.unsqueeze(0), target.unsqueeze(0), o]) as Tensor;
    return reduction === "none" ? r.squeeze(0) : r;
  }
  if (input.ndim < 2 || target.ndim !== input.ndim - 1 || input.shape[0] !== target.shape[0]) return FALLBACK;
  const x = movedExpanded(input, lv), t = movedExpanded(target, lv), B = x.shape[0]!;
  const losses = (fn(x.flatten(0, 1), t.flatten(0, 1), { ...o, reduction: "none" }) as Tensor).reshape([B, -1]);
  if (reduction === "none") return batched(losses.reshape(t.shape.slice()), lv);
  if (reduction === "sum") return batched(losses.sum(1), lv);
  const tf = t.reshape([B, -1]), kept = tf.ne(ignore);
  const weight = o.weight as Tensor | null | undefined;
  const w = weight ? weight.index_select(0, tf.masked_fill(kept.logical_not(), 0).flatten()).reshape([B, -1]).mul(kept) : kept.to(losses.dtype);
  return batched(losses.sum(1).div(w.sum(1)), lv);
};

/** F.cross_entropy with class indices: log_softmax over the classes, then nll_loss (PyTorch's own
 *  composition); probabilities as targets and label smoothing fall back. */
const crossEntropyRule: Rule = (args) => {
  const [input, target] = args as [Tensor, Tensor];
  const o = lossOptions(args.slice(2));
  if (o === null || !(target instanceof Tensor) || target.dtype.is_floating_point || ((o.label_smoothing as number | undefined) ?? 0) !== 0) return FALLBACK;
  const { label_smoothing: _ls, ...nllOpts } = o;
  return F.nll_loss(F.log_softmax(input, input.ndim === 1 ? 0 : 1), target, nllOpts);
};

/** F.mse_loss: (input - target)² and its reduction, in logical ops. */
const mseRule: Rule = (args) => {
  const [input, target] = args as [Tensor, Tensor];
  const o = lossOptions([undefined, ...args.slice(2)]);
  if (o === null || !(target instanceof Tensor)) return FALLBACK;
  const sq = input.sub(target).square(), reduction = (o.reduction as string | undefined) ?? "mean";
  return reduction === "none" ? sq : reduction === "sum" ? sq.sum() : sq.mean();
};

/** stack / cat (tensors, dim): every tensor batched-first (expanded where unbatched), the dim
 *  shifted. */
function joinRule(extra: number): Rule {
  return (args, lv, fn) => {
    const [ts, dim, ...rest] = args as [Tensor[], unknown, ...unknown[]];
    if (!Array.isArray(ts) || ts.length === 0 || rest.some((a) => a !== undefined && !isPlain(a))) return FALLBACK;
    const d = typeof dim === "number" ? dim : isPlain(dim) && typeof dim.dim === "number" ? dim.dim : 0;
    return batched(fn(ts.map((t) => movedExpanded(t, lv)), shiftDims(d, ts[0]!.ndim + extra)) as Tensor, lv);
  };
}

/** expand(sizes): the sizes behind the mapped dim, the value's logical dims right-aligned. */
const expandRule: Rule = (args, lv, fn) => {
  const x = args[0] as BatchedTensor, s = sizesArg(args);
  if (s === null || othersBatched(args, lv)) return FALLBACK;
  const v = padLogical(moved(x, lv), Math.max(0, s.length - x.ndim));
  return batched(fn(v, [v.shape[0]!, ...s], ...args.slice(1).filter(isPlain)) as Tensor, lv);
};

/** x.index(...items) with ints, slices, "..." and null: the same items behind a full slice over
 *  the mapped dim; tensor indices fall back. */
const indexRule: Rule = (args, lv, fn) => {
  if (othersBatched(args, lv) || args.slice(1).some((a) => a instanceof Tensor || Array.isArray(a))) return FALLBACK;
  return batched(fn(moved(args[0] as Tensor, lv), slice(null), ...args.slice(1)) as Tensor, lv);
};

/** Random ops of one batched input (dropout): with randomness "different", the op on the value,
 *  mapped dim first (one draw over all samples, as PyTorch's rule); "error" raises if it draws;
 *  "same" runs per sample, every sample drawing what the first drew (the fallback). */
const randomRule: Rule = (args, lv, fn) => {
  const mode = levels[lv - 1]!.randomness;
  if (mode === "same" || othersBatched(args, lv)) return FALLBACK;
  const before = mode === "error" ? get_rng_state() : null;
  // (row-major with the mapped dim first, as functorch's empty_like makes a batched tensor's
  // noise: its draws follow that order, not the layout of a value mapped over another dim)
  const r = fn(moved(args[0] as Tensor, lv).contiguous(), ...args.slice(1));
  if (before !== null) checkNoDraws(before, get_rng_state());
  return wrapOut(r, lv);
};

/** F.layer_norm(input, normalized_shape, weight, bias, eps): over trailing dims, so the value
 *  (mapped dim first) normalizes as it is; batched weight or bias scale and shift afterwards, in
 *  logical ops. */
const layerNormRule: Rule = (args, lv, fn, op) => {
  const [input, shape, weight, bias, eps] = args as [Tensor, unknown, Tensor | null | undefined, Tensor | null | undefined, unknown];
  if (!at(weight, lv) && !at(bias, lv)) return batched(fn(moved(input, lv), shape, weight, bias, eps) as Tensor, lv);
  const y = dispatchOp(op, fn, [input, shape, null, null, eps]) as Tensor;
  const scaled = weight === null || weight === undefined ? y : y.mul(weight);
  return bias === null || bias === undefined ? scaled : scaled.add(bias);
};

/** functorch's batch_norm rule refuses to update running statistics that are not batched from a
 *  batched input (one update for all samples would be wrong). */
const unbatchedStatsError = () => new Error("Batch norm got a batched tensor as input while the running_mean or running_var, which will be updated in place, were not batched.\n" +
  "If you are using a module and do not need eval mode, please set `track_running_stats` to be False.If you are using a prebuilt module and do not need eval mode, " +
  "please see the functorch website for resources on how to patch your module to work with vmap");

type MaybeTensor = Tensor | null | undefined;
const given = (t: unknown): t is Tensor => t instanceof Tensor;

/** y·weight + bias with weight and bias per channel ([C] against y's logical [N, C, *]), in
 *  logical ops: how functorch's norm rules apply batched affine parameters. */
function channelAffine(y: Tensor, weight: MaybeTensor, bias: MaybeTensor): Tensor {
  const perChannel = (t: Tensor): Tensor => t.reshape([-1, ...Array<number>(y.ndim - 2).fill(1)]);
  const scaled = given(weight) ? y.mul(perChannel(weight)) : y;
  return given(bias) ? scaled.add(perChannel(bias)) : scaled;
}

/** A batch_norm / instance_norm over [N, C, *] with the samples folded into the channels (as
 *  functorch's batch_norm rule does: input [B, N, C, *] as [N, B·C, *]), so each sample's channels
 *  keep their own statistics. Running statistics go in as [B·C] copies (unbatched ones expanded)
 *  that the op updates; the batched ones' physical values take the updates back, and with
 *  `rewriteUnbatched` (instance_norm, which always writes the mean of its per-sample copies back)
 *  the unbatched ones take the first sample's. Batched weight and bias apply afterwards.
 *  `call(x, running_mean, running_var, weight, bias)` runs the op. */
function foldIntoChannels(input: Tensor, rm: MaybeTensor, rv: MaybeTensor, weight: MaybeTensor, bias: MaybeTensor, lv: number,
  rewriteUnbatched: boolean, call: (x: Tensor, rm: Tensor | null, rv: Tensor | null, w: Tensor | null, b: Tensor | null) => Tensor): unknown {
  const x = movedExpanded(input, lv), B = x.shape[0]!;
  const stat = (t: MaybeTensor) => (given(t) ? movedExpanded(t, lv).flatten().clone() : null);
  const m = stat(rm), v = stat(rv), affineBatched = at(weight, lv) || at(bias, lv);
  const repeated = (t: MaybeTensor) => (given(t) && !affineBatched ? t.repeat(B) : null);
  const y = call(x.transpose(0, 1).flatten(1, 2), m, v, repeated(weight), repeated(bias));
  ([[rm, m], [rv, v]] as const).forEach(([t, updated]) => {
    if (!given(t) || updated === null) return;
    if (at(t, lv)) moved(t, lv).copy_(updated.view(B, -1));
    else if (rewriteUnbatched) t.copy_(updated.view(B, -1).select(0, 0));
  });
  const out = batched(y.unflatten(1, [B, -1]), lv, 1);
  return affineBatched ? channelAffine(out, weight, bias) : out;
}

/** F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps): in eval
 *  mode with unbatched statistics and affine parameters the samples fold into the batch; otherwise
 *  into the channels (foldIntoChannels), batched running statistics updated per sample. Running
 *  statistics that training would update for all samples at once are PyTorch's error. */
const batchNormRule: Rule = (args, lv, fn) => {
  const [input, rm, rv, w, b, training, momentum, eps] = args as [Tensor, MaybeTensor, MaybeTensor, MaybeTensor, MaybeTensor, boolean, number, number];
  if (at(input, lv) && training && [rm, rv].some((t) => given(t) && !at(t, lv))) throw unbatchedStatsError();
  if (input.ndim < 2) return FALLBACK; // (the op's own error, per sample)
  if (!training && at(input, lv) && ![rm, rv, w, b].some((t) => at(t, lv))) {
    const x = moved(input, lv);
    return batched((fn(x.flatten(0, 1), rm, rv, w, b, false, momentum, eps) as Tensor).unflatten(0, [x.shape[0]!, -1]), lv);
  }
  return foldIntoChannels(input, rm, rv, w, b, lv, false, (x, m, v, ww, bb) => fn(x, m, v, ww, bb, training, momentum, eps) as Tensor);
};

/** The group_norm / instance_norm of the samples folded into the batch (each (sample, channel)
 *  plane normalized by its own statistics either way); batched affine parameters scale and shift
 *  afterwards, in logical ops, as functorch's rules do. `call(x, weight, bias)` runs the op. */
function normAffine(input: Tensor, weight: MaybeTensor, bias: MaybeTensor, lv: number,
  call: (x: Tensor, w: Tensor | null, b: Tensor | null) => Tensor): unknown {
  if (input.ndim < 2) return FALLBACK; // (the op's own error, per sample)
  const affineBatched = at(weight, lv) || at(bias, lv);
  const x = movedExpanded(input, lv), B = x.shape[0]!;
  const y = batched(call(x.flatten(0, 1), affineBatched ? null : weight ?? null, affineBatched ? null : bias ?? null).unflatten(0, [B, -1]), lv);
  return affineBatched ? channelAffine(y, weight, bias) : y;
}

/** F.group_norm(input, num_groups, weight, bias, eps). */
const groupNormRule: Rule = (args, lv, fn) => {
  const [input, G, weight, bias, eps] = args as [Tensor, number, MaybeTensor, MaybeTensor, number | undefined];
  return normAffine(input, weight, bias, lv, (x, w, b) => fn(x, G, w, b, eps) as Tensor);
};

/** F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum,
 *  eps). Without running statistics the samples fold into the batch. With them, PyTorch's
 *  instance_norm is batch_norm over [1, N·C, *] with the statistics repeated N times (their mean
 *  over N written back), so under vmap it meets functorch's batch_norm rule: its error when
 *  use_input_stats would update unbatched statistics from a batched input, else the samples
 *  fold into the channels (foldIntoChannels). */
const instanceNormRule: Rule = (args, lv, fn) => {
  const [input, rm, rv, weight, bias, use, momentum, eps] = args as [Tensor, MaybeTensor, MaybeTensor, MaybeTensor, MaybeTensor,
    boolean | undefined, number | undefined, number | undefined];
  if (!given(rm) && !given(rv)) return normAffine(input, weight, bias, lv, (x, w, b) => fn(x, null, null, w, b, use, momentum, eps) as Tensor);
  if (at(input, lv) && (use ?? true) && [rm, rv].some((t) => given(t) && !at(t, lv))) throw unbatchedStatsError();
  if (input.ndim < 2) return FALLBACK;
  return foldIntoChannels(input, rm, rv, weight, bias, lv, true, (x, m, v, w, b) => fn(x, m, v, w, b, use, momentum, eps) as Tensor);
};

/** F.conv_transpose1d / 2d (input, weight, bias, stride, padding, output_padding, groups,
 *  dilation), as convRule: unbatched weights fold the samples into the batch; batched ones fold
 *  them into the channels, one group of channels per sample (a transposed convolution's weight
 *  is [C_in, C_out/groups, ...], so its rows are the input's channels). */
function convTransposeRule(spatial: number): Rule {
  const fold = foldBatch(spatial + 2);
  return (args, lv, fn, op) => {
    const [input, weight, bias, stride, padding, output_padding, groups, dilation] = args as
      [Tensor, Tensor, Tensor | null | undefined, unknown, unknown, unknown, number | undefined, unknown];
    if (args.length > 8 || (bias !== null && bias !== undefined && !(bias instanceof Tensor))) return FALLBACK;
    if (!at(weight, lv) && !at(bias, lv)) return fold(args, lv, fn, op);
    if (input.ndim === spatial + 1) {
      const r = dispatchOp(op, fn, [input.unsqueeze(0), weight, bias, stride, padding, output_padding, groups, dilation]) as Tensor;
      return r.squeeze(0);
    }
    if (input.ndim !== spatial + 2 || weight.ndim !== spatial + 2) return FALLBACK;
    const B = size(lv), g = groups ?? 1;
    const x = at(input, lv) ? moved(input, lv) : null; // [B, N, C, ...]
    const xs = x !== null ? x.transpose(0, 1).flatten(1, 2) : input.repeat([1, B, ...Array(spatial).fill(1)]); // [N, B·C, ...]
    const w = movedExpanded(weight, lv).flatten(0, 1); // [B·C_in, C_out/g, ...]
    const bb = bias === null || bias === undefined ? bias : movedExpanded(bias, lv).flatten();
    const r = fn(xs, w, bb, stride, padding, output_padding, B * g, dilation) as Tensor; // [N, B·C_out, ...]
    return batched(r.unflatten(1, [B, -1]), lv, 1);
  };
}

/** gather / scatter / scatter_add (self, dim, index, src or value, ...): self, index and a tensor
 *  src batched-first (expanded where unbatched), the dim shifted, as functorch's
 *  BatchRulesScatterOps. Logical 0-d tensors (which these ops treat as 1-d) run per sample. */
const gatherScatterRule: Rule = (args, lv, fn) => {
  const [self, dim, index, src, ...rest] = args as [Tensor, number, Tensor, unknown, ...unknown[]];
  if (typeof dim !== "number" || !(index instanceof Tensor) || self.ndim === 0 || index.ndim === 0) return FALLBACK;
  if (src instanceof Tensor && src.ndim === 0) return FALLBACK;
  const phys = [self, index, src].map((a) => (a instanceof Tensor ? movedExpanded(a, lv) : a));
  return wrapOut(fn(phys[0], shiftDims(dim, self.ndim), phys[1], ...(args.length > 3 ? [phys[2]] : []), ...rest), lv);
};

/** index_select(self, dim, index): with an unbatched index, the op on the value; with a batched
 *  one, a gather of each sample's rows along dim (as functorch's rule). */
const indexSelectRule: Rule = (args, lv, fn) => {
  const [self, dim, index] = args as [Tensor, number, Tensor];
  if (args.length > 3 || typeof dim !== "number" || !(index instanceof Tensor) || self.ndim === 0 || index.ndim > 1) return FALLBACK;
  const d = shiftDims(dim, self.ndim) as number;
  if (!at(index, lv)) return batched(fn(moved(self, lv), d, index) as Tensor, lv);
  const v = movedExpanded(self, lv).movedim(d, 1), idx = moved(index, lv).reshape([-1, index.numel()]); // [B, D, ...], [B, K]
  const expanded = idx.reshape([idx.shape[0]!, idx.shape[1]!, ...Array<number>(v.ndim - 2).fill(1)]).expand([-1, -1, ...v.shape.slice(2)]);
  return batched(v.gather(1, expanded).movedim(1, d), lv);
};

/** sort / argsort (self, dim=-1, descending, or the keyword-only overload's options {stable, dim,
 *  descending}): the dim shifted, wherever it is given. */
const sortRule: Rule = (args, lv, fn) => {
  if (othersBatched(args, lv)) return FALLBACK;
  const x = args[0] as Tensor, rest = args.slice(1);
  if (x.ndim === 0) return FALLBACK;
  if (isPlain(rest[0])) rest[0] = { ...rest[0], dim: shiftDims(rest[0].dim ?? -1, x.ndim) };
  else rest[0] = shiftDims(rest[0] ?? -1, x.ndim);
  return wrapOut(fn(moved(x, lv), ...rest), lv);
};

/** Linear algebra of matrices (or vectors) in the trailing dims, which batches over leading dims:
 *  the op on the values, every tensor batched-first (expanded where unbatched, so that
 *  linalg.solve tells a batch of vectors from a matrix as it would for one sample). `dims`: the
 *  positions (after the first argument) of logical dims to shift. */
function linalgRule(dims: readonly number[] = []): Rule {
  return (args, lv, fn) => {
    const tensors = args.filter((a): a is Tensor => a instanceof Tensor);
    if (tensors.some((t) => t.ndim === 0)) return FALLBACK;
    const x = args[0] as Tensor, phys = args.map((a) => (a instanceof Tensor ? movedExpanded(a, lv) : a));
    for (const p of dims) if (phys[p + 1] !== undefined && phys[p + 1] !== null && !isPlain(phys[p + 1])) phys[p + 1] = shiftDims(phys[p + 1], x.ndim);
    return wrapOut(fn(...phys), lv);
  };
}

/** linalg.vector_norm(x, ord=2, dim=None, keepdim=False): the dims shifted; over all dims, over
 *  every logical one (a 0-d sample is a 1-element vector). */
const vectorNormRule: Rule = (args, lv, fn) => {
  if (othersBatched(args, lv)) return FALLBACK;
  const x = args[0] as Tensor, [ord, dim, keepdim, ...opts] = args.slice(1);
  if (isPlain(ord) || isPlain(dim) || isPlain(keepdim)) return FALLBACK; // (the parser gives them by position)
  const v = moved(x, lv);
  if (dim !== undefined && dim !== null) return batched(fn(v, ord, shiftDims(dim, x.ndim), keepdim, ...opts) as Tensor, lv);
  if (x.ndim === 0) return batched(fn(v.unsqueeze(1), ord, 1, false, ...opts) as Tensor, lv);
  return batched(fn(v, ord, Array.from({ length: x.ndim }, (_, i) => i + 1), keepdim, ...opts) as Tensor, lv);
};

// ---- the table ----------------------------------------------------------------------------------

/** A marker for nn.functional's functions written in Tensor methods only, which dispatch on their
 *  own: dispatch calls them as they are (functorch's CompositeImplicitAutograd decompositions). */
const DECOMPOSE: Rule = () => FALLBACK;

const UNARY = [
  "abs", "neg", "negative", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "square", "reciprocal",
  "sin", "cos", "tan", "sinh", "cosh", "asin", "acos", "atan", "tanh", "sigmoid", "relu", "erf", "erfc", "sign", "sgn",
  "floor", "ceil", "round", "trunc", "frac", "logit", "nan_to_num", "clamp", "clip", "clamp_min", "clamp_max",
  "relu_", "sigmoid_", "tanh_", "exp_", "neg_", "abs_", "sqrt_", "clamp_", "fill_", "zero_",
  "clone", "detach", "to", "float", "double", "half", "bfloat16", "long", "int", "bool", "type_as",
  "isnan", "isinf", "isfinite", "logical_not", "bitwise_not", "zeros_like", "ones_like", "empty_like", "full_like",
  "F.gelu", "F.silu", "F.elu", "F.selu", "F.celu", "F.leaky_relu", "F.softplus", "F.hardtanh", "F.relu6", "F.logsigmoid",
  "F.hardsigmoid", "F.hardswish", "F.mish", "F.softsign", "F.tanhshrink", "F.hardshrink", "F.softshrink", "F.threshold",
];
const BINARY = [
  "add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "remainder", "fmod",
  "pow", "atan2", "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge", "greater", "less",
  "greater_equal", "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor", "hypot", "xlogy", "copysign",
  "lerp", "addcmul", "addcdiv", "where", "masked_fill",
];
const INPLACE_BINARY = ["add_", "sub_", "mul_", "div_", "pow_", "copy_", "lerp_", "masked_fill_", "addcmul_", "addcdiv_", "clamp_min_", "clamp_max_"];

const RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(UNARY.map((k) => [k, unary])),
  ...Object.fromEntries(BINARY.map((k) => [k, pointwise(false)])),
  ...Object.fromEntries(INPLACE_BINARY.map((k) => [k, pointwise(true)])),
  contiguous: (args, lv) => batched(moved(args[0] as Tensor, lv).contiguous(), lv),
  new_zeros: unbatchedResult, new_ones: unbatchedResult, new_empty: unbatchedResult, new_full: unbatchedResult, new_tensor: unbatchedResult,
  // reductions
  sum: reduction(), mean: reduction(), amax: reduction(), amin: reduction(), logsumexp: reduction(),
  nansum: reduction(), prod: reduction(true), all: reduction(true), any: reduction(true),
  argmax: reduction(true), argmin: reduction(true),
  max: (args, lv, fn, op) => (args[1] instanceof Tensor ? pointwise(false)(args, lv, fn, op) : reduction(true, (v) => v.amax(1))(args, lv, fn, op)),
  min: (args, lv, fn, op) => (args[1] instanceof Tensor ? pointwise(false)(args, lv, fn, op) : reduction(true, (v) => v.amin(1))(args, lv, fn, op)),
  softmax: dimsAt([0]), log_softmax: dimsAt([0]), cumsum: dimsAt([0]), cumprod: dimsAt([0]),
  // views and shapes
  view: reshapeRule, reshape: reshapeRule,
  flatten: (args, lv, fn, op) => ((args[0] as Tensor).ndim === 0
    ? batched(moved(args[0] as Tensor, lv).reshape([size(lv), 1]), lv) : dimsAt([0, 1], [0, -1])(args, lv, fn, op)),
  unflatten: dimsAt([0]),
  unsqueeze: dimsAt([0], [], 1),
  squeeze: (args, lv, fn, op) => {
    const x = args[0] as Tensor;
    if (args.length > 1) return dimsAt([0])(args, lv, fn, op);
    const ones = x.shape.map((s, i) => (s === 1 ? i + 1 : -1)).filter((i) => i > 0);
    return batched(ones.length ? moved(x, lv).squeeze(ones) : moved(x, lv).view_as(moved(x, lv)), lv);
  },
  transpose: dimsAt([0, 1]), swapaxes: dimsAt([0, 1]), movedim: dimsAt([0, 1]), moveaxis: dimsAt([0, 1]),
  t: (args, lv) => {
    const x = args[0] as Tensor;
    return batched(x.ndim < 2 ? moved(x, lv).view_as(moved(x, lv)) : moved(x, lv).transpose(1, 2), lv);
  },
  permute: (args, lv, fn) => {
    const x = args[0] as Tensor, dims = shiftDims(sizesArg(args), x.ndim) as number[];
    return batched(fn(moved(x, lv), [0, ...dims]) as Tensor, lv);
  },
  expand: expandRule,
  expand_as: (args, lv, fn, op) => expandRule([args[0], (args[1] as Tensor).shape.slice()], lv, (x, s) => (x as Tensor).expand(s as number[]), op),
  select: dimsAt([0]), narrow: dimsAt([0]), split: dimsAt([1], [0]), chunk: dimsAt([1], [0]), unbind: dimsAt([0], [0]),
  index: indexRule,
  stack: joinRule(1), cat: joinRule(0),
  // linear algebra
  matmul: matmulRule, mm: matmulOf([2, 2]), bmm: matmulOf([3, 3]), mv: matmulOf([2, 1]), dot: matmulOf([1, 1]), addmm: addmmRule,
  "F.linear": linearRule,
  // nn.functional
  "F.relu": DECOMPOSE, "F.sigmoid": DECOMPOSE, "F.tanh": DECOMPOSE, "F.softmax": DECOMPOSE, "F.log_softmax": DECOMPOSE,
  "F.conv1d": convRule(1), "F.conv2d": convRule(2),
  "F.max_pool1d": foldBatch(3), "F.max_pool2d": foldBatch(4), "F.avg_pool1d": foldBatch(3), "F.avg_pool2d": foldBatch(4),
  "F.adaptive_avg_pool1d": foldBatch(3), "F.adaptive_avg_pool2d": foldBatch(4), "F.adaptive_max_pool1d": foldBatch(3), "F.adaptive_max_pool2d": foldBatch(4),
  "F.dropout": randomRule, "F.alpha_dropout": randomRule,
  "F.layer_norm": layerNormRule, "F.batch_norm": batchNormRule,
  "F.embedding": (args, lv, fn) => (at(args[1], lv) || !at(args[0], lv) ? FALLBACK : batched(fn(moved(args[0] as Tensor, lv), ...args.slice(1)) as Tensor, lv)),
  "F.nll_loss": nllRule, "F.cross_entropy": crossEntropyRule, "F.mse_loss": mseRule,
  "F.group_norm": groupNormRule, "F.instance_norm": instanceNormRule,
  "F.conv_transpose1d": convTransposeRule(1), "F.conv_transpose2d": convTransposeRule(2),
  // indexing and sorting
  gather: gatherScatterRule, scatter: gatherScatterRule, scatter_add: gatherScatterRule, index_select: indexSelectRule,
  sort: sortRule, argsort: sortRule, topk: dimsAt([1], [-1]),
  // torch.linalg (Note [Batched tensors]: their aten names)
  linalg_det: linalgRule(), linalg_inv: linalgRule(), linalg_solve: linalgRule(), linalg_cholesky: linalgRule(),
  linalg_slogdet: linalgRule(), linalg_matrix_norm: linalgRule([1]), linalg_vector_norm: vectorNormRule,
  linalg_inv_ex: linalgRule(), linalg_solve_ex: linalgRule(), linalg_cholesky_ex: linalgRule(), linalg_lu_factor: linalgRule(),
  linalg_lu_factor_ex: linalgRule(), linalg_matrix_exp: linalgRule(), linalg_eigh: linalgRule(), linalg_eigvalsh: linalgRule(),
  linalg_svd: linalgRule(), linalg_svdvals: linalgRule(), linalg_qr: linalgRule(),
  linalg_vecdot: DECOMPOSE,
};

// ---- dispatch and the per-sample fallback -------------------------------------------------------

function levelOf(args: readonly unknown[]): number {
  let lv = 0;
  const visit = (a: unknown): void => {
    if (a instanceof BatchedTensor) lv = Math.max(lv, a.level);
    else if (Array.isArray(a)) a.forEach(visit);
    else if (isPlain(a)) Object.values(a).forEach(visit);
  };
  args.forEach(visit);
  return lv;
}

/** `fn(...args)`, through the batching rules when an argument is batched. */
export function dispatchOp(op: string, fn: Fn, args: unknown[]): unknown {
  return levels.length > 0 && hasBatched(args) ? dispatch(op, fn, args) : fn(...args);
}

function dispatch(op: string, fn: Fn, args: unknown[]): unknown {
  const lv = levelOf(args);
  const rule = RULES[op];
  if (rule === DECOMPOSE) return fn(...args);
  // (the physical values may be batched at lower levels: the op on them dispatches again)
  const call: Fn = (...a) => dispatchOp(op, fn, a);
  if (rule !== undefined) {
    const r = rule(args, lv, call, op);
    if (r !== FALLBACK) return r;
  }
  return fallback(op, call, args, lv);
}

/** PyTorch's BatchedFallback: the op once per sample, the results stacked along a new front dim;
 *  an in-place op has written into its batched self. */
function fallback(op: string, fn: Fn, args: unknown[], lv: number): unknown {
  const name = op.startsWith("F.") ? ATEN[op.slice(2)] ?? op.slice(2) : op;
  // (PyTorch adds where in its C++ sources the warning was raised, which is no part of the message)
  warnOnce(`There is a performance drop because we have not yet implemented the batching rule for aten::${name}. ` +
    "Please file us an issue on GitHub so that we can prioritize its implementation.");
  const sliceArg = (a: unknown, b: number): unknown => {
    if (at(a, lv)) return a.value.select(a.bdim, b);
    if (Array.isArray(a)) return a.map((x) => sliceArg(x, b));
    if (isPlain(a)) return Object.fromEntries(Object.entries(a).map(([k, x]) => [k, sliceArg(x, b)]));
    return a;
  };
  // (randomness "same": every sample draws what the first drew)
  const state = levels[lv - 1]!.randomness === "same" ? get_rng_state() : null;
  const results: unknown[] = [];
  for (let b = 0; b < size(lv); b++) {
    if (state !== null) set_rng_state(state);
    results.push(fn(...args.map((a) => sliceArg(a, b))));
  }
  if (op.endsWith("_") && at(args[0], lv)) return args[0];
  return stackResults(results, lv);
}

function stackResults(results: unknown[], lv: number): unknown {
  const first = results[0];
  if (first instanceof Tensor) return batched(dispatchOp("stack", stackImpl as Fn, [results, 0]) as Tensor, lv);
  if (Array.isArray(first)) {
    const items = first.map((_, i) => stackResults(results.map((r) => (r as unknown[])[i]), lv));
    return "values" in first && "indices" in first ? namedPair(items[0] as Tensor, items[1] as Tensor) : items;
  }
  if (results.some((r) => r !== first)) {
    throw new Error("vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. " +
      "We don't support that yet, please shout over at https://github.com/pytorch/functorch/issues/257 .");
  }
  return first;
}

_setBatchedDispatcher(dispatch);

// ---- what the transforms need -------------------------------------------------------------------

/** The physical tensor under every level of x. */
export function physical(x: Tensor): Tensor {
  while (x instanceof BatchedTensor) x = x.value;
  return x;
}

/** x batched at every running vmap level (expanded where it is not: a parameter shared by the
 *  samples), so that a gradient taken inside vmap is one per sample (Note [Gradients inside
 *  vmap] in func/index.ts). */
export function batchedAtAllLevels(x: Tensor, lv = levels.length): Tensor {
  if (lv === 0) return x;
  if (at(x, lv)) return batched(batchedAtAllLevels(x.value, lv - 1), lv, x.bdim);
  const inner = batchedAtAllLevels(x, lv - 1);
  return batched(inner.unsqueeze(0).expand([size(lv), ...inner.shape]), lv);
}

/** x's wrappers around another physical tensor (of the same physical shape). */
export function rewrap(x: Tensor, phys: Tensor): Tensor {
  return x instanceof BatchedTensor ? batched(rewrap(x.value, phys), x.level, x.bdim) : phys;
}

/** c (a cotangent of out: the same logical shape) as a physical tensor laid out as out's. */
export function physicalLike(c: Tensor, out: Tensor): Tensor {
  if (!(out instanceof BatchedTensor)) return c;
  const lv = out.level;
  const cv = at(c, lv) ? c.value.movedim(c.bdim, out.bdim) : c.unsqueeze(out.bdim).expand(out.value.shape.slice());
  return physicalLike(cv, out.value);
}
