// torch.distributed's native part (csrc/, built as build/Release/typetorch_gloo.node by
// tools/build_native.mjs where Gloo is installed), loaded once; where it is absent, the reason.

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

interface NodeProcess { getBuiltinModule?(id: string): unknown }
const proc = (globalThis as { process?: NodeProcess }).process;

function load(): [GlooAddon | null, string] {
  const mod = proc?.getBuiltinModule?.("node:module") as typeof import("node:module") | undefined;
  if (!mod) return [null, "torch.distributed needs Node.js (it runs Gloo through a native addon)"];
  const fs = proc!.getBuiltinModule!("node:fs") as typeof import("node:fs");
  // src/distributed/ and dist/distributed/ are both two levels below the package root
  const root = new URL("../../", import.meta.url);
  const file = new URL("build/Release/typetorch_gloo.node", root);
  if (!fs.existsSync(file)) {
    let why = "typetorch's Gloo backend was not built when typetorch was installed";
    try { why += ` (${fs.readFileSync(new URL("build/gloo-unavailable.txt", root), "utf8").trim()})`; } catch { /* no record */ }
    return [null, `${why}; install Gloo (Debian: apt-get install -y libgloo-dev) and run \`npm rebuild typetorch\` (in a checkout of typetorch: \`npm run build:native\`)`];
  }
  try {
    return [mod.createRequire(import.meta.url)(file.pathname) as GlooAddon, ""];
  } catch (e) {
    return [null, `typetorch's Gloo backend did not load (${(e as Error).message.split("\n")[0]}); run \`npm rebuild typetorch\``];
  }
}

export const [gloo, glooUnavailableReason] = load();

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
