// In-place ops on views against PyTorch: each test repeats one case of
// tools/gen_golden_inplace_views.py (test/golden/inplace_views.json) line for line. A view whose
// base, or another view of its base, was written in place gets its grad_fn rebuilt as
// AsStridedBackward0 when it is next read (Note [Stale view grad_fn]); views that may not be
// rebased (made under no_grad / inference_mode, outputs of split / chunk / unbind, views a custom
// Function returned) raise PyTorch 2.x's errors word for word and leave every tensor as it was
// (Note [Differentiable views]). Compared: grad_fn names, next_functions chains, values,
// gradients, error messages, _version, reprs.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose, fromGolden } from "./helpers.js";

type FunctionCtx = torch.autograd.FunctionCtx;
const { Function } = torch.autograd;
/** [name, [[child, output_nr], ...]], as the generator's chain() writes it */
type Chain = [string, [Chain | null, number][]];
type Case = Record<string, any>;
const { cases, data: table } = readGolden<{ cases: Record<string, Case>; data: GoldenTensor[] }>("inplace_views.json");
/** The cases the tests below read, checked against the JSON's at the end. */
const read = new Set<string>();
const golden = new Proxy(cases, {
  get(target, key: string) { read.add(key); return target[key]; },
});

const f64 = torch.float64;
const sl = torch.slice;

function chain(fn: torch.autograd.Node | null): Chain | null {
  if (fn === null) return null;
  return [fn.name(), fn.next_functions.map(([f, nr]) => [chain(f), nr])];
}

/** The generator's name(): the grad_fn's class name, or null. */
const name = (fn: torch.autograd.Node | null): string | null => (fn === null ? null : fn.name());

function close(t: Tensor | null, g: GoldenTensor | null, what: string): void {
  if (g === null) { assert.equal(t, null, `${what}: PyTorch has None`); return; }
  assert.ok(t, `${what}: missing, PyTorch has a tensor`);
  assertClose(t, g, what);
}

/** The generator's err(): the message f throws (failing when it throws nothing). */
function err(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("expected an error");
}

/** The generator's snapshot(*ts), compared: each tensor's values and _version. */
function snapshotIs(ts: Tensor[], expected: [GoldenTensor, number][], what: string): void {
  assert.equal(ts.length, expected.length, `${what}: tensor count`);
  ts.forEach((t, i) => {
    close(t, expected[i]![0], `${what}[${i}] values`);
    assert.equal(t._version, expected[i]![1], `${what}[${i}] _version`);
  });
}

/** sum(xs) of tensors, as Python's builtin sum over a generator */
const total = (xs: Tensor[]): Tensor => xs.reduce((s, x) => s.add(x));

// The generator's data(shape, k): a prefix of data([64], k), which the JSON records for each k.
function data(shape: number[], k: number): Tensor {
  const g = table[k]!, n = shape.reduce((a, b) => a * b, 1);
  assert.ok(n <= g.data.length, `data(${shape}, ${k}) is not recorded`);
  return fromGolden({ dtype: g.dtype, shape, data: g.data.slice(0, n) });
}
const leaf = (shape: number[], k: number): Tensor => data(shape, k).requires_grad_();

// ---- a view's grad_fn after an in-place op on its base or on another view ---------------------

test("issue_example: a view of a view written in place; the outer view's grad_fn is rebuilt", () => {
  const G = golden.issue_example!;
  const a = torch.ones(4, 4, { requires_grad: true });
  const b = a.mul(2);
  const v = b.select(0, 1);
  const vv = v.narrow(0, 1, 2);
  vv.mul_(3);
  assert.deepEqual([name(b.grad_fn), name(v.grad_fn), name(vv.grad_fn)], G.names);
  assert.deepEqual(chain(v.grad_fn), G.v_chain);
  assert.deepEqual(chain(vv.grad_fn), G.vv_chain);
  close(v, G.v, "v");
  assert.equal(String(vv), G.repr);
  [v, vv, b].forEach((t, i) => {
    a.grad = null;
    t.sum().backward({ retain_graph: true });
    close(a.grad, G.grads[i], `grad of a through ${["v", "vv", "b"][i]}`);
  });
});

test("chain_of_three: every link of a chain of views reads the rebased base", () => {
  const G = golden.chain_of_three!;
  const a = fromGolden(G.inputs[0], { requires_grad: true }), w = fromGolden(G.inputs[1], { requires_grad: true });
  const ws = (G.weights as GoldenTensor[]).map((x) => fromGolden(x));
  const b = a.clone();
  const v1 = b.transpose(0, 2);
  const v2 = v1.select(1, 2);
  const v3 = v2.narrow(0, 1, 3);
  v3.mul_(w);
  assert.deepEqual([b, v1, v2, v3].map((t) => name(t.grad_fn)), G.names);
  close(v1, G.v1, "v1");
  const loss = total([b, v1, v2, v3].map((t, i) => t.mul(ws[i]!).sum()));
  loss.backward();
  close(a.grad, G.grads[0], "a.grad");
  close(w.grad, G.grads[1], "w.grad");
});

test("base_then_older_views: narrow, transpose, diagonal and expand views taken before the base's exp_", () => {
  const G = golden.base_then_older_views!;
  const a = fromGolden(G.input, { requires_grad: true });
  const b = a.clone();
  const n = b.narrow(0, 1, 2);
  const t = b.t();
  const d = b.diagonal();
  const e = b.index(0).unsqueeze(0).expand(3, 4);
  b.exp_();
  const views = [n, t, d, e];
  const ws = (G.weights as GoldenTensor[]).map((x) => fromGolden(x));
  assert.deepEqual(views.map((x) => name(x.grad_fn)), G.names);
  assert.deepEqual(chain(n.grad_fn), G.n_chain);
  views.forEach((x, i) => close(x, G.values[i], `values of ${["n", "t", "d", "e"][i]}`));
  total(views.map((x, i) => x.mul(ws[i]!).sum())).backward();
  close(a.grad, G.grad, "a.grad");
});

test("sibling_view: a row written in place, then a column of the same base", () => {
  const G = golden.sibling_view!;
  const a = fromGolden(G.inputs[0], { requires_grad: true }), w = fromGolden(G.inputs[1], { requires_grad: true });
  const b = a.clone();
  const r0 = b.index(0);
  const c1 = b.index(sl(null, null), 1);
  const before = name(c1.grad_fn);
  r0.mul_(w);
  const [wc, wr] = (G.weights as GoldenTensor[]).map((x) => fromGolden(x));
  assert.equal(before, G.before);
  assert.deepEqual([name(b.grad_fn), name(r0.grad_fn), name(c1.grad_fn)], G.names);
  close(c1, G.c1, "c1");
  assert.deepEqual(chain(b.grad_fn), G.b_chain);
  c1.mul(wc!).sum().backward({ retain_graph: true });
  close(a.grad, G.c1_grads[0], "a.grad through c1");
  close(w.grad, G.c1_grads[1], "w.grad through c1");
  a.grad = w.grad = null;
  r0.mul(wr!).sum().backward();
  close(a.grad, G.r0_grads[0], "a.grad through r0");
  close(w.grad, G.r0_grads[1], "w.grad through r0");
});

test("transpose_and_diagonal_written: in place through a transposed view and through a diagonal", () => {
  const G = golden.transpose_and_diagonal_written!;
  const a = fromGolden(G.inputs[0], { requires_grad: true }), w = fromGolden(G.inputs[1], { requires_grad: true });
  const b = a.clone();
  const t = b.t();
  t.add_(w.mul(w));
  const [wb, wt] = (G.weights as GoldenTensor[]).map((x) => fromGolden(x));
  assert.deepEqual([name(b.grad_fn), name(t.grad_fn)], G.names);
  close(b, G.b, "b");
  b.mul(wb!).sum().add(t.mul(wt!).sum()).backward();
  close(a.grad, G.grads[0], "a.grad");
  close(w.grad, G.grads[1], "w.grad");

  const c = fromGolden(G.diag_inputs[0], { requires_grad: true }), u = fromGolden(G.diag_inputs[1], { requires_grad: true });
  const m = c.clone();
  const d = m.diagonal();
  d.mul_(u);
  const dd = m.diagonal(1);
  const [wm, wd] = (G.diag_weights as GoldenTensor[]).map((x) => fromGolden(x));
  assert.deepEqual([name(m.grad_fn), name(d.grad_fn), name(dd.grad_fn)], G.diag_names);
  close(m, G.m, "m");
  m.mul(wm!).sum().add(dd.mul(wd!).sum()).backward();
  close(c.grad, G.diag_grads[0], "c.grad");
  close(u.grad, G.diag_grads[1], "u.grad");
});

test("written_under_no_grad: a view written under no_grad gets a new grad_fn, its base does not", () => {
  const G = golden.written_under_no_grad!;
  const a = fromGolden(G.input, { requires_grad: true });
  const b = a.mul(2);
  const v = b.index(sl(0, 2));
  torch.no_grad(() => v.mul_(3));
  assert.deepEqual([name(b.grad_fn), name(v.grad_fn)], G.names);
  assert.deepEqual(chain(v.grad_fn), G.v_chain);
  v.sum().backward();
  close(a.grad, G.grad, "a.grad");
  // a leaf written under no_grad: an older view of it reads the new values
  const w = leaf([4], 1);
  const lv = w.index(sl(0, 2));
  torch.no_grad(() => w.mul_(2));
  assert.deepEqual([name(lv.grad_fn), chain(lv.grad_fn)], G.leaf_view);
  lv.mul(lv).sum().backward();
  close(w.grad, G.leaf_grad, "w.grad");
});

test("hard_cases: a base that does not require grad, written through a view or as a whole", () => {
  const G = golden.hard_cases!;
  const [w1, w3] = (G.weights as GoldenTensor[]).map((x) => fromGolden(x));
  const variable = fromGolden(G.inputs[0], { requires_grad: true });
  const base = torch.zeros(4, { dtype: f64 });
  base.index(sl(1, 3)).copy_(variable);
  const [g1] = torch.autograd.grad(base.mul(w1!).sum(), variable);
  const var2 = fromGolden(G.inputs[1], { requires_grad: true });
  const base2 = torch.zeros(4, { dtype: f64 });
  const view = base2.index(sl(1, 3));
  base2.copy_(var2.mul(1));
  const req = view.requires_grad;
  const [g2] = torch.autograd.grad(view.mul(w3!).sum(), var2);
  // the C++ in-place check reads the raw grad_fn: a view not yet refreshed counts as a leaf
  const base3 = torch.zeros(3, { dtype: f64 });
  const v3 = base3.index(sl(1, null));
  base3.copy_(var2.index(sl(0, 3)).mul(1));
  const e = err(() => v3.mul_(2));
  v3.mul(2); // reads grad_fn: refreshed, no longer a leaf
  v3.mul_(2);
  close(g1!, G.copied_into_view, "grad through base[1:3].copy_(var)");
  assert.equal(req, G.view_requires_grad);
  assert.equal(name(view.grad_fn), G.view_name);
  close(g2!, G.base_copied, "grad through base2.copy_(var2 * 1)");
  assert.equal(e, G.stale_leaf_error);
  close(v3, G.v3, "v3");
  assert.equal(name(v3.grad_fn), G.v3_name);
});

test("saved_view_version: a saved view whose base was written fails backward, naming the rebuilt node", () => {
  const G = golden.saved_view_version!;
  const a = torch.ones(4, { requires_grad: true }).mul(1);
  const v = a.index(sl(0, 2));
  const z = v.mul(v);
  a.mul_(2);
  assert.equal(err(() => z.sum().backward()), G.error);
});

test("retain_grad_moves: a retained tensor keeps its .grad across in-place writes", () => {
  const G = golden.retain_grad_moves!;
  let x = leaf([3], 0);
  const y = x.mul(2);
  y.retain_grad();
  y.mul_(3);
  y.sum().backward();
  close(y.grad, G.nonview, "y.grad (not a view)");
  x = leaf([4], 1);
  let b = x.mul(2);
  const v = b.index(sl(0, 2));
  v.retain_grad();
  b.mul_(2);
  v.sum().backward();
  close(v.grad, G.view, "v.grad (a view whose base was written)");
  close(x.grad, G.view_x, "x.grad through v");
  x = leaf([4], 2);
  b = x.mul(1);
  b.retain_grad();
  b.index(sl(0, 2)).mul_(2);
  const weight = fromGolden(G.weight);
  b.mul(weight).sum().backward();
  close(b.grad, G.base, "b.grad (a base written through a view)");
  close(x.grad, G.base_x, "x.grad through b");
});

// ---- views that may not be written in place ---------------------------------------------------

test("no_grad_views: views made under no_grad are refused in place, directly and through their base", () => {
  const G = golden.no_grad_views!;
  const w = leaf([3], 0);
  let nv = torch.no_grad(() => w.index(sl(0, 2)));
  assert.deepEqual([nv.requires_grad, nv.is_leaf, nv.grad_fn === null], G.flags);
  assert.equal(err(() => nv.zero_()), G.zero);
  assert.equal(err(() => nv.mul_(2)), G.mul);
  snapshotIs([w, nv], G.after, "after the refused writes");
  const y = nv.mul(2);
  assert.deepEqual([y.requires_grad, chain(y.grad_fn)], G.use);
  y.sum().backward();
  assert.deepEqual([w.grad === null, nv.grad === null], G.use_grads);
  // a non-leaf base: direct error, then the base written: the view's grad_fn is refused
  let b = w.mul(1);
  nv = torch.no_grad(() => b.index(sl(0, 2)));
  assert.equal(err(() => nv.mul_(2)), G.nonleaf);
  b.mul_(2);
  assert.deepEqual([err(() => nv.grad_fn), err(() => nv.mul(1))], G.indirect);
  // a view of it made in grad mode: 2.x names the view's node
  b = w.mul(1);
  nv = torch.no_grad(() => b.index(sl(0, 2)));
  const v2 = nv.index(sl(0, 1));
  assert.deepEqual([name(v2.grad_fn), v2.requires_grad], G.view_of_view);
  assert.equal(err(() => v2.mul_(2)), G.view_of_view_error);
  // a base that does not require grad: only a write that would be tracked is refused
  let base = torch.zeros(3, { dtype: f64 });
  nv = torch.no_grad(() => base.index(sl(0, 2)));
  assert.equal(err(() => nv.copy_(w.index(sl(0, 2)))), G.copy);
  snapshotIs([base], G.copy_after, "after the refused copy_");
  nv.mul_(2);
  assert.deepEqual([nv.requires_grad, name(nv.grad_fn)], G.untracked_ok);
  // made and written under no_grad: reading its grad_fn afterwards is refused
  b = w.mul(2);
  const v = torch.no_grad(() => {
    const v = b.index(sl(0, 2));
    v.mul_(3);
    return v;
  });
  assert.equal(err(() => v.grad_fn), G.written_under_no_grad);
  // the base starts requiring grad later
  base = torch.zeros(3, { dtype: f64 });
  nv = torch.no_grad(() => base.index(sl(0, 2)));
  const gv = base.index(sl(1, 3));
  base.requires_grad_();
  assert.deepEqual([nv.requires_grad, err(() => nv.mul_(2)), err(() => gv.mul_(2))], G.late);
});

test("inference_mode_views: a view made in inference mode is refused in place, directly and through its base", () => {
  const G = golden.inference_mode_views!;
  const x = leaf([3], 0).mul(1);
  const iv = torch.inference_mode(() => x.index(sl(0, 2)));
  assert.deepEqual([iv.is_inference(), iv.requires_grad], G.flags);
  assert.equal(err(() => iv.mul_(2)), G.direct);
  snapshotIs([x], G.after, "after the refused write");
  x.mul_(2);
  assert.equal(err(() => iv.grad_fn), G.indirect);
});

const makers: Record<string, (t: Tensor) => Tensor[]> = {
  split: (t) => t.split(2), chunk: (t) => t.chunk(2), unbind: (t) => t.unbind(), split_with_sizes: (t) => t.split([1, 3]),
};

for (const [key, make] of Object.entries(makers)) {
  test(`multi_output_views: the outputs of ${key} are refused in place, directly and through their base`, () => {
    const G = golden.multi_output_views!, R = G[key] as Case;
    const lf = fromGolden(G.input, { requires_grad: true });
    let a = lf.mul(1);
    let outs = make(a);
    assert.deepEqual(outs.map((o) => name(o.grad_fn)), R.names);
    assert.equal(err(() => outs[1]!.mul_(2)), R.direct);
    snapshotIs([a, outs[1]!], R.after, "after the refused write");
    const q = outs[0]!.index(sl(0, 1));
    assert.equal(err(() => q.add_(1)), R.view_of_output);
    // used out of place, they are ordinary views
    const ws = (R.weights as GoldenTensor[]).map((x) => fromGolden(x));
    lf.grad = null;
    total(outs.map((o, i) => o.mul(ws[i]!).sum())).backward();
    close(lf.grad, R.grad, "lf.grad");
    // the base written: reading an output's grad_fn is refused, also when written under no_grad
    a.mul_(2);
    assert.deepEqual([err(() => outs[0]!.grad_fn), err(() => outs[0]!.sum())], R.indirect);
    a = lf.mul(1);
    outs = make(a);
    torch.no_grad(() => a.mul_(2));
    assert.equal(err(() => outs[0]!.grad_fn), R.indirect_no_grad);
  });
}

test("multi_output_views: made under no_grad the no_grad error wins; without grad, writes are fine", () => {
  const G = golden.multi_output_views!;
  const lf = fromGolden(G.input, { requires_grad: true });
  const a = lf.mul(1);
  let [p] = torch.no_grad(() => a.split(2));
  assert.equal(err(() => p!.mul_(2)), G.made_under_no_grad);
  [p] = torch.ones(4, { dtype: f64 }).split(2);
  p!.mul_(2);
  close(p!, G.no_grad_needed, "p");
});

// ---- views returned by custom Functions ---------------------------------------------------------

class ViewOf extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.index(sl(0, 2));
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    const r = g.new_zeros(4);
    r.index_put_([sl(0, 2)], g.mul(10));
    return r;
  }
}

class Ident extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(10);
  }
}

class ViewOfTemp extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    const t = x.mul(2);
    return t.index(sl(0, 2));
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    const r = g.new_zeros(4);
    r.index_put_([sl(0, 2)], g.mul(2));
    return r;
  }
}

class Two extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor[] {
    return [x.mul(2), x.index(sl(1, 3))];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor): Tensor {
    const r = g1.mul(2);
    // r[1:3] += g2: the view's __iadd__, then __setitem__ copies it into itself
    const s = r.index(sl(1, 3));
    s.add_(g2);
    r.index_put_([sl(1, 3)], s);
    return r;
  }
}

const functions: [string, typeof ViewOf][] = [["ViewOf", ViewOf], ["Ident", Ident], ["ViewOfTemp", ViewOfTemp]];

for (const [fname, F] of functions) {
  test(`custom_function_views: ${fname}'s output may not be written in place; a clone of it may`, () => {
    const G = golden.custom_function_views!, R = G[fname] as Case;
    const lf = fromGolden(G.input, { requires_grad: true });
    const a = lf.mul(1);
    const o = F.apply(a);
    assert.equal(name(o.grad_fn), R.name);
    assert.equal(o._base === a, R.base_is_input);
    assert.equal(err(() => o.mul_(2)), R.direct);
    snapshotIs([a, o], R.after, "after the refused write");
    const o0 = o.index(0);
    assert.equal(err(() => o0.mul_(2)), R.view_of_output);
    // a clone may be written: gradients go through the custom backward
    const c = o.clone();
    c.mul_(3);
    lf.grad = null;
    c.sum().backward();
    close(lf.grad, R.clone_grad, "lf.grad through the clone");
    a.mul_(2); // the input written: an output viewing it is refused on use
    assert.equal(F === ViewOfTemp ? null : err(() => o.grad_fn), R.indirect);
    assert.equal(F === ViewOfTemp ? name(o.grad_fn) : null, R.after_input_written);
  });
}

test("custom_function_views: two outputs, one a view: the view counts as a multi-output node's", () => {
  const G = golden.custom_function_views!, R = G.Two as Case;
  const lf = fromGolden(G.input, { requires_grad: true });
  const a = lf.mul(1);
  const [o1, o2] = Two.apply(a);
  assert.deepEqual([name(o1!.grad_fn), name(o2!.grad_fn)], R.names);
  assert.equal(err(() => o2!.mul_(2)), R.view);
  snapshotIs([a, o2!], R.after, "after the refused write");
  o1!.mul_(2);
  close(o1!, R.not_a_view[0], "o1");
  assert.equal(name(o1!.grad_fn), R.not_a_view[1]);
});

test("custom_function_views: applied under no_grad, on an input without grad, on a leaf", () => {
  const G = golden.custom_function_views!;
  const lf = fromGolden(G.input, { requires_grad: true });
  const a = lf.mul(1);
  let o = torch.no_grad(() => ViewOf.apply(a));
  assert.deepEqual([o.requires_grad, err(() => o.mul_(2))], G.applied_under_no_grad);
  o = ViewOf.apply(torch.ones(4, { dtype: f64 }));
  o.mul_(2);
  close(o, G.no_grad_needed, "o");
  assert.equal(err(() => ViewOf.apply(lf).mul_(2)), G.leaf_input);
});

test("every case of the JSON is repeated here", () => {
  assert.deepEqual(Object.keys(cases).filter((k) => !read.has(k)), []);
});
