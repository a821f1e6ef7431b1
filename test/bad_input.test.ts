// Bad input gets PyTorch's error in PyTorch's words and changes nothing; out= arguments are
// honoured as PyTorch honours them. Each case below has a twin of the same name in
// tools/gen_golden_bad_input.py, whose run under PyTorch 2.x wrote test/golden/bad_input.json:
// the error PyTorch raised (compared exactly), or the result and warnings it gave.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { nn, type Tensor } from "typetorch";
import { readGolden, assertClose, type GoldenTensor } from "./helpers.js";

const F = torch.nn.functional;
type Golden = { error: string; message: string } | { result: GoldenTensor | GoldenTensor[]; warnings: string[] };
const GOLDEN = readGolden<{ cases: Record<string, Golden> }>("bad_input.json").cases;

const a23 = () => torch.arange(6).reshape(2, 3), a32 = () => torch.arange(6).reshape(3, 2), ar5 = () => torch.arange(5);
const L = (...v: bigint[]) => torch.tensor(v);
const long = { dtype: torch.int64 };

const CASES: Record<string, () => unknown> = {
  // ---- out= ----
  "matmul out": () => { const out = torch.zeros(2, 2); assert.equal(torch.matmul(a23(), a32(), { out }), out); return out; },
  "matmul out resized": () => { const out = torch.zeros(5); torch.matmul(a23(), a32(), { out }); return [out, torch.tensor(out.stride(), long)]; },
  "matmul out empty": () => { const out = torch.zeros(0); torch.matmul(a23(), a32(), { out }); return out; },
  "matmul out long": () => torch.matmul(a23(), a32(), { out: torch.zeros(2, 2, long) }),
  "matmul out grad": () => torch.matmul(a23().requires_grad_(), a32(), { out: torch.zeros(2, 2) }),
  "add out": () => torch.add(a23(), 1, { alpha: 2, out: torch.zeros(2, 3) }),
  "add out float64": () => torch.add(a23(), a23(), { out: torch.zeros(2, 3, { dtype: torch.float64 }) }),
  "add out long": () => torch.add(a23(), a23(), { out: torch.zeros(2, 3, long) }),
  "add long out float": () => torch.add(torch.ones(2, 3, long), 1, { out: torch.zeros(2, 3) }),
  "add out grad": () => torch.add(a23().requires_grad_(), 1, { out: torch.zeros(2, 3) }),
  "add out requires grad": () => torch.add(a23(), 1, { out: torch.zeros(2, 3, { requires_grad: true }) }),
  "eq out grad": () => torch.eq(a23().requires_grad_(), 1, { out: torch.zeros(2, 3, { dtype: torch.bool }) }),
  "exp out long": () => torch.exp(a23(), { out: torch.zeros(2, 3, long) }),
  "abs out float64": () => torch.abs(a23(), { out: torch.zeros(2, 3, { dtype: torch.float64 }) }),
  "sum out": () => torch.sum(a23(), 1, { out: torch.zeros(2, 3) }),
  "sum out long": () => torch.sum(a23(), 1, { out: torch.zeros(2, long) }),
  "cat out long": () => torch.cat([a23(), a23()], { out: torch.zeros(4, 3, long) }),
  "gather out float64": () => torch.gather(a23(), 1, torch.tensor([[0n], [2n]]), { out: torch.zeros(2, 1, { dtype: torch.float64 }) }),
  "zeros out long": () => torch.zeros(2, 3, { out: torch.zeros(0, long) }),
  "arange out": () => torch.arange(4, { out: torch.zeros(0, { dtype: torch.int32 }) }),
  "max dim out": () => [...torch.max(a23(), 1, { out: [torch.zeros(2), torch.zeros(2, long)] })],
  "max dim out float indices": () => torch.max(a23(), 1, { out: [torch.zeros(2), torch.zeros(2)] }),
  "sort out": () => [...torch.sort(torch.tensor([3, 1, 2]), { out: [torch.zeros(3), torch.zeros(3, long)] })],
  "linalg.inv out": () => torch.linalg.inv(torch.eye(2).mul(2), { out: torch.zeros(2, 2) }),
  "linalg.inv out float64": () => torch.linalg.inv(torch.eye(2), { out: torch.zeros(2, 2, { dtype: torch.float64 }) }),
  "special.expit out float64": () => torch.special.expit(torch.zeros(2), { out: torch.zeros(2, { dtype: torch.float64 }) }),
  "special.expit out long": () => torch.special.expit(torch.zeros(2), { out: torch.zeros(2, long) }),
  "max dim out of one tensor": () => torch.max(a23(), 1, { out: [torch.zeros(2)] }),
  "tensordot out float64": () => torch.tensordot(a23(), a32(), 1, { out: torch.zeros(2, 2, { dtype: torch.float64 }) }),
  "norm out": () => torch.norm(a23(), { out: torch.zeros(0) }),
  "out expanded": () => torch.add(a23(), 1, { out: torch.zeros(3).expand(2, 3) }),
  "out overlaps its input": () => { const x = torch.zeros(6); return torch.add(x.narrow(0, 0, 3), 1, { out: x.narrow(0, 1, 3) }); },
  "out is its input": () => { const x = ar5(); torch.add(x, 1, { out: x }); return x; },
  "out view grows in its storage": () => {
    const base = torch.zeros(6), out = base.narrow(0, 0, 2);
    torch.add(torch.ones(3), 1, { out });
    return [out, base];
  },
  "resize_ a view within its storage": () => {
    const x = torch.arange(6), v = x.narrow(0, 2, 2).resize_(3);
    return [v, x, torch.tensor(v.stride(), long)];
  },
  "resize_ to the same shape keeps the strides": () => torch.tensor(a23().t().resize_(3, 2).stride(), long),
  "resize_ requires grad": () => torch.ones(2, { requires_grad: true }).resize_(3),
  // ---- views and indices ----
  "as_strided beyond storage": () => torch.as_strided(torch.zeros(4), [3, 3], [1, 1]),
  "as_strided offset beyond storage": () => torch.as_strided(torch.zeros(4), [2], [1], 3),
  "as_strided negative stride": () => torch.as_strided(torch.zeros(4), [2], [-1], 1),
  "as_strided within storage": () => torch.zeros(10).narrow(0, 2, 2).as_strided([3], [1]),
  "index_select negative": () => torch.index_select(ar5(), 0, L(-1n)),
  "index_select out of range": () => torch.index_select(ar5(), 0, L(7n)),
  "index_select inner dim": () => torch.index_select(a23(), 1, L(-1n)),
  "gather negative": () => torch.gather(ar5(), 0, L(-1n)),
  "gather out of range": () => torch.gather(ar5(), 0, L(5n)),
  "scatter negative": () => torch.zeros(5).scatter(0, L(-1n), torch.ones(1)),
  "scatter_add negative": () => torch.zeros(5).scatter_add(0, L(-1n), torch.ones(1)),
  "scatter_reduce negative": () => torch.zeros(5).scatter_reduce(0, L(-1n), torch.ones(1), "sum"),
  "embedding negative": () => F.embedding(L(-1n), torch.zeros(5, 2)),
  "embedding out of range": () => F.embedding(L(5n), torch.zeros(5, 2)),
  "index_add negative": () => torch.zeros(5).index_add(0, L(-1n), torch.ones(1)),
  "index_add out of range": () => torch.zeros(5).index_add(0, L(5n), torch.ones(1)),
  "index_copy negative": () => torch.zeros(5).index_copy(0, L(-1n), torch.ones(1)),
  "index_reduce negative": () => torch.zeros(5).index_reduce(0, L(-1n), torch.ones(1), "prod"),
  "index_fill negative": () => torch.zeros(5).index_fill(0, L(-1n), 1),
  "index_fill out of range": () => torch.zeros(5).index_fill(0, L(-6n), 1),
  "gather float index": () => torch.gather(ar5(), 0, torch.tensor([1])),
  "scatter int32 index": () => torch.zeros(5).scatter(0, torch.tensor([1], { dtype: torch.int32 }), torch.ones(1)),
  "gather index larger than self": () => torch.gather(torch.zeros(2, 2), 1, torch.zeros(3, 2, long)),
  "scatter index larger than src": () => torch.zeros(5).scatter(0, L(0n, 1n, 2n), torch.ones(2)),
  "scatter index larger than self": () => torch.zeros(2, 2).scatter(1, torch.zeros(3, 2, long), torch.ones(3, 2)),
  "scatter value index larger than self": () => torch.zeros(2, 2).scatter(1, torch.zeros(3, 2, long), 1),
  "narrow negative length": () => a23().narrow(0, 0, -1),
  "expand to a negative size": () => torch.ones(3).expand(-2, 3),
  "expand -1 in a new dim": () => torch.ones(3).expand(-1, 3),
  "flip a dim twice": () => a23().flip(0, -2),
  "outer of a matrix": () => torch.outer(torch.ones(2, 2), torch.ones(2)),
  "outer by a matrix": () => torch.outer(torch.ones(2), torch.ones(2, 2)),
  "softmax of integers": () => torch.softmax(L(1n), 0),
  "softmax of integers, inner dim": () => torch.softmax(torch.ones(2, 2, long), 0),
  "log_softmax of integers": () => torch.log_softmax(L(1n), 0),
  "softmax of integers with dtype": () => torch.softmax(L(1n), 0, { dtype: torch.float32 }),
  "argmax of nothing": () => torch.zeros(0).argmax(),
  "argmin of an empty dim": () => torch.zeros(0, 3).argmin(0),
  "take out of range": () => torch.take(ar5(), L(5n)),
  "take_along_dim negative": () => torch.take_along_dim(ar5(), L(-1n), 0),
  // ---- autograd ----
  "hook changes size, leaf": () => backwardWithHook(() => torch.ones(2), true),
  "hook changes size": () => backwardWithHook(() => torch.ones(1), false),
  "hook changes dtype": () => backwardWithHook((g) => g.double(), false),
  "hook returns a number": () => backwardWithHook(() => 5 as unknown as Tensor, true),
  "node pre-hook changes size": () => {
    const x = torch.ones(3, { requires_grad: true }), y = x.mul(2);
    y.grad_fn!.register_prehook(() => [torch.ones(2)]);
    y.sum().backward();
    return x.grad;
  },
  "hook returns a tensor": () => backwardWithHook((g) => g.mul(3), true),
  "grad of another size": () => assignGrad(() => torch.ones(2)),
  "grad of another dtype": () => assignGrad(() => torch.ones(3, { dtype: torch.float64 })),
  "grad of another integer dtype": () => assignGrad(() => torch.ones(3, long)),
  "grad float to double": () => assignGrad(() => torch.ones(3), torch.float64),
  "grad a number": () => assignGrad(() => 5 as unknown as Tensor),
  "grad itself": () => assignGrad((x) => x),
  "grad a view": () => assignGrad(() => torch.ones(1, 3).select(0, 0)),
  // ---- values and sizes ----
  "tensor 2**63": () => torch.tensor([2n ** 63n]),
  "tensor -2**63-1": () => torch.tensor([-(2n ** 63n) - 1n]),
  "tensor 2**62 int32": () => torch.tensor([2n ** 62n], { dtype: torch.int32 }),
  "tensor 3e9 int32": () => torch.tensor([3e9], { dtype: torch.int32 }),
  "tensor 1e19 int64": () => torch.tensor([1e19], long),
  "tensor 2**63 float int64": () => torch.tensor([2 ** 63], long),
  "tensor nan int64": () => torch.tensor([NaN], long),
  "tensor inf int32": () => torch.tensor([Infinity], { dtype: torch.int32 }),
  "tensor 300 uint8": () => torch.tensor([300], { dtype: torch.uint8 }),
  "tensor -1 uint8": () => torch.tensor([-1], { dtype: torch.uint8 }),
  "tensor -256 uint8": () => torch.tensor([-256], { dtype: torch.uint8 }),
  "tensor -1.5 uint8": () => torch.tensor([-1.5], { dtype: torch.uint8 }),
  "tensor -129 int8": () => torch.tensor([-129], { dtype: torch.int8 }),
  "tensor 40000 int16": () => torch.tensor([40000], { dtype: torch.int16 }),
  "tensor 1.5 int32": () => torch.tensor([1.5], { dtype: torch.int32 }),
  "tensor 1e40 float32": () => torch.tensor([1e40], { dtype: torch.float32 }),
  "tensor 2**64 float32": () => torch.tensor([2n ** 64n], { dtype: torch.float32 }),
  "full 300 uint8": () => torch.full([2], 300, { dtype: torch.uint8 }),
  "full -1 uint8": () => torch.full([2], -1, { dtype: torch.uint8 }),
  "full 3e9 int32": () => torch.full([2], 3e9, { dtype: torch.int32 }),
  "full 2**63": () => torch.full([1], 2n ** 63n),
  "full 1e40 float32": () => torch.full([1], 1e40),
  "full inf float32": () => torch.full([1], Infinity),
  "full nan int32": () => torch.full([1], NaN, { dtype: torch.int32 }),
  "fill_ 300 int8": () => torch.zeros(2, { dtype: torch.int8 }).fill_(300),
  "fill_ 1.5 int32": () => torch.zeros(2, { dtype: torch.int32 }).fill_(1.5),
  "zeros(-1)": () => torch.zeros(-1),
  "zeros(2, -1)": () => torch.zeros(2, -1),
  "ones(-1)": () => torch.ones(-1),
  "empty(-1)": () => torch.empty(-1),
  "Linear(-1, 3)": () => new nn.Linear(-1, 3),
  "Embedding(-1, 3)": () => new nn.Embedding(-1, 3),
  "zeros 1e12": () => torch.zeros(1e12),
  "zeros 1e12 int8": () => torch.zeros(1e12, { dtype: torch.int8 }),
  "empty 2**62": () => torch.empty(2 ** 62),
  "zeros 1e10 x 1e10": () => torch.zeros(1e10, 1e10),
  "arange 1e12": () => torch.arange(0, 1e12),
  "linspace 1e12": () => torch.linspace(0, 1, 1e12),
  "randperm 1e12": () => torch.randperm(1e12),
  "from_numpy negative strides": () => torch.from_numpy({ data: new Float32Array([0, 1, 2, 3]), shape: [4], strides: [-1] }),
  "frombuffer count": () => torch.frombuffer(new ArrayBuffer(16), { dtype: torch.float32, count: 8 }),
  "frombuffer offset": () => torch.frombuffer(new ArrayBuffer(16), { dtype: torch.float32, offset: 20 }),
  "frombuffer count after offset": () => torch.frombuffer(new ArrayBuffer(16), { dtype: torch.float32, count: 4, offset: 4 }),
  "frombuffer length": () => torch.frombuffer(new ArrayBuffer(10), { dtype: torch.float32 }),
  "frombuffer empty": () => torch.frombuffer(new ArrayBuffer(0), { dtype: torch.float32 }),
  "frombuffer": () => torch.frombuffer(new Float32Array([0, 1, 2, 3]).buffer, { dtype: torch.float32, count: 2, offset: 4 }),
  "Linear(1.5, 3)": () => new nn.Linear(1.5, 3),
  "Linear(3, 1.5)": () => new nn.Linear(3, 1.5),
  "Embedding(1.5, 3)": () => new nn.Embedding(1.5, 3),
  // ---- pooling, shapes, indices, signatures ----
  "adaptive_avg_pool2d to 1x1 of 5 dims": () => F.adaptive_avg_pool2d(torch.arange(24).reshape(1, 2, 3, 2, 2), 1),
  "adaptive_avg_pool2d to 1x1 of empty planes": () => F.adaptive_avg_pool2d(torch.zeros(1, 1, 0, 5), 1),
  "adaptive_avg_pool2d of 2 dims to 1": () => F.adaptive_avg_pool2d(a23(), 1),
  "adaptive_avg_pool2d of 2 dims to a list": () => F.adaptive_avg_pool2d(torch.zeros(5, 6), [1, 1]),
  "adaptive_avg_pool2d negative size": () => F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5), [2, -1]),
  "adaptive_avg_pool2d uint8": () => F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5, { dtype: torch.uint8 }), 2),
  "adaptive_avg_pool2d uint8 to 1x1": () => F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5, { dtype: torch.uint8 }), 1),
  "adaptive_avg_pool1d negative size": () => F.adaptive_avg_pool1d(torch.zeros(1, 1, 5), -1),
  "adaptive_max_pool2d negative size": () => F.adaptive_max_pool2d(torch.zeros(1, 1, 5, 5), -1),
  "mean of int32": () => torch.zeros(3, { dtype: torch.int32 }).mean(),
  "mean to int32": () => torch.zeros(3).mean({ dtype: torch.int32 }),
  "lerp end of another dtype": () => torch.lerp(a23(), a23().double(), 0.5),
  "lerp weight of another dtype": () => torch.lerp(a23(), a23(), torch.ones(3, { dtype: torch.float64 })),
  "lerp of integers": () => torch.lerp(L(1n, 2n), L(3n, 4n), 0.5),
  "diff negative order": () => torch.diff(a23(), -1),
  "diff prepend of fewer dims": () => torch.diff(a23(), { prepend: torch.ones(3) }),
  "diff prepend of another size": () => torch.diff(a23(), { prepend: torch.ones(3, 1) }),
  "scatter index of fewer dims": () => torch.zeros(2, 3).scatter(0, L(0n, 1n), 1.5),
  "scatter src of more dims": () => torch.zeros(2, 3).scatter(0, torch.zeros(1, 4, long), torch.ones(1, 4, 1)),
  "scatter src of fewer dims": () => torch.zeros(2, 3).scatter(0, torch.zeros(1, 1, long), torch.ones(2)),
  "scatter empty index of fewer dims": () => torch.zeros(2, 3).scatter(0, torch.zeros(0, long), 1.5),
  "scatter_reduce index of fewer dims": () => torch.zeros(2, 3).scatter_reduce(0, L(0n, 1n), torch.ones(2), "sum"),
  "gather index of a 1-d input, 0-d": () => ar5().gather(0, torch.tensor(2n)),
  "gather of a 0-d input, 1-d index": () => torch.tensor(3).float().gather(0, L(0n)),
  "scatter by a 0-d index": () => torch.zeros(3).scatter(0, torch.tensor(1n), 1.5),
  "scatter_add by a 0-d index": () => torch.zeros(3).scatter_add(0, torch.tensor(2n), torch.tensor(4).float()),
  "scatter into a 0-d tensor": () => torch.zeros([]).scatter(0, L(0n), 1.5),
  "masked_fill float mask": () => a23().masked_fill(torch.ones(2, 3), 1.5),
  "masked_fill mask of another size": () => a23().masked_fill(torch.ones(2, { dtype: torch.bool }), 1.5),
  "bmm batch sizes": () => torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2)),
  "dot dtypes": () => torch.dot(torch.ones(3), torch.ones(3, { dtype: torch.float64 })),
  "tensor_split at indices": () => torch.arange(7).float().tensor_split([1, 5]),
  "tensor_split at unordered indices": () => torch.arange(7).float().tensor_split([5, 1]),
  "tensor_split by a 0-d tensor": () => torch.arange(7).float().tensor_split(torch.tensor(3n)),
  "tensor_split at a tensor's indices": () => torch.tensor_split(a23(), torch.tensor([1n]), { dim: 1 }),
  "tensor_split by keyword indices": () => torch.tensor_split(torch.arange(5).float(), { indices: [2] }),
  "tensor_split by keyword sections": () => torch.tensor_split(torch.arange(5).float(), { sections: 2 }),
  "tensor_split zero sections": () => torch.arange(5).float().tensor_split(0),
  "tensor_split float tensor": () => torch.arange(5).float().tensor_split(torch.tensor([1.5])),
  "tensor_split 2-d tensor": () => torch.arange(5).float().tensor_split(torch.tensor([[1n]])),
  "tensor_split of a 0-d tensor": () => torch.tensor(1.5).tensor_split(2),
  "unfold and its gradient": () => {
    const x = torch.arange(7).float().requires_grad_(), y = x.unfold(0, 3, 2);
    y.mul(torch.arange(9).reshape(3, 3)).sum().backward();
    return [y, x.grad!, torch.tensor(y.stride(), long)];
  },
  "unfold of a matrix": () => [a23().unfold(1, 2, 1), torch.tensor(a23().unfold(1, 2, 1).stride(), long)],
  "unfold of a 0-d tensor": () => torch.tensor(2).float().unfold(0, 1, 1),
  "unfold size too large": () => a23().unfold(1, 4, 1),
  "unfold step 0": () => a23().unfold(1, 2, 0),
  "unfold negative size": () => a23().unfold(1, -1, 1),
  "as_strided overlapping windows' gradient": () => {
    const x = torch.arange(5).float().requires_grad_();
    x.mul(1).as_strided([3, 2], [1, 1]).mul(torch.arange(6).reshape(3, 2)).sum().backward();
    return x.grad!;
  },
  "movedim repeated source": () => torch.zeros(2, 3, 4).movedim([0, 0], [1, 2]),
  "movedim repeated destination": () => torch.zeros(2, 3, 4).movedim([0, 1], [2, 2]),
  "movedim lengths": () => torch.zeros(2, 3, 4).movedim([0, 1], [0]),
  "permute too few dims": () => a23().permute(0),
  "view negative size": () => a23().view(-2, 3),
  "unflatten sizes": () => a23().unflatten(1, [2, 2]),
  "unflatten no sizes": () => a23().unflatten(1, []),
  "randint float size": () => torch.randint(5, [2.5]),
  "zeros list with a float": () => torch.zeros([2, 2.5]),
  "sum dims with a float": () => a23().sum([0, 1.5]),
  "cat list with a number": () => torch.cat([a23(), 1 as unknown as Tensor]),
  "stack list with a string": () => torch.stack([ar5(), "a" as unknown as Tensor]),
  "device CPU": () => torch.device("CPU"),
  "device empty": () => torch.device(""),
  "device bad index": () => torch.device("cuda:01"),
  "device index twice": () => torch.device("cuda:1", 2),
  // ---- the parser's deprecated signatures and NumPy names; alpha; dtypes of elementwise kernels ----
  "add by keyword other and alpha": () => a23().add({ other: a23(), alpha: 2 }),
  "add with alpha first (deprecated)": () => (a23().add as (...a: unknown[]) => Tensor)(2, a23()),
  "torch.add with alpha second (deprecated)": () => (torch.add as (...a: unknown[]) => Tensor)(a23(), 2, a23()),
  "addcmul with value first (deprecated)": () => (ar5().addcmul as (...a: unknown[]) => Tensor)(2, ar5(), ar5()),
  "addmm with beta and alpha by position (deprecated)": () => (torch.addmm as (...a: unknown[]) => Tensor)(2, torch.ones(1, 1), 3, ar5().unsqueeze(0), ar5().unsqueeze(1)),
  "sub with alpha first (deprecated)": () => (ar5().sub as (...a: unknown[]) => Tensor)(2, ar5()),
  "sum by NumPy's axis": () => torch.sum({ input: a23(), axis: 0 }),
  "sum by NumPy's x and keepdims": () => torch.sum({ x: a23(), dim: 1, keepdims: true }),
  "cat by NumPy's axis": () => torch.cat([a23(), a23()], { axis: 1 }),
  "add by NumPy's x1 and x2": () => torch.add({ x1: a23(), x2: a23() }),
  "add float alpha to integers": () => torch.add(L(1n, 2n), L(1n, 1n), { alpha: 0.5 }),
  "add bools with alpha 2": () => torch.add(torch.tensor([true, false]), torch.tensor([true, false]), { alpha: 2 }),
  "add boolean alpha to integers": () => torch.add(L(1n), L(1n), { alpha: true as unknown as number }),
  "sub bool and True": () => torch.sub(torch.tensor([true]), true),
  "sub float and True": () => torch.sub(ar5(), true),
  "mul by True": () => torch.mul(ar5(), true),
  "abs of bool": () => torch.tensor([true]).abs(),
  "sign of bool": () => torch.tensor([true, false]).sign(),
  "square of bool": () => torch.tensor([true, false]).square(),
  "floor of bool": () => torch.tensor([true]).floor(),
  "frac of long": () => L(1n, 2n).frac(),
  "relu of bool": () => torch.tensor([true]).relu(),
  "bitwise_not of float": () => ar5().bitwise_not(),
  "threshold of long": () => F.threshold(L(-2n, 3n), 0, 5),
  "hardtanh of long": () => F.hardtanh(L(-2n, 3n)),
  "hardtanh of bool": () => F.hardtanh(torch.tensor([true])),
  "logsigmoid of long": () => F.logsigmoid(L(1n)),
  "prelu of long": () => F.prelu(L(-2n, 3n), L(1n)),
  "linear bias of another size": () => F.linear(a23(), torch.ones(4, 3), torch.ones(3)),
  "addmm input larger than the product": () => torch.addmm(torch.ones(3, 2), torch.ones(2, 2), torch.ones(2, 2)),
  // ---- torch.tensor's data, factories' requires_grad, copy_, detach_, view(dtype), modules ----
  "tensor of a string": () => torch.tensor("a" as unknown as number),
  "tensor of a list of strings": () => torch.tensor(["a"] as unknown as number[]),
  "tensor with a string inside": () => torch.tensor([[1.5], "ab"] as unknown as number[][]),
  "tensor of None": () => torch.tensor(null as unknown as number),
  "tensor with None inside": () => torch.tensor([[1.5], [null]] as unknown as number[][]),
  "tensor with None inside, dtype given": () => torch.tensor([1.5, null] as unknown as number[], { dtype: torch.float32 }),
  "tensor ragged": () => torch.tensor([[1.5, 2.5], [3.5]]),
  "tensor with a list where a number is": () => torch.tensor([1.5, [2.5]] as unknown as number[]),
  "tensor with a list where a number is, bool": () => torch.tensor([1.5, [2.5]] as unknown as number[], { dtype: torch.bool }),
  "tensor with a number where a list is": () => torch.tensor([[1.5], 2.5] as unknown as number[][]),
  "tensor with an empty row first": () => torch.tensor([[], [1.5]]),
  "tensor with an empty row after": () => torch.tensor([[1.5], []]),
  "tensor of integers requiring grad": () => torch.tensor([1n, 2n], { requires_grad: true }),
  "empty_like of integers requiring grad": () => torch.empty_like(a23(), { dtype: torch.int64, requires_grad: true }),
  "requires_grad_ on integers": () => L(1n).requires_grad_(),
  "randperm negative": () => torch.randperm(-1),
  "GroupNorm channels not divisible": () => new nn.GroupNorm(2, 3),
  "copy_ from a larger shape": () => torch.ones(3).copy_(torch.ones(2, 3)),
  "copy_ from another shape": () => torch.ones(3).copy_(torch.ones(2)),
  "detach_ a view": () => torch.ones(2, { requires_grad: true }).index(torch.slice(0, 1)).detach_(),
  "view as int32": () => torch.ones(2).view(torch.int32),
  "view as bool": () => torch.ones(2).view(torch.bool),
  "view as float16": () => torch.ones(2).view(torch.float16),
  "view int8 as float32": () => torch.ones(4, { dtype: torch.int8 }).view(torch.float32),
  "view float32 as int16": () => [a23().view(torch.int16), torch.tensor(a23().view(torch.int16).stride(), long)],
  "view as float64, odd last dim": () => torch.ones(3).view(torch.float64),
  "view as float64, strided": () => torch.ones(2, 3).t().view(torch.float64),
  "view as float64, 0-d": () => torch.tensor(1.5).view(torch.float64),
  "view as float64, odd offset": () => torch.ones(4, { dtype: torch.int32 }).index(torch.slice(1, 3)).view(torch.float64),
  "amax of nothing": () => torch.zeros(0).amax(),
  "amin of an empty dim": () => torch.zeros(0, 3).amin(-2),
  "amax over a non-empty dim of an empty tensor": () => torch.zeros(0, 3).amax(1),
  "logsumexp of nothing": () => torch.zeros(0).logsumexp(0),
  "allclose of float32 and float64": () => torch.allclose(a23(), a23().double()),
  "where by a long condition": () => torch.where(L(1n, 0n), torch.tensor([1, 2]), torch.tensor([3, 4])),
  "left shift by negative and wide counts": () => [torch.bitwise_left_shift(torch.tensor([1n, 2n]), -1),
    torch.bitwise_left_shift(torch.tensor([1, -8], { dtype: torch.int8 }), 9), torch.bitwise_left_shift(torch.tensor([1n, -8n]), 64)],
  "right shift by negative and wide counts": () => [torch.bitwise_right_shift(torch.tensor([1, -8, 5], { dtype: torch.int32 }), torch.tensor([40, 40, -1], { dtype: torch.int32 })),
    torch.bitwise_right_shift(torch.tensor([200], { dtype: torch.uint8 }), 9), torch.bitwise_right_shift(torch.tensor([1n, -8n]), 64)],
  "distribution sample of a float size": () => new torch.distributions.Normal(0, 1).sample([2.5]),
  "hardshrink out": () => { const o = torch.empty(0); return [torch.hardshrink(torch.tensor([[0.5, 1.5], [2.5, -3.5]]), 1.0, { out: o }), o]; },
  "F.hardshrink out": () => { const o = torch.empty(0); return [F.hardshrink(torch.tensor([0.5, -1.5]), { out: o } as never), o]; },
  "hardshrink out float64": () => torch.hardshrink(torch.tensor([1]), { out: torch.empty(0, { dtype: torch.float64 }) }),
  "threshold out": () => { const o = torch.empty(0); return [torch.threshold(torch.tensor([0.5, 1.5]), 1.0, 0, { out: o }), o]; },
  "threshold out long": () => torch.threshold(torch.tensor([1]), 1.0, 0, { out: torch.empty(0, long) }),
  // ---- torch.linalg.LinAlgError and lstsq's shapes ----
  "linalg.cholesky not positive-definite": () => torch.linalg.cholesky(S()),
  "linalg.cholesky of order 3": () => torch.linalg.cholesky(torch.diag(torch.tensor([1, 1, -1]))),
  "linalg.cholesky batch": () => torch.linalg.cholesky(torch.stack([I2(), S()])),
  "linalg.cholesky batch of one": () => torch.linalg.cholesky(S().unsqueeze(0)),
  "linalg.cholesky 2x3 batch": () => torch.linalg.cholesky(torch.stack([I2(), I2(), I2(), I2(), I2().neg(), I2()]).reshape(2, 3, 2, 2)),
  "linalg.cholesky upper": () => torch.linalg.cholesky(I2().neg().double(), { upper: true }),
  "linalg.cholesky of NaN": () => torch.linalg.cholesky(NAN()),
  "linalg.cholesky of long": () => torch.linalg.cholesky(torch.ones(2, 2, long)),
  "linalg.cholesky_ex check_errors": () => torch.linalg.cholesky_ex(S(), { check_errors: true }),
  "linalg.cholesky_ex check_errors batch": () => torch.linalg.cholesky_ex(torch.stack([I2(), I2().neg()]), { check_errors: true }),
  "linalg.cholesky_ex info": () => torch.linalg.cholesky_ex(torch.stack([I2(), S()]))[1],
  "linalg.cholesky_ex of long": () => torch.linalg.cholesky_ex(torch.ones(2, 2, long)),
  "cholesky not positive-definite": () => torch.cholesky(I2().neg().unsqueeze(0)),
  "linalg.inv singular": () => torch.linalg.inv(Z()),
  "linalg.inv batch": () => torch.linalg.inv(torch.stack([I2(), Z()])),
  "linalg.inv batch of one": () => torch.linalg.inv(Z().unsqueeze(0)),
  "linalg.inv of NaN": () => torch.linalg.inv(NAN()),
  "linalg.inv_ex check_errors": () => torch.linalg.inv_ex(torch.stack([I2(), Z()]), { check_errors: true }),
  "linalg.inv_ex info": () => torch.linalg.inv_ex(torch.stack([I2().mul(2), Z()]))[1],
  "linalg.inv_ex of long": () => torch.linalg.inv_ex(torch.ones(2, 2, long)),
  "linalg.inv_ex not square": () => torch.linalg.inv_ex(torch.ones(2, 3)),
  "inverse singular": () => torch.inverse(Z()),
  "linalg.solve singular": () => torch.linalg.solve(Z(), torch.ones(2)),
  "linalg.solve batch": () => torch.linalg.solve(torch.stack([I2(), I2(), Z()]), torch.ones(2)),
  "linalg.solve batch of one": () => torch.linalg.solve(Z().unsqueeze(0), torch.ones(2)),
  "linalg.solve broadcast": () => torch.linalg.solve(torch.stack([I2(), Z()]).unsqueeze(1), torch.ones(3, 2, 1)),
  "linalg.solve left=False": () => torch.linalg.solve(Z(), torch.ones(1, 2), { left: false }),
  "linalg.solve_ex check_errors": () => torch.linalg.solve_ex(torch.stack([I2(), Z()]).unsqueeze(1), torch.ones(3, 2, 1), { check_errors: true }),
  "linalg.solve_ex info of A's batch": () => torch.linalg.solve_ex(torch.stack([I2(), Z()]).unsqueeze(1), torch.ones(3, 2, 1))[1],
  "linalg.solve_ex solves the regular matrices": () => torch.linalg.solve_ex(torch.stack([I2().mul(2), torch.tensor([[1, 2], [2, 4]])]), torch.ones(2, 2))[1],
  "linalg.solve_ex of long": () => torch.linalg.solve_ex(torch.ones(2, 2, long), torch.ones(2, long)),
  "linalg.solve_ex not square": () => torch.linalg.solve_ex(torch.ones(2, 3), torch.ones(2)),
  "linalg.lu_factor singular": () => torch.linalg.lu_factor(Z()),
  "linalg.lu_factor batch of one": () => torch.linalg.lu_factor(Z().unsqueeze(0)),
  "linalg.lu_factor_ex check_errors": () => torch.linalg.lu_factor_ex(torch.stack([I2(), Z()]), { check_errors: true }),
  "linalg.matrix_power -1 singular": () => torch.linalg.matrix_power(Z(), -1),
  "linalg.matrix_power -2 batch": () => torch.linalg.matrix_power(torch.stack([I2(), Z()]), -2),
  "cholesky_inverse singular": () => torch.cholesky_inverse(torch.tensor([[1, 0], [1, 0]])),
  "cholesky_inverse batch": () => torch.cholesky_inverse(torch.stack([I2(), Z()]), { upper: true }),
  "linalg.tensorinv singular": () => torch.linalg.tensorinv(torch.zeros(4, 2, 2), { ind: 1 }),
  "linalg.tensorinv of long": () => torch.linalg.tensorinv(torch.ones(2, 2, long), { ind: 1 }),
  "linalg.tensorsolve singular": () => torch.linalg.tensorsolve(torch.zeros(2, 3, 6), torch.ones(2, 3)),
  "linalg.svd of NaN": () => torch.linalg.svd(NAN()),
  "linalg.svd of NaN, batch": () => torch.linalg.svd(torch.stack([I2(), NAN()]), { full_matrices: false }),
  "linalg.svd of NaN, batch of one": () => torch.linalg.svd(NAN().unsqueeze(0)),
  "linalg.svd of inf": () => torch.linalg.svd(torch.tensor([[1, Infinity], [0, 1]]))[1],
  "linalg.svdvals of NaN": () => torch.linalg.svdvals(torch.full([3, 2], NaN)),
  "svd of NaN": () => torch.svd(NAN()),
  "linalg.pinv of NaN": () => torch.linalg.pinv(NAN()),
  "linalg.matrix_rank of NaN": () => torch.linalg.matrix_rank(NAN()),
  "linalg.cond of NaN": () => torch.linalg.cond(NAN()),
  "linalg.matrix_norm nuc of NaN": () => torch.linalg.matrix_norm(NAN(), "nuc"),
  "linalg.eigh of NaN": () => torch.linalg.eigh(NAN())[0],
  "cholesky of long": () => torch.cholesky(torch.ones(2, 2, long)),
  "cholesky of a vector": () => torch.cholesky(torch.ones(2)),
  "linalg.cholesky_ex not square": () => torch.linalg.cholesky_ex(torch.ones(2, 3)),
  "linalg.lu_factor of a vector": () => torch.linalg.lu_factor_ex(torch.ones(2)),
  "linalg.lu_factor of long": () => torch.linalg.lu_factor(torch.ones(2, 2, long)),
  "linalg.lu_factor without pivoting": () => torch.linalg.lu_factor(I2(), { pivot: false }),
  "linalg.lu of long": () => torch.linalg.lu(torch.ones(2, 2, long)),
  "linalg.lu of a vector": () => torch.linalg.lu(torch.ones(2)),
  "cholesky_inverse of long": () => torch.cholesky_inverse(torch.ones(2, 2, long)),
  "cholesky_inverse not square": () => torch.cholesky_inverse(torch.ones(2, 3)),
  "MultivariateNormal not positive-definite": () => new torch.distributions.MultivariateNormal(torch.zeros(2), S(), { validate_args: false }),
  ...Object.fromEntries(["gels", "gelsy", "gelsd", "gelss"].flatMap((driver) => [
    [`lstsq ${driver}`, () => lstsq(A32(), B3().unsqueeze(1), { driver })],
    [`lstsq ${driver}, B a vector`, () => lstsq(A32(), B3(), { driver })],
    [`lstsq ${driver}, batch of vectors`, () => lstsq(torch.stack([A32(), A32().flip(0)]), torch.stack([B3(), B3().mul(2)]), { driver })],
    [`lstsq ${driver}, A's batch broadcast`, () => lstsq(A32().unsqueeze(0), torch.stack([B3(), B3().neg(), B3().add(1), B3().mul(3)]).unsqueeze(-1), { driver })],
    [`lstsq ${driver}, B's batch broadcast`, () => lstsq(torch.stack([A32(), A32().mul(2), A32().add(1)]), B3().reshape(1, 3, 1), { driver })],
    [`lstsq ${driver}, wide`, () => lstsq(A32().t(), torch.tensor([[1, 2], [3, -1]]), { driver })],
    [`lstsq ${driver}, A of zeros`, () => lstsq(torch.stack([torch.zeros(3, 2), A32()]), B3().reshape(1, 3, 1), { driver })],
    [`lstsq ${driver}, no columns`, () => lstsq(torch.zeros(3, 0), B3().unsqueeze(1), { driver })],
    [`lstsq ${driver}, no rows`, () => lstsq(torch.zeros(0, 2), torch.zeros(0, 1), { driver })],
  ])),
  "lstsq B of one dim fewer, a matrix, and the gradients": () => lstsqGrad(A32().unsqueeze(0), torch.tensor([[1, 0, 2], [-2, 1, 0], [4, 3, 1]]), "gelsd"),
  "lstsq gradients summed over A's broadcast batch": () => lstsqGrad(A32().unsqueeze(0), torch.tensor([[1, -2, 4], [0, 1, 2]]).unsqueeze(-1), "gels"),
  "lstsq gelsd, rank-deficient batch": () => lstsq(torch.stack([torch.tensor([[1, 0], [0, 0], [0, 0]]), A32()]), torch.ones(2, 3, 1), { driver: "gelsd" }),
  "lstsq gelsy, rank-deficient": () => lstsq(torch.tensor([[1, 0], [2, 0], [3, 0]]), B3(), { driver: "gelsy" }),
  "lstsq gelss, rcond": () => lstsq(torch.tensor([[1, 0], [0, 1e-3], [0, 0]]), B3(), { rcond: 1e-2, driver: "gelss" }),
  "lstsq gels, zero column": () => torch.linalg.lstsq(torch.tensor([[1, 0], [2, 0], [3, 0]]), B3(), { driver: "gels" }),
  "lstsq gels, zero first column": () => torch.linalg.lstsq(torch.tensor([[0, 1], [0, 2], [0, 3]]), B3(), { driver: "gels" }),
  "lstsq gels, wide with a zero row": () => torch.linalg.lstsq(torch.tensor([[1, 2, 3], [0, 0, 0]]), torch.ones(2), { driver: "gels" }),
  "lstsq gels, rank-deficient batch": () => torch.linalg.lstsq(torch.stack([A32(), torch.tensor([[1, 0], [2, 0], [3, 0]])]), B3().reshape(1, 3, 1), { driver: "gels" }),
  "lstsq gels, rank-deficient batch of one": () => torch.linalg.lstsq(torch.tensor([[[1, 0], [2, 0], [3, 0]]]), B3().unsqueeze(0), { driver: "gels" }),
  "lstsq of NaN": () => torch.linalg.lstsq(torch.full([3, 2], NaN), B3()),
  "lstsq gels of NaN": () => torch.linalg.lstsq(torch.full([3, 2], NaN), B3(), { driver: "gels" }),
  "lstsq B of more dims": () => torch.linalg.lstsq(A32(), torch.ones(2, 3, 1)),
  "lstsq B of two dims fewer": () => torch.linalg.lstsq(torch.ones(2, 3, 2), B3()),
  "lstsq batches that do not broadcast": () => torch.linalg.lstsq(torch.ones(2, 3, 2), torch.ones(3, 1)),
  "lstsq A a vector": () => torch.linalg.lstsq(B3(), B3()),
  "lstsq B 0-d": () => torch.linalg.lstsq(A32(), torch.tensor(1.5)),
  "lstsq of long": () => torch.linalg.lstsq(torch.ones(3, 2, long), torch.ones(3, 1, long)),
  "lstsq rows": () => torch.linalg.lstsq(A32(), torch.ones(4, 1)),
  "lstsq rows of a vector": () => torch.linalg.lstsq(A32(), torch.ones(4)),
  "lstsq driver": () => torch.linalg.lstsq(A32(), B3(), { driver: "gelsx" }),
  // ---- out= with numbers and mixed dtypes ----
  "where(c, long, 1.5, out=long)": () => torch.where(C2(), L(1n, 2n), 1.5, { out: torch.zeros(2, long) } as never),
  "where(c, float, 3, out=float)": () => torch.where(C2(), torch.tensor([1, 2]), 3, { out: torch.zeros(2) } as never),
  "where(c, 3, float, out=double)": () => torch.where(C2(), 3, torch.tensor([1, 2]), { out: torch.zeros(2, { dtype: torch.float64 }) } as never),
  "where(c, 3, 4.5, out=double)": () => torch.where(C2(), 3, 4.5, { out: torch.zeros(2, { dtype: torch.float64 }) } as never),
  "where(c, float, float, out=long)": () => torch.where(C2(), torch.tensor([1, 2]), torch.tensor([3, 4]), { out: torch.zeros(2, long) }),
  "where(c, float, double, out=float)": () => torch.where(C2(), torch.tensor([1, 2]), torch.tensor([3, 4]).double(), { out: torch.zeros(2) }),
  "where(c, long, long, out=float)": () => torch.where(C2(), L(1n, 2n), L(3n, 4n), { out: torch.zeros(2) }),
  "where(c, float, float, out) resized": () => torch.where(C2(), torch.tensor([1, 2]), torch.tensor([3, 4]), { out: torch.zeros(3) }),
  "add(long, 1.5, out=long)": () => torch.add(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "mul(long, 1.5, out=long)": () => torch.mul(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "sub(long, 1.5, out=long)": () => torch.sub(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "clamp(long, 1.5, out=long)": () => torch.clamp(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "clamp(long, 1.5, out=float)": () => torch.clamp(L(1n, 2n), 1.5, { out: torch.zeros(2) }),
  "clamp(float, 1.5, out=double)": () => torch.clamp(torch.tensor([1, 2]), 1.5, { out: torch.zeros(2, { dtype: torch.float64 }) }),
  "clamp_min(long, 1.5, out=long)": () => torch.clamp_min(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "clip(long, 0.5, 1.5, out=long)": () => torch.clip(L(1n, 2n), 0.5, 1.5, { out: torch.zeros(2, long) }),
  "pow(long, 0.5, out=long)": () => torch.pow(L(1n, 2n), 0.5, { out: torch.zeros(2, long) }),
  "pow(2.5, long, out=long)": () => torch.pow(2.5, L(1n, 2n), { out: torch.zeros(2, long) }),
  "div(long, 2, out=long)": () => torch.div(L(1n, 2n), 2, { out: torch.zeros(2, long) }),
  "div(long, 2, floor, out=long)": () => torch.div(L(1n, 2n), 2, { rounding_mode: 'floor', out: torch.zeros(2, long) }),
  "remainder(long, 1.5, out=long)": () => torch.remainder(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "fmod(long, 1.5, out=long)": () => torch.fmod(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "eq(long, 1.5, out=long)": () => torch.eq(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "maximum(long, float, out=long)": () => torch.maximum(L(1n, 2n), torch.tensor([1, 2]), { out: torch.zeros(2, long) }),
  "lerp(out=long)": () => torch.lerp(torch.tensor([1, 2]), torch.tensor([1, 2]), 0.5, { out: torch.zeros(2, long) }),
  "addcmul(out=long)": () => torch.addcmul(torch.tensor([1, 2]), torch.tensor([1, 2]), torch.tensor([1, 2]), { value: 2, out: torch.zeros(2, long) }),
  "bitwise_and(long, 1, out=float)": () => torch.bitwise_and(L(1n, 2n), 1, { out: torch.zeros(2) }),
  "round(out=long)": () => torch.round(torch.tensor([1, 2]), { out: torch.zeros(2, long) }),
  "round(decimals=1, out=double)": () => torch.round(torch.tensor([1, 2]), { decimals: 1, out: torch.zeros(2, { dtype: torch.float64 }) }),
  "xlogy(2, long, out=long)": () => torch.xlogy(2, L(1n, 2n), { out: torch.zeros(2, long) }),
  "hypot(out=long)": () => torch.hypot(torch.tensor([1, 2]), torch.tensor([1, 2]), { out: torch.zeros(2, long) }),
  "float_power(out=float)": () => torch.float_power(torch.tensor([1, 2]), 2, { out: torch.zeros(2) }),
  "true_divide(long, 2, out=long)": () => torch.true_divide(L(1n, 2n), 2, { out: torch.zeros(2, long) }),
  "floor_divide(long, 1.5, out=long)": () => torch.floor_divide(L(1n, 2n), 1.5, { out: torch.zeros(2, long) }),
  "copysign(long, -1, out=long)": () => torch.copysign(L(1n, 2n), -1, { out: torch.zeros(2, long) }),
  "sigmoid(long, out=long)": () => torch.sigmoid(L(1n, 2n), { out: torch.zeros(2, long) }),
  "max(out=) of one tensor": () => torch.max(torch.tensor([1, 3]), { out: torch.zeros(0) } as never),
  "max(dim, out=) of a tensor": () => torch.max(a23(), 1, { out: torch.zeros(2) } as never),
  "sum(out=, dtype=)": () => torch.sum(a23(), 1, { dtype: torch.float64, out: torch.zeros(2) }),
  "mean(out=long)": () => torch.mean(a23(), 1, { out: torch.zeros(2, long) }),
  "softmax(out=double)": () => torch.softmax(a23(), 1, { out: torch.zeros(2, 3, { dtype: torch.float64 }) }),
  "clamp(out=) of no bounds": () => torch.clamp(a23(), { out: torch.zeros(2, 3) }),
  "zeros(dtype=double, out=float)": () => torch.zeros(2, { dtype: torch.float64, out: torch.zeros(2) }),
  "arange(dtype=double, out=float)": () => torch.arange(2, { dtype: torch.float64, out: torch.zeros(2) }),
  "ones(dtype=long, out=float)": () => torch.ones(2, { dtype: torch.int64, out: torch.zeros(2) }),
  "full(dtype=double, out=float)": () => torch.full([2], 1, { dtype: torch.float64, out: torch.zeros(2) }),
  "cumsum(dtype=double, out=float)": () => torch.cumsum(torch.ones(2), 0, { dtype: torch.float64, out: torch.zeros(2) }),
  "prod(dtype=double, out=float)": () => torch.prod(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2) }),
  "nansum(dtype=double, out=float)": () => torch.nansum(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2) }),
  "nanmean(dtype=double, out=float)": () => torch.nanmean(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2) }),
  "mean(dtype=double, out=float)": () => torch.mean(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2) }),
  "mean(out=double)": () => torch.mean(torch.ones(2, 2), 0, { out: torch.zeros(2, { dtype: torch.float64 }) }),
  "sum of long (out=float)": () => torch.sum(torch.ones(2, 2, long), 0, { out: torch.zeros(2) }),
  "softmax(dtype=double, out=float)": () => torch.softmax(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2, 2) }),
  "log_softmax(dtype=double, out=double)": () => torch.log_softmax(torch.ones(2, 2), 0, { dtype: torch.float64, out: torch.zeros(2, 2, { dtype: torch.float64 }) }),
  "linalg.vector_norm(dtype=double, out=float)": () => torch.linalg.vector_norm(torch.ones(2, 2), { dtype: torch.float64, out: torch.zeros([]) }),
  "linalg.vector_norm(out=double)": () => torch.linalg.vector_norm(torch.ones(2, 2), { out: torch.zeros([], { dtype: torch.float64 }) }),
  "view as int32 shares the memory": () => {
    const x = torch.zeros(2);
    x.view(torch.int32).index_put_([torch.tensor(0n)], torch.tensor(1n, { dtype: torch.int32 }));
    return x;
  },
};

const C2 = () => torch.tensor([true, false]);
const S = () => torch.tensor([[1, 2], [2, 1]]), Z = () => torch.zeros(2, 2), I2 = () => torch.eye(2), NAN = () => torch.full([2, 2], NaN);
const A32 = () => torch.tensor([[1, 2], [3, 5], [4, -1]]), B3 = () => torch.tensor([1, -2, 4]);
function lstsq(A: Tensor, B: Tensor, opts: { rcond?: number; driver?: string }): Tensor[] {
  const r = torch.linalg.lstsq(A, B, opts);
  return [r.solution, r.residuals, r.rank, r.singular_values, torch.tensor(r.solution.stride(), long)];
}

function lstsqGrad(A: Tensor, B: Tensor, driver: string): Tensor[] {
  A.requires_grad_(); B.requires_grad_();
  const r = torch.linalg.lstsq(A, B, { driver });
  r.solution.sum().mul(2).add(r.residuals.sum()).backward();
  return [r.solution, r.residuals, A.grad!, B.grad!, torch.tensor(r.solution.stride(), long)];
}

function backwardWithHook(hook: (g: Tensor) => Tensor, leaf: boolean): Tensor | null {
  const x = torch.ones(3, { requires_grad: true });
  if (leaf) {
    x.register_hook(hook);
    x.sum().backward();
  } else {
    const y = x.mul(2);
    y.register_hook(hook);
    y.sum().backward();
  }
  return x.grad;
}

function assignGrad(g: (x: Tensor) => Tensor, dtype = torch.float32): Tensor | null {
  const x = torch.ones(3, { requires_grad: true, dtype });
  x.grad = g(x);
  return x.grad;
}

/** fn's result and the warnings it printed (warnOnce prints "UserWarning: <message>"). */
function withWarnings<T>(fn: () => T): [T, string[]] {
  const warned: string[] = [];
  const orig = console.warn;
  console.warn = (msg: unknown) => { warned.push(String(msg).replace(/^UserWarning: /, "")); };
  try { return [fn(), warned]; } finally { console.warn = orig; }
}

test("every case has its golden twin, and every golden case its test", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(GOLDEN).sort());
});

for (const [name, fn] of Object.entries(CASES)) {
  test(name, () => {
    const g = GOLDEN[name]!;
    if ("error" in g) {
      assert.throws(fn, (e: Error) => {
        assert.equal(e.message, g.message);
        // (torch.linalg.LinAlgError is torch._C._LinAlgError, whose name the generator records)
        assert.equal(e instanceof torch.linalg.LinAlgError, g.error === "_LinAlgError", `${e.name}, PyTorch ${g.error}`);
        return true;
      });
      return;
    }
    const [result, warnings] = withWarnings(fn);
    assert.deepEqual(warnings, g.warnings);
    if (result instanceof nn.Module) return;
    const got = Array.isArray(result) ? result as Tensor[] : [result as Tensor];
    const want = Array.isArray(g.result) ? g.result : [g.result];
    assert.equal(got.length, want.length);
    got.forEach((t, i) => assertClose(t, want[i]!, `${name}, result ${i}`));
  });
}

test("a refused call changes nothing", () => {
  const out = torch.full([2, 2], 7);
  assert.throws(() => torch.matmul(a23(), a32(), { out: out.long() }));
  assert.throws(() => torch.matmul(a23().requires_grad_(), a32(), { out }));
  assert.throws(() => torch.add(a23(), 1, { out: torch.zeros(3).expand(2, 3) }));
  assert.deepEqual(out.tolist(), [[7, 7], [7, 7]]);
  assert.equal(out._version, 0);
  const x = torch.zeros(6);
  assert.throws(() => torch.add(x.narrow(0, 0, 3), 1, { out: x.narrow(0, 1, 3) }));
  assert.deepEqual(x.tolist(), [0, 0, 0, 0, 0, 0]);
  const self = torch.zeros(5);
  assert.throws(() => self.index_add_(0, L(-1n), torch.ones(1)));
  assert.throws(() => self.scatter_(0, L(-1n), torch.ones(1)));
  assert.deepEqual(self.tolist(), [0, 0, 0, 0, 0]);
  const leaf = torch.ones(3, { requires_grad: true });
  assert.throws(() => { leaf.grad = torch.ones(2); });
  assert.equal(leaf.grad, null);
  leaf.register_hook(() => torch.ones(2));
  assert.throws(() => leaf.sum().backward());
  assert.equal(leaf.grad, null);
});

test("out must be a tensor (an array of them for several outputs)", () => {
  assert.throws(() => torch.exp(a23(), { out: "t" as unknown as Tensor }), { name: "TypeError", message: "exp(): argument 'out' must be Tensor, not str" });
});

test("out= with several outputs returns the outs, named as the result", () => {
  const values = torch.zeros(2), indices = torch.zeros(2, long);
  const r = torch.max(torch.tensor([[1, 5], [7, 2]]), 1, { out: [values, indices] });
  assert.equal(r.values, values);
  assert.equal(r.indices, indices);
  assert.deepEqual(indices.tolist(), [1, 0]);
});

test("frombuffer shares the buffer's memory", () => {
  const data = new Float32Array([0, 1, 2, 3]);
  const t = torch.frombuffer(data.buffer, { dtype: torch.float32, offset: 4 });
  data[1] = 10;
  assert.deepEqual(t.tolist(), [10, 2, 3]);
});

test("from_numpy views within their data only", () => {
  const data = new Float32Array(4);
  assert.throws(() => torch.from_numpy({ data, shape: [3, 3] }),
    { message: "setStorage: sizes [3, 3], strides [3, 1], storage offset 0, and itemsize 4 requiring a storage size of 36 are out of bounds for storage of size 16" });
  assert.throws(() => torch.from_numpy({ data, shape: [2, 2], strides: [3, 1] }), /requiring a storage size of 20 are out of bounds for storage of size 16/);
  assert.deepEqual(torch.from_numpy({ data, shape: [2, 2], strides: [2, 1] }).shape, [2, 2]);
});
