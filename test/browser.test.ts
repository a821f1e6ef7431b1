// typetorch in a browser: test/browser/page.ts, bundled by esbuild as a user's bundler would, runs
// in headless Chromium and must compute what Node computes (test/browser/workload.ts, run here in
// this process). Twice: on a cross-origin isolated page, where the WebAssembly engine shares its
// memory with worker threads, and on a plain page, where it must fall back to one thread.
//
// Skipped, saying why, where no Chromium is installed (apt-get install -y chromium, or set
// CHROMIUM to a Chrome binary): CI's clean machine has none, and installing a browser there for
// one test would make every run depend on a 100 MB download.

import assert from "node:assert/strict";
import { test } from "node:test";
import { availableParallelism } from "node:os";
import { workload, type WorkloadResult } from "./browser/workload.js";
import { bundle, runInChromium, chromiumMissing as skip } from "./browser/chromium.js";

interface Report {
  failure?: string;
  engine: { wasm: boolean; relaxed: boolean; threads: number; isolated: boolean };
  result: WorkloadResult;
}

/** Equal within float32 rounding of different summation orders (FMA or not, blocked or not). */
function near(got: number[], want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => {
    const w = want[i]!;
    assert.ok(Math.abs(g - w) <= 1e-3 + 1e-4 * Math.abs(w), `${what}[${i}]: browser ${g}, Node ${w}`);
  });
}

function sameResult(got: WorkloadResult, want: WorkloadResult): void {
  near(got.matmul, want.matmul, "matmul");
  near(got.conv.out, want.conv.out, "conv2d + relu + max_pool2d");
  near(got.conv.grad_x, want.conv.grad_x, "conv x.grad");
  near(got.conv.grad_w, want.conv.grad_w, "conv w.grad");
  near(got.losses, want.losses, "training losses");
  assert.equal(got.repr, want.repr);
  assert.equal(got.error, want.error);
  assert.equal(got.threads, want.threads);
}

test("in Chromium, cross-origin isolated: WebAssembly kernels on worker threads, Node's numbers", { skip, timeout: 180_000 }, async () => {
  const report = await runInChromium<Report>(await bundle("page.ts"), true);
  assert.equal(report.failure, undefined, report.failure);
  assert.deepEqual(report.engine, { wasm: true, relaxed: true, threads: Math.min(2, availableParallelism()), isolated: true });
  sameResult(report.result, workload());
});

test("in Chromium, not isolated: no shared memory, so the same kernels on one thread", { skip, timeout: 180_000 }, async () => {
  const report = await runInChromium<Report>(await bundle("page.ts"), false);
  assert.equal(report.failure, undefined, report.failure);
  assert.deepEqual(report.engine, { wasm: true, relaxed: true, threads: 1, isolated: false });
  sameResult(report.result, workload());
});
