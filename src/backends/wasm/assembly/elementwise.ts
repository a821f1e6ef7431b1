// Elementwise float32 kernels: unary ops on contiguous arrays, binary ops with broadcasting over
// up to four (collapsed) dims. Each exported function is one op: the op is a constant argument of
// an inlined loop, so the optimizer folds its switch away and every export is a specialised loop.
// Export names are the op names of src/ops/elementwise.ts: the TypeScript side finds an op's
// kernel by name ("unary_exp", "binary_add"), with no table of op codes to keep in step.

import { exp4, log4, tanh4, sigmoid4 } from "./simd_math";

const NEG = 0, ABS = 1, RELU = 2, SQRT = 3, RSQRT = 4, SQUARE = 5, RECIPROCAL = 6;
const EXP = 7, LOG = 8, TANH = 9, SIGMOID = 10;

@inline function unaryOp(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    // max(x, 0) is 0 for -0 and NaN for NaN, as the reference's relu
    case RELU: return f32x4.max(x, f32x4.splat(0));
    case SQRT: return f32x4.sqrt(x);
    case RSQRT: {
      // in float64, so that the one rounding to float32 matches the reference exactly
      const one = f64x2.splat(1);
      const lo = f64x2.div(one, f64x2.sqrt(f64x2.promote_low_f32x4(x)));
      const hi = f64x2.div(one, f64x2.sqrt(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1))));
      return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
    }
    case SQUARE: return f32x4.mul(x, x);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case EXP: return exp4(x);
    case LOG: return log4(x);
    case TANH: return tanh4(x);
    default: return sigmoid4(x);
  }
}

/** y[i] = op(x[i]) for i < n. */
@inline function unaryLoop(op: i32, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), unaryOp(op, v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), f32x4.extract_lane(unaryOp(op, f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

export function unary_neg(x: usize, y: usize, n: i32): void { unaryLoop(NEG, x, y, n); }
export function unary_abs(x: usize, y: usize, n: i32): void { unaryLoop(ABS, x, y, n); }
export function unary_relu(x: usize, y: usize, n: i32): void { unaryLoop(RELU, x, y, n); }
export function unary_sqrt(x: usize, y: usize, n: i32): void { unaryLoop(SQRT, x, y, n); }
export function unary_rsqrt(x: usize, y: usize, n: i32): void { unaryLoop(RSQRT, x, y, n); }
export function unary_square(x: usize, y: usize, n: i32): void { unaryLoop(SQUARE, x, y, n); }
export function unary_reciprocal(x: usize, y: usize, n: i32): void { unaryLoop(RECIPROCAL, x, y, n); }
export function unary_exp(x: usize, y: usize, n: i32): void { unaryLoop(EXP, x, y, n); }
export function unary_log(x: usize, y: usize, n: i32): void { unaryLoop(LOG, x, y, n); }
export function unary_tanh(x: usize, y: usize, n: i32): void { unaryLoop(TANH, x, y, n); }
export function unary_sigmoid(x: usize, y: usize, n: i32): void { unaryLoop(SIGMOID, x, y, n); }

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;
const EQ = 6, NE = 7, LT = 8, LE = 9, GT = 10, GE = 11;

/** op(a, b) on four lanes: the float32 result, or for a comparison its lane mask (-1 or 0). */
@inline function binaryOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // NaN-propagating, and -0 < +0: the reference's maximum/minimum
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
    // comparisons with NaN are false, but for ne: as in JavaScript
    case EQ: return f32x4.eq(a, b);
    case NE: return f32x4.ne(a, b);
    case LT: return f32x4.lt(a, b);
    case LE: return f32x4.le(a, b);
    case GT: return f32x4.gt(a, b);
    default: return f32x4.ge(a, b);
  }
}

/** Bytes per element of op's result: comparisons give bool (one byte, 0 or 1). */
@inline function outBytes(op: i32): usize { return op >= EQ ? 1 : 4; }

/** Stores the result of four lanes (lanes == 4) or of lane 0 (lanes == 1) at y. */
@inline function storeResult(op: i32, y: usize, r: v128, lanes: i32): void {
  if (outBytes(op) == 4) {
    if (lanes == 4) v128.store(y, r); else store<f32>(y, f32x4.extract_lane(r, 0));
    return;
  }
  // lane masks -1/0 narrowed to bytes, then 1/0
  const m8 = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(r, r), r);
  const bytes = v128.and(m8, i8x16.splat(1));
  if (lanes == 4) v128.store32_lane(y, bytes, 0); else store<u8>(y, i8x16.extract_lane_u(bytes, 0));
}

/** One row: y[j] = op(a[j·sa], b[j·sb]) for j < n, vectorised when each operand is contiguous
 *  (stride 1) or broadcast (stride 0) along it. */
@inline function binaryRow(op: i32, a: usize, sa: usize, b: usize, sb: usize, y: usize, n: i32): void {
  const ob = outBytes(op);
  let j = 0;
  if (sa <= 1 && sb <= 1) {
    const av = v128.load32_splat(a), bv = v128.load32_splat(b);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      storeResult(op, y + <usize>j * ob, binaryOp(op, sa ? v128.load(a + o) : av, sb ? v128.load(b + o) : bv), 4);
    }
  }
  for (; j < n; j++) {
    const x = v128.load32_splat(a + (<usize>j * sa << 2)), z = v128.load32_splat(b + (<usize>j * sb << 2));
    storeResult(op, y + <usize>j * ob, binaryOp(op, x, z), 1);
  }
}

/** y = op(a, b) over the shape [n0, n1, n2, n3], y contiguous, a and b read through their element
 *  strides (0 where broadcast). */
@inline function binaryLoop(op: i32, a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32,
  sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const pa = a + ((<usize>i0 * sa0 + <usize>i1 * sa1 + <usize>i2 * sa2) << 2);
        const pb = b + ((<usize>i0 * sb0 + <usize>i1 * sb1 + <usize>i2 * sb2) << 2);
        binaryRow(op, pa, sa3, pb, sb3, y, n3);
        y += <usize>n3 * outBytes(op);
      }
    }
  }
}

export function binary_add(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(ADD, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_sub(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(SUB, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_mul(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(MUL, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_div(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(DIV, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_maximum(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(MAXIMUM, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_minimum(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(MINIMUM, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_eq(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(EQ, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_ne(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(NE, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_lt(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(LT, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_le(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(LE, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_gt(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(GT, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}
export function binary_ge(a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, sa0: usize, sa1: usize, sa2: usize, sa3: usize, sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  binaryLoop(GE, a, b, y, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}

/**
 * y = c ? a : b (torch.where) over [n0, n1, n2, n3], c bool (bytes), a and b float32, y
 * contiguous float32, each operand read through its element strides.
 */
export function where(c: usize, a: usize, b: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32,
  sc0: usize, sc1: usize, sc2: usize, sc3: usize, sa0: usize, sa1: usize, sa2: usize, sa3: usize,
  sb0: usize, sb1: usize, sb2: usize, sb3: usize): void {
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const pc = c + <usize>i0 * sc0 + <usize>i1 * sc1 + <usize>i2 * sc2;
        const pa = a + ((<usize>i0 * sa0 + <usize>i1 * sa1 + <usize>i2 * sa2) << 2);
        const pb = b + ((<usize>i0 * sb0 + <usize>i1 * sb1 + <usize>i2 * sb2) << 2);
        let j = 0;
        if (sc3 <= 1 && sa3 <= 1 && sb3 <= 1) {
          const cv = i32x4.splat(load<u8>(pc)), av = v128.load32_splat(pa), bv = v128.load32_splat(pb);
          for (; j + 4 <= n3; j += 4) {
            const o = <usize>j << 2;
            const cj = sc3 ? i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(pc + <usize>j))) : cv;
            const r = v128.bitselect(sa3 ? v128.load(pa + o) : av, sb3 ? v128.load(pb + o) : bv, i32x4.ne(cj, i32x4.splat(0)));
            v128.store(y + o, r);
          }
        }
        for (; j < n3; j++) {
          const cj = load<u8>(pc + <usize>j * sc3);
          store<f32>(y + (<usize>j << 2), load<f32>(cj ? pa + (<usize>j * sa3 << 2) : pb + (<usize>j * sb3 << 2)));
        }
        y += <usize>n3 << 2;
      }
    }
  }
}

/** y = x over [n0, n1, n2, n3], y contiguous, x read through its element strides: the gather
 *  that makes a strided (transposed, sliced, broadcast) float32 view contiguous. */
export function copy(x: usize, y: usize, n0: i32, n1: i32, n2: i32, n3: i32, s0: usize, s1: usize, s2: usize, s3: usize): void {
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const px = x + ((<usize>i0 * s0 + <usize>i1 * s1 + <usize>i2 * s2) << 2);
        let j = 0;
        if (s3 == 1) {
          memory.copy(y, px, <usize>n3 << 2);
          j = n3;
        } else if (s3 == 0) {
          const v = v128.load32_splat(px);
          for (; j + 4 <= n3; j += 4) v128.store(y + (<usize>j << 2), v);
        }
        for (; j < n3; j++) store<f32>(y + (<usize>j << 2), load<f32>(px + (<usize>j * s3 << 2)));
        y += <usize>n3 << 2;
      }
    }
  }
}
