// The code of a kernel worker thread, as a string: a worker made from a string needs no file of
// its own (no path to resolve next to the package, in Node or in a bundled page), and plain
// JavaScript in a string is untouched by whatever compiles the package (a function's toString()
// would carry the transpiler's helpers along).
//
// Note [Worker protocol]: each worker instantiates the kernels' module on the shared memory and
// then sleeps in Atomics.wait on its own state word in the control block. To run a job the main
// thread writes the export's index and arguments into the worker's slot, sets the state word to
// RUN and notifies it; the worker runs the export, sets the word back to IDLE, and the last
// worker to finish decrements PENDING to 0 and notifies the main thread. The layout constants are
// threaded into the source from runtime.ts, so the two sides cannot disagree.

/** Word indices of the control block (an Int32Array over the control region) and its size. */
export const CTRL = {
  /** workers still running the current job */
  PENDING: 0,
  /** set by a worker whose kernel threw; read and cleared by the main thread */
  FAILED: 1,
  /** word STATE + t: worker t's IDLE (0) or RUN (1) */
  STATE: 64,
  /** word READY + t: 1 once worker t has instantiated the module */
  READY: 128,
  /** byte offset of the job slots: SLOT_F64 float64s per thread (export index, argument count,
   *  arguments) */
  SLOTS_BYTE: 1024,
  SLOT_F64: 32,
  /** at most this many threads (the main one included) */
  MAX_THREADS: 64,
} as const;

export const CTRL_BYTES = CTRL.SLOTS_BYTE + CTRL.MAX_THREADS * CTRL.SLOT_F64 * 8;

/** Started in Node with `{eval: true, workerData}`, in a browser from a Blob URL and a message;
 *  the data is {module, memory, ctrl (byte offset of the control block), t (thread index)}. */
export const WORKER_SOURCE = `"use strict";
const C = ${JSON.stringify(CTRL)};
function start(d) {
  const I = new Int32Array(d.memory.buffer, d.ctrl, C.SLOTS_BYTE / 4);
  const F = new Float64Array(d.memory.buffer, d.ctrl + C.SLOTS_BYTE, C.MAX_THREADS * C.SLOT_F64);
  const instance = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
  const fns = Object.values(instance.exports);
  const t = d.t, slot = t * C.SLOT_F64, args = [];
  Atomics.store(I, C.READY + t, 1);
  Atomics.notify(I, C.READY + t);
  for (;;) {
    Atomics.wait(I, C.STATE + t, 0);
    try {
      args.length = F[slot + 1];
      for (let i = 0; i < args.length; i++) args[i] = F[slot + 2 + i];
      fns[F[slot]](...args);
    } catch (e) {
      Atomics.store(I, C.FAILED, 1);
    }
    Atomics.store(I, C.STATE + t, 0);
    if (Atomics.sub(I, C.PENDING, 1) === 1) Atomics.notify(I, C.PENDING);
  }
}
if (typeof require === "function") start(require("node:worker_threads").workerData);
else self.onmessage = (e) => start(e.data);
`;
