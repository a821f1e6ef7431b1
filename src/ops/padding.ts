// F.pad: constant, reflect, replicate and circular padding (PyTorch 2.x's torch._C._nn.pad).
//
// Every mode maps each output position of a padded dim to an input position (or to "fill", -1),
// independently per dim, so one gather kernel over separable index maps computes them all, and
// its adjoint (a scatter-add over the same maps) is their gradient. Constant padding's gradient is
// constant padding by the negated amounts (a crop), as PyTorch's constant_pad_nd_backward.

import { Tensor } from "../core/tensor.js";
import * as CK from "../backends/index.js";
import { record } from "../autograd/record.js";
import { listStr, checkFloatKernel } from "./_nn_args.js";
import { asFormat } from "./views.js";
import { suggestMemoryFormat } from "../core/memory_format.js";

export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** The input position each output position of a dim of size n padded by (before, after) reads;
 *  -1 for the fill value. Negative amounts crop. */
function axisMap(mode: PadMode, n: number, before: number, after: number): Int32Array {
  const m = new Int32Array(n + before + after);
  if (mode === "circular") {
    // PyTorch's _pad_circular: the kept range [lo, hi) is copied, then the left padding repeats its
    // end and the right padding its start (which differs from i mod n when an amount is negative)
    const lo = Math.max(-before, 0), hi = n - Math.max(-after, 0), left = Math.max(before, 0), kept = hi - lo;
    for (let o = 0; o < m.length; o++) m[o] = o < left ? hi - left + o : o < left + kept ? lo + o - left : lo + o - left - kept;
    return m;
  }
  for (let o = 0; o < m.length; o++) {
    const i = o - before;
    m[o] = mode === "constant" ? (i >= 0 && i < n ? i : -1)
      : mode === "reflect" ? (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i)
      : Math.min(Math.max(i, 0), n - 1);
  }
  return m;
}

/** Geometry of a padding of x's last k dims by index maps: x seen as [P, ...inDims] (with no
 *  padded dim, one unit dim mapped by [0]), and the node names of the gather and of its adjoint. */
interface MapPlan {
  P: number; inDims: number[]; maps: Int32Array[]; inShape: number[]; outShape: number[];
  name: string; adjointName: string;
}

function planFor(x: Tensor, maps: Int32Array[], name: string, adjointName: string): MapPlan {
  const k = maps.length, lead = x.shape.slice(0, x.ndim - k);
  return {
    P: lead.reduce((a, b) => a * b, 1),
    inDims: k ? x.shape.slice(x.ndim - k) : [1],
    maps: k ? maps : [Int32Array.of(0)],
    inShape: x.shape.slice(), outShape: [...lead, ...maps.map((m) => m.length)],
    name, adjointName,
  };
}

/** The gather of a plan (its `name` node); its gradient is the scatter, whose gradient is this
 *  gather again, so every order of derivative is defined. */
function gatherOp(x: Tensor, plan: MapPlan): Tensor {
  const y = CK.gatherMaps(x.detach(), plan.P, plan.inDims, plan.maps, 0, plan.outShape);
  return record(plan.name, [x], y, ([g]) => [scatterOp(g!, plan)]);
}

function scatterOp(g: Tensor, plan: MapPlan): Tensor {
  const y = CK.scatterMaps(g.detach(), plan.P, plan.inDims, plan.maps, plan.inShape);
  return record(plan.adjointName, [g], y, ([gg]) => [gatherOp(gg!, plan)]);
}

/** Pads the last pad.length/2 dims of input: pad = [left, right] for the last dim, then
 *  [top, bottom] for the one before, and so on. F.pad(input, pad, mode="constant", value=null).
 *  Negative amounts crop (constant mode). */
export function pad(input: Tensor, padding: readonly number[], mode: PadMode = "constant", value: number | null = null): Tensor {
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) throw new Error(`Unrecognised padding mode ${mode}`);
  if (padding.length % 2 !== 0) throw new Error("Padding length must be divisible by 2");
  if (padding.length > input.ndim * 2)
    throw new Error(`Padding length should be less than or equal to two times the input dimension but got padding length ${padding.length} and input of dimension ${input.ndim}`);
  const k = padding.length / 2, nd = input.ndim;
  if (mode === "constant") return constantPad(input, padding, value ?? 0);
  if (value !== null) throw new Error(`Padding mode "${mode}" doesn't take in value argument`);
  if (!(k >= 1 && k <= 3 && (nd === k + 1 || nd === k + 2)))
    throw new Error(`Padding size ${padding.length} is not supported for ${nd}D input tensor.\nSupported combinations for non-constant padding:\n`
      + "  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
      + "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)");
  checkFloatKernel(input, mode === "circular" ? "copy_" : `${mode === "reflect" ? "reflection" : "replication"}_pad${k}d`);
  const before = (i: number) => padding[2 * (k - 1 - i)]!, after = (i: number) => padding[2 * (k - 1 - i) + 1]!;
  const sizes = input.shape.slice(nd - k);
  if (mode === "circular") {
    if (nd !== k + 2) throw new Error(`Invalid padding size, expected ${2 * (nd - 2)} but got ${padding.length}`);
    for (let i = 0; i < k; i++) {
      if (before(i) > sizes[i]! || after(i) > sizes[i]!) throw new Error("Padding value causes wrapping around more than once.");
      if (sizes[i]! + before(i) + after(i) < 0) throw new Error("Negative padding value is resulting in an empty dimension");
    }
  }
  if (mode === "reflect") {
    // PyTorch checks the last dim first, as Argument #4, then #6, #8 for the dims before it
    for (let i = k - 1; i >= 0; i--) {
      if (!(before(i) < sizes[i]! && after(i) < sizes[i]!))
        throw new Error(`Argument #${4 + 2 * (k - 1 - i)}: Padding size should be less than the corresponding input dimension, but got: padding (${before(i)}, ${after(i)}) at dimension ${nd - k + i} of input ${listStr(input.shape)}`);
    }
  }
  const outSizes = sizes.map((s, i) => s + before(i) + after(i));
  if (outSizes.some((s) => s < 1))
    throw new Error(`input (${sizes.join(", ")}) is too small. Calculated output (${outSizes.join(", ")})`);
  const maps = sizes.map((n, i) => axisMap(mode, n, before(i), after(i)));
  // reflect / replicate as PyTorch names them; circular is a composite of copies there (CopySlices),
  // whose gradient has no single node of its own: its adjoint here gets a descriptive name
  const cap = mode === "reflect" ? "Reflection" : "Replication";
  const name = mode === "circular" ? "CopySlices" : `${cap}Pad${k}DBackward0`;
  return gatherOp(input, planFor(input, maps, name, mode === "circular" ? "CopySlicesBackward0" : `${cap}Pad${k}DBackwardBackward0`));
}

/** constant_pad_nd: fill value outside, negative amounts crop (ConstantPadNdBackward0). */
function constantPad(x: Tensor, padding: readonly number[], value: number): Tensor {
  const k = padding.length / 2, nd = x.ndim;
  const before = (i: number) => padding[2 * (k - 1 - i)]!, after = (i: number) => padding[2 * (k - 1 - i) + 1]!;
  const sizes = x.shape.slice(nd - k);
  // PyTorch crops by narrow() first, so its checks fire for amounts past the size; what is left
  // is never negative, and an empty dim is a valid result (PyTorch 2.x)
  for (let i = 0; i < k; i++) {
    let size = sizes[i]!;
    if (before(i) < 0) { narrowCheck(size, -before(i), size + before(i)); size += before(i); }
    if (after(i) < 0) narrowCheck(size, 0, size + after(i));
  }
  checkFloatKernel(x, "constant_pad_nd");
  const plan = planFor(x, sizes.map((n, i) => axisMap("constant", n, before(i), after(i))), "ConstantPadNdBackward0", "");
  // (in the input's memory format, as PyTorch's constant_pad_nd allocates it)
  const y = asFormat(CK.gatherMaps(x.detach(), plan.P, plan.inDims, plan.maps, value, plan.outShape), suggestMemoryFormat(x._shape, x._strides));
  const neg = padding.map((v) => -v);
  return record("ConstantPadNdBackward0", [x], y, ([g]) => [constantPad(g!, neg, 0)]);
}

/** Tensor.narrow's checks, in its words. */
function narrowCheck(size: number, start: number, length: number): void {
  if (length < 0) throw new Error("narrow(): length must be non-negative.");
  if (start > size) throw new Error(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  if (start > size - length) throw new Error(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
}
