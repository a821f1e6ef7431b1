// The Tensor methods and torch.* functions of PyTorch's public API beside the ops' main forms
// (src/ops/extra_ops.ts, src/ops/extra_torch.ts), against PyTorch 2.x: each case repeats the
// program of the same name in tools/gen_golden_api_surface.py (test/golden/api_surface.json).

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose } from "./helpers.js";

type Enc = GoldenTensor | { value: unknown } | Enc[];
type Case = { result: Enc } | { error: string; message: string };
const { cases: GOLDEN } = readGolden<{ cases: Record<string, Case> }>("api_surface.json");

const F = torch.nn.functional;
const T = torch as unknown as Record<string, (...a: unknown[]) => unknown>;
const f32 = torch.float32, f64 = torch.float64, long = torch.int64;

function data(shape: number[], k: number, dtype: torch.dtype = f32): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.arange(n, { dtype: f64 }).mul(0.37).add(k).sin().reshape(shape).add(1.5).to(dtype);
}
const name = (t: Tensor) => t.grad_fn?.name() ?? null;
function withGrad(f: (...xs: Tensor[]) => Tensor, ...inputs: Tensor[]): unknown[] {
  const leaves = inputs.map((x) => x.detach().clone().requires_grad_());
  const y = f(...leaves);
  y.mul(data(y.shape.slice(), 9, y.dtype)).sum().backward();
  return [y, name(y), ...leaves.map((x) => x.grad)];
}
const seeded = <R>(f: () => R): R => { torch.manual_seed(5); return f(); };
const L = (...v: number[]) => torch.tensor(v.map(BigInt));

const M23 = () => data([2, 3], 1), M34 = () => data([3, 4], 2), V3 = () => data([3], 3), V4 = () => data([4], 4);
const IDX = () => L(1, -1, 0);
const NZ = () => torch.tensor([[0, 1, 1], [0, 0, 2]]);
const H = () => torch.tensor([1, 2, 1, 2.5, 4, 0.1, 3.3, 2.0]);
const X = () => data([2, 3], 0);
const X64 = () => data([2, 3], 0, f64);
const GS_IN = () => data([1, 1, 3, 3], 0), GS_GRID = () => data([1, 2, 2, 2], 1).sub(1.5);
const LP = () => data([6, 2, 5], 0).mul(2).log_softmax(2);
const TG = () => torch.tensor([[1n, 2n, 2n], [3n, 4n, 0n]]);
function ctc(f: (x: Tensor) => Tensor, lp: Tensor = LP()): unknown[] {
  const x = lp.detach().requires_grad_();
  const loss = f(x);
  loss.mul(data(loss.shape.slice(), 9)).sum().backward();
  return [loss, name(loss), x.grad];
}

function anomalyNan(f: (x: Tensor) => Tensor): void {
  const x = torch.tensor([-1, 0, 1], { requires_grad: true });
  torch.autograd.detect_anomaly(() => f(x).sum().backward());
}
function unsafe(f: (x: Tensor) => Tensor[]): unknown[] {
  const x = data([5, 2], 0).requires_grad_();
  const parts = f(x);
  parts[0]!.mul(2).sum().backward();
  return [parts.length, ...parts, name(parts[0]!), parts[0]!._base === null, x.grad];
}

const CASES: Record<string, () => unknown> = {
  "addmm_": () => withGrad((x, a, b) => x.clone().addmm_(a!, b!, { beta: 0.5, alpha: 2 }), data([2, 4], 0), M23(), M34()),
  "addmv_": () => withGrad((x, a, v) => x.clone().addmv_(a!, v!, { alpha: -1 }), data([2], 0), M23(), V3()),
  "addr_": () => withGrad((x, a, b) => x.clone().addr_(a!, b!, { beta: 2 }), data([3, 4], 0), V3(), V4()),
  "addbmm_": () => data([2, 4], 0).addbmm_(data([2, 2, 3], 1), data([2, 3, 4], 2)),
  "baddbmm_": () => data([2, 2, 4], 0).baddbmm_(data([2, 2, 3], 1), data([2, 3, 4], 2), { beta: 0, alpha: 0.5 }),
  "cumsum_": () => withGrad((x) => x.clone().cumsum_(1), data([2, 3], 0)),
  "cumprod_": () => data([2, 3], 0).cumprod_(0),
  "cumsum_ with a dtype": () => data([4], 0, f64).cumsum_(0, { dtype: f32 }),
  "igamma_": () => data([4], 0).igamma_(data([4], 1)),
  "igammac_": () => data([4], 0).igammac_(data([4], 1)),
  "addmm_ of a mismatched self": () => data([3], 0).addmm_(M23(), M34()),
  "cumsum_ of an int into a float dtype": () => torch.arange(3, { dtype: long }).cumsum_(0, { dtype: f32 }),
  "fill_diagonal_": () => torch.zeros(3, 4).fill_diagonal_(5),
  "fill_diagonal_ tall": () => torch.zeros(7, 3).fill_diagonal_(5),
  "fill_diagonal_ wrap": () => torch.zeros(7, 3).fill_diagonal_(5, { wrap: true }),
  "fill_diagonal_ wrap 8x2": () => torch.zeros(8, 2).fill_diagonal_(-1, true),
  "fill_diagonal_ 3-d": () => torch.zeros(3, 3, 3).fill_diagonal_(2),
  "fill_diagonal_ of an int tensor": () => torch.zeros(2, 2, { dtype: long }).fill_diagonal_(7),
  "fill_diagonal_ grad": () => withGrad((x) => x.clone().fill_diagonal_(0.5), data([3, 3], 0)),
  "fill_diagonal_ of an expanded tensor": () => torch.zeros(3).expand(2, 3).fill_diagonal_(1),
  "fill_diagonal_ of 1-d": () => torch.zeros(3).fill_diagonal_(1),
  "fill_diagonal_ of unequal dims": () => torch.zeros(2, 3, 3).fill_diagonal_(1),
  "put_": () => data([2, 3], 0).put_(IDX(), torch.tensor([9, 8, 7])),
  "put_ accumulate": () => data([2, 3], 0).put_(L(1, 1, 4), torch.tensor([9, 8, 7]), { accumulate: true }),
  "put": () => withGrad((x, s) => x.put(IDX(), s!), data([2, 3], 0), data([3], 1)),
  "put_ grad": () => withGrad((x, s) => x.mul(1).put_(IDX(), s!, { accumulate: true }).mul(2), data([2, 3], 0), data([3], 1)),
  "addmv_ grad twice": () => withGrad((x, a, v) => x.mul(1).addmv_(a!, v!).addmv_(a!, v!, { beta: 2 }), data([2], 0), M23(), V3()),
  "torch.put": () => T.put!(data([4], 0), torch.tensor([[0n, 3n]]), torch.tensor([[1, 2]])),
  "put_ index not long": () => torch.zeros(3).put_(torch.tensor([0, 1], { dtype: torch.int32 }), torch.tensor([1, 2])),
  "put_ sizes differ": () => torch.zeros(3).put_(L(0, 1), torch.tensor([1, 2, 3])),
  "put_ out of range": () => torch.zeros(3).put_(L(0, 5), torch.tensor([1, 2])),
  "put_ dtypes differ": () => torch.zeros(3).put_(L(0, 1), torch.tensor([1, 2], { dtype: f64 })),
  "log_normal_": () => seeded(() => [torch.empty(20).log_normal_(), torch.empty(3, 3, { dtype: f64 }).log_normal_(0.5, 0.25),
    torch.empty(5).log_normal_({ std: 0.5 })]),
  "log_normal_ after normal_ (the cached spare)": () => seeded(() => [torch.empty(1, { dtype: f64 }).normal_(), torch.empty(3).log_normal_()]),
  "log_normal_ of a transposed tensor": () => seeded(() => torch.empty(3, 2).t().log_normal_()),
  "geometric_": () => seeded(() => [torch.empty(20).geometric_(0.3), torch.empty(5, { dtype: long }).geometric_(0.5),
    torch.empty(4, { dtype: f64 }).geometric_(0.01), torch.empty(6, { dtype: torch.int32 }).geometric_(0.9)]),
  "geometric_ with a generator": () => torch.empty(6).geometric_(0.2, { generator: new torch.Generator().manual_seed(3) }),
  "log_normal_ std 0": () => torch.zeros(3).log_normal_(1, 0),
  "log_normal_ of long": () => torch.zeros(3, { dtype: long }).log_normal_(),
  "geometric_ p 1": () => torch.zeros(3).geometric_(1),
  "geometric_ of bool": () => torch.zeros(3, { dtype: torch.bool }).geometric_(0.5),
  "set_": () => {
    const a = torch.zeros(3), b = data([2, 3], 0);
    a.set_(b);
    a.index_put_([0, 0], 42);
    return [a, b, a.is_set_to(b), b.is_set_to(b), a.is_set_to(b.clone()), a.stride()];
  },
  "set_()": () => { const a = data([3], 0); a.set_(); return [a, a.shape]; },
  "set_ of another dtype": () => torch.zeros(3).set_(torch.zeros(2, { dtype: f64 })),
  "as_strided_": () => {
    const x = torch.arange(6);
    const y = x.as_strided_([2, 2], [1, 2], 1);
    return [x, y === x, x.stride(), x.storage_offset()];
  },
  "as_strided_ of a leaf that requires grad": () => torch.zeros(3, { requires_grad: true }).as_strided_([2], [1]),
  "histogram of 2-d edges": () => torch.histogram(torch.tensor([1, 2]), torch.tensor([[0, 1]])),
  "empty_strided of mismatched lengths": () => T.empty_strided!([2, 3], [1]),
  "asarray copy=False of another dtype": () => T.asarray!(torch.ones(2), { copy: false, dtype: f64 }),
  "rms_norm of a bad 2-d shape": () => F.rms_norm(torch.zeros(2, 3), [2, 4]),
  "rms_norm of a bad weight": () => F.rms_norm(torch.zeros(2, 3), [3], torch.ones(2)),
  "alpha_dropout p 1.5": () => T.alpha_dropout!(torch.ones(3), 1.5, true),
  "feature_alpha_dropout of 1-d": () => T.feature_alpha_dropout!(torch.ones(3), 0.5, true),
  "as_strided_scatter": () => withGrad((s) => torch.as_strided_scatter(data([6], 0), s!, [2, 2], [1, 2], 1), data([2, 2], 1)),
  "as_strided_scatter of a view with an offset": () => torch.as_strided_scatter(data([8], 0).narrow(0, 2, 6), torch.ones(2), [2], [2], 1),
  "as_strided_scatter of a transposed tensor": () => torch.as_strided_scatter(torch.arange(6).reshape(2, 3).t(), torch.full([2], -1), [2], [1]),
  "as_strided_scatter method": () => data([2, 3], 0).as_strided_scatter(torch.ones(3), [3], [2]),
  "resize_as_": () => [data([6], 0).resize_as_(torch.zeros(2, 3)).shape],
  "split_with_sizes": () => data([5, 2], 0).split_with_sizes([2, 3]),
  "torch.split_with_sizes dim 1": () => T.split_with_sizes!(data([2, 5], 0), [1, 4], 1),
  "split_with_sizes wrong sum": () => torch.zeros(5).split_with_sizes([2, 2]),
  "unsafe_split": () => unsafe((x) => x.unsafe_split(2)),
  "unsafe_chunk": () => unsafe((x) => x.unsafe_chunk(2, 0)),
  "unsafe_split_with_sizes": () => unsafe((x) => x.unsafe_split_with_sizes([1, 4])),
  "hardshrink method": () => torch.tensor([-1, -0.2, 0.3, 2]).hardshrink(0.25),
  "prelu method": () => torch.tensor([[-1, 2], [-3, 4]]).prelu(torch.tensor([0.25, 0.5])),
  "new_empty_strided": () => {
    const t = torch.zeros(2, { dtype: f64 }).new_empty_strided([2, 3], [1, 2]);
    return [t.shape, t.stride(), String(t.dtype)];
  },
  "empty_strided": () => [torch.empty_strided([2, 3], [1, 2]).stride(), torch.empty_strided([0, 3], [3, 1]).shape],
  "empty_permuted": () => [torch.empty_permuted([2, 3, 4], [0, 2, 1]).stride(), torch.empty_permuted([2, 3, 4, 5], [0, 2, 3, 1]).stride()],
  "empty_permuted bad length": () => torch.empty_permuted([2, 3], [0, 2, 1]),
  "nonzero_static": () => [NZ().nonzero_static({ size: 2 }), NZ().nonzero_static({ size: 5 }), torch.nonzero_static(NZ(), { size: 4, fill_value: -7 })],
  "nonzero_static negative size": () => torch.zeros(3).nonzero_static({ size: -1 }),
  "histogram": () => [...H().histogram(4)],
  "histogram default bins": () => [...torch.histogram(data([50], 0))],
  "histogram range weight density": () => [...torch.histogram(H(), 3, { range: [0, 3], weight: data([8], 1), density: true })],
  "histogram of edges": () => [...H().histogram(torch.tensor([0, 1, 2.5, 4]))],
  "histogram of one value": () => [...torch.histogram(torch.tensor([2, 2]), 2)],
  "histogram float64": () => [...torch.histogram(data([30], 2, f64), 7)],
  "histogram of long": () => torch.zeros(3, { dtype: long }).histogram(3),
  "histogram range reversed": () => torch.zeros(3).histogram(3, { range: [1, 0] }),
  "histogram 0 bins": () => torch.zeros(3).histogram(0),
  "histogram of a bad weight": () => torch.zeros(3).histogram(3, { weight: torch.zeros(2) }),
  "histogram print": () => String(H().histogram(2)),
  "histogramdd": () => { const r = torch.histogramdd(data([10, 2], 0), { bins: [3, 2] }); return [r.hist, ...r.bin_edges]; },
  "histogramdd of edges and weights": () => {
    const r = torch.histogramdd(data([10, 2], 0), { bins: [torch.tensor([0, 1.5, 3]), torch.tensor([0.5, 1, 2.5])], weight: data([10], 1), density: true });
    return [r.hist, ...r.bin_edges];
  },
  "apply_": () => torch.arange(4).apply_((v) => v * v + 1),
  "apply_ of long truncates": () => torch.arange(3, { dtype: long }).apply_((v) => v + 0.7),
  "map_": () => torch.arange(6).reshape(2, 3).map_(torch.tensor([10, 20, 30]), (a, b) => a * b),
  "map2_": () => torch.ones(3).map2_(torch.arange(3), torch.full([3], 2), (a, b, c) => a + b * c),
  "apply_ requires grad": () => torch.zeros(3, { requires_grad: true }).apply_((v) => v),
  "map_ of another dtype": () => torch.zeros(3).map_(torch.zeros(3, { dtype: long }), (a) => a),
  "map2_ of another dtype": () => torch.zeros(3).map2_(torch.zeros(3), torch.zeros(3, { dtype: long }), (a) => a),
  "map_ of a bad shape": () => torch.zeros(3).map_(torch.zeros(4), (a) => a),
  "introspection": () => {
    const x = torch.zeros(2, 3);
    return [x.itemsize, x.nbytes, torch.zeros(3, { dtype: torch.float16 }).itemsize, torch.zeros(3).expand(4, 3).nbytes,
      x.is_signed(), torch.zeros(1, { dtype: torch.uint8 }).is_signed(), torch.zeros(1, { dtype: torch.bool }).is_signed(),
      torch.is_signed(x), x.is_same_size(torch.ones(2, 3)), torch.is_same_size(x, torch.ones(3, 2)), x.get_device(),
      torch.get_device(x), x.output_nr, String(x.layout), x.is_sparse, x.is_quantized, x.is_nested, x.is_mkldnn,
      x.is_neg(), x.is_conj(), x.resolve_neg() === x, x.resolve_conj() === x, x.is_pinned(), torch.is_inference(x),
      torch.typename(x), torch.typename(torch.zeros(1, { dtype: long })), torch.typename(3), torch.is_storage(x)];
  },
  "output_nr": () => {
    const x = data([4], 0).requires_grad_();
    const [a, b] = x.unsafe_split(2) as [Tensor, Tensor];
    return [a.output_nr, b.output_nr, x.output_nr];
  },
  "dim_order": () => {
    const x = torch.zeros(2, 3, 4, 5);
    return [x.dim_order(), x.permute(0, 2, 3, 1).dim_order(), x.to({ memory_format: torch.channels_last }).dim_order(),
      torch.zeros(2, 3).t().dim_order(), torch.zeros(1, 3).expand(4, 3).dim_order(), torch.zeros(2, 1, 3).dim_order()];
  },
  "pin_memory without an accelerator": () => torch.zeros(2).pin_memory(),
  "asarray": () => [torch.asarray([1, 2]), torch.asarray(torch.ones(2), { dtype: f64 })],
  "row_stack": () => torch.row_stack([data([3], 0), data([2, 3], 1)]),
  "windows": () => [torch.hann_window(8), torch.hann_window(7, { periodic: false }), torch.hamming_window(6),
    torch.hamming_window(5, false, { alpha: 0.5, beta: 0.4 }), torch.blackman_window(9), torch.blackman_window(6, false),
    torch.bartlett_window(7), torch.bartlett_window(6, false), torch.kaiser_window(8),
    torch.kaiser_window(7, false, 5.0), torch.hann_window(1), torch.hann_window(0),
    torch.hann_window(5, { dtype: f64 }), torch.kaiser_window(6, true, 3, { dtype: f64 })],
  "hann_window of long": () => torch.hann_window(4, { dtype: long }),
  "hann_window negative": () => torch.hann_window(-1),
  "gradient": () => [...torch.gradient(data([5], 0)), ...torch.gradient(data([3, 4], 1), { spacing: 2 }),
    ...torch.gradient(data([3, 4], 2), { dim: 1, edge_order: 2 }), ...torch.gradient(data([4, 3], 3), { spacing: [torch.tensor([0, 1, 3, 4.5])], dim: 0 }),
    ...torch.gradient(data([5], 4), { spacing: [torch.tensor([0, 0.5, 1.5, 2, 4])], edge_order: 2 })],
  "gradient of a short dim": () => torch.gradient(torch.ones(2), { edge_order: 2 }),
  "gradient edge_order 3": () => torch.gradient(torch.ones(5), { edge_order: 3 }),
  "pdist": () => [...withGrad((x) => torch.pdist(x), data([4, 3], 0)), torch.pdist(data([3, 2], 1), 1), torch.pdist(data([3, 2], 2), Infinity)],
  "pdist of 3-d": () => torch.pdist(torch.zeros(2, 2, 2)),
  "frobenius_norm, nuclear_norm": () => [torch.frobenius_norm(data([2, 3], 0), [0, 1]), torch.frobenius_norm(data([2, 3], 0), [1], true),
    torch.nuclear_norm(data([3, 3], 1)), torch.nuclear_norm(data([2, 3, 3], 2), [1, 2])],
  "rms_norm": () => [F.rms_norm(data([2, 4], 0), [4]), torch.rms_norm(data([2, 3, 4], 1), [3, 4], data([3, 4], 2), 1e-3),
    F.rms_norm(data([2, 4], 0, f64), [4]), ...withGrad((x, w) => F.rms_norm(x, [3], w), data([2, 3], 3), data([3], 4)).slice(2)],
  "rms_norm of a bad shape": () => F.rms_norm(torch.zeros(2, 3), [4]),
  "constant_pad_nd": () => torch.constant_pad_nd(data([2, 2], 0), [1, 0, 0, 2], 9),
  "ATen losses": () => [
    torch.binary_cross_entropy_with_logits(data([4], 0), data([4], 1).div(3), null, null, 2),
    torch.kl_div(data([4], 0).log(), data([4], 1), 0, { log_target: false }),
    torch.cosine_embedding_loss(data([2, 3], 0), data([2, 3], 1), torch.tensor([1, -1]), 0.1, 1),
    torch.hinge_embedding_loss(data([4], 0), torch.tensor([1, -1, 1, -1]), 2.0, 2),
    torch.margin_ranking_loss(data([3], 0), data([3], 1), torch.tensor([1, -1, 1]), 0.5, 0),
    torch.poisson_nll_loss(data([4], 0), data([4], 1), true, false, 1e-8, 1),
    torch.triplet_margin_loss(data([2, 3], 0), data([2, 3], 1), data([2, 3], 2), 1.0, 2, 1e-6, false, 1)],
  "ATen nn forms": () => [
    torch.batch_norm(data([2, 3], 0), data([3], 1), data([3], 2), null, null, true, 0.1, 1e-5, false),
    torch.instance_norm(data([2, 3, 4], 0), null, null, null, null, true, 0.1, 1e-5, false),
    torch.bilinear(data([2, 3], 0), data([2, 2], 1), data([4, 3, 2], 2), data([4], 3)),
    torch.embedding(data([5, 2], 0), torch.tensor([[0n, 4n], [2n, 2n]])),
    torch.constant_pad_nd(torch.ones(2), [1, 1])],
  "torch.dropout family": () => seeded(() => [torch.dropout(torch.ones(8), 0.5, true), torch.dropout(torch.ones(3), 0.5, false),
    torch.feature_dropout(torch.ones(2, 3, 2), 0.5, true), torch.alpha_dropout(data([10], 0), 0.3, true),
    torch.feature_alpha_dropout(data([2, 3, 2], 1), 0.4, true), torch.alpha_dropout_(data([4], 2), 0.5, true),
    torch.alpha_dropout(data([3], 3), 1.0, true)]),
  "embedding_renorm_": () => { const w = torch.arange(12).reshape(4, 3); return [torch.embedding_renorm_(w, L(1, 3, 1), 2.0, 2.0), w]; },
  "in-place torch.* activations": () => [torch.celu_(data([3], 0).sub(2), 0.5), torch.selu_(data([3], 1).sub(2)),
    torch.threshold_(data([3], 2), 1.5, -1), torch.rrelu_(data([3], 3).sub(2)), torch.zero_(data([2], 4))],
  "recurrent cells": () => {
    const x = data([2, 3], 0), h = data([2, 4], 1), c = data([2, 4], 2);
    const m = (shape: number[], k: number) => data(shape, k).sub(1.5);
    const [hy, cy] = torch.lstm_cell(x, [h, c], m([16, 3], 3), m([16, 4], 4), m([16], 5), m([16], 6));
    return [hy, cy, torch.gru_cell(x, h, m([12, 3], 7), m([12, 4], 8), m([12], 9), m([12], 10)),
      torch.rnn_tanh_cell(x, h, m([4, 3], 11), m([4, 4], 12)), torch.rnn_relu_cell(x, h, m([4, 3], 13), m([4, 4], 14), m([4], 15))];
  },
  "copies of views": () => [torch.view_copy(X(), [3, 2]), torch.permute_copy(X(), [1, 0]), torch.transpose_copy(X(), 0, 1),
    torch.t_copy(X()), torch.expand_copy(data([1, 3], 1), [2, 3]), torch.squeeze_copy(data([1, 3], 1)),
    torch.unsqueeze_copy(X(), 1), torch.diagonal_copy(X()), torch.select_copy(X(), 1, 2),
    torch.slice_copy(X(), 1, 1, 3), torch.detach_copy(X()), torch.alias_copy(X()),
    torch.as_strided_copy(X(), [2, 2], [1, 2]), torch.unfold_copy(X(), 1, 2, 1),
    ...torch.split_copy(X(), 1, 1), ...torch.split_with_sizes_copy(X(), [1, 1]), ...torch.unbind_copy(X(), 1)],
  "copies of views: autograd": () => {
    const x = X().requires_grad_();
    const v = torch.view_copy(x, [6]);
    v.mul(torch.arange(6)).sum().backward();
    return [name(v), name(torch.permute_copy(x, [1, 0])), name(torch.t_copy(x)), v._base === null, x.grad,
      name(torch.squeeze_copy(x.view(2, 1, 3))), name(torch.squeeze_copy(x.view(2, 1, 3), 1)), name(torch.split_copy(x, 1, 1)[1]!),
      name(torch.unbind_copy(x)[0]!), name(torch.split_with_sizes_copy(x, [1, 2], 1)[0]!), name(torch.select_copy(x, 0, 1))];
  },
  "settings": () => {
    const out: unknown[] = [torch.are_deterministic_algorithms_enabled(), torch.get_float32_matmul_precision(), torch.is_warn_always_enabled()];
    torch.use_deterministic_algorithms(true, { warn_only: true });
    torch.set_float32_matmul_precision("high");
    torch.set_warn_always(true);
    out.push(torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled(),
      torch.get_float32_matmul_precision(), torch.is_warn_always_enabled(), String(torch.get_default_device()));
    torch.use_deterministic_algorithms(false);
    torch.set_float32_matmul_precision("highest");
    torch.set_warn_always(false);
    return out;
  },
  "deterministic debug modes": () => ["default", "warn", "error", 1, 0].map((m) => {
    torch.set_deterministic_debug_mode(m);
    return [torch.get_deterministic_debug_mode(), torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()];
  }),
  "deterministic debug mode of a bad name": () => torch.set_deterministic_debug_mode("x"),
  "deterministic debug mode of a bad number": () => torch.set_deterministic_debug_mode(3),
  "set_flush_denormal(False)": () => torch.set_flush_denormal(false),
  "torch.* forms of methods": () => [torch.fill(data([2], 0), 3), torch.is_neg(data([1], 0)), torch.resolve_neg(data([2], 1)),
    torch.addmv_(data([2], 0), M23(), V3()), torch.unsafe_chunk(data([4], 2), 2)[1], torch.unsafe_split(data([5], 3), 3)[1],
    torch.unsafe_split_with_sizes(data([5], 4), [4, 1])[0], torch.as_strided_(data([4], 5), [2], [2]),
    torch.resize_as_(data([4], 6), torch.zeros(2, 2)).shape],
  "alpha dropout in nn.functional and nn": () => seeded(() => [F.alpha_dropout(data([6], 0), 0.3, true), F.alpha_dropout(data([3], 1)),
    F.feature_alpha_dropout(data([2, 2, 3], 2), 0.5, { training: true }),
    new torch.nn.AlphaDropout(0.4).forward(data([5], 3)), new torch.nn.FeatureAlphaDropout(0.2).forward(data([2, 3, 1], 4)),
    String(new torch.nn.AlphaDropout(0.25)), String(new torch.nn.FeatureAlphaDropout({ inplace: true }))]),
  "F.alpha_dropout p 1.5": () => F.alpha_dropout(torch.ones(2), 1.5),
  "ctc_loss mean": () => ctc((x) => F.ctc_loss(x, TG(), [6, 5], [3, 2])),
  "ctc_loss sum, blank 4": () => ctc((x) => F.ctc_loss(x, TG(), [6, 6], [3, 1], { blank: 4, reduction: "sum" })),
  "ctc_loss none, concatenated targets": () => ctc((x) => F.ctc_loss(x, L(1, 2, 2, 3, 4), L(6, 4), L(3, 2), { reduction: "none" })),
  "ctc_loss infinite, zero_infinity": () => ctc((x) => F.ctc_loss(x, torch.tensor([[1n, 1n, 1n], [2n, 3n, 4n]]), [3, 6], [3, 3], { reduction: "none", zero_infinity: true })),
  "ctc_loss infinite": () => [F.ctc_loss(LP(), torch.tensor([[1n, 1n, 1n], [2n, 3n, 4n]]), [3, 6], [3, 3], { reduction: "none" })],
  "ctc_loss unbatched, float64": () => ctc((x) => F.ctc_loss(x, L(2, 3), torch.tensor(6n), torch.tensor(2n), { reduction: "none" }),
    data([6, 4], 1, f64).mul(3).log_softmax(1)),
  "torch.ctc_loss, nn.CTCLoss": () => [torch.ctc_loss(LP(), TG(), [6, 5], [3, 2], 0, 2, false),
    new torch.nn.CTCLoss({ blank: 0, reduction: "sum" }).forward(LP(), TG(), [6, 5], [3, 2]), String(new torch.nn.CTCLoss())],
  "ctc_loss blank out of range": () => F.ctc_loss(LP(), TG(), [6, 5], [3, 2], { blank: 5 }),
  "ctc_loss input_lengths too long": () => F.ctc_loss(LP(), TG(), [7, 5], [3, 2]),
  "ctc_loss target_lengths too long": () => F.ctc_loss(LP(), TG(), [6, 5], [4, 2]),
  "ctc_loss negative length": () => F.ctc_loss(LP(), TG(), [6, -1], [3, 2]),
  "ctc_loss wrong batch of lengths": () => F.ctc_loss(LP(), TG(), [6, 5, 5], [3, 2]),
  "ctc_loss wrong batch of targets": () => F.ctc_loss(LP(), torch.zeros(3, 3, { dtype: long }), [6, 5], [3, 2]),
  "ctc_loss concatenated targets of the wrong size": () => F.ctc_loss(LP(), L(1, 2, 3), [6, 5], [3, 2]),
  "ctc_loss bad reduction": () => F.ctc_loss(LP(), TG(), [6, 5], [3, 2], { reduction: "bad" }),
  "Tensor.new": () => [X64().new(2, 2).shape, String(X64().new(2, 2).dtype), X64().new([1, 2]), X64().new().shape,
    torch.ones(2).new(torch.ones(2)), torch.zeros(2, { dtype: long }).new([2, 3]).shape],
  "Tensor.new of another dtype's tensor": () => X64().new(torch.ones(2)),
  "Tensor.resize, resize_as": () => [...withGrad((x) => x.resize(3, 2), X64()), X64().resize_as(torch.ones(6))],
  "Tensor.resize to another numel": () => X64().resize(4, 2),
  "set_default_tensor_type": () => {
    torch.set_default_tensor_type(torch.DoubleTensor);
    const out = [String(torch.get_default_dtype()), String(torch.zeros(1).dtype)];
    torch.set_default_tensor_type("torch.FloatTensor");
    return [...out, String(torch.get_default_dtype())];
  },
  "set_default_tensor_type of an integer type": () => torch.set_default_tensor_type("torch.LongTensor"),
  "torch.solve (removed)": () => torch.solve(torch.eye(2), torch.eye(2)),
  "torch.eig (removed)": () => torch.eig(torch.eye(2)),
  "torch.lstsq (removed)": () => torch.lstsq(torch.eye(2), torch.eye(2)),
  "torch.symeig (removed)": () => torch.symeig(torch.eye(2)),
  "torch.matrix_rank (removed)": () => torch.matrix_rank(torch.eye(2)),
  "grid_sampler, affine_grid_generator": () => [torch.grid_sampler(GS_IN(), GS_GRID(), 0, 0, false), torch.grid_sampler(GS_IN(), GS_GRID(), 1, 1, true),
    torch.grid_sampler_2d(GS_IN(), GS_GRID(), 2, 2, false), torch.affine_grid_generator(data([1, 2, 3], 2), [1, 1, 2, 3], false)],
  "anomaly detection flags": () => {
    const out: unknown[] = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()];
    torch.autograd.set_detect_anomaly(true, { check_nan: false }, () => out.push(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()));
    out.push(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled());
    torch.set_anomaly_enabled(true);
    out.push(torch.is_anomaly_enabled());
    torch.set_anomaly_enabled(false);
    const x = torch.tensor([0, 1], { requires_grad: true });
    torch.autograd.detect_anomaly(() => x.mul(2).sum().backward());
    return [...out, x.grad];
  },
  "anomaly: a NaN from DivBackward0": () => anomalyNan((x) => x.div(0).mul(0)),
  "anomaly: a NaN from SqrtBackward0": () => anomalyNan((x) => x.sqrt()),
  "anomaly: check_nan off": () => {
    const x = torch.tensor([-1, 1], { requires_grad: true });
    using _anomaly = torch.autograd.detect_anomaly({ check_nan: false });
    x.sqrt().sum().backward();
    return x.grad;
  },
  "set_float32_matmul_precision of a bad name": () => torch.set_float32_matmul_precision("low"),
};

// (PyTorch's classes that are plain Errors here, shared/API.md §7; its IndexError a RangeError)
const JS_ERROR: Record<string, string> = { RuntimeError: "Error", ValueError: "Error", NotImplementedError: "Error", IndexError: "RangeError" };

function compare(exp: Enc, got: unknown, path: string): void {
  if (Array.isArray(exp)) {
    const list = [...(got as Iterable<unknown>)];
    assert.equal(list.length, exp.length, `${path}: length`);
    exp.forEach((e, i) => compare(e, list[i], `${path}[${i}]`));
  } else if ("value" in exp) assert.deepEqual(got ?? null, exp.value, path); // (None: undefined or null)
  else assertClose(got as Tensor, exp, path);
}

test("every case has its golden twin, and every golden case its test", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(GOLDEN).sort());
});

for (const [caseName, fn] of Object.entries(CASES)) {
  test(caseName, () => {
    const g = GOLDEN[caseName]!;
    if ("error" in g) {
      assert.throws(fn, (e: Error) => {
        assert.equal(e.message, g.message);
        assert.equal(e.constructor.name, JS_ERROR[g.error] ?? g.error, `${e.constructor.name}, PyTorch ${g.error}`);
        return true;
      });
      return;
    }
    compare(g.result, fn(), caseName);
  });
}

test("nn.RMSNorm: weight ones, PyTorch's repr, the functional's values", () => {
  const m = new torch.nn.RMSNorm([4]);
  assert.equal(String(m), "RMSNorm((4,), eps=None, elementwise_affine=True)");
  assert.deepEqual(m.weight!.tolist(), [1, 1, 1, 1]);
  const x = data([2, 4], 0);
  assert.deepEqual(m.forward(x).tolist(), F.rms_norm(x, [4], m.weight).tolist());
  assert.equal(String(new torch.nn.RMSNorm(3, 1e-6, false)), "RMSNorm((3,), eps=1e-06, elementwise_affine=False)");
});

test("a refused write changes nothing: put_ out of range, geometric_ of a bad p, set_ of another dtype", () => {
  const x = torch.zeros(3);
  assert.throws(() => x.put_(L(0, 5), torch.tensor([1, 2])));
  assert.throws(() => x.geometric_(1.5));
  assert.throws(() => x.set_(torch.zeros(2, { dtype: f64 })));
  assert.deepEqual([x.tolist(), x._version, x.shape], [[0, 0, 0], 0, [3]]);
});
