// Normalisation: F.batch_norm, F.layer_norm, F.group_norm, each one node as PyTorch 2.x records it
// (NativeBatchNormBackward0, NativeLayerNormBackward0, NativeGroupNormBackward0).
//
// Forward: mean and biased variance per group in double, then x·scale + shift rounded once.
// Backward (Note [Normalisation gradients]): with x̂ = (x − μ)·σ⁻¹ over a group of m values and
// ĝ = g·weight, the input gradient is σ⁻¹·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), weight's is Σ g·x̂ and
// bias's Σ g. The formula is written in Tensor ops on the saved input, recomputing μ and σ from
// it, so it is differentiable (double backward). The three ops differ only in which view of x the
// groups are taken over and how weight broadcasts (NormLayout). Batch norm in evaluation mode
// normalises by the running statistics, constants to autograd: its input gradient is g·weight·σ⁻¹.

import { Tensor } from "../core/tensor.js";
import * as K from "../backends/index.js";
import { record, savedFor } from "../autograd/record.js";
import { no_grad, is_grad_enabled } from "../autograd/grad_mode.js";
import { listStr, checkFloatKernel } from "./_nn_args.js";
import { repeat } from "./index_ops.js";
import { asFormat } from "./views.js";
import { type memory_format, suggestMemoryFormat } from "../core/memory_format.js";
import "./reduce.js";
import "./elementwise.js";

/** How a normalisation groups and scales x: the view the statistics are taken over
 *  (statShape, reduced over statDims), the shape weight/bias broadcast as over x, and the dims of x
 *  their gradients sum over. */
interface NormLayout { statShape: number[]; statDims: number[]; wShape: number[]; affineDims: number[] }

/** Sum over dims, where an empty list sums nothing (Tensor.sum([]) would sum everything). */
const sumOver = (t: Tensor, dims: number[]) => (dims.length ? t.sum(dims) : t);

/** Note [Normalisation gradients], in Tensor ops. */
function normBackward(g: Tensor, xs: Tensor | null, ws: Tensor | null, lay: NormLayout, eps: number, needs: boolean[], affineShape: number[]): (Tensor | null)[] {
  const shape = g.shape.slice();
  const x = xs!.reshape(lay.statShape);
  const xc = x.sub(x.mean(lay.statDims, true));
  const invstd = xc.square().mean(lay.statDims, true).add(eps).rsqrt();
  const xhat = xc.mul(invstd);
  let gx: Tensor | null = null;
  if (needs[0]) {
    const gh = (ws ? g.mul(ws.view(lay.wShape)) : g).reshape(lay.statShape);
    gx = gh.sub(gh.mean(lay.statDims, true)).sub(xhat.mul(gh.mul(xhat).mean(lay.statDims, true))).mul(invstd).reshape(shape);
  }
  const gw = needs[1] ? sumOver(g.mul(xhat.reshape(shape)), lay.affineDims).reshape(affineShape) : null;
  const gb = needs[2] ? sumOver(g, lay.affineDims).reshape(affineShape) : null;
  return [gx, gw, gb];
}

const values = (t: Tensor | null) => (t ? K.floatData(t) : null);

// ---- batch norm -----------------------------------------------------------------------------

/** Batch normalisation over dim 1 of [N, C, *]: F.batch_norm(input, running_mean, running_var,
 *  weight=null, bias=null, training=false, momentum=0.1, eps=1e-5). In training, normalises by the
 *  batch statistics and updates the running ones in place (running_var with the unbiased
 *  variance); otherwise normalises by the running statistics. */
export function batch_norm(input: Tensor, running_mean: Tensor | null, running_var: Tensor | null, weight: Tensor | null = null,
  bias: Tensor | null = null, training = false, momentum = 0.1, eps = 1e-5): Tensor {
  if (training) {
    const size = input.shape;
    let prod = size[0]!;
    for (let i = 2; i < size.length; i++) prod *= size[i]!;
    if (prod === 1) throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size(${listStr(size)})`);
  }
  if (input.ndim < 2) throw new Error(`Dimension out of range (expected to be in range of [-${Math.max(input.ndim, 1)}, ${Math.max(input.ndim, 1) - 1}], but got 1)`);
  const C = input.shape[1]!;
  const check = (t: Tensor | null, name: string) => {
    if (t && t.numel() !== C) throw new Error(`${name} should contain ${C} elements not ${t.numel()}`);
  };
  check(running_mean, "running_mean");
  if (!running_mean && !training) throw new Error("running_mean must be defined in evaluation mode");
  check(running_var, "running_var");
  if (!running_var && !training) throw new Error("running_var must be defined in evaluation mode");
  check(weight, "weight");
  check(bias, "bias");
  checkFloatKernel(input, "batch_norm");

  const N = input.shape[0]!, S = input.numel() / (N * C);
  const wShape = input.shape.map((s, i) => (i === 1 ? s : 1));
  const affineDims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  if (input.device.type !== "cpu") return batchNormOnDevice(input, running_mean, running_var, weight, bias, training, momentum, eps, wShape, affineDims);
  const x = input.detach(), wv = values(weight), bv = values(bias);
  let mean: ArrayLike<number>, vr: ArrayLike<number>;
  if (training) {
    const st = K.channelStats(x, N, C, S);
    mean = st.mean; vr = st.var;
    const n = N * S;
    // running statistics are updated in place by the kernel, below autograd: no version bump
    // (loops, not typed arrays' map: a closure call per channel cost more than the kernels on [N, C])
    const update = (run: Tensor, f: (r: number, c: number) => number) => {
      const r = K.floatData(run), v = new Float64Array(C);
      for (let c = 0; c < C; c++) v[c] = f(r[c]!, c);
      K.copyInto(run, fromValues(v, run));
    };
    if (running_mean) update(running_mean, (r, c) => (1 - momentum) * r + momentum * st.mean[c]!);
    if (running_var) update(running_var, (r, c) => (1 - momentum) * r + momentum * st.var[c]! * n / (n - 1));
  } else {
    mean = Float64Array.from(K.floatData(running_mean!));
    vr = Float64Array.from(K.floatData(running_var!));
  }
  const invstd = new Float64Array(C), scale = new Float64Array(C), shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    invstd[c] = 1 / Math.sqrt(vr[c]! + eps);
    scale[c] = invstd[c]! * (wv ? wv[c]! : 1);
    shift[c] = (bv ? bv[c]! : 0) - mean[c]! * scale[c]!;
  }
  const y = K.channelAffine(x, N, C, S, scale, shift);
  const saved: BatchNormSaved = { mean: Float64Array.from(mean), invstd, train: training };
  if (training) return recordTrainBatchNorm(input, weight, bias, y, eps, wShape, affineDims, saved);
  const inv = Tensor.fromStorage(K.fromNumbers(invstd, input.dtype), wShape, input.dtype);
  const mu = Tensor.fromStorage(K.fromNumbers(saved.mean, input.dtype), wShape, input.dtype);
  return recordEvalBatchNorm(input, weight, bias, y, inv, mu, wShape, affineDims, saved);
}

/** What batch norm's forward normalised by (float64 per channel: the batch's statistics in
 *  training, the running ones in evaluation), for a fused backward. */
interface BatchNormSaved { mean: Float64Array; invstd: Float64Array; train: boolean }

/** The fused backward kernel where the backend has one and no graph of the backward is wanted
 *  (Note [Fused backward] in ops/reduce.ts); null: the composite. */
function fusedBatchNormBackward(g: Tensor, xs: Tensor, ws: Tensor | null, saved: BatchNormSaved | undefined, needs: boolean[]): (Tensor | null)[] | null {
  return saved && !is_grad_enabled() ? K.batchNormBackward(g, xs.detach(), ws?.detach() ?? null, saved.mean, saved.invstd, saved.train, needs) : null;
}

/** batch_norm on a device: the statistics stay there as tensors (channelStats reads them to the
 *  CPU); the running ones are updated in place below autograd, as on the CPU. */
function batchNormOnDevice(input: Tensor, running_mean: Tensor | null, running_var: Tensor | null, weight: Tensor | null, bias: Tensor | null,
  training: boolean, momentum: number, eps: number, wShape: number[], affineDims: number[]): Tensor {
  const x = input.detach(), C = input.shape[1]!, n = input.numel() / C;
  const [y, inv, mu] = no_grad(() => {
    let mean: Tensor, vr: Tensor;
    if (training) {
      mean = x.mean(affineDims, true);
      vr = x.sub(mean).square().mean(affineDims, true);
      if (running_mean) K.copyInto(running_mean, running_mean.mul(1 - momentum).add(mean.view(C).mul(momentum)));
      if (running_var) K.copyInto(running_var, running_var.mul(1 - momentum).add(vr.view(C).mul(momentum * n / (n - 1))));
    } else { mean = running_mean!.view(wShape); vr = running_var!.view(wShape); }
    const invstd = vr.add(eps).rsqrt();
    const xhat = x.sub(mean).mul(invstd);
    const scaled = weight ? xhat.mul(weight.detach().view(wShape)) : xhat;
    return [bias ? scaled.add(bias.detach().view(wShape)) : scaled, invstd, mean];
  });
  if (training) return recordTrainBatchNorm(input, weight, bias, y, eps, wShape, affineDims);
  return recordEvalBatchNorm(input, weight, bias, y, inv, mu, wShape, affineDims);
}

/** Records batch_norm in training: the gradient recomputes the batch statistics from the input. */
function recordTrainBatchNorm(input: Tensor, weight: Tensor | null, bias: Tensor | null, y: Tensor, eps: number, wShape: number[], affineDims: number[],
  saved?: BatchNormSaved): Tensor {
  const lay: NormLayout = { statShape: input.shape.slice(), statDims: affineDims, wShape, affineDims };
  const fmt = suggestMemoryFormat(input._shape, input._strides);
  return record("NativeBatchNormBackward0", [input, weight, bias], asFormat(y, fmt),
    ([g], [xs, ws], needs) => inputGradAs(fmt, fusedBatchNormBackward(g!, xs!, ws ?? null, saved, needs) ?? normBackward(g!, xs!, ws ?? null, lay, eps, needs, [input.shape[1]!])),
    [input, weight && savedFor(input, weight)]);
}

/** Records batch_norm in evaluation: the running statistics (`inv`: 1/√(var + eps), `mu`) are
 *  constants of the node, taken at forward time. */
function recordEvalBatchNorm(input: Tensor, weight: Tensor | null, bias: Tensor | null, y: Tensor, inv: Tensor, mu: Tensor, wShape: number[], affineDims: number[],
  saved?: BatchNormSaved): Tensor {
  // (x, saved when weight's gradient is wanted, is all that reads it: g stands in otherwise)
  const fmt = suggestMemoryFormat(input._shape, input._strides);
  return record("NativeBatchNormBackward0", [input, weight, bias], asFormat(y, fmt), ([g], [xs, ws], needs) => inputGradAs(fmt, fusedBatchNormBackward(g!, xs ?? g!, ws ?? null, saved, needs) ?? [
    needs[0] ? g!.mul(ws ? ws.view(wShape).mul(inv) : inv) : null,
    needs[1] ? sumOver(g!.mul(xs!.sub(mu).mul(inv)), affineDims) : null,
    needs[2] ? sumOver(g!, affineDims) : null,
  ]), [savedFor(weight, input), weight && savedFor(input, weight)]);
}

/** Batch and group norm's output and input gradient take the input's memory format, as their CPU
 *  kernels lay them out (Note [Memory formats]). */
function inputGradAs(fmt: memory_format, grads: (Tensor | null)[]): (Tensor | null)[] {
  if (grads[0]) grads[0] = asFormat(grads[0], fmt);
  return grads;
}

/** A tensor of `like`'s shape and dtype holding values. */
function fromValues(v: ArrayLike<number>, like: Tensor): Tensor {
  return Tensor.fromStorage(K.fromNumbers(v, like.dtype), like.shape, like.dtype);
}

// ---- layer norm -----------------------------------------------------------------------------

/** Layer norm's result over rows of Kn elements, statistics in double. */
function layerNormKernel(x: Tensor, M: number, Kn: number, eps: number, weight: Tensor | null, bias: Tensor | null): Tensor {
  const st = K.channelStats(x, 1, M, Kn);
  const invstd = Float64Array.from(st.var, (v) => 1 / Math.sqrt(v + eps));
  return K.channelAffine(x, 1, M, Kn, invstd, invstd.map((s, m) => -st.mean[m]! * s), values(weight), values(bias));
}

/** Normalises over the last dims given by normalized_shape, then the elementwise affine:
 *  F.layer_norm(input, normalized_shape, weight=null, bias=null, eps=1e-5). */
export function layer_norm(input: Tensor, normalized_shape: number | readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const ns = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (ns.length < 1)
    throw new Error(`Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${listStr(ns)}`);
  if (weight && !same(weight.shape, ns))
    throw new Error(`Expected weight to be of same shape as normalized_shape, but got weight of shape ${listStr(weight.shape)} and normalized_shape = ${listStr(ns)}`);
  if (bias && !same(bias.shape, ns))
    throw new Error(`Expected bias to be of same shape as normalized_shape, but got bias of shape ${listStr(bias.shape)} and normalized_shape = ${listStr(ns)}`);
  const nd = input.ndim, k = ns.length;
  if (nd < k || !same(input.shape.slice(nd - k), ns))
    throw new Error(`Given normalized_shape=${listStr(ns)}, expected input with shape [*${ns.map((s) => `, ${s}`).join("")}], but got input of size${listStr(input.shape)}`);
  checkFloatKernel(input, "LayerNormKernelImpl");

  const Kn = ns.reduce((a, b) => a * b, 1), M = input.numel() / Kn;
  const x = input.detach();
  const fused = K.layerNorm(x, M, Kn, weight?.detach() ?? null, bias?.detach() ?? null, eps);
  const y = fused ? fused.y : input.device.type === "cpu" ? layerNormKernel(x, M, Kn, eps, weight, bias) : no_grad(() => {
    // on a device, the statistics stay there as tensors (channelStats reads them to the CPU)
    const x2 = x.reshape([M, Kn]), xc = x2.sub(x2.mean(1, true));
    const xhat = xc.mul(xc.square().mean(1, true).add(eps).rsqrt()).reshape(input.shape.slice());
    const scaled = weight ? xhat.mul(weight.detach()) : xhat;
    return bias ? scaled.add(bias.detach()) : scaled;
  });
  const lay: NormLayout = {
    statShape: [M, Kn], statDims: [1], wShape: ns,
    affineDims: input.shape.slice(0, nd - k).map((_, i) => i),
  };
  return record("NativeLayerNormBackward0", [input, weight, bias], y, ([g], [xs, ws], needs) => {
    // (Note [Fused backward] in ops/reduce.ts)
    const quick = fused && !is_grad_enabled() && K.layerNormBackward(g!, xs!.detach(), ws?.detach() ?? null, fused, needs);
    if (quick) return [quick[0], quick[1]?.view(ns) ?? null, quick[2]?.view(ns) ?? null];
    return normBackward(g!, xs!, ws ?? null, lay, eps, needs, ns);
  }, [input, weight && savedFor(input, weight)]);
}

// ---- group norm -----------------------------------------------------------------------------

/** Normalises each of num_groups groups of channels of [N, C, *] over its channels and positions,
 *  then a per-channel affine: F.group_norm(input, num_groups, weight=null, bias=null, eps=1e-5). */
export function group_norm(input: Tensor, num_groups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (input.ndim < 2) throw new Error(`Expected at least 2 dimensions for input tensor but received ${input.ndim}`);
  const N = input.shape[0]!, C = input.shape[1]!, G = num_groups;
  const verify = [Math.floor((N * C) / G), G, ...input.shape.slice(2)];
  if (verify[0]! * verify.slice(2).reduce((a, b) => a * b, 1) === 1)
    throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size(${listStr(verify)})`);
  if (C % G !== 0)
    throw new Error(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${listStr(input.shape)} and num_groups=${G}`);
  for (const [t, name] of [[weight, "weight"], [bias, "bias"]] as const) {
    if (t && !(t.ndim === 1 && t.numel() === C))
      throw new Error(`Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${listStr(t.shape)} and input of shape ${listStr(input.shape)}`);
  }
  checkFloatKernel(input, "GroupNormKernelImpl");

  const S = input.numel() / (N * C), Cg = C / G;
  const x = input.detach(), wv = values(weight), bv = values(bias);
  const st = K.channelStats(x, 1, N * G, Cg * S);
  const scale = new Float64Array(N * C), shift = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const grp = n * G + Math.floor(c / Cg), inv = 1 / Math.sqrt(st.var[grp]! + eps);
      const s = inv * (wv ? wv[c]! : 1);
      scale[n * C + c] = s;
      shift[n * C + c] = (bv ? bv[c]! : 0) - st.mean[grp]! * s;
    }
  }
  const y = K.channelAffine(x, 1, N * C, S, scale, shift);
  const lay: NormLayout = {
    statShape: [N, G, Cg * S], statDims: [2],
    wShape: input.shape.map((s, i) => (i === 1 ? s : 1)),
    affineDims: input.shape.map((_, i) => i).filter((i) => i !== 1),
  };
  const fmt = suggestMemoryFormat(input._shape, input._strides);
  return record("NativeGroupNormBackward0", [input, weight, bias], asFormat(y, fmt),
    ([g], [xs, ws], needs) => inputGradAs(fmt, normBackward(g!, xs!, ws ?? null, lay, eps, needs, [C])),
    [input, weight && savedFor(input, weight)]);
}

// ---- instance norm --------------------------------------------------------------------------

/** Normalises each channel of each sample of [N, C, *] over its positions: F.instance_norm(input,
 *  running_mean=null, running_var=null, weight=null, bias=null, use_input_stats=true,
 *  momentum=0.1, eps=1e-5). As ATen writes it: batch norm of the [1, N·C, *] view with the
 *  per-channel tensors repeated N times, the running statistics averaged back over N. */
export function instance_norm(input: Tensor, running_mean: Tensor | null = null, running_var: Tensor | null = null, weight: Tensor | null = null,
  bias: Tensor | null = null, use_input_stats = true, momentum = 0.1, eps = 1e-5): Tensor {
  const rm = running_mean, rv = running_var;
  if (use_input_stats && input.shape.slice(2).reduce((a, b) => a * b, 1) === 1)
    throw new Error(`Expected more than 1 spatial element when training, got input size torch.Size(${listStr(input.shape)})`);
  if (!use_input_stats && !(rm && rv)) throw new Error("Expected running_mean and running_var to be defined when use_input_stats is false");
  const N = input.shape[0]!, C = input.shape[1]!;
  const rep = (t: Tensor | null) => (t ? repeat(t, N) : null);
  const rm_ = rep(rm), rv_ = rep(rv);
  const out = batch_norm(input.contiguous().view([1, N * C, ...input.shape.slice(2)]), rm_, rv_,
    rep(weight), rep(bias), use_input_stats, momentum, eps);
  // the repeated running statistics were updated per sample: their mean over N is the new value
  if (rm && rm_) K.copyInto(rm, rm_.detach().view(N, C).mean(0));
  if (rv && rv_) K.copyInto(rv, rv_.detach().view(N, C).mean(0));
  return out.view(input.shape.slice());
}
