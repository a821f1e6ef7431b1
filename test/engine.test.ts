// Small exact tests of the autograd engine (candle's grad_tests.rs, tinygrad's test_gradient.py):
// each test repeats one case of tools/gen_golden_engine.py line for line and compares with what
// PyTorch computed (test/golden/engine.json): gradients, grad_fn names and next_functions chains,
// flags, and error messages word for word.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose, valuesOf } from "./helpers.js";

/** [name, [[child, output_nr], ...]], as the generator's chain() writes it */
type Chain = [string, [Chain | null, number][]];
type Case = Record<string, any>;
const golden = readGolden<{ cases: Record<string, Case> }>("engine.json").cases;

function leaf(values: number | number[] | number[][], dtype: torch.dtype = torch.float32): Tensor {
  return torch.tensor(values, { dtype, requires_grad: true });
}

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

test("unused inputs: allow_unused gives null, otherwise PyTorch's error; materialize_grads gives zeros", () => {
  const G = golden.unused_inputs!;
  const x = leaf([1, 2, 3]), y = leaf([4, 5, 6]);
  const [gx, gy] = torch.autograd.grad(x.mul(2).sum(), [x, y], { allow_unused: true });
  close(gx!, G.gx, "gx");
  close(gy!, G.gy, "gy");
  throwsExactly(() => torch.autograd.grad(x.mul(2).sum(), [x, y]), G.error);
  const [, my] = torch.autograd.grad(x.mul(2).sum(), [x, y], { materialize_grads: true });
  close(my!, G.materialized_gy, "materialized gy");
});

test("a tensor used twice gets the sum of both gradients", () => {
  const G = golden.used_twice!;
  const x = leaf([1, 2, 3]);
  close(torch.autograd.grad(x.mul(x).add(x).sum(), x)[0]!, G.x_mul_x_plus_x, "x*x+x");
  close(torch.autograd.grad(x.mul(x).sum(), x)[0]!, G.x_mul_x, "x*x");
  const y = x.exp();
  close(torch.autograd.grad(y.mul(y.sin()).sum(), x)[0]!, G.exp_twice, "exp used twice");
});

test("broadcast gradients are summed back to each input's shape", () => {
  const G = golden.broadcast!;
  const a = leaf([[1], [2], [3]]), b = leaf([[1, 2, 3, 4]]);
  a.mul(b).add(a).sum().backward();
  const d = leaf([1, 2, 3, 4]), e = leaf([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  d.add(e).mul(d).sum().backward();
  const s = leaf(2);
  s.mul(e.detach()).sum().backward();
  for (const [k, t] of Object.entries({ a, b, d, e, s })) close(t.grad, G[k], k);
});

test("backward of a non-scalar needs a gradient of its shape", () => {
  const G = golden.nonscalar!;
  const x = leaf([1, 2, 3]);
  const y = x.mul(2);
  throwsExactly(() => y.backward(), G.error);
  assert.equal(x.grad, null, "nothing accumulated by the failed call");
  y.backward(torch.tensor([1, 10, 100]));
  close(x.grad, G.grad, "grad");
  throwsExactly(() => x.mul(2).backward(torch.ones(2)), G.shape_error);
  throwsExactly(() => torch.ones(3).sum().backward(), G.no_grad_fn_error);
});

test("retain_graph keeps saved tensors for a second backward; without it the second one fails", () => {
  const G = golden.retain_graph!;
  const x = leaf([1, 2, 3]);
  const s = x.pow(2).sum();
  s.backward({ retain_graph: true });
  s.backward();
  close(x.grad, G.grad, "two backwards accumulate");
  throwsExactly(() => s.backward(), G.error);
  close(x.grad, G.grad, "the failed backward leaves .grad as it was");
  const y = x.exp().mul(3).sum();
  torch.autograd.grad(y, x);
  throwsExactly(() => torch.autograd.grad(y, x), G.grad_error);
});

test("autograd.grad with respect to a non-leaf frees only the nodes it ran: the input's own history stays", () => {
  // (as PyTorch's engine: y's MulBackward0 is where grad stops, it does not run, so its saved x
  // survives; by hand, d(sum exp y)/dy = exp(y) and then d(sum y)/dx = 2x)
  const x = leaf([1, 2, 3]);
  const y = x.mul(x);
  const [gy] = torch.autograd.grad(y.exp().sum(), y);
  (gy!.tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v / Math.exp((i + 1) ** 2) - 1) < 1e-6, `exp(y)[${i}]`));
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 4, 6], "2x, through y's MulBackward0 after the grad");
});

test("double backward and higher order: x³ → 3x² → 6x → 6 → 0", () => {
  const G = golden.double_backward!;
  const x = leaf([1, 2, 3]);
  const [g1] = torch.autograd.grad(x.pow(3).sum(), x, { create_graph: true });
  const [g2] = torch.autograd.grad(g1!.sum(), x, { create_graph: true });
  const [g3] = torch.autograd.grad(g2!.sum(), x, { create_graph: true });
  const [g4] = torch.autograd.grad(g3!.sum(), x, { allow_unused: true });
  close(g1!, G.g1, "g1"); close(g2!, G.g2, "g2"); close(g3!, G.g3, "g3"); close(g4!, G.g4, "g4");
  assert.equal(g1!.grad_fn!.name(), G.g1_grad_fn);
  assert.equal(g1!.requires_grad, G.g1_requires_grad);
  // backward(create_graph) leaves .grad with history: a copy of the incoming gradient
  const z = leaf([1, 2, 3]);
  z.pow(3).sum().backward({ create_graph: true });
  close(z.grad, G.zgrad, "z.grad");
  assert.equal(z.grad!.grad_fn!.name(), G.zgrad_grad_fn);
  close(torch.autograd.grad(z.grad!.sum(), z)[0]!, G.h, "grad of z.grad");
  const w = leaf([0.5, -1, 2], torch.float64);
  const [gs] = torch.autograd.grad(w.sin().mul(w.exp()).sum(), w, { create_graph: true });
  close(gs!, G.sin_exp_g1, "d(sin·exp)");
  close(torch.autograd.grad(gs!.sum(), w)[0]!, G.sin_exp_g2, "d²(sin·exp)");
});

test("double backward through in-place ops that read self's old value (mul_, div_, renorm_)", () => {
  const G = golden.double_backward_inplace!;
  const x = leaf([1.5, -2, 0.5], torch.float64), y = leaf([0.3, 1.2, -0.7], torch.float64);
  const a = x.mul(1);
  a.mul_(y);
  a.div_(y.add(2));
  const [gx, gy] = torch.autograd.grad(a.mul(a).sum(), [x, y], { create_graph: true });
  close(gx!, G.gx, "gx"); close(gy!, G.gy, "gy");
  const [hx, hy] = torch.autograd.grad(gx!.mul(gy!).sum(), [x, y]);
  close(hx!, G.hx, "hx"); close(hy!, G.hy, "hy");
  const m = leaf([[1.5, -2], [0.5, 0.1]], torch.float64);
  const r = m.mul(1).renorm_(2, 0, 1.0);
  const [gm] = torch.autograd.grad(r.mul(r).mul(r).sum(), m, { create_graph: true });
  close(gm!, G.gm, "gm");
  close(torch.autograd.grad(gm!.sum(), m)[0]!, G.hm, "hm");
});

test("hooks: register_hook changes the gradient, handle.remove() undoes it, hooks compose in order", () => {
  const G = golden.hooks!;
  const x = leaf([1, 2, 3]);
  const a = x.mul(2);
  const seen: Tensor[] = [];
  const h = a.register_hook((g) => g.mul(10));
  a.register_hook((g) => { seen.push(g.clone()); });
  const b = a.mul(a).sum();
  b.backward({ retain_graph: true });
  close(x.grad, G.hooked, "hooked");
  x.grad = null;
  h.remove();
  b.backward();
  close(x.grad, G.removed, "after remove");
  assert.equal(seen.length, G.seen.length);
  seen.forEach((s, i) => close(s, G.seen[i], `seen ${i}`));

  const y = leaf([1, 2, 3]);
  const hy = y.register_hook((g) => g.add(1));
  y.mul(3).sum().backward();
  close(y.grad, G.leaf_hooked, "leaf hook");
  hy.remove();
  y.mul(3).sum().backward();
  close(y.grad, G.leaf_after_remove, "leaf hook removed");

  const z = leaf([1, 2, 3]);
  const c = z.mul(1);
  c.register_hook((g) => g.mul(2));
  c.register_hook((g) => g.add(1));
  c.sum().backward();
  close(z.grad, G.composed, "composed");
  throwsExactly(() => torch.ones(3).register_hook((g) => g), G.error);
});

test("retain_grad keeps the gradient of a non-leaf", () => {
  const G = golden.retain_grad!;
  const x = leaf([1, 2, 3]);
  const a = x.mul(2);
  a.retain_grad();
  const c = a.mul(3);
  a.mul(c).sum().backward();
  close(a.grad, G.a_grad, "a.grad");
  close(x.grad, G.x_grad, "x.grad");
  assert.equal(a.retains_grad, G.a_retains);
  assert.equal(c.retains_grad, G.c_retains);
  assert.equal(c.grad === null, G.c_grad_is_none);
  assert.equal(x.retains_grad, G.x_retains);
  throwsExactly(() => torch.ones(3).retain_grad(), G.error);
});

test(".grad accumulates across backward calls, in place (the same tensor object)", () => {
  const G = golden.accumulate!;
  const x = leaf([1, 2, 3]);
  x.mul(2).sum().backward();
  const first = x.grad!;
  close(first.clone(), G.first, "first");
  x.mul(x).sum().backward();
  close(first, G.second, "second, seen through the first .grad object");
  assert.equal(x.grad === first, G.same_object);
  x.grad!.zero_();
  x.mul(5).sum().backward();
  close(x.grad, G.after_zero, "after zero_");
});

test("backward({inputs}) accumulates only into the given tensors; a non-leaf input retains its grad", () => {
  const G = golden.backward_inputs!;
  const x = leaf([1, 2, 3]), y = leaf([4, 5, 6]);
  x.mul(y).sum().backward({ inputs: [x] });
  close(x.grad!.clone(), G.x, "x");
  assert.equal(y.grad === null, G.y_is_none);
  const a = x.mul(2);
  a.retain_grad();
  a.mul(y).sum().backward({ inputs: [a, y] });
  close(x.grad, G.x_unchanged, "x untouched");
  close(a.grad, G.a, "a");
  close(y.grad, G.y, "y");
  const b = x.mul(3);
  b.mul(y).sum().backward({ inputs: [b] });
  close(b.grad, G.b, "b");
  assert.equal(b.retains_grad, G.b_retains);
  throwsExactly(() => x.mul(2).sum().backward({ inputs: [] }), G.empty_error);
  throwsExactly(() => x.mul(2).sum().backward({ inputs: [torch.ones(3)] }), G.no_grad_error);
});

test("requires_grad propagates; is_leaf; requires_grad_ on non-leaves and integer tensors", () => {
  const G = golden.requires_grad!;
  const x = leaf([1, 2, 3]), w = torch.tensor([4, 5, 6]);
  assert.equal(x.is_leaf, G.x_leaf);
  assert.equal(w.is_leaf, G.w_leaf);
  assert.equal(w.requires_grad, G.w_requires);
  assert.equal(x.mul(w).requires_grad, G.xw_requires);
  assert.equal(x.mul(w).is_leaf, G.xw_leaf);
  assert.equal(w.mul(w).requires_grad, G.ww_requires);
  assert.equal(w.mul(w).is_leaf, G.ww_leaf);
  throwsExactly(() => torch.tensor([1n, 2n]).requires_grad_(), G.int_error);
  throwsExactly(() => x.mul(2).requires_grad_(false), G.nonleaf_error);
  assert.equal(x.argmax().requires_grad, G.argmax_requires);
  const v = torch.ones(3);
  v.requires_grad_();
  assert.equal(v.requires_grad, G.set_requires);
  assert.equal(v.is_leaf, G.set_leaf);
});

test("detach shares storage off the graph; detach_ makes a leaf in place", () => {
  const G = golden.detach!;
  const x = leaf([1, 2, 3]);
  const a = x.mul(2);
  const d = a.detach();
  assert.equal(d.requires_grad, G.d_requires);
  assert.equal(d.is_leaf, G.d_leaf);
  assert.equal(d.grad_fn, G.d_grad_fn);
  d.index_put_([0], torch.tensor(10));
  close(a.clone(), G.a_after_write, "a after writing through d");
  const b = x.mul(3);
  b.detach_();
  assert.equal(b.requires_grad, G.b_requires);
  assert.equal(b.is_leaf, G.b_leaf);
  assert.equal(b.grad_fn, G.b_grad_fn);
  throwsExactly(() => x.exp().sin().detach_().sum().backward(), G.error);
});

test("grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode as callbacks and with `using`", () => {
  const G = golden.grad_modes!;
  const x = leaf([1, 2, 3]);
  const [ng, eg] = torch.no_grad(() => [x.mul(2).requires_grad, torch.enable_grad(() => x.mul(2).requires_grad)]);
  assert.equal(ng, G.no_grad);
  assert.equal(eg, G.enable_inside_no_grad);
  assert.equal(torch.set_grad_enabled(false, () => x.mul(2).requires_grad), G.set_off);
  assert.equal(torch.set_grad_enabled(true, () => x.mul(2).requires_grad), G.set_on);
  const [im, viewOfNormal] = torch.inference_mode(() => [x.mul(2), x.view(3)]);
  assert.deepEqual([im.requires_grad, im.is_inference()], G.inference);
  assert.deepEqual([viewOfNormal.is_inference(), im.view(3).is_inference()], G.inference_views);
  throwsExactly(() => im.mul(x), G.saved_error);
  throwsExactly(() => im.add_(1), G.inplace_error);
  assert.equal(im.add(x).grad_fn!.name(), G.add_ok);
  assert.equal(torch.inference_mode(false, () => x.mul(2).requires_grad), G.inference_false);
  assert.equal(x.mul(2).requires_grad, G.after);
  // the same with `using`: each guard restores the previous mode at the end of its block
  {
    using _g = torch.no_grad();
    assert.equal(x.mul(2).requires_grad, G.no_grad);
    {
      using _e = torch.enable_grad();
      assert.equal(x.mul(2).requires_grad, G.enable_inside_no_grad);
    }
    assert.equal(torch.is_grad_enabled(), false);
  }
  {
    using _s = torch.set_grad_enabled(false);
    assert.equal(x.mul(2).requires_grad, G.set_off);
  }
  {
    using _i = torch.inference_mode();
    const t = x.mul(2);
    assert.deepEqual([t.requires_grad, t.is_inference()], G.inference);
  }
  assert.equal(x.mul(2).requires_grad, G.after);
  // a callback that throws still restores the mode
  assert.throws(() => torch.no_grad(() => { throw new Error("boom"); }), /boom/);
  assert.equal(torch.is_grad_enabled(), true);
});

test("version counter: PyTorch's error names the tensor, the node and both versions", () => {
  const G = golden.version_errors!;
  {
    const x = leaf([1, 2, 3]);
    const y = x.exp();
    y.add_(1);
    throwsExactly(() => y.sum().backward(), G.output_saved);
  }
  {
    const x = leaf([1, 2, 3]);
    const a = x.mul(2), b = a.sin();
    a.mul_(2);
    throwsExactly(() => b.sum().backward(), G.input_saved);
  }
  {
    const x = leaf([1, 2, 3]), w = torch.ones(3);
    const b = x.mul(w);
    w.mul_(x);
    throwsExactly(() => b.sum().backward(), G.leaf_then_rebased);
  }
  {
    const x = leaf([1, 2, 3]);
    const b = x.sin();
    torch.no_grad(() => x.add_(1));
    throwsExactly(() => b.sum().backward(), G.leaf_saved);
    assert.equal(x.grad, null);
  }
  {
    const x = leaf([[1, 2, 3], [4, 5, 6]], torch.float64);
    const y = x.exp();
    y.index_put_([0, 0], torch.tensor(2, { dtype: torch.float64 }));
    throwsExactly(() => y.sum().backward(), G.view_write_2d);
  }
  {
    const x = leaf([1, 2, 3]);
    const y = x.mul(2);
    y.add_(1);
    y.sum().backward();
    close(x.grad, G.unsaved_ok, "in-place on an unsaved tensor");
  }
  const t = torch.ones(2);
  const v0 = t._version;
  t.add_(1);
  t.mul_(2);
  assert.deepEqual([v0, t._version], G.versions);
});

test("in-place on a leaf that requires grad, or on a view of one, is refused and changes nothing", () => {
  const G = golden.inplace_leaf!;
  const x = leaf([1, 2, 3]);
  throwsExactly(() => x.add_(1), G.leaf);
  throwsExactly(() => x.view(3).mul_(2), G.view_of_leaf);
  throwsExactly(() => x.index(torch.slice(0, 2)).zero_(), G.slice_of_leaf);
  close(x, G.unchanged, "x unchanged");
  assert.equal(x._version, 0);
  torch.no_grad(() => x.mul_(2));
  close(x, G.no_grad_ok, "under no_grad");
  assert.equal(x.is_leaf, G.still_leaf);
});

test("in-place on views: the base's grad_fn becomes CopySlices, the view's AsStridedBackward0", () => {
  const G = golden.inplace_view!;
  const w = torch.tensor([1, 2, 3, 4]);
  const lf = leaf([1, 2, 3, 4]);
  {
    const a = lf.clone();
    const v = a.view(2, 2);
    v.mul_(2);
    assert.equal(a.grad_fn!.name(), G.base);
    assert.equal(v.grad_fn!.name(), G.view);
    assert.deepEqual(chain(a.grad_fn), G.base_chain);
    a.mul(w).sum().backward();
    close(lf.grad, G.view_grad, "through view");
    lf.grad = null;
  }
  {
    const a = lf.clone();
    const s = a.index(torch.slice(1, 3));
    s.mul_(lf.index(torch.slice(0, 2)));
    close(a, G.slice_value, "slice value");
    assert.deepEqual(chain(a.grad_fn), G.slice_chain);
    assert.equal(s.grad_fn!.name(), G.slice_view_fn);
    a.mul(w).sum().backward();
    close(lf.grad, G.slice_grad, "through slice");
    lf.grad = null;
  }
  {
    const a = lf.clone();
    const s = a.index(torch.slice(1, 3));
    s.mul_(3);
    s.mul(torch.tensor([1, 10])).sum().backward();
    close(lf.grad, G.view_output_grad, "gradient of the modified view itself");
  }
});

test("next_functions: the graph's structure and PyTorch's node names", () => {
  const G = golden.next_functions!;
  const x = leaf([1, 2, 3]), y = leaf([4, 5, 6]), w = torch.tensor([7, 8, 9]);
  const b = x.mul(2).add(y).mul(w);
  assert.deepEqual(chain(b.grad_fn), G.mul_add);
  const m = torch.mm(x.view(1, 3), y.view(3, 1)).mean();
  assert.deepEqual(chain(m.grad_fn), G.mm_mean);
  assert.equal(x.grad_fn, G.leaf_grad_fn);
  const ts = [
    x.add(y), x.sub(y), x.mul(y), x.div(y), x.sum(), x.mean(), x.exp(), x.pow(2), x.view(3, 1), x.t(),
    x.unsqueeze(0), x.relu(), x.sigmoid(), x.tanh(), x.neg(), x.clone(), x.expand(2, 3),
    x.index(torch.slice(1, null)), x.index(0), x.reshape(3, 1), torch.cat([x, y]), torch.stack([x, y]),
  ];
  assert.deepEqual(ts.map((t) => t.grad_fn!.name()), G.names);
  // shared/API.md §3: String(grad_fn) is `<Name object>`, and a tensor's repr names its grad_fn
  assert.equal(String(b.grad_fn), `<${G.mul_add[0]} object>`);
  assert.match(String(x.add(y)), /, grad_fn=<AddBackward0>\)$/);
});

test("torch.autograd.backward and grad with several outputs and grad_outputs", () => {
  const G = golden.autograd_backward!;
  const x = leaf([1, 2, 3]), y = leaf([4, 5, 6]);
  torch.autograd.backward([x.mul(y), x.add(y)], [torch.tensor([1, 2, 3]), torch.tensor([10, 10, 10])]);
  close(x.grad, G.x, "x");
  close(y.grad, G.y, "y");
  const outs = torch.autograd.grad([x.mul(y).sum(), x.mul(x).sum()], [x, y]);
  outs.forEach((o, i) => close(o, G.grad_multi[i], `grad ${i}`));
  close(torch.autograd.grad(x.mul(y), x, { grad_outputs: torch.tensor([1, 0, 2]) })[0]!, G.grad_outputs, "grad_outputs");
});

test("gradients take their leaf's dtype and shape (mixed precision, 0-d, outer broadcast)", () => {
  const G = golden.dtype_and_shape!;
  const a = leaf([1, 2], torch.float32), b = leaf([3, 4], torch.float64);
  a.mul(b).sum().backward();
  const s = leaf(3), m = leaf([[1], [2], [3]]), n = leaf([[1, 2, 3]]);
  s.mul(m).mul(n).sum().backward();
  for (const [k, t] of Object.entries({ a, b, s, m, n })) close(t.grad, G[k], k);
  assert.deepEqual(valuesOf(s.grad!), G.s.data);
});

// Note [Stealing gradients]: a leaf's first gradient may become its .grad without a copy, but only
// where nothing else holds its elements. Each case mutates what else could alias .grad afterwards
// and checks .grad did not move (values by hand: the gradients are products of small integers).
test("a first gradient becomes .grad without a copy only where nothing else holds its elements", () => {
  const big = (v: number) => torch.full([300, 300], v); // (past the fast backends' thresholds)
  // two leaves fed by one gradient (AddBackward hands the same tensor to both): independent .grads
  const a = big(1).requires_grad_(), b = big(2).requires_grad_(), c = big(3);
  a.add(b).mul(c).sum().backward();
  a.grad!.mul_(10);
  assert.equal(b.grad!.sum().item(), 3 * 90000, "b.grad after a.grad changed");
  // the same through views of one gradient (two leaves' views of one storage)
  const p = big(1).requires_grad_(), q = big(1).requires_grad_();
  p.view(-1).add(q.view(-1)).mul(c.view(-1)).sum().backward();
  p.grad!.zero_();
  assert.equal(q.grad!.sum().item(), 3 * 90000, "q.grad after p.grad changed");
  // the gradient the caller passed to backward stays the caller's
  const x = big(1).requires_grad_(), gx = big(5);
  x.backward(gx);
  gx.zero_();
  assert.equal(x.grad!.sum().item(), 5 * 90000, "x.grad after the root gradient changed");
  // a hook that keeps the gradient it saw
  let kept: Tensor | null = null;
  const y = big(1).requires_grad_();
  y.register_hook((g) => { kept = g; });
  y.mul(c).sum().backward();
  kept!.zero_();
  assert.equal(y.grad!.sum().item(), 3 * 90000, "y.grad after the hook's tensor changed");
  // a custom Function whose backward returns a tensor it holds
  const held = big(7);
  class Passthrough extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.FunctionCtx, t: Tensor): Tensor { return t.clone(); }
    static override backward(): Tensor { return held; }
  }
  const z = big(1).requires_grad_();
  (Passthrough.apply(z) as Tensor).sum().backward();
  held.zero_();
  assert.equal(z.grad!.sum().item(), 7 * 90000, "z.grad after the Function's tensor changed");
  // a retained intermediate gradient
  const w = big(1).requires_grad_(), v = w.view(-1);
  v.retain_grad();
  v.mul(c.view(-1)).sum().backward();
  v.grad!.zero_();
  assert.equal(w.grad!.sum().item(), 3 * 90000, "w.grad after the retained gradient changed");
  // and where nothing else holds it, a Linear's weight gradient is right either way
  const lin = new torch.nn.Linear(300, 300), inp = big(1);
  lin.forward(inp).sum().backward();
  assert.equal(lin.weight.grad!.sum().item(), 300 * 300 * 300, "Linear's weight gradient");
});
