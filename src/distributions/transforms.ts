// torch.distributions.transforms (transforms.py): invertible maps with their log|det J|, composed
// by TransformedDistribution. Python calls a transform as `t(x)`; here that is `t.call(x)` (as
// nn.Module's call), and `t.inv.call(y)` the inverse. Each formula is PyTorch's, in its order of
// operations, so values and gradients agree to the last bits.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { broadcast_all, finfo, sum_rightmost, type Distribution } from "./distribution.js";
import { sizeStr } from "../core/printing.js";

const F = () => torch.nn.functional;
type Sign = number | Tensor;

export class Transform {
  bijective = false;
  _cache_size: number;
  _inv: Transform | null = null;
  private _cached_x_y: [Tensor | null, Tensor | null] = [null, null];
  constructor(opts: { cache_size?: number } = {}) {
    const cache_size = opts.cache_size ?? 0;
    if (cache_size !== 0 && cache_size !== 1) throw new Error("cache_size must be 0 or 1");
    this._cache_size = cache_size;
  }
  get domain(): C.Constraint { throw new Error("NotImplementedError"); }
  get codomain(): C.Constraint { throw new Error("NotImplementedError"); }
  get event_dim(): number {
    if (this.domain.event_dim === this.codomain.event_dim) return this.domain.event_dim;
    throw new Error("Please use either .domain.event_dim or .codomain.event_dim");
  }
  /** The inverse transform (made once and kept, as PyTorch's weak reference does while alive). */
  get inv(): Transform {
    return (this._inv ??= new _InverseTransform(this));
  }
  get sign(): Sign { throw new Error("NotImplementedError"); }
  /** A copy with the given cache size. */
  with_cache(cache_size = 1): Transform {
    if (this._cache_size === cache_size) return this;
    // (the transforms with constructor arguments override this)
    return new (this.constructor as new (o: { cache_size: number }) => Transform)({ cache_size });
  }
  /** Python's `transform(x)`: y, from the cache when x is the last input seen. */
  call(x: Tensor): Tensor {
    if (this._cache_size === 0) return this._call(x);
    const [xOld, yOld] = this._cached_x_y;
    if (x === xOld) return yOld!;
    const y = this._call(x);
    this._cached_x_y = [x, y];
    return y;
  }
  _inv_call(y: Tensor): Tensor {
    if (this._cache_size === 0) return this._inverse(y);
    const [xOld, yOld] = this._cached_x_y;
    if (y === yOld) return xOld!;
    const x = this._inverse(y);
    this._cached_x_y = [x, y];
    return x;
  }
  _call(_x: Tensor): Tensor { throw new Error("NotImplementedError"); }
  _inverse(_y: Tensor): Tensor { throw new Error("NotImplementedError"); }
  log_abs_det_jacobian(_x: Tensor, _y: Tensor): Tensor { throw new Error("NotImplementedError"); }
  forward_shape(shape: readonly number[]): number[] { return [...shape]; }
  inverse_shape(shape: readonly number[]): number[] { return [...shape]; }
  /** Python's `==`: identity, or for the parameterless transforms the same class. */
  equals(other: Transform): boolean { return this === other; }
  toString(): string { return `${this.constructor.name}()`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

export class _InverseTransform extends Transform {
  constructor(transform: Transform) {
    super({ cache_size: transform._cache_size });
    this._inv = transform;
    this.bijective = transform.bijective;
  }
  override get domain() { return this._inv!.codomain; }
  override get codomain() { return this._inv!.domain; }
  override get sign(): Sign { return this._inv!.sign; }
  override get inv(): Transform { return this._inv!; }
  override with_cache(cache_size = 1): Transform { return this.inv.with_cache(cache_size).inv; }
  override call(x: Tensor): Tensor { return this._inv!._inv_call(x); }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor { return this._inv!.log_abs_det_jacobian(y, x).neg(); }
  override forward_shape(shape: readonly number[]): number[] { return this._inv!.inverse_shape(shape); }
  override inverse_shape(shape: readonly number[]): number[] { return this._inv!.forward_shape(shape); }
  override equals(other: Transform): boolean { return other instanceof _InverseTransform && this._inv!.equals(other._inv!); }
  override toString(): string { return `${this.constructor.name}(${String(this._inv)})`; }
}

export class ComposeTransform extends Transform {
  parts: Transform[];
  constructor(parts: Transform[], opts: { cache_size?: number } = {}) {
    const cache_size = opts.cache_size ?? 0;
    super({ cache_size });
    this.parts = cache_size ? parts.map((p) => p.with_cache(cache_size)) : parts;
    this.bijective = this.parts.every((p) => p.bijective);
  }
  override get domain(): C.Constraint {
    if (!this.parts.length) return C.real;
    let domain = this.parts[0]!.domain;
    let event_dim = this.parts[this.parts.length - 1]!.codomain.event_dim;
    for (const part of [...this.parts].reverse()) {
      event_dim += part.domain.event_dim - part.codomain.event_dim;
      event_dim = Math.max(event_dim, part.domain.event_dim);
    }
    if (event_dim > domain.event_dim) domain = C.independent(domain, event_dim - domain.event_dim);
    return domain;
  }
  override get codomain(): C.Constraint {
    if (!this.parts.length) return C.real;
    let codomain = this.parts[this.parts.length - 1]!.codomain;
    let event_dim = this.parts[0]!.domain.event_dim;
    for (const part of this.parts) {
      event_dim += part.codomain.event_dim - part.domain.event_dim;
      event_dim = Math.max(event_dim, part.codomain.event_dim);
    }
    if (event_dim > codomain.event_dim) codomain = C.independent(codomain, event_dim - codomain.event_dim);
    return codomain;
  }
  override get sign(): Sign {
    let sign: Sign = 1;
    for (const p of this.parts) sign = mulSign(sign, p.sign);
    return sign;
  }
  override get inv(): Transform {
    if (this._inv === null) {
      const inv = new ComposeTransform([...this.parts].reverse().map((p) => p.inv));
      this._inv = inv;
      inv._inv = this;
    }
    return this._inv;
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ComposeTransform(this.parts, { cache_size });
  }
  override equals(other: Transform): boolean { return other instanceof ComposeTransform && transformsEqual(this.parts, other.parts); }
  override call(x: Tensor): Tensor {
    for (const part of this.parts) x = part.call(x);
    return x;
  }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    if (!this.parts.length) return torch.zeros_like(x);
    const xs = [x];
    for (const part of this.parts.slice(0, -1)) xs.push(part.call(xs[xs.length - 1]!));
    xs.push(y);
    let event_dim = this.domain.event_dim;
    let total: Tensor | null = null;
    this.parts.forEach((part, i) => {
      const term = sum_rightmost(part.log_abs_det_jacobian(xs[i]!, xs[i + 1]!), event_dim - part.domain.event_dim);
      total = total === null ? term : total.add(term);
      event_dim += part.codomain.event_dim - part.domain.event_dim;
    });
    return total!;
  }
  override forward_shape(shape: readonly number[]): number[] {
    let s = [...shape];
    for (const part of this.parts) s = part.forward_shape(s);
    return s;
  }
  override inverse_shape(shape: readonly number[]): number[] {
    let s = [...shape];
    for (const part of [...this.parts].reverse()) s = part.inverse_shape(s);
    return s;
  }
  override toString(): string {
    return `${this.constructor.name}(\n    ${this.parts.map(String).join(",\n    ")}\n)`;
  }
}
/** sign * sign of two transforms (an int, or a tensor once a part's sign is one). */
/** Python's `list == list` of transforms. */
export function transformsEqual(a: readonly Transform[], b: readonly Transform[]): boolean {
  return a.length === b.length && a.every((t, i) => t.equals(b[i]!));
}

export function mulSign(a: Sign, b: Sign): Sign {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return a instanceof Tensor ? a.mul(b) : (b as Tensor).mul(a);
}

export const identity_transform = new ComposeTransform([]);

export class IndependentTransform extends Transform {
  base_transform: Transform;
  reinterpreted_batch_ndims: number;
  constructor(base_transform: Transform, reinterpreted_batch_ndims: number, opts: { cache_size?: number } = {}) {
    super(opts);
    this.base_transform = base_transform.with_cache(this._cache_size);
    this.reinterpreted_batch_ndims = reinterpreted_batch_ndims;
    this.bijective = this.base_transform.bijective;
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new IndependentTransform(this.base_transform, this.reinterpreted_batch_ndims, { cache_size });
  }
  override get domain() { return C.independent(this.base_transform.domain, this.reinterpreted_batch_ndims); }
  override get codomain() { return C.independent(this.base_transform.codomain, this.reinterpreted_batch_ndims); }
  override get sign(): Sign { return this.base_transform.sign; }
  override _call(x: Tensor): Tensor {
    if (x.ndim < this.domain.event_dim) throw new Error("Too few dimensions on input");
    return this.base_transform.call(x);
  }
  override _inverse(y: Tensor): Tensor {
    if (y.ndim < this.codomain.event_dim) throw new Error("Too few dimensions on input");
    return this.base_transform.inv.call(y);
  }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    return sum_rightmost(this.base_transform.log_abs_det_jacobian(x, y), this.reinterpreted_batch_ndims);
  }
  override forward_shape(shape: readonly number[]): number[] { return this.base_transform.forward_shape(shape); }
  override inverse_shape(shape: readonly number[]): number[] { return this.base_transform.inverse_shape(shape); }
  override toString(): string { return `${this.constructor.name}(${String(this.base_transform)}, ${this.reinterpreted_batch_ndims})`; }
}

const sameSize = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** A reshape of the rightmost in_shape dims into out_shape (same number of elements). */
export class ReshapeTransform extends Transform {
  override bijective = true;
  in_shape: number[]; out_shape: number[];
  constructor(in_shape: readonly number[], out_shape: readonly number[], opts: { cache_size?: number } = {}) {
    const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    if (n(in_shape) !== n(out_shape)) throw new Error("in_shape, out_shape have different numbers of elements");
    super(opts);
    this.in_shape = [...in_shape];
    this.out_shape = [...out_shape];
  }
  override get domain(): C.Constraint { return C.independent(C.real, this.in_shape.length); }
  override get codomain(): C.Constraint { return C.independent(C.real, this.out_shape.length); }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ReshapeTransform(this.in_shape, this.out_shape, { cache_size });
  }
  override _call(x: Tensor): Tensor { return x.reshape([...x.shape.slice(0, x.ndim - this.in_shape.length), ...this.out_shape]); }
  override _inverse(y: Tensor): Tensor { return y.reshape([...y.shape.slice(0, y.ndim - this.out_shape.length), ...this.in_shape]); }
  override log_abs_det_jacobian(x: Tensor): Tensor { return torch.zeros(x.shape.slice(0, x.ndim - this.in_shape.length), { dtype: x.dtype }); }
  private _reshaped(shape: readonly number[], from: number[], to: number[]): number[] {
    if (shape.length < from.length) throw new Error("Too few dimensions on input");
    const cut = shape.length - from.length;
    if (!sameSize(shape.slice(cut), from)) throw new Error(`Shape mismatch: expected ${sizeStr(shape.slice(cut))} but got ${sizeStr(from)}`);
    return [...shape.slice(0, cut), ...to];
  }
  override forward_shape(shape: readonly number[]): number[] { return this._reshaped(shape, this.in_shape, this.out_shape); }
  override inverse_shape(shape: readonly number[]): number[] { return this._reshaped(shape, this.out_shape, this.in_shape); }
}

/** Each transform of tseq on its slice (of the given lengths) along dim, the results concatenated. */
export class CatTransform extends Transform {
  transforms: Transform[]; lengths: number[]; dim: number;
  constructor(tseq: Transform[], dim = 0, lengths: number[] | null = null, opts: { cache_size?: number } = {}) {
    if (!tseq.every((t) => t instanceof Transform)) throw new Error("All elements of tseq must be Transform instances");
    super(opts);
    this.transforms = this._cache_size ? tseq.map((t) => t.with_cache(this._cache_size)) : [...tseq];
    this.lengths = lengths ? [...lengths] : this.transforms.map(() => 1);
    if (this.lengths.length !== this.transforms.length) {
      throw new Error(`lengths (${this.lengths.length}) must match transforms (${this.transforms.length})`);
    }
    this.dim = dim;
    this.bijective = this.transforms.every((t) => t.bijective);
  }
  override get event_dim(): number { return Math.max(...this.transforms.map((t) => t.event_dim)); }
  get length(): number { return this.lengths.reduce((a, b) => a + b, 0); }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new CatTransform(this.transforms, this.dim, this.lengths, { cache_size });
  }
  private _checked(t: Tensor, name: string, what = "tensor"): void {
    C.checkDimIn(this.dim, t, what);
    const size = t.shape[this.dim < 0 ? this.dim + t.ndim : this.dim];
    if (size !== this.length) throw new Error(`${name}.size(${this.dim}) = ${size} must equal length ${this.length}`);
  }
  /** f of each transform and its slices of the operands, in order. */
  private _map(f: (t: Transform, ...slices: Tensor[]) => Tensor, ...zs: Tensor[]): Tensor[] {
    let start = 0;
    return this.transforms.map((t, i) => {
      const len = this.lengths[i]!;
      const out = f(t, ...zs.map((z) => z.narrow(this.dim, start, len)));
      start += len;
      return out;
    });
  }
  override _call(x: Tensor): Tensor {
    this._checked(x, "x");
    return torch.cat(this._map((t, xs) => t.call(xs!), x), this.dim);
  }
  override _inverse(y: Tensor): Tensor {
    this._checked(y, "y");
    return torch.cat(this._map((t, ys) => t.inv.call(ys!), y), this.dim);
  }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    this._checked(x, "x", "x");
    this._checked(y, "y", "y");
    const ev = this.event_dim;
    const terms = this._map((t, xs, ys) => {
      const l = t.log_abs_det_jacobian(xs!, ys!);
      return t.event_dim < ev ? sum_rightmost(l, ev - t.event_dim) : l;
    }, x, y);
    const dim = (this.dim >= 0 ? this.dim - x.ndim : this.dim) + ev;
    return dim < 0 ? torch.cat(terms, dim) : terms.reduce((a, b) => a.add(b));
  }
  override get domain(): C.Constraint { return C.cat(this.transforms.map((t) => t.domain), this.dim, this.lengths); }
  override get codomain(): C.Constraint { return C.cat(this.transforms.map((t) => t.codomain), this.dim, this.lengths); }
}

/** Each transform of tseq on its slice along dim (one each), the results stacked. */
export class StackTransform extends Transform {
  transforms: Transform[]; dim: number;
  constructor(tseq: Transform[], dim = 0, opts: { cache_size?: number } = {}) {
    if (!tseq.every((t) => t instanceof Transform)) throw new Error("All elements of tseq must be Transform instances");
    super(opts);
    this.transforms = this._cache_size ? tseq.map((t) => t.with_cache(this._cache_size)) : [...tseq];
    this.dim = dim;
    this.bijective = this.transforms.every((t) => t.bijective);
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new StackTransform(this.transforms, this.dim, { cache_size });
  }
  private _slices(z: Tensor, name: string, what = "tensor"): Tensor[] {
    C.checkDimIn(this.dim, z, what);
    const size = z.shape[this.dim < 0 ? this.dim + z.ndim : this.dim]!;
    if (size !== this.transforms.length) throw new Error(`${name}.size(${this.dim}) = ${size} must equal len(transforms) ${this.transforms.length}`);
    return Array.from({ length: size }, (_, i) => z.select(this.dim, i));
  }
  override _call(x: Tensor): Tensor { return torch.stack(this._slices(x, "x").map((s, i) => this.transforms[i]!.call(s)), this.dim); }
  override _inverse(y: Tensor): Tensor { return torch.stack(this._slices(y, "y").map((s, i) => this.transforms[i]!.inv.call(s)), this.dim); }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    const xs = this._slices(x, "x", "x"), ys = this._slices(y, "y", "y");
    return torch.stack(xs.map((s, i) => this.transforms[i]!.log_abs_det_jacobian(s, ys[i]!)), this.dim);
  }
  override get domain(): C.Constraint { return C.stack(this.transforms.map((t) => t.domain), this.dim); }
  override get codomain(): C.Constraint { return C.stack(this.transforms.map((t) => t.codomain), this.dim); }
}

/** A distribution's cdf as a transform onto the unit interval (its log_prob the log |det J|). */
export class CumulativeDistributionTransform extends Transform {
  override bijective = true;
  distribution: Distribution;
  constructor(distribution: Distribution, opts: { cache_size?: number } = {}) {
    super(opts);
    this.distribution = distribution;
  }
  override get domain(): C.Constraint { return this.distribution.support; }
  override get codomain(): C.Constraint { return C.unit_interval; }
  override get sign(): Sign { return 1; }
  override _call(x: Tensor): Tensor { return this.distribution.cdf(x); }
  override _inverse(y: Tensor): Tensor { return this.distribution.icdf(y); }
  override log_abs_det_jacobian(x: Tensor): Tensor { return this.distribution.log_prob(x); }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new CumulativeDistributionTransform(this.distribution, { cache_size });
  }
}

export class ExpTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof ExpTransform; }
  override bijective = true;
  override get domain() { return C.real; }
  override get codomain() { return C.positive; }
  override get sign(): Sign { return 1; }
  override _call(x: Tensor): Tensor { return x.exp(); }
  override _inverse(y: Tensor): Tensor { return y.log(); }
  override log_abs_det_jacobian(x: Tensor): Tensor { return x; }
}

export class PowerTransform extends Transform {
  override bijective = true;
  exponent: Tensor;
  constructor(exponent: Tensor | number, opts: { cache_size?: number } = {}) {
    super(opts);
    [this.exponent] = broadcast_all(exponent) as [Tensor];
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new PowerTransform(this.exponent, { cache_size });
  }
  override get domain() { return C.positive; }
  override get codomain() { return C.positive; }
  override get sign(): Sign { return this.exponent.sign(); }
  override equals(other: Transform): boolean { return other instanceof PowerTransform && Boolean(this.exponent.eq(other.exponent).all().item()); }
  override _call(x: Tensor): Tensor { return x.pow(this.exponent); }
  override _inverse(y: Tensor): Tensor { return y.pow(this.exponent.reciprocal()); }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor { return this.exponent.mul(y).div(x).abs().log(); }
  override forward_shape(shape: readonly number[]): number[] { return torch.broadcast_shapes(shape, this.exponent.shape); }
  override inverse_shape(shape: readonly number[]): number[] { return torch.broadcast_shapes(shape, this.exponent.shape); }
}

/** _clipped_sigmoid: sigmoid kept inside [tiny, 1 - eps]. */
export function clipped_sigmoid(x: Tensor): Tensor {
  const fi = finfo(x.dtype);
  return torch.clamp(torch.sigmoid(x), fi.tiny, 1 - fi.eps);
}

export class SigmoidTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof SigmoidTransform; }
  override bijective = true;
  override get domain() { return C.real; }
  override get codomain() { return C.unit_interval; }
  override get sign(): Sign { return 1; }
  override _call(x: Tensor): Tensor { return clipped_sigmoid(x); }
  override _inverse(y: Tensor): Tensor {
    const fi = finfo(y.dtype);
    const yc = y.clamp(fi.tiny, 1 - fi.eps);
    return yc.log().sub(yc.neg().log1p());
  }
  override log_abs_det_jacobian(x: Tensor): Tensor { return F().softplus(x.neg()).neg().sub(F().softplus(x)); }
}

export class SoftplusTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof SoftplusTransform; }
  override bijective = true;
  override get domain() { return C.real; }
  override get codomain() { return C.positive; }
  override get sign(): Sign { return 1; }
  override _call(x: Tensor): Tensor { return F().softplus(x); }
  override _inverse(y: Tensor): Tensor { return y.neg().expm1().neg().log().add(y); }
  override log_abs_det_jacobian(x: Tensor): Tensor { return F().softplus(x.neg()).neg(); }
}

export class TanhTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof TanhTransform; }
  override bijective = true;
  override get domain() { return C.real; }
  override get codomain(): C.Constraint { return C.interval(-1.0, 1.0); }
  override get sign(): Sign { return 1; }
  override _call(x: Tensor): Tensor { return x.tanh(); }
  override _inverse(y: Tensor): Tensor { return torch.atanh(y); }
  override log_abs_det_jacobian(x: Tensor): Tensor {
    return x.rsub(Math.log(2.0)).sub(F().softplus(x.mul(-2.0))).mul(2.0);
  }
}

export class AbsTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof AbsTransform; }
  override get domain() { return C.real; }
  override get codomain() { return C.positive; }
  override _call(x: Tensor): Tensor { return x.abs(); }
  override _inverse(y: Tensor): Tensor { return y; }
}

export class AffineTransform extends Transform {
  override bijective = true;
  loc: Tensor | number; scale: Tensor | number;
  private readonly _event_dim: number;
  constructor(loc: Tensor | number, scale: Tensor | number, opts: { event_dim?: number; cache_size?: number } = {}) {
    super(opts);
    this.loc = loc;
    this.scale = scale;
    this._event_dim = opts.event_dim ?? 0;
  }
  override get event_dim(): number { return this._event_dim; }
  override get domain(): C.Constraint { return this._event_dim === 0 ? C.real : C.independent(C.real, this._event_dim); }
  override get codomain(): C.Constraint { return this.domain; }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new AffineTransform(this.loc, this.scale, { event_dim: this._event_dim, cache_size });
  }
  override get sign(): Sign {
    const s = this.scale;
    return typeof s === "number" ? (s > 0 ? 1 : s < 0 ? -1 : 0) : s.sign();
  }
  /** loc + scale * x */
  override _call(x: Tensor): Tensor {
    const sx = this.scale instanceof Tensor ? this.scale.mul(x) : x.mul(this.scale);
    return this.loc instanceof Tensor ? this.loc.add(sx) : sx.add(this.loc);
  }
  override _inverse(y: Tensor): Tensor { return y.sub(this.loc).div(this.scale); }
  override equals(other: Transform): boolean {
    if (!(other instanceof AffineTransform)) return false;
    const same = (a: Tensor | number, b: Tensor | number) =>
      typeof a === "number" && typeof b === "number" ? a === b : Boolean((a instanceof Tensor ? a.eq(b) : (b as Tensor).eq(a)).all().item());
    return same(this.loc, other.loc) && same(this.scale, other.scale);
  }
  override log_abs_det_jacobian(x: Tensor): Tensor {
    let shape = x.shape.slice();
    let result = typeof this.scale === "number" ? torch.full_like(x, Math.log(Math.abs(this.scale))) : torch.abs(this.scale).log();
    if (this._event_dim) {
      result = result.view([...result.shape.slice(0, -this._event_dim), -1]).sum(-1);
      shape = shape.slice(0, -this._event_dim);
    }
    return result.expand(shape);
  }
  private _shapes(shape: readonly number[]): number[] {
    const s = (v: Tensor | number) => (v instanceof Tensor ? v.shape : []);
    return torch.broadcast_shapes(shape, s(this.loc), s(this.scale));
  }
  override forward_shape(shape: readonly number[]): number[] { return this._shapes(shape); }
  override inverse_shape(shape: readonly number[]): number[] { return this._shapes(shape); }
}

function atLeast1(shape: readonly number[]): void {
  if (shape.length < 1) throw new Error("Too few dimensions on input");
}

export class SoftmaxTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof SoftmaxTransform; }
  override get domain() { return C.real_vector; }
  override get codomain() { return C.simplex; }
  override _call(x: Tensor): Tensor {
    const probs = x.sub(x.max(-1, true)[0]!).exp();
    return probs.div(probs.sum(-1, true));
  }
  override _inverse(y: Tensor): Tensor { return y.log(); }
  override forward_shape(shape: readonly number[]): number[] { atLeast1(shape); return [...shape]; }
  override inverse_shape(shape: readonly number[]): number[] { atLeast1(shape); return [...shape]; }
}

/** x.shape[-1] + 1 - ones(n).cumsum(-1) (n = x.shape[-1]), in x's dtype. */
function stickOffset(x: Tensor, top: number, n: number): Tensor {
  return torch.ones(n, { dtype: x.dtype }).cumsum(-1).rsub(top);
}

export class StickBreakingTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof StickBreakingTransform; }
  override bijective = true;
  override get domain() { return C.real_vector; }
  override get codomain() { return C.simplex; }
  override _call(x: Tensor): Tensor {
    const n = x.shape[x.ndim - 1]!;
    const z = clipped_sigmoid(x.sub(stickOffset(x, n + 1, n).log()));
    const zCumprod = z.rsub(1).cumprod(-1);
    return F().pad(z, [0, 1], "constant", 1).mul(F().pad(zCumprod, [1, 0], "constant", 1));
  }
  override _inverse(y: Tensor): Tensor {
    const n = y.shape[y.ndim - 1]!;
    const yCrop = y.narrow(-1, 0, n - 1);
    const offset = stickOffset(y, n, n - 1);
    const sf = torch.clamp(yCrop.cumsum(-1).rsub(1), finfo(y.dtype).tiny);
    return yCrop.log().sub(sf.log()).add(offset.log());
  }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    const n = x.shape[x.ndim - 1]!;
    const xs = x.sub(stickOffset(x, n + 1, n).log());
    return xs.neg().add(F().logsigmoid(xs)).add(y.narrow(-1, 0, y.shape[y.ndim - 1]! - 1).log()).sum(-1);
  }
  override forward_shape(shape: readonly number[]): number[] { atLeast1(shape); return [...shape.slice(0, -1), shape[shape.length - 1]! + 1]; }
  override inverse_shape(shape: readonly number[]): number[] { atLeast1(shape); return [...shape.slice(0, -1), shape[shape.length - 1]! - 1]; }
}

/** The (row-major) positions of a D x D matrix's lower triangle below diagonal `diag`. */
function trilPositions(n: number, diag: number): number[] {
  const pos: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j < i + diag + 1) pos.push(i * n + j);
  return pos;
}
/** utils.tril_matrix_to_vec: mat[..., tril_mask], the lower triangle in row order. */
export function tril_matrix_to_vec(mat: Tensor, diag = 0): Tensor {
  const n = mat.shape[mat.ndim - 1]!;
  if (diag < -n || diag >= n) throw new Error(`diag (${diag}) provided is outside [${-n}, ${n - 1}].`);
  const idx = torch.tensor(trilPositions(n, diag), { dtype: torch.int64 });
  return mat.reshape([...mat.shape.slice(0, -2), n * n]).index_select(-1, idx);
}
/** utils.vec_to_tril_matrix: the D x D lower triangular matrix (below `diag`) of a vector's
 *  elements in row order (mat[..., tril_mask] = vec, as a gather from [0, vec]). */
export function vec_to_tril_matrix(vec: Tensor, diag = 0): Tensor {
  const m = vec.shape[vec.ndim - 1]!;
  const nf = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * m + 4 * Math.abs(diag) * (diag + 1)) ** 0.5) / 2;
  if (Math.round(nf) - nf > finfo(vec.dtype).eps) {
    throw new Error(`The size of last dimension is ${m} which cannot be expressed as the lower triangular part of a square D x D matrix.`);
  }
  const n = Math.round(nf);
  const from = new Array<number>(n * n).fill(0);
  trilPositions(n, diag).forEach((p, k) => { from[p] = k + 1; });
  const padded = torch.cat([torch.zeros([...vec.shape.slice(0, -1), 1], { dtype: vec.dtype }), vec], -1);
  return padded.index_select(-1, torch.tensor(from, { dtype: torch.int64 })).reshape([...vec.shape.slice(0, -1), n, n]);
}

/** Unconstrained vectors to Cholesky factors of correlation matrices (tanh, then stick breaking
 *  along each row, LKJ's onion parameterisation). */
export class CorrCholeskyTransform extends Transform {
  override bijective = true;
  override equals(other: Transform): boolean { return other instanceof CorrCholeskyTransform; }
  override get domain() { return C.real_vector; }
  override get codomain(): C.Constraint { return C.corr_cholesky; }
  override _call(x: Tensor): Tensor {
    const eps = finfo(x.dtype).eps;
    const xc = torch.tanh(x).clamp(-1 + eps, 1 - eps);
    let r = vec_to_tril_matrix(xc, -1);
    const z = r.pow(2);
    const z1mCumprodSqrt = z.rsub(1).sqrt().cumprod(-1);
    r = r.add(torch.eye(r.shape[r.ndim - 1]!, { dtype: r.dtype }));
    return r.mul(F().pad(z1mCumprodSqrt.narrow(-1, 0, z1mCumprodSqrt.shape[z1mCumprodSqrt.ndim - 1]! - 1), [1, 0], "constant", 1));
  }
  override _inverse(y: Tensor): Tensor {
    const yCumsum = torch.cumsum(y.mul(y), -1).rsub(1);
    const shifted = F().pad(yCumsum.narrow(-1, 0, yCumsum.shape[yCumsum.ndim - 1]! - 1), [1, 0], "constant", 1);
    const t = tril_matrix_to_vec(y, -1).div(tril_matrix_to_vec(shifted, -1).sqrt());
    return t.log1p().sub(t.neg().log1p()).div(2);
  }
  override log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    const y1mCumsum = y.mul(y).cumsum(-1).rsub(1);
    const stickBreakingLogdet = tril_matrix_to_vec(y1mCumsum, -2).log().sum(-1).mul(0.5);
    const tanhLogdet = x.add(F().softplus(x.mul(-2))).sub(Math.log(2.0)).sum(-1).mul(-2);
    return stickBreakingLogdet.add(tanhLogdet);
  }
  override forward_shape(shape: readonly number[]): number[] {
    atLeast1(shape);
    const N = shape[shape.length - 1]!;
    const D = Math.round((0.25 + 2 * N) ** 0.5 + 0.5);
    if ((D * (D - 1)) / 2 !== N) throw new Error("Input is not a flattened lower-diagonal number");
    return [...shape.slice(0, -1), D, D];
  }
  override inverse_shape(shape: readonly number[]): number[] {
    if (shape.length < 2) throw new Error("Too few dimensions on input");
    if (shape[shape.length - 2] !== shape[shape.length - 1]) throw new Error("Input is not square");
    const D = shape[shape.length - 1]!;
    return [...shape.slice(0, -2), (D * (D - 1)) / 2];
  }
}

export class LowerCholeskyTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof LowerCholeskyTransform; }
  override get domain(): C.Constraint { return C.independent(C.real, 2); }
  override get codomain(): C.Constraint { return C.lower_cholesky; }
  override _call(x: Tensor): Tensor { return x.tril(-1).add(x.diagonal(0, -2, -1).exp().diag_embed()); }
  override _inverse(y: Tensor): Tensor { return y.tril(-1).add(y.diagonal(0, -2, -1).log().diag_embed()); }
}

export class PositiveDefiniteTransform extends Transform {
  override equals(other: Transform): boolean { return other instanceof PositiveDefiniteTransform; }
  override get domain(): C.Constraint { return C.independent(C.real, 2); }
  override get codomain(): C.Constraint { return C.positive_definite; }
  override _call(x: Tensor): Tensor {
    const l = new LowerCholeskyTransform().call(x);
    return torch.matmul(l, l.mT);
  }
  override _inverse(y: Tensor): Tensor { return new LowerCholeskyTransform().inv.call(torch.linalg.cholesky(y)); }
}

// ---------------------------------------------------------------------------------------------
// constraint_registry: biject_to and transform_to

type ConstraintClass = abstract new (...args: never[]) => C.Constraint;
type Factory = (c: C.Constraint) => Transform;
/** A ConstraintRegistry: call it with a constraint for its transform; register(constraint or
 *  constraint class, factory) adds one (the factory returned, or a decorator without it). */
export interface ConstraintRegistry {
  (constraint: C.Constraint): Transform;
  register(constraint: C.Constraint | ConstraintClass, factory: Factory): Factory;
  register(constraint: C.Constraint | ConstraintClass): (factory: Factory) => Factory;
}
function makeRegistry(): ConstraintRegistry {
  const registry = new Map<unknown, Factory>();
  const lookup = (constraint: C.Constraint): Transform => {
    const factory = registry.get(constraint.constructor);
    if (!factory) throw new Error(`Cannot transform ${constraint.constructor.name} constraints`);
    return factory(constraint);
  };
  function register(constraint: C.Constraint | ConstraintClass, factory?: Factory): Factory | ((f: Factory) => Factory) {
    if (factory === undefined) return (f: Factory) => register(constraint, f) as Factory;
    const key = constraint instanceof C.Constraint ? constraint.constructor : constraint;
    if (typeof key !== "function" || !(key === C.Constraint || key.prototype instanceof C.Constraint)) {
      throw new TypeError(`Expected constraint to be either a Constraint subclass or instance, but got ${String(constraint)}`);
    }
    registry.set(key, factory);
    return factory;
  }
  return Object.assign(lookup, { register }) as ConstraintRegistry;
}
export const biject_to = makeRegistry();
export const transform_to = makeRegistry();

type Bounds = { lower_bound?: number | Tensor; upper_bound?: number | Tensor };
const toIndependent = (reg: ConstraintRegistry) => (c: C.Constraint) => {
  const ic = c as C._IndependentConstraint;
  return new IndependentTransform(reg(ic.base_constraint), ic.reinterpreted_batch_ndims);
};
const toGreaterThan = (c: C.Constraint) => new ComposeTransform([new ExpTransform(), new AffineTransform((c as Bounds).lower_bound!, 1)]);
const toLessThan = (c: C.Constraint) => new ComposeTransform([new ExpTransform(), new AffineTransform((c as Bounds).upper_bound!, -1)]);
const toInterval = (c: C.Constraint) => {
  const { lower_bound: lo, upper_bound: hi } = c as unknown as Required<Bounds>;
  if (lo === 0 && hi === 1) return new SigmoidTransform();
  const scale = hi instanceof Tensor ? hi.sub(lo) : lo instanceof Tensor ? lo.rsub(hi) : hi - lo;
  return new ComposeTransform([new SigmoidTransform(), new AffineTransform(lo, scale)]);
};
for (const reg of [biject_to, transform_to]) {
  reg.register(C._Real, () => identity_transform);
  reg.register(C._IndependentConstraint, toIndependent(reg));
  for (const k of [C._GreaterThan, C._GreaterThanEq]) reg.register(k, toGreaterThan);
  reg.register(C._LessThan, toLessThan);
  for (const k of [C._Interval, C._HalfOpenInterval]) reg.register(k, toInterval);
}
biject_to.register(C._Simplex, () => new StickBreakingTransform());
transform_to.register(C._Simplex, () => new SoftmaxTransform());
transform_to.register(C._LowerCholesky, () => new LowerCholeskyTransform());
for (const k of [C._PositiveDefinite, C._PositiveSemidefinite]) transform_to.register(k, () => new PositiveDefiniteTransform());
for (const reg of [biject_to, transform_to]) {
  reg.register(C._CorrCholesky, () => new CorrCholeskyTransform());
  reg.register(C._Cat, (c) => { const k = c as C._Cat; return new CatTransform(k.cseq.map((x) => reg(x)), k.dim, k.lengths); });
  reg.register(C._Stack, (c) => { const k = c as C._Stack; return new StackTransform(k.cseq.map((x) => reg(x)), k.dim); });
}
