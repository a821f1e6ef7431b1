// Custom autograd Functions against PyTorch: each test repeats one case of
// tools/gen_golden_autograd_function.py (test/golden/autograd_function.json) with the same
// Function classes written in TypeScript: the docs' Exp, LinearFunction and MulConstant,
// mark_dirty, mark_non_differentiable, set_materialize_grads, needs_input_grad, double backward,
// gradcheck/gradgradcheck in float64, and PyTorch's errors word for word.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose } from "./helpers.js";

type FunctionCtx = torch.autograd.FunctionCtx;
const { Function } = torch.autograd;
type Chain = [string, [Chain | null, number][]];
type Case = Record<string, any>;
const golden = readGolden<{ cases: Record<string, Case> }>("autograd_function.json").cases;

const f64 = torch.float64;
const leaf = (values: number[] | number[][]): Tensor => torch.tensor(values, { dtype: f64, requires_grad: true });
const t64 = (values: number[] | number[][]): Tensor => torch.tensor(values, { dtype: f64 });

function chain(fn: torch.autograd.Node | null): Chain | null {
  if (fn === null) return null;
  return [fn.name(), fn.next_functions.map(([f, nr]) => [chain(f), nr])];
}

function close(t: Tensor | null, g: GoldenTensor | null, what: string): void {
  if (g === null) { assert.equal(t, null, `${what}: PyTorch has None`); return; }
  assert.ok(t, `${what}: missing, PyTorch has a tensor`);
  assertClose(t, g, what);
}

function throwsExactly(f: () => unknown, message: string): void {
  assert.throws(f, (e: Error) => { assert.equal(e.message, message); return true; });
}

// ---- the Functions, as in the generator ----------------------------------------------------------

class Exp extends Function {
  static override forward(ctx: FunctionCtx, i: Tensor): Tensor {
    const result = i.exp();
    ctx.save_for_backward(result);
    return result;
  }
  static override backward(ctx: FunctionCtx, grad_output: Tensor): Tensor {
    const [result] = ctx.saved_tensors;
    return grad_output.mul(result!);
  }
}

class LinearFunction extends Function {
  static override forward(ctx: FunctionCtx, input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
    ctx.save_for_backward(input, weight, bias);
    const output = input.mm(weight.t());
    if (bias !== null) output.add_(bias.unsqueeze(0).expand_as(output));
    return output;
  }
  static override backward(ctx: FunctionCtx, grad_output: Tensor): (Tensor | null)[] {
    const [input, weight, bias] = ctx.saved_tensors;
    let grad_input = null, grad_weight = null, grad_bias = null;
    if (ctx.needs_input_grad[0]) grad_input = grad_output.mm(weight!);
    if (ctx.needs_input_grad[1]) grad_weight = grad_output.t().mm(input!);
    if (bias && ctx.needs_input_grad[2]) grad_bias = grad_output.sum(0);
    return [grad_input, grad_weight, grad_bias];
  }
}

class MulConstant extends Function {
  static override forward(ctx: FunctionCtx, tensor: Tensor, constant: number): Tensor {
    ctx.constant = constant;
    return tensor.mul(constant);
  }
  static override backward(ctx: FunctionCtx, grad_output: Tensor): (Tensor | null)[] {
    return [grad_output.mul(ctx.constant), null];
  }
}

/** MulConstant in PyTorch 2.x's style: forward without ctx, setup_context saves what backward needs. */
class MulConstant2 extends Function {
  static override forward(tensor: Tensor, constant: number): Tensor { return tensor.mul(constant); }
  static override setup_context(ctx: FunctionCtx, inputs: [Tensor, number], _output: Tensor): void { ctx.constant = inputs[1]; }
  static override backward(ctx: FunctionCtx, grad_output: Tensor): (Tensor | null)[] {
    return [grad_output.mul(ctx.constant), null];
  }
}

class Cube extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.saved_tensors;
    return g.mul(3).mul(x!.pow(2));
  }
}

class Cube2 extends Function {
  static override forward(x: Tensor): Tensor { return x.pow(3); }
  static override setup_context(ctx: FunctionCtx, [x]: [Tensor], _output: Tensor): void { ctx.save_for_backward(x); }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.saved_tensors;
    return g.mul(3).mul(x!.pow(2));
  }
}

class AddOneInplace extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    x.add_(1);
    ctx.mark_dirty(x);
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
}

class MulInplace extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, y: Tensor): Tensor {
    ctx.save_for_backward(x.clone(), y);
    x.mul_(y);
    ctx.mark_dirty(x);
    return x;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x0, y] = ctx.saved_tensors;
    return [g.mul(y!), g.mul(x0!)];
  }
}

class SortValues extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor[] {
    const [values, idx] = x.sort();
    ctx.mark_non_differentiable(idx);
    ctx.save_for_backward(idx);
    return [values, idx];
  }
  static override backward(ctx: FunctionCtx, g1: Tensor, _g2: Tensor): Tensor {
    const [idx] = ctx.saved_tensors;
    return torch.zeros_like(g1).index_add_(0, idx!, g1);
  }
}

const seen: (Tensor | null)[][] = [];

class TwoOutputs extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, materialize: boolean): Tensor[] {
    ctx.set_materialize_grads(materialize);
    return [x.mul(2), x.mul(3)];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor | null, g2: Tensor | null): (Tensor | null)[] {
    seen.push([g1, g2]);
    let out: Tensor | null = null;
    for (const [g, k] of [[g1, 2], [g2, 3]] as const) if (g) out = out ? out.add(g.mul(k)) : g.mul(k);
    return [out, null];
  }
}

class HalfNonDiff extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor[] {
    const a = x.mul(2), b = x.mul(3);
    ctx.mark_non_differentiable(b);
    return [a, b];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor): Tensor {
    seen.push([g1, g2]);
    return g1.mul(2);
  }
}

class Identity extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x; }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g.mul(5); }
}

class Broadcasting extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.mul(2); }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g.mul(2).expand(2, ...g.shape); }
}

// ---- tests ----------------------------------------------------------------------------------------

test("Exp (the docs' example): values, grad_fn ExpBackward, saved output, freed after backward", () => {
  const G = golden.exp!;
  const x = leaf([0.5, -1, 2]);
  const y = Exp.apply(x);
  close(y, G.y, "y");
  assert.equal(y.grad_fn!.name(), G.grad_fn);
  assert.deepEqual(chain(y.grad_fn), G.chain);
  assert.equal(String(y.grad_fn), `<${G.grad_fn} object>`);
  assert.match(String(y), new RegExp(`grad_fn=<${G.grad_fn}>\\)$`));
  close((y.grad_fn as FunctionCtx).saved_tensors[0]!, G.saved, "saved");
  y.sum().backward({ retain_graph: true });
  close(x.grad!.clone(), G.grad, "grad");
  y.sum().backward();
  close(x.grad, G.grad_twice, "grad after two backwards");
  throwsExactly(() => y.sum().backward(), G.third);
  throwsExactly(() => (y.grad_fn as FunctionCtx).saved_tensors, G.saved_after);
  const y2 = Exp.apply(x);
  y2.add_(1);
  throwsExactly(() => y2.sum().backward(), G.version);
});

test("LinearFunction (the docs' example): needs_input_grad, an optional bias, extra null gradients", () => {
  const G = golden.linear!;
  const x = leaf([[1, 2, 3], [4, 5, 6]]);
  const w = leaf([[0.5, -1, 2], [1, 0, -0.5]]);
  const b = leaf([0.25, -0.75]);
  const y = LinearFunction.apply(x, w, b);
  y.backward(t64([[1, 2], [3, 4]]));
  close(y, G.y, "y");
  close(x.grad, G.x, "x.grad"); close(w.grad, G.w, "w.grad"); close(b.grad, G.b, "b.grad");
  x.grad = w.grad = null;
  // two arguments: backward's third (null) gradient is dropped, as PyTorch drops trailing Nones
  const y2 = LinearFunction.apply(x, w);
  y2.sum().backward();
  close(y2, G.y_nobias, "y without bias");
  close(x.grad, G.x_nobias, "x.grad without bias"); close(w.grad, G.w_nobias, "w.grad without bias");
  const y3 = LinearFunction.apply(x.detach(), w, b);
  assert.deepEqual((y3.grad_fn as FunctionCtx).needs_input_grad, G.needs_input_grad);
  assert.deepEqual(chain(y3.grad_fn), G.chain);
});

test("MulConstant (the docs' example): attributes on ctx, null gradient for the number", () => {
  const G = golden.mul_constant!;
  for (const Cls of [MulConstant, MulConstant2]) {
    const x = leaf([1, 2, 3]);
    const y = Cls.apply(x, 2.5);
    y.sum().backward();
    close(y, G.y, `${Cls.name} y`);
    close(x.grad, G.grad, `${Cls.name} grad`);
    const ctx = y.grad_fn as FunctionCtx;
    assert.equal(ctx.constant, G.constant);
    assert.deepEqual(ctx.needs_input_grad, G.needs_input_grad);
    assert.deepEqual(chain(ctx), [`${Cls.name}Backward`, G.chain[1]]);
  }
});

test("double backward through a custom Function whose backward uses differentiable ops; gradcheck", () => {
  const G = golden.cube!;
  for (const Cls of [Cube, Cube2]) {
    const x = leaf([1, -2, 0.5]);
    const y = Cls.apply(x);
    const [g1] = torch.autograd.grad(y.sum(), x, { create_graph: true });
    const [g2] = torch.autograd.grad(g1!.sum(), x);
    close(y, G.y, `${Cls.name} y`);
    close(g1!, G.g1, `${Cls.name} g1`);
    assert.equal(g1!.grad_fn!.name(), G.g1_grad_fn);
    close(g2!, G.g2, `${Cls.name} g2`);
  }
  const z = leaf([1, -2, 0.5]);
  const checks = [
    torch.autograd.gradcheck((a: Tensor) => Cube.apply(a), [z]), torch.autograd.gradgradcheck((a: Tensor) => Cube.apply(a), [z]),
    torch.autograd.gradcheck((a: Tensor) => Exp.apply(a), [z]), torch.autograd.gradgradcheck((a: Tensor) => Exp.apply(a), [z]),
  ];
  assert.deepEqual(checks, G.checks);
  const x = leaf([[1, 2, 3], [4, 5, 6]]), w = leaf([[0.5, -1, 2], [1, 0, -0.5]]), b = leaf([0.25, -0.75]);
  const lin = (a: Tensor, c: Tensor, d: Tensor): Tensor => LinearFunction.apply(a, c, d);
  assert.equal(torch.autograd.gradcheck(lin, [x, w, b]), true);
  assert.equal(torch.autograd.gradgradcheck(lin, [x, w, b]), true);
});

test("mark_dirty: the input modified in place is the output, bumped and rebased onto the Function", () => {
  const G = golden.mark_dirty!;
  const lf = leaf([1, 2, 3]);
  const a = lf.clone();
  const v0 = a._version;
  const s = a.sin();
  const b = AddOneInplace.apply(a);
  assert.equal(b === a, G.same_object);
  assert.deepEqual([v0, a._version], G.versions);
  assert.equal(a.grad_fn!.name(), G.grad_fn);
  assert.deepEqual(chain(a.grad_fn), G.chain);
  close(a, G.value, "value");
  a.mul(a).sum().backward();
  close(lf.grad, G.grad, "grad");
  throwsExactly(() => s.sum().backward(), G.saved_version);
  const lf2 = leaf([1, 2, 3]);
  throwsExactly(() => AddOneInplace.apply(lf2), G.leaf_error);
  close(lf2, G.leaf_after, "leaf after the refused Function");
  // on a view of a non-leaf: CopySlices on the base, as for built-in in-place ops
  const lf3 = leaf([1, 2, 3, 4]), y = leaf([10, 20]);
  const base = lf3.clone();
  const view = base.index(torch.slice(1, 3));
  MulInplace.apply(view, y);
  close(base, G.view_value, "base after");
  assert.deepEqual(chain(base.grad_fn), G.view_chain);
  assert.equal(view.grad_fn!.name(), G.view_grad_fn);
  base.mul(t64([1, 2, 3, 4])).sum().backward();
  close(lf3.grad, G.view_grads[0], "grad of the base's leaf");
  close(y.grad, G.view_grads[1], "grad of the multiplier");
  const c = leaf([1, 2]).clone();
  const d = torch.no_grad(() => AddOneInplace.apply(c));
  assert.deepEqual([c._version, c.grad_fn?.name() ?? null, d === c], G.no_grad);
});

test("mark_dirty on an input that is not returned is PyTorch's error", () => {
  class Bad extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor { x.add_(1); ctx.mark_dirty(x); return x.mul(2); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
  }
  throwsExactly(() => Bad.apply(leaf([1, 2]).clone()), golden.dirty_not_returned!.error);
});

test("mark_non_differentiable: the output needs no grad, and backward gets zeros for it", () => {
  const G = golden.non_differentiable!;
  seen.length = 0;
  const x = leaf([3, 1, 2]);
  const [values, idx] = SortValues.apply(x);
  close(values!, G.values, "values"); close(idx!, G.idx, "idx");
  assert.equal(idx!.requires_grad, G.idx_requires);
  assert.equal(values!.grad_fn!.name(), G.values_grad_fn);
  values!.mul(t64([1, 10, 100])).sum().backward();
  close(x.grad, G.grad, "grad");
  const z = leaf([1, 2]);
  const [a, b] = HalfNonDiff.apply(z);
  assert.deepEqual([a!.requires_grad, b!.requires_grad, b!.grad_fn?.name() ?? null, b!.is_leaf], G.half);
  a!.sum().backward();
  close(z.grad, G.half_grad, "grad");
  close(seen[0]![0]!, G.half_seen[0], "g1"); close(seen[0]![1]!, G.half_seen[1], "g2 (zeros)");
});

test("set_materialize_grads(false): backward gets null for an output no gradient reached", () => {
  const G = golden.materialize_grads!;
  seen.length = 0;
  const x = leaf([1, 2]);
  TwoOutputs.apply(x, true)[0]!.sum().backward();
  close(x.grad, G.grad_on, "grad, materialized");
  x.grad = null;
  TwoOutputs.apply(x, false)[0]!.sum().backward();
  close(x.grad, G.grad_off, "grad, not materialized");
  assert.equal(seen.length, G.seen.length);
  seen.forEach((pair, i) => pair.forEach((g, k) => close(g, G.seen[i][k], `backward ${i} grad ${k}`)));
});

test("needs_input_grad: one flag per forward argument, set before forward (which runs under no_grad)", () => {
  const G = golden.needs_input_grad!;
  const log: unknown[] = [];
  class Probe extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor, y: Tensor, k: number): Tensor {
      log.push([ctx.needs_input_grad.slice(), torch.is_grad_enabled()]);
      return x.mul(y).mul(k);
    }
    static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
      log.push(ctx.needs_input_grad.slice());
      return [ctx.needs_input_grad[0] ? g.mul(2) : null, ctx.needs_input_grad[1] ? g.mul(3) : null, null];
    }
  }
  const x = leaf([1, 2]), y = t64([3, 4]);
  Probe.apply(x, y, 2).sum().backward();
  const r = torch.no_grad(() => Probe.apply(x, y, 2));
  assert.deepEqual(log, G.seen);
  close(x.grad, G.grad, "grad");
  assert.deepEqual([r.requires_grad, r.grad_fn], G.no_grad);
});

test("an input returned as-is comes back as a new view carrying the Function's grad_fn", () => {
  const G = golden.identity!;
  const x = leaf([1, 2]);
  const y = Identity.apply(x);
  assert.equal(y === x, G.same_object);
  assert.equal(y._base === x, G.base_is_x);
  assert.equal(y.grad_fn!.name(), G.grad_fn);
  assert.equal(x.is_leaf, G.x_leaf);
  assert.equal(x.grad_fn, G.x_grad_fn);
  y.sum().backward();
  close(x.grad, G.grad, "grad");
  const plain = t64([1, 2]).float();
  const p = Identity.apply(plain);
  assert.deepEqual([p === plain, p.requires_grad, p._base === plain], G.plain);
});

test("a gradient returned at a broadcast shape is summed back to the input's shape", () => {
  const x = leaf([1, 2, 3]);
  Broadcasting.apply(x).sum().backward();
  close(x.grad, golden.broadcast_gradient!.grad, "grad");
});

test("errors in PyTorch's words", () => {
  const G = golden.errors!;
  const x = leaf([1, 2]);
  class SaveInt extends Function {
    static override forward(ctx: FunctionCtx, a: Tensor): Tensor { ctx.save_for_backward(3 as unknown as Tensor); return a.mul(2); }
  }
  class GradForConstant extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor, k: number): Tensor { return a.mul(k); }
    static override backward(_ctx: FunctionCtx, g: Tensor): unknown[] { return [g, 3]; }
  }
  class ReturnsInt extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
    static override backward(): number { return 3; }
  }
  class TooFew extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor { return a.mul(b); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
  }
  class TooMany extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor { return a.mul(b); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] { return [g, g, g]; }
  }
  class NoForward extends Function {}
  class NoBackward extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
  }
  class BadShape extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
    static override backward(): Tensor { return torch.ones(3, { dtype: f64 }); }
  }
  class DirtyInt extends Function {
    static override forward(ctx: FunctionCtx, a: Tensor): Tensor { ctx.mark_dirty(3 as unknown as Tensor); return a.mul(2); }
  }
  class NonDiffInt extends Function {
    static override forward(ctx: FunctionCtx, a: Tensor): Tensor { ctx.mark_non_differentiable(3 as unknown as Tensor); return a.mul(2); }
  }
  class Both extends Function {
    static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
    static override vjp(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
  }
  throwsExactly(() => SaveInt.apply(x), G.save_int);
  throwsExactly(() => GradForConstant.apply(x, 2).sum().backward(), G.grad_for_constant);
  throwsExactly(() => ReturnsInt.apply(x).sum().backward(), G.returns_int);
  throwsExactly(() => TooFew.apply(x, x).sum().backward(), G.too_few);
  throwsExactly(() => TooMany.apply(x, x).sum().backward(), G.too_many);
  throwsExactly(() => NoForward.apply(x), G.no_forward);
  throwsExactly(() => NoBackward.apply(x).sum().backward(), G.no_backward);
  throwsExactly(() => BadShape.apply(x).sum().backward(), G.bad_shape);
  throwsExactly(() => DirtyInt.apply(x), G.dirty_int);
  throwsExactly(() => NonDiffInt.apply(x), G.non_diff_int);
  // (PyTorch's function.py: a Function defines backward or its alias vjp, not both)
  assert.throws(() => Both.apply(x).sum().backward(), /Implementing both 'backward' and 'vjp' for a custom Function is not allowed/);
  assert.equal(x.grad === null, G.x_grad_untouched);
});

test("vjp is backward's other name", () => {
  class ExpVjp extends Function {
    static override forward(ctx: FunctionCtx, a: Tensor): Tensor { const r = a.exp(); ctx.save_for_backward(r); return r; }
    static override vjp(ctx: FunctionCtx, g: Tensor): Tensor { return g.mul(ctx.saved_tensors[0]!); }
  }
  const x = leaf([0.5, -1, 2]);
  ExpVjp.apply(x).sum().backward();
  close(x.grad, golden.exp!.grad, "grad");
});
