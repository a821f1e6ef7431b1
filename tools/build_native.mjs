// npm's install step for the native CPU engine (src/backends/native): compiles the addon with
// node-gyp, which npm ships. Nothing is downloaded: the headers are the ones of the Node that runs
// this (official builds keep them in <prefix>/include/node, as Debian's nodejs-dev/libnode-dev do).
// Where the build cannot run (no compiler, no headers), the install still succeeds: typetorch
// then runs on its WebAssembly kernels and says why once, on first import
// (build/native-unavailable.txt holds the reason).
//
//   node tools/build_native.mjs            build (as `npm install` / `npm rebuild` run it)
//   TYPETORCH_SKIP_NATIVE=1 npm install    skip it

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const reasonFile = join(root, "build", "native-unavailable.txt");

function giveUp(reason) {
  mkdirSync(join(root, "build"), { recursive: true });
  writeFileSync(reasonFile, reason + "\n");
  console.log(`typetorch: the native CPU engine was not built (${reason}); the WebAssembly engine will run instead`);
  process.exit(0);
}

if (process.env.TYPETORCH_SKIP_NATIVE) giveUp("TYPETORCH_SKIP_NATIVE was set");

// node-gyp: npm's own copy (npm tells scripts where it is), else one next to npm
const npmGyp = process.env.npm_config_node_gyp;
const candidates = [npmGyp, join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")];
const gyp = candidates.find((p) => p && existsSync(p));
if (!gyp) giveUp("node-gyp was not found (it comes with npm)");

// the headers of this Node, so that node-gyp never downloads them
const args = [gyp, "rebuild"];
if (!process.env.npm_config_nodedir) {
  const prefix = resolve(dirname(process.execPath), "..");
  for (const dir of [prefix, "/usr", "/usr/local"]) {
    if (existsSync(join(dir, "include", "node", "node_api.h"))) { args.push(`--nodedir=${dir}`); break; }
  }
}

const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (r.status !== 0) {
  const out = `${r.stdout}\n${r.stderr}`;
  mkdirSync(join(root, "build"), { recursive: true });
  writeFileSync(join(root, "build", "native-build.log"), out);
  const compileError = /^[^\n]*: error: [^\n]*/m.exec(out)?.[0].trim();
  const reason = /not found: (make|cc|gcc|c\+\+|g\+\+)|command not found|No such file or directory.*(cc|make)/i.test(out) ? "no C compiler or make was found"
    : /find Python|python/i.test(out) && /not found|could not find|can't find/i.test(out) ? "Python 3, which node-gyp needs, was not found"
    // (every log names common.gypi: only a missing one, or a failed download of the headers, says so)
    : /(node_api\.h|common\.gypi)[^\n]*(No such file|not found)|ERR![^\n]*download/i.test(out) ? "Node's headers were not found (install them, e.g. Debian's libnode-dev, or set npm_config_nodedir)"
    : compileError ? `the C compiler stopped at ${compileError} (build/native-build.log has the rest)`
    : "node-gyp failed: see build/native-build.log";
  giveUp(reason);
}
rmSync(reasonFile, { force: true });
console.log("typetorch: built the native CPU engine (build/Release/typetorch_native.node)");
buildGloo();

// torch.distributed's Gloo bindings (binding.gyp's typetorch_gloo target), built second and only
// where Gloo's headers are (Debian: apt-get install -y libgloo-dev), so that their absence or a
// failure here leaves the engine above in place; build/gloo-unavailable.txt says why not.
function buildGloo() {
  const glooReason = join(root, "build", "gloo-unavailable.txt");
  const headers = ["/usr/include", "/usr/local/include", ...(process.env.CPATH ?? "").split(":").filter(Boolean)]
    .some((dir) => existsSync(join(dir, "gloo", "allreduce.h")));
  let reason = headers ? null : "Gloo's headers were not found (Debian: apt-get install -y libgloo-dev, then npm rebuild typetorch)";
  // configure again with the Gloo target on, then make: the engine's objects are up to date
  for (const step of headers ? [["configure", ...args.slice(2), "--", "-Dwith_gloo=1"], ["build"]] : []) {
    const s = spawnSync(process.execPath, [gyp, ...step], { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (s.status === 0) continue;
    writeFileSync(join(root, "build", "gloo-build.log"), `${s.stdout}\n${s.stderr}`);
    reason = "building against Gloo failed: see build/gloo-build.log";
    break;
  }
  if (reason === null) {
    rmSync(glooReason, { force: true });
    console.log("typetorch: built torch.distributed's Gloo bindings (build/Release/typetorch_gloo.node)");
  } else {
    writeFileSync(glooReason, reason + "\n");
    console.log(`typetorch: torch.distributed's Gloo backend was not built (${reason})`);
  }
}
