// torch.distributed.TCPStore: the key-value store processes meet through (csrc/store.h). The
// server runs on a thread of the process that has is_master, so the calls here block that
// process's JavaScript without stopping the server.

import { native, DistStoreError } from "./native.js";

const encoder = new TextEncoder();
const asBytes = (v: string | Uint8Array): Uint8Array => (typeof v === "string" ? encoder.encode(v) : v);

/** PyTorch's default store timeout (5 minutes), in milliseconds as every timeout here. */
export const default_store_timeout = 300_000;

export interface TCPStoreOptions {
  host_name?: string;
  port?: number;
  world_size?: number | null;
  is_master?: boolean;
  /** milliseconds */
  timeout?: number;
  wait_for_workers?: boolean;
}

/** Key for the joined count; the k-th client to join also sets JOINED/k, which the master waits on. */
const JOINED = "typetorch/joined";

export class TCPStore {
  /** @internal the addon's store */
  readonly _native: object;
  readonly host: string;
  readonly port: number;
  #timeout: number;

  constructor(host_name: string | TCPStoreOptions, port?: number, world_size?: number | null, is_master?: boolean, timeout?: number, wait_for_workers?: boolean);
  constructor(host_name: string | TCPStoreOptions, port?: number, world_size: number | null = null, is_master = false,
    timeout = default_store_timeout, wait_for_workers = true) {
    if (typeof host_name === "object") {
      ({ port = 0, world_size = null, is_master = false, timeout = default_store_timeout, wait_for_workers = true } = host_name);
      host_name = host_name.host_name ?? "127.0.0.1";
    }
    if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`TCPStore(): port must be an integer in [0, 65535], got ${port}`);
    const [s, bound] = native((g) => g.storeNew(host_name as string, port!, is_master, timeout));
    this._native = s;
    this.host = host_name;
    this.port = bound;
    this.#timeout = timeout;
    const joined = this.add(JOINED, 1);
    this.set(`${JOINED}/${joined}`, "");
    if (is_master && wait_for_workers && world_size !== null && world_size > 1) {
      try {
        this.wait([`${JOINED}/${world_size}`], timeout);
      } catch {
        const n = this.add(JOINED, 0);
        throw new DistStoreError(`Timed out after ${Math.floor(timeout / 1000) + 1} seconds waiting for clients. ${n}/${world_size} clients joined.`);
      }
    }
  }

  set(key: string, value: string | Uint8Array): void { native((g) => g.storeSet(this._native, key, asBytes(value))); }
  /** The value (bytes), waiting up to the store's timeout for the key to be set. */
  get(key: string): Uint8Array { return native((g) => g.storeGet(this._native, key)); }
  /** Adds to the integer stored at key (0 when absent) and returns the sum. */
  add(key: string, amount: number): number { return native((g) => g.storeAdd(this._native, key, amount)); }
  compare_set(key: string, expected_value: string | Uint8Array, desired_value: string | Uint8Array): Uint8Array {
    return native((g) => g.storeCompareSet(this._native, key, asBytes(expected_value), asBytes(desired_value)));
  }
  /** Waits until every key is set, up to `timeout` ms (default: the store's). */
  wait(keys: string[], timeout: number = this.#timeout): void { native((g) => g.storeWait(this._native, keys, timeout)); }
  check(keys: string[]): boolean { return native((g) => g.storeCheck(this._native, keys)); }
  delete_key(key: string): boolean { return native((g) => g.storeDelete(this._native, key)); }
  num_keys(): number { return native((g) => g.storeNumKeys(this._native)); }
  set_timeout(timeout: number): void { native((g) => g.storeSetTimeout(this._native, timeout)); this.#timeout = timeout; }
  /** milliseconds */
  get timeout(): number { return this.#timeout; }
  /** @internal closes the connection, and the server if this store runs it */
  _close(): void { native((g) => g.storeClose(this._native)); }
}
