// Max pooling over the [H, W] planes of a float32 [P, H, W] array, and its adjoint. The windows
// come as the reference kernels give them (src/backends/ts/conv_kernels.ts, AxisWindows): per
// output row y the input rows hs[y], hs[y] + dh, … below he[y], and likewise per column, already
// clipped to the input; hs, he, ws, we are i32 arrays.

/** y[p, r, c] = the max of plane p over window (r, c), idx its flat position h·W + w in the
 *  plane, for planes p0 ≤ p < p1. As PyTorch's CPU kernel: the first maximum in scan order wins
 *  ties, and a NaN counts as the maximum (the last NaN, since each NaN replaces the running one). */
export function max_pool2d(x: usize, y: usize, idx: usize, p0: i32, p1: i32, H: i32, W: i32, oh: i32, ow: i32,
  hs: usize, he: usize, ws: usize, we: usize, dh: i32, dw: i32): void {
  const L = oh * ow;
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>p * <usize>(H * W) << 2);
    let o = <usize>p * <usize>L;
    for (let r = 0; r < oh; r++) {
      const h0 = load<i32>(hs + (<usize>r << 2)), h1 = load<i32>(he + (<usize>r << 2));
      for (let c = 0; c < ow; c++, o++) {
        const w0 = load<i32>(ws + (<usize>c << 2)), w1 = load<i32>(we + (<usize>c << 2));
        let best = -Infinity as f32, at = h0 * W + w0;
        for (let h = h0; h < h1; h += dh) {
          for (let w = w0; w < w1; w += dw) {
            const i = h * W + w, v = load<f32>(plane + (<usize>i << 2));
            const take = v > best || v != v;
            best = select<f32>(v, best, take);
            at = select<i32>(i, at, take);
          }
        }
        store<f32>(y + (o << 2), best);
        store<i32>(idx + (o << 2), at);
      }
    }
  }
}

/** dx[p, idx[p, l]] += g[p, l] over a zeroed dx [P, HW], for planes p0 ≤ p < p1 (L = g's plane size). */
export function max_pool2d_backward(g: usize, idx: usize, dx: usize, p0: i32, p1: i32, L: i32, HW: i32): void {
  memory.fill(dx + (<usize>p0 * <usize>HW << 2), 0, <usize>(p1 - p0) * <usize>HW << 2);
  for (let p = p0; p < p1; p++) {
    const d = dx + (<usize>p * <usize>HW << 2), o = <usize>p * <usize>L;
    for (let l = 0; l < L; l++) {
      const at = d + (<usize>load<i32>(idx + (o + <usize>l << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(g + (o + <usize>l << 2)));
    }
  }
}
