// View ops: new shape/strides/offset over the same storage, never a copy (DESIGN principle 5).
// Each is a pure geometry transform; its backward places the gradient into the region the view
// covers, using the same transform on a contiguous layout of the input.

import { Tensor, TensorStorage, type CreationMeta } from "../core/tensor.js";
import { is_grad_enabled, is_inference_mode_enabled, no_grad } from "../autograd/grad_mode.js";
import { DType, int64, scalarTypeName, viewOver } from "../core/dtype.js";
import {
  checkInStorage, type Shape, contiguousStrides, sameShape, normDim, numel, viewStrides, inferSize, expandStrides, parseSize, isContiguous,
} from "../core/shape.js";
import { type memory_format, contiguous_format, preserve_format, isContiguousAs, stridesLike, stridesFor } from "../core/memory_format.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { installMethods, isOptions } from "./util.js";
import { cat, stack } from "./indexing.js";
import { inplaceView } from "./inplace.js";

export interface Geom { shape: number[]; strides: number[]; offset: number }
type GeomFn = (g: Geom) => Geom;

const geomOf = (x: Tensor): Geom => ({ shape: x._shape, strides: x._strides, offset: x._offset });
const contiguousGeom = (shape: Shape): Geom => ({ shape: shape.slice(), strides: contiguousStrides(shape), offset: 0 });

/** A differentiable view of x with the given geometry (Note [Differentiable views]): its base is
 *  x's base when x is itself one, else x; `multiOutput` for the outputs of split, unbind, chunk. */
export function viewOf(x: Tensor, g: Geom, multiOutput = false): Tensor {
  const out = new Tensor(x._storage, g.shape, g.strides, g.offset, x.dtype, x.device);
  out._base = x._creationMeta !== null ? x._base : x;
  if (!x.is_inference()) { // (views of inference tensors are plain tensors, as in PyTorch's as_view)
    out._creationMeta = creationMeta(x._creationMeta, multiOutput);
    out._attrVersion = x._version;
  }
  return out;
}

/** PyTorch's creation_meta for a new view, then propagate_creation_meta: a view of a view keeps
 *  the parent's restriction unless it has its own, and inference_mode wins over everything. */
function creationMeta(parent: CreationMeta | null, multiOutput: boolean): CreationMeta {
  const made: CreationMeta = is_inference_mode_enabled() ? "inference_mode" : !is_grad_enabled() ? "no_grad_mode"
    : multiOutput ? "multi_output_node" : "default";
  if (parent === null || made === "default") return parent ?? made;
  return parent === "inference_mode" ? parent : made;
}

/** Whether a geometry may reach an element twice (PyTorch's maybe_overlapping_memory: each stride,
 *  smallest first, must step past all that the smaller ones span). */
function mayOverlap(geom: Geom): boolean {
  const dims = geom.shape.map((n, i) => [n, geom.strides[i]!] as const).filter(([n]) => n > 1).sort((a, b) => a[1] - b[1]);
  let span = 0;
  for (const [n, st] of dims) {
    if (st <= span) return true;
    span += (n - 1) * st;
  }
  return false;
}

/** zeros of `shape` with g placed at `geom` (of a contiguous layout): the adjoint of a view. Where
 *  the view reads an element more than once (as_strided with overlapping windows, unfold) the
 *  gradients landing on it add up. */
export function embed(g: Tensor, shape: Shape, geom: Geom): Tensor {
  let out: Tensor;
  if (mayOverlap(geom)) {
    const pos = new BigInt64Array(numel(geom.shape)), nd = geom.shape.length, c = new Array<number>(nd).fill(0);
    for (let k = 0; k < pos.length; k++) {
      let p = geom.offset;
      for (let a = 0; a < nd; a++) p += c[a]! * geom.strides[a]!;
      pos[k] = BigInt(p);
      for (let a = nd - 1; a >= 0; a--) { if (++c[a]! < geom.shape[a]!) break; c[a] = 0; }
    }
    const index = Tensor.fromStorage(pos, [pos.length], int64).to(g.device);
    out = no_grad(() => g.new_zeros([numel(shape)]).index_add(0, index, g.reshape(-1)).view(shape.slice()));
  } else {
    out = Tensor.empty(shape, g.dtype, g.device);
    K.copyInto(new Tensor(out._storage, geom.shape, geom.strides, geom.offset, out.dtype, out.device), g);
  }
  // (geom is out's, a fresh contiguous tensor at offset 0: read the gradient through it laid out so)
  return record("AsStridedScatterBackward0", [g], out, ([gg]) => {
    const c = gg!.contiguous();
    return [as_strided(c, geom.shape, geom.strides, c._offset + geom.offset)];
  });
}

/** A view of x with the geometry f gives, recorded as `name`, whose gradient is `backward`'s, or
 *  the view's adjoint (embed). The backward formulas keep x's own shape array, not a copy: a
 *  tensor's shape and strides arrays are never changed in place, only replaced (as record keeps
 *  them in the graph's metadata). */
function makeView(x: Tensor, name: string, f: GeomFn, backward?: (g: Tensor) => Tensor): Tensor {
  const out = viewOf(x, f(geomOf(x)));
  const shape = x._shape;
  return record(name, [x], out, backward ? ([g]) => [backward(g!)] : ([g]) => [embed(g!, shape, f(contiguousGeom(shape)))]);
}

export function as_strided(x: Tensor, size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor {
  // Note: like PyTorch, the geometry is in terms of the underlying storage (offset absolute).
  const off = storage_offset ?? x._offset;
  if (stride.some((s) => s < 0))
    throw new Error(`as_strided: Negative strides are not supported at the moment, got strides: [${stride.join(", ")}]`);
  checkInStorage(size, stride, off, x.dtype.itemsize, x._storage.data.length);
  const shape = x._shape, base = x._offset;
  const out = viewOf(x, { shape: size.slice(), strides: stride.slice(), offset: off });
  return record("AsStridedBackward0", [x], out, ([g]) => [embed(g!, shape, { shape: size.slice(), strides: stride.slice(), offset: off - base })]);
}

// ---- reshaping ----------------------------------------------------------------------------------

/** x.view(dtype): x's bytes read as another dtype (view_dtype): the last dim grows or shrinks by the
 *  ratio of the element sizes, with PyTorch's checks. It shares x's memory (not a differentiable
 *  view, as in PyTorch); on the CPU only, where the memory is an ArrayBuffer. */
function viewDtype(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  if (x.device.type !== "cpu") throw new Error(`view(dtype) reads the tensor's bytes, which only the CPU has in typetorch: move it there first (x.cpu())`);
  const from = x.dtype.itemsize, to = dtype.itemsize, nd = x.ndim;
  const what = `to view ${scalarTypeName(x.dtype)} as ${scalarTypeName(dtype)} (different element sizes)`;
  let shape = x.shape.slice(), strides = x.stride(), offset = x._offset;
  if (from !== to) {
    if (nd === 0) throw new Error(`self.dim() cannot be 0 ${what}`);
    if (from < to) {
      const r = to / from;
      if (shape[nd - 1]! % r !== 0) throw new Error(`self.size(-1) must be divisible by ${r} ${what}, but got ${shape[nd - 1]}`);
      if (offset % r !== 0) throw new Error(`self.storage_offset() must be divisible by ${r} ${what}, but got ${offset}`);
    }
    if (strides[nd - 1] !== 1) throw new Error(`self.stride(-1) must be 1 ${what}, but got ${strides[nd - 1]}`);
    if (from > to) {
      const r = from / to;
      shape[nd - 1]! *= r;
      strides = [...strides.slice(0, -1).map((st) => st * r), 1];
      offset *= r;
    } else {
      const r = to / from;
      strides.slice(0, -1).forEach((st, i) => { if (st % r !== 0) throw new Error(`self.stride(${i}) must be divisible by ${r} ${what}, but got ${st}`); });
      shape[nd - 1] = shape[nd - 1]! / r;
      strides = [...strides.slice(0, -1).map((st) => st / r), 1];
      offset /= r;
    }
  }
  const base = x._storage.data as ArrayBufferView;
  const data = viewOver(dtype, base, base.byteOffset, Math.floor(base.byteLength / to));
  return new Tensor(new TensorStorage(data), shape, strides, offset, dtype, x.device);
}

export function view(x: Tensor, ...size: (number | number[] | DType)[]): Tensor {
  if (size[0] instanceof DType) return viewDtype(x, size[0]);
  const shape = inferSize(parseSize(size as (number | number[])[]), x.numel());
  const st = viewStrides(x._shape, x._strides, shape);
  if (st === null)
    throw new Error("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  return stridedView(x, "ViewBackward0", shape, st);
}

/** x seen with `shape` and `strides` from its own offset, recorded as `name`: a gradient reshapes
 *  back to x's shape. */
function stridedView(x: Tensor, name: string, shape: number[], strides: number[]): Tensor {
  const inShape = x._shape;
  return makeView(x, name, (g) => ({ shape, strides, offset: g.offset }), (g) => g.reshape(inShape));
}

export function reshape(x: Tensor, ...size: (number | number[])[]): Tensor {
  const shape = inferSize(parseSize(size), x.numel());
  const st = viewStrides(x._shape, x._strides, shape);
  // (2.x: a non-contiguous input that can still be viewed goes through _reshape_alias)
  if (st !== null) return stridedView(x, x.is_contiguous() ? "ViewBackward0" : "ReshapeAliasBackward0", shape, st);
  const inShape = x._shape;
  const out = K.contiguousCopy(x);
  out._shape = shape; out._strides = contiguousStrides(shape);
  return record("UnsafeViewBackward0", [x], out, ([g]) => [g!.reshape(inShape)]);
}

export function view_as(x: Tensor, other: Tensor): Tensor { return view(x, other.shape.slice()); }
export function reshape_as(x: Tensor, other: Tensor): Tensor { return reshape(x, other.shape.slice()); }

export function flatten(x: Tensor, start_dim = 0, end_dim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(start_dim, x.ndim), e = normDim(end_dim, x.ndim);
  if (s > e) throw new Error("flatten() has invalid args: start_dim cannot come after end_dim");
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normDim(dim, x.ndim);
  if (sizes.length === 0) throw new Error("unflatten: sizes must be non-empty");
  let inner: number[];
  try {
    inner = inferSize(sizes.slice(), x.shape[d]!);
  } catch (e) {
    // (handle_unflatten_exception: PyTorch's words for sizes that do not multiply up; its other
    // errors come with a C++ backtrace, left out here)
    throw new Error(/is invalid for input of size/.test((e as Error).message)
      ? `unflatten: Provided sizes [${sizes.join(", ")}] don't multiply up to the size of dim ${d} (${x.shape[d]}) in the input tensor`
      : `unflatten got an unexpected error:\n${(e as Error).message}`);
  }
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

// ---- permuting ------------------------------------------------------------------------------------

export function permute(x: Tensor, ...dims: (number | number[])[]): Tensor {
  const p = parseSize(dims);
  if (p.length !== x.ndim)
    throw new Error(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${p.length}`);
  const perm = p.map((d) => normDim(d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new Error("permute(): duplicate dims are not allowed.");
  const inv = new Array<number>(perm.length);
  perm.forEach((d, i) => { inv[d] = i; });
  return makeView(x, "PermuteBackward0", (g) => ({ shape: perm.map((d) => g.shape[d]!), strides: perm.map((d) => g.strides[d]!), offset: g.offset }),
    (g) => g.permute(inv));
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) { normDim(dim0, 0); normDim(dim1, 0); }
  const a = x.ndim === 0 ? 0 : normDim(dim0, x.ndim), b = x.ndim === 0 ? 0 : normDim(dim1, x.ndim);
  const sw = <T>(arr: T[]): T[] => { const c = arr.slice(), t = c[a]!; c[a] = c[b]!; c[b] = t; return c; }; // (no destructuring: it iterates)
  return makeView(x, "TransposeBackward0", (g) => ({ shape: sw(g.shape), strides: sw(g.strides), offset: g.offset }), (g) => g.transpose(a, b));
}
export const swapaxes = transpose, swapdims = transpose;

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  if (x.ndim < 2) return makeView(x, "TBackward0", (g) => ({ ...g }), (g) => g);
  return makeView(x, "TBackward0", (g) => ({ shape: [g.shape[1]!, g.shape[0]!], strides: [g.strides[1]!, g.strides[0]!], offset: g.offset }), (g) => g.t());
}

export function movedim(x: Tensor, source: number | number[], destination: number | number[]): Tensor {
  const s0 = Array.isArray(source) ? source : [source], d0 = Array.isArray(destination) ? destination : [destination];
  const list = (v: number[]) => `[${v.join(", ")}]`;
  if (s0.length !== d0.length) throw new Error(`movedim: Invalid source or destination dims: source (${list(s0)} dims) should contain the same number of dims as destination (${list(d0)} dims)`);
  const src = s0.map((d) => normDim(d, x.ndim)), dst = d0.map((d) => normDim(d, x.ndim));
  if (new Set(src).size !== src.length) throw new Error(`movedim: repeated dim in \`source\` (${list(s0)})`);
  if (new Set(dst).size !== dst.length) throw new Error(`movedim: repeated dim in \`destination\` (${list(d0)})`);
  const order = new Array<number>(x.ndim).fill(-1);
  dst.forEach((d, i) => { order[d] = src[i]!; });
  const rest = [...Array(x.ndim).keys()].filter((d) => !src.includes(d));
  let k = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[k++]!;
  return permute(x, order);
}
export const moveaxis = movedim;

// ---- adding and removing dims ---------------------------------------------------------------------

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, false);
  return makeView(x, "UnsqueezeBackward0", (g) => {
    const stride = d < g.shape.length ? g.strides[d]! * g.shape[d]! : 1;
    return { shape: [...g.shape.slice(0, d), 1, ...g.shape.slice(d)], strides: [...g.strides.slice(0, d), stride, ...g.strides.slice(d)], offset: g.offset };
  }, (g) => g.squeeze(d));
}

export function squeeze(x: Tensor, dim?: number | number[] | null): Tensor {
  const inShape = x._shape;
  let drop: Set<number>;
  let name = "SqueezeBackward0";
  if (dim === undefined || dim === null) drop = new Set(x.shape.flatMap((s, i) => (s === 1 ? [i] : [])));
  else {
    const dims = Array.isArray(dim) ? dim : [dim];
    name = Array.isArray(dim) ? "SqueezeBackward2" : "SqueezeBackward1";
    drop = new Set(dims.map((d) => (x.ndim === 0 ? (normDim(d, 0), -1) : normDim(d, x.ndim))).filter((d) => d >= 0 && x.shape[d] === 1));
  }
  return makeView(x, name, (g) => ({
    shape: g.shape.filter((_, i) => !drop.has(i)), strides: g.strides.filter((_, i) => !drop.has(i)), offset: g.offset,
  }), (g) => g.reshape(inShape));
}

// The in-place forms (ops/inplace.ts's inplaceView), named as PyTorch's in-place variants' nodes.
const unsqueeze_ = (x: Tensor, dim: number): Tensor => {
  const d = normDim(dim, x.ndim + 1, false);
  return inplaceView(x, "UnsqueezeBackward1", (y) => unsqueeze(y, d), (g) => g.squeeze(d));
};
const squeeze_ = (x: Tensor, dim?: number | number[] | null): Tensor => {
  const inShape = x._shape;
  const name = dim === undefined || dim === null ? "SqueezeBackward3" : Array.isArray(dim) ? "SqueezeBackward5" : "SqueezeBackward4";
  return inplaceView(x, name, (y) => squeeze(y, dim), (g) => g.reshape(inShape));
};

export function expand(x: Tensor, ...size: (number | number[])[]): Tensor {
  const target = parseSize(size);
  if (target.length < x.ndim)
    throw new Error(`expand(${x.type()}{[${x.shape.join(", ")}]}, size=[${target.join(", ")}]): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  const off = target.length - x.ndim;
  const shape = target.map((s, i) => (s === -1 ? (i < off ? (() => { throw new Error(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`); })() : x.shape[i - off]!) : s));
  // a size below -1 where the tensor has none or 1: PyTorch's numel check refuses it so
  if (shape.some((s, i) => s < -1 && (i < off || x.shape[i - off] === 1))) throw new Error("numel: integer multiplication overflow");
  const strides = expandStrides(x._shape, x._strides, shape);
  return makeView(x, "ExpandBackward0", (g) => ({ shape, strides, offset: g.offset }),
    (g) => g); // the engine sums the gradient back to x's shape (Note [Broadcast gradients])
}
export function expand_as(x: Tensor, other: Tensor): Tensor { return expand(x, other.shape.slice()); }
export function broadcast_to(x: Tensor, ...size: (number | number[])[]): Tensor { return expand(x, ...size); }

// ---- selecting ------------------------------------------------------------------------------------

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new RangeError("select() cannot be applied to a 0-dim tensor.");
  const d = normDim(dim, x.ndim), n = x._shape[d]!;
  if (index < -n || index >= n) throw new RangeError(`select(): index ${index} out of range for tensor of size [${x.shape.join(", ")}] at dimension ${d}`);
  const i = index < 0 ? index + n : index;
  return makeView(x, "SelectBackward0", (g) => ({
    shape: g.shape.filter((_, k) => k !== d), strides: g.strides.filter((_, k) => k !== d), offset: g.offset + i * g.strides[d]!,
  }));
}

/** Python's x[start:end:step] along dim (PyTorch's aten::slice), with clamping of out-of-range bounds. */
export function slice(x: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  const d = normDim(dim, x.ndim), n = x.shape[d]!;
  if (step <= 0) throw new Error("slice step must be positive");
  let s = start ?? 0, e = end ?? n;
  if (s < 0) s += n;
  if (e < 0) e += n;
  s = Math.min(Math.max(s, 0), n); e = Math.min(Math.max(e, s), n);
  const len = Math.ceil((e - s) / step);
  return makeView(x, "SliceBackward0", (g) => {
    const shape = g.shape.slice(), strides = g.strides.slice();
    shape[d] = len; strides[d] = g.strides[d]! * step;
    return { shape, strides, offset: g.offset + s * g.strides[d]! };
  });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim), n = x.shape[d]!;
  const s = start < 0 ? start + n : start;
  if (s < 0 || s > n) throw new RangeError(`start out of range (expected to be in range of [${-n}, ${n}], but got ${start})`);
  if (length < 0) throw new RangeError("narrow(): length must be non-negative.");
  if (s + length > n) throw new RangeError(`start (${start}) + length (${length}) exceeds dimension size (${n}).`);
  return slice(x, d, s, s + length);
}

export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const a = normDim(dim1, x.ndim), b = normDim(dim2, x.ndim);
  if (a === b) throw new Error(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return makeView(x, "DiagonalBackward0", (g) => {
    let off = g.offset, len: number;
    if (offset >= 0) { len = Math.max(Math.min(g.shape[a]!, g.shape[b]! - offset), 0); off += offset * g.strides[b]!; }
    else { len = Math.max(Math.min(g.shape[a]! + offset, g.shape[b]!), 0); off -= offset * g.strides[a]!; }
    if (len === 0) off = g.offset;
    const keep = [...g.shape.keys()].filter((k) => k !== a && k !== b);
    return { shape: [...keep.map((k) => g.shape[k]!), len], strides: [...keep.map((k) => g.strides[k]!), g.strides[a]! + g.strides[b]!], offset: off };
  });
}

/** x.unfold(dimension, size, step): the windows of `size` elements every `step` along dimension,
 *  as a new last dim (a view; a 0-d tensor counts as one element). UnfoldBackward0, whose
 *  gradient adds up where windows overlap. */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = normDim(dimension, Math.max(x.ndim, 1)), max = x.ndim === 0 ? 1 : x.shape[d]!;
  if (size > max) throw new RangeError(`maximum size for tensor at dimension ${d} is ${max} but size is ${size}`);
  if (size < 0) throw new RangeError(`size is ${size} but must be >= 0`);
  if (step <= 0) throw new RangeError(`step is ${step} but must be > 0`);
  return makeView(x, "UnfoldBackward0", (g) => {
    if (g.shape.length === 0) return { shape: [size], strides: [1], offset: g.offset };
    const shape = g.shape.slice(), strides = g.strides.slice();
    shape[d] = Math.floor((shape[d]! - size) / step) + 1;
    strides[d] = g.strides[d]! * step;
    return { shape: [...shape, size], strides: [...strides, g.strides[d]!], offset: g.offset };
  });
}

// ---- splitting ------------------------------------------------------------------------------------

/** Several views of x along dim, recorded as one node (SplitBackward0 / UnbindBackward0) whose
 *  backward joins the outputs' gradients again (cat for split, stack for unbind, as PyTorch's
 *  split_backward and unbind_backward): recorded ops, so create_graph differentiates through it. */
function multiView(x: Tensor, name: string, fs: GeomFn[], join: (gs: Tensor[]) => Tensor): Tensor[] {
  const outs = fs.map((f) => viewOf(x, f(geomOf(x)), true));
  return record(name, [x], outs, (gs) => [join(gs as Tensor[])]);
}

export function split(x: Tensor, split_size_or_sections: number | number[], dim = 0): Tensor[] {
  const d = normDim(dim, x.ndim), n = x._shape[d]!;
  let sizes: number[];
  if (Array.isArray(split_size_or_sections)) {
    sizes = split_size_or_sections;
    if (sizes.reduce((a, b) => a + b, 0) !== n)
      throw new Error(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(", ")}]`);
  } else {
    const s = split_size_or_sections;
    if (s < 0) throw new Error(`split expects split_size be non-negative, but got split_size=${s}`);
    if (s <= 0 && n > 0) throw new Error(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
    sizes = [];
    for (let i = 0; i < n; i += s) sizes.push(Math.min(s, n - i));
    if (n === 0) sizes = [0];
  }
  let start = 0;
  const fs = sizes.map((len) => {
    const s0 = start; start += len;
    return (g: Geom): Geom => {
      const shape = g.shape.slice(); shape[d] = len;
      return { shape, strides: g.strides.slice(), offset: g.offset + s0 * g.strides[d]! };
    };
  });
  return multiView(x, Array.isArray(split_size_or_sections) ? "SplitWithSizesBackward0" : "SplitBackward0", fs, (gs) => cat(gs, d));
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (chunks <= 0) throw new Error("chunk expects `chunks` to be greater than 0, got: " + chunks);
  const d = normDim(dim, x.ndim), n = x._shape[d]!;
  return split(x, Math.max(Math.ceil(n / chunks), 1), d);
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normDim(dim, x.ndim);
  const fs = [...Array(x.shape[d]!).keys()].map((i) => (g: Geom): Geom => ({
    shape: g.shape.filter((_, k) => k !== d), strides: g.strides.filter((_, k) => k !== d), offset: g.offset + i * g.strides[d]!,
  }));
  return multiView(x, "UnbindBackward0", fs, (gs) => stack(gs, d));
}

// ---- copies and detaching -------------------------------------------------------------------------

/** A copy of x with dtype d laid out in `fmt` (Note [Memory formats]: preserve_format keeps a
 *  dense input's strides, else their order), off the graph: clone's, to's and contiguous's. */
export function copyAs(x: Tensor, fmt: memory_format, d: DType = x.dtype): Tensor {
  const strides = stridesLike(x._shape, x._strides, fmt);
  // (strides compared exactly: size-0 and size-1 dims may carry other strides than row-major's)
  if (sameShape(strides, contiguousStrides(x._shape))) return K.contiguousCopy(x, d);
  const out = Tensor.empty(x._shape, d, x.device, false, strides); // (copyInto writes it all)
  K.copyInto(out, x);
  return out;
}

/** An op's fresh result laid out as PyTorch's kernels lay out their results in `fmt`, with
 *  exactly the strides of that format (Note [Memory formats]): the nn ops whose CPU kernels give
 *  channels-last results for channels-last inputs use it, their kernels here writing row-major
 *  results. A result already dense in that order is only restrided (its size-1 dims), else it is
 *  copied (a recorded copy, for gradients computed with create_graph). */
export function asFormat(t: Tensor, fmt: memory_format): Tensor {
  const want = stridesFor(t._shape, fmt);
  if (sameShape(t._strides, want)) return t;
  if (isContiguousAs(t._shape, t._strides, fmt)) { t._strides = want; return t; }
  return clone(t, { memory_format: fmt });
}

/** An op's fresh result laid out as empty_like(like) lays out a tensor (preserve_format: Note
 *  [Memory formats]), for the ops PyTorch writes into such a tensor (sort): itself where it is,
 *  else a copy. */
export function likeLayout(t: Tensor, like: Tensor): Tensor {
  const strides = stridesLike(like._shape, like._strides, preserve_format);
  if (sameShape(strides, t._strides)) return t;
  const out = Tensor.empty(t._shape, t.dtype, t.device, false, strides); // (copyInto writes it all)
  K.copyInto(out, t);
  return out;
}

export function clone(x: Tensor, opts?: { memory_format?: memory_format | null }): Tensor {
  return record("CloneBackward0", [x], copyAs(x, opts?.memory_format ?? preserve_format), ([g]) => [g!]);
}

export function contiguous(x: Tensor, opts?: { memory_format?: memory_format }): Tensor {
  const fmt = opts?.memory_format ?? contiguous_format;
  if (isContiguousAs(x._shape, x._strides, fmt)) return x;
  if (fmt === preserve_format) throw new Error("preserve memory format is unsupported by the contiguous operator");
  return clone(x, { memory_format: fmt });
}

/** A tensor sharing storage with x, off the graph. */
export function detach(x: Tensor): Tensor {
  const out = new Tensor(x._storage, x._shape, x._strides, x._offset, x.dtype, x.device);
  out._base = x._base;
  return out;
}

/** Detaches x in place: it becomes a leaf that does not require grad (and no longer a
 *  differentiable view, which would require grad through its base). */
export function detach_(x: Tensor): Tensor {
  if (x._creationMeta !== null)
    throw new Error("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.");
  x._grad_fn = null; x._requires_grad = false; x._output_nr = 0; x._creationMeta = null;
  return x;
}

// (through the methods, which dispatch: inside vmap x.mT is a batched tensor's transpose)
const T = (x: Tensor): Tensor => x.permute([...Array(x.ndim).keys()].reverse());
const transpose_ = (x: Tensor, dim0: number, dim1: number): Tensor =>
  inplaceView(x, "TransposeBackward1", (y) => transpose(y, dim0, dim1), (g) => g.transpose(dim0, dim1));
const t_ = (x: Tensor): Tensor => {
  if (x.ndim > 2) throw new Error(`t_() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return inplaceView(x, "TBackward1", (y) => t(y), (g) => g.t());
};
const mT = (x: Tensor): Tensor => {
  if (x.ndim < 2) throw new Error(`tensor.mT is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`);
  return x.transpose(-2, -1);
};

installMethods({
  view, reshape, view_as, reshape_as, flatten, unflatten, permute, transpose, swapaxes, swapdims, t, movedim, moveaxis,
  unsqueeze, squeeze, expand, expand_as, broadcast_to, select, narrow, diagonal, unfold, split, chunk, unbind,
  clone, contiguous, detach, detach_, as_strided, slice,
  unsqueeze_, squeeze_, transpose_, swapdims_: transpose_, swapaxes_: transpose_, t_,
});
for (const [name, fn] of Object.entries({ T, mT, H: T, mH: mT }))
  Object.defineProperty(Tensor.prototype, name, { get(this: Tensor) { return fn(this); }, configurable: true });

Object.defineProperty(Tensor.prototype, "data", {
  get(this: Tensor) { return detach(this); },
  set(this: Tensor, v: Tensor) {
    // Replaces storage and geometry, as PyTorch's `x.data = y` (no version bump, off the graph).
    this._storage = v._storage; this._shape = v._shape; this._strides = v._strides; this._offset = v._offset;
    (this as { dtype: Tensor["dtype"] }).dtype = v.dtype;
    (this as { device: Tensor["device"] }).device = v.device;
  },
  configurable: true,
});

type Sz = (number | readonly number[])[];
declare module "../core/tensor.js" {
  interface Tensor {
    view(...size: Sz): Tensor; view(dtype: DType): Tensor; reshape(...size: Sz): Tensor; view_as(o: Tensor): Tensor; reshape_as(o: Tensor): Tensor;
    flatten(start_dim?: number, end_dim?: number): Tensor; unflatten(dim: number, sizes: readonly number[]): Tensor;
    permute(...dims: Sz): Tensor; transpose(dim0: number, dim1: number): Tensor; swapaxes(a: number, b: number): Tensor; swapdims(a: number, b: number): Tensor;
    t(): Tensor; movedim(s: number | number[], d: number | number[]): Tensor; moveaxis(s: number | number[], d: number | number[]): Tensor;
    unsqueeze(dim: number): Tensor; squeeze(dim?: number | number[] | null): Tensor;
    unsqueeze_(dim: number): this; squeeze_(dim?: number | number[] | null): this;
    transpose_(dim0: number, dim1: number): this; swapdims_(dim0: number, dim1: number): this; swapaxes_(dim0: number, dim1: number): this; t_(): this;
    expand(...size: Sz): Tensor; expand_as(o: Tensor): Tensor; broadcast_to(...size: Sz): Tensor;
    select(dim: number, index: number): Tensor; narrow(dim: number, start: number, length: number): Tensor;
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    split(s: number | number[], dim?: number): Tensor[]; chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[]; unfold(dimension: number, size: number, step: number): Tensor;
    clone(opts?: { memory_format?: memory_format | null }): Tensor; contiguous(opts?: { memory_format?: memory_format }): Tensor;
    detach(): Tensor; detach_(): Tensor;
    as_strided(size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor;
    /** @internal x[start:end:step] along dim */ slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    readonly T: Tensor; readonly mT: Tensor; readonly H: Tensor; readonly mH: Tensor;
    data: Tensor;
  }
}
void isContiguous; void numel; void isOptions;
