// Layer norm on the WebGPU device: the forward keeps each row's mean and reciprocal standard
// deviation on the device (LayerNormResult's statistics, float32), and the backward reads them
// there, so neither reads anything back.
//
// Note [Layer norm shaders]: one workgroup per row of x seen as [M, K]: a workgroup sum of the row
// for its mean, a second of the squared deviations for its variance (two passes: no cancellation),
// then y = (x - mean)·rstd·w + b. The backward's gradient of x is, per row, with ĝ = g·w and
// x̂ = (x - mean)·rstd: rstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)) (two workgroup sums); the gradients of w
// and b, sums over the rows of g·x̂ and g, run one thread per column.

import type { Tensor } from "../../core/tensor.js";
import { float32 } from "../../core/dtype.js";
import type { LayerNormResult } from "../backend.js";
import { contiguousCopy } from "./kernels.js";
import { WG, rt, mem, onDevice, deviceEmpty, groups, header, paramsBinding, perElement, WORKGROUP_REDUCE } from "./shader.js";

/** t contiguous from its first element, float32 on the device (a copy where it is a view), or null. */
function dense(t: Tensor): Tensor | null {
  if (!onDevice(t) || t.dtype !== float32) return null;
  return t.is_contiguous() && t._offset === 0 ? t : contiguousCopy(t, float32);
}

/** WGSL of a kernel with one workgroup per row (P(0) rows, P(1) K): `body` runs with `row`,
 *  `K`, `base` (the row's first element) and WORKGROUP_REDUCE's sums. */
const perRow = (body: string): string => `${WORKGROUP_REDUCE}@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= u32(P(0u))) { return; }
  let K = u32(P(1u));
  let base = row * K;
${body}
}`;

// P(0) M, P(1) K, P(2) eps (float32 bits)
const FORWARD = (w: boolean, b: boolean) => `// layer_norm${w ? " w" : ""}${b ? " b" : ""}
${header(3)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> mean: array<f32>;
@group(0) @binding(2) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
${w ? "@group(0) @binding(4) var<storage, read> w: array<f32>;\n" : ""}${b ? `@group(0) @binding(${w ? 5 : 4}) var<storage, read> b: array<f32>;\n` : ""}${paramsBinding(3 + +w + +b + 1)}${perRow(`  var acc = 0.0;
  for (var j = li; j < K; j += ${WG}u) { acc = acc + x[base + j]; }
  let mu = reduceSum(li, acc, 0u) / f32(K);
  var sq = 0.0;
  for (var j = li; j < K; j += ${WG}u) { let d = x[base + j] - mu; sq = sq + d * d; }
  let rs = 1.0 / sqrt(reduceSum(li, sq, 1u) / f32(K) + PF(2u));
  for (var j = li; j < K; j += ${WG}u) { y[base + j] = (x[base + j] - mu) * rs${w ? " * w[j]" : ""}${b ? " + b[j]" : ""}; }
  if (li == 0u) { mean[row] = mu; rstd[row] = rs; }`)}`;

/** Layer norm of the rows of x seen as [M, K] (float32 on the device), with the affine w, b [K]
 *  when given; null where there is no kernel (an empty x: the op composes it). */
export function layerNorm(x: Tensor, M: number, K: number, w: Tensor | null, b: Tensor | null, eps: number): LayerNormResult | null {
  const xs = M * K > 0 ? dense(x) : null, ws = w && dense(w), bs = b && dense(b);
  if (xs === null || (w !== null && ws === null) || (b !== null && bs === null)) return null;
  const y = deviceEmpty(x._shape, float32), mean = deviceEmpty([M], float32), rstd = deviceEmpty([M], float32);
  const p = new Int32Array(3);
  p[0] = M; p[1] = K; new Float32Array(p.buffer)[2] = eps;
  const bufs = [mem(y).written(), mem(mean).written(), mem(rstd).written(), mem(xs).read(), ...[ws, bs].flatMap((t) => (t ? [mem(t).read()] : []))];
  rt().dispatch(rt().kernel(FORWARD(ws !== null, bs !== null)), bufs, p, M);
  return { y, mean, rstd };
}

// P(0) M, P(1) K
const INPUT_GRAD = (w: boolean) => `// layer_norm_backward input${w ? " w" : ""}
${header(2)}@group(0) @binding(0) var<storage, read_write> gx: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
${w ? "@group(0) @binding(5) var<storage, read> w: array<f32>;\n" : ""}${paramsBinding(w ? 6 : 5)}${perRow(`  let mu = mean[row];
  let rs = rstd[row];
  var a = 0.0;
  var c = 0.0;
  for (var j = li; j < K; j += ${WG}u) {
    let gh = g[base + j]${w ? " * w[j]" : ""};
    a = a + gh;
    c = c + gh * (x[base + j] - mu) * rs;
  }
  let ma = reduceSum(li, a, 0u) / f32(K);
  let mc = reduceSum(li, c, 1u) / f32(K);
  for (var j = li; j < K; j += ${WG}u) {
    gx[base + j] = rs * (g[base + j]${w ? " * w[j]" : ""} - ma - (x[base + j] - mu) * rs * mc);
  }`)}`;
// P(0) K, P(1) P(2) the rows of this dispatch: one thread per column, adding to what the
// dispatches of the rows before left (Note [llvmpipe's loop limit]: a loop over every row of a
// long batch in one dispatch would stop at 65,535 on llvmpipe)
const AFFINE_GRAD = `// layer_norm_backward affine
${header(3)}@group(0) @binding(0) var<storage, read_write> gw: array<f32>;
@group(0) @binding(1) var<storage, read_write> gb: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> mean: array<f32>;
@group(0) @binding(5) var<storage, read> rstd: array<f32>;
${paramsBinding(6)}${perElement(`  let K = u32(P(0u)); let m0 = u32(P(1u));
  var sw = select(0.0, gw[e], m0 > 0u);
  var sb = select(0.0, gb[e], m0 > 0u);
  for (var m = m0; m < u32(P(2u)); m++) {
    let gi = g[m * K + e];
    sw = sw + gi * (x[m * K + e] - mean[m]) * rstd[m];
    sb = sb + gi;
  }
  gw[e] = sw;
  gb[e] = sb;`)}`;
/** Rows a dispatch of AFFINE_GRAD sums (Note [llvmpipe's loop limit]). */
const AFFINE_ROWS = 50_000;

/** Layer norm's backward from the statistics its forward kept: the gradients of x, w and b (each
 *  when wanted). */
export function layerNormBackward(g: Tensor, x: Tensor, w: Tensor | null, saved: LayerNormResult, needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null {
  const gs = dense(g), xs = dense(x), ws = w && dense(w), mean = dense(saved.mean), rstd = dense(saved.rstd);
  if (gs === null || xs === null || (w !== null && ws === null) || mean === null || rstd === null) return null;
  const M = mean.numel(), K = x.numel() / M;
  let gx: Tensor | null = null, gw: Tensor | null = null, gb: Tensor | null = null;
  if (needs[0]) {
    gx = deviceEmpty(x._shape, float32);
    const bufs = [mem(gx).written(), mem(gs).read(), mem(xs).read(), mem(mean).read(), mem(rstd).read(), ...(ws ? [mem(ws).read()] : [])];
    rt().dispatch(rt().kernel(INPUT_GRAD(ws !== null)), bufs, Int32Array.from([M, K]), M);
  }
  if (needs[1] || needs[2]) {
    gw = deviceEmpty([K], float32); gb = deviceEmpty([K], float32);
    for (let m0 = 0; m0 < Math.max(M, 1); m0 += AFFINE_ROWS) // (no rows: one dispatch writing zeros)
      rt().dispatch(rt().kernel(AFFINE_GRAD), [mem(gw).written(), mem(gb).written(), mem(gs).read(), mem(xs).read(), mem(mean).read(), mem(rstd).read()],
        Int32Array.from([K, m0, Math.min(M, m0 + AFFINE_ROWS)]), groups(K));
  }
  return [gx, needs[1] ? gw : null, needs[2] ? gb : null];
}
