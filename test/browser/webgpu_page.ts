// The page test/webgpu_browser.test.ts opens in Chromium: opens the WebGPU device (a browser
// opens it asynchronously), trains on it, checks that a synchronous read throws naming its
// awaitable twin on the page's thread, and posts what it got back to the test's server.

import torch from "typetorch";
import { webgpuWorkload } from "./webgpu_workload.js";

async function main(): Promise<unknown> {
  const available = await torch.webgpu.init();
  if (!available) return { available, why: torch.webgpu.unavailable_reason() };
  let syncRead = "no error";
  try { torch.ones(2, { device: "webgpu" }).sum().item(); } catch (e) { syncRead = (e as Error).message; }
  const losses = await webgpuWorkload("webgpu");
  return { available, name: torch.webgpu.get_device_name(), syncRead, losses, fallbacks: torch.webgpu.stats().fallbacks };
}

main().then(
  (report) => fetch("/result", { method: "POST", body: JSON.stringify(report) }),
  (err: Error) => fetch("/result", { method: "POST", body: JSON.stringify({ failure: `${err.message}\n${err.stack}` }) }),
);
