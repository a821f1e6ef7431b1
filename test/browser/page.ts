// The script of the page test/browser.test.ts opens in Chromium: it waits for the WebAssembly
// engine and its workers (a browser starts them asynchronously), runs the shared workload, and
// posts what it got, and what engine it ran on, back to the test's server.

import { workload } from "./workload.js";
import { getEngine } from "../../src/backends/wasm/runtime.js";

async function main(): Promise<unknown> {
  const deadline = performance.now() + 10_000;
  let threads = 1;
  // A browser compiles and starts workers in the background: wait until both threads are there,
  // or the page cannot share memory (not cross-origin isolated) and the engine runs on one.
  while (performance.now() < deadline) {
    const e = getEngine();
    threads = e ? e.threads(2) : 0;
    if (e && (threads === 2 || !crossOriginIsolated)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const e = getEngine();
  return { engine: { wasm: e !== null, relaxed: e?.relaxed ?? false, threads, isolated: crossOriginIsolated }, result: workload() };
}

main().then(
  (report) => fetch("/result", { method: "POST", body: JSON.stringify(report) }),
  (err: Error) => fetch("/result", { method: "POST", body: JSON.stringify({ failure: `${err.message}\n${err.stack}` }) }),
);
