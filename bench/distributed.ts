// torch.distributed benchmarks, beside PyTorch 2.x's gloo backend in the same run:
//   1. all_reduce bus bandwidth (GB/s) over loopback, 1 KB to 64 MB, with 2 and 4 processes;
//   2. DDP scaling of B5 (MLP 784-512-512-10, batch 128 per process, cross-entropy, SGD
//      momentum): samples/s of 1 process against 2 processes, 1 thread each.
// Bus bandwidth is NCCL-tests' definition: bytes / time * 2(n-1)/n, the traffic a ring
// all-reduce puts on each link. The machine is shared: compare within one run. With --pin, rank r
// of both libraries runs on CPU r mod cores (taskset), which takes the scheduler's placement of
// the Gloo threads out of the comparison (see bench/distributed.md).
//
//   npm run bench:distributed [-- --python /path/to/python-with-torch2] [--pin]

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import torch, { nn, optim } from "typetorch";

const SIZES = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536].map((k) => k * 1024);
/** The same number of all-reduces on every rank: many for small messages, 5 for the largest. */
const itersFor = (bytes: number) => Math.max(5, Math.min(500, Math.floor((256 << 20) / bytes)));
// (300 steps, about 2 s a run: 30 were too few for a stable ratio on a shared machine)
const B5 = { sizes: [784, 512, 512, 10], batch: 128, warmup: 10, steps: 300 };

const sync = () => torch.distributed.barrier();

/** One process of the all_reduce benchmark; rank 0 prints {bytes: seconds per all_reduce}. */
function allreduceWorker(): void {
  const dist = torch.distributed;
  dist.init_process_group("gloo");
  const out: Record<number, number> = {};
  for (const bytes of SIZES) {
    const t = torch.zeros(bytes / 4), iters = itersFor(bytes);
    for (let i = 0; i < 2; i++) dist.all_reduce(t);
    sync();
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) dist.all_reduce(t);
    out[bytes] = (performance.now() - t0) / 1000 / iters;
  }
  if (dist.get_rank() === 0) console.log(JSON.stringify(out));
  dist.destroy_process_group();
}

/** One process of B5 (with DDP when started in a group); rank 0 prints the group's samples/s. */
function ddpWorker(): void {
  const dist = torch.distributed, distributed = process.env.WORLD_SIZE !== undefined;
  if (distributed) dist.init_process_group("gloo");
  torch.manual_seed(0);
  const layers: nn.Module[] = [];
  B5.sizes.slice(1).forEach((s, i) => { if (i > 0) layers.push(new nn.ReLU()); layers.push(new nn.Linear(B5.sizes[i]!, s)); });
  const model = new nn.Sequential(...layers);
  const net: nn.Module = distributed ? new nn.parallel.DistributedDataParallel(model) : model;
  const x = torch.randn(B5.batch, 784), y = torch.randint(0, 10, [B5.batch]);
  const lossFn = new nn.CrossEntropyLoss(), opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const step = () => { opt.zero_grad(); lossFn.forward(net.forward(x) as torch.Tensor, y).backward(); opt.step(); };
  for (let i = 0; i < B5.warmup; i++) step();
  if (distributed) sync();
  const t0 = performance.now();
  for (let i = 0; i < B5.steps; i++) step();
  if (distributed) sync();
  const world = distributed ? dist.get_world_size() : 1;
  if (!distributed || dist.get_rank() === 0) console.log(JSON.stringify({ samples_per_s: (world * B5.batch * B5.steps) / ((performance.now() - t0) / 1000) }));
  if (distributed) dist.destroy_process_group();
}

const PY = `
import json, os, sys, time, torch, torch.distributed as dist, torch.nn as nn
torch.set_num_threads(1)
mode, sizes = sys.argv[1], json.loads(sys.argv[2])
distributed = "WORLD_SIZE" in os.environ
if distributed: dist.init_process_group("gloo")
if mode == "allreduce":
    out = {}
    for b in sizes:
        t = torch.zeros(b // 4); iters = max(5, min(500, (256 << 20) // b))
        for _ in range(2): dist.all_reduce(t)
        dist.barrier(); t0 = time.perf_counter()
        for _ in range(iters): dist.all_reduce(t)
        out[b] = (time.perf_counter() - t0) / iters
    if dist.get_rank() == 0: print(json.dumps(out))
else:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    net = nn.parallel.DistributedDataParallel(model) if distributed else model
    x, y = torch.randn(${B5.batch}, 784), torch.randint(0, 10, (${B5.batch},))
    loss_fn, opt = nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    def step():
        opt.zero_grad(); loss_fn(net(x), y).backward(); opt.step()
    for _ in range(${B5.warmup}): step()
    if distributed: dist.barrier()
    t0 = time.perf_counter()
    for _ in range(${B5.steps}): step()
    if distributed: dist.barrier()
    world = dist.get_world_size() if distributed else 1
    if not distributed or dist.get_rank() == 0: print(json.dumps({"samples_per_s": world * ${B5.batch} * ${B5.steps} / (time.perf_counter() - t0)}))
if distributed: dist.destroy_process_group()
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

const pin = process.argv.includes("--pin");

/** Runs `world` processes of a command (world 0: one process outside any group); rank 0's JSON. */
async function group(command: string[], world: number): Promise<Record<string, number>> {
  const port = await freePort();
  const outs = await Promise.all(Array.from({ length: Math.max(1, world) }, (_, rank) => new Promise<string>((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, OMP_NUM_THREADS: "1" };
    if (world > 0) Object.assign(env, { MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: String(world) });
    else delete env.WORLD_SIZE;
    const cmd = pin ? ["taskset", "-c", String(rank % availableParallelism()), ...command] : command;
    const p = spawn(cmd[0]!, cmd.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd.join(" ")} rank ${rank} exited with ${code}:\n${err}`))));
  })));
  return JSON.parse(outs[0]!.trim().split("\n").pop()!);
}

async function main(): Promise<void> {
  const pyFlag = process.argv.indexOf("--python");
  const python = pyFlag > 0 ? process.argv[pyFlag + 1]! : "/work/.venv-torch/bin/python";
  const self = fileURLToPath(import.meta.url);
  const ts = (mode: string) => [process.execPath, ...process.execArgv, self, mode];
  const py = (mode: string) => [python, "-c", PY, mode, JSON.stringify(SIZES)];
  const version = await new Promise<string>((resolve) => {
    const p = spawn(python, ["-c", "import torch; print(torch.__version__)"]);
    let v = ""; p.stdout.on("data", (d) => { v += d; }); p.on("exit", () => resolve(v.trim() || "unavailable"));
  });
  console.log(`torch.distributed benchmarks: typetorch on Gloo beside PyTorch ${version} (gloo), loopback, same run${pin ? ", rank r pinned to CPU r mod cores" : ""}; ${new Date().toISOString()}\n`);

  console.log("## all_reduce bus bandwidth (GB/s), float32 SUM\n");
  const busbw = (bytes: number, s: number, n: number) => ((bytes / s) * (2 * (n - 1)) / n) / 1e9;
  const fmt = (b: number) => (b >= 1 << 20 ? `${b >> 20} MB` : `${b >> 10} KB`);
  for (const n of [2, 4]) {
    const ours = await group(ts("allreduce"), n), theirs = await group(py("allreduce"), n);
    console.log(`### ${n} processes\n\n| size | typetorch | PyTorch | ratio | typetorch µs | PyTorch µs |\n|---|---|---|---|---|---|`);
    for (const b of SIZES) {
      const a = busbw(b, ours[b]!, n), p = busbw(b, theirs[b]!, n);
      console.log(`| ${fmt(b)} | ${a.toFixed(3)} | ${p.toFixed(3)} | ${(a / p).toFixed(2)}x | ${(ours[b]! * 1e6).toFixed(0)} | ${(theirs[b]! * 1e6).toFixed(0)} |`);
    }
    console.log();
  }

  console.log("## DDP scaling of B5 (MLP 784-512-512-10, batch 128 per process, SGD momentum), 1 thread per process\n");
  console.log("| processes | typetorch samples/s | scaling | PyTorch samples/s | scaling |\n|---|---|---|---|---|");
  const one = { ts: (await group(ts("ddp"), 0)).samples_per_s!, py: (await group(py("ddp"), 0)).samples_per_s! };
  const two = { ts: (await group(ts("ddp"), 2)).samples_per_s!, py: (await group(py("ddp"), 2)).samples_per_s! };
  console.log(`| 1 | ${one.ts.toFixed(0)} | 1.00x | ${one.py.toFixed(0)} | 1.00x |`);
  console.log(`| 2 (DDP) | ${two.ts.toFixed(0)} | ${(two.ts / one.ts).toFixed(2)}x | ${two.py.toFixed(0)} | ${(two.py / one.py).toFixed(2)}x |`);
}

const mode = process.argv[2];
if (mode === "allreduce") allreduceWorker();
else if (mode === "ddp") ddpWorker();
else await main();
