// Normalisation layers (torch/nn/modules/batchnorm.py, instancenorm.py, normalization.py,
// PyTorch 2.x): BatchNorm1d/2d with running statistics, InstanceNorm1d/2d, LayerNorm, GroupNorm.

import { Tensor, int64 } from "../core/tensor.js";
import { formatPyFloat } from "../core/printing.js";
import { no_grad } from "../autograd/grad_mode.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { emptyParam, type FactoryOpts } from "./linear.js";
import * as init from "./init.js";
import { F } from "./F.js";
import { warnOnce, pyError } from "../ops/util.js";
import type { DType } from "../core/dtype.js";

const { batch_norm, layer_norm, group_norm, instance_norm } = F; // (profiled: Note [Profiler hook])

const pyBool = (b: boolean) => (b ? "True" : "False");


/** The affine parameters of a norm layer, as PyTorch registers them: weight when `affine`, bias
 *  when `affine` and `bias`, each registered as null otherwise (so state_dict and repr see them). */
function registerAffine(m: Module & { weight: Parameter | null; bias: Parameter | null }, shape: number[], affine: boolean, bias: boolean, o: FactoryOpts): void {
  if (affine) m.weight = emptyParam(shape, o);
  else m.register_parameter("weight", null);
  if (affine && bias) m.bias = emptyParam(shape, o);
  else m.register_parameter("bias", null);
}
/** Their initial values: weight ones, bias zeros. */
function resetAffine(m: { weight: Parameter | null; bias: Parameter | null }): void {
  if (m.weight) init.ones_(m.weight);
  if (m.bias) init.zeros_(m.bias);
}

/** The keyword-only arguments of the norm layers (PyTorch 2.1+): bias=false keeps an affine
 *  layer's weight and drops its bias. */
export interface NormKwargs { bias?: boolean }

/** PyTorch's _NormBase: weight (ones) and bias (zeros) when affine (bias only with bias=true);
 *  running_mean, running_var and num_batches_tracked buffers when track_running_stats. */
export abstract class _NormBase extends Module {
  num_features: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  running_mean!: Tensor | null;
  running_var!: Tensor | null;
  num_batches_tracked!: Tensor | null;

  /** @internal _NormBase._load_from_state_dict: a state dict of a version before 2 (or of none, a
   *  plain object) may lack num_batches_tracked, which then keeps its value. */
  override _check_state_dict(state: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], plan: (() => void)[], assign: boolean, version?: number): void {
    const key = prefix + "num_batches_tracked";
    if ((version === undefined || version < 2) && this.track_running_stats && !state.has(key))
      state.set(key, this.num_batches_tracked ?? Tensor.empty([], int64).fill_(0));
    super._check_state_dict(state, prefix, missing, unexpected, errors, plan, assign, version);
  }

  /** (momentum null: a cumulative moving average, PyTorch's momentum=None) */
  constructor(num_features: number, eps = 1e-5, momentum: number | null = 0.1, affine = true, track_running_stats = true,
    device: string | null = null, dtype: DType | null = null, { bias = true }: NormKwargs = {}) {
    super();
    const o: FactoryOpts = { device, dtype };
    this.num_features = num_features;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.track_running_stats = track_running_stats;
    registerAffine(this, [num_features], affine, bias, o);
    if (this.track_running_stats) {
      const dtype = emptyParam([0], o).dtype;
      this.register_buffer("running_mean", Tensor.empty([num_features], dtype));
      this.register_buffer("running_var", Tensor.empty([num_features], dtype));
      this.register_buffer("num_batches_tracked", Tensor.empty([], int64));
    } else {
      this.register_buffer("running_mean", null);
      this.register_buffer("running_var", null);
      this.register_buffer("num_batches_tracked", null);
    }
    this.reset_parameters();
  }

  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    no_grad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  reset_parameters(): void {
    this.reset_running_stats();
    resetAffine(this);
  }

  protected abstract _check_input_dim(input: Tensor): void;

  override extra_repr(): string {
    const m = this.momentum === null ? "None" : formatPyFloat(this.momentum);
    return `${this.num_features}, eps=${formatPyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}, track_running_stats=${pyBool(this.track_running_stats)}`;
  }
}

/** PyTorch's _BatchNorm: batch statistics in training (updating the running ones), the running
 *  statistics in evaluation. */
export abstract class _BatchNorm extends _NormBase {

  override forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    // PyTorch counts the batch before normalising; the counter moves here only once batch_norm
    // succeeded, so a bad batch changes nothing (shared/API.md §7), with the same factor
    const counting = this.training && this.track_running_stats && this.num_batches_tracked !== null;
    const factor = this.momentum ?? (counting ? 1 / (this.num_batches_tracked!.item() + 1) : 0);
    const bnTraining = this.training || (this.running_mean === null && this.running_var === null);
    const useRunning = !this.training || this.track_running_stats;
    const out = batch_norm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null,
      this.weight, this.bias, bnTraining, factor, this.eps);
    if (counting) no_grad(() => this.num_batches_tracked!.add_(1));
    return out;
  }
}

/** Batch normalisation over [N, C] or [N, C, L]: BatchNorm1d(num_features, eps=1e-5,
 *  momentum=0.1, affine=true, track_running_stats=true). */
export class BatchNorm1d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** Batch normalisation over [N, C, H, W]: BatchNorm2d(num_features, …). */
export class BatchNorm2d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 4) throw new Error(`expected 4D input (got ${input.ndim}D input)`);
  }
}

/** Batch normalisation over [N, C, D, H, W]: BatchNorm3d(num_features, …). */
export class BatchNorm3d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 5) throw new Error(`expected 5D input (got ${input.ndim}D input)`);
  }
}

/** PyTorch's _InstanceNorm: per-sample statistics (in evaluation too, unless the running ones are
 *  tracked); affine and track_running_stats default to false. An unbatched input is normalised as
 *  a batch of one. */
export abstract class _InstanceNorm extends _NormBase {
  constructor(num_features: number, eps = 1e-5, momentum: number | null = 0.1, affine = false, track_running_stats = false,
    device: string | null = null, dtype: DType | null = null, kwargs: NormKwargs = {}) {
    super(num_features, eps, momentum, affine, track_running_stats, device, dtype, kwargs);
  }
  /** rank of an unbatched input */
  protected abstract readonly _noBatchDim: number;

  override forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    const featureDim = input.ndim - this._noBatchDim;
    if (input.shape[featureDim] !== this.num_features) {
      if (this.affine)
        throw new Error(`expected input's size at dim=${featureDim} to match num_features (${this.num_features}), but got: ${input.shape[featureDim]}.`);
      warnOnce(`input's size at dim=${featureDim} does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False`);
    }
    const apply = (x: Tensor) => instance_norm(x, this.running_mean, this.running_var, this.weight, this.bias,
      this.training || !this.track_running_stats, this.momentum ?? 0, this.eps);
    return input.ndim === this._noBatchDim ? apply(input.unsqueeze(0)).squeeze(0) : apply(input);
  }
}

/** Instance normalisation of [N, C, L] or [C, L]: InstanceNorm1d(num_features, eps=1e-5,
 *  momentum=0.1, affine=false, track_running_stats=false). */
export class InstanceNorm1d extends _InstanceNorm {
  protected readonly _noBatchDim = 2;
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** Instance normalisation of [N, C, H, W] or [C, H, W]: InstanceNorm2d(num_features, …). */
export class InstanceNorm2d extends _InstanceNorm {
  protected readonly _noBatchDim = 3;
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 3 && input.ndim !== 4) throw new Error(`expected 3D or 4D input (got ${input.ndim}D input)`);
  }
}

/** Instance normalisation of [N, C, D, H, W] or [C, D, H, W]: InstanceNorm3d(num_features, …). */
export class InstanceNorm3d extends _InstanceNorm {
  protected readonly _noBatchDim = 4;
  protected _check_input_dim(input: Tensor): void {
    if (input.ndim !== 4 && input.ndim !== 5) throw new Error(`expected 4D or 5D input (got ${input.ndim}D input)`);
  }
}

/** LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0): F.local_response_norm over the channels. */
export class LocalResponseNorm extends Module {
  constructor(public size: number, public alpha = 1e-4, public beta = 0.75, public k = 1) { super(); }
  override forward(input: Tensor): Tensor { return F.local_response_norm(input, this.size, this.alpha, this.beta, this.k); }
  override extra_repr(): string { return `${this.size}, alpha=${formatPyFloat(this.alpha)}, beta=${formatPyFloat(this.beta)}, k=${formatPyFloat(this.k)}`; }
}

/** LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=true, bias=true): normalises over the
 *  last dims, weight ones and bias zeros. */
export class LayerNorm extends Module {
  normalized_shape: number[];
  eps: number;
  elementwise_affine: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  constructor(normalized_shape: number | readonly number[], eps = 1e-5, elementwise_affine = true, bias = true,
    device: string | null = null, dtype: DType | null = null) {
    super();
    const o: FactoryOpts = { device, dtype };
    this.normalized_shape = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
    this.eps = eps;
    this.elementwise_affine = elementwise_affine;
    registerAffine(this, this.normalized_shape, elementwise_affine, bias, o);
    this.reset_parameters();
  }
  reset_parameters(): void { resetAffine(this); }
  override forward(input: Tensor): Tensor { return layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps); }
  override extra_repr(): string {
    const ns = this.normalized_shape;
    return `(${ns.join(", ")}${ns.length === 1 ? "," : ""}), eps=${formatPyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** GroupNorm(num_groups, num_channels, eps=1e-5, affine=true, *, bias=true). */
export class GroupNorm extends Module {
  num_groups: number;
  num_channels: number;
  eps: number;
  affine: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  constructor(num_groups: number, num_channels: number, eps = 1e-5, affine = true, device: string | null = null, dtype: DType | null = null,
    { bias = true }: NormKwargs = {}) {
    super();
    const o: FactoryOpts = { device, dtype };
    if (num_channels % num_groups !== 0) throw pyError("ValueError", `num_channels (${num_channels}) must be divisible by num_groups (${num_groups})`);
    this.num_groups = num_groups;
    this.num_channels = num_channels;
    this.eps = eps;
    this.affine = affine;
    registerAffine(this, [num_channels], affine, bias, o);
    this.reset_parameters();
  }
  reset_parameters(): void { resetAffine(this); }
  override forward(input: Tensor): Tensor { return group_norm(input, this.num_groups, this.weight, this.bias, this.eps); }
  override extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${formatPyFloat(this.eps)}, affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** RMSNorm(normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None): input over
 *  the root mean square of its last dims, times weight (ones); eps null is the dtype's epsilon. */
export class RMSNorm extends Module {
  normalized_shape: number[];
  eps: number | null;
  elementwise_affine: boolean;
  weight!: Parameter | null;
  constructor(normalized_shape: number | readonly number[], eps: number | null = null, elementwise_affine = true,
    device: string | null = null, dtype: DType | null = null) {
    super();
    this.normalized_shape = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
    this.eps = eps;
    this.elementwise_affine = elementwise_affine;
    if (elementwise_affine) this.weight = emptyParam(this.normalized_shape, { device, dtype });
    else this.register_parameter("weight", null);
    this.reset_parameters();
  }
  reset_parameters(): void { if (this.weight) init.ones_(this.weight); }
  override forward(x: Tensor): Tensor { return F.rms_norm(x, this.normalized_shape, this.weight, this.eps); }
  override extra_repr(): string {
    const ns = this.normalized_shape;
    return `(${ns.join(", ")}${ns.length === 1 ? "," : ""}), eps=${this.eps === null ? "None" : formatPyFloat(this.eps)}, elementwise_affine=${this.elementwise_affine ? "True" : "False"}`;
  }
}
