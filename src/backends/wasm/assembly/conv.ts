// 2-d convolution of float32 [N, C, H, W] images by [O, C, kh, kw] weights, as im2col + GEMM one
// image at a time: each thread unfolds an image into its own scratch columns (C·kh·kw × oh·ow,
// small enough to stay in cache, where unfolding the whole batch first would stream it through
// memory twice) and multiplies them at once. The three kernels are the forward and the two
// halves of the backward; the host gives each thread a range [n0, n1) of images.
//
// Note [Conv geometry]: the window's sizes come in a block of i32s at `geo` rather than as
// arguments (a job slot holds at most 30): C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow.

import { gemmInto } from "./gemm";

class Geometry {
  C: i32; H: i32; W: i32; O: i32; kh: i32; kw: i32; sh: i32; sw: i32;
  ph: i32; pw: i32; dh: i32; dw: i32; oh: i32; ow: i32;
}

@inline function geometry(geo: usize): Geometry { return changetype<Geometry>(geo); }

/** The first output position o (of `outSize`) whose input position o·s + off is ≥ 0. */
@inline function firstInside(off: i32, s: i32): i32 { return off >= 0 ? 0 : (s - 1 - off) / s; }
/** One past the last output position whose input position o·s + off is < size. */
@inline function endInside(off: i32, s: i32, size: i32, outSize: i32): i32 {
  const last = size - 1 - off;
  return last < 0 ? 0 : min(outSize, last / s + 1);
}

/** im2col, or with `adjoint` its adjoint col2im. im2col unfolds image x [C, H, W] into cols
 *  [C·kh·kw, oh·ow]: row (c, i, j) holds, for every window position, the input under kernel tap
 *  (i, j) of channel c, 0 in the padding. col2im adds each column value back into the element of
 *  x it was read from (overlapping windows sum). */
@inline function unfold(x: usize, cols: usize, g: Geometry, adjoint: bool): void {
  const L = g.oh * g.ow, HW = g.H * g.W;
  let row = cols;
  for (let c = 0; c < g.C; c++) {
    const plane = x + (<usize>(c * HW) << 2);
    for (let i = 0; i < g.kh; i++) {
      const yoff = i * g.dh - g.ph;
      const oy0 = firstInside(yoff, g.sh), oy1 = max(oy0, endInside(yoff, g.sh, g.H, g.oh));
      for (let j = 0; j < g.kw; j++) {
        const xoff = j * g.dw - g.pw;
        const ox0 = firstInside(xoff, g.sw), ox1 = max(ox0, endInside(xoff, g.sw, g.W, g.ow));
        if (!adjoint && (oy0 > 0 || oy1 < g.oh || ox0 > 0 || ox1 < g.ow)) memory.fill(row, 0, <usize>L << 2);
        for (let oy = oy0; oy < oy1; oy++) {
          const px = plane + (<usize>((oy * g.sh + yoff) * g.W + xoff) << 2), pc = row + (<usize>(oy * g.ow) << 2);
          if (adjoint) addStrided(px, pc, ox0, ox1, g.sw);
          else if (g.sw == 1) memory.copy(pc + (<usize>ox0 << 2), px + (<usize>ox0 << 2), <usize>(ox1 - ox0) << 2);
          else for (let ox = ox0; ox < ox1; ox++) store<f32>(pc + (<usize>ox << 2), load<f32>(px + (<usize>(ox * g.sw) << 2)));
        }
        row += <usize>L << 2;
      }
    }
  }
}

/** d[o·s] += src[o] for ox0 ≤ o < ox1. */
@inline function addStrided(d: usize, src: usize, ox0: i32, ox1: i32, s: i32): void {
  let ox = ox0;
  if (s == 1) {
    for (; ox + 4 <= ox1; ox += 4) {
      const p = d + (<usize>ox << 2);
      v128.store(p, f32x4.add(v128.load(p), v128.load(src + (<usize>ox << 2))));
    }
  }
  for (; ox < ox1; ox++) {
    const p = d + (<usize>(ox * s) << 2);
    store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>ox << 2)));
  }
}

function im2col(x: usize, cols: usize, g: Geometry): void { unfold(x, cols, g, false); }
function col2im(cols: usize, dx: usize, g: Geometry): void { unfold(dx, cols, g, true); }

/** y[n] = W·im2col(x[n]) (+ bias per output channel) for images n0 ≤ n < n1. `cols` is this
 *  thread's C·kh·kw × oh·ow scratch, `work` its gemm_workspace(). */
export function conv2d_forward(x: usize, w: usize, bias: usize, y: usize, hasBias: bool, n0: i32, n1: i32,
  geo: usize, cols: usize, work: usize): void {
  const g = geometry(geo), K = g.C * g.kh * g.kw, L = g.oh * g.ow;
  for (let n = n0; n < n1; n++) {
    im2col(x + (<usize>n * <usize>(g.C * g.H * g.W) << 2), cols, g);
    const yn = y + (<usize>n * <usize>(g.O * L) << 2);
    gemmInto(w, cols, yn, g.O, L, K, K, 1, L, 1, L, 1, 1, 0, 0, 0, work, false);
    if (!hasBias) continue;
    for (let o = 0; o < g.O; o++) {
      const row = yn + (<usize>(o * L) << 2), b = load<f32>(bias + (<usize>o << 2)), bv = f32x4.splat(b);
      let l = 0;
      for (; l + 4 <= L; l += 4) { const p = row + (<usize>l << 2); v128.store(p, f32x4.add(v128.load(p), bv)); }
      for (; l < L; l++) { const p = row + (<usize>l << 2); store<f32>(p, load<f32>(p) + b); }
    }
  }
}

/** dx[n] = col2im(Wᵀ·gy[n]) for images n0 ≤ n < n1 (dx[n] overwritten). */
export function conv2d_backward_input(w: usize, gy: usize, dx: usize, n0: i32, n1: i32,
  geo: usize, cols: usize, work: usize): void {
  const g = geometry(geo), K = g.C * g.kh * g.kw, L = g.oh * g.ow, image = g.C * g.H * g.W;
  for (let n = n0; n < n1; n++) {
    // Wᵀ [K, O] read through W's strides
    gemmInto(w, gy + (<usize>n * <usize>(g.O * L) << 2), cols, K, L, g.O, 1, K, L, 1, L, 1, 1, 0, 0, 0, work, false);
    const dxn = dx + (<usize>n * <usize>image << 2);
    memory.fill(dxn, 0, <usize>image << 2);
    col2im(cols, dxn, g);
  }
}

/** Over images n0 ≤ n < n1: gwT [K, O] = Σ im2col(x[n])·gy[n]ᵀ (the weight's gradient,
 *  transposed: the product's tiles then fill rows of K, and gy's transposed read is the smaller
 *  operand to pack) and, when gb ≠ 0, gb[o] = Σ gy[n, o, :] in float64. */
export function conv2d_backward_weight(x: usize, gy: usize, gwT: usize, gb: usize, n0: i32, n1: i32,
  geo: usize, cols: usize, work: usize): void {
  const g = geometry(geo), K = g.C * g.kh * g.kw, L = g.oh * g.ow;
  if (gb) memory.fill(gb, 0, <usize>g.O << 3);
  for (let n = n0; n < n1; n++) {
    im2col(x + (<usize>n * <usize>(g.C * g.H * g.W) << 2), cols, g);
    const gyn = gy + (<usize>n * <usize>(g.O * L) << 2);
    gemmInto(cols, gyn, gwT, K, g.O, L, L, 1, 1, L, g.O, 1, 1, 0, 0, 0, work, n > n0);
    if (!gb) continue;
    for (let o = 0; o < g.O; o++) {
      const row = gyn + (<usize>(o * L) << 2);
      let acc = f32x4.splat(0), l = 0;
      for (; l + 4 <= L; l += 4) acc = f32x4.add(acc, v128.load(row + (<usize>l << 2)));
      let s = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
      for (; l < L; l++) s += <f64>load<f32>(row + (<usize>l << 2));
      const p = gb + (<usize>o << 3);
      store<f64>(p, load<f64>(p) + s);
    }
  }
}
