// The `torch` namespace with PyTorch's out= arguments: every function that takes `out` in
// PyTorch 2.x (those of torch/_C/_VariableFunctions.pyi with an `out` parameter, and of
// torch.linalg and torch.special whose documentation gives one, among those typetorch has),
// wrapped by ops/out.ts's withOut with the way its kernel checks out's dtype (the kinds were read
// off PyTorch's errors for an out of another dtype). torch.hardshrink and torch.threshold stay
// F.*'s own functions, as in PyTorch, whose F.* forms take no out. index.ts exports this module:
// its own exports shadow torch.ts's of the same names, and everything else passes through.

import * as T from "./torch.js";
import { withOut, type OutKind, type WithOut } from "./ops/out.js";
import { scalarTypeName as st, cppTypeName, type DType } from "./core/dtype.js";

export * from "./torch.js";

type Ops = typeof T;
type Fn = (...args: never[]) => unknown;
const o = <K extends keyof Ops>(name: K, kind?: OutKind): WithOut<Ops[K]> =>
  withOut(name, T[name] as Fn, kind) as WithOut<Ops[K]>;

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
const MULTI_DOT = own((r, o) => `multi_dot(): expected out tensor to have dtype ${cppTypeName(r)} but got ${cppTypeName(o)}`);

// TensorIterator ops: out may be of any dtype the result casts to
export const acos = o("acos"), acosh = o("acosh"), add = o("add"),
  addcdiv = o("addcdiv"), addcmul = o("addcmul"),
  addr = o("addr"), all = o("all"), any = o("any"),
  arccos = o("arccos"), arccosh = o("arccosh"),
  arcsin = o("arcsin"), arcsinh = o("arcsinh"),
  arctan = o("arctan"), arctan2 = o("arctan2"),
  arctanh = o("arctanh"), argsort = o("argsort"),
  asin = o("asin"), asinh = o("asinh"), atan = o("atan"),
  atan2 = o("atan2"), atanh = o("atanh"),
  bitwise_and = o("bitwise_and"),
  bitwise_left_shift = o("bitwise_left_shift"),
  bitwise_or = o("bitwise_or"),
  bitwise_right_shift = o("bitwise_right_shift"),
  bitwise_xor = o("bitwise_xor"), bucketize = o("bucketize"),
  copysign = o("copysign"), cos = o("cos"), cosh = o("cosh"),
  deg2rad = o("deg2rad"), diff = o("diff"),
  digamma = o("digamma"), div = o("div"), divide = o("divide"),
  eq = o("eq"), erf = o("erf"), erfc = o("erfc"),
  erfinv = o("erfinv"), exp = o("exp"), exp2 = o("exp2"),
  expm1 = o("expm1"), float_power = o("float_power"),
  floor_divide = o("floor_divide"), fmax = o("fmax"),
  fmin = o("fmin"), fmod = o("fmod"), gcd = o("gcd"),
  ge = o("ge"), ger = o("ger"), greater = o("greater"),
  greater_equal = o("greater_equal"), gt = o("gt"),
  heaviside = o("heaviside"), histc = o("histc"),
  hypot = o("hypot"), i0 = o("i0"), isin = o("isin"),
  isneginf = o("isneginf"), isposinf = o("isposinf"),
  kron = o("kron"), lcm = o("lcm"), ldexp = o("ldexp"),
  le = o("le"), lerp = o("lerp"), less = o("less"),
  less_equal = o("less_equal"), lgamma = o("lgamma"),
  log = o("log"), log10 = o("log10"), log1p = o("log1p"),
  log2 = o("log2"), logaddexp = o("logaddexp"),
  logaddexp2 = o("logaddexp2"), logical_and = o("logical_and"),
  logical_not = o("logical_not"), logical_or = o("logical_or"),
  logical_xor = o("logical_xor"), logit = o("logit"),
  logsumexp = o("logsumexp"), lt = o("lt"),
  maximum = o("maximum"), mean = o("mean"),
  minimum = o("minimum"), msort = o("msort"), mul = o("mul"),
  multinomial = o("multinomial"), multiply = o("multiply"),
  mvlgamma = o("mvlgamma"), nanmean = o("nanmean"),
  narrow_copy = o("narrow_copy"), ne = o("ne"),
  nextafter = o("nextafter"), nonzero = o("nonzero"),
  not_equal = o("not_equal"), outer = o("outer"),
  polygamma = o("polygamma"), pow = o("pow"),
  rad2deg = o("rad2deg"), reciprocal = o("reciprocal"),
  remainder = o("remainder"), rsqrt = o("rsqrt"),
  searchsorted = o("searchsorted"), sigmoid = o("sigmoid"),
  signbit = o("signbit"), sin = o("sin"), sinc = o("sinc"),
  sinh = o("sinh"), slice_scatter = o("slice_scatter"),
  sqrt = o("sqrt"), square = o("square"), std = o("std"),
  sub = o("sub"), subtract = o("subtract"),
  take_along_dim = o("take_along_dim"), tan = o("tan"),
  tanh = o("tanh"),
  true_divide = o("true_divide"), xlogy = o("xlogy");
// Python-level functions of torch with an out
export const chain_matmul = o("chain_matmul", MULTI_DOT), norm = o("norm", "exact"), tensordot = o("tensordot", TENSORDOT);
// `var` is a reserved word in a declaration, not in an export list
const var_ = o("var");
export { var_ as var };

// unary ops that keep their input's dtype: out must have it
export const abs = o("abs", "same"), absolute = o("absolute", "same"),
  bitwise_not = o("bitwise_not", "same"), ceil = o("ceil", "same"),
  clamp = o("clamp", "same"), clamp_max = o("clamp_max", "same"),
  clamp_min = o("clamp_min", "same"), clip = o("clip", "same"),
  fix = o("fix", "same"), floor = o("floor", "same"),
  frac = o("frac", "same"),
  neg = o("neg", "same"), negative = o("negative", "same"),
  round = o("round", "same"), sgn = o("sgn", "same"),
  sign = o("sign", "same"), trunc = o("trunc", "same");

// structured kernels, and the functions with several outputs (one array of outs)
export const addbmm = o("addbmm", "exact"), addmm = o("addmm", "exact"),
  addmv = o("addmv", "exact"), aminmax = o("aminmax", "exact"),
  argmax = o("argmax", "exact"), argmin = o("argmin", "exact"),
  baddbmm = o("baddbmm", "exact"), bmm = o("bmm", "exact"),
  cholesky = o("cholesky", "exact"),
  cholesky_inverse = o("cholesky_inverse", "exact"),
  cholesky_solve = o("cholesky_solve", "exact"),
  cross = o("cross", "exact"), cummax = o("cummax", "exact"),
  cummin = o("cummin", "exact"), diag = o("diag", "exact"),
  frexp = o("frexp", "exact"), gather = o("gather", "exact"),
  index_add = o("index_add", "exact"),
  index_copy = o("index_copy", "exact"),
  index_reduce = o("index_reduce", "exact"),
  inverse = o("inverse", "exact"), kthvalue = o("kthvalue", "exact"),
  log_softmax = o("log_softmax", "exact"),
  lu_solve = o("lu_solve", "exact"),
  lu_unpack = o("lu_unpack", "exact"), matmul = o("matmul", "exact"),
  matrix_power = o("matrix_power", "exact"), max = o("max", "exact"),
  median = o("median", "exact"), min = o("min", "exact"),
  mm = o("mm", "exact"), mode = o("mode", "exact"),
  mv = o("mv", "exact"), nanmedian = o("nanmedian", "exact"),
  qr = o("qr", "exact"), renorm = o("renorm", "exact"),
  scatter = o("scatter", "exact"),
  scatter_add = o("scatter_add", "exact"),
  scatter_reduce = o("scatter_reduce", "exact"),
  slogdet = o("slogdet", "exact"), softmax = o("softmax", "exact"),
  sort = o("sort", "exact"), svd = o("svd", "exact"),
  topk = o("topk", "exact"),
  triangular_solve = o("triangular_solve", "exact"),
  tril = o("tril", "exact"), triu = o("triu", "exact");

// out's dtype is the dtype computed in, as dtype= would be
export const arange = o("arange", "dtype"),
  bernoulli = o("bernoulli", "dtype"), cumprod = o("cumprod", "dtype"),
  cumsum = o("cumsum", "dtype"), empty = o("empty", "dtype"),
  eye = o("eye", "dtype"), full = o("full", "dtype"),
  linspace = o("linspace", "dtype"), logspace = o("logspace", "dtype"),
  nansum = o("nansum", "dtype"), normal = o("normal", "dtype"),
  ones = o("ones", "dtype"), prod = o("prod", "dtype"),
  rand = o("rand", "dtype"), randint = o("randint", "dtype"),
  randn = o("randn", "dtype"), randperm = o("randperm", "dtype"),
  range = o("range", "dtype"), sum = o("sum", "dtype"),
  zeros = o("zeros", "dtype");
export const amax = o("amax", AMAX), amin = o("amin", AMAX);
export const cat = o("cat", CAT), column_stack = o("column_stack", CAT),
  concat = o("concat", CAT), concatenate = o("concatenate", CAT),
  dstack = o("dstack", CAT), hstack = o("hstack", CAT),
  stack = o("stack", CAT), vstack = o("vstack", CAT);
export const dot = o("dot", DOT), vdot = o("vdot", DOT);
export const logcumsumexp = o("logcumsumexp", LOGCUMSUMEXP);
export const nan_to_num = o("nan_to_num", NAN_TO_NUM);
export const nanquantile = o("nanquantile", QUANTILE),
  quantile = o("quantile", QUANTILE);
export const take = o("take", TAKE);
export const inner = o("inner", TENSORDOT);
export const where = o("where", WHERE);
export const index_select = o("index_select", sel('index_select'));
export const masked_select = o("masked_select", sel('masked_select'));

/** A namespace (torch.linalg, torch.special) with its out= functions wrapped, named as PyTorch's
 *  aten ops are (linalg_inv …); the other members pass through. */
function withOuts<M extends object, K extends keyof M & string>(prefix: string, mod: M, names: readonly K[], kind: OutKind):
  { [P in keyof M]: P extends K ? WithOut<M[P]> : M[P] } {
  const ns = { ...mod } as Record<string, unknown>;
  for (const n of names) ns[n] = withOut(`${prefix}_${n}`, mod[n] as Fn, kind);
  return ns as { [P in keyof M]: P extends K ? WithOut<M[P]> : M[P] };
}
// linalg's kernels are structured: out must have the result's dtype
export const linalg = withOuts("linalg", T.linalg, [
  "cholesky", "cross", "det", "eigvalsh", "inv", "lu_solve", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm",
  "pinv", "solve", "solve_triangular", "svdvals", "tensorinv", "tensorsolve", "vecdot", "vector_norm",
  "cholesky_ex", "eigh", "inv_ex", "lu", "lu_factor", "lu_factor_ex", "qr", "slogdet", "solve_ex", "svd",
], "exact");
// special's are TensorIterator ops
export const special = withOuts("special", T.special, [
  "digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i0e", "i1", "i1e", "log1p",
  "log_ndtr", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round", "sinc", "xlog1py", "xlogy", "zeta",
], "cast");

