// torch.* functions of PyTorch's public API beside the op modules' own: factories with explicit
// strides (empty_strided, empty_permuted, asarray), the window functions, gradient, pdist,
// rms_norm, the ATen forms of nn.functional's ops (torch.dropout, torch.batch_norm, the losses with
// an integer reduction …), the *_copy forms of the view ops, the recurrent cells, and the global
// settings real scripts set (use_deterministic_algorithms, set_float32_matmul_precision …).

import { Tensor, legacyName } from "../core/tensor.js";
import { type DType, type Scalar, cppTypeName, dtypes, get_default_dtype, scalarTypeName, set_default_dtype } from "../core/dtype.js";
import { numel, normDim, checkSizeNonNegative, contiguousStrides, parseSize } from "../core/shape.js";
import { type Device, device as toDevice, checkAvailable, _setDefaultDevice, _defaultDevice } from "../core/device.js";
import { pyTypeName } from "../core/printing.js";
import { warnOnce } from "../core/warnings.js";
import { get_num_threads } from "../backends/index.js";
import { recordComposite } from "../autograd/record.js";
import { pyError } from "./util.js";
import { finishOpts, factoryDevice } from "./_helpers.js";
import { arange, ones, empty, tensor, type TensorOptions } from "./creation.js";
import { cat, vstack } from "./indexing.js";
import * as V from "./views.js";
import { triu_indices } from "./shape_ops.js";
import { i0 } from "./special_ops.js";
import { pad } from "./padding.js";
import { vector_norm, matrix_norm } from "./norms.js";
import { batch_norm as F_batch_norm, instance_norm as F_instance_norm } from "./normalization.js";
import { grid_sample, affine_grid } from "./grid_sample.js";
import { pieces } from "./extra_ops.js";
import * as F from "../nn/functional.js";
import { rnnCellStep } from "../nn/rnn.js";
export { rms_norm } from "./rms_norm.js";
export { ctc_loss_aten as ctc_loss } from "../nn/ctc.js";

// ---- factories -------------------------------------------------------------------------------

/** torch.empty_strided(size, stride, *, dtype, device, requires_grad): a tensor of that geometry
 *  over a storage just large enough for it. */
export function empty_strided(size: readonly number[], stride: readonly number[], opts: TensorOptions = {}): Tensor {
  const shape = parseSize([size as number[]]);
  checkSizeNonNegative(shape);
  if (stride.length !== shape.length) throw new Error(`dimensionality of sizes (${shape.length}) must match dimensionality of strides (${stride.length})`);
  const extent = numel(shape) === 0 ? 0 : 1 + shape.reduce((a, s, i) => a + (s - 1) * stride[i]!, 0);
  const d = opts.dtype ?? get_default_dtype(), dev = factoryDevice(opts);
  const storage = Tensor.empty([extent], d, dev)._storage;
  return finishOpts(new Tensor(storage, shape, stride.slice(), 0, d, dev), { ...opts, dtype: undefined, device: dev ?? "cpu" });
}

/** torch.empty_permuted(size, physical_layout, *, …): a tensor of `size` whose dims lie in memory
 *  in the order physical_layout gives, outermost first. */
export function empty_permuted(size: readonly number[], physical_layout: readonly number[], opts: TensorOptions = {}): Tensor {
  if (size.length !== physical_layout.length)
    throw new Error(`Number of dimensions in size does not match the length of the physical_layout; i.e. len(size) = ${size.length} is not equal to len(physical_layout) = ${physical_layout.length}`);
  const seen = new Set<number>();
  for (const d of physical_layout) {
    if (d < 0 || d >= size.length || seen.has(d)) throw new Error(`Dimension ${d} appears multiple times in physical_layout or is out of range`);
    seen.add(d);
  }
  const physStrides = contiguousStrides(physical_layout.map((d) => size[d]!));
  const strides = new Array<number>(size.length);
  physical_layout.forEach((d, i) => { strides[d] = physStrides[i]!; });
  return empty_strided(size, strides, opts);
}

/** torch.asarray(obj, *, dtype, device, copy, requires_grad): obj itself where it is a tensor that
 *  needs no conversion (and copy is not true), a converted or copied tensor otherwise. */
export function asarray(obj: unknown, opts: TensorOptions & { copy?: boolean | null } = {}): Tensor {
  const { copy = null, dtype, device, requires_grad = false } = opts;
  if (obj instanceof Tensor) {
    if (copy === false && dtype && dtype !== obj.dtype)
      throw pyError("ValueError", `can't alias tensor with dtype '${scalarTypeName(obj.dtype)}' into dtype '${scalarTypeName(dtype)}'.`);
    if (copy === false && device && String(toDevice(device)) !== String(obj.device))
      throw pyError("ValueError", `can't alias tensor on device '${obj.device}' into device '${toDevice(device)}'.`);
    let t = obj.to(device ? toDevice(device) : obj.device, dtype ?? obj.dtype);
    if (copy === true && t === obj) t = obj.clone();
    return requires_grad ? t.requires_grad_(true) : t;
  }
  return tensor(obj as Parameters<typeof tensor>[0], { dtype, device, requires_grad });
}

export const row_stack = (tensors: readonly Tensor[]) => vstack(tensors);
export const split_with_sizes = (input: Tensor, split_sizes: number[], dim = 0) => V.split(input, split_sizes, dim);

// ---- window functions ------------------------------------------------------------------------
// (TensorFactories.cpp: computed in the dtype, op by op, as PyTorch computes them)

type WindowOpts = TensorOptions;
function windowChecks(name: string, window_length: number, o: WindowOpts): DType {
  const d = o.dtype ?? get_default_dtype();
  if (!d.is_floating_point)
    throw new Error(`${name} expects floating point dtypes, got: TensorOptions(dtype=${cppTypeName(d)}, device=cpu, layout=Strided (default), requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))`);
  if (window_length < 0) throw new Error(`${name} requires non-negative window_length, got window_length=${window_length}`);
  return d;
}
/** The window of `len` (+1 when periodic, then the last dropped), from `f` of arange(len) and len;
 *  lengths 0 and 1 are empty and [1]. */
function windowOf(name: string, window_length: number, periodic: boolean, o: WindowOpts, f: (n: Tensor, len: number) => Tensor): Tensor {
  const d = windowChecks(name, window_length, o);
  const opts = { ...o, dtype: d, requires_grad: false };
  let w: Tensor;
  if (window_length === 0) w = empty([0], opts);
  else if (window_length === 1) w = ones([1], opts);
  else {
    const len = periodic ? window_length + 1 : window_length;
    w = f(arange(len, opts), len);
    if (periodic) w = w.narrow(0, 0, len - 1).clone();
  }
  return o.requires_grad ? w.requires_grad_(true) : w;
}
type PeriodicOpts = WindowOpts & { periodic?: boolean };

export function hamming_window(window_length: number, periodic: boolean | WindowOpts = true, alpha: number | WindowOpts = 0.54, beta: number | WindowOpts = 0.46, opts: WindowOpts = {}): Tensor {
  [periodic, alpha, beta, opts] = trailing([periodic, alpha, beta], [true, 0.54, 0.46], opts) as [boolean, number, number, WindowOpts];
  return hammingOf("hamming_window", window_length, periodic, alpha, beta, opts);
}
function hammingOf(name: string, window_length: number, periodic: boolean, alpha: number, beta: number, o: WindowOpts): Tensor {
  return windowOf(name, window_length, periodic, o, (n, len) => n.mul(Math.PI * 2 / (len - 1)).cos().mul(-beta).add(alpha));
}
export function hann_window(window_length: number, periodic: boolean | WindowOpts = true, opts: WindowOpts = {}): Tensor {
  [periodic, opts] = trailing([periodic], [true], opts) as [boolean, WindowOpts];
  windowChecks("hann_window", window_length, opts);
  return hammingOf("hann_window", window_length, periodic, 0.5, 0.5, opts);
}
export function blackman_window(window_length: number, periodic: boolean | WindowOpts = true, opts: WindowOpts = {}): Tensor {
  [periodic, opts] = trailing([periodic], [true], opts) as [boolean, WindowOpts];
  return windowOf("blackman_window", window_length, periodic, opts, (n, len) => {
    const w = n.mul(Math.PI / (len - 1));
    return w.mul(4).cos().mul(0.08).sub(w.mul(2).cos().mul(0.5)).add(0.42);
  });
}
export function bartlett_window(window_length: number, periodic: boolean | WindowOpts = true, opts: WindowOpts = {}): Tensor {
  [periodic, opts] = trailing([periodic], [true], opts) as [boolean, WindowOpts];
  return windowOf("bartlett_window", window_length, periodic, opts, (n, len) => {
    const w = n.mul(2 / (len - 1)), half = ((len - 1) >> 1) + 1;
    return cat([w.narrow(0, 0, half), w.narrow(0, half, len - half).mul(-1).add(2)]);
  });
}
export function kaiser_window(window_length: number, periodic: boolean | WindowOpts = true, beta: number | WindowOpts = 12, opts: WindowOpts = {}): Tensor {
  [periodic, beta, opts] = trailing([periodic, beta], [true, 12], opts) as [boolean, number, WindowOpts];
  const b = beta;
  return windowOf("kaiser_window", window_length, periodic, opts, (n, len) => {
    const alpha = (len - 1) / 2;
    const x = n.sub(alpha).div(alpha).pow(2).neg().add(1).abs().sqrt().mul(b);
    return i0(x).div(i0(tensor(b, { dtype: n.dtype })));
  });
}
/** The positional parameters given, each its default where an options object came first, and the
 *  options object. */
function trailing(args: unknown[], defaults: unknown[], opts: WindowOpts): unknown[] {
  const k = args.findIndex((a) => typeof a === "object" && a !== null);
  if (k < 0) return [...args, opts];
  return [...args.slice(0, k), ...defaults.slice(k), args[k]];
}

// ---- numerical --------------------------------------------------------------------------------

/** torch.gradient(input, *, spacing=1, dim=None, edge_order=1): the derivative along each dim by
 *  central differences inside and one-sided ones (first or second order) at the edges; spacing a
 *  number, a number per dim, or each dim's coordinates. */
export function gradient(input: Tensor, opts: { spacing?: Scalar | readonly Scalar[] | readonly Tensor[]; dim?: number | readonly number[] | null; edge_order?: number } = {}): Tensor[] {
  const { spacing = 1, dim = null, edge_order = 1 } = opts;
  const dims = dim === null ? [...input.shape.keys()] : (typeof dim === "number" ? [dim] : dim).map((d) => normDim(d, input.ndim));
  if (edge_order !== 1 && edge_order !== 2) throw new Error("torch.gradient only supports edge_order=1 and edge_order=2.");
  const sp = Array.isArray(spacing) ? spacing : dims.map(() => spacing);
  if (sp.length !== dims.length)
    throw new Error(`torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have the same length, but got a spacing argument of length ${sp.length} and a dim argument of length ${dims.length}.`);
  for (const d of dims)
    if (input.shape[d]! < edge_order + 1)
      throw new Error("torch.gradient expected each dimension size to be at least edge_order+1");
  const sl = (d: number, start: number, end?: number) => V.slice(input, d, start, end ?? null);
  return dims.map((d, i) => {
    const h = sp[i]!;
    let center: Tensor, prepend: Tensor, append: Tensor;
    if (h instanceof Tensor) {
      if (h.ndim !== 1) throw new Error(`torch.gradient expected each element of spacing to have one dimension, but got an element with ${h.ndim} dimensions!`);
      const shape = input.shape.map((_, k) => (k === d ? -1 : 1));
      const dx = h.diff(1, 0), dx1 = V.slice(dx, 0, 0, -1), dx2 = V.slice(dx, 0, 1, null);
      const a = dx2.neg().div(dx1.mul(dx1.add(dx2))).reshape(shape);
      const b = dx2.sub(dx1).div(dx1.mul(dx2)).reshape(shape);
      const c = dx1.div(dx2.mul(dx1.add(dx2))).reshape(shape);
      center = a.mul(sl(d, 0, -2)).add(b.mul(sl(d, 1, -1))).add(c.mul(sl(d, 2)));
      const at = (k: number) => dx.select(0, k < 0 ? dx.shape[0]! + k : k);
      if (edge_order === 1) {
        prepend = sl(d, 1, 2).sub(sl(d, 0, 1)).div(at(0));
        append = sl(d, -1).sub(sl(d, -2, -1)).div(at(-1));
      } else {
        const [d0, d1, e1, e2] = [at(0), at(1), at(-1), at(-2)];
        prepend = d0.mul(2).add(d1).div(d0.mul(d0.add(d1))).neg().mul(sl(d, 0, 1))
          .add(d0.add(d1).div(d0.mul(d1)).mul(sl(d, 1, 2))).add(d0.neg().div(d1.mul(d0.add(d1))).mul(sl(d, 2, 3)));
        append = e1.div(e2.mul(e1.add(e2))).mul(sl(d, -3, -2))
          .add(e1.add(e2).div(e1.mul(e2)).neg().mul(sl(d, -2, -1))).add(e1.mul(2).add(e2).div(e1.mul(e1.add(e2))).mul(sl(d, -1)));
      }
    } else {
      const dx = Number(h);
      center = sl(d, 2).sub(sl(d, 0, -2)).div(dx).div(2);
      if (edge_order === 1) {
        prepend = sl(d, 1, 2).sub(sl(d, 0, 1)).div(dx);
        append = sl(d, -1).sub(sl(d, -2, -1)).div(dx);
      } else {
        prepend = sl(d, 0, 1).mul(-1.5).add(sl(d, 1, 2).mul(2)).sub(sl(d, 2, 3).mul(0.5)).div(dx);
        append = sl(d, -3, -2).mul(0.5).sub(sl(d, -2, -1).mul(2)).add(sl(d, -1).mul(1.5)).div(dx);
      }
    }
    return cat([prepend, center, append], d);
  });
}

/** torch.pdist(input, p=2): the p-norm distances between the rows of a 2-d input, pair (i, j) for
 *  i < j in row-major order. */
export function pdist(input: Tensor, p = 2): Tensor {
  if (input.ndim !== 2) throw new Error(`pdist only supports 2D tensors, got: ${input.ndim}D`);
  if (!input.dtype.is_floating_point) throw new Error("pdist only supports floating-point dtypes");
  if (!(p >= 0)) throw new Error("pdist only supports non-negative p values");
  const n = input.shape[0]!, [i, j] = triu_indices(n, n, 1).unbind(0) as [Tensor, Tensor];
  return recordComposite("PdistBackward0", [input], (x) => vector_norm(x.index_select(0, i).sub(x.index_select(0, j)), p, 1));
}

/** torch.frobenius_norm(input, dim, keepdim=False): the 2-norm over dims. */
export const frobenius_norm = (input: Tensor, dim: readonly number[], keepdim = false) => {
  if (dim.length > 2) throw new Error(`Expected at most 2 dimensions, but got ${dim.length} dimensions instead.`);
  return vector_norm(input, 2, dim as number[], keepdim);
};
/** torch.nuclear_norm(input, keepdim=False) / nuclear_norm(input, dim, keepdim=False). */
export function nuclear_norm(input: Tensor, dim?: readonly number[] | boolean, keepdim = false): Tensor {
  if (typeof dim === "boolean" || dim === undefined) return matrix_norm(input, "nuc", [-2, -1], dim ?? false);
  if (dim.length !== 2) throw new Error(`nuclear norm requires a 'dim' argument of size 2. Got 'dim=[${dim.join(", ")}]'`);
  return matrix_norm(input, "nuc", dim as number[], keepdim);
}

export const constant_pad_nd = (input: Tensor, padding: readonly number[], value: Scalar = 0) => pad(input, padding, "constant", Number(value));

// ---- ATen forms of nn.functional's ops -------------------------------------------------------

/** PyTorch's at::Reduction enum, as the ATen losses take it. */
const REDUCTION = ["none", "mean", "sum"] as const;
const reductionOf = (r: number) => REDUCTION[r] ?? (() => { throw new Error(`${r} is not a valid value for reduction`); })();

export const dropout = (input: Tensor, p: number, train: boolean) => F.dropout(input, p, train);
export const dropout_ = (input: Tensor, p: number, train: boolean) => F.dropout(input, p, train, true);
export const feature_dropout = (input: Tensor, p: number, train: boolean) => F.featureDropout(input, p, train, false);
export const feature_dropout_ = (input: Tensor, p: number, train: boolean) => F.featureDropout(input, p, train, true);
export const alpha_dropout = (input: Tensor, p: number, train: boolean) => F.alphaDropout(input, p, train, false, false);
export const alpha_dropout_ = (input: Tensor, p: number, train: boolean) => F.alphaDropout(input, p, train, false, true);
export const feature_alpha_dropout = (input: Tensor, p: number, train: boolean) => F.alphaDropout(input, p, train, true, false);
export const feature_alpha_dropout_ = (input: Tensor, p: number, train: boolean) => F.alphaDropout(input, p, train, true, true);

export const batch_norm = (input: Tensor, weight: Tensor | null, bias: Tensor | null, running_mean: Tensor | null, running_var: Tensor | null,
  training: boolean, momentum: number, eps: number, _cudnn_enabled: boolean) =>
  F_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps);
export const instance_norm = (input: Tensor, weight: Tensor | null, bias: Tensor | null, running_mean: Tensor | null, running_var: Tensor | null,
  use_input_stats: boolean, momentum: number, eps: number, _cudnn_enabled: boolean) =>
  F_instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps);
export const bilinear = (input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null) => F.bilinear(input1, input2, weight, bias);
/** torch.embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False): the
 *  weight first, a padding_idx of -1 for none. */
export const embedding = (weight: Tensor, indices: Tensor, padding_idx = -1, scale_grad_by_freq = false, sparse = false) =>
  F.embedding(indices, weight, padding_idx === -1 ? null : padding_idx, null, 2, scale_grad_by_freq, sparse);
export const binary_cross_entropy_with_logits = (input: Tensor, target: Tensor, weight: Tensor | null = null, pos_weight: Tensor | null = null, reduction = 1) =>
  F.binary_cross_entropy_with_logits(input, target, { weight, pos_weight, reduction: reductionOf(reduction) });
export const kl_div = (input: Tensor, target: Tensor, reduction: number | { log_target?: boolean } = 1, opts: { log_target?: boolean } = {}) => {
  if (typeof reduction === "object") [reduction, opts] = [1, reduction];
  return F.kl_div(input, target, { reduction: reductionOf(reduction), log_target: opts.log_target ?? false });
};
export const cosine_embedding_loss = (input1: Tensor, input2: Tensor, target: Tensor, margin = 0, reduction = 1) =>
  F.cosine_embedding_loss(input1, input2, target, { margin, reduction: reductionOf(reduction) });
export const hinge_embedding_loss = (input: Tensor, target: Tensor, margin = 1, reduction = 1) =>
  F.hinge_embedding_loss(input, target, { margin, reduction: reductionOf(reduction) });
export const margin_ranking_loss = (input1: Tensor, input2: Tensor, target: Tensor, margin = 0, reduction = 1) =>
  F.margin_ranking_loss(input1, input2, target, { margin, reduction: reductionOf(reduction) });
export const poisson_nll_loss = (input: Tensor, target: Tensor, log_input: boolean, full: boolean, eps: number, reduction: number) =>
  F.poisson_nll_loss(input, target, { log_input, full, eps, reduction: reductionOf(reduction) });
export const triplet_margin_loss = (anchor: Tensor, positive: Tensor, negative: Tensor, margin = 1, p = 2, eps = 1e-6, swap = false, reduction = 1) =>
  F.triplet_margin_loss(anchor, positive, negative, { margin, p, eps, swap, reduction: reductionOf(reduction) });
/** torch.embedding_renorm_(weight, indices, max_norm, norm_type): the rows of weight that indices
 *  name, rescaled in place to norm at most max_norm (F.embedding's max_norm). */
export const embedding_renorm_ = (weight: Tensor, indices: Tensor, max_norm: number, norm_type: number) => F.embedding_renorm_(weight, indices, max_norm, norm_type);
export const celu_ = (input: Tensor, alpha = 1) => F.celu_(input, alpha);
export const selu_ = (input: Tensor) => F.selu_(input);
export const rrelu_ = (input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false) => F.rrelu_(input, lower, upper, training);
export const threshold_ = (input: Tensor, threshold: number, value: number) => F.threshold_(input, threshold, value);
export const zero_ = (input: Tensor) => input.zero_();

export const rnn_tanh_cell = (input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null = null, b_hh: Tensor | null = null) =>
  rnnCellStep("RNN_TANH", input, hx, w_ih, w_hh, b_ih, b_hh) as Tensor;
export const rnn_relu_cell = (input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null = null, b_hh: Tensor | null = null) =>
  rnnCellStep("RNN_RELU", input, hx, w_ih, w_hh, b_ih, b_hh) as Tensor;
export const gru_cell = (input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null = null, b_hh: Tensor | null = null) =>
  rnnCellStep("GRU", input, hx, w_ih, w_hh, b_ih, b_hh) as Tensor;
export function lstm_cell(input: Tensor, hx: readonly Tensor[], w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null = null, b_hh: Tensor | null = null): [Tensor, Tensor] {
  if (hx.length !== 2) throw new Error("lstm_cell expects two hidden states");
  return rnnCellStep("LSTM", input, [hx[0]!, hx[1]!], w_ih, w_hh, b_ih, b_hh) as [Tensor, Tensor];
}

// ---- *_copy: the view ops, returning a copy ------------------------------------------------------
// (functionalization's forms: the view's elements in a tensor of their own, with a node of the
// copy's own name, ViewCopyBackward0 …)

function copyOf<A extends unknown[]>(node: string | ((...a: A) => string), view: (x: Tensor, ...a: A) => Tensor): (input: Tensor, ...a: A) => Tensor {
  return (input, ...a) => recordComposite(`${typeof node === "string" ? node : node(...a)}_copy`, [input], (x) => view(x, ...a).contiguous().clone());
}
export const view_copy = copyOf("ViewBackward0", (x, ...size: (number | number[])[]) => V.view(x, ...size));
export const permute_copy = copyOf("PermuteBackward0", (x, dims: number[]) => V.permute(x, dims));
export const transpose_copy = copyOf("TransposeBackward0", (x, dim0: number, dim1: number) => V.transpose(x, dim0, dim1));
export const t_copy = copyOf("TBackward0", (x) => V.t(x));
export const expand_copy = copyOf("ExpandBackward0", (x, size: number[], _opts?: { implicit?: boolean }) => V.expand(x, size));
export const squeeze_copy = copyOf((dim?: number | number[] | null) => (dim === undefined || dim === null ? "SqueezeBackward0" : Array.isArray(dim) ? "SqueezeBackward2" : "SqueezeBackward1"),
  (x, dim?: number | number[] | null) => V.squeeze(x, dim));
export const unsqueeze_copy = copyOf("UnsqueezeBackward0", (x, dim: number) => V.unsqueeze(x, dim));
export const diagonal_copy = copyOf("DiagonalBackward0", (x, offset: number = 0, dim1: number = 0, dim2: number = 1) => V.diagonal(x, offset, dim1, dim2));
export const select_copy = copyOf("SelectBackward0", (x, dim: number, index: number) => V.select(x, dim, index));
export const slice_copy = copyOf("SliceBackward0", (x, dim: number = 0, start: number | null = null, end: number | null = null, step: number = 1) => V.slice(x, dim, start, end, step));
export const detach_copy = (input: Tensor) => V.detach(input).clone();
export const alias_copy = copyOf("AliasBackward0", (x) => x);
export const as_strided_copy = copyOf("AsStridedBackward0", (x, size: number[], stride: number[], storage_offset?: number) => V.as_strided(x, size, stride, storage_offset));
export const unfold_copy = copyOf("UnfoldBackward0", (x, dimension: number, size: number, step: number) => V.unfold(x, dimension, size, step));
export const split_copy = (input: Tensor, split_size: number, dim = 0) => pieces(input, "SplitBackward0_copy", split_size, dim, false);
export const split_with_sizes_copy = (input: Tensor, split_sizes: number[], dim = 0) => pieces(input, "SplitWithSizesBackward0_copy", split_sizes, dim, false);
export const unbind_copy = (input: Tensor, dim = 0) => pieces(input, "UnbindBackward0_copy", 1, dim, false, true);

// ---- global settings ----------------------------------------------------------------------------

const settings = { deterministic: false, warnOnly: false, matmulPrecision: "highest", interopThreads: 0 };

/** torch.use_deterministic_algorithms(mode, *, warn_only=False): typetorch's kernels are all
 *  deterministic, so the flag is only kept, for are_deterministic_algorithms_enabled. */
export function use_deterministic_algorithms(mode: boolean, opts: { warn_only?: boolean } = {}): void {
  settings.deterministic = mode; settings.warnOnly = opts.warn_only ?? false;
}
export const are_deterministic_algorithms_enabled = () => settings.deterministic;
export const is_deterministic_algorithms_warn_only_enabled = () => settings.warnOnly;

/** torch.set_float32_matmul_precision("highest" | "high" | "medium"): typetorch always computes
 *  float32 matmuls in float32 ("highest"); the setting is kept for get_float32_matmul_precision. */
export function set_float32_matmul_precision(precision: string): void {
  if (!["highest", "high", "medium"].includes(precision))
    warnOnce(`${precision} is not one of 'highest', 'high', or 'medium'; the currentsetFloat32MatmulPrecision call has no effect.`);
  else settings.matmulPrecision = precision;
}
export const get_float32_matmul_precision = () => settings.matmulPrecision;

/** torch.get_num_interop_threads / set_num_interop_threads: the threads that run independent ops
 *  side by side (typetorch runs one op at a time; the number is kept). */
export const get_num_interop_threads = () => settings.interopThreads || get_num_threads();
export function set_num_interop_threads(n: number): void {
  if (!(n > 0)) throw new Error("Expected positive number of threads");
  settings.interopThreads = n;
}
export { set_warn_always, is_warn_always_enabled } from "../core/warnings.js";

// (the torch.* forms of Tensor methods)
export const addmv_ = (input: Tensor, mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }) => input.addmv_(mat, vec, opts);
export const as_strided_ = (input: Tensor, size: number[], stride: number[], storage_offset?: number) => input.as_strided_(size, stride, storage_offset);
export const resize_as_ = (input: Tensor, the_template: Tensor) => input.resize_as_(the_template);
export const unsafe_chunk = (input: Tensor, chunks: number, dim = 0) => input.unsafe_chunk(chunks, dim);
export const unsafe_split = (input: Tensor, split_size: number, dim = 0) => input.unsafe_split(split_size, dim);
export const unsafe_split_with_sizes = (input: Tensor, split_sizes: number[], dim = 0) => input.unsafe_split_with_sizes(split_sizes, dim);
export const is_neg = (input: Tensor) => input.is_neg();
export const resolve_neg = (input: Tensor) => input.resolve_neg();
/** torch.fill(input, value): a copy of input with every element value. */
export const fill = (input: Tensor, value: Scalar | Tensor) => input.clone().fill_(value as Scalar);

/** torch.set_flush_denormal(mode): whether the mode could be set. JavaScript's arithmetic keeps
 *  denormal floats, so turning flushing off succeeds and turning it on fails, as PyTorch answers on
 *  a CPU without the support. */
export const set_flush_denormal = (mode: boolean) => !mode;
const debugModes = ["default", "warn", "error"] as const;
/** torch.set_deterministic_debug_mode(mode) / get_deterministic_debug_mode(): the same flags as
 *  use_deterministic_algorithms, as 0 (off), 1 (warn) and 2 (error), or their names. */
export function set_deterministic_debug_mode(mode: number | string): void {
  const m = typeof mode === "string" ? debugModes.indexOf(mode as (typeof debugModes)[number]) : mode;
  if (typeof mode === "string" && m < 0) throw new Error(`invalid value of debug_mode, expected one of \`default\`, \`warn\`, \`error\`, but got ${mode}`);
  if (m !== 0 && m !== 1 && m !== 2) throw new Error(`invalid value of debug_mode, expected 0, 1, or 2, but got ${mode}`);
  use_deterministic_algorithms(m !== 0, { warn_only: m === 1 });
}
export const get_deterministic_debug_mode = () => (!settings.deterministic ? 0 : settings.warnOnly ? 1 : 2);

/** torch.solve, eig, lstsq, symeig and matrix_rank: removed in PyTorch 1.9 but still defined, each
 *  raising PyTorch's error that names its torch.linalg replacement (torch/_linalg_utils.py). */
const REMOVED = {
  solve: "This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and does not return the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\nX = torch.linalg.solve(A, B)",
  eig: "This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)",
  lstsq: "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition in the returned tuple (although it returns other information about the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the residuals of the solution in the last m - n columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution",
  symeig: "This function was deprecated since version 1.9 and is now removed. The default behavior has changed from using the upper triangular portion of the matrix by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
  matrix_rank: "This function was deprecated since version 1.9 and is now removed.\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.",
};
const removed = (name: keyof typeof REMOVED) => (..._args: unknown[]): never => { throw new Error(REMOVED[name]); };
export const solve = removed("solve"), eig = removed("eig"), lstsq = removed("lstsq"), symeig = removed("symeig"), matrix_rank = removed("matrix_rank");

/** torch.set_default_tensor_type(t) (deprecated): the default dtype from a legacy type, by name
 *  ("torch.DoubleTensor") or the type itself (torch.DoubleTensor). */
export function set_default_tensor_type(t: string | { name: string }): void {
  warnOnce("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use torch.set_default_dtype() and torch.set_default_device() as alternatives.");
  const typeName = typeof t === "string" ? t.replace(/^torch\./, "") : t.name;
  const d = Object.values(dtypes).find((x) => legacyName(x) === typeName);
  if (d === undefined) throw new TypeError(`invalid type: '${typeof t === "string" ? t : t.name}'`);
  if (!d.is_floating_point) throw new TypeError("only floating-point types are supported as the default type");
  set_default_dtype(d);
}

const INTERPOLATION = ["bilinear", "nearest", "bicubic"] as const, PADDING = ["zeros", "border", "reflection"] as const;
/** torch.grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners): F.grid_sample
 *  with ATen's enums (bilinear 0, nearest 1, bicubic 2; zeros 0, border 1, reflection 2). */
export const grid_sampler = (input: Tensor, grid: Tensor, interpolation_mode: number, padding_mode: number, align_corners: boolean) =>
  grid_sample(input, grid, INTERPOLATION[interpolation_mode]!, PADDING[padding_mode]!, align_corners);
export const grid_sampler_2d = grid_sampler;
/** torch.affine_grid_generator(theta, size, align_corners): F.affine_grid's. */
export const affine_grid_generator = (theta: Tensor, size: number[], align_corners: boolean) => affine_grid(theta, size, align_corners);

export const is_signed = (input: Tensor) => input.dtype.is_signed;
export const is_same_size = (input: Tensor, other: Tensor) => input.is_same_size(other);
export const is_inference = (input: Tensor) => input.is_inference();
export const get_device = (input: Tensor) => input.get_device();
/** torch.typename(obj): a tensor's legacy type name (torch.FloatTensor …), else its type's name. */
export const typename = (obj: unknown) => (obj instanceof Tensor ? obj.type() : pyTypeName(obj));
/** torch.is_storage(obj): typetorch has no Storage objects in its public API, so never. */
export const is_storage = (_obj: unknown) => false;
/** torch.get_default_device(): where the factories put tensors that name no device (Note [Default
 *  device]), with its index filled in as a tensor made there has it. */
export function get_default_device(): Device {
  const d = _defaultDevice();
  if (d === null) return toDevice("cpu");
  return d.index !== null ? d : Tensor.empty([0], get_default_dtype(), checkAvailable(d)).device;
}
/** torch.set_default_device(device): the device the factories use when none is named (null: the
 *  CPU again). Only the device string is checked here; an unavailable device fails where a
 *  factory would make a tensor on it, as in PyTorch. */
export function set_default_device(device: string | Device | null): void {
  _setDefaultDevice(device === null ? null : toDevice(device));
}
