// Node's builtin modules for the file-system parts of io/, reached through
// process.getBuiltinModule (Node >= 20.16) rather than a static import, so that the same code
// bundles for browsers: there, only the byte-level functions (no paths, no zlib) are used.

/** A Node builtin module (`node:fs`, `node:zlib`, ...), or an Error saying that `what` needs
 *  it; `hint` says what to do instead. */
export function nodeModule<T>(id: string, what: string, hint = ""): T {
  const mod = optionalNodeModule<T>(id);
  if (!mod) throw new Error(`${what} needs Node's ${id.replace("node:", "")} (Node >= 20.16)${hint ? `; ${hint}` : ""}`);
  return mod;
}

/** A Node builtin module where there is one (for what has a fallback elsewhere). */
export function optionalNodeModule<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/** The part of node:fs that io/ uses. */
export interface FsLike {
  readFileSync(p: string | URL): Uint8Array;
  writeFileSync(p: string | URL, data: Uint8Array | string): void;
  appendFileSync(p: string | URL, data: Uint8Array): void;
  mkdirSync(p: string, opts: { recursive: boolean }): unknown;
  existsSync(p: string | URL): boolean;
  statSync(p: string | URL): { size: number; isDirectory(): boolean };
  openSync(p: string | URL, flags: string): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number; isDirectory(): boolean };
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
}

export const nodeFs = (what: string, hint = ""): FsLike => nodeModule<FsLike>("node:fs", what, hint);
