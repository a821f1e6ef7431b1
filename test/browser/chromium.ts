// Opening a page of typetorch in headless Chromium, for test/browser.test.ts,
// test/webgpu_browser.test.ts and test/demo.test.ts.
//
// Those tests skip, saying why, where no Chromium is installed (apt-get install -y chromium, or set
// CHROMIUM to a Chrome binary).

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import { spawn } from "node:child_process";
import { build, type Plugin } from "esbuild";

const chromium = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
/** Why the browser tests skip here, or false. */
export const chromiumMissing: string | false = existsSync(chromium) ? false : `no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM)`;

/** Test code a page runs asserts with node:assert/strict: in the bundle, ./assert.ts. */
const nodeAssert: Plugin = {
  name: "node-assert",
  setup: (b) => b.onResolve({ filter: /^node:assert\/strict$/ }, () => ({ path: new URL("./assert.ts", import.meta.url).pathname })),
};

/** test/browser/<page>, bundled by esbuild as a user's bundler would. */
export async function bundle(page: string): Promise<string> {
  const out = await build({
    entryPoints: [new URL(`./${page}`, import.meta.url).pathname],
    bundle: true, format: "esm", platform: "browser", target: "es2022", conditions: ["source"], write: false, logLevel: "silent",
    plugins: [nodeAssert],
  });
  return out.outputFiles[0]!.text;
}

/** Serves the page (with the headers that make it cross-origin isolated when `isolated`) and the
 *  `files` it fetches (JSON, by path), opens it in headless Chromium (without a GPU, or with WebGPU
 *  on its software adapter when `webgpu`) and resolves with what it posts back within `ms`. */
export async function runInChromium<Report>(script: string, isolated: boolean, webgpu = false, files: Record<string, string> = {}, ms = 90_000): Promise<Report> {
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
    } else if (req.url! in files) {
      res.setHeader("Content-Type", "application/json");
      res.end(files[req.url!]);
    } else if (req.url === "/page.js") {
      res.setHeader("Content-Type", "text/javascript");
      res.end(script);
    } else {
      res.setHeader("Content-Type", "text/html");
      res.end('<!doctype html><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    return await inChromium(`http://127.0.0.1:${(server.address() as { port: number }).port}/`, webgpu, posted, ms);
  } finally {
    server.close();
  }
}

/** Opens `url` in headless Chromium (without a GPU, or with WebGPU on its software adapter when
 *  `webgpu`) and resolves with `posted` (what the page reports to its server), failing when the
 *  page has not reported within `ms` or Chromium exits first. */
export async function inChromium<Report>(url: string, webgpu: boolean, posted: Promise<Report>, ms = 90_000): Promise<Report> {
  const profile = mkdtempSync(join(tmpdir(), "typetorch-chromium-"));
  const browser = spawn(chromium, [
    "--headless=new", "--no-sandbox", webgpu ? "--enable-unsafe-webgpu" : "--disable-gpu", "--no-first-run", "--disable-extensions",
    `--user-data-dir=${profile}`, url,
  ], { stdio: "ignore", detached: true }); // (its own process group: its helper processes go with it)
  const exited = new Promise<number | null>((r) => browser.on("exit", r));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the page did not report within ${ms / 1000} s`)), ms); });
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
    rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
  }
}
