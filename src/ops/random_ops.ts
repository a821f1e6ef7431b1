// Random sampling on tensors, through src/core/random.ts (PyTorch's mt19937 and transforms), so
// the same seed gives the same numbers as PyTorch on CPU (shared/API.md §5).

import { Tensor } from "../core/tensor.js";
import { type DType, int64, float32, bool, get_default_dtype, arrayFor, checkedConvert } from "../core/dtype.js";
import * as R from "../core/random.js";
import * as K from "../backends/index.js";
import { checkInplaceAllowed, assertNoInternalOverlap } from "./inplace.js";
import type { TensorOptions } from "./creation.js";
import { sizeAndOptions, finishOpts, likeOf } from "./_helpers.js";
import { installMethods, isOptions } from "./util.js";
import { drawShape, drawn } from "../func/batched.js";
import { parseSize, checkSizeNonNegative, broadcastShapes } from "../core/shape.js";
import { iteratorStrides, outerToInner } from "../core/memory_format.js";

export const Generator = R.Generator;
export type Generator = R.Generator;
export const default_generator = R.default_generator;
export const manual_seed = R.manual_seed, seed = R.seed, initial_seed = R.initial_seed;
export const get_rng_state = R.get_rng_state, set_rng_state = R.set_rng_state;

export interface GenOpts { generator?: R.Generator | null }
type RandOpts = TensorOptions & GenOpts;

/** Fills self in place with `fill(flatArray, contiguous)`: samplers write a contiguous buffer in
 *  PyTorch's element order, which for a tensor that is not contiguous is TensorIterator's, the
 *  order of its strides (memory order where it is dense: Note [Memory formats]); the buffer is
 *  then copied through self's strides. `contiguous` tells the sampler which of PyTorch's kernels
 *  to follow (normal_ has a vectorised one for contiguous tensors only). */
export function fillRandom(self: Tensor, fill: (out: ReturnType<typeof arrayFor>, contiguous: boolean) => void): Tensor {
  checkInplaceAllowed(self);
  assertNoInternalOverlap(self);
  if (self.is_contiguous()) {
    const view = sliceOf(self);
    fill(view, true);
  } else {
    const strides = iteratorStrides(self._shape, [self]);
    const perm = strides === null ? [...self._shape.keys()] : outerToInner(self._shape, strides);
    const tmp = Tensor.empty(perm.map((d) => self._shape[d]!), self.dtype);
    fill(tmp._storage.data, false);
    K.copyInto(new Tensor(self._storage, tmp._shape, perm.map((d) => self._strides[d]!), self._offset, self.dtype, self.device), tmp);
  }
  self._bumpVersion();
  return self;
}
function sliceOf(t: Tensor) {
  const d = t._storage.data as unknown as { subarray(a: number, b: number): ReturnType<typeof arrayFor> };
  return d.subarray(t._offset, t._offset + t.numel());
}
const gen = (o?: GenOpts | null) => o?.generator ?? undefined;

function uniform_(self: Tensor, from = 0, to = 1, opts?: GenOpts): Tensor {
  if (from > to) throw new Error(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  return fillRandom(self, (o) => R.uniform_(o, self.dtype, from, to, gen(opts)));
}
function normal_(self: Tensor, mean = 0, std = 1, opts?: GenOpts): Tensor {
  if (std < 0) throw new Error(`normal expects std >= 0.0, but found std ${std}`);
  return fillRandom(self, (o, contiguous) => R.normal_(o, self.dtype, mean, std, gen(opts), contiguous));
}
/** random_(), random_(to), random_(from, to) */
function random_(self: Tensor, a?: number | GenOpts, b?: number | GenOpts, c?: GenOpts): Tensor {
  let from = 0, to: number, o: GenOpts | undefined;
  if (typeof a !== "number") { o = a; to = self.dtype.is_floating_point ? 2 ** (self.dtype.name === "float64" ? 53 : self.dtype.name === "float32" ? 24 : 11) + 1 : self.dtype === int64 ? 2 ** 63 : 2 ** (self.dtype.itemsize * 8 - (self.dtype.is_signed ? 1 : 0)); }
  else if (typeof b !== "number") { to = a; o = b; }
  else { from = a; to = b; o = c; }
  return fillRandom(self, (out) => R.randint_(out, self.dtype, from, to, gen(o)));
}
function bernoulli_(self: Tensor, p: number | Tensor = 0.5, opts?: GenOpts): Tensor {
  if (p instanceof Tensor) {
    const probs = K.values(p.expand(self.shape.slice()).contiguous());
    return fillRandom(self, (o) => R.bernoulli_tensor_(o, self.dtype, probs, gen(opts)));
  }
  if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  return fillRandom(self, (o) => R.bernoulli_scalar_(o, self.dtype, p, gen(opts)));
}
function exponential_(self: Tensor, lambd = 1, opts?: GenOpts): Tensor {
  return fillRandom(self, (o) => R.exponential_(o, self.dtype, lambd, gen(opts)));
}
function cauchy_(self: Tensor, median = 0, sigma = 1, opts?: GenOpts): Tensor {
  if (!(sigma > 0)) throw new Error(`cauchy_ expects sigma > 0.0, but found sigma=${sigma}`);
  return fillRandom(self, (o) => R.cauchy_(o, self.dtype, median, sigma, gen(opts)));
}

function make(args: unknown[], floating: boolean): [Tensor, RandOpts] {
  const [shape, o] = sizeAndOptions(args);
  const d = (o as RandOpts).dtype ?? get_default_dtype();
  if (floating && !d.is_floating_point) throw new Error(`"check_uniform_bounds" not implemented for '${d.name}'`);
  return [Tensor.empty(drawShape(shape), d), o as RandOpts];
}
/** Moves a sampled tensor to the device asked for (numbers are drawn on the CPU's generator, in
 *  PyTorch's CPU order: a seed gives the same tensor on every device) and sets requires_grad. */
function done(t: Tensor, o: RandOpts): Tensor { return drawn(finishOpts(t, o)); }

type SizeArgs = (number | number[] | RandOpts)[];
export function rand(...args: SizeArgs): Tensor { const [t, o] = make(args, true); return done(uniform_(t, 0, 1, o), o); }
export function randn(...args: SizeArgs): Tensor { const [t, o] = make(args, true); return done(normal_(t, 0, 1, o), o); }
export function rand_like(x: Tensor, o: RandOpts = {}): Tensor { return likeOf(x, o, (shape, o2) => rand(shape, o2), (t, o2) => uniform_(t, 0, 1, o2)); }
export function randn_like(x: Tensor, o: RandOpts = {}): Tensor { return likeOf(x, o, (shape, o2) => randn(shape, o2), (t, o2) => normal_(t, 0, 1, o2)); }

/** torch.randint(high, size) / randint(low, high, size), int64 by default as in PyTorch. */
export function randint(a: number, b: number | number[], c?: number[] | RandOpts, d?: RandOpts): Tensor {
  let low = 0, high: number, size: number[], o: RandOpts;
  if (Array.isArray(b)) { high = a; size = b; o = (c as RandOpts) ?? {}; }
  else { low = a; high = b; size = c as number[]; o = d ?? {}; }
  const shape = parseSize([size]);
  checkSizeNonNegative(shape);
  if (low >= high) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const t = Tensor.empty(drawShape(shape), o.dtype ?? int64);
  return done(random_(t, low, high, o), o);
}
export function randint_like(x: Tensor, a: number, b?: number, o: RandOpts = {}): Tensor {
  return likeOf(x, o, (shape, o2) => (b === undefined ? randint(a, shape, o2) : randint(a, b, shape, o2)),
    (t, o2) => (b === undefined ? random_(t, a, o2) : random_(t, a, b, o2)));
}

/** at::native::check_supported_max_int_with_precision's limits: a float dtype holds every integer
 *  up to n. */
const RANDPERM_PRECISION: Record<string, [number, string, string]> = {
  float16: [2 ** 11 + 1, "2049", "Half"], float32: [2 ** 24 + 1, "2^24+1", "Float"], float64: [2 ** 53 + 1, "2^53+1", "Double"],
};

export function randperm(n: number, o: RandOpts = {}): Tensor {
  checkSizeNonNegative([n]);
  // (the dtype's kernel, then its room for n - 1 and its precision, checked before drawing)
  const d = o.dtype ?? int64;
  if (d === bool) throw new Error(`"randperm" not implemented for 'Bool'`);
  checkedConvert(n > 0 ? n - 1 : n, d, "fill");
  const limit = RANDPERM_PRECISION[d.name];
  if (limit && n > limit[0]) throw new Error(`n cannot be greater than ${limit[1]} for ${limit[2]} type.`);
  const p = R.randperm(n, gen(o));
  const t = Tensor.fromStorage(p, [n], int64);
  return finishOpts(o.dtype && o.dtype !== int64 ? t.to(o.dtype) : t, o);
}

/** torch.normal(mean, std, size?) with numbers or tensors. */
export function normal(mean: number | Tensor, std: number | Tensor, size?: number[] | RandOpts, opts?: RandOpts): Tensor {
  const o = (isOptions(size) ? size : opts) ?? {};
  if (typeof mean === "number" && typeof std === "number") {
    const shape = Array.isArray(size) ? size : [];
    return done(normal_(Tensor.empty(drawShape(shape), (o as RandOpts).dtype ?? get_default_dtype()), mean, std, o as RandOpts), o as RandOpts);
  }
  const m = mean instanceof Tensor ? mean : null, s = std instanceof Tensor ? std : null;
  const shapeT = (m ?? s)!;
  const d = shapeT.dtype.is_floating_point ? shapeT.dtype : float32;
  const out = Tensor.empty(m && s ? broadcastShapes(m.shape, s.shape) : shapeT.shape, d);
  const means = m ? K.values(m.expand(out.shape.slice()).contiguous()) : new Float64Array(out.numel()).fill(mean as number);
  const stds = s ? K.values(s.expand(out.shape.slice()).contiguous()) : new Float64Array(out.numel()).fill(std as number);
  R.normal_tensor_(out._storage.data, d, means, stds, gen(o as RandOpts));
  return out;
}

export function bernoulli(probs: Tensor, opts?: GenOpts & { p?: number }): Tensor {
  const out = Tensor.empty(probs.shape, probs.dtype);
  return opts?.p !== undefined ? bernoulli_(out, opts.p, opts) : bernoulli_(out, probs, opts);
}

export function multinomial(probs: Tensor, num_samples: number, replacement: boolean | GenOpts = false, opts?: GenOpts): Tensor {
  const rep = typeof replacement === "boolean" ? replacement : false;
  const o = typeof replacement === "boolean" ? opts : replacement;
  if (probs.ndim < 1 || probs.ndim > 2) throw new Error("prob_dist must be 1 or 2 dim");
  const rows = probs.ndim === 1 ? 1 : probs.shape[0]!, cats = probs.shape[probs.ndim - 1]!;
  const r = R.multinomial(K.values(probs.contiguous()), rows, cats, num_samples, rep, gen(o));
  return Tensor.fromStorage(r, probs.ndim === 1 ? [num_samples] : [rows, num_samples], int64);
}

installMethods({ uniform_, normal_, random_, bernoulli_, exponential_, cauchy_, multinomial,
  bernoulli: (x: Tensor, p?: number | GenOpts, o?: GenOpts) => (typeof p === "number" ? bernoulli_(Tensor.empty(x.shape, x.dtype), p, o) : bernoulli(x, p)) });

declare module "../core/tensor.js" {
  interface Tensor {
    uniform_(from?: number, to?: number, opts?: GenOpts): Tensor;
    normal_(mean?: number, std?: number, opts?: GenOpts): Tensor;
    random_(a?: number | GenOpts, b?: number | GenOpts, c?: GenOpts): Tensor;
    bernoulli_(p?: number | Tensor, opts?: GenOpts): Tensor;
    bernoulli(p?: number | GenOpts, opts?: GenOpts): Tensor;
    exponential_(lambd?: number, opts?: GenOpts): Tensor;
    cauchy_(median?: number, sigma?: number, opts?: GenOpts): Tensor;
    multinomial(num_samples: number, replacement?: boolean | GenOpts, opts?: GenOpts): Tensor;
  }
}
export type { DType };
