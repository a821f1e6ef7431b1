// The op table of the math and torch.special golden cases (tools/gen_golden_math.py →
// test/golden/math.json), each Python call translated by shared/API.md's rules.

import torch, { type Tensor } from "typetorch";
import type { OpFn } from "./opdb.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Kw = Record<string, any>;
const opts = (kw: Kw): Kw | undefined => (Object.keys(kw).length ? kw : undefined);
const T = torch as any, SP = torch.special as any;

const UNARY_TORCH = ["acosh", "asinh", "atanh", "arccosh", "arcsinh", "arctanh", "absolute", "deg2rad", "rad2deg", "sinc",
  "lgamma", "digamma", "erfinv", "i0", "positive", "isreal"];
const UNARY_SPECIAL = ["i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "erfcx", "entr", "expit", "gammaln", "psi", "digamma",
  "erf", "erfc", "erfinv", "i0", "expm1", "exp2", "log1p", "sinc", "round"];
const BINARY_TORCH = ["copysign", "hypot", "heaviside", "logaddexp", "logaddexp2", "xlogy", "nextafter", "ldexp", "gcd", "lcm"];

export const OPS_MATH: Record<string, OpFn> = {
  ...Object.fromEntries(UNARY_TORCH.map((n) => [n, ([x]: any[]) => T[n](x)])),
  ...Object.fromEntries(UNARY_SPECIAL.map((n) => [`special_${n}`, ([x]: any[]) => SP[n](x)])),
  ...Object.fromEntries(BINARY_TORCH.map((n) => [n, ([a, b]: any[]) => T[n](a, b)])),
  special_xlogy: ([a, b]) => torch.special.xlogy(a, b),
  special_xlog1py: ([a, b]) => torch.special.xlog1py(a, b),
  special_zeta: ([a, b]) => torch.special.zeta(a, b),
  polygamma: ([n, x]) => torch.polygamma(n, x),
  special_polygamma: ([n, x]) => torch.special.polygamma(n, x),
  polygamma_method: ([x, n]) => (x as Tensor).polygamma(n),
  mvlgamma: ([x, p]) => torch.mvlgamma(x, p),
  special_multigammaln: ([x, p]) => torch.special.multigammaln(x, p),
  frexp: ([x]) => torch.frexp(x),
  ldexp_out: ([a, b, o]) => torch.ldexp(a, b, { out: o }),
  isin: ([a, b], kw) => torch.isin(a, b, opts(kw)),
  addcmul: ([i, a, b], kw) => torch.addcmul(i, a, b, opts(kw)),
  addcdiv: ([i, a, b], kw) => torch.addcdiv(i, a, b, opts(kw)),
  special_logit: ([x], kw) => torch.special.logit(x, kw.eps ?? null),
  special_logsumexp: ([x, d], kw) => torch.special.logsumexp(x, d, kw.keepdim ?? false),
  special_softmax: ([x, d], kw) => torch.special.softmax(x, d, opts(kw)),
  special_log_softmax: ([x, d], kw) => torch.special.log_softmax(x, d, opts(kw)),
  special_round_decimals: ([x], kw) => torch.special.round(x, opts(kw)),
  // x.clone().<name>_(...args)
  inplace: ([name, x, ...a], kw) => (x as any).clone()[`${name}_`](...a, ...(opts(kw) ? [kw] : [])),
};
