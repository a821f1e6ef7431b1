// Reductions over the middle dim of a contiguous [O, R, I] array (which covers the last dim,
// I = 1; the first dims, O = 1; and everything, O = I = 1), and softmax / log_softmax along
// contiguous rows. Sums accumulate in float64 and round once, as the reference kernels do, so
// the two agree but for the order of float64 additions.

import { exp4 } from "./simd_math";

const SUM = 0, MAX = 1, MIN = 2;

/** The high two float32 lanes of v, as float64. */
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Σ x[k·1] for k < n, in float64. */
function sumRow(x: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const p = x + (<usize>k << 2);
    const v = v128.load(p), w = v128.load(p, 16);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, promoteHigh(v));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
    a3 = f64x2.add(a3, promoteHigh(w));
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; k < n; k++) s += <f64>load<f32>(x + (<usize>k << 2));
  return s;
}

@inline function pick(kind: i32, a: v128, b: v128): v128 {
  // NaN-propagating, as the reference (max/min of a row holding NaN is NaN)
  return kind == MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}

/** max or min of x[0..n), n ≥ 1. */
@inline function extremumRow(kind: i32, x: usize, n: i32): f32 {
  let m0 = v128.load32_splat(x), m1 = m0;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const p = x + (<usize>k << 2);
    m0 = pick(kind, m0, v128.load(p));
    m1 = pick(kind, m1, v128.load(p, 16));
  }
  for (; k < n; k++) m0 = pick(kind, m0, v128.load32_splat(x + (<usize>k << 2)));
  m0 = pick(kind, m0, m1);
  m0 = pick(kind, m0, i32x4.shuffle(m0, m0, 2, 3, 0, 1));
  m0 = pick(kind, m0, i32x4.shuffle(m0, m0, 1, 0, 3, 2));
  return f32x4.extract_lane(m0, 0);
}

/**
 * y[o, i] = reduce over r of x[o, r, i], x contiguous [O, R, I], y contiguous [O, I]. R ≥ 1 for
 * max/min. `scratch` holds I float64s (the column sums while rows stream past).
 */
@inline function reduceLoop(kind: i32, x: usize, y: usize, O: i32, R: i32, I: i32, scratch: usize): void {
  const row = <usize>I << 2;
  for (let o = 0; o < O; o++) {
    const xo = x + <usize>o * <usize>R * row, yo = y + <usize>o * row;
    if (I == 1) {
      store<f32>(yo, kind == SUM ? <f32>sumRow(xo, R) : extremumRow(kind, xo, R));
      continue;
    }
    if (kind == SUM) {
      memory.fill(scratch, 0, <usize>I << 3);
      for (let r = 0; r < R; r++) {
        const xr = xo + <usize>r * row;
        let i = 0;
        for (; i + 4 <= I; i += 4) {
          const v = v128.load(xr + (<usize>i << 2)), acc = scratch + (<usize>i << 3);
          v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)));
          v128.store(acc, f64x2.add(v128.load(acc, 16), promoteHigh(v)), 16);
        }
        for (; i < I; i++) {
          const acc = scratch + (<usize>i << 3);
          store<f64>(acc, load<f64>(acc) + <f64>load<f32>(xr + (<usize>i << 2)));
        }
      }
      for (let i = 0; i < I; i++) store<f32>(yo + (<usize>i << 2), <f32>load<f64>(scratch + (<usize>i << 3)));
    } else {
      memory.copy(yo, xo, row);
      for (let r = 1; r < R; r++) {
        const xr = xo + <usize>r * row;
        let i = 0;
        for (; i + 4 <= I; i += 4) {
          const o4 = <usize>i << 2;
          v128.store(yo + o4, pick(kind, v128.load(yo + o4), v128.load(xr + o4)));
        }
        for (; i < I; i++) {
          const o1 = <usize>i << 2;
          store<f32>(yo + o1, f32x4.extract_lane(pick(kind, f32x4.splat(load<f32>(yo + o1)), f32x4.splat(load<f32>(xr + o1))), 0));
        }
      }
    }
  }
}

export function reduce_sum(x: usize, y: usize, O: i32, R: i32, I: i32, scratch: usize): void { reduceLoop(SUM, x, y, O, R, I, scratch); }
export function reduce_max(x: usize, y: usize, O: i32, R: i32, I: i32, scratch: usize): void { reduceLoop(MAX, x, y, O, R, I, scratch); }
export function reduce_min(x: usize, y: usize, O: i32, R: i32, I: i32, scratch: usize): void { reduceLoop(MIN, x, y, O, R, I, scratch); }

/** e^(x + nm) to float32 accuracy. x + nm rounds (by up to 2^-24·|x + nm|, which e^ turns into
 *  as much relative error: 10 ulps at x + nm = -20), so its rounding error err is recovered
 *  exactly (Knuth's TwoSum) and put back: e^(s + err) = e^s·(1 + err) to first order. This is
 *  the reference's float64 x - max, to within float32's own rounding. */
@inline function expShifted(x: v128, nm: v128): v128 {
  const s = f32x4.add(x, nm), bv = f32x4.sub(s, x);
  const err = f32x4.add(f32x4.sub(x, f32x4.sub(s, bv)), f32x4.sub(nm, bv));
  const e = exp4(s), y = f32x4.add(e, f32x4.mul(e, err));
  // an infinite s makes err NaN: e is exact then
  return v128.bitselect(y, e, f32x4.eq(y, y));
}

/**
 * softmax (or log_softmax) of each of `rows` contiguous rows of length n ≥ 1, as the reference:
 * shifted by the row's max (0 when the max is -inf), e^(x - max) summed in float64; softmax is
 * e^(x - max) / Σ, log_softmax is x - (log Σ + max) computed in float64.
 */
@inline function softmaxLoop(log: bool, x: usize, y: usize, rows: i32, n: i32): void {
  const row = <usize>n << 2;
  for (let t = 0; t < rows; t++) {
    const xr = x + <usize>t * row, yr = y + <usize>t * row;
    let m = extremumRow(MAX, xr, n);
    if (m == -Infinity) m = 0;
    const nm = f32x4.splat(-m);
    // e^(x - max) into y, and its sum
    let k = 0;
    for (; k + 4 <= n; k += 4) v128.store(yr + (<usize>k << 2), expShifted(v128.load(xr + (<usize>k << 2)), nm));
    for (; k < n; k++) store<f32>(yr + (<usize>k << 2), f32x4.extract_lane(expShifted(f32x4.splat(load<f32>(xr + (<usize>k << 2))), nm), 0));
    const z = sumRow(yr, n);
    if (log) {
      const lz = Math.log(z) + <f64>m, lv = f64x2.splat(lz);
      k = 0;
      for (; k + 4 <= n; k += 4) {
        const v = v128.load(xr + (<usize>k << 2));
        const lo = f64x2.sub(f64x2.promote_low_f32x4(v), lv), hi = f64x2.sub(promoteHigh(v), lv);
        v128.store(yr + (<usize>k << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
      }
      for (; k < n; k++) store<f32>(yr + (<usize>k << 2), <f32>(<f64>load<f32>(xr + (<usize>k << 2)) - lz));
    } else {
      const zv = f32x4.splat(<f32>z);
      k = 0;
      for (; k + 4 <= n; k += 4) v128.store(yr + (<usize>k << 2), f32x4.div(v128.load(yr + (<usize>k << 2)), zv));
      for (; k < n; k++) store<f32>(yr + (<usize>k << 2), load<f32>(yr + (<usize>k << 2)) / <f32>z);
    }
  }
}

export function softmax(x: usize, y: usize, rows: i32, n: i32): void { softmaxLoop(false, x, y, rows, n); }
export function log_softmax(x: usize, y: usize, rows: i32, n: i32): void { softmaxLoop(true, x, y, rows, n); }
