// In-place ops. Every `op_` is its out-of-place op followed by a write-back, so each op keeps one
// forward and one backward. This module does the write-back: PyTorch's checks (leaf, dtype,
// shape), the version bump, and the rebase of autograd history, through CopySlices when the
// tensor is a view (Note [In-place on views]).

import { Tensor } from "../core/tensor.js";
import { broadcastShapes } from "../core/shape.js";
import { can_cast } from "../core/dtype.js";
import * as K from "../backends/ts/kernels.js";
import { is_grad_enabled, is_inference_mode_enabled } from "../autograd/grad_mode.js";
import { Node, SavedTensor, edgeOf, type Grads } from "../autograd/node.js";

function typeName(d: Tensor["dtype"]): string {
  const m: Record<string, string> = { float32: "Float", float64: "Double", float16: "Half", bfloat16: "BFloat16", int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool" };
  return m[d.name]!;
}

/** Throws PyTorch's error when autograd forbids writing into `self`. */
export function checkInplaceAllowed(self: Tensor): void {
  if (self.is_inference() && !is_inference_mode_enabled())
    throw new Error("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
  if (!is_grad_enabled()) return;
  if (self.is_leaf && self._requires_grad)
    throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
  const base = self._base;
  if (base && base.is_leaf && base._requires_grad)
    throw new Error("a view of a leaf Variable that requires grad is being used in an in-place operation.");
}

/**
 * Writes `compute()`'s result into self and rebases history. Nothing is written when the
 * computation or a check throws (DESIGN principle 7).
 */
export function inplace(self: Tensor, compute: () => Tensor): Tensor {
  checkInplaceAllowed(self);
  const oldEdge = edgeOf(self);
  const result = compute();
  if (!can_cast(result.dtype, self.dtype))
    throw new Error(`result type ${typeName(result.dtype)} can't be cast to the desired output type ${typeName(self.dtype)}`);
  const bs = broadcastShapes(self.shape, result.shape);
  if (bs.length !== self.shape.length || bs.some((s, i) => s !== self.shape[i]))
    throw new Error(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${bs.join(", ")}]`);
  const fn = result.grad_fn;
  // The op's formula may read self's old value: keep a copy, as PyTorch saves original_self.
  if (fn && fn._saved) {
    fn._saved = fn._saved.map((s) => (s && s.tensor === self ? new SavedTensor(K.contiguousCopy(self), fn) : s));
  }
  K.copyInto(self, result);
  self._bumpVersion();
  if (fn) rebaseHistory(self, fn, result._output_nr, oldEdge[0] ? fn.next_functions.findIndex((e) => e[0] === oldEdge[0] && e[1] === oldEdge[1]) : -1);
  return self;
}

/** Note [In-place on views]: after an in-place op on a view, the gradient of the view's base
 *  must route the region the view covers through the op's backward: the base's grad_fn becomes
 *  CopySlices(old base history, op), and the view's grad_fn reads its region of the new base. */
export function rebaseHistory(self: Tensor, fn: Node, outputNr: number, selfIndex: number): void {
  const base = self._base;
  if (!base) {
    self._grad_fn = fn;
    self._output_nr = outputNr;
    return;
  }
  const baseEdge = edgeOf(base);
  const geom = { shape: self.shape.slice(), strides: self._strides.slice(), offset: self._offset - base._offset };
  const baseShape = base.shape.slice(), baseDtype = base.dtype;
  const others = fn.next_functions.map((_, i) => i).filter((i) => i !== selfIndex);
  const copySlices = new Node("CopySlices", ([g]) => {
    const gb = K.contiguousCopy(g!);
    const region = new Tensor(gb._storage, geom.shape, geom.strides, geom.offset, gb.dtype);
    const res: Grads = fn.apply([K.contiguousCopy(region)]);
    const gSelf = selfIndex >= 0 ? res[selfIndex] : null;
    if (gSelf) K.copyInto(region, gSelf); else K.fill(region, 0);
    return [gb, ...others.map((i) => res[i] ?? null)];
  }, []);
  copySlices.next_functions = [baseEdge, ...others.map((i) => fn.next_functions[i]!)];
  copySlices._inputMeta = [baseEdge[0] ? { shape: baseShape, dtype: baseDtype } : null, ...others.map((i) => fn._inputMeta[i] ?? null)];
  copySlices._outputMeta = [{ shape: baseShape, dtype: baseDtype }];
  copySlices._release = () => fn._release();
  base._grad_fn = copySlices;
  base._output_nr = 0;
  // The view now reads its region of the rebased base.
  const view = new Node("AsStridedBackward0", ([g]) => {
    const gb = Tensor.empty(baseShape, g!.dtype);
    K.copyInto(new Tensor(gb._storage, geom.shape, geom.strides, geom.offset, gb.dtype), g!);
    return [gb];
  }, [base]);
  view._outputMeta = [{ shape: geom.shape, dtype: self.dtype }];
  self._grad_fn = view;
  self._output_nr = 0;
}

// ---- the basic writes: copy_, fill_, zero_ ---------------------------------------------------------

import { record } from "../autograd/record.js";
import { installMethods } from "./util.js";
import type { Scalar } from "../core/dtype.js";

/** self.copy_(src): src broadcast and cast into self (grad_fn CopyBackwards, as PyTorch names it). */
export function copy_(self: Tensor, src: Tensor): Tensor {
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype);
    K.copyInto(out, src);
    const srcDtype = src.dtype;
    return record("CopyBackwards", [self, src], out, ([g]) => [g!.mul(0), srcDtype.is_floating_point ? g!.to(srcDtype) : null]);
  });
}

/** self.fill_(value): every element set; the gradient to self's history is zero (FillBackward0). */
export function fill_(self: Tensor, value: Scalar | Tensor): Tensor {
  if (value instanceof Tensor && value.ndim !== 0)
    throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype);
    if (value instanceof Tensor) K.copyInto(out, value); else K.fill(out, value);
    const v = value instanceof Tensor ? value : null;
    return record(v ? "FillBackward1" : "FillBackward0", [self, v], out, ([g]) => [g!.mul(0), v ? g!.sum() : null]);
  });
}

export function zero_(self: Tensor): Tensor {
  return inplace(self, () => {
    const out = Tensor.empty(self.shape, self.dtype);
    return record("ZeroBackward0", [self], out, ([g]) => [g!.mul(0)]);
  });
}

installMethods({ copy_, fill_, zero_ });

declare module "../core/tensor.js" {
  interface Tensor {
    copy_(src: Tensor): Tensor;
    fill_(value: Scalar | Tensor): Tensor;
    zero_(): Tensor;
  }
}
