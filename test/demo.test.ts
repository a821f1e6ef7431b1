// The demo page (npm run demo: demo/server.ts, demo/page.ts) in headless Chromium, in its
// self-test mode: it trains the MNIST model on the page's WebGPU device (Chromium's software
// adapter, SwiftShader) for a few steps, then draws a stroke through the pad's pointer handlers and
// classifies it. The loss must fall, nothing may fall back to the CPU, and the drawing must get a
// prediction; without WebGPU it trains on the WebAssembly engine to the same numbers. Skipped,
// saying why, without Chromium.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inChromium, chromiumMissing } from "./browser/chromium.js";
import { startDemo, digitsSubset } from "../demo/server.js";

interface Report {
  failure?: string; device: string; name: string | null; losses: number[]; accuracy: number | null;
  prediction: { digit: number; probs: number[] } | null; fallbacks: Record<string, number>;
}

const otherPass = process.env["TYPETORCH_BACKEND"] ? "the demo does not depend on Node's CPU backend: it runs in the default pass only" : false;
const skip = otherPass || chromiumMissing;

test("the demo's digits: 200 of each class, labels and pixels in bytes", { skip: otherPass }, () => {
  const bytes = digitsSubset(2);
  const n = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(n, 20);
  assert.equal(bytes.length, 4 + n + n * 784);
  assert.deepEqual([...bytes.subarray(4, 4 + n)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const first = bytes.subarray(4 + n, 4 + n + 784);
  assert.ok(first.some((v) => v === 255) && first.some((v) => v === 0), "a digit's pixels span 0..255");
});

/** The page's self-test in Chromium, with WebGPU (its software adapter) or without (WebAssembly). */
async function selfTest(webgpu: boolean, steps: number): Promise<Report> {
  let resolve!: (r: Report) => void;
  const posted = new Promise<Report>((r) => { resolve = r; });
  const server = await startDemo(0, (r) => resolve(r as Report));
  try {
    const report = await inChromium(`http://127.0.0.1:${(server.address() as { port: number }).port}/?selftest=${steps}`, webgpu, posted);
    assert.equal(report.failure, undefined, report.failure);
    return report;
  } finally {
    server.close();
  }
}

// (SwiftShader computes on the CPU: a step of this MLP takes it about half a second here)
const STEPS = 15;
let onWebGpu: Report | undefined;

test("in Chromium: the demo trains on WebGPU, its loss falls, and a drawn digit gets a prediction", { skip, timeout: 120_000 }, async () => {
  const report = onWebGpu = await selfTest(true, STEPS);
  assert.equal(report.device, "webgpu");
  assert.match(report.name!, /swiftshader/i);
  assert.deepEqual(report.fallbacks, {});
  assert.equal(report.losses.length, STEPS);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [first, lastFew] = [mean(report.losses.slice(0, 5)), mean(report.losses.slice(-5))];
  assert.ok(first > 2 && lastFew < first - 0.2, `the loss went from ${first} to ${lastFew}`);
  const p = report.prediction!;
  assert.ok(p !== null, "the drawing got no prediction");
  assert.ok(Number.isInteger(p.digit) && p.digit >= 0 && p.digit <= 9);
  assert.ok(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-4 && p.probs[p.digit] === Math.max(...p.probs));
});

test("in Chromium without WebGPU: the demo trains on the WebAssembly engine, to the same numbers", { skip, timeout: 120_000 }, async () => {
  const report = await selfTest(false, STEPS);
  assert.equal(report.device, "cpu");
  assert.equal(report.prediction?.digit, onWebGpu?.prediction?.digit);
  report.losses.forEach((l, i) => assert.ok(onWebGpu === undefined || Math.abs(l - onWebGpu.losses[i]!) < 1e-4, `step ${i}: ${l} on the CPU, ${onWebGpu!.losses[i]} on WebGPU`));
});
