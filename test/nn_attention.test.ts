// F.scaled_dot_product_attention, nn.MultiheadAttention and the Transformer layers against PyTorch:
// test/golden/attention.json (tools/gen_golden_attention.py). Module cases build their module after
// torch.manual_seed(0) and check the default parameters bit for bit (xavier_uniform_ / kaiming
// uniform_ draws reproduce PyTorch's, and the stacks copy their layer as _get_clones does), then run
// the case's call on the golden inputs and masks (in float64 after .double(), or in float32), in eval
// mode or in train mode after torch.manual_seed(seed), and compare the outputs and the gradients of
// every parameter and input after backward of the generator's weighted sum.
//
// Dropout in train mode is compared draw for draw: F.dropout reproduces PyTorch's masks
// (test/random.test.ts), and PyTorch draws them where src/ does (after the attention softmax over
// [N·heads, L, S], then each Dropout module in the order the layer calls them).

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, fromGolden, assertClose, valuesOf, decodeNumber, tolerance } from "./helpers.js";

const nn = torch.nn;
const F = torch.nn.functional;
type Module = InstanceType<typeof nn.Module>;

interface Spec { kind: string; args?: number[]; kwargs?: Record<string, unknown>; layer?: Spec; num_layers?: number; norm?: Spec | null }
interface Named extends GoldenTensor { name: string }
interface SdpaCase {
  name: string; dtype: string; q: GoldenTensor; k: GoldenTensor; v: GoldenTensor; attn_mask: GoldenTensor | null;
  mask_requires_grad: boolean; kwargs: Record<string, number | boolean>; seed: number | null; out: GoldenTensor; w: GoldenTensor;
  grad_q: GoldenTensor; grad_k: GoldenTensor; grad_v: GoldenTensor; grad_mask: GoldenTensor | null; after_rand?: GoldenTensor;
}
interface ModuleCase {
  name: string; module: Spec; dtype?: string; train?: boolean; seed?: number;
  inputs: Record<string, [number[], boolean]>; masks?: Record<string, (string | number[] | number)[]>;
  call: { args: string[]; kwargs?: Record<string, string | boolean> };
  init: Named[]; after_rand: GoldenTensor; tensors: Record<string, GoldenTensor>; mask_values: Record<string, GoldenTensor>;
  outputs: (GoldenTensor | null)[]; tuple: boolean; w: GoldenTensor[]; grads: Named[]; grad_inputs: Record<string, GoldenTensor>;
  after_forward_rand?: GoldenTensor;
}
interface Golden {
  sdpa: SdpaCase[]; mha: ModuleCase[]; transformer: ModuleCase[];
  names: { name: string; module: Spec; repr: string; state_dict: [string, number[]][]; named_parameters: string[] }[];
  masks: { sz: number; dtype: string; mask: GoldenTensor }[];
  errors: { name: string; error: string }[];
  warnings: { name: string; warnings: string[] }[];
}
const golden = readGolden<Golden>("attention.json");

// PyTorch's UserWarnings are checked in their own test (the first of this file: they are given
// once per process, as Python's default filter gives them)
const warn = console.warn;
let captured: string[] | null = null;
console.warn = (...a: unknown[]) => {
  if (captured) captured.push(String(a[0]));
  else if (!String(a[0]).startsWith("UserWarning")) warn(...a);
};

// ---- warnings -----------------------------------------------------------------------------------

const WARNINGS: Record<string, () => unknown> = {
  "mismatched key_padding_mask and attn_mask": () => new nn.MultiheadAttention(4, 2)(torch.zeros(3, 1, 4), torch.zeros(3, 1, 4), torch.zeros(3, 1, 4),
    { key_padding_mask: torch.zeros(1, 3, { dtype: torch.bool }), attn_mask: torch.zeros(3, 3) }),
  "TransformerEncoder batch_first=False": () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, 8), 1),
  "TransformerEncoder norm_first": () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, 8, { norm_first: true }), 1),
  "TransformerEncoder batch_first odd heads": () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 1, 8, { batch_first: true }), 1),
  "TransformerEncoder batch_first": () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, 8, { batch_first: true }), 1),
};

test("UserWarnings as PyTorch 2.x gives them (once each)", () => {
  for (const c of golden.warnings) {
    captured = [];
    try { WARNINGS[c.name]!(); WARNINGS[c.name]!(); } finally {
      const got = captured.map((s) => s.replace(/^UserWarning: /, ""));
      captured = null;
      assert.deepEqual(got, c.warnings, c.name);
    }
  }
});

// ---- helpers ------------------------------------------------------------------------------------

/** Bit-identical values (float32 values compare exactly as JS numbers). */
function assertExact(actual: Tensor, expected: GoldenTensor, what: string): void {
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape.slice(), expected.shape, `${what}: shape`);
  const a = valuesOf(actual), e = expected.data.map(decodeNumber);
  const i = a.findIndex((v, k) => !Object.is(v, e[k]));
  assert.ok(i < 0, `${what}: element ${i} is ${a[i]}, PyTorch ${e[i]}`);
}

/** The generator's module spec, built as its build() builds it (the same draws in the same order). */
function build(spec: Spec): Module {
  if (spec.kind === "TransformerEncoder" || spec.kind === "TransformerDecoder") {
    const layer = build(spec.layer!);
    const norm = spec.norm ? build(spec.norm) : null;
    return spec.kind === "TransformerEncoder" ? new nn.TransformerEncoder(layer, spec.num_layers!, norm) : new nn.TransformerDecoder(layer, spec.num_layers!, norm);
  }
  const kwargs: Record<string, unknown> = { ...(spec.kwargs ?? {}) };
  const act = kwargs.activation as { module?: string; kwargs?: Record<string, unknown>; function?: string } | string | undefined;
  if (act !== undefined && typeof act === "object") {
    kwargs.activation = act.module !== undefined
      ? new (nn as unknown as Record<string, new (o: object) => Module>)[act.module]!(act.kwargs ?? {})
      : (F as unknown as Record<string, unknown>)[act.function!];
  }
  const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => Module>)[spec.kind]!;
  return new Ctor(...(spec.args ?? []), kwargs);
}

/** The default parameters after manual_seed(0): names in order, values bit for bit, and the same
 *  number of draws (torch.rand(3) continues where PyTorch's did). */
function checkInit(m: Module, c: { name: string; init: Named[]; after_rand: GoldenTensor }): void {
  const got = m.named_parameters();
  assert.deepEqual(got.map(([n]) => n), c.init.map((p) => p.name), `${c.name}: parameter names`);
  got.forEach(([n, p], i) => assertExact(p, c.init[i]!, `${c.name}: initial ${n}`));
  assertExact(torch.rand(3), c.after_rand, `${c.name}: torch.rand(3) after construction`);
}

const weightedSum = (ts: Tensor[], ws: GoldenTensor[]): Tensor =>
  ts.map((t, i) => t.mul(fromGolden(ws[i]!)).sum()).reduce((a, b) => a.add(b));

function runModuleCase(c: ModuleCase): void {
  torch.manual_seed(0);
  const m = build(c.module);
  checkInit(m, c);
  const dtype = c.dtype ?? "float64";
  if (dtype === "float64") m.double();
  m.train(c.train ?? false);
  const values = new Map<string, Tensor>();
  for (const [n, t] of Object.entries(c.tensors)) values.set(n, fromGolden(t, { requires_grad: c.inputs[n]![1] }));
  for (const [n, t] of Object.entries(c.mask_values)) values.set(n, fromGolden(t, { requires_grad: c.masks![n]![2] === "grad" }));
  const ref = (v: string | boolean) => (typeof v === "string" ? values.get(v)! : v);
  const args = c.call.args.map(ref);
  const kwargs = Object.fromEntries(Object.entries(c.call.kwargs ?? {}).map(([k, v]) => [k, ref(v)]));
  if (c.seed !== undefined) torch.manual_seed(c.seed);
  const res = (m as unknown as (...a: unknown[]) => Tensor | [Tensor, Tensor | null])(...args, kwargs);
  const outs: (Tensor | null)[] = Array.isArray(res) ? res : [res];
  assert.equal(Array.isArray(res), c.tuple, `${c.name}: returns a pair`);
  assert.equal(outs.length, c.outputs.length);
  const tol = tolerance(dtype);
  outs.forEach((o, i) => {
    if (c.outputs[i] === null) assert.equal(o, null, `${c.name}: output ${i} is None`);
    else assertClose(o!, c.outputs[i]!, `${c.name}: output ${i}`, tol);
  });
  if (c.after_forward_rand) assertExact(torch.rand(3), c.after_forward_rand, `${c.name}: torch.rand(3) after forward (number of draws)`);
  weightedSum(outs.filter((o): o is Tensor => o !== null), c.w).backward();
  const params = m.named_parameters();
  assert.deepEqual(params.map(([n]) => n), c.grads.map((g) => g.name));
  params.forEach(([n, p], i) => assertClose(p.grad!, c.grads[i]!, `${c.name}: gradient of ${n}`, gradTol(dtype)));
  for (const [n, g] of Object.entries(c.grad_inputs)) assertClose(values.get(n)!.grad!, g, `${c.name}: gradient of input ${n}`, gradTol(dtype));
}

/** float32 gradients go through a dozen ops (two softmaxes, LayerNorms, residuals): PyTorch's
 *  float32 kernels and ours round each differently, so they get a few float32 ulps more room. */
const gradTol = (dtype: string) => (dtype === "float32" ? { rtol: 1e-5, atol: 1e-5 } : tolerance(dtype));

// ---- scaled_dot_product_attention -----------------------------------------------------------------

for (const c of golden.sdpa) {
  test(`F.scaled_dot_product_attention ${c.name}: values and gradients as PyTorch 2.x`, () => {
    const q = fromGolden(c.q, { requires_grad: true }), k = fromGolden(c.k, { requires_grad: true }), v = fromGolden(c.v, { requires_grad: true });
    const mask = c.attn_mask === null ? null : fromGolden(c.attn_mask, { requires_grad: c.mask_requires_grad });
    if (c.seed !== null) torch.manual_seed(c.seed);
    const out = F.scaled_dot_product_attention(q, k, v, { attn_mask: mask, ...c.kwargs });
    assertClose(out, c.out, `${c.name}: output`);
    if (c.after_rand) assertExact(torch.rand(3), c.after_rand, `${c.name}: torch.rand(3) after (number of draws)`);
    out.mul(fromGolden(c.w)).sum().backward();
    const tol = gradTol(c.dtype);
    assertClose(q.grad!, c.grad_q, `${c.name}: grad query`, tol);
    assertClose(k.grad!, c.grad_k, `${c.name}: grad key`, tol);
    assertClose(v.grad!, c.grad_v, `${c.name}: grad value`, tol);
    if (c.grad_mask) assertClose(mask!.grad!, c.grad_mask, `${c.name}: grad attn_mask`, tol);
  });
}

test("F.scaled_dot_product_attention: positional arguments, the default of a float32 mask with float64 inputs", () => {
  const c = golden.sdpa.find((s) => s.name === "scale with bool mask")!;
  const [q, k, v, m] = [c.q, c.k, c.v, c.attn_mask!].map((t) => fromGolden(t));
  assertClose(F.scaled_dot_product_attention(q!, k!, v!, m!, 0, false, { scale: 1.5 }), c.out, "positional");
  // a float32 mask is accepted for any query dtype (2.x's check), and added in the query's dtype
  const fm = torch.zeros(m!.shape.slice()).masked_fill(m!.logical_not(), -Infinity);
  assertClose(F.scaled_dot_product_attention(q!, k!, v!, { attn_mask: fm, scale: 1.5 }), c.out, "float32 additive mask");
  // half precision runs in float32 and rounds once at the end
  const h = F.scaled_dot_product_attention(q!.half(), k!.half(), v!.half(), { attn_mask: m!, scale: 1.5 });
  assert.equal(h.dtype, torch.float16);
  const ref = F.scaled_dot_product_attention(q!.half().float(), k!.half().float(), v!.half().float(), { attn_mask: m!, scale: 1.5 });
  assert.deepEqual(valuesOf(h), valuesOf(ref.half()));
});

test("F.scaled_dot_product_attention: gradcheck and gradgradcheck (float64, float mask, causal, scale)", () => {
  torch.manual_seed(0);
  const q = torch.randn(1, 2, 3, 2, { dtype: torch.float64, requires_grad: true });
  const k = torch.randn(1, 2, 4, 2, { dtype: torch.float64, requires_grad: true });
  const v = torch.randn(1, 2, 4, 3, { dtype: torch.float64, requires_grad: true });
  const m = torch.randn(3, 4, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((q, k, v, m) => F.scaled_dot_product_attention(q!, k!, v!, { attn_mask: m!, scale: 0.7 }), [q, k, v, m]));
  assert.ok(torch.autograd.gradcheck((q, k, v) => F.scaled_dot_product_attention(q!, k!, v!, { is_causal: true }), [q, k, v]));
  assert.ok(torch.autograd.gradgradcheck((q, k, v) => F.scaled_dot_product_attention(q!, k!, v!), [q, k, v]));
  // a fully masked query row: zeros, and a finite gradient
  const keep = torch.tensor([[true, true, false, false], [false, false, false, false], [true, false, true, true]]);
  assert.ok(torch.autograd.gradcheck((q, k, v) => F.scaled_dot_product_attention(q!, k!, v!, { attn_mask: keep }), [q, k, v]));
});

// ---- MultiheadAttention -------------------------------------------------------------------------

for (const c of golden.mha) test(`MultiheadAttention ${c.name}: init, outputs and gradients as PyTorch`, () => runModuleCase(c));

test("MultiheadAttention: positional forward arguments, attributes, layout", () => {
  const c = golden.mha.find((s) => s.name === "bool attn_mask and key_padding_mask")!;
  torch.manual_seed(0);
  const m = build(c.module) as InstanceType<typeof nn.MultiheadAttention>;
  m.double();
  const x = fromGolden(c.tensors.x!), am = fromGolden(c.mask_values.am!), kpm = fromGolden(c.mask_values.kpm!);
  // forward(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights)
  const [out, w] = m(x, x, x, kpm, true, am, false);
  assertClose(out, c.outputs[0]!, "positional output");
  assertClose(w!, c.outputs[1]!, "positional weights");
  assert.deepEqual([m.embed_dim, m.kdim, m.vdim, m._qkv_same_embed_dim, m.num_heads, m.head_dim, m.dropout, m.batch_first, m.add_zero_attn],
    [8, 8, 8, true, 2, 4, 0, false, false]);
  assert.equal(m.bias_k, null);
  assert.equal(m.q_proj_weight, null);
  assert.ok(m.out_proj instanceof nn.Linear);
  assert.equal(out.grad_fn!.name(), "ViewBackward0");
  assert.equal(w!.grad_fn!.name(), "ViewBackward0");
  assert.equal(m(x, x, x)[1]!.grad_fn!.name(), "MeanBackward1"); // 2.x averages the heads with mean
  const sep = new nn.MultiheadAttention(8, 2, 0, true, true, false, 3, 5);
  assert.deepEqual([sep.kdim, sep.vdim, sep._qkv_same_embed_dim, sep.in_proj_weight, sep.bias_k!.shape], [3, 5, false, null, [1, 1, 8]]);
  assert.deepEqual(sep.k_proj_weight!.shape, [8, 3]);
  assert.equal(new nn.MultiheadAttention(8, 2, { dtype: torch.float64 }).in_proj_weight!.dtype, torch.float64);
});

test("MultiheadAttention: need_weights=false computes the same output as need_weights=true", () => {
  torch.manual_seed(3);
  const m = new nn.MultiheadAttention(6, 3, { add_bias_kv: true, kdim: 4, vdim: 5 }).double();
  const q = torch.randn(4, 2, 6, { dtype: torch.float64 }), k = torch.randn(5, 2, 4, { dtype: torch.float64 }), v = torch.randn(5, 2, 5, { dtype: torch.float64 });
  const kpm = torch.tensor([[false, true, false, false, true], [false, false, false, true, false]]);
  const am = torch.randn(4, 5, { dtype: torch.float64 });
  const [a] = m(q, k, v, { key_padding_mask: kpm, attn_mask: am });
  const [b, none] = m(q, k, v, { key_padding_mask: kpm, attn_mask: am, need_weights: false });
  assert.equal(none, null);
  assertClose(b, { dtype: "float64", shape: a.shape.slice(), data: valuesOf(a) }, "need_weights=false");
});

test("F.multi_head_attention_forward: static_k / static_v replace the projected key and value", () => {
  torch.manual_seed(1);
  const m = new nn.MultiheadAttention(4, 2).double().eval();
  const q = torch.randn(3, 2, 4, { dtype: torch.float64 }), kv = torch.randn(5, 2, 4, { dtype: torch.float64 });
  const [ref] = m(q, kv, kv);
  const [, wk, wv] = m.in_proj_weight!.chunk(3);
  const [, bk, bv] = m.in_proj_bias!.chunk(3);
  const heads = (t: Tensor) => t.reshape(5, 2 * 2, 2).transpose(0, 1);
  const static_k = heads(F.linear(kv, wk!, bk!)), static_v = heads(F.linear(kv, wv!, bv!));
  const [out] = F.multi_head_attention_forward(q, kv, kv, 4, 2, m.in_proj_weight, m.in_proj_bias, null, null, false, 0,
    m.out_proj.weight, m.out_proj.bias, { static_k, static_v, training: false });
  assertClose(out, { dtype: "float64", shape: ref.shape.slice(), data: valuesOf(ref) }, "static_k/static_v");
  assert.throws(() => F.multi_head_attention_forward(q, kv, kv, 4, 2, m.in_proj_weight, m.in_proj_bias, null, null, false, 0,
    m.out_proj.weight, m.out_proj.bias, { static_k: static_k.narrow(0, 0, 2) }), { message: "expecting static_k.size(0) of 4, but got 2" });
});

test("MultiheadAttention: gradcheck in float64 w.r.t. query, key, value and every parameter", () => {
  torch.manual_seed(0);
  const m = new nn.MultiheadAttention(4, 2, { add_bias_kv: true, kdim: 3 }).double();
  const q = torch.randn(2, 1, 4, { dtype: torch.float64, requires_grad: true });
  const k = torch.randn(3, 1, 3, { dtype: torch.float64, requires_grad: true });
  const v = torch.randn(3, 1, 4, { dtype: torch.float64, requires_grad: true });
  const kpm = torch.tensor([[false, true, false]]);
  // the parameters are gradcheck inputs too: gradcheck perturbs them in place, the module reads them
  assert.ok(torch.autograd.gradcheck((q, k, v) => {
    const [out, w] = m(q!, k!, v!, { key_padding_mask: kpm });
    return [out, w!];
  }, [q, k, v, ...m.parameters()]));
  const s = new nn.MultiheadAttention(4, 2, { batch_first: true }).double();
  const x = torch.randn(1, 3, 4, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((x) => s(x!, x!, x!, { need_weights: false, attn_mask: torch.ones(3, 3, { dtype: torch.bool }).triu(1), is_causal: true })[0],
    [x, ...s.parameters()]));
});

// ---- Transformer layers and stacks ---------------------------------------------------------------------

for (const c of golden.transformer) test(`${c.name}: init, outputs and gradients as PyTorch`, () => runModuleCase(c));

test("TransformerEncoder: its layers are deep copies of the layer given (PyTorch's _get_clones)", () => {
  torch.manual_seed(0);
  const layer = new nn.TransformerEncoderLayer(4, 2, 8, 0.0);
  const hook = () => undefined;
  layer.register_forward_hook(hook);
  const enc = new nn.TransformerEncoder(layer, 2);
  const [a, b] = [enc.layers.at(0), enc.layers.at(1)] as InstanceType<typeof nn.TransformerEncoderLayer>[];
  assert.ok(a !== layer && b !== layer && a !== b);
  assert.ok(a instanceof nn.TransformerEncoderLayer && a.self_attn instanceof nn.MultiheadAttention);
  const names = layer.named_parameters().map(([n]) => n);
  assert.deepEqual(a!.named_parameters().map(([n]) => n), names);
  for (const [n, p] of layer.named_parameters()) {
    const pa = a!.get_parameter(n), pb = b!.get_parameter(n);
    assert.ok(pa instanceof nn.Parameter && pa !== p && pb !== pa);
    assert.deepEqual(valuesOf(pa), valuesOf(p));
    assert.equal(pa.requires_grad, true);
  }
  // copies hold their own storage, their own attributes and their own registries
  torch.no_grad(() => a!.linear1.weight.fill_(1));
  assert.notDeepEqual(valuesOf(b!.linear1.weight), valuesOf(a!.linear1.weight));
  assert.notDeepEqual(valuesOf(layer.linear1.weight), valuesOf(a!.linear1.weight));
  a!.norm_first = true;
  assert.equal(b!.norm_first, false);
  assert.equal(a!.activation, layer.activation); // functions are shared, as Python's deepcopy shares them
  assert.ok(a!._forward_hooks !== layer._forward_hooks && [...a!._forward_hooks.values()][0] === hook);
  assert.ok(a!.training && layer.training);
  a!.eval();
  assert.ok(!a!.self_attn.training && b!.self_attn.training && layer.training);
  assert.equal(String(enc.layers.at(0)).split("\n")[0], "TransformerEncoderLayer(");
});

test("deepcopy keeps tied parameters tied and buffers' values (copy.deepcopy's memo)", async () => {
  const { deepcopy } = await import("../src/nn/copy.js");
  const lin = new nn.Linear(3, 3);
  const seq = new nn.Sequential(lin, new nn.ReLU(), lin, new nn.BatchNorm1d(3));
  (seq.at(3) as InstanceType<typeof nn.BatchNorm1d>).running_mean!.fill_(2);
  const copy = deepcopy(seq);
  assert.ok(copy !== seq && copy.at(0) === copy.at(2) && copy.at(0) !== lin);
  assert.equal(copy.parameters().length, 4);
  const bn = copy.at(3) as InstanceType<typeof nn.BatchNorm1d>;
  assert.deepEqual(valuesOf(bn.running_mean!), [2, 2, 2]);
  assert.ok(bn.running_mean !== (seq.at(3) as InstanceType<typeof nn.BatchNorm1d>).running_mean);
  assert.deepEqual(Object.keys(copy.state_dict()), Object.keys(seq.state_dict()));
  const x = torch.randn(2, 3);
  assert.deepEqual(valuesOf(copy(x)), valuesOf(seq(x)));
  // a non-leaf tensor refuses, in PyTorch's words
  const m = new nn.Module() as Module & { t?: Tensor };
  m.t = torch.ones(2, { requires_grad: true }).mul(2);
  assert.throws(() => deepcopy(m), /Only Tensors created explicitly by the user \(graph leaves\) support the deepcopy protocol/);
});

test("Transformer: default sizes, attributes, generate_square_subsequent_mask", () => {
  for (const c of golden.masks) {
    const m = nn.Transformer.generate_square_subsequent_mask(c.sz, { dtype: torch[c.dtype as "float32"] });
    assertExact(m, c.mask, `mask ${c.sz} ${c.dtype}`);
  }
  assertExact(nn.Transformer.generate_square_subsequent_mask(3, "cpu", torch.float64), golden.masks[2]!.mask, "positional device, dtype");
  const t = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 3, dim_feedforward: 4 });
  assert.deepEqual([t.d_model, t.nhead, t.batch_first], [8, 2, false]);
  const enc = t.encoder as InstanceType<typeof nn.TransformerEncoder>, dec = t.decoder as InstanceType<typeof nn.TransformerDecoder>;
  assert.deepEqual([enc.num_layers, dec.num_layers, enc.layers.length, dec.layers.length], [1, 3, 1, 3]);
  assert.ok(enc.norm instanceof nn.LayerNorm && dec.norm instanceof nn.LayerNorm);
  const layer = enc.layers.at(0) as InstanceType<typeof nn.TransformerEncoderLayer>;
  assert.deepEqual([layer.linear1.out_features, layer.self_attn.dropout, layer.activation_relu_or_gelu], [4, 0.1, 1]);
  assert.equal(new nn.TransformerEncoderLayer(8, 2, { activation: "gelu" }).activation_relu_or_gelu, 2);
  assert.equal(new nn.TransformerEncoderLayer(8, 2, { activation: new nn.GELU() }).activation_relu_or_gelu, 2);
  assert.equal(new nn.TransformerEncoderLayer(8, 2, { activation: F.silu }).activation_relu_or_gelu, 0);
  assert.equal(new nn.TransformerEncoderLayer(8, 2).linear1.out_features, 2048);
  // custom encoder and decoder are used as given
  const custom = new nn.Transformer({ d_model: 4, nhead: 2, custom_encoder: new nn.Identity(), custom_decoder: new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, 8), 1) });
  assert.ok(custom.encoder instanceof nn.Identity);
  // ... and called with PyTorch's keywords, which an Identity does not take (PyTorch 2.13's words)
  assert.throws(() => custom(torch.randn(3, 2, 4), torch.randn(5, 2, 4)), { name: "TypeError", message: "Identity.forward() got an unexpected keyword argument 'mask'" });
  const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, 8), 1);
  const custom2 = new nn.Transformer({ d_model: 4, nhead: 2, custom_encoder: encoder, custom_decoder: new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, 8), 1) });
  assert.deepEqual(custom2(torch.randn(3, 2, 4), torch.randn(5, 2, 4)).shape, [5, 2, 4]);
});

test("a Transformer trains: loss goes down under Adam, gradients reach every parameter", () => {
  torch.manual_seed(0);
  const model = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 16, dropout: 0.1, batch_first: true });
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
  const src = torch.randn(4, 5, 8), tgt = torch.randn(4, 3, 8), target = torch.randn(4, 3, 8);
  const mask = nn.Transformer.generate_square_subsequent_mask(3);
  let first = 0, last = 0;
  for (let i = 0; i < 30; i++) {
    opt.zero_grad();
    const loss = F.mse_loss(model(src, tgt, { tgt_mask: mask }), target);
    loss.backward();
    if (i === 0) for (const [n, p] of model.named_parameters()) assert.ok(p.grad !== null, `gradient of ${n}`);
    opt.step();
    if (i === 0) first = loss.item();
    last = loss.item();
  }
  assert.ok(last < first * 0.8, `loss ${first} -> ${last}`);
});

// ---- names, reprs -------------------------------------------------------------------------------

for (const c of golden.names) {
  test(`state_dict keys, named_parameters and repr as PyTorch's: ${c.name}`, () => {
    const m = build(c.module);
    assert.deepEqual(Object.entries(m.state_dict()).map(([k, v]) => [k, v.shape.slice()]), c.state_dict);
    assert.deepEqual(m.named_parameters().map(([n]) => n), c.named_parameters);
    assert.equal(String(m), c.repr);
  });
}

// ---- errors -------------------------------------------------------------------------------------

const z = (...s: number[]) => torch.zeros(...s);
const zb = (...s: number[]) => torch.zeros(s, { dtype: torch.bool });
const m8 = () => new nn.MultiheadAttention(8, 2);
const mkd = () => new nn.MultiheadAttention(8, 2, { kdim: 5, vdim: 7 });
const ERRORS: Record<string, () => unknown> = {
  "sdpa dtypes": () => F.scaled_dot_product_attention(z(2, 3), z(2, 3).double(), z(2, 3)),
  "sdpa dims": () => F.scaled_dot_product_attention(z(3), z(2, 3), z(2, 3)),
  "sdpa mask dtype": () => F.scaled_dot_product_attention(z(2, 3).double(), z(2, 3).double(), z(2, 3).double(), { attn_mask: torch.zeros(2, 2, { dtype: torch.int64 }) }),
  "sdpa causal and mask": () => F.scaled_dot_product_attention(z(2, 3), z(2, 3), z(2, 3), { attn_mask: zb(2, 2), is_causal: true }),
  "sdpa gqa heads": () => F.scaled_dot_product_attention(z(1, 4, 2, 3), z(1, 3, 2, 3), z(1, 3, 2, 3), { enable_gqa: true }),
  "MHA embed_dim not divisible": () => new nn.MultiheadAttention(5, 2),
  "MHA embed_dim 0": () => new nn.MultiheadAttention(0, 2),
  "MHA 4-d query": () => m8()(z(2, 3, 4, 8), z(2, 3, 4, 8), z(2, 3, 4, 8)),
  "MHA batched query 2-d key": () => m8()(z(4, 3, 8), z(5, 8), z(5, 8)),
  "MHA unbatched query 3-d key": () => m8()(z(4, 8), z(5, 3, 8), z(5, 8)),
  "MHA batched 1-d key_padding_mask": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { key_padding_mask: zb(5) }),
  "MHA unbatched 2-d key_padding_mask": () => m8()(z(4, 8), z(5, 8), z(5, 8), { key_padding_mask: zb(1, 5) }),
  "MHA batched 4-d attn_mask": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { attn_mask: zb(1, 2, 4, 5) }),
  "MHA unbatched 3-d attn_mask shape": () => m8()(z(4, 8), z(5, 8), z(5, 8), { attn_mask: zb(3, 4, 5) }),
  "MHA embedding dim": () => m8()(z(4, 3, 6), z(5, 3, 6), z(5, 3, 6)),
  "MHA key value shapes": () => m8()(z(4, 3, 8), z(5, 3, 8), z(6, 3, 8)),
  "MHA separate key value dims": () => mkd()(z(4, 3, 8), z(5, 3, 5), z(6, 3, 7)),
  "MHA kdim mismatch": () => mkd()(z(4, 3, 8), z(5, 3, 6), z(5, 3, 7)),
  "MHA 2-d attn_mask shape": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { attn_mask: z(4, 4) }),
  "MHA 3-d attn_mask shape": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { attn_mask: z(3, 4, 5) }),
  "MHA key_padding_mask shape": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { key_padding_mask: zb(3, 6) }),
  "MHA key_padding_mask batch": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { key_padding_mask: zb(2, 5) }),
  "MHA int key_padding_mask": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { key_padding_mask: torch.zeros(3, 5, { dtype: torch.int64 }) }),
  "MHA int attn_mask": () => m8()(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { attn_mask: torch.zeros(4, 5, { dtype: torch.int64 }) }),
  "MHA is_causal without mask": () => m8()(z(4, 3, 8), z(4, 3, 8), z(4, 3, 8), { is_causal: true }),
  "encoder layer activation": () => new nn.TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" }),
  "decoder layer activation": () => new nn.TransformerDecoderLayer(8, 2, { activation: "elu" as "relu" }),
  "Transformer batch": () => new nn.Transformer(8, 2, 1, 1, 16)(z(5, 3, 8), z(4, 2, 8)),
  "Transformer batch_first batch": () => new nn.Transformer(8, 2, 1, 1, 16, { batch_first: true })(z(3, 5, 8), z(2, 4, 8)),
  "Transformer features": () => new nn.Transformer(8, 2, 1, 1, 16)(z(5, 3, 8), z(4, 3, 6)),
};

test("errors in PyTorch 2.x's words", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), golden.errors.map((e) => e.name).sort(), "every golden error case has a thunk");
  for (const c of golden.errors) assert.throws(ERRORS[c.name]!, (e: Error) => { assert.equal(e.message, c.error, c.name); return true; }, c.name);
});

test("a refused forward changes nothing and draws nothing", () => {
  torch.manual_seed(0);
  const m = new nn.MultiheadAttention(8, 2, { dropout: 0.5 });
  const before = m.parameters().map((p) => valuesOf(p));
  torch.manual_seed(9);
  assert.throws(() => m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), { attn_mask: z(3, 4, 5) }));
  const next = valuesOf(torch.rand(2));
  torch.manual_seed(9);
  assert.deepEqual(valuesOf(torch.rand(2)), next);
  assert.deepEqual(m.parameters().map((p) => valuesOf(p)), before);
});
