// torch.distributed's process groups and collectives (PyTorch's distributed_c10d.py) on Gloo.
//
// Note [Collectives block, async_op returns a Work]: every collective is queued on its group's
// worker thread (csrc/group.h) and, as in PyTorch, a call without async_op waits for it: the
// caller's JavaScript blocks, Node's event loop with it, for at most the group's timeout (Gloo
// fails a collective whose peers are gone or late with an error, never a hang). With async_op the
// call returns a Work at once and the collective runs on the worker thread meanwhile (DDP
// overlaps its gradient all-reduces with backward this way); work.wait() blocks until it is done.
// A Work holds its tensors' buffers until then, so they cannot be collected while Gloo writes.

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import { no_grad } from "../autograd/grad_mode.js";
import { gloo, glooUnavailableReason, native } from "./native.js";
import { TCPStore } from "./store.js";

type NodeProcess = { env: Record<string, string | undefined> };
const env = (globalThis as unknown as { process?: NodeProcess }).process?.env ?? {};

/** PyTorch's default_pg_timeout for Gloo: 30 minutes (milliseconds, as every timeout here). */
export const default_pg_timeout = 30 * 60_000;

export enum ReduceOp { SUM = "SUM", PRODUCT = "PRODUCT", MIN = "MIN", MAX = "MAX", AVG = "AVG" }
const reduceCode: Record<ReduceOp, number> = { SUM: 0, PRODUCT: 1, MIN: 2, MAX: 3, AVG: 0 };

const dtypeCode: Record<string, number> = {
  float32: 0, float64: 1, int32: 2, int64: 3, uint8: 4, int8: 5, int16: 6, float16: 7, bfloat16: 8, bool: 9,
};
enum Kind { ALLREDUCE, REDUCE, BROADCAST, ALLGATHER, GATHER, SCATTER, BARRIER, SEND, RECV }

/** A queued collective (Note [Collectives block, async_op returns a Work]). */
export class Work {
  #done = false;
  #error: unknown = null;
  #source = -1;
  /** @internal */
  constructor(private readonly _group: ProcessGroup, private readonly _native: object,
    private readonly _after: (() => void) | null, private readonly _keep: unknown[]) {}
  /** Blocks until the collective has run (throwing its error if it failed); true, as PyTorch's. */
  wait(): boolean {
    if (!this.#done) {
      this._group._pending.delete(this);
      this.#done = true;
      try {
        this.#source = native((g) => g.workWait(this._native));
        this._after?.();
      } catch (e) {
        this.#error = e;
      }
      this._keep.length = 0;
    }
    if (this.#error !== null) throw this.#error;
    return true;
  }
  is_completed(): boolean { return this.#done || native((g) => g.workDone(this._native)); }
  /** The rank a recv's message came from (global rank; a recv from any source learns it here). */
  _source_rank(): number { this.wait(); return this._group._globalRank(this.#source); }
}

/** A set of processes that run collectives together; the default one is GroupMember.WORLD. */
export class ProcessGroup {
  /** @internal queued works not yet waited on */
  readonly _pending = new Set<Work>();
  /** @internal the addon's group, null once destroyed */
  _native: object | null;
  constructor(
    /** @internal */ readonly _store: TCPStore,
    /** the global ranks of the members, in group-rank order */ readonly _ranks: readonly number[],
    private readonly _rank: number, native_: object, readonly _timeout: number,
  ) { this._native = native_; }
  rank(): number { return this._rank; }
  size(): number { return this._ranks.length; }
  name(): string { return "gloo"; }
  /** @internal */
  _globalRank(groupRank: number): number { return this._ranks[groupRank] ?? groupRank; }
  /** @internal the group rank of a global rank, or PyTorch's error */
  _groupRank(globalRank: number, what: string): number {
    const r = this._ranks.indexOf(globalRank);
    if (r < 0) throw new Error(`Global rank ${globalRank} is not part of group ${this.toString()} (${what})`);
    return r;
  }
  /** @internal queues a collective on the addon's group */
  _run(kind: Kind, input: ArrayBufferView | null, output: ArrayBufferView | null, dtype: DType | null, op: ReduceOp,
    peer: number, tag: number, after: (() => void) | null, keep: unknown[]): Work {
    if (!this._native) throw new Error("Default process group has not been initialized, please make sure to call init_process_group.");
    const w = native((g) => g.groupRun(this._native!, kind, input, output, dtype ? dtypeCode[dtype.name]! : 4, reduceCode[op], peer, tag));
    const work = new Work(this, w, after, [input, output, ...keep]);
    this._pending.add(work);
    return work;
  }
  /** @internal waits for what is queued, then closes the group */
  _destroy(): void {
    for (const w of [...this._pending]) { try { w.wait(); } catch { /* its error was the caller's to see */ } }
    if (this._native) native((g) => g.groupClose(this._native!));
    this._native = null;
  }
  toString(): string { return `<torch.distributed.ProcessGroup object>`; }
}

/** PyTorch's GroupMember: WORLD (the default group, null before init) and NON_GROUP_MEMBER. */
const NON_GROUP_MEMBER: unique symbol = Symbol("NON_GROUP_MEMBER");
export const GroupMember: { WORLD: ProcessGroup | null; readonly NON_GROUP_MEMBER: typeof NON_GROUP_MEMBER } = {
  WORLD: null, NON_GROUP_MEMBER,
};
export type Group = ProcessGroup | typeof NON_GROUP_MEMBER | null | undefined;

let groupCount = 0;
/** The store init_process_group made (closed with the default group), null for a caller's own. */
let ownedStore: TCPStore | null = null;

const NOT_INIT = "Default process group has not been initialized, please make sure to call init_process_group.";
function world(): ProcessGroup {
  if (!GroupMember.WORLD) throw new Error(NOT_INIT);
  return GroupMember.WORLD;
}
/** The group a call names (the default one when none), or null for a rank outside it. */
function groupOf(group: Group): ProcessGroup | null {
  if (group === GroupMember.NON_GROUP_MEMBER) { world(); return null; }
  return group ?? world();
}

// ---- setup ------------------------------------------------------------------------------------

/** torch.distributed.is_available(): true where typetorch's Gloo backend is built. */
export function is_available(): boolean { return gloo !== null; }
export function is_gloo_available(): boolean { return gloo !== null; }
export function is_nccl_available(): boolean { return false; }
export function is_mpi_available(): boolean { return false; }
export function is_initialized(): boolean { return GroupMember.WORLD !== null; }
export function is_torchelastic_launched(): boolean { return env.TORCHELASTIC_RUN_ID !== undefined; }
/** Why is_gloo_available() is false (empty when it is true). */
export function gloo_unavailable_reason(): string { return glooUnavailableReason; }

export interface InitOptions {
  backend?: string;
  init_method?: string;
  /** milliseconds (PyTorch's default 30 minutes) */
  timeout?: number;
  world_size?: number;
  rank?: number;
  store?: TCPStore;
  group_name?: string;
}

/**
 * torch.distributed.init_process_group: joins the default group, through the store (env:// reads
 * MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE as torchrun sets them; tcp://host:port takes rank
 * and world_size; rank 0 runs the store's server).
 */
export function init_process_group(backend?: string | InitOptions | null, opts: InitOptions = {}): void {
  if (typeof backend === "object" && backend !== null) { opts = backend; backend = backend.backend; }
  backend = backend ?? opts.backend ?? "gloo";
  if (GroupMember.WORLD) throw new Error("trying to initialize the default process group twice!");
  if (backend.toLowerCase() !== "gloo" && backend.toLowerCase() !== "cpu:gloo") {
    throw new Error(["nccl", "mpi", "ucc", "xccl"].includes(backend.toLowerCase())
      ? `Distributed package doesn't have ${backend.toUpperCase()} built in` : `Unknown backend type ${backend}`);
  }
  if (!gloo) throw new Error(`Distributed package doesn't have Gloo built in: ${glooUnavailableReason}`);
  const timeout = opts.timeout ?? default_pg_timeout;
  let rank = opts.rank ?? -1, size = opts.world_size ?? -1;
  let host = "127.0.0.1", port = 0;
  if (opts.store) {
    if (opts.init_method) throw new Error("Cannot specify both init_method and store.");
    if (rank < 0) throw new Error("rank must be specified when store is given");
    if (size <= 0) throw new Error("world_size must be positive when store is given");
  } else {
    const method = opts.init_method ?? "env://";
    const scheme = method.split("://")[0];
    const fail = (why: string): never => { throw new Error(`Error initializing torch.distributed using ${scheme}:// rendezvous: ${why}`); };
    if (scheme === "env") {
      const need = (name: string): string => env[name] ?? fail(`environment variable ${name} expected, but not set`);
      if (rank < 0) rank = Number(need("RANK"));
      if (size < 0) size = Number(need("WORLD_SIZE"));
      host = need("MASTER_ADDR");
      port = Number(need("MASTER_PORT"));
    } else if (scheme === "tcp") {
      const m = /^tcp:\/\/(\[[^\]]+\]|[^:/?]+):(\d+)/.exec(method) ?? fail("port number missing");
      host = m[1]!.replace(/^\[|\]$/g, "");
      port = Number(m[2]);
      if (rank < 0) fail("rank parameter missing");
      if (size < 0) fail("world_size parameter missing");
    } else {
      throw new Error(`No rendezvous handler for ${scheme}://`);
    }
  }
  if (!(rank >= 0 && rank < size)) throw new Error(`Invalid rank ${rank}, rank should be in the interval [0, ${size - 1}]`);
  // without a store of the caller's, rank 0 runs the server of one made here
  const store = opts.store ?? new TCPStore(host, port, size, rank === 0, timeout);
  try {
    GroupMember.WORLD = newNativeGroup(store, "default_pg/", Array.from({ length: size }, (_, i) => i), rank, timeout);
    ownedStore = opts.store ? null : store;
  } catch (e) {
    if (!opts.store) store._close();  // nothing of a failed init stays behind
    throw e;
  }
}


function newNativeGroup(store: TCPStore, prefix: string, ranks: number[], rank: number, timeout: number): ProcessGroup {
  const groupRank = ranks.indexOf(rank);
  // where the group's threads run, by local rank (csrc/group.cc's Note [Gloo's event loop on
  // another CPU])
  const cpu = env.LOCAL_RANK !== undefined ? Number(env.LOCAL_RANK) : rank;
  const g = native((a) => a.groupNew(store._native, prefix, groupRank, ranks.length, timeout, store.host, env.GLOO_SOCKET_IFNAME ?? "", cpu));
  return new ProcessGroup(store, ranks, groupRank, g, timeout);
}

/**
 * torch.distributed.new_group: a group of some ranks (all by default). Every process of the
 * default group must call it, in the same order, members or not; a non-member gets
 * GroupMember.NON_GROUP_MEMBER.
 */
export function new_group(ranks?: number[] | null, opts: { timeout?: number; backend?: string } = {}): ProcessGroup | typeof NON_GROUP_MEMBER {
  const w = world(), me = w.rank();
  const members = ranks ? [...new Set(ranks)].sort((a, b) => a - b) : [...w._ranks];
  for (const r of members) if (r < 0 || r >= w.size()) throw new Error(`Invalid rank ${r}, rank should be in the interval [0, ${w.size() - 1}]`);
  const prefix = `group_${++groupCount}/`;
  if (!members.includes(me)) return GroupMember.NON_GROUP_MEMBER;
  const g = newNativeGroup(w._store, prefix, members, me, opts.timeout ?? w._timeout);
  created.push(g);
  return g;
}
const created: ProcessGroup[] = [];

/** torch.distributed.destroy_process_group: closes a group (the default one: all of them). */
export function destroy_process_group(group?: Group): void {
  const g = groupOf(group);
  if (!g) return;
  if (g !== GroupMember.WORLD) { g._destroy(); created.splice(created.indexOf(g), 1); return; }
  for (const c of created.splice(0)) c._destroy();
  g._destroy();
  ownedStore?._close();
  ownedStore = null;
  GroupMember.WORLD = null;
  groupCount = 0;
}

/** The caller's rank in the group (default group: its global rank); -1 outside the group. */
export function get_rank(group?: Group): number { const g = groupOf(group); return g ? g.rank() : -1; }
export function get_world_size(group?: Group): number { const g = groupOf(group); return g ? g.size() : -1; }
export function get_backend(group?: Group): string { groupOf(group); return "gloo"; }
export function get_global_rank(group: ProcessGroup, group_rank: number): number { return group._globalRank(group_rank); }
export function get_group_rank(group: ProcessGroup, global_rank: number): number { return group._groupRank(global_rank, "get_group_rank"); }
export function get_process_group_ranks(group: ProcessGroup): number[] { return [...group._ranks]; }

// ---- collectives ------------------------------------------------------------------------------

export interface CollectiveOptions { group?: Group; async_op?: boolean }

/** A dense typed-array view of a tensor's elements, and how to write results back (a copy when the
 *  tensor is not contiguous, as PyTorch's gloo backend makes). */
function buffer(t: Tensor, what: string): [ArrayBufferView, (() => void) | null] {
  if (!(t instanceof Tensor)) throw new TypeError(`${what}: expected a Tensor`);
  if (t.device.type !== "cpu") throw new Error(`${what}: the gloo backend supports CPU tensors only, got a tensor on ${t.device.type}`);
  if (t.is_contiguous()) {
    const n = t.numel(), off = t._offset;
    return [t._storage.data.subarray(off, off + n), () => t._bumpVersion()];
  }
  const c = t.contiguous();
  return [c._storage.data.subarray(0, c.numel()), () => no_grad(() => { t.copy_(c); })];
}

const sameShape = (a: Tensor, b: Tensor) => a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i]);
const shapeStr = (t: Tensor) => `(${t.shape.join(", ")})`;

/** Sync or async: the work waited on (returning nothing, as PyTorch's None) or returned. */
function finish(w: Work, async_op: boolean | undefined): Work | undefined {
  if (async_op) return w;
  w.wait();
  return undefined;
}

function checkRoot(g: ProcessGroup, root: number, name: string): number {
  const r = g._ranks.indexOf(root);
  if (r < 0) throw new Error(`ProcessGroupGloo::${name}: invalid root rank: ${root}`);
  return r;
}

function averageable(t: Tensor, op: ReduceOp): void {
  if (op === ReduceOp.AVG && !t.dtype.is_floating_point) throw new Error("Cannot use ReduceOp.AVG with non-floating dtype");
  if (t.dtype.name === "bfloat16" && op !== ReduceOp.SUM && op !== ReduceOp.AVG) throw new Error(`Cannot use ReduceOp.${op} with bfloat16 on Gloo`);
}

/** The reduction in place on a buffer; AVG sums, then divides (PyTorch's gloo does the same). */
function reduceThen(g: ProcessGroup, t: Tensor, op: ReduceOp, write: (() => void) | null): () => void {
  return () => {
    write?.();
    if (op === ReduceOp.AVG) no_grad(() => { t.div_(g.size()); });
  };
}

export interface AllReduceOptions extends CollectiveOptions { op?: ReduceOp }

/** all_reduce: every rank's tensor becomes the reduction of all of them. */
export function all_reduce(tensor: Tensor, opts?: AllReduceOptions & { async_op: true }): Work;
export function all_reduce(tensor: Tensor, opts?: AllReduceOptions | ReduceOp): Work | undefined;
export function all_reduce(tensor: Tensor, opts: AllReduceOptions | ReduceOp = {}): Work | undefined {
  if (typeof opts === "string") opts = { op: opts };
  const g = groupOf(opts.group), op = opts.op ?? ReduceOp.SUM;
  if (!g) return undefined;
  averageable(tensor, op);
  if (tensor.dtype.name === "bfloat16") return bf16AllReduce(g, tensor, op, opts.async_op);
  const [buf, write] = buffer(tensor, "all_reduce");
  return finish(g._run(Kind.ALLREDUCE, null, buf, tensor.dtype, op, 0, 0, reduceThen(g, tensor, op, write), [tensor]), opts.async_op);
}

/** Gloo has no bfloat16 arithmetic: reduce in float32, round once at the end. */
function bf16AllReduce(g: ProcessGroup, t: Tensor, op: ReduceOp, async_op?: boolean): Work | undefined {
  const f = t.float();
  const [buf] = buffer(f, "all_reduce");
  return finish(g._run(Kind.ALLREDUCE, null, buf, f.dtype, op, 0, 0, () => {
    no_grad(() => { t.copy_(op === ReduceOp.AVG ? f.div(g.size()) : f); });
  }, [t, f]), async_op);
}

export interface RootedOptions extends CollectiveOptions { op?: ReduceOp }

/** reduce: the reduction of every rank's tensor lands in dst's. */
export function reduce(tensor: Tensor, dst: number, opts: RootedOptions = {}): Work | undefined {
  const g = groupOf(opts.group), op = opts.op ?? ReduceOp.SUM;
  if (!g) return undefined;
  averageable(tensor, op);
  const root = checkRoot(g, dst, "reduce");
  const [buf, write] = buffer(tensor, "reduce");
  return finish(g._run(Kind.REDUCE, null, buf, tensor.dtype, op, root, 0, reduceThen(g, tensor, op, write), [tensor]), opts.async_op);
}

/** broadcast: src's tensor is copied into every rank's. */
export function broadcast(tensor: Tensor, src: number, opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  const root = checkRoot(g, src, "broadcast");
  const [buf, write] = buffer(tensor, "broadcast");
  return finish(g._run(Kind.BROADCAST, null, buf, tensor.dtype, ReduceOp.SUM, root, 0, write, [tensor]), opts.async_op);
}

/** Checks each tensor of a list against the input, in ProcessGroupGloo's words. */
function checkList(name: string, list: Tensor[], input: Tensor, size: number, which = "output"): void {
  if (list.length !== size) throw new Error(`ProcessGroupGloo::${name}: invalid ${which} tensor list at index 0 (expected length ${size}, got ${list.length})`);
  list.forEach((t, i) => {
    if (t.dtype !== input.dtype) throw new Error(`ProcessGroupGloo::${name}: invalid tensor type at index ${i} (expected ${input.dtype.name}, got ${t.dtype.name})`);
    if (!sameShape(t, input)) throw new Error(`ProcessGroupGloo::${name}: invalid tensor size at index ${i} (expected ${shapeStr(input)}, got ${shapeStr(t)})`);
  });
}

/** Copies the k-th block of a flat tensor into each tensor of a list. */
function unflattenInto(flat: Tensor, list: Tensor[]): void {
  no_grad(() => list.forEach((t, k) => { const n = t.numel(); t.copy_(flat.narrow(0, k * n, n).view([...t.shape])); }));
}

/** all_gather: every rank's tensor, in rank order, into each rank's tensor_list. */
export function all_gather(tensor_list: Tensor[], tensor: Tensor, opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  checkList("allgather", tensor_list, tensor, g.size());
  const [inp] = buffer(tensor, "all_gather");
  const flat = Tensor.empty([g.size() * tensor.numel()], tensor.dtype);
  const [out] = buffer(flat, "all_gather");
  return finish(g._run(Kind.ALLGATHER, inp, out, tensor.dtype, ReduceOp.SUM, 0, 0, () => unflattenInto(flat, tensor_list), [tensor, flat, tensor_list]), opts.async_op);
}

/** all_gather_into_tensor: every rank's input, concatenated along dim 0, into output_tensor. */
export function all_gather_into_tensor(output_tensor: Tensor, input_tensor: Tensor, opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  if (output_tensor.numel() !== input_tensor.numel() * g.size()) throw new Error("output tensor size must be equal to world_size times input tensor size");
  if (output_tensor.dtype !== input_tensor.dtype) throw new Error("output tensor must have the same type as input tensor");
  const [inp] = buffer(input_tensor, "all_gather_into_tensor");
  const [out, write] = buffer(output_tensor, "all_gather_into_tensor");
  return finish(g._run(Kind.ALLGATHER, inp, out, input_tensor.dtype, ReduceOp.SUM, 0, 0, write, [input_tensor, output_tensor]), opts.async_op);
}

/** reduce_scatter: rank k's output is the reduction over ranks of their input_list[k]. */
export function reduce_scatter(output: Tensor, input_list: Tensor[], opts: AllReduceOptions = {}): Work | undefined {
  const g = groupOf(opts.group), op = opts.op ?? ReduceOp.SUM;
  if (!g) return undefined;
  checkList("reduce_scatter", input_list, output, g.size(), "input");
  averageable(output, op);
  // Gloo's reduce-scatter is an all-reduce of the concatenation, of which each rank keeps its block
  const flat = no_grad(() => Tensor.empty([g.size() * output.numel()], output.dtype));
  unflattenFrom(flat, input_list);
  return reduceScatterFlat(g, flat, output, op, opts.async_op);
}

/** reduce_scatter_tensor: as reduce_scatter, with the inputs concatenated along dim 0. */
export function reduce_scatter_tensor(output: Tensor, input: Tensor, opts: AllReduceOptions = {}): Work | undefined {
  const g = groupOf(opts.group), op = opts.op ?? ReduceOp.SUM;
  if (!g) return undefined;
  if (input.numel() !== output.numel() * g.size()) throw new Error("input tensor must be the same size as output size times world size");
  averageable(output, op);
  return reduceScatterFlat(g, input.contiguous().view(-1).clone(), output, op, opts.async_op);
}

function unflattenFrom(flat: Tensor, list: Tensor[]): void {
  no_grad(() => list.forEach((t, k) => { const n = t.numel(); flat.narrow(0, k * n, n).copy_(t.reshape(-1)); }));
}

function reduceScatterFlat(g: ProcessGroup, flat: Tensor, output: Tensor, op: ReduceOp, async_op?: boolean): Work | undefined {
  const [buf] = buffer(flat, "reduce_scatter");
  const n = output.numel();
  return finish(g._run(Kind.ALLREDUCE, null, buf, flat.dtype, op, 0, 0, () => no_grad(() => {
    let mine = flat.narrow(0, g.rank() * n, n).view([...output.shape]);
    if (op === ReduceOp.AVG) mine = mine.div(g.size());
    output.copy_(mine);
  }), [flat, output]), async_op);
}

/** gather: every rank's tensor into dst's gather_list. */
export function gather(tensor: Tensor, gather_list: Tensor[] | null = null, dst = 0, opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  const root = checkRoot(g, dst, "gather");
  const [inp] = buffer(tensor, "gather");
  if (g.rank() === root) {
    if (!gather_list) throw new Error("Argument ``gather_list`` must be specified on destination rank.");
    checkList("gather", gather_list, tensor, g.size());
    const flat = Tensor.empty([g.size() * tensor.numel()], tensor.dtype);
    const [out] = buffer(flat, "gather");
    return finish(g._run(Kind.GATHER, inp, out, tensor.dtype, ReduceOp.SUM, root, 0, () => unflattenInto(flat, gather_list), [tensor, flat, gather_list]), opts.async_op);
  }
  if (gather_list && gather_list.length) throw new Error("Argument ``gather_list`` must NOT be specified on non-destination ranks.");
  return finish(g._run(Kind.GATHER, inp, null, tensor.dtype, ReduceOp.SUM, root, 0, null, [tensor]), opts.async_op);
}

/** scatter: src's scatter_list[k] into rank k's tensor. */
export function scatter(tensor: Tensor, scatter_list: Tensor[] | null = null, src = 0, opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  const root = checkRoot(g, src, "scatter");
  const [out, write] = buffer(tensor, "scatter");
  if (g.rank() === root) {
    if (!scatter_list) throw new Error("Argument ``scatter_list`` must be specified on source rank.");
    checkList("scatter", scatter_list, tensor, g.size(), "input");
    const flat = no_grad(() => Tensor.empty([g.size() * tensor.numel()], tensor.dtype));
    unflattenFrom(flat, scatter_list);
    const [inp] = buffer(flat, "scatter");
    return finish(g._run(Kind.SCATTER, inp, out, tensor.dtype, ReduceOp.SUM, root, 0, write, [tensor, flat]), opts.async_op);
  }
  if (scatter_list && scatter_list.length) throw new Error("Argument ``scatter_list`` must NOT be specified on non-source ranks.");
  return finish(g._run(Kind.SCATTER, null, out, tensor.dtype, ReduceOp.SUM, root, 0, write, [tensor]), opts.async_op);
}

/** barrier: returns once every rank of the group has called it. */
export function barrier(opts: CollectiveOptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  return finish(g._run(Kind.BARRIER, null, null, null, ReduceOp.SUM, 0, 0, null, []), opts.async_op);
}

export interface P2POptions { group?: Group; tag?: number }

function peerOf(g: ProcessGroup, peer: number, what: "destination" | "source"): number {
  if (peer === get_rank()) throw new Error(`Invalid ${what} rank: ${what} rank should not be the same as the rank of the current process.`);
  return g._groupRank(peer, what === "destination" ? "send" : "recv");
}

/** isend: sends tensor to global rank dst; the Work completes once it is sent. */
export function isend(tensor: Tensor, dst: number, opts: P2POptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  const [buf] = buffer(tensor, "send");
  return g._run(Kind.SEND, buf, null, tensor.dtype, ReduceOp.SUM, peerOf(g, dst, "destination"), opts.tag ?? 0, null, [tensor]);
}

/** irecv: receives into tensor from global rank src (any rank when src is null). */
export function irecv(tensor: Tensor, src: number | null = null, opts: P2POptions = {}): Work | undefined {
  const g = groupOf(opts.group);
  if (!g) return undefined;
  const [buf, write] = buffer(tensor, "recv");
  const peer = src === null ? -1 : peerOf(g, src, "source");
  return g._run(Kind.RECV, null, buf, tensor.dtype, ReduceOp.SUM, peer, opts.tag ?? 0, write, [tensor]);
}

export function send(tensor: Tensor, dst: number, opts: P2POptions = {}): void { isend(tensor, dst, opts)?.wait(); }

/** recv: receives into tensor; returns the sender's rank (-1 outside the group). */
export function recv(tensor: Tensor, src: number | null = null, opts: P2POptions = {}): number {
  const w = irecv(tensor, src, opts);
  return w ? w._source_rank() : -1;
}
