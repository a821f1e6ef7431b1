// Everything under `torch.`: re-exported from the modules that define it.

export { Tensor } from "./core/tensor.js";
import type { Tensor } from "./core/tensor.js";
export {
  DType as dtype, float32, float64, float16, bfloat16, int8, uint8, int16, int32, int64, bool,
  get_default_dtype,
} from "./core/dtype.js";
export { float32 as float, float64 as double, float16 as half, int32 as int, int64 as long } from "./core/dtype.js";
export { device, Device } from "./core/device.js";
import type { Device } from "./core/device.js";
/** `torch.device` as a type too, as PyTorch's annotations use it (`def train(model, device: torch.device)`). */
export type device = Device;
export { finfo, iinfo, type FInfo, type IInfo } from "./core/type_info.js";
export { Size } from "./core/shape.js";
export { UntypedStorage } from "./core/untyped_storage.js";
export { memory_format, contiguous_format, channels_last, channels_last_3d, preserve_format } from "./core/memory_format.js";
export * as backends from "./core/backends_ns.js";
export * as accelerator from "./core/accelerator.js";
export { webgpuModule as webgpu } from "./backends/webgpu/index.js";
import * as func_ from "./func/index.js";
/** torch.func, its functions parsed by PyTorch's signatures (core/argparse.ts). */
export const func = parsedNamespace("func", func_);
export const vmap = func.vmap;
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled } from "./autograd/grad_mode.js";
export * from "./ops/elementwise.js";
export { view } from "./ops/views.js";
export * from "./ops/reduce.js";
export * from "./ops/indexing.js";
// where: the explicit export (1-arg form added) shadows elementwise's 3-arg one from `export *`
export { slice, Slice, type Index, type RepeatInterleaveOpts } from "./ops/index_ops.js";
export * from "./ops/linalg.js";
export * from "./ops/creation.js";
export { get_printoptions } from "./core/printing.js";
export * from "./ops/random_ops.js";
export { _standard_gamma, _standard_gamma_grad, _sample_dirichlet, _dirichlet_grad } from "./ops/distribution_ops.js";
export * from "./ops/convert.js";
export * from "./ops/legacy.js";
export * as autograd from "./autograd/index.js";
export * as profiler from "./profiler/index.js";
export { set_num_threads, get_num_threads } from "./backends/index.js";
// (the torch.* forms whose arguments are F.*'s; others, such as torch.embedding(weight, input),
// take them in another order and are left out rather than aliased wrongly)
export * as nn from "./nn/index.js";
export { compile, compiler, _dynamo, _inductor } from "./compile/index.js";
export * as optim from "./optim/index.js";
export * as utils from "./utils/index.js";
export { serialization, safetensors } from "./io/index.js";
export * as numpy from "./io/numpy_ns.js";
export * as torchviz from "./torchviz.js";
export * as distributed from "./distributed/index.js";
export { type ScatterReduce } from "./ops/shape_ops.js";
export * as distributions from "./distributions/index.js";
import { LinAlgError } from "./ops/decompositions.js";
/** torch._C: of PyTorch's C module, the classes Python code names through it (torch._C._LinAlgError,
 *  the same class as torch.linalg.LinAlgError). */
export const _C = { _LinAlgError: LinAlgError };

// Note [Signatures]: the functions PyTorch declares are exported parsed by their signatures
// (core/argparse.ts), so that each parameter may be given by position or by name as PyTorch allows
// (`torch.stack(ts, {dim: 1})`) and a call that fits no signature gets PyTorch's TypeError. These
// exports take precedence over the `export *` lines above; a test checks that none is missed.
import { parsedFunction, parsedNamespace, parsedTorchFunctions, type ParsedNamespace } from "./core/argparse.js";
import * as elementwise_ from "./ops/elementwise.js";
export const {
  abs, acos, add, allclose, arccos, arcsin, arctan, arctan2, asin, atan, atan2, bitwise_and,
  bitwise_left_shift, bitwise_not, bitwise_or, bitwise_right_shift, bitwise_xor, ceil, clamp, clamp_max,
  clamp_min, clip, cos, cosh, div, divide, eq, equal, erf, erfc, exp, exp2, expm1, fix, float_power, floor,
  floor_divide, fmax, fmin, fmod, frac, ge, greater, greater_equal, gt, isclose, isfinite, isinf, isnan,
  isneginf, isposinf, le, lerp, less, less_equal, log, log10, log1p, log2, logical_and, logical_not,
  logical_or, logical_xor, logit, lt, maximum, minimum, mul, multiply, nan_to_num, ne, neg, negative,
  not_equal, pow, reciprocal, relu, remainder, round, rsqrt, rsub, sgn, sigmoid, sign, signbit, sin, sinh,
  sqrt, square, sub, subtract, tan, tanh, true_divide, trunc,
} = parsedTorchFunctions(elementwise_);
import * as special_ops_ from "./ops/special_ops.js";
export const {
  acosh, addcdiv, addcmul, arccosh, arcsinh, arctanh, asinh, atanh, copysign, deg2rad, digamma, erfinv, frexp,
  gcd, heaviside, hypot, i0, igamma, igammac, is_nonzero, isin, isreal, lcm, ldexp, lgamma, logaddexp, logaddexp2, mvlgamma,
  nextafter, polygamma, positive, rad2deg, sinc, xlogy,
} = parsedTorchFunctions(special_ops_);
import * as pooling_ from "./ops/pooling.js";
export const {
  adaptive_avg_pool1d, avg_pool1d, max_pool1d, max_pool1d_with_indices, max_pool2d, max_pool3d,
} = parsedTorchFunctions(pooling_);
// (torch.adaptive_max_pool1d is ATen's op, which returns the indices too; F's gives them on request)
export const { adaptive_max_pool1d } = parsedTorchFunctions({
  adaptive_max_pool1d: (input: Tensor, output_size: number | readonly number[]): pooling_.PoolWithIndices => pooling_.adaptive_max_pool1d(input, output_size, true),
});
import * as linalg_ from "./ops/linalg.js";
export const {
  addbmm, addmm, addmv, baddbmm, bmm, dot, ger, inner, matmul, mm, mv, outer,
} = parsedTorchFunctions(linalg_);
import * as shape_ops_ from "./ops/shape_ops.js";
export const {
  addr, atleast_1d, atleast_2d, atleast_3d, bincount, block_diag, broadcast_shapes, broadcast_tensors,
  bucketize, cartesian_prod, chain_matmul, column_stack, combinations, corrcoef, cov, diagflat,
  diagonal_scatter, dsplit, dstack, histc, hsplit, index_copy, index_reduce, meshgrid, narrow_copy, ravel,
  range, renorm, rot90, scatter_reduce, searchsorted, select_scatter, slice_scatter, take_along_dim, tensor_split, trace,
  tril_indices, triu_indices, unravel_index, vander, vdot, vsplit,
} = parsedTorchFunctions(shape_ops_);
import * as reduce_ from "./ops/reduce.js";
export const {
  all, amax, amin, any, argmax, argmin, cumprod, cumsum, log_softmax, logsumexp, max, mean, min, prod, softmax,
  sum,
} = parsedTorchFunctions(reduce_);
import * as statistics_ from "./ops/statistics.js";
const statistics = parsedTorchFunctions(statistics_);
export const {
  aminmax, count_nonzero, cummax, cummin, cumulative_trapezoid, diff, logcumsumexp, nanmean, nansum, std,
  std_mean, trapezoid, trapz, var_mean,
} = statistics;
// (exported as `var` below: a reserved word cannot name a declaration)
const var_ = statistics.var;
import * as creation_ from "./ops/creation.js";
export const {
  arange, as_tensor, empty, empty_like, eye, frombuffer, full, full_like, linspace, logspace, ones, ones_like,
  scalar_tensor, tensor, zeros, zeros_like,
} = parsedTorchFunctions(creation_);
import * as sorting_ from "./ops/sorting.js";
export const {
  argsort, kthvalue, median, mode, msort, nanmedian, nanquantile, quantile, sort, topk, unique,
  unique_consecutive,
} = parsedTorchFunctions(sorting_);
import * as index_ops_ from "./ops/index_ops.js";
export const {
  argwhere, diag, diag_embed, index_fill, index_put, index_put_, masked_scatter, masked_select, nonzero,
  repeat_interleave, roll, take, tile, tril, triu, where,
} = parsedTorchFunctions(index_ops_);
import * as views_ from "./ops/views.js";
export const {
  as_strided, broadcast_to, chunk, clone, detach, detach_, diagonal, flatten, moveaxis, movedim, narrow,
  permute, reshape, select, split, squeeze, swapaxes, swapdims, t, transpose, unbind, unflatten,
  unsqueeze,
} = parsedTorchFunctions(views_);
import * as random_ops_ from "./ops/random_ops.js";
export const {
  bernoulli, get_rng_state, initial_seed, manual_seed, multinomial, normal, rand, rand_like, randint,
  randint_like, randn, randn_like, randperm, seed, set_rng_state,
} = parsedTorchFunctions(random_ops_);
import * as indexing_ from "./ops/indexing.js";
export const {
  cat, concat, concatenate, flip, fliplr, flipud, gather, hstack, index_add, index_select, masked_fill,
  scatter, scatter_add, stack, vstack,
} = parsedTorchFunctions(indexing_);
import * as norms_ from "./ops/norms.js";
export const {
  cdist, dist, norm,
} = parsedTorchFunctions(norms_);
import * as functional_ from "./nn/functional.js";
export const {
  celu, channel_shuffle, cosine_similarity, hardshrink, pairwise_distance, prelu, rrelu, selu, threshold,
} = parsedTorchFunctions(functional_);
import * as decompositions_ from "./ops/decompositions.js";
export const {
  cholesky, cholesky_inverse, cholesky_solve, logdet, lu, lu_unpack, pinverse, triangular_solve,
} = parsedTorchFunctions(decompositions_);
import * as conv_ from "./ops/conv.js";
export const {
  conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d,
} = parsedTorchFunctions(conv_);
import * as einsum_ from "./ops/einsum.js";
export const {
  cross, einsum, kron, tensordot,
} = parsedTorchFunctions(einsum_);
import * as linalg_ns_ from "./ops/linalg_ns.js";
export const {
  det, matrix_exp, matrix_power, slogdet,
} = parsedTorchFunctions(linalg_ns_);
import * as normalization_ from "./ops/normalization.js";
export const {
  group_norm, layer_norm,
} = parsedTorchFunctions(normalization_);
import * as legacy_ from "./ops/legacy.js";
export const {
  is_floating_point, is_tensor, numel,
} = parsedTorchFunctions(legacy_);
import * as upsample_ from "./ops/upsample.js";
export const {
  pixel_shuffle, pixel_unshuffle,
} = parsedTorchFunctions(upsample_);
export const absolute = parsedFunction("torch.absolute", special_ops_.absolute);
export const inverse = parsedFunction("torch.inverse", decompositions_.inv);
export const lu_solve = parsedFunction("torch.lu_solve", decompositions_.torch_lu_solve);
export const qr = parsedFunction("torch.qr", decompositions_.torch_qr);
export const svd = parsedFunction("torch.svd", decompositions_.torch_svd);
import { inplaceFunctions } from "./ops/inplace_fns.js";
export const {
  abs_, acos_, acosh_, arccos_, arccosh_, arcsin_, arcsinh_, arctan_, arctanh_, asin_, asinh_, atan_, atanh_, ceil_, clamp_,
  clamp_max_, clamp_min_, clip_, cos_, cosh_, deg2rad_, erf_, erfc_, exp2_, exp_, expm1_, fill_, fix_, floor_, frac_, gcd_,
  i0_, lcm_, ldexp_, log10_, log1p_, log2_, log_, logit_, nan_to_num_, neg_, negative_, rad2deg_, reciprocal_, relu_, round_,
  rsqrt_, sigmoid_, sin_, sinc_, sinh_, sqrt_, square_, tan_, tanh_, trunc_, xlogy_,
} = parsedTorchFunctions(inplaceFunctions);
import * as distribution_ops_ from "./ops/distribution_ops.js";
export const { binomial, poisson } = parsedTorchFunctions(distribution_ops_);
import * as anomaly_mode_ from "./autograd/anomaly_mode.js";
export const { is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled } = parsedTorchFunctions(anomaly_mode_);
import * as extra_ops_ from "./ops/extra_ops.js";
export const { as_strided_scatter, histogram, histogramdd, nonzero_static, put } = parsedTorchFunctions(extra_ops_);
export { layout, strided } from "./ops/extra_ops.js";
import * as extra_torch_ from "./ops/extra_torch.js";
export const {
  addmv_, affine_grid_generator, eig, grid_sampler, grid_sampler_2d, lstsq, matrix_rank, set_default_tensor_type, solve, symeig, alias_copy, alpha_dropout, alpha_dropout_, as_strided_, fill, get_deterministic_debug_mode, is_neg, resize_as_,
  resolve_neg, set_deterministic_debug_mode, set_flush_denormal, unsafe_chunk, unsafe_split, unsafe_split_with_sizes, are_deterministic_algorithms_enabled, as_strided_copy, asarray, bartlett_window,
  batch_norm, bilinear, binary_cross_entropy_with_logits, blackman_window, celu_, constant_pad_nd, cosine_embedding_loss, ctc_loss,
  detach_copy, diagonal_copy, dropout, dropout_, embedding, embedding_renorm_, empty_permuted, empty_strided, expand_copy, feature_alpha_dropout,
  feature_alpha_dropout_, feature_dropout, feature_dropout_, frobenius_norm, get_default_device, set_default_device, get_device,
  get_float32_matmul_precision, get_num_interop_threads, gradient, gru_cell, hamming_window, hann_window, hinge_embedding_loss,
  instance_norm, is_deterministic_algorithms_warn_only_enabled, is_inference, is_same_size, is_signed, is_storage,
  is_warn_always_enabled, kaiser_window, kl_div, lstm_cell, margin_ranking_loss, nuclear_norm, pdist, permute_copy,
  poisson_nll_loss, rms_norm, rnn_relu_cell, rnn_tanh_cell, row_stack, rrelu_, select_copy, selu_, set_float32_matmul_precision,
  set_num_interop_threads, set_warn_always, slice_copy, split_copy, split_with_sizes, split_with_sizes_copy, squeeze_copy, t_copy,
  threshold_, transpose_copy, triplet_margin_loss, typename, unbind_copy, unfold_copy, unsqueeze_copy,
  use_deterministic_algorithms, view_copy, zero_,
} = parsedTorchFunctions(extra_torch_);
import * as dtype_ from "./core/dtype.js";
export const { set_default_dtype, promote_types, can_cast } = parsedTorchFunctions(dtype_);
import * as printing_ from "./core/printing.js";
export const { set_printoptions } = parsedTorchFunctions(printing_);
import * as io_ from "./io/index.js";
export const { save, load } = parsedTorchFunctions(io_);
export const result_type = parsedFunction("torch.result_type", util_.resultType);
import * as util_ from "./ops/util.js";
export { var_ as var };
import * as linalg_ns from "./ops/linalg_ns.js";
import * as special_ns from "./ops/special_ns.js";
export const linalg: ParsedNamespace<typeof linalg_ns> = parsedNamespace("linalg", linalg_ns);
export const special: ParsedNamespace<typeof special_ns> = parsedNamespace("special", special_ns);
