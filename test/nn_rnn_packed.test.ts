// torch.nn.utils.rnn (PackedSequence, pack/pad/unpad) and nn.RNN / nn.LSTM / nn.GRU on packed
// input, against PyTorch: test/golden/rnn_packed.json (tools/gen_golden_rnn_packed.py). Every layer
// case builds its module after torch.manual_seed(0), checks the default parameters bit for bit,
// packs the golden padded input, runs forward and backward (float64 after .double(), or float32)
// and compares the packed output, the output padded back, the final states, the grad_fn names and
// the gradients of every parameter, of the padded input and of the initial states.

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import * as nn from "../src/nn/index.js";
import { type GoldenTensor, readGolden, fromGolden, assertClose, valuesOf, decodeNumber } from "./helpers.js";

const R = nn.utils.rnn;
type PackedSequence = InstanceType<typeof R.PackedSequence>;

interface Named extends GoldenTensor { name: string }
interface PackedFields {
  data: GoldenTensor; batch_sizes: GoldenTensor; sorted_indices: GoldenTensor | null; unsorted_indices: GoldenTensor | null;
  data_grad_fn: string | null;
}
interface PackCase extends PackedFields {
  name: string; x: GoldenTensor; lengths: number[]; lengths_tensor: boolean; batch_first: boolean; enforce_sorted: boolean;
  pad: { batch_first?: boolean; padding_value?: number; total_length?: number };
  padded: GoldenTensor; padded_lengths: GoldenTensor; padded_grad_fn: string | null;
  w_padded?: GoldenTensor; w_data?: GoldenTensor; grad_x?: GoldenTensor;
}
interface PadCase {
  name: string; seqs: GoldenTensor[]; batch_first: boolean; padding_value: number; padding_side: string; enforce_sorted: boolean;
  padded: GoldenTensor; padded_grad_fn: string | null; packed: PackedFields; unpacked: GoldenTensor[];
  unpacked_grad_fn: (string | null)[]; unpadded: GoldenTensor[]; unpadded_grad_fn: (string | null)[];
  w?: GoldenTensor; grads?: GoldenTensor[]; w_unpacked?: GoldenTensor[]; w_packed?: GoldenTensor; grads_packed?: GoldenTensor[];
}
interface LayerCase {
  name: string; kind: "RNN" | "LSTM" | "GRU"; args: Record<string, number | boolean | string>; T: number; lengths: number[];
  enforce_sorted: boolean; hx: GoldenTensor[] | null; dtype: string; init: Named[]; after_rand: GoldenTensor; x: GoldenTensor;
  out: PackedFields; padded: GoldenTensor; padded_lengths: GoldenTensor; padded_grad_fn: string;
  hidden: GoldenTensor[]; hidden_grad_fn: string[]; weights: GoldenTensor[]; grad_x: GoldenTensor;
  grad_hx: GoldenTensor[] | null; grads: Named[]; seed?: number; after_forward_rand?: GoldenTensor;
}
interface Golden {
  packs: PackCase[];
  beyond_t: PackedFields & { name: string; x: GoldenTensor; lengths: number[] };
  pads: PadCase[];
  reprs: { name: string; repr: string }[];
  methods: { packed: PackedFields; double: PackedFields; float: PackedFields; long: PackedFields; ctor_sorted: PackedFields; to_same_is_self: boolean };
  layers: LayerCase[];
  dropout: LayerCase[];
  errors: { name: string; error: string }[];
}
const golden = readGolden<Golden>("rnn_packed.json");

// ---- helpers ------------------------------------------------------------------------------------

/** Bit-identical values (float32 values compare exactly as JS numbers). */
function assertExact(actual: Tensor, expected: GoldenTensor, what: string): void {
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape.slice(), expected.shape, `${what}: shape`);
  const a = valuesOf(actual), e = expected.data.map(decodeNumber);
  const i = a.findIndex((v, k) => !Object.is(v, e[k]));
  assert.ok(i < 0, `${what}: element ${i} is ${a[i]}, PyTorch ${e[i]}`);
}

const gradFnName = (t: Tensor): string | null => t.grad_fn?.name() ?? null;

/** A PackedSequence's four fields and data's grad_fn against PyTorch's. */
function checkPacked(p: PackedSequence, g: PackedFields, what: string): void {
  assert.ok(p instanceof R.PackedSequence, `${what}: a PackedSequence`);
  assertClose(p.data, g.data, `${what}: data`);
  assertClose(p.batch_sizes, g.batch_sizes, `${what}: batch_sizes`);
  for (const k of ["sorted_indices", "unsorted_indices"] as const) {
    if (g[k] === null) assert.equal(p[k], null, `${what}: ${k} is None`);
    else assertClose(p[k]!, g[k]!, `${what}: ${k}`);
  }
  assert.equal(gradFnName(p.data), g.data_grad_fn, `${what}: data's grad_fn`);
}

/** Σ (t_i · w_i).sum(), the generator's loss */
const weightedSum = (ts: Tensor[], ws: GoldenTensor[]): Tensor =>
  ts.map((t, i) => t.mul(fromGolden(ws[i]!)).sum()).reduce((a, b) => a.add(b));

const lengthsOf = (c: { lengths: number[]; lengths_tensor?: boolean }) =>
  c.lengths_tensor ? torch.tensor(c.lengths, { dtype: torch.int64 }) : c.lengths;

const isFloat = (g: GoldenTensor) => g.dtype.startsWith("float");

// ---- pack_padded_sequence / pad_packed_sequence ---------------------------------------------------

for (const [k, c] of golden.packs.entries()) {
  test(`pack_padded_sequence / pad_packed_sequence: ${c.name}`, () => {
    const x = fromGolden(c.x, { requires_grad: isFloat(c.x) });
    // positional and keyword forms alternate between cases
    const p = k % 2 === 0
      ? R.pack_padded_sequence(x, lengthsOf(c), c.batch_first, c.enforce_sorted)
      : R.pack_padded_sequence(x, lengthsOf(c), { batch_first: c.batch_first, enforce_sorted: c.enforce_sorted });
    checkPacked(p, c, c.name);
    const [padded, lengths] = k % 2 === 0
      ? R.pad_packed_sequence(p, c.pad.batch_first ?? false, c.pad.padding_value ?? 0.0, c.pad.total_length ?? null)
      : R.pad_packed_sequence(p, c.pad);
    assertClose(padded, c.padded, `${c.name}: padded`);
    assertClose(lengths, c.padded_lengths, `${c.name}: lengths`);
    assert.equal(gradFnName(padded), c.padded_grad_fn, `${c.name}: padded's grad_fn`);
    if (c.grad_x) {
      weightedSum([padded, p.data], [c.w_padded!, c.w_data!]).backward();
      assertClose(x.grad!, c.grad_x, `${c.name}: input gradient`);
    }
  });
}

test("pack_padded_sequence: lengths beyond T are not refused (PyTorch's slice stops at T)", () => {
  const c = golden.beyond_t;
  const p = R.pack_padded_sequence(fromGolden(c.x), c.lengths);
  checkPacked(p, c, c.name);
});

test("pack and pad: a round trip restores the input; gradients are zero on the padding", () => {
  const x = torch.randn(5, 4, 3, { dtype: torch.float64, requires_grad: true });
  const lengths = [3, 5, 1, 4];
  for (const batch_first of [false, true]) {
    const xi = batch_first ? x.transpose(0, 1) : x;
    const p = R.pack_padded_sequence(xi, lengths, { batch_first, enforce_sorted: false });
    const [y, l] = R.pad_packed_sequence(p, { batch_first, padding_value: 0 });
    assert.deepEqual(l.tolist(), lengths);
    const mask = torch.arange(5).unsqueeze(1).lt(torch.tensor(lengths).unsqueeze(0)).unsqueeze(2); // [T, B, 1]
    const expected = torch.where(mask, x.detach(), 0);
    assert.deepEqual(valuesOf(batch_first ? y.transpose(0, 1) : y), valuesOf(expected));
    x.grad = null;
    y.sum().backward();
    assert.deepEqual(valuesOf(x.grad!), valuesOf(mask.to(torch.float64).expand(5, 4, 3)));
  }
});

// ---- pad_sequence, pack_sequence, unpack_sequence, unpad_sequence ---------------------------------

for (const [k, c] of golden.pads.entries()) {
  test(`pad_sequence / pack_sequence / unpack_sequence / unpad_sequence: ${c.name}`, () => {
    const fl = isFloat(c.seqs[0]!);
    const seqs = c.seqs.map((s) => fromGolden(s, { requires_grad: fl }));
    const padded = k % 2 === 0
      ? R.pad_sequence(seqs, c.batch_first, c.padding_value, c.padding_side)
      : R.pad_sequence(seqs, { batch_first: c.batch_first, padding_value: c.padding_value, padding_side: c.padding_side });
    assertClose(padded, c.padded, `${c.name}: padded`);
    assert.equal(gradFnName(padded), c.padded_grad_fn, `${c.name}: padded's grad_fn`);
    const packed = k % 2 === 0 ? R.pack_sequence(seqs, c.enforce_sorted) : R.pack_sequence(seqs, { enforce_sorted: c.enforce_sorted });
    checkPacked(packed, c.packed, `${c.name}: pack_sequence`);
    const unpacked = R.unpack_sequence(packed);
    assert.equal(unpacked.length, c.unpacked.length);
    unpacked.forEach((u, i) => {
      assertClose(u, c.unpacked[i]!, `${c.name}: unpack_sequence ${i}`);
      assert.equal(gradFnName(u), c.unpacked_grad_fn[i], `${c.name}: unpack_sequence ${i} grad_fn`);
    });
    const rpadded = R.pad_sequence(seqs, { batch_first: c.batch_first });
    const lengths = torch.tensor(c.seqs.map((s) => s.shape[0]!), { dtype: torch.int64 });
    const unpadded = R.unpad_sequence(rpadded, lengths, c.batch_first);
    unpadded.forEach((u, i) => {
      assertClose(u, c.unpadded[i]!, `${c.name}: unpad_sequence ${i}`);
      assert.equal(gradFnName(u), c.unpadded_grad_fn[i], `${c.name}: unpad_sequence ${i} grad_fn`);
    });
    if (fl) {
      weightedSum([padded], [c.w!]).backward();
      seqs.forEach((s, i) => assertClose(s.grad!, c.grads![i]!, `${c.name}: gradient of sequence ${i}`));
      seqs.forEach((s) => { s.grad = null; });
      weightedSum([...unpacked, packed.data], [...c.w_unpacked!, c.w_packed!]).backward();
      seqs.forEach((s, i) => assertClose(s.grad!, c.grads_packed![i]!, `${c.name}: gradient of sequence ${i} through pack/unpack`));
    }
  });
}

test("pad_sequence takes any iterable, and a tensor as its rows", () => {
  const a = torch.tensor([1, 2, 3]), b = torch.tensor([4]);
  const fromSet = R.pad_sequence(new Set([a, b]), true);
  assert.deepEqual(fromSet.tolist(), [[1, 2, 3], [4, 0, 0]]);
  const t = torch.tensor([[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(R.pad_sequence(t).tolist(), [[1, 3, 5], [2, 4, 6]]);
});

test("unpad_sequence leaves a time-major padded tensor as it was", () => {
  const y = torch.tensor([[1, 4], [2, 0], [3, 0]]);
  const [s0, s1] = R.unpad_sequence(y, torch.tensor([3, 1], { dtype: torch.int64 }));
  assert.deepEqual(s0!.tolist(), [1, 2, 3]);
  assert.deepEqual(s1!.tolist(), [4]);
  assert.deepEqual(y.shape, [3, 2]);
});

// ---- PackedSequence -----------------------------------------------------------------------------

const REPRS: Record<string, () => PackedSequence> = {
  "docs example": () => R.pack_padded_sequence(torch.tensor([[1n, 2n, 0n], [3n, 0n, 0n], [4n, 5n, 6n]]), [2, 1, 3], { batch_first: true, enforce_sorted: false }),
  "float grad sorted": () => R.pack_padded_sequence(torch.arange(12).view(3, 2, 2).requires_grad_(), [3, 2]),
  "float grad unsorted": () => R.pack_padded_sequence(torch.arange(12).view(3, 2, 2).requires_grad_(), [2, 3], { enforce_sorted: false }),
  "double": () => R.pack_sequence([torch.tensor([0.5, 1.25]), torch.tensor([2.0])]).double(),
  "2-d trailing float32": () => R.pack_sequence([torch.ones(2, 2), torch.full([3, 2], 0.5)], false),
};

test("PackedSequence prints as PyTorch's namedtuple", () => {
  assert.deepEqual(Object.keys(REPRS).sort(), golden.reprs.map((r) => r.name).sort());
  for (const r of golden.reprs) {
    const p = REPRS[r.name]!();
    assert.equal(String(p), r.repr, r.name);
    assert.equal(inspect(p), r.repr, `${r.name}: console.log`);
  }
});

test("PackedSequence: fields, tuple access, double / float / long / to, default unsorted_indices", () => {
  const g = golden.methods;
  const p = R.pack_sequence([torch.tensor([1.5, 2.5, 3.5]), torch.tensor([4.0]), torch.tensor([5.0, 6.0])], { enforce_sorted: false });
  checkPacked(p, g.packed, "packed");
  const d = p.double();
  checkPacked(d, g.double, "double()");
  assert.equal(gradFnName(d.data), null);
  checkPacked(d.float(), g.float, "double().float()");
  checkPacked(p.long(), g.long, "long()");
  assert.equal(p.to(torch.float32) === p, g.to_same_is_self, "to() without a change returns the PackedSequence itself");
  assert.equal(p.cpu(), p);
  assert.equal(p.is_cuda, false);
  assert.throws(() => p.cuda(), /cuda/i);
  const q = new R.PackedSequence(p.data, p.batch_sizes, torch.tensor([2n, 0n, 1n]));
  checkPacked(q, g.ctor_sorted, "PackedSequence(data, batch_sizes, sorted_indices)");
  // the namedtuple's behaviour: destructuring in field order, indexing, length, iteration
  const [data, batch_sizes, sorted_indices, unsorted_indices] = p;
  assert.equal(data, p.data);
  assert.equal(batch_sizes, p.batch_sizes);
  assert.equal(sorted_indices, p.sorted_indices);
  assert.equal(unsorted_indices, p.unsorted_indices);
  assert.equal(p[0], p.data);
  assert.equal(p[3], p.unsorted_indices);
  assert.equal(p.length, 4);
  assert.deepEqual([...p], [p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices]);
  assert.deepEqual(R.PackedSequence._fields, ["data", "batch_sizes", "sorted_indices", "unsorted_indices"]);
  // the tuple and keyword forms of the constructor
  const t = new R.PackedSequence([p.data, p.batch_sizes], p.sorted_indices);
  assert.equal(t.batch_sizes, p.batch_sizes);
  assert.equal(t.data, p.data);
  assert.deepEqual(t.unsorted_indices!.tolist(), p.unsorted_indices!.tolist());
  const kw = new R.PackedSequence({ data: p.data, batch_sizes: p.batch_sizes });
  assert.equal(kw.sorted_indices, null);
  assert.equal(kw.unsorted_indices, null);
  assert.deepEqual(R.invert_permutation(torch.tensor([2n, 0n, 3n, 1n]))!.tolist(), [1, 3, 0, 2]);
  assert.equal(R.invert_permutation(null), null);
});

test("torch.nn.utils.rnn is the same namespace from every import", () => {
  assert.equal(torch.nn.utils.rnn, R);
  assert.equal(typeof torch.nn.utils.rnn.pack_padded_sequence, "function");
  for (const name of ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence", "pack_sequence",
    "unpad_sequence", "unpack_sequence", "invert_permutation"])
    assert.ok(name in R, name);
});

// ---- RNN, LSTM, GRU on packed input ---------------------------------------------------------------

type AnyRNN = nn.RNN | nn.LSTM | nn.GRU;
type State = Tensor | [Tensor, Tensor];

function buildLayer(c: { kind: string; args: Record<string, unknown> }): AnyRNN {
  const { input_size, hidden_size, ...rest } = c.args as { input_size: number; hidden_size: number };
  if (c.kind === "RNN") return new nn.RNN(input_size, hidden_size, rest);
  if (c.kind === "LSTM") return new nn.LSTM(input_size, hidden_size, rest);
  return new nn.GRU(input_size, hidden_size, rest);
}

function checkLayerCase(c: LayerCase, training: boolean): void {
  torch.manual_seed(0);
  const m = buildLayer(c);
  const init = m.named_parameters();
  assert.deepEqual(init.map(([n]) => n), c.init.map((p) => p.name), `${c.name}: parameter names`);
  init.forEach(([n, p], i) => assertExact(p, c.init[i]!, `${c.name}: initial ${n}`));
  assertExact(torch.rand(3), c.after_rand, `${c.name}: torch.rand(3) after construction`);
  if (c.dtype === "float64") m.double();
  m.train(training);
  const batch_first = Boolean(c.args.batch_first);
  const x = fromGolden(c.x, { requires_grad: true });
  const hs = c.hx?.map((h) => fromGolden(h, { requires_grad: true })) ?? null;
  const hx: State | null = hs === null ? null : c.kind === "LSTM" ? [hs[0]!, hs[1]!] : hs[0]!;
  const packed = R.pack_padded_sequence(x, c.lengths, { batch_first, enforce_sorted: c.enforce_sorted });
  if (c.seed !== undefined) torch.manual_seed(c.seed);
  // model(packed), as in Python
  const [out, hidden] = (m as unknown as (p: PackedSequence, h: State | null) => [PackedSequence, State])(packed, hx);
  if (c.after_forward_rand) assertExact(torch.rand(3), c.after_forward_rand, `${c.name}: torch.rand(3) after forward`);
  checkPacked(out, c.out, `${c.name}: output`);
  assert.equal(out.batch_sizes, packed.batch_sizes, `${c.name}: the output shares the input's batch_sizes`);
  assert.equal(out.sorted_indices, packed.sorted_indices);
  assert.equal(out.unsorted_indices, packed.unsorted_indices);
  const [padded, lengths] = R.pad_packed_sequence(out, { batch_first });
  assertClose(padded, c.padded, `${c.name}: output padded back`);
  assertClose(lengths, c.padded_lengths, `${c.name}: lengths`);
  assert.equal(gradFnName(padded), c.padded_grad_fn);
  const finals = Array.isArray(hidden) ? hidden : [hidden];
  assert.equal(finals.length, c.hidden.length, `${c.name}: number of final states`);
  finals.forEach((h, i) => {
    assertClose(h, c.hidden[i]!, `${c.name}: final state ${i}`);
    assert.equal(gradFnName(h), c.hidden_grad_fn[i], `${c.name}: final state ${i} grad_fn`);
  });
  weightedSum([padded, ...finals], c.weights).backward();
  assertClose(x.grad!, c.grad_x, `${c.name}: input gradient`);
  hs?.forEach((h, i) => assertClose(h.grad!, c.grad_hx![i]!, `${c.name}: gradient of initial state ${i}`));
  const params = m.named_parameters();
  assert.deepEqual(params.map(([n]) => n), c.grads.map((g) => g.name));
  params.forEach(([n, p], i) => assertClose(p.grad!, c.grads[i]!, `${c.name}: gradient of ${n}`));
}

for (const c of golden.layers) test(`${c.name} on packed input: init, forward and gradients as PyTorch`, () => { checkLayerCase(c, false); });
for (const c of golden.dropout) test(`${c.name} on packed input: dropout masks drawn as PyTorch's`, () => { checkLayerCase(c, true); });

test("each sequence's final state and outputs are those of the padded run on that sequence alone", () => {
  torch.manual_seed(2);
  const m = new nn.LSTM(3, 4, { num_layers: 2, bidirectional: true, proj_size: 2, batch_first: true }).double();
  const lengths = [2, 5, 3];
  const x = torch.randn(3, 5, 3, { dtype: torch.float64 });
  const [out, [h, c]] = m(R.pack_padded_sequence(x, lengths, { batch_first: true, enforce_sorted: false }));
  const [padded] = R.pad_packed_sequence(out, { batch_first: true });
  lengths.forEach((n, b) => {
    const [o1, [h1, c1]] = m.forward(x.narrow(0, b, 1).narrow(1, 0, n));
    const close = (a: Tensor, e: Tensor, what: string) =>
      assert.ok(a.sub(e).abs().max().item() < 1e-12, `sequence ${b}: ${what}`);
    close(padded.narrow(0, b, 1).narrow(1, 0, n), o1, "outputs");
    close(h.narrow(1, b, 1), h1, "h_n");
    close(c.narrow(1, b, 1), c1, "c_n");
  });
});

// ---- errors ---------------------------------------------------------------------------------------

const z = (...s: number[]) => torch.zeros(...s);
const P = () => R.pack_padded_sequence(z(4, 3, 2), [4, 3, 1]);
const ERRORS: Record<string, () => unknown> = {
  "pack: lengths not sorted": () => R.pack_padded_sequence(z(3, 2), [2, 3]),
  "pack: zero length": () => R.pack_padded_sequence(z(3, 2), [2, 0]),
  "pack: zero length unsorted": () => R.pack_padded_sequence(z(3, 3), [2, 0, 3], { enforce_sorted: false }),
  "pack: negative length": () => R.pack_padded_sequence(z(3, 2), [3, -1]),
  "pack: lengths count": () => R.pack_padded_sequence(z(3, 2), [2]),
  "pack: lengths count batch_first": () => R.pack_padded_sequence(z(2, 3, 1), [3, 2, 1], { batch_first: true }),
  "pack: 1-d input": () => R.pack_padded_sequence(z(3), [2]),
  "pack: empty input": () => R.pack_padded_sequence(z(0, 2), [2, 1]),
  "pack: 2-d lengths": () => R.pack_padded_sequence(z(3, 2), torch.tensor([[2n, 1n]])),
  "pad_packed: total_length": () => R.pad_packed_sequence(P(), { total_length: 3 }),
  "pad_packed: lengths beyond T": () => R.pad_packed_sequence(R.pack_padded_sequence(torch.arange(6).view(3, 2), [5, 2])),
  "pad_sequence: empty list": () => R.pad_sequence([]),
  "pad_sequence: not iterable": () => R.pad_sequence(3 as unknown as Tensor[]),
  "pad_sequence: trailing dims": () => R.pad_sequence([z(3, 2), z(2, 3)]),
  "pad_sequence: more dims than the first": () => R.pad_sequence([z(3), z(2, 2)]),
  "pad_sequence: trailing dims broadcast": () => R.pad_sequence([z(3, 1), z(2, 4)]),
  "pad_sequence: padding_side": () => R.pad_sequence([z(3, 2), z(2, 2)], { padding_side: "middle" }),
  "RNN packed: hx batch": () => new nn.RNN(2, 4)(P(), z(1, 2, 4)),
  "GRU packed: hx hidden size": () => new nn.GRU(2, 4, { bidirectional: true })(P(), z(2, 3, 5)),
  "LSTM packed: c batch": () => new nn.LSTM(2, 4)(P(), [z(1, 3, 4), z(1, 2, 4)]),
  "LSTM proj packed: h size": () => new nn.LSTM(2, 4, { proj_size: 2 })(P(), [z(1, 3, 4), z(1, 3, 4)]),
  "GRU packed: input_size": () => new nn.GRU(3, 4)(P()),
  "GRU packed: dtype": () => new nn.GRU(2, 4)(P().double()),
};

test("errors in PyTorch 2.x's words", () => {
  assert.deepEqual(Object.keys(ERRORS).sort(), golden.errors.map((e) => e.name).sort(), "every golden error case has a thunk");
  for (const e of golden.errors) {
    assert.throws(ERRORS[e.name]!, (err: Error) => {
      assert.equal(err.message, e.error, e.name);
      return true;
    }, e.name);
  }
});

test("a refused call changes nothing and draws nothing", () => {
  torch.manual_seed(0);
  const m = new nn.GRU(2, 4, { num_layers: 2, dropout: 0.5 });
  const before = m.parameters().map((p) => valuesOf(p));
  const x = torch.randn(4, 3, 2, { requires_grad: true });
  const xv = valuesOf(x);
  const hx = torch.randn(2, 2, 4, { requires_grad: true });
  const packed = R.pack_padded_sequence(x, [4, 2, 1]);
  torch.manual_seed(5);
  assert.throws(() => m(packed, hx), /Expected hidden size \(2, 3, 4\), got \[2, 2, 4\]/);
  // unsorted, hx is permuted first: index_select refuses the missing batch entry
  assert.throws(() => m(R.pack_padded_sequence(x, [2, 4, 1], { enforce_sorted: false }), hx));
  const next = valuesOf(torch.rand(2));
  torch.manual_seed(5);
  assert.deepEqual(valuesOf(torch.rand(2)), next, "no dropout mask drawn before the check");
  assert.deepEqual(m.parameters().map((p) => valuesOf(p)), before);
  assert.ok(m.parameters().every((p) => p.grad === null));
  assert.throws(() => R.pack_padded_sequence(x, [4, 2, 3]));
  assert.deepEqual(valuesOf(x), xv);
  assert.equal(x.grad, null);
});

// ---- gradcheck (float64) ----------------------------------------------------------------------------

test("gradcheck: pack_padded_sequence + LSTM (bidirectional, proj_size) + pad_packed_sequence", () => {
  torch.manual_seed(0);
  const m = new nn.LSTM(2, 3, { bidirectional: true, proj_size: 2 }).double();
  const x = torch.randn(3, 3, 2, { dtype: torch.float64, requires_grad: true });
  const h0 = torch.randn(2, 3, 2, { dtype: torch.float64, requires_grad: true });
  const c0 = torch.randn(2, 3, 3, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((x, h, c) => {
    const packed = R.pack_padded_sequence(x!, [2, 3, 1], { enforce_sorted: false });
    const [out, [hn, cn]] = m(packed, [h!, c!]);
    const [padded] = R.pad_packed_sequence(out, { total_length: 4, padding_value: 0.25 });
    return [padded, hn, cn];
  }, [x, h0, c0, ...m.parameters()]));
});

test("gradgradcheck: pack_padded_sequence and pad_packed_sequence, pad_sequence", () => {
  const x = torch.randn(3, 2, 2, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradgradcheck((x) => {
    const p = R.pack_padded_sequence(x!, [1, 3], { batch_first: false, enforce_sorted: false });
    return R.pad_packed_sequence(p, { batch_first: true })[0].pow(2);
  }, [x]));
  const a = torch.randn(3, 2, { dtype: torch.float64, requires_grad: true });
  const b = torch.randn(1, 2, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradgradcheck((a, b) => R.pad_sequence([a!, b!], { padding_side: "left" }).pow(2), [a, b]));
});
