// Convolution, pooling, normalisation and padding against PyTorch: test/golden/conv.json
// (tools/gen_golden_conv.py). F.conv1d/conv2d/conv3d, F.unfold/fold, the pools (1-d to 3-d), the norms and F.pad in
// float64 and float32: outputs, grad_fn names, gradients for PyTorch's grad_outputs, running
// statistics; float64 gradcheck, gradgradcheck for a selection; PyTorch's error messages; the nn
// layers' reprs, default initialisation, state_dict keys, forward passes and BatchNorm's running
// statistics; PyTorch's MNIST example CNN: initial weights bit for bit and one SGD step.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, type GoldenArg, goldenArg as arg, readGolden, fromGolden, assertClose, valuesOf } from "./helpers.js";

const F = torch.nn.functional;
const nn = torch.nn;

type Arg = GoldenArg;
interface FnCase {
  name: string; fn: string; args: Arg[]; kwargs: Record<string, Arg>; views: Record<string, string>; diff: (number | string)[];
  out: GoldenTensor | GoldenTensor[]; grad_fn: string; go: GoldenTensor; grads: (GoldenTensor | null)[]; gradcheck: boolean;
  running_after?: GoldenTensor[];
}
interface ErrCase { name: string; fn: string; args: Arg[]; kwargs: Record<string, Arg>; error: string | null }
interface ModuleCase {
  cls: string; args: Arg[]; kwargs: Record<string, Arg>; seed: number; repr: string; state_dict: [string, string, number[]][];
  params: Record<string, GoldenTensor>;
  forward?: { x: GoldenTensor; out: GoldenTensor; grad_fn: string; go: GoldenTensor; gx: GoldenTensor; grads: Record<string, GoldenTensor> };
}
interface Step { x: GoldenTensor; out: GoldenTensor; go: GoldenTensor; gx: GoldenTensor; buffers?: Record<string, GoldenTensor> }
interface BnRun { name: string; cls: string; kwargs: Record<string, Arg>; weight: GoldenTensor | null; bias: GoldenTensor | null; steps: Step[]; eval: Step }
interface Mnist {
  repr: string; init: Record<string, { shape: number[]; crc32: string; head: number[] }>; loss: number;
  grads: Record<string, { norm: number; head: number[] }>; after: Record<string, number[]>; eval_loss: number; target_head: number[];
}
const golden = readGolden<{
  functional: FnCase[]; errors: ErrCase[]; modules: ModuleCase[]; batchnorm_runs: BnRun[];
  dropout: { name: string; cls: string; p: number; shape: number[]; out: GoldenTensor }[]; mnist: Mnist;
}>("conv.json");

const Fn = F as unknown as Record<string, (...a: unknown[]) => Tensor | Tensor[]>;

/** The case's arguments, fresh, the differentiable ones as leaves (a "T" view is a transposed,
 *  non-contiguous leaf, as the generator made it). */
function build(c: FnCase, contiguous = false): { args: unknown[]; kwargs: Record<string, unknown>; leaves: Tensor[] } {
  const args = c.args.map(arg), kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)]));
  for (const [i, v] of Object.entries(c.views)) if (v === "T") args[Number(i)] = (args[Number(i)] as Tensor).transpose(-1, -2);
  if (contiguous) args.forEach((a, i) => { if (a instanceof torch.Tensor) args[i] = a.contiguous(); });
  const leaves = c.diff.map((key) => {
    const holder = typeof key === "number" ? args : kwargs;
    const leaf = (holder as Record<string | number, Tensor>)[key]!.detach().requires_grad_(true);
    (holder as Record<string | number, Tensor>)[key] = leaf;
    return leaf;
  });
  return { args, kwargs, leaves };
}

const call = (fn: string, args: unknown[], kwargs: Record<string, unknown>) =>
  Object.keys(kwargs).length ? Fn[fn]!(...args, kwargs) : Fn[fn]!(...args);
const first = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r[0]! : r);

// gradgradcheck on a selection of the float64 cases (each op family once or twice)
const GRADGRAD = new Set([
  "conv2d_basic", "conv2d_groups", "conv1d_basic", "conv2d_same_even", "unfold_params", "fold_overlap", "max_pool2d_basic",
  "avg_pool2d_pad_exclude", "adaptive_avg_pool2d_uneven", "adaptive_max_pool2d", "batch_norm_train", "batch_norm_eval",
  "layer_norm_basic", "group_norm_basic", "pad_reflect_2d", "pad_constant_negative", "pad_circular_2d", "conv3d_basic",
  "max_pool3d_basic", "avg_pool3d_pad_exclude_ceil", "adaptive_max_pool3d", "max_unpool2d_basic", "max_unpool3d_basic",
].map((n) => `${n}_float64`));

for (const c of golden.functional) {
  test(`F.${c.fn}: ${c.name}`, () => {
    const { args, kwargs, leaves } = build(c);
    const res = call(c.fn, args, kwargs);
    if (Array.isArray(c.out)) {
      assert.ok(Array.isArray(res), "returns [values, indices]");
      assertClose(res[0]!, c.out[0]!, "output");
      assertClose(res[1]!, c.out[1]!, "indices");
    } else assertClose(res as Tensor, c.out, "output");
    const y = first(res);
    assert.equal(y.grad_fn?.name(), c.grad_fn);
    if (c.running_after) {
      assertClose(args[1] as Tensor, c.running_after[0]!, "running_mean after");
      assertClose(args[2] as Tensor, c.running_after[1]!, "running_var after");
    }
    const grads = torch.autograd.grad(y, leaves, { grad_outputs: fromGolden(c.go), allow_unused: true });
    c.grads.forEach((g, i) => { if (g) assertClose(grads[i]!, g, `grad of ${c.diff[i]}`); });
    if (c.gradcheck || GRADGRAD.has(c.name)) {
      const base = build(c, true);
      const fn = (...t: Tensor[]) => {
        const a = base.args.slice(), kw = { ...base.kwargs };
        c.diff.forEach((key, i) => { if (typeof key === "number") a[key] = t[i]; else kw[key] = t[i]; });
        // batch norm updates its running statistics: give each evaluation fresh ones
        if (c.fn === "batch_norm" && a[1] instanceof torch.Tensor) { a[1] = (a[1] as Tensor).clone(); a[2] = (a[2] as Tensor).clone(); }
        return first(call(c.fn, a, kw));
      };
      if (c.gradcheck) assert.ok(torch.autograd.gradcheck(fn, base.leaves));
      if (GRADGRAD.has(c.name)) assert.ok(torch.autograd.gradgradcheck(fn, base.leaves));
    }
  });
}

// the warnings PyTorch gives once (padding='same' with an even kernel, dropout2d on 3-d input)
const warn = console.warn;
console.warn = (...a: unknown[]) => { if (!String(a[0]).startsWith("UserWarning")) warn(...a); };

test("errors carry PyTorch 2.x's messages", () => {
  for (const c of golden.errors) {
    const args = c.args.map(arg), kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)]));
    const expected = c.error;
    if (expected === null) { assert.doesNotThrow(() => call(c.fn, args, kwargs), c.name); continue; }
    assert.throws(() => call(c.fn, args, kwargs), (e: Error) => {
      assert.equal(e.message, expected, c.name);
      return true;
    });
  }
});

test("bad input changes nothing: batch_norm's running statistics, BatchNorm's counter", () => {
  const rm = torch.tensor([1, 2, 3]), rv = torch.tensor([4, 5, 6]);
  assert.throws(() => F.batch_norm(torch.randn(4, 3), rm, rv, { weight: torch.ones(2), training: true }), /weight should contain 3 elements not 2/);
  assert.deepEqual(rm.tolist(), [1, 2, 3]);
  assert.deepEqual(rv.tolist(), [4, 5, 6]);
  const bn = new nn.BatchNorm1d(3);
  assert.throws(() => bn.forward(torch.randn(1, 3)), /Expected more than 1 value per channel when training, got input size torch.Size\(\[1, 3\]\)/);
  assert.throws(() => bn.forward(torch.randn(4, 5)), /running_mean should contain 5 elements not 3/);
  assert.equal(bn.num_batches_tracked!.item(), 0);
  assert.deepEqual(bn.running_mean!.tolist(), [0, 0, 0]);
});

// ---- modules ----------------------------------------------------------------------------------

type Ctor = new (...a: unknown[]) => InstanceType<typeof nn.Module>;
function buildModule(cls: string, args: Arg[], kwargs: Record<string, Arg>): InstanceType<typeof nn.Module> {
  const C = (nn as unknown as Record<string, Ctor>)[cls]!;
  const a = args.map(arg);
  return Object.keys(kwargs).length ? new C(...a, Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, arg(v)]))) : new C(...a);
}

for (const m of golden.modules) {
  test(`nn.${m.cls}(${JSON.stringify(m.args).slice(1, -1)}${Object.keys(m.kwargs).length ? ", " + JSON.stringify(m.kwargs) : ""})`, () => {
    torch.manual_seed(m.seed);
    const mod = buildModule(m.cls, m.args, m.kwargs);
    assert.equal(String(mod), m.repr);
    const sd = mod.state_dict();
    assert.deepEqual(Object.entries(sd).map(([k, v]) => [k, v.dtype.name, v.shape.slice()]), m.state_dict);
    // default initialisation: PyTorch's exact numbers after the same seed
    for (const [k, v] of Object.entries(m.params)) assert.deepEqual(valuesOf(sd[k]!), valuesOf(fromGolden(v)), `${k} after manual_seed(${m.seed})`);
    if (m.forward) {
      const f = m.forward;
      const x = fromGolden(f.x, { requires_grad: true });
      const y = mod(x) as Tensor;
      assertClose(y, f.out, "forward");
      assert.equal(y.grad_fn?.name(), f.grad_fn);
      y.backward(fromGolden(f.go));
      assertClose(x.grad!, f.gx, "grad input");
      for (const [k, p] of mod.named_parameters()) assertClose(p.grad!, f.grads[k]!, `grad ${k}`);
    }
  });
}

for (const r of golden.batchnorm_runs) {
  test(`nn.${r.cls} running statistics over three training steps, then eval: ${r.name}`, () => {
    torch.manual_seed(0);
    const m = buildModule(r.cls, [3], r.kwargs) as InstanceType<typeof nn.BatchNorm2d>;
    torch.no_grad(() => {
      if (r.weight) m.weight!.copy_(fromGolden(r.weight));
      if (r.bias) m.bias!.copy_(fromGolden(r.bias));
    });
    const check = (s: Step, what: string) => {
      const x = fromGolden(s.x, { requires_grad: true });
      const y = m(x) as Tensor;
      assertClose(y, s.out, `${what} output`);
      y.backward(fromGolden(s.go));
      assertClose(x.grad!, s.gx, `${what} grad input`);
      for (const [k, b] of Object.entries(s.buffers ?? {})) assertClose((m as unknown as Record<string, Tensor>)[k]!, b, `${what} ${k}`);
    };
    r.steps.forEach((s, i) => check(s, `step ${i}`));
    m.eval();
    check(r.eval, "eval");
  });
}

test("Dropout2d / Dropout1d draw PyTorch's channel masks after manual_seed", () => {
  for (const d of golden.dropout) {
    torch.manual_seed(7);
    const m = buildModule(d.cls, [d.p], {});
    assertClose(m(torch.ones(d.shape)) as Tensor, d.out, d.name);
  }
});

// ---- calling conventions ----------------------------------------------------------------------

test("positional arguments and options objects agree", () => {
  torch.manual_seed(3);
  const x = torch.randn(2, 3, 7, 6), w = torch.randn(4, 3, 3, 3), b = torch.randn(4);
  assert.ok(F.conv2d(x, w, b, 2, 1).equal(F.conv2d(x, w, { bias: b, stride: 2, padding: 1 })));
  assert.ok(F.conv2d(x, w, b, [1, 2], [1, 0], 1, 1).equal(F.conv2d(x, w, b, { stride: [1, 2], padding: [1, 0] })));
  assert.ok(F.max_pool2d(x, 3, 2, 1).equal(F.max_pool2d(x, { kernel_size: 3, stride: 2, padding: 1 })));
  assert.ok(F.avg_pool2d(x, 2, null, 1, true, false).equal(F.avg_pool2d(x, { kernel_size: 2, padding: 1, ceil_mode: true, count_include_pad: false })));
  assert.ok(F.pad(x, [1, 2, 2, 1], "reflect").equal(F.pad(x, { pad: [1, 2, 2, 1], mode: "reflect" })));
  assert.ok(F.layer_norm(x, [6], null, null, 1e-3).equal(F.layer_norm(x, { normalized_shape: [6], eps: 1e-3 })));
  assert.ok(F.group_norm(x, 3, null, b.narrow(0, 0, 3)).equal(F.group_norm(x, { num_groups: 3, bias: b.narrow(0, 0, 3) })));
  const [v, i] = F.max_pool2d(x, 2, null, 0, 1, false, true);
  const r = F.max_pool2d(x, { kernel_size: 2, return_indices: true });
  assert.ok(v.equal(r.values) && i.equal(r.indices));
  // torch.conv2d and the module are the same computation
  const conv = new nn.Conv2d(3, 4, 3, { stride: 2 });
  assert.ok((conv(x) as Tensor).equal(torch.conv2d(x, conv.weight, conv.bias, 2)));
});

test("CircularPad2d (PyTorch 2.1+, so not in the 1.13 golden file) is F.pad's circular mode, unbatched too", () => {
  const m = new nn.CircularPad2d([1, 0, 2, 1]);
  assert.equal(String(m), "CircularPad2d((1, 0, 2, 1))");
  const x = torch.randn(2, 3, 4, 5);
  assert.ok((m(x) as Tensor).equal(F.pad(x, [1, 0, 2, 1], "circular")));
  assert.ok((m(x.select(0, 1)) as Tensor).equal(F.pad(x, [1, 0, 2, 1], "circular").select(0, 1)));
  assert.throws(() => m(torch.randn(4, 5)), /expected 3D or 4D input \(got 2D input\)/);
});

test("state_dict round trip of BatchNorm2d keeps running statistics and the int64 counter", () => {
  const a = new nn.BatchNorm2d(2), b = new nn.BatchNorm2d(2);
  a(torch.randn(3, 2, 2, 2));
  b.load_state_dict(a.state_dict());
  assert.ok(b.running_mean!.equal(a.running_mean!) && b.running_var!.equal(a.running_var!));
  assert.equal(b.num_batches_tracked!.dtype, torch.int64);
  assert.equal(b.num_batches_tracked!.item(), 1);
});

// ---- PyTorch's MNIST example ------------------------------------------------------------------

/** pytorch/examples mnist/main.py's Net. */
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);
  override forward(x: Tensor): Tensor {
    x = F.relu(this.conv1(x));
    x = F.relu(this.conv2(x));
    x = F.max_pool2d(x, 2);
    x = this.dropout1(x);
    x = torch.flatten(x, 1);
    x = F.relu(this.fc1(x));
    x = this.dropout2(x);
    return F.log_softmax(this.fc2(x), { dim: 1 });
  }
}

/** zlib.crc32 of a float32 tensor's bytes, as the generator's crc(). */
function crc32(t: Tensor): string {
  const bytes = new Uint8Array(Float32Array.from(valuesOf(t)).buffer);
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ((~c) >>> 0).toString(16).padStart(8, "0");
}

const close = (a: number, b: number, rtol: number, atol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= atol + rtol * Math.abs(b), `${what}: ${a}, PyTorch ${b}`);

test("MNIST example CNN: PyTorch's initial weights after manual_seed(1), one SGD step on a seeded batch", () => {
  const g = golden.mnist;
  torch.manual_seed(1);
  const model = new Net();
  assert.equal(String(model), g.repr);
  for (const [k, v] of Object.entries(model.state_dict())) {
    assert.deepEqual(v.shape.slice(), g.init[k]!.shape, k);
    assert.equal(crc32(v), g.init[k]!.crc32, `${k}: crc32 of the ${v.numel()} initial values`);
  }
  torch.manual_seed(2);
  const x = torch.randn(64, 1, 28, 28), target = torch.randint(0, 10, [64]);
  assert.deepEqual(target.narrow(0, 0, 8).tolist(), g.target_head);
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
  model.train();
  opt.zero_grad();
  const loss = F.nll_loss(model(x), target);
  loss.backward();
  // float32 throughout; the GEMMs sum in another order than PyTorch's, hence the tolerances
  close(loss.item(), g.loss, 1e-5, 1e-6, "loss");
  for (const [k, p] of model.named_parameters()) {
    close(p.grad!.norm().item(), g.grads[k]!.norm, 1e-4, 1e-7, `|grad ${k}|`);
    valuesOf(p.grad!.reshape(-1).narrow(0, 0, 6)).forEach((v, i) => close(v, g.grads[k]!.head[i]!, 1e-3, 1e-6, `grad ${k}[${i}]`));
  }
  opt.step();
  for (const [k, v] of Object.entries(model.state_dict()))
    valuesOf(v.reshape(-1).narrow(0, 0, 6)).forEach((e, i) => close(e, g.after[k]![i]!, 1e-5, 1e-6, `${k}[${i}] after the step`));
  model.eval();
  const evalLoss = torch.no_grad(() => F.nll_loss(model(x), target).item());
  close(evalLoss, g.eval_loss, 1e-5, 1e-6, "eval loss after the step");
});
