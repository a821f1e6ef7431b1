// The backward engine, shaped like PyTorch's engine.cpp: dependency counts over the graph
// reachable from the roots, a ready queue ordered by sequence number (latest node first),
// input buffers that sum gradients arriving along several edges, and hooks.

import { checkAnomaly, is_anomaly_enabled } from "./anomaly_mode.js";
import { Tensor, type TensorHook, type TensorStorage } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { sameShape } from "../core/shape.js";
import { AccumulateGrad, Node, edgeOf, type Edge, type Grads, type NodeHooks } from "./node.js";
import { set_grad_enabled, is_grad_enabled } from "./grad_mode.js";
import { add, sumTo, zeros, castTo, detach, obeysLayoutContract, cloneObeyContract } from "../ops/_engine_ops.js";
import { gradientTo, freeStorage } from "../backends/index.js";
import { profiling, recordCall } from "../profiler/record.js";

/** PyTorch's name for the leaf's node in profiles (its C++ class). */
const ACCUMULATE_GRAD = "torch::autograd::AccumulateGrad";
const eventName = (node: Node): string => (node instanceof AccumulateGrad ? ACCUMULATE_GRAD : node.name());
const applyNode = (node: Node, grads: Tensor[]): Grads => node.apply(grads);

export interface BackwardOptions {
  retain_graph?: boolean | null;
  create_graph?: boolean;
  inputs?: Tensor | Tensor[] | null;
}

/** Sums a node's output gradient back to the shape and dtype of the input it belongs to
 *  (Note [Broadcast gradients]: formulas return the gradient at the broadcast shape; the engine,
 *  not each formula, reduces it, as PyTorch's validate_outputs does). */
function validate(node: Node, i: number, g: Tensor): Tensor {
  const meta = node._inputMeta[i];
  if (!meta) return g;
  let out = g;
  if (!sameShape(out._shape, meta.shape)) {
    if (!expandableTo(meta.shape, out._shape))
      throw new Error(`Function ${node.name()} returned an invalid gradient at index ${i} - got [${out.shape.join(", ")}] but expected shape compatible with [${meta.shape.join(", ")}]`);
    out = sumTo(out, meta.shape);
  }
  if (out.dtype !== meta.dtype && meta.dtype.is_floating_point) out = castTo(out, meta.dtype);
  // a formula computed on the CPU for a device input (Note [Device fallback]) hands its gradient over
  if (meta.device !== undefined && out.device.type !== meta.device.type) out = gradientTo(node.name(), out, meta.device);
  return out;
}

/** Whether `shape` broadcasts to `to` (PyTorch's is_expandable_to): only such a gradient sums back. */
function expandableTo(shape: readonly number[], to: readonly number[]): boolean {
  if (shape.length > to.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const s = shape[shape.length - i]!, t = to[to.length - i]!;
    if (s !== t && s !== 1) return false;
  }
  return true;
}

/** Max-heap of nodes by sequence number. */
class ReadyQueue {
  private h: Node[] = [];
  get size(): number { return this.h.length; }
  has(n: Node): boolean { return this.h.includes(n); }
  push(n: Node): void {
    const h = this.h; h.push(n);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!._seq >= h[i]!._seq) break;
      const t = h[p]!; h[p] = h[i]!; h[i] = t; i = p; // (no destructuring: it allocates)
    }
  }
  pop(): Node {
    const h = this.h, top = h[0]!, last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && h[l]!._seq > h[m]!._seq) m = l;
        if (r < h.length && h[r]!._seq > h[m]!._seq) m = r;
        if (m === i) break;
        const t = h[m]!; h[m] = h[i]!; h[i] = t; i = m;
      }
    }
    return top;
  }
}

interface Capture { node: Node; nr: number; grad: Tensor | null }

/**
 * Runs backward from `roots` with `gradRoots`. When `captures` is given (torch.autograd.grad),
 * gradients reaching those inputs are returned instead of accumulated into .grad, and only the
 * part of the graph leading to them runs. `accumulateOnly` restricts accumulation to given leaves
 * (backward(inputs=...)).
 */
export function runBackward(
  roots: readonly Tensor[], gradRoots: readonly Tensor[],
  opts: { retain_graph: boolean; create_graph: boolean; captures?: Capture[]; accumulateOnly?: Set<Node> },
): void {
  const rootEdges: Edge[] = roots.map((t, i) => {
    const e = edgeOf(t);
    if (!e[0]) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    return e;
  });

  // Which nodes must run: all reachable ones, or with targets only those leading to a target.
  const targets = opts.captures ? new Set(opts.captures.map((c) => c.node)) : opts.accumulateOnly;
  const [needed, deps] = targets ? withDeps(neededFor(rootEdges, targets)) : reachable(rootEdges);
  const task = new GraphTask(++passes, needed, deps, opts.create_graph, opts.accumulateOnly ?? null);

  const guard = set_grad_enabled(opts.create_graph);
  const outerCallbacks = finalCallbacks;
  finalCallbacks = [];
  try {
    const queue = task.queue;
    for (let i = 0; i < rootEdges.length; i++) {
      const [n, nr] = rootEdges[i]!;
      if (!needed.has(n!)) continue;
      stamped(gradRoots[i]!._storage, task.pass)._pinned = true;
      task.addTo(n!, nr, gradRoots[i]!);
      if (!deps.has(n!) && !queue.has(n!)) queue.push(n!);
    }
    for (const c of opts.captures ?? []) {
      const captureOf = (task.captureOf ??= new Map());
      const l = captureOf.get(c.node) ?? [];
      l.push(c); captureOf.set(c.node, l);
    }
    while (queue.size) {
      const node = queue.pop();
      if (profiling.on) recordCall(`autograd::engine::evaluate_function: ${eventName(node)}`, null, evaluateIn, task, node);
      else task.evaluate(node);
    }
    for (let i = 0; i < finalCallbacks.length; i++) finalCallbacks[i]!();
  } finally {
    finalCallbacks = outerCallbacks;
    guard[Symbol.dispose]();
    const executed = task.executed;
    if (!opts.retain_graph) for (let i = 0; i < executed.length; i++) executed[i]!._release();
  }
}

/**
 * One backward pass's state and steps, as PyTorch's GraphTask: the gradients waiting for each
 * node (input buffers that sum what arrives along several edges), the dependency counts, the ready
 * queue, the nodes run. A class rather than closures made by each runBackward: V8 compiled each
 * pass's closures afresh (evaluate: 18-26 ms of TurboFan on a background thread, five times in 60
 * steps of B7 after 200), and ran each new pair unoptimized until then; the code each compile left
 * in the old generation brought V8's full collections. Measured on B7's steps 60-90 (one thread,
 * CPU): 0.33 Mark-Compacts and 101 KB promoted a step before, none and 1 KB after; 59 -> 51 ms.
 */
class GraphTask {
  readonly buffers = new Map<Node, Grads>();
  readonly queue = new ReadyQueue();
  readonly executed: Node[] = [];
  /** torch.autograd.grad's captures by node, or null */
  captureOf: Map<Node, Capture[]> | null = null;
  constructor(
    readonly pass: number, readonly needed: Set<Node>, readonly deps: Map<Node, number>,
    readonly createGraph: boolean, readonly accumulateOnly: Set<Node> | null,
  ) {}

  // Note [Stealing gradients]: as PyTorch's AccumulateGrad, a leaf's first gradient becomes its
  // .grad without a copy where nothing else can hold its elements. PyTorch asks the tensor's
  // reference count; here the engine counts, per storage, the gradients waiting in buffers that
  // use it (a view handed on by a formula shares its input's storage), and pins the storages it
  // cannot vouch for: the roots' gradients, and what a custom Function or a hook returned or saw.
  // A leaf's gradient whose storage no other buffer uses and nothing pinned is the engine's alone.
  // (the counts live on the storages, stamped with this pass: no map to keep per delivery)
  addTo(node: Node, nr: number, g: Tensor): void {
    let buf = this.buffers.get(node);
    if (!buf) { buf = []; this.buffers.set(node, buf); }
    const prev = buf[nr];
    if (prev) { stamped(prev._storage, this.pass)._waiting--; buf[nr] = add(prev, g); } else buf[nr] = g;
    stamped(buf[nr]!._storage, this.pass)._waiting++;
  }

  /** One node's evaluation: its hooks, its formula (or accumulation into .grad), and handing its
   *  gradients to the next nodes (PyTorch's evaluate_function). */
  evaluate(node: Node): void {
    const pass = this.pass, createGraph = this.createGraph, needed = this.needed;
    let grads: Grads = this.buffers.get(node) ?? [];
    this.buffers.delete(node);
    for (let i = 0; i < grads.length; i++) if (grads[i]) stamped(grads[i]!._storage, pass)._waiting--;

    // Tensor hooks on non-leaf outputs, then retain_grad, then node pre-hooks.
    const hooks = node._hooks;
    if (hooks) { pin(grads, pass); grads = runPreHooks(hooks, grads, createGraph); pin(grads, pass); }

    const caps = this.captureOf?.get(node);
    if (caps) for (const c of caps) {
      const g = grads[c.nr];
      if (g) { c.grad = c.grad ? add(c.grad, g) : g; stamped(g._storage, pass)._pinned = true; } // (returned to the caller)
    }

    let outs: Grads, consumed: Grads | null = null, ran = node;
    if (node instanceof AccumulateGrad) {
      outs = [];
      if (!caps && (!this.accumulateOnly || this.accumulateOnly.has(node))) {
        const g = grads[0];
        if (g) {
          // (a pass run inside this one, by a formula, re-stamped what it touched: no stealing after it)
          const s = stamped(g._storage, pass), own = passes === pass && !s._pinned && s._waiting === 0;
          if (node.variable._hooks) s._pinned = true; // (the leaf's hooks see g: Note [Freeing consumed gradients])
          if (profiling.on) recordCall(ACCUMULATE_GRAD, [g], accumulate, node.variable, g, createGraph, own);
          else accumulate(node.variable, g, createGraph, own);
          const post = node.variable._postAccumulateGradHooks;
          if (post) for (let k = 0; k < post.length; k++) post[k]!(node.variable);
        }
      }
    } else if (caps && !node.next_functions.some((e) => e[0] && needed.has(e[0]) && e[0] !== node)) {
      // a captured non-leaf whose inputs lead to no other target: its gradient is taken where it
      // arrives and the node does not run, so it keeps its saved tensors (as PyTorch's engine,
      // which frees only what it executed: a composite's backward differentiating through its
      // inputs must not free their history, Note [Fused LSTM layer])
      outs = [];
    } else {
      const meta = node._outputMeta, full: (Tensor | null)[] = new Array(meta.length);
      const fill = !node._takesUndefinedGrads;
      for (let i = 0; i < meta.length; i++) full[i] = grads[i] ?? (fill ? zeros(meta[i]!.shape, meta[i]!.dtype, meta[i]!.device) : null);
      const pair = hooks || createGraph || caps ? undefined : pairs.get(node), child = pair ? this.soleChild(node) : null;
      const fused = child === null ? null : profiling.on ? recordCall(node.name(), full, pair!, full as Tensor[], child) : pair!(full as Tensor[], child);
      if (fused) {
        // (Note [Fused backward pairs]: the child ran too; its outputs go on along its edges)
        this.executed.push(node);
        ran = child!;
        outs = fused;
      } else {
        outs = profiling.on ? recordCall(node.name(), full, applyNode, node, full as Tensor[]) : node.apply(full as Tensor[]);
        if (hooks) for (const h of hooks.post) { const r = h(outs, grads); if (r) outs = r; }
      }
      if (hooks || !node._returnsOwnTensors) pin(outs, pass);
      else if (!createGraph && freeing) consumed = full;
      this.executed.push(ran);
      checkAnomaly(ran, outs);
    }

    const next = ran.next_functions, deps = this.deps;
    for (let i = 0; i < next.length; i++) {
      const child = next[i]![0], nr = next[i]![1];
      if (child === null || !needed.has(child)) continue;
      const g = outs[i];
      if (g) this.addTo(child, nr, validate(ran, i, g));
      const left = deps.get(child)! - 1;
      deps.set(child, left);
      if (left === 0) this.queue.push(child);
    }
    if (consumed) freeConsumed(consumed, pass);
  }

  /** The one node `node`'s gradient goes to, where the two can run as one formula (Note [Fused
   *  backward pairs]): no other gradient reaches it nor did, nothing observes its gradient (hooks,
   *  retain_grad, a capture of autograd.grad), it is no custom Function's, and anomaly mode is off
   *  (it names the node whose formula made a NaN). */
  soleChild(node: Node): Node | null {
    const next = node.next_functions, c = next.length === 1 ? next[0]![0] : null;
    if (c === null || c instanceof AccumulateGrad || c._hooks !== null || !c._returnsOwnTensors || !this.needed.has(c) || this.deps.get(c) !== 1
        || this.buffers.has(c) || this.captureOf?.has(c) || is_anomaly_enabled()) return null;
    return c;
  }
}

const evaluateIn = (task: GraphTask, node: Node): void => task.evaluate(node);

// Note [Fused backward pairs]: some formulas, run one after the other, write out a large gradient
// that the next one reads once and drops: nll_loss's is zero but for one element a row, and
// log_softmax's backward reads it whole (B8: 28 MB, written, then read). An op that knows the
// formula of its input's node in such a pair registers (fuseBackward) one formula for both: the
// gradients of the child's inputs from its own output's gradients, or null to decline. The engine
// runs it in place of the two where the pair is alone: the child gets no other gradient, nothing
// observes the one between them (hooks on either node, retain_grad, autograd.grad's captures,
// anomaly mode), and no graph is being made of the backward (create_graph differentiates the
// formulas as written). Both nodes count as run (their saved tensors are released alike), and the
// child's gradients go on along its edges. The numbers are the two formulas' own, bit for bit.
export type PairFormula = (grads: Tensor[], child: Node) => Grads | null;
const pairs = new WeakMap<Node, PairFormula>();
/** Registers `formula` for `node` and the node its gradient goes to (Note [Fused backward pairs]). */
export function fuseBackward(node: Node, formula: PairFormula): void { pairs.set(node, formula); }

/** Backward passes so far (Note [Stealing gradients] stamps storages with the pass's number). */
let passes = 0;

/** Whether the gradient g handed to the formula running now is the engine's alone, as Note
 *  [Stealing gradients] decides it for AccumulateGrad: no other buffer holds its storage, nothing
 *  pinned it, no pass started since, and no graph is being made of the backward. The formula may
 *  then write its result over g's elements, as PyTorch's kernels do where autograd lets them
 *  (sparing a large gradient a fresh buffer). Only for a formula of one gradient: two gradients of
 *  one node may share a storage. */
export function ownsGradient(g: Tensor): boolean {
  const s = g._storage;
  return !is_grad_enabled() && s._pass === passes && !s._pinned && s._waiting === 0;
}

// Note [Freeing consumed gradients]: a tensor's storage goes back to the native allocator's cache
// when V8 finds its typed array dead, at a scavenge, which in a backward pass comes long after
// the gradient was used: B8's 28 MB gradient of the decoder's output lay dead until then, and the
// next 28 MB tensor went to another block, out of the caches, where PyTorch (reference counts)
// writes the one it just freed. The engine knows when a gradient it delivered is used up: once
// the node it went to has run and handed its own gradients on. Its storage is then handed back at
// once (freeStorage) where nothing else can reach it:
//   - the node is a built-in formula without hooks: a custom Function's backward and hooks (a
//     leaf's too) are user code, which may keep what it is given (their gradients are pinned);
//   - no graph is being made of the backward (create_graph saves gradients in the new nodes);
//   - Note [Stealing gradients]'s counts vouch for the storage: delivered by this pass, no pass
//     started since (a pass run inside a formula re-stamps what it touches), not pinned (the
//     roots' gradients are the caller's; a hook's, a custom Function's and autograd.grad's
//     results are seen by user code), and no buffer holds a gradient on it any more (counted
//     after the node's outputs were delivered: an output that is its input, or a view of it, or
//     was written over it, keeps it);
//   - it is the CPU's, and no array was made over its memory by viewOver (view(dtype), numpy()).
// A gradient that became a leaf's .grad is never freed (AccumulateGrad frees nothing, and a
// stolen gradient's storage was waiting for it). The freed storage's elements then throw on use
// (TensorStorage._free), so a mistake in these rules fails loudly instead of reading reused
// memory. On the ts and wasm backends memory is the garbage collector's: nothing is freed.
let freeing = true;
/** @internal Turns Note [Freeing consumed gradients] off or on (tests compare the two). */
export function _setFreeingConsumed(on: boolean): void { freeing = on; }

function freeConsumed(grads: Grads, pass: number): void {
  if (passes !== pass) return;
  for (let i = 0; i < grads.length; i++) {
    const s = grads[i]?._storage;
    if (!s || s._pass !== pass || s._pinned || s._waiting !== 0) continue;
    s._pinned = true; // (one storage may come twice)
    s._free(freeStorage);
  }
}

/** s, its counts reset when another pass set them. */
function stamped(s: TensorStorage, pass: number): TensorStorage {
  if (s._pass !== pass) { s._pass = pass; s._waiting = 0; s._pinned = false; }
  return s;
}
/** Marks the storages of gradients the engine cannot vouch for. */
function pin(grads: Grads, pass: number): void {
  for (let i = 0; i < grads.length; i++) if (grads[i]) stamped(grads[i]!._storage, pass)._pinned = true;
}

/** The callbacks queued during the backward pass running now (null outside one). */
let finalCallbacks: (() => void)[] | null = null;

/** Runs `fn` once the backward pass running now has evaluated every node (PyTorch's
 *  Variable._execution_engine.queue_callback; DDP waits for its gradient all-reduces there). */
export function queue_callback(fn: () => void): void {
  if (!finalCallbacks) throw new Error("Final callbacks can only be installed during backward pass.");
  finalCallbacks.push(fn);
}

/** Every node reachable from the roots, and the dependency counts among them (one walk). */
function reachable(rootEdges: readonly Edge[]): [Set<Node>, Map<Node, number>] {
  const needed = new Set<Node>(), deps = new Map<Node, number>();
  const stack = rootEdges.map((e) => e[0]!);
  while (stack.length) {
    const n = stack.pop()!;
    if (needed.has(n)) continue;
    needed.add(n);
    const next = n.next_functions;
    for (let i = 0; i < next.length; i++) {
      const c = next[i]![0];
      if (c === null) continue;
      deps.set(c, (deps.get(c) ?? 0) + 1);
      if (!needed.has(c)) stack.push(c);
    }
  }
  return [needed, deps];
}

/** The needed nodes with the dependency counts among them. */
function withDeps(needed: Set<Node>): [Set<Node>, Map<Node, number>] {
  const deps = new Map<Node, number>();
  for (const n of needed) {
    const next = n.next_functions;
    for (let i = 0; i < next.length; i++) {
      const c = next[i]![0];
      if (c !== null && needed.has(c)) deps.set(c, (deps.get(c) ?? 0) + 1);
    }
  }
  return [needed, deps];
}

/** The nodes on a path from the roots to a target: an iterative post-order DFS, where a node is
 *  needed when it is a target or one of its children is needed. */
function neededFor(rootEdges: readonly Edge[], targets: Set<Node>): Set<Node> {
  const needed = new Set<Node>(), visiting = new Set<Node>(), done = new Set<Node>();
  const children = (n: Node): Node[] => n.next_functions.map((e) => e[0]).filter((x): x is Node => x !== null);
  const stack: [Node, number][] = rootEdges.map((e) => [e[0]!, 0]);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [n, k] = top;
    if (k === 0) { if (done.has(n) || visiting.has(n)) { stack.pop(); continue; } visiting.add(n); }
    const ch = children(n);
    if (k < ch.length) { top[1]++; stack.push([ch[k]!, 0]); continue; }
    stack.pop(); visiting.delete(n); done.add(n);
    if (targets.has(n) || ch.some((c) => needed.has(c))) needed.add(n);
  }
  return needed;
}

/** A tensor hook's gradient: what it returned, or `g` when it returned nothing. A gradient of
 *  another shape or dtype is refused, as PyTorch's check_single_result does (it would be summed
 *  or accumulated into the wrong place). A hook is named as Python names a function: an
 *  anonymous one is a '<lambda>'. */
function hookResult(hook: TensorHook, g: Tensor, hookName = hook.name): Tensor {
  const r: unknown = hook(g);
  if (r === undefined || r === null) return g;
  const name = hookName || "<lambda>";
  if (!(r instanceof Tensor)) {
    throw new TypeError(`expected Variable, but hook returned '${pyTypeName(r)}'`);
  }
  if (!sameShape(r.shape, g.shape)) throw new Error(`hook '${name}' has changed the size of value`);
  if (r.dtype !== g.dtype) throw new Error(`hook '${name}' has changed the type of value (was ${g.type()} got ${r.type()})`);
  return r;
}

/** A node's tensor hooks (per output), retain_grad, then its pre-hooks, as PyTorch orders them. */
function runPreHooks(hooks: NodeHooks, grads: Grads, createGraph: boolean): Grads {
  for (const [nr, list] of hooks.tensorPre) {
    for (const h of list) {
      const g = grads[nr];
      if (!g) continue;
      grads[nr] = hookResult(h, g);
    }
  }
  for (const [nr, ref] of hooks.retained) {
    const t = ref.deref(), g = grads[nr];
    if (!t || !g) continue;
    // a copy, never the incoming tensor itself (PyTorch's retain_grad hook clones it)
    if (t.grad === null) t.grad = createGraph ? g.clone() : detach(g).clone();
    else t.grad = createGraph ? add(t.grad, g) : detach(add(t.grad, g));
  }
  for (const h of hooks.pre) {
    const r = h(grads);
    if (!r) continue;
    // each gradient a node pre-hook returns is checked as a tensor hook's is
    grads = r.map((g, i) => (g && grads[i] ? hookResult(() => g, grads[i]!, h.name) : g));
  }
  return grads;
}

/** AccumulateGrad: run the leaf's hooks, then add into .grad (in place when not building a graph,
 *  so a reference the user holds to .grad sees the sum, as in PyTorch). With create_graph the new
 *  .grad is a differentiable copy (grad_fn CopyBackwards, PyTorch's clone_obey_contract), so it
 *  never aliases a gradient tensor the caller still holds. */
/** A gradient whose elements can become .grad as they are: v's dtype, in the layout the contract
 *  asks for, alone in a CPU storage of its size (not a broadcast, nor a window of a larger buffer). */
function stealable(g: Tensor, v: Tensor): boolean {
  return g.dtype === v.dtype && g.device.type === "cpu" && g._offset === 0 && g._storage.data.length === g.numel() && obeysLayoutContract(g, v);
}

/** AccumulateGrad: g into v.grad. `own`: g is the engine's alone (Note [Stealing gradients]), so
 *  a first gradient needs no copy where its layout is one a copy would have (dense, on the CPU). */
function accumulate(v: Tensor, g: Tensor, createGraph: boolean, own = false): void {
  if (v._hooks) for (const h of v._hooks) g = hookResult(h, g);
  if (v.grad === null) {
    // (a first gradient takes the leaf's layout: PyTorch's Gradient Layout Contract)
    v.grad = createGraph ? cloneObeyContract(g, v) : own && !v._hooks && stealable(g, v) ? detach(g) : cloneObeyContract(detach(g), v);
  } else if (createGraph || v.grad.requires_grad) {
    v.grad = add(v.grad, g);
  } else {
    v.grad.add_(g);
  }
}

export type { Capture };
