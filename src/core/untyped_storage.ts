// Tensor.data_ptr(), Tensor.untyped_storage() and torch.UntypedStorage: a tensor's memory as
// PyTorch exposes it, bytes with an address.
//
// Note [Storage addresses]: JavaScript gives no address of an ArrayBuffer's memory, so each buffer
// a storage lives in gets one of its own the first time it is asked, from an address space above
// every pointer of a 64-bit process (2^48 and up, 64-byte aligned, as PyTorch's CPU allocator
// aligns), kept for the buffer's life. What programs do with data_ptr holds as in PyTorch: two
// tensors sharing memory compare equal where they start at the same element, a view's pointer is
// its base's plus its offset in bytes, and a tensor of no elements answers 0. A storage made over
// another's buffer (a view of its bytes) shares that buffer's address; a device's memory gets one
// per allocation.

import { Tensor, type TensorStorage } from "./tensor.js";
import type { Device } from "./device.js";

const BASE = 2 ** 48, ALIGN = 64;
let next = BASE;
const addresses = new WeakMap<object, number>();

function addressOf(key: object, bytes: number): number {
  let a = addresses.get(key);
  if (a === undefined) {
    a = next;
    next += Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    addresses.set(key, a);
  }
  return a;
}

/** The address of a storage's first byte (Note [Storage addresses]). */
export function storageAddress(s: TensorStorage): number {
  if (s.mem !== null) return addressOf(s.mem, 0);
  const d = s.data;
  return addressOf(d.buffer, d.buffer.byteLength) + d.byteOffset;
}

/** The bytes of a storage, as a CPU array (a device's read back). */
const bytesOf = (s: TensorStorage): Uint8Array => {
  const d = s.readable;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};

// Note [Shared memory]: PyTorch's share_memory_ moves a CPU storage into memory other processes can
// map (torch.multiprocessing). JavaScript's workers (worker_threads, Web Workers) share memory only
// through a SharedArrayBuffer, so share_memory_ moves the storage's elements into one, in place:
// every view of the storage follows (they share its TensorStorage), t.numpy().data is then a typed
// array over the SharedArrayBuffer that postMessage hands to a worker without copying, and
// torch.from_numpy or torch.frombuffer there makes a tensor over the same memory. Writes on either
// side are seen by the other; ordering them is the program's business (Atomics, messages), as it is
// across PyTorch's processes. As in PyTorch, a shared storage cannot grow (resize_), its address
// (data_ptr) changes when it moves, and a device's storage (webgpu, as PyTorch's CUDA ones) counts
// as shared: share_memory_ leaves it as it is.

/** Whether a storage is in shared memory (Note [Shared memory]). */
export function isSharedStorage(s: TensorStorage): boolean {
  return s.mem !== null || (typeof SharedArrayBuffer !== "undefined" && s.data.buffer instanceof SharedArrayBuffer);
}

/** Moves a CPU storage's elements into a SharedArrayBuffer, in place (Note [Shared memory]). */
function shareStorage(s: TensorStorage): void {
  if (isSharedStorage(s)) return;
  if (typeof SharedArrayBuffer === "undefined")
    throw new Error("share_memory_: SharedArrayBuffer is not available here (a browser page has it when cross-origin isolated)");
  const data = s.data, Ctor = data.constructor as new (b: ArrayBufferLike) => typeof data;
  const shared = new Ctor(new SharedArrayBuffer(data.byteLength));
  (shared as unknown as { set(a: typeof data): void }).set(data);
  s.data = shared;
}

/** torch.UntypedStorage: the bytes behind a tensor and its views, one object per storage
 *  (x.untyped_storage() is x.untyped_storage(), as in PyTorch). */
export class UntypedStorage {
  /** @internal */
  constructor(readonly _storage: TensorStorage, readonly device: Device) {}
  data_ptr(): number { return this.nbytes() === 0 ? 0 : storageAddress(this._storage); }
  nbytes(): number { return this._storage.mem === null ? this._storage.data.byteLength : bytesOf(this._storage).length; }
  size(): number { return this.nbytes(); }
  element_size(): number { return 1; }
  /** The bytes, as numbers 0-255. */
  tolist(): number[] { return Array.from(bytesOf(this._storage)); }
  is_shared(): boolean { return isSharedStorage(this._storage); }
  /** Moves the bytes into shared memory, for every tensor over them (Note [Shared memory]). */
  share_memory_(): this { shareStorage(this._storage); return this; }
  untyped(): UntypedStorage { return this; }
  toString(): string {
    const lines = this.tolist().map((b) => ` ${b}`);
    return [...lines, `[torch.storage.UntypedStorage(device=${this.device.type}) of size ${this.nbytes()}]`].join("\n");
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

const storages = new WeakMap<TensorStorage, UntypedStorage>();
/** The UntypedStorage of a tensor's storage (made once per storage). */
export function untypedStorageOf(s: TensorStorage, device: Device): UntypedStorage {
  let u = storages.get(s);
  if (u === undefined) storages.set(s, (u = new UntypedStorage(s, device)));
  return u;
}

Object.defineProperties(Tensor.prototype, {
  /** The address of the tensor's first element (Note [Storage addresses]); 0 without elements. */
  data_ptr: {
    value(this: Tensor): number { return this.numel() === 0 ? 0 : storageAddress(this._storage) + this._offset * this.dtype.itemsize; },
    writable: true, configurable: true,
  },
  untyped_storage: { value(this: Tensor): UntypedStorage { return untypedStorageOf(this._storage, this.device); }, writable: true, configurable: true },
});

declare module "./tensor.js" {
  interface Tensor {
    /** The address of the first element (Note [Storage addresses] in core/untyped_storage.ts). */
    data_ptr(): number;
    /** The storage's bytes, shared by every view of it. */
    untyped_storage(): UntypedStorage;
  }
}
