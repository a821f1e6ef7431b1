// npm run bench: each workload in typetorch and, when Debian's PyTorch is installed, the same
// workload in PyTorch in the same run; prints a markdown table of medians and ratios and writes it
// to bench/results.md. The machine is noisy: every figure is a median of several repeats.

import torch from "typetorch";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

interface Workload {
  id: string;
  what: string;
  unit: "us/op" | "us/it" | "ms/step" | "GFLOP/s" | "GB/s";
  /** returns the figure for one repeat */
  ts: () => number;
  /** Python source printing one figure per line, one line per repeat */
  py: string;
}

const REPEATS = 7;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

function timePerIter(fn: () => void, iters: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) fn();
  return ((performance.now() - t0) * 1000) / iters; // µs
}

const pyPrelude = `
import time, torch
torch.set_num_threads(1)
def per_iter(fn, iters):
    t0 = time.perf_counter()
    for _ in range(iters): fn()
    return (time.perf_counter() - t0) * 1e6 / iters
`;

const workloads: Workload[] = [
  {
    id: "B1a", what: "2x2 add, no grad", unit: "us/op",
    ts: () => { const a = torch.ones(2, 2), b = torch.ones(2, 2); timePerIter(() => a.add(b), 20000); return timePerIter(() => a.add(b), 200000); },
    py: `a = torch.ones(2, 2); b = torch.ones(2, 2)
for _ in range(${REPEATS}):
    per_iter(lambda: a + b, 20000); print(per_iter(lambda: a + b, 200000))`,
  },
  {
    id: "B1b", what: "(a*b + a).sum().backward() on 2x2 leaves", unit: "us/it",
    ts: () => {
      const a = torch.ones(2, 2, { requires_grad: true }), b = torch.ones(2, 2, { requires_grad: true });
      const f = () => a.mul(b).add(a).sum().backward();
      timePerIter(f, 2000); return timePerIter(f, 20000);
    },
    py: `a = torch.ones(2, 2, requires_grad=True); b = torch.ones(2, 2, requires_grad=True)
f = lambda: (a * b + a).sum().backward()
for _ in range(${REPEATS}):
    per_iter(f, 2000); print(per_iter(f, 20000))`,
  },
];

function hasTorch(): boolean {
  try { execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" }); return true; } catch { return false; }
}

const only = process.argv.slice(2);
const torchThere = hasTorch();
const rows: string[] = [];
rows.push("| workload | unit | typetorch (median) | PyTorch (median) | ratio |", "|---|---|---|---|---|");
for (const w of workloads) {
  if (only.length && !only.includes(w.id)) continue;
  const ours = median(Array.from({ length: REPEATS }, w.ts));
  let theirs = NaN;
  if (torchThere) {
    const out = execFileSync("/usr/bin/python3", ["-c", pyPrelude + w.py], {
      encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "2" },
    });
    theirs = median(out.trim().split("\n").map(Number));
  }
  // ratio > 1 means typetorch is better (less time, or more throughput)
  const better = w.unit.startsWith("G") ? ours / theirs : theirs / ours;
  rows.push(`| ${w.id} ${w.what} | ${w.unit} | ${ours.toFixed(2)} | ${Number.isNaN(theirs) ? "n/a" : theirs.toFixed(2)} | ${Number.isNaN(better) ? "n/a" : better.toFixed(2) + "x"} |`);
  console.log(rows[rows.length - 1]);
}
const table = rows.join("\n");
writeFileSync(new URL("./results.md", import.meta.url), `Ratio: how many times better typetorch is (PyTorch time / ours, or our throughput / PyTorch's).\n\n${table}\n`);
console.log("\n" + table);
