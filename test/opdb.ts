// The op database: each op of tools/gen_golden.py's cases as a call of our API, translated from
// the Python call by shared/API.md's rules (positional arguments as in PyTorch, keyword
// arguments as one options object last). The golden JSON decides what each argument is, so
// the entries take `any`: the test checks what comes back against PyTorch's results.

import torch, { type Tensor } from "typetorch";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Args = any[];
type Kw = Record<string, any>;
/** One tensor, or PyTorch's tuple/list of them (max(dim)'s named tuple, split's list …). */
export type OpResult = Tensor | Iterable<Tensor>;
export type OpFn = (args: Args, kw: Kw) => OpResult;

const unary = (f: (x: Tensor) => Tensor): OpFn => ([x]) => f(x);
const binary = (f: (a: any, b: any) => Tensor): OpFn => ([a, b]) => f(a, b);
/** The options object, or nothing when Python passed no keyword arguments. */
const opts = (kw: Kw): Kw | undefined => (Object.keys(kw).length ? kw : undefined);

export const OPS: Record<string, OpFn> = {
  // ---- unary
  abs: unary(torch.abs), neg: unary(torch.neg), exp: unary(torch.exp), exp2: unary(torch.exp2),
  expm1: unary(torch.expm1), log: unary(torch.log), log2: unary(torch.log2), log10: unary(torch.log10),
  log1p: unary(torch.log1p), sqrt: unary(torch.sqrt), rsqrt: unary(torch.rsqrt), square: unary(torch.square),
  sin: unary(torch.sin), cos: unary(torch.cos), tan: unary(torch.tan), asin: unary(torch.asin),
  acos: unary(torch.acos), atan: unary(torch.atan), sinh: unary(torch.sinh), cosh: unary(torch.cosh),
  tanh: unary(torch.tanh), sigmoid: unary(torch.sigmoid), relu: unary(torch.relu), erf: unary(torch.erf),
  erfc: unary(torch.erfc), sign: unary(torch.sign), sgn: unary(torch.sgn), floor: unary(torch.floor),
  ceil: unary(torch.ceil), round: unary((x) => torch.round(x)), trunc: unary(torch.trunc), frac: unary(torch.frac),
  reciprocal: unary(torch.reciprocal),
  round_decimals: ([x], kw) => torch.round(x, kw),
  // torch.logit(x, eps=None): eps is positional in our signature
  logit: ([x], kw) => torch.logit(x, kw.eps ?? null),
  // torch.clamp(x, min=None, max=None)
  clamp: ([x], kw) => torch.clamp(x, kw.min ?? null, kw.max ?? null),
  // torch.nan_to_num(x, nan=0.0, posinf=None, neginf=None)
  nan_to_num: ([x], kw) => torch.nan_to_num(x, kw.nan ?? 0, kw.posinf ?? null, kw.neginf ?? null),
  logical_not: unary(torch.logical_not), bitwise_not: unary(torch.bitwise_not),
  isnan: unary(torch.isnan), isinf: unary(torch.isinf), isfinite: unary(torch.isfinite),

  // ---- binary (a number on either side is a weak scalar)
  add: ([a, b], kw) => torch.add(a, b, opts(kw)),
  sub: ([a, b], kw) => torch.sub(a, b, opts(kw)),
  rsub: ([a, b], kw) => torch.rsub(a, b, opts(kw)),
  mul: binary(torch.mul),
  div: ([a, b], kw) => torch.div(a, b, opts(kw)),
  pow: binary(torch.pow), atan2: binary(torch.atan2), maximum: binary(torch.maximum), minimum: binary(torch.minimum),
  fmod: binary(torch.fmod), remainder: binary(torch.remainder), floor_divide: binary(torch.floor_divide),
  eq: binary(torch.eq), ne: binary(torch.ne), lt: binary(torch.lt), le: binary(torch.le), gt: binary(torch.gt), ge: binary(torch.ge),
  logical_and: binary(torch.logical_and), logical_or: binary(torch.logical_or), logical_xor: binary(torch.logical_xor),
  bitwise_and: binary(torch.bitwise_and), bitwise_or: binary(torch.bitwise_or), bitwise_xor: binary(torch.bitwise_xor),
  bitwise_left_shift: binary(torch.bitwise_left_shift), bitwise_right_shift: binary(torch.bitwise_right_shift),
  lerp: ([a, b, w]) => torch.lerp(a, b, w),
  where: ([c, a, b]) => torch.where(c, a, b),
  isclose: ([a, b], kw) => torch.isclose(a, b, opts(kw)),

  // ---- reductions: torch.sum(x, dim=…, keepdim=…, dtype=…) → torch.sum(x, {dim, keepdim, dtype})
  sum: ([x], kw) => torch.sum(x, opts(kw)),
  mean: ([x], kw) => torch.mean(x, opts(kw)),
  prod: ([x], kw) => torch.prod(x, opts(kw)),
  max: ([x], kw) => (opts(kw) ? torch.max(x, kw) : torch.max(x)),
  min: ([x], kw) => (opts(kw) ? torch.min(x, kw) : torch.min(x)),
  amax: ([x], kw) => torch.amax(x, opts(kw)),
  amin: ([x], kw) => torch.amin(x, opts(kw)),
  argmax: ([x], kw) => torch.argmax(x, opts(kw)),
  argmin: ([x], kw) => torch.argmin(x, opts(kw)),
  any: ([x], kw) => torch.any(x, opts(kw)),
  all: ([x], kw) => torch.all(x, opts(kw)),
  softmax: ([x, dim], kw) => torch.softmax(x, dim, opts(kw)),
  log_softmax: ([x, dim], kw) => torch.log_softmax(x, dim, opts(kw)),
  logsumexp: ([x, dim, keepdim]) => torch.logsumexp(x, dim, keepdim),
  cumsum: ([x, dim], kw) => torch.cumsum(x, dim, opts(kw)),
  cumprod: ([x, dim], kw) => torch.cumprod(x, dim, opts(kw)),

  // ---- views
  view: ([x, shape]) => x.view(shape),
  reshape: ([x, shape]) => torch.reshape(x, shape),
  permute: ([x, dims]) => torch.permute(x, dims),
  transpose: ([x, a, b]) => torch.transpose(x, a, b),
  t: ([x]) => torch.t(x),
  squeeze: ([x, ...dim]) => torch.squeeze(x, ...dim),
  unsqueeze: ([x, d]) => torch.unsqueeze(x, d),
  expand: ([x, shape]) => x.expand(shape),
  flatten: ([x, ...a]) => torch.flatten(x, ...a),
  unflatten: ([x, d, sizes]) => torch.unflatten(x, d, sizes),
  narrow: ([x, d, s, n]) => torch.narrow(x, d, s, n),
  select: ([x, d, i]) => torch.select(x, d, i),
  diagonal: ([x, ...a]) => torch.diagonal(x, ...a),
  split: ([x, s, d]) => torch.split(x, s, d),
  chunk: ([x, c, d]) => torch.chunk(x, c, d),
  unbind: ([x, d]) => torch.unbind(x, d),
  movedim: ([x, s, d]) => torch.movedim(x, s, d),

  // ---- indexing
  cat: ([ts, d]) => torch.cat(ts, d),
  stack: ([ts, d]) => torch.stack(ts, d),
  flip: ([x, dims]) => torch.flip(x, dims),
  gather: ([x, d, i]) => torch.gather(x, d, i),
  scatter: ([x, d, i, s]) => torch.scatter(x, d, i, s),
  scatter_add: ([x, d, i, s]) => torch.scatter_add(x, d, i, s),
  index_select: ([x, d, i]) => torch.index_select(x, d, i),
  masked_fill: ([x, m, v]) => torch.masked_fill(x, m, v),

  // ---- advanced indexing and the remaining shape ops (src/ops/index_ops.ts)
  index_put: ([x, idx, v, acc]) => torch.index_put(x, idx, v, acc),
  masked_select: binary(torch.masked_select),
  masked_scatter: ([x, m, s]) => torch.masked_scatter(x, m, s),
  take: binary(torch.take),
  index_fill: ([x, d, i, v]) => torch.index_fill(x, d, i, v),
  nonzero: ([x], kw) => torch.nonzero(x, opts(kw)),
  argwhere: unary(torch.argwhere),
  where_cond: ([c]) => torch.where(c),
  repeat: ([x, sizes]) => x.repeat(sizes),
  // torch.repeat_interleave(x, repeats, dim=None, *, output_size=None): dim positional, output_size in the options
  repeat_interleave: ([x, r, ...dim], kw) => torch.repeat_interleave(x, r, ...dim, opts(kw)),
  repeat_interleave_method: ([x, r, ...dim], kw) => x.repeat_interleave(r, ...dim, opts(kw)),
  repeat_interleave_repeats: ([r], kw) => torch.repeat_interleave(r, opts(kw)),
  tile: ([x, dims]) => torch.tile(x, dims),
  roll: ([x, shifts, ...dims]) => torch.roll(x, shifts, ...dims),
  tril: ([x, ...k]) => torch.tril(x, ...k),
  triu: ([x, ...k]) => torch.triu(x, ...k),
  diag: ([x, ...k]) => torch.diag(x, ...k),
  diag_embed: ([x, ...a]) => torch.diag_embed(x, ...a),

  // ---- linalg
  matmul: binary(torch.matmul), mm: binary(torch.mm), bmm: binary(torch.bmm), mv: binary(torch.mv),
  dot: binary(torch.dot), outer: binary(torch.outer),
  addmm: ([i, a, b], kw) => torch.addmm(i, a, b, opts(kw)),
  baddbmm: ([i, a, b], kw) => torch.baddbmm(i, a, b, opts(kw)),

  // ---- conversion
  to: ([x, d]) => x.to(d),
};
