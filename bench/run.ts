// npm run bench [-- B2 B7 …] (-- --device webgpu: bench/webgpu.ts, the GPU's figures): builds
// the package (dist/, what npm users get), then runs each
// workload (B1–B8; naming some runs only those whose id starts with one of the names) in
// typetorch, in PyTorch in the same run, and in TensorFlow.js's WebAssembly backend as the
// JavaScript peer; prints a markdown table of medians and ratios and, when it ran them all,
// writes it to bench/results.md. The machine is noisy: every figure is a median of REPEATS repeats,
// after a warm-up (WARMUP_MS) on every side.
//
// Each side measures each workload in a process of its own, as a program that trains one model
// runs: PyTorch's side always did (a Python process per workload), and ours ran them all in this
// one, where a workload inherited what the ones before it left in V8's heap. After B2's matmuls
// (little JavaScript allocated for seconds), V8 sized the old generation's growth so tightly
// that it marked and compacted at every training step that followed: B6-B8 ran 0.63-0.74x of
// PyTorch in the full run against 0.97-1.02x each in a fresh process (--trace-gc: 65 full
// collections during B8's repeats after B2, 4 after B1). A child runs `run.ts --child ID SIDE`
// and prints its one figure.
//
// Which PyTorch: see bench/python.ts (PyTorch 2.x's CPU wheel in a .venv-torch when there is one,
// else Debian's); the run prints which one and its version.
// PyTorch runs with the setting that suits it best here (shared/DESIGN.md): the wheel's torch
// drives its MKL and OpenMP threads itself, so it gets each workload's thread count; Debian's
// torch does not pass its thread count to OpenBLAS, so there each workload sets torch's own
// threads (OMP_NUM_THREADS, torch.set_num_threads) and OpenBLAS's separately.

import torch, { nn, optim, type Tensor } from "typetorch";
import { availableParallelism } from "node:os";
import { writeFileSync, realpathSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { initTfjs, tfjs } from "./tfjs.js";
import { gpt, wordLm, mnistCnn, type ModelWorkload } from "./models.js";
import { python, DEBIAN_PYTHON, torchVersion, runPython } from "./python.js";

if (process.argv.includes("--device")) {
  const device = process.argv[process.argv.indexOf("--device") + 1];
  if (device !== "webgpu" && device !== "cpu") throw new Error(`npm run bench: --device is cpu (the default) or webgpu, not ${device}`);
  if (device === "webgpu") { await import("./webgpu.js"); process.exit(0); }
}

type Unit = "us/op" | "us/it" | "ms/op" | "ms/step" | "GFLOP/s" | "GB/s";
interface Workload {
  id: string;
  what: string;
  unit: Unit;
  /** our threads and PyTorch's (with Debian's torch: OpenBLAS's; torch's own default to 1) */
  threads: number;
  torchThreads?: number;
  /** one repeat in typetorch: returns the figure */
  ts: () => number;
  /** how long each side repeats the workload before its measured repeats (WARMUP_MS unless set) */
  warmupMs?: number;
  /** Python printing one figure per line, REPEATS lines */
  py: string;
  /** one repeat in TensorFlow.js (wasm backend, one thread), where comparable */
  tfjs?: () => number;
}

const REPEATS = 7;
/** Every side repeats a workload for WARMUP_MS before its measured repeats: figures are steady
 *  states, not a fresh process's first calls (Node's compiler, and a cache that fills as the
 *  collector returns blocks, took ~1,700 calls of a 128x128 matmul to settle; the bench used to
 *  time calls 2-666). */
const WARMUP_MS = 1000;
/** A training step's warm-up: both sides train the one model they time for this long first. Node's
 *  compiler was still optimizing B8's functions for the first time 30 to 60 steps in (33 compiles;
 *  75-80 ms a step past step 100 against ~95 at steps 10-30, one thread). */
const MODEL_WARMUP_MS = 5000;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
/** The median of REPEATS repeats of `figure`, after repeating it for `warmupMs`. */
function measure(figure: () => number, warmupMs = WARMUP_MS): number {
  for (const end = performance.now() + warmupMs; performance.now() < end;) figure();
  return median(Array.from({ length: REPEATS }, figure));
}

/** µs per call. */
function perIter(fn: () => void, iters: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) fn();
  return ((performance.now() - t0) * 1000) / iters;
}

const pyPrelude = `
import os, time, torch
import torch.nn as nn
torch.set_num_threads(int(os.environ["TT_TORCH_THREADS"]))
torch.manual_seed(0)
def per_iter(fn, iters):
    t0 = time.perf_counter()
    for _ in range(iters): fn()
    return (time.perf_counter() - t0) * 1e6 / iters
def repeat(figure, warmup=${WARMUP_MS / 1000}):
    end = time.perf_counter() + warmup
    while time.perf_counter() < end: figure()
    for _ in range(${REPEATS}): print(figure())
`;

function setThreads(n: number): void {
  // torch.set_num_threads arrives with the WebAssembly engine; before it, everything is one thread.
  const t = torch as unknown as { set_num_threads?: (n: number) => void };
  t.set_num_threads?.(n);
}

function matmul(n: number, threads: number): Workload {
  const iters = Math.max(2, Math.round(2e8 / (n * n * n)));
  return {
    id: `B2 n=${n} t=${threads}`, what: `float32 matmul ${n}x${n}, ${threads} thread${threads > 1 ? "s" : ""}`, unit: "GFLOP/s", threads,
    ts: () => {
      const a = torch.randn(n, n), b = torch.randn(n, n);
      a.matmul(b);
      return (2 * n * n * n) / (perIter(() => a.matmul(b), iters) * 1e3);
    },
    py: `a = torch.randn(${n}, ${n}); b = torch.randn(${n}, ${n}); a @ b
repeat(lambda: 2 * ${n}**3 / (per_iter(lambda: a @ b, ${iters}) * 1e3))`,
    tfjs: threads === 1 ? () => tfjs.matmul(n) : undefined,
  };
}

/** A repeat of a workload whose outputs the garbage collector returns to the cache (B3's fresh
 *  outputs, B4's and B5's steps) is long enough to hold several of its full collections: a short
 *  one times allocation without the collection it defers (B4 timed over 30 steps: 0.29 ms/step;
 *  over thousands, 0.52). */
const ITERS3 = 200, MLP_STEPS = 300;

const N3 = 4_194_304;
function elementwise(op: "add" | "exp"): Workload {
  const bytes = (op === "add" ? 3 : 2) * 4 * N3;
  return {
    id: `B3 ${op}`, what: `${op} on ${N3} floats`, unit: "GB/s", threads: 2, torchThreads: 2,
    ts: () => {
      const a = torch.randn(N3), b = torch.randn(N3);
      const f = op === "add" ? () => a.add(b) : () => a.exp();
      f();
      return bytes / (perIter(f, ITERS3) * 1e3);
    },
    py: `a = torch.randn(${N3}); b = torch.randn(${N3})
f = (lambda: a + b) if "${op}" == "add" else (lambda: a.exp())
f()
repeat(lambda: ${bytes} / (per_iter(f, ${ITERS3}) * 1e3))`,
    tfjs: () => tfjs.elementwise(op, N3),
  };
}

/** ms per step of an MLP (Linear/ReLU stack) trained on a fixed random batch. */
function mlp(id: string, what: string, sizes: number[], batch: number, loss: "mse_sum" | "cross_entropy", opt: "adam" | "sgd_momentum", lr: number): Workload {
  const layersTs = () => {
    const layers: nn.Module[] = [];
    sizes.slice(1).forEach((s, i) => { if (i > 0) layers.push(new nn.ReLU()); layers.push(new nn.Linear(sizes[i]!, s)); });
    return new nn.Sequential(...layers);
  };
  const layersPy = sizes.slice(1).map((s, i) => `${i > 0 ? "nn.ReLU(), " : ""}nn.Linear(${sizes[i]}, ${s})`).join(", ");
  const out = sizes[sizes.length - 1]!;
  const build = (): (() => void) => {
    torch.manual_seed(0);
    const model = layersTs();
    const x = torch.randn(batch, sizes[0]!);
    const y = loss === "mse_sum" ? torch.randn(batch, out) : torch.randint(0, out, [batch]);
    const lossFn = loss === "mse_sum" ? new nn.MSELoss({ reduction: "sum" }) : new nn.CrossEntropyLoss();
    const o = opt === "adam" ? new optim.Adam(model.parameters(), { lr }) : new optim.SGD(model.parameters(), { lr, momentum: 0.9 });
    return () => { o.zero_grad(); lossFn.forward(model.forward(x), y).backward(); o.step(); };
  };
  let step: (() => void) | null = null; // (one model trained throughout, as on PyTorch's side)
  return {
    id, what, unit: "ms/step", threads: 2,
    ts: () => perIter(step ??= build(), MLP_STEPS) / 1000,
    py: `model = nn.Sequential(${layersPy})
x = torch.randn(${batch}, ${sizes[0]})
y = ${loss === "mse_sum" ? `torch.randn(${batch}, ${out})` : `torch.randint(0, ${out}, (${batch},))`}
loss_fn = ${loss === "mse_sum" ? `nn.MSELoss(reduction="sum")` : "nn.CrossEntropyLoss()"}
opt = ${opt === "adam" ? `torch.optim.Adam(model.parameters(), lr=${lr})` : `torch.optim.SGD(model.parameters(), lr=${lr}, momentum=0.9)`}
def step():
    opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
per_iter(step, 3)
repeat(lambda: per_iter(step, ${MLP_STEPS}) / 1000)`,
    tfjs: () => tfjs.mlpStep(sizes, batch, loss, opt === "adam" ? "adam" : "sgd_momentum", lr),
  };
}

/** ms per training step of a model from bench/models.ts, `iters` steps a repeat. */
function model(id: string, what: string, m: ModelWorkload, iters: number): Workload {
  let step: (() => void) | null = null; // (one model trained throughout, as on PyTorch's side)
  return {
    id, what, unit: "ms/step", threads: 2, warmupMs: MODEL_WARMUP_MS,
    ts: () => perIter(step ??= m.ts(), iters) / 1000,
    py: `${m.py}
repeat(lambda: per_iter(step, ${iters}) / 1000, ${MODEL_WARMUP_MS / 1000})`,
    // No TF.js figure: these would need their models rewritten in tf.layers.
  };
}

const workloads: Workload[] = [
  {
    id: "B1a", what: "2x2 add, no grad", unit: "us/op", threads: 1,
    ts: () => { const a = torch.ones(2, 2), b = torch.ones(2, 2); perIter(() => a.add(b), 20000); return perIter(() => a.add(b), 200000); },
    py: `a = torch.ones(2, 2); b = torch.ones(2, 2)
per_iter(lambda: a + b, 20000)
repeat(lambda: per_iter(lambda: a + b, 200000))`,
    tfjs: tfjs.addTiny,
  },
  {
    id: "B1b", what: "(a*b + a).sum().backward() on 2x2 leaves", unit: "us/it", threads: 1,
    ts: () => {
      const a = torch.ones(2, 2, { requires_grad: true }), b = torch.ones(2, 2, { requires_grad: true });
      const f = () => a.mul(b).add(a).sum().backward();
      perIter(f, 2000); return perIter(f, 20000);
    },
    py: `a = torch.ones(2, 2, requires_grad=True); b = torch.ones(2, 2, requires_grad=True)
f = lambda: (a * b + a).sum().backward()
per_iter(f, 2000)
repeat(lambda: per_iter(f, 20000))`,
    tfjs: tfjs.backwardTiny,
  },
  ...[128, 512, 1024].flatMap((n) => [matmul(n, 1), matmul(n, 2)]),
  elementwise("add"),
  elementwise("exp"),
  {
    // drawing is serial in both (mt19937); the Box–Muller transform is where the time goes
    id: "B3 randn", what: "torch.randn(1e8), PyTorch's numbers bit for bit", unit: "ms/op", threads: 2, torchThreads: 2,
    ts: () => perIter(() => torch.randn(1e8), 1) / 1000,
    py: "repeat(lambda: per_iter(lambda: torch.randn(100_000_000), 1) / 1000)",
  },
  mlp("B4", "two-layer net 1000-100-10, N=64, MSELoss(sum), Adam", [1000, 100, 10], 64, "mse_sum", "adam", 1e-4),
  mlp("B5", "MLP 784-512-512-10, batch 128, cross-entropy, SGD momentum", [784, 512, 512, 10], 128, "cross_entropy", "sgd_momentum", 0.01),
  model("B6", "MNIST CNN (pytorch/examples), batch 64, Adadelta", mnistCnn, 5),
  model("B7", "small GPT (4 layers, 4 heads, d 128, seq 64, batch 16), AdamW", gpt, 3),
  model("B8", "word-language-model LSTM (2x200, vocab 10k, seq 35, batch 20), SGD, clip 0.25", wordLm, 3),
];

function runPy(w: Workload): number {
  const wheel = python !== DEBIAN_PYTHON;
  const torchThreads = String(wheel ? w.threads : w.torchThreads ?? 1);
  const out = runPython(pyPrelude + w.py, { TT_TORCH_THREADS: torchThreads, OMP_NUM_THREADS: torchThreads, OPENBLAS_NUM_THREADS: String(w.threads) });
  return median(out.trim().split("\n").map(Number));
}

const fmt = (x: number): string => (Number.isNaN(x) ? "n/a" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** How many times better `ours` is than `theirs`: throughput / throughput, or time / time inverted. */
const ratio = (unit: Unit, ours: number, theirs: number): string => {
  const r = unit.startsWith("G") ? ours / theirs : theirs / ours;
  return Number.isNaN(r) ? "n/a" : `${r.toFixed(2)}x`;
};

/** The BLAS Debian's torch loads: the reference one (libblas3, about 6 GFLOP/s) unless
 *  libopenblas0-pthread (or another optimized BLAS) is installed as the alternative. */
function torchBlas(): string {
  try { return realpathSync("/usr/lib/x86_64-linux-gnu/libblas.so.3").split("/").slice(-2).join("/"); } catch { return "unknown"; }
}

/** The CPU, and its widest SIMD (which bounds native BLAS; WebAssembly has 128-bit SIMD only). */
function cpu(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? "unknown CPU";
    const flags = /flags\s*:\s*(.*)/.exec(info)?.[1]?.split(" ") ?? [];
    const simd = flags.includes("avx512f") ? "AVX-512" : flags.includes("avx2") ? "AVX2" : "SSE";
    return `${model}, ${simd}`;
  } catch { return "unknown CPU"; }
}

/** The engine typetorch's CPU ops ran on ("AVX512", "WASM_SIMD" …). */
const backend = (): string => torch.backends.cpu.get_cpu_capability();

// A child: one workload on one side, its figure printed.
const childAt = process.argv.indexOf("--child");
if (childAt >= 0) {
  const [id, side] = process.argv.slice(childAt + 1);
  const w = workloads.find((x) => x.id === id);
  if (!w || (side !== "ts" && side !== "tfjs")) throw new Error(`bench --child: no workload ${id} on side ${side}`);
  setThreads(w.threads);
  if (side === "tfjs" && !(await initTfjs())) throw new Error("bench --child: TF.js did not load");
  console.log(measure(side === "ts" ? w.ts : w.tfjs!, side === "ts" ? w.warmupMs : WARMUP_MS));
  process.exit(0);
}

/** A workload's figure on our side or TF.js's, measured in a process of its own. */
function inChild(w: Workload, side: "ts" | "tfjs"): number {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", w.id, side], {
    encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
  });
  return Number(out.trim().split("\n").pop());
}

const only = process.argv.slice(2).filter((a, i, all) => a !== "--device" && all[i - 1] !== "--device");
const torchVer = torchVersion();
const torchThere = torchVer !== null;
const debianTorch = python === DEBIAN_PYTHON;
const torchWhat = torchThere ? `PyTorch ${torchVer} (${python}${debianTorch ? `, ${torchBlas()}` : ""})` : `no PyTorch (${python} has none)`;
console.log(`typetorch on ${backend()}; ${torchWhat}`);
if (torchThere && debianTorch && !/openblas|mkl|blis/i.test(torchBlas())) {
  console.warn(`PyTorch runs on ${torchBlas()}: install libopenblas0-pthread for PyTorch's real speed`);
}
const tfjsThere = await initTfjs();
const rows = [
  `| workload | unit | typetorch (${backend()}) | PyTorch ${torchVer ?? ""} | vs PyTorch | TF.js wasm | vs TF.js |`,
  "|---|---|---|---|---|---|---|",
];
console.log(rows.join("\n"));
for (const w of workloads) {
  if (only.length && !only.some((o) => w.id.startsWith(o))) continue;
  const ours = inChild(w, "ts");
  const theirs = torchThere ? runPy(w) : NaN;
  const peer = tfjsThere && w.tfjs ? inChild(w, "tfjs") : NaN;
  rows.push(`| ${w.id}: ${w.what} | ${w.unit} | ${fmt(ours)} | ${fmt(theirs)} | ${ratio(w.unit, ours, theirs)} | ${fmt(peer)} | ${ratio(w.unit, ours, peer)} |`);
  console.log(rows[rows.length - 1]);
}
const note = `Medians of ${REPEATS} repeats on ${cpu()}, ${availableParallelism()} cores, each workload in a process of its own on every side; typetorch on ${backend()}, ${torchWhat}. ` +
  "Ratios say how many times better typetorch is (the other's time / ours, or our throughput / the other's); above 1x typetorch wins.";
// (a run of some workloads only prints: the file keeps the last full table)
if (only.length === 0) writeFileSync(new URL("./results.md", import.meta.url), `${note}\n\n${rows.join("\n")}\n`);
