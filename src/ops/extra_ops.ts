// Tensor methods PyTorch has beside its ops' main forms: the in-place forms of ops that exist out
// of place (addmm_, cumsum_ …), the writes that have no out-of-place twin in typetorch yet
// (fill_diagonal_, put_, log_normal_, geometric_, set_, as_strided_ …), histogram, the CPU
// callbacks (apply_, map_, map2_) and the introspection real code calls (itemsize, nbytes,
// is_signed, dim_order …). Each is PyTorch's, with its checks and its errors.

import { Tensor } from "../core/tensor.js";
import { type DType, bool, float32, int64, cppTypeName, scalarTypeName, halfToFloat, floatToHalf, bf16ToFloat, floatToBf16, type Scalar } from "../core/dtype.js";
import { normDim, numel, parseSize } from "../core/shape.js";
import { legacyNew } from "./legacy.js";
import { warnOnce } from "../core/warnings.js";
import { pyTypeName } from "../core/printing.js";
import * as R from "../core/random.js";
import * as K from "../backends/index.js";
import { recordComposite, record } from "../autograd/record.js";
import { is_grad_enabled, no_grad } from "../autograd/grad_mode.js";
import { inplace, checkInplaceAllowed } from "./inplace.js";
import { installMethods } from "./util.js";
import { addmm, addmv, addbmm, baddbmm } from "./linalg.js";
import { addr } from "./shape_ops.js";
import { cumsum, cumprod } from "./reduce.js";
import { igamma, igammac } from "./special_ops.js";
import { cat, stack } from "./indexing.js";
import { nonzero, index_put } from "./index_ops.js";
import { as_strided, split, detach } from "./views.js";
import { resize_ } from "./out.js";
import { hardshrink, prelu } from "../nn/functional.js";
import { fillRandom, type GenOpts } from "./random_ops.js";
import { returnType } from "./_helpers.js";
import { linspace, type TensorOptions } from "./creation.js";
import { empty_strided } from "./extra_torch.js";

type MatOpts = { beta?: number; alpha?: number };

// ---- in-place forms of existing ops ----------------------------------------------------------

/** Note [Structured in-place]: the in-place form of a structured kernel (addmm_, cumsum_ …) checks
 *  its result's shape and dtype against self's before writing, with meta's "Bad in-place call". */
function structured(self: Tensor, compute: () => Tensor, shape?: readonly number[]): Tensor {
  // (the ops whose result's shape is known from the other operands are checked before computing:
  // computing would broadcast self first and fail otherwise)
  if (shape && (shape.length !== self._shape.length || shape.some((s, i) => s !== self._shape[i])))
    throw new Error(`Bad in-place call: input tensor size [${self.shape.join(", ")}] and output tensor size [${shape.join(", ")}] should match`);
  return inplace(self, () => {
    const r = compute();
    if (r._shape.length !== self._shape.length || r._shape.some((s, i) => s !== self._shape[i]))
      throw new Error(`Bad in-place call: input tensor size [${self.shape.join(", ")}] and output tensor size [${r.shape.join(", ")}] should match`);
    if (r.dtype !== self.dtype)
      throw new Error(`Bad in-place call: input tensor dtype ${cppTypeName(self.dtype)} and output tensor dtype ${cppTypeName(r.dtype)} should match`);
    return r;
  });
}
const addmm_ = (self: Tensor, m1: Tensor, m2: Tensor, o?: MatOpts) => structured(self, () => addmm(self, m1, m2, o), [m1.shape[0]!, m2.shape[1]!]);
const addmv_ = (self: Tensor, mat: Tensor, vec: Tensor, o?: MatOpts) => structured(self, () => addmv(self, mat, vec, o), [mat.shape[0]!]);
const addbmm_ = (self: Tensor, b1: Tensor, b2: Tensor, o?: MatOpts) => structured(self, () => addbmm(self, b1, b2, o), [b1.shape[1]!, b2.shape[2]!]);
const baddbmm_ = (self: Tensor, b1: Tensor, b2: Tensor, o?: MatOpts) => structured(self, () => baddbmm(self, b1, b2, o), [b1.shape[0]!, b1.shape[1]!, b2.shape[2]!]);
const addr_ = (self: Tensor, v1: Tensor, v2: Tensor, o?: MatOpts) => structured(self, () => addr(self, v1, v2, o), [v1.shape[0]!, v2.shape[0]!]);
const cumsum_ = (self: Tensor, dim: number, o?: { dtype?: DType }) => structured(self, () => cumsum(self, dim, o));
const cumprod_ = (self: Tensor, dim: number, o?: { dtype?: DType }) => structured(self, () => cumprod(self, dim, o));
const igamma_ = (self: Tensor, other: Tensor) => inplace(self, () => igamma(self, other));
const igammac_ = (self: Tensor, other: Tensor) => inplace(self, () => igammac(self, other));

/** Tensor.fill_diagonal_(fill_value, wrap=False): the main diagonal (all indices equal) set to the
 *  value; with wrap, a tall matrix's diagonal starts again every width + 1 rows, as numpy's
 *  fill_diagonal. Like fill_, it may write into a tensor that repeats an element (Note [Internal
 *  overlap]). */
function fill_diagonal_(self: Tensor, fill_value: Scalar, wrap = false): Tensor {
  const nd = self.ndim;
  if (nd < 2) throw new Error("dimensions must larger than 1");
  const [height, width] = [self._shape[0]!, self._shape[1]!];
  if (nd > 2 && self._shape.some((s) => s !== height)) throw new Error("all dimensions of input must be of equal length");
  // (PyTorch's: the diagonal as a strided view of self, filled; the wrapped one of a tall matrix
  // starts width + 1 rows down, numel / (width + 1) elements in all)
  const step = self._strides.reduce((a, b) => a + b, 0), size = Math.min(height, width);
  as_strided(self, [size], [step], self._offset).fill_(fill_value);
  if (wrap && nd === 2 && height > width + 1) {
    const wrapSize = Math.floor((self.numel() + width) / (width + 1)) - size;
    as_strided(self, [wrapSize], [step], self._offset + self._strides[0]! * (width + 1)).fill_(fill_value);
  }
  return self;
}

// ---- put ---------------------------------------------------------------------------------------

/** torch.put(input, index, source, accumulate=False): input with the elements at `index` (into
 *  input flattened, negative counting from the end) set to source's (added, with accumulate). */
export function put(self: Tensor, index: Tensor, source: Tensor, accumulate = false): Tensor {
  if (index.dtype !== int64) throw new Error(`put_(): Expected a long tensor for index, but got ${scalarTypeName(index.dtype)}`);
  if (source.dtype !== self.dtype)
    throw new Error(`put_(): self and source expected to have the same dtype, but got self.dtype = ${scalarTypeName(self.dtype)} and source.dtype = ${scalarTypeName(source.dtype)}`);
  if (source.numel() !== index.numel())
    throw new RangeError(`put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${index.numel()}`);
  const n = self.numel(), iv = K.values(index);
  for (let k = 0; k < iv.length; k++)
    if (iv[k]! < -n || iv[k]! >= n) throw new RangeError(`out of range: tried to access index ${iv[k]} on a tensor of ${n} elements.`);
  const flat = index.reshape(-1), shape = self.shape.slice(), srcShape = source.shape.slice();
  const y = no_grad(() => index_put(self.detach().reshape(-1), [flat], source.detach().reshape(-1), accumulate).view(shape));
  // (derivatives.yaml's put formulas, written with recorded ops for double backward)
  return record("PutBackward0", [self, source], y, ([g], _s, n) => [
    n[0] ? (accumulate ? g! : put(g!, index, Tensor.empty(srcShape, g!.dtype, g!.device), false)) : null,
    n[1] ? g!.take(index).reshape(srcShape) : null,
  ]);
}
const put_ = (self: Tensor, index: Tensor, source: Tensor, accumulate = false) => inplace(self, () => put(self, index, source, accumulate));

// ---- random ------------------------------------------------------------------------------------

function log_normal_(self: Tensor, mean = 1, std = 2, opts?: GenOpts): Tensor {
  return fillRandom(self, (o) => R.log_normal_(o, self.dtype, mean, std, opts?.generator ?? undefined));
}
function geometric_(self: Tensor, p: number, opts?: GenOpts): Tensor {
  return fillRandom(self, (o) => R.geometric_(o, self.dtype, p, opts?.generator ?? undefined));
}

// ---- geometry and storage ------------------------------------------------------------------------

/** Tensor.as_strided_(size, stride, storage_offset): self itself takes the geometry, over its own
 *  storage (checked as as_strided checks it). */
function as_strided_(self: Tensor, size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor {
  checkInplaceAllowed(self);
  const v = as_strided(self, size, stride, storage_offset);
  self._shape = v._shape; self._strides = v._strides; self._offset = v._offset;
  // (a tensor with history takes the view's node, PyTorch's AsStridedBackward1 for the in-place form)
  if (v._grad_fn) self._grad_fn = v._grad_fn;
  return self;
}

/** torch.as_strided_scatter(input, src, size, stride, storage_offset): a copy of input with the
 *  elements that input.as_strided(size, stride, storage_offset) views set to src's. */
export function as_strided_scatter(input: Tensor, src: Tensor, size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor {
  return recordComposite("AsStridedScatterBackward0", [input, src], (x, s) => {
    // (ATen's clone_preserve_strides: a copy of input's whole storage seen with input's geometry,
    // so that the geometry given, storage_offset included, means what it means over input's; a
    // plain clone where input repeats an element)
    let out: Tensor;
    if (x._shape.some((n, d) => n > 1 && x._strides[d] === 0)) out = x.clone();
    else {
      const whole = as_strided(x, [x._storage.readable.length], [1], 0).clone();
      out = new Tensor(whole._storage, x.shape.slice(), x._strides.slice(), x._offset, x.dtype, x.device);
    }
    const view = as_strided(out, size, stride, storage_offset);
    if (view.shape.length !== s!.ndim || view._shape.some((d, i) => d !== s!._shape[i]))
      throw new Error(`expected src to have a size equal to the slice of self. src size = [${s!.shape.join(", ")}], slice size = [${view.shape.join(", ")}]`);
    view.copy_(s!);
    return out;
  });
}

const resize_as_ = (self: Tensor, other: Tensor) => resize_(self, other.shape.slice());

/** Tensor.set_(source): self shares source's storage (and version counter) and takes its geometry;
 *  set_() makes self an empty tensor over a storage of its own. */
function set_(self: Tensor, source?: Tensor): Tensor {
  checkInplaceAllowed(self);
  if (source === undefined) source = Tensor.empty([0], self.dtype, self.device);
  if (source.dtype !== self.dtype)
    throw new Error(`Could not set tensor of type ${cppTypeName(source.dtype)} to a tensor of type ${cppTypeName(self.dtype)}`);
  self._storage = source._storage; self._shape = source._shape.slice(); self._strides = source._strides.slice(); self._offset = source._offset;
  self._bumpVersion();
  return self;
}

/** Whether self is set to `other`: the same storage, offset, sizes and strides. */
const is_set_to = (self: Tensor, other: Tensor) => self._storage === other._storage && self._offset === other._offset &&
  self._shape.length === other._shape.length && self._shape.every((s, i) => s === other._shape[i] && self._strides[i] === other._strides[i]);

// ---- splits ------------------------------------------------------------------------------------

const split_with_sizes = (self: Tensor, split_sizes: number[], dim = 0) => split(self, split_sizes, dim);

/** Pieces of self along dim as one multi-output node `name` whose backward joins the pieces'
 *  gradients (cat, or stack where `unbind` drops the dim): unsafe_split and its siblings (`share`:
 *  sharing self's memory, but not autograd views of it, PyTorch's "without enforcing the autograd
 *  restrictions on inplace modification"), and the copies split_copy, unbind_copy … */
export function pieces(self: Tensor, name: string, sizes: number | number[], dim: number, share: boolean, unbind = false): Tensor[] {
  const d = normDim(dim, self.ndim);
  const outs = no_grad(() => split(detach(self), unbind ? 1 : sizes, d).map((v) => {
    if (unbind) v = v.squeeze(d);
    return share ? new Tensor(v._storage, v._shape, v._strides, v._offset, v.dtype, v.device) : v.clone();
  }));
  return record(name, [self], outs, (gs) => {
    const full = gs.map((g, i) => g ?? Tensor.empty(outs[i]!.shape, outs[i]!.dtype, outs[i]!.device));
    return [unbind ? stack(full, d) : cat(full, d)];
  });
}
const unsafePieces = (self: Tensor, name: string, sizes: number | number[], dim: number) => pieces(self, name, sizes, dim, true);
const unsafe_split = (self: Tensor, split_size: number, dim = 0) => unsafePieces(self, "UnsafeSplitBackward0", split_size, dim);
const unsafe_split_with_sizes = (self: Tensor, split_sizes: number[], dim = 0) => unsafePieces(self, "UnsafeSplitWithSizesBackward0", split_sizes, dim);
function unsafe_chunk(self: Tensor, chunks: number, dim = 0): Tensor[] {
  if (chunks <= 0) throw new Error("chunk expects `chunks` to be greater than 0, got: " + chunks);
  const n = self._shape[normDim(dim, self.ndim)]!;
  return unsafePieces(self, "UnsafeSplitBackward0", Math.max(Math.ceil(n / chunks), 1), dim);
}

// ---- new tensors ------------------------------------------------------------------------------

const new_empty_strided = (self: Tensor, size: number[], stride: number[], o: TensorOptions = {}) =>
  empty_strided(size, stride, { dtype: self.dtype, device: self.device, ...o });

/** torch.nonzero_static(input, *, size, fill_value=-1): nonzero's [n, ndim] indices cut or padded
 *  with fill_value to `size` rows, a shape known before the values are. */
export function nonzero_static(input: Tensor, opts: { size: number; fill_value?: number }): Tensor {
  const size = opts.size, fill = opts.fill_value ?? -1;
  if (!(size >= 0)) throw new Error("nonzero_static: 'size' must be an non-negative integer");
  const nz = nonzero(input), n = nz._shape[0]!;
  if (n >= size) return nz.narrow(0, 0, size).clone();
  return cat([nz, Tensor.empty([size - n, input.ndim], int64, input.device).fill_(fill)], 0);
}

// ---- histograms ----------------------------------------------------------------------------------

export type Histogram = Tensor[] & { hist: Tensor; bin_edges: Tensor };
export type HistogramDD = [Tensor, Tensor[]] & { hist: Tensor; bin_edges: Tensor[] };
export interface HistogramOpts { range?: readonly number[] | null; weight?: Tensor | null; density?: boolean }

/** torch.histogramdd(input, bins, *, range, weight, density): ATen's histogramdd kernel. input's
 *  last dim is the N coordinates of each point; bins is a count (for every dim), a count per dim,
 *  or each dim's edges. Edges from counts are linspace over the range (min and max of the input
 *  by default, a range of width 1 about a single value) in input's dtype, and a point's bin is
 *  found by linear interpolation then a local search (a binary search among given edges); the
 *  last bin includes its right edge. */
export function histogramdd(input: Tensor, bins: number | readonly number[] | readonly Tensor[] = 10, range: readonly number[] | null = null,
  weight: Tensor | null = null, density = false): HistogramDD {
  return histogramddOf(input, bins, { range, weight, density });
}
function histogramddOf(input: Tensor, bins: number | readonly number[] | readonly Tensor[], opts: HistogramOpts): HistogramDD {
  const d = input.dtype;
  if (!d.is_floating_point) throw new Error(`"histogramdd" not implemented for '${scalarTypeName(d)}'`);
  if (input.ndim < 2) throw new Error(`torch.histogramdd: input tensor should have at least 2 dimensions, but got ${input.ndim}`);
  const N = input._shape[input.ndim - 1]!, M = input.numel() / Math.max(N, 1);
  const { weight = null, density = false, range = null } = opts;
  if (weight && (weight.ndim !== input.ndim - 1 || weight._shape.some((s, i) => s !== input._shape[i])))
    throw new Error(`torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got input with shape [${input.shape.join(", ")}] and weight with shape [${weight.shape.join(", ")}]`);
  const pts = K.values(input.contiguous()) as ArrayLike<number>, w = weight ? (K.values(weight.to(d).contiguous()) as ArrayLike<number>) : null;
  const r = d === float32 ? Math.fround : (x: number) => x;
  let edges: Tensor[], interpolate: boolean;
  if (typeof bins === "number" || (Array.isArray(bins) && typeof bins[0] === "number")) {
    const counts = typeof bins === "number" ? new Array<number>(N).fill(bins) : (bins as number[]);
    if (counts.length !== N) throw new Error(`torch.histogramdd: expected ${N} sequences of bin edges for each of the ${N} dimensions of the histogram but got ${counts.length}`);
    if (range && range.length !== 2 * N) throw new Error(`torch.histogramdd: for a ${N}-dimensional histogram range should have ${2 * N} elements, but got ${range.length}`);
    edges = counts.map((c, dim) => {
      if (!(c > 0)) throw new Error(`torch.histogram(): bins must be > 0, but got ${c} for dimension ${dim}`);
      let lo: number, hi: number;
      if (range) [lo, hi] = [range[2 * dim]!, range[2 * dim + 1]!];
      else if (M > 0) {
        lo = Infinity; hi = -Infinity;
        for (let i = 0; i < M; i++) { const v = pts[i * N + dim]!; if (v < lo) lo = v; if (v > hi) hi = v; }
      } else [lo, hi] = [0, 0];
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`torch.histogramdd: dimension ${dim}'s range [${fmt(lo)}, ${fmt(hi)}] is not finite`);
      if (!(lo <= hi)) throw new Error(`torch.histogramdd: min should not exceed max, but got min ${fmt(lo)} max ${fmt(hi)} for dimension ${dim}`);
      if (lo === hi) { lo -= 0.5; hi += 0.5; }
      return linspaceOf(lo, hi, c + 1, d);
    });
    interpolate = true;
  } else {
    edges = (bins as Tensor[]).map((e, dim) => {
      if (e.ndim !== 1) throw new Error(`torch.histogramdd: bins tensor should have one dimension, but got ${e.ndim} dimensions in the bins tensor for dimension ${dim}`);
      return e.to(d).contiguous();
    });
    interpolate = false;
  }
  const E = edges.map((e) => K.values(e) as ArrayLike<number>);
  const shape = E.map((e) => e.length - 1);
  const hist = new Float64Array(numel(shape));
  for (let i = 0; i < M; i++) {
    let at = 0, skip = false;
    for (let dim = 0; dim < N && !skip; dim++) {
      const e = E[dim]!, ne = e.length, v = pts[i * N + dim]!, lo = e[0]!, hi = e[ne - 1]!;
      if (!(v >= lo && v <= hi)) { skip = true; break; }
      let pos: number;
      if (interpolate) {
        pos = Math.trunc(r(r(r(v - lo) * (ne - 1)) / r(hi - lo)));
        pos = upperBound(e, v, Math.max(0, pos - 1), Math.min(pos + 2, ne)) - 1;
      } else pos = upperBound(e, v, 0, ne) - 1;
      if (pos === ne - 1) pos -= 1;
      at = at * shape[dim]! + pos;
    }
    if (!skip) hist[at] = r(hist[at]! + (w ? w[i]! : 1));
  }
  let h = Tensor.fromStorage(K.fromNumbers(hist, d), shape, d);
  if (density) {
    h = h.div(h.sum());
    edges.forEach((e, dim) => { h = h.div(e.diff().view(shape.map((s, k) => (k === dim ? s : 1)))); });
  }
  // (a tuple of tensors inside: printed as the array it is)
  return returnType(null, ["hist", "bin_edges"], [h, edges as unknown as Tensor]) as unknown as HistogramDD;
}
/** A double as C++'s ostream writes it in TORCH_CHECK's messages. */
const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
function upperBound(a: ArrayLike<number>, v: number, lo: number, hi: number): number {
  while (lo < hi) { const mid = (lo + hi) >> 1; if (v < a[mid]!) hi = mid; else lo = mid + 1; }
  return lo;
}
const linspaceOf = (lo: number, hi: number, steps: number, d: DType) => linspace(lo, hi, steps, { dtype: d });

/** torch.histogram(input, bins, *, range, weight, density): the one-dimensional histogramdd of
 *  input's elements; bins a count or the edges. */
export function histogram(input: Tensor, bins: number | Tensor = 100, opts: HistogramOpts = {}): Histogram {
  const [hist, [edges]] = histogramddOf(input.reshape(-1, 1), typeof bins === "number" ? bins : [bins], {
    ...opts, weight: opts.weight ? opts.weight.reshape(-1) : null,
  });
  if (opts.weight && opts.weight.numel() !== input.numel()) throw new Error(`torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got input with shape [${input.numel()}, 1] and weight with shape [${opts.weight.shape.join(", ")}]`);
  return returnType("histogram", ["hist", "bin_edges"], [hist, edges!]) as Histogram;
}

// ---- callbacks (CPU) --------------------------------------------------------------------------

/** apply_, map_, map2_: each of self's elements replaced, in order, by fn of it (and of other's,
 *  broadcast to self), read and written one at a time as PyTorch's loop does (so a tensor that
 *  repeats an element sees its own earlier writes); fn gets and returns JavaScript numbers
 *  (booleans for bool), a float truncated for an integer dtype. CPU only. */
function mapElements(name: string, self: Tensor, others: Tensor[], fn: (...v: (number | boolean)[]) => unknown): Tensor {
  if (self.device.type !== "cpu") throw new Error(`${name} is only implemented on CPU tensors`);
  if (is_grad_enabled() && [self, ...others].some((t) => t.requires_grad))
    throw new Error(`Can't call ${name}() on Variable that requires grad. Use var.detach().${name}() instead.`);
  const args = others.map((o) => K.values(o.expand(self.shape.slice()).contiguous()) as ArrayLike<number | bigint>);
  const { read, write } = elementAccess(self.dtype, self._storage.data);
  const shape = self._shape, strides = self._strides, n = self.numel(), idx = new Array<number>(shape.length).fill(0);
  const isBool = self.dtype === bool, arg = (a: ArrayLike<number | bigint>, k: number) => (isBool ? a[k] !== 0 : Number(a[k]));
  for (let k = 0, pos = self._offset; k < n; k++) {
    const v = fn(isBool ? read(pos) !== 0 : read(pos), ...args.map((a) => arg(a, k)));
    if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`must be real number, not ${pyTypeName(v)}`);
    write(pos, Number(v));
    for (let d = shape.length - 1; d >= 0; d--) { // (the next element's position, last dim fastest)
      pos += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      pos -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  self._bumpVersion();
  return self;
}
/** Reading and writing one element of a CPU storage array as a number (16-bit floats through their
 *  bits, int64 through BigInt, integers truncated as C casts a double). */
function elementAccess(d: DType, data: unknown): { read: (i: number) => number; write: (i: number, v: number) => void } {
  const a = data as Record<number, number | bigint>;
  switch (d.name) {
    case "float16": return { read: (i) => halfToFloat(a[i] as number), write: (i, v) => { a[i] = floatToHalf(v); } };
    case "bfloat16": return { read: (i) => bf16ToFloat(a[i] as number), write: (i, v) => { a[i] = floatToBf16(v); } };
    case "int64": return { read: (i) => Number(a[i]), write: (i, v) => { a[i] = BigInt(Math.trunc(v)); } };
    case "bool": return { read: (i) => a[i] as number, write: (i, v) => { a[i] = v !== 0 ? 1 : 0; } };
    default: return { read: (i) => a[i] as number, write: (i, v) => { a[i] = d.is_floating_point ? v : Math.trunc(v); } };
  }
}
const apply_ = (self: Tensor, callable: (v: number) => number) => mapElements("apply_", self, [], callable as (...v: unknown[]) => unknown);
function map_(self: Tensor, other: Tensor, callable: (a: number, b: number) => number): Tensor {
  if (other.dtype !== self.dtype) throw new TypeError(`map_: expected ${self.type()} for 'other' (got ${other.type()})`);
  return mapElements("map_", self, [other], callable as (...v: unknown[]) => unknown);
}
function map2_(self: Tensor, x: Tensor, y: Tensor, callable: (a: number, b: number, c: number) => number): Tensor {
  for (const [t, n] of [[x, "x"], [y, "y"]] as const)
    if (t.dtype !== self.dtype) throw new TypeError(`map2_: expected ${self.type()} for argument '${n}' (got ${t.type()})`);
  return mapElements("map2_", self, [x, y], callable as (...v: unknown[]) => unknown);
}

// ---- the legacy forms ----------------------------------------------------------------------------

/** Tensor.new(...) (legacy): the legacy constructor (torch.Tensor(...)'s) with self's dtype. */
const new_ = (self: Tensor, ...args: unknown[]) => legacyNew(self.dtype, args);
/** Tensor.resize(*sizes) (deprecated): a tensor of the new shape and the same elements, by
 *  torch.autograd._functions.Resize (ResizeBackward). */
function resize(self: Tensor, ...sizes: (number | number[])[]): Tensor {
  warnOnce("non-inplace resize is deprecated");
  const shape = parseSize(sizes);
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== self.numel())
    throw new Error(`requested resize to ${shape.join("x")} (${n} elements in total), but the given tensor has a size of ${self.shape.join("x")} (${self.numel()} elements). autograd's resize can only change the shape of a given tensor, while preserving the number of elements. `);
  return recordComposite("ResizeBackward", [self], (x) => x.contiguous().view(shape));
}
const resize_as = (self: Tensor, tensor: Tensor) => resize(self, tensor.shape.slice());

// ---- introspection ----------------------------------------------------------------------------

/** Tensor.dim_order(): the dims from outermost to innermost in memory (torch._prims_common's
 *  compute_elementwise_output_logical_to_physical_perm: an insertion sort by stride, zero strides
 *  not compared, equal strides ordered by size). */
function dim_order(self: Tensor): number[] {
  const n = self.ndim, st = self._strides, sh = self._shape;
  const shouldSwap = (a: number, b: number) => {
    if (st[a] === 0 || st[b] === 0) return 0;
    if (st[a]! < st[b]!) return -1;
    if (st[a]! > st[b]!) return 1;
    return sh[a]! > sh[b]! ? 1 : 0;
  };
  const perm = [...Array(n).keys()].reverse();
  for (let i = 1; i < n; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) { [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!]; d1 = d0; } else if (c < 0) break;
    }
  }
  return perm.reverse();
}

const is_signed = (input: Tensor) => input.dtype.is_signed;
const is_same_size = (input: Tensor, other: Tensor) => input._shape.length === other._shape.length && input._shape.every((s, i) => s === other._shape[i]);
/** -1 on the CPU, the device's index elsewhere (as for CUDA). */
const get_device = (input: Tensor) => (input.device.type === "cpu" ? -1 : input.device.index ?? 0);

installMethods({
  addmm_, addmv_, addbmm_, baddbmm_, addr_, cumsum_, cumprod_, igamma_, igammac_, fill_diagonal_, put_, put,
  log_normal_, geometric_, as_strided_, as_strided_scatter, resize_as_, set_, split_with_sizes, unsafe_split,
  unsafe_split_with_sizes, unsafe_chunk, hardshrink, prelu, new_empty_strided, nonzero_static, histogram,
});
installMethods({ new: new_, resize, resize_as }, false);
installMethods({
  apply_, map_, map2_, is_signed, is_same_size, get_device, dim_order, is_set_to,
  is_neg: () => false, is_conj: () => false, resolve_neg: (self: Tensor) => self, resolve_conj: (self: Tensor) => self,
  is_pinned: () => false,
  pin_memory: () => { throw new Error("Cannot access accelerator device when none is available."); },
}, false);

/** torch.layout: how a tensor's elements are laid out; typetorch's are all torch.strided. */
export class layout {
  constructor(readonly name: string) {}
  toString(): string { return `torch.${this.name}`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}
export const strided = new layout("strided");

const getters: Record<string, (t: Tensor) => unknown> = {
  itemsize: (t) => t.dtype.itemsize, nbytes: (t) => t.numel() * t.dtype.itemsize, output_nr: (t) => t._output_nr, layout: () => strided,
  is_sparse: () => false, is_sparse_csr: () => false, is_quantized: () => false, is_nested: () => false, is_mkldnn: () => false,
};
for (const [name, get] of Object.entries(getters))
  Object.defineProperty(Tensor.prototype, name, { get(this: Tensor) { return get(this); }, configurable: true });

declare module "../core/tensor.js" {
  interface Tensor {
    addmm_(mat1: Tensor, mat2: Tensor, opts?: MatOpts): Tensor; addmv_(mat: Tensor, vec: Tensor, opts?: MatOpts): Tensor;
    addbmm_(batch1: Tensor, batch2: Tensor, opts?: MatOpts): Tensor; baddbmm_(batch1: Tensor, batch2: Tensor, opts?: MatOpts): Tensor;
    addr_(vec1: Tensor, vec2: Tensor, opts?: MatOpts): Tensor;
    cumsum_(dim: number, opts?: { dtype?: DType }): Tensor; cumprod_(dim: number, opts?: { dtype?: DType }): Tensor;
    igamma_(other: Tensor): Tensor; igammac_(other: Tensor): Tensor;
    fill_diagonal_(fill_value: Scalar, wrap?: boolean): Tensor;
    put_(index: Tensor, source: Tensor, accumulate?: boolean): Tensor; put(index: Tensor, source: Tensor, accumulate?: boolean): Tensor;
    log_normal_(mean?: number, std?: number, opts?: GenOpts): Tensor; geometric_(p: number, opts?: GenOpts): Tensor;
    as_strided_(size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor;
    as_strided_scatter(src: Tensor, size: readonly number[], stride: readonly number[], storage_offset?: number): Tensor;
    resize_as_(other: Tensor): Tensor; set_(source?: Tensor): Tensor; is_set_to(tensor: Tensor): boolean;
    split_with_sizes(split_sizes: number[], dim?: number): Tensor[];
    unsafe_split(split_size: number, dim?: number): Tensor[]; unsafe_split_with_sizes(split_sizes: number[], dim?: number): Tensor[];
    unsafe_chunk(chunks: number, dim?: number): Tensor[];
    hardshrink(lambd?: number): Tensor; prelu(weight: Tensor): Tensor;
    new_empty_strided(size: number[], stride: number[], opts?: TensorOptions): Tensor;
    nonzero_static(opts: { size: number; fill_value?: number }): Tensor;
    histogram(bins: number | Tensor, opts?: HistogramOpts): Histogram;
    apply_(callable: (v: number) => number): Tensor; map_(other: Tensor, callable: (a: number, b: number) => number): Tensor;
    map2_(x: Tensor, y: Tensor, callable: (a: number, b: number, c: number) => number): Tensor;
    /** the legacy constructor with this tensor's dtype: x.new(2, 3), x.new([1, 2]) */
    "new"(...args: unknown[]): Tensor;
    /** @deprecated Tensor.resize: write reshape or view */ resize(...sizes: (number | number[])[]): Tensor;
    /** @deprecated Tensor.resize_as: write reshape_as or view_as */ resize_as(tensor: Tensor): Tensor;
    is_signed(): boolean; is_same_size(other: Tensor): boolean; get_device(): number; dim_order(): number[];
    is_neg(): boolean; is_conj(): boolean; resolve_neg(): Tensor; resolve_conj(): Tensor; is_pinned(): boolean; pin_memory(): Tensor;
    readonly itemsize: number; readonly nbytes: number; readonly output_nr: number; readonly layout: layout;
    readonly is_sparse: boolean; readonly is_sparse_csr: boolean; readonly is_quantized: boolean; readonly is_nested: boolean; readonly is_mkldnn: boolean;
  }
}
