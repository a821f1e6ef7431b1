// nn.Module and the containers: registration on assignment, PyTorch's printed form, names and
// state_dict keys, load_state_dict's checks and messages, hooks, modes, conversion, callable
// modules. Reprs, names and messages come from real PyTorch (test/golden/nn_modules.json,
// tools/gen_golden_nn.py); behaviour without a printed form is checked by its effect.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import torch, { type Tensor } from "typetorch";
import * as nn from "../src/nn/index.js";
import { readGolden } from "./helpers.js";

interface Names {
  name: string; state_dict: [string, number[], string][]; named_parameters: string[]; named_parameters_nodedup: string[];
  named_parameters_norecurse: string[]; named_buffers: string[]; named_modules: [string, string][];
  named_modules_nodedup: [string, string][]; named_children: [string, string][]; num_parameters: number; num_modules: number;
}
interface Load { name: string; strict: boolean; error?: string; result?: string; missing_keys?: string[]; unexpected_keys?: string[] }
const golden = readGolden<{ reprs: { name: string; repr: string }[]; names: Names[]; param_reprs: { name: string; repr: string }[]; load: Load[] }>("nn_modules.json");

// ---- the architectures of tools/gen_golden_nn.py ----------------------------------------------------

class Net extends nn.Module {
  features: nn.Sequential;
  head: nn.Linear;
  dropout: nn.Dropout;
  declare running: Tensor;
  constructor() {
    super();
    this.features = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Sequential(new nn.Linear(8, 8), new nn.Tanh()));
    this.head = new nn.Linear(8, 3);
    this.register_buffer("running", torch.zeros(3));
    this.register_buffer("scratch", torch.zeros(2), false);
    this.dropout = new nn.Dropout(0.25);
  }
  override forward(x: Tensor): Tensor { return this.head(this.dropout(this.features(x))).add(this.running); }
}

class Shared extends nn.Module {
  a = new nn.Linear(2, 2); // a class field initialiser registers too
  b: nn.Linear;
  seq: nn.Sequential;
  w: nn.Parameter;
  v: nn.Parameter;
  constructor() {
    super();
    this.b = this.a;
    this.seq = new nn.Sequential(this.a, new nn.ReLU());
    this.w = new nn.Parameter(torch.ones(2));
    this.v = this.w;
  }
}

class WithLists extends nn.Module {
  layers = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3), new nn.Linear(3, 3), new nn.Linear(3, 1)]);
  acts = new nn.ModuleDict({ relu: new nn.ReLU(), prelu: new nn.PReLU(), gelu: new nn.GELU("tanh") });
  params = new nn.ParameterList([new nn.Parameter(torch.ones(2, 3)), new nn.Parameter(torch.zeros(4, { dtype: torch.float64 }))]);
  pdict = new nn.ParameterDict({ beta: new nn.Parameter(torch.ones(3)), alpha: new nn.Parameter(torch.ones(1, 2)) });
  empty = new nn.ModuleList();
}

const ARCHS: Record<string, () => nn.Module> = {
  mlp: () => new nn.Sequential(new nn.Linear(1000, 100), new nn.ReLU(), new nn.Linear(100, 10)),
  named_sequential: () => new nn.Sequential({ fc1: new nn.Linear(3, 4), act: new nn.ReLU(true), fc2: new nn.Linear(4, 2, false) }),
  net: () => new Net(),
  shared: () => new Shared(),
  with_lists: () => new WithLists(),
  losses: () => new nn.ModuleDict({
    ce: new nn.CrossEntropyLoss({ weight: torch.ones(3) }), bce: new nn.BCEWithLogitsLoss({ pos_weight: torch.ones(2) }),
    mse: new nn.MSELoss(), nll: new nn.NLLLoss(),
  }),
};

const SINGLE: Record<string, () => nn.Module> = {
  "Linear(3, 4, bias=False)": () => new nn.Linear(3, 4, { bias: false }),
  "Bilinear(2, 3, 4)": () => new nn.Bilinear(2, 3, 4),
  "Identity()": () => new nn.Identity(54, { unused: "x" }),
  "Flatten()": () => new nn.Flatten(),
  "Flatten(0, 2)": () => new nn.Flatten(0, 2),
  "Unflatten(1, (2, 5))": () => new nn.Unflatten(1, [2, 5]),
  "Dropout()": () => new nn.Dropout(),
  "Dropout(0.2, inplace=True)": () => new nn.Dropout(0.2, true),
  "Embedding(10, 3)": () => new nn.Embedding(10, 3),
  "Embedding(10, 3, padding_idx=1, max_norm=1.5, norm_type=1.0, scale_grad_by_freq=True, sparse=True)":
    () => new nn.Embedding(10, 3, { padding_idx: 1, max_norm: 1.5, norm_type: 1, scale_grad_by_freq: true, sparse: true }),
  "ReLU()": () => new nn.ReLU(),
  "ReLU(inplace=True)": () => new nn.ReLU({ inplace: true }),
  "ReLU6()": () => new nn.ReLU6(),
  "ReLU6(inplace=True)": () => new nn.ReLU6(true),
  "LeakyReLU()": () => new nn.LeakyReLU(),
  "LeakyReLU(0.2, inplace=True)": () => new nn.LeakyReLU(0.2, true),
  "PReLU()": () => new nn.PReLU(),
  "PReLU(3)": () => new nn.PReLU(3),
  "ELU()": () => new nn.ELU(),
  "ELU(alpha=0.5, inplace=True)": () => new nn.ELU({ alpha: 0.5, inplace: true }),
  "SELU()": () => new nn.SELU(),
  "SELU(inplace=True)": () => new nn.SELU(true),
  "CELU(alpha=2.0)": () => new nn.CELU(2),
  "GELU()": () => new nn.GELU(),
  "GELU(approximate='tanh')": () => new nn.GELU({ approximate: "tanh" }),
  "SiLU()": () => new nn.SiLU(),
  "SiLU(inplace=True)": () => new nn.SiLU(true),
  "Mish()": () => new nn.Mish(),
  "Sigmoid()": () => new nn.Sigmoid(),
  "Tanh()": () => new nn.Tanh(),
  "Hardtanh()": () => new nn.Hardtanh(),
  "Hardtanh(-2.0, 2.5, inplace=True)": () => new nn.Hardtanh(-2, 2.5, true),
  "Hardswish()": () => new nn.Hardswish(),
  "Hardsigmoid(inplace=True)": () => new nn.Hardsigmoid(true),
  "Softplus()": () => new nn.Softplus(),
  "Softplus(beta=2.0, threshold=10.0)": () => new nn.Softplus({ beta: 2, threshold: 10 }),
  "Softsign()": () => new nn.Softsign(),
  "Softmax()": () => new nn.Softmax(),
  "Softmax(dim=1)": () => new nn.Softmax(1),
  "LogSoftmax(dim=-1)": () => new nn.LogSoftmax({ dim: -1 }),
  "Softmin(dim=0)": () => new nn.Softmin(0),
  "Threshold(0.1, 20.0)": () => new nn.Threshold(0.1, 20),
  "LogSigmoid()": () => new nn.LogSigmoid(),
  "Tanhshrink()": () => new nn.Tanhshrink(),
  "MSELoss()": () => new nn.MSELoss(),
  "L1Loss(reduction='sum')": () => new nn.L1Loss({ reduction: "sum" }),
  "CrossEntropyLoss()": () => new nn.CrossEntropyLoss(),
  "KLDivLoss(reduction='batchmean')": () => new nn.KLDivLoss({ reduction: "batchmean" }),
  "HuberLoss()": () => new nn.HuberLoss(),
  "SmoothL1Loss()": () => new nn.SmoothL1Loss(),
  "NLLLoss()": () => new nn.NLLLoss(),
  "BCELoss()": () => new nn.BCELoss(),
  "BCEWithLogitsLoss()": () => new nn.BCEWithLogitsLoss(),
  "CosineEmbeddingLoss()": () => new nn.CosineEmbeddingLoss(),
  "MarginRankingLoss()": () => new nn.MarginRankingLoss(),
  "ModuleList()": () => new nn.ModuleList(),
  "ModuleList([Linear, Linear, ReLU, Linear])": () => new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 2)]),
  "Sequential()": () => new nn.Sequential(),
};

// ---- printed form -------------------------------------------------------------------------------

test("printed form of models and layers: String(), console.log (util.inspect), toString", () => {
  for (const r of golden.reprs) {
    const make = ARCHS[r.name] ?? SINGLE[r.name];
    assert.ok(make, `no builder for ${r.name}`);
    const m = make!();
    assert.equal(String(m), r.repr, r.name);
    assert.equal(inspect(m), r.repr, `${r.name} (util.inspect)`);
    assert.equal(`${m}`, r.repr);
  }
});

test("Parameter's printed form", () => {
  const make: Record<string, () => nn.Parameter> = {
    "param 2x2": () => new nn.Parameter(torch.tensor([[1, 2], [3, 4]])),
    "param float64 no grad": () => new nn.Parameter(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }), false),
    "param 0-d": () => new nn.Parameter(torch.tensor(1.5)),
    "param long row": () => new nn.Parameter(torch.arange(30).div(7)),
    "param empty": () => new nn.Parameter(),
  };
  for (const r of golden.param_reprs) {
    const p = make[r.name]!();
    assert.equal(String(p), r.repr, r.name);
    assert.equal(inspect(p), r.repr);
  }
});

// ---- names --------------------------------------------------------------------------------------

for (const e of golden.names) {
  test(`state_dict keys and named_* of ${e.name}`, () => {
    const m = ARCHS[e.name]!();
    const sd = m.state_dict();
    assert.deepEqual(Object.entries(sd).map(([k, v]) => [k, v.shape.slice(), v.dtype.name]), e.state_dict);
    assert.deepEqual(m.named_parameters().map(([n]) => n), e.named_parameters);
    assert.deepEqual(m.named_parameters({ remove_duplicate: false }).map(([n]) => n), e.named_parameters_nodedup);
    assert.deepEqual(m.named_parameters("", false).map(([n]) => n), e.named_parameters_norecurse);
    assert.deepEqual(m.named_buffers().map(([n]) => n), e.named_buffers);
    const cls = (x: nn.Module) => x.constructor.name;
    assert.deepEqual(m.named_modules().map(([n, s]) => [n, cls(s)]), e.named_modules);
    assert.deepEqual(m.named_modules(null, "", false).map(([n, s]) => [n, cls(s)]), e.named_modules_nodedup);
    assert.deepEqual(m.named_children().map(([n, s]) => [n, cls(s)]), e.named_children);
    assert.equal(m.parameters().length, e.num_parameters);
    assert.equal(m.modules().length, e.num_modules);
    // state_dict values are detached views of the parameters' storage
    const [name, p] = m.named_parameters()[0] ?? [];
    if (p) {
      const v = sd[name!]!;
      assert.ok(v !== p && !v.requires_grad && v.grad_fn === null);
      no_grad(() => p.add_(1));
      assert.deepEqual(v.tolist(), p.tolist());
      assert.ok(m.state_dict({ keep_vars: true })[name!] === p);
    }
  });
}
const no_grad = torch.no_grad;

// ---- load_state_dict ------------------------------------------------------------------------------

const LOADS: Record<string, [() => nn.Module, () => Record<string, Tensor>]> = {
  "ok": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(4, 3), bias: torch.zeros(4) })],
  "missing": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(4, 3) })],
  "unexpected": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(4, 3), bias: torch.zeros(4), extra: torch.zeros(1) })],
  "size": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(3, 4), bias: torch.zeros(4) })],
  "all three": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(3, 3), "foo.bar": torch.zeros(4) })],
  "non-strict": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(4, 3), foo: torch.zeros(4) })],
  "non-strict size": [() => new nn.Linear(3, 4), () => ({ weight: torch.zeros(2, 3) })],
  "sequential missing and unexpected": [() => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)),
    () => ({ "0.weight": torch.zeros(3, 2), "0.bias": torch.zeros(3), "1.weight": torch.zeros(1, 3), "2.bias": torch.zeros(1) })],
  "net buffers": [() => new Net(), () => { const sd = new Net().state_dict(); delete sd.running; return sd; }],
  "net extra child key": [() => new Net(), () => ({ ...new Net().state_dict(), "features.3.weight": torch.zeros(1), "dropout.p": torch.zeros(1) })],
};

for (const c of golden.load) {
  test(`load_state_dict: ${c.name}`, () => {
    const [makeModel, makeSd] = LOADS[c.name]!;
    const m = makeModel();
    const before = Object.entries(m.state_dict()).map(([k, v]) => [k, v.clone()] as const);
    const sd = makeSd();
    if (c.error !== undefined) {
      assert.throws(() => m.load_state_dict(sd, c.strict), (e: Error) => e.message === c.error);
      // nothing changed, not even the entries that matched (PyTorch copies those before raising)
      for (const [k, v] of before) assert.ok(torch.equal(m.state_dict()[k]!, v), `${k} unchanged`);
    } else {
      const r = m.load_state_dict(sd, c.strict);
      assert.equal(String(r), c.result);
      assert.deepEqual(r.missing_keys, c.missing_keys);
      assert.deepEqual(r.unexpected_keys, c.unexpected_keys);
      for (const [k, v] of Object.entries(sd)) if (k in m.state_dict()) assert.ok(torch.equal(m.state_dict()[k]!, v));
    }
  });
}

test("load_state_dict copies into the parameters (identity kept), casts dtypes, takes a Map, assign", () => {
  const m = new nn.Linear(2, 2);
  const w = m.weight;
  m.load_state_dict(new Map([["weight", torch.ones(2, 2, { dtype: torch.float64 })], ["bias", torch.zeros(2)]]));
  assert.ok(m.weight === w && w.dtype === torch.float32 && w.requires_grad);
  assert.deepEqual(w.tolist(), [[1, 1], [1, 1]]);
  const src = torch.full([2, 2], 3);
  m.load_state_dict({ weight: src, bias: torch.zeros(2) }, { assign: true });
  assert.ok(m.weight instanceof nn.Parameter && m.weight !== w && m.weight.requires_grad);
  src.add_(1); // assign shares the given tensor's storage
  assert.equal(m.weight.select(0, 0).select(0, 0).item(), 4);
  assert.throws(() => m.load_state_dict({ weight: 3 as unknown as Tensor, bias: torch.zeros(2) }),
    /While copying the parameter named "weight", expected torch.Tensor or Tensor-like object from checkpoint but received <class 'int'>/);
  // a round trip through state_dict
  torch.manual_seed(0);
  const a = new Net(), b = new Net();
  b.load_state_dict(a.state_dict());
  for (const [k, v] of Object.entries(a.state_dict())) assert.ok(torch.equal(b.state_dict()[k]!, v), k);
});

// ---- registration -------------------------------------------------------------------------------

test("assignment registers parameters, buffers and modules, as Module.__setattr__", () => {
  const m = new nn.Module();
  m.register_buffer("buf", torch.zeros(1));
  const r = m as unknown as Record<string, unknown>;
  r.p = new nn.Parameter(torch.ones(1));
  r.sub = new nn.Linear(1, 1);
  r.plain = torch.ones(1); // a plain tensor stays a plain attribute
  r.n = 3;
  assert.deepEqual(m.named_parameters().map(([n]) => n), ["p", "sub.weight", "sub.bias"]);
  assert.deepEqual(m.named_buffers().map(([n]) => n), ["buf"]);
  assert.deepEqual(Object.keys(m.state_dict()), ["p", "buf", "sub.weight", "sub.bias"]);
  r.buf = torch.ones(2); // a tensor assigned to a buffer's name replaces the buffer
  assert.deepEqual(m.state_dict().buf!.shape, [2]);
  assert.throws(() => { r.p = torch.ones(1); }, /cannot assign 'torch.FloatTensor' as parameter 'p' \(torch.nn.Parameter or None expected\)/);
  assert.throws(() => { r.sub = 3; }, /cannot assign 'int' as child module 'sub' \(torch.nn.Module or None expected\)/);
  assert.throws(() => { r.buf = 3; }, /cannot assign 'int' as buffer 'buf' \(torch.Tensor or None expected\)/);
  r.p = null; // None keeps the slot, out of parameters()
  assert.deepEqual(m.named_parameters().map(([n]) => n), ["sub.weight", "sub.bias"]);
  r.p = new nn.Parameter(torch.zeros(1));
  r.sub = new nn.Parameter(torch.zeros(2)); // a Parameter replaces the module of that name
  assert.deepEqual(m.named_parameters().map(([n]) => n), ["p", "sub"]);
  assert.equal(m.children().length, 0);
  delete r.sub;
  assert.deepEqual(m.named_parameters().map(([n]) => n), ["p"]);
  assert.throws(() => m.register_buffer("p", torch.zeros(1)), /attribute 'p' already exists/);
  // (PyTorch's KeyErrors: str() of one is its message's repr)
  assert.throws(() => m.register_parameter("a.b", null), { message: `'parameter name can\\'t contain "."'` });
  assert.throws(() => m.add_module("", new nn.ReLU()), { message: `'module name can\\'t be empty string ""'` });
  assert.throws(() => m.register_parameter("q", torch.ones(1) as nn.Parameter), /cannot assign 'torch.FloatTensor' object to parameter 'q'/);
  assert.throws(() => m.add_module("forward", new nn.ReLU()), /attribute 'forward' already exists/);
  assert.equal(m.get_submodule(""), m);
  const net = new Net();
  assert.ok(net.get_submodule("features.2.0") instanceof nn.Linear);
  assert.ok(net.get_parameter("features.2.0.bias") === (net.features.at(2) as nn.Sequential).at(0).get_parameter("bias"));
  assert.throws(() => net.get_submodule("features.9"), /Sequential has no attribute `9`/);
});

test("a subclass re-declaring an inherited field keeps the parent's registration", () => {
  class MyLinear extends nn.Linear {
    // TypeScript flags exactly this; plain JavaScript (and older TS code) does it silently
    // @ts-expect-error a field re-declared without initialiser: a define of undefined after super()
    weight: nn.Parameter;
    tag = "x";
  }
  const m = new MyLinear(2, 3);
  assert.ok(m.weight instanceof nn.Parameter);
  assert.deepEqual(m.named_parameters().map(([n]) => n), ["weight", "bias"]);
  assert.equal(String(m), "MyLinear(in_features=2, out_features=3, bias=True)");
});

// ---- calling, hooks -------------------------------------------------------------------------------

test("modules are callable; forward, call and model(x) agree; missing forward errors as PyTorch", () => {
  torch.manual_seed(0);
  const m = new nn.Linear(3, 2);
  const x = torch.randn(4, 3);
  assert.ok(torch.equal(m(x), m.forward(x)));
  assert.ok(torch.equal(m.call(x), m.forward(x)));
  assert.equal(typeof m, "function");
  assert.ok(m instanceof nn.Linear && m instanceof nn.Module);
  assert.throws(() => new nn.ModuleList()(x), /Module \[ModuleList\] is missing the required "forward" function/);
  assert.throws(() => (new nn.ParameterList() as unknown as (x: Tensor) => Tensor)(x), /ParameterList should not be called\./);
});

test("forward pre-hooks and hooks: order, replacing inputs and outputs, removal, prepend, always_call", () => {
  const m = new nn.Linear(2, 2);
  const x = torch.ones(1, 2);
  const log: string[] = [];
  const h1 = m.register_forward_pre_hook((_mod, args) => { log.push("pre1"); return [(args[0] as Tensor).mul(2)]; });
  const h2 = m.register_forward_pre_hook(() => { log.push("pre0"); }, { prepend: true });
  const h3 = m.register_forward_hook((mod, args, out) => {
    log.push("hook");
    assert.ok(mod === m);
    assert.deepEqual((args[0] as Tensor).tolist(), [[2, 2]]); // the hook sees the replaced input
    return (out as Tensor).mul(0).abs();
  });
  const y = m(x);
  assert.deepEqual(log, ["pre0", "pre1", "hook"]);
  assert.deepEqual(y.tolist(), [[0, 0]]);
  assert.ok(torch.equal(m.forward(x), x.matmul(m.weight.t()).add(m.bias!)), "forward itself runs no hooks");
  h1.remove(); h2.remove(); h3.remove();
  assert.ok(torch.equal(m(x), m.forward(x)));
  // a hook returning a single value replaces the arguments with it; with_kwargs hooks get {}
  const h4 = m.register_forward_pre_hook(() => torch.zeros(1, 2));
  const h5 = m.register_forward_hook((_m, _a, kwargs, out) => { assert.deepEqual(kwargs, {}); return (out as Tensor).add(1); }, { with_kwargs: true });
  assert.deepEqual(m(x).tolist(), m.bias!.add(1).unsqueeze(0).tolist());
  h4.remove(); h5.remove();
  // always_call hooks run even when forward throws, and the error still propagates
  let ran = false;
  m.register_forward_hook(() => { ran = true; }, { always_call: true });
  assert.throws(() => m(torch.ones(1, 3)), /mat1 and mat2 shapes cannot be multiplied \(1x3 and 2x2\)/);
  assert.ok(ran);
  // Sequential calls its children through their hooks
  const seq = new nn.Sequential(new nn.Identity(), new nn.Identity());
  let calls = 0;
  (seq.at(1)).register_forward_hook(() => { calls++; });
  seq(x);
  assert.equal(calls, 1);
});

// ---- modes, gradients, conversion ----------------------------------------------------------------

test("train/eval recurse; requires_grad_, zero_grad, apply", () => {
  const net = new Net();
  assert.equal(net.training, true);
  net.eval();
  assert.ok(net.modules().every((m) => m.training === false));
  net.train();
  assert.ok(net.modules().every((m) => m.training === true));
  assert.throws(() => net.train(1 as unknown as boolean), /training mode is expected to be boolean/);
  net.requires_grad_(false);
  assert.ok(net.parameters().every((p) => !p.requires_grad));
  net.requires_grad_();
  const out = net(torch.ones(2, 4)).sum();
  out.backward();
  assert.ok(net.parameters().every((p) => p.grad !== null));
  net.zero_grad(false);
  assert.ok(net.parameters().every((p) => p.grad !== null && p.grad.abs().sum().item() === 0));
  net.zero_grad();
  assert.ok(net.parameters().every((p) => p.grad === null));
  const seen: string[] = [];
  net.apply((m) => { seen.push(m.constructor.name); });
  assert.deepEqual(seen, ["Linear", "ReLU", "Linear", "Tanh", "Sequential", "Sequential", "Linear", "Dropout", "Net"]);
});

test("to(dtype), double(), float(): parameters keep identity, buffers are replaced, ints untouched", () => {
  const net = new Net();
  net.register_buffer("steps", torch.tensor([3n]));
  const p = net.head.weight;
  p.grad = torch.ones(3, 8);
  const oldRunning = net.running;
  net.double();
  assert.ok(net.head.weight === p && p.dtype === torch.float64 && p.grad!.dtype === torch.float64);
  assert.ok(net.running !== oldRunning && net.running.dtype === torch.float64);
  assert.equal(net.state_dict().steps!.dtype, torch.int64);
  assert.equal(net(torch.ones(1, 4, { dtype: torch.float64 })).dtype, torch.float64);
  net.to(torch.float32);
  assert.ok(net.parameters().every((q) => q.dtype === torch.float32));
  net.to({ dtype: torch.float64, device: "cpu" });
  assert.equal(p.dtype, torch.float64);
  assert.throws(() => net.to(torch.int32), /nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int32/);
  assert.throws(() => net.to("cuda"));
});

// ---- containers ---------------------------------------------------------------------------------

test("Sequential: indexing, length, append/insert/delete renumbering, slices, iteration, named entries", () => {
  const a = new nn.Linear(2, 2), r = new nn.ReLU(), b = new nn.Linear(2, 1);
  const s = new nn.Sequential(a, r);
  assert.ok(s[0] === a && s.at(-1) === r && s.length === 2);
  s.append(b);
  assert.deepEqual([...s], [a, r, b]);
  assert.deepEqual(s.slice(1).named_children().map(([n]) => n), ["1", "2"]); // names kept, as PyTorch's slice
  s.insert(0, new nn.Identity());
  assert.deepEqual(s.named_children().map(([n, m]) => [n, m.constructor.name]), [["0", "Identity"], ["1", "Linear"], ["2", "ReLU"], ["3", "Linear"]]);
  s.delete(0);
  assert.ok(s[0] === a && s[2] === b && s.len() === 3);
  assert.ok(s.pop(-1) === b && s.len() === 2);
  s.set(1, new nn.Tanh());
  assert.equal(s.at(1).constructor.name, "Tanh");
  assert.throws(() => s.at(5), /index 5 is out of range/);
  const x = torch.ones(3, 2);
  assert.ok(torch.equal(s(x), s.at(1)(a(x))));
  const named = new nn.Sequential(new Map<string, nn.Module>([["first", new nn.ReLU()], ["second", new nn.Tanh()]]));
  assert.deepEqual(named.named_children().map(([n]) => n), ["first", "second"]);
  assert.ok((named as unknown as Record<string, unknown>).first instanceof nn.ReLU);
  assert.equal(s.add(named).length, 4);
});

test("ModuleList and ModuleDict", () => {
  const ml = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
  ml.append(new nn.Sigmoid()).extend([new nn.Identity()]);
  assert.equal(ml.length, 4);
  assert.equal(ml[2]!.constructor.name, "Sigmoid");
  ml.insert(1, new nn.SiLU());
  assert.deepEqual([...ml].map((m) => m.constructor.name), ["ReLU", "SiLU", "Tanh", "Sigmoid", "Identity"]);
  ml.delete(0);
  assert.deepEqual(ml.named_children().map(([n]) => n), ["0", "1", "2", "3"]);
  assert.equal(ml.slice(1, 3).length, 2);
  const md = new nn.ModuleDict([["b", new nn.ReLU()], ["a", new nn.Tanh()]]);
  md.set("c", new nn.Linear(1, 1));
  assert.deepEqual(md.keys(), ["b", "a", "c"]);
  assert.deepEqual([...md], ["b", "a", "c"]);
  assert.ok(md.has("a") && md.get("a") instanceof nn.Tanh);
  assert.ok(md.pop("b") instanceof nn.ReLU);
  assert.deepEqual(md.items().map(([k]) => k), ["a", "c"]);
  assert.deepEqual(md.named_parameters().map(([n]) => n), ["c.weight", "c.bias"]);
  assert.throws(() => new nn.ModuleDict({ train: new nn.ReLU() }), /attribute 'train' already exists/);
});

test("ParameterList and ParameterDict wrap tensors as Parameters", () => {
  const pl = new nn.ParameterList([torch.ones(2), new nn.Parameter(torch.zeros(3))]);
  assert.ok(pl.at(0) instanceof nn.Parameter && pl.at(0).requires_grad);
  pl.append(torch.ones(1));
  assert.equal(pl.length, 3);
  assert.deepEqual(pl.named_parameters().map(([n]) => n), ["0", "1", "2"]);
  assert.deepEqual([...pl].map((p: Tensor) => p.numel()), [2, 3, 1]);
  const pd = new nn.ParameterDict({ z: torch.ones(1), a: torch.ones(2) });
  assert.deepEqual(pd.keys(), ["a", "z"]); // a plain object is added in sorted order, as PyTorch
  pd.set("m", torch.zeros(3));
  assert.ok(pd.get("m") instanceof nn.Parameter);
  assert.deepEqual(pd.named_parameters().map(([n]) => n), ["a", "z", "m"]);
  pd.delete("z");
  assert.deepEqual([...pd], ["a", "m"]);
  assert.equal(pd.get("nope", 5), 5);
});

test("Parameter: shares storage, is a leaf, ops return plain tensors", () => {
  const t = torch.ones(2, 2);
  const p = new nn.Parameter(t);
  assert.ok(p.is_leaf && p.requires_grad && p instanceof torch.Tensor);
  t.add_(1);
  assert.deepEqual(p.tolist(), [[2, 2], [2, 2]]);
  const q = p.mul(2);
  assert.ok(!(q instanceof nn.Parameter));
  assert.ok(!(p.detach() instanceof nn.Parameter));
  assert.throws(() => new nn.Parameter(torch.tensor([1n])), /Only Tensors of floating point and complex dtype can require gradients/);
  assert.ok(!new nn.Parameter(torch.tensor([1n]), false).requires_grad);
});

test("losses register their weights as buffers; reductions are validated", () => {
  const w = torch.tensor([1, 2, 3]);
  const ce = new nn.CrossEntropyLoss(w, { label_smoothing: 0.1 });
  assert.ok(ce.weight === w);
  assert.deepEqual(Object.keys(ce.state_dict()), ["weight"]);
  assert.equal(ce.label_smoothing, 0.1);
  assert.throws(() => new nn.MSELoss({ reduction: "avg" as "mean" })(torch.ones(1), torch.ones(1)), /avg is not a valid value for reduction/);
  const warn = console.warn; const msgs: string[] = [];
  console.warn = (m: string) => { msgs.push(m); };
  try { assert.equal(new nn.MSELoss({ size_average: false }).reduction, "sum"); } finally { console.warn = warn; }
  assert.match(msgs[0]!, /size_average and reduce args will be deprecated, please use reduction='sum' instead\./);
});
