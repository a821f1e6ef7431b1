// torch.nn.functional: activations, linear maps, dropout, embedding and losses (PyTorch 2.x).
//
// Ops that PyTorch implements as one kernel with a derivatives.yaml entry are recorded here as one
// node under PyTorch's grad_fn name (GeluBackward0, MseLossBackward0, NllLossBackward0 …), with the
// backward formula written in Tensor ops beside the forward (so it can itself be differentiated).
// Ops that PyTorch composes from other ops (softsign, l1_loss, kl_div, cross_entropy with
// probabilities …) are composed the same way here, so their grad_fn is the last op's, as in PyTorch.
//
// Arguments follow shared/API.md §2: PyTorch's positional order, or an options object last with
// PyTorch's keyword names: F.leaky_relu(x, 0.2) ≡ F.leaky_relu(x, {negative_slope: 0.2}). The one
// parser (core/argparse.ts) turns the public calls into the form each function here takes: every
// parameter by position for most (ALL_POSITIONAL there), an options object for the others.

import { Tensor } from "../core/tensor.js";
import { type DType, int64, uint8, int32, bool, float32, scalarTypeName, promote_types } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { fuseBackward } from "../autograd/engine.js";
import { logSoftmaxOnehotBackward } from "../ops/reduce.js";
import { inplace } from "../ops/inplace.js";
import { zeroWhere } from "../ops/_helpers.js";
import { copyAs } from "../ops/views.js";
import { where, divScalar } from "../ops/elementwise.js";
import { isOptions, pyError } from "../ops/util.js";
import { vector_norm } from "../ops/norms.js";
import { erf } from "../core/special.js";
import { fmtDouble, sizeStr } from "../core/printing.js";
import { finfo } from "../core/type_info.js";
import { sameShape } from "../core/shape.js";
import { preserve_format, stridesLike } from "../core/memory_format.js";
import { listStr } from "../ops/_nn_args.js";
import { formatPyFloat } from "../core/printing.js";
import "./_ops.js";
// (for glu, rrelu, pairwise_distance, the margin losses, channel_shuffle and embedding_bag)
import { normDim, contiguousStrides } from "../core/shape.js";
import { default_generator } from "../core/random.js";
import { is_grad_enabled } from "../autograd/grad_mode.js";
import { cat } from "../ops/indexing.js";
import { arange } from "../ops/creation.js";
import { normBackward } from "../ops/norms.js";

import { warnOnce } from "../ops/util.js";
import { reductionOf, type LegacyReduction } from "./_reduction.js";

// ---------------------------------------------------------------------------------------------


function checkFloat(x: Tensor, kernel: string): void {
  if (!x.dtype.is_floating_point) throw new Error(`"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
}

/** An elementwise op as one recorded node: forward values from `f` (computed in float64, rounded
 *  once to the dtype; `op` and its numbers `params` name it for the fast backends and the device),
 *  gradient from `grad` written in Tensor ops. */
function pointwise(node: string, kernel: string, x: Tensor, f: (v: number) => number, grad: (g: Tensor, x: Tensor) => Tensor, op?: string, params?: number[], ints = false): Tensor {
  // (`ints`: a kernel PyTorch also has for the integer dtypes; none has bool)
  if (ints ? x.dtype === bool : !x.dtype.is_floating_point) throw new Error(`"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
  const y = K.unary(x, f, x.dtype, op, params);
  return record(node, [x], y, ([g], [xs]) => [grad(g!, xs!)], [x]);
}

// ---------------------------------------------------------------------------------------------
// activations

export function relu(input: Tensor, inplace = false): Tensor {
  return inplace ? input.relu_() : input.relu();
}
export function relu_(input: Tensor): Tensor { return input.relu_(); }

function thresholdImpl(x: Tensor, th: number, value: number, node: string): Tensor {
  return pointwise(node, "threshold_cpu", x, (v) => (v <= th ? value : v), (g, xs) => zeroWhere(g, xs.le(th), xs), "threshold", [th, value], true);
}
/** y = x if x > threshold else value (ThresholdBackward0) */
export function threshold(input: Tensor, threshold_: number, value: number, inplace_ = false): Tensor {
  // (threshold_ writes expanded tensors as PyTorch's does: Note [Internal overlap] in ops/inplace.ts)
  return inplace_ ? inplace(input, () => thresholdImpl(input, threshold_, value, "ThresholdBackward1"), "allow") : thresholdImpl(input, threshold_, value, "ThresholdBackward0");
}

function hardtanhImpl(x: Tensor, lo: number, hi: number, node: string): Tensor {
  if (x.dtype === bool) throw new Error("Bool inputs not supported for hardtanh");
  return pointwise(node, "hardtanh_cpu", x, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)),
    (g, xs) => zeroWhere(g, xs.le(lo).logical_or(xs.ge(hi)), xs), "clamp", [lo, hi], true);
}
export function hardtanh(input: Tensor, min_val = -1, max_val = 1, inplace_ = false): Tensor {
  if (min_val > max_val) throw new Error("min_val cannot be greater than max_val");
  // hardtanh_ has no derivative of its own: in place it is HardtanhBackward0 too
  const f = () => hardtanhImpl(input, min_val, max_val, "HardtanhBackward0");
  return inplace_ ? inplace(input, f) : f();
}
export function relu6(input: Tensor, inplace_ = false): Tensor {
  // aten::relu6 is hardtanh(x, 0, 6)
  return hardtanh(input, 0, 6, inplace_);
}

function leakyImpl(x: Tensor, slope: number, node: string): Tensor {
  return pointwise(node, "leaky_relu_cpu", x, (v) => (v > 0 ? v : v * slope), (g, xs) => where(xs.gt(0), g, g.mul(slope)), "leaky_relu", [slope]);
}
export function leaky_relu(input: Tensor, negative_slope = 0.01, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => leakyImpl(input, negative_slope, "LeakyReluBackward1")) : leakyImpl(input, negative_slope, "LeakyReluBackward0");
}

/** at::elu(x, alpha, scale, input_scale): x·scale for x > 0, else alpha·scale·(exp(x·input_scale) − 1). */
/** `gradInputScale` is the input scale elu_backward multiplies by, and also the one its exp uses
 *  unless `fromResult` (the in-place form's formula, which reads exp(x·input_scale) off the result). */
function eluImpl(x: Tensor, alpha: number, scale: number, inputScale: number, node: string, gradInputScale = inputScale, fromResult = false): Tensor {
  const neg = alpha * scale, s = gradInputScale, e = fromResult ? inputScale : s;
  return pointwise(node, "elu_cpu", x, (v) => (v > 0 ? v * scale : v !== v ? v : Math.expm1(v * inputScale) * neg),
    // exp of min(x, 0): the branch where() drops never overflows, so a double backward stays finite
    // (g first, as elu_backward's TensorIterator reads it: the gradient takes g's layout)
    (g, xs) => g.mul(where(xs.le(0), xs.clamp_max(0).mul(e).exp().mul(s * neg), scale)), "elu", [scale, inputScale, neg]);
}
export function elu(input: Tensor, alpha = 1, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => eluImpl(input, alpha, 1, 1, "EluBackward1")) : eluImpl(input, alpha, 1, 1, "EluBackward0");
}
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;
export function selu(input: Tensor, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => eluImpl(input, SELU_ALPHA, SELU_SCALE, 1, "EluBackward1")) : eluImpl(input, SELU_ALPHA, SELU_SCALE, 1, "EluBackward0");
}
export function celu(input: Tensor, alpha = 1, inplace_ = false): Tensor {
  if (alpha === 0) throw new Error("ZeroDivisionError: alpha cannot be 0 for CELU");
  const inv = 1 / alpha;
  // celu has its own derivative entry (CeluBackward0/1): elu_backward with input_scale
  // 1.0 / alpha.toFloat(), i.e. alpha rounded to float32 first, where the forward divides in double
  const gradInv = 1 / Math.fround(alpha);
  return inplace_ ? inplace(input, () => eluImpl(input, alpha, 1, inv, "CeluBackward1", gradInv, true)) : eluImpl(input, alpha, 1, inv, "CeluBackward0", gradInv);
}

const SQRT1_2 = Math.SQRT1_2, SQRT2 = Math.SQRT2, M_2_SQRTPI = 2 / Math.sqrt(Math.PI);
const GELU_BETA = SQRT2 * M_2_SQRTPI * 0.5, GELU_KAPPA = 0.044715;
export interface GeluOpts { approximate?: "none" | "tanh" }

/** GELU's gradient in one pass (`op` names it for the fast backends, `f` computes it in float64
 *  for the reference), when no graph of it is wanted (Note [Fused backward] in ops/reduce.ts);
 *  null otherwise, for the formula in Tensor ops. */
function geluGradFused(g: Tensor, x: Tensor, op: string, f: (g: number, x: number) => number): Tensor | null {
  if (is_grad_enabled() || g.dtype !== x.dtype || !sameShape(g.shape, x.shape)) return null;
  return K.binary(g, x, f, x.dtype, x.shape.slice(), undefined, op);
}
/** GELU, exact (x·Φ(x)) or with PyTorch's tanh approximation (GeluBackward0). */
export function gelu(input: Tensor, approximate: "none" | "tanh" | GeluOpts = "none"): Tensor {
  const a = typeof approximate === "string" ? approximate : approximate.approximate ?? "none";
  if (a !== "none" && a !== "tanh") throw new Error("approximate argument must be either none or tanh.");
  if (a === "none") {
    return pointwise("GeluBackward0", "GeluKernelImpl", input, (v) => v * 0.5 * (1 + erf(v * SQRT1_2)), (g, x) => {
      const fused = geluGradFused(g, x, "gelu_backward", (gv, v) => gv * (0.5 * (1 + erf(v * SQRT1_2)) + v * Math.exp(-0.5 * v * v) * M_2_SQRTPI * SQRT1_2 * 0.5));
      if (fused) return fused;
      const cdf = x.mul(SQRT1_2).erf().add(1).mul(0.5);
      const pdf = x.square().mul(-0.5).exp().mul(M_2_SQRTPI * SQRT1_2 * 0.5);
      return g.mul(cdf.add(x.mul(pdf)));
    }, "gelu");
  }
  return pointwise("GeluBackward0", "GeluKernelImpl", input, (v) => 0.5 * v * (1 + Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v))), (g, x) => {
    const fused = geluGradFused(g, x, "gelu_tanh_backward", (gv, v) => {
      const t = Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v));
      return gv * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * v * v));
    });
    if (fused) return fused;
    const xsq = x.square();
    const t = x.add(xsq.mul(x).mul(GELU_KAPPA)).mul(GELU_BETA).tanh();
    const left = x.mul(0.5), right = t.add(1);
    const dLeft = right.mul(0.5);
    const dRight = left.mul(t.square().rsub(1)).mul(xsq.mul(3 * GELU_KAPPA).add(1).mul(GELU_BETA));
    return g.mul(dLeft.add(dRight));
  }, "gelu_tanh");
}

const sigmoidScalar = (v: number) => 1 / (1 + Math.exp(-v));
function siluImpl(x: Tensor): Tensor {
  return pointwise("SiluBackward0", "silu_cpu", x, (v) => v * sigmoidScalar(v), (g, xs) => {
    const s = xs.sigmoid();
    return g.mul(s.mul(xs.mul(s.rsub(1)).add(1)));
  }, "silu");
}
export function silu(input: Tensor, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => siluImpl(input)) : siluImpl(input);
}

/** softplus without threshold, stable for large |x| (Tensor ops, for the formulas) */
const softplusStable = (x: Tensor) => x.relu().add(x.abs().neg().exp().log1p());
function mishImpl(x: Tensor): Tensor {
  return pointwise("MishBackward0", "mish_cpu", x, (v) => v * Math.tanh(v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))), (g, xs) => {
    const tsp = softplusStable(xs).tanh();
    return g.mul(tsp.add(xs.mul(xs.sigmoid()).mul(tsp.square().rsub(1))));
  }, "mish");
}
export function mish(input: Tensor, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => mishImpl(input)) : mishImpl(input);
}

function hardswishImpl(x: Tensor): Tensor {
  return pointwise("HardswishBackward0", "hardswish_cpu", x, (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6,
    (g, xs) => where(xs.lt(-3), 0, where(xs.le(3), g.mul(xs.div(3).add(0.5)), g)), "hardswish");
}
export function hardswish(input: Tensor, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => hardswishImpl(input)) : hardswishImpl(input);
}
// PyTorch's hardsigmoid_backward multiplies by one_sixth = 1.0f / 6.0f, a float32 constant, in every dtype
const ONE_SIXTH_F32 = Math.fround(1 / 6);
function hardsigmoidImpl(x: Tensor): Tensor {
  return pointwise("HardsigmoidBackward0", "hardsigmoid_cpu", x, (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
    (g, xs) => where(xs.gt(-3).logical_and(xs.lt(3)), g.mul(ONE_SIXTH_F32), 0), "hardsigmoid");
}
export function hardsigmoid(input: Tensor, inplace_ = false): Tensor {
  return inplace_ ? inplace(input, () => hardsigmoidImpl(input)) : hardsigmoidImpl(input);
}

/** log(1 + exp(beta·x)) / beta, linear where beta·x > threshold (SoftplusBackward0). */
export function softplus(input: Tensor, beta = 1, th = 20): Tensor {
  return pointwise("SoftplusBackward0", "softplus_cpu", input, (v) => (v * beta > th ? v : Math.log1p(Math.exp(v * beta)) / beta),
    (g, x) => { const bx = x.mul(beta); return where(bx.gt(th), g, g.mul(bx.sigmoid())); }, "softplus", [beta, th]);
}

export function softsign(input: Tensor): Tensor { return input.div(input.abs().add(1)); }
export function tanhshrink(input: Tensor): Tensor { return input.sub(input.tanh()); }
export function sigmoid(input: Tensor): Tensor { return input.sigmoid(); }
export function tanh(input: Tensor): Tensor { return input.tanh(); }

/** log(sigmoid(x)), stable (LogSigmoidBackward0). */
export function logsigmoid(input: Tensor): Tensor {
  return pointwise("LogSigmoidBackward0", "log_sigmoid_cpu", input, (v) => Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v))),
    (g, x) => g.mul(x.neg().sigmoid()), "logsigmoid");
}

/** PyTorch's _get_softmax_dim, for the deprecated implicit-dim calls. */
function softmaxDim(name: string, ndim: number): number {
  const d = ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
  warnOnce(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return d;
}
export interface SoftmaxOpts { dim?: number | null; dtype?: DType | null }
// F.softmax(input, dim=None, _stacklevel=3, dtype=None) and its kin (_stacklevel only steers
// Python's warning)
const softmaxDimOf = (name: string, input: Tensor, dim: number | null) => (dim === null ? softmaxDim(name, input.ndim) : dim);
export function softmax(input: Tensor, dim: number | null = null, _stacklevel = 3, dtype: DType | null = null): Tensor {
  const d = softmaxDimOf("softmax", input, dim);
  return dtype ? input.softmax(d, { dtype }) : input.softmax(d);
}
export function log_softmax(input: Tensor, dim: number | null = null, _stacklevel = 3, dtype: DType | null = null): Tensor {
  const d = softmaxDimOf("log_softmax", input, dim);
  return dtype ? input.log_softmax(d, { dtype }) : input.log_softmax(d);
}
export function softmin(input: Tensor, dim: number | null = null, _stacklevel = 3, dtype: DType | null = null): Tensor {
  const d = softmaxDimOf("softmin", input, dim);
  return dtype ? input.neg().softmax(d, { dtype }) : input.neg().softmax(d);
}

/** PReLU: x for x > 0, weight·x otherwise, weight broadcast over dim 1 (PreluKernelBackward0). */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  if (input.dtype !== weight.dtype) throw new Error(`prelu: Type promoting not supported. Got ${scalarTypeName(input.dtype)} and ${scalarTypeName(weight.dtype)}`);
  if (weight.numel() !== 1) {
    if (input.ndim === 0) throw new Error("Not allow zero-dim input tensor.");
    const channels = input.ndim > 1 ? input.shape[1]! : 1;
    if (channels !== weight.numel())
      throw new Error(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${weight.numel()} and channel size = ${channels}.`);
  }
  if (weight.ndim > 1) throw new Error(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got: ndim = ${weight.ndim}`);
  checkFloat(input, "prelu_cpu");
  let w = weight;
  if (input.ndim !== weight.ndim) {
    const dims = new Array<number>(input.ndim).fill(1);
    if (input.ndim > 1) dims[1] = weight.numel();
    w = weight.reshape(dims);
  }
  const xd = input.detach(), wd = w.detach();
  const y = K.contiguousCopy(where(xd.gt(0), xd, wd.mul(xd)));
  return record("PreluKernelBackward0", [input, w], y, ([g], [xs, ws]) => {
    const pos = xs!.gt(0);
    return [where(pos, g!, ws!.mul(g!)), where(pos, 0, xs!.mul(g!))];
  }, [input, w]);
}

// ---------------------------------------------------------------------------------------------
// glu, shrinkage and randomized ReLU

/** The first half of `dim` gated by the sigmoid of the second: a·σ(b) (GluBackward0). */
export function glu(input: Tensor, dim: number | { dim?: number } = -1): Tensor {
  const d0 = typeof dim === "number" ? dim : dim.dim ?? -1;
  if (input.ndim === 0) throw new Error("glu does not support scalars because halving size must be even");
  const d = normDim(d0, input.ndim), n = input.shape[d]!;
  if (n % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${d} is size ${n}`);
  checkFloat(input, "glu_cpu");
  const h = n / 2;
  const y = no_grad(() => { const x = input.detach(); return K.contiguousCopy(x.narrow(d, 0, h).mul(x.narrow(d, h, h).sigmoid())); });
  // glu_backward: [g·σ(b), g·a·σ(b)·(1 − σ(b))] along dim
  return record("GluBackward0", [input], y, ([g], [xs]) => {
    const a = xs!.narrow(d, 0, h), s = xs!.narrow(d, h, h).sigmoid(), ga = g!.mul(s);
    return [cat([ga, ga.mul(a).mul(s.rsub(1))], d)];
  }, [input]);
}

/** λ as the shrink kernels compare with it: lambd.to<opmath_t>(), float for every dtype but double. */
const kernelLambd = (x: Tensor, l: number) => (x.dtype.name === "float64" ? l : Math.fround(l));

/** x − λ above λ, x + λ below −λ, 0 between (SoftshrinkBackward0). */
export function softshrink(input: Tensor, lambd: number | { lambd?: number } = 0.5): Tensor {
  const l = typeof lambd === "number" ? lambd : lambd.lambd ?? 0.5;
  // 2.x checks the dtype first (its softshrink_check dispatch), then λ against the dtype's range
  checkFloat(input, "softshrink_check");
  const max = finfo(input.dtype).max;
  if (!(l >= 0 && l <= max))
    throw new Error(`lambda must be in range [0, ${fmtDouble(max)}] for input dtype ${scalarTypeName(input.dtype)}, but found ${fmtDouble(l)}`);
  const lk = kernelLambd(input, l);
  // `a * 0` between the bounds, as the kernel: NaN stays NaN, a negative input gives -0
  return pointwise("SoftshrinkBackward0", "softshrink_cpu", input, (v) => (v > lk ? v - lk : v < -lk ? v + lk : v * 0),
    (g, x) => where(x.ge(-lk).logical_and(x.le(lk)), 0, g), "softshrink", [lk]);
}

/** x where |x| > λ, else 0 (HardshrinkBackward0). */
export function hardshrink(input: Tensor, lambd: number | { lambd?: number } = 0.5): Tensor {
  const l = typeof lambd === "number" ? lambd : lambd.lambd ?? 0.5;
  const lk = kernelLambd(input, l);
  return pointwise("HardshrinkBackward0", "hardshrink_cpu", input, (v) => (v >= -lk && v <= lk ? 0 : v),
    (g, x) => where(x.ge(-lk).logical_and(x.le(lk)), 0, g), "hardshrink", [lk]);
}


/**
 * Randomized leaky ReLU (aten::rrelu_with_noise; RreluWithNoiseBackward0, 1 in place). Training:
 * each element x ≤ 0 is multiplied by its own slope r ~ U(lower, upper), drawn in element order
 * from the default generator as PyTorch's CPU kernel draws it (uniform_real_distribution<double>
 * over the bounds cast to the input's opmath type: 53 bits of random64(), x·(upper − lower) + lower,
 * then cast to the dtype), and the gradient is g·noise. Evaluation: leaky_relu with slope
 * (lower + upper) / 2. F.rrelu(input, lower=1/8, upper=1/3, training=false, inplace=false).
 */
export function rrelu(input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false, inplace_ = false): Tensor {
  if (!(lower <= upper)) throw new Error("Lower bound should be less than or equal to the upper bound");
  const f = (node: string) => rreluImpl(input, lower, upper, training, node);
  return inplace_ ? inplace(input, () => f("RreluWithNoiseBackward1")) : f("RreluWithNoiseBackward0");
}

function rreluImpl(x: Tensor, lower: number, upper: number, training: boolean, node: string): Tensor {
  if (!training) {
    // 2.x's rrelu_with_noise_backward takes leaky_relu_backward with the same slope in eval mode
    const slope = (lower + upper) / 2, sk = kernelLambd(x, slope);
    return pointwise(node, "leaky_relu_cpu", x, (v) => (v > 0 ? v : v * sk), (g, xs) => where(xs.gt(0), g, g.mul(sk)), "leaky_relu", [sk]);
  }
  checkFloat(x, "rrelu_with_noise_out_cpu");
  const d = x.dtype, exact = d.name === "float64";
  const lo = exact ? lower : Math.fround(lower), range = (exact ? upper : Math.fround(upper)) - lo;
  const xv = K.values(x.detach()), n = xv.length;
  const noise = new Float64Array(n), out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = xv[i]!;
    if (v <= 0) {
      // Activation.cpp is compiled once, for the baseline ISA: no fused multiply-add here
      const u = default_generator.uniform53() * range + lo;
      const r = exact ? u : Math.fround(u);
      noise[i] = r;
      out[i] = v * r; // exact in double for float32 operands; fromNumbers rounds once
    } else {
      noise[i] = 1;
      out[i] = v;
    }
  }
  const y = Tensor.fromStorage(K.fromNumbers(out, d), x.shape, d);
  const N = Tensor.fromStorage(K.fromNumbers(noise, d), x.shape, d);
  return record(node, [x], y, ([g]) => [g!.mul(N)]);
}

// ---------------------------------------------------------------------------------------------
// linear maps

/** y = x·Wᵀ + b, by PyTorch 2.x's at::linear paths (so grad_fn names match): addmm for 2-d input
 *  with bias; addmm on the input flattened to 2-d, viewed back (ViewBackward0), for any other
 *  contiguous input with a contiguous 1-d bias; else matmul (+ add). */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (input.ndim === 0 || weight.ndim === 0)
    throw new Error(`both arguments to linear need to be at least 1D, but they are ${input.ndim}D and ${weight.ndim}D`);
  const wt = weight.t();
  if (bias !== null && bias !== undefined) {
    if (input.ndim === 2) return bias.addmm(input, wt);
    const fusable = bias.is_contiguous() && (bias.ndim === 1 || bias.squeeze().ndim === 1);
    if (fusable && input.is_contiguous()) {
      const sizes = input._shape.slice();
      let flat = 1;
      for (let i = 0; i < sizes.length - 1; i++) flat *= sizes[i]!;
      const res = bias.addmm(input.reshape(flat, sizes[sizes.length - 1]!), wt);
      return res.view([...sizes.slice(0, -1), res._shape[1]!]);
    }
    return input.matmul(wt).add(bias);
  }
  return input.matmul(wt);
}

/** y[…, o] = Σᵢⱼ x1[…, i]·W[o, i, j]·x2[…, j] + b[o] */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (input1.ndim !== input2.ndim) throw new Error(`bilinear(): input dimensions do not match: got ${input1.ndim} and ${input2.ndim}`);
  for (let i = 0; i < input1.ndim - 1; i++)
    if (input1.shape[i] !== input2.shape[i]) throw new Error(`bilinear(): input batch dimensions do not match: got ${input1.shape[i]} and ${input2.shape[i]}`);
  const I = input1.shape[input1.ndim - 1]!, J = input2.shape[input2.ndim - 1]!, O = weight.shape[0]!;
  if (I !== weight.shape[1]) throw new Error(`bilinear(): input1 size does not match weight size: got ${I} but expected ${weight.shape[1]}`);
  if (J !== weight.shape[2]) throw new Error(`bilinear(): input2 size does not match weight size: got ${J} but expected ${weight.shape[2]}`);
  if (bias && bias.shape[0] !== O) throw new Error(`bilinear(): bias size does not match weight size: got ${bias.shape[0]} but expected ${O}`);
  const outSize = [...input1.shape.slice(0, -1), O];
  const x1 = input1.reshape(-1, I), x2 = input2.reshape(-1, J);
  // (x1 @ W as [I, O·J]) then contract j with x2
  const t = x1.matmul(weight.permute(1, 0, 2).reshape(I, O * J)).reshape(-1, O, J);
  const out = t.mul(x2.unsqueeze(1)).sum(-1).reshape(outSize);
  return bias ? out.add(bias) : out;
}

// ---------------------------------------------------------------------------------------------
// dropout

/** Zeroes elements with probability p and scales the rest by 1/(1-p), in training only. The mask
 *  is drawn by bernoulli_(1 - p) from the default generator, as PyTorch's CPU kernel does, so
 *  the same seed drops the same elements. Returns the input itself when not training or p is 0. */
export function dropout(input: Tensor, p = 0.5, training = true, ip = false): Tensor {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${formatPyFloat(p)}`);
  if (p === 0 || !training || input.numel() === 0) return input;
  let noise: Tensor;
  if (p === 1) noise = Tensor.empty([], input.dtype);
  else {
    // (empty_like: in the input's layout, so bernoulli_ draws in its memory order, as PyTorch's;
    // bernoulli_ writes it all)
    noise = Tensor.empty(input.shape, input.dtype, input.device, false, stridesLike(input._shape, input._strides, preserve_format));
    noise.bernoulli_(1 - p);
    noise.div_(1 - p);
  }
  return ip ? input.mul_(noise) : input.mul(noise);
}

/** Channel-wise dropout (PyTorch's feature_dropout): one bernoulli(1 − p) draw per [N, C] entry,
 *  scaled by 1/(1-p) and broadcast over the positions, drawn as PyTorch draws it. */
export function featureDropout(input: Tensor, p: number, training: boolean, ip: boolean): Tensor {
  if (p === 0 || !training || input.numel() === 0) return input;
  if (input.ndim < 2) throw new Error("Feature dropout requires at least 2 dimensions in the input");
  let noise: Tensor;
  if (p === 1) noise = Tensor.empty([], input.dtype);
  else {
    noise = Tensor.empty([input.shape[0]!, input.shape[1]!, ...input.shape.slice(2).map(() => 1)], input.dtype, input.device);
    noise.bernoulli_(1 - p);
    noise.div_(1 - p);
  }
  return ip ? input.mul_(noise) : input.mul(noise);
}

/** ATen's _dropout_impl with alpha_dropout (torch.alpha_dropout and its feature_ and in-place
 *  forms): noise = bernoulli(1 - p) (one draw per [N, C] entry for the feature form), then
 *  input·a·noise + b with SELU's alpha, so that mean and variance are kept; p = 1 gives zeros. */
export function alphaDropout(input: Tensor, p: number, train: boolean, feature: boolean, ip: boolean): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !train || input.numel() === 0) return input;
  if (p === 1) return ip ? input.mul_(0) : input.mul(0);
  if (feature && input.ndim < 2) throw new Error("Feature dropout requires at least 2 dimensions in the input");
  const shape = feature ? [input.shape[0]!, input.shape[1]!, ...input.shape.slice(2).map(() => 1)] : input.shape.slice();
  const noise = Tensor.empty(shape, input.dtype, input.device).bernoulli_(1 - p);
  const alpha = 1.7580993408473766, a = 1 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
  const b = noise.add(-1).mul_(alpha * a).add_(alpha * a * p);
  noise.mul_(a);
  return ip ? input.mul_(noise).add_(b) : input.mul(noise).add_(b);
}

/** F.alpha_dropout(input, p=0.5, training=False, inplace=False): dropout that keeps SELU's self-
 *  normalisation (nn.AlphaDropout's). */
export function alpha_dropout(input: Tensor, p = 0.5, training = false, ip = false): Tensor {
  if (p < 0 || p > 1) throw pyError("ValueError", `dropout probability has to be between 0 and 1, but got ${formatPyFloat(p)}`);
  return alphaDropout(input, p, training, false, ip);
}
/** F.feature_alpha_dropout(input, p=0.5, training=False, inplace=False): alpha dropout of whole
 *  channels (nn.FeatureAlphaDropout's). */
export function feature_alpha_dropout(input: Tensor, p = 0.5, training = false, ip = false): Tensor {
  if (p < 0 || p > 1) throw pyError("ValueError", `dropout probability has to be between 0 and 1, but got ${formatPyFloat(p)}`);
  return alphaDropout(input, p, training, true, ip);
}

function checkDropoutP(p: number): void {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${formatPyFloat(p)}`);
}

/** Zeroes whole channels of [N, C, L] (or [C, L]) with probability p: F.dropout1d(input, p=0.5,
 *  training=true, inplace=false). */
export function dropout1d(input: Tensor, p = 0.5, training = true, ip = false): Tensor {
  checkDropoutP(p);
  if (input.ndim !== 2 && input.ndim !== 3)
    throw new Error(`dropout1d: Expected 2D or 3D input, but received a ${input.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  if (input.ndim === 3) return featureDropout(input, p, training, ip);
  // unbatched: as a batch of one (in place, through the view, the input itself is written)
  const r = featureDropout(input.unsqueeze(0), p, training, ip);
  return ip ? input : r.squeeze(0);
}

/** Zeroes whole channels of [N, C, H, W] with probability p: F.dropout2d(input, p=0.5,
 *  training=true, inplace=false). A 3-d input is taken as [N, C, L], as PyTorch 2.x does (with its
 *  warning). */
export function dropout2d(input: Tensor, p = 0.5, training = true, ip = false): Tensor {
  checkDropoutP(p);
  const nd = input.ndim;
  if (nd !== 3 && nd !== 4)
    warnOnce(`dropout2d: Received a ${nd}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`);
  if (nd === 3)
    warnOnce("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.");
  return featureDropout(input, p, training, ip);
}

/** Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) with probability p:
 *  F.dropout3d(input, p=0.5, training=true, inplace=false); other ranks are taken as batched, as
 *  PyTorch 2.x does (with its warning). */
export function dropout3d(input: Tensor, p = 0.5, training = true, ip = false): Tensor {
  checkDropoutP(p);
  const nd = input.ndim;
  if (nd !== 4 && nd !== 5)
    warnOnce(`dropout3d: Received a ${nd}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`);
  if (nd === 5) return featureDropout(input, p, training, ip);
  // unbatched: as a batch of one (in place, through the view, the input itself is written)
  const r = featureDropout(input.unsqueeze(0), p, training, ip);
  return ip ? input : r.squeeze(0);
}

// ---------------------------------------------------------------------------------------------
// channel shuffle

/** Channels [N, g·k, *] regrouped as [N, k·g, *]: view as [N, g, k, *], swap dims 1 and 2
 *  (ChannelShuffleBackward0, whose backward is the shuffle with C/g groups). */
export function channel_shuffle(input: Tensor, groups: number | { groups: number }): Tensor {
  const g = typeof groups === "number" ? groups : groups.groups;
  if (input.ndim <= 2) throw new Error(`channel_shuffle expects input with > 2 dims, but got input with sizes ${listStr(input.shape)}`);
  const c = input.shape[1]!;
  if (!(g > 0)) throw new Error(`Number of groups to divide channels in must be positive. Value of groups:${g}`);
  if (c % g !== 0) throw new Error(`Number of channels must be divisible by groups. Got ${c} channels and ${g} groups.`);
  return channelShuffle(input, g);
}
function channelShuffle(x: Tensor, groups: number): Tensor {
  const shape = x.shape.slice(), [n, c] = shape as [number, number];
  const y = K.contiguousCopy(x.detach().reshape([n, groups, c / groups, ...shape.slice(2)]).transpose(1, 2));
  const out = new Tensor(y._storage, shape, contiguousStrides(shape), y._offset, y.dtype, y.device);
  // (no channels: nothing to move, and C/g = 0 groups would be refused)
  return record("ChannelShuffleBackward0", [x], out, ([gr]) => [c === 0 ? gr! : channelShuffle(gr!, c / groups)]);
}

// ---------------------------------------------------------------------------------------------
// embedding


function checkIndices(input: Tensor, op: string): void {
  if (input.dtype !== int64 && input.dtype !== int32)
    throw new Error(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.type()} instead (while checking arguments for ${op})`);
}

/** torch.embedding_renorm_: rows looked up by `input` whose norm exceeds max_norm are scaled down
 *  to it, in place (under no_grad). */
export function embedding_renorm_(weight: Tensor, input: Tensor, max_norm: number, norm_type: number): Tensor {
  checkIndices(input, "embedding_renorm_");
  const idx = [...new Set(Array.from(K.values(input.contiguous())))].sort((a, b) => a - b);
  no_grad(() => {
    for (const i of idx) {
      if (i < 0 || i >= weight.shape[0]!) throw new RangeError("index out of range in self");
      const row = weight.select(0, i);
      const norm = vector_norm(row, norm_type).item();
      if (norm > max_norm) row.mul_(max_norm / (norm + 1e-7));
    }
  });
  return weight;
}

/** Rows of `weight` looked up by the int64 (or int32) indices in `input` (EmbeddingBackward0).
 *  With padding_idx, that row gets no gradient; with max_norm, looked-up rows are renormalised in
 *  place first; with scale_grad_by_freq, gradients are divided by each index's count in the
 *  batch. `sparse` is accepted but the gradient is dense (typetorch has no sparse tensors). */
export function embedding(input: Tensor, weight: Tensor, padding_idx: number | null = null, max_norm: number | null = null, norm_type = 2,
  scale_grad_by_freq = false, _sparse = false): Tensor {
  const V = weight.shape[0]!;
  let pad = -1;
  if (padding_idx !== null) {
    if (padding_idx > 0 && !(padding_idx < V)) throw new Error("Padding_idx must be within num_embeddings");
    if (padding_idx < 0 && !(padding_idx >= -V)) throw new Error("Padding_idx must be within num_embeddings");
    pad = padding_idx < 0 ? V + padding_idx : padding_idx;
  }
  if (weight.ndim !== 2) throw new Error("'weight' must be 2-D");
  checkIndices(input, "embedding");
  if (max_norm !== null) embedding_renorm_(weight, input.contiguous(), max_norm, norm_type);
  const flat = input.reshape(-1).to(int64);
  const iv = K.values(flat);
  for (let k = 0; k < iv.length; k++) if (iv[k]! < 0 || iv[k]! >= V) throw new RangeError("index out of range in self");
  const D = weight.shape[1]!;
  // the looked-up rows' fresh storage, seen as the output (not a view of them: no copy either)
  const rows = weight.detach().index_select(0, flat), y = rows.is_contiguous() ? rows : K.contiguousCopy(rows), shape = [...input.shape, D];
  const out = new Tensor(y._storage, shape, contiguousStrides(shape), y._offset, y.dtype, y.device);
  const scaleByFreq = scale_grad_by_freq;
  return record("EmbeddingBackward0", [weight], out, ([g]) => {
    // embedding_dense_backward: each looked-up row's gradient added into a zero [V, D], the rows of
    // padding_idx skipped (not multiplied by 0: a NaN there leaves that row 0, as in PyTorch), each
    // divided by its index's count in the batch with scale_grad_by_freq
    let rows = g!.reshape(-1, D), idx: ArrayLike<number> = iv;
    const int = (v: ArrayLike<number>) => K.onDeviceOf(Tensor.fromStorage(K.fromNumbers(v, int64), [v.length], int64), g!);
    if (pad >= 0 && Array.prototype.includes.call(iv, pad)) {
      const keep: number[] = [];
      for (let k = 0; k < iv.length; k++) if (iv[k] !== pad) keep.push(k);
      rows = rows.index_select(0, int(keep));
      idx = keep.map((k) => iv[k]!);
    }
    if (scaleByFreq) {
      const counts = new Map<number, number>();
      for (let k = 0; k < iv.length; k++) counts.set(iv[k]!, (counts.get(iv[k]!) ?? 0) + 1);
      const f = Float64Array.from(idx, (i) => 1 / counts.get(i)!);
      rows = rows.mul(K.onDeviceOf(Tensor.fromStorage(K.fromNumbers(f, g!.dtype), [f.length, 1], g!.dtype), g!));
    }
    if (!is_grad_enabled() && K.isNumberNative(g!.dtype)) {
      // (no graph wanted: added in place into the zeros)
      const gw = g!.new_zeros([V, D]);
      K.indexAddInto(gw, 0, idx, rows);
      return [gw];
    }
    return [g!.new_zeros([V, D]).index_add(0, int(idx), rows)];
  });
}

/**
 * The scale_grad_by_freq factor of each index value, as embedding_bag's CPU backward computes it.
 * Note [embedding_bag frequency scaling]: _embedding_bag_dense_backward_cpu_sum_mean walks the
 * sorted indices in groups of equal values and divides group i by counts[sorted[i]], the count of
 * the value at sorted *position* i rather than of group i's own value (PyTorch 1.x and 2.x alike).
 * We reproduce it, so that gradients match PyTorch's; nn.Embedding's kernel divides correctly.
 */
function bagFreqScale(indices: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < indices.length; i++) counts.set(indices[i]!, (counts.get(indices[i]!) ?? 0) + 1);
  const sorted = Array.from(indices).sort((a, b) => a - b);
  const scale = new Map<number, number>();
  [...counts.keys()].sort((a, b) => a - b).forEach((v, group) => scale.set(v, 1 / counts.get(sorted[group]!)!));
  return scale;
}

export interface EmbeddingBagOpts {
  offsets?: Tensor | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; mode?: string;
  sparse?: boolean; per_sample_weights?: Tensor | null; include_last_offset?: boolean; padding_idx?: number | null;
}

/**
 * Sums, means or maxima of bags of embedding rows without materialising the rows
 * (EmbeddingBagBackward0): F.embedding_bag(input, weight, offsets=None, max_norm=None,
 * norm_type=2, scale_grad_by_freq=false, mode='mean', sparse=false, per_sample_weights=None,
 * include_last_offset=false, padding_idx=None). A 2-d input is a batch of equal bags; a 1-d input
 * is cut into bags at `offsets`. Entries equal to padding_idx are skipped (and not counted by
 * 'mean'); an empty bag gives zeros. The gradient is dense (no sparse tensors here).
 */
export function embedding_bag(input: Tensor, weight: Tensor, opts: EmbeddingBagOpts = {}): Tensor {
  const o: Required<EmbeddingBagOpts> = {
    offsets: null, max_norm: null, norm_type: 2, scale_grad_by_freq: false, mode: "mean", sparse: false, per_sample_weights: null,
    include_last_offset: false, padding_idx: null, ...opts,
  };
  let psw = o.per_sample_weights, offsets = o.offsets, indices = input;
  if (psw && !sameShape(input.shape, psw.shape))
    throw new Error(`embedding_bag: If per_sample_weights (${sizeStr(psw.shape)}) is not None, then it must have the same shape as the input (${sizeStr(input.shape)})`);
  if (weight.ndim !== 2) throw new Error(`weight has to be a 2D Tensor, but got Tensor of dimension ${weight.ndim}`);
  if (input.ndim === 2) {
    if (offsets) throw new Error("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>");
    const [B, S] = input.shape as [number, number];
    offsets = Tensor.fromStorage(K.fromNumbers(Array.from({ length: B }, (_, b) => b * S), input.dtype), [B], input.dtype);
    indices = input.reshape(-1);
    if (psw) psw = psw.reshape(-1);
  } else if (input.ndim === 1) {
    if (!offsets) throw new Error("offsets has to be a 1D Tensor but got None");
    if (offsets.ndim !== 1) throw new Error("offsets has to be a 1D Tensor");
  } else {
    throw new Error(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  const mode = o.mode;
  if (mode === "max") {
    if (o.scale_grad_by_freq) throw new Error("max mode does not support scaling the gradient by the frequency");
    if (o.sparse) throw new Error("max mode does not support sparse weights");
  } else if (mode !== "sum" && mode !== "mean") throw new Error("mode has to be one of sum, mean or max");
  if (psw && mode !== "sum")
    throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  checkIndices(indices, "embedding_bag");
  if (offsets.dtype !== int64 && offsets.dtype !== int32)
    throw new Error(`Expected tensor for argument #1 'offsets' to have one of the following scalar types: Long, Int; but got ${offsets.type()} instead (while checking arguments for embedding_bag)`);
  const V = weight.shape[0]!, D = weight.shape[1]!;
  let pad = -1;
  if (o.padding_idx !== null) {
    if (!(o.padding_idx >= -V && o.padding_idx < V))
      throw new Error(`padding_idx must be within the number of embeddings, -${V} through ${V - 1}, but got ${o.padding_idx}`);
    pad = o.padding_idx < 0 ? o.padding_idx + V : o.padding_idx;
  }
  const ov = Array.from(K.values(offsets.contiguous())), iv = K.values(indices.contiguous()), L = iv.length;
  if (ov.length > 0) {
    if (ov[0] !== 0)
      throw new Error(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${ov[0]}\n[ torch.${offsets.dtype === int64 ? "Long" : "Int"}Tensor{} ]`);
    if (ov[ov.length - 1]! > L) throw new Error(`offsets[-1] can not be greater than input's length ${L} but got offsets[-1] of ${ov[ov.length - 1]}`);
  }
  if (o.include_last_offset && ov.length < 1) throw new Error("include_last_offset: number of offset should be at least 1");
  // the float32 sum/mean kernel without padding_idx is fbgemm's, which words its range error apart
  const fbgemm = weight.dtype.name === "float32" && mode !== "max" && pad < 0 && !psw;
  for (let i = 0; i < L; i++) {
    const idx = iv[i]!;
    if (!(idx >= 0 && idx < V)) {
      throw new Error(fbgemm ? `Index ${i} of input takes value ${idx} which is not in the valid range [0, ${V})`
        : `embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be ${idx}`);
    }
  }
  if (o.max_norm !== null) embedding_renorm_(weight, indices, o.max_norm, o.norm_type);

  // bags: [start, end) over the indices; 'mean' divides by PyTorch's bag_size (the offsets'
  // differences, the last bag running to the end of the input), less the padding entries
  const B = o.include_last_offset ? ov.length - 1 : ov.length;
  const start = (b: number) => ov[b]!, end = (b: number) => (b + 1 < ov.length ? ov[b + 1]! : L);
  const bagOf = new Float64Array(L).fill(-1), count = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    count[b] = (b + 1 < B ? ov[b + 1]! : L) - start(b);
    for (let i = start(b); i < end(b); i++) { bagOf[i] = b; if (iv[i] === pad) count[b]--; }
  }
  const wv = K.values(weight.detach().contiguous()), pv = psw ? K.values(psw.detach().contiguous()) : null;
  const out = new Float64Array(B * D), argmax = new Float64Array(B * D).fill(-1);
  for (let i = 0; i < L; i++) {
    const b = bagOf[i]!, idx = iv[i]!;
    if (b < 0 || idx === pad) continue;
    for (let k = 0; k < D; k++) {
      const v = wv[idx * D + k]!;
      if (mode === "max") {
        if (argmax[b * D + k]! < 0 || v > out[b * D + k]!) { out[b * D + k] = v; argmax[b * D + k] = idx; }
      } else out[b * D + k] += pv ? v * pv[i]! : v;
    }
  }
  if (mode === "mean") for (let b = 0; b < B; b++) if (count[b]! > 0) for (let k = 0; k < D; k++) out[b * D + k] /= count[b]!;
  const d = weight.dtype;
  const y = Tensor.fromStorage(K.fromNumbers(out, d), [B, D], d);

  // Backward constants: each input entry's bag and its factor (0 for padding and for entries in
  // no bag, 1/bag_size for 'mean', 1/frequency with scale_grad_by_freq); for 'max', the flat
  // position of each maximum in the weight (empty bags send nothing).
  const freqScale = o.scale_grad_by_freq ? bagFreqScale(iv) : null;
  const factor = new Float64Array(L), bagIdx = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    const b = bagOf[i]!, idx = iv[i]!;
    bagIdx[i] = Math.max(b, 0);
    if (b < 0 || idx === pad) continue;
    factor[i] = (mode === "mean" ? 1 / count[b]! : 1) * (freqScale ? freqScale.get(idx)! : 1);
  }
  const idxT = Tensor.fromStorage(K.fromNumbers(iv, int64), [L], int64);
  const bagT = Tensor.fromStorage(K.fromNumbers(bagIdx, int64), [L], int64);
  const facT = Tensor.fromStorage(K.fromNumbers(factor, d), [L, 1], d);
  return record("EmbeddingBagBackward0", [weight, psw], y, ([g], [ws, ps], needs) => {
    let gw: Tensor | null = null, gp: Tensor | null = null;
    if (needs[0]) {
      if (mode === "max") {
        const flat = new Float64Array(B * D), hit = new Float64Array(B * D);
        for (let j = 0; j < B * D; j++) if (argmax[j]! >= 0) { flat[j] = argmax[j]! * D + (j % D); hit[j] = 1; }
        const src = g!.reshape(-1).mul(Tensor.fromStorage(K.fromNumbers(hit, d), [B * D], d));
        gw = g!.new_zeros([V * D]).index_add(0, Tensor.fromStorage(K.fromNumbers(flat, int64), [B * D], int64), src).reshape(V, D);
      } else {
        let rows = g!.index_select(0, bagT).mul(facT);
        if (ps) rows = rows.mul(ps.unsqueeze(1));
        gw = g!.new_zeros([V, D]).index_add(0, idxT, rows);
      }
    }
    if (needs[1]) {
      // _embedding_bag_per_sample_weights_backward: ⟨g[bag], weight[index]⟩, 0 for padding entries
      gp = g!.index_select(0, bagT).mul(ws!.index_select(0, idxT)).sum(1).mul(facT.reshape(-1).ne(0));
      gp = gp.reshape(psw!.shape.slice());
    }
    return [gw, gp];
  }, [weight, psw]);
}

/** Integer class indices to one-hot int64 vectors (num_classes -1: max + 1). */
export function one_hot(tensor: Tensor, num_classes: number | { num_classes?: number } = -1): Tensor {
  const n0 = typeof num_classes === "number" ? num_classes : num_classes.num_classes ?? -1;
  if (tensor.dtype !== int64) throw new Error("one_hot is only applicable to index tensor of type LongTensor.");
  const v = K.values(tensor.contiguous());
  let n = n0;
  if (n === -1) {
    if (v.length === 0) throw new Error("Can not infer total number of classes from empty tensor.");
    n = Math.max(...Array.from(v)) + 1;
  }
  for (let k = 0; k < v.length; k++) {
    if (v[k]! < 0) throw new Error("Class values must be non-negative.");
    if (v[k]! >= n) throw new Error("Class values must be smaller than num_classes.");
  }
  const out = new BigInt64Array(v.length * n);
  for (let k = 0; k < v.length; k++) out[k * n + v[k]!] = 1n;
  return Tensor.fromStorage(out, [...tensor.shape, n], int64);
}

// ---------------------------------------------------------------------------------------------
// distances

export function cosine_similarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const shape = broadcast(x1.shape, x2.shape);
  const e1 = x1.broadcast_to(shape), e2 = x2.broadcast_to(shape);
  const n1 = vector_norm(e1, 2, dim, true).clone(), n2 = vector_norm(e2, 2, dim, true).clone();
  // PyTorch clamps the norms in place under no_grad: the gradient flows as if unclamped
  no_grad(() => { n1.clamp_min_(eps); n2.clamp_min_(eps); });
  return e1.div(n1).mul(e2.div(n2)).sum(dim);
}
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** x / max(‖x‖_p, eps) along dim. */
export function normalize(input: Tensor, p = 2, dim = 1, eps = 1e-12): Tensor {
  const denom = vector_norm(input, p, dim, true).clamp_min(eps).expand_as(input);
  return input.div(denom);
}

/** ‖x1 − x2 + eps‖_p over the last dim of the broadcast inputs, as at::pairwise_distance composes
 *  it (eps is added to the difference). F.pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=false). */
export function pairwise_distance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6, keepdim = false): Tensor {
  return atNorm(x1.sub(x2).add(eps), p, Math.max(x1.ndim, x2.ndim) - 1, keepdim);
}

/** at::norm(x, p, dim, keepdim), the ATen overload C++ composites call: one NormBackward1 node
 *  (Python's torch.norm goes through linalg.vector_norm instead). A 0-d x is its own norm's only
 *  element, as dim -1 wraps to it. */
function atNorm(x: Tensor, p: number, dim: number, keepdim: boolean): Tensor {
  const dims = x.ndim === 0 ? [] : [normDim(dim, x.ndim)];
  const y = no_grad(() => vector_norm(x.detach(), p, x.ndim === 0 ? null : dims, keepdim));
  return record("NormBackward1", [x], y, ([g], [xs, ys]) => [normBackward(g!, xs!, p, ys!, dims, keepdim)], [x, y]);
}

// ---------------------------------------------------------------------------------------------
// losses

export type Reduction = "none" | "mean" | "sum";
function checkReduction(r: string, extra: string[] = []): Reduction {
  if (r !== "none" && r !== "mean" && r !== "sum" && !extra.includes(r)) throw new Error(`${r} is not a valid value for reduction`);
  return r as Reduction;
}
function applyReduction(loss: Tensor, r: Reduction): Tensor {
  return r === "mean" ? loss.mean() : r === "sum" ? loss.sum() : loss;
}

function sizeWarning(input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape))
    warnOnce(`Using a target size (${sizeStr(target.shape)}) that is different to the input size (${sizeStr(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
}

/**
 * A loss of d = input − target, elementwise, as one recorded node: `f` gives each element's loss
 * (in float64, rounded once), `dd` the derivative dloss/dd in Tensor ops. The target's gradient
 * is the negated input gradient. Inputs broadcast against each other (PyTorch expands them first;
 * the engine sums each gradient back to its input's shape).
 */
function pointwiseLoss(node: string, input: Tensor, target: Tensor, r: Reduction, f: (d: number) => number, dd: (d: Tensor) => Tensor, op: string, kernel: string, params?: number[]): Tensor {
  const rt = promote_types(input.dtype, target.dtype);
  if (!rt.is_floating_point) throw new Error(`"${kernel}_cpu" not implemented for '${scalarTypeName(rt)}'`);
  const d = input.detach().sub(target.detach());
  const l = K.unary(d, f, d.dtype, op, params);
  const n = l.numel();
  // (a copy of its own, laid out as the (input, target) TensorIterator lays it out: Note [Memory formats])
  const out = copyAs(applyReduction(l, r), preserve_format);
  return record(node, [input, target], out, ([g], [xs, ts], needs) => {
    let gi = dd(xs!.sub(ts!)).mul(g!);
    if (r === "mean") gi = gi.div(n);
    return [needs[0] ? gi : null, needs[1] ? gi.neg() : null];
  }, [input, target]);
}

interface LossOpts extends LegacyReduction { reduction?: Reduction }

export function mse_loss(input: Tensor, target: Tensor, opts: LossOpts = {}): Tensor {
  sizeWarning(input, target);
  const r = checkReduction(reductionOf(opts));
  return pointwiseLoss("MseLossBackward0", input, target, r, (d) => d * d, (d) => d.mul(2), "square", "mse");
}

export function l1_loss(input: Tensor, target: Tensor, opts: LossOpts = {}): Tensor {
  sizeWarning(input, target);
  const r = checkReduction(reductionOf(opts));
  // PyTorch 2.x composes it: (input - target).abs(), then the reduction
  return applyReduction(input.sub(target).abs(), r);
}

export interface SmoothL1Opts extends LossOpts { beta?: number }
export function smooth_l1_loss(input: Tensor, target: Tensor, opts: SmoothL1Opts = {}): Tensor {
  sizeWarning(input, target);
  const r = checkReduction(reductionOf(opts));
  const beta = opts.beta ?? 1;
  if (beta === 0) return l1_loss(input, target, { reduction: r });
  if (beta < 0) throw new Error("smooth_l1_loss does not support negative values for beta.");
  return pointwiseLoss("SmoothL1LossBackward0", input, target, r,
    (d) => { const z = Math.abs(d); return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta; },
    (d) => where(d.le(-beta), -1, where(d.ge(beta), 1, d.div(beta))), "smooth_l1", "smooth_l1", [beta]);
}

export interface HuberOpts extends LossOpts { delta?: number }
export function huber_loss(input: Tensor, target: Tensor, opts: HuberOpts = {}): Tensor {
  sizeWarning(input, target);
  const r = checkReduction(opts.reduction ?? "mean");
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error("huber_loss does not support non-positive values for delta.");
  return pointwiseLoss("HuberLossBackward0", input, target, r,
    (d) => { const z = Math.abs(d); return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta); },
    (d) => where(d.le(-delta), -delta, where(d.ge(delta), delta, d)), "huber", "huber", [delta]);
}

export interface NllOpts extends LossOpts { weight?: Tensor | null; ignore_index?: number }

/** The nll_loss kernel on input [N, C, S] (or [C]) and target [N, S] (or []): one node with a
 *  constant gradient mask (−w[t] at each target class, divided by Σw for 'mean'). */
function nllCore(input: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, ignore: number, node: string, outShape: number[]): Tensor {
  if (input.device.type !== "cpu") return nllOnDevice(input, target, weight, r, ignore, node, outShape);
  const batched = input.ndim > 1;
  const C = batched ? input.shape[1]! : input.shape[0]!;
  const N = batched ? input.shape[0]! : 1;
  let S = 1;
  for (let i = 2; i < input.ndim; i++) S *= input.shape[i]!;
  const xv = K.values(input.detach().contiguous());
  const tv = K.values(target.contiguous());
  const wv = weight ? K.values(weight.contiguous()) : null;
  const losses = new Float64Array(N * S);
  // the gradient is sparse: -w at each target entry (hits[k], of sample samples[k]), 0 elsewhere
  // (typed arrays, not pushes: this runs once a training step on every sample)
  const hits = new Float64Array(N * S), samples = new Int32Array(N * S), coef = new Float64Array(N * S);
  let total = 0, totalW = 0, count = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const t = tv[n * S + s]!;
      if (t === ignore) continue;
      if (!(t >= 0 && t < C)) throw new RangeError(`Target ${t} is out of bounds.`);
      const w = wv ? wv[t]! : 1;
      const pos = (n * C + t) * S + s;
      losses[n * S + s] = -w * xv[pos]!;
      hits[count] = pos; samples[count] = n * S + s; coef[count++] = -w;
      total += losses[n * S + s]!;
      totalW += w;
    }
  }
  const d = input.dtype;
  let out: Tensor;
  if (r === "none") out = Tensor.fromStorage(K.fromNumbers(losses, d), outShape, d);
  else out = Tensor.fromStorage(K.fromNumbers([r === "mean" ? total / totalW : total], d), [], d);
  // only the target entries carry a gradient: with every target ignored (Σw = 0) the loss is NaN
  // but the gradient is zero, as PyTorch's kernel leaves the other entries untouched
  if (r === "mean") for (let k = 0; k < count; k++) coef[k] = coef[k]! / totalW;
  /** the mask of coefficients as a tensor of input's shape and dtype */
  const mask = (): Tensor => {
    const m = new Float64Array(N * C * S);
    for (let k = 0; k < count; k++) m[hits[k]!] = coef[k]!;
    return Tensor.fromStorage(K.fromNumbers(m, d), input.shape, d);
  };
  record(node, [input], out, ([g]) => {
    const gg = r !== "none" || !batched ? g! : g!.reshape([N, 1, ...input.shape.slice(2)]);
    if (is_grad_enabled() || !K.isNumberNative(d)) return [gg.mul(mask())]; // (Note [Fused backward] in ops/reduce.ts)
    const gx = Tensor.empty(input.shape, d);
    nllGrad(gx._storage.data as Float32Array | Float64Array, K.values(g!.contiguous()), hits, r === "none" ? samples : null, coef, count, d.itemsize === 4);
    return [gx];
  });
  // after a log_softmax over the classes, its backward and this one are one formula, where the
  // engine can run them so (Note [Fused backward pairs] in autograd/engine.ts)
  if (out._grad_fn && S === 1 && d === float32) fuseBackward(out._grad_fn, ([g], child) => {
    const cols = new Int32Array(N).fill(-1), vals = new Float32Array(N);
    nllRows(cols, vals, K.values(g!.contiguous()), hits, samples, r === "none", coef, count, C);
    const gx = logSoftmaxOnehotBackward(child, cols, vals);
    return gx && [gx];
  });
  return out;
}

/** nllGrad's values as one per row of a [N, C] input: the class and the value at it (float32). */
function nllRows(cols: Int32Array, vals: Float32Array, gv: ArrayLike<number>, hits: Float64Array, samples: Int32Array, each: boolean, coef: Float64Array, count: number, C: number): void {
  for (let k = 0; k < count; k++) {
    const n = samples[k]!;
    cols[n] = hits[k]! - n * C;
    vals[n] = Math.fround(coef[k]!) * gv[each ? n : 0]!;
  }
}

/** nll_loss's gradient: g times the mask, written at the hits alone, the mask rounded to the dtype
 *  (`f32`) as g.mul(mask()) rounds it; `samples` null: g is one number. A function of its own, not
 *  a loop in the closure nllCore makes per call: V8 compiled each new closure's loop afresh (16
 *  times in 120 steps of B7 and B8). */
function nllGrad(o: Float32Array | Float64Array, gv: ArrayLike<number>, hits: Float64Array, samples: Int32Array | null, coef: Float64Array, count: number, f32: boolean): void {
  for (let k = 0; k < count; k++) o[hits[k]!] = (f32 ? Math.fround(coef[k]!) : coef[k]!) * gv[samples !== null ? samples[k]! : 0]!;
}

/** nllCore on a device, in tensor ops (nothing read back): the same mask, built from a one-hot of
 *  the targets. A target out of range is not detected here (it selects no class), as on CUDA,
 *  where the kernel's assertion fires asynchronously. */
function nllOnDevice(input: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, ignore: number, node: string, outShape: number[]): Tensor {
  const batched = input.ndim > 1, C = batched ? input.shape[1]! : input.shape[0]!, d = input.dtype;
  const x = batched ? input : input.unsqueeze(0), t = batched ? target : target.unsqueeze(0);
  const classShape = [1, C, ...x.shape.slice(2).map(() => 1)];
  // PyTorch's bounds check, on the targets' CPU copy (targets moved from the CPU keep one: nothing
  // is read back)
  for (const v of t.flatten().tolist() as (number | bigint)[]) if (Number(v) !== ignore && !(v >= 0 && Number(v) < C)) throw new RangeError(`Target ${v} is out of bounds.`);
  const [out, M] = no_grad(() => {
    const hit = t.unsqueeze(1).eq(arange(C, { device: input.device }).view(classShape)).logical_and(t.ne(ignore).unsqueeze(1));
    const w = weight ? hit.to(d).mul(weight.view(classShape)) : hit.to(d);
    let mask = w.neg();
    const losses = x.detach().mul(mask).sum(1);
    if (r === "none") return [losses.reshape(outShape), mask];
    if (r === "sum") return [losses.sum(), mask];
    const totalW = w.sum();
    mask = mask.div(totalW);
    return [losses.sum().div(totalW), mask];
  });
  const Mv = batched ? M : M.squeeze(0);
  return record(node, [input], out, ([g]) => {
    if (r !== "none" || !batched) return [g!.mul(Mv)];
    return [g!.reshape([x.shape[0]!, 1, ...input.shape.slice(2)]).mul(Mv)];
  });
}

function checkTarget(target: Tensor): void {
  if (target.dtype !== int64 && target.dtype !== uint8)
    throw new Error(`expected target dtype to be Long or Byte, but got ${scalarTypeName(target.dtype)}`);
}

/** PyTorch's nll_loss_nd: [C] or [N, C] (NllLossBackward0), [N, C, H, W] (NllLoss2DBackward0),
 *  other ranks through nll_loss2d on a [N, C, 1, -1] view. */
function nllLossNd(input: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, ignore: number): Tensor {
  if (input.ndim < 1) throw new Error(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0])
    throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  // (an unbatched input takes a target of one class as its 0-d target)
  if (input.ndim === 1 && target.ndim === 1) {
    if (target.shape[0] !== 1) throw pyError("ValueError", `For 1D input, 1D target must have size 1, but got target size: ${target.shape[0]}`);
    target = target.squeeze(0);
  }
  // (2.x checks the target's dtype after its rank, before the sizes and the weight)
  const C = input.shape[input.ndim === 1 ? 0 : 1]!;
  if (input.ndim <= 2) {
    if (target.ndim > 1) throw new Error("0D or 1D target tensor expected, multi-target not supported");
    checkTarget(target);
    const noBatch = input.ndim === 1 && target.ndim === 0;
    if (!noBatch && input.shape[0] !== target.shape[0])
      throw new Error(`size mismatch (got input: ${listStr(input.shape)}, target: ${listStr(target.shape)})`);
    if (weight && (weight.ndim !== 1 || weight.numel() !== C))
      throw new Error(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${listStr(weight.shape)}`);
    return nllCore(input, target, weight, r, ignore, "NllLossBackward0", target.shape.slice());
  }
  const checkWeight = () => {
    if (weight && weight.numel() !== C) throw new Error("weight tensor should be defined either for all or no classes");
  };
  if (input.ndim === 4) {
    if (target.ndim !== 3) throw new Error(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.ndim}`);
    checkTarget(target);
    checkWeight();
    if (input.shape[0] !== target.shape[0] || input.shape[2] !== target.shape[1] || input.shape[3] !== target.shape[2])
      throw new Error(`size mismatch (got input: ${listStr(input.shape)} , target: ${listStr(target.shape)}`);
    return nllCore(input, target, weight, r, ignore, "NllLoss2DBackward0", target.shape.slice());
  }
  const N = input.shape[0]!;
  const outSize = [N, ...input.shape.slice(2)];
  if (!sameShape(target.shape.slice(1), input.shape.slice(2))) throw new Error(`Expected target size ${listStr(outSize)}, got ${listStr(target.shape)}`);
  checkTarget(target);
  checkWeight();
  const inp = input.contiguous().view(N, C, 1, -1), tgt = target.contiguous().view(N, 1, -1);
  const out = nllCore(inp, tgt, weight, r, ignore, "NllLoss2DBackward0", tgt.shape.slice());
  return r === "none" ? out.view(outSize) : out;
}

export function nll_loss(input: Tensor, target: Tensor, weight?: Tensor | null | NllOpts, opts: NllOpts = {}): Tensor {
  const o: NllOpts = weight instanceof Tensor || weight === null ? { ...opts, weight } : { ...(weight ?? {}), ...opts };
  const r = checkReduction(reductionOf(o));
  return nllLossNd(input, target, o.weight ?? null, r, o.ignore_index ?? -100);
}

export interface CrossEntropyOpts extends NllOpts { label_smoothing?: number }

/** Cross entropy of logits [C], [N, C] or [N, C, d1, …] against class indices (int64) or class
 *  probabilities (same shape as input), with weight, ignore_index and label_smoothing. */
export function cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null | CrossEntropyOpts, opts: CrossEntropyOpts = {}): Tensor {
  const o: CrossEntropyOpts = weight instanceof Tensor || weight === null ? { ...opts, weight } : { ...(weight ?? {}), ...opts };
  const r = checkReduction(reductionOf(o));
  const w = o.weight ?? null, ignore = o.ignore_index ?? -100, ls = o.label_smoothing ?? 0;
  const classDim = input.ndim === 1 ? 0 : 1;
  if (sameShape(input.shape, target.shape)) {
    // class probabilities
    if (!target.dtype.is_floating_point) throw new Error(`Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
    if (ignore >= 0) throw new Error("ignore_index is not supported for floating point target");
    const C = input.shape[classDim]!;
    if (w && (w.ndim !== 1 || w.numel() !== C))
      throw new Error(`cross_entropy: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${listStr(w.shape)}`);
    if (ls < 0 || ls > 1) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
    const logp = input.log_softmax(classDim);
    const t = ls > 0 ? target.mul(1 - ls).add(ls / C) : target;
    let prod = logp.mul(t);
    if (w) {
      const shape = new Array<number>(logp.ndim).fill(1);
      if (logp.ndim > 1) { shape[classDim] = C; prod = prod.mul(w.view(shape)); } else prod = prod.mul(w);
    }
    if (r === "mean") {
      if (input.numel() === 0) return prod.sum().neg().fill_(NaN);
      return divScalar(prod.sum().neg(), input.numel() / C);
    }
    return r === "sum" ? prod.sum().neg() : prod.sum(classDim).neg();
  }
  if (ls > 0) {
    if (ls > 1) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
    const logp = input.log_softmax(classDim);
    const nll = nllLossNd(logp, target, w, r, ignore);
    const C = logp.shape[classDim]!;
    const ignoreMask = target.eq(ignore);
    let smooth: Tensor;
    if (w) {
      const shape = new Array<number>(logp.ndim).fill(1);
      shape[classDim] = w.shape[0]!;
      smooth = logp.mul(w.view(shape)).sum(classDim).neg();
    } else smooth = logp.sum(classDim).neg();
    smooth = smooth.masked_fill(ignoreMask, 0);
    let ret: Tensor;
    if (r === "mean") {
      if (w) {
        const tw = w.index_select(0, target.masked_fill(ignoreMask, 0).reshape(-1)).masked_fill(ignoreMask.reshape(-1), 0);
        ret = smooth.sum().div(tw.sum());
      } else ret = smooth.sum().div(ignoreMask.logical_not().sum());
    } else ret = r === "sum" ? smooth.sum() : smooth;
    return nll.mul(1 - ls).add(ret.mul(ls / C));
  }
  return nllLossNd(input.log_softmax(classDim), target, w, r, ignore);
}

export interface BceOpts extends LossOpts { weight?: Tensor | null }
const BCE_EPS = Math.fround(1e-12);

export function binary_cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null | BceOpts, opts: BceOpts = {}): Tensor {
  const o: BceOpts = weight instanceof Tensor || weight === null ? { ...opts, weight } : { ...(weight ?? {}), ...opts };
  const r = checkReduction(reductionOf(o));
  if (!sameShape(target.shape, input.shape))
    throw new Error(`Using a target size (${sizeStr(target.shape)}) that is different to the input size (${sizeStr(input.shape)}) is deprecated. Please ensure they have the same size.`);
  if (!input.dtype.is_floating_point) throw new Error(`"binary_cross_entropy" not implemented for '${scalarTypeName(input.dtype)}'`);
  if (target.dtype !== input.dtype) throw new Error(`Found dtype ${scalarTypeName(target.dtype)} but expected ${scalarTypeName(input.dtype)}`);
  const w = o.weight ? o.weight.expand(broadcast(target.shape, o.weight.shape)) : null;
  const d = input.dtype, outOfRange = () => new Error("all elements of input should be between 0 and 1");
  let loss: Tensor;
  if (input.device.type !== "cpu") {
    // on a device: the same formula in its ops, the range checked by one flag read back
    const x = input.detach(), t = target.detach();
    if (!x.ge(0).logical_and(x.le(1)).all().item()) throw outOfRange();
    loss = t.sub(1).mul(x.neg().log1p().clamp_min(-100)).sub(t.mul(x.log().clamp_min(-100)));
  } else {
    const xv = K.values(input.detach().contiguous()), tv = K.values(target.detach().contiguous());
    const l = new Float64Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const x = xv[i]!, t = tv[i]!;
      if (!(x >= 0 && x <= 1)) throw outOfRange();
      // PyTorch clamps each log at -100, so a 0 or 1 prediction gives a finite loss
      l[i] = (t - 1) * Math.max(Math.log1p(-x), -100) - t * Math.max(Math.log(x), -100);
    }
    loss = Tensor.fromStorage(K.fromNumbers(l, d), input.shape, d);
  }
  if (w) loss = loss.mul(w.detach()).to(d); // (the weight applied in the kernel, in input's dtype)
  const n = input.numel();
  const out = K.contiguousCopy(applyReduction(loss, r));
  return record("BinaryCrossEntropyBackward0", [input, target], out, ([g], [xs, ts], needs) => {
    const scale = (t: Tensor) => { let u = t.mul(g!); if (w) u = u.mul(w); return r === "mean" ? u.div(n) : u; };
    return [
      // PyTorch's EPSILON here is the float 1e-12f, also for float64
      needs[0] ? scale(xs!.sub(ts!).div(xs!.rsub(1).mul(xs!).clamp_min(BCE_EPS))) : null,
      needs[1] ? scale(xs!.logit().neg()) : null,
    ];
  }, [input, target]);
}

export interface BceLogitsOpts extends BceOpts { pos_weight?: Tensor | null }

/** Sigmoid + binary cross entropy in one stable formula (PyTorch 2.x's: log-sigmoid based),
 *  with pos_weight for the positive class (BinaryCrossEntropyWithLogitsBackward0). */
export function binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight?: Tensor | null | BceLogitsOpts, opts: BceLogitsOpts = {}): Tensor {
  const o: BceLogitsOpts = weight instanceof Tensor || weight === null ? { ...opts, weight } : { ...(weight ?? {}), ...opts };
  const r = checkReduction(reductionOf(o));
  if (!sameShape(target.shape, input.shape))
    throw new Error(`Target size (${sizeStr(target.shape)}) must be the same as input size (${sizeStr(input.shape)})`);
  const w = o.weight ?? null, pw = o.pos_weight ?? null;
  const out = no_grad(() => {
    const x = input.detach(), t = target.detach();
    let lsig = logsigmoid(x);
    // (ATen computes the loss in place in (1 - target): a bool target's 1 - target subtracts two
    // bools, an integer one cannot take the float product, and the loss has a float target's dtype)
    if (t.dtype === bool) throw new Error("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
    if (!t.dtype.is_floating_point)
      throw new Error(`result type ${scalarTypeName(promote_types(t.dtype, x.dtype))} can't be cast to the desired output type ${scalarTypeName(t.dtype)}`);
    if (pw) lsig = lsig.mul(pw.sub(1).mul(t).add(1));
    let loss = t.rsub(1).mul(x).sub(lsig).to(t.dtype);
    if (w) loss = loss.mul(w).to(t.dtype);
    return K.contiguousCopy(applyReduction(loss, r));
  });
  const n = input.numel();
  return record("BinaryCrossEntropyWithLogitsBackward0", [input, target], out, ([g], [xs, ts], needs) => {
    const finish = (u: Tensor) => { let v = u.mul(g!); if (w) v = v.mul(w); return r === "mean" ? v.div(n) : v; };
    let gi: Tensor | null = null, gt: Tensor | null = null;
    if (needs[0]) {
      if (pw) { const t = pw.mul(ts!); gi = finish(t.add(1).sub(ts!).mul(xs!.sigmoid()).sub(t)); }
      else gi = finish(xs!.sigmoid().sub(ts!));
    }
    if (needs[1]) gt = finish(pw ? logsigmoid(xs!.neg()).sub(logsigmoid(xs!).mul(pw)) : xs!.neg());
    return [gi, gt];
  }, [input, target]);
}

/** xlogy(x, y) = x·log(y), 0 where x is 0 (unless y is NaN). */
function xlogy(x: Tensor, y: Tensor): Tensor {
  return where(x.eq(0).logical_and(y.isnan().logical_not()), 0, x.mul(y.log()));
}

export interface KlDivOpts extends LegacyReduction { reduction?: Reduction | "batchmean"; log_target?: boolean }
/** KL(target ‖ input) with input as log-probabilities; reduction 'batchmean' divides the sum by
 *  the batch size (the mathematical KL divergence). */
export function kl_div(input: Tensor, target: Tensor, opts: KlDivOpts = {}): Tensor {
  const rs = reductionOf(opts);
  if (rs === "mean")
    warnOnce("reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.");
  const r = checkReduction(rs, ["batchmean"]) as Reduction | "batchmean";
  if (!input.dtype.is_floating_point || !target.dtype.is_floating_point) throw new Error("kl_div: Integral inputs not supported.");
  const out = opts.log_target ? target.exp().mul(target.sub(input)) : xlogy(target, target).sub(target.mul(input));
  if (r === "batchmean") { const s = out.sum(); return input.ndim !== 0 ? s.div(input.shape[0]!) : s; }
  return applyReduction(out, r);
}

/** x.clamp_min(v) recorded as ClampMinBackward0, as PyTorch's C++ composites that call
 *  clamp_min_ show it (Tensor.clamp_min is the clamp overload here, ClampBackward1). */
function clampMin(x: Tensor, v: number): Tensor {
  const y = K.unary(x, (a) => (a !== a ? a : Math.max(a, v)), x.dtype, "clamp", [v, Infinity]);
  return record("ClampMinBackward0", [x], y, ([g], [xs]) => [where(xs!.ge(v), g!, 0)], [x]);
}

export interface MarginOpts extends LossOpts { margin?: number }
export function cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOpts = {}): Tensor {
  const r = checkReduction(reductionOf(opts));
  const margin = opts.margin ?? 0;
  const td = target.ndim;
  if (td !== 1 && td !== 0) throw new Error("0D or 1D target tensor expected, multi-target not supported");
  if (td === 1 && (input1.ndim !== 2 || input2.ndim !== 2))
    throw new Error(`1D target tensor expects 2D input tensors, but found inputs with sizes ${listStr(input1.shape)} and ${listStr(input2.shape)}.`);
  if (td === 0 && (input1.ndim !== 1 || input2.ndim !== 1))
    throw new Error(`0D target tensor expects 1D input tensors, but found inputs with sizes ${listStr(input1.shape)} and ${listStr(input2.shape)}.`);
  const EPS = 1e-12;
  const prodSum = input1.mul(input2).sum(td);
  const mag1 = input1.mul(input1).sum(td).add(EPS), mag2 = input2.mul(input2).sum(td).add(EPS);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const zeros = cos.detach().mul(0);
  const pos = cos.rsub(1), neg = clampMin(cos.sub(margin), 0);
  const out = where(target.eq(1), pos, zeros).add(where(target.eq(-1), neg, zeros));
  return applyReduction(out, r);
}

export function margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOpts = {}): Tensor {
  const r = checkReduction(reductionOf(opts));
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim)
    throw new Error(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${sizeStr(input1.shape)}, input2: ${sizeStr(input2.shape)}, target: ${sizeStr(target.shape)} `);
  const out = clampMin(target.neg().mul(input1.sub(input2)).add(opts.margin ?? 0), 0);
  return applyReduction(out, r);
}

// ---- margin, soft-margin, Poisson, Gaussian and triplet losses -----------------------------------

/** VariableType's check for an input that the op's derivative formula does not cover. */
function checkNoRequiresGrad(t: Tensor | null | undefined, name: string, fn: string): void {
  if (t && t.requires_grad && is_grad_enabled())
    throw new Error(`The function '${fn}' is not differentiable with respect to argument '${name}'. This input cannot have requires_grad True.`);
}

function checkLongTarget(target: Tensor): void {
  if (target.dtype !== int64) throw new Error(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
}

/** The Python-side check of the losses written in Python (gaussian_nll_loss,
 *  multilabel_soft_margin_loss): `ValueError(reduction + " is not valid")`. */
function checkReductionPy(r: string): Reduction {
  if (r !== "none" && r !== "mean" && r !== "sum") throw new Error(`${r} is not valid`);
  return r;
}

export interface HingeEmbeddingOpts extends LossOpts { margin?: number }
/** x where target is 1, max(0, margin − x) where it is −1 (and their sum for other targets), as
 *  aten::hinge_embedding_loss composes it. F.hinge_embedding_loss(input, target, margin=1.0, …). */
export function hinge_embedding_loss(input: Tensor, target: Tensor, o: HingeEmbeddingOpts = {}): Tensor {
  const r = checkReduction(reductionOf(o));
  const zeros = input.detach().new_zeros(input.shape.slice());
  const marginClamp = clampMin(input.rsub(o.margin ?? 1), 0);
  const out = where(target.ne(1), marginClamp, zeros).add(where(target.ne(-1), input, zeros));
  return applyReduction(out, r);
}

/** log(1 + exp(−y·x)) (SoftMarginLossBackward0; no gradient for the target). The target broadcasts
 *  to the input's shape, not the other way (the kernel multiplies into its output in place). */
export function soft_margin_loss(input: Tensor, target: Tensor, opts: LossOpts = {}): Tensor {
  const r = checkReduction(reductionOf(opts));
  checkNoRequiresGrad(target, "target", "soft_margin_loss");
  const bs = broadcast(input.shape, target.shape);
  if (!sameShape(bs, input.shape)) throw new Error(`output with shape ${listStr(input.shape)} doesn't match the broadcast shape ${listStr(bs)}`);
  if (!input.dtype.is_floating_point) throw new Error(`result type Float can't be cast to the desired output type ${scalarTypeName(input.dtype)}`);
  const d = input.dtype, t = target.detach().expand(input.shape.slice());
  const xv = K.values(input.detach()), tv = K.values(t), n = xv.length;
  // neg_out(x).mul_(y).exp_().log1p_(): each step rounds to the dtype, so exp overflows where PyTorch's does
  const rd = d.name === "float64" ? (v: number) => v : Math.fround;
  const l = new Float64Array(n);
  for (let i = 0; i < n; i++) l[i] = rd(Math.log1p(rd(Math.exp(rd(-xv[i]! * tv[i]!)))));
  const out = K.contiguousCopy(applyReduction(Tensor.fromStorage(K.fromNumbers(l, d), input.shape, d), r));
  return record("SoftMarginLossBackward0", [input], out, ([g], [xs]) => {
    // soft_margin_loss_backward: −norm·y·z / (1 + z)·g with z = exp(−y·x)
    const z = t.mul(xs!).neg().exp();
    const gi = t.mul(z).mul(r === "mean" ? -1 / n : -1).div(z.add(1)).mul(g!);
    return [gi];
  }, [input]);
}

export interface MultilabelSoftMarginOpts extends LossOpts { weight?: Tensor | null }
/** Mean over classes of the binary logistic losses, as torch/nn/functional.py composes it. */
export function multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight?: Tensor | null | MultilabelSoftMarginOpts, opts: MultilabelSoftMarginOpts = {}): Tensor {
  const o: MultilabelSoftMarginOpts = weight instanceof Tensor || weight === null ? { ...opts, weight } : { ...(weight ?? {}), ...opts };
  const rs = reductionOf(o);
  let loss = target.mul(logsigmoid(input)).add(target.rsub(1).mul(logsigmoid(input.neg()))).neg();
  if (o.weight) loss = loss.mul(o.weight);
  const classDim = normDim(input.ndim - 1, input.ndim, false);
  loss = loss.sum(classDim).div(input.shape[classDim]!);
  const r = checkReductionPy(rs);
  return r === "none" ? loss : applyReduction(loss, r);
}

/** The shape checks of LossMulti.h (PyTorch 2.x's messages): [nframe, dim] of the input. */
function multiLossFrames(input: Tensor): [number, number] {
  const nd = input.ndim;
  if (!((nd === 2 && input.shape[1] !== 0) || (nd === 1 && input.shape[0] !== 0) || nd === 0))
    throw new Error(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${listStr(input.shape)}`);
  return nd <= 1 ? [1, nd === 0 ? 1 : input.shape[0]!] : [input.shape[0]!, input.shape[1]!];
}

/**
 * Σ over target classes j (listed in target until the first −1) and non-target classes i of
 * max(0, 1 − (x[j] − x[i])), divided by the number of classes (MultilabelMarginLossBackward0).
 * The loss is piecewise linear, so its gradient is the grad_output times a constant mask.
 */
export function multilabel_margin_loss(input: Tensor, target: Tensor, opts: LossOpts = {}): Tensor {
  const r = checkReduction(reductionOf(opts));
  const [N, C] = multiLossFrames(input);
  if (input.ndim <= 1 ? !(target.ndim <= 1 && target.numel() === C) : !(target.ndim === 2 && target.shape[0] === N && target.shape[1] === C))
    throw new Error(`inconsistent target size: ${listStr(target.shape)} for input of size: ${listStr(input.shape)}`);
  checkLongTarget(target);
  checkFloat(input, "multilabel_margin_loss_forward_out_frame");
  const tv = K.values(target.contiguous()), xv = K.values(input.detach().contiguous());
  for (let k = 0; k < tv.length; k++) if (tv[k]! < -1 || tv[k]! >= C) throw new Error("argument #2 'target' is out of range");
  const losses = new Float64Array(N), mask = new Float64Array(N * C);
  const scale = r === "mean" ? 1 / (N * C) : 1 / C;
  const isTarget = new Uint8Array(C);
  for (let n = 0; n < N; n++) {
    const row = n * C;
    isTarget.fill(0);
    for (let j = 0; j < C && tv[row + j]! >= 0; j++) isTarget[tv[row + j]!] = 1;
    let sum = 0;
    for (let j = 0; j < C && tv[row + j]! >= 0; j++) {
      const t = tv[row + j]!, xt = xv[row + t]!;
      for (let i = 0; i < C; i++) {
        if (isTarget[i]) continue;
        const z = 1 - xt + xv[row + i]!;
        if (z > 0) { sum += z; mask[row + t] -= scale; mask[row + i] += scale; }
      }
    }
    losses[n] = sum / C;
  }
  const perSample = r === "none" && target.ndim > 1;
  const out = marginOutput(input.dtype, losses, r, perSample);
  const M = Tensor.fromStorage(K.fromNumbers(mask, input.dtype), input.shape.slice(), input.dtype);
  return record("MultilabelMarginLossBackward0", [input], out, ([g]) => [perSample ? g!.reshape([N, 1]).mul(M) : g!.mul(M)]);
}

/** The output of the margin kernels: the per-sample losses ([N], for 'none' with a batched
 *  target), or their mean or sum as a 0-d tensor. An empty batch reduces to 0 (PyTorch leaves
 *  that output uninitialised). */
function marginOutput(d: DType, losses: Float64Array, r: Reduction, perSample: boolean): Tensor {
  const N = losses.length;
  if (perSample) return Tensor.fromStorage(K.fromNumbers(losses, d), [N], d);
  let total = 0;
  for (let n = 0; n < N; n++) total += losses[n]!;
  return Tensor.fromStorage(K.fromNumbers([r === "mean" && N > 0 ? total / N : total], d), [], d);
}

export interface MultiMarginOpts extends LossOpts { p?: number; margin?: number; weight?: Tensor | null }
/**
 * Σ over classes i ≠ y of max(0, margin − x[y] + x[i])^p (p = 1 or 2), times weight[y], divided
 * by the number of classes (MultiMarginLossBackward0; no gradient for the weight).
 * F.multi_margin_loss(input, target, p=1, margin=1, weight=None, …).
 */
export function multi_margin_loss(input: Tensor, target: Tensor, o: MultiMarginOpts = {}): Tensor {
  const r = checkReduction(reductionOf(o));
  const p = o.p ?? 1, margin = o.margin ?? 1, w = o.weight ?? null;
  if (p !== 1 && p !== 2) throw new Error("only p == 1 and p == 2 supported");
  if (w && w.ndim !== 1) throw new Error("weight must be one-dimensional");
  checkNoRequiresGrad(w, "weight", "multi_margin_loss");
  const [N, C] = multiLossFrames(input);
  if (!(target.ndim <= 1 && target.numel() === N))
    throw new Error(`multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch size). Expected target size [${N}], but got ${listStr(target.shape)}. Input has shape ${listStr(input.shape)}.`);
  if (w && !(w.ndim <= 1 && w.numel() === C)) throw new Error(`inconsistent weight size, expected ${C} but got ${listStr(w.shape)}`);
  checkLongTarget(target);
  checkFloat(input, "multi_margin_loss_cpu_kernel");
  const tv = K.values(target.contiguous()), xv = K.values(input.detach().contiguous());
  const wv = w ? K.values(w.detach().contiguous()) : null;
  for (let n = 0; n < N; n++) if (!(tv[n]! >= 0 && tv[n]! < C)) throw new Error("target out of range");
  const losses = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const t = tv[n]!, xt = xv[n * C + t]!;
    let sum = 0;
    for (let i = 0; i < C; i++) {
      if (i === t) continue;
      const z = margin - xt + xv[n * C + i]!;
      if (z > 0) sum += (p === 1 ? z : z * z) * (wv ? wv[t]! : 1);
    }
    losses[n] = sum / C;
  }
  const d = input.dtype, perSample = r === "none" && target.ndim > 0;
  const out = marginOutput(d, losses, r, perSample);
  // constants of the backward: which entry is the target, its weight, and the target indices
  const isT = new Float64Array(N * C), wt = new Float64Array(N);
  for (let n = 0; n < N; n++) { isT[n * C + tv[n]!] = 1; wt[n] = wv ? wv[tv[n]!]! : 1; }
  const onehot = Tensor.fromStorage(K.fromNumbers(isT, d), [N, C], d);
  const wT = Tensor.fromStorage(K.fromNumbers(wt, d), [N, 1], d);
  const idx = Tensor.fromStorage(K.fromNumbers(Array.from(tv), int64), [N, 1], int64);
  const scale = r === "mean" ? 1 / (N * C) : 1 / C;
  return record("MultiMarginLossBackward0", [input], out, ([g], [xs]) => {
    // multi_margin_loss_backward: h = (p == 1 ? 1 : 2z)·w[y]·g/C where z > 0 off the target,
    // and minus their sum at the target; written in Tensor ops so that it differentiates again
    const x = xs!.reshape([N, C]);
    const z = x.gather(1, idx).rsub(margin).add(x);
    const on = z.gt(0).logical_and(onehot.eq(0));
    let h = p === 1 ? where(on, wT, 0) : where(on, z.mul(2).mul(wT), 0);
    h = h.mul(perSample ? g!.reshape([N, 1]) : g!).mul(scale);
    return [h.sub(onehot.mul(h.sum(1, true))).reshape(input.shape.slice())];
  }, [input]);
}

export interface PoissonNllOpts extends LossOpts { log_input?: boolean; full?: boolean; eps?: number }
/** exp(x) − t·x (log_input) or x − t·log(x + eps), plus Stirling's term for t > 1 when full, as
 *  aten::poisson_nll_loss composes it. F.poisson_nll_loss(input, target, log_input=true,
 *  full=false, size_average, eps=1e-8, reduce, reduction='mean'). */
export function poisson_nll_loss(input: Tensor, target: Tensor, o: PoissonNllOpts = {}): Tensor {
  const r = checkReduction(reductionOf(o)); // 2.x: ATen's get_enum, no longer Python's check
  let loss = (o.log_input ?? true) ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(o.eps ?? 1e-8).log()));
  if (o.full) {
    const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(stirling.masked_fill(target.le(1), 0));
  }
  return applyReduction(loss, r);
}

export interface GaussianNllOpts { full?: boolean; eps?: number; reduction?: string }
/**
 * ½(log(max(var, eps)) + (input − target)² / max(var, eps)) (+ ½log 2π when full), as
 * torch/nn/functional.py composes it (PyTorch 2.x): var is a number, or a tensor of the input's
 * shape, of that shape without its last dim, or broadcastable to it with one size-1 dim. The clamp
 * runs under no_grad on a copy, so var's gradient flows as if unclamped.
 */
export function gaussian_nll_loss(input: Tensor, target: Tensor, var_: Tensor | number, opts: GaussianNllOpts = {}): Tensor {
  const o = { full: false, eps: 1e-6, reduction: "mean", ...opts };
  let v: Tensor;
  if (typeof var_ === "number") {
    if (var_ < 0) throw new Error("var has negative entry/entries");
    v = input.detach().new_ones(input.shape.slice()).mul(var_);
  } else {
    if (var_.lt(0).any().item()) throw new Error("var has negative entry/entries");
    v = var_;
  }
  if (!sameShape(v.shape, input.shape)) {
    if (sameShape(input.shape.slice(0, -1), v.shape)) v = v.unsqueeze(-1);
    else if (!(input.ndim === v.ndim && input.shape.reduce((s, x, i) => (x !== v.shape[i] ? s + v.shape[i]! : s), 0) === 1))
      throw new Error("var is of incorrect size");
  }
  const r = checkReductionPy(o.reduction);
  v = v.clone();
  no_grad(() => v.clamp_min_(o.eps));
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (o.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction(loss, r);
}

function checkTripletDims(a: Tensor, p: Tensor, n: Tensor): void {
  if (!(a.ndim === p.ndim && p.ndim === n.ndim))
    throw new Error(`The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${a.ndim}D, positive ${p.ndim}D, and negative ${n.ndim}D inputs`);
}

export interface TripletMarginOpts extends LossOpts { margin?: number; p?: number; eps?: number; swap?: boolean }
/** max(0, margin + d(a, p) − d(a, n)) with d the pairwise p-norm distance (with swap, d(a, n) is
 *  min(d(a, n), d(p, n))), as aten::triplet_margin_loss composes it.
 *  F.triplet_margin_loss(anchor, positive, negative, margin=1, p=2, eps=1e-6, swap=false, …). */
export function triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, o: TripletMarginOpts = {}): Tensor {
  const r = checkReduction(reductionOf(o));
  checkTripletDims(anchor, positive, negative);
  const dist = (x: Tensor, y: Tensor) => pairwise_distance(x, y, o.p ?? 2, o.eps ?? 1e-6);
  const dPos = dist(anchor, positive);
  let dNeg = dist(anchor, negative);
  if (o.swap) dNeg = dNeg.minimum(dist(positive, negative));
  return applyReduction(clampMin(dPos.add(o.margin ?? 1).sub(dNeg), 0), r);
}

/** A distance function: a function of two tensors, or a module (nn.PairwiseDistance …). */
export type DistanceFunction = ((x1: Tensor, x2: Tensor) => Tensor) | { forward(x1: Tensor, x2: Tensor): Tensor };
export interface TripletMarginWithDistanceOpts { distance_function?: DistanceFunction | null; margin?: number; swap?: boolean; reduction?: string }
/** triplet_margin_loss with any distance (default: pairwise_distance), as PyTorch 2.x's Python
 *  composes it. Options are keyword-only in PyTorch. */
export function triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginWithDistanceOpts = {}): Tensor {
  const rs = opts.reduction ?? "mean";
  if (rs !== "mean" && rs !== "sum" && rs !== "none") throw new Error(`${rs} is not a valid value for reduction`);
  checkTripletDims(anchor, positive, negative);
  const df = opts.distance_function ?? null;
  const dist = (x: Tensor, y: Tensor) => (df === null ? pairwise_distance(x, y) : typeof df === "function" ? df(x, y) : df.forward(x, y));
  const dPos = dist(anchor, positive);
  let dNeg = dist(anchor, negative);
  if (opts.swap) dNeg = dNeg.minimum(dist(positive, negative));
  const loss = clampMin(dPos.add(opts.margin ?? 1).sub(dNeg), 0);
  return rs === "sum" ? loss.sum() : rs === "mean" ? loss.mean() : loss;
}

// the in-place forms PyTorch also exports
export const elu_ = (input: Tensor, alpha = 1) => elu(input, alpha, true);
export const leaky_relu_ = (input: Tensor, negative_slope = 0.01) => leaky_relu(input, negative_slope, true);
export const hardtanh_ = (input: Tensor, min_val = -1, max_val = 1) => hardtanh(input, min_val, max_val, true);
export const threshold_ = (input: Tensor, th: number, value: number) => threshold(input, th, value, true);
export const celu_ = (input: Tensor, alpha = 1) => celu(input, alpha, true);
export const selu_ = (input: Tensor) => selu(input, true);
export const rrelu_ = (input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false) => rrelu(input, lower, upper, training, true);

// convolution, pooling, normalisation and padding live in src/ops (torch.conv2d … share them)
export { conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, unfold, fold } from "../ops/conv.js";
export { interpolate, upsample, upsample_nearest, upsample_bilinear, pixel_shuffle, pixel_unshuffle } from "../ops/upsample.js";
export {
  max_pool1d, max_pool2d, max_pool3d, max_pool1d_with_indices, max_pool2d_with_indices, max_pool3d_with_indices,
  avg_pool1d, avg_pool2d, avg_pool3d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
  adaptive_max_pool2d, adaptive_max_pool3d, adaptive_max_pool3d_with_indices, max_unpool1d, max_unpool2d, max_unpool3d,
  lp_pool1d, lp_pool2d, lp_pool3d, adaptive_max_pool1d_with_indices, adaptive_max_pool2d_with_indices, local_response_norm,
} from "../ops/pooling.js";
export { batch_norm, instance_norm, layer_norm, group_norm } from "../ops/normalization.js";
export { rms_norm } from "../ops/rms_norm.js";
export { ctc_loss } from "./ctc.js";
export { pad } from "../ops/padding.js";
export { affine_grid, grid_sample } from "../ops/grid_sample.js";
// attention: scaled_dot_product_attention and multi_head_attention_forward (functional_attention.ts)
export { scaled_dot_product_attention, multi_head_attention_forward } from "./functional_attention.js";
