// Tensor.share_memory_ and Tensor.is_shared (nn.Module.share_memory calls the first on every
// parameter and buffer).
//
// Note [Shared memory]: PyTorch's share_memory_ moves a CPU storage into memory other processes can
// map (torch.multiprocessing). JavaScript's workers (worker_threads, Web Workers) share memory only
// through a SharedArrayBuffer, so share_memory_ moves the storage's elements into one, in place:
// every view of the storage follows (they share its TensorStorage), t.numpy().data is then a typed
// array over the SharedArrayBuffer that postMessage hands to a worker without copying, and
// torch.from_numpy or torch.frombuffer there makes a tensor over the same memory. Writes on either
// side are seen by the other; ordering them is the program's business (Atomics, messages), as it is
// across PyTorch's processes. As in PyTorch, a shared storage cannot grow (resize_), and a device
// tensor (webgpu, like PyTorch's CUDA ones) counts as shared: share_memory_ leaves it as it is.

import { Tensor } from "../core/tensor.js";
import { arrayFor, type Storage } from "../core/dtype.js";
import { installMethods } from "./util.js";

/** Whether a CPU storage array lies in a SharedArrayBuffer. */
export function inSharedMemory(data: Storage): boolean {
  return typeof SharedArrayBuffer !== "undefined" && data.buffer instanceof SharedArrayBuffer;
}

/** t.is_shared(): its storage is in shared memory (Note [Shared memory]); always for a device tensor. */
function is_shared(self: Tensor): boolean {
  return self._storage.mem !== null || inSharedMemory(self._storage.data);
}

/** t.share_memory_(): moves the storage's elements into a SharedArrayBuffer, for every tensor
 *  viewing it (Note [Shared memory]); returns t. A no-op where it is shared already. */
function share_memory_(self: Tensor): Tensor {
  if (is_shared(self)) return self;
  if (typeof SharedArrayBuffer === "undefined")
    throw new Error("share_memory_: SharedArrayBuffer is not available here (a browser page has it when cross-origin isolated)");
  const data = self._storage.data;
  const shared = arrayFor(self.dtype, new SharedArrayBuffer(data.byteLength)) as Storage & { set(a: Storage): void };
  shared.set(data);
  self._storage.data = shared;
  return self;
}

installMethods({ is_shared, share_memory_ }, false);

declare module "../core/tensor.js" {
  interface Tensor {
    /** Whether the storage is in shared memory (a SharedArrayBuffer; always for a device tensor). */
    is_shared(): boolean;
    /** Moves the storage into shared memory (a SharedArrayBuffer) that workers can be handed. */
    share_memory_(): this;
  }
}
