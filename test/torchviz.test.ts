// torchviz.make_dot: the DOT text of the graphs of tools/gen_golden_torchviz.py, built the same
// way, against what torchviz's make_dot gave for them under PyTorch 2.x
// (test/golden/torchviz.json). Node names are identities on both sides (Python's id()s, our
// counters): they are renamed in order of first appearance before comparing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import torch, { nn, type Tensor } from "typetorch";
import { readGolden } from "./helpers.js";

const G = readGolden<Record<string, string>>("torchviz.json");
const make_dot = torch.torchviz.make_dot;

/** The DOT text with node names renamed n1, n2, ... in order of first appearance. */
function normalize(src: string): string {
  const names = new Map<string, string>();
  return src.replace(/^(\t)(\d+)(?: -> (\d+))?/gm, (_, tab: string, a: string, b?: string) => {
    const n = (x: string) => names.get(x) ?? (names.set(x, `n${names.size + 1}`), names.get(x)!);
    return b === undefined ? `${tab}${n(a)}` : `${tab}${n(a)} -> ${n(b)}`;
  });
}

class Exp extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.save_for_backward(x, y);
    return y;
  }
  static override backward(ctx: torch.autograd.FunctionCtx, g: Tensor): Tensor {
    return g.mul(ctx.saved_tensors[1]!);
  }
}

function mlp(withParams: boolean) {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 1));
  const y = model.forward(torch.ones(2, 3)).mean();
  return make_dot(y, withParams ? Object.fromEntries(model.named_parameters()) : null);
}

const CASES: Record<string, () => torch.torchviz.Digraph> = {
  expr: () => {
    const x = torch.ones(3, { requires_grad: true });
    return make_dot(x.mul(2).add(1).sum(), { x });
  },
  mlp: () => mlp(true),
  mlp_no_params: () => mlp(false),
  outputs_and_views: () => {
    const a = torch.ones(2, 3, { requires_grad: true });
    const b = a.exp();
    return make_dot([b.index(0), b.sum()], { a });
  },
  custom: () => {
    const x = torch.ones(2, { requires_grad: true });
    return make_dot((Exp.apply(x) as Tensor).sum(), { x });
  },
  chain: () => {
    let y = torch.ones(1, { requires_grad: true });
    for (let i = 0; i < 45; i++) y = y.sin();
    return make_dot(y);
  },
};

test("make_dot gives torchviz's DOT text", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(G).sort());
  for (const [name, build] of Object.entries(CASES)) {
    assert.equal(normalize(build().source), normalize(G[name]!), name);
  }
});

test("Digraph.pipe renders SVG with Graphviz's dot where it is installed", (t) => {
  const g = CASES.expr!();
  assert.equal(String(g), g.source);
  if (spawnSync("dot", ["-V"]).error) {
    assert.throws(() => g.pipe("svg", "utf-8"), { message: "failed to execute PosixPath('dot'), make sure the Graphviz executables are on your systems' PATH" });
    t.diagnostic("Graphviz's dot is not installed: SVG not rendered");
    return;
  }
  const svg = g.pipe("svg", "utf-8");
  assert.match(svg, /<svg/);
  assert.match(svg, />SumBackward0</);
});
