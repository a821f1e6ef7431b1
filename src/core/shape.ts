// Shape arithmetic: sizes, strides, broadcasting and dim wrapping, in PyTorch's words.

import { pyTypeName, sizeStr } from "./printing.js";

export type Shape = readonly number[];

/** torch.Size: what Tensor.shape and Tensor.size() are, PyTorch's tuple of sizes. It is a plain,
 *  frozen array of numbers (indexed, destructured, spread, iterated and measured by `length` as
 *  the tuple is; `assert.deepStrictEqual(x.shape, [3, 28, 28])` holds, as it would for the array)
 *  that prints as PyTorch's: `torch.Size([3, 28, 28])` in String(), template strings and
 *  console.log, where a plain array prints `3,28,28`; numel() is its number of elements. Arrays
 *  made from one (slice, map, filter, concat) are plain arrays.
 *
 *  Note [torch.Size is interned]: the printing and numel are own, non-enumerable properties (a
 *  prototype of its own would fail deepStrictEqual against an array), and defining those costs
 *  ~0.4 µs, far more than the 1 ns a read of the shape took when it was the tensor's own array.
 *  So each distinct size is made once, frozen, and found again in a trie keyed by the number of
 *  dims and then dim by dim (~10-25 ns): reading x.shape allocates nothing, and x.shape is
 *  x.size() is y.shape for tensors of one size. The library's own per-op paths read the tensor's
 *  `_shape`. */
export interface Size extends ReadonlyArray<number> {
  /** The number of elements a tensor of this size holds. */
  numel(): number;
}

interface SizeConstructor {
  /** torch.Size(sizes), from an iterable of integers. */
  new (sizes?: Iterable<number>): Size;
  (sizes?: Iterable<number>): Size;
}

function sizeString(this: Size): string { return sizeStr(this); }
function sizeNumel(this: Size): number { return numel(this); }
const SIZE_PROPERTIES: PropertyDescriptorMap = {
  toString: { value: sizeString },
  numel: { value: sizeNumel },
  [Symbol.for("nodejs.util.inspect.custom")]: { value: sizeString },
};

interface SizeNode { size: Size | undefined; next: Map<number, SizeNode> }
/** The trie of the sizes made so far, by number of dims ([] if none made). */
let sizeRoots: SizeNode[] = [];
let sizesMade = 0;
/** Beyond this many distinct sizes the trie starts afresh (a program whose shapes never repeat
 *  must not keep them all). */
const MAX_SIZES = 1 << 16;

/** The torch.Size of `shape` (its integers, as a tensor's shape holds them). */
export function sizeOf(shape: Shape): Size {
  const n = shape.length;
  let node = sizeRoots[n];
  if (node === undefined) node = sizeRoots[n] = { size: undefined, next: new Map() };
  for (let i = 0; i < n; i++) {
    const d = shape[i]!;
    let child = node.next.get(d);
    if (child === undefined) node.next.set(d, child = { size: undefined, next: new Map() });
    node = child;
  }
  if (node.size !== undefined) return node.size;
  if (++sizesMade > MAX_SIZES) { sizeRoots = []; sizesMade = 0; }
  return node.size = Object.freeze(Object.defineProperties(shape.slice(), SIZE_PROPERTIES)) as unknown as Size;
}

export const Size = function Size(sizes: Iterable<number> = []): Size {
  const list = [...sizes];
  const bad = list.findIndex((v) => !Number.isInteger(v));
  if (bad >= 0) throw new TypeError(`torch.Size() takes an iterable of 'int' (item ${bad} is '${typeof list[bad] === "number" ? "float" : pyTypeName(list[bad])}')`);
  return sizeOf(list);
} as SizeConstructor;
Object.defineProperty(Size, Symbol.hasInstance, {
  value: (x: unknown): boolean => Array.isArray(x) && (x as Partial<Size>).numel === sizeNumel,
});

/** Whether two shapes are equal, dim for dim. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function numel(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!; // (indexed: runs on every op)
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return st;
}

/** True when elements are laid out row-major without gaps (sizes 1 and empty tensors ignore strides, as in PyTorch). */
export function isContiguous(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    if (s === 0) return true;
    if (s !== 1) {
      if (strides[i] !== expected) return shape.includes(0); // (an empty tensor is contiguous whatever its strides)
      expected *= s;
    }
  }
  return true;
}

/** Wraps a possibly negative dim, with PyTorch's IndexError text. A 0-d tensor accepts dims -1 and 0. */
export function normDim(dim: number, ndim: number, wrapScalar = true): number {
  const n = ndim === 0 && wrapScalar ? 1 : ndim;
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    if (n === 0 || ndim === 0 && !wrapScalar)
      throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
    throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalises a dim list, rejecting repeats as PyTorch does. */
export function normDims(dims: readonly number[], ndim: number): number[] {
  const out = dims.map((d) => normDim(d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new RangeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const ai = i - n + a.length, bi = i - n + b.length;
    const x = ai >= 0 ? a[ai]! : 1, y = bi >= 0 ? b[bi]! : 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new RangeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Strides that read `shape`/`strides` as if expanded to `target` (stride 0 on broadcast dims). */
export function expandStrides(shape: Shape, strides: Shape, target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!, t = target[i + off]!;
    if (s === t) out[i + off] = strides[i]!;
    else if (s !== 1)
      throw new Error(`The expanded size of the tensor (${t}) must match the existing size (${s}) at non-singleton dimension ${i + off}.  Target sizes: [${target.join(", ")}].  Tensor sizes: [${shape.join(", ")}]`);
  }
  return out;
}

/** Size arguments as PyTorch takes them: varargs or one array (shared/API.md §2). */
export function parseSize(args: readonly unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return list.map((s) => {
    if (typeof s !== "number" || !Number.isInteger(s))
      throw new TypeError(`size must be a tuple of ints, but got ${typeof s === "object" ? JSON.stringify(s) : String(s)}`);
    return s;
  });
}

/** A strided view's reach into its storage, checked as PyTorch's setStorage checks it (as_strided,
 *  from_numpy): every element the geometry names must lie in the storage's `have` elements. */
export function checkInStorage(size: Shape, stride: Shape, offset: number, itemsize: number, have: number): void {
  const reach = size.some((s) => s === 0) ? 0 : offset + 1 + size.reduce((acc, s, i) => acc + (s - 1) * stride[i]!, 0);
  if (reach > have)
    throw new Error(`setStorage: sizes [${size.join(", ")}], strides [${stride.join(", ")}], storage offset ${offset}, and itemsize ${itemsize} requiring a storage size of ${reach * itemsize} are out of bounds for storage of size ${have * itemsize}`);
}

/** PyTorch's TypeError for a size tuple with a non-integer in it, as `op((a, b))` raises it (the
 *  layers' `torch.empty((out_features, in_features))`): the first element is checked as the
 *  argument's type, the others as they are unpacked. */
export function checkSizeTuple(op: string, sizes: readonly unknown[]): void {
  sizes.forEach((s, i) => {
    if ((typeof s === "number" && Number.isInteger(s)) || typeof s === "bigint") return;
    const type = pyTypeName(s);
    throw new TypeError(i === 0
      ? `${op}(): argument 'size' (position 1) must be tuple of ints, but found element of type ${type} at pos 0`
      : `${op}(): argument 'size' failed to unpack the object at pos ${i + 1} with error "type must be tuple of ints,but got ${type}"`);
  });
}

export function checkSizeNonNegative(shape: Shape): void {
  for (let i = 0; i < shape.length; i++) { // (indexed: every new tensor passes here)
    const s = shape[i]!;
    if (s < 0) throw new RangeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(", ")}]`);
  }
}

/** Resolves one -1 in a view/reshape target, with PyTorch's error texts: in `shape` itself, which
 *  the callers make for it (a view's parsed sizes). */
export function inferSize(shape: number[], n: number): number[] {
  let infer = -1, prod = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s === -1) {
      if (infer >= 0) throw new RangeError("only one dimension can be inferred");
      infer = i;
    } else if (s < 0) throw new RangeError(`invalid shape dimension ${s} at index ${i} of shape [${shape.join(", ")}]`);
    else prod *= s;
  }
  if (infer >= 0) {
    if (prod === 0) throw new RangeError(`cannot reshape tensor of 0 elements into shape [${shape.join(", ")}] because the unspecified dimension size -1 can be any value and is ambiguous`);
    if (n % prod === 0) { shape[infer] = n / prod; return shape; }
  } else if (prod === n) return shape;
  throw new RangeError(`shape '[${shape.join(", ")}]' is invalid for input of size ${n}`);
}

/** Strides for viewing a strided tensor under a new shape without copying, or null when impossible
 *  (PyTorch's computeStride). */
export function viewStrides(oldShape: Shape, oldStrides: Shape, newShape: Shape): number[] | null {
  const n = numel(oldShape);
  if (n === 0 || oldShape.length === 0) return contiguousStrides(newShape); // a 0-d tensor views as any all-ones shape
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) { chunkBase = oldStrides[d - 1]!; tensorNumel = 1; viewNumel = 1; }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}
