// torch.autograd.functional against PyTorch: every case of tools/gen_golden_autograd_functional.py
// (test/golden/autograd_functional.json) runs the same function on the same float64 inputs and
// compares the result's values and nesting (a tensor, an array for PyTorch's tuple, or arrays of
// arrays), whether it requires grad, and with create_graph the gradient of the sum of its entries
// with respect to the inputs. The error cases compare PyTorch's message word for word.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose, fromGolden } from "./helpers.js";

const F = torch.autograd.functional;
type Nested = GoldenTensor | Nested[] | null;
type Kind = "jacobian" | "hessian" | "vjp" | "jvp" | "hvp" | "vhp";
interface Options { create_graph?: boolean; strict?: boolean; vectorize?: boolean; strategy?: "forward-mode" | "reverse-mode" }
interface Case { kind: Kind; func: string; v: Nested; options: Options; result: Nested; requires_grad: boolean[]; grad_fn?: (string | null)[]; input_grads?: Nested[] }
type Arg = GoldenTensor | { int: number } | Arg[];
/** `inputs`: the arguments of the argument-type errors (null: the function's usual inputs) */
interface ErrorCase { kind: Kind; func: string; v: Nested; options: Options; error: string; type: string; inputs: Arg | null }
const golden = readGolden<{
  inputs: Record<string, Nested>; input_is_tuple: Record<string, boolean>; cases: Case[]; errors: ErrorCase[];
}>("autograd_functional.json");

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];
const FUNCS: Record<string, Fn> = {
  exp_reducer: (x) => x.exp().sum(1),
  mul_sin: (x, y) => x.mul(y!.sin()).add(x.mul(2)),
  square_and_sum: (x) => [x.pow(2), x.sum()],
  pair: (x, y) => [x.mul(y!), y!.exp().mul(3)],
  cubic: (x) => x.pow(3).sum().add(x.mul(x.sin()).sum()),
  coupled: (x, y) => x.pow(2).sum().mul(y!.exp().sum()).add(x.mul(x).sum()),
  ignores_y: (x) => x.exp(),
  linear: (x) => x.mul(3).sum(),
  constant: () => torch.ones(2, { dtype: torch.float64 }),
};

function decode(n: Nested): Tensor | Tensor[] | null {
  if (n === null) return null;
  return Array.isArray(n) ? n.map((g) => fromGolden(g as GoldenTensor)) : fromGolden(n);
}

/** Fresh inputs of a function, as a tensor or an array (PyTorch's tuple). */
function inputsOf(func: string, requires_grad: boolean): Tensor | Tensor[] {
  const g = golden.inputs[func]!;
  const make = (t: Nested): Tensor => fromGolden(t as GoldenTensor, { requires_grad });
  return golden.input_is_tuple[func] ? (g as Nested[]).map(make) : make(g);
}

function flat(r: unknown): Tensor[] {
  return Array.isArray(r) ? r.flatMap(flat) : [r as Tensor];
}

/** Same nesting as PyTorch's result, and the same values. */
function compare(actual: unknown, expected: Nested, what: string): void {
  if (expected === null) { assert.equal(actual, null, `${what}: PyTorch has None`); return; }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: PyTorch has a tuple of ${expected.length}`);
    assert.equal(actual.length, expected.length, `${what}: tuple length`);
    expected.forEach((e, i) => compare(actual[i], e, `${what}[${i}]`));
    return;
  }
  assert.ok(actual instanceof torch.Tensor, `${what}: PyTorch has a tensor`);
  assertClose(actual, expected, what);
}

function call(kind: Kind, func: string, inputs: Tensor | Tensor[], v: Nested, options: Options): unknown {
  const f = FUNCS[func]!;
  switch (kind) {
    case "jacobian": return F.jacobian(f, inputs, options);
    case "hessian": return F.hessian(f, inputs, options);
    default: {
      const product: (f: Fn, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null, opts: Options) => unknown = F[kind];
      return product(f, inputs, decode(v), options);
    }
  }
}

const describe = (c: { kind: string; func: string; options: Options }): string =>
  `${c.kind}(${c.func}${Object.entries(c.options).map(([k, v]) => `, ${k}=${v}`).join("")})`;

for (const c of golden.cases) {
  test(describe(c), () => {
    const create = c.options.create_graph ?? false;
    const inputs = inputsOf(c.func, create);
    const res = call(c.kind, c.func, inputs, c.v, c.options);
    compare(res, c.result, describe(c));
    assert.deepEqual(flat(res).map((t) => t.requires_grad), c.requires_grad, "requires_grad of each entry");
    // jacobian and hessian build their result themselves (stack, then view); the products' grad_fn
    // is whatever the last backward formula made, which is each op's own business
    if (c.grad_fn && (c.kind === "jacobian" || c.kind === "hessian"))
      assert.deepEqual(flat(res).map((t) => t.grad_fn?.name() ?? null), c.grad_fn, "grad_fn of each entry");
    if (c.input_grads) {
      const total = flat(res).filter((t) => t.requires_grad).map((t) => t.sum()).reduce((a, b) => a.add(b));
      const grads = torch.autograd.grad(total, flat(inputs), { allow_unused: true });
      grads.forEach((g, i) => compare(g, c.input_grads![i]!, `gradient of the result's sum wrt input ${i}`));
    }
  });
}

test("jacobian with strategy forward-mode and vectorize: the same Jacobian as reverse mode", () => {
  const c = golden.cases.find((k) => k.kind === "jacobian" && k.func === "exp_reducer" && !k.options.create_graph)!;
  const res = F.jacobian(FUNCS.exp_reducer!, inputsOf("exp_reducer", false), { strategy: "forward-mode", vectorize: true });
  compare(res, c.result, "forward-mode jacobian");
});

test("the options object may stand in place of v", () => {
  const c = golden.cases.find((k) => k.kind === "vjp" && k.func === "cubic")!;
  const [out, g] = F.vjp(FUNCS.cubic!, inputsOf("cubic", false), { strict: true });
  compare([out, g], c.result, "vjp(cubic, x, {strict})");
});

test("the caller's inputs are left alone: no .grad, no requires_grad, no history", () => {
  const x = torch.tensor([1, 2, 3], { dtype: torch.float64 });
  const J = F.jacobian((a: Tensor) => a.pow(2), x);
  assert.equal(x.requires_grad, false);
  assert.equal(x.grad, null);
  assert.equal(J.requires_grad, false);
  const w = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true });
  F.hessian((a: Tensor) => a.pow(3).sum(), w);
  assert.equal(w.grad, null);
});

for (const e of golden.errors) {
  test(`error: ${describe(e)}`, () => {
    const arg = (a: Arg): unknown => (Array.isArray(a) ? a.map(arg) : "int" in a ? a.int : fromGolden(a));
    const inputs = (e.inputs === null ? inputsOf(e.func, false) : arg(e.inputs)) as Tensor | Tensor[];
    assert.throws(() => call(e.kind, e.func, inputs, e.v, e.options), (err: Error) => {
      assert.equal(err.message, e.error);
      if (e.type === "TypeError") assert.ok(err instanceof TypeError, "a TypeError, as in PyTorch");
      return true;
    });
  });
}
