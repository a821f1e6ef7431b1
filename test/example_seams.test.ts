// The pieces that porting pytorch/examples and the tutorials (examples/*.ts) found missing or
// different, each checked against PyTorch 2.x (test/golden/example_seams.json, from
// tools/gen_golden_example_seams.py); the examples themselves are test/examples.test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import util, { inspect } from "node:util";
import torch, { nn, type Tensor } from "typetorch";
import { readGolden } from "./helpers.js";

interface Err { type: string; message: string }
interface Golden {
  data_parallel: {
    repr: string; repr_named: string; state_dict_keys: string[]; device_ids: number[]; device_ids_named: number[];
    module_is_lin: boolean; x: number[][]; out: number[][]; error: Err; error_no_ids: Err;
  };
  is_device: Record<"is_cpu" | "is_cuda" | "is_xpu" | "is_mps" | "is_meta", boolean>;
  inplace_views: Record<string, { same: boolean; shape: number[]; stride: number[]; version: number; grad_fn: string; grad: number[];
    plain_shape: number[]; plain_stride: number[]; plain_grad_fn: boolean }> & {
    view: { shape: number[]; grad_fn: string; base_version: number; grad: number[] }; leaf_error: Err };
  size: { str: string; repr: string; fstring: string; numel: number; scalar: string; made: string; made_numel: number; index: number; len: number };
  shape: { str: string; repr: string; fstring: string; same_as_size: boolean; equals_tuple: boolean; list: number[]; unpacked: number[];
    last: number; in_list: string; bad_item: Err };
  module_dict: Record<"missing" | "del_missing" | "pop_missing" | "not_module" | "dotted" | "update_int" | "update_pair", Err> & {
    after: { keys: string[]; values: string[]; items: [string, string][]; in: boolean; not_in: boolean; len: number; repr: string; params: string[] };
    after_del: string[]; after_clear: [number, string] };
  return_types: Record<string, string>;
  inplace_fns: { sin_same: boolean; sin_: number[]; clamp_: number[]; error: Err };
  ported: { loader_len: number; first_batch: number[]; last_batch: number[]; row: number[]; x_after: number[][]; col: number[]; col_strides: number[] };
}
const G = readGolden<Golden>("example_seams.json");

test("nn.DataParallel without CUDA wraps the module and calls it (DCGAN, ImageNet); data_parallel raises PyTorch's error", () => {
  const g = G.data_parallel;
  torch.manual_seed(0);
  const lin = new nn.Linear(3, 2);
  const x = torch.randn(4, 3);
  const dp = new nn.DataParallel(lin);
  const named = new nn.parallel.DataParallel({ module: new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU()), device_ids: [0], dim: 0 });
  assert.equal(String(dp), g.repr);
  assert.equal(String(named), g.repr_named);
  assert.deepEqual(Object.keys(dp.state_dict()), g.state_dict_keys);
  assert.deepEqual(dp.device_ids, g.device_ids);
  assert.deepEqual(named.device_ids, g.device_ids_named);
  assert.equal(dp.module === lin, g.module_is_lin);
  assert.deepEqual(x.tolist(), g.x);
  // the module's own output (addmm's float32 sums, which PyTorch's BLAS orders differently)
  assert.ok(torch.allclose(dp(x), torch.tensor(g.out), { rtol: 1e-6, atol: 1e-7 }));
  assert.ok(nn.DataParallel === nn.parallel.DataParallel);
  assert.throws(() => nn.parallel.data_parallel(lin, x, [0]), { message: g.error.message });
  assert.throws(() => nn.parallel.data_parallel(lin, x), { message: g.error_no_ids.message });
});

test("Tensor.is_cpu, is_cuda, is_xpu, is_mps, is_meta (DCGAN's `input.is_cuda or input.is_xpu`)", () => {
  const t = torch.zeros(2);
  for (const [k, v] of Object.entries(G.is_device)) assert.equal(t[k as keyof Golden["is_device"]], v, k);
});

test("torch.device and torch.utils.data's classes are types as well as values, as in PyTorch's annotations", () => {
  // (a compile-time check: tsc --noEmit over the tests fails if either is not a type)
  const d: torch.device = torch.device("cpu");
  const ds: torch.utils.data.TensorDataset = new torch.utils.data.TensorDataset(torch.zeros(3, 2));
  const loader: torch.utils.data.DataLoader = new torch.utils.data.DataLoader(ds, { batch_size: 2 });
  assert.equal(String(d), "cpu");
  assert.equal(loader.length, 2);
});

test("Tensor.size() is a torch.Size: an array of numbers that prints as PyTorch's (the tutorials' print(x.size()))", () => {
  const g = G.size;
  const x = torch.zeros(3, 28, 28);
  const s = x.size();
  assert.equal(String(s), g.str);
  assert.equal(inspect(s), g.repr);
  assert.equal(`Size: ${s}`, g.fstring);
  assert.equal(s.numel(), g.numel);
  assert.equal(String(torch.zeros([]).size()), g.scalar);
  assert.equal(String(new torch.Size([2, 5])), g.made);
  assert.equal(new torch.Size([2, 5]).numel(), g.made_numel);
  assert.equal(s[1], g.index);
  assert.equal(s.length, g.len);
  // still an array: spread, destructured, passed where sizes go; what is made from it is a plain array
  const [c, h, w] = s;
  assert.deepEqual([c, h, w], [3, 28, 28]);
  assert.ok(Array.isArray(s) && s instanceof torch.Size);
  assert.deepEqual(torch.zeros(s).shape, [3, 28, 28]);
  assert.equal(Object.getPrototypeOf(s.slice(1)), Array.prototype);
  assert.equal(Object.getPrototypeOf(s.map((d) => d * 2)), Array.prototype);
});

test("Tensor.shape is the torch.Size size() is: prints as PyTorch's, and is still the array it was (indexed, spread, deepStrictEqual to one)", () => {
  const g = G.shape;
  const x = torch.zeros(3, 28, 28);
  const s = x.shape;
  assert.equal(String(s), g.str);
  assert.equal(inspect(s), g.repr);
  assert.equal(`Shape: ${s}`, g.fstring);
  assert.equal(`${[s, torch.zeros(2).shape].join(", ")}`, g.in_list.slice(1, -1));
  assert.ok(s instanceof torch.Size && Array.isArray(s));
  // x.shape == x.size(), x.shape == (3, 28, 28): the same numbers; here the very same object
  assert.equal(s === x.size(), g.same_as_size);
  assert.equal(util.isDeepStrictEqual(s, [3, 28, 28]), g.equals_tuple);
  assert.deepStrictEqual(s, g.list);
  assert.deepEqual([...s], g.unpacked);
  assert.deepEqual(Array.from(s), g.list);
  assert.equal(s.at(-1), g.last);
  assert.equal(s.length, 3);
  const [c, ...hw] = s;
  assert.deepEqual([c, hw], [3, [28, 28]]);
  assert.equal(JSON.stringify(s), "[3,28,28]");
  assert.deepEqual(Object.keys(s), ["0", "1", "2"]); // printing and numel are not enumerable
  assert.equal(torch.zeros(s).shape, s);
  // PyTorch's tuple cannot change, and a tensor's shape is not changed through it
  assert.throws(() => (s as number[]).push(1), TypeError);
  assert.deepEqual(x.shape, [3, 28, 28]);
  // made from it: plain arrays; torch.Size from a list of ints is one (its error for a float)
  assert.equal(Object.getPrototypeOf(s.slice(1)), Array.prototype);
  assert.equal(String(s.slice(1)), "28,28");
  assert.equal(String(torch.Size([2, 5])), "torch.Size([2, 5])");
  assert.throws(() => new torch.Size([2, 1.5]), { name: g.bad_item.type, message: g.bad_item.message });
  // a view whose shape changes in place (unsqueeze_) reports the new one
  const y = torch.zeros(2, 3);
  const before = y.shape;
  y.unsqueeze_(0);
  assert.deepEqual([before, y.shape], [[2, 3], [1, 2, 3]]);
});

test("ModuleDict: md[key], del md[key] and pop raise PyTorch's KeyError for a missing key; keys, values, items, update, clear, `in`", () => {
  const g = G.module_dict;
  const md = new nn.ModuleDict<nn.Module>({ relu: new nn.ReLU(), tanh: new nn.Tanh() });
  const pyErr = (e: Err) => ({ name: ({ KeyError: "Error", ValueError: "Error" } as Record<string, string>)[e.type] ?? e.type, message: e.message });
  assert.throws(() => md.get("missing"), pyErr(g.missing));
  assert.throws(() => md.delete("missing"), pyErr(g.del_missing));
  assert.throws(() => md.pop("missing"), pyErr(g.pop_missing));
  assert.throws(() => md.set("x", 5 as unknown as nn.Module), pyErr(g.not_module));
  assert.throws(() => md.set("a.b", new nn.ReLU()), pyErr(g.dotted));
  assert.throws(() => md.update(5 as never), pyErr(g.update_int));
  assert.throws(() => md.update([["x"]] as never), pyErr(g.update_pair));
  assert.deepEqual(md.keys(), ["relu", "tanh"]); // (the failed calls changed nothing)
  md.set("lin", new nn.Linear(2, 3));
  const popped = md.pop("tanh");
  md.update([["tanh", popped], ["relu", new nn.GELU()]]);
  const a = g.after;
  assert.deepEqual(md.keys(), a.keys);
  assert.deepEqual(md.values().map(String), a.values);
  assert.deepEqual(md.items().map(([k, m]) => [k, String(m)]), a.items);
  assert.deepEqual([md.has("lin"), md.has("tanh2"), md.length], [a.in, a.not_in, a.len]);
  assert.equal(String(md), a.repr);
  assert.deepEqual(md.named_parameters().map(([n]) => n), a.params);
  md.delete("lin");
  assert.deepEqual(md.keys(), g.after_del);
  md.clear();
  assert.deepEqual([md.length, String(md)], g.after_clear);
});

test("the in-place view ops unsqueeze_, squeeze_, transpose_, swapdims_, swapaxes_, t_ (the char-RNN tutorial's target.unsqueeze_(-1))", () => {
  const g = G.inplace_views;
  const ops: Record<string, (y: Tensor) => Tensor> = {
    unsqueeze_: (y) => y.unsqueeze_(0), unsqueeze_neg: (y) => y.unsqueeze_(-1),
    squeeze_: (y) => y.squeeze_(), squeeze_dim: (y) => y.squeeze_(0), squeeze_dims: (y) => y.squeeze_([0, 2]),
    transpose_: (y) => y.transpose_(0, 1), swapdims_: (y) => y.swapdims_(1, 2), swapaxes_: (y) => y.swapaxes_(0, 2),
    t_: (y) => y.squeeze_().unsqueeze_(0).t_(),
  };
  for (const [name, op] of Object.entries(ops)) {
    const want = g[name]!;
    const x = torch.arange(3.0).reshape(1, 3, 1).requires_grad_();
    const y = x.mul(2);
    const r = op(y);
    y.mul(torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape)).sum().backward();
    const plain = torch.zeros(1, 3, 1);
    op(plain);
    assert.deepEqual({ same: r === y, shape: [...y.shape], stride: y.stride(), version: y._version, grad_fn: y.grad_fn!.name(), grad: x.grad!.flatten().tolist(),
      plain_shape: [...plain.shape], plain_stride: plain.stride(), plain_grad_fn: plain.grad_fn === null }, want, name);
  }
  // on a view: the view changes alone (its base keeps its shape), with its own history
  const base = torch.arange(6.0).reshape(2, 3).requires_grad_();
  const b = base.mul(1);
  const v = b.index(1);
  v.unsqueeze_(0);
  v.mul(torch.tensor([[1.0, 10.0, 100.0]])).sum().backward();
  assert.deepEqual({ shape: [...v.shape], grad_fn: v.grad_fn!.name(), base_version: b._version, grad: base.grad!.flatten().tolist() }, g.view);
  assert.deepEqual(b.shape, [2, 3]);
  const leaf = torch.zeros(3, { requires_grad: true });
  assert.throws(() => leaf.unsqueeze_(0), { message: g.leaf_error.message });
  assert.deepEqual(leaf.shape, [3]);
});

test("a tensor is a map-style dataset (its rows), and numpy() of a view starts at the view (the Learn the Basics ports)", () => {
  const g = G.ported;
  torch.manual_seed(0);
  const loader = new torch.utils.data.DataLoader(torch.arange(1000), { batch_size: 64, shuffle: true });
  const batches = [...loader].map((b) => (b as Tensor).tolist());
  assert.equal(loader.length, g.loader_len);
  assert.deepEqual([batches[0], batches.at(-1)], [g.first_batch, g.last_batch]);
  // x[1].numpy() is the row itself, sharing its memory (it was the whole storage from element 0)
  const x = torch.arange(12.0).view(3, 4);
  const row = x.index(1).numpy();
  row.data[2] = -1;
  assert.deepEqual([Array.from(row.data as Float32Array), x.tolist()], [g.row, g.x_after]);
  const col = x.index(torch.slice(), 2).numpy();
  assert.deepEqual(torch.from_numpy(col).tolist(), g.col);
  assert.deepEqual(col.strides, g.col_strides);
});

test("torch.return_types print as PyTorch's (max, sort, topk, svd …: print(torch.max(x, 1))), still plain arrays with their names", () => {
  const x = torch.tensor([[1., 3., 2.], [2., 0., 5.]]);
  const diag = torch.tensor([[3., 0.], [0., 2.]]);
  const spd = torch.tensor([[4., 1.], [1., 3.]]), upper = torch.tensor([[2., 1.], [0., 3.]]), general = torch.tensor([[3., 1.], [4., 2.]]);
  const made: Record<string, () => unknown> = {
    max: () => torch.max(x, 1), min: () => x.min(0), sort: () => torch.sort(x), topk: () => torch.topk(x, 2),
    kthvalue: () => torch.kthvalue(x, 2), median: () => torch.median(x, 1), nanmedian: () => torch.nanmedian(x, 1),
    mode: () => torch.mode(x, 1), cummax: () => torch.cummax(x, 1), cummin: () => torch.cummin(x, 0), aminmax: () => torch.aminmax(x),
    svd: () => torch.svd(diag), linalg_svd: () => torch.linalg.svd(diag),
    linalg_inv_ex: () => torch.linalg.inv_ex(spd), linalg_solve_ex: () => torch.linalg.solve_ex(spd, spd.index(torch.slice(), torch.slice(null, 1))),
    linalg_cholesky_ex: () => torch.linalg.cholesky_ex(spd), linalg_qr: () => torch.linalg.qr(general), qr: () => torch.qr(general),
    linalg_eigh: () => torch.linalg.eigh(torch.tensor([[1., 0.], [0., 3.]])), triangular_solve: () => torch.triangular_solve(spd, upper),
    linalg_lu_factor: () => torch.linalg.lu_factor(spd), linalg_lu_factor_ex: () => torch.linalg.lu_factor_ex(spd),
    linalg_lu: () => torch.linalg.lu(spd), lu_unpack: () => torch.lu_unpack(torch.linalg.lu_factor(spd).LU, torch.linalg.lu_factor(spd).pivots),
    linalg_lstsq: () => torch.linalg.lstsq(torch.tensor([[2., 0.], [0., 4.]]), torch.tensor([[2.], [8.]])),
  };
  for (const [name, want] of Object.entries(G.return_types)) {
    const r = made[name]!();
    assert.equal(String(r), want, name);
    assert.equal(inspect(r), want, name);
  }
  const [values, indices] = torch.max(x, 1);
  assert.ok(torch.max(x, 1).values.equal(values!) && torch.max(x, 1).indices.equal(indices!));
  assert.deepEqual(Object.keys(torch.sort(x)), ["0", "1"]);
});

test("torch's in-place functions: torch.sin_(b) is b.sin_() (Introduction to PyTorch's tensors), PyTorch's TypeError for a non-tensor", () => {
  const g = G.inplace_fns;
  const b = torch.tensor([0.0, 1.0]);
  assert.equal(torch.sin_(b) === b, g.sin_same);
  assert.deepEqual(b.tolist(), g.sin_);
  assert.deepEqual(torch.clamp_(torch.tensor([-2.0, 0.5, 3.0]), -1, 1).tolist(), g.clamp_);
  assert.throws(() => torch.sin_(3 as never), { name: g.error.type, message: g.error.message });
});
