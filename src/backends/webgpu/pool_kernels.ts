// Max pooling on the WebGPU device (the backend interface's maxPool2d and maxPool2dBackward, and
// gatherPlanes, the gradient of that backward): the maxima's positions stay on the device as an
// int32 tensor, which backward reads there. And the index maps of padding and nearest/linear
// resampling (gatherMaps, scatterMaps).

import type { Tensor } from "../../core/tensor.js";
import { float32, int32 } from "../../core/dtype.js";
import type { Shape } from "../../core/shape.js";
import type { AxisWindows } from "../backend.js";
import { rt, mem, onDevice, deviceEmpty, deviceZeros, deviceFrom, groups, header, paramsBinding, perElement, bitsOf, ATOMIC_ADD_F32 } from "./shader.js";

// P(0) count, P(1) x's offset, then H W oh ow stepH stepW
const MAX_POOL = `// max_pool2d
${header(8)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> ind: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
// the windows: start and end along h (oh each), then along w (ow each)
@group(0) @binding(3) var<storage, read> win: array<i32>;
${paramsBinding(4)}${perElement(`  let H = P(2u); let W = P(3u); let oh = P(4u); let ow = P(5u);
  let i = i32(e);
  let z = i % ow; let yy = (i / ow) % oh; let plane = P(1u) + (i / (ow * oh)) * H * W;
  let h0 = win[yy]; let h1 = win[oh + yy]; let w0 = win[2 * oh + z]; let w1 = win[2 * oh + ow + z];
  // as PyTorch's CPU kernel: the first maximum in row-major order, or the last NaN
  var best = -bitcast<f32>(INF_BITS);
  var at = h0 * W + w0;
  for (var h = h0; h < h1; h += P(6u)) {
    for (var w = w0; w < w1; w += P(7u)) {
      let v = x[u32(plane + h * W + w)];
      if (v > best || isnan_(v)) { best = v; at = h * W + w; }
    }
  }
  y[e] = best;
  ind[e] = at;`)}`;

/** The windows on the device: start and end along h (oh each), then along w (ow each). */
function windows(hw: AxisWindows, ww: AxisWindows): Tensor {
  const oh = hw.start.length, ow = ww.start.length, win = new Int32Array(2 * (oh + ow));
  win.set(hw.start, 0); win.set(hw.end, oh); win.set(ww.start, 2 * oh); win.set(ww.end, 2 * oh + ow);
  return deviceFrom(win, [win.length], int32);
}

/** Max pooling of float32 x seen as [P, H, W] (any offset, contiguous): the result of `shape`
 *  and the maxima's flat positions in their planes (int32, of `shape`). */
export function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Tensor] | null {
  if (x.dtype !== float32 || !onDevice(x) || !x.is_contiguous()) return null;
  const oh = hw.start.length, ow = ww.start.length, n = P * oh * ow;
  const y = deviceEmpty(shape, float32), ind = deviceEmpty(shape, int32);
  if (n === 0) return [y, ind];
  const w = windows(hw, ww);
  const p = Int32Array.from([n, x._offset, H, W, oh, ow, hw.step, ww.step]);
  rt().dispatch(rt().kernel(MAX_POOL), [mem(y).written(), mem(ind).written(), mem(x).read(), mem(w).read()], p, groups(n));
  return [y, ind];
}

// P(0) count (P·L), P(1) g's or x's offset, P(2) L, P(3) HW
const SCATTER_PLANES = `// scatter_planes f32
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> ind: array<i32>;
${paramsBinding(3)}${ATOMIC_ADD_F32}${perElement(`  let p = i32(e) / P(2u);
  atomicAddF32(&y[u32(p * P(3u) + ind[e])], g[u32(P(1u)) + e]);`)}`;

const GATHER_PLANES = `// gather_planes f32
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> ind: array<i32>;
${paramsBinding(3)}${perElement(`  let p = i32(e) / P(2u);
  y[e] = x[u32(P(1u) + p * P(3u) + ind[e])];`)}`;

const dense = (t: Tensor) => t.dtype === float32 && onDevice(t) && t.is_contiguous();
const planeParams = (t: Tensor, ind: Tensor, P: number, HW: number) => Int32Array.from([ind.numel(), t._offset, ind.numel() / P, HW]);

/** maxPool2d's adjoint: g [P, L] added into positions ind of a zero [P, HW] (of `shape`). */
export function maxPool2dBackward(g: Tensor, ind: Tensor, P: number, HW: number, shape: Shape): Tensor | null {
  if (!dense(g) || !onDevice(ind)) return null;
  const y = deviceZeros(shape, float32), n = ind.numel();
  if (n > 0) rt().dispatch(rt().kernel(SCATTER_PLANES), [mem(y).written(), mem(g).read(), mem(ind).read()], planeParams(g, ind, P, HW), groups(n));
  return y;
}

/** out[p, l] = x[p, ind[p·L + l]] for x [P, HW]: the adjoint of maxPool2dBackward. */
export function gatherPlanes(x: Tensor, ind: Tensor, P: number, HW: number, shape: Shape): Tensor | null {
  if (!dense(x) || !onDevice(ind)) return null;
  const y = deviceEmpty(shape, float32), n = ind.numel();
  if (n > 0) rt().dispatch(rt().kernel(GATHER_PLANES), [mem(y).written(), mem(x).read(), mem(ind).read()], planeParams(x, ind, P, HW), groups(n));
  return y;
}

// ---- average pooling: window sums over divisors, and the adjoint (each input element gathers
// the windows that hold it: no atomics) --------------------------------------------------------

// P(0) count, P(1) offset, then H W oh ow
const AVG_POOL = (adjoint: boolean) => `// ${adjoint ? "avg_pool2d_backward" : "avg_pool2d"}
${header(8)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> win: array<i32>;
@group(0) @binding(3) var<storage, read> div: array<f32>;
${paramsBinding(4)}${perElement(`  let H = P(2u); let W = P(3u); let oh = P(4u); let ow = P(5u);
  let i = i32(e);
${adjoint ? `  let w = i % W; let h = (i / W) % H; let plane = P(1u) + (i / (W * H)) * oh * ow;
  var acc = 0.0;
  for (var a = 0; a < oh; a++) {
    if (h < win[a] || h >= win[oh + a]) { continue; }
    for (var b = 0; b < ow; b++) {
      if (w >= win[2 * oh + b] && w < win[2 * oh + ow + b]) { acc += x[u32(plane + a * ow + b)] / div[a * ow + b]; }
    }
  }
  y[e] = acc;` : `  let b = i % ow; let a = (i / ow) % oh; let plane = P(1u) + (i / (ow * oh)) * H * W;
  let h0 = win[a]; let h1 = win[oh + a]; let w0 = win[2 * oh + b]; let w1 = win[2 * oh + ow + b];
  var acc = 0.0;
  for (var h = h0; h < h1; h++) { for (var w = w0; w < w1; w++) { acc += x[u32(plane + h * W + w)]; } }
  y[e] = select(acc / div[a * ow + b], 0.0, h0 >= h1 || w0 >= w1);`}`)}`;

/** Average pooling of float32 x seen as [P, H, W] (contiguous) over windows (step 1), each
 *  window's sum over div[y·ow + z] (an empty window gives 0); or, `adjoint`, its adjoint from the
 *  gradient of the pooled [P, oh, ow] into a [P, H, W] of `shape`. */
export function avgPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape, adjoint = false): Tensor | null {
  if (!dense(x)) return null;
  const y = deviceEmpty(shape, float32), n = y.numel();
  if (n === 0) return y;
  const d = deviceFrom(Float32Array.from(div), [div.length], float32);
  const p = Int32Array.from([n, x._offset, H, W, hw.start.length, ww.start.length, 0, 0]);
  rt().dispatch(rt().kernel(AVG_POOL(adjoint)), [mem(y).written(), mem(x).read(), mem(windows(hw, ww)).read(), mem(d).read()], p, groups(n));
  return y;
}

// ---- index maps (padding, resampling): one map per spatial dim ----------------------------------

/** WGSL finding, for element e of [P, ...out dims] (nd dims, sizes at P(4) …), the input element
 *  of [P, ...in dims] (sizes at P(7) …) the maps give (map j of dim j at maps[P(10 + j) + c_j]),
 *  or -1 where a map holds -1. */
function mapped(nd: number): string {
  let code = "  var r = e;\n  var at = 0; var inPlane = 1; var valid = true;\n";
  for (let j = nd - 1; j >= 0; j--) {
    code += `  { let c = i32(r % u32(P(${4 + j}u))); r = r / u32(P(${4 + j}u));
    let m = maps[u32(P(${10 + j}u) + c)]; valid = valid && m >= 0; at += m * inPlane; inPlane *= P(${7 + j}u); }\n`;
  }
  return code + "  let src = select(-1, i32(r) * inPlane + at, valid);\n";
}

function mapParams(n: number, offset: number, fill: number, inDims: readonly number[], maps: readonly Int32Array[]): [Int32Array, Int32Array] {
  const p = new Int32Array(16), all = new Int32Array(maps.reduce((a, m) => a + m.length, 0));
  p[0] = n; p[1] = offset; p[2] = bitsOf(fill, "f32");
  let at = 0;
  maps.forEach((m, j) => { p[4 + j] = m.length; p[7 + j] = inDims[j]!; p[10 + j] = at; all.set(m, at); at += m.length; });
  return [p, all];
}

const GATHER_MAPS = (nd: number) => `// gather_maps f32 (${nd} dims)
${header(16)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> maps: array<i32>;
${paramsBinding(3)}${perElement(`${mapped(nd)}  y[e] = select(PF(2u), x[u32(P(1u) + max(src, 0))], src >= 0);`)}`;
const SCATTER_MAPS = (nd: number) => `// scatter_maps f32 (${nd} dims)
${header(16)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> maps: array<i32>;
${paramsBinding(3)}${ATOMIC_ADD_F32}${perElement(`${mapped(nd)}  if (src >= 0) { atomicAddF32(&y[u32(src)], g[u32(P(1u)) + e]); }`)}`;

/** out[p, a, b, …] = x[p, m0[a], m1[b], …] (fill where a map holds -1), x contiguous on the device. */
export function gatherMaps(x: Tensor, P: number, inDims: readonly number[], maps: readonly Int32Array[], fill: number, shape: Shape): Tensor | null {
  if (!dense(x) || maps.length > 3) return null;
  const y = deviceEmpty(shape, float32), n = y.numel();
  if (n === 0) return y;
  const [p, all] = mapParams(n, x._offset, fill, inDims, maps), m = deviceFrom(all, [all.length], int32);
  rt().dispatch(rt().kernel(GATHER_MAPS(maps.length)), [mem(y).written(), mem(x).read(), mem(m).read()], p, groups(n));
  return y;
}

/** Its adjoint: each g[p, a, b, …] added into [p, m0[a], m1[b], …] of a zero [P, ...inDims]. */
export function scatterMaps(g: Tensor, P: number, inDims: readonly number[], maps: readonly Int32Array[], shape: Shape): Tensor | null {
  if (!dense(g) || maps.length > 3) return null;
  const y = deviceZeros(shape, float32), n = g.numel();
  if (n === 0) return y;
  const [p, all] = mapParams(n, g._offset, 0, inDims, maps), m = deviceFrom(all, [all.length], int32);
  rt().dispatch(rt().kernel(SCATTER_MAPS(maps.length)), [mem(y).written(), mem(g).read(), mem(m).read()], p, groups(n));
  return y;
}
