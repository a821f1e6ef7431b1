// torch.optim: the optimizers and, as `lr_scheduler`, torch.optim.lr_scheduler. The optimizers'
// constructors are parsed by PyTorch's signatures (Note [Signatures] in core/argparse.ts):
// `new optim.SGD(params, 0.1, 0.9)` is `new optim.SGD(params, {lr: 0.1, momentum: 0.9})`.
import { parsedClasses } from "../core/argparse.js";

export { Optimizer } from "./optimizer.js";
export type { ParamGroup, ParamGroupInput, ParamsT, ParamState, OptimizerStateDict, Closure } from "./optimizer.js";
import * as sgd_ from "./sgd.js";
export const { SGD } = parsedClasses("optim", sgd_);
export type SGD = sgd_.SGD;
export type { SGDOptions, SGDGroup } from "./sgd.js";
import * as adam_ from "./adam.js";
export const { Adam, AdamW } = parsedClasses("optim", adam_);
export type Adam = adam_.Adam;
export type AdamW = adam_.AdamW;
export type { AdamOptions, AdamGroup } from "./adam.js";
import * as adagrad_ from "./adagrad.js";
export const { Adagrad } = parsedClasses("optim", adagrad_);
export type Adagrad = adagrad_.Adagrad;
export type { AdagradOptions, AdagradGroup } from "./adagrad.js";
import * as rmsprop_ from "./rmsprop.js";
export const { RMSprop } = parsedClasses("optim", rmsprop_);
export type RMSprop = rmsprop_.RMSprop;
export type { RMSpropOptions, RMSpropGroup } from "./rmsprop.js";
import * as adadelta_ from "./adadelta.js";
export const { Adadelta } = parsedClasses("optim", adadelta_);
export type Adadelta = adadelta_.Adadelta;
export type { AdadeltaOptions, AdadeltaGroup } from "./adadelta.js";
import * as adamax_ from "./adamax.js";
export const { Adamax } = parsedClasses("optim", adamax_);
export type Adamax = adamax_.Adamax;
export type { AdamaxOptions, AdamaxGroup } from "./adamax.js";
import * as nadam_ from "./nadam.js";
export const { NAdam } = parsedClasses("optim", nadam_);
export type NAdam = nadam_.NAdam;
export type { NAdamOptions, NAdamGroup } from "./nadam.js";
import * as radam_ from "./radam.js";
export const { RAdam } = parsedClasses("optim", radam_);
export type RAdam = radam_.RAdam;
export type { RAdamOptions, RAdamGroup } from "./radam.js";
export * as lr_scheduler from "./schedulers.js";
import * as lbfgs_ from "./lbfgs.js";
export const { LBFGS } = parsedClasses("optim", lbfgs_);
export type LBFGS = lbfgs_.LBFGS;
export type { LBFGSOptions, LBFGSGroup } from "./lbfgs.js";
