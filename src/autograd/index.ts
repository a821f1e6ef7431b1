// torch.autograd
import { grad as gradImpl, autogradBackward } from "./api.js";
import { parsedFunction } from "../core/argparse.js";
/** torch.autograd.grad and backward, every parameter by position or by name (the library's own
 *  callers use the implementations' options form). */
export const grad = parsedFunction("autograd.grad", gradImpl);
export const backward = parsedFunction("autograd.backward", autogradBackward);
export { Node } from "./node.js";
export { no_grad, enable_grad, set_grad_enabled, inference_mode } from "./grad_mode.js";
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export { Variable } from "../ops/legacy.js";
export { Function, FunctionCtx } from "./function.js";
export * as functional from "./functional.js";
