// The page test/webgpu_browser.test.ts opens in Chromium to run the op database on the page's
// WebGPU device (navigator.gpu). The cases read values synchronously (item(), tolist()), which a
// browser allows only off the main thread of a cross-origin-isolated page: so the page starts this
// same script as a worker, which runs each case of the golden files the test serves that runs on a
// device, as Node's runner does (../opdb_cases.ts: the device's values and gradients against
// PyTorch's CPU results, float32 tolerances), and posts each case's outcome to the test's server.
import torch from "typetorch";
import { type OpCase, runCase, runsOnDevice, WEBGPU } from "../opdb_cases.js";
import type { OpFn } from "../opdb.js";
import { OPS } from "../opdb.js";
import { OPS_SHAPE } from "../opdb_shape.js";
import { OPS_MATH } from "../opdb_math.js";
import { OPS_LINALG } from "../opdb_linalg.js";

/** Each golden file's op table. */
const TABLES: Record<string, Record<string, OpFn>> = { "ops.json": OPS, "shape.json": OPS_SHAPE, "math.json": OPS_MATH, "linalg.json": OPS_LINALG };

/** What the page posts: the adapter, and each case run (its file and name; the error it raised). */
export interface OpDbReport {
  failure?: string; available: boolean; why?: string; name?: string; isolated?: boolean;
  cases: { file: string; name: string; error?: string }[];
  fallbacks: Record<string, number>; ms: number;
}

async function runCases(): Promise<OpDbReport> {
  const start = performance.now();
  const available = await torch.webgpu.init();
  if (!available) return { available, why: torch.webgpu.unavailable_reason()!, cases: [], fallbacks: {}, ms: 0 };
  const cases: OpDbReport["cases"] = [];
  for (const [file, ops] of Object.entries(TABLES)) {
    const golden = await (await fetch(`/golden/${file}`)).json() as { cases: OpCase[] };
    for (const c of golden.cases.filter(runsOnDevice)) {
      try { runCase(c, ops, WEBGPU); cases.push({ file, name: c.name }); }
      catch (e) { cases.push({ file, name: c.name, error: (e as Error).message }); }
    }
  }
  return { available, name: torch.webgpu.get_device_name(), isolated: crossOriginIsolated, cases, fallbacks: torch.webgpu.stats().fallbacks, ms: performance.now() - start };
}

const post = (report: unknown) => fetch("/result", { method: "POST", body: JSON.stringify(report) });
const failed = (err: Error) => post({ failure: `${err.message}\n${err.stack}` });

if (typeof window === "undefined") runCases().then(post, failed);
else {
  const worker = new Worker("/page.js", { type: "module" });
  worker.addEventListener("error", (e) => void failed(new Error(`the worker failed: ${e.message}`)));
}
