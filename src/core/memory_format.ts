// Memory formats: torch.contiguous_format, channels_last, channels_last_3d, preserve_format, and
// the stride arithmetic PyTorch builds on them (c10/core/MemoryFormat.h, TensorImpl's
// refresh_contiguous, TensorIterator's reorder_dimensions). Nothing here touches elements.
//
// Note [Memory formats]: a tensor's layout is its strides; a memory format is a name for one
// order of the dims in memory. Contiguous is row-major (NCHW); channels-last keeps the channels
// innermost (NHWC in memory for a 4-d NCHW tensor, NDHWC for a 5-d one). PyTorch propagates
// layouts through ops rather than making every result contiguous:
//  - copies that "preserve" (clone, to, the _like factories) keep a dense, non-overlapping
//    input's strides as they are, and lay anything else out in the order of its strides
//    (denseStridesLike, PyTorch's infer_dense_strides);
//  - elementwise ops lay their result out in the order of their operands' strides
//    (iteratorStrides, TensorIterator's fast setup and reorder_dimensions), so a channels-last
//    input gives a channels-last result and a transposed one a transposed result;
//  - convolution, batch norm, pooling and interpolation give a channels-last result for a
//    channels-last input (suggestMemoryFormat), as their CPU kernels do (ops/views.ts's asFormat:
//    the kernels here write row-major results, laid out afterwards);
//  - a leaf's .grad takes the leaf's layout (the Gradient Layout Contract, ops/_engine_ops.ts).
// Values never depend on the layout: the reference kernels read through strides, and the fast
// ones take row-major copies of operands they cannot read in place (the native engine's
// elements(), the WebAssembly engine's denseF32()).

import type { Shape } from "./shape.js";
import { isContiguous, contiguousStrides } from "./shape.js";

export type MemoryFormatName = "contiguous_format" | "channels_last" | "channels_last_3d" | "preserve_format";

/** torch.memory_format: prints as PyTorch's, `torch.channels_last`. */
export class memory_format {
  /** @internal */
  constructor(readonly name: MemoryFormatName) {}
  toString(): string { return `torch.${this.name}`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}
export const contiguous_format = new memory_format("contiguous_format");
export const channels_last = new memory_format("channels_last");
export const channels_last_3d = new memory_format("channels_last_3d");
export const preserve_format = new memory_format("preserve_format");

/** The dims of a channels-last layout from innermost to outermost: C, then the spatial dims from
 *  the last, then N (c10's loops over {1, 3, 2, 0} and {1, 4, 3, 2, 0}). */
const CL_ORDER: Readonly<Record<number, readonly number[]>> = { 4: [1, 3, 2, 0], 5: [1, 4, 3, 2, 0] };

/** Whether the strides step through memory in `order` (innermost first) without gaps; size-1
 *  dims are free (c10's compute_channels_last_contiguous_2d/_3d). */
function denseInOrder(shape: Shape, strides: Shape, order: readonly number[]): boolean {
  let expected = 1;
  for (const d of order) {
    const s = shape[d]!;
    if (s !== 1) {
      if (strides[d] !== expected) return false;
      expected *= s;
    }
  }
  return true;
}

/** Tensor.is_contiguous(memory_format): row-major, or channels-last contiguous (4-d only for
 *  channels_last, 5-d only for channels_last_3d, and not both: a 5-d tensor is never
 *  channels_last contiguous). preserve_format asks for the contiguous format, as in PyTorch. */
export function isContiguousAs(shape: Shape, strides: Shape, fmt: memory_format): boolean {
  if (fmt === channels_last) return shape.length === 4 && denseInOrder(shape, strides, CL_ORDER[4]!);
  if (fmt === channels_last_3d) return shape.length === 5 && denseInOrder(shape, strides, CL_ORDER[5]!);
  return isContiguous(shape, strides);
}

/** c10's is_channels_last_strides_2d_s4 / _3d_s5: whether strides look channels-last, size-1
 *  dims included (ambiguous cases fall back to the contiguous format). */
function stridesLikeChannelsLast(shape: Shape, strides: Shape): boolean {
  const order = CL_ORDER[shape.length];
  if (order === undefined || strides[1] === 0) return false;
  let min = 0;
  for (const d of order) {
    const size = shape[d]!, st = strides[d]!;
    if (size === 0 || st < min) return false;
    // N111 with identical strides (N111 contiguous, or N11W sliced on W): contiguous
    if (d === 0 && min === strides[1]) return false;
    // (distinguishes N1H1 and permutations of 1C1W)
    min = size > 1 ? st * size : st;
  }
  return true;
}

/** Tensor.suggest_memory_format(): channels_last for a 4-d tensor whose strides look
 *  channels-last, channels_last_3d for such a 5-d one, else contiguous_format. */
export function suggestMemoryFormat(shape: Shape, strides: Shape): memory_format {
  if (!stridesLikeChannelsLast(shape, strides)) return contiguous_format;
  return shape.length === 4 ? channels_last : channels_last_3d;
}

/** The strides of a fresh tensor of `fmt` (TensorImpl::empty_tensor_restride), with PyTorch's
 *  errors for a rank the format does not have. Channels-last strides multiply sizes as they are
 *  (a size-0 dim gives zero strides outside it), as c10's get_channels_last_strides do. */
export function stridesFor(shape: Shape, fmt: memory_format): number[] {
  if (fmt === preserve_format) throw new Error("unsupported memory format Preserve");
  if (fmt === contiguous_format) return contiguousStrides(shape);
  const rank = fmt === channels_last ? 4 : 5;
  if (shape.length !== rank) throw new Error(`required rank ${rank} tensor to use ${fmt.name} format`);
  const st = new Array<number>(rank);
  let acc = 1;
  for (const d of CL_ORDER[rank]!) { st[d] = acc; acc *= shape[d]!; }
  return st;
}

/** Tensor.is_non_overlapping_and_dense(): the elements fill a block of memory exactly, in some
 *  order of the dims (size-1 dims ignored); contiguous in a memory format (an empty tensor
 *  included) first, then c10's compute_non_overlapping_and_dense. */
export function isNonOverlappingAndDense(shape: Shape, strides: Shape): boolean {
  if (isContiguous(shape, strides) || isContiguousAs(shape, strides, channels_last) || isContiguousAs(shape, strides, channels_last_3d)) return true;
  const n = shape.length;
  // (a broadcast dim repeats its elements: said at once, without sorting, for every expanded
  // gradient an elementwise op meets)
  for (let d = 0; d < n; d++) if (strides[d] === 0 && shape[d]! >= 2) return false;
  if (n === 1) return shape[0]! < 2 || strides[0] === 1;
  const dims = [...Array(n).keys()].filter((d) => shape[d]! >= 2).sort((a, b) => strides[a]! - strides[b]!);
  let required = 1;
  for (const d of dims) {
    if (strides[d] !== required) return false;
    required *= shape[d]!;
  }
  return true;
}

/** The order TensorIterator's reorder_dimensions (and infer_dense_strides) gives the dims: the
 *  dims innermost first, by insertion sort on the operands' strides (each operand's given as
 *  element strides aligned to `shape`; a 0 stride is a broadcast, which decides nothing): the
 *  first operand with unequal strides decides, equal strides put the smaller size inside.
 *  Starts from the reverse order, so ties keep the row-major layout. */
function dimOrder(shape: Shape, operands: readonly (readonly number[])[], iterator: boolean): number[] {
  const n = shape.length, perm = [...Array(n).keys()].reverse();
  // 1 when dim a should sit outside dim b, -1 when inside, 0 when nothing says
  const shouldSwap = (a: number, b: number): number => {
    for (const st of operands) {
      const sa = st[a]!, sb = st[b]!;
      if (sa === 0 || sb === 0) {
        if (iterator) continue;
        return 0;
      }
      if (sa !== sb) return sa < sb ? -1 : 1;
      if (shape[a]! > shape[b]!) return 1;
    }
    return 0;
  };
  for (let i = 1; i < n; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) { [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!]; d1 = d0; } else if (c < 0) break;
    }
  }
  return perm;
}

/** c10's infer_dense_strides: dense strides in the order of `strides` (size-0 and size-1 dims
 *  take the stride of the dims inside them). */
export function denseStridesLike(shape: Shape, strides: Shape): number[] {
  const n = shape.length;
  if (n <= 1) return n === 0 ? [] : [1];
  const out = new Array<number>(n);
  let acc = 1;
  for (const d of dimOrder(shape, [strides], false)) { out[d] = acc; if (shape[d]! > 1) acc *= shape[d]!; }
  return out;
}

/** The strides of a copy of a tensor in `fmt` (empty_like, clone, to, contiguous): for
 *  preserve_format a dense, non-overlapping tensor's own strides, else its stride order. */
export function stridesLike(shape: Shape, strides: Shape, fmt: memory_format): number[] {
  if (fmt !== preserve_format) return stridesFor(shape, fmt);
  return isNonOverlappingAndDense(shape, strides) ? strides.slice() : denseStridesLike(shape, strides);
}

/** The strides TensorIterator gives the result of an elementwise op on `operands` (each as shape
 *  and strides, in the op's order: inputs of other shapes broadcast to `shape`), or null where
 *  that is row-major (the common case, answered first). Its fast setup: operands of one shape
 *  that are all contiguous give a contiguous result, all channels-last contiguous a channels-last
 *  one, all dense with the same strides those strides. Otherwise the dims are ordered by the
 *  operands' strides (dimOrder) and the result is dense in that order. */
export function iteratorStrides(shape: Shape, operands: readonly { _shape: Shape; _strides: Shape }[]): number[] | null {
  const n = shape.length;
  let same = true, contiguous = true;
  for (const t of operands) {
    const s = t._shape;
    if (s.length !== n) same = false;
    else for (let i = 0; i < n; i++) if (s[i] !== shape[i]) { same = false; break; }
    if (contiguous && !isContiguous(s, t._strides)) contiguous = false;
  }
  if (contiguous && same) return null;
  if (same) {
    if (operands.every((t) => isContiguousAs(t._shape, t._strides, channels_last))) return stridesFor(shape, channels_last);
    if (operands.every((t) => isContiguousAs(t._shape, t._strides, channels_last_3d))) return stridesFor(shape, channels_last_3d);
    const first = operands[operands.length - 1]!._strides;
    if (operands.every((t) => t._strides.every((s, i) => s === first[i]) && isNonOverlappingAndDense(t._shape, t._strides)))
      return first.slice();
  }
  if (n <= 1) return null;
  // operands each row-major (of its own shape) or one element broadcast everywhere give the
  // ordering below nothing to change: row-major (answered here for every op of a backward on an
  // expanded gradient, as sum's)
  if (operands.every((t) => rowMajorOrBroadcast(t._shape, t._strides))) return null;
  // compute_strides: each operand's strides aligned to the result, 0 on broadcast dims
  const aligned = operands.map((t) => {
    const off = n - t._shape.length, st = new Array<number>(n).fill(0);
    for (let i = 0; i < t._shape.length; i++) st[off + i] = t._shape[i] === 1 && shape[off + i] !== 1 ? 0 : t._strides[i]!;
    return st;
  });
  const perm = dimOrder(shape, aligned, true);
  if (perm.every((d, i) => d === n - 1 - i)) return null;
  // compatible_stride: dense in that order, sizes multiplied as they are
  const out = new Array<number>(n);
  let acc = 1;
  for (const d of perm) { out[d] = acc; acc *= shape[d]!; }
  return out;
}

/** Whether `strides` are exactly the row-major ones of `shape` (size-1 dims included), or all 0. */
function rowMajorOrBroadcast(shape: Shape, strides: Shape): boolean {
  let zeros = true, rowMajor = true, acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const st = strides[i]!;
    if (st !== 0) zeros = false;
    if (st !== acc) rowMajor = false;
    acc *= Math.max(shape[i]!, 1);
  }
  return zeros || rowMajor;
}

/** The dims of `strides` from outermost to innermost, for laying a result out by permuting it:
 *  a permutation p with strides[p[0]] ≥ strides[p[1]] ≥ …, ties (size-1 dims) in dim order. */
export function outerToInner(shape: Shape, strides: Shape): number[] {
  return [...Array(shape.length).keys()].sort((a, b) => strides[b]! - strides[a]! || a - b);
}
