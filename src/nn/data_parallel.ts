// torch.nn.parallel's DataParallel and data_parallel (parallel.ts exports them).
//
// DataParallel and data_parallel replicate a module over CUDA (or XPU) devices. typetorch has
// neither, so they behave as PyTorch's do on a machine without such a device: DataParallel wraps
// the module and calls it as it is (its state_dict's keys under `module.`), and data_parallel
// raises PyTorch's error. Programs that guard them, as pytorch/examples' DCGAN does with
// `if input.is_cuda and self.ngpu > 1`, run as they do on a CPU.
import { Module } from "./module.js";
import type { Device } from "../core/device.js";
import type { Tensor } from "../core/tensor.js";

/** nn.DataParallel(module, device_ids=None, output_device=None, dim=0): with no CUDA device,
 *  PyTorch keeps the module and no device ids, and forward calls the module. */
export class DataParallel<M extends Module = Module> extends Module {
  module: M;
  device_ids: number[] = [];

  constructor(module: M, _device_ids: readonly (number | Device)[] | null = null, _output_device: number | Device | null = null, _dim = 0) {
    super();
    this.module = module;
  }

  /** The wrapped module's output, whatever it is (Module.forward's type). */
  override forward(...inputs: any[]): any { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.module._call_impl(...inputs);
  }
}

/** nn.parallel.data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
 *  module_kwargs=None): PyTorch's error where no CUDA device can be found, as here. */
export function data_parallel(_module: Module, _inputs: unknown, _device_ids: readonly (number | Device)[] | null = null,
  _output_device: number | Device | null = null, _dim = 0, _module_kwargs: Record<string, unknown> | null = null): Tensor {
  throw new Error("device type could not be determined");
}
