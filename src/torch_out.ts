// The `torch` namespace with PyTorch's out= arguments: every function that takes `out` in
// PyTorch 2.x (those of torch/_C/_VariableFunctions.pyi with an `out` parameter, and of
// torch.linalg and torch.special whose documentation gives one, among those typetorch has),
// wrapped by ops/out.ts's withOut with the way its kernel checks out's dtype (the kinds were read
// off PyTorch's errors for an out of another dtype). torch.hardshrink and torch.threshold take an out
// too (F.hardshrink is the same builtin in PyTorch: nn/index.ts gives it the out; F.threshold, a Python
// function, takes none). index.ts exports this module:
// its own exports shadow torch.ts's of the same names, and everything else passes through.

import * as T from "./torch.js";
import { withOut, type OutKind, type WithOut } from "./ops/out.js";
import { scalarTypeName as st, cppTypeName, type DType } from "./core/dtype.js";

export * from "./torch.js";

type Fn = (...args: never[]) => unknown;
/** The functions `names` of a namespace (torch, torch.linalg, torch.special) wrapped with their
 *  out= (ops/out.ts's withOut, `kind` saying how the kernel checks out's dtype), named as PyTorch's
 *  aten ops are: `prefix` + name (linalg_inv …). */
function outs<M extends object, K extends keyof M & string>(mod: M, names: readonly K[], kind?: OutKind, prefix = ""):
  { [P in K]: WithOut<M[P]> } {
  const r: Record<string, unknown> = {};
  for (const n of names) r[n] = withOut(prefix + n, mod[n] as Fn, kind, `${prefix ? prefix.slice(0, -1) : "torch"}.${n}`);
  return r as { [P in K]: WithOut<M[P]> };
}

// the ops whose kernels check out's dtype with a message of their own
type Msg = (r: DType, o: DType) => string;
const own = (msg: Msg, extra: { cast?: boolean; type?: boolean } = {}): OutKind => ({ msg, ...extra });
const DOT = own((r, o) => `result dtype ${st(o)} does not match input dtype ${st(r)}`);
const TENSORDOT = own((r, o) => `tensordot: Expected the output tensor to have dtype ${st(r)}, but got an output tensor with dtype ${st(o)}`);
const CAT = own((_r, o) => `torch.cat(): input types can't be cast to the desired output type ${st(o)}`, { cast: true, type: true });
const sel = (op: string) => own(() => `${op}(): self and result must have the same scalar type`);
const TAKE = own((r, o) => `take(): self and out expected to have the same dtype, but got self.dtype = ${st(r)} and out.dtype = ${st(o)}`);
const AMAX = own((r, o) => `Expected the dtype for input and out to match, but got ${st(r)} for input's dtype and ${st(o)} for out's dtype.`);
const WHERE = own((r, o) => `Expected out type to be ${st(r)} but got ${st(o)}`);
const NAN_TO_NUM = own((r, o) => `nan_to_num: dtype of out: ${st(o)} should be same as input: ${st(r)}`);
const LOGCUMSUMEXP = own((r, o) => `expected scalar_type ${st(r)} but found ${st(o)}`);
const QUANTILE = own(() => "quantile() out tensor must be same dtype as the input tensor");
const LDEXP = own((_r, o) => `ldexp can't be cast to the desired output type ${st(o)}`, { cast: true });
const COND = own((r, o) => `linalg.cond: Expected result to be safely castable from ${st(r)} dtype, but got result with dtype ${st(o)}`, { cast: true });
const FLOAT_POWER = own((r, o) => `the output given to float_power has dtype ${st(o)} but the operation's result requires dtype ${st(r)}`);
const MULTI_DOT = own((r, o) => `multi_dot(): expected out tensor to have dtype ${cppTypeName(r)} but got ${cppTypeName(o)}`);

// TensorIterator ops: out may be of any dtype the result casts to
export const {
  acos, acosh, add, addcdiv, addcmul, addr, all, any, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh,
  argsort, asin, asinh, atan, atan2, atanh, bitwise_and, bitwise_left_shift, bitwise_or, bitwise_right_shift,
  bitwise_xor, bucketize, copysign, cos, cosh, deg2rad, diff, digamma, div, divide, eq, erf, erfc, erfinv, exp, exp2,
  expm1, floor_divide, fmax, fmin, fmod, gcd, ge, ger, greater, greater_equal, gt, heaviside, histc,
  hypot, i0, isin, isneginf, isposinf, kron, lcm, le, lerp, less, less_equal, lgamma, log, log10, log1p, log2,
  logaddexp, logaddexp2, logical_and, logical_not, logical_or, logical_xor, logit, logsumexp, lt, maximum, mean,
  minimum, msort, mul, multinomial, multiply, mvlgamma, nanmean, narrow_copy, ne, nextafter, nonzero, not_equal,
  outer, polygamma, pow, rad2deg, reciprocal, remainder, rsqrt, searchsorted, sigmoid, signbit, sin, sinc, sinh,
  slice_scatter, sqrt, square, std, sub, subtract, take_along_dim, tan, tanh, threshold, true_divide, xlogy,
} = outs(T, [
  "acos", "acosh", "add", "addcdiv", "addcmul", "addr", "all", "any", "arccos", "arccosh", "arcsin", "arcsinh",
  "arctan", "arctan2", "arctanh", "argsort", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and",
  "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bucketize", "copysign", "cos", "cosh",
  "deg2rad", "diff", "digamma", "div", "divide", "eq", "erf", "erfc", "erfinv", "exp", "exp2", "expm1",
  "floor_divide", "fmax", "fmin", "fmod", "gcd", "ge", "ger", "greater", "greater_equal", "gt", "heaviside", "histc",
  "hypot", "i0", "isin", "isneginf", "isposinf", "kron", "lcm", "le", "lerp", "less", "less_equal", "lgamma",
  "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2", "logical_and", "logical_not", "logical_or",
  "logical_xor", "logit", "logsumexp", "lt", "maximum", "mean", "minimum", "msort", "mul", "multinomial", "multiply",
  "mvlgamma", "nanmean", "narrow_copy", "ne", "nextafter", "nonzero", "not_equal", "outer", "polygamma", "pow",
  "rad2deg", "reciprocal", "remainder", "rsqrt", "searchsorted", "sigmoid", "signbit", "sin", "sinc", "sinh",
  "slice_scatter", "sqrt", "square", "std", "sub", "subtract", "take_along_dim", "tan", "tanh", "threshold", "true_divide",
  "xlogy",
]);
// Python-level functions of torch with an out
export const { chain_matmul } = outs(T, ["chain_matmul"], MULTI_DOT), { norm } = outs(T, ["norm"], "exact");
export const { tensordot } = outs(T, ["tensordot"], TENSORDOT);
export const { ldexp } = outs(T, ["ldexp"], LDEXP);
export const { float_power } = outs(T, ["float_power"], FLOAT_POWER);
// `var` is a reserved word in a declaration, not in an export list
const { var: var_ } = outs(T, ["var"]);
export { var_ as var };

// unary ops that keep their input's dtype: out must have it
export const {
  abs, absolute, bitwise_not, ceil, clamp, clamp_max, clamp_min, clip, fix, floor, frac, hardshrink, neg, negative, round, sgn,
  sign, trunc,
} = outs(T, [
  "abs", "absolute", "bitwise_not", "ceil", "clamp", "clamp_max", "clamp_min", "clip", "fix", "floor", "frac", "hardshrink", "neg",
  "negative", "round", "sgn", "sign", "trunc",
], "same");

// structured kernels, and the functions with several outputs (one array of outs)
export const {
  addbmm, addmm, addmv, aminmax, argmax, argmin, baddbmm, bmm, cholesky, cholesky_inverse, cholesky_solve, cross,
  cummax, cummin, diag, frexp, gather, index_add, index_copy, index_reduce, inverse, kthvalue, log_softmax, lu_solve,
  lu_unpack, matmul, matrix_power, max, median, min, mm, mode, mv, nanmedian, qr, renorm, scatter, scatter_add,
  scatter_reduce, slogdet, softmax, sort, svd, topk, triangular_solve, tril, triu,
} = outs(T, [
  "addbmm", "addmm", "addmv", "aminmax", "argmax", "argmin", "baddbmm", "bmm", "cholesky", "cholesky_inverse",
  "cholesky_solve", "cross", "cummax", "cummin", "diag", "frexp", "gather", "index_add", "index_copy", "index_reduce",
  "inverse", "kthvalue", "log_softmax", "lu_solve", "lu_unpack", "matmul", "matrix_power", "max", "median", "min",
  "mm", "mode", "mv", "nanmedian", "qr", "renorm", "scatter", "scatter_add", "scatter_reduce", "slogdet", "softmax",
  "sort", "svd", "topk", "triangular_solve", "tril", "triu",
], "exact");

// out's dtype is the dtype computed in, as dtype= would be
export const {
  arange, bernoulli, cumprod, cumsum, empty, eye, full, linspace, logspace, nansum, normal, ones, prod, rand, randint,
  randn, randperm, range, sum, zeros,
} = outs(T, [
  "arange", "bernoulli", "cumprod", "cumsum", "empty", "eye", "full", "linspace", "logspace", "nansum", "normal",
  "ones", "prod", "rand", "randint", "randn", "randperm", "range", "sum", "zeros",
], "dtype");
export const { amax, amin } = outs(T, ["amax", "amin"], AMAX);
export const {
  cat, column_stack, concat, concatenate, dstack, hstack, stack, vstack,
} = outs(T, [
  "cat", "column_stack", "concat", "concatenate", "dstack", "hstack", "stack", "vstack",
], CAT);
export const { dot, vdot } = outs(T, ["dot", "vdot"], DOT);
export const { logcumsumexp } = outs(T, ["logcumsumexp"], LOGCUMSUMEXP);
export const { nan_to_num } = outs(T, ["nan_to_num"], NAN_TO_NUM);
export const { nanquantile, quantile } = outs(T, ["nanquantile", "quantile"], QUANTILE);
export const { take } = outs(T, ["take"], TAKE);
export const { inner } = outs(T, ["inner"], TENSORDOT);
export const { where } = outs(T, ["where"], WHERE);
export const { index_select } = outs(T, ["index_select"], sel("index_select"));
export const { masked_select } = outs(T, ["masked_select"], sel("masked_select"));

// linalg's kernels are structured: out must have the result's dtype
export const linalg = { ...T.linalg, ...outs(T.linalg, [
  "cholesky", "cross", "det", "eigvalsh", "inv", "lu_solve", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm",
  "pinv", "solve", "solve_triangular", "svdvals", "tensorinv", "tensorsolve", "vecdot", "vector_norm",
  "cholesky_ex", "eigh", "inv_ex", "lu", "lu_factor", "lu_factor_ex", "qr", "slogdet", "solve_ex", "svd", "matmul",
], "exact", "linalg_"), ...outs(T.linalg, ["cond"], COND, "linalg_") };
// special's are TensorIterator ops
export const special = { ...T.special, ...outs(T.special, [
  "digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i0e", "i1", "i1e", "log1p",
  "log_ndtr", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round", "sinc", "xlog1py", "xlogy", "zeta",
], "cast", "special_") };
