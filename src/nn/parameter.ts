// nn.Parameter: a Tensor that a Module registers as one of its parameters when assigned to it.
//
// As in PyTorch (`Tensor._make_subclass(cls, data.detach(), requires_grad)`), a Parameter is a
// fresh leaf that shares the given tensor's storage: in-place changes to one show in the other,
// and they share the version counter. Ops on a Parameter return plain Tensors (PyTorch disables
// __torch_function__ for Parameter, so `p.mul(2)` is a Tensor, not a Parameter).

import { Tensor } from "../core/tensor.js";
import { get_default_dtype } from "../core/dtype.js";

export class Parameter extends Tensor {
  constructor(data: Tensor | null = null, requires_grad = true) {
    const d = data ?? Tensor.empty([0], get_default_dtype());
    super(d._storage, d._shape.slice(), d._strides.slice(), d._offset, d.dtype, d.device);
    // PyTorch's message for Parameter(int_tensor) (requires_grad_ has the shorter wording)
    if (requires_grad && !d.dtype.is_floating_point)
      throw new Error("Only Tensors of floating point and complex dtype can require gradients");
    this._requires_grad = requires_grad;
  }

  /** repr: "Parameter containing:\ntensor([...], requires_grad=True)" (torch/nn/parameter.py). */
  override _reprPrefix(): string { return "Parameter containing:\ntensor("; }
  override get [Symbol.toStringTag](): string { return "Parameter"; }
}

export function isParameter(x: unknown): x is Parameter { return x instanceof Parameter; }
