// Shape and combinatorial ops composed from the basic ones: atleast_nd, broadcast_shapes/_tensors,
// block_diag, cartesian_prod, combinations, column_stack/dstack, h/v/dsplit, diagflat, ravel, rot90,
// narrow_copy, take_along_dim, meshgrid, tril/triu_indices, unravel_index, vander, range, trace,
// vdot, addr, chain_matmul. Where PyTorch composes an op (CompositeImplicitAutograd) we compose
// the same ops, so the result carries the grad_fn of the last one as in PyTorch; where it has a
// derivatives.yaml entry (BlockDiagBackward0, Rot90Backward0, TraceBackward0 …) we record it.

import { Tensor } from "../core/tensor.js";
import { type DType, int32, int64, float32, float64, promote_types, scalarTypeName } from "../core/dtype.js";
import { normDim, broadcastShapes, sameShape } from "../core/shape.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { installMethods, isOptions, warnOnce } from "./util.js";
import { inplace } from "./inplace.js";
import * as K from "../backends/index.js";
import { contiguousStrides } from "../core/shape.js";
import { cppTensorString } from "../core/printing.js";
import { cat, stack, gather, flip, checkIndexShape } from "./indexing.js";
import { checkIndexInRange, checkIndexOp } from "./_helpers.js";
import { where } from "./elementwise.js";
import { zeros, ones, empty, tensor, type TensorOptions } from "./creation.js";
import { dot, mm, outer } from "./linalg.js";
import { cumprod } from "./reduce.js";

const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;


/** The tensors of a variadic call: `f(a, b)` or `f([a, b])`. */
function tensorList(args: readonly (Tensor | readonly Tensor[])[]): { list: Tensor[]; single: boolean } {
  if (args.length === 1 && Array.isArray(args[0])) return { list: (args[0] as Tensor[]).slice(), single: false };
  return { list: args as Tensor[], single: args.length === 1 };
}

// ---- atleast_nd -------------------------------------------------------------------------------------

function atleast(n: 1 | 2 | 3, args: readonly (Tensor | readonly Tensor[])[]): Tensor | Tensor[] {
  const one = (x: Tensor): Tensor => {
    if (x.ndim === 0) return x.reshape(new Array<number>(n).fill(1));
    if (n === 2 && x.ndim === 1) return x.unsqueeze(0);
    if (n === 3 && x.ndim === 1) return x.unsqueeze(0).unsqueeze(-1);
    if (n === 3 && x.ndim === 2) return x.unsqueeze(-1);
    return x;
  };
  const { list, single } = tensorList(args);
  return single ? one(list[0]!) : list.map(one);
}
export function atleast_1d(x: Tensor): Tensor;
export function atleast_1d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_1d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] { return atleast(1, xs); }
export function atleast_2d(x: Tensor): Tensor;
export function atleast_2d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_2d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] { return atleast(2, xs); }
export function atleast_3d(x: Tensor): Tensor;
export function atleast_3d(...xs: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_3d(...xs: (Tensor | readonly Tensor[])[]): Tensor | Tensor[] { return atleast(3, xs); }

// ---- broadcasting -----------------------------------------------------------------------------------

/** torch.broadcast_shapes(*shapes): each shape a number or an array (2.x's Python rules). */
export function broadcast_shapes(...shapes: (number | readonly number[])[]): number[] {
  let maxLen = 0;
  for (const s of shapes) maxLen = Math.max(maxLen, typeof s === "number" ? 1 : s.length);
  const result = new Array<number>(maxLen).fill(1);
  for (const s0 of shapes) {
    const s = typeof s0 === "number" ? [s0] : s0;
    for (let i = -1; i >= -s.length; i--) {
      const v = s[s.length + i]!, r = maxLen + i;
      if (v < 0) throw new Error(`Trying to create tensor with negative dimension (${v}): (${v})`);
      if (v === 1 || v === result[r]) continue;
      if (result[r] !== 1) throw new Error("Shape mismatch: objects cannot be broadcast to a single shape");
      result[r] = v;
    }
  }
  return result;
}

/** torch.broadcast_tensors(*tensors): each expanded to the common shape (itself when it has it). */
export function broadcast_tensors(...args: (Tensor | readonly Tensor[])[]): Tensor[] {
  const { list } = tensorList(args);
  let shape: number[] = [];
  for (const t of list) shape = broadcastShapes(shape, t.shape);
  return list.map((t) => (sameShape(t.shape, shape) ? t : t.expand(shape)));
}

// ---- joining --------------------------------------------------------------------------------------

/** torch.block_diag(*tensors): BlockDiagBackward0 slices each block's gradient back out. */
export function block_diag(...args: (Tensor | readonly Tensor[])[]): Tensor {
  const { list } = tensorList(args);
  const mats = list.map((t, i) => {
    if (t.ndim > 2) throw new Error(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
    return t.ndim === 0 ? [1, 1] : t.ndim === 1 ? [1, t.shape[0]!] : [t.shape[0]!, t.shape[1]!];
  });
  let dtype: DType | null = null;
  for (const t of list) dtype = dtype ? promote_types(dtype, t.dtype) : t.dtype;
  const rows = mats.reduce((a, m) => a + m[0]!, 0), cols = mats.reduce((a, m) => a + m[1]!, 0);
  const out = zeros([rows, cols], { dtype: dtype ?? undefined, device: list[0]?.device });
  let r = 0, c = 0;
  const at: [number, number][] = [];
  list.forEach((t, i) => {
    const [h, w] = mats[i] as [number, number];
    at.push([r, c]);
    if (h * w > 0) out.narrow(0, r, h).narrow(1, c, w).copy_(t.detach().reshape(h, w));
    r += h; c += w;
  });
  return record("BlockDiagBackward0", list, out, ([g]) => list.map((t, i) => {
    const [h, w] = mats[i] as [number, number], [r0, c0] = at[i]!;
    const gi = g!.narrow(0, r0, h).narrow(1, c0, w).reshape(t.shape.slice());
    return gi.dtype === t.dtype ? gi : gi.to(t.dtype);
  }));
}

/** torch.column_stack(tensors): 0-d and 1-d tensors as columns, then hstack. */
export function column_stack(tensors: readonly Tensor[]): Tensor {
  if (tensors.length === 0) throw new Error("column_stack expects a non-empty TensorList");
  const cols = tensors.map((t) => (t.ndim <= 1 ? t.reshape(t.numel(), 1) : t));
  return cat(cols, 1);
}

/** torch.dstack(tensors): atleast_3d, then cat along dim 2. */
export function dstack(tensors: readonly Tensor[]): Tensor {
  if (tensors.length === 0) throw new Error("dstack expects a non-empty TensorList");
  return cat(atleast(3, [tensors]) as Tensor[], 2);
}

// ---- splitting --------------------------------------------------------------------------------------

/** tensor_split with a count or with split indices, as slices (SliceBackward0 each). */
function tensorSplitAt(x: Tensor, spec: number | readonly number[], d: number): Tensor[] {
  const n = x.shape[d]!;
  const bounds: number[] = [];
  if (typeof spec === "number") {
    if (spec <= 0) throw new Error(`number of sections must be larger than 0, got ${spec}`);
    let s = 0;
    for (let i = 0; i < spec; i++) { bounds.push(s); s += Math.floor(n / spec) + (i < n % spec ? 1 : 0); }
    bounds.push(n);
  } else bounds.push(0, ...spec, n);
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const clampI = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    const s = clampI(bounds[i]!), e = Math.max(clampI(bounds[i + 1]!), s);
    out.push(x.slice(d, s, e));
  }
  return out;
}

/** torch.tensor_split(input, indices_or_sections, dim=0): `sections` parts as equal as can be, or
 *  the pieces between the given indices, or either given by an int64 tensor (0-d: sections, 1-d:
 *  indices); slices of the input (SliceBackward0 each). */
export function tensor_split(x: Tensor, spec: number | readonly number[] | Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new Error(`tensor_split expected at least a 1-dimensional tensor, but got a tensor with ${x.ndim} dims`);
  if (spec instanceof Tensor) {
    if (spec.dtype !== int64) throw new Error(`tensor_split expected tensor_indices_or_sections to have dtype of long, but got ${scalarTypeName(spec.dtype)}`);
    if (spec.ndim > 1)
      throw new Error(`tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${spec.ndim} dims`);
    spec = spec.ndim === 0 ? Number(spec.item()) : (spec.tolist() as (number | bigint)[]).map(Number);
  }
  return tensorSplitAt(x, spec, normDim(dim, x.ndim));
}

function dirSplit(name: string, need: number, dimOf: (x: Tensor) => number, x: Tensor, spec: number | readonly number[]): Tensor[] {
  if (x.ndim < need)
    throw new Error(`torch.${name} requires a tensor with at least ${need} dimension, but got a tensor with ${x.ndim} dimensions!`);
  const d = dimOf(x);
  if (typeof spec === "number") {
    const n = x.shape[d]!;
    if (spec !== 0 && n % spec !== 0)
      throw new Error(`torch.${name} attempted to split along dimension ${d}, but the size of the dimension ${n} is not divisible by the split_size ${spec}!`);
    if (spec === 0) throw new Error(`number of sections must be larger than 0, got ${spec}`);
  }
  return tensorSplitAt(x, spec, d);
}
export const hsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => dirSplit("hsplit", 1, (t) => (t.ndim === 1 ? 0 : 1), x, sections);
export const vsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => dirSplit("vsplit", 2, () => 0, x, sections);
export const dsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => dirSplit("dsplit", 3, () => 2, x, sections);

// ---- reshaping copies -------------------------------------------------------------------------------

/** torch.diagflat(x, offset): x flattened, then diag (DiagEmbedBackward0 in 2.x). */
export function diagflat(x: Tensor, offset = 0): Tensor {
  return x.contiguous().view(-1).diag(offset);
}

/** torch.ravel(x): x.contiguous().view(-1). */
export function ravel(x: Tensor): Tensor { return x.contiguous().view(-1); }

/** torch.rot90(x, k=1, dims=[0, 1]): Rot90Backward0 rotates the gradient back by -k. */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new Error(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new Error(`expected total dims >= 2, but got total dims = ${x.ndim}`);
  const [d0r, d1r] = dims as [number, number];
  const nd = x.ndim;
  // 2.x wraps both dims first (the usual out-of-range error), then compares them
  const d0 = normDim(d0r, nd), d1 = normDim(d1r, nd);
  if (d0 === d1) throw new Error(`expected rotation dims to be different, but got dim0 = ${d0r} and dim1 = ${d1r}`);
  const kk = ((k % 4) + 4) % 4;
  const xd = x.detach();
  const y = no_grad(() => (kk === 1 ? flip(xd, [d1]).transpose(d0, d1)
    : kk === 2 ? flip(xd, [d0, d1])
      : kk === 3 ? flip(xd, [d0]).transpose(d0, d1)
        : xd.clone()));
  const out = y.is_contiguous() || kk === 0 ? y : y.contiguous();
  return record("Rot90Backward0", [x], out, ([g]) => [rot90(g!, -k, [d0, d1])]);
}

/** torch.narrow_copy(x, dim, start, length): a copy of the narrowed view. 1.13 has no derivative
 *  (NotImplemented); 2.x records NarrowCopyBackward0, whose gradient is the slice's scattered back. */
export function narrow_copy(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, Math.max(x.ndim, 1));
  const v = x.detach().narrow(d, start, length);
  const s = start < 0 ? start + x.shape[d]! : start;
  const shape = x.shape.slice();
  return record("NarrowCopyBackward0", [x], v.clone(), ([g]) => [zeros(shape, { dtype: g!.dtype, device: g!.device }).slice_scatter(g!, d, s, s + length)]);
}

/** torch.take_along_dim(x, indices, dim=None): gather on the two broadcast against each other. */
export function take_along_dim(x: Tensor, indices: Tensor, dim: number | null = null): Tensor {
  if (indices.dtype !== int64) throw new Error(`torch.take_along_dim(): dtype of indices should be Long but got ${scalarTypeName(indices.dtype)}`);
  // negative indices count from the end here, unlike gather's
  const wrap = (idx: Tensor, size: number) => no_grad(() => idx.add(idx.lt(0).mul(size)));
  if (dim === null) return x.view(-1).gather(0, wrap(indices.view(-1), x.numel()));
  if (x.ndim !== indices.ndim)
    throw new Error(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  const d = normDim(dim, x.ndim);
  const selfSizes = x.shape.slice(); selfSizes[d] = indices.shape[d]!;
  const idxB = wrap(indices, x.shape[d]!).broadcast_to(broadcastShapes(selfSizes, indices.shape));
  const idxSizes = indices.shape.slice(); idxSizes[d] = x.shape[d]!;
  const xs = broadcastShapes(idxSizes, x.shape);
  const xB = sameShape(xs, x.shape) ? x : x.broadcast_to(xs);
  return gather(xB, d, idxB);
}

// ---- grids and index sets ---------------------------------------------------------------------------

/** torch.meshgrid(*tensors, {indexing}): each 0-d/1-d tensor viewed along its own dim and expanded
 *  (ExpandBackward0). "xy" swaps the first two dims. Without `indexing` it warns once, as 2.x. */
export function meshgrid(...args: (Tensor | readonly Tensor[] | { indexing?: "ij" | "xy" })[]): Tensor[] {
  let indexing: string | undefined;
  const last = args[args.length - 1];
  if (isOptions(last)) { indexing = (last as { indexing?: string }).indexing; args = args.slice(0, -1); }
  const { list } = tensorList(args as (Tensor | readonly Tensor[])[]);
  if (list.length === 0) throw new Error("torch.meshgrid: Expected at least one tensor");
  if (indexing === undefined)
    warnOnce("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.");
  else if (indexing !== "ij" && indexing !== "xy")
    throw new Error(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  // the dtypes first, then the dims, as ATen's meshgrid checks
  if (list.some((t) => t.dtype !== list[0]!.dtype)) throw new Error("meshgrid expects all tensors to have the same dtype");
  for (const t of list)
    if (t.ndim > 1) throw new Error(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${cppTensorString({ shape: t.shape, dtype: t.dtype, at: (k) => t._at(k) })}`);
  const swap = indexing === "xy" && list.length >= 2;
  const sizes = list.map((t) => t.numel());
  const dimOf = (i: number): number => (swap && i < 2 ? 1 - i : i);
  const shape = list.map((_, j) => sizes[swap && j < 2 ? 1 - j : j]!);
  return list.map((t, i) => {
    const vs = new Array<number>(list.length).fill(1);
    vs[dimOf(i)] = -1;
    return t.view(vs).expand(shape);
  });
}

/** torch.cartesian_prod(*tensors): the meshgrid's points, one per row (StackBackward0). */
export function cartesian_prod(...args: (Tensor | readonly Tensor[])[]): Tensor {
  const { list } = tensorList(args);
  for (const t of list) if (t.ndim !== 1) throw new Error(`Expect a 1D vector, but got shape ${fmt(t.shape)}`);
  if (list.length === 1) return list[0]!;
  const grids = meshgrid(list, { indexing: "ij" });
  return stack(grids.map((g) => g.flatten()), 1);
}

/** torch.combinations(x, r=2, with_replacement=False): the r-subsets in lexicographic order, as
 *  PyTorch builds them (a meshgrid masked by i0 < i1 < …, or <= with replacement). */
export function combinations(x: Tensor, r: number | { r?: number; with_replacement?: boolean } = 2, with_replacement = false): Tensor {
  if (isOptions(r)) { with_replacement = r.with_replacement ?? false; r = r.r ?? 2; }
  if (x.ndim !== 1) throw new Error(`Expect a 1D vector, but got shape ${fmt(x.shape)}`);
  if (r < 0) throw new Error(`Expect a non-negative number, but got ${r}`);
  if (r === 0) return x.new_empty([0]);
  const n = x.shape[0]!;
  const idx = tensor(Array.from({ length: n }, (_, i) => i), { dtype: int64 });
  const grids = meshgrid(new Array<Tensor>(r).fill(x), { indexing: "ij" });
  const igrids = meshgrid(new Array<Tensor>(r).fill(idx), { indexing: "ij" });
  let mask = ones(igrids[0]!.shape.slice(), { dtype: int64 }).bool();
  for (let i = 0; i + 1 < r; i++)
    mask = mask.logical_and(with_replacement ? igrids[i]!.le(igrids[i + 1]!) : igrids[i]!.lt(igrids[i + 1]!));
  return stack(grids.map((g) => g.masked_select(mask)), 1);
}

/** tril_indices / triu_indices(row, col, offset=0, {dtype}): a 2 x N int64 tensor of coordinates. */
function triIndices(lower: boolean, row: number, col: number, offsetArg: number | TensorOptions, opts?: TensorOptions): Tensor {
  let offset = 0;
  if (typeof offsetArg === "number") offset = offsetArg; else opts = offsetArg;
  if (row < 0) throw new Error(`row must be non-negative, got${row}`);
  if (col < 0) throw new Error(`col must be non-negative, got${col}`);
  const rs: number[] = [], cs: number[] = [];
  for (let i = 0; i < row; i++) for (let j = 0; j < col; j++) {
    if (lower ? j - i <= offset : j - i >= offset) { rs.push(i); cs.push(j); }
  }
  return tensor([rs, cs], { dtype: opts?.dtype ?? int64 });
}
export const tril_indices = (row: number, col: number, offset: number | TensorOptions = 0, opts?: TensorOptions): Tensor => triIndices(true, row, col, offset, opts);
export const triu_indices = (row: number, col: number, offset: number | TensorOptions = 0, opts?: TensorOptions): Tensor => triIndices(false, row, col, offset, opts);

/** torch.unravel_index(indices, shape) (2.x): the coordinates of flat indices, one int64 tensor per
 *  dim, computed as 2.x does: indices.unsqueeze(-1) // strides % shape, unbound. */
export function unravel_index(indices: Tensor, shape: number | readonly number[]): Tensor[] {
  if (indices.dtype.is_floating_point || indices.dtype.name === "bool")
    throw new TypeError(`expected 'indices' to be integer dtype, but got torch.${indices.dtype.name}`);
  const s = typeof shape === "number" ? [shape] : shape.slice();
  if (s.some((v) => v < 0)) throw new Error(`'shape' cannot have negative values, but got (${s.join(", ")}${s.length === 1 ? "," : ""})`);
  const coefs = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) { coefs[i] = acc; acc *= s[i]!; }
  // (on the indices' device, as torch/functional.py makes them)
  const c = tensor(coefs.map(BigInt), { dtype: int64, device: indices.device }), sh = tensor(s.map(BigInt), { dtype: int64, device: indices.device });
  return indices.unsqueeze(-1).floor_divide(c).remainder(sh).unbind(-1);
}

/** torch.vander(x, N=None, increasing=False): as 2.x, ones with a cumprod written into columns
 *  1.. (CopySlices), flipped unless increasing (FlipBackward0). Integer inputs give int64. */
export function vander(x: Tensor, N: number | null | { N?: number | null; increasing?: boolean } = null, increasing = false): Tensor {
  if (isOptions(N)) { increasing = N.increasing ?? false; N = N.N ?? null; }
  if (x.ndim !== 1) throw new Error("x must be a one-dimensional tensor.");
  const n = N ?? x.shape[0]!;
  if (n < 0) throw new Error("N must be non-negative.");
  // ATen's steps, in place: so, as in PyTorch, cumprod's saved input is overwritten by the copy
  // and backward through it fails (2.x's vander is differentiable only for N < 2)
  const result = empty([x.numel(), n], { dtype: promote_types(x.dtype, int64), device: x.device });
  if (n > 0) result.fill_(1);
  if (n > 1) {
    result.slice(1, 1).copy_(x.unsqueeze(1));
    result.slice(1, 1).copy_(cumprod(result.slice(1, 1), 1));
  }
  return increasing ? result : flip(result, [1]);
}

export { range } from "./creation.js"; // (beside arange, whose accumulate type it shares)

// ---- small linear algebra ---------------------------------------------------------------------------

/** torch.trace(x): the sum of the main diagonal (TraceBackward0; ints sum to int64). */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new Error(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
  const y = no_grad(() => x.diagonal().sum());
  const [n, m] = x.shape as [number, number];
  // the gradient is 1 on the main diagonal only (1.13 filled the flat positions 0, m+1, … < n*m,
  // which for a matrix taller than wide ran past the diagonal: 2.x fixed it)
  const mask = zeros([n * m], { dtype: x.dtype.is_floating_point ? x.dtype : undefined, device: x.device });
  no_grad(() => { for (let i = 0; i < Math.min(n, m); i++) mask.select(0, i * (m + 1)).fill_(1); });
  return record("TraceBackward0", [x], y, ([g]) => [mask.to(g!.dtype).view(n, m).mul(g!)]);
}

/** torch.vdot(a, b): dot of 1-d tensors (the first conjugated; real here). VdotBackward0. */
export function vdot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.dtype !== b.dtype) throw new Error(`dot : expected both vectors to have same dtype, but found ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`);
  if (a.numel() !== b.numel())
    throw new Error(`inconsistent tensor size, expected tensor [${a.numel()}] and src [${b.numel()}] to have the same number of elements, but got ${a.numel()} and ${b.numel()} elements respectively`);
  const y = no_grad(() => dot(a, b));
  return record("VdotBackward0", [a, b], y, ([g]) => [a.requires_grad ? g!.mul(b) : null, b.requires_grad ? g!.mul(a) : null]);
}

/** torch.addr(input, vec1, vec2, {beta=1, alpha=1}): beta*input + alpha*outer(vec1, vec2). */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  if (vec1.ndim !== 1) throw new Error(`addr: Expected 1-D argument vec1, but got ${vec1.ndim}-D`);
  if (vec2.ndim !== 1) throw new Error(`addr: Expected 1-D argument vec2, but got ${vec2.ndim}-D`);
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  const shape = [vec1.shape[0]!, vec2.shape[0]!];
  const y = no_grad(() => {
    const o = outer(vec1, vec2);
    const ao = alpha === 1 ? o : o.mul(alpha);
    const inp = input.expand(shape);
    // beta = 0: input is ignored, nan and inf in it included (PyTorch's addr)
    if (beta === 0) return ao.to(promote_types(input.dtype, ao.dtype)).clone();
    return (beta === 1 ? inp : inp.mul(beta)).add(ao);
  });
  return record("AddrBackward0", [input, vec1, vec2], y, ([g]) => [
    input.requires_grad ? (beta === 1 ? g! : g!.mul(beta)) : null,
    vec1.requires_grad ? g!.mv(vec2).mul(alpha) : null,
    vec2.requires_grad ? g!.t().mv(vec1).mul(alpha) : null,
  ]);
}

/** torch.chain_matmul(*matrices): deprecated for linalg.multi_dot (warns once); mm's in the order
 *  that costs fewest multiplications, as multi_dot. */
export function chain_matmul(...args: (Tensor | readonly Tensor[])[]): Tensor {
  warnOnce("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple parameters.");
  const { list } = tensorList(args);
  if (list.length === 0) throw new Error("chain_matmul(): Expected one or more matrices");
  list.forEach((t, i) => {
    if (t.ndim !== 2) throw new Error(`Tensor dimension is ${t.ndim}, expected 2 instead.`);
    void i;
  });
  if (list.length === 1) return list[0]!.clone();
  return multiDot(list);
}

function multiDot(ts: Tensor[]): Tensor {
  const n = ts.length;
  for (let i = 0; i + 1 < n; i++) {
    if (ts[i]!.shape[1] !== ts[i + 1]!.shape[0])
      throw new Error(`multi_dot(): tensors ${i} and ${i + 1} with shapes ${fmt(ts[i]!.shape)} and ${fmt(ts[i + 1]!.shape)} cannot be multiplied`);
  }
  const shape = [ts[0]!.shape[0]!, ts[n - 1]!.shape[1]!];
  return multiDotOrder(ts).view(shape); // multi_dot reshapes its result at the end (ViewBackward0)
}

function multiDotOrder(ts: Tensor[]): Tensor {
  const n = ts.length;
  if (n === 2) return mm(ts[0]!, ts[1]!);
  const p = [ts[0]!.shape[0]!, ...ts.map((t) => t.shape[1]!)];
  if (n === 3) {
    const [a, b, c, d] = p as [number, number, number, number];
    const cost1 = a * c * (b + d), cost2 = b * d * (a + c);
    return cost1 <= cost2 ? mm(mm(ts[0]!, ts[1]!), ts[2]!) : mm(ts[0]!, mm(ts[1]!, ts[2]!));
  }
  // matrix chain order (dynamic programming), as multi_dot's matrix_chain_order
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let l = 1; l < n; l++) for (let i = 0; i < n - l; i++) {
    const j = i + l;
    m[i]![j] = Infinity;
    for (let k = i; k < j; k++) {
      const q = m[i]![k]! + m[k + 1]![j]! + p[i]! * p[k + 1]! * p[j + 1]!;
      if (q < m[i]![j]!) { m[i]![j] = q; s[i]![j] = k; }
    }
  }
  const go = (i: number, j: number): Tensor => (i === j ? ts[i]! : mm(go(i, s[i]![j]!), go(s[i]![j]! + 1, j)));
  return go(0, n - 1);
}

// ---- scatters of a view: diagonal_scatter, select_scatter, slice_scatter -------------------------------

/** `input` with the view `at(out)` of a copy overwritten by `src` (values only, no graph). */
function scatterInto(input: Tensor, src: Tensor, at: (t: Tensor) => Tensor): Tensor {
  const out = input.detach().clone();
  const v = at(out);
  if (v.ndim !== src.ndim || v.shape.some((s, i) => s !== src.shape[i]))
    throw new Error(`expected src to have a size equal to the slice of self. src size = ${fmt(src.shape)}, slice size = ${fmt(v.shape)}`);
  no_grad(() => v.copy_(src.detach()));
  return out;
}

/** torch.slice_scatter(input, src, dim=0, start=None, end=None, step=1): SliceScatterBackward0. */
export function slice_scatter(input: Tensor, src: Tensor, dim: number | { dim?: number; start?: number | null; end?: number | null; step?: number } = 0,
  start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (isOptions(dim)) { start = dim.start ?? null; end = dim.end ?? null; step = dim.step ?? 1; dim = dim.dim ?? 0; }
  const d = normDim(dim, input.ndim), s0 = start, e0 = end, st = step;
  const out = scatterInto(input, src, (t) => t.slice(d, s0, e0, st));
  return record("SliceScatterBackward0", [input, src], out, ([g]) => [
    input.requires_grad ? g!.slice_scatter(zeros(src.shape.slice(), { dtype: g!.dtype, device: g!.device }), d, s0, e0, st) : null,
    src.requires_grad ? g!.slice(d, s0, e0, st) : null,
  ]);
}

/** torch.select_scatter(input, src, dim, index): SelectScatterBackward0. */
export function select_scatter(input: Tensor, src: Tensor, dim: number, index: number): Tensor {
  const d = normDim(dim, input.ndim);
  const n = input.shape[d]!;
  if (index < -n || index >= n) throw new RangeError(`select(): index ${index} out of range for tensor of size ${fmt(input.shape)} at dimension ${d}`);
  const out = scatterInto(input, src, (t) => t.select(d, index));
  return record("SelectScatterBackward0", [input, src], out, ([g]) => [
    input.requires_grad ? g!.select_scatter(zeros(src.shape.slice(), { dtype: g!.dtype, device: g!.device }), d, index) : null,
    src.requires_grad ? g!.select(d, index) : null,
  ]);
}

/** torch.diagonal_scatter(input, src, offset=0, dim1=0, dim2=1): DiagonalScatterBackward0. */
export function diagonal_scatter(input: Tensor, src: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const out = scatterInto(input, src, (t) => t.diagonal(offset, dim1, dim2));
  return record("DiagonalScatterBackward0", [input, src], out, ([g]) => [
    input.requires_grad ? g!.diagonal_scatter(zeros(src.shape.slice(), { dtype: g!.dtype, device: g!.device }), offset, dim1, dim2) : null,
    src.requires_grad ? g!.diagonal(offset, dim1, dim2) : null,
  ]);
}

installMethods({ slice_scatter, select_scatter, diagonal_scatter });

// ---- reducing scatters: scatter_reduce, index_reduce, index_copy --------------------------------------

type Reduction = "sum" | "prod" | "mean" | "amax" | "amin";
/** scatter_reduce's `reduce`: 2.x takes "max" and "min" as amax's and amin's other names. */
export type ScatterReduce = Reduction | "max" | "min";
type ReduceOpts = { include_self?: boolean };

/** PyTorch's scatter checks (scatter_gather_dtype_check, then scatter_shape_check). */
function checkScatterShapes(self: Tensor, d: number, index: Tensor, src: Tensor): void {
  if (index.dtype !== int64 && index.dtype.name !== "int32") throw new Error("scatter(): Expected dtype int32/int64 for index");
  if (self.dtype !== src.dtype) throw new Error("scatter(): Expected self.dtype to be equal to src.dtype");
  checkIndexShape(self, d, index, src, "scatter");
}

/** The forward of scatter_reduce (values only): self's copy with src's elements reduced into the
 *  positions index names along d. Accumulates in float64 and rounds once to the dtype. */
function scatterReduceValues(self: Tensor, d: number, index: Tensor, src: Tensor, reduce: Reduction, includeSelf: boolean): Tensor {
  const onDevice = self.ndim > 0 && src.ndim > 0 ? K.scatterReduce(self.detach(), d, index, index.shape.reduce((t, n, i) => t.narrow(i, 0, n), src.detach()), reduce, includeSelf) : null;
  if (onDevice) return onDevice;
  const out = Float64Array.from(K.values(K.contiguousCopy(self)));
  const st = contiguousStrides(self.shape), size = self.ndim === 0 ? 1 : self.shape[d]!;
  const idx = K.bigValues(index), sv = K.values(K.contiguousCopy(src.ndim === 0 ? src : index.shape.reduce((t, n, i) => t.narrow(i, 0, n), src)));
  const count = new Float64Array(out.length).fill(includeSelf ? 1 : 0);
  const touched = new Uint8Array(out.length);
  const ishape = index.shape, nd = ishape.length, c = new Array<number>(nd).fill(0), n = index.numel();
  const isInt = !self.dtype.is_floating_point;
  for (let k = 0; k < n; k++) {
    const i = Number(idx[k]!);
    if (i < 0 || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
    let pos = 0;
    for (let a = 0; a < nd; a++) pos += (a === d ? i : c[a]!) * st[a]!;
    if (!includeSelf && !touched[pos]) {
      out[pos] = reduce === "prod" ? 1 : reduce === "amax" ? -Infinity : reduce === "amin" ? Infinity : 0;
    }
    touched[pos] = 1;
    const v = sv[k]!, o = out[pos]!;
    switch (reduce) {
      case "sum": case "mean": out[pos] = o + v; break;
      case "prod": out[pos] = o * v; break;
      case "amax": out[pos] = Number.isNaN(v) || v > o ? v : o; break;
      case "amin": out[pos] = Number.isNaN(v) || v < o ? v : o; break;
    }
    count[pos]!++;
    for (let a = nd - 1; a >= 0; a--) { if (++c[a]! < ishape[a]!) break; c[a] = 0; }
  }
  if (reduce === "mean") {
    for (let p = 0; p < out.length; p++) {
      const cnt = count[p] === 0 ? 1 : count[p]!;
      out[p] = isInt ? Math.floor(out[p]! / cnt) : out[p]! / cnt;
    }
  }
  return Tensor.fromStorage(K.fromNumbers(out, self.dtype), self.shape.slice(), self.dtype);
}

/** scatter_reduce_backward of PyTorch's derivatives.yaml, in Tensor ops (double backward works). */
function scatterReduceBackward(g: Tensor, self: Tensor, d: number, index: Tensor, src: Tensor, reduce: Reduction,
  includeSelf: boolean, result: Tensor, want: [boolean, boolean]): [Tensor | null, Tensor | null] {
  let gSelf: Tensor | null = null, gSrc: Tensor | null = null;
  if (reduce === "sum") {
    gSelf = g; gSrc = g.gather(d, index);
  } else if (reduce === "prod") {
    // exclusive products where self or src holds zeros, as PyTorch computes them
    const maskedSelf = self.masked_fill(self.eq(0), 1);
    const maskedSelfResult = maskedSelf.scatter_reduce(d, index, src, reduce, { include_self: includeSelf });
    gSelf = g.mul(maskedSelfResult).div(maskedSelf);
    const srcZero = src.eq(0);
    const srcNumZeros = zeros(self.shape.slice(), { dtype: self.dtype, device: self.device }).scatter_add(d, index, srcZero.to(self.dtype)).gather(d, index);
    const srcSingleZero = srcZero.logical_and(srcNumZeros.eq(1));
    const maskedSrc = src.masked_fill(srcSingleZero, 1);
    const maskedSrcResult = self.scatter_reduce(d, index, maskedSrc, reduce, { include_self: includeSelf });
    gSrc = where(srcSingleZero, g.mul(maskedSrcResult).gather(d, index), g.mul(result).gather(d, index).div(src.masked_fill(srcZero, 1)));
  } else if (reduce === "mean") {
    const N0 = includeSelf ? g.new_ones(g.shape.slice()) : g.new_zeros(g.shape.slice());
    let N = N0.scatter_add(d, index, src.new_ones(src.shape.slice()).to(g.dtype));
    N = N.masked_fill(N.eq(0), 1);
    gSelf = g.div(N);
    gSrc = g.gather(d, index).div(N.gather(d, index));
  } else {
    // the gradient is shared evenly among the elements equal to the result (ties)
    const value = result.gather(d, index);
    const selfIsResult = self.eq(result).to(self.dtype);
    const srcIsResult = src.eq(value).to(self.dtype);
    const nDist = selfIsResult.scatter_add(d, index, srcIsResult);
    const gDist = g.div(nDist);
    gSelf = self.eq(result).mul(gDist);
    gSrc = src.eq(value).mul(gDist.gather(d, index));
  }
  if (!includeSelf) gSelf = gSelf.scatter(d, index, 0);
  return [want[0] ? gSelf : null, want[1] ? gSrc : null];
}

const REDUCES = ["sum", "prod", "mean", "amax", "amin"];

/** torch.scatter_reduce(input, dim, index, src, reduce, {include_self=true}): ScatterReduceBackward0.
 *  2.x's forward takes "max" and "min" as amax's and amin's other names (its backward does not),
 *  and int32 indices. */
export function scatter_reduce(self: Tensor, dim: number, index: Tensor, src: Tensor, reduceArg: ScatterReduce, opts?: ReduceOpts): Tensor {
  const reduce: Reduction = reduceArg === "max" ? "amax" : reduceArg === "min" ? "amin" : reduceArg;
  if (!REDUCES.includes(reduce)) throw new Error(`reduce argument must be either sum, prod, mean, amax or amin, got ${reduce}`);
  const d = normDim(dim, Math.max(self.ndim, 1));
  checkScatterShapes(self, d, index, src);
  if (index.dtype !== int64) index = index.to(int64); // (the kernels take int64)
  const includeSelf = opts?.include_self ?? true;
  const out = scatterReduceValues(self, d, index, src, reduce, includeSelf);
  const selfD = self.detach(), srcD = src.detach();
  // self and src are saved (an in-place call replaces self's by its old value, Note [In-place])
  return record("ScatterReduceBackward0", [self, src], out, ([g], [sv, ss]) => {
    if (reduce !== reduceArg) throw new Error(`Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' but got ${reduceArg}.`);
    return scatterReduceBackward(g!, sv ?? selfD, d, index, ss ?? srcD, reduce, includeSelf, out, [self.requires_grad, src.requires_grad]);
  }, [self, src]);
}

/** The 1-d index of index_* ops laid along `d` of `source`'s shape (an index for scatter). */
function expandIndex(index: Tensor, d: number, source: Tensor): Tensor {
  const shape = source.shape.slice();
  if (shape.length === 0) return index.reshape([]).to(int64);
  const view = shape.map((_, i) => (i === d ? shape[d]! : 1));
  return index.to(int64).reshape(view).expand(shape).contiguous();
}

/** torch.index_reduce(input, dim, index, source, reduce, {include_self=true}): IndexReduceBackward0. */
export function index_reduce(self: Tensor, dim: number, index: Tensor, source: Tensor, reduce: "prod" | "mean" | "amax" | "amin", opts?: ReduceOpts): Tensor {
  if (!["prod", "mean", "amax", "amin"].includes(reduce))
    throw new Error(`index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got ${reduce}.`);
  const d = normDim(dim, Math.max(self.ndim, 1));
  checkIndexOp("index_reduce_", self, d, index, source);
  checkIndexInRange(index, self.ndim === 0 ? 1 : self.shape[d]!);
  const includeSelf = opts?.include_self ?? true;
  const idx = expandIndex(index, d, source);
  const out = scatterReduceValues(self, d, idx, source, reduce, includeSelf);
  const selfD = self.detach(), srcD = source.detach();
  return record("IndexReduceBackward0", [self, source], out, ([g], [sv, ss]) =>
    scatterReduceBackward(g!, sv ?? selfD, d, idx, ss ?? srcD, reduce, includeSelf, out, [self.requires_grad, source.requires_grad]),
  [self, source]);
}

/** torch.index_copy(input, dim, index, source): IndexCopyBackward0. */
export function index_copy(self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const d = normDim(dim, Math.max(self.ndim, 1));
  if (index.ndim > 1) throw new Error(`index_copy_(): Index should have dimension 1 or 0 (got ${index.ndim})`);
  if (index.dtype !== int64) throw new Error("index_copy_(): Expected a long tensor for index, but got " + scalarTypeName(index.dtype));
  if (self.dtype !== source.dtype)
    throw new Error(`index_copy_(): self and source expected to have the same dtype, but got (self) ${scalarTypeName(self.dtype)} and (source) ${scalarTypeName(source.dtype)}`);
  const n = source.ndim === 0 ? 1 : source.shape[d]!;
  if (index.numel() !== n) throw new Error(`index_copy_(): Number of indices (${index.numel()}) should be equal to source.size(dim) (${n})`);
  const size = self.ndim === 0 ? 1 : self.shape[d]!;
  for (const i of K.bigValues(index))
    if (i < 0n || i >= BigInt(size)) throw new RangeError(`index_copy_(): index ${i} is out of bounds for dimension ${d} with size ${size}`);
  const idx = expandIndex(index, d, source);
  const out = no_grad(() => self.detach().scatter(d, idx, source.detach()));
  const idx1 = index.reshape(-1);
  return record("IndexCopyBackward0", [self, source], out, ([g]) => [
    self.requires_grad ? g!.index_fill(d, idx1, 0) : null,
    source.requires_grad ? (source.ndim === 0 ? g!.index_select(d, idx1).reshape([]) : g!.index_select(d, idx1)) : null,
  ]);
}

installMethods({
  scatter_reduce, index_reduce, index_copy,
  scatter_reduce_: (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts?: ReduceOpts) => inplace(x, () => scatter_reduce(x, dim, index, src, reduce, opts)),
  index_reduce_: (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: "prod" | "mean" | "amax" | "amin", opts?: ReduceOpts) => inplace(x, () => index_reduce(x, dim, index, src, reduce, opts)),
  index_copy_: (x: Tensor, dim: number, index: Tensor, src: Tensor) => inplace(x, () => index_copy(x, dim, index, src)),
});
// ---- searching and counting: searchsorted, bucketize, bincount, histc ----------------------------------

type SearchOpts = { out_int32?: boolean; right?: boolean; side?: "left" | "right" | null; sorter?: Tensor | null };

/** torch.searchsorted(sorted_sequence, input, {out_int32, right, side, sorter}): for each value, the
 *  index where it would be inserted into its row of the boundaries (lower bound, or upper bound
 *  for `right`), with PyTorch's binary search (NaN sorts after everything). */
export function searchsorted(seq: Tensor, input: Tensor | number, opts?: SearchOpts): Tensor {
  const right0 = opts?.right ?? false, side = opts?.side ?? null, sorter = opts?.sorter ?? null;
  if (side !== null && side !== "left" && side !== "right")
    throw new Error(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
  if (side === "left" && right0)
    throw new Error("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  const right = right0 || side === "right";
  const x = input instanceof Tensor ? input : tensor(input, { dtype: seq.dtype });
  if (sorter !== null) {
    if (sorter.dtype !== int64) throw new Error(`torch.searchsorted(): sorter must be a tensor of long dtype but got dtype ${scalarTypeName(sorter.dtype)}`);
    if (sorter.ndim !== seq.ndim || sorter.shape.some((s, i) => s !== seq.shape[i]))
      throw new Error(`torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor ${fmt(seq.shape)}and got sorter tensor ${fmt(sorter.shape)}`);
  }
  if (seq.ndim === 0) throw new Error("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
  if (seq.ndim !== 1 && (x.ndim !== seq.ndim || seq.shape.slice(0, -1).some((s, i) => s !== x.shape[i])))
    throw new Error(`torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${fmt(seq.shape)} and input value tensor ${fmt(x.shape)}`);
  const dtype = opts?.out_int32 ? int32 : int64;
  const onDevice = K.searchSorted(seq, x, sorter, right, dtype);
  if (onDevice) return onDevice;
  const len = seq.shape[seq.ndim - 1]!;
  const b = K.values(K.contiguousCopy(seq)), v = K.values(K.contiguousCopy(x));
  const srt = sorter ? K.values(K.contiguousCopy(sorter)) : null;
  const perRow = seq.ndim === 1 ? v.length : x.shape[x.ndim - 1]!;
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    const row = seq.ndim === 1 ? 0 : Math.floor(k / perRow) * len, val = v[k]!;
    let lo = 0, hi = len;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      const m = b[row + (srt ? srt[row + mid]! : mid)]!;
      if (right ? !(m > val) : !(m >= val)) lo = mid + 1; else hi = mid;
    }
    out[k] = lo;
  }
  return K.onDeviceOf(Tensor.fromStorage(K.fromNumbers(out, dtype), x.shape.slice(), dtype), seq, "searchsorted");
}

/** torch.bucketize(input, boundaries, {out_int32, right}): searchsorted on 1-d boundaries. */
export function bucketize(input: Tensor | number, boundaries: Tensor, opts?: { out_int32?: boolean; right?: boolean }): Tensor {
  if (boundaries.ndim !== 1) throw new Error(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchsorted(boundaries, input, { out_int32: opts?.out_int32 ?? false, right: opts?.right ?? false });
}

/** x's least and greatest elements (NaN where x has one), reduced on x's device: on the GPU, two
 *  numbers read back. */
function extremes(x: Tensor): [number, number] {
  const v = K.values(stack([x.detach().amin(), x.detach().amax()]));
  return [v[0]!, v[1]!];
}

/** torch.bincount(input, weights=None, minlength=0): counts (int64), or sums of weights (float32
 *  weights stay float32, every other dtype sums in float64), as PyTorch. Not differentiable. */
export function bincount(input: Tensor, weights: Tensor | null | { weights?: Tensor | null; minlength?: number } = null, minlength = 0): Tensor {
  if (isOptions(weights)) { minlength = weights.minlength ?? 0; weights = weights.weights ?? null; }
  const w = weights as Tensor | null;
  if (input.dtype.is_floating_point || input.dtype.name === "bool")
    throw new Error(`"bincount_cpu" not implemented for '${scalarTypeName(input.dtype)}'`);
  if (minlength < 0) throw new Error("minlength should be >= 0");
  if (input.ndim === 1 && input.numel() === 0) {
    const dt = w ? (w.dtype === float32 ? float32 : float64) : int64;
    return zeros([minlength], { dtype: dt, device: input.device });
  }
  const [least, max] = extremes(input);
  if (input.ndim !== 1 || least < 0) throw new Error("bincount only supports 1-d non-negative integral inputs.");
  if (w && (w.ndim !== 1 || w.numel() !== input.numel())) throw new Error("weights should be 1-d and have the same length as input");
  const n = Math.max(minlength, max + 1), out = new Float64Array(n);
  const onDevice = !w || w.dtype === float32 ? K.binCount(input, w, n) : null;
  if (onDevice) return onDevice;
  const v = K.values(K.contiguousCopy(input)), wv = w ? K.values(K.contiguousCopy(w)) : null;
  const dtype = w ? (w.dtype === float32 ? float32 : float64) : int64;
  for (let i = 0; i < v.length; i++) out[v[i]!] = dtype === float32 ? Math.fround(out[v[i]!]! + wv![i]!) : out[v[i]!]! + (wv ? wv[i]! : 1);
  return K.onDeviceOf(Tensor.fromStorage(K.fromNumbers(out, dtype), [n], dtype), input, "bincount");
}

/** torch.histc(input, bins=100, min=0, max=0): equal-width bins over [min, max] (the data's range
 *  when min == max); values outside are dropped, max falls in the last bin. Not differentiable. */
export function histc(input: Tensor, bins: number | { bins?: number; min?: number; max?: number } = 100, min = 0, max = 0): Tensor {
  if (isOptions(bins)) { min = bins.min ?? 0; max = bins.max ?? 0; bins = bins.bins ?? 100; }
  const nb = bins as number;
  if (!input.dtype.is_floating_point) throw new Error(`"histogram_cpu" not implemented for '${scalarTypeName(input.dtype)}'`);
  if (nb <= 0) throw new Error(`torch.histogram(): bins must be > 0, but got ${nb} for dimension 0`);
  let lo = min, hi = max;
  if (lo === hi && input.numel() > 0) [lo, hi] = extremes(input);
  if (lo === hi) { lo -= 1; hi += 1; }
  if (lo > hi) throw new Error("torch.histc: max must be larger than min");
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`torch.histc: range of [${lo}, ${hi}] is not finite`);
  const r = input.dtype === float32 ? Math.fround : (z: number) => z;
  const flo = r(lo), fhi = r(hi);
  const onDevice = K.histc(input, nb, flo, fhi);
  if (onDevice) return onDevice;
  const v = K.values(K.contiguousCopy(input)), out = new Float64Array(nb);
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (!(e >= flo && e <= fhi)) continue;
    // PyTorch's linear interpolation into the bins, computed in the input's dtype
    let pos = Math.trunc(r(r(r(e - flo) / r(fhi - flo)) * nb));
    if (pos >= nb) pos = nb - 1;
    out[pos]!++;
  }
  return K.onDeviceOf(Tensor.fromStorage(K.fromNumbers(out, input.dtype), [nb], input.dtype), input, "histc");
}

// ---- statistics: cov, corrcoef, renorm ----------------------------------------------------------------

/** torch.cov(input, {correction=1, fweights, aweights}): 2.x's composite (rows are variables,
 *  columns observations), ending in squeeze (SqueezeBackward0). */
export function cov(input: Tensor, opts?: { correction?: number; fweights?: Tensor | null; aweights?: Tensor | null }): Tensor {
  const correction = opts?.correction ?? 1, fw = opts?.fweights ?? null, aw = opts?.aweights ?? null;
  if (input.ndim > 2) throw new Error(`cov(): expected input to have two or fewer dimensions but got an input with ${input.ndim} dimensions`);
  if (input.dtype.name === "bool") throw new Error("cov(): bool dtype is not supported for input");
  const inp = input.ndim < 2 ? input.view(1, -1) : input;
  const nObs = inp.shape[1]!;
  let w: Tensor | null = null;
  if (fw) {
    if (fw.ndim > 1) throw new Error(`cov(): expected fweights to have one or fewer dimensions but got fweights with ${fw.ndim} dimensions`);
    if (fw.dtype.is_floating_point || fw.dtype.name === "bool") throw new Error(`cov(): expected fweights to have integral dtype but got fweights with ${scalarTypeName(fw.dtype)} dtype`);
    if (fw.numel() !== nObs) throw new Error(`cov(): expected fweights to have the same numel as there are observations in the input but got ${fw.numel()} != ${nObs}`);
    if (nObs > 0 && (fw.min().item() as number) < 0) throw new Error("cov(): fweights cannot be negative");
    w = fw;
  }
  if (aw) {
    if (aw.ndim > 1) throw new Error(`cov(): expected aweights to have one or fewer dimensions but got aweights with ${aw.ndim} dimensions`);
    if (!aw.dtype.is_floating_point) throw new Error(`cov(): expected aweights to have floating point dtype but got aweights with ${scalarTypeName(aw.dtype)} dtype`);
    if (aw.numel() !== nObs) throw new Error(`cov(): expected aweights to have the same numel as there are observations in the input but got ${aw.numel()} != ${nObs}`);
    if (nObs > 0 && (aw.min().item() as number) < 0) throw new Error("cov(): aweights cannot be negative");
    w = w ? w.mul(aw) : aw;
  }
  const wSum = w ? w.sum() : tensor(BigInt(nObs), { dtype: int64 });
  if (w && (wSum.item() as number) === 0) throw new Error("cov(): weights sum to zero, can't be normalized");
  const avg = (w ? inp.mul(w) : inp).sum(1).div(wSum);
  let normFactor = w && aw && correction !== 0 ? wSum.sub(w.mul(aw).sum().div(wSum).mul(correction)) : wSum.sub(correction);
  if ((normFactor.item() as number) <= 0) {
    console.warn("UserWarning: cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations.");
    normFactor = normFactor.mul(0);
  }
  const centered = inp.sub(avg.unsqueeze(1));
  const c = mm(centered, (w ? centered.mul(w) : centered).t());
  return c.div(normFactor).squeeze();
}

/** torch.corrcoef(input): cov normalised by the standard deviations, clipped to [-1, 1]. */
export function corrcoef(input: Tensor): Tensor {
  if (input.ndim > 2) throw new Error(`corrcoef(): expected input to have two or fewer dimensions but got an input with ${input.ndim} dimensions`);
  let c = cov(input);
  if (c.ndim === 0) return c.div(c);
  const sd = c.diagonal().sqrt();
  c = c.div(sd.view(-1, 1));
  c = c.div(sd.view(1, -1));
  return c.clip(-1, 1);
}

/** torch.renorm(input, p, dim, maxnorm): each slice along dim whose p-norm exceeds maxnorm scaled
 *  to maxnorm / (norm + 1e-7). RenormBackward0 is 2.x's renorm_backward, in Tensor ops. */
export function renorm(input: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (!(p > 0)) throw new Error("renorm: non-positive-norm not supported");
  if (maxnorm < 0) throw new Error(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`);
  if (input.ndim <= 1) throw new Error(`renorm: input needs at least 2 dimensions, got ${input.ndim} dimensions`);
  const d = normDim(dim, input.ndim);
  const rd = [...input.shape.keys()].filter((k) => k !== d);
  const factorOf = (x: Tensor): { n: Tensor; f: Tensor } => {
    const n = x.norm(p, rd, true);
    const f = where(n.gt(maxnorm), n.add(1e-7).reciprocal().mul(maxnorm), n.new_ones([]));
    return { n, f };
  };
  const out = no_grad(() => input.detach().mul(factorOf(input.detach()).f.to(input.dtype)));
  return record("RenormBackward0", [input], out, ([g], [x]) => {
    const self = x ?? input.detach();
    const { n } = factorOf(self);
    const invnorm = n.add(1e-7).reciprocal(), factor = invnorm.mul(maxnorm);
    const go = self.mul(g!).sum(rd, true);
    // norm_backward: the gradient of the p-norm over the reduced dims, times go
    let dn: Tensor;
    if (p === 2) dn = self.div(n).masked_fill(n.eq(0), 0);
    else if (p === 1) dn = self.sign();
    else if (p === Infinity) {
      const isMax = self.abs().eq(n).to(self.dtype);
      dn = self.sign().mul(isMax).div(isMax.sum(rd, true));
    } else dn = self.sign().mul(self.abs().pow(p - 1)).div(n.pow(p - 1)).masked_fill(n.eq(0), 0);
    const nb = go.mul(dn);
    return [where(n.gt(maxnorm), factor.mul(g!).sub(factor.mul(invnorm).mul(nb)), g!)];
  }, [input]);
}

installMethods({ bincount, histc, renorm, cov, corrcoef,
  renorm_: (x: Tensor, p: number, dim: number, maxnorm: number) => inplace(x, () => renorm(x, p, dim, maxnorm)) });

installMethods({ ravel, rot90, narrow_copy, take_along_dim, diagflat, trace, vdot, addr, hsplit, vsplit, dsplit, tensor_split });

declare module "../core/tensor.js" {
  interface Tensor {
    ravel(): Tensor;
    rot90(k?: number, dims?: readonly number[]): Tensor;
    narrow_copy(dim: number, start: number, length: number): Tensor;
    take_along_dim(indices: Tensor, dim?: number | null): Tensor;
    diagflat(offset?: number): Tensor;
    trace(): Tensor;
    vdot(other: Tensor): Tensor;
    addr(vec1: Tensor, vec2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    hsplit(sections: number | readonly number[]): Tensor[];
    tensor_split(indices_or_sections: number | readonly number[] | Tensor, dim?: number): Tensor[];
    vsplit(sections: number | readonly number[]): Tensor[];
    dsplit(sections: number | readonly number[]): Tensor[];
    slice_scatter(src: Tensor, dim?: number | { dim?: number; start?: number | null; end?: number | null; step?: number }, start?: number | null, end?: number | null, step?: number): Tensor;
    select_scatter(src: Tensor, dim: number, index: number): Tensor;
    diagonal_scatter(src: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor;
    scatter_reduce(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts?: { include_self?: boolean }): Tensor;
    scatter_reduce_(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts?: { include_self?: boolean }): Tensor;
    index_reduce(dim: number, index: Tensor, source: Tensor, reduce: "prod" | "mean" | "amax" | "amin", opts?: { include_self?: boolean }): Tensor;
    index_reduce_(dim: number, index: Tensor, source: Tensor, reduce: "prod" | "mean" | "amax" | "amin", opts?: { include_self?: boolean }): Tensor;
    index_copy(dim: number, index: Tensor, source: Tensor): Tensor;
    index_copy_(dim: number, index: Tensor, source: Tensor): Tensor;
    bincount(weights?: Tensor | null | { weights?: Tensor | null; minlength?: number }, minlength?: number): Tensor;
    histc(bins?: number | { bins?: number; min?: number; max?: number }, min?: number, max?: number): Tensor;
    renorm(p: number, dim: number, maxnorm: number): Tensor;
    renorm_(p: number, dim: number, maxnorm: number): Tensor;
    cov(opts?: { correction?: number; fweights?: Tensor | null; aweights?: Tensor | null }): Tensor;
    corrcoef(): Tensor;
  }
}
