// torch.distributed on Gloo: the TCPStore in this process, and groups of 2-4 processes on the
// loopback interface (test/distributed/worker.ts) checking every collective against a local
// computation, and what a late or killed peer does. Where typetorch's Gloo backend is not built,
// the tests skip, saying why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import torch from "typetorch";

const dist = torch.distributed;
const skip = dist.is_gloo_available() ? false : `torch.distributed's Gloo backend is unavailable: ${dist.gloo_unavailable_reason()}`;

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
  } finally {
    dist.destroy_process_group();
  }
});

test("every collective in 4 processes matches the local reduction", { skip }, async () => {
  const exits = await runGroup(worker, ["collectives"], 4);
  exits.forEach(succeeded);
  assert.ok(okLines(exits[0]!).length > 20, exits[0]!.out);
});

test("a late peer times out and a killed peer fails the others' collective, within the timeout", { skip }, async () => {
  const exits = await runGroup(worker, ["killed"], 3);
  succeeded(exits[0]!);
  succeeded(exits[1]!);
  assert.equal(exits[2]!.signal, "SIGKILL");
  assert.ok(okLines(exits[0]!).includes("ok late peer times out"));
  assert.ok(okLines(exits[1]!).includes("ok dead peer fails the collective"));
});
