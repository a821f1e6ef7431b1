// torch.func against PyTorch 2.x (test/golden/func.json, from tools/gen_golden_func.py): each
// case runs the generator's program of the same name and compares the result (a tensor or a tree
// of them) in float64; errors carry PyTorch's messages.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { readGolden, assertClose, type GoldenTensor } from "./helpers.js";

const { grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap, functional_call } = torch.func;
const nn = torch.nn;
type Tree = GoldenTensor | Tree[] | { [k: string]: Tree };
const G = readGolden<{ cases: Record<string, Tree> & { errors: Record<string, string> } }>("func.json").cases;

const D = { dtype: torch.float64 };
const X = torch.tensor([0.5, -1.25, 2.0], D);
const Y = torch.tensor([1.5, 0.25, -0.75], D);
const W = torch.tensor([[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]], D);
const B = torch.tensor([[0.1, 0.2, 0.3], [-1.0, 0.5, 2.0], [0.0, -0.5, 1.5], [1.0, 1.0, -1.0]], D);
const f = (x: Tensor): Tensor => x.sin().mul(x).sum();

function assertTree(actual: unknown, expected: Tree, what: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${what}: length`);
    expected.forEach((e, i) => assertTree((actual as unknown[])[i], e, `${what}[${i}]`));
  } else if ("dtype" in expected && "shape" in expected) {
    assert.ok(actual instanceof torch.Tensor, `${what}: expected a tensor`);
    assert.ok(!(actual as Tensor).requires_grad, `${what}: no history at top level`);
    assertClose(actual as Tensor, expected as GoldenTensor, what, { rtol: 1e-10, atol: 1e-12 });
  } else {
    assert.deepEqual(Object.keys(actual as object), Object.keys(expected), `${what}: keys`);
    for (const k of Object.keys(expected)) assertTree((actual as Record<string, unknown>)[k], (expected as Record<string, Tree>)[k]!, `${what}.${k}`);
  }
}

const PROGRAMS: Record<string, () => unknown> = {
  grad_simple: () => grad(f)(X),
  grad_argnums: () => grad((x: Tensor, y: Tensor) => x.mul(y.exp()).sum(), [0, 1])(X, Y),
  grad_argnum_1: () => grad((x: Tensor, y: Tensor) => x.mul(y.exp()).sum(), 1)(X, Y),
  grad_has_aux: () => grad((x: Tensor) => [f(x), x.cos()], { has_aux: true })(X),
  grad_and_value_simple: () => grad_and_value(f)(X),
  grad_dict: () => grad((p: Record<string, Tensor>, x: Tensor) => x.matmul(p["w"]!).tanh().mul(p["s"]!).sum())({ w: W, s: torch.tensor(2.0, D) }, X),
  grad_of_grad: () => grad((x: Tensor) => (grad(f)(x) as Tensor).sum())(X),
  vjp_simple: () => {
    const [out, fn] = vjp((x: Tensor, y: Tensor) => x.mul(y.sin()), X, Y) as [Tensor, (ct: Tensor) => Tensor[]];
    return [out, fn(torch.tensor([1.0, -2.0, 0.5], D))];
  },
  vjp_tuple_out: () => {
    const [out, fn] = vjp((x: Tensor) => [x.exp(), x.mul(x).sum()], X) as [Tensor[], (ct: Tensor[]) => Tensor[]];
    return [out, fn([torch.ones(3, D), torch.tensor(2.0, D)])];
  },
  jvp_simple: () => jvp((x: Tensor, y: Tensor) => x.exp().mul(y), [X, Y], [torch.tensor([1.0, 0.0, -1.0], D), torch.tensor([0.5, 0.5, 0.5], D)]),
  jacrev_simple: () => jacrev((x: Tensor) => x.matmul(W).tanh())(X),
  jacrev_argnums: () => jacrev((x: Tensor, w: Tensor) => x.matmul(w).tanh(), [0, 1])(X, W),
  jacfwd_simple: () => jacfwd((x: Tensor) => x.sin().mul(x.sum()))(X),
  hessian_simple: () => hessian((x: Tensor) => x.pow(3).sum().add(x.index(0).mul(x.index(1))))(X),
  vmap_dot: () => vmap(torch.dot)(B, B.flip(0)),
  vmap_in_dims: () => vmap((x: Tensor, y: Tensor) => x.mul(y), [1, null])(B.t(), Y),
  vmap_out_dims: () => vmap((x: Tensor) => x.outer(x), 0, 1)(B),
  vmap_tree: () => vmap((d: Record<string, Tensor>) => ({ s: d["a"]!.sum(), p: d["a"]!.mul(d["b"]!) }), [{ a: 0, b: null }])({ a: B, b: Y }),
  vmap_jacrev: () => vmap(jacrev((x: Tensor) => x.sin().mul(x.sum())))(B),
  vmap_grad_functional_call: () => {
    torch.manual_seed(0);
    const model = new nn.Linear(3, 2).double();
    const params = Object.fromEntries(model.named_parameters().map(([k, v]) => [k, v.detach()]));
    const loss = (p: Record<string, Tensor>, x: Tensor, t: Tensor): Tensor =>
      (functional_call(model, p, [x.unsqueeze(0)]) as Tensor).sub(t).pow(2).sum();
    return vmap(grad(loss), { in_dims: [null, 0, 0] })(params, B, B.index(torch.slice(null), torch.slice(null, 2)));
  },
  functional_call_simple: () => {
    torch.manual_seed(0);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2)).double();
    const out = functional_call(model, { "0.weight": torch.ones(4, 3, D), "2.bias": torch.tensor([1.0, -1.0], D) }, [B]) as Tensor;
    return torch.no_grad(() => [out.detach(), model.forward(B)]);
  },
  functional_call_tied: () => {
    const lin = new nn.Linear(3, 3, { bias: false }).double();
    const model = new nn.Sequential(lin, new nn.Tanh(), lin);
    return (functional_call(model, { "0.weight": W.matmul(W.t()) }, B) as Tensor).detach();
  },
};

for (const [name, program] of Object.entries(PROGRAMS)) {
  test(`torch.func ${name}: PyTorch's numbers`, () => assertTree(program(), G[name]!, name));
}

test("torch.func errors carry PyTorch's messages", () => {
  const E = G.errors;
  const cases: [string, () => unknown][] = [
    ["grad_not_scalar", () => grad((x: Tensor) => x.mul(2))(X)],
    ["grad_not_tensor", () => grad(() => 2.5)(X)],
    ["grad_argnum", () => grad(f, 3)(X)],
    ["grad_argnums_dup", () => grad((x: Tensor, y: Tensor) => x.mul(y).sum(), [0, 0])(X, Y)],
    ["grad_aux", () => grad(f, { has_aux: true })(X)],
    ["vmap_sizes", () => vmap(torch.mul)(B, X)],
    ["vmap_randomness", () => vmap(torch.sin, 0, 0, "bad")(B)],
    ["vmap_random_op", () => vmap((x: Tensor) => x.add(torch.rand([])))(B)],
    ["vmap_no_tensor", () => vmap((x: Tensor) => x, [null])(X)],
    ["jvp_primals", () => jvp(torch.sin, X as unknown as Tensor[], [X])],
  ];
  for (const [key, fn] of cases) assert.throws(fn, (e: Error) => e.message === E[key], `${key}: expected "${E[key]}"`);
  assert.throws(() => vmap(torch.sin, { chunk_size: 0 }), { message: E["vmap_chunk_size"] });
  assert.equal(torch.vmap, vmap);
});

test("vmap randomness 'same' gives every sample the same draws, 'different' different ones", () => {
  torch.manual_seed(0);
  const same = vmap((x: Tensor) => x.add(torch.rand([])), { randomness: "same" })(torch.zeros(3)) as Tensor;
  const v = same.tolist() as number[];
  assert.ok(v[0] === v[1] && v[1] === v[2]);
  const diff = vmap((x: Tensor) => x.add(torch.rand([])), { randomness: "different" })(torch.zeros(3)) as Tensor;
  const w = diff.tolist() as number[];
  assert.ok(w[0] !== w[1]);
});

test("functional_call leaves the module as it was, and grad reaches tensors that require grad", () => {
  const lin = new nn.Linear(2, 2);
  const w0 = lin.weight;
  functional_call(lin, { weight: torch.zeros(2, 2) }, torch.ones(1, 2));
  assert.equal(lin.weight, w0);
  // torch.autograd through torch.func.grad: d/dx of sum(grad(f)(x)) = sum of f''
  const x = X.clone().requires_grad_(true);
  (grad(f)(x) as Tensor).sum().backward();
  assertClose(x.grad!, G["grad_of_grad"] as GoldenTensor, "autograd over grad", { rtol: 1e-10, atol: 1e-12 });
});

test("stack_module_state: stacked new leaves keyed by name, and PyTorch's errors", () => {
  const { stack_module_state } = torch.func;
  const models = [new nn.Linear(3, 2), new nn.Linear(3, 2), new nn.Linear(3, 2)];
  const [params, buffers] = stack_module_state(models);
  assert.deepEqual(Object.keys(params), ["weight", "bias"]);
  assert.deepEqual(Object.keys(buffers), []);
  assert.deepEqual(params["weight"]!.shape, [3, 2, 3]);
  assert.ok(params["weight"]!.is_leaf && params["weight"]!.requires_grad);
  assert.ok(torch.equal(params["bias"]!.index(1), models[1]!.bias!));
  assert.throws(() => stack_module_state([]), { message: "stack_module_state: Expected at least one model, got 0." });
  assert.throws(() => stack_module_state([new nn.Linear(3, 2), new nn.Tanh()]), { message: "stack_module_state: Expected all models to be of the same class." });
  const m2 = new nn.Linear(3, 2).eval();
  assert.throws(() => stack_module_state([new nn.Linear(3, 2), m2]), { message: "stack_module_state: Expected all models to have the same training/eval mode." });
});
