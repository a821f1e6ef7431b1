// Reading and writing bytes, in memory or in files, for the file formats in src/io.
//
// Node's fs is reached through io/node.ts (never imported), so that the browser build bundles
// without it; in a browser, files are Uint8Arrays.
//
// A file is read through a ByteSource: positional reads into the caller's memory, so a loader
// reads each tensor's bytes straight into that tensor's storage and never holds the whole file
// (files larger than 2 GiB, where Node's readFileSync gives up, load in one copy). Writers emit
// their output as a sequence of chunks into a Sink: a file written as it goes, or one buffer of
// the exact size (the formats know their size before writing).

import { type FsLike, nodeFs } from "./node.js";

/** node:fs, or an error naming what to do instead where there is no file system. */
export const nodeFsFor = (what: string): FsLike =>
  nodeFs(`${what} to a path`, "elsewhere use torch.save(obj) to get a Uint8Array and torch.load(bytes)");

/** Joins paths the way every platform Node runs on accepts. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") || dir.endsWith("\\") ? dir + name : `${dir}/${name}`;
}

export type PathLike = string | URL;
export type BytesLike = Uint8Array | ArrayBuffer;

export function isBytes(f: unknown): f is BytesLike {
  return f instanceof Uint8Array || f instanceof ArrayBuffer;
}

export function asBytes(f: BytesLike): Uint8Array {
  return f instanceof ArrayBuffer ? new Uint8Array(f) : f;
}

// ---- reading --------------------------------------------------------------------------------

/** Random access to the bytes of a file or buffer. Positions are byte offsets (numbers: exact
 *  up to 2^53, far beyond any file). */
export interface ByteSource {
  readonly size: number;
  /** `len` bytes at `pos` (the caller has checked the range): a view for a buffer, a copy for a file. */
  read(pos: number, len: number): Uint8Array;
  /** Fills `dst` with the bytes at `pos` (the caller has checked the range). */
  readInto(pos: number, dst: Uint8Array): void;
  close(): void;
}

export function bufferSource(input: Uint8Array): ByteSource {
  // a plain Uint8Array view: a Node Buffer's slice() would not copy
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return {
    size: bytes.length,
    read: (pos, len) => bytes.subarray(pos, pos + len),
    readInto: (pos, dst) => dst.set(bytes.subarray(pos, pos + dst.length)),
    close: () => {},
  };
}

/** One read call moves at most this much (Node's readSync takes at most 2 GiB - 1). */
const IO_CHUNK = 1 << 30;

export function fileSource(path: PathLike, what: string): ByteSource {
  const fs = nodeFsFor(what);
  const fd = fs.openSync(path, "r");
  let size: number;
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new Error(`${what}: ${String(path)} is a directory`);
    size = st.size;
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  const readInto = (pos: number, dst: Uint8Array): void => {
    for (let done = 0; done < dst.length;) {
      const n = fs.readSync(fd, dst, done, Math.min(IO_CHUNK, dst.length - done), pos + done);
      if (n <= 0) throw new Error(`${what}: ${String(path)} ended early (it changed while being read?)`);
      done += n;
    }
  };
  return {
    size,
    read: (pos, len) => { const b = new Uint8Array(len); readInto(pos, b); return b; },
    readInto,
    close: () => fs.closeSync(fd),
  };
}

/** Opens a path or wraps bytes, runs `body`, and closes the file whatever happens. */
export function withSource<T>(f: PathLike | BytesLike, what: string, body: (src: ByteSource) => T): T {
  const src = isBytes(f) ? bufferSource(asBytes(f)) : fileSource(f, what);
  try {
    return body(src);
  } finally {
    src.close();
  }
}

// ---- writing --------------------------------------------------------------------------------

export interface Sink {
  write(chunk: Uint8Array): void;
}

/** Writes the chunks `emit` produces into one buffer of exactly `size` bytes. */
export function toBytes(size: number, emit: (sink: Sink) => void): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  emit({ write: (c) => { out.set(c, pos); pos += c.length; } });
  if (pos !== size) throw new Error(`internal error: wrote ${pos} bytes, planned ${size}`);
  return out;
}

/** Writes the chunks `emit` produces to a file, as they come. */
export function toFile(path: PathLike, what: string, emit: (sink: Sink) => void): void {
  const fs = nodeFsFor(what);
  const fd = fs.openSync(path, "w");
  try {
    emit({
      write: (c) => {
        for (let done = 0; done < c.length;) done += fs.writeSync(fd, c, done, Math.min(IO_CHUNK, c.length - done));
      },
    });
  } finally {
    fs.closeSync(fd);
  }
}

/** The raw bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of each `size`-byte element in place (big-endian data, or for a
 *  big-endian machine). */
export function swapBytes(b: Uint8Array, size: number): Uint8Array {
  if (size > 1) for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
  return b;
}
