// Memory formats against PyTorch 2.13 (test/golden/memory_format.json, tools/gen_golden_memory_format.py):
// is_contiguous in each format, the strides of copies, factories, elementwise ops and nn ops on
// channels-last, permuted and sliced inputs, their gradients' strides, and their values.

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import torch, { type Tensor } from "typetorch";

const F = torch.nn.functional;
type Step = [string, ...unknown[]];
interface Spec { shape: number[]; ops?: Step[] }
interface Out { value?: boolean; shape?: number[]; stride?: number[]; dtype?: string; data?: (number | boolean | string)[] }
interface Case {
  op: string; inputs: Spec[]; args: Record<string, unknown>; out?: Out; error?: string; gout?: Spec | null; grads?: Out[];
  /** gradients as autograd.grad returns them (else each input's .grad) */
  raw?: boolean;
  /** values within float32 rounding (else bit for bit) */
  approx?: boolean;
}
interface Train { fmt: string; optimizer: "sgd" | "adam"; losses: number[]; outputs: Out[]; params: Out[]; grads: number[][] }
const golden = JSON.parse(readFileSync(new URL("./golden/memory_format.json", import.meta.url), "utf8")) as { cases: Case[]; train: Train[] };

const FMT: Record<string, torch.memory_format> = {
  contiguous_format: torch.contiguous_format, channels_last: torch.channels_last,
  channels_last_3d: torch.channels_last_3d, preserve_format: torch.preserve_format,
};
const dtypeOf = (name: string) => (torch as unknown as Record<string, torch.dtype>)[name]!;

/** The generator's recipe: a row-major base with values ((7 k) mod 23 - 11) / 8, then its steps. */
function make(spec: Spec, requiresGrad = false): Tensor {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  let x = torch.tensor(Array.from({ length: n }, (_, k) => (((7 * k) % 23) - 11) / 8)).reshape(spec.shape);
  for (const [k, a, b] of spec.ops ?? []) {
    if (k === "fmt") x = x.contiguous({ memory_format: FMT[a as string]! });
    else if (k === "dense") {
      const p = a as number[];
      x = x.permute(p).contiguous().permute(p.map((_, i) => p.indexOf(i)));
    } else if (k === "permute") x = x.permute(a as number[]);
    else if (k === "slice") x = x.slice(a as number, null, null, b as number);
    else if (k === "expand") x = x.expand(a as number[]);
    else if (k === "dtype") x = x.to(dtypeOf(a as string));
  }
  return requiresGrad ? x.detach().requires_grad_(true) : x;
}

const fmtOpt = (a: Record<string, unknown>) => ("fmt" in a ? { memory_format: FMT[a.fmt as string]! } : {});
type Op = (ins: Tensor[], a: Record<string, unknown>) => Tensor | boolean;
const OPS: Record<string, Op> = {
  strides: ([x]) => x!,
  is_contiguous: ([x], a) => x!.is_contiguous(fmtOpt(a)),
  contiguous: ([x], a) => x!.contiguous(fmtOpt(a)),
  clone: ([x], a) => x!.clone(fmtOpt(a)),
  to: ([x], a) => x!.to({ ...("dtype" in a ? { dtype: dtypeOf(a.dtype as string) } : {}), ...fmtOpt(a) }),
  double: ([x], a) => x!.double(fmtOpt(a)),
  empty_like: ([x], a) => torch.empty_like(x!, fmtOpt(a)),
  zeros_like: ([x], a) => torch.zeros_like(x!, fmtOpt(a)),
  ones_like: ([x], a) => torch.ones_like(x!, fmtOpt(a)),
  full_like: ([x]) => torch.full_like(x!, 2.5),
  rand_like: ([x]) => { torch.manual_seed(0); return torch.rand_like(x!); },
  randn_like: ([x], a) => { torch.manual_seed(0); return torch.randn_like(x!, fmtOpt(a)); },
  empty: (_, a) => torch.empty(a.size as number[], fmtOpt(a)),
  neg: ([x]) => x!.neg(),
  exp: ([x]) => x!.exp(),
  relu: ([x]) => torch.relu(x!),
  sigmoid: ([x]) => torch.sigmoid(x!),
  add_scalar: ([x]) => x!.add(1.5),
  add: ([x, y]) => x!.add(y!),
  mul: ([x, y]) => x!.mul(y!),
  sub: ([x, y]) => x!.sub(y!),
  gt: ([x, y]) => x!.gt(y!),
  where: ([c, x, y]) => torch.where(c!.gt(0), x!, y!),
  add_double: ([x, y]) => x!.add(y!.double()),
  resize_: ([x], a) => x!.detach().clone().resize_(a.size as number[], fmtOpt(a)),
  bernoulli_: ([x]) => { torch.manual_seed(0); return x!.detach().clone({ memory_format: torch.preserve_format }).bernoulli_(0.5); },
  normal_: ([x]) => { torch.manual_seed(0); return x!.detach().normal_(); },
  uniform_: ([x]) => { torch.manual_seed(0); return x!.detach().uniform_(); },
  conv2d: ([x, w], a) => F.conv2d(x!, w!, a),
  conv2d_bias: ([x, w, b], a) => F.conv2d(x!, w!, b!, a),
  conv_transpose2d: ([x, w], a) => F.conv_transpose2d(x!, w!, a),
  batch_norm: ([x]) => F.batch_norm(x!, null, null, { training: true }),
  batch_norm_affine: ([x, w, b]) => F.batch_norm(x!, null, null, w!, b!, { training: true }),
  batch_norm_eval: ([x]) => F.batch_norm(x!, torch.zeros(x!.shape[1]!), torch.ones(x!.shape[1]!), { training: false }),
  max_pool2d: ([x], a) => F.max_pool2d(x!, a as never) as unknown as Tensor,
  max_pool2d_indices: ([x], a) => (F.max_pool2d(x!, { ...a, return_indices: true } as never) as unknown as Tensor[])[1]!,
  avg_pool2d: ([x], a) => F.avg_pool2d(x!, a as never),
  adaptive_avg_pool2d: ([x], a) => F.adaptive_avg_pool2d(x!, a.size as number),
  adaptive_max_pool2d: ([x], a) => F.adaptive_max_pool2d(x!, a.size as number),
  conv3d: ([x, w], a) => F.conv3d(x!, w!, a),
  conv_transpose3d: ([x, w], a) => F.conv_transpose3d(x!, w!, a),
  max_pool3d: ([x], a) => F.max_pool3d(x!, a as never) as unknown as Tensor,
  max_pool3d_indices: ([x], a) => (F.max_pool3d(x!, { ...a, return_indices: true } as never) as unknown as Tensor[])[1]!,
  avg_pool3d: ([x], a) => F.avg_pool3d(x!, a as never),
  adaptive_avg_pool3d: ([x], a) => F.adaptive_avg_pool3d(x!, a.size as number),
  adaptive_max_pool3d: ([x], a) => F.adaptive_max_pool3d(x!, a.size as number),
  interpolate: ([x], a) => F.interpolate(x!, a),
  leaky_relu: ([x]) => F.leaky_relu(x!),
  gelu: ([x]) => F.gelu(x!),
  silu: ([x]) => F.silu(x!),
  hardtanh: ([x]) => F.hardtanh(x!),
  elu: ([x]) => F.elu(x!),
  dropout: ([x]) => { torch.manual_seed(0); return F.dropout(x!, 0.5); },
  softmax: ([x]) => F.softmax(x!, 1),
  log_softmax: ([x]) => F.log_softmax(x!, 1),
  sum: ([x], a) => x!.sum(a as never),
  mean: ([x], a) => x!.mean(a as never),
  cat: ([x, y]) => torch.cat([x!, y!], 1),
  flatten: ([x]) => x!.flatten(1),
  group_norm: ([x], a) => F.group_norm(x!, a.groups as number),
  layer_norm: ([x]) => F.layer_norm(x!, [x!.shape[x!.ndim - 1]!]),
  instance_norm: ([x]) => F.instance_norm(x!),
  pad: ([x]) => F.pad(x!, [1, 1, 1, 1]),
  pixel_shuffle: ([x]) => F.pixel_shuffle(x!, 2),
  matmul: ([x]) => x!.matmul(torch.ones(5, 2)),
  linear: ([x]) => F.linear(x!, torch.ones(2, 5)),
  relu_: ([x]) => x!.detach().clone().relu_(),
  add_: ([x]) => x!.detach().clone().add_(make({ shape: [2, 3, 4, 5] })),
  var: ([x]) => x!.var(1),
  argmax: ([x]) => x!.argmax(1),
  max_dim: ([x]) => x!.max(1)[0],
  masked_fill: ([x]) => x!.masked_fill(x!.gt(0), 0),
  index_select: ([x]) => x!.index_select(1, torch.tensor([2n, 0n])),
  cumsum: ([x]) => x!.cumsum(1),
  clamp: ([x]) => x!.clamp(-0.5, 0.5),
  pow: ([x]) => x!.pow(2),
  where_scalar: ([x]) => torch.where(x!.gt(0), x!, 0),
  half: ([x]) => x!.half(),
  narrow_clone: ([x]) => x!.narrow(1, 0, 2).clone(),
  upsample: ([x]) => new torch.nn.Upsample({ scale_factor: 2 }).forward(x!),
  mse_none: ([x]) => F.mse_loss(x!, torch.zeros(x!.shape.slice()), { reduction: "none" }),
  lerp: ([x]) => torch.lerp(x!, make({ shape: [2, 3, 4, 5] }), 0.3),
  addcmul: ([x]) => torch.addcmul(x!, x!, make({ shape: [2, 3, 4, 5] })),
  tanh: ([x]) => x!.tanh(),
  div: ([x]) => x!.div(2),
  rsub: ([x]) => torch.sub(1, x!),
  stack: ([x, y], a) => torch.stack([x!, y!], a.dim as number),
  sort: ([x], a) => x!.sort(a.dim as number)[0],
  sort_indices: ([x], a) => x!.sort(a.dim as number)[1],
  argsort: ([x], a) => x!.argsort(a.dim as number),
};
/** The copies, whose values are their input's (the golden data leaves them out). */
const SAME_VALUES = new Set(["contiguous", "clone", "to", "double"]);

const num = (v: number | boolean | string) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v);

/** The ops whose last bit depends on the math library (PyTorch's SLEEF against ours): values
 *  within float32's rounding, as the cases marked approx; the others bit for bit. */
const ROUNDED = new Set(["exp", "sigmoid"]);

function check(got: Tensor | boolean, want: Out, what: string, approx: boolean): void {
  if (typeof got === "boolean") { assert.equal(got, want.value, what); return; }
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.deepEqual(got.stride(), want.stride, `${what}: strides`);
  assert.equal(got.dtype.name, want.dtype ?? "float32", `${what}: dtype`);
  if (!want.data) return;
  // (float32 values come as their shortest decimals)
  const f32 = got.dtype === torch.float32, values = got.reshape(-1).tolist() as number[];
  const expected = want.data.map((v) => (f32 && typeof v === "number" ? Math.fround(v) : num(v))) as number[];
  if (!approx) { assert.deepEqual(values, expected, `${what}: values`); return; }
  values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-5 * Math.abs(expected[i]!) + 1e-6, `${what}: value ${i}: ${v} vs ${expected[i]}`));
}

const label = (c: Case) => `${c.op}(${c.inputs.map((s) => `[${s.shape}]${(s.ops ?? []).map((o) => JSON.stringify(o)).join("")}`).join(", ")}${Object.keys(c.args).length ? `, ${JSON.stringify(c.args)}` : ""})`;

// one test per op, its cases in a loop (hundreds of cases: a test each would cost more than them)
const byOp = new Map<string, Case[]>();
for (const c of golden.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
for (const [op, cases] of byOp) {
  test(`${op}: PyTorch's strides and values (${cases.length} cases)`, () => {
    for (const c of cases) {
      const what = label(c), grad = c.grads !== undefined;
      const ins = c.inputs.map((s) => make(s, grad));
      if (c.error !== undefined) {
        assert.throws(() => OPS[op]!(ins, c.args), (e: Error) => e.message === c.error, what);
        continue;
      }
      const out = OPS[op]!(ins, c.args), approx = c.approx === true || ROUNDED.has(op);
      check(out, c.out!, what, approx);
      if (SAME_VALUES.has(op)) assert.deepEqual((out as Tensor).tolist(), ins[0]!.tolist(), `${what}: values`);
      if (grad) {
        // (in the output's dtype: PyTorch's engine casts a grad_output of another one, typetorch's not)
        const o = out as Tensor, gout = make(c.gout ?? { shape: o.shape.slice() }).to(o.dtype);
        const grads = c.raw ? torch.autograd.grad(o, ins, gout) : (o.backward(gout), ins.map((x) => x.grad!));
        c.grads!.forEach((g, i) => check(grads[i]!, g, `${what}: gradient ${i}`, approx));
      }
    }
  });
}

test("memory formats print as PyTorch's and are checked by the parser", () => {
  assert.equal(String(torch.channels_last), "torch.channels_last");
  assert.equal(String(torch.preserve_format), "torch.preserve_format");
  assert.ok(torch.contiguous_format instanceof torch.memory_format);
  const x = torch.zeros(2, 3);
  assert.throws(() => x.contiguous({ memory_format: 1 as never }), /contiguous\(\): argument 'memory_format' must be torch.memory_format, not int/);
  assert.throws(() => x.is_contiguous(torch.channels_last as never), /is_contiguous\(\) takes 0 positional arguments but 1 was given/);
  assert.throws(() => x.contiguous(torch.channels_last as never), /contiguous\(\) takes 0 positional arguments but 1 was given/);
});

// a model moved to channels-last (model.to({memory_format})) trains as PyTorch's: the parameters
// keep their layout through the optimizer's steps, and every number is PyTorch's (within float32
// rounding: the convolutions sum in another order)
for (const t of golden.train) {
  test(`a ${t.fmt} model trains two ${t.optimizer} steps as PyTorch's`, () => {
    const nn = torch.nn;
    torch.manual_seed(0);
    const model = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 4, 3), new nn.ReLU(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(4, 3));
    model.to({ memory_format: FMT[t.fmt]! });
    const params = [...model.parameters()];
    const opt = t.optimizer === "sgd" ? new torch.optim.SGD(params, { lr: 0.1, momentum: 0.9 }) : new torch.optim.Adam(params, { lr: 0.01 });
    const x = make({ shape: [4, 3, 8, 8] }).contiguous({ memory_format: FMT[t.fmt]! });
    const target = torch.tensor([0n, 2n, 1n, 2n]);
    for (let i = 0; i < 2; i++) {
      opt.zero_grad();
      const y = model.forward(x);
      const loss = F.cross_entropy(y, target);
      loss.backward();
      opt.step();
      assert.ok(Math.abs(loss.item() - t.losses[i]!) <= 1e-5, `loss ${i}: ${loss.item()} vs ${t.losses[i]}`);
      check(y, t.outputs[i]!, `output ${i}`, true);
    }
    params.forEach((p, i) => {
      check(p.detach(), t.params[i]!, `parameter ${i}`, true);
      assert.deepEqual(p.grad!.stride(), t.grads[i], `parameter ${i}: gradient strides`);
    });
  });
}

test("stack's result is not a view (PyTorch: its _base is None), so an in-place op on it is an ordinary one", () => {
  const a = torch.randn(2, 3, 4, 5), b = torch.randn(2, 3, 4, 5);
  for (const t of [a, a.contiguous({ memory_format: torch.channels_last })]) for (const dim of [0, 1, 4]) {
    const s = torch.stack([t, b.requires_grad_()], dim);
    assert.equal(s._base, null, `stack along ${dim}`);
    s.add_(1).sum().backward(); // (a view made under no_grad would refuse the in-place op)
    b.grad = null;
  }
});
