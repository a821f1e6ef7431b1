// torch.nn.utils: gradient clipping and flat parameter vectors (torch/nn/utils/clip_grad.py,
// convert_parameters.py, PyTorch 2.x), and the namespace torch.nn.utils.rnn (utils_rnn.ts). Each
// function is parsed by PyTorch's signature (Note [Signatures]), taking its parameters by position.

import { Tensor } from "../core/tensor.js";
import { no_grad } from "../autograd/grad_mode.js";
import { vector_norm } from "../ops/norms.js";
import { stack, cat } from "../ops/indexing.js";
import { tensor } from "../ops/creation.js";
import { div } from "../ops/elementwise.js";
import { formatPyFloat } from "../core/printing.js";
import { typename } from "./module.js";
import { parsedFunction } from "../core/argparse.js";
import "./_ops.js";

type Params = Tensor | Iterable<Tensor>;
const asList = (p: Params): Tensor[] => (p instanceof Tensor ? [p] : [...p]);

/**
 * Scales the gradients of `parameters` in place so that their total norm (the norm of the
 * per-gradient norms) is at most max_norm; returns the total norm before clipping, as a tensor.
 * The scale is max_norm / (total + 1e-6), clamped to 1, as PyTorch computes it.
 * clip_grad_norm_(parameters, max_norm, norm_type=2, error_if_nonfinite=false, foreach=null)
 * (foreach picks PyTorch's kernels, not the result).
 */
export const clip_grad_norm_ = parsedFunction("utils.clip_grad_norm_", function clip_grad_norm_(parameters: Params, max_norm: number,
  norm_type: number | "inf" = 2, error_if_nonfinite = false, foreach: boolean | null = null): Tensor {
  void foreach;
  const p = norm_type === "inf" ? Infinity : Number(norm_type);
  const grads = asList(parameters).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0);
  return no_grad(() => {
    const norms = grads.map((g) => vector_norm(g, p));
    const total = vector_norm(stack(norms.map((n) => n.to(norms[0]!.dtype))), p);
    if (error_if_nonfinite && !Number.isFinite(total.item()))
      throw new Error(`The total norm of order ${formatPyFloat(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
    const coef = div(max_norm, total.add(1e-6)).clamp(null, 1.0);
    for (const g of grads) g.mul_(coef.to(g.dtype));
    return total;
  });
});

/** Clamps every gradient of `parameters` to [-clip_value, clip_value], in place:
 *  clip_grad_value_(parameters, clip_value, foreach=null). */
export const clip_grad_value_ = parsedFunction("utils.clip_grad_value_", function clip_grad_value_(parameters: Params, clip_value: number,
  foreach: boolean | null = null): void {
  void foreach;
  const v = Number(clip_value);
  no_grad(() => { for (const t of asList(parameters)) if (t.grad !== null) t.grad.clamp_(-v, v); });
});

/** All parameters flattened into one vector (differentiable: CatBackward0). */
export const parameters_to_vector = parsedFunction("utils.parameters_to_vector", function parameters_to_vector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.view(-1)));
});

/** Points each parameter's data at its slice of `vec` (shared memory, as PyTorch's param.data = …). */
export const vector_to_parameters = parsedFunction("utils.vector_to_parameters", function vector_to_parameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`expected torch.Tensor, but got: ${typename(vec)}`);
  let pointer = 0;
  for (const param of parameters) {
    const n = param.numel();
    param.data = vec.slice(0, pointer, pointer + n).view_as(param).data;
    pointer += n;
  }
});

// torch.nn.utils.rnn: PackedSequence, pack_padded_sequence, pad_packed_sequence, pad_sequence …
export * as rnn from "./utils_rnn.js";
