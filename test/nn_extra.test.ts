// The less common nn layers and functionals against PyTorch: test/golden/nn_extra.json
// (tools/gen_golden_nn_extra.py). GLU, Softshrink, Hardshrink, RReLU (seeded training draws),
// Softmax2d, pairwise_distance, channel_shuffle, embedding_bag and the hinge, soft-margin,
// multi-label, multi-margin, Poisson, Gaussian and triplet losses: values, grad_fn names,
// gradients for PyTorch's grad_outputs, float32 and float64, 0-d, empty and non-contiguous inputs, every reduction, the
// modules' forwards, reprs and default initialisation, and PyTorch's error messages; float64
// cases also pass gradcheck, and gradgradcheck where PyTorch's does.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, fromGolden, assertClose, valuesOf, decodeNumber } from "./helpers.js";

// (the public functions, parsed: the keyword forms are the parser's)
const F = torch.nn.functional;

interface Spec { t: GoldenTensor; view: null | "t" | "n"; grad: boolean }
type Value = Spec | number | boolean | string | null | number[];
interface Case {
  name: string; fn: string; args: Value[]; kwargs: Record<string, Value>; seed: number | null; inplace: boolean;
  out: GoldenTensor; grad_fn: string | null; w: GoldenTensor; grads: (GoldenTensor | null)[]; gradcheck: boolean;
  gradgradcheck?: boolean; // (float64: whether PyTorch's gradgradcheck passes; ours runs where it does)
}
interface ErrorCase { name: string; fn: string; args: Value[]; kwargs: Record<string, Value>; error: string }
interface ModuleSpec { module: string; args: Value[]; kwargs: Record<string, Value> }
interface ModuleCase extends ModuleSpec {
  name: string; train: boolean; seed: number | null; inputs: Value[]; out: GoldenTensor; grad_fn: string | null;
  w: GoldenTensor; grads: (GoldenTensor | null)[]; param_grads: GoldenTensor[];
}
interface ModuleError extends ModuleSpec { inputs: Value[] | null; error: string }
interface InitCase { seed: number; num_embeddings: number; embedding_dim: number; kwargs: Record<string, unknown>; weight: GoldenTensor }

const golden = readGolden<{
  cases: Case[]; errors: ErrorCase[]; modules: ModuleCase[]; reprs: (ModuleSpec & { repr: string })[]; module_errors: ModuleError[]; init: InitCase[];
}>("nn_extra.json");

const Fn = F as unknown as Record<string, (...a: unknown[]) => Tensor>;
const NN = torch.nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>;
const isSpec = (v: unknown): v is Spec => typeof v === "object" && v !== null && !Array.isArray(v) && "t" in v;

// the distance functions the generator names (tools/gen_golden_nn_extra.py, DISTANCES)
const DISTANCES: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  cosine: (a, b) => F.cosine_similarity(a, b).rsub(1),
  l1: (a, b) => F.pairwise_distance(a, b, { p: 1 }),
};

function view(t: Tensor, v: Spec["view"]): Tensor {
  return v === "t" ? t.transpose(-1, -2) : v === "n" ? t.narrow(0, 1, t.shape[0]! - 1) : t;
}

/** Decoded arguments: the values the function sees, and the stored leaves behind them in the
 *  generator's order (positional arguments, then keyword arguments). */
class Args {
  leaves: { leaf: Tensor; spec: Spec }[] = [];
  value(v: Value, leaf?: Tensor): unknown {
    if (!isSpec(v)) return v;
    const l = leaf ?? fromGolden(v.t, { requires_grad: v.grad });
    this.leaves.push({ leaf: l, spec: v });
    return view(l, v.view);
  }
  kwargs(kw: Record<string, Value>, leaves?: Tensor[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kw)) {
      if (k === "distance_function" && typeof v === "string") out[k] = DISTANCES[v];
      else if (v === "inf" || v === "-inf" || v === "nan") out[k] = decodeNumber(v); // (non-finite floats, as the generator writes them)
      else out[k] = this.value(v, isSpec(v) ? leaves?.shift() : undefined);
    }
    return out;
  }
}

/** Calls F.<fn> as the case does; `leaves` replaces the stored leaves (for gradcheck). */
function callCase(c: Case | ErrorCase, leaves?: Tensor[]): { out: Tensor; args: Args } {
  const a = new Args(), pool = leaves?.slice();
  const pos = c.args.map((v) => a.value(v, isSpec(v) ? pool?.shift() : undefined));
  const kw = a.kwargs(c.kwargs, pool);
  if ("seed" in c && c.seed !== null) torch.manual_seed(c.seed);
  if ("inplace" in c && c.inplace) {
    const z = (pos[0] as Tensor).mul(1);
    const out = Fn[c.fn]!(z, ...pos.slice(1), { ...kw, inplace: true });
    assert.ok(out === z, "in place: the result is the input tensor");
    return { out, args: a };
  }
  return { out: Fn[c.fn]!(...pos, kw), args: a };
}

function checkGrads(what: string, out: Tensor, wrt: Tensor[], w: GoldenTensor, expected: (GoldenTensor | null)[]): void {
  const gs = wrt.length && out.requires_grad ? torch.autograd.grad(out, wrt, { grad_outputs: fromGolden(w), allow_unused: true }) : wrt.map(() => null);
  expected.forEach((e, i) => {
    const g = gs[i] ?? null;
    if (e === null) assert.ok(g === null || valuesOf(g).every((v) => v === 0), `${what}: grad ${i} is not zero`);
    else assertClose(g!, e, `${what}: grad ${i}`);
  });
}

// PyTorch's deprecation warnings (kl_div-style) stay out of the test output
const warn = console.warn;
console.warn = (...a: unknown[]) => { if (!String(a[0]).startsWith("UserWarning")) warn(...a); };

for (const c of golden.cases) {
  test(`F.${c.fn}: ${c.name}`, () => {
    const { out, args } = callCase(c);
    assertClose(out, c.out, "output");
    assert.equal(out.grad_fn?.name() ?? null, c.grad_fn, "grad_fn");
    const diff = args.leaves.filter((l) => l.spec.grad);
    checkGrads(c.name, out, diff.map((l) => l.leaf), c.w, c.grads.filter((_, i) => args.leaves[i]!.spec.grad));
    if (c.out.dtype === "float64" && c.gradcheck && diff.length && out.numel() > 0) {
      const all = args.leaves.map((l) => l.leaf.detach().clone().requires_grad_(l.spec.grad));
      const fn = (...ts: Tensor[]) => {
        let j = 0;
        return callCase(c, all.map((l, i) => (args.leaves[i]!.spec.grad ? ts[j++]! : l))).out;
      };
      const inputs = all.filter((_, i) => args.leaves[i]!.spec.grad);
      assert.ok(torch.autograd.gradcheck(fn, inputs));
      if (c.gradgradcheck) assert.ok(torch.autograd.gradgradcheck(fn, inputs));
    }
  });
}

test("errors carry PyTorch's messages and change nothing", () => {
  for (const c of golden.errors) {
    const a = new Args();
    const pos = c.args.map((v) => a.value(v)), kw = a.kwargs(c.kwargs);
    const before = a.leaves.map((l) => valuesOf(l.leaf));
    assert.throws(() => Fn[c.fn]!(...pos, kw), (e: Error) => {
      assert.equal(e.message, c.error, c.name);
      return true;
    });
    a.leaves.forEach((l, i) => assert.deepEqual(valuesOf(l.leaf), before[i], `${c.name}: argument ${i} changed`));
  }
});

function buildModule(s: ModuleSpec, a = new Args()): torch.nn.Module {
  const pos = s.args.map((v) => a.value(v));
  const kw = a.kwargs(s.kwargs);
  return new NN[s.module]!(...pos, ...(Object.keys(kw).length ? [kw] : []));
}

for (const c of golden.modules) {
  test(`nn.${c.module}: ${c.name}`, () => {
    const m = buildModule(c);
    if (!c.train) m.eval();
    const a = new Args();
    const xs = c.inputs.map((v) => a.value(v));
    if (c.seed !== null) torch.manual_seed(c.seed);
    const out = m.forward(...xs) as Tensor;
    assertClose(out, c.out, "output");
    assert.equal(out.grad_fn?.name() ?? null, c.grad_fn, "grad_fn");
    const params = [...m.named_parameters()].map(([, p]) => p as Tensor);
    const diff = a.leaves.filter((l) => l.spec.grad).map((l) => l.leaf);
    checkGrads(c.name, out, [...diff, ...params], c.w, [...c.grads.filter((_, i) => a.leaves[i]!.spec.grad), ...c.param_grads]);
  });
}

test("reprs as PyTorch prints them", () => {
  for (const r of golden.reprs) assert.equal(String(buildModule(r)), r.repr);
});

test("module errors carry PyTorch's messages", () => {
  for (const c of golden.module_errors) {
    assert.throws(() => {
      const m = buildModule(c);
      if (c.inputs) m.forward(...c.inputs.map((v) => new Args().value(v)));
    }, (e: Error) => {
      assert.equal(e.message, c.error, c.module);
      return true;
    });
  }
});

test("EmbeddingBag's default initialisation draws PyTorch's numbers", () => {
  for (const c of golden.init) {
    torch.manual_seed(c.seed);
    const m = new torch.nn.EmbeddingBag(c.num_embeddings, c.embedding_dim, c.kwargs);
    assertClose(m.weight, c.weight, `EmbeddingBag ${JSON.stringify(c.kwargs)}`);
  }
});

test("positional arguments as in PyTorch", () => {
  const x = torch.linspace(-2, 2, 12, { dtype: torch.float64 }).reshape(3, 4);
  const y = torch.linspace(1, -1, 12, { dtype: torch.float64 }).reshape(3, 4);
  const t = torch.tensor([0n, 3n, 1n]);
  assert.ok(F.glu(x, 1).equal(F.glu(x, { dim: 1 })));
  assert.ok(F.softshrink(x, 0.3).equal(F.softshrink(x, { lambd: 0.3 })));
  assert.ok(F.hardshrink(x, 0.3).equal(F.hardshrink(x, { lambd: 0.3 })));
  assert.ok(F.rrelu(x, 0.1, 0.3).equal(F.rrelu(x, { lower: 0.1, upper: 0.3 })));
  torch.manual_seed(3);
  const r1 = F.rrelu(x, 0.1, 0.3, true);
  torch.manual_seed(3);
  assert.ok(r1.equal(F.rrelu(x, { lower: 0.1, upper: 0.3, training: true })));
  assert.ok(F.pairwise_distance(x, y, 1, 1e-3, true).equal(F.pairwise_distance(x, y, { p: 1, eps: 1e-3, keepdim: true })));
  // (the optional parameters of nn.functional's Python-level losses are typed in the options form;
  // PyTorch's positions work too)
  assert.ok(Fn.triplet_margin_loss!(x, y, x.flip(0), 0.5, 1).equal(F.triplet_margin_loss(x, y, x.flip(0), { margin: 0.5, p: 1 })));
  assert.ok(Fn.multi_margin_loss!(x, t, 2, 0.5).equal(F.multi_margin_loss(x, t, { p: 2, margin: 0.5 })));
  assert.ok(Fn.hinge_embedding_loss!(x, y.sign(), 0.5).equal(F.hinge_embedding_loss(x, y.sign(), { margin: 0.5 })));
  const counts = torch.tensor([[0, 1, 2, 3], [4, 0, 1, 2], [3, 4, 0, 1]], { dtype: torch.float64 });
  assert.ok(Fn.poisson_nll_loss!(x.abs(), counts, false, true).equal(F.poisson_nll_loss(x.abs(), counts, { log_input: false, full: true })));
  assert.ok(Fn.gaussian_nll_loss!(x, y, 0.5, true).equal(F.gaussian_nll_loss(x, y, 0.5, { full: true })));
  const w = torch.randn(10, 3), idx = torch.tensor([1n, 2n, 4n, 5n]), off = torch.tensor([0n, 2n]);
  assert.ok(Fn.embedding_bag!(idx, w, off, null, 2, false, "sum").equal(F.embedding_bag(idx, w, { offsets: off, mode: "sum" })));
  assert.ok(F.channel_shuffle(x.reshape(1, 4, 3), 2).equal(F.channel_shuffle(x.reshape(1, 4, 3), { groups: 2 })));
  assert.ok(new torch.nn.PairwiseDistance(1, { keepdim: true }).forward(x, y).equal(F.pairwise_distance(x, y, { p: 1, keepdim: true })));
  assert.equal(String(new torch.nn.RReLU({ upper: 0.5 })), "RReLU(lower=0.125, upper=0.5)");
});

test("modules are callable; F.rrelu_ writes in place", () => {
  const x = torch.tensor([[-1, 2, -3, 4]], { dtype: torch.float64 });
  const glu = new torch.nn.GLU() as unknown as (t: Tensor) => Tensor;
  assert.ok(glu(x).equal(F.glu(x)));
  const z = x.clone();
  assert.ok(F.rrelu_(z) === z);
  assert.deepEqual(z.tolist(), [[-0.22916666666666666, 2, -0.6875, 4]]);
  const leaf = torch.tensor([-1, 2], { requires_grad: true });
  assert.throws(() => F.rrelu(leaf, { inplace: true }), /a leaf Variable that requires grad is being used in an in-place operation/);
  assert.deepEqual(leaf.tolist(), [-1, 2]);
});

test("double backward through the dedicated derivatives", () => {
  const x = torch.tensor([[0.3, -1.2, 2.0, 0.7], [-0.4, 1.1, -2.2, 0.9]], { dtype: torch.float64, requires_grad: true });
  const t = torch.tensor([2n, 0n]);
  const y = torch.tensor([[1, -1, 1, 1], [-1, -1, 1, -1]], { dtype: torch.float64 });
  for (const f of [
    (a: Tensor) => F.glu(a),
    (a: Tensor) => F.soft_margin_loss(a, y),
    (a: Tensor) => F.multi_margin_loss(a, t, { p: 2, margin: 1.5 }),
    (a: Tensor) => F.pairwise_distance(a, a.flip(1), { p: 3 }),
    (a: Tensor) => F.gaussian_nll_loss(a, y, a.exp()),
  ]) assert.ok(torch.autograd.gradgradcheck(f, [x]));
});
