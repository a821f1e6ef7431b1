// One process of test/distributed.test.ts's groups: joins the group through env:// (the test sets
// MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE as torchrun does) and runs one scenario, checking
// every result against a local computation over all ranks' inputs (each rank's input is a known
// function of its rank). Prints "ok <check>" lines; a failed check exits non-zero.
import assert from "node:assert/strict";
import torch from "typetorch";

const dist = torch.distributed;
const scenario = process.argv[2]!;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const ok = (what: string) => console.log(`ok ${what}`);
const same = (a: torch.Tensor, b: torch.Tensor, what: string) => {
  assert.deepEqual(a.shape, b.shape, what);
  assert.deepEqual(a.tolist(), b.tolist(), what);
  ok(what);
};

/** rank r's input: a 2x3 tensor of distinct values (small integers, so every reduction is exact) */
const input = (r: number, dtype = torch.float32) => torch.arange(6, { dtype }).mul(r + 1).add(r - 2).reshape(2, 3);

function collectives(): void {
  dist.init_process_group("gloo", { timeout: 20_000 });
  const rank = dist.get_rank(), W = dist.get_world_size();
  assert.equal(dist.is_initialized(), true);
  assert.equal(W, Number(process.env.WORLD_SIZE));
  const all = (dtype = torch.float32) => torch.stack(Array.from({ length: W }, (_, r) => input(r, dtype)));

  for (const [op, local] of [
    [dist.ReduceOp.SUM, all().sum(0)], [dist.ReduceOp.PRODUCT, all().prod(0)], [dist.ReduceOp.MIN, all().amin(0)],
    [dist.ReduceOp.MAX, all().amax(0)], [dist.ReduceOp.AVG, all().mean(0)],
  ] as const) {
    const t = input(rank);
    dist.all_reduce(t, { op });
    same(t, local, `all_reduce ${op}`);
  }
  for (const dtype of [torch.float64, torch.int64, torch.int32, torch.uint8]) {
    const t = input(rank, dtype).abs();
    dist.all_reduce(t);
    same(t, all(dtype).abs().sum(0).to(dtype), `all_reduce ${dtype}`);
  }
  const nc = input(rank).t();  // not contiguous: reduced through a copy and written back
  dist.all_reduce(nc);
  same(nc, all().sum(0).t(), "all_reduce non-contiguous");

  const b = rank === 1 ? input(1) : torch.zeros(2, 3);
  dist.broadcast(b, 1);
  same(b, input(1), "broadcast");

  const list = Array.from({ length: W }, () => torch.zeros(2, 3));
  dist.all_gather(list, input(rank));
  list.forEach((t, r) => same(t, input(r), `all_gather [${r}]`));
  const big = torch.zeros(2 * W, 3);
  dist.all_gather_into_tensor(big, input(rank));
  same(big, torch.cat(Array.from({ length: W }, (_, r) => input(r))), "all_gather_into_tensor");

  // rank r contributes input(r) * (k + 1) as its k-th piece
  const out = torch.zeros(2, 3);
  dist.reduce_scatter(out, Array.from({ length: W }, (_, k) => input(rank).mul(k + 1)));
  same(out, all().sum(0).mul(rank + 1), "reduce_scatter");
  const out2 = torch.zeros(3);
  dist.reduce_scatter_tensor(out2, torch.cat(Array.from({ length: W }, (_, k) => input(rank).reshape(-1).narrow(0, 0, 3).mul(k + 1))), { op: dist.ReduceOp.MAX });
  same(out2, all().reshape(W, 6).narrow(1, 0, 3).amax(0).mul(rank + 1), "reduce_scatter_tensor MAX");

  const red = input(rank);
  dist.reduce(red, 2, { op: dist.ReduceOp.MAX });
  if (rank === 2) same(red, all().amax(0), "reduce to rank 2");

  const gl = rank === 0 ? Array.from({ length: W }, () => torch.zeros(2, 3)) : null;
  dist.gather(input(rank), gl, 0);
  if (gl) gl.forEach((t, r) => same(t, input(r), `gather [${r}]`));
  const sc = torch.zeros(2, 3);
  dist.scatter(sc, rank === W - 1 ? Array.from({ length: W }, (_, r) => input(r).neg()) : null, W - 1);
  same(sc, input(rank).neg(), "scatter");

  // a ring of point-to-point messages: isend first, so no rank waits on a send before receiving
  const next = (rank + 1) % W, prev = (rank + W - 1) % W;
  const sent = dist.isend(input(rank), next, { tag: 7 })!;
  const got = torch.zeros(2, 3);
  assert.equal(dist.recv(got, prev, { tag: 7 }), prev);
  sent.wait();
  same(got, input(prev), "send/recv ring");
  if (rank === 0) {
    const anyOne = torch.zeros(2, 3);
    const from = dist.recv(anyOne);
    same(anyOne, input(from), "recv from any source");
  } else if (rank === W - 1) dist.send(input(rank), 0);

  // async_op: the Work completes on the worker thread; wait() applies AVG's division
  const a = input(rank), w = dist.all_reduce(a, { op: dist.ReduceOp.AVG, async_op: true })!;
  assert.equal(w.wait(), true);
  assert.equal(w.is_completed(), true);
  same(a, all().mean(0), "async all_reduce");

  // a subgroup: its ranks and its collectives; the others get NON_GROUP_MEMBER and do nothing
  const g = dist.new_group([2, 0]);
  const t = input(rank);
  if (rank === 0 || rank === 2) {
    assert.ok(g instanceof dist.ProcessGroup);
    assert.equal(dist.get_rank(g), rank / 2);
    assert.equal(dist.get_world_size(g), 2);
    dist.all_reduce(t, { group: g });
    same(t, input(0).add(input(2)), "new_group all_reduce");
    const bb = rank === 2 ? input(2) : torch.zeros(2, 3);
    dist.broadcast(bb, 2, { group: g });
    same(bb, input(2), "new_group broadcast (global src rank)");
  } else {
    assert.equal(g, dist.GroupMember.NON_GROUP_MEMBER);
    assert.equal(dist.all_reduce(t, { group: g }), undefined);
    assert.equal(dist.get_rank(g), -1);
  }
  dist.barrier();
  assert.throws(() => dist.broadcast(torch.zeros(2), W + 3), { message: `ProcessGroupGloo::broadcast: invalid root rank: ${W + 3}` });
  assert.throws(() => dist.all_gather([torch.zeros(2)], torch.zeros(2)), { message: `ProcessGroupGloo::allgather: invalid output tensor list at index 0 (expected length ${W}, got 1)` });
  dist.destroy_process_group();
  assert.equal(dist.is_initialized(), false);
  assert.throws(() => dist.get_rank(), { message: "Default process group has not been initialized, please make sure to call init_process_group." });
  ok("destroy_process_group");
}

function killedPeer(): void {
  dist.init_process_group("gloo", { timeout: 4_000 });
  const rank = dist.get_rank();
  // a late peer: rank 1 skips a collective of the {0, 1} group, whose timeout is 1 s
  const g = dist.new_group([0, 1], { timeout: 1_000 });
  if (rank === 0) {
    const t0 = Date.now();
    assert.throws(() => dist.all_reduce(torch.ones(4), { group: g }), (e: Error) => {
      console.log(`timeout error after ${Date.now() - t0} ms: ${e.name}: ${e.message}`);
      return e instanceof dist.DistBackendError && /Timed out/i.test(e.message) && Date.now() - t0 < 3_000;
    });
    ok("late peer times out");
  } else if (rank === 1) sleep(1_500);
  dist.barrier();
  if (rank === 2) process.kill(process.pid, "SIGKILL");
  const t0 = Date.now();
  assert.throws(() => { dist.all_reduce(torch.ones(1000)); dist.all_reduce(torch.ones(1000)); }, (e: Error) => {
    console.log(`dead peer error after ${Date.now() - t0} ms: ${e.name}: ${e.message}`);
    return e instanceof dist.DistBackendError && Date.now() - t0 < 4_500;
  });
  ok("dead peer fails the collective");
}

/** rank 0's starting weights for every replica, and the same model trained in one process on the
 *  concatenated batch: DDP's parameters must match it to float32 rounding after every step. */
function ddp(): void {
  dist.init_process_group("gloo", { timeout: 20_000 });
  const rank = dist.get_rank(), W = dist.get_world_size();
  const make = () => {
    torch.manual_seed(0);
    return new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 16), new torch.nn.Tanh(), new torch.nn.Linear(16, 4));
  };
  const ref = make(), local = make();
  if (rank === 1) torch.no_grad(() => { for (const p of local.parameters()) p.add_(1); });
  // a tiny bucket cap: several buckets, launched while backward goes on
  const model = new torch.nn.parallel.DistributedDataParallel(local, { bucket_cap_mb: 0.0002 });
  assert.ok(model._buckets.length >= 3, `buckets: ${model._buckets.length}`);
  ref.parameters().forEach((p, i) => assert.deepEqual(local.parameters()[i]!.tolist(), p.tolist()));
  ok("DDP broadcasts rank 0's parameters");
  assert.deepEqual(Object.keys(model.state_dict()).slice(0, 2), ["module.0.weight", "module.0.bias"]);

  torch.manual_seed(1);
  const B = 4 * W, X = torch.randn(B, 8), Y = torch.randn(B, 4);
  const mine = (t: torch.Tensor) => t.narrow(0, rank * 4, 4);
  const optRef = new torch.optim.SGD(ref.parameters(), { lr: 0.1, momentum: 0.9 });
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const mse = new torch.nn.MSELoss();
  const close = (what: string) => {
    ref.parameters().forEach((p, i) => {
      const q = local.parameters()[i]!, err = q.sub(p).abs().max().item() as number;
      assert.ok(err < 2e-6, `${what}: parameter ${i} differs by ${err}`);
    });
    ok(what);
  };
  for (let step = 0; step < 3; step++) {
    optRef.zero_grad(); mse.forward(ref.forward(X), Y).backward(); optRef.step();
    opt.zero_grad(); mse.forward(model.forward(mine(X)), mine(Y)).backward(); opt.step();
    close(`DDP step ${step} matches one process on the concatenated batch`);
  }
  // no_sync: two micro-batches of 2, the first without communication
  optRef.zero_grad(); mse.forward(ref.forward(X), Y).backward(); optRef.step();
  opt.zero_grad();
  model.no_sync(() => mse.forward(model.forward(mine(X).narrow(0, 0, 2)), mine(Y).narrow(0, 0, 2)).mul(0.5).backward());
  mse.forward(model.forward(mine(X).narrow(0, 2, 2)), mine(Y).narrow(0, 2, 2)).mul(0.5).backward();
  opt.step();
  close("DDP no_sync accumulates, then reduces the sum");

  // find_unused_parameters: a head no rank uses keeps grad None; one only rank 0 uses gets its average
  class Branchy extends torch.nn.Module {
    a = new torch.nn.Linear(3, 3); never = new torch.nn.Linear(3, 3); rank0 = new torch.nn.Linear(3, 3);
    override forward(x: torch.Tensor) { const h = this.a.forward(x); return rank === 0 ? this.rank0.forward(h) : h; }
  }
  torch.manual_seed(2);
  const br = new Branchy();
  const dbr = new torch.nn.parallel.DistributedDataParallel(br, { find_unused_parameters: true });
  dbr.forward(torch.ones(2, 3)).sum().backward();
  assert.equal(br.never.weight.grad, null);
  const g = br.rank0.weight.grad!.clone(), all = [torch.zeros(3, 3), torch.zeros(3, 3)];
  dist.all_gather(all, g);
  same(all[0]!, all[1]!, "find_unused_parameters: a parameter one rank used is averaged on all");
  torch.manual_seed(2);
  const strict = new torch.nn.parallel.DistributedDataParallel(new Branchy());
  strict.forward(torch.ones(2, 3)).sum().backward();
  assert.throws(() => strict.forward(torch.ones(2, 3)), /^Error: Expected to have finished reduction in the prior iteration before starting a new one/);
  ok("unused parameters without find_unused_parameters: PyTorch's error at the next forward");
  dist.destroy_process_group();
}

/** Under typetorch-run: torchrun's environment, one thread each, and a group that works. */
function launched(): void {
  dist.init_process_group();
  const rank = dist.get_rank(), W = dist.get_world_size();
  const local = Number(process.env.LOCAL_WORLD_SIZE);
  assert.equal(Number(process.env.LOCAL_RANK), rank % local);
  assert.equal(local * Number(process.env.GROUP_WORLD_SIZE), W);
  if (local > 1) assert.equal(torch.get_num_threads(), 1);  // torchrun sets OMP_NUM_THREADS=1 then
  const t = torch.tensor([rank]);
  dist.all_reduce(t);
  assert.equal(t.item(), (W * (W - 1)) / 2);
  ok(`rank ${rank} of ${W} with args ${process.argv.slice(3).join(" ")}`);
  dist.destroy_process_group();
}

/** Under typetorch-run: rank 1 fails while the others wait in a barrier; the launcher stops them. */
function failing(): void {
  dist.init_process_group();
  if (dist.get_rank() === 1) process.exit(3);
  dist.barrier();
}

/** Under typetorch-run: every rank says it is ready, then waits to be signalled. */
function hang(): void {
  dist.init_process_group();
  dist.barrier();
  ok("ready");
  sleep(60_000);
}

({ collectives, killed: killedPeer, ddp, launched, failing, hang } as Record<string, () => void>)[scenario]!();
