// torch.optim: the optimizers and, as `lr_scheduler`, torch.optim.lr_scheduler.

export { Optimizer } from "./optimizer.js";
export type { ParamGroup, ParamGroupInput, ParamsT, ParamState, OptimizerStateDict, Closure } from "./optimizer.js";
export { SGD } from "./sgd.js";
export type { SGDOptions, SGDGroup } from "./sgd.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions, AdamGroup } from "./adam.js";
export { Adagrad } from "./adagrad.js";
export type { AdagradOptions, AdagradGroup } from "./adagrad.js";
export { RMSprop } from "./rmsprop.js";
export type { RMSpropOptions, RMSpropGroup } from "./rmsprop.js";
export { Adadelta } from "./adadelta.js";
export type { AdadeltaOptions, AdadeltaGroup } from "./adadelta.js";
export { Adamax } from "./adamax.js";
export type { AdamaxOptions, AdamaxGroup } from "./adamax.js";
export { NAdam } from "./nadam.js";
export type { NAdamOptions, NAdamGroup } from "./nadam.js";
export { RAdam } from "./radam.js";
export type { RAdamOptions, RAdamGroup } from "./radam.js";
export * as lr_scheduler from "./lr_scheduler.js";
export { LBFGS } from "./lbfgs.js";
export type { LBFGSOptions, LBFGSGroup } from "./lbfgs.js";
