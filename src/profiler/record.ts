// The profiler's hook: what every op, backward node and user scope calls. This module is a leaf
// (it imports only the Tensor class), so ops/util.ts, the autograd engine and optim can all use it.
//
// Note [Profiler hook]: PyTorch's dispatcher asks one global flag before each op whether a
// RecordFunction should run. Here the places every op passes are Tensor methods (installed by
// ops/util.ts's installMethods), the torch.* functions (ops/out.ts's withOut, which every
// torch.* op with PyTorch's out= goes through), torch.nn.functional (nn/F.ts), the backward
// engine's evaluation of each node and its own ops (autograd/engine.ts, ops/_engine_ops.ts) and
// the optimizer's step and zero_grad; each reads `profiling.on` and, while it is false, calls
// straight through. So profiling off costs one property read per op. While on, each call is
// timed between its entry and its exit, and its self time is its total less the totals of the
// events recorded inside it. (An op that calls another through a direct import, not through one
// of these places, counts that call in its own self time.)

import { Tensor } from "../core/tensor.js";

/** The one flag the hooks read. */
export const profiling = { on: false };

/** A recorded shape per input: a tensor's shape, [] for anything else, lists of tensors included
 *  (PyTorch's record_shapes). */
export type InputShapes = number[][];

/** One finished call: name, start and end in µs, self time, shapes when recorded, parent's index;
 *  `user` for a record_function scope (PyTorch's user annotations), not an op. */
export interface RawEvent {
  name: string;
  user: boolean;
  start: number;
  end: number;
  self: number;
  shapes: InputShapes | null;
  parent: number;
}

/** A call in progress: when it began, the total time of its finished children, its event. */
interface Frame { start: number; children: number; index: number }

/** The recording in progress: events in order of their start. */
export class Recording {
  readonly events: RawEvent[] = [];
  private readonly stack: Frame[] = [];
  constructor(readonly recordShapes: boolean) {}

  begin(name: string, args: readonly unknown[] | null, user = false): void {
    const parent = this.stack.length ? this.stack[this.stack.length - 1]!.index : -1;
    const shapes = this.recordShapes ? (args ? args.flatMap(shapesOf) : []) : null;
    const index = this.events.length;
    // reserve the slot now so events stay in order of start, as PyTorch lists them
    this.events.push({ name, user, start: 0, end: 0, self: 0, shapes, parent });
    this.stack.push({ start: now(), children: 0, index });
  }

  end(): void {
    const t = now();
    const f = this.stack.pop();
    if (!f) return;
    const total = t - f.start;
    const e = this.events[f.index]!;
    e.start = f.start; e.end = t; e.self = total - f.children;
    if (this.stack.length) this.stack[this.stack.length - 1]!.children += total;
  }

  /** Stops recording: calls still open (the profile stopped inside them) are dropped. */
  close(): RawEvent[] {
    if (!this.stack.length) return this.events;
    const open = new Set(this.stack.map((f) => f.index));
    this.stack.length = 0;
    const kept = this.events.filter((_, i) => !open.has(i));
    // re-point parents at the kept events' new indices
    const newIndex = new Map<number, number>();
    let k = 0;
    this.events.forEach((_, i) => { if (!open.has(i)) newIndex.set(i, k++); });
    for (const e of kept) e.parent = newIndex.get(e.parent) ?? -1;
    return kept;
  }
}

let current: Recording | null = null;

/** @internal */
export function _startRecording(r: Recording): void {
  if (current) throw new Error("Profiler is already enabled on this thread");
  current = r;
  profiling.on = true;
}

/** @internal */
export function _stopRecording(r: Recording): void {
  if (current !== r) return;
  current = null;
  profiling.on = false;
}

const now = (): number => performance.now() * 1000;

function shapesOf(a: unknown): InputShapes {
  if (a instanceof Tensor) return [a.shape.slice()];
  // an options object holds keyword arguments: one entry each, as PyTorch lists every argument
  if (typeof a === "object" && a !== null && !Array.isArray(a) && !ArrayBuffer.isView(a)) return Object.values(a).flatMap(shapesOf);
  return [[]];
}

/** Runs `fn(...args)` as an event named `name` whose inputs are `inputs` (profiling on). The
 *  hooks call it as `profiling.on ? recordCall(name, inputs, fn, ...args) : fn(...args)`, with no
 *  closure: a closure there would cost a context allocation on every call, profiling or not. */
export function recordCall<A extends unknown[], R>(name: string, inputs: readonly unknown[] | null, fn: (...args: A) => R, ...args: A): R {
  const r = current!;
  r.begin(name, inputs);
  try { return fn(...args); } finally { r.end(); }
}

/** `fn` as an op named `name` (e.g. "aten::linear"): with profiling off, one flag read and the
 *  call. */
export function profiled<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  const g = fn as unknown as (...args: unknown[]) => unknown;
  return function (...args: unknown[]) {
    return profiling.on ? recordCall(name, args, g, ...args) : g(...args);
  } as unknown as F;
}

/** Begins a user scope (record_function); returns the recording to end it on, or null when off. */
export function beginScope(name: string): Recording | null {
  if (!profiling.on) return null;
  current!.begin(name, null, true);
  return current;
}

/** Runs `fn(...args)` as a user scope named `name` (profiling on): record_function's event. */
export function recordScope<A extends unknown[], R>(name: string, fn: (...args: A) => R, ...args: A): R {
  const r = current!;
  r.begin(name, null, true);
  try { return fn(...args); } finally { r.end(); }
}
