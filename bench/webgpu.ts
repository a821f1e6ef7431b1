// npm run bench:webgpu: the WebGPU device's figures, with the CPU's beside them: float32 GEMM
// (GFLOP/s), B5 (MLP 784-512-512-10, batch 128, cross-entropy, SGD momentum) and B7 (bench/models.ts's
// small GPT, AdamW) in ms per step, with the CPU fallbacks and readbacks of the GPU's steps (their
// hot paths should have none but the loss's). On a machine without a GPU (Mesa's llvmpipe) the
// GPU's figures only prove function.
//
//   npm run bench:webgpu [-- --sizes 512,1024,2048] [--steps 10]

import torch, { nn, optim, type Tensor } from "typetorch";
import { gpt } from "./models.js";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const sizes = arg("sizes", "256,512,1024").split(",").map(Number);
const steps = Number(arg("steps", "10"));

if (!torch.webgpu.is_available()) {
  console.log(`no WebGPU adapter: ${torch.webgpu.unavailable_reason()}`);
  process.exit(0);
}
console.log(`GPU: ${torch.webgpu.get_device_name()}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seconds per call of fn, the device synchronised before and after (median of 3 runs of `n`). */
function timed(fn: () => void, n: number, device: string): number {
  const sync = () => { if (device === "webgpu") torch.webgpu.synchronize(); };
  fn(); sync();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    sync();
    runs.push((performance.now() - t0) / 1000 / n);
  }
  return median(runs);
}

const rows: string[] = ["| workload | cpu | webgpu | unit |", "|---|---|---|---|"];

for (const n of sizes) {
  const fig: Record<string, number> = {};
  for (const device of ["cpu", "webgpu"]) {
    const a = torch.randn(n, n, { device }), b = torch.randn(n, n, { device });
    const iters = Math.max(1, Math.round(2e9 / (2 * n ** 3)));
    fig[device] = (2 * n ** 3) / timed(() => { a.matmul(b); }, iters, device) / 1e9;
  }
  rows.push(`| GEMM n=${n} | ${fig["cpu"]!.toFixed(1)} | ${fig["webgpu"]!.toFixed(1)} | GFLOP/s |`);
}

const b5: Record<string, number> = {};
let stats: ReturnType<typeof torch.webgpu.stats> | null = null;
for (const device of ["cpu", "webgpu"]) {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10)).to(device);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn(128, 784, { device }), y = torch.randint(0, 10, [128], { device });
  let loss = 0;
  const step = () => {
    opt.zero_grad();
    const l = nn.functional.cross_entropy(model.forward(x) as Tensor, y);
    l.backward();
    opt.step();
    loss = l.item();
  };
  step();
  if (device === "webgpu") torch.webgpu.reset_stats();
  b5[device] = timed(step, steps, device) * 1000;
  if (device === "webgpu") stats = torch.webgpu.stats();
  void loss;
}
rows.push(`| B5 MLP 784-512-512-10, batch 128, SGD momentum | ${b5["cpu"]!.toFixed(2)} | ${b5["webgpu"]!.toFixed(2)} | ms/step |`);
const b5stats = stats!;

const b7: Record<string, number> = {};
for (const device of ["cpu", "webgpu"]) {
  const step = gpt.ts(device);
  step();
  if (device === "webgpu") torch.webgpu.reset_stats();
  b7[device] = timed(step, 1, device) * 1000;
  if (device === "webgpu") stats = torch.webgpu.stats();
}
rows.push(`| B7 small GPT (4 layers, d 128, seq 64, batch 16), AdamW | ${b7["cpu"]!.toFixed(1)} | ${b7["webgpu"]!.toFixed(1)} | ms/step |`);
console.log(rows.join("\n"));

/** What the device did per step of a workload of n steps. */
function perStep(name: string, s: ReturnType<typeof torch.webgpu.stats>, n: number): string {
  return `${name} on webgpu: ${Object.keys(s.fallbacks).length === 0 ? "no CPU fallback" : `CPU fallbacks: ${JSON.stringify(s.fallbacks)}`}; ` +
    `${(s.readbacks / n).toFixed(1)} readbacks, ${(s.dispatches / n).toFixed(0)} dispatches, ${(s.submits / n).toFixed(1)} submits per step`;
}
console.log(perStep("B5", b5stats, 1 + 3 * steps));
console.log(perStep("B7", stats!, 4));
