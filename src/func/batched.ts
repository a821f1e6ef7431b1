// The tensor vmap hands to the function it maps, and the hook through which ops reach the batching
// rules (func/batching_rules.ts). This module imports no op, so that the places every op passes
// through (ops/util.ts's installMethods, core/argparse.ts's torch.* functions, nn/F.ts) can
// import it.
//
// Note [Batched tensors]: as functorch's BatchedTensor, a BatchedTensor is the logical tensor one
// sample sees (its shape lacks the mapped dimension) over a physical `value` that holds every
// sample, the samples along dimension `bdim`. `level` is the vmap it belongs to (1 for the
// outermost); under nested vmaps `value` may itself be a BatchedTensor of a lower level. Ops called
// on it (any argument, lists and options objects included) are dispatched by the name of the op
// to the batching rule of the highest level among their batched arguments, which runs the op once
// on the physical values; an op without a rule runs once per sample (PyTorch's fallback, with its
// warning). A BatchedTensor owns no elements: a kernel that reads them throws, so an op that
// bypassed the dispatch cannot return one sample's numbers for all.

import { Tensor, TensorStorage } from "../core/tensor.js";
import type { Storage } from "../core/dtype.js";
import { contiguousStrides } from "../core/shape.js";

/** The storage of a BatchedTensor: none (Note [Batched tensors]). */
class NoStorage extends TensorStorage {
  constructor() { super(new Uint8Array(0)); }
  override get data(): Storage { throw new Error("vmap: an op without a batching rule read a batched tensor's elements (Note [Batched tensors])"); }
  override set data(_s: Storage) { throw new Error("vmap: an op without a batching rule wrote a batched tensor's elements (Note [Batched tensors])"); }
  override get readable(): Storage { return this.data; }
}

export class BatchedTensor extends Tensor {
  /** @internal */ readonly value: Tensor;
  /** @internal */ readonly bdim: number;
  /** @internal */ readonly level: number;
  constructor(value: Tensor, bdim: number, level: number) {
    const shape = value.shape.filter((_, i) => i !== bdim);
    super(new NoStorage(), shape, contiguousStrides(shape), 0, value.dtype, value.device);
    this.value = value;
    this.bdim = bdim;
    this.level = level;
  }
  /** the size of the mapped dimension */
  get batchSize(): number { return this.value.shape[this.bdim]!; }
  override get requires_grad(): boolean { return this.value.requires_grad; }
  override set requires_grad(flag: boolean) { this.value.requires_grad_(flag); }
  override requires_grad_(flag = true): this { this.value.requires_grad_(flag); return this; }
  override get grad_fn() { return this.value.grad_fn; }
  override item(): number {
    throw new Error("vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on a Tensor, " +
      "please try to rewrite what you're doing with other operations. If error is occurring somewhere inside PyTorch internals, please file a bug report.");
  }
  override toString(): string {
    return `BatchedTensor(lvl=${this.level}, bdim=${this.bdim}, value=\n${String(this.value).replace(/^/gm, "    ")}\n)`;
  }
}

/** How many running transforms record their gradients' graphs, to be differentiated again: then
 *  no shortcut that gives first derivatives only may run (Note [Shared weights] in
 *  batching_rules.ts). */
export const recordingTransforms = { count: 0 };

/** One running vmap: its batch size and randomness mode. */
export interface VmapLevel { readonly size: number; readonly randomness: "error" | "different" | "same" }
/** The running vmaps, outermost first: level k is levels[k - 1]. */
export const levels: VmapLevel[] = [];

/** A plain object literal: Python's keyword arguments (core/argparse.ts's isKwargs). */
function isOptionsObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Whether a call's arguments hold a BatchedTensor (in a list or options object too). */
export function hasBatched(args: readonly unknown[]): boolean {
  for (const a of args) {
    if (a instanceof BatchedTensor) return true;
    if (Array.isArray(a)) { if (hasBatched(a)) return true; } else if (isOptionsObject(a) && hasBatched(Object.values(a))) return true;
  }
  return false;
}

type Dispatcher = (op: string, fn: (...args: unknown[]) => unknown, args: unknown[]) => unknown;
let dispatcher: Dispatcher | null = null;
/** @internal batching_rules.ts installs the dispatcher (it needs the whole op surface). */
export function _setBatchedDispatcher(d: Dispatcher): void { dispatcher = d; }

/** The op `op` (its aten name; "F.name" for nn.functional's) on arguments holding a batched
 *  tensor: its batching rule, or the per-sample fallback. The call sites test
 *  `levels.length > 0 && hasBatched(args)` first, which costs one read outside vmap. */
export function callBatched(op: string, fn: (...args: never[]) => unknown, args: unknown[]): unknown {
  return dispatcher!(op, fn as (...args: unknown[]) => unknown, args);
}

/** Raises PyTorch's error when the random generator moved since `before` (randomness "error"). */
export function checkNoDraws(before: Uint8Array, after: Uint8Array): void {
  if (before.length !== after.length || before.some((v, i) => v !== after[i])) {
    throw new Error("vmap: called random operation while in randomness error mode. Please either use the 'same' or 'different' randomness flags on vmap or perform the randomness operation out of vmap");
  }
}

/** The levels whose samples draw their own random numbers (randomness "different"). */
const drawing = (): number[] => levels.flatMap((l, i) => (l.randomness === "different" ? [i + 1] : []));
/** The physical shape of a random tensor of logical shape `shape` drawn inside vmap: one draw per
 *  sample of each level with randomness "different" (as PyTorch's random batching rules draw). */
export function drawShape(shape: readonly number[]): number[] {
  return levels.length === 0 ? shape.slice() : [...drawing().map((lv) => levels[lv - 1]!.size), ...shape];
}
/** A tensor drawn with drawShape's shape, batched at those levels. */
export function drawn(t: Tensor): Tensor {
  for (const lv of levels.length === 0 ? [] : drawing()) t = new BatchedTensor(t, 0, lv);
  return t;
}
