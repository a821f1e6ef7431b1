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

@inline function binaryOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // NaN-propagating, and -0 < +0: the reference's maximum/minimum
    case MAXIMUM: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

@inline function binaryScalar(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(binaryOp(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

/** One row: y[j] = op(a[j·sa], b[j·sb]) for j < n, vectorised when each operand is contiguous
 *  (stride 1) or broadcast (stride 0) along it. */
@inline function binaryRow(op: i32, a: usize, sa: usize, b: usize, sb: usize, y: usize, n: i32): void {
  let j = 0;
  if (sa == 1 && sb == 1) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, binaryOp(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, binaryOp(op, v128.load(a + o), bv));
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, binaryOp(op, av, v128.load(b + o)));
    }
  }
  for (; j < n; j++) {
    store<f32>(y + (<usize>j << 2), binaryScalar(op, load<f32>(a + (<usize>j * sa << 2)), load<f32>(b + (<usize>j * sb << 2))));
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
        y += <usize>n3 << 2;
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
