// torch.autograd
import { grad as gradImpl, autogradBackward } from "./api.js";
import { parsedFunction } from "../core/argparse.js";
import type { Tensor } from "../core/tensor.js";
/** torch.autograd.grad and backward, every parameter by position or by name (the library's own
 *  callers use the implementations' options form). */
type Grads = Tensor | (Tensor | null)[] | null;
export const grad = parsedFunction("autograd.grad", gradImpl) as ReturnType<typeof parsedFunction<typeof gradImpl>> &
  ((outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], grad_outputs?: Grads, retain_graph?: boolean | null, create_graph?: boolean,
    only_inputs?: boolean, allow_unused?: boolean | null, is_grads_batched?: boolean, materialize_grads?: boolean) => (Tensor | null)[]);
export const backward = parsedFunction("autograd.backward", autogradBackward) as ReturnType<typeof parsedFunction<typeof autogradBackward>> &
  ((tensors: Tensor | Tensor[], grad_tensors?: Grads, retain_graph?: boolean | null, create_graph?: boolean,
    grad_variables?: Grads, inputs?: Tensor | Tensor[] | null) => void);
export { Node } from "./node.js";
export { set_detect_anomaly, detect_anomaly } from "./anomaly_mode.js";
export { no_grad, enable_grad, set_grad_enabled, inference_mode } from "./grad_mode.js";
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export { Variable } from "../ops/legacy.js";
export { Function, FunctionCtx } from "./function.js";
export * as functional from "./functional.js";
