// npm run bench -- --device webgpu (or npm run bench:webgpu): the WebGPU device's figures, with the
// CPU's beside them: float32 GEMM (B2, GFLOP/s) up to n=4096, and the training steps of B5 (MLP
// 784-512-512-10, batch 128, cross-entropy, SGD momentum, its loss read each step), B6 (the MNIST
// CNN, Adadelta), B7 (the small GPT, AdamW) and B8 (the word-language-model LSTM, clipping, SGD)
// in ms per step (bench/models.ts), with what each GPU step cost: CPU fallbacks (the hot paths
// should have none), readbacks (none but B5's loss), dispatches and submits. On a machine without
// a GPU (Mesa's llvmpipe) the GPU's figures only prove function.
//
//   npm run bench -- --device webgpu [--sizes 256,1024,2048,4096] [--steps 5]

import torch, { nn, optim, type Tensor } from "typetorch";
import { mnistCnn, gpt, wordLm } from "./models.js";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const sizes = arg("sizes", "256,1024,2048,4096").split(",").map(Number);
const steps = Number(arg("steps", "5"));

if (!torch.webgpu.is_available()) {
  console.log(`no WebGPU adapter: ${torch.webgpu.unavailable_reason()}`);
  process.exit(0);
}
console.log(`GPU: ${torch.webgpu.get_device_name()}; CPU: typetorch on ${torch.backends.cpu.get_cpu_capability()}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const devices = ["cpu", "webgpu"] as const;
const sync = (device: string) => { if (device === "webgpu") torch.webgpu.synchronize(); };

/** Seconds per call of fn, the device synchronised around each run: the median of 3 runs of `n`
 *  calls after one to warm up, or, when a call takes over 2 s (a large GEMM on a software
 *  adapter), that first call alone. */
function timed(fn: () => void, n: number, device: string): number {
  let t0 = performance.now();
  fn(); sync(device);
  const first = (performance.now() - t0) / 1000;
  if (first > 2) return first;
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    sync(device);
    runs.push((performance.now() - t0) / 1000 / n);
  }
  return median(runs);
}

type Stats = ReturnType<typeof torch.webgpu.stats>;
/** What one GPU step cost, from the device's counters over `n` steps. */
function perStep(s: Stats, n: number): string {
  const fallbacks = Object.entries(s.fallbacks).map(([op, k]) => `${op} ${k / n}`).join(", ");
  return `${fallbacks === "" ? "0 fallbacks" : `fallbacks: ${fallbacks}`}, ${s.readbacks / n} readbacks, ${Math.round(s.dispatches / n)} dispatches, ${s.submits / n} submits`;
}

const rows: string[] = ["| workload | cpu | webgpu | unit | webgpu per step |", "|---|---|---|---|---|"];
const row = (r: string) => { rows.push(r); console.log(r); };
console.log(rows.join("\n"));

for (const n of sizes) {
  const fig: Record<string, number> = {};
  for (const device of devices) {
    const a = torch.randn(n, n, { device }), b = torch.randn(n, n, { device });
    const iters = Math.max(1, Math.round(2e9 / (2 * n ** 3)));
    fig[device] = (2 * n ** 3) / timed(() => { a.matmul(b); }, iters, device) / 1e9;
  }
  row(`| B2 GEMM n=${n} | ${fig["cpu"]!.toFixed(1)} | ${fig["webgpu"]!.toFixed(1)} | GFLOP/s | |`);
}

/** B5: an MLP whose step reads its loss, as a training loop that logs it does. */
function mlp(device = "cpu"): () => void {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10)).to(device);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn(128, 784, { device }), y = torch.randint(0, 10, [128], { device });
  return () => {
    opt.zero_grad();
    const l = nn.functional.cross_entropy(model.forward(x) as Tensor, y);
    l.backward();
    opt.step();
    l.item();
  };
}

const models: [string, (device?: string) => () => void][] = [
  ["B5 MLP 784-512-512-10, batch 128, SGD momentum (loss read each step)", mlp],
  ["B6 MNIST CNN, batch 64, Adadelta", mnistCnn.ts],
  ["B7 small GPT (4 layers, d 128, seq 64, batch 16), AdamW", gpt.ts],
  ["B8 word-language-model LSTM (2x200, vocab 10k, seq 35, batch 20), clip 0.25, SGD", wordLm.ts],
];
for (const [what, build] of models) {
  const ms: Record<string, number> = {};
  let cost = "";
  for (const device of devices) {
    const step = build(device);
    step(); sync(device); // (the first step builds the optimizer's state and compiles the shaders)
    if (device === "webgpu") torch.webgpu.reset_stats();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    sync(device);
    ms[device] = (performance.now() - t0) / steps;
    if (device === "webgpu") cost = perStep(torch.webgpu.stats(), steps);
  }
  row(`| ${what} | ${ms["cpu"]!.toFixed(1)} | ${ms["webgpu"]!.toFixed(1)} | ms/step | ${cost} |`);
}
