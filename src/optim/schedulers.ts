// torch.optim.lr_scheduler as users see it: each scheduler's constructor parsed by PyTorch's
// signature (core/argparse.ts, Note [Signatures]); LRScheduler, the base class that subclasses
// construct with arguments of their own, as it is.

import { parsedClasses } from "../core/argparse.js";
import * as s from "./lr_scheduler.js";

export { LRScheduler, _LRScheduler, type OneCycleLROptions, type CyclicLROptions, type ReduceLROnPlateauOptions } from "./lr_scheduler.js";
export const {
  LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR,
  CosineAnnealingWarmRestarts, OneCycleLR, CyclicLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau,
} = parsedClasses("lr_scheduler", s);
export type LambdaLR = s.LambdaLR;
export type MultiplicativeLR = s.MultiplicativeLR;
export type StepLR = s.StepLR;
export type MultiStepLR = s.MultiStepLR;
export type ConstantLR = s.ConstantLR;
export type LinearLR = s.LinearLR;
export type ExponentialLR = s.ExponentialLR;
export type PolynomialLR = s.PolynomialLR;
export type CosineAnnealingLR = s.CosineAnnealingLR;
export type CosineAnnealingWarmRestarts = s.CosineAnnealingWarmRestarts;
export type OneCycleLR = s.OneCycleLR;
export type CyclicLR = s.CyclicLR;
export type SequentialLR = s.SequentialLR;
export type ChainedScheduler = s.ChainedScheduler;
export type ReduceLROnPlateau = s.ReduceLROnPlateau;
