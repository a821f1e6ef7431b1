// Everything under `torch.`: re-exported from the modules that define it.

export { Tensor } from "./core/tensor.js";
export {
  DType as dtype, float32, float64, float16, bfloat16, int8, uint8, int16, int32, int64, bool,
  get_default_dtype, set_default_dtype, promote_types, can_cast,
} from "./core/dtype.js";
export { float32 as float, float64 as double, float16 as half, int32 as int, int64 as long } from "./core/dtype.js";
export { device, Device } from "./core/device.js";
export { finfo, iinfo, type FInfo, type IInfo } from "./core/type_info.js";
export * as backends from "./core/backends_ns.js";
export * as accelerator from "./core/accelerator.js";
export { webgpuModule as webgpu } from "./backends/webgpu/index.js";
export * as func from "./func/index.js";
export { vmap } from "./func/index.js";
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled } from "./autograd/grad_mode.js";
export * from "./ops/elementwise.js";
export {
  view, reshape, flatten, unflatten, permute, transpose, swapaxes, swapdims, t, movedim, moveaxis, unsqueeze, squeeze,
  broadcast_to, select, narrow, diagonal, split, chunk, tensor_split, unbind, clone, detach, detach_, as_strided,
} from "./ops/views.js";
export * from "./ops/reduce.js";
export * from "./ops/indexing.js";
// where: the explicit export (1-arg form added) shadows elementwise's 3-arg one from `export *`
export {
  slice, Slice, type Index, index_put, index_put_, nonzero, argwhere, where, masked_select, masked_scatter, take, index_fill, tile, roll,
  repeat_interleave, type RepeatInterleaveOpts, tril, triu, diag, diag_embed,
} from "./ops/index_ops.js";
export * from "./ops/linalg.js";
export * from "./ops/creation.js";
export { set_printoptions, get_printoptions } from "./core/printing.js";
export { resultType as result_type } from "./ops/util.js";
export * from "./ops/random_ops.js";
export * from "./ops/convert.js";
export * from "./ops/legacy.js";
export * as autograd from "./autograd/index.js";
export * as profiler from "./profiler/index.js";
export {
  var, std, var_mean, std_mean, nansum, nanmean, count_nonzero, aminmax, cummax, cummin,
  logcumsumexp, diff, cumulative_trapezoid, trapezoid, trapz,
} from "./ops/statistics.js";
export {
  sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, quantile, nanquantile, unique, unique_consecutive,
} from "./ops/sorting.js";
export { norm, dist, cdist } from "./ops/norms.js";
export { einsum, tensordot, kron, cross } from "./ops/einsum.js";
export * as linalg from "./ops/linalg_ns.js";
export {
  det, logdet, slogdet, inv as inverse, cholesky, torch_qr as qr, torch_svd as svd, pinverse, matrix_power, matrix_exp,
  triangular_solve, cholesky_solve, cholesky_inverse, lu, lu_unpack, torch_lu_solve as lu_solve,
} from "./ops/decompositions.js";
export { conv1d, conv2d, conv_transpose1d, conv_transpose2d } from "./ops/conv.js";
export { pixel_shuffle, pixel_unshuffle } from "./ops/upsample.js";
export { set_num_threads, get_num_threads } from "./backends/index.js";
export { max_pool1d, max_pool2d, max_pool1d_with_indices, avg_pool1d, adaptive_avg_pool1d, adaptive_max_pool1d } from "./ops/pooling.js";
export { layer_norm, group_norm } from "./ops/normalization.js";
// (the torch.* forms whose arguments are F.*'s; others, such as torch.embedding(weight, input),
// take them in another order and are left out rather than aliased wrongly)
export {
  cosine_similarity, pairwise_distance, channel_shuffle, celu, selu, hardshrink, prelu, rrelu, threshold,
} from "./nn/functional.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
import * as data from "./utils/data/index.js";
import * as tensorboard from "./utils/tensorboard/index.js";
export const utils = { data, tensorboard };
export { save, load, serialization, safetensors } from "./io/index.js";
export * as numpy from "./io/numpy_ns.js";
export * as torchviz from "./torchviz.js";
export {
  atleast_1d, atleast_2d, atleast_3d, broadcast_shapes, broadcast_tensors, block_diag, cartesian_prod, combinations,
  column_stack, dstack, hsplit, vsplit, dsplit, diagflat, ravel, rot90, narrow_copy, take_along_dim, meshgrid,
  tril_indices, triu_indices, unravel_index, vander, range, trace, vdot, addr, chain_matmul,
  slice_scatter, select_scatter, diagonal_scatter, scatter_reduce, index_reduce, index_copy, type ScatterReduce,
  searchsorted, bucketize, bincount, histc, cov, corrcoef, renorm,
} from "./ops/shape_ops.js";
export * as distributions from "./distributions/index.js";
export {
  acosh, asinh, atanh, arccosh, arcsinh, arctanh, absolute, positive, deg2rad, rad2deg, sinc, copysign, hypot, heaviside,
  logaddexp, logaddexp2, xlogy, nextafter, ldexp, frexp, gcd, lcm, isin, isreal, is_nonzero, addcmul, addcdiv,
  lgamma, digamma, polygamma, mvlgamma, erfinv, i0,
} from "./ops/special_ops.js";
export * as special from "./ops/special_ns.js";
export * as distributed from "./distributed/index.js";
