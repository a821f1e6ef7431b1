// Searching and counting on the WebGPU device: searchsorted (bucketize), bincount, histc, nonzero
// and repeat_interleave's indices. The ops check their arguments and size their results (src/ops/shape_ops.ts,
// index_ops.ts); these kernels fill them.
//
// Note [Counting shaders]: bincount and histc run one thread per input element, adding into
// their bins atomically (atomicAdd on i32 counts, ATOMIC_ADD_F32's compare-and-swap loop for
// float32 weights, whose sums may then differ from the CPU's in their last bits). nonzero is what
// PyTorch's MPS device does: a flag per element, their inclusive scan (the positions of the
// nonzero elements among themselves), one readback of its last element (the count, which sizes
// the result), then a thread per element writing the coordinates of the flagged ones.

import { Tensor } from "../../core/tensor.js";
import { type DType, float32, int32, int64 } from "../../core/dtype.js";
import { contiguousStrides } from "../../core/shape.js";
import { values, fromNumbers } from "../ts/kernels.js";
import { wgslType } from "./memory.js";
import { contiguousCopy, deviceFrom, scan } from "./kernels.js";
import { rt, mem, onDevice, deviceEmpty, deviceZeros, groups, header, paramsBinding, perElement, ATOMIC_ADD_F32 } from "./shader.js";

/** t as a contiguous tensor on the device (a copy where it is a view; a one-element CPU tensor,
 *  a wrapped number, moved), or null. */
function dense(t: Tensor, d: DType = t.dtype): Tensor | null {
  if (!onDevice(t)) return t.numel() === 1 ? deviceFrom(fromNumbers(values(t), d), t._shape, d) : null;
  return t.is_contiguous() && t._offset === 0 && t.dtype === d ? t : contiguousCopy(t, d);
}

// ---- searchsorted -------------------------------------------------------------------------------

// P(0) values, P(1) the boundaries' row length, P(2) values per row (0: one row for all), P(3) right
const SEARCH = (ty: string, ct: string, sorter: boolean) => `// searchsorted ${ty} ${ct}${sorter ? " sorter" : ""}
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> seq: array<${ty}>;
@group(0) @binding(2) var<storage, read> val: array<${ty}>;
${sorter ? "@group(0) @binding(3) var<storage, read> srt: array<i32>;\n" : ""}${paramsBinding(sorter ? 4 : 3)}${perElement(`  let len = u32(P(1u));
  let row = select(0u, e / max(u32(P(2u)), 1u) * len, P(2u) > 0);
  let v = ${ct}(val[e]);
  var lo = 0u;
  var hi = len;
  loop {
    if (lo >= hi) { break; }
    let mid = lo + (hi - lo) / 2u;
    let m = ${ct}(seq[row + ${sorter ? "u32(srt[row + mid])" : "mid"}]);
    // PyTorch's comparisons, false where either is NaN (tested on the bits: see isnan_)
    let after = select(m >= v, m > v, P(3u) != 0)${ct === "f32" ? " && !isnan_(m) && !isnan_(v)" : ""};
    if (after) { hi = mid; } else { lo = mid + 1u; }
  }
  y[e] = i32(lo);`)}`;

/** For each value of x, the position where it would go into its row of seq (the last dim; one row
 *  for all values when seq is 1-d), lower bound or upper (`right`), seq ordered through `sorter`
 *  when given: x's shape, dtype `d` (int32 or int64). */
export function searchSorted(seq: Tensor, x: Tensor, sorter: Tensor | null, right: boolean, d: DType): Tensor | null {
  const ct = seq.dtype.is_floating_point || x.dtype.is_floating_point ? "f32" : "i32";
  const ty = ct === "f32" ? float32 : int32;
  const s = dense(seq, ty), v = dense(x, ty), o = sorter && dense(sorter, int32);
  if (s === null || v === null || (sorter !== null && o === null)) return null;
  const y = deviceEmpty(x._shape, d), n = x.numel();
  const perRow = seq.ndim === 1 ? 0 : x._shape[x.ndim - 1]!;
  const bufs = [mem(y).written(), mem(s).read(), mem(v).read(), ...(o ? [mem(o).read()] : [])];
  const len = seq._shape[seq.ndim - 1]!;
  rt().dispatch(rt().kernel(SEARCH(wgslType(ty), ct, o !== null)), bufs, Int32Array.from([n, len, perRow, +right]), groups(n));
  mem(y).bound = len + 1; // (positions in [0, len]: Note [Index shaders])
  return y;
}

// ---- bincount and histc (Note [Counting shaders]) ----------------------------------------------

const COUNT = `// bincount
${header(1)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<i32>>;
@group(0) @binding(1) var<storage, read> x: array<i32>;
${paramsBinding(2)}${perElement("  atomicAdd(&y[x[e]], 1);")}`;
const WEIGHTED = `// bincount weighted
${header(1)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> x: array<i32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
${paramsBinding(3)}${ATOMIC_ADD_F32}${perElement("  atomicAddF32(&y[x[e]], w[e]);")}`;

/** bincount of x (1-d, integers in [0, n), checked by the op) into n bins: counts (int64), or
 *  sums of float32 `weights`. */
export function binCount(x: Tensor, weights: Tensor | null, n: number): Tensor | null {
  const xs = dense(x, int32), ws = weights && dense(weights, float32);
  if (xs === null || (weights !== null && ws === null)) return null;
  const y = deviceZeros([n], ws ? float32 : int64), m = x.numel();
  const bufs = [mem(y).written(), mem(xs).read(), ...(ws ? [mem(ws).read()] : [])];
  rt().dispatch(rt().kernel(ws ? WEIGHTED : COUNT), bufs, Int32Array.from([m]), groups(m));
  return y;
}

// P(0) elements, P(1) bins, P(2) lo, P(3) hi (float32 bits)
const HISTC = `// histc
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<i32>>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
${paramsBinding(2)}${perElement(`  let v = x[e]; let lo = PF(2u); let hi = PF(3u);
  if (isnan_(v) || v < lo || v > hi) { return; }
  // PyTorch's linear interpolation into the bins, the maximum in the last
  atomicAdd(&y[min(i32(trunc((v - lo) / (hi - lo) * f32(P(1u)))), P(1u) - 1)], 1);`)}`;

/** histc's counts of float32 x over `bins` equal bins of [lo, hi] (float32 values, lo < hi), as
 *  float32. */
export function histc(x: Tensor, bins: number, lo: number, hi: number): Tensor | null {
  const xs = x.dtype === float32 ? dense(x) : null;
  if (xs === null) return null;
  const counts = deviceZeros([bins], int32), m = x.numel();
  const p = new Int32Array(4), f = new Float32Array(p.buffer);
  p[0] = m; p[1] = bins; f[2] = lo; f[3] = hi;
  rt().dispatch(rt().kernel(HISTC), [mem(counts).written(), mem(xs).read()], p, groups(m));
  return contiguousCopy(counts, float32);
}

// ---- nonzero (Note [Counting shaders]) ------------------------------------------------------------

const FLAGS = (ty: string) => `// nonzero flags ${ty}
${header(1)}@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> x: array<${ty}>;
${paramsBinding(2)}${perElement(`  y[e] = select(0, 1, ${ty === "f32" ? "nz_(x[e])" : "x[e] != 0"});`)}`;
// P(0) elements, P(1) dims, P(2 + k) the contiguous strides of the input
const COORDS = `// nonzero coordinates
${header(18)}@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> flags: array<i32>;
@group(0) @binding(2) var<storage, read> pos: array<i32>;
${paramsBinding(3)}${perElement(`  if (flags[e] == 0) { return; }
  let nd = u32(P(1u));
  let row = u32(pos[e] - 1) * nd;
  var r = i32(e);
  for (var k = 0u; k < nd; k++) {
    y[row + k] = r / P(2u + k);
    r = r % P(2u + k);
  }`)}`;

/** The coordinates of x's nonzero elements in row-major order: int64 [count, x.ndim] (x of up to
 *  16 dims); the count is read back. */
export function nonzero(x: Tensor): Tensor | null {
  const xs = x.ndim <= 16 ? dense(x) : null;
  if (xs === null) return null;
  const m = x.numel();
  if (m === 0) return deviceEmpty([0, x.ndim], int64);
  const flags = deviceEmpty([m], int32);
  rt().dispatch(rt().kernel(FLAGS(wgslType(x.dtype))), [mem(flags).written(), mem(xs).read()], Int32Array.from([m]), groups(m));
  const pos = scan(flags, 0, "sum", int32);
  // (the last position alone, copied out of the scan, is what comes back)
  const last = pos && contiguousCopy(new Tensor(pos._storage, [1], [1], m - 1, int32, pos.device), int32);
  if (pos === null || last === null) return null;
  const count = values(last)[0]!;
  const y = deviceEmpty([count, x.ndim], int64);
  if (count > 0 && x.ndim > 0) {
    const p = new Int32Array(18);
    p[0] = m; p[1] = x.ndim; p.set(contiguousStrides(x._shape), 2);
    rt().dispatch(rt().kernel(COORDS), [mem(y).written(), mem(flags).read(), mem(pos).read()], p, groups(m));
  }
  return y;
}

// ---- repeat_interleave's indices --------------------------------------------------------------------

// P(0) total, P(1) counts: each output position's index is the first count whose running sum
// passes it (an upper bound in the inclusive scan)
const REPEATED = `// repeat_interleave indices
${header(2)}@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> cs: array<i32>;
${paramsBinding(2)}${perElement(`  var lo = 0u;
  var hi = u32(P(1u));
  loop {
    if (lo >= hi) { break; }
    let mid = lo + (hi - lo) / 2u;
    if (cs[mid] > i32(e)) { hi = mid; } else { lo = mid + 1u; }
  }
  y[e] = i32(lo);`)}`;

/** [0 × counts[0], 1 × counts[1], …] (`total` of them, dtype d) for 1-d non-negative counts on the
 *  device (summing to total: both checked, read back, by the op): their inclusive scan, then a
 *  thread per output position searching it, as PyTorch's MPS kernel does. */
export function repeatedIndices(counts: Tensor, total: number, d: DType): Tensor | null {
  const c = dense(counts, int32), n = counts.numel();
  const cs = c && scan(c, 0, "sum", int32);
  if (cs === null) return null;
  const y = deviceEmpty([total], d);
  rt().dispatch(rt().kernel(REPEATED), [mem(y).written(), mem(cs).read()], Int32Array.from([total, n]), groups(total));
  mem(y).bound = n; // (indices into the counts' n slices: Note [Index shaders])
  return y;
}
