// npm run bench:profile [-- B7 B8] [--rows N] [--threads N] [--steps N]: where a training step of
// B7 (the small GPT) and B8 (the word-language-model LSTM) spends its time, per op: one step (or
// --steps of them, which evens out the collections and page faults that land in one), after
// three warm-up steps, under typetorch's profiler and then under PyTorch's (bench/python.ts picks which
// PyTorch), on the same number of threads (2 unless --threads says otherwise; on a loaded machine
// one thread each gives the steadier per-op times, as no op then waits for a second thread).
// Prints each profiler's key_averages() table sorted by self CPU time, then the same grouped by
// input shapes. bench/profile_b7_b8.md is made from its output.

import torch from "typetorch";
import { gpt, wordLm, type ModelWorkload } from "./models.js";
import { python, torchVersion, runPython } from "./python.js";

const args = process.argv.slice(2);
const option = (name: string, byDefault: number): number => { const at = args.indexOf(name); return at >= 0 ? Number(args[at + 1]) : byDefault; };
const rows = option("--rows", 30);
const THREADS = option("--threads", 2);
const STEPS = option("--steps", 1);
const names = args.filter((a) => /^B\d$/.test(a));
const models: [string, ModelWorkload][] = [["B7", gpt], ["B8", wordLm]];

torch.set_num_threads(THREADS);
const torchVer = torchVersion();
const steps = STEPS === 1 ? "one step" : `${STEPS} steps`;

for (const [id, m] of models) {
  if (names.length && !names.includes(id)) continue;
  const step = m.ts();
  for (let i = 0; i < 3; i++) step();
  const t0 = performance.now();
  const prof = torch.profiler.profile({ record_shapes: true }, () => { for (let i = 0; i < STEPS; i++) step(); });
  console.log(`## ${id} in typetorch on ${torch.backends.cpu.get_cpu_capability()}, ${THREADS} thread${THREADS > 1 ? "s" : ""} (${steps}, ${(performance.now() - t0).toFixed(0)} ms under the profiler)\n`);
  console.log(prof.key_averages().table({ sort_by: "self_cpu_time_total", row_limit: rows }));
  console.log(prof.key_averages(true).table({ sort_by: "self_cpu_time_total", row_limit: rows }));
  if (torchVer === null) { console.log(`(no PyTorch: ${python} has none)\n`); continue; }
  console.log(`## ${id} in PyTorch ${torchVer} (${python}), ${THREADS} thread${THREADS > 1 ? "s" : ""}\n`);
  console.log(runPython(`import time, torch
import torch.nn as nn
from torch.profiler import profile, ProfilerActivity
torch.set_num_threads(${THREADS})
torch.manual_seed(0)
${m.py}
for _ in range(3):
    step()
t0 = time.perf_counter()
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    for _ in range(${STEPS}):
        step()
print(f"(${steps}, {(time.perf_counter() - t0) * 1000:.0f} ms under the profiler)\\n")
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=${rows}))
print(prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=${rows}))
`, { OMP_NUM_THREADS: String(THREADS) }));
}
