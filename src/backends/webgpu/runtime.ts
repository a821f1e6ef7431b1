// The main thread's side of the GPU (Note [GPU thread] in ./worker_source.ts): buffers and their
// caching allocator, compiled kernels, batches of dispatches, and reading bytes back.

import { WORKER_SOURCE } from "./worker_source.js";

/** What the adapter is and what it allows. */
export interface GpuInfo {
  name: string; maxBinding: number; maxBuffer: number; minUniformAlign: number;
  /** whether the adapter rasterizes in software on the CPU (llvmpipe, SwiftShader, WARP) */
  software: boolean;
}

/** A storage buffer on the GPU thread, named by id. */
export interface GpuBuffer { readonly id: number; readonly bytes: number }

/** A compiled compute pipeline. */
export interface Kernel { readonly id: number; readonly code: string }

/** Counters the tests and the bench read: work sent, and bytes crossing between CPU and GPU. */
export interface GpuCounters { dispatches: number; submits: number; uploads: number; readbacks: number }

/** Parameter blocks are bound at offsets aligned for every adapter (WebGPU's maximum alignment). */
const PARAM_ALIGN = 256;
/** Commands per message: a long synchronous loop still hands work over regularly. */
const BATCH = 256;
/** How long a synchronous read waits for the GPU thread. */
const READ_TIMEOUT_MS = 300_000;
/** Bytes of freed buffers kept for reuse at most (the rest are destroyed when freed). */
const CACHE_CAP = 1 << 30;

interface NodeWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(ev: "message", f: (m: unknown) => void): void;
  ref(): void; unref(): void;
}
interface NodeProcess { getBuiltinModule?(id: string): unknown; env?: Record<string, string | undefined>; versions?: { node?: string } }
const proc = (globalThis as { process?: NodeProcess }).process;

/** Allocation sizes: multiples of 256 bytes up to 64 KiB, then four steps per power of two, so a
 *  freed buffer serves the next tensor of about its size. */
function bucket(bytes: number): number {
  if (bytes <= 65536) return Math.max(PARAM_ALIGN, Math.ceil(bytes / PARAM_ALIGN) * PARAM_ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class GpuRuntime {
  readonly counters: GpuCounters = { dispatches: 0, submits: 0, uploads: 0, readbacks: 0 };
  /** bytes of buffers held by live tensors, their peak, and bytes cached for reuse */
  allocated = 0; peak = 0; cached = 0;
  private cmds: unknown[] = [];
  private transfer: ArrayBuffer[] = [];
  private params = new Int32Array(16384);
  private paramBytes = 0;
  private kernels = new Map<string, Kernel>();
  private nextId = 1;
  private pool = new Map<number, number[]>();
  private flushScheduled = false;
  private pendingAsync = new Map<number, { resolve(b: ArrayBuffer): void; reject(e: Error): void }>();
  private nextToken = 1;

  constructor(readonly info: GpuInfo, private readonly worker: NodeWorker | Worker, private readonly canBlock: boolean) {
    const onMessage = (m: unknown) => {
      const r = m as { token?: number; data?: ArrayBuffer; error?: string };
      const p = r.token === undefined ? undefined : this.pendingAsync.get(r.token);
      if (p === undefined) return;
      this.pendingAsync.delete(r.token!);
      if (this.pendingAsync.size === 0) (this.worker as NodeWorker).unref?.();
      if (r.error !== undefined) p.reject(new Error(`WebGPU: ${r.error}`)); else p.resolve(r.data!);
    };
    if ("on" in worker) worker.on("message", onMessage);
    else worker.addEventListener("message", (e) => onMessage(e.data));
  }

  // ---- memory ------------------------------------------------------------------------------

  /** A buffer of at least `bytes`, from the cache when one of its size is free (its contents are
   *  then whatever the last tensor left: callers write every element or zero it). */
  alloc(bytes: number): GpuBuffer {
    if (bytes > this.info.maxBinding)
      throw new Error(`WebGPU: a tensor of ${bytes} bytes exceeds this adapter's largest storage buffer binding (maxStorageBufferBindingSize = ${this.info.maxBinding} bytes)`);
    const size = bucket(bytes);
    const free = this.pool.get(size);
    let id = free?.pop();
    if (id !== undefined) this.cached -= size;
    else { id = this.nextId++; this.push(["buf", id, size]); }
    this.allocated += size;
    if (this.allocated > this.peak) this.peak = this.allocated;
    return { id, bytes: size };
  }

  /** Returns a buffer when its tensors are gone: work already queued that uses it runs first
   *  (commands run in order), so the next tensor may take it at once. */
  release(b: GpuBuffer): void {
    this.allocated -= b.bytes;
    if (this.cached + b.bytes > CACHE_CAP) { this.push(["free", b.id]); return; }
    let free = this.pool.get(b.bytes);
    if (free === undefined) this.pool.set(b.bytes, free = []);
    free.push(b.id);
    this.cached += b.bytes;
  }

  /** torch.webgpu.empty_cache(): destroys the cached buffers. */
  emptyCache(): void {
    for (const ids of this.pool.values()) for (const id of ids) this.push(["free", id]);
    this.pool.clear();
    this.cached = 0;
    this.flush();
  }

  /** Sets the bytes of `b` to zero. */
  clear(b: GpuBuffer): void { this.push(["clear", b.id]); }

  write(b: GpuBuffer, bytes: ArrayBufferView): void {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.counters.uploads++;
    this.transfer.push(copy.buffer);
    this.push(["write", b.id, 0, copy.buffer]);
  }

  // ---- kernels ------------------------------------------------------------------------------

  /** The pipeline for WGSL `code`, compiled once (on first use, on the GPU thread). */
  kernel(code: string): Kernel {
    let k = this.kernels.get(code);
    if (k === undefined) {
      k = { id: this.kernels.size + 1, code };
      this.kernels.set(code, k);
      this.push(["pipe", k.id, code]);
    }
    return k;
  }

  /** Runs `k` over `groups` workgroups (spread over two dimensions past 65,535: kernels number
   *  their workgroups wid.x + wid.y · nwg.x) with buffers bound 0.. in order and `params` bound
   *  after them as a uniform block. */
  dispatch(k: Kernel, bufs: readonly GpuBuffer[], params: Int32Array | null, groups: number): void {
    if (groups === 0) return;
    let off = 0, len = 0;
    if (params !== null) {
      len = params.length;
      off = this.paramBytes;
      const end = off / 4 + Math.ceil(len / 4) * 4;
      if (end > this.params.length) { const p = new Int32Array(Math.max(end, this.params.length * 2)); p.set(this.params); this.params = p; }
      this.params.set(params, off / 4);
      this.paramBytes = Math.ceil((off + len * 4) / PARAM_ALIGN) * PARAM_ALIGN;
    }
    const gx = Math.min(groups, 65535), gy = Math.ceil(groups / gx);
    this.counters.dispatches++;
    this.push(["run", k.id, bufs.map((b) => b.id), off, Math.ceil(len / 4) * 16, gx, gy]);
  }

  // ---- reading back --------------------------------------------------------------------------

  /** The bytes [offset, offset + bytes) of `b`, waiting for the work queued before. Throws where
   *  the thread may not block (a browser's main thread), naming the asynchronous form. */
  readSync(b: GpuBuffer, bytes: number, asyncForm: string): ArrayBuffer {
    if (!this.canBlock) throw new Error(`reading a webgpu tensor synchronously needs a thread that may block (Node, or a cross-origin-isolated worker); here use ${asyncForm}`);
    const sab = new SharedArrayBuffer(8 + Math.max(bytes, 1024));
    this.counters.readbacks++;
    this.push(["read", b.id, 0, bytes, sab]);
    this.flush();
    const w = new Int32Array(sab, 0, 2);
    // (a GPU thread that died never answers: fail rather than hang)
    if (Atomics.wait(w, 0, 0, READ_TIMEOUT_MS) === "timed-out") throw new Error(`WebGPU: the GPU thread did not answer a read within ${READ_TIMEOUT_MS / 1000} s`);
    if (w[1] !== 0) throw new Error(`WebGPU: ${new TextDecoder().decode(new Uint8Array(sab, 8)).replace(/\0+$/, "")}`);
    const out = new Uint8Array(bytes);
    out.set(new Uint8Array(sab, 8, bytes));
    return out.buffer;
  }

  /** The bytes of `b` once the work queued before has run, without blocking. */
  readAsync(b: GpuBuffer, bytes: number): Promise<ArrayBuffer> {
    const token = this.nextToken++;
    this.counters.readbacks++;
    const p = new Promise<ArrayBuffer>((resolve, reject) => this.pendingAsync.set(token, { resolve, reject }));
    (this.worker as NodeWorker).ref?.(); // an awaited read keeps Node's event loop alive
    this.push(["readAsync", b.id, 0, bytes, null, token]);
    this.flush();
    return p;
  }

  /** Waits until the queued work has run (torch.webgpu.synchronize). */
  synchronize(): void {
    if (this.cmds.length === 0 && this.counters.dispatches === 0) return;
    const b = this.alloc(4);
    this.readSync(b, 4, "await torch.webgpu.synchronize_async()");
    this.counters.readbacks--; // a wait, not a read of values
    this.release(b);
  }

  // ---- batches -------------------------------------------------------------------------------

  private push(cmd: unknown[]): void {
    this.cmds.push(cmd);
    if (this.cmds.length >= BATCH) this.flush();
    else if (!this.flushScheduled) {
      // a program that yields to the event loop hands its work over then
      this.flushScheduled = true;
      (globalThis.setImmediate ?? globalThis.setTimeout)(() => { this.flushScheduled = false; this.flush(); });
    }
  }

  /** Sends the queued commands to the GPU thread. */
  flush(): void {
    if (this.cmds.length === 0) return;
    const params = this.paramBytes ? this.params.slice(0, this.paramBytes / 4).buffer : null;
    const transfer = params ? [...this.transfer, params] : this.transfer;
    this.counters.submits++;
    (this.worker as NodeWorker).postMessage({ cmds: this.cmds, params }, transfer);
    this.cmds = [];
    this.transfer = [];
    this.paramBytes = 0;
  }
}

// ---- opening the device --------------------------------------------------------------------------

let runtime: GpuRuntime | null = null;
let failure: string | null = null;

/** The GPU, opened on first need; null when this runtime has none (unavailableReason says why). */
export function gpu(): GpuRuntime | null {
  if (runtime === null && failure === null) {
    try { runtime = openNode(); } catch (e) { failure = (e as Error).message; }
  }
  return runtime;
}

/** Why there is no GPU here (null when there is one). */
export function unavailableReason(): string | null {
  return gpu() === null ? failure : null;
}

/** Opens the GPU where opening cannot block (a browser): a Web Worker on navigator.gpu. In Node,
 *  where gpu() opens it synchronously, the same. */
export async function openAsync(): Promise<GpuRuntime | null> {
  if (runtime !== null || proc?.getBuiltinModule !== undefined) return gpu();
  failure = null;
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(url);
  const m = await new Promise<{ ready?: GpuInfo; failed?: string }>((resolve) => worker.addEventListener("message", (e) => resolve(e.data), { once: true }));
  if (m.ready === undefined) { worker.terminate(); failure = `WebGPU is not available: ${m.failed}`; return null; }
  // a page's main thread may not block; a cross-origin-isolated worker may
  const canBlock = typeof (globalThis as { window?: unknown }).window === "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return runtime = new GpuRuntime(m.ready, worker, canBlock);
}

/** In Node: the GPU thread on the `webgpu` package (Dawn), waited for here. */
function openNode(): GpuRuntime {
  const mod = proc?.getBuiltinModule?.("node:module") as { createRequire(u: string): { resolve(id: string): string } } | undefined;
  const wt = proc?.getBuiltinModule?.("node:worker_threads") as { Worker: new (src: string, o: object) => NodeWorker & { terminate(): void } } | undefined;
  const url = proc?.getBuiltinModule?.("node:url") as { pathToFileURL(p: string): URL } | undefined;
  if (mod === undefined || wt === undefined || url === undefined)
    throw new Error("WebGPU is not available: in a browser, await torch.webgpu.init() first (it uses navigator.gpu)");
  let entry: string;
  try { entry = mod.createRequire(import.meta.url).resolve("webgpu"); }
  catch { throw new Error("WebGPU is not available: the npm package 'webgpu' (Dawn for Node) is not installed"); }
  // Mesa's EGL (Dawn's OpenGL ES backend on machines without a GPU) needs no display this way
  if (proc!.env && proc!.env["EGL_PLATFORM"] === undefined) proc!.env["EGL_PLATFORM"] = "surfaceless";
  const init = new SharedArrayBuffer(8 + 4096);
  const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module: url.pathToFileURL(entry).href, init }, stderr: false });
  const w = new Int32Array(init, 0, 2);
  if (Atomics.wait(w, 0, 0, 30000) === "timed-out") { worker.terminate(); throw new Error("WebGPU is not available: the adapter did not answer within 30 s"); }
  const value = JSON.parse(new TextDecoder().decode(new Uint8Array(init, 8, w[1]!))) as GpuInfo | string;
  if (w[0] !== 1) { worker.terminate(); throw new Error(`WebGPU is not available: ${value as string}`); }
  const rt = new GpuRuntime(value as GpuInfo, worker, true);
  worker.unref(); // an idle GPU thread does not keep the process alive (after its listener, which refs it)
  // Node ends the thread when the process exits: not while Dawn is inside a call, which aborts
  (proc as unknown as { on(ev: "exit", f: () => void): void }).on("exit", () => rt.synchronize());
  return rt;
}
