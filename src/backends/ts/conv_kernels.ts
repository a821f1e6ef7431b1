// Primitive kernels of the convolution, pooling, normalisation and padding ops (src/ops/conv.ts,
// pooling.ts, normalization.ts, padding.ts): tight loops over contiguous float32/float64 planes.
//
// Each kernel comes with its adjoint (im2col / col2im, gather / scatter, window mean / its
// transpose), so every op's backward is another op of the same family and can itself be
// differentiated. Values are read and written in the tensor's own typed array, so a float32
// copy (im2col, padding, max pooling) moves float32 values without conversion; sums accumulate
// in double and round once on store.

import { Tensor } from "../../core/tensor.js";
import { type DType, int32 } from "../../core/dtype.js";
import { contiguousCopy } from "./kernels.js";
import type { Window2d, AxisWindows } from "../backend.js";

export type { Window2d, AxisWindows };

export type FloatArray = Float32Array | Float64Array;

/** The elements of a float32/float64 tensor in row-major order: its storage itself when it is
 *  contiguous (no copy), else a contiguous copy. */
export function floatData(t: Tensor): FloatArray { return dense<FloatArray>(t); }
/** The same for an int32 tensor (max pooling's positions). */
export function indexData(t: Tensor): Int32Array { return dense<Int32Array>(t); }
function dense<A extends FloatArray | Int32Array>(t: Tensor): A {
  const c = t.is_contiguous() ? t : contiguousCopy(t);
  const a = c._storage.data as A, n = c.numel();
  return (c._offset === 0 && a.length === n ? a : a.subarray(c._offset, c._offset + n)) as A;
}

/** A fresh zero-filled contiguous tensor and its typed array. */
export function alloc(shape: readonly number[], dtype: DType): [Tensor, FloatArray] {
  const t = Tensor.empty(shape, dtype);
  return [t, t._storage.data as FloatArray];
}

// ---- im2col / col2im ------------------------------------------------------------------------


/** The range [lo, hi) of output columns o whose input column o·s + off lies inside [0, size). */
function validRange(off: number, s: number, size: number, outSize: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-off / s));
  const hi = Math.min(outSize, Math.floor((size - 1 - off) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

/** The walk im2col and col2im share: for each image, channel, kernel tap (i, j) and window row oy,
 *  the run of window columns [ox0, ox1) whose input lies inside the plane (the others read
 *  padding), as visit(input, col, ox0, ox1): window column ox reads input element input + ox·sw
 *  and is column element col + ox of the [B, C·kh·kw, oh·ow] layout. */
function forEachWindowRun(B: number, C: number, g: Window2d, visit: (input: number, col: number, ox0: number, ox1: number) => void): void {
  const { H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const L = oh * ow, K = C * kh * kw;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        const yoff = i * dh - ph;
        const [oy0, oy1] = validRange(yoff, sh, H, oh);
        for (let j = 0; j < kw; j++) {
          const xoff = j * dw - pw;
          const [ox0, ox1] = validRange(xoff, sw, W, ow);
          const row = (b * K + (c * kh + i) * kw + j) * L;
          for (let oy = oy0; oy < oy1; oy++) visit(plane + (oy * sh + yoff) * W + xoff, row + oy * ow, ox0, ox1);
        }
      }
    }
  }
}

/** im2col: x [B, C, H, W] → [B, C·kh·kw, oh·ow]; row (c, i, j) holds, for every window
 *  position, the input element under kernel tap (i, j) of channel c (0 in the padding). */
export function im2col(x: Tensor, B: number, C: number, g: Window2d): Tensor {
  const src = floatData(x), sw = g.sw;
  const [out, dst] = alloc([B, C * g.kh * g.kw, g.oh * g.ow], x.dtype);
  forEachWindowRun(B, C, g, (s, d, ox0, ox1) => {
    for (let ox = ox0; ox < ox1; ox++) dst[d + ox] = src[s + ox * sw]!;
  });
  return out;
}

/** col2im, the adjoint of im2col: cols [B, C·kh·kw, oh·ow] → [B, C, H, W], each column value
 *  added into the input element it was read from (overlapping windows sum). */
export function col2im(cols: Tensor, B: number, C: number, g: Window2d): Tensor {
  const src = floatData(cols), sw = g.sw;
  const acc = new Float64Array(B * C * g.H * g.W);
  forEachWindowRun(B, C, g, (d, s, ox0, ox1) => {
    for (let ox = ox0; ox < ox1; ox++) acc[d + ox * sw] += src[s + ox]!;
  });
  const [out, dst] = alloc([B, C, g.H, g.W], cols.dtype);
  dst.set(acc);
  return out;
}

/** out[b, o, l] += bias[o], in place on a fresh contiguous [B, O, L] result. */
export function addChannelBias(out: Tensor, bias: Tensor, B: number, O: number, L: number): void {
  const o = out._storage.data as FloatArray, bv = floatData(bias);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < O; c++) {
      const v = bv[c]!, s = (b * O + c) * L;
      for (let l = 0; l < L; l++) o[s + l] += v;
    }
  }
}

// ---- pooling windows ------------------------------------------------------------------------


/** Max over each window of each [H, W] plane of x [P, H, W] (result of `shape`), with the flat index (h·W + w) of the
 *  maximum in its plane. As PyTorch's CPU kernel: the first maximum in scan order wins ties, and
 *  a NaN is taken as the maximum (the last NaN, since each NaN replaces the running value). */
export function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: readonly number[]): [Tensor, Tensor] {
  const oh = hw.start.length, ow = ww.start.length, L = oh * ow;
  const src = floatData(x);
  const [out, dst] = alloc(shape, x.dtype);
  const ind = Tensor.empty(shape, int32), idx = ind._storage.data as Int32Array;
  for (let p = 0; p < P; p++) {
    const plane = p * H * W;
    for (let y = 0; y < oh; y++) {
      const h0 = hw.start[y]!, h1 = hw.end[y]!;
      for (let z = 0; z < ow; z++) {
        const w0 = ww.start[z]!, w1 = ww.end[z]!;
        let best = -Infinity, at = h0 * W + w0;
        for (let h = h0; h < h1; h += hw.step) {
          for (let w = w0; w < w1; w += ww.step) {
            const v = src[plane + h * W + w]!;
            if (v > best || v !== v) { best = v; at = h * W + w; }
          }
        }
        const o = p * L + y * ow + z;
        dst[o] = best;
        idx[o] = at;
      }
    }
  }
  return [out, ind];
}

/** Adds each value of g [P, L] into plane position idx (of HW) of a zero [P, HW]: the adjoint of
 *  gatherPlanes, and the gradient of max pooling. */
export function scatterPlanes(g: Tensor, ind: Tensor, P: number, HW: number, shape: readonly number[]): Tensor {
  const src = floatData(g), idx = indexData(ind), L = idx.length / P;
  const acc = new Float64Array(P * HW);
  for (let p = 0; p < P; p++) for (let l = 0; l < L; l++) acc[p * HW + idx[p * L + l]!] += src[p * L + l]!;
  const [out, dst] = alloc(shape, g.dtype);
  dst.set(acc);
  return out;
}

/** out[p, l] = x[p, idx[p·L + l]] for x [P, HW]. */
export function gatherPlanes(x: Tensor, ind: Tensor, P: number, HW: number, shape: readonly number[]): Tensor {
  const src = floatData(x), idx = indexData(ind), L = idx.length / P;
  const [out, dst] = alloc(shape, x.dtype);
  for (let p = 0; p < P; p++) for (let l = 0; l < L; l++) dst[p * L + l] = src[p * HW + idx[p * L + l]!]!;
  return out;
}

/** Sum over each window (step 1) of each plane of x [P, H, W], divided by div[y·ow + z]. An
 *  empty window gives 0. */
export function windowMean(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: readonly number[]): Tensor {
  const oh = hw.start.length, ow = ww.start.length, L = oh * ow;
  const src = floatData(x);
  const [out, dst] = alloc(shape, x.dtype);
  for (let p = 0; p < P; p++) {
    const plane = p * H * W;
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        let s = 0;
        for (let h = hw.start[y]!; h < hw.end[y]!; h++) {
          const r = plane + h * W;
          for (let w = ww.start[z]!; w < ww.end[z]!; w++) s += src[r + w]!;
        }
        const empty = hw.start[y]! >= hw.end[y]! || ww.start[z]! >= ww.end[z]!;
        dst[p * L + y * ow + z] = empty ? 0 : s / div[y * ow + z]!;
      }
    }
  }
  return out;
}

/** The adjoint of windowMean: each g[p, y, z] / div spread over its window of a zero [P, H, W]. */
export function windowMeanAdjoint(g: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: readonly number[]): Tensor {
  const oh = hw.start.length, ow = ww.start.length, L = oh * ow;
  const src = floatData(g);
  const acc = new Float64Array(P * H * W);
  for (let p = 0; p < P; p++) {
    const plane = p * H * W;
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        const v = src[p * L + y * ow + z]! / div[y * ow + z]!;
        for (let h = hw.start[y]!; h < hw.end[y]!; h++) {
          const r = plane + h * W;
          for (let w = ww.start[z]!; w < ww.end[z]!; w++) acc[r + w] += v;
        }
      }
    }
  }
  const [out, dst] = alloc(shape, g.dtype);
  dst.set(acc);
  return out;
}

// ---- normalisation --------------------------------------------------------------------------

/** Mean and biased variance (two passes, in double) of each q over p and r of x seen as [P, Q, R]. */
export function channelStats(x: Tensor, P: number, Q: number, R: number): { mean: Float64Array; var: Float64Array } {
  const src = floatData(x), n = P * R;
  const mean = new Float64Array(Q), vr = new Float64Array(Q);
  for (let q = 0; q < Q; q++) {
    let s = 0;
    for (let p = 0; p < P; p++) { const o = (p * Q + q) * R; for (let r = 0; r < R; r++) s += src[o + r]!; }
    const m = s / n;
    let ss = 0;
    for (let p = 0; p < P; p++) { const o = (p * Q + q) * R; for (let r = 0; r < R; r++) { const d = src[o + r]! - m; ss += d * d; } }
    mean[q] = m;
    vr[q] = ss / n;
  }
  return { mean, var: vr };
}

/** y[p, q, r] = x[p, q, r]·scale[q] + shift[q], then ·colScale[r] + colShift[r] when given
 *  (layer norm's elementwise affine), computed in double and rounded once. */
export function channelAffine(x: Tensor, P: number, Q: number, R: number, scale: Float64Array, shift: Float64Array,
  colScale: ArrayLike<number> | null = null, colShift: ArrayLike<number> | null = null): Tensor {
  const src = floatData(x);
  const [out, dst] = alloc(x.shape, x.dtype);
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < Q; q++) {
      const a = scale[q]!, b = shift[q]!, o = (p * Q + q) * R;
      if (colScale === null && colShift === null) for (let r = 0; r < R; r++) dst[o + r] = src[o + r]! * a + b;
      else {
        for (let r = 0; r < R; r++) {
          let v = src[o + r]! * a + b;
          if (colScale) v *= colScale[r]!;
          if (colShift) v += colShift[r]!;
          dst[o + r] = v;
        }
      }
    }
  }
  return out;
}

// ---- separable index maps (padding) ---------------------------------------------------------

/** Row-major strides of a shape. */
function stridesOf(dims: readonly number[]): number[] {
  const st = new Array<number>(dims.length).fill(1);
  for (let d = dims.length - 2; d >= 0; d--) st[d] = st[d + 1]! * dims[d + 1]!;
  return st;
}

/** Calls row(inRow, outRow, valid) for every row (last-dim run) of the output of a separable map:
 *  inRow is the input offset of the row within its plane, valid false where a map above the last
 *  dim holds -1. */
function forEachMappedRow(inDims: readonly number[], maps: readonly Int32Array[], row: (inRow: number, valid: boolean) => void): void {
  const k = maps.length, st = stridesOf(inDims);
  const rec = (d: number, base: number, valid: boolean): void => {
    if (d === k - 1) { row(base, valid); return; }
    const m = maps[d]!;
    for (let a = 0; a < m.length; a++) rec(d + 1, base + m[a]! * st[d]!, valid && m[a]! >= 0);
  };
  rec(0, 0, true);
}

/** out[p, a, b, …] = x[p, m0[a], m1[b], …] for x seen as [P, ...inDims], or `fill` where a map
 *  holds -1. Every padding mode is such a map per padded dim. */
export function gatherMaps(x: Tensor, P: number, inDims: readonly number[], maps: readonly Int32Array[], fill: number, shape: readonly number[]): Tensor {
  const src = floatData(x), inPlane = inDims.reduce((a, b) => a * b, 1), last = maps[maps.length - 1]!;
  const [out, dst] = alloc(shape, x.dtype);
  let o = 0;
  for (let p = 0; p < P; p++) {
    forEachMappedRow(inDims, maps, (inRow, valid) => {
      const base = p * inPlane + inRow;
      if (!valid) { dst.fill(fill, o, o + last.length); o += last.length; return; }
      for (let c = 0; c < last.length; c++, o++) { const ic = last[c]!; dst[o] = ic < 0 ? fill : src[base + ic]!; }
    });
  }
  return out;
}

/** The adjoint of gatherMaps: each g[p, a, b, …] added into x[p, m0[a], m1[b], …] of a zero
 *  [P, ...inDims] (entries mapped to -1 are dropped). */
export function scatterMaps(g: Tensor, P: number, inDims: readonly number[], maps: readonly Int32Array[], shape: readonly number[]): Tensor {
  const src = floatData(g), inPlane = inDims.reduce((a, b) => a * b, 1), last = maps[maps.length - 1]!;
  const acc = new Float64Array(P * inPlane);
  let o = 0;
  for (let p = 0; p < P; p++) {
    forEachMappedRow(inDims, maps, (inRow, valid) => {
      const base = p * inPlane + inRow;
      if (!valid) { o += last.length; return; }
      for (let c = 0; c < last.length; c++, o++) { const ic = last[c]!; if (ic >= 0) acc[base + ic] += src[o]!; }
    });
  }
  const [out, dst] = alloc(shape, g.dtype);
  dst.set(acc);
  return out;
}
