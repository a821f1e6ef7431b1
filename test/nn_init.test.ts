// PyTorch's numbers from seeded nn code: default initialisation of every layer after
// torch.manual_seed(0), the nn.init functions, forward and backward passes of seeded models,
// Embedding, Dropout's masks and gradient clipping. Golden data: test/golden/nn_modules.json
// (tools/gen_golden_nn.py, real PyTorch).
//
// Exactness: everything drawn with uniform_ (Linear, Bilinear, kaiming_uniform_, xavier_uniform_ …)
// must be bit-identical to PyTorch, and so must normal_ on float32 tensors of 16 or more elements
// (src/core/random.ts reproduces PyTorch's AVX2 path); normal_ on fewer elements or in float64
// goes through libm's log/sin/cos, where PyTorch's glibc may differ from V8 in the last bit
// (test/random.test.ts). Those cases ("exact": false) are compared within float tolerances, as
// are QR (orthogonal_: LAPACK vs our Householder) and erfinv (trunc_normal_).

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import * as nn from "../src/nn/index.js";
import { type GoldenTensor, readGolden, fromGolden, assertClose, valuesOf, decodeNumber } from "./helpers.js";

interface ParamJson { name: string; dtype: string; shape: number[]; requires_grad: boolean; data?: (number | string)[]; crc32?: string; head?: number[]; sum?: number }
interface Golden {
  init_layers: { name: string; params: ParamJson[]; after_rand: GoldenTensor }[];
  init_funcs: { name: string; shape: number[]; dtype: string; exact: boolean; value: GoldenTensor; after_rand: GoldenTensor }[];
  gains: { nonlinearity: string; param: number | null; gain: number }[];
  fans: { shape: number[]; fan_in: number; fan_out: number }[];
  init_errors: { name: string; error: string }[];
  forward: Record<string, any>[];
  embedding: Record<string, any>[];
  embedding_errors: { name: string; error: string }[];
  dropout: Record<string, any>[];
  clip: { name: string; norm_type: number | string; max_norm: number; grads: GoldenTensor[]; total: GoldenTensor; clipped: GoldenTensor[] }[];
  clip_nonfinite_error: string;
  clip_value: { grads: GoldenTensor[]; clip_value: number; clipped: GoldenTensor[] };
}
const golden = readGolden<Golden>("nn_modules.json");

// ---- helpers ------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
  return t;
})();
/** zlib.crc32 of a tensor's raw little-endian bytes, as the generator's crc() */
function crc32(t: Tensor): string {
  const data = t.detach().contiguous().numpy().data as Float32Array;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
}

/** Bit-identical values (float32 values compare exactly as JS numbers). */
function assertExact(actual: Tensor, expected: GoldenTensor, what: string): void {
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape.slice(), expected.shape, `${what}: shape`);
  const a = valuesOf(actual), e = expected.data.map(decodeNumber);
  const i = a.findIndex((v, k) => !Object.is(v, e[k]));
  assert.ok(i < 0, `${what}: element ${i} is ${a[i]}, PyTorch ${e[i]}`);
}

function checkParams(m: nn.Module, expected: ParamJson[], what: string): void {
  const got = m.named_parameters();
  assert.deepEqual(got.map(([n]) => n), expected.map((p) => p.name), `${what}: parameter names`);
  got.forEach(([name, p], i) => {
    const e = expected[i]!;
    assert.equal(p.requires_grad, e.requires_grad, `${what}.${name}: requires_grad`);
    if (e.crc32) {
      assert.deepEqual(valuesOf(p).slice(0, 8), e.head, `${what}.${name}: first values`);
      assert.equal(crc32(p), e.crc32, `${what}.${name}: crc32 of the ${p.numel()} values`);
    } else assertExact(p, { dtype: e.dtype, shape: e.shape, data: e.data! }, `${what}.${name}`);
  });
}

// ---- default initialisation ---------------------------------------------------------------------

const LAYERS: Record<string, () => nn.Module> = {
  "Linear(4, 3)": () => new nn.Linear(4, 3),
  "Linear(1000, 100)": () => new nn.Linear(1000, 100),
  "Linear(5, 2, bias=False)": () => new nn.Linear(5, 2, { bias: false }),
  "Linear(3, 4, dtype=float64)": () => new nn.Linear(3, 4, { dtype: torch.float64 }),
  "Linear(7, 0)": () => new nn.Linear(7, 0),
  "Bilinear(3, 4, 2)": () => new nn.Bilinear(3, 4, 2),
  "Bilinear(2, 2, 3, bias=False)": () => new nn.Bilinear(2, 2, 3, false),
  "Embedding(10, 4)": () => new nn.Embedding(10, 4),
  "Embedding(10, 4, padding_idx=2)": () => new nn.Embedding(10, 4, { padding_idx: 2 }),
  "Embedding(5, 3, padding_idx=-1)": () => new nn.Embedding(5, 3, { padding_idx: -1 }),
  "PReLU()": () => new nn.PReLU(),
  "PReLU(3, init=0.1)": () => new nn.PReLU(3, 0.1),
  "MLP 1000-100-10": () => new nn.Sequential(new nn.Linear(1000, 100), new nn.ReLU(), new nn.Linear(100, 10)),
};

const warn = console.warn;
console.warn = (...a: unknown[]) => { if (!String(a[0]).startsWith("UserWarning")) warn(...a); };

for (const c of golden.init_layers) {
  test(`default init after manual_seed(0): ${c.name}`, () => {
    torch.manual_seed(0);
    const m = LAYERS[c.name]!();
    checkParams(m, c.params, c.name);
    // the same number of draws as PyTorch: the generator ends where PyTorch's did
    assertExact(torch.rand(3), c.after_rand, "torch.rand(3) after construction");
  });
}

// ---- nn.init ------------------------------------------------------------------------------------

const I = nn.init;
const INIT: Record<string, (t: Tensor) => unknown> = {
  "uniform_(-2, 3)": (t) => I.uniform_(t, -2, 3),
  "uniform_ float64": (t) => I.uniform_(t),
  "normal_(1, 2) 20": (t) => I.normal_(t, 1, 2),
  "normal_ 16": (t) => I.normal_(t),
  "normal_ small": (t) => I.normal_(t, 0, 0.5),
  "normal_ float64": (t) => I.normal_(t, 0, 1),
  "constant_": (t) => I.constant_(t, 0.3),
  "ones_": (t) => I.ones_(t),
  "zeros_": (t) => I.zeros_(t),
  "eye_ 3x5": (t) => I.eye_(t),
  "eye_ 4x2": (t) => I.eye_(t),
  "dirac_ 3d": (t) => I.dirac_(t),
  "dirac_ 4d groups": (t) => I.dirac_(t, 2),
  "xavier_uniform_ gain 2": (t) => I.xavier_uniform_(t, 2),
  "xavier_uniform_ conv": (t) => I.xavier_uniform_(t),
  "xavier_normal_": (t) => I.xavier_normal_(t),
  "kaiming_uniform_ default": (t) => I.kaiming_uniform_(t),
  "kaiming_uniform_ sqrt5": (t) => I.kaiming_uniform_(t, Math.sqrt(5)),
  "kaiming_uniform_ fan_out relu": (t) => I.kaiming_uniform_(t, { mode: "fan_out", nonlinearity: "relu" }),
  "kaiming_uniform_ leaky 0.1": (t) => I.kaiming_uniform_(t, 0.1),
  "kaiming_normal_": (t) => I.kaiming_normal_(t),
  "kaiming_normal_ fan_out tanh": (t) => I.kaiming_normal_(t, 0, "fan_out", "tanh"),
  "orthogonal_ 3x5": (t) => I.orthogonal_(t),
  "orthogonal_ 6x4": (t) => I.orthogonal_(t),
  "orthogonal_ 4x2x3 gain": (t) => I.orthogonal_(t, 2),
  "orthogonal_ float64": (t) => I.orthogonal_(t),
  "trunc_normal_": (t) => I.trunc_normal_(t, 0.5, 2, -1, 3),
  "trunc_normal_ default": (t) => I.trunc_normal_(t),
  "trunc_normal_ small": (t) => I.trunc_normal_(t, 0, 1, -0.5, 1.5),
  "trunc_normal_ tail": (t) => I.trunc_normal_(t, 0, 1, 1.5, 4),
  "trunc_normal_ tail float64": (t) => I.trunc_normal_(t, 1, 0.1, -2, 0.9),
  "sparse_": (t) => I.sparse_(t, 0.3),
};

for (const c of golden.init_funcs) {
  test(`nn.init.${c.name}`, () => {
    torch.manual_seed(0);
    const t = torch.empty(c.shape, { dtype: torch[c.dtype as "float32"] });
    const r = INIT[c.name]!(t);
    assert.ok(r === t, "returns the tensor it filled");
    if (c.exact) assertExact(t, c.value, c.name);
    else assertClose(t, c.value, c.name);
    assertExact(torch.rand(2), c.after_rand, "torch.rand(2) afterwards");
  });
}

test("nn.init on a Parameter runs under no_grad and keeps it a leaf", () => {
  const p = new nn.Parameter(torch.empty(3, 4));
  I.kaiming_uniform_(p, { a: Math.sqrt(5) });
  I.orthogonal_(p);
  assert.ok(p.is_leaf && p.requires_grad && p.grad_fn === null);
  // a generator of its own: the same numbers as the default one seeded alike
  const g = new torch.Generator(); g.manual_seed(7);
  torch.manual_seed(7);
  const a = I.uniform_(torch.empty(5), -1, 1), b = I.uniform_(torch.empty(5), -1, 1, { generator: g });
  assert.deepEqual(a.tolist(), b.tolist());
});

test("calculate_gain and _calculate_fan_in_and_fan_out", () => {
  for (const g of golden.gains) assert.equal(I.calculate_gain(g.nonlinearity, g.param), g.gain, `${g.nonlinearity}(${g.param})`);
  for (const f of golden.fans) assert.deepEqual(I._calculate_fan_in_and_fan_out(torch.empty(f.shape)), [f.fan_in, f.fan_out]);
});

test("nn.init errors", () => {
  const calls: Record<string, () => unknown> = {
    "fan 1d": () => I.xavier_uniform_(torch.empty(3)),
    "kaiming mode": () => I.kaiming_uniform_(torch.empty(3, 3), { mode: "fan_avg" as "fan_in" }),
    "gain unknown": () => I.calculate_gain("swish"),
    "eye 3d": () => I.eye_(torch.empty(2, 2, 2)),
    "orthogonal 1d": () => I.orthogonal_(torch.empty(3)),
    "dirac 2d": () => I.dirac_(torch.empty(3, 3)),
  };
  for (const e of golden.init_errors) assert.throws(calls[e.name]!, (err: Error) => err.message === e.error, e.name);
});

// ---- forward passes -------------------------------------------------------------------------------

test("the tutorial MLP after manual_seed(0): output, loss and gradients", () => {
  const c = golden.forward.find((f) => f.name === "mlp")!;
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const x = torch.randn(5, 4), y = torch.randn(5, 3);
  assertExact(x, c.x, "x drawn after the model");
  assertExact(y, c.y, "y");
  const pred = model(x);
  assertClose(pred, c.pred, "pred");
  assert.equal(pred.grad_fn?.name(), c.grad_fn);
  const loss = new nn.MSELoss()(pred, y);
  assertClose(loss, c.loss, "loss");
  loss.backward();
  for (const [n, p] of model.named_parameters()) assertClose(p.grad!, c.grads[n], `grad of ${n}`);
});

for (const c of golden.forward.filter((f) => f.name.startsWith("linear_"))) {
  test(`F.linear: ${c.name}`, () => {
    const w = fromGolden(c.weight, { requires_grad: true }), b = c.bias ? fromGolden(c.bias) : null;
    const x = fromGolden(c.x, { requires_grad: true });
    const y = nn.functional.linear(x, w, b);
    assertClose(y, c.out, "output");
    assert.equal(y.grad_fn?.name(), c.grad_fn);
    const [gx, gw] = torch.autograd.grad(y, [x, w], { grad_outputs: fromGolden(c.w) });
    assertClose(gx!, c.grad_x, "grad x");
    assertClose(gw!, c.grad_weight, "grad weight");
  });
}

test("Bilinear forward and gradients", () => {
  const c = golden.forward.find((f) => f.name === "bilinear")!;
  const m = new nn.Bilinear(3, 2, 4);
  m.weight.data = fromGolden(c.weight); m.bias!.data = fromGolden(c.bias);
  const x1 = fromGolden(c.x1, { requires_grad: true }), x2 = fromGolden(c.x2, { requires_grad: true });
  const y = m(x1, x2);
  assertClose(y, c.out, "output");
  assert.equal(y.grad_fn?.name(), c.grad_fn);
  const g = torch.autograd.grad(y, [x1, x2, m.weight, m.bias!], { grad_outputs: fromGolden(c.w) });
  g.forEach((t, i) => assertClose(t!, c.grads[i], `grad ${i}`));
  const d = (t: Tensor) => t.double().detach().requires_grad_(true);
  assert.ok(torch.autograd.gradcheck((a, b, w, bb) => nn.functional.bilinear(a!, b!, w!, bb!),
    [d(x1).narrow(0, 0, 2).contiguous().requires_grad_(true), d(x2).narrow(0, 0, 2).contiguous().requires_grad_(true), d(m.weight), d(m.bias!)]));
});

// ---- Embedding ------------------------------------------------------------------------------------

for (const c of golden.embedding.filter((e) => e.name !== "from_pretrained")) {
  test(`Embedding: ${c.name}`, () => {
    torch.manual_seed(3);
    const e = new nn.Embedding(10, 3, c.kwargs);
    assertExact(e.weight, c.weight_before, "initial weight");
    const y = e(fromGolden(c.indices));
    assertClose(y, c.out, "output");
    assert.equal(y.grad_fn?.name(), c.grad_fn);
    assertClose(e.weight, c.weight_after, "weight after forward (max_norm renormalises in place)");
    const [gw] = torch.autograd.grad(y, [e.weight], { grad_outputs: fromGolden(c.g) });
    assertClose(gw!, c.grad_weight, "grad weight");
  });
}

test("Embedding.from_pretrained shares the tensor and freezes it", () => {
  const c = golden.embedding.find((e) => e.name === "from_pretrained")!;
  const pre = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  const e = nn.Embedding.from_pretrained(pre);
  assert.equal(String(e), c.repr);
  assert.equal(e.weight.requires_grad, c.requires_grad);
  assertClose(e(torch.tensor([1n, 0n, 1n])), c.out, "output");
  pre.mul_(2); // shared storage, as PyTorch's Parameter(embeddings)
  assert.equal(e.weight.select(0, 0).select(0, 0).item(), 2);
  assert.equal(nn.Embedding.from_pretrained(pre, { freeze: false }).weight.requires_grad, true);
});

test("Embedding errors", () => {
  const calls: Record<string, () => unknown> = {
    "oob": () => new nn.Embedding(5, 2)(torch.tensor([5n])),
    "float idx": () => new nn.Embedding(5, 2)(torch.tensor([1])),
    "padding": () => new nn.Embedding(5, 2, { padding_idx: 5 }),
  };
  for (const e of golden.embedding_errors) assert.throws(calls[e.name]!, (err: Error) => err.message === e.error, e.name);
});

// ---- Dropout ----------------------------------------------------------------------------------------

test("F.dropout draws PyTorch's mask after manual_seed", () => {
  for (const c of golden.dropout.filter((d) => d.name.startsWith("F.dropout"))) {
    torch.manual_seed(0);
    const x = fromGolden(c.x);
    assertExact(nn.functional.dropout(x, c.p), c.out, c.name);
  }
  const c64 = golden.dropout.find((d) => d.name === "float64")!;
  torch.manual_seed(0);
  assertExact(nn.functional.dropout(fromGolden(c64.x), c64.p), c64.out, "float64");
});

test("nn.Dropout: training draws the mask (MulBackward0); eval returns the input itself", () => {
  const c = golden.dropout.find((d) => d.name === "module train")!;
  torch.manual_seed(5);
  const d = new nn.Dropout(c.p);
  const x = torch.randn(3, 6, { requires_grad: true });
  assertExact(x, c.x, "x");
  const y = d(x);
  assertExact(y, c.out, "output");
  assert.equal(y.grad_fn?.name(), c.grad_fn);
  const w = torch.randn(3, 6); // drawn here, as the generator script draws it
  assertExact(w, c.w, "w");
  const [g] = torch.autograd.grad(y, [x], { grad_outputs: w });
  assertExact(g!, c.grad, "grad");
  assertExact(torch.rand(2), c.after_rand, "generator position");
  d.eval();
  assert.ok(d(x) === x, "eval: identity, no draw");
  assert.ok(nn.functional.dropout(x, 0.5, false) === x);
  assert.ok(nn.functional.dropout(x, 0) === x);
  assert.ok(valuesOf(nn.functional.dropout(x, 1)).every((v) => v === 0)); // x·0: -0 for negative x, as PyTorch
  const z = torch.ones(4).mul(1);
  assert.ok(nn.functional.dropout(z, { p: 0.5, inplace: true }) === z);
  assert.throws(() => new nn.Dropout(1.5), /dropout probability has to be between 0 and 1, but got 1.5/);
});

// ---- gradient clipping --------------------------------------------------------------------------

for (const c of golden.clip) {
  test(`clip_grad_norm_: ${c.name}`, () => {
    const ps = c.grads.map((g) => { const p = new nn.Parameter(torch.zeros(g.shape)); p.grad = fromGolden(g); return p; });
    const nt = typeof c.norm_type === "string" ? (c.norm_type === "inf" ? Infinity : NaN) : c.norm_type;
    const total = nn.utils.clip_grad_norm_(ps, c.max_norm, nt);
    assertClose(total, c.total, "total norm");
    ps.forEach((p, i) => assertClose(p.grad!, c.clipped[i]!, `grad ${i}`));
  });
}

test("clip_grad_norm_: non-finite total, empty list; clip_grad_value_; flat vectors", () => {
  const ps = [new nn.Parameter(torch.zeros(2)), new nn.Parameter(torch.zeros(2))];
  ps[0]!.grad = torch.tensor([1, NaN]); ps[1]!.grad = torch.tensor([1, 2]);
  assert.throws(() => nn.utils.clip_grad_norm_(ps, 1, { error_if_nonfinite: true }), (e: Error) => e.message === golden.clip_nonfinite_error);
  assert.equal(nn.utils.clip_grad_norm_([new nn.Parameter(torch.zeros(2))], 1).item(), 0);
  const cv = golden.clip_value;
  const qs = cv.grads.map((g) => { const p = new nn.Parameter(torch.zeros(g.shape)); p.grad = fromGolden(g); return p; });
  nn.utils.clip_grad_value_(qs, cv.clip_value);
  qs.forEach((p, i) => assertExact(p.grad!, cv.clipped[i]!, `grad ${i}`));
  // parameters_to_vector / vector_to_parameters: a round trip sharing memory
  const m = new nn.Linear(3, 2);
  const v = nn.utils.parameters_to_vector(m.parameters());
  assert.deepEqual(v.shape, [8]);
  assert.deepEqual(valuesOf(v), [...valuesOf(m.weight), ...valuesOf(m.bias!)]);
  const v2 = torch.arange(8);
  const w = m.weight;
  nn.utils.vector_to_parameters(v2, m.parameters());
  assert.ok(m.weight === w, "parameters keep their identity");
  assert.deepEqual(m.weight.tolist(), [[0, 1, 2], [3, 4, 5]]);
  v2.add_(10);
  assert.deepEqual(m.bias!.tolist(), [16, 17]);
});
