// torch.distributed's native part (csrc/, built as build/Release/typetorch_gloo.node by
// tools/build_native.mjs where Gloo is installed), loaded once; where it is absent, the reason.

import { loadAddon } from "../core/native_addon.js";

/** The addon's exports (csrc/addon.cc). Stores, groups and works are opaque externals. */
export interface GlooAddon {
  storeNew(host: string, port: number, isServer: boolean, timeoutMs: number): [object, number];
  storeSet(s: object, key: string, value: Uint8Array): void;
  storeGet(s: object, key: string): Uint8Array;
  storeAdd(s: object, key: string, delta: number): number;
  storeCompareSet(s: object, key: string, expected: Uint8Array, desired: Uint8Array): Uint8Array;
  storeWait(s: object, keys: string[], timeoutMs: number): void;
  storeCheck(s: object, keys: string[]): boolean;
  storeDelete(s: object, key: string): boolean;
  storeNumKeys(s: object): number;
  storeSetTimeout(s: object, timeoutMs: number): void;
  storeClose(s: object): void;
  groupNew(store: object, prefix: string, rank: number, size: number, timeoutMs: number, masterHost: string, iface: string, cpu: number): object;
  groupClose(g: object): void;
  groupRun(g: object, kind: number, input: ArrayBufferView | null, output: ArrayBufferView | null,
    dtype: number, op: number, rootOrPeer: number, tag: number): object;
  workWait(w: object): number;
  workDone(w: object): boolean;
}

const [addon, why] = loadAddon<GlooAddon>("typetorch_gloo", "typetorch's Gloo backend", "gloo-unavailable.txt",
  "install Gloo (Debian: apt-get install -y libgloo-dev)");
export const gloo = addon;
export const glooUnavailableReason = why ?? "torch.distributed needs Node.js (it runs Gloo through a native addon)";

/** PyTorch's exception classes of torch.distributed (all RuntimeErrors there). */
export class DistError extends Error { override name = "DistError"; }
export class DistBackendError extends DistError { override name = "DistBackendError"; }
export class DistStoreError extends DistError { override name = "DistStoreError"; }
export class DistNetworkError extends DistError { override name = "DistNetworkError"; }

const classes: Record<string, new (m: string) => Error> = { DistBackendError, DistStoreError, DistNetworkError };

/** Runs a call into the addon, giving its errors PyTorch's classes. */
export function native<R>(f: (g: GlooAddon) => R): R {
  if (!gloo) throw new Error(glooUnavailableReason);
  try {
    return f(gloo);
  } catch (e) {
    const kind = (e as { kind?: string }).kind;
    if (kind === undefined) throw e;
    const C = classes[kind];
    throw C ? new C((e as Error).message) : new Error((e as Error).message);
  }
}
