// The WebAssembly engine: the compiled kernels, the memory they work in, and the worker threads
// that share it. Tensor-level code (./ops.ts) stages operands into the memory, runs kernels
// through `run`, and copies results out; nothing here knows about tensors.
//
// Note [Scratch memory]: kernels work only on wasm memory, and storage stays in GC'd ArrayBuffers
// (shared/DESIGN.md principle 6), so every fast op copies its operands in and its result out.
// The memory past the control block is one arena, reset by each op: `allocate` hands out regions
// from its start, growing the memory to the largest request seen and never beyond CEILING (an op
// that would need more runs on the reference kernels instead). Wasm memory cannot shrink, so the
// peak stays allocated, which is also what keeps a training loop's footprint steady: every step
// reuses the same pages.

import { SIMD, RELAXED_SIMD } from "./kernels.generated.js";
import { CTRL, CTRL_BYTES, WORKER_SOURCE } from "./worker_source.js";

export type Kernel = (...args: number[]) => number;

interface NodeProcess { getBuiltinModule?(id: string): unknown }
const proc = (globalThis as { process?: NodeProcess }).process;
/** A Node builtin module (Node ≥ 20.16), or undefined elsewhere: no static import, so the same
 *  code loads in a browser. */
const builtin = <T>(id: string): T | undefined => proc?.getBuiltinModule?.(id) as T | undefined;

const PAGE = 65536;
/** The most memory the arena may grow to (1 GiB): beyond it, ops fall back to the reference. */
const CEILING_PAGES = 16384;
const align = (n: number) => (n + 63) & ~63;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Reads an unsigned LEB128 at bytes[p]: [value, next position]. */
function leb(bytes: Uint8Array, p: number): [number, number] {
  let v = 0, shift = 0, b: number;
  do { b = bytes[p++]!; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [v, p];
}

/** The module with its memory import declared unshared: the limits flag 0x03 (shared, with
 *  maximum) becomes 0x01, nothing else moves. For runtimes without shared memory (a browser
 *  page that is not cross-origin isolated), which then run every kernel on one thread. */
function unshare(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  let p = 8;
  while (p < out.length) {
    const id = out[p]!;
    const [size, body] = leb(out, p + 1);
    if (id === 2) {
      let [count, q] = leb(out, body);
      while (count-- > 0) {
        let len: number;
        [len, q] = leb(out, q); q += len; // module name
        [len, q] = leb(out, q); q += len; // field name
        const kind = out[q++]!;
        if (kind === 2) { if (out[q] === 0x03) out[q] = 0x01; return out; }
        if (kind === 0) [, q] = leb(out, q);
        else throw new Error("unexpected import in the kernels' module");
      }
    }
    p = body + size;
  }
  return out;
}

/** The relaxed-SIMD build when the runtime accepts it, else the plain SIMD one; null without
 *  WebAssembly SIMD. */
function kernelBytes(shared: boolean): { bytes: Uint8Array<ArrayBuffer>; relaxed: boolean } | null {
  const fix = (b: Uint8Array<ArrayBuffer>) => (shared ? b : unshare(b));
  const relaxed = fix(decode(RELAXED_SIMD));
  if (!WebAssembly.validate(relaxed)) {
    // Node 20's V8 has relaxed SIMD behind a flag, which takes effect for modules compiled after it
    builtin<{ setFlagsFromString(f: string): void }>("node:v8")?.setFlagsFromString("--experimental-wasm-relaxed-simd");
  }
  if (WebAssembly.validate(relaxed)) return { bytes: relaxed, relaxed: true };
  const simd = fix(decode(SIMD));
  return WebAssembly.validate(simd) ? { bytes: simd, relaxed: false } : null;
}

// ---- threads ------------------------------------------------------------------------------------

/** How many threads (the calling one included) the kernels may use: set by the dispatcher
 *  (src/backends/index.ts), which owns torch.set_num_threads, its checks and its cap. */
let numThreads = 1;
export function set_num_threads(n: number): void { numThreads = n; }
export function get_num_threads(): number { return numThreads; }

interface WorkerHandle { ready(): boolean; terminate(): void }

/** The worker threads: spawned on first need, each on the shared memory (Note [Worker protocol]). */
class Pool {
  private readonly workers: WorkerHandle[] = [];
  /** whether this thread may block in Atomics.wait (not a browser's main thread) */
  private readonly canBlock: boolean;
  private failed = false;

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory,
    private readonly ctrl: number, private readonly I: Int32Array, private readonly slots: Float64Array,
    private readonly index: Map<string, number>) {
    let canBlock = true;
    try { Atomics.wait(I, CTRL.FAILED, 1, 0); } catch { canBlock = false; }
    this.canBlock = canBlock;
  }

  /** Threads available now for a job wanting `want` of them (the calling thread included). */
  threads(want: number): number {
    want = Math.min(want, numThreads, CTRL.MAX_THREADS);
    while (!this.failed && this.workers.length < want - 1) this.spawn();
    let n = 1;
    while (n < want && this.workers[n - 1]?.ready()) n++;
    return n;
  }

  private spawn(): void {
    const t = this.workers.length + 1;
    const data = { module: this.module, memory: this.memory, ctrl: this.ctrl, t };
    const wt = builtin<typeof import("node:worker_threads")>("node:worker_threads");
    const I = this.I, ready = () => Atomics.load(I, CTRL.READY + t) === 1;
    try {
      if (wt) {
        const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: data });
        w.unref(); // never keeps the process alive
        // Node's main thread may block: wait for the worker here, so that a job asking for n
        // threads gets them from the first call on
        if (Atomics.wait(I, CTRL.READY + t, 0, 10_000) === "timed-out") { void w.terminate(); throw new Error("worker did not start"); }
        this.workers.push({ ready, terminate: () => void w.terminate() });
      } else {
        // a browser: the worker joins once it has instantiated the module
        const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
        const w = new Worker(url);
        w.postMessage(data);
        this.workers.push({ ready, terminate: () => w.terminate() });
      }
    } catch {
      this.failed = true; // no workers here: everything runs on the calling thread
    }
  }

  /** Runs jobs[0] on the calling thread and jobs[i] on worker i, and returns when all are done. */
  run(exports: Record<string, Kernel>, jobs: readonly (readonly [string, readonly number[]])[]): void {
    const I = this.I, F = this.slots;
    Atomics.store(I, CTRL.PENDING, jobs.length - 1);
    for (let t = 1; t < jobs.length; t++) {
      const [name, args] = jobs[t]!, s = t * CTRL.SLOT_F64;
      F[s] = this.index.get(name)!;
      F[s + 1] = args.length;
      for (let i = 0; i < args.length; i++) F[s + 2 + i] = args[i]!;
      Atomics.store(I, CTRL.STATE + t, 1);
      Atomics.notify(I, CTRL.STATE + t, 1);
    }
    try {
      const [name, args] = jobs[0]!;
      exports[name]!(...args);
    } finally {
      // Spin while the workers are likely just finishing (a sleeping main thread takes ~50 µs to
      // wake), then sleep. The spinning thread has the core it ran its own share on.
      const until = performance.now() + 0.2;
      let p: number, k = 0;
      while ((p = Atomics.load(I, CTRL.PENDING)) !== 0) {
        if (++k % 256 === 0 && this.canBlock && performance.now() > until) Atomics.wait(I, CTRL.PENDING, p, 1000);
      }
    }
    if (Atomics.exchange(I, CTRL.FAILED, 0) !== 0) throw new Error("a WebAssembly kernel failed in a worker thread");
  }
}

// ---- the engine ---------------------------------------------------------------------------------

export class Engine {
  readonly exports: Record<string, Kernel>;
  /** whether the GEMM uses relaxed-SIMD fused multiply-add */
  readonly relaxed: boolean;
  private f32view: Float32Array;
  private u8view: Uint8Array;
  private readonly arenaBase: number;
  private readonly pool: Pool | null;

  constructor(module: WebAssembly.Module, private readonly memory: WebAssembly.Memory, shared: boolean, relaxed: boolean) {
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Record<string, Kernel>;
    this.relaxed = relaxed;
    const ctrl = align(this.exports["heap_base"]!());
    this.arenaBase = align(ctrl + CTRL_BYTES);
    this.f32view = new Float32Array(memory.buffer);
    this.u8view = new Uint8Array(memory.buffer);
    this.ensure(this.arenaBase);
    const index = new Map(Object.keys(this.exports).map((name, i) => [name, i]));
    this.pool = shared ? new Pool(module, memory, ctrl, new Int32Array(memory.buffer, ctrl, CTRL.SLOTS_BYTE / 4),
      new Float64Array(memory.buffer, ctrl + CTRL.SLOTS_BYTE, CTRL.MAX_THREADS * CTRL.SLOT_F64), index) : null;
  }

  /** The memory as float32s (a fresh view after the memory grew). */
  get f32(): Float32Array { return this.f32view; }
  /** The memory as bytes. */
  get u8(): Uint8Array { return this.u8view; }

  private ensure(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil(bytes / PAGE);
    if (pages > CEILING_PAGES) return false;
    this.memory.grow(pages - have / PAGE);
    this.f32view = new Float32Array(this.memory.buffer);
    this.u8view = new Uint8Array(this.memory.buffer);
    return true;
  }

  /** Byte offsets of fresh 64-aligned regions of the given byte sizes, valid until the next call
   *  (Note [Scratch memory]); null when they do not fit under the ceiling. */
  allocate(sizes: readonly number[]): number[] | null {
    let p = this.arenaBase;
    const out = sizes.map((s) => { const at = p; p += align(s); return at; });
    return this.ensure(p) ? out : null;
  }

  /** How many threads a job wanting `want` of them gets now (1 without shared memory). */
  threads(want: number): number { return this.pool && want > 1 ? this.pool.threads(want) : 1; }

  /** Runs the kernels `jobs[i] = [export name, arguments]`, one per thread (jobs.length ≤ threads()). */
  run(jobs: readonly (readonly [string, readonly number[]])[]): void {
    if (jobs.length === 1 || !this.pool) { for (const [name, args] of jobs) this.exports[name]!(...args); return; }
    this.pool.run(this.exports, jobs);
  }
}

let engine: Engine | null | undefined;

/** The engine, created on first use; null where WebAssembly SIMD is unavailable. */
export function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  if (typeof WebAssembly !== "object") return engine;
  let memory: WebAssembly.Memory | null = null;
  try { memory = new WebAssembly.Memory({ initial: 1, maximum: CEILING_PAGES, shared: true }); } catch { /* no shared memory */ }
  const shared = memory !== null;
  memory ??= new WebAssembly.Memory({ initial: 1, maximum: CEILING_PAGES });
  const build = kernelBytes(shared);
  if (!build) return engine;
  const { bytes, relaxed } = build;
  try {
    engine = new Engine(new WebAssembly.Module(bytes), memory, shared, relaxed);
  } catch {
    // A browser's main thread may refuse to compile synchronously: compile in the background,
    // and use the reference kernels until it is done.
    void WebAssembly.compile(bytes).then((m) => { engine = new Engine(m, memory, shared, relaxed); }, () => {});
  }
  return engine;
}
