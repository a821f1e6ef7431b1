// The Tensor: a strided view (shape, strides, offset) on a shared storage, plus the autograd fields.
// Methods for each op family are attached by the op modules (src/ops/*), which augment this class's
// interface; this file holds only what every tensor is.

import {
  type DType, type Storage, type Scalar, float32, float64, float16, bfloat16, int64, bool,
  halfToFloat, bf16ToFloat, arrayFor, arrayToOverwrite, dtypes, cppTypeName, scalarTypeName, hasViews,
} from "./dtype.js";
import { type Shape, contiguousStrides, isContiguous, numel, normDim, sameShape, checkSizeNonNegative, type Size, sizeOf } from "./shape.js";
import { Device, cpu, deviceType } from "./device.js";
import { memory_format, isContiguousAs } from "./memory_format.js";
import type { Node } from "../autograd/node.js";
import type { NdArrayLike } from "../ops/creation.js";
import { tensorRepr, pyTypeName } from "./printing.js";
import { is_inference_mode_enabled } from "../autograd/grad_mode.js";
import { warnOnce } from "./warnings.js";

/** The memory of a device other than the CPU behind a TensorStorage (the WebGPU device's:
 *  src/backends/webgpu/memory.ts). Code that reads `storage.data` gets a CPU copy of the elements,
 *  read back when the device holds newer ones (Note [Device memory]). */
export interface DeviceMemory {
  /** The elements as a CPU array. With `write` the caller may change them: the device's copy is
   *  then stale, and refreshed from this array before the device next uses it. */
  host(write: boolean): Storage;
  /** Replaces the elements with `s` (same dtype and length). */
  replace(s: Storage): void;
}

const NO_HOST = new Uint8Array(0);
/** A freed storage's memory (TensorStorage._free): a use of it is a bug of typetorch's. */
const FREED: DeviceMemory = {
  host() { throw new Error("typetorch internal error: a tensor whose memory autograd had freed was used"); },
  replace() { throw new Error("typetorch internal error: a tensor whose memory autograd had freed was used"); },
};

/** Bytes plus the version counter that every view of them shares (Note [Saved tensor versions]:
 *  autograd stamps saved tensors with this counter and refuses to use them once it moved). */
export class TensorStorage {
  version = 0;
  /** allocated under inference_mode: its tensors, views included, are inference tensors (PyTorch
   *  ties this to the storage too: a view of a normal tensor made in inference mode stays normal) */
  readonly inference = is_inference_mode_enabled();
  /** @internal The backward pass that last counted this storage's waiting gradients, their count,
   *  and whether that pass pinned it (Note [Stealing gradients] in autograd/engine.ts). */
  _pass = 0; _waiting = 0; _pinned = false;
  private _data: Storage;
  /** A CPU storage over `data`, or a device's over `mem` (then `data` is ignored). */
  private _mem: DeviceMemory | null;
  constructor(data: Storage, mem: DeviceMemory | null = null) { this._data = mem === null ? data : NO_HOST; this._mem = mem; }
  /** The device memory holding the elements; null for a CPU storage. */
  get mem(): DeviceMemory | null { return this._mem; }
  /** @internal Hands its CPU memory back through `release` (the backend's, which says whether the
   *  array was its own) unless arrays were made over it (viewOver): Note [Freeing consumed
   *  gradients] in autograd/engine.ts. Any use of its elements after that throws, never reads
   *  reused memory. */
  _free(release: (a: Storage) => boolean): void {
    if (this._mem !== null || hasViews(this._data) || !release(this._data)) return;
    this._data = NO_HOST;
    this._mem = FREED;
  }
  /** The elements as a CPU array (on a device: its CPU copy, which the caller may change). */
  get data(): Storage { return this._mem === null ? this._data : this._mem.host(true); }
  set data(s: Storage) { if (this._mem === null) this._data = s; else this._mem.replace(s); }
  /** @internal The elements for reading only (item, printing): on a device, its copy stays valid. */
  get readable(): Storage { return this._mem === null ? this._data : this._mem.host(false); }
}

export type TensorHook = (grad: Tensor) => Tensor | void | undefined;

/**
 * Note [Differentiable views]: a view made by a view op (views.ts's viewOf) shares its base's
 * storage and version counter and carries PyTorch's view metadata: its base (the root of the view
 * chain) and a CreationMeta saying how it was made. DEFAULT views may be written in place: the
 * write is recorded on the base (CopySlices, Note [In-place on views]). The others are refused
 * with PyTorch's errors (ops/inplace.ts, handle_view_on_rebase), because the view's own grad_fn
 * cannot be rewritten into the base's history: the outputs of split/unbind/chunk
 * (MULTI_OUTPUT_NODE), views a custom Function returned (IN_CUSTOM_FUNCTION), and views made
 * under no_grad or inference_mode (whether the write should be tracked is ambiguous). A view of a
 * view keeps the stricter of the two. Detached tensors are no differentiable views.
 */
export type CreationMeta = "default" | "in_custom_function" | "multi_output_node" | "no_grad_mode" | "inference_mode";

/** ops/inplace.ts's rebuild of a stale view's grad_fn, installed there (the graph nodes it makes
 *  live above this module). */
let refreshViewGradFn: ((view: Tensor) => Node | null) | null = null;
/** ops/legacy.ts's legacy constructor (torch.Tensor(2, 3), torch.FloatTensor(data) …), installed
 *  there: it needs the creation ops. `dtype` null means the default dtype. */
let legacyNew: ((dtype: DType | null, args: unknown[]) => Tensor) | null = null;
/** @internal */
export function _setLegacyConstructor(f: (dtype: DType | null, args: unknown[]) => Tensor): void { legacyNew = f; }
/** @internal */
export function _setViewGradFnRefresher(f: (view: Tensor) => Node | null): void { refreshViewGradFn = f; }

export interface RemovableHandle { remove(): void }

export class Tensor {
  /** @internal */ _storage!: TensorStorage;
  /** @internal */ _shape!: number[];
  /** @internal */ _strides!: number[];
  /** @internal */ _offset!: number;
  readonly dtype!: DType;
  readonly device!: Device;
  /** @internal */ _requires_grad = false;
  /** @internal */ _grad: Tensor | null = null;
  /** @internal */ _grad_fn: Node | null = null;
  /** @internal */ _output_nr = 0;
  /** @internal */ _retains_grad = false;
  /** @internal hooks of a leaf, run before accumulation into .grad */
  _hooks: TensorHook[] | null = null;
  /** @internal hooks run after a gradient was accumulated into this leaf's .grad */
  _postAccumulateGradHooks: ((param: Tensor) => void)[] | null = null;
  /** @internal the tensor owning the storage this one views, or null */
  _base: Tensor | null = null;
  /** @internal set on differentiable views only, as PyTorch's DifferentiableViewMeta: how the
   *  view was made, which decides whether it may be written in place (Note [Differentiable views]) */
  _creationMeta: CreationMeta | null = null;
  /** @internal the storage version when this view's grad_fn was recorded: once the version moved,
   *  the grad_fn is stale and is rebuilt from the base's history on next use */
  _attrVersion = 0;
  /** @internal the leaf's AccumulateGrad node, created on first use */
  _accumulator: Node | null = null;

  /** PyTorch's legacy constructor, `new torch.Tensor(2, 3)` (a zero-filled tensor of that size in
   *  the default dtype), `new torch.Tensor([[1, 2], [3, 4]])` (a copy of the data) or
   *  `new torch.Tensor(other)` (a tensor sharing other's storage), or of a NumPy array (an
   *  ndarray-like, as from_numpy's): see ops/legacy.ts. */
  constructor(...sizes: number[]);
  constructor(data: readonly unknown[] | Tensor | NdArrayLike);
  /** @internal A view of `storage` (how the library makes every tensor). */
  constructor(storage: TensorStorage, shape: Shape, strides: Shape, offset: number, dtype: DType, device?: Device);
  constructor(
    storage?: TensorStorage | number | readonly unknown[] | Tensor | NdArrayLike, shape?: Shape | number, strides?: Shape | number,
    offset?: number, dtype?: DType | number, device: Device | number = cpu,
  ) {
    if (!(storage instanceof TensorStorage)) {
      // A constructor may return another object: here the tensor the legacy constructor made.
      return legacyNew!(null, [...arguments]);
    }
    this._storage = storage;
    this._shape = shape as number[];
    this._strides = strides as number[];
    this._offset = offset!;
    this.dtype = dtype as DType;
    this.device = device as Device;
  }

  /** A new tensor over fresh zeroed storage; `zeroed` false: storage the caller overwrites, every
   *  element (dtype.ts's arrayToOverwrite). Contiguous, or with the given dense `strides` (a
   *  memory format's, Note [Memory formats]). */
  static empty(shape: Shape, dtype: DType, device: Device = cpu, zeroed = true, strides?: Shape): Tensor {
    checkSizeNonNegative(shape);
    if (numel(shape) * dtype.itemsize >= 2 ** 63) throw new RangeError(`Storage size calculation overflowed with sizes=[${shape.map((s) => BigInt(s)).join(", ")}]`);
    const storage = device.type === "cpu" ? new TensorStorage(zeroed ? arrayFor(dtype, numel(shape)) : arrayToOverwrite(dtype, numel(shape)))
      : new TensorStorage(NO_HOST, deviceType(device).allocate(dtype, numel(shape)));
    return new Tensor(storage, shape.slice(), strides?.slice() ?? contiguousStrides(shape), 0, dtype, device);
  }

  /** A new contiguous tensor over the given storage array (taken, not copied). */
  static fromStorage(data: Storage, shape: Shape, dtype: DType, device: Device = cpu): Tensor {
    return new Tensor(new TensorStorage(data), shape.slice(), contiguousStrides(shape), 0, dtype, device);
  }

  // ---- geometry ---------------------------------------------------------------------------
  /** The torch.Size of the tensor, as size(): an array that prints as PyTorch's (Note [torch.Size
   *  is interned]). Typed as the array it is, so that `x.shape as [number, number]` compiles as
   *  it does for any array (a tuple type has no numel(), so a cast from Size would be refused). */
  get shape(): readonly number[] { return sizeOf(this._shape); }
  /** size(): the torch.Size of the tensor, as `shape`; size(dim): one dim's size. */
  size(): Size;
  size(dim: number): number;
  size(dim?: number): Size | number {
    if (dim === undefined) return sizeOf(this._shape);
    return this._shape[normDim(dim, this._shape.length, false)]!;
  }
  dim(): number { return this._shape.length; }
  get ndim(): number { return this._shape.length; }
  ndimension(): number { return this._shape.length; }
  numel(): number { return numel(this._shape); }
  nelement(): number { return this.numel(); }
  element_size(): number { return this.dtype.itemsize; }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return this._strides.slice();
    return this._strides[normDim(dim, this._shape.length, false)]!;
  }
  storage_offset(): number { return this._offset; }
  /** is_contiguous({memory_format}): row-major, or laid out in the given memory format. */
  is_contiguous(opts?: { memory_format?: memory_format }): boolean {
    if (opts === undefined) return isContiguous(this._shape, this._strides);
    if (opts instanceof memory_format) throw new TypeError("is_contiguous() takes 0 positional arguments but 1 was given");
    if (opts.memory_format === undefined) return isContiguous(this._shape, this._strides);
    if (!(opts.memory_format instanceof memory_format))
      throw new TypeError(`is_contiguous(): argument 'memory_format' must be torch.memory_format, not ${pyTypeName(opts.memory_format)}`);
    return isContiguousAs(this._shape, this._strides, opts.memory_format);
  }
  get is_cuda(): boolean { return this.device.type === "cuda"; }
  get is_cpu(): boolean { return this.device.type === "cpu"; }
  get is_xpu(): boolean { return this.device.type === "xpu"; }
  get is_mps(): boolean { return this.device.type === "mps"; }
  get is_meta(): boolean { return this.device.type === "meta"; }
  get is_floating_point_(): boolean { return this.dtype.is_floating_point; }
  is_floating_point(): boolean { return this.dtype.is_floating_point; }
  is_complex(): boolean { return false; }
  /** @internal */ get _version(): number { return this._storage.version; }
  /** @internal */ _bumpVersion(): void { this._storage.version++; }
  get is_inference_(): boolean { return this._storage.inference; }
  is_inference(): boolean { return this._storage.inference; }

  // ---- autograd fields --------------------------------------------------------------------
  /** A view's grad_fn is refreshed here when its base or another view of it was written in place
   *  since it was recorded (Note [Differentiable views]); other tensors return the field. */
  get grad_fn(): Node | null {
    return this._creationMeta === null || this._attrVersion === this._storage.version || refreshViewGradFn === null
      ? this._grad_fn : refreshViewGradFn(this);
  }
  /** Python's is_leaf, which reads grad_fn (so a stale view is refreshed first). */
  get is_leaf(): boolean { return this.grad_fn === null; }
  /** A differentiable view requires grad when its base does, even without a grad_fn of its own
   *  (made under no_grad, or before the base required grad), as PyTorch's DifferentiableViewMeta. */
  get requires_grad(): boolean {
    return this._requires_grad || this._grad_fn !== null || (this._creationMeta !== null && this._base!.requires_grad);
  }
  set requires_grad(flag: boolean) { this.requires_grad_(flag); }
  requires_grad_(flag = true): this {
    if (this._grad_fn !== null) {
      if (!flag) throw new Error("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
      return this;
    }
    if (flag && !this.dtype.is_floating_point)
      throw new Error("only Tensors of floating point dtype can require gradients");
    this._requires_grad = flag;
    return this;
  }
  get retains_grad(): boolean { return this._retains_grad; }

  /** The accumulated gradient. Assigning one that could not be this tensor's (another dtype,
   *  device or shape) is refused with PyTorch's errors (THPVariable_set_grad), checked in its order. */
  get grad(): Tensor | null {
    if (this._grad === null && !this._retains_grad && !this.is_leaf)
      warnOnce("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.");
    return this._grad;
  }
  set grad(g: Tensor | null) {
    if (g !== null && g !== undefined) {
      if (!(g instanceof Tensor)) throw new TypeError(`assigned grad expected to be a Tensor or None but got grad of type ${pyTypeName(g)}`);
      if (g === this) throw new Error("can't assign Variable as its own grad");
      if (g.dtype !== this.dtype)
        throw new Error(`attempting to assign a gradient with dtype '${cppTypeName(g.dtype)}' to a tensor with grad_dtype '${scalarTypeName(this.dtype)}'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that assume they match.`);
      if (g.device.type !== this.device.type)
        throw new Error(`attempting to assign a gradient with device type '${g.device.type}' to a tensor with device type '${this.device.type}'. Please ensure that the gradient and the tensor are on the same device`);
      if (!sameShape(g._shape, this._shape))
        throw new Error(`attempting to assign a gradient of size '[${g._shape.join(", ")}]' to a tensor of size '[${this._shape.join(", ")}]'. Please ensure that the gradient and the tensor are the same size`);
    }
    this._grad = g ?? null;
  }

  // ---- values -----------------------------------------------------------------------------
  /** Element at storage position `i`, as a JS value. */
  /** @internal */ _read(i: number): number | bigint | boolean {
    const d = this._storage.readable;
    switch (this.dtype) {
      case float16: return halfToFloat(d[i] as number);
      case bfloat16: return bf16ToFloat(d[i] as number);
      case bool: return d[i] !== 0;
      default: return d[i]!;
    }
  }

  /** Storage positions of the elements in row-major order (null when contiguous). */
  /** @internal */ _positions(): Int32Array | null {
    if (this.is_contiguous()) return null;
    const out = new Int32Array(this.numel());
    this._rows((pos, k, len, step) => { for (let j = 0; j < len; j++) out[k + j] = pos + j * step; });
    return out;
  }

  /** Visits the runs along the last dim in row-major order: visit(storage position of the run's
   *  first element, its row-major index, its length, its stride). Only the outer dims step an
   *  odometer, so a loop over a run is tight (and a stride-1 run can be copied whole). */
  /** @internal */ _rows(visit: (pos: number, k: number, len: number, step: number) => void): void {
    const n = this.numel(), nd = this._shape.length, shape = this._shape, strides = this._strides;
    if (nd === 0) { if (n) visit(this._offset, 0, 1, 1); return; }
    const len = shape[nd - 1]!, step = strides[nd - 1]!;
    const idx = new Array<number>(nd - 1).fill(0);
    let pos = this._offset;
    for (let k = 0; k < n; k += len) {
      visit(pos, k, len, step);
      for (let d = nd - 2; d >= 0; d--) {
        pos += strides[d]!;
        if (++idx[d]! < shape[d]!) break;
        pos -= strides[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
  }

  /** The value at flat row-major index k. */
  /** @internal */ _at(k: number): number | bigint | boolean {
    let pos = this._offset;
    for (let d = this._shape.length - 1; d >= 0; d--) {
      const s = this._shape[d]!;
      pos += (k % s) * this._strides[d]!;
      k = Math.floor(k / s);
    }
    return this._read(pos);
  }

  /** The single value as a JS number (a boolean for bool tensors at run time, as Python's bool;
   *  typed as number so arithmetic on `loss.item()` reads naturally). */
  item(): number {
    const n = this.numel();
    if (n !== 1) throw new Error(`a Tensor with ${n} elements cannot be converted to Scalar`);
    const v = this._read(this._offset);
    return (typeof v === "bigint" ? Number(v) : v) as number;
  }

  tolist(): unknown {
    const shape = this._shape;
    const build = (d: number, pos: number): unknown => {
      if (d === shape.length) {
        const v = this._read(pos);
        return typeof v === "bigint" ? Number(v) : v;
      }
      const out: unknown[] = [];
      for (let i = 0; i < shape[d]!; i++) out.push(build(d + 1, pos + i * this._strides[d]!));
      return out;
    };
    return build(0, this._offset);
  }

  // ---- printing ---------------------------------------------------------------------------
  toString(): string {
    return tensorRepr({
      shape: this._shape, dtype: this.dtype, at: (k: number) => this._at(k), device: this.device.toString(),
      grad_fn: this.grad_fn?.name() ?? null, requires_grad: this.requires_grad,
    }, this._reprPrefix());
  }
  /** @internal nn.Parameter overrides this */
  _reprPrefix(): string { return "tensor("; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
  get [Symbol.toStringTag](): string { return "Tensor"; }

  // ---- Python's protocols (shared/API.md §2) ------------------------------------------------
  /** len(x): the size of dim 0. */
  get length(): number {
    if (this._shape.length === 0) throw new TypeError("len() of a 0-d tensor");
    return this._shape[0]!;
  }
  /** for (const row of x): the sub-tensors along dim 0, as Python iterates a tensor (views, as
   *  x.unbind(0) gives). */
  *[Symbol.iterator](): Iterator<Tensor> {
    if (this._shape.length === 0) throw new TypeError("iteration over a 0-d tensor");
    yield* (this as unknown as { unbind(dim: number): Tensor[] }).unbind(0);
  }

  /** Python's legacy type name, used in autograd error messages: torch.FloatTensor … */
  type(): string;
  /** x cast to `dtype` (also given as a legacy type name, "torch.DoubleTensor"); x itself when it
   *  has that dtype already. */
  type(dtype: DType | string, opts?: { non_blocking?: boolean; memory_format?: memory_format }): Tensor;
  type(dtype?: DType | string | null, opts?: { non_blocking?: boolean; memory_format?: memory_format }): string | Tensor {
    if (dtype === undefined || dtype === null) return `torch.${legacyName(this.dtype)}`;
    if (typeof dtype === "string") {
      const d = Object.values(dtypes).find((t) => `torch.${legacyName(t)}` === dtype);
      if (d === undefined) throw new Error(`invalid type: '${dtype}'`);
      dtype = d;
    }
    return this.to(dtype, { memory_format: opts?.memory_format ?? null });
  }
}

export function legacyName(d: DType): string {
  const names: Record<string, string> = {
    float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor", bfloat16: "BFloat16Tensor",
    int64: "LongTensor", int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor", uint8: "ByteTensor", bool: "BoolTensor",
  };
  return names[d.name]!;
}

export type TensorLike = Tensor | Scalar;
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

// re-exported so op modules can reach these without another import line
export { float32, float64, int64, bool };
