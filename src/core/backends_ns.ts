// torch.backends: the switches PyTorch programs set for the libraries behind its kernels. This
// build has neither CUDA, cuDNN nor MPS, so their flags are accepted, kept and have no effect,
// as on a PyTorch build without those libraries (`torch.backends.cudnn.benchmark = true` is a
// common first line of a training script), and their is_available()/is_built() say false.

import { get_cpu_capability } from "../backends/index.js";

/** torch.backends.cudnn (PyTorch's defaults; there is no cuDNN here). */
export const cudnn = {
  enabled: true,
  benchmark: false,
  benchmark_limit: null as number | null,
  deterministic: false,
  allow_tf32: true,
  is_available: (): boolean => false,
  /** the cuDNN version, or null without cuDNN */
  version: (): number | null => null,
};

/** torch.backends.cuda. */
export const cuda = {
  is_built: (): boolean => false,
  matmul: {
    allow_tf32: false,
    allow_fp16_reduced_precision_reduction: true,
    allow_bf16_reduced_precision_reduction: true,
  },
};

/** torch.backends.mps (Apple's Metal). */
export const mps = {
  is_available: (): boolean => false,
  is_built: (): boolean => false,
};

/** torch.backends.cpu. */
export const cpu = {
  /** What the CPU kernels in use are compiled for ("AVX512", "AVX2", … in PyTorch), as the kernel
   *  backend in use reports it ("DEFAULT" on the reference kernels). */
  get_cpu_capability,
};
