// Elementwise ops: one record per op, with its backward formula beside the forward.
// Backward formulas are written in Tensor ops, so they run on every backend and can themselves
// be differentiated (create_graph, double backward).

import { Tensor } from "../core/tensor.js";
import { type DType, type Scalar, bool, int64, float32, get_default_dtype, can_cast, scalarTypeName, cppTypeName, checkedConvert } from "../core/dtype.js";
import { broadcastShapes, sameShape } from "../core/shape.js";
import { is_grad_enabled } from "../autograd/grad_mode.js";
import { ownsGradient } from "../autograd/engine.js";
import * as K from "../backends/index.js";
import { record, needsGrad } from "../autograd/record.js";
import { erf as erfScalar, erfc as erfcScalar, pyMod, roundHalfEven } from "../core/special.js";
import { resultType, asTensor, installMethods, type TensorOrScalar } from "./util.js";
import { inplace, writeDirect } from "./inplace.js";
import { zeroWhere } from "./_helpers.js";
import { directOut } from "./out.js";

// ---------------------------------------------------------------------------------------------
// Unary ops

type Grad1 = (g: Tensor, x: Tensor, y: Tensor) => Tensor;
interface UnaryDef {
  f: (x: number) => number;
  /** "float": integer inputs give the default float dtype (exp, sin …); "same": keep the dtype (abs, neg …) */
  out: "float" | "same";
  grad: Grad1 | null; // null: not differentiable (gradient is zero, as for floor)
  node?: string; // grad_fn name when it is not <Name>Backward0
  big?: (x: bigint) => bigint; // exact int64 path for "same" ops
  /** the formula reads the result, not the input (so an in-place variant needs no copy of the input) */
  usesResult?: boolean;
}

const LN2 = Math.LN2, LN10 = Math.LN10;
const zerosGrad: Grad1 = (g) => g.mul(0);

/** PyTorch's threshold_backward: g where y > threshold, else 0 (relu's gradient from its result).
 *  Without a graph to record, one fused kernel where the backend has it; with one (create_graph),
 *  ops that are themselves differentiable. */
function thresholdBackward(g: Tensor, y: Tensor, threshold: number): Tensor {
  if (is_grad_enabled() || g.dtype !== y.dtype || !sameShape(g.shape, y.shape)) return zeroWhere(g, y.le(threshold), y);
  // (written over g where g is the engine's alone: no fresh buffer for a large gradient)
  if (ownsGradient(g) && K.binaryInto("threshold_backward", g, y, g, [threshold])) return g;
  return K.binary(g, y, (gv, yv) => (yv <= threshold ? 0 : gv), y.dtype, y.shape.slice(), undefined, "threshold_backward", [threshold]);
}

const UNARY = {
  abs: { f: Math.abs, out: "same", grad: (g, x) => g.mul(x.sgn()), big: (x) => (x < 0n ? -x : x) },
  neg: { f: (x) => -x, out: "same", grad: (g) => g.neg(), big: (x) => -x },
  exp: { f: Math.exp, out: "float", grad: (g, _x, y) => g.mul(y), usesResult: true },
  exp2: { f: (x) => 2 ** x, out: "float", grad: (g, _x, y) => g.mul(y).mul(LN2), usesResult: true },
  expm1: { f: Math.expm1, out: "float", grad: (g, _x, y) => g.mul(y.add(1)), usesResult: true },
  log: { f: Math.log, out: "float", grad: (g, x) => g.div(x) },
  log2: { f: Math.log2, out: "float", grad: (g, x) => g.div(x.mul(LN2)) },
  log10: { f: Math.log10, out: "float", grad: (g, x) => g.div(x.mul(LN10)) },
  log1p: { f: Math.log1p, out: "float", grad: (g, x) => g.div(x.add(1)), node: "Log1PBackward0" },
  sqrt: { f: Math.sqrt, out: "float", grad: (g, _x, y) => g.div(y.mul(2)), usesResult: true },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), out: "float", grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5), usesResult: true },
  square: { f: (x) => x * x, out: "same", grad: (g, x) => g.mul(x.mul(2)), node: "PowBackward0", big: (x) => x * x },
  sin: { f: Math.sin, out: "float", grad: (g, x) => g.mul(x.cos()) },
  cos: { f: Math.cos, out: "float", grad: (g, x) => g.mul(x.sin().neg()) },
  tan: { f: Math.tan, out: "float", grad: (g, _x, y) => g.mul(y.square().add(1)), usesResult: true },
  asin: { f: Math.asin, out: "float", grad: (g, x) => g.div(x.square().rsub(1).sqrt()) },
  acos: { f: Math.acos, out: "float", grad: (g, x) => g.div(x.square().rsub(1).sqrt()).neg() },
  atan: { f: Math.atan, out: "float", grad: (g, x) => g.div(x.square().add(1)) },
  sinh: { f: Math.sinh, out: "float", grad: (g, x) => g.mul(x.cosh()) },
  cosh: { f: Math.cosh, out: "float", grad: (g, x) => g.mul(x.sinh()) },
  tanh: { f: Math.tanh, out: "float", grad: (g, _x, y) => g.mul(y.square().rsub(1)), usesResult: true },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), out: "float", grad: (g, _x, y) => g.mul(y.mul(y.rsub(1))), usesResult: true },
  // threshold_backward: the gradient passes unless result <= 0, so NaN inputs pass it too
  relu: { f: (x) => (x > 0 ? x : x === x ? 0 : x), out: "same", grad: (g, _x, y) => thresholdBackward(g, y, 0), big: (x) => (x > 0n ? x : 0n), usesResult: true },
  erf: { f: erfScalar, out: "float", grad: (g, x) => g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))) },
  erfc: { f: erfcScalar, out: "float", grad: (g, x) => g.mul(x.square().neg().exp().mul(-2 / Math.sqrt(Math.PI))) },
  // PyTorch's sign is (0 < x) - (x < 0): 0 for NaN
  sign: { f: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), out: "same", grad: zerosGrad, big: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) },
  sgn: { f: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), out: "same", grad: zerosGrad, big: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) },
  floor: { f: Math.floor, out: "same", grad: zerosGrad, big: (x) => x },
  ceil: { f: Math.ceil, out: "same", grad: zerosGrad, big: (x) => x },
  round: { f: roundHalfEven, out: "same", grad: zerosGrad, big: (x) => x },
  trunc: { f: Math.trunc, out: "same", grad: zerosGrad, big: (x) => x },
  frac: { f: (x) => x - Math.trunc(x), out: "same", grad: (g) => g },
  reciprocal: { f: (x) => 1 / x, out: "float", grad: (g, _x, y) => g.mul(y.square()).neg(), usesResult: true },
} satisfies Record<string, UnaryDef>;

type UnaryName = keyof typeof UNARY;

function nodeName(op: string): string { return op[0]!.toUpperCase() + op.slice(1) + "Backward0"; }

const NO_BOOL_KERNEL: Partial<Record<UnaryName, string>> = {
  abs: "abs_cpu", floor: "floor_vml_cpu", ceil: "ceil_vml_cpu", round: "round_vml_cpu", trunc: "trunc_vml_cpu", frac: "frac_cpu",
};

function unaryOp(op: UnaryName, x: Tensor): Tensor {
  const def: UnaryDef = UNARY[op];
  // square is pow(x, 2): a bool squares to int64
  const d = def.out === "float" && !x.dtype.is_floating_point ? get_default_dtype() : op === "square" && x.dtype === bool ? int64 : x.dtype;
  if (x.dtype === bool && op === "neg")
    throw new Error("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
  if (x.dtype === bool && op === "relu") throw new Error("Boolean inputs not supported for relu");
  // the kernels without bool (or, frac's, without integer) instances
  const kernel = x.dtype === bool || (op === "frac" && !x.dtype.is_floating_point) ? NO_BOOL_KERNEL[op] : undefined;
  if (kernel) throw new Error(`"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
  let y: Tensor;
  // (on a device, int64 is int32: Note [WebGPU element types]; its kernels compute there)
  if (d === int64 && def.big && x.device.type === "cpu") {
    const v = K.bigValues(x), o = new BigInt64Array(v.length);
    for (let i = 0; i < v.length; i++) o[i] = BigInt.asIntN(64, def.big(v[i]!));
    y = Tensor.fromStorage(o, x.shape, int64);
  } else y = K.unary(x, def.f, d, op);
  const grad = def.grad;
  if (!grad) return y;
  if (def.usesResult) return record(def.node ?? nodeName(op), [x], y, ([g], [ys]) => [grad(g!, ys!, ys!)], [y]);
  return record(def.node ?? nodeName(op), [x], y, ([g], [xs]) => [grad(g!, xs!, xs!)], [x]);
}

export const abs = (x: Tensor) => unaryOp("abs", x);
export const neg = (x: Tensor) => unaryOp("neg", x);
export const negative = neg;
export const exp = (x: Tensor) => unaryOp("exp", x);
export const exp2 = (x: Tensor) => unaryOp("exp2", x);
export const expm1 = (x: Tensor) => unaryOp("expm1", x);
export const log = (x: Tensor) => unaryOp("log", x);
export const log2 = (x: Tensor) => unaryOp("log2", x);
export const log10 = (x: Tensor) => unaryOp("log10", x);
export const log1p = (x: Tensor) => unaryOp("log1p", x);
export const sqrt = (x: Tensor) => unaryOp("sqrt", x);
export const rsqrt = (x: Tensor) => unaryOp("rsqrt", x);
export const square = (x: Tensor) => unaryOp("square", x);
export const sin = (x: Tensor) => unaryOp("sin", x);
export const cos = (x: Tensor) => unaryOp("cos", x);
export const tan = (x: Tensor) => unaryOp("tan", x);
export const asin = (x: Tensor) => unaryOp("asin", x);
export const acos = (x: Tensor) => unaryOp("acos", x);
export const atan = (x: Tensor) => unaryOp("atan", x);
export const arcsin = asin, arccos = acos, arctan = atan;
export const sinh = (x: Tensor) => unaryOp("sinh", x);
export const cosh = (x: Tensor) => unaryOp("cosh", x);
export const tanh = (x: Tensor) => unaryOp("tanh", x);
export const sigmoid = (x: Tensor) => unaryOp("sigmoid", x);
export const relu = (x: Tensor) => unaryOp("relu", x);
export const erf = (x: Tensor) => unaryOp("erf", x);
export const erfc = (x: Tensor) => unaryOp("erfc", x);
export const sign = (x: Tensor) => unaryOp("sign", x);
export const sgn = (x: Tensor) => unaryOp("sgn", x);
export const floor = (x: Tensor) => unaryOp("floor", x);
export const ceil = (x: Tensor) => unaryOp("ceil", x);
export const trunc = (x: Tensor) => unaryOp("trunc", x);
export const fix = trunc;
export const frac = (x: Tensor) => unaryOp("frac", x);
export const reciprocal = (x: Tensor) => unaryOp("reciprocal", x);

/** torch.round(x, decimals=0): half to even, as PyTorch. */
export function round(x: Tensor, opts?: { decimals?: number }): Tensor {
  // round(x) is RoundBackward0; round(x, decimals=…) the decimals overload, RoundBackward1, even for 0
  if (opts?.decimals === undefined) return unaryOp("round", x);
  const dec = opts.decimals;
  const s = 10 ** dec;
  const y = K.unary(x, (v) => roundHalfEven(v * s) / s, x.dtype, "round_decimals", [s]);
  return record("RoundBackward1", [x], y, ([g]) => [g!.mul(0)]);
}

/** torch.logit(x, eps=None) */
export function logit(x: Tensor, eps: number | null = null): Tensor {
  const d = x.dtype.is_floating_point ? x.dtype : get_default_dtype();
  const lo = eps ?? 0, hi = eps === null ? 1 : 1 - eps;
  const clampv = (v: number) => (eps === null ? v : Math.min(Math.max(v, lo), hi));
  const y = K.unary(x, (v) => { const z = clampv(v); return Math.log(z / (1 - z)); }, d, "logit", eps === null ? [-Infinity, Infinity] : [lo, hi]);
  return record("LogitBackward0", [x], y, ([g], [xs]) => {
    const base = g!.div(xs!.mul(xs!.rsub(1)));
    if (eps === null) return [base];
    const inside = xs!.ge(lo).logical_and(xs!.le(hi));
    return [where(inside, base, 0)];
  }, [x]);
}

/** Keyword form of clamp's bounds: `x.clamp({min: 0})` is Python's `x.clamp(min=0)`. */
export interface ClampOptions { min?: TensorOrScalar | null; max?: TensorOrScalar | null }

/** torch.clamp(x, min, max) with numbers or tensors as bounds, or torch.clamp(x, {min, max}). */
export function clamp(x: Tensor, min: TensorOrScalar | ClampOptions | null = null, max: TensorOrScalar | null = null): Tensor {
  if (min !== null && typeof min === "object" && !(min instanceof Tensor)) ({ min = null, max = null } = min);
  if (min === null && max === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) return clampTensor(x, min, max);
  const d = resultType(x, ...(min !== null ? [min] : []), ...(max !== null ? [max] : []));
  // (an integer result takes its bounds in its own dtype: 300 for an int8 tensor is an overflow)
  if (!d.is_floating_point) for (const b of [min, max]) if (b !== null) checkedConvert(b, d, "fill");
  const lo = min === null ? -Infinity : Number(min), hi = max === null ? Infinity : Number(max);
  const y = K.unary(x, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)), d, "clamp", [lo, hi]);
  // (clamp_backward: where(lo <= x <= hi, grad, 0), so a NaN gradient outside the bounds gives 0)
  return record("ClampBackward1", [x], y, ([g], [xs]) => [where(xs!.ge(lo).logical_and(xs!.le(hi)), g!, 0)], [x]);
}
export const clip = clamp;

/** clamp.Tensor: min(max(x, min), max) elementwise (so max wins where min > max; NaN anywhere
 *  gives NaN), recorded as one ClampBackward0 with PyTorch's clamp_backward_min_max. */
function clampTensor(x: Tensor, min: TensorOrScalar | null, max: TensorOrScalar | null): Tensor {
  const d = resultType(x, ...(min !== null ? [min] : []), ...(max !== null ? [max] : []));
  const lo = min === null ? null : asTensor(min, d), hi = max === null ? null : asTensor(max, d);
  let y = x.detach();
  if (lo) y = maximum(y, lo.detach());
  if (hi) y = minimum(y, hi.detach());
  const pass = (cond: Tensor, g: Tensor) => where(cond, g, 0);
  const save = [x, ...(lo ? [lo] : []), ...(hi ? [hi] : [])];
  return record("ClampBackward0", [x, lo, hi], y, ([g], [xs, ...bounds]) => {
    const ls = lo ? bounds[0]! : null, hs = hi ? bounds[bounds.length - 1]! : null;
    if (ls && hs) return [
      pass(xs!.ge(ls).logical_and(xs!.le(hs)), g!),
      pass(xs!.lt(ls).logical_and(ls.lt(hs)), g!), // min has no gradient where min > max
      pass(xs!.gt(hs).logical_or(hs.lt(ls)), g!),
    ];
    if (ls) return [pass(xs!.ge(ls), g!), pass(xs!.lt(ls), g!), null];
    return [pass(xs!.le(hs!), g!), null, pass(xs!.gt(hs!), g!)];
  }, save);
}
export function clamp_min(x: Tensor, min: TensorOrScalar): Tensor { return clamp(x, min, null); }
export function clamp_max(x: Tensor, max: TensorOrScalar): Tensor { return clamp(x, null, max); }

export function nan_to_num(x: Tensor, nan = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  const big = x.dtype === int64;
  if (!x.dtype.is_floating_point) return x.clone();
  const maxOf: Record<string, number> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE, float16: 65504, bfloat16: 3.3895313892515355e38 };
  const pinf = posinf ?? maxOf[x.dtype.name]!, ninf = neginf ?? -maxOf[x.dtype.name]!;
  const y = K.unary(x, (v) => (v !== v ? nan : v === Infinity ? pinf : v === -Infinity ? ninf : v), x.dtype, "nan_to_num", [nan, pinf, ninf]);
  return record("NanToNumBackward0", [x], y, ([g], [xs]) => [g!.mul(xs!.isfinite())], [x]);
}

// ---------------------------------------------------------------------------------------------
// Binary ops with broadcasting

interface BinaryDef {
  f: (a: number, b: number) => number;
  big?: K.BigBinaryFn;
  out: "promote" | "float" | "bool";
  /** gradients for (a, b); called only for the ones `needs` asks for */
  grad?: (g: Tensor, a: Tensor, b: Tensor, needs: boolean[]) => [Tensor | null, Tensor | null];
  /** which operands the formula reads for each gradient: [for a's gradient, for b's gradient] */
  reads?: [("a" | "b")[], ("a" | "b")[]];
}

/** g·x or g/x for a gradient formula that reads g no more after it: written over g where g is the
 *  engine's alone (ownsGradient) and the result has g's shape and dtype (x, in another storage,
 *  broadcasts into it), as thresholdBackward; else a new tensor. (Dropout's backward, g·mask.) */
function intoGradient(op: "mul" | "div", g: Tensor, x: Tensor): Tensor {
  if (ownsGradient(g) && g.dtype === x.dtype && x._storage !== g._storage && sameShape(broadcastShapes(g._shape, x._shape), g._shape) && K.binaryInto(op, g, x, g)) return g;
  return op === "mul" ? g.mul(x) : g.div(x);
}

const BINARY = {
  mul: { f: (a, b) => a * b, big: (a, b) => a * b, out: "promote", reads: [["b"], ["a"]],
    grad: (g, a, b, n) => [n[0] ? (n[1] ? g.mul(b) : intoGradient("mul", g, b)) : null, n[1] ? intoGradient("mul", g, a) : null] },
  div: { f: (a, b) => a / b, out: "float", reads: [["b"], ["a", "b"]],
    grad: (g, a, b, n) => [n[0] ? (n[1] ? g.div(b) : intoGradient("div", g, b)) : null, n[1] ? g.neg().mul(a).div(b.square()) : null] },
  atan2: { f: Math.atan2, out: "float", grad: (g, a, b) => { const den = a.square().add(b.square()); return [g.mul(b).div(den), g.mul(a.neg()).div(den)]; } },
  maximum: { f: (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b)), big: (a, b) => (a > b ? a : b), out: "promote",
    grad: (g, a, b) => masked2(g, a.eq(b), a.lt(b), a.gt(b)) },
  minimum: { f: (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b)), big: (a, b) => (a < b ? a : b), out: "promote",
    grad: (g, a, b) => masked2(g, a.eq(b), a.gt(b), a.lt(b)) },
  fmod: { f: (a, b) => a % b, big: (a, b) => (b === 0n ? zeroDiv() : a % b), out: "promote", reads: [[], ["a", "b"]],
    grad: (g, a, b, n) => [g, n[1] ? g.mul(a.div(b).trunc()).neg() : null] },
  remainder: { f: pyMod, big: (a, b) => { if (b === 0n) zeroDiv(); const r = a % b; return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r; }, out: "promote",
    reads: [[], ["a", "b"]], grad: (g, a, b, n) => [g, n[1] ? g.mul(a.div(b).floor()).neg() : null] },
  floor_divide: { f: (a, b) => Math.floor(a / b), big: (a, b) => { if (b === 0n) zeroDiv(); const q = a / b; return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q; }, out: "promote",
    grad: () => { throw new Error("derivative for aten::floor_divide is not implemented"); } },
  eq: { f: (a, b) => +(a === b), big: (a, b) => a === b, out: "bool" },
  ne: { f: (a, b) => +(a !== b), big: (a, b) => a !== b, out: "bool" },
  lt: { f: (a, b) => +(a < b), big: (a, b) => a < b, out: "bool" },
  le: { f: (a, b) => +(a <= b), big: (a, b) => a <= b, out: "bool" },
  gt: { f: (a, b) => +(a > b), big: (a, b) => a > b, out: "bool" },
  ge: { f: (a, b) => +(a >= b), big: (a, b) => a >= b, out: "bool" },
  // truth is x != 0, as in PyTorch: NaN is true
  logical_and: { f: (a, b) => +(a !== 0 && b !== 0), big: (a, b) => a !== 0n && b !== 0n, out: "bool" },
  logical_or: { f: (a, b) => +(a !== 0 || b !== 0), big: (a, b) => a !== 0n || b !== 0n, out: "bool" },
  logical_xor: { f: (a, b) => +((a !== 0) !== (b !== 0)), big: (a, b) => (a !== 0n) !== (b !== 0n), out: "bool" },
} satisfies Record<string, BinaryDef>;

function zeroDiv(): never { throw new Error("ZeroDivisionError"); }

/** Gradient of max/min-like selection (PyTorch's formula): split evenly on ties, zero for the
 *  input that lost; where neither won nor lost (a NaN on either side) both get the gradient. */
function masked2(g: Tensor, tie: Tensor, aLost: Tensor, bLost: Tensor): [Tensor, Tensor] {
  const base = where(tie, g.mul(0.5), g);
  return [where(aLost, 0, base), where(bLost, 0, base)];
}

type BinaryName = keyof typeof BINARY;

function binaryOp(op: BinaryName, a: TensorOrScalar, b: TensorOrScalar, node = nodeName(op)): Tensor {
  const def: BinaryDef = BINARY[op];
  let d = resultType(a, b);
  if (def.out === "float" && !d.is_floating_point) d = get_default_dtype();
  const A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(A._shape, B._shape);
  const outD = def.out === "bool" ? bool : d;
  // the exact BigInt path only when the op computes in int64 (int64 == 0.5 compares in float)
  const y = K.binary(A, B, def.f, outD, shape, d === int64 ? def.big : undefined, op);
  const grad = def.grad;
  if (!grad || !outD.is_floating_point) return y;
  const [forA, forB] = def.reads ?? [["a", "b"], ["a", "b"]];
  const want = (op: "a" | "b") => (forA.includes(op) && A.requires_grad) || (forB.includes(op) && B.requires_grad);
  return record(node, [A, B], y, ([g], [as, bs], needs) => grad(g!, as!, bs!, needs), [want("a") ? A : null, want("b") ? B : null]);
}

/** torch.add(a, b, {alpha}): a + alpha·b */
export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  // Note [Number on the left]: `torch.add(10, d)` stands for Python's `10 + d`, which is
  // d.__radd__(10) = d + 10: the tensor's edge comes first in next_functions.
  return addSub(a, b, opts?.alpha ?? 1, "AddBackward0", !(a instanceof Tensor) && b instanceof Tensor ? "ba" : "ab");
}
/** torch.sub(a, b, {alpha}): a - alpha·b */
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  subCheck(a, b);
  // Python's `10 - d` is d.__rsub__(10), i.e. torch.rsub(d, 10) (see Note [Number on the left])
  if (!(a instanceof Tensor) && b instanceof Tensor) return rsub(b, a, opts);
  return addSub(a, b, -(opts?.alpha ?? 1), "SubBackward0");
}
export const subtract = sub;
/** Tensor.rsub(other, {alpha}): other - alpha·self (Python's `number - tensor`). */
export function rsub(self: Tensor, other: TensorOrScalar, opts?: { alpha?: number } | number): Tensor {
  // (rsub.Scalar takes alpha by position, rsub.Tensor by name only)
  const alpha = typeof opts === "number" ? opts : opts?.alpha ?? 1;
  subCheck(self, other);
  // PyTorch's edges are (self, other) for rsub.Tensor, and self's alone for rsub.Scalar
  return other instanceof Tensor
    ? addSub(other, self, -alpha, "RsubBackward0", "ba")
    : addSub(other, self, -alpha, "RsubBackward1", "b");
}

/** PyTorch's sub_check: no subtraction with bools (a boolean number counts as a bool tensor). */
function subCheck(a: TensorOrScalar, b: TensorOrScalar): void {
  const isBool = (v: TensorOrScalar) => (v instanceof Tensor ? v.dtype === bool : typeof v === "boolean");
  if (isBool(a) && isBool(b))
    throw new Error("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
  if (isBool(a) || isBool(b))
    throw new Error("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
}

/** a + alpha·b, recorded with PyTorch's edges: "ab" (a's then b's), "ba" (b's then a's) or
 *  "b" (b's alone, when a is a number that PyTorch takes as a Scalar argument, not a tensor). */
function addSub(a: TensorOrScalar, b: TensorOrScalar, alpha: number, node: string, edges: "ab" | "ba" | "b" = "ab"): Tensor {
  // (alpha takes no part in the result's dtype: alpha_check)
  const d = resultType(a, b);
  if (typeof alpha === "boolean" && d !== bool) throw new Error("Boolean alpha only supported for Boolean results.");
  if (!d.is_floating_point && !Number.isInteger(Number(alpha)))
    throw new Error(`For integral input tensors, argument alpha must not be a floating point number.`);
  const A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(A._shape, B._shape);
  // (the closures of alpha = ±1 made once: this is the most frequent op)
  const y = d === bool ? K.binary(A, B, LOGICAL_OR, bool, shape, undefined, "logical_or")
    : alpha === 1 ? K.binary(A, B, ADD, d, shape, ADD_BIG, "add")
    : alpha === -1 ? K.binary(A, B, SUB, d, shape, SUB_BIG, "sub")
    : K.binary(A, B, (x, z) => x + alpha * z, d, shape, (x, z) => x + BigInt(Math.trunc(alpha)) * z, "add_alpha", [alpha]);
  if (!needsGrad([A, B])) { K.adoptDevice(node, [A, B], y); return y; } // (record's work without a node)
  const gB = (g: Tensor) => (alpha === 1 ? g : g.mul(alpha));
  if (edges === "b") return record(node, [B], y, ([g]) => [gB(g!)]);
  if (edges === "ba") return record(node, [B, A], y, ([g]) => [gB(g!), g!]);
  return record(node, [A, B], y, ([g]) => [g!, gB(g!)]);
}
const ADD = (x: number, z: number) => x + z, SUB = (x: number, z: number) => x - z;
const ADD_BIG = (x: bigint, z: bigint) => x + z, SUB_BIG = (x: bigint, z: bigint) => x - z;
const LOGICAL_OR = (x: number, z: number) => +(!!x || !!z);

// `torch.mul(3, d)` is Python's `3 * d` = d * 3 (see Note [Number on the left])
export const mul = (a: TensorOrScalar, b: TensorOrScalar) =>
  !(a instanceof Tensor) && b instanceof Tensor ? binaryOp("mul", b, a) : binaryOp("mul", a, b);
export const multiply = mul;

/** torch.div(a, b, {rounding_mode}): true division, or "trunc"/"floor" rounding. */
export function div(a: TensorOrScalar, b: TensorOrScalar, opts?: { rounding_mode?: "trunc" | "floor" | null }): Tensor {
  const mode = opts?.rounding_mode ?? null;
  // `torch.div(3, d)` is Python's `3 / d`, which PyTorch computes as d.reciprocal() * 3
  // (Tensor.__rdiv__): the graph and the float rounding of the two steps (see Note [Number on the left])
  if (mode === null && !(a instanceof Tensor) && b instanceof Tensor) return mul(reciprocal(b), a);
  if (mode === null) return binaryOp("div", a, b);
  if (mode !== "trunc" && mode !== "floor")
    throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
  const d = resultType(a, b), A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(A._shape, B._shape);
  const big: K.BigBinaryFn = mode === "trunc" ? (x, z) => (z === 0n ? zeroDiv() : x / z) : BINARY.floor_divide.big;
  const y = K.binary(A, B, mode === "trunc" ? (x, z) => Math.trunc(x / z) : (x, z) => Math.floor(x / z), d, shape, big, mode === "trunc" ? "div_trunc" : "floor_divide");
  return record("DivBackward2", [A, B], y, ([g]) => [g!.mul(0), g!.mul(0)]);
}
export const divide = div;
export const true_divide = (a: TensorOrScalar, b: TensorOrScalar) => div(a, b);

/** x·s and x/s for a number s through the Scalar overloads (mul.Scalar, div.Scalar), as PyTorch's
 *  C++ composites call them (trapezoid, ndtr, losses): their nodes are MulBackward1 / DivBackward1,
 *  where Python's `x * s` (a wrapped-number tensor) gives MulBackward0. */
export function mulScalar(x: Tensor, s: number): Tensor {
  return record("MulBackward1", [x], x.detach().mul(s), ([g]) => [g!.mul(s)]);
}
export function divScalar(x: Tensor, s: number): Tensor {
  return record("DivBackward1", [x], x.detach().div(s), ([g]) => [g!.div(s)]);
}

export const atan2 = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("atan2", a, b);
export const arctan2 = atan2;
export const maximum = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("maximum", a, b);
export const minimum = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("minimum", a, b);
export const fmax = maximum, fmin = minimum;
// fmod.Scalar / remainder.Scalar are <Op>Backward0, the Tensor overloads <Op>Backward1
export const fmod = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("fmod", a, b, b instanceof Tensor ? "FmodBackward1" : "FmodBackward0");
export const remainder = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("remainder", a, b, b instanceof Tensor ? "RemainderBackward1" : "RemainderBackward0");
// PyTorch has no derivative for floor_divide: its node is NotImplemented and backward through it throws
export const floor_divide = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("floor_divide", a, b, "NotImplemented");
export const eq = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("eq", a, b);
export const ne = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("ne", a, b);
export const lt = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("lt", a, b);
export const le = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("le", a, b);
export const gt = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("gt", a, b);
export const ge = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("ge", a, b);
export const greater = gt, greater_equal = ge, less = lt, less_equal = le, not_equal = ne;
export const logical_and = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("logical_and", a, b);
export const logical_or = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("logical_or", a, b);
export const logical_xor = (a: TensorOrScalar, b: TensorOrScalar) => binaryOp("logical_xor", a, b);

export function logical_not(x: Tensor): Tensor { return K.unary(x, (v) => +(v === 0), bool, "logical_not"); }
export function isnan(x: Tensor): Tensor { return K.unary(x, (v) => +(v !== v), bool, "isnan"); }
export function isinf(x: Tensor): Tensor { return K.unary(x, (v) => +(v === Infinity || v === -Infinity), bool, "isinf"); }
export function isfinite(x: Tensor): Tensor { return K.unary(x, (v) => +Number.isFinite(v), bool, "isfinite"); }
export function isposinf(x: Tensor): Tensor { return K.unary(x, (v) => +(v === Infinity), bool, "isposinf"); }
export function isneginf(x: Tensor): Tensor { return K.unary(x, (v) => +(v === -Infinity), bool, "isneginf"); }
export function signbit(x: Tensor): Tensor { return K.unary(x, (v) => +(v < 0 || Object.is(v, -0)), bool, "signbit"); }

// Bitwise ops: integers and bools only, exact through BigInt.
function bitwise(name: string, a: TensorOrScalar, b: TensorOrScalar, big: (x: bigint, y: bigint) => bigint): Tensor {
  const d = resultType(a, b);
  if (d.is_floating_point) throw new Error(`"${name}_cpu" not implemented for '${d === get_default_dtype() && d.name === "float32" ? "Float" : d.name}'`);
  const A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(A._shape, B._shape);
  if (d === int64) return K.binary(A, B, () => 0, d, shape, big, name);
  return K.binary(A, B, (x, y) => Number(big(BigInt(x), BigInt(y))), d, shape, undefined, name);
}
export const bitwise_and = (a: TensorOrScalar, b: TensorOrScalar) => bitwise("bitwise_and", a, b, (x, y) => x & y);
export const bitwise_or = (a: TensorOrScalar, b: TensorOrScalar) => bitwise("bitwise_or", a, b, (x, y) => x | y);
export const bitwise_xor = (a: TensorOrScalar, b: TensorOrScalar) => bitwise("bitwise_xor", a, b, (x, y) => x ^ y);
// ATen's lshift/rshift: a count that is negative or reaches the type's width shifts everything out
// (0 to the left; to the right, the sign for signed types, 0 for unsigned ones)
export const bitwise_left_shift = (a: TensorOrScalar, b: TensorOrScalar) => {
  const width = BigInt(8 * resultType(a, b).itemsize);
  return bitwise("lshift", a, b, (x, y) => (y < 0n || y >= width ? 0n : x << y));
};
export const bitwise_right_shift = (a: TensorOrScalar, b: TensorOrScalar) => {
  const d = resultType(a, b), max = BigInt(8 * d.itemsize - (d.is_signed ? 1 : 0));
  return bitwise("rshift", a, b, (x, y) => x >> (y < 0n || y >= max ? max : y));
};
export function bitwise_not(x: Tensor): Tensor {
  if (x.dtype.is_floating_point) throw new Error(`"bitwise_not_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (x.dtype === bool) return logical_not(x);
  if (x.dtype === int64) return unaryOp("neg", x).sub(1);
  return K.unary(x, (v) => ~v, x.dtype, "bitwise_not");
}

/** torch.pow: tensor^scalar (PowBackward0), tensor^tensor (PowBackward1), scalar^tensor (PowBackward2). */
/** Integer a ** b as PyTorch's powi (aten/src/ATen/native/Pow.h): squaring, wrapping around in the
 *  dtype (Math.imul's 32 bits, which the store truncates to narrower dtypes), and for b < 0 (a
 *  tensor exponent; a Scalar one is refused above) 0, except 1 for a base of 1 and ±1 for -1. */
function powi(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 ? -1 : 1) : 0;
  let r = 1;
  for (; b > 0; b = Math.floor(b / 2), a = Math.imul(a, a)) if (b % 2) r = Math.imul(r, a);
  return r;
}
function powi64(a: bigint, b: bigint): bigint {
  if (b < 0n) return a === 1n ? 1n : a === -1n ? (b % 2n ? -1n : 1n) : 0n;
  let r = 1n;
  for (; b > 0n; b >>= 1n, a = BigInt.asIntN(64, a * a)) if (b & 1n) r = BigInt.asIntN(64, r * a);
  return r;
}

export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const d = resultType(a, b);
  const A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(A._shape, B._shape);
  if (!d.is_floating_point && b instanceof Tensor === false && Number(b) < 0)
    throw new Error("Integers to negative integer powers are not allowed.");
  // (C's pow, not JavaScript's **, at 1 ** NaN and (-1) ** ±inf: 1)
  const f = d.is_floating_point ? (x: number, z: number) => (x === 1 || (x === -1 && Math.abs(z) === Infinity) ? 1 : x ** z) : powi;
  const y = K.binary(A, B, f, d, shape, powi64, "pow");
  if (!(b instanceof Tensor)) {
    const e = Number(b);
    return record("PowBackward0", [A], y, ([g], [as]) => [e === 0 ? g!.mul(0) : g!.mul(as!.pow(e - 1).mul(e))], [A]);
  }
  if (!(a instanceof Tensor)) {
    const base = Number(a);
    // pow.Scalar takes the base as a Scalar argument: the exponent's is the node's only edge
    return record("PowBackward2", [B], y, ([g], [ys]) => [g!.mul(ys!).mul(Math.log(base))], [y]);
  }
  return record("PowBackward1", [A, B], y, ([g], [as, bs, ys]) => [
    // 0 where the exponent is 0 (PyTorch's pow_backward_self), not 0·a^-1
    where(bs!.eq(0), 0, g!.mul(bs!.mul(as!.pow(bs!.sub(1))))),
    // d/db a^b = a^b log a, defined as 0 where a == 0 and b >= 0 (PyTorch's pow_backward_exponent)
    g!.mul(where(as!.eq(0).logical_and(bs!.ge(0)), 0, ys!.mul(as!.log()))),
  ], [A, B, y]);
}
export const float_power = (a: TensorOrScalar, b: TensorOrScalar) => pow(a instanceof Tensor ? a.double() : a, b instanceof Tensor ? b.double() : b);

/** torch.where(cond, a, b), and torch.where(cond) = nonzero as a tuple. */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (cond.dtype !== bool) throw new Error(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(cond.dtype)}`);
  const d = resultType(a, b);
  const A = asTensor(a, d), B = asTensor(b, d);
  const shape = broadcastShapes(cond.shape, broadcastShapes(A.shape, B.shape));
  const y = K.where(cond, A, B, d, shape);
  return record("WhereBackward0", [null, A, B], y, ([g]) => [null, where(cond, g!, 0), where(cond, 0, g!)]);
}

/** torch.lerp(start, end, weight) = start + weight·(end − start). */
export function lerp(start: Tensor, end: Tensor, weight: TensorOrScalar): Tensor {
  // (lerp's meta functions; a 0-d weight of another dtype passes)
  if (end.dtype !== start.dtype) throw new Error(`expected dtype ${cppTypeName(start.dtype)} for \`end\` but got dtype ${cppTypeName(end.dtype)}`);
  if (weight instanceof Tensor && weight.ndim > 0 && weight.dtype !== start.dtype)
    throw new Error(`expected dtype ${cppTypeName(start.dtype)} for \`weight\` but got dtype ${cppTypeName(weight.dtype)}`);
  if (!start.dtype.is_floating_point && !(weight instanceof Tensor))
    throw new Error(`"lerp_kernel_scalar" not implemented for '${scalarTypeName(start.dtype)}'`);
  // PyTorch's formula: from the nearer end, for accuracy (|weight| < 0.5 counts from start)
  const s = start.detach(), e = end.detach(), diff = e.sub(s);
  const w = weight instanceof Tensor ? weight.detach() : weight;
  const y = w instanceof Tensor
    ? where(w.abs().lt(0.5), s.add(diff.mul(w)), e.sub(diff.mul(w.rsub(1))))
    : Math.abs(Number(w)) < 0.5 ? s.add(diff.mul(w)) : e.sub(diff.mul(1 - Number(w)));
  if (!(weight instanceof Tensor)) {
    const wv = Number(weight);
    return record("LerpBackward0", [start, end], y, ([g]) => [g!.mul(1 - wv), g!.mul(wv)]);
  }
  return record("LerpBackward1", [start, end, weight], y, ([g], [ss, es, ws]) => [
    g!.mul(ws!.rsub(1)), g!.mul(ws!), g!.mul(es!.sub(ss!)),
  ], [start, end, weight]);
}

export function isclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equal_nan = false): Tensor {
  const en = equal_nan;
  if (a.dtype !== b.dtype) throw new Error(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  const shape = broadcastShapes(a.shape, b.shape);
  return K.binary(a, b, (x, y) => {
    if (x === y) return 1;
    if (x !== x || y !== y) return +(en && x !== x && y !== y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return 0;
    return +(Math.abs(x - y) <= atol + rtol * Math.abs(y));
  }, bool, shape, undefined, "isclose", [rtol, atol, +en]);
}
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equal_nan = false): boolean {
  return !!isclose(a, b, rtol, atol, equal_nan).all().item();
}
/** torch.equal: same shape and same values. */
export function equal(a: Tensor, b: Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return !!eq(a, b).all().item();
}

/** The dtype an in-place op's result must be castable to (PyTorch's error when it is not). */
function checkInplaceDtype(self: Tensor, result: DType): void {
  if (!can_cast(result, self.dtype))
    throw new Error(`result type ${scalarTypeName(result)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
}

// ---------------------------------------------------------------------------------------------
// Methods and in-place variants

const binaryFns = {
  add, sub, subtract, mul, multiply, div, divide, true_divide, pow, atan2, arctan2, maximum, minimum, fmax, fmin, fmod, remainder, floor_divide,
  eq, ne, lt, le, gt, ge, greater, greater_equal, less, less_equal, not_equal, logical_and, logical_or, logical_xor,
  bitwise_and, bitwise_or, bitwise_xor, bitwise_left_shift, bitwise_right_shift, float_power,
};
const unaryFns = {
  abs, neg, negative, exp, exp2, expm1, log, log2, log10, log1p, sqrt, rsqrt, square, sin, cos, tan, asin, acos, atan,
  arcsin, arccos, arctan, sinh, cosh, tanh, sigmoid, relu, erf, erfc, sign, sgn, floor, ceil, trunc, fix, frac, reciprocal,
  round, logit, clamp, clip, clamp_min, clamp_max, nan_to_num,
};

installMethods({
  ...unaryFns, ...binaryFns, rsub, lerp, isclose, allclose, equal, where: (x: Tensor, c: Tensor, o: TensorOrScalar) => where(c, x, o),
  logical_not, isnan, isinf, isfinite, isposinf, isneginf, signbit, bitwise_not,
  conj_: (x: Tensor) => x, // real tensors: conj is the identity; used by mul's formula as PyTorch writes it
});

// Note [Writing in place]: self.add_(other), sub_, mul_ and div_, and the unary ops' exp_, relu_,
// sigmoid_ …, on float32 with no graph to record (an optimizer's update, gradient clipping and
// accumulation, anything under no_grad, an inplace ReLU in evaluation) are computed by the fast
// backend straight into self's elements: no new tensor, no copy back. The same kernels serve
// out= (torch.add(a, b, {out}), torch.exp(x, {out}): ops/out.ts's direct writers) where out is
// float32 and already of the result's shape. The kernels compute what the out-of-place op
// computes, so the values are the same. Anything else (a graph, other dtypes, an operand
// overlapping the destination, a broadcast error to report, a resize, a backend without the
// kernel) takes the general path.
const DIRECT_INPLACE: Record<string, (alpha: number) => [op: string, param: number]> = {
  add: (alpha) => (alpha === 1 ? ["add", 0] : ["add_alpha", alpha]),
  sub: (alpha) => (alpha === 1 ? ["sub", 0] : ["add_alpha", -alpha]),
  mul: () => ["mul", 0], multiply: () => ["mul", 0],
  div: () => ["div", 0], divide: () => ["div", 0], true_divide: () => ["div", 0],
};
/** Whether x can be read while dst is written element by element: another storage, or dst itself
 *  (each element is read before it is written); any other view of dst's storage could read
 *  elements already written. */
const readableWhileWriting = (x: Tensor, dst: Tensor): boolean =>
  x._storage !== dst._storage || (x._offset === dst._offset && sameShape(x._shape, dst._shape) && sameShape(x._strides, dst._strides));

/** a op other (alpha) written straight into dst (self for the in-place op, or out=); false with
 *  nothing written where the general path must run. */
function writeBinary(a: Tensor, kernel: (alpha: number) => [string, number], args: readonly unknown[], dst: Tensor): boolean {
  const [other, opts] = args;
  if (a.dtype !== float32 || dst.dtype !== float32 || args.length > 2) return false;
  if (!(typeof other === "number" || (other instanceof Tensor && other.dtype === float32))) return false;
  const alpha = (opts as { alpha?: unknown } | undefined)?.alpha ?? 1;
  if (typeof alpha !== "number" || (opts !== undefined && Object.keys(opts as object).some((k) => k !== "alpha"))) return false;
  if (is_grad_enabled() && (a.requires_grad || (other instanceof Tensor && other.requires_grad))) return false;
  const b = asTensor(other, float32);
  if (!readableWhileWriting(a, dst) || !readableWhileWriting(b, dst) || !sameShape(broadcastShapes(a._shape, b._shape), dst._shape)) return false;
  const [op, param] = kernel(alpha);
  return K.binaryInto(op, a, b, dst, [param]);
}

function writeUnary(x: Tensor, op: string, args: readonly unknown[], dst: Tensor): boolean {
  if (args.length > 0 || x.dtype !== float32 || dst.dtype !== float32 || (is_grad_enabled() && x.requires_grad)) return false;
  return sameShape(x._shape, dst._shape) && readableWhileWriting(x, dst) && K.unaryInto(op, x, dst);
}

for (const [name, kernel] of Object.entries(DIRECT_INPLACE))
  directOut(name, (out, [a, ...rest], opts) => a instanceof Tensor && writeBinary(a, kernel, Object.keys(opts).length ? [...rest, opts] : rest, out));
for (const name of Object.keys(UNARY))
  directOut(name, (out, [x, ...rest], opts) => x instanceof Tensor && Object.keys(opts).length === 0 && writeUnary(x, name, rest, out));

// In-place variants: compute out of place, then write back through `inplace`, which checks
// leaves, dtypes and versions and rebases the autograd history (CopySlices for views).
const inplaceMethods: Record<string, (self: Tensor, ...args: never[]) => Tensor> = {};
for (const [name, fn] of Object.entries({ ...unaryFns, ...binaryFns, rsub, lerp, logical_not, bitwise_not })) {
  if (name === "clip" || name.startsWith("fix")) { /* aliases share the canonical in-place op below */ }
  const kernel = DIRECT_INPLACE[name], unary = name in UNARY;
  inplaceMethods[name + "_"] = (self: Tensor, ...args: never[]) =>
    (kernel && writeDirect(self, () => writeBinary(self, kernel, args as unknown[], self))) ||
    (unary && writeDirect(self, () => writeUnary(self, name, args as unknown[], self))) ||
    inplace(self, () => (fn as (s: Tensor, ...a: unknown[]) => Tensor)(self, ...args));
}
installMethods(inplaceMethods);

declare module "../core/tensor.js" {
  interface Tensor {
    add(other: TensorOrScalar, opts?: { alpha?: number }): Tensor; add_(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    /** @deprecated PyTorch's add(Number alpha, Tensor other) (the old tutorials' p.data.add_(-lr, grad)):
     *  still parsed as PyTorch does, with its warning; write add(other, {alpha}). */
    add(alpha: number, other: Tensor): Tensor;
    /** @deprecated PyTorch's add_(Number alpha, Tensor other): write add_(other, {alpha}). */
    add_(alpha: number, other: Tensor): Tensor;
    rsub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor; rsub_(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    abs(): Tensor; abs_(): Tensor;
    neg(): Tensor; neg_(): Tensor;
    negative(): Tensor; negative_(): Tensor;
    exp(): Tensor; exp_(): Tensor;
    exp2(): Tensor; exp2_(): Tensor;
    expm1(): Tensor; expm1_(): Tensor;
    log(): Tensor; log_(): Tensor;
    log2(): Tensor; log2_(): Tensor;
    log10(): Tensor; log10_(): Tensor;
    log1p(): Tensor; log1p_(): Tensor;
    sqrt(): Tensor; sqrt_(): Tensor;
    rsqrt(): Tensor; rsqrt_(): Tensor;
    square(): Tensor; square_(): Tensor;
    sin(): Tensor; sin_(): Tensor;
    cos(): Tensor; cos_(): Tensor;
    tan(): Tensor; tan_(): Tensor;
    asin(): Tensor; asin_(): Tensor;
    acos(): Tensor; acos_(): Tensor;
    atan(): Tensor; atan_(): Tensor;
    arcsin(): Tensor; arcsin_(): Tensor;
    arccos(): Tensor; arccos_(): Tensor;
    arctan(): Tensor; arctan_(): Tensor;
    sinh(): Tensor; sinh_(): Tensor;
    cosh(): Tensor; cosh_(): Tensor;
    tanh(): Tensor; tanh_(): Tensor;
    sigmoid(): Tensor; sigmoid_(): Tensor;
    relu(): Tensor; relu_(): Tensor;
    erf(): Tensor; erf_(): Tensor;
    erfc(): Tensor; erfc_(): Tensor;
    sign(): Tensor; sign_(): Tensor;
    sgn(): Tensor; sgn_(): Tensor;
    floor(): Tensor; floor_(): Tensor;
    ceil(): Tensor; ceil_(): Tensor;
    trunc(): Tensor; trunc_(): Tensor;
    fix(): Tensor; fix_(): Tensor;
    frac(): Tensor; frac_(): Tensor;
    reciprocal(): Tensor; reciprocal_(): Tensor;
    sub(other: TensorOrScalar, opts?: { alpha?: number }): Tensor; sub_(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    subtract(other: TensorOrScalar, opts?: { alpha?: number }): Tensor; subtract_(other: TensorOrScalar, opts?: { alpha?: number }): Tensor;
    mul(other: TensorOrScalar): Tensor; mul_(other: TensorOrScalar): Tensor;
    multiply(other: TensorOrScalar): Tensor; multiply_(other: TensorOrScalar): Tensor;
    div(other: TensorOrScalar, opts?: { rounding_mode?: "trunc" | "floor" | null }): Tensor; div_(other: TensorOrScalar, opts?: { rounding_mode?: "trunc" | "floor" | null }): Tensor;
    divide(other: TensorOrScalar, opts?: { rounding_mode?: "trunc" | "floor" | null }): Tensor; divide_(other: TensorOrScalar, opts?: { rounding_mode?: "trunc" | "floor" | null }): Tensor;
    true_divide(other: TensorOrScalar): Tensor; true_divide_(other: TensorOrScalar): Tensor;
    pow(other: TensorOrScalar): Tensor; pow_(other: TensorOrScalar): Tensor;
    atan2(other: TensorOrScalar): Tensor; atan2_(other: TensorOrScalar): Tensor;
    arctan2(other: TensorOrScalar): Tensor; arctan2_(other: TensorOrScalar): Tensor;
    maximum(other: TensorOrScalar): Tensor; maximum_(other: TensorOrScalar): Tensor;
    minimum(other: TensorOrScalar): Tensor; minimum_(other: TensorOrScalar): Tensor;
    fmax(other: TensorOrScalar): Tensor; fmax_(other: TensorOrScalar): Tensor;
    fmin(other: TensorOrScalar): Tensor; fmin_(other: TensorOrScalar): Tensor;
    fmod(other: TensorOrScalar): Tensor; fmod_(other: TensorOrScalar): Tensor;
    remainder(other: TensorOrScalar): Tensor; remainder_(other: TensorOrScalar): Tensor;
    floor_divide(other: TensorOrScalar): Tensor; floor_divide_(other: TensorOrScalar): Tensor;
    eq(other: TensorOrScalar): Tensor; eq_(other: TensorOrScalar): Tensor;
    ne(other: TensorOrScalar): Tensor; ne_(other: TensorOrScalar): Tensor;
    lt(other: TensorOrScalar): Tensor; lt_(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor; le_(other: TensorOrScalar): Tensor;
    gt(other: TensorOrScalar): Tensor; gt_(other: TensorOrScalar): Tensor;
    ge(other: TensorOrScalar): Tensor; ge_(other: TensorOrScalar): Tensor;
    greater(other: TensorOrScalar): Tensor; greater_(other: TensorOrScalar): Tensor;
    greater_equal(other: TensorOrScalar): Tensor; greater_equal_(other: TensorOrScalar): Tensor;
    less(other: TensorOrScalar): Tensor; less_(other: TensorOrScalar): Tensor;
    less_equal(other: TensorOrScalar): Tensor; less_equal_(other: TensorOrScalar): Tensor;
    not_equal(other: TensorOrScalar): Tensor; not_equal_(other: TensorOrScalar): Tensor;
    logical_and(other: TensorOrScalar): Tensor; logical_and_(other: TensorOrScalar): Tensor;
    logical_or(other: TensorOrScalar): Tensor; logical_or_(other: TensorOrScalar): Tensor;
    logical_xor(other: TensorOrScalar): Tensor; logical_xor_(other: TensorOrScalar): Tensor;
    bitwise_and(other: TensorOrScalar): Tensor; bitwise_and_(other: TensorOrScalar): Tensor;
    bitwise_or(other: TensorOrScalar): Tensor; bitwise_or_(other: TensorOrScalar): Tensor;
    bitwise_xor(other: TensorOrScalar): Tensor; bitwise_xor_(other: TensorOrScalar): Tensor;
    bitwise_left_shift(other: TensorOrScalar): Tensor; bitwise_left_shift_(other: TensorOrScalar): Tensor;
    bitwise_right_shift(other: TensorOrScalar): Tensor; bitwise_right_shift_(other: TensorOrScalar): Tensor;
    float_power(other: TensorOrScalar): Tensor; float_power_(other: TensorOrScalar): Tensor;
    round(opts?: { decimals?: number }): Tensor; round_(opts?: { decimals?: number }): Tensor;
    logit(eps?: number | null): Tensor; logit_(eps?: number | null): Tensor;
    clamp(min?: TensorOrScalar | ClampOptions | null, max?: TensorOrScalar | null): Tensor; clamp_(min?: TensorOrScalar | ClampOptions | null, max?: TensorOrScalar | null): Tensor;
    clip(min?: TensorOrScalar | ClampOptions | null, max?: TensorOrScalar | null): Tensor; clip_(min?: TensorOrScalar | ClampOptions | null, max?: TensorOrScalar | null): Tensor;
    clamp_min(min: TensorOrScalar): Tensor; clamp_min_(min: TensorOrScalar): Tensor;
    clamp_max(max: TensorOrScalar): Tensor; clamp_max_(max: TensorOrScalar): Tensor;
    nan_to_num(nan?: number, posinf?: number | null, neginf?: number | null): Tensor; nan_to_num_(nan?: number, posinf?: number | null, neginf?: number | null): Tensor;
    lerp(end: Tensor, weight: TensorOrScalar): Tensor; lerp_(end: Tensor, weight: TensorOrScalar): Tensor;
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    isclose(other: Tensor, rtol?: number, atol?: number, equal_nan?: boolean): Tensor;
    allclose(other: Tensor, rtol?: number, atol?: number, equal_nan?: boolean): boolean;
    equal(other: Tensor): boolean;
    logical_not(): Tensor; logical_not_(): Tensor; bitwise_not(): Tensor; bitwise_not_(): Tensor;
    isnan(): Tensor; isinf(): Tensor; isfinite(): Tensor; isposinf(): Tensor; isneginf(): Tensor; signbit(): Tensor;
    /** @internal */ conj_(): Tensor;
  }
}
export type { Scalar };
