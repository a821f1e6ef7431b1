// torch.distributions.constraints: the regions parameters and values must lie in, with
// PyTorch's check() and printed form (validation errors quote both).

import { Tensor } from "../core/tensor.js";
import { formatPyFloat } from "../core/printing.js";
import * as torch from "../torch.js";

/** Python's `'{}'.format(x)`: a 0-d tensor formats as its item (a Python float/int/bool), any
 *  other tensor as its repr; a number as a Python float, or an int where `int` says so. */
export function pyFormat(x: number | Tensor, int = false): string {
  if (x instanceof Tensor) {
    if (x.ndim !== 0) return String(x);
    const v = x.item();
    if (typeof v === "boolean") return v ? "True" : "False";
    return x.dtype.is_floating_point ? formatPyFloat(v) : String(v);
  }
  return int && Number.isInteger(x) ? String(x) : formatPyFloat(x);
}

export class Constraint {
  is_discrete = false;
  event_dim = 0;
  /** A bool tensor: where value satisfies the constraint (over event_dim rightmost dims). */
  check(_value: Tensor): Tensor { throw new Error("NotImplementedError"); }
  toString(): string { return this.constructor.name.replace(/^_/, "") + "()"; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

/** Constraints that depend on other variables: never checked (PyTorch's `dependent`). */
export class _Dependent extends Constraint {
  constructor(opts: { is_discrete?: boolean; event_dim?: number } = {}) {
    super();
    this.is_discrete = opts.is_discrete ?? false;
    this.event_dim = opts.event_dim ?? 0;
  }
  override check(): Tensor { throw new Error("Cannot determine validity of dependent constraint"); }
}
export const is_dependent = (c: Constraint) => c instanceof _Dependent;

export class _Real extends Constraint {
  override check(v: Tensor): Tensor { return v.eq(v); } // False for NaNs
}
export class _Boolean extends Constraint {
  override is_discrete = true;
  override check(v: Tensor): Tensor { return v.eq(0).logical_or(v.eq(1)); }
}
export class _OneHot extends Constraint {
  override is_discrete = true;
  override event_dim = 1;
  override check(v: Tensor): Tensor {
    const isBool = v.eq(0).logical_or(v.eq(1));
    return isBool.all(-1).logical_and(v.sum(-1).eq(1));
  }
}
const isInt = (v: Tensor) => v.remainder(1).eq(0);
export class _IntegerInterval extends Constraint {
  override is_discrete = true;
  constructor(public lower_bound: number | Tensor, public upper_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return isInt(v).logical_and(v.ge(this.lower_bound)).logical_and(v.le(this.upper_bound)); }
  override toString(): string { return `IntegerInterval(lower_bound=${pyFormat(this.lower_bound, true)}, upper_bound=${pyFormat(this.upper_bound, true)})`; }
}
export class _IntegerGreaterThan extends Constraint {
  override is_discrete = true;
  constructor(public lower_bound: number) { super(); }
  override check(v: Tensor): Tensor { return isInt(v).logical_and(v.ge(this.lower_bound)); }
  override toString(): string { return `IntegerGreaterThan(lower_bound=${pyFormat(this.lower_bound, true)})`; }
}
export class _GreaterThan extends Constraint {
  constructor(public lower_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return v.gt(this.lower_bound); }
  override toString(): string { return `GreaterThan(lower_bound=${pyFormat(this.lower_bound)})`; }
}
export class _GreaterThanEq extends Constraint {
  constructor(public lower_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return v.ge(this.lower_bound); }
  override toString(): string { return `GreaterThanEq(lower_bound=${pyFormat(this.lower_bound)})`; }
}
export class _LessThan extends Constraint {
  constructor(public upper_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return v.lt(this.upper_bound); }
  override toString(): string { return `LessThan(upper_bound=${pyFormat(this.upper_bound)})`; }
}
export class _Interval extends Constraint {
  constructor(public lower_bound: number | Tensor, public upper_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return v.ge(this.lower_bound).logical_and(v.le(this.upper_bound)); }
  override toString(): string { return `Interval(lower_bound=${pyFormat(this.lower_bound)}, upper_bound=${pyFormat(this.upper_bound)})`; }
}
export class _HalfOpenInterval extends Constraint {
  constructor(public lower_bound: number | Tensor, public upper_bound: number | Tensor) { super(); }
  override check(v: Tensor): Tensor { return v.ge(this.lower_bound).logical_and(v.lt(this.upper_bound)); }
  override toString(): string { return `HalfOpenInterval(lower_bound=${pyFormat(this.lower_bound)}, upper_bound=${pyFormat(this.upper_bound)})`; }
}
export class _Simplex extends Constraint {
  override event_dim = 1;
  override check(v: Tensor): Tensor { return v.ge(0).all(-1).logical_and(v.sum(-1).sub(1).abs().lt(1e-6)); }
}
export class _IndependentConstraint extends Constraint {
  constructor(public base_constraint: Constraint, public reinterpreted_batch_ndims: number) {
    super();
    this.is_discrete = base_constraint.is_discrete;
    this.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims;
  }
  override check(v: Tensor): Tensor {
    let r = this.base_constraint.check(v);
    const n = this.reinterpreted_batch_ndims;
    if (r.ndim < n) throw new Error(`Expected value.dim() >= ${this.base_constraint.event_dim + n} but got ${v.ndim}`);
    r = r.reshape([...r.shape.slice(0, r.ndim - n), -1]);
    return r.all(-1);
  }
  override toString(): string { return `IndependentConstraint(${String(this.base_constraint)}, ${this.reinterpreted_batch_ndims})`; }
}

/** Nonnegative integer counts summing to at most upper_bound (Multinomial's support). */
export class _Multinomial extends Constraint {
  override is_discrete = true;
  override event_dim = 1;
  constructor(public upper_bound: number) { super(); }
  override check(x: Tensor): Tensor { return x.ge(0).all(-1).logical_and(x.sum(-1).le(this.upper_bound)); }
}

/** A component constraint checked for each component of a mixture (all must hold). */
export class MixtureSameFamilyConstraint extends Constraint {
  constructor(public base_constraint: Constraint) {
    super();
    this.is_discrete = base_constraint.is_discrete;
    this.event_dim = base_constraint.event_dim;
  }
  override check(value: Tensor): Tensor {
    const result = this.base_constraint.check(value.unsqueeze(-1 - this.event_dim));
    if (value.ndim < this.event_dim) throw new Error(`Expected value.dim() >= ${this.event_dim} but got ${value.ndim}`);
    return result.reshape([...result.shape.slice(0, value.ndim - this.event_dim), -1]).all(-1);
  }
  override toString(): string { return `MixtureSameFamilyConstraint(${String(this.base_constraint)})`; }
}

/** `dim` must index `value` (the assertion of _Cat/_Stack and CatTransform/StackTransform). */
export function checkDimIn(dim: number, value: Tensor, what = "value"): void {
  if (!(-value.ndim <= dim && dim < value.ndim)) throw new Error(`dim ${dim} out of range for ${what} with ${value.ndim} dimensions`);
}

/** Constraints applied to consecutive slices (of the given lengths) along dim. */
export class _Cat extends Constraint {
  cseq: Constraint[]; lengths: number[]; dim: number;
  constructor(cseq: Constraint[], dim = 0, lengths: number[] | null = null) {
    super();
    this.cseq = [...cseq];
    this.lengths = lengths ? [...lengths] : this.cseq.map(() => 1);
    if (this.lengths.length !== this.cseq.length) throw new Error(`lengths (${this.lengths.length}) must match cseq (${this.cseq.length})`);
    this.dim = dim;
    this.is_discrete = this.cseq.some((c) => c.is_discrete);
    this.event_dim = Math.max(...this.cseq.map((c) => c.event_dim));
  }
  override check(value: Tensor): Tensor {
    checkDimIn(this.dim, value);
    let start = 0;
    const checks = this.cseq.map((c, i) => { const v = value.narrow(this.dim, start, this.lengths[i]!); start += this.lengths[i]!; return c.check(v); });
    return torch.cat(checks, this.dim);
  }
}
/** Constraints applied to the slices along dim, one each. */
export class _Stack extends Constraint {
  cseq: Constraint[]; dim: number;
  constructor(cseq: Constraint[], dim = 0) {
    super();
    this.cseq = [...cseq];
    this.dim = dim;
    this.is_discrete = this.cseq.some((c) => c.is_discrete);
    const d = Math.max(...this.cseq.map((c) => c.event_dim));
    this.event_dim = dim + d < 0 ? d + 1 : d;
  }
  override check(value: Tensor): Tensor {
    checkDimIn(this.dim, value);
    const n = value.shape[this.dim < 0 ? this.dim + value.ndim : this.dim]!;
    return torch.stack(this.cseq.slice(0, n).map((c, i) => c.check(value.select(this.dim, i))), this.dim);
  }
}

export const dependent = new _Dependent();
export const boolean = new _Boolean();
export const one_hot = new _OneHot();
export const nonnegative_integer = new _IntegerGreaterThan(0);
export const positive_integer = new _IntegerGreaterThan(1);
export const integer_interval = (lo: number | Tensor, hi: number | Tensor) => new _IntegerInterval(lo, hi);
export const real = new _Real();
export const real_vector = new _IndependentConstraint(real, 1);
export const positive = new _GreaterThan(0);
export const nonnegative = new _GreaterThanEq(0);
export const greater_than = (b: number | Tensor) => new _GreaterThan(b);
export const greater_than_eq = (b: number | Tensor) => new _GreaterThanEq(b);
export const less_than = (b: number | Tensor) => new _LessThan(b);
export const unit_interval = new _Interval(0, 1);
export const interval = (lo: number | Tensor, hi: number | Tensor) => new _Interval(lo, hi);
export const half_open_interval = (lo: number | Tensor, hi: number | Tensor) => new _HalfOpenInterval(lo, hi);
export const simplex = new _Simplex();
export const independent = (c: Constraint, n: number) => new _IndependentConstraint(c, n);
export const multinomial = (upper_bound: number) => new _Multinomial(upper_bound);
export const cat = (cseq: Constraint[], dim = 0, lengths: number[] | null = null) => new _Cat(cseq, dim, lengths);
export const stack = (cseq: Constraint[], dim = 0) => new _Stack(cseq, dim);

// Matrix constraints (event_dim 2), as PyTorch's constraints.py.
export class _LowerTriangular extends Constraint {
  override event_dim = 2;
  override check(v: Tensor): Tensor {
    return v.tril().eq(v).reshape([...v.shape.slice(0, -2), -1]).all(-1);
  }
}
export class _LowerCholesky extends Constraint {
  override event_dim = 2;
  override check(v: Tensor): Tensor {
    const lower = v.tril().eq(v).reshape([...v.shape.slice(0, -2), -1]).all(-1);
    const posDiag = v.diagonal(0, -2, -1).gt(0).all(-1);
    return lower.logical_and(posDiag);
  }
}
export class _Square extends Constraint {
  override event_dim = 2;
  override check(v: Tensor): Tensor {
    return torch.full(v.shape.slice(0, -2), v.shape[v.ndim - 2] === v.shape[v.ndim - 1], { dtype: torch.bool });
  }
}
export class _Symmetric extends _Square {
  override check(v: Tensor): Tensor {
    const sq = super.check(v);
    if (!sq.all().item()) return sq;
    return torch.isclose(v, v.mT, { atol: 1e-6 }).all(-2).all(-1);
  }
}
export class _PositiveSemidefinite extends _Symmetric {
  override check(v: Tensor): Tensor {
    const sym = super.check(v);
    if (!sym.all().item()) return sym;
    return torch.linalg.eigvalsh(v).ge(0).all(-1);
  }
}
export class _PositiveDefinite extends _Symmetric {
  override check(v: Tensor): Tensor {
    const sym = super.check(v);
    if (!sym.all().item()) return sym;
    return torch.linalg.cholesky_ex(v).info.eq(0);
  }
}
/** Lower Cholesky factors of correlation matrices: rows of unit norm. */
export class _CorrCholesky extends Constraint {
  override event_dim = 2;
  override check(v: Tensor): Tensor {
    const n = v.shape[v.ndim - 1]!;
    const tol = (v.dtype.name === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7) * n * 10;
    const rowNorm = torch.linalg.norm(v.detach(), null, -1);
    return new _LowerCholesky().check(v).logical_and(rowNorm.sub(1.0).abs().le(tol).all(-1));
  }
}
export const lower_triangular = new _LowerTriangular();
export const lower_cholesky = new _LowerCholesky();
export const square = new _Square();
export const symmetric = new _Symmetric();
export const positive_semidefinite = new _PositiveSemidefinite();
export const positive_definite = new _PositiveDefinite();
export const corr_cholesky = new _CorrCholesky();
