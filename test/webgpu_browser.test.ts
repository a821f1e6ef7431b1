// The WebGPU device in a browser: test/browser/webgpu_page.ts, bundled as a user's bundler would,
// runs in headless Chromium on its software WebGPU adapter (SwiftShader) and must train as Node's
// CPU does (test/browser/webgpu_workload.ts, run here); and the op database's cases that run on a
// device (ops, shape, math, linalg: every one, about twenty seconds on SwiftShader) run in the page
// (test/browser/opdb_page.ts) against PyTorch's results, each case a test here. Skipped, saying why,
// without Chromium.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { bundle, runInChromium, chromiumMissing } from "./browser/chromium.js";
import { webgpuWorkload } from "./browser/webgpu_workload.js";
import type { OpDbReport } from "./browser/opdb_page.js";

interface Report { failure?: string; available: boolean; why?: string; name?: string; syncRead?: string; losses?: number[]; fallbacks?: Record<string, number> }

const skip = process.env["TYPETORCH_BACKEND"] ? "the device's kernels do not depend on the CPU backend: they run in the default pass only" : chromiumMissing;

test("in Chromium: the WebGPU device trains as the CPU does, reading without blocking", { skip, timeout: 180_000 }, async () => {
  const report = await runInChromium<Report>(await bundle("webgpu_page.ts"), false, true);
  assert.equal(report.failure, undefined, report.failure);
  assert.ok(report.available, `no WebGPU adapter in Chromium: ${report.why}`);
  assert.match(report.name!, /swiftshader/i);
  assert.match(report.syncRead!, /needs a thread that may block .* here use the awaitable twins \(await x\.item_async\(\)/);
  assert.deepEqual(report.fallbacks, {});
  const cpu = await webgpuWorkload("cpu");
  report.losses!.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-5, `step ${i}: ${l} in the browser, ${cpu[i]} on Node's CPU`));
});

// (about 20 s on an idle machine, most of it SwiftShader compiling each case's kernels; the page
// gets 4 minutes, for a machine busy with the other test files)
test("in Chromium: the op database on the WebGPU device", { skip, timeout: 300_000 }, async (t) => {
  // the golden files as written (JSON.stringify would turn their -0 into 0)
  const files = Object.fromEntries(["ops.json", "shape.json", "math.json", "linalg.json"]
    .map((f) => [`/golden/${f}`, readFileSync(new URL(`./golden/${f}`, import.meta.url), "utf8")]));
  const report = await runInChromium<OpDbReport>(await bundle("opdb_page.ts"), true, true, files, 240_000);
  assert.equal(report.failure, undefined, report.failure);
  assert.ok(report.available, `no WebGPU adapter in Chromium: ${report.why}`);
  assert.match(report.name!, /swiftshader/i);
  assert.ok(report.cases.length > 1000, `${report.cases.length} cases ran`);
  const f = report.fallbacks;
  t.diagnostic(`${report.cases.length} cases in ${Math.round(report.ms)} ms; ${Object.keys(f).length} ops fell back: ${Object.keys(f).sort().join(", ")}`);
  assert.deepEqual(f, {}, "every case runs on the device's kernels, none through the CPU");
  for (const c of report.cases) await t.test(`${c.file}: ${c.name}`, () => assert.equal(c.error, undefined, c.error));
});
