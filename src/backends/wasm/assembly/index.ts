// The WebAssembly kernels of the fast CPU backend (src/backends/wasm/). Compiled by
// tools/build_wasm.ts into src/backends/wasm/kernels.generated.ts; every pointer is a byte offset
// into the memory the host imports, every stride counts float32 elements.

export { gemm, gemm_mr, gemm_workspace } from "./gemm";
export * from "./elementwise";
export { reduce_sum, reduce_max, reduce_min, softmax, log_softmax } from "./reduce";
export { adam, sgd, adadelta } from "./optim";
export { conv2d_forward, conv2d_backward_input, conv2d_backward_weight } from "./conv";
export { max_pool2d, max_pool2d_backward } from "./pool";

/** The first byte past the module's static data: where the host's scratch space may begin. */
export function heap_base(): usize { return __heap_base; }
