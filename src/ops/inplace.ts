// In-place ops. Every `op_` is its out-of-place op followed by a write-back, so each op keeps one
// forward and one backward. This module does the write-back: PyTorch's checks (leaf, dtype,
// shape), the version bump, and the rebase of autograd history, through CopySlices when the
// tensor is a view (Note [In-place on views]).

import { Tensor, _setViewGradFnRefresher } from "../core/tensor.js";
import { broadcastShapes, numel, sameShape } from "../core/shape.js";
import { can_cast, checkedConvert, int64, scalarTypeName } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { is_grad_enabled, is_inference_mode_enabled, no_grad } from "../autograd/grad_mode.js";
import { Node, SavedTensor, TensorMeta, edgeOf, metaOf, opNameOf, type Grads } from "../autograd/node.js";
import { warnOnce } from "../core/warnings.js";

/** Throws PyTorch's error when autograd forbids writing into `self` (VariableTypeUtils.h's
 *  check_inplace). `requiresGrad`: whether the op's result requires grad, through self or through
 *  another input. Reads the grad_fn field, not the refreshing getter, as the C++ check does. */
export function checkInplaceAllowed(self: Tensor, requiresGrad = self.requires_grad): void {
  if (self.is_inference() && !is_inference_mode_enabled())
    throw new Error("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
  if (!requiresGrad || !is_grad_enabled()) return;
  if (self._creationMeta !== null) {
    if (self._creationMeta !== "default") handleViewOnRebase(self, false);
    if (self.requires_grad && self._base!._grad_fn === null)
      throw new Error("a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
  if (self.requires_grad && self._grad_fn === null)
    throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
}

/** Note [Internal overlap]: a tensor that repeats an element (expand's stride 0 over a dim of more
 *  than one) cannot be written element by element: the writes to one memory location would race
 *  and read each other. PyTorch refuses them (at::assert_no_internal_overlap, from TensorIterator's
 *  outputs, copy_, scatter …), except in the writes that set every element to one value whatever
 *  it was (fill_ of a number, zero_, index_fill_, tril_/triu_, threshold_), and it only warns in
 *  index_put_, index_fill_ and masked_fill_ (deprecated); those write only what they change
 *  (writeChanged). Where the overlap is harder to tell (as_strided's own strides: TOO_HARD),
 *  PyTorch lets the write through, its result then depending on the order its kernel visits the
 *  elements in; so does this, writing the op's result computed from the values before the write. */
export const INTERNAL_OVERLAP = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

/** What a write into a tensor that repeats an element does (Note [Internal overlap]): refuse it,
 *  allow it, or warn with PyTorch's deprecation message. */
export type Overlap = "refuse" | "allow" | { warn: string };

/** (an empty tensor repeats nothing, whatever its strides: PyTorch's is_non_overlapping_and_dense) */
const repeatsAnElement = (t: Tensor): boolean => !t._shape.includes(0) && t._shape.some((s, d) => s > 1 && t._strides[d] === 0);

export function assertNoInternalOverlap(t: Tensor, overlap: Overlap = "refuse"): void {
  if (overlap === "allow" || !repeatsAnElement(t)) return;
  if (overlap === "refuse") throw new Error(INTERNAL_OVERLAP);
  warnOnce(overlap.warn);
}

/** The write of an op that PyTorch lets into a tensor that repeats an element: only the elements
 *  the op changed are written, as its kernels write them in place, so that a location one repeat
 *  changes keeps that change whatever the other repeats computed (tril_ of an expanded tensor
 *  zeroes a location any of its rows zeroes; writing every element back would leave the last
 *  row's). */
function writeChanged(self: Tensor, result: Tensor): void {
  const [changed, values] = no_grad(() => [result.ne(self).contiguous(), result.to(self.dtype).contiguous()]);
  const mask = K.values(changed), v = K.values(values) as ArrayLike<number | bigint>;
  const data = self._storage.data as unknown as (number | bigint)[], shape = self._shape, strides = self._strides;
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0, pos = self._offset; k < mask.length; k++) {
    if (mask[k]) data[pos] = v[k]!;
    for (let d = shape.length - 1; d >= 0; d--) { // (the next element's position, last dim fastest)
      pos += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      pos -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** A write straight into self's own elements with no graph to record (the caller has checked
 *  that none is wanted: Note [Writing in place] in elementwise.ts): autograd's checks on self,
 *  then `write`, then self's version. null, with nothing written, where `write` could not. */
export function writeDirect(self: Tensor, write: () => boolean): Tensor | null {
  checkInplaceAllowed(self);
  assertNoInternalOverlap(self);
  if (!write()) return null;
  self._bumpVersion();
  return self;
}

/**
 * Writes `compute()`'s result into self and rebases history. Nothing is written when the
 * computation or a check throws (DESIGN principle 7). `overlap`: Note [Internal overlap].
 */
export function inplace(self: Tensor, compute: () => Tensor, overlap: Overlap = "refuse"): Tensor {
  checkInplaceAllowed(self);
  assertNoInternalOverlap(self, overlap);
  const oldEdge = edgeOf(self);
  const result = compute();
  const fn = result.grad_fn;
  // The result may require grad through another input alone (a view made under no_grad, then
  // view.copy_(y) with y requiring grad): check again, still before anything is written.
  if (fn && !self.requires_grad) checkInplaceAllowed(self, true);
  if (!can_cast(result.dtype, self.dtype))
    throw new Error(`result type ${scalarTypeName(result.dtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  const bs = broadcastShapes(self._shape, result._shape);
  if (bs.length !== self._shape.length || bs.some((s, i) => s !== self._shape[i]))
    throw new Error(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${bs.join(", ")}]`);
  // The op's formula may read self's old value: keep a copy, as PyTorch saves original_self =
  // self.clone(). A recorded clone, so that create_graph differentiates through the old value too.
  if (fn && fn._saved) {
    let original: Tensor | null = null;
    fn._saved = fn._saved.map((s) => (s && s.tensor === self ? new SavedTensor(original ??= self.clone(), fn) : s));
  }
  if (repeatsAnElement(self) && self.device.type === "cpu") writeChanged(self, result); else K.copyInto(self, result);
  self._bumpVersion();
  if (fn) rebaseHistory(self, fn, result._output_nr, oldEdge[0] ? fn.next_functions.findIndex((e) => e[0] === oldEdge[0] && e[1] === oldEdge[1]) : -1);
  return self;
}

/** Shape, strides and storage offset: PyTorch's TensorGeometry. */
interface Geometry { shape: number[]; strides: number[]; offset: number }
const geometryOf = (t: Tensor, offset = t._offset): Geometry => ({ shape: t.shape.slice(), strides: t._strides.slice(), offset });

/** One past the last storage element a geometry reaches (0 when it has no elements). */
function extent(g: Geometry): number {
  if (numel(g.shape) === 0) return 0;
  return g.shape.reduce((e, s, i) => e + (s - 1) * g.strides[i]!, g.offset) + 1;
}

/** Note [In-place on views]: after an in-place op on a view, the gradient of the view's base
 *  must route the region the view covers through the op's backward: the base's grad_fn becomes
 *  CopySlices(old base history, op), and the view's grad_fn reads its region of the new base
 *  (an AsStridedBackward0, rebuilt as for any stale view: Note [Stale view grad_fn]). As PyTorch's
 *  variable.cpp rebase_history; the caller has run checkInplaceAllowed, so a view here is DEFAULT.
 *  `selfIndex` is the op's input that self was (-1: none), whose gradient CopySlices takes. */
export function rebaseHistory(self: Tensor, fn: Node, outputNr: number, selfIndex: number): void {
  if (self._creationMeta === null) {
    const old = self._grad_fn, oldNr = self._output_nr;
    self._grad_fn = fn;
    self._output_nr = outputNr;
    moveRetainsGrad(self, old, oldNr);
    return;
  }
  const base = self._base!;
  const baseEdge = edgeOf(base);
  // the base placed at offset 0 of a scratch storage, the view at its offset relative to the base
  const baseGeom = geometryOf(base, 0), viewGeom = geometryOf(self, self._offset - base._offset);
  const span = Math.max(extent(baseGeom), extent(viewGeom)), baseDtype = base.dtype;
  const others = fn.next_functions.map((_, i) => i).filter((i) => i !== selfIndex);
  // Written in Tensor ops, as PyTorch's CopySlices::apply, so that create_graph records them.
  const copySlices = new Node("CopySlices", ([g]) => {
    const result = new Tensor(Tensor.empty([span], g!.dtype, g!.device)._storage, baseGeom.shape, baseGeom.strides, 0, g!.dtype, g!.device);
    result.copy_(g!);
    const slice = result.as_strided(viewGeom.shape, viewGeom.strides, viewGeom.offset);
    const res: Grads = fn.apply([slice.clone()]);
    const gSelf = selfIndex >= 0 ? res[selfIndex] : null;
    if (gSelf) slice.copy_(gSelf); else slice.zero_(); // no gradient for self: the op overwrote it
    return [result, ...others.map((i) => res[i] ?? null)];
  }, []);
  copySlices.next_functions = [baseEdge, ...others.map((i) => fn.next_functions[i]!)];
  copySlices._inputMeta = [baseEdge[0] ? new TensorMeta(baseGeom.shape, baseDtype) : null, ...others.map((i) => fn._inputMeta[i] ?? null)];
  copySlices._outputMeta = [new TensorMeta(baseGeom.shape, baseDtype)];
  copySlices._release = () => fn._release();
  // (the base's own retain_grad moves to CopySlices, as in PyTorch 2.13: its .grad is then the
  // gradient of the base as written)
  const oldBaseFn = base._grad_fn, oldBaseNr = base._output_nr;
  base._grad_fn = copySlices;
  base._output_nr = 0;
  moveRetainsGrad(base, oldBaseFn, oldBaseNr);
  viewGradFnFromBase(self);
}

/** Note [Stale view grad_fn]: an in-place write to a view's base, or to another view of it, bumps
 *  the version the view shares; the view's recorded grad_fn then describes values it no longer
 *  has. As PyTorch's VariableHooks::grad_fn, reading grad_fn (Tensor.grad_fn) rebuilds it from the
 *  base's history now: an AsStridedBackward0 that reads the view's region of the base. A view
 *  that may not be rebased this way (Note [Differentiable views]) raises PyTorch's error instead,
 *  and a view of a base that does not require grad, and has no grad_fn, keeps none. */
function refreshViewGradFn(view: Tensor): Node | null {
  if (view._grad_fn === null && !view._base!.requires_grad) return null;
  handleViewOnRebase(view, true);
  return viewGradFnFromBase(view);
}
_setViewGradFnRefresher(refreshViewGradFn);

function viewGradFnFromBase(view: Tensor): Node {
  const base = view._base!;
  const baseGeom = geometryOf(base, 0), viewGeom = geometryOf(view, view._offset - base._offset);
  const fn = new Node("AsStridedBackward0", ([g]) => [asStridedBackward(g!, baseGeom, viewGeom)], [base]);
  fn._outputMeta = [new TensorMeta(viewGeom.shape, view.dtype)];
  const old = view._grad_fn, oldNr = view._output_nr;
  view._grad_fn = fn;
  view._output_nr = 0;
  view._attrVersion = view._version;
  moveRetainsGrad(view, old, oldNr);
  return fn;
}

/** PyTorch's as_strided_backward for an input that does not overlap itself: the gradient of each
 *  element of the view is added at its storage position (summing where the view repeats one, as
 *  an expanded view does), then the input's geometry reads it back. Tensor ops, so differentiable. */
function asStridedBackward(g: Tensor, input: Geometry, view: Geometry): Tensor {
  const n = numel(view.shape), nd = view.shape.length;
  const pos = new BigInt64Array(n), idx = new Array<number>(nd).fill(0);
  for (let k = 0, p = view.offset; k < n; k++) {
    pos[k] = BigInt(p);
    for (let d = nd - 1; d >= 0; d--) {
      p += view.strides[d]!;
      if (++idx[d]! < view.shape[d]!) break;
      p -= view.strides[d]! * view.shape[d]!;
      idx[d] = 0;
    }
  }
  const storage = g.new_zeros([Math.max(extent(input), extent(view))]);
  const flat = storage.scatter_add(0, Tensor.fromStorage(pos, [n], int64), g.reshape(-1));
  return flat.as_strided(input.shape, input.strides, 0);
}

/** PyTorch's in-place view ops (unsqueeze_, squeeze_, transpose_, t_ …): `self` takes the geometry
 *  of `view` (the out-of-place view op, run off the graph), its version moves on, and where
 *  autograd records, its history goes through a node `name` (PyTorch's in-place variant,
 *  UnsqueezeBackward1 …) whose `backward` maps the new geometry's gradient back to the old one.
 *  The data does not move, so a view stays a view of its base and keeps its own history (no
 *  CopySlices), as in PyTorch; a leaf that requires grad refuses, as any in-place op. */
export function inplaceView(self: Tensor, name: string, view: (x: Tensor) => Tensor, backward: (g: Tensor) => Tensor): Tensor {
  checkInplaceAllowed(self);
  const v = no_grad(() => view(self));
  const node = self.requires_grad && is_grad_enabled() ? new Node(name, ([g]) => [backward(g!)], [self]) : null;
  self._shape = v._shape; self._strides = v._strides; self._offset = v._offset;
  self._bumpVersion();
  if (node) {
    node._outputMeta = [metaOf(self)];
    const old = self._grad_fn, oldNr = self._output_nr;
    self._grad_fn = node;
    self._output_nr = 0;
    self._attrVersion = self._version; // (a view's own history now: not to be rebuilt from its base)
    moveRetainsGrad(self, old, oldNr);
  }
  return self;
}

/** A retained non-leaf keeps its .grad across a new grad_fn: the retain_grad entry moves to the new
 *  node (PyTorch's update_tensor_hooks_on_new_gradfn); other hooks stay with the old one. */
function moveRetainsGrad(t: Tensor, old: Node | null, oldNr: number): void {
  const retained = t._retains_grad ? old?._hooks?.retained : undefined;
  const ref = retained?.get(oldNr);
  if (!ref || ref.deref() !== t) return;
  retained!.delete(oldNr);
  t._grad_fn!._hooksForUpdate().retained.set(t._output_nr, ref);
}

const VIEW_REBASE_HINTS: Record<string, string> = {
  multi_output_node: " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.",
  no_grad_mode: " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
  inference_mode: " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the inference_mode block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
  in_custom_function: " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.",
};

/** PyTorch's handle_view_on_rebase (variable.cpp), word for word: refuses to rebase a view that
 *  is not DEFAULT (Note [Differentiable views]). `indirect`: the write was to its base or to
 *  another view of it, found when its grad_fn was read. The node is named by its op (opNameOf) in
 *  the message of a view modified in place, as 2.13 words it, and by name() in the no_grad and
 *  inference-mode ones, which 2.13 left as they were. */
function handleViewOnRebase(view: Tensor, indirect: boolean): void {
  const meta = view._creationMeta;
  if (meta === null || meta === "default") return;
  const fn = view._grad_fn;
  const modified = indirect ? "its base or another view of its base has been" : "is being";
  let msg: string;
  if (meta === "inference_mode" || meta === "no_grad_mode" || !fn) {
    const prefix = fn ? `Output ${view._output_nr} of ${fn.name()} is a view of a view which was created in` : "A view was created in"; // (2.13 keeps the node's name here)
    msg = meta === "inference_mode" ? `${prefix} inference mode and ${modified} modified inplace in normal mode.`
      : `${prefix} no_grad mode and ${modified} modified inplace with grad mode enabled.`;
  } else {
    msg = `Output ${view._output_nr} of ${opNameOf(fn)} is a view and ${modified} modified inplace.`;
  }
  throw new Error(msg + VIEW_REBASE_HINTS[meta]!);
}

// ---- the basic writes: copy_, fill_, zero_ ---------------------------------------------------------

import { record } from "../autograd/record.js";
import { installMethods } from "./util.js";
import type { Scalar } from "../core/dtype.js";

/** self.copy_(src): src broadcast and cast into self (grad_fn CopyBackwards, as PyTorch names it). */
export function copy_(self: Tensor, src: Tensor): Tensor {
  // (TensorIterator's shape checks: src must broadcast to self)
  const bs = broadcastShapes(self.shape, src.shape);
  if (!sameShape(bs, self.shape)) throw new Error(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${bs.join(", ")}]`);
  // No graph to record, on the CPU, src's memory apart from self's: straight into self's elements
  // (the general path below makes a zeroed tensor, copies into it, then copies that back: three
  // passes where PyTorch makes one; a 4M-float copy_ 3.1 -> 1.1 ms). The same copy either way.
  if (self.device.type === "cpu" && src.device.type === "cpu" && !(is_grad_enabled() && (self.requires_grad || src.requires_grad))
      && (self._storage.data as ArrayBufferView).buffer !== (src._storage.data as ArrayBufferView).buffer) {
    return writeDirect(self, () => { K.copyInto(self, src); return true; })!;
  }
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype, self.device);
    K.copyInto(out, src);
    const srcDtype = src.dtype;
    return record("CopyBackwards", [self, src], out, ([g]) => [g!.mul(0), srcDtype.is_floating_point ? g!.to(srcDtype) : null]);
  });
}

/** self.fill_(value): every element set; the gradient to self's history is zero. 2.x's
 *  derivatives.yaml gives fill_ its own nodes: FillBackward2 (a number), FillBackward3 (a tensor). */
export function fill_(self: Tensor, value: Scalar | Tensor): Tensor {
  if (value instanceof Tensor && value.ndim !== 0)
    throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  if (!(value instanceof Tensor)) checkedConvert(value, self.dtype, "fill");
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype, self.device);
    if (value instanceof Tensor) K.copyInto(out, value); else K.fill(out, value);
    const v = value instanceof Tensor ? value : null;
    return record(v ? "FillBackward3" : "FillBackward2", [self, v], out, ([g]) => [g!.mul(0), v ? g!.sum() : null]);
  }, value instanceof Tensor ? "refuse" : "allow"); // (fill_ of a tensor is a copy_ in PyTorch)
}

export function zero_(self: Tensor): Tensor {
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype, self.device);
    return record("ZeroBackward0", [self], out, ([g]) => [g!.mul(0)]);
  }, "allow");
}

installMethods({ copy_, fill_, zero_ });

declare module "../core/tensor.js" {
  interface Tensor {
    copy_(src: Tensor): Tensor;
    fill_(value: Scalar | Tensor): Tensor;
    zero_(): Tensor;
  }
}
