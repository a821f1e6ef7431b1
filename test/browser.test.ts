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
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, availableParallelism } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import { spawn } from "node:child_process";
import { build } from "esbuild";
import { workload, type WorkloadResult } from "./browser/workload.js";

const chromium = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
const skip = existsSync(chromium) ? false : `no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM)`;

interface Report {
  failure?: string;
  engine: { wasm: boolean; relaxed: boolean; threads: number; isolated: boolean };
  result: WorkloadResult;
}

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [new URL("./browser/page.ts", import.meta.url).pathname],
    bundle: true, format: "esm", platform: "browser", target: "es2022", conditions: ["source"], write: false, logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/** Serves the page (with the headers that make it cross-origin isolated when `isolated`), opens
 *  it in headless Chromium and resolves with what it posts back. */
async function runInChromium(script: string, isolated: boolean): Promise<Report> {
  let resolve!: (r: Report) => void;
  const posted = new Promise<Report>((r) => { resolve = r; });
  const server: Server = createServer((req, res) => {
    if (isolated) {
      res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
      res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    }
    if (req.method === "POST" && req.url === "/result") {
      let body = "";
      req.on("data", (c: Buffer) => { body += c.toString(); });
      req.on("end", () => { res.end(); resolve(JSON.parse(body) as Report); });
    } else if (req.url === "/page.js") {
      res.setHeader("Content-Type", "text/javascript");
      res.end(script);
    } else {
      res.setHeader("Content-Type", "text/html");
      res.end('<!doctype html><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), "typetorch-chromium-"));
  const browser = spawn(chromium, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
    `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`,
  ], { stdio: "ignore", detached: true }); // (its own process group: its helper processes go with it)
  const exited = new Promise<number | null>((r) => browser.on("exit", r));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("the page did not report within 90 s")), 90_000); });
  try {
    return await Promise.race([posted, timeout,
      exited.then((code) => { throw new Error(`Chromium exited (${code}) before the page reported`); })]);
  } finally {
    clearTimeout(timer);
    // Chromium and its helper processes write the profile until they are gone
    const group = (signal: NodeJS.Signals) => { try { process.kill(-browser.pid!, signal); } catch { /* gone */ } };
    group("SIGTERM");
    await exited;
    group("SIGKILL");
    server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
  }
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
  const report = await runInChromium(await bundle(), true);
  assert.equal(report.failure, undefined, report.failure);
  assert.deepEqual(report.engine, { wasm: true, relaxed: true, threads: Math.min(2, availableParallelism()), isolated: true });
  sameResult(report.result, workload());
});

test("in Chromium, not isolated: no shared memory, so the same kernels on one thread", { skip, timeout: 180_000 }, async () => {
  const report = await runInChromium(await bundle(), false);
  assert.equal(report.failure, undefined, report.failure);
  assert.deepEqual(report.engine, { wasm: true, relaxed: true, threads: 1, isolated: false });
  sameResult(report.result, workload());
});
