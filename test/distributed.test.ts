// torch.distributed on Gloo: the TCPStore in this process, and groups of 2-4 processes on the
// loopback interface (test/distributed/worker.ts) checking every collective against a local
// computation, and what a late or killed peer does. Where typetorch's Gloo backend is not built,
// the tests skip, saying why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import torch from "typetorch";

const dist = torch.distributed;
const skip = dist.is_gloo_available() ? false : `torch.distributed's Gloo backend is unavailable: ${dist.gloo_unavailable_reason()}`;
// the multi-process tests check Gloo, DDP and the launcher, not kernels: they run once, on the
// default backend (npm test runs the suite again with TYPETORCH_BACKEND=wasm and =ts)
const skipGroups = skip || (process.env.TYPETORCH_BACKEND ? `the multi-process tests run once, on the default backend (TYPETORCH_BACKEND=${process.env.TYPETORCH_BACKEND})` : false);

/** A port free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Exit { rank: number; code: number | null; signal: string | null; out: string; err: string }

/** Runs a script in `world` processes with torchrun's environment; resolves when all have exited. */
export async function runGroup(script: string, args: string[], world: number, extraEnv: Record<string, string> = {}): Promise<Exit[]> {
  const port = await freePort();
  return Promise.all(Array.from({ length: world }, (_, rank) => new Promise<Exit>((resolve) => {
    const p = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script, ...args], {
      env: { ...process.env, MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), RANK: String(rank), LOCAL_RANK: String(rank),
        WORLD_SIZE: String(world), OMP_NUM_THREADS: "1", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code, signal) => resolve({ rank, code, signal, out, err }));
  })));
}

const worker = fileURLToPath(new URL("./distributed/worker.ts", import.meta.url));
const okLines = (e: Exit) => e.out.split("\n").filter((l) => l.startsWith("ok "));
const succeeded = (e: Exit) => assert.equal(e.code, 0, `rank ${e.rank} failed:\n${e.out}\n${e.err}`);

test("TCPStore: set/get/add/compare_set/wait/check/delete_key/num_keys and PyTorch's timeout errors", { skip }, () => {
  const s = new dist.TCPStore("127.0.0.1", 0, 1, true, 1000);
  assert.ok(s.port > 0);
  s.set("a", "1");
  assert.equal(new TextDecoder().decode(s.get("a")), "1");
  assert.equal(s.add("c", 5), 5);
  assert.equal(s.add("c", 2), 7);
  assert.equal(new TextDecoder().decode(s.get("c")), "7"); // stored as text, as PyTorch's
  assert.equal(new TextDecoder().decode(s.compare_set("a", "1", "2")), "2");
  assert.equal(new TextDecoder().decode(s.compare_set("a", "1", "3")), "2");
  assert.equal(new TextDecoder().decode(s.compare_set("new", "x", "y")), "x");
  assert.equal(s.check(["a", "c"]), true);
  assert.equal(s.check(["a", "nope"]), false);
  assert.throws(() => s.get("zz"), { name: "DistStoreError", message: "wait timeout after 1000ms, keys: /zz" });
  assert.throws(() => s.wait(["zz", "yy"], 300), { name: "DistStoreError", message: "wait timeout after 300ms, keys: /zz, /yy" });
  s.wait(["a"], 10);
  const n = s.num_keys();
  assert.equal(s.delete_key("a"), true);
  assert.equal(s.delete_key("a"), false);
  assert.equal(s.num_keys(), n - 1);
  // a second client of the same server sees the same keys
  const c = new dist.TCPStore("127.0.0.1", s.port, 1, false, 1000);
  c.set("from-client", new Uint8Array([1, 2, 3]));
  assert.deepEqual([...s.get("from-client")], [1, 2, 3]);
  c._close();
  s._close();
});

test("TCPStore: connecting to no server, and a master waiting for absent workers, fail in PyTorch's words", { skip }, async () => {
  const port = await freePort();
  assert.throws(() => new dist.TCPStore("127.0.0.1", port, 2, false, 300), {
    name: "DistNetworkError", message: `The client socket has timed out after 300ms while trying to connect to (127.0.0.1, ${port}).`,
  });
  assert.throws(() => new dist.TCPStore("127.0.0.1", 0, 2, true, 300), {
    name: "DistStoreError", message: "Timed out after 1 seconds waiting for clients. 1/2 clients joined.",
  });
});

test("init_process_group's errors, before anything is joined", { skip }, () => {
  assert.equal(dist.is_available(), true);
  assert.equal(dist.is_initialized(), false);
  assert.throws(() => dist.get_rank(), { message: "Default process group has not been initialized, please make sure to call init_process_group." });
  assert.throws(() => dist.all_reduce(torch.ones(2)), { message: "Default process group has not been initialized, please make sure to call init_process_group." });
  assert.throws(() => dist.init_process_group("foo"), { message: "Unknown backend type foo" });
  const saved = process.env.MASTER_ADDR;
  delete process.env.MASTER_ADDR;
  try {
    assert.throws(() => dist.init_process_group("gloo", { init_method: "env://", rank: 0, world_size: 1 }), {
      message: "Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR expected, but not set",
    });
  } finally { if (saved !== undefined) process.env.MASTER_ADDR = saved; }
  assert.throws(() => dist.init_process_group("gloo", { init_method: "tcp://127.0.0.1:1", world_size: 1 }), {
    message: "Error initializing torch.distributed using tcp:// rendezvous: rank parameter missing",
  });
});

test("a group of one process through tcp://", { skip }, async () => {
  dist.init_process_group("gloo", { init_method: `tcp://127.0.0.1:${await freePort()}`, rank: 0, world_size: 1 });
  try {
    assert.equal(dist.get_rank(), 0);
    assert.equal(dist.get_world_size(), 1);
    assert.equal(dist.get_backend(), "gloo");
    assert.throws(() => dist.init_process_group("gloo"), { message: "trying to initialize the default process group twice!" });
    const t = torch.tensor([1, 2]);
    dist.all_reduce(t, { op: dist.ReduceOp.AVG });
    assert.deepEqual(t.tolist(), [1, 2]);
    assert.throws(() => dist.send(t, 0), { message: "Invalid destination rank: destination rank should not be the same as the rank of the current process." });
    assert.throws(() => dist.gather(t, null, 0), { message: "Argument ``gather_list`` must be specified on destination rank." });
    assert.throws(() => dist.scatter(t, null, 0), { message: "Argument ``scatter_list`` must be specified on source rank." });
    // DDP of one process: the gradients are the module's own
    const DDP = torch.nn.parallel.DistributedDataParallel;
    assert.throws(() => new DDP(new torch.nn.Linear(2, 2), { device_ids: [0] }), {
      message: "DistributedDataParallel device_ids and output_device arguments only work with single-device/multiple-device GPU modules or CPU modules, but got device_ids [0], output_device None, and module parameters {device(type='cpu')}.",
    });
    torch.manual_seed(0);
    const lin = new torch.nn.Linear(3, 2), ddp = new DDP(lin), x = torch.randn(4, 3);
    ddp.forward(x).pow(2).sum().backward();
    const g = lin.weight.grad!.clone();
    lin.weight.grad = null;
    lin.forward(x).pow(2).sum().backward();
    assert.deepEqual(g.tolist(), lin.weight.grad!.tolist());
  } finally {
    dist.destroy_process_group();
  }
});

test("every collective in 4 processes matches the local reduction", { skip: skipGroups }, async () => {
  const exits = await runGroup(worker, ["collectives"], 4);
  exits.forEach(succeeded);
  assert.ok(okLines(exits[0]!).length > 20, exits[0]!.out);
});

test("a late peer times out and a killed peer fails the others' collective, within the timeout", { skip: skipGroups }, async () => {
  const exits = await runGroup(worker, ["killed"], 3);
  succeeded(exits[0]!);
  succeeded(exits[1]!);
  assert.equal(exits[2]!.signal, "SIGKILL");
  assert.ok(okLines(exits[0]!).includes("ok late peer times out"));
  assert.ok(okLines(exits[1]!).includes("ok dead peer fails the collective"));
});

test("DistributedDataParallel in 2 processes: rank 0's start, steps equal to one process on the concatenated batch, no_sync, find_unused_parameters", { skip: skipGroups }, async () => {
  const exits = await runGroup(worker, ["ddp"], 2);
  exits.forEach(succeeded);
  assert.equal(okLines(exits[1]!).length, 7, exits[1]!.out);
});

/** Runs typetorch-run (bin/typetorch-run.mjs) on the worker; `onOut` sees its output as it comes. */
async function launch(args: string[], onOut: (out: string, p: ReturnType<typeof spawn>) => void = () => {}, port?: number): Promise<{ code: number | null; out: string; err: string }> {
  port ??= await freePort();
  const launcher = fileURLToPath(new URL("../bin/typetorch-run.mjs", import.meta.url));
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.OMP_NUM_THREADS;
    const p = spawn(process.execPath, ["--conditions=source", "--import", "tsx", launcher, "--master-port", String(port), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout!.on("data", (d) => { out += d; onOut(out, p); });
    p.stderr!.on("data", (d) => { err += d; });
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

test("typetorch-run: torchrun's environment and flags, OMP_NUM_THREADS=1, script arguments passed on", { skip: skipGroups }, async () => {
  const r = await launch(["--nproc-per-node", "2", worker, "launched", "--lr", "0.1"]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.deepEqual(r.out.split("\n").filter(Boolean).sort(), ["ok rank 0 of 2 with args --lr 0.1", "ok rank 1 of 2 with args --lr 0.1"]);
  assert.match(r.err, /Setting OMP_NUM_THREADS environment variable for each process to be 1 in default/);
});

test("typetorch-run: torchrun's argument errors", () => {
  const launcher = fileURLToPath(new URL("../bin/typetorch-run.mjs", import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args], { encoding: "utf8" });
  const none = run();
  assert.equal(none.status, 2);
  assert.match(none.stderr, /typetorch-run: error: the following arguments are required: training_script, training_script_args/);
  assert.match(run("--bogus", "x.ts").stderr, /error: unrecognized arguments: --bogus/);
  assert.match(run("--nproc-per-node", "two", "x.ts").stderr, /error: argument --nproc-per-node: invalid int value: 'two'/);
});

test("typetorch-run: two nodes (--nnodes 2 --node-rank 0/1) make one group", { skip: skipGroups }, async () => {
  const port = await freePort();
  const nodes = await Promise.all([0, 1].map((r) => launch(["--nnodes", "2", "--node-rank", String(r), "--nproc-per-node", "1", "--master-addr", "127.0.0.1", worker, "launched"], undefined, port)));
  nodes.forEach((n) => assert.equal(n.code, 0, n.out + n.err));
  assert.deepEqual(nodes.map((n) => n.out.trim()), ["ok rank 0 of 2 with args", "ok rank 1 of 2 with args"]);
});

test("typetorch-run: a failing process stops the group with its exit code; signals are forwarded", { skip: skipGroups }, async () => {
  const t0 = Date.now();
  const r = await launch(["--nproc_per_node=2", worker, "failing"]);
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.err, /FAILED: rank 1 \(local_rank 1\) exited with code 3; the other processes were stopped/);
  assert.ok(Date.now() - t0 < 20_000);
  let sent = false;
  const s = await launch(["--nproc-per-node", "2", worker, "hang"], (out, p) => {
    if (!sent && out.split("ok ready").length === 3) { sent = true; p.kill("SIGTERM"); }
  });
  assert.equal(s.code, 143, s.out + s.err);
});

test("DistributedSampler: every rank's indices are PyTorch's (golden), for shuffle/drop_last/seed/epoch", () => {
  const golden = JSON.parse(readFileSync(new URL("./golden/distributed.json", import.meta.url), "utf8")) as {
    sampler: { n: number; num_replicas: number; shuffle: boolean; drop_last: boolean; seed: number; epoch: number; len: number; indices: number[][] }[];
  };
  for (const c of golden.sampler) {
    c.indices.forEach((expected, rank) => {
      const s = new torch.utils.data.distributed.DistributedSampler(Array.from({ length: c.n }, (_, i) => i), {
        num_replicas: c.num_replicas, rank, shuffle: c.shuffle, seed: c.seed, drop_last: c.drop_last,
      });
      s.set_epoch(c.epoch);
      assert.equal(s.length, c.len);
      assert.deepEqual([...s], expected, JSON.stringify({ ...c, indices: undefined, rank }));
    });
  }
  assert.throws(() => new torch.utils.data.DistributedSampler([1, 2], { num_replicas: 2, rank: 2 }), {
    message: "Invalid rank 2, rank should be in the interval [0, 1]",
  });
});
