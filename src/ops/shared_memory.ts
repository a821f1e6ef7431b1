// Tensor.share_memory_ and Tensor.is_shared, through the tensor's storage as PyTorch's are
// (core/untyped_storage.ts, Note [Shared memory]); nn.Module.share_memory calls the first on every
// parameter and buffer.

import { Tensor } from "../core/tensor.js";
import { isSharedStorage, untypedStorageOf } from "../core/untyped_storage.js";
import { installMethods } from "./util.js";

/** t.is_shared(): its storage is in shared memory (always for a device tensor). */
function is_shared(self: Tensor): boolean { return isSharedStorage(self._storage); }

/** t.share_memory_(): moves the storage into a SharedArrayBuffer, for every tensor viewing it;
 *  returns t. A no-op where it is shared already. */
function share_memory_(self: Tensor): Tensor {
  untypedStorageOf(self._storage, self.device).share_memory_();
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
