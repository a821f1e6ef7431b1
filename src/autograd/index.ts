// torch.autograd
export { grad, autogradBackward as backward } from "./api.js";
export { Node } from "./node.js";
export { no_grad, enable_grad, set_grad_enabled, inference_mode } from "./grad_mode.js";
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export { Variable } from "../ops/legacy.js";
export { Function, FunctionCtx } from "./function.js";
export * as functional from "./functional.js";
