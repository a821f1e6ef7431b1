// nn.RNN, nn.LSTM, nn.GRU and their cells against PyTorch: test/golden/rnn.json
// (tools/gen_golden_rnn.py). Every case builds its module after torch.manual_seed(0) and checks the
// default parameters bit for bit (uniform_ draws reproduce PyTorch's exactly), then runs forward
// and backward on the golden input (in float64 after .double(), or in float32) and compares the
// output, the final states and the gradients of every parameter, of the input and of the initial
// states. Dropout between layers is compared draw for draw: F.dropout reproduces PyTorch's masks
// (test/nn_init.test.ts), and PyTorch's CPU RNN draws them with at::dropout on each layer's whole
// output, which is what src/nn/rnn.ts does.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import * as nn from "../src/nn/index.js";
import { type GoldenTensor, readGolden, fromGolden, assertClose, valuesOf, decodeNumber } from "./helpers.js";

interface Named extends GoldenTensor { name: string }
interface LayerCase {
  name: string; kind: "RNN" | "LSTM" | "GRU"; args: Record<string, number | boolean | string>; seq: number; batch: number | null;
  dtype: string; init: Named[]; after_rand: GoldenTensor; x: GoldenTensor; hx: GoldenTensor[] | null; out: GoldenTensor;
  hidden: GoldenTensor[]; weights: GoldenTensor[]; grad_x: GoldenTensor; grad_hx: GoldenTensor[] | null; grads: Named[];
  seed?: number; after_forward_rand?: GoldenTensor; eval_out?: GoldenTensor; eval_hidden?: GoldenTensor[];
}
interface CellCase {
  name: string; kind: "RNNCell" | "LSTMCell" | "GRUCell"; args: Record<string, number | boolean | string>; steps: number;
  batch: number | null; dtype: string; init: Named[]; after_rand: GoldenTensor; x: GoldenTensor; hx: GoldenTensor[] | null;
  outs: GoldenTensor[]; weights: GoldenTensor[]; grad_x: GoldenTensor; grad_hx: GoldenTensor[] | null; grads: Named[];
}
interface Golden {
  layers: LayerCase[]; dropout: LayerCase[]; cells: CellCase[];
  names: { name: string; state_dict: [string, number[]][]; named_parameters: string[] }[];
  reprs: { name: string; repr: string }[];
  errors: { name: string; error: string }[];
  warnings: { name: string; warnings: string[] }[];
}
const golden = readGolden<Golden>("rnn.json");

// PyTorch's UserWarnings (the dropout warning of one-layer modules) are checked in their own test
const warn = console.warn;
let captured: string[] | null = null;
console.warn = (...a: unknown[]) => {
  if (captured) captured.push(String(a[0]));
  else if (!String(a[0]).startsWith("UserWarning")) warn(...a);
};

// ---- helpers ------------------------------------------------------------------------------------

/** Bit-identical values (float32 values compare exactly as JS numbers). */
function assertExact(actual: Tensor, expected: GoldenTensor, what: string): void {
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape.slice(), expected.shape, `${what}: shape`);
  const a = valuesOf(actual), e = expected.data.map(decodeNumber);
  const i = a.findIndex((v, k) => !Object.is(v, e[k]));
  assert.ok(i < 0, `${what}: element ${i} is ${a[i]}, PyTorch ${e[i]}`);
}

/** The default parameters after manual_seed(0): names in order, values bit for bit, and the same
 *  number of draws (the generator continues where PyTorch's did). */
function checkInit(m: nn.Module, c: { name: string; init: Named[]; after_rand: GoldenTensor }, rand = 3): void {
  const got = m.named_parameters();
  assert.deepEqual(got.map(([n]) => n), c.init.map((p) => p.name), `${c.name}: parameter names`);
  got.forEach(([n, p], i) => assertExact(p, c.init[i]!, `${c.name}: initial ${n}`));
  assertExact(torch.rand(rand), c.after_rand, `${c.name}: torch.rand(${rand}) after construction`);
}

type AnyRNN = nn.RNN | nn.LSTM | nn.GRU;
type State = Tensor | [Tensor, Tensor];
/** forward of any of the three, with the initial state as PyTorch takes it */
const run = (m: AnyRNN, x: Tensor, hx: State | null): [Tensor, State] =>
  (m as unknown as (x: Tensor, hx: State | null) => [Tensor, State])(x, hx);

function buildLayer(c: { kind: string; args: Record<string, unknown> }): AnyRNN {
  const { input_size, hidden_size, ...rest } = c.args as { input_size: number; hidden_size: number };
  if (c.kind === "RNN") return new nn.RNN(input_size, hidden_size, rest);
  if (c.kind === "LSTM") return new nn.LSTM(input_size, hidden_size, rest);
  return new nn.GRU(input_size, hidden_size, rest);
}

function buildCell(c: CellCase): nn.RNNCell | nn.LSTMCell | nn.GRUCell {
  const { input_size, hidden_size, ...rest } = c.args as { input_size: number; hidden_size: number };
  if (c.kind === "RNNCell") return new nn.RNNCell(input_size, hidden_size, rest);
  if (c.kind === "LSTMCell") return new nn.LSTMCell(input_size, hidden_size, rest);
  return new nn.GRUCell(input_size, hidden_size, rest);
}

/** Σ (t_i · w_i).sum(), the generator's loss */
const weightedSum = (ts: Tensor[], ws: GoldenTensor[]): Tensor =>
  ts.map((t, i) => t.mul(fromGolden(ws[i]!)).sum()).reduce((a, b) => a.add(b));

const asList = (s: State): Tensor[] => (Array.isArray(s) ? s : [s]);

/** Built after manual_seed(0), converted, run on the golden data; returns what backward saw. */
function runLayerCase(c: LayerCase, training: boolean) {
  torch.manual_seed(0);
  const m = buildLayer(c);
  checkInit(m, c);
  if (c.dtype === "float64") m.double();
  m.train(training);
  const x = fromGolden(c.x, { requires_grad: true });
  const hs = c.hx?.map((h) => fromGolden(h, { requires_grad: true })) ?? null;
  const hx: State | null = hs === null ? null : c.kind === "LSTM" ? [hs[0]!, hs[1]!] : hs[0]!;
  if (c.seed !== undefined) torch.manual_seed(c.seed);
  const [out, hidden] = run(m, x, hx);
  return { m, x, hs, hx, out, hidden };
}

function checkLayerCase(c: LayerCase, training: boolean) {
  const r = runLayerCase(c, training);
  const { m, x, hs, out, hidden } = r;
  assertClose(out, c.out, `${c.name}: output`);
  const finals = asList(hidden);
  assert.equal(finals.length, c.hidden.length, `${c.name}: number of final states`);
  finals.forEach((h, i) => assertClose(h, c.hidden[i]!, `${c.name}: final state ${i}`));
  weightedSum([out, ...finals], c.weights).backward();
  assertClose(x.grad!, c.grad_x, `${c.name}: input gradient`);
  hs?.forEach((h, i) => assertClose(h.grad!, c.grad_hx![i]!, `${c.name}: gradient of initial state ${i}`));
  const params = m.named_parameters();
  assert.deepEqual(params.map(([n]) => n), c.grads.map((g) => g.name));
  params.forEach(([n, p], i) => assertClose(p.grad!, c.grads[i]!, `${c.name}: gradient of ${n}`));
  return r;
}

// ---- RNN, LSTM, GRU against PyTorch -------------------------------------------------------------------

for (const c of golden.layers) test(`${c.name}: init, forward and gradients as PyTorch`, () => { checkLayerCase(c, false); });

for (const c of golden.dropout) {
  test(`${c.name}: training-mode dropout draws PyTorch's masks; eval mode has none`, () => {
    const { m, x, hx } = checkLayerCase(c, true);
    assertExact(torch.rand(3), c.after_forward_rand!, `${c.name}: torch.rand(3) after forward (number of draws)`);
    m.eval();
    const [out, hidden] = torch.no_grad(() => run(m, x, hx));
    assertClose(out, c.eval_out!, `${c.name}: eval output`);
    asList(hidden).forEach((h, i) => assertClose(h, c.eval_hidden![i]!, `${c.name}: eval final state ${i}`));
    // eval mode draws nothing and is deterministic
    torch.manual_seed(1);
    const again = torch.no_grad(() => run(m, x, hx))[0];
    const next = valuesOf(torch.rand(3));
    torch.manual_seed(1);
    assert.deepEqual(next, valuesOf(torch.rand(3)), "eval mode draws nothing");
    assert.deepEqual(valuesOf(again), valuesOf(out));
  });
}

test("a module with dropout in eval mode computes what the same module with dropout=0 does", () => {
  const c = golden.dropout[0]!;
  torch.manual_seed(0);
  const a = buildLayer(c).double();
  torch.manual_seed(0);
  const b = buildLayer({ kind: c.kind, args: { ...c.args, dropout: 0 } }).double();
  const x = fromGolden(c.x);
  a.eval();
  assert.deepEqual(valuesOf(run(a, x, null)[0]), valuesOf(run(b, x, null)[0]));
});

// ---- cells --------------------------------------------------------------------------------------

for (const c of golden.cells) {
  test(`${c.name}: init, steps and gradients as PyTorch`, () => {
    torch.manual_seed(0);
    const m = buildCell(c);
    checkInit(m, c);
    if (c.dtype === "float64") m.double();
    const xs = fromGolden(c.x, { requires_grad: true });
    const hs = c.hx?.map((h) => fromGolden(h, { requires_grad: true })) ?? null;
    let state: State | null = hs === null ? null : c.kind === "LSTMCell" ? [hs[0]!, hs[1]!] : hs[0]!;
    const outs: Tensor[] = [];
    const step = m as unknown as (x: Tensor, hx: State | null) => State;
    for (let t = 0; t < c.steps; t++) {
      state = step(xs.select(0, t), state);
      outs.push(...asList(state));
    }
    assert.equal(outs.length, c.outs.length);
    outs.forEach((o, i) => assertClose(o, c.outs[i]!, `${c.name}: output ${i}`));
    weightedSum(outs, c.weights).backward();
    assertClose(xs.grad!, c.grad_x, `${c.name}: input gradient`);
    hs?.forEach((h, i) => assertClose(h.grad!, c.grad_hx![i]!, `${c.name}: gradient of hx ${i}`));
    m.named_parameters().forEach(([n, p], i) => {
      assert.equal(n, c.grads[i]!.name);
      assertClose(p.grad!, c.grads[i]!, `${c.name}: gradient of ${n}`);
    });
  });
}

test("a cell step equals one step of the one-layer module (one shared implementation)", () => {
  for (const [Cell, Layer] of [[nn.RNNCell, nn.RNN], [nn.GRUCell, nn.GRU], [nn.LSTMCell, nn.LSTM]] as const) {
    torch.manual_seed(3);
    // (the cells' constructors differ after hidden_size, RNNCell's nonlinearity: one call form here)
    const cell = new (Cell as new (input_size: number, hidden_size: number) => InstanceType<typeof Cell>)(3, 4).double();
    torch.manual_seed(3);
    const layer = new (Layer as new (input_size: number, hidden_size: number) => InstanceType<typeof Layer>)(3, 4).double();
    const x = torch.randn(2, 3, { dtype: torch.float64 });
    const h = torch.randn(2, 4, { dtype: torch.float64 }), c = torch.randn(2, 4, { dtype: torch.float64 });
    if (cell instanceof nn.LSTMCell) {
      const [h1, c1] = cell.forward(x, [h, c]);
      const [out, [hn, cn]] = (layer as nn.LSTM).forward(x.unsqueeze(0), [h.unsqueeze(0), c.unsqueeze(0)]);
      assert.deepEqual(valuesOf(h1), valuesOf(out));
      assert.deepEqual(valuesOf(h1), valuesOf(hn));
      assert.deepEqual(valuesOf(c1), valuesOf(cn));
    } else {
      const h1 = (cell as nn.GRUCell).forward(x, h);
      const [out] = (layer as nn.GRU).forward(x.unsqueeze(0), h.unsqueeze(0));
      assert.deepEqual(valuesOf(h1), valuesOf(out));
    }
  }
});

test("an LSTM layer saves its output for backward: changing it in place is PyTorch's error there", () => {
  // (Note [Fused LSTM layer]; the message is PyTorch 2.13's for the same code)
  torch.manual_seed(0);
  const lstm = new nn.LSTM(30, 40);
  const [out] = lstm.forward(torch.randn(7, 5, 30, { requires_grad: true }));
  out.add_(1);
  assert.throws(() => out.sum().backward(), { message: "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [7, 5, 40]], which is output 0 of MkldnnRnnLayer, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)." });
});

// ---- gradcheck (float64) ------------------------------------------------------------------------------

test("gradcheck: LSTM (2 layers, bidirectional, proj_size) w.r.t. input, h0, c0 and every parameter", () => {
  torch.manual_seed(0);
  const m = new nn.LSTM(2, 3, { num_layers: 2, bidirectional: true, proj_size: 2 }).double();
  const x = torch.randn(2, 1, 2, { dtype: torch.float64, requires_grad: true });
  const h0 = torch.randn(4, 1, 2, { dtype: torch.float64, requires_grad: true });
  const c0 = torch.randn(4, 1, 3, { dtype: torch.float64, requires_grad: true });
  // the parameters are gradcheck inputs too: gradcheck perturbs them in place, the module reads them
  const params = m.parameters();
  assert.ok(torch.autograd.gradcheck((x, h, c) => {
    const [out, [hn, cn]] = m.forward(x!, [h!, c!]);
    return [out, hn, cn];
  }, [x, h0, c0, ...params]));
});

test("gradcheck: GRU batch_first and RNN relu", () => {
  torch.manual_seed(1);
  const g = new nn.GRU(2, 3, { batch_first: true, num_layers: 2 }).double();
  const x = torch.randn(1, 3, 2, { dtype: torch.float64, requires_grad: true });
  const h0 = torch.randn(2, 1, 3, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((x, h) => g.forward(x!, h!), [x, h0, ...g.parameters()]));
  const r = new nn.RNN(2, 3, { nonlinearity: "relu", bidirectional: true }).double();
  assert.ok(torch.autograd.gradcheck((x, h) => r.forward(x!, h!), [x.transpose(0, 1).contiguous().detach().requires_grad_(), torch.randn(2, 1, 3, { dtype: torch.float64, requires_grad: true }), ...r.parameters()]));
});

test("gradgradcheck: GRU and LSTM (double backward through the gates)", () => {
  torch.manual_seed(4);
  const g = new nn.GRU(2, 2).double();
  const l = new nn.LSTM(2, 2).double();
  const xs = torch.randn(2, 1, 2, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradgradcheck((x) => g.forward(x!)[0], [xs]));
  assert.ok(torch.autograd.gradgradcheck((x) => l.forward(x!)[0], [xs]));
});

test("gradcheck: LSTMCell and GRUCell, unbatched", () => {
  torch.manual_seed(2);
  const l = new nn.LSTMCell(2, 3).double();
  const g = new nn.GRUCell(2, 3).double();
  const x = torch.randn(2, { dtype: torch.float64, requires_grad: true });
  const h = torch.randn(3, { dtype: torch.float64, requires_grad: true });
  const c = torch.randn(3, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((x, h, c) => l.forward(x!, [h!, c!]), [x, h, c, ...l.parameters()]));
  assert.ok(torch.autograd.gradcheck((x, h) => g.forward(x!, h!), [x, h, ...g.parameters()]));
});

// ---- names, reprs -------------------------------------------------------------------------------

const NAMED: Record<string, () => nn.Module> = {
  "LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)": () => new nn.LSTM(3, 4, { num_layers: 2, bidirectional: true, proj_size: 2 }),
  "LSTM(3, 4, bias=False, proj_size=3)": () => new nn.LSTM(3, 4, { bias: false, proj_size: 3 }),
  "GRU(3, 4, num_layers=3, bias=False)": () => new nn.GRU(3, 4, 3, false),
  "RNN(3, 4, bidirectional=True)": () => new nn.RNN(3, 4, { bidirectional: true }),
  "RNNCell(3, 4)": () => new nn.RNNCell(3, 4),
  "LSTMCell(3, 4, bias=False)": () => new nn.LSTMCell(3, 4, false),
  "GRUCell(3, 4)": () => new nn.GRUCell(3, 4),
  "Sequential(Embedding, LSTM)": () => new nn.Sequential(new nn.Embedding(10, 3), new nn.LSTM(3, 4, { batch_first: true })),
};

for (const c of golden.names) {
  test(`state_dict keys and named_parameters in PyTorch's order: ${c.name}`, () => {
    const m = NAMED[c.name]!();
    assert.deepEqual(Object.entries(m.state_dict()).map(([k, v]) => [k, v.shape.slice()]), c.state_dict);
    assert.deepEqual(m.named_parameters().map(([n]) => n), c.named_parameters);
  });
}

const REPRS: Record<string, () => nn.Module> = {
  "LSTM(10, 20, num_layers=2, batch_first=True)": () => new nn.LSTM(10, 20, { num_layers: 2, batch_first: true }),
  "LSTM(10, 20, 2, True, True, 0.5, True, 5)": () => new nn.LSTM(10, 20, 2, true, true, 0.5, true, 5),
  "LSTM(10, 20, proj_size=5, dropout=1, num_layers=3)": () => new nn.LSTM(10, 20, { proj_size: 5, dropout: 1, num_layers: 3 }),
  "RNN(10, 20)": () => new nn.RNN(10, 20),
  "RNN(10, 20, nonlinearity='relu', bias=False)": () => new nn.RNN(10, 20, { nonlinearity: "relu", bias: false }),
  "RNN(4, 8, 3, bidirectional=True)": () => new nn.RNN(4, 8, 3, { bidirectional: true }),
  "GRU(3, 4, bias=False, dropout=0.25, num_layers=2, bidirectional=True)": () =>
    new nn.GRU(3, 4, { bias: false, dropout: 0.25, num_layers: 2, bidirectional: true }),
  "GRU(5, 6)": () => new nn.GRU({ input_size: 5, hidden_size: 6 }),
  "RNNCell(3, 4)": () => new nn.RNNCell(3, 4),
  "RNNCell(3, 4, bias=False, nonlinearity='relu')": () => new nn.RNNCell(3, 4, false, "relu"),
  "LSTMCell(3, 4)": () => new nn.LSTMCell(3, 4),
  "GRUCell(3, 4, bias=False)": () => new nn.GRUCell(3, 4, { bias: false }),
  "Sequential(Embedding, LSTM)": NAMED["Sequential(Embedding, LSTM)"]!,
  "ModuleDict(rnn=GRU, head=Linear)": () => new nn.ModuleDict({ rnn: new nn.GRU(8, 16, 2, { batch_first: true }), head: new nn.Linear(16, 2) }),
};

test("printed form as PyTorch's", () => {
  for (const c of golden.reprs) assert.equal(String(REPRS[c.name]!()), c.repr, c.name);
});

test("attributes as PyTorch's: mode, sizes, flags, nonlinearity, all_weights, positional nonlinearity", () => {
  const r = new nn.RNN(3, 4, 2, "relu", false, true, 0.5, true);
  assert.equal(r.mode, "RNN_RELU");
  assert.equal(r.nonlinearity, "relu");
  assert.deepEqual([r.input_size, r.hidden_size, r.num_layers, r.bias, r.batch_first, r.dropout, r.bidirectional, r.proj_size],
    [3, 4, 2, false, true, 0.5, true, 0]);
  assert.equal(String(r), "RNN(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)");
  assert.deepEqual(r.all_weights.map((ws) => ws.length), [2, 2, 2, 2]);
  assert.ok(r.all_weights[1]![0] === r.weight_ih_l0_reverse);
  const l = new nn.LSTM(3, 4, { proj_size: 2 });
  assert.equal(l.mode, "LSTM");
  assert.deepEqual(l._flat_weights_names, ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]);
  assert.deepEqual(l.weight_hr_l0.shape, [2, 4]);
  assert.deepEqual(l.weight_hh_l0.shape, [16, 2]);
  assert.equal(new nn.GRU(3, 4).mode, "GRU");
  assert.equal(new nn.RNNCell(3, 4).nonlinearity, "tanh");
});

test("reassigned or loaded parameters take effect in forward", () => {
  torch.manual_seed(0);
  const m = new nn.RNN(3, 4);
  const x = torch.randn(2, 1, 3);
  for (const n of ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"] as const) m[n] = new nn.Parameter(torch.zeros(m[n].shape.slice()));
  assert.ok(valuesOf(m.forward(x)[0]).every((v) => v === 0));
  torch.manual_seed(5);
  const src = new nn.LSTM(3, 4, { num_layers: 2 });
  const dst = new nn.LSTM(3, 4, { num_layers: 2 });
  dst.load_state_dict(src.state_dict());
  assert.deepEqual(valuesOf(dst.forward(x)[0]), valuesOf(src.forward(x)[0]));
});

test("batch_first output is the transposed sequence-first output; unbatched squeezes the batch", () => {
  torch.manual_seed(0);
  const m = new nn.GRU(3, 4, { num_layers: 2, bidirectional: true });
  const x = torch.randn(5, 2, 3);
  const [o1, h1] = m.forward(x);
  m.batch_first = true;
  const [o2, h2] = m.forward(x.transpose(0, 1));
  assert.deepEqual(o2.shape, [2, 5, 8]);
  assert.deepEqual(valuesOf(o2.transpose(0, 1)), valuesOf(o1));
  assert.deepEqual(valuesOf(h2), valuesOf(h1));
  const [o3, h3] = m.forward(x.select(1, 0)); // batch_first is ignored for unbatched input
  assert.deepEqual(o3.shape, [5, 8]);
  assert.deepEqual(h3.shape, [4, 4]);
  assert.deepEqual(valuesOf(o3), valuesOf(o1.select(1, 0)));
});

test("modules are callable and default to the float32 of their parameters", () => {
  torch.manual_seed(0);
  const m = new nn.LSTM(3, 4);
  const [out, [h, c]] = m(torch.randn(2, 1, 3));
  assert.equal(out.dtype, torch.float32);
  assert.deepEqual([out.shape, h.shape, c.shape], [[2, 1, 4], [1, 1, 4], [1, 1, 4]]);
  assert.ok(out.grad_fn !== null && out.requires_grad);
  assert.equal(new nn.GRU(3, 4, { dtype: torch.float64 }).weight_ih_l0.dtype, torch.float64);
});

// ---- errors and warnings ------------------------------------------------------------------------

const z = (...s: number[]) => torch.zeros(...s);
const ERRORS: Record<string, () => unknown> = {
  "RNN input_size": () => new nn.RNN(10, 20).forward(z(5, 3, 5)),
  "LSTM input_size": () => new nn.LSTM(10, 20).forward(z(5, 3, 5)),
  "GRU input_size unbatched": () => new nn.GRU(10, 20).forward(z(5, 7)),
  "RNN hidden size": () => new nn.RNN(10, 20).forward(z(5, 3, 10), z(1, 4, 20)),
  "RNN hidden size layers": () => new nn.RNN(10, 20, 2, { bidirectional: true }).forward(z(5, 3, 10), z(2, 3, 20)),
  "GRU hidden size batch_first": () => new nn.GRU(10, 20, { batch_first: true }).forward(z(3, 5, 10), z(1, 5, 20)),
  "GRU hidden size unbatched": () => new nn.GRU(10, 20).forward(z(5, 10), z(1, 19)),
  "LSTM hidden[0] size": () => new nn.LSTM(10, 20).forward(z(5, 3, 10), [z(1, 4, 20), z(1, 3, 20)]),
  "LSTM hidden[1] size": () => new nn.LSTM(10, 20).forward(z(5, 3, 10), [z(1, 3, 20), z(1, 3, 21)]),
  "LSTM proj hidden[0] size": () => new nn.LSTM(10, 20, { proj_size: 5 }).forward(z(5, 3, 10), [z(1, 3, 20), z(1, 3, 20)]),
  "LSTM proj hidden[1] size": () => new nn.LSTM(10, 20, { proj_size: 5 }).forward(z(5, 3, 10), [z(1, 3, 5), z(1, 3, 5)]),
  "RNN batched hx 2-D": () => new nn.RNN(10, 20).forward(z(5, 3, 10), z(3, 20)),
  "GRU unbatched hx 3-D": () => new nn.GRU(10, 20).forward(z(5, 10), z(1, 1, 20)),
  "LSTM batched hx 2-D": () => new nn.LSTM(10, 20).forward(z(5, 3, 10), [z(3, 20), z(1, 3, 20)]),
  "LSTM unbatched hx 3-D": () => new nn.LSTM(10, 20).forward(z(5, 10), [z(1, 20), z(1, 1, 20)]),
  "RNN 4-D input": () => new nn.RNN(10, 20).forward(z(2, 5, 3, 10)),
  "LSTM 1-D input": () => new nn.LSTM(10, 20).forward(z(10)),
  "GRU 4-D input": () => new nn.GRU(10, 20).forward(z(2, 5, 3, 10)),
  "LSTM input dtype": () => new nn.LSTM(10, 20).forward(z(5, 3, 10).double()),
  "GRU input dtype": () => new nn.GRU(10, 20).double().forward(z(5, 3, 10)),
  "RNN empty sequence": () => new nn.RNN(10, 20).forward(z(0, 3, 10)),
  "dropout > 1": () => new nn.LSTM(10, 20, 2, { dropout: 1.5 }),
  "dropout < 0": () => new nn.GRU(10, 20, 2, { dropout: -0.1 }),
  "dropout bool": () => new nn.RNN(10, 20, 2, { dropout: true as unknown as number }),
  "proj_size < 0": () => new nn.LSTM(10, 20, { proj_size: -1 }),
  "proj_size >= hidden_size": () => new nn.LSTM(10, 20, { proj_size: 20 }),
  "RNN proj_size": () => new nn.RNN(10, 20, { proj_size: 5 } as never),
  "GRU proj_size": () => new nn.GRU(10, 20, { proj_size: 0 } as never),
  "RNN nonlinearity": () => new nn.RNN(10, 20, { nonlinearity: "gelu" }),
  "hidden_size 0": () => new nn.GRU(10, 0),
  "num_layers 0": () => new nn.LSTM(10, 20, { num_layers: 0 }),
  "hidden_size float": () => new nn.LSTM(10, 2.5),
  "RNNCell input_size": () => new nn.RNNCell(10, 20).forward(z(3, 5)),
  "LSTMCell input_size unbatched": () => new nn.LSTMCell(10, 20).forward(z(7)),
  "GRUCell batch": () => new nn.GRUCell(10, 20).forward(z(3, 10), z(4, 20)),
  "RNNCell hidden_size": () => new nn.RNNCell(10, 20).forward(z(3, 10), z(3, 7)),
  "LSTMCell hidden1 size": () => new nn.LSTMCell(10, 20).forward(z(3, 10), [z(3, 20), z(3, 7)]),
  "LSTMCell hidden1 batch": () => new nn.LSTMCell(10, 20).forward(z(3, 10), [z(3, 20), z(2, 20)]),
  "RNNCell 3-D input": () => new nn.RNNCell(10, 20).forward(z(2, 3, 10)),
  "GRUCell 3-D hidden": () => new nn.GRUCell(10, 20).forward(z(3, 10), z(1, 3, 20)),
  "LSTMCell 3-D hx[1]": () => new nn.LSTMCell(10, 20).forward(z(3, 10), [z(3, 20), z(1, 3, 20)]),
  "RNNCell nonlinearity": () => new nn.RNNCell(10, 20, { nonlinearity: "gelu" }).forward(z(3, 10)),
};

test("errors in PyTorch 2.x's words", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), golden.errors.map((e) => e.name).sort(), "every golden error case has a thunk");
  for (const e of golden.errors) {
    assert.throws(ERRORS[e.name]!, (err: Error) => {
      assert.equal(err.message, e.error, e.name);
      return true;
    }, e.name);
  }
  assert.throws(() => new nn.LSTM(10, 2.5), TypeError);
});

test("a refused constructor draws nothing; a refused forward changes nothing", () => {
  torch.manual_seed(0);
  const expected = valuesOf(torch.rand(4));
  torch.manual_seed(0);
  assert.throws(() => new nn.LSTM(10, 20, { proj_size: 20 }));
  assert.throws(() => new nn.RNN(10, 20, { nonlinearity: "gelu" }));
  assert.deepEqual(valuesOf(torch.rand(4)), expected);
  torch.manual_seed(0);
  const m = new nn.GRU(3, 4, { num_layers: 2, dropout: 0.5 });
  const before = m.parameters().map((p) => valuesOf(p));
  const r1 = valuesOf(torch.rand(2));
  torch.manual_seed(0);
  new nn.GRU(3, 4, { num_layers: 2, dropout: 0.5 });
  assert.throws(() => m.forward(torch.zeros(5, 2, 3), torch.zeros(2, 3, 4)), /Expected hidden size \(2, 2, 4\), got \[2, 3, 4\]/);
  assert.deepEqual(valuesOf(torch.rand(2)), r1, "no dropout mask drawn before the check");
  assert.deepEqual(m.parameters().map((p) => valuesOf(p)), before);
  assert.ok(m.parameters().every((p) => p.grad === null));
});

const WARN: Record<string, () => unknown> = {
  "LSTM(10, 20, dropout=0.5)": () => new nn.LSTM(10, 20, { dropout: 0.5 }),
  "GRU(3, 4, 1, True, False, 1)": () => new nn.GRU(3, 4, 1, true, false, 1),
};

test("one-layer modules with dropout warn as PyTorch", () => {
  for (const c of golden.warnings) {
    captured = [];
    try { WARN[c.name]!(); } finally {
      assert.deepEqual(captured, c.warnings.map((w) => `UserWarning: ${w}`), c.name);
      captured = null;
    }
  }
});
