// torch.nn.parallel.DistributedDataParallel: one model replica per process, kept identical by
// starting from rank 0's parameters and buffers and by averaging gradients during backward.
//
// Note [DDP's reducer]: as PyTorch's Reducer, the parameters are grouped into buckets in reverse
// order of registration (roughly the order backward produces their gradients; with the default
// bucket_cap_mb the first bucket is small, 1 MiB, so communication starts early). A post-accumulate-grad
// hook copies each gradient into its bucket's flat buffer; when a bucket is full, it is divided
// by the world size and all-reduced with async_op, on the group's worker thread, while backward
// goes on computing the next gradients. Buckets are launched in order, so every rank issues the
// same collectives in the same order. A callback queued on the engine at the first hook runs once
// backward is done: it waits for the all-reduces and copies the averages back into .grad.
// With find_unused_parameters, the forward output's graph is walked to find the parameters it
// does not reach; they count as ready (zero gradient) at the first hook, and a map of which
// parameters each rank used is all-reduced too, so a parameter no rank used keeps its .grad.

import { Tensor } from "../core/tensor.js";
import { Module } from "../nn/module.js";
import type { Parameter } from "../nn/parameter.js";
import { no_grad, is_grad_enabled } from "../autograd/grad_mode.js";
import { AccumulateGrad, type Node } from "../autograd/node.js";
import { queue_callback } from "../autograd/engine.js";
import { int32 } from "../core/dtype.js";
import { GroupMember, ProcessGroup, ReduceOp, Work, all_reduce, broadcast } from "./c10d.js";

export interface DDPOptions {
  device_ids?: number[] | null;
  output_device?: number | null;
  dim?: number;
  broadcast_buffers?: boolean;
  process_group?: ProcessGroup | null;
  bucket_cap_mb?: number | null;
  find_unused_parameters?: boolean;
  gradient_as_bucket_view?: boolean;
  static_graph?: boolean;
}

const FIRST_BUCKET_BYTES = 1024 * 1024;  // PyTorch's dist._DEFAULT_FIRST_BUCKET_BYTES

interface Bucket {
  params: number[];      // indices into DDP's parameter list
  offsets: number[];
  flat: Tensor;
  pending: number;       // parameters not ready yet this iteration
  work: Work | null;
}

/** Gathers the tensors of a forward output (tensors, arrays, plain objects, Maps). */
function tensorsIn(x: unknown, out: Tensor[] = []): Tensor[] {
  if (x instanceof Tensor) out.push(x);
  else if (Array.isArray(x)) for (const v of x) tensorsIn(v, out);
  else if (x instanceof Map) for (const v of x.values()) tensorsIn(v, out);
  else if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) tensorsIn(v, out);
  return out;
}

export class DistributedDataParallel extends Module {
  module: Module;
  process_group: ProcessGroup;
  broadcast_buffers: boolean;
  find_unused_parameters: boolean;
  /** false inside no_sync(): gradients accumulate locally, nothing is communicated */
  require_backward_grad_sync = true;
  /** @internal */ _params: Parameter[];
  /** @internal */ _buckets: Bucket[] = [];
  /** @internal */ _bucketOf: number[] = [];
  /** @internal */ _ready: boolean[] = [];
  /** @internal */ _next = 0;
  /** @internal whether the coming backward reduces (decided at forward, as PyTorch does) */
  _syncThisIteration = false;
  /** @internal a backward reached the hooks and its reduction is not finished */
  _reducing = false;
  /** @internal parameters the last forward's output does not reach (find_unused_parameters) */
  _unused: number[] = [];

  constructor(module: Module, opts: DDPOptions = {}) {
    super();
    this.module = module;
    const pg = opts.process_group ?? GroupMember.WORLD;
    if (!pg) throw new Error("Default process group has not been initialized, please make sure to call init_process_group.");
    this.process_group = pg;
    if ((opts.device_ids?.length ?? 0) > 0 || (opts.output_device ?? null) !== null) {
      const ids = opts.device_ids?.length ? `[${opts.device_ids.join(", ")}]` : "None";
      throw new Error(`DistributedDataParallel device_ids and output_device arguments only work with single-device/multiple-device GPU modules or CPU modules, but got device_ids ${ids}, output_device ${opts.output_device ?? "None"}, and module parameters {device(type='cpu')}.`);
    }
    for (const flag of ["gradient_as_bucket_view", "static_graph"] as const) {
      if (opts[flag]) throw new Error(`DistributedDataParallel: ${flag}=True is not supported by typetorch (gradients are copied into and out of the buckets)`);
    }
    this.broadcast_buffers = opts.broadcast_buffers ?? true;
    this.find_unused_parameters = opts.find_unused_parameters ?? false;
    this._params = [...new Set(module.parameters())].filter((p) => p.requires_grad);
    if (this._params.length === 0) throw new Error("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    // every replica starts from rank 0's state
    this._broadcastCoalesced([...module.parameters(), ...module.buffers()]);
    const cap = (opts.bucket_cap_mb ?? 25) * 1024 * 1024;
    this._buildBuckets(opts.bucket_cap_mb == null ? FIRST_BUCKET_BYTES : cap, cap);
    this._params.forEach((p, i) => p.register_post_accumulate_grad_hook(() => this._onGrad(i)));
  }

  /** Broadcasts tensors from the group's rank 0, one flat buffer per dtype. */
  _broadcastCoalesced(tensors: Tensor[]): void {
    if (this.process_group.size() === 1 || tensors.length === 0) return;
    const src = this.process_group._globalRank(0);
    const byDtype = new Map<string, Tensor[]>();
    for (const t of tensors) byDtype.set(t.dtype.name, [...(byDtype.get(t.dtype.name) ?? []), t]);
    no_grad(() => {
      for (const ts of byDtype.values()) {
        const flat = Tensor.empty([ts.reduce((n, t) => n + t.numel(), 0)], ts[0]!.dtype);
        let off = 0;
        for (const t of ts) { flat.narrow(0, off, t.numel()).copy_(t.reshape(-1)); off += t.numel(); }
        broadcast(flat, src, { group: this.process_group });
        off = 0;
        for (const t of ts) { t.copy_(flat.narrow(0, off, t.numel()).view([...t.shape])); off += t.numel(); }
      }
    });
  }

  /** Note [DDP's reducer]: buckets in reverse parameter order, one dtype each. */
  _buildBuckets(firstCapBytes: number, capBytes: number): void {
    const open = new Map<string, { params: number[]; bytes: number }>();
    const close = (key: string) => {
      const b = open.get(key);
      if (!b || b.params.length === 0) return;
      open.delete(key);
      const offsets: number[] = [];
      let n = 0;
      for (const i of b.params) { offsets.push(n); n += this._params[i]!.numel(); this._bucketOf[i] = this._buckets.length; }
      this._buckets.push({ params: b.params, offsets, flat: Tensor.empty([n], this._params[b.params[0]!]!.dtype), pending: 0, work: null });
    };
    for (let i = this._params.length - 1; i >= 0; i--) {
      const p = this._params[i]!, key = p.dtype.name;
      const b = open.get(key) ?? { params: [], bytes: 0 };
      open.set(key, b);
      b.params.push(i);
      b.bytes += p.numel() * p.dtype.itemsize;
      if (b.bytes >= (this._buckets.length === 0 ? firstCapBytes : capBytes)) close(key);
    }
    for (const key of [...open.keys()]) close(key);
  }

  /** The wrapped module's output, whatever it is (Module.forward's type). */
  override forward(...args: any[]): any {
    if (this._reducing) {
      const missing = this._params.map((_, i) => i).filter((i) => !this._ready[i]);
      throw new Error("Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that your module has parameters that were not used in producing loss. You can enable unused parameter detection by passing the keyword argument `find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by \nmaking sure all `forward` function outputs participate in calculating loss. \n"
        + `Parameter indices which did not receive grad for rank ${this.process_group.rank()}: ${missing.join(" ")}`);
    }
    if (this.broadcast_buffers && this.process_group.size() > 1) this._broadcastCoalesced(this.module.buffers());
    const out = this.module._call_impl(...args);
    this._syncThisIteration = is_grad_enabled() && this.require_backward_grad_sync;
    if (this._syncThisIteration) this._prepare(out);
    return out;
  }

  /** Resets the reducer for the coming backward. */
  _prepare(out: unknown): void {
    this._ready = this._params.map(() => false);
    for (const b of this._buckets) { b.pending = b.params.length; b.work = null; }
    this._next = 0;
    this._unused = [];
    if (!this.find_unused_parameters) return;
    // the parameters whose AccumulateGrad the output's graph reaches
    const seen = new Set<Node>(), reached = new Set<Tensor>();
    const stack = tensorsIn(out).map((t) => t.grad_fn).filter((n): n is Node => n !== null);
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (n instanceof AccumulateGrad) reached.add(n.variable);
      for (const [c] of n.next_functions) if (c) stack.push(c);
    }
    for (const t of tensorsIn(out)) if (t.is_leaf && t.requires_grad) reached.add(t);
    this._unused = this._params.map((p, i) => (reached.has(p) ? -1 : i)).filter((i) => i >= 0);
  }

  /** A parameter's gradient was accumulated (its post-accumulate-grad hook). */
  _onGrad(i: number): void {
    if (!this._syncThisIteration || this._ready[i]) return;
    if (!this._reducing) {
      this._reducing = true;
      queue_callback(() => this._finish());
      for (const u of this._unused) this._markReady(u);
    }
    this._markReady(i);
  }

  _markReady(i: number): void {
    this._ready[i] = true;
    const b = this._buckets[this._bucketOf[i]!]!, p = this._params[i]!;
    const slot = b.flat.narrow(0, b.offsets[b.params.indexOf(i)]!, p.numel());
    no_grad(() => { if (p.grad) slot.copy_(p.grad.reshape(-1)); else slot.zero_(); });
    if (--b.pending > 0) return;
    // launch every full bucket in order (Note [DDP's reducer])
    const size = this.process_group.size();
    while (this._next < this._buckets.length && this._buckets[this._next]!.pending === 0) {
      const nb = this._buckets[this._next++]!;
      no_grad(() => { nb.flat.div_(size); });
      nb.work = all_reduce(nb.flat, { group: this.process_group, async_op: true })!;
    }
  }

  /** Once backward is done: wait for the all-reduces and write the averages into .grad. */
  _finish(): void {
    if (this._next < this._buckets.length) return;  // unused parameters: the next forward says so
    let globallyUsed: Tensor | null = null;
    if (this.find_unused_parameters) {
      const used = new Set(this._params.map((_, i) => i).filter((i) => !this._unused.includes(i)));
      globallyUsed = Tensor.empty([this._params.length], int32);
      no_grad(() => { for (const i of used) globallyUsed!.narrow(0, i, 1).fill_(1); });
      all_reduce(globallyUsed, { group: this.process_group, op: ReduceOp.MAX });
    }
    const usedFlags = globallyUsed?.tolist() as number[] | undefined;
    no_grad(() => {
      for (const b of this._buckets) {
        b.work!.wait();
        b.params.forEach((i, k) => {
          const p = this._params[i]!;
          if (usedFlags && usedFlags[i] === 0) return;  // no rank used it: .grad stays as it was
          const avg = b.flat.narrow(0, b.offsets[k]!, p.numel()).view([...p.shape]);
          if (p.grad) p.grad.copy_(avg); else p.grad = avg.clone();
        });
        b.work = null;
      }
    });
    this._reducing = false;
  }

  /** no_sync(): gradients accumulate locally, without communication, until the first
   *  forward-backward outside it, which then reduces the accumulated gradients. */
  no_sync(): { [Symbol.dispose](): void };
  no_sync<R>(fn: () => R): R;
  no_sync<R>(fn?: () => R): R | { [Symbol.dispose](): void } {
    const before = this.require_backward_grad_sync;
    this.require_backward_grad_sync = false;
    const restore = { [Symbol.dispose]: () => { this.require_backward_grad_sync = before; } };
    if (!fn) return restore;
    try { return fn(); } finally { restore[Symbol.dispose](); }
  }
}
