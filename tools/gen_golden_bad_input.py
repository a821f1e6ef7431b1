"""Golden data for test/bad_input.test.ts: what PyTorch 2.x says to bad input, and what it does
with out= arguments. Runs under PyTorch 2.x (the messages and the out= rules are 2.x's):

    /work/.venv-torch/bin/python tools/gen_golden_bad_input.py   # or any python with torch 2.x

Writes test/golden/bad_input.json, whose cases give for each case its error ({"error": type, "message"}), or its
result ({"result": encoded tensor or list of them, "warnings": [messages]}). Warnings lose the
"(Triggered internally at <C++ source location>)" that PyTorch appends.

Each case here has a twin of the same name in test/bad_input.test.ts, written by
shared/API.md's rules.
"""

import os
import re
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, write_cases  # noqa: E402

CASES = {}


def case(name):
    def register(f):
        CASES[name] = f
        return f
    return register


a23 = lambda: torch.arange(6.).reshape(2, 3)  # noqa: E731
a32 = lambda: torch.arange(6.).reshape(3, 2)  # noqa: E731
ar5 = lambda: torch.arange(5.)  # noqa: E731
L = lambda *v: torch.tensor(v)  # noqa: E731

# ---- out= ----------------------------------------------------------------------------------------


@case("matmul out")
def _():
    out = torch.zeros(2, 2)
    assert torch.matmul(a23(), a32(), out=out) is out
    return out


@case("matmul out resized")
def _():
    out = torch.zeros(5)
    torch.matmul(a23(), a32(), out=out)
    return [out, torch.tensor(out.stride())]


@case("matmul out empty")
def _():
    out = torch.zeros(0)
    torch.matmul(a23(), a32(), out=out)
    return out


case("matmul out long")(lambda: torch.matmul(a23(), a32(), out=torch.zeros(2, 2, dtype=torch.long)))
case("matmul out grad")(lambda: torch.matmul(a23().requires_grad_(), a32(), out=torch.zeros(2, 2)))
case("add out")(lambda: torch.add(a23(), 1, alpha=2, out=torch.zeros(2, 3)))
case("add out float64")(lambda: torch.add(a23(), a23(), out=torch.zeros(2, 3, dtype=torch.float64)))
case("add out long")(lambda: torch.add(a23(), a23(), out=torch.zeros(2, 3, dtype=torch.long)))
case("add long out float")(lambda: torch.add(torch.ones(2, 3, dtype=torch.long), 1, out=torch.zeros(2, 3)))
case("add out grad")(lambda: torch.add(a23().requires_grad_(), 1, out=torch.zeros(2, 3)))
case("add out requires grad")(lambda: torch.add(a23(), 1, out=torch.zeros(2, 3, requires_grad=True)))
case("eq out grad")(lambda: torch.eq(a23().requires_grad_(), 1, out=torch.zeros(2, 3, dtype=torch.bool)))
case("exp out long")(lambda: torch.exp(a23(), out=torch.zeros(2, 3, dtype=torch.long)))
case("abs out float64")(lambda: torch.abs(a23(), out=torch.zeros(2, 3, dtype=torch.float64)))
case("sum out")(lambda: torch.sum(a23(), 1, out=torch.zeros(2, 3)))
case("sum out long")(lambda: torch.sum(a23(), 1, out=torch.zeros(2, dtype=torch.long)))
case("cat out long")(lambda: torch.cat([a23(), a23()], out=torch.zeros(4, 3, dtype=torch.long)))
case("gather out float64")(lambda: torch.gather(a23(), 1, L([[0], [2]]), out=torch.zeros(2, 1, dtype=torch.float64)))
case("zeros out long")(lambda: torch.zeros(2, 3, out=torch.zeros(0, dtype=torch.long)))
case("arange out")(lambda: torch.arange(4, out=torch.zeros(0, dtype=torch.int32)))
case("max dim out")(lambda: list(torch.max(a23(), 1, out=(torch.zeros(2), torch.zeros(2, dtype=torch.long)))))
case("max dim out float indices")(lambda: torch.max(a23(), 1, out=(torch.zeros(2), torch.zeros(2))))
case("sort out")(lambda: list(torch.sort(L(3., 1., 2.), out=(torch.zeros(3), torch.zeros(3, dtype=torch.long)))))
case("linalg.inv out")(lambda: torch.linalg.inv(torch.eye(2) * 2, out=torch.zeros(2, 2)))
case("linalg.inv out float64")(lambda: torch.linalg.inv(torch.eye(2), out=torch.zeros(2, 2, dtype=torch.float64)))
case("special.expit out float64")(lambda: torch.special.expit(torch.zeros(2), out=torch.zeros(2, dtype=torch.float64)))
case("special.expit out long")(lambda: torch.special.expit(torch.zeros(2), out=torch.zeros(2, dtype=torch.long)))
case("max dim out of one tensor")(lambda: torch.max(a23(), 1, out=(torch.zeros(2),)))
case("tensordot out float64")(lambda: torch.tensordot(a23(), a32(), 1, out=torch.zeros(2, 2, dtype=torch.float64)))
case("norm out")(lambda: torch.norm(a23(), out=torch.zeros(0)))
case("out expanded")(lambda: torch.add(a23(), 1, out=torch.zeros(3).expand(2, 3)))


@case("out overlaps its input")
def _():
    x = torch.zeros(6)
    return torch.add(x[:3], 1, out=x[1:4])


@case("out is its input")
def _():
    x = ar5()
    torch.add(x, 1, out=x)
    return x


@case("out view grows in its storage")
def _():
    base = torch.zeros(6)
    out = base[:2]
    torch.add(torch.ones(3), 1, out=out)
    return [out, base]


@case("resize_ a view within its storage")
def _():
    x = torch.arange(6.)
    v = x[2:4].resize_(3)
    return [v, x, torch.tensor(v.stride())]


@case("resize_ to the same shape keeps the strides")
def _():
    y = a23().t().resize_(3, 2)
    return torch.tensor(y.stride())


case("resize_ requires grad")(lambda: torch.ones(2, requires_grad=True).resize_(3))

# ---- views and indices -----------------------------------------------------------------------------

case("as_strided beyond storage")(lambda: torch.as_strided(torch.zeros(4), [3, 3], [1, 1]))
case("as_strided offset beyond storage")(lambda: torch.as_strided(torch.zeros(4), [2], [1], 3))
case("as_strided negative stride")(lambda: torch.as_strided(torch.zeros(4), [2], [-1], 1))
case("as_strided within storage")(lambda: torch.zeros(10)[2:4].as_strided([3], [1]))
case("index_select negative")(lambda: torch.index_select(ar5(), 0, L(-1)))
case("index_select out of range")(lambda: torch.index_select(ar5(), 0, L(7)))
case("index_select inner dim")(lambda: torch.index_select(a23(), 1, L(-1)))
case("gather negative")(lambda: torch.gather(ar5(), 0, L(-1)))
case("gather out of range")(lambda: torch.gather(ar5(), 0, L(5)))
case("scatter negative")(lambda: torch.zeros(5).scatter(0, L(-1), torch.ones(1)))
case("scatter_add negative")(lambda: torch.zeros(5).scatter_add(0, L(-1), torch.ones(1)))
case("scatter_reduce negative")(lambda: torch.zeros(5).scatter_reduce(0, L(-1), torch.ones(1), "sum"))
case("embedding negative")(lambda: F.embedding(L(-1), torch.zeros(5, 2)))
case("embedding out of range")(lambda: F.embedding(L(5), torch.zeros(5, 2)))
case("index_add negative")(lambda: torch.zeros(5).index_add(0, L(-1), torch.ones(1)))
case("index_add out of range")(lambda: torch.zeros(5).index_add(0, L(5), torch.ones(1)))
case("index_copy negative")(lambda: torch.zeros(5).index_copy(0, L(-1), torch.ones(1)))
case("index_reduce negative")(lambda: torch.zeros(5).index_reduce(0, L(-1), torch.ones(1), "prod"))
case("index_fill negative")(lambda: torch.zeros(5).index_fill(0, L(-1), 1))
case("index_fill out of range")(lambda: torch.zeros(5).index_fill(0, L(-6), 1))
case("gather float index")(lambda: torch.gather(ar5(), 0, torch.tensor([1.0])))
case("scatter int32 index")(lambda: torch.zeros(5).scatter(0, torch.tensor([1], dtype=torch.int32), torch.ones(1)))
case("gather index larger than self")(lambda: torch.gather(torch.zeros(2, 2), 1, torch.zeros(3, 2, dtype=torch.long)))
case("scatter index larger than src")(lambda: torch.zeros(5).scatter(0, L(0, 1, 2), torch.ones(2)))
case("scatter index larger than self")(lambda: torch.zeros(2, 2).scatter(1, torch.zeros(3, 2, dtype=torch.long), torch.ones(3, 2)))
case("scatter value index larger than self")(lambda: torch.zeros(2, 2).scatter(1, torch.zeros(3, 2, dtype=torch.long), 1.0))
case("narrow negative length")(lambda: a23().narrow(0, 0, -1))
case("expand to a negative size")(lambda: torch.ones(3).expand(-2, 3))
case("expand -1 in a new dim")(lambda: torch.ones(3).expand(-1, 3))
case("flip a dim twice")(lambda: a23().flip(0, -2))
case("outer of a matrix")(lambda: torch.outer(torch.ones(2, 2), torch.ones(2)))
case("outer by a matrix")(lambda: torch.outer(torch.ones(2), torch.ones(2, 2)))
case("softmax of integers")(lambda: torch.softmax(L(1), 0))
case("softmax of integers, inner dim")(lambda: torch.softmax(torch.ones(2, 2, dtype=torch.long), 0))
case("log_softmax of integers")(lambda: torch.log_softmax(L(1), 0))
case("softmax of integers with dtype")(lambda: torch.softmax(L(1), 0, dtype=torch.float32))
case("argmax of nothing")(lambda: torch.zeros(0).argmax())
case("argmin of an empty dim")(lambda: torch.zeros(0, 3).argmin(0))
case("take out of range")(lambda: torch.take(ar5(), L(5)))
case("take_along_dim negative")(lambda: torch.take_along_dim(ar5(), L(-1), 0))

# ---- autograd --------------------------------------------------------------------------------------


def backward_with_hook(hook, leaf):
    x = torch.ones(3, requires_grad=True)
    if leaf:
        x.register_hook(hook)
        x.sum().backward()
    else:
        y = x * 2
        y.register_hook(hook)
        y.sum().backward()
    return x.grad


case("hook changes size, leaf")(lambda: backward_with_hook(lambda g: torch.ones(2), True))
case("hook changes size")(lambda: backward_with_hook(lambda g: torch.ones(1), False))
case("hook changes dtype")(lambda: backward_with_hook(lambda g: g.double(), False))
case("hook returns a number")(lambda: backward_with_hook(lambda g: 5, True))
@case("node pre-hook changes size")
def _():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.grad_fn.register_prehook(lambda g: (torch.ones(2),))
    y.sum().backward()
    return x.grad


case("hook returns a tensor")(lambda: backward_with_hook(lambda g: g * 3, True))


def assign_grad(g, **kw):
    x = torch.ones(3, requires_grad=True, **kw)
    x.grad = g(x)
    return x.grad


case("grad of another size")(lambda: assign_grad(lambda x: torch.ones(2)))
case("grad of another dtype")(lambda: assign_grad(lambda x: torch.ones(3, dtype=torch.float64)))
case("grad of another integer dtype")(lambda: assign_grad(lambda x: torch.ones(3, dtype=torch.long)))
case("grad float to double")(lambda: assign_grad(lambda x: torch.ones(3), dtype=torch.float64))
case("grad a number")(lambda: assign_grad(lambda x: 5))
case("grad itself")(lambda: assign_grad(lambda x: x))
case("grad a view")(lambda: assign_grad(lambda x: torch.ones(1, 3)[0]))

# ---- values and sizes ------------------------------------------------------------------------------

case("tensor 2**63")(lambda: torch.tensor([2 ** 63]))
case("tensor -2**63-1")(lambda: torch.tensor([-2 ** 63 - 1]))
case("tensor 2**62 int32")(lambda: torch.tensor([2 ** 62], dtype=torch.int32))
case("tensor 3e9 int32")(lambda: torch.tensor([3e9], dtype=torch.int32))
case("tensor 1e19 int64")(lambda: torch.tensor([1e19], dtype=torch.int64))
case("tensor 2**63 float int64")(lambda: torch.tensor([2.0 ** 63], dtype=torch.int64))
case("tensor nan int64")(lambda: torch.tensor([float("nan")], dtype=torch.int64))
case("tensor inf int32")(lambda: torch.tensor([float("inf")], dtype=torch.int32))
case("tensor 300 uint8")(lambda: torch.tensor([300], dtype=torch.uint8))
case("tensor -1 uint8")(lambda: torch.tensor([-1], dtype=torch.uint8))
case("tensor -256 uint8")(lambda: torch.tensor([-256], dtype=torch.uint8))
case("tensor -1.5 uint8")(lambda: torch.tensor([-1.5], dtype=torch.uint8))
case("tensor -129 int8")(lambda: torch.tensor([-129], dtype=torch.int8))
case("tensor 40000 int16")(lambda: torch.tensor([40000], dtype=torch.int16))
case("tensor 1.5 int32")(lambda: torch.tensor([1.5], dtype=torch.int32))
case("tensor 1e40 float32")(lambda: torch.tensor([1e40], dtype=torch.float32))
case("tensor 2**64 float32")(lambda: torch.tensor([2 ** 64], dtype=torch.float32))
case("full 300 uint8")(lambda: torch.full((2,), 300, dtype=torch.uint8))
case("full -1 uint8")(lambda: torch.full((2,), -1, dtype=torch.uint8))
case("full 3e9 int32")(lambda: torch.full((2,), 3e9, dtype=torch.int32))
case("full 2**63")(lambda: torch.full((1,), 2 ** 63))
case("full 1e40 float32")(lambda: torch.full((1,), 1e40))
case("full inf float32")(lambda: torch.full((1,), float("inf")))
case("full nan int32")(lambda: torch.full((1,), float("nan"), dtype=torch.int32))
case("fill_ 300 int8")(lambda: torch.zeros(2, dtype=torch.int8).fill_(300))
case("fill_ 1.5 int32")(lambda: torch.zeros(2, dtype=torch.int32).fill_(1.5))
case("zeros(-1)")(lambda: torch.zeros(-1))
case("zeros(2, -1)")(lambda: torch.zeros(2, -1))
case("ones(-1)")(lambda: torch.ones(-1))
case("empty(-1)")(lambda: torch.empty(-1))
case("Linear(-1, 3)")(lambda: nn.Linear(-1, 3))
case("Embedding(-1, 3)")(lambda: nn.Embedding(-1, 3))
case("zeros 1e12")(lambda: torch.zeros(10 ** 12))
case("zeros 1e12 int8")(lambda: torch.zeros(10 ** 12, dtype=torch.int8))
case("empty 2**62")(lambda: torch.empty(2 ** 62))
case("zeros 1e10 x 1e10")(lambda: torch.zeros(10 ** 10, 10 ** 10))
case("arange 1e12")(lambda: torch.arange(0, 1e12))
case("linspace 1e12")(lambda: torch.linspace(0, 1, 10 ** 12))
case("randperm 1e12")(lambda: torch.randperm(10 ** 12))
case("from_numpy negative strides")(lambda: torch.from_numpy(np.arange(4, dtype=np.float32)[::-1]))
case("frombuffer count")(lambda: torch.frombuffer(bytearray(16), dtype=torch.float32, count=8))
case("frombuffer offset")(lambda: torch.frombuffer(bytearray(16), dtype=torch.float32, offset=20))
case("frombuffer count after offset")(lambda: torch.frombuffer(bytearray(16), dtype=torch.float32, count=4, offset=4))
case("frombuffer length")(lambda: torch.frombuffer(bytearray(10), dtype=torch.float32))
case("frombuffer empty")(lambda: torch.frombuffer(bytearray(0), dtype=torch.float32))
case("frombuffer")(lambda: torch.frombuffer(bytearray(np.arange(4, dtype=np.float32).tobytes()), dtype=torch.float32, count=2, offset=4))
case("Linear(1.5, 3)")(lambda: nn.Linear(1.5, 3))
case("Linear(3, 1.5)")(lambda: nn.Linear(3, 1.5))
case("Embedding(1.5, 3)")(lambda: nn.Embedding(1.5, 3))

# ---- pooling, shapes, indices, signatures (each found answering otherwise than PyTorch 2.13) ---------

case("adaptive_avg_pool2d to 1x1 of 5 dims")(lambda: F.adaptive_avg_pool2d(torch.arange(24.).reshape(1, 2, 3, 2, 2), 1))
case("adaptive_avg_pool2d to 1x1 of empty planes")(lambda: F.adaptive_avg_pool2d(torch.zeros(1, 1, 0, 5), 1))
case("adaptive_avg_pool2d of 2 dims to 1")(lambda: F.adaptive_avg_pool2d(torch.arange(6.).reshape(2, 3), 1))
case("adaptive_avg_pool2d of 2 dims to a list")(lambda: F.adaptive_avg_pool2d(torch.zeros(5, 6), [1, 1]))
case("adaptive_avg_pool2d negative size")(lambda: F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5), [2, -1]))
case("adaptive_avg_pool2d uint8")(lambda: F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5, dtype=torch.uint8), 2))
case("adaptive_avg_pool2d uint8 to 1x1")(lambda: F.adaptive_avg_pool2d(torch.zeros(1, 1, 5, 5, dtype=torch.uint8), 1))
case("adaptive_avg_pool1d negative size")(lambda: F.adaptive_avg_pool1d(torch.zeros(1, 1, 5), -1))
case("adaptive_max_pool2d negative size")(lambda: F.adaptive_max_pool2d(torch.zeros(1, 1, 5, 5), -1))
case("mean of int32")(lambda: torch.zeros(3, dtype=torch.int32).mean())
case("mean to int32")(lambda: torch.zeros(3).mean(dtype=torch.int32))
case("lerp end of another dtype")(lambda: torch.lerp(a23(), a23().double(), 0.5))
case("lerp weight of another dtype")(lambda: torch.lerp(a23(), a23(), torch.ones(3, dtype=torch.float64)))
case("lerp of integers")(lambda: torch.lerp(L(1, 2), L(3, 4), 0.5))
case("diff negative order")(lambda: torch.diff(a23(), -1))
case("diff prepend of fewer dims")(lambda: torch.diff(a23(), prepend=torch.ones(3)))
case("diff prepend of another size")(lambda: torch.diff(a23(), prepend=torch.ones(3, 1)))
case("scatter index of fewer dims")(lambda: torch.zeros(2, 3).scatter(0, L(0, 1), 1.5))
case("scatter src of more dims")(lambda: torch.zeros(2, 3).scatter(0, torch.zeros(1, 4, dtype=torch.long), torch.ones(1, 4, 1)))
case("scatter src of fewer dims")(lambda: torch.zeros(2, 3).scatter(0, torch.zeros(1, 1, dtype=torch.long), torch.ones(2)))
case("scatter empty index of fewer dims")(lambda: torch.zeros(2, 3).scatter(0, torch.zeros(0, dtype=torch.long), 1.5))
case("scatter_reduce index of fewer dims")(lambda: torch.zeros(2, 3).scatter_reduce(0, L(0, 1), torch.ones(2), "sum"))
case("gather index of a 1-d input, 0-d")(lambda: ar5().gather(0, torch.tensor(2)))
case("gather of a 0-d input, 1-d index")(lambda: torch.tensor(3.).gather(0, L(0)))
case("scatter by a 0-d index")(lambda: torch.zeros(3).scatter(0, torch.tensor(1), 1.5))
case("scatter_add by a 0-d index")(lambda: torch.zeros(3).scatter_add(0, torch.tensor(2), torch.tensor(4.)))
case("scatter into a 0-d tensor")(lambda: torch.zeros(()).scatter(0, L(0), 1.5))
case("masked_fill float mask")(lambda: a23().masked_fill(torch.ones(2, 3), 1.5))
case("masked_fill mask of another size")(lambda: a23().masked_fill(torch.ones(2, dtype=torch.bool), 1.5))
case("bmm batch sizes")(lambda: torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2)))
case("dot dtypes")(lambda: torch.dot(torch.ones(3), torch.ones(3, dtype=torch.float64)))
case("tensor_split at indices")(lambda: list(torch.arange(7.).tensor_split([1, 5])))
case("tensor_split at unordered indices")(lambda: list(torch.arange(7.).tensor_split([5, 1])))
case("tensor_split by a 0-d tensor")(lambda: list(torch.arange(7.).tensor_split(torch.tensor(3))))
case("tensor_split at a tensor's indices")(lambda: list(torch.tensor_split(torch.arange(6.).reshape(2, 3), torch.tensor([1]), dim=1)))
case("tensor_split by keyword indices")(lambda: list(torch.tensor_split(torch.arange(5.), indices=[2])))
case("tensor_split by keyword sections")(lambda: list(torch.tensor_split(torch.arange(5.), sections=2)))
case("tensor_split zero sections")(lambda: torch.arange(5.).tensor_split(0))
case("tensor_split float tensor")(lambda: torch.arange(5.).tensor_split(torch.tensor([1.5])))
case("tensor_split 2-d tensor")(lambda: torch.arange(5.).tensor_split(torch.tensor([[1]])))
case("tensor_split of a 0-d tensor")(lambda: torch.tensor(1.).tensor_split(2))


def unfold_grad():
    x = torch.arange(7., requires_grad=True)
    y = x.unfold(0, 3, 2)
    (y * torch.arange(9.).reshape(3, 3)).sum().backward()
    return [y, x.grad, torch.tensor(y.stride())]


case("unfold and its gradient")(unfold_grad)
case("unfold of a matrix")(lambda: [a23().unfold(1, 2, 1), torch.tensor(a23().unfold(1, 2, 1).stride())])
case("unfold of a 0-d tensor")(lambda: torch.tensor(2.).unfold(0, 1, 1))
case("unfold size too large")(lambda: a23().unfold(1, 4, 1))
case("unfold step 0")(lambda: a23().unfold(1, 2, 0))
case("unfold negative size")(lambda: a23().unfold(1, -1, 1))


def as_strided_overlap_grad():
    x = torch.arange(5., requires_grad=True)
    (x * 1).as_strided([3, 2], [1, 1]).mul(torch.arange(6.).reshape(3, 2)).sum().backward()
    return x.grad


case("as_strided overlapping windows' gradient")(as_strided_overlap_grad)
case("movedim repeated source")(lambda: torch.zeros(2, 3, 4).movedim((0, 0), (1, 2)))
case("movedim repeated destination")(lambda: torch.zeros(2, 3, 4).movedim((0, 1), (2, 2)))
case("movedim lengths")(lambda: torch.zeros(2, 3, 4).movedim((0, 1), (0,)))
case("permute too few dims")(lambda: a23().permute(0))
case("view negative size")(lambda: a23().view(-2, 3))
case("unflatten sizes")(lambda: a23().unflatten(1, (2, 2)))
case("unflatten no sizes")(lambda: a23().unflatten(1, ()))
case("randint float size")(lambda: torch.randint(5, (2.5,)))
case("zeros list with a float")(lambda: torch.zeros([2, 2.5]))
case("sum dims with a float")(lambda: a23().sum([0, 1.5]))
case("cat list with a number")(lambda: torch.cat([a23(), 1]))
case("stack list with a string")(lambda: torch.stack([ar5(), "a"]))
case("device CPU")(lambda: torch.device("CPU"))
case("device empty")(lambda: torch.device(""))
case("device bad index")(lambda: torch.device("cuda:01"))
case("device index twice")(lambda: torch.device("cuda:1", 2))

# ---- the parser's deprecated signatures and NumPy names; alpha; dtypes of elementwise kernels -------

case("add by keyword other and alpha")(lambda: a23().add(other=a23(), alpha=2))
case("add with alpha first (deprecated)")(lambda: a23().add(2, a23()))
case("torch.add with alpha second (deprecated)")(lambda: torch.add(a23(), 2, a23()))
case("addcmul with value first (deprecated)")(lambda: ar5().addcmul(2, ar5(), ar5()))
case("addmm with beta and alpha by position (deprecated)")(lambda: torch.addmm(2, torch.ones(1, 1), 3, ar5()[None], ar5()[:, None]))
case("sub with alpha first (deprecated)")(lambda: ar5().sub(2, ar5()))
case("sum by NumPy's axis")(lambda: torch.sum(input=a23(), axis=0))
case("sum by NumPy's x and keepdims")(lambda: torch.sum(x=a23(), dim=1, keepdims=True))
case("cat by NumPy's axis")(lambda: torch.cat([a23(), a23()], axis=1))
case("add by NumPy's x1 and x2")(lambda: torch.add(x1=a23(), x2=a23()))
case("add float alpha to integers")(lambda: torch.add(L(1, 2), L(1, 1), alpha=0.5))
case("add bools with alpha 2")(lambda: torch.add(torch.tensor([True, False]), torch.tensor([True, False]), alpha=2))
case("add boolean alpha to integers")(lambda: torch.add(L(1), L(1), alpha=True))
case("sub bool and True")(lambda: torch.sub(torch.tensor([True]), True))
case("sub float and True")(lambda: torch.sub(ar5(), True))
case("mul by True")(lambda: torch.mul(ar5(), True))
case("abs of bool")(lambda: torch.tensor([True]).abs())
case("sign of bool")(lambda: torch.tensor([True, False]).sign())
case("square of bool")(lambda: torch.tensor([True, False]).square())
case("floor of bool")(lambda: torch.tensor([True]).floor())
case("frac of long")(lambda: L(1, 2).frac())
case("relu of bool")(lambda: torch.tensor([True]).relu())
case("bitwise_not of float")(lambda: ar5().bitwise_not())
case("threshold of long")(lambda: F.threshold(L(-2, 3), 0, 5))
case("hardtanh of long")(lambda: F.hardtanh(L(-2, 3)))
case("hardtanh of bool")(lambda: F.hardtanh(torch.tensor([True])))
case("logsigmoid of long")(lambda: F.logsigmoid(L(1)))
case("prelu of long")(lambda: F.prelu(L(-2, 3), L(1)))
case("linear bias of another size")(lambda: F.linear(a23(), torch.ones(4, 3), torch.ones(3)))
case("addmm input larger than the product")(lambda: torch.addmm(torch.ones(3, 2), torch.ones(2, 2), torch.ones(2, 2)))

# ---- torch.tensor's data, factories' requires_grad, copy_, detach_, view(dtype), modules ------------

case("tensor of a string")(lambda: torch.tensor("a"))
case("tensor of a list of strings")(lambda: torch.tensor(["a"]))
case("tensor with a string inside")(lambda: torch.tensor([[1.5], "ab"]))
case("tensor of None")(lambda: torch.tensor(None))
case("tensor with None inside")(lambda: torch.tensor([[1.5], [None]]))
case("tensor with None inside, dtype given")(lambda: torch.tensor([1.5, None], dtype=torch.float32))
case("tensor ragged")(lambda: torch.tensor([[1.5, 2.5], [3.5]]))
case("tensor with a list where a number is")(lambda: torch.tensor([1.5, [2.5]]))
case("tensor with a list where a number is, bool")(lambda: torch.tensor([1.5, [2.5]], dtype=torch.bool))
case("tensor with a number where a list is")(lambda: torch.tensor([[1.5], 2.5]))
case("tensor with an empty row first")(lambda: torch.tensor([[], [1.5]]))
case("tensor with an empty row after")(lambda: torch.tensor([[1.5], []]))
case("tensor of integers requiring grad")(lambda: torch.tensor([1, 2], requires_grad=True))
case("empty_like of integers requiring grad")(lambda: torch.empty_like(a23(), dtype=torch.long, requires_grad=True))
case("requires_grad_ on integers")(lambda: L(1).requires_grad_())
case("randperm negative")(lambda: torch.randperm(-1))
case("GroupNorm channels not divisible")(lambda: nn.GroupNorm(2, 3))
case("copy_ from a larger shape")(lambda: torch.ones(3).copy_(torch.ones(2, 3)))
case("copy_ from another shape")(lambda: torch.ones(3).copy_(torch.ones(2)))
case("detach_ a view")(lambda: torch.ones(2, requires_grad=True)[0:1].detach_())
case("view as int32")(lambda: torch.ones(2).view(torch.int32))
case("view as bool")(lambda: torch.ones(2).view(torch.bool))
case("view as float16")(lambda: torch.ones(2).view(torch.float16))
case("view int8 as float32")(lambda: torch.ones(4, dtype=torch.int8).view(torch.float32))
case("view float32 as int16")(lambda: [torch.arange(6.).reshape(2, 3).view(torch.int16), torch.tensor(torch.arange(6.).reshape(2, 3).view(torch.int16).stride())])
case("view as float64, odd last dim")(lambda: torch.ones(3).view(torch.float64))
case("view as float64, strided")(lambda: torch.ones(2, 3).t().view(torch.float64))
case("view as float64, 0-d")(lambda: torch.tensor(1.).view(torch.float64))
case("view as float64, odd offset")(lambda: torch.ones(4, dtype=torch.int32)[1:3].view(torch.float64))


def view_dtype_shares():
    x = torch.zeros(2)
    x.view(torch.int32)[0] = 1
    return x


case("view as int32 shares the memory")(view_dtype_shares)

# ---- reductions of nothing, shifts, comparisons' words ---------------------------------------------

case("amax of nothing")(lambda: torch.zeros(0).amax())
case("amin of an empty dim")(lambda: torch.zeros(0, 3).amin(-2))
case("amax over a non-empty dim of an empty tensor")(lambda: torch.zeros(0, 3).amax(1))
case("logsumexp of nothing")(lambda: torch.zeros(0).logsumexp(0))
case("allclose of float32 and float64")(lambda: torch.allclose(a23(), a23().double()))
case("where by a long condition")(lambda: torch.where(L(1, 0), L(1., 2.), L(3., 4.)))
case("left shift by negative and wide counts")(lambda: [torch.tensor([1, 2]) << -1, torch.tensor([1, -8], dtype=torch.int8) << 9, torch.tensor([1, -8]) << 64])
case("right shift by negative and wide counts")(lambda: [torch.tensor([1, -8, 5], dtype=torch.int32) >> torch.tensor([40, 40, -1], dtype=torch.int32),
                                                        torch.tensor([200], dtype=torch.uint8) >> 9, torch.tensor([1, -8]) >> 64])
case("distribution sample of a float size")(lambda: torch.distributions.Normal(0., 1.).sample((2.5,)))

# ---- out= of hardshrink and threshold (ignored before) --------------------------------------------

case("hardshrink out")(lambda: (lambda o: [torch.hardshrink(torch.tensor([[0.5, 1.5], [2.5, -3.5]]), 1.0, out=o), o])(torch.empty(0)))
case("F.hardshrink out")(lambda: (lambda o: [F.hardshrink(torch.tensor([0.5, -1.5]), out=o), o])(torch.empty(0)))
case("hardshrink out float64")(lambda: torch.hardshrink(torch.tensor([1.]), out=torch.empty(0, dtype=torch.float64)))
case("threshold out")(lambda: (lambda o: [torch.threshold(torch.tensor([0.5, 1.5]), 1.0, 0., out=o), o])(torch.empty(0)))
case("threshold out long")(lambda: torch.threshold(torch.tensor([1.]), 1.0, 0., out=torch.empty(0, dtype=torch.long)))

# ---- torch.linalg.LinAlgError (its type is torch._C._LinAlgError) and lstsq's shapes --------------

S = lambda: torch.tensor([[1., 2.], [2., 1.]])  # noqa: E731 (symmetric, not positive-definite)
Z = lambda: torch.zeros(2, 2)  # noqa: E731
I2 = lambda: torch.eye(2)  # noqa: E731
NAN = lambda: torch.full((2, 2), float("nan"))  # noqa: E731
case("linalg.cholesky not positive-definite")(lambda: torch.linalg.cholesky(S()))
case("linalg.cholesky of order 3")(lambda: torch.linalg.cholesky(torch.diag(torch.tensor([1., 1., -1.]))))
case("linalg.cholesky batch")(lambda: torch.linalg.cholesky(torch.stack([I2(), S()])))
case("linalg.cholesky batch of one")(lambda: torch.linalg.cholesky(S()[None]))
case("linalg.cholesky 2x3 batch")(lambda: torch.linalg.cholesky(torch.stack([I2()] * 4 + [-I2(), I2()]).reshape(2, 3, 2, 2)))
case("linalg.cholesky upper")(lambda: torch.linalg.cholesky(-I2().double(), upper=True))
case("linalg.cholesky of NaN")(lambda: torch.linalg.cholesky(NAN()))
case("linalg.cholesky of long")(lambda: torch.linalg.cholesky(torch.ones(2, 2, dtype=torch.long)))
case("linalg.cholesky_ex check_errors")(lambda: torch.linalg.cholesky_ex(S(), check_errors=True))
case("linalg.cholesky_ex check_errors batch")(lambda: torch.linalg.cholesky_ex(torch.stack([I2(), -I2()]), check_errors=True))
case("linalg.cholesky_ex info")(lambda: list(torch.linalg.cholesky_ex(torch.stack([I2(), S()])))[1])
case("linalg.cholesky_ex of long")(lambda: torch.linalg.cholesky_ex(torch.ones(2, 2, dtype=torch.long)))
case("cholesky not positive-definite")(lambda: torch.cholesky(-I2()[None]))
case("linalg.inv singular")(lambda: torch.linalg.inv(Z()))
case("linalg.inv batch")(lambda: torch.linalg.inv(torch.stack([I2(), Z()])))
case("linalg.inv batch of one")(lambda: torch.linalg.inv(Z()[None]))
case("linalg.inv of NaN")(lambda: torch.linalg.inv(NAN()))
case("linalg.inv_ex check_errors")(lambda: torch.linalg.inv_ex(torch.stack([I2(), Z()]), check_errors=True))
case("linalg.inv_ex info")(lambda: list(torch.linalg.inv_ex(torch.stack([I2() * 2, Z()])))[1])
case("linalg.inv_ex of long")(lambda: torch.linalg.inv_ex(torch.ones(2, 2, dtype=torch.long)))
case("linalg.inv_ex not square")(lambda: torch.linalg.inv_ex(torch.ones(2, 3)))
case("inverse singular")(lambda: torch.inverse(Z()))
case("linalg.solve singular")(lambda: torch.linalg.solve(Z(), torch.ones(2)))
case("linalg.solve batch")(lambda: torch.linalg.solve(torch.stack([I2(), I2(), Z()]), torch.ones(2)))
case("linalg.solve batch of one")(lambda: torch.linalg.solve(Z()[None], torch.ones(2)))
case("linalg.solve broadcast")(lambda: torch.linalg.solve(torch.stack([I2(), Z()])[:, None], torch.ones(3, 2, 1)))
case("linalg.solve left=False")(lambda: torch.linalg.solve(Z(), torch.ones(1, 2), left=False))
case("linalg.solve_ex check_errors")(lambda: torch.linalg.solve_ex(torch.stack([I2(), Z()])[:, None], torch.ones(3, 2, 1), check_errors=True))
case("linalg.solve_ex info of A's batch")(lambda: list(torch.linalg.solve_ex(torch.stack([I2(), Z()])[:, None], torch.ones(3, 2, 1)))[1])
case("linalg.solve_ex solves the regular matrices")(lambda: list(torch.linalg.solve_ex(torch.stack([I2() * 2, torch.tensor([[1., 2.], [2., 4.]])]), torch.ones(2, 2)))[1])
case("linalg.solve_ex of long")(lambda: torch.linalg.solve_ex(torch.ones(2, 2, dtype=torch.long), torch.ones(2, dtype=torch.long)))
case("linalg.solve_ex not square")(lambda: torch.linalg.solve_ex(torch.ones(2, 3), torch.ones(2)))
case("linalg.lu_factor singular")(lambda: torch.linalg.lu_factor(Z()))
case("linalg.lu_factor batch of one")(lambda: torch.linalg.lu_factor(Z()[None]))
case("linalg.lu_factor_ex check_errors")(lambda: torch.linalg.lu_factor_ex(torch.stack([I2(), Z()]), check_errors=True))
case("linalg.matrix_power -1 singular")(lambda: torch.linalg.matrix_power(Z(), -1))
case("linalg.matrix_power -2 batch")(lambda: torch.linalg.matrix_power(torch.stack([I2(), Z()]), -2))
case("cholesky_inverse singular")(lambda: torch.cholesky_inverse(torch.tensor([[1., 0.], [1., 0.]])))
case("cholesky_inverse batch")(lambda: torch.cholesky_inverse(torch.stack([I2(), Z()]), upper=True))
case("linalg.tensorinv singular")(lambda: torch.linalg.tensorinv(torch.zeros(4, 2, 2), ind=1))
case("linalg.tensorinv of long")(lambda: torch.linalg.tensorinv(torch.ones(2, 2, dtype=torch.long), ind=1))
case("linalg.tensorsolve singular")(lambda: torch.linalg.tensorsolve(torch.zeros(2, 3, 6), torch.ones(2, 3)))
case("linalg.svd of NaN")(lambda: torch.linalg.svd(NAN()))
case("linalg.svd of NaN, batch")(lambda: torch.linalg.svd(torch.stack([I2(), NAN()]), full_matrices=False))
case("linalg.svd of NaN, batch of one")(lambda: torch.linalg.svd(NAN()[None]))
case("linalg.svd of inf")(lambda: list(torch.linalg.svd(torch.tensor([[1., float("inf")], [0., 1.]])))[1])
case("linalg.svdvals of NaN")(lambda: torch.linalg.svdvals(torch.full((3, 2), float("nan"))))
case("svd of NaN")(lambda: torch.svd(NAN()))
case("linalg.pinv of NaN")(lambda: torch.linalg.pinv(NAN()))
case("linalg.matrix_rank of NaN")(lambda: torch.linalg.matrix_rank(NAN()))
case("linalg.cond of NaN")(lambda: torch.linalg.cond(NAN()))
case("linalg.matrix_norm nuc of NaN")(lambda: torch.linalg.matrix_norm(NAN(), "nuc"))
case("linalg.eigh of NaN")(lambda: list(torch.linalg.eigh(NAN()))[0])
case("cholesky of long")(lambda: torch.cholesky(torch.ones(2, 2, dtype=torch.long)))
case("cholesky of a vector")(lambda: torch.cholesky(torch.ones(2)))
case("linalg.cholesky_ex not square")(lambda: torch.linalg.cholesky_ex(torch.ones(2, 3)))
case("linalg.lu_factor of a vector")(lambda: torch.linalg.lu_factor_ex(torch.ones(2)))
case("linalg.lu_factor of long")(lambda: torch.linalg.lu_factor(torch.ones(2, 2, dtype=torch.long)))
case("linalg.lu_factor without pivoting")(lambda: torch.linalg.lu_factor(I2(), pivot=False))
case("linalg.lu of long")(lambda: torch.linalg.lu(torch.ones(2, 2, dtype=torch.long)))
case("linalg.lu of a vector")(lambda: torch.linalg.lu(torch.ones(2)))
case("cholesky_inverse of long")(lambda: torch.cholesky_inverse(torch.ones(2, 2, dtype=torch.long)))
case("cholesky_inverse not square")(lambda: torch.cholesky_inverse(torch.ones(2, 3)))
case("MultivariateNormal not positive-definite")(lambda: torch.distributions.MultivariateNormal(torch.zeros(2), S(), validate_args=False))

A32 = lambda: torch.tensor([[1., 2.], [3., 5.], [4., -1.]])  # noqa: E731 (full rank)
B3 = lambda: torch.tensor([1., -2., 4.])  # noqa: E731


def lstsq(A, B, **kw):
    r = torch.linalg.lstsq(A, B, **kw)
    return [r.solution, r.residuals, r.rank, r.singular_values, torch.tensor(r.solution.stride())]


for drv in ["gels", "gelsy", "gelsd", "gelss"]:
    case(f"lstsq {drv}")(lambda drv=drv: lstsq(A32(), B3()[:, None], driver=drv))
    case(f"lstsq {drv}, B a vector")(lambda drv=drv: lstsq(A32(), B3(), driver=drv))
    case(f"lstsq {drv}, batch of vectors")(lambda drv=drv: lstsq(torch.stack([A32(), A32().flip(0)]), torch.stack([B3(), B3() * 2]), driver=drv))
    case(f"lstsq {drv}, A's batch broadcast")(lambda drv=drv: lstsq(A32()[None], torch.stack([B3(), -B3(), B3() + 1, B3() * 3])[..., None], driver=drv))
    case(f"lstsq {drv}, B's batch broadcast")(lambda drv=drv: lstsq(torch.stack([A32(), A32() * 2, A32() + 1]), B3()[None, :, None], driver=drv))
    case(f"lstsq {drv}, wide")(lambda drv=drv: lstsq(A32().t(), torch.tensor([[1., 2.], [3., -1.]]), driver=drv))
    case(f"lstsq {drv}, A of zeros")(lambda drv=drv: lstsq(torch.stack([torch.zeros(3, 2), A32()]), B3()[None, :, None], driver=drv))
    case(f"lstsq {drv}, no columns")(lambda drv=drv: lstsq(torch.zeros(3, 0), B3()[:, None], driver=drv))
    case(f"lstsq {drv}, no rows")(lambda drv=drv: lstsq(torch.zeros(0, 2), torch.zeros(0, 1), driver=drv))


def lstsq_grad(A, B, driver):
    A, B = A.requires_grad_(), B.requires_grad_()
    r = torch.linalg.lstsq(A, B, driver=driver)
    (r.solution.sum() * 2 + r.residuals.sum()).backward()
    return [r.solution, r.residuals, A.grad, B.grad, torch.tensor(r.solution.stride())]


case("lstsq B of one dim fewer, a matrix, and the gradients")(lambda: lstsq_grad(A32()[None], torch.tensor([[1., 0, 2], [-2., 1, 0], [4., 3, 1]]), "gelsd"))
case("lstsq gradients summed over A's broadcast batch")(lambda: lstsq_grad(A32()[None], torch.tensor([[1., -2, 4], [0, 1, 2]])[..., None], "gels"))
case("lstsq gelsd, rank-deficient batch")(lambda: lstsq(torch.stack([torch.tensor([[1., 0.], [0., 0.], [0., 0.]]), A32()]), torch.ones(2, 3, 1), driver="gelsd"))
case("lstsq gelsy, rank-deficient")(lambda: lstsq(torch.tensor([[1., 0.], [2., 0.], [3., 0.]]), B3(), driver="gelsy"))
case("lstsq gelss, rcond")(lambda: lstsq(torch.tensor([[1., 0.], [0., 1e-3], [0., 0.]]), B3(), rcond=1e-2, driver="gelss"))
case("lstsq gels, zero column")(lambda: torch.linalg.lstsq(torch.tensor([[1., 0.], [2., 0.], [3., 0.]]), B3(), driver="gels"))
case("lstsq gels, zero first column")(lambda: torch.linalg.lstsq(torch.tensor([[0., 1.], [0., 2.], [0., 3.]]), B3(), driver="gels"))
case("lstsq gels, wide with a zero row")(lambda: torch.linalg.lstsq(torch.tensor([[1., 2., 3.], [0., 0., 0.]]), torch.ones(2), driver="gels"))
case("lstsq gels, rank-deficient batch")(lambda: torch.linalg.lstsq(torch.stack([A32(), torch.tensor([[1., 0.], [2., 0.], [3., 0.]])]), B3()[None, :, None], driver="gels"))
case("lstsq gels, rank-deficient batch of one")(lambda: torch.linalg.lstsq(torch.tensor([[[1., 0.], [2., 0.], [3., 0.]]]), B3()[None], driver="gels"))
case("lstsq of NaN")(lambda: torch.linalg.lstsq(torch.full((3, 2), float("nan")), B3()))
case("lstsq gels of NaN")(lambda: torch.linalg.lstsq(torch.full((3, 2), float("nan")), B3(), driver="gels"))
case("lstsq B of more dims")(lambda: torch.linalg.lstsq(A32(), torch.ones(2, 3, 1)))
case("lstsq B of two dims fewer")(lambda: torch.linalg.lstsq(torch.ones(2, 3, 2), B3()))
case("lstsq batches that do not broadcast")(lambda: torch.linalg.lstsq(torch.ones(2, 3, 2), torch.ones(3, 1)))
case("lstsq A a vector")(lambda: torch.linalg.lstsq(B3(), B3()))
case("lstsq B 0-d")(lambda: torch.linalg.lstsq(A32(), torch.tensor(1.)))
case("lstsq of long")(lambda: torch.linalg.lstsq(torch.ones(3, 2, dtype=torch.long), torch.ones(3, 1, dtype=torch.long)))
case("lstsq rows")(lambda: torch.linalg.lstsq(A32(), torch.ones(4, 1)))
case("lstsq rows of a vector")(lambda: torch.linalg.lstsq(A32(), torch.ones(4)))
case("lstsq driver")(lambda: torch.linalg.lstsq(A32(), B3(), driver="gelsx"))


# ---- out= with numbers and mixed dtypes: the signatures that take an out (where's take no numbers) and
# the result's dtype ------------------------------------------------------------------------

C2 = lambda: torch.tensor([True, False])  # noqa: E731
case("where(c, long, 1.5, out=long)")(lambda: torch.where(C2(), L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("where(c, float, 3, out=float)")(lambda: torch.where(C2(), L(1., 2.), 3, out=torch.zeros(2)))
case("where(c, 3, float, out=double)")(lambda: torch.where(C2(), 3, L(1., 2.), out=torch.zeros(2, dtype=torch.double)))
case("where(c, 3, 4.5, out=double)")(lambda: torch.where(C2(), 3, 4.5, out=torch.zeros(2, dtype=torch.double)))
case("where(c, float, float, out=long)")(lambda: torch.where(C2(), L(1., 2.), L(3., 4.), out=torch.zeros(2, dtype=torch.long)))
case("where(c, float, double, out=float)")(lambda: torch.where(C2(), L(1., 2.), L(3., 4.).double(), out=torch.zeros(2)))
case("where(c, long, long, out=float)")(lambda: torch.where(C2(), L(1, 2), L(3, 4), out=torch.zeros(2)))
case("where(c, float, float, out) resized")(lambda: torch.where(C2(), L(1., 2.), L(3., 4.), out=torch.zeros(3)))
case("add(long, 1.5, out=long)")(lambda: torch.add(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("mul(long, 1.5, out=long)")(lambda: torch.mul(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("sub(long, 1.5, out=long)")(lambda: torch.sub(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("clamp(long, 1.5, out=long)")(lambda: torch.clamp(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("clamp(long, 1.5, out=float)")(lambda: torch.clamp(L(1, 2), 1.5, out=torch.zeros(2)))
case("clamp(float, 1.5, out=double)")(lambda: torch.clamp(L(1., 2.), 1.5, out=torch.zeros(2, dtype=torch.double)))
case("clamp_min(long, 1.5, out=long)")(lambda: torch.clamp_min(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("clip(long, 0.5, 1.5, out=long)")(lambda: torch.clip(L(1, 2), 0.5, 1.5, out=torch.zeros(2, dtype=torch.long)))
case("pow(long, 0.5, out=long)")(lambda: torch.pow(L(1, 2), 0.5, out=torch.zeros(2, dtype=torch.long)))
case("pow(2.5, long, out=long)")(lambda: torch.pow(2.5, L(1, 2), out=torch.zeros(2, dtype=torch.long)))
case("div(long, 2, out=long)")(lambda: torch.div(L(1, 2), 2, out=torch.zeros(2, dtype=torch.long)))
case("div(long, 2, floor, out=long)")(lambda: torch.div(L(1, 2), 2, rounding_mode='floor', out=torch.zeros(2, dtype=torch.long)))
case("remainder(long, 1.5, out=long)")(lambda: torch.remainder(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("fmod(long, 1.5, out=long)")(lambda: torch.fmod(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("eq(long, 1.5, out=long)")(lambda: torch.eq(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("maximum(long, float, out=long)")(lambda: torch.maximum(L(1, 2), L(1., 2.), out=torch.zeros(2, dtype=torch.long)))
case("lerp(out=long)")(lambda: torch.lerp(L(1., 2.), L(1., 2.), 0.5, out=torch.zeros(2, dtype=torch.long)))
case("addcmul(out=long)")(lambda: torch.addcmul(L(1., 2.), L(1., 2.), L(1., 2.), value=2, out=torch.zeros(2, dtype=torch.long)))
case("bitwise_and(long, 1, out=float)")(lambda: torch.bitwise_and(L(1, 2), 1, out=torch.zeros(2)))
case("round(out=long)")(lambda: torch.round(L(1., 2.), out=torch.zeros(2, dtype=torch.long)))
case("round(decimals=1, out=double)")(lambda: torch.round(L(1., 2.), decimals=1, out=torch.zeros(2, dtype=torch.double)))
case("xlogy(2, long, out=long)")(lambda: torch.xlogy(2, L(1, 2), out=torch.zeros(2, dtype=torch.long)))
case("hypot(out=long)")(lambda: torch.hypot(L(1., 2.), L(1., 2.), out=torch.zeros(2, dtype=torch.long)))
case("float_power(out=float)")(lambda: torch.float_power(L(1., 2.), 2, out=torch.zeros(2)))
case("true_divide(long, 2, out=long)")(lambda: torch.true_divide(L(1, 2), 2, out=torch.zeros(2, dtype=torch.long)))
case("floor_divide(long, 1.5, out=long)")(lambda: torch.floor_divide(L(1, 2), 1.5, out=torch.zeros(2, dtype=torch.long)))
case("copysign(long, -1, out=long)")(lambda: torch.copysign(L(1, 2), -1, out=torch.zeros(2, dtype=torch.long)))
case("sigmoid(long, out=long)")(lambda: torch.sigmoid(L(1, 2), out=torch.zeros(2, dtype=torch.long)))
case("max(out=) of one tensor")(lambda: torch.max(L(1., 3.), out=torch.zeros(0)))
case("max(dim, out=) of a tensor")(lambda: torch.max(a23(), 1, out=torch.zeros(2)))
case("sum(out=, dtype=)")(lambda: torch.sum(a23(), 1, dtype=torch.float64, out=torch.zeros(2)))
case("mean(out=long)")(lambda: torch.mean(a23(), 1, out=torch.zeros(2, dtype=torch.long)))
case("softmax(out=double)")(lambda: torch.softmax(a23(), 1, out=torch.zeros(2, 3, dtype=torch.double)))
case("clamp(out=) of no bounds")(lambda: torch.clamp(a23(), out=torch.zeros(2, 3)))

case("zeros(dtype=double, out=float)")(lambda: torch.zeros(2, dtype=torch.float64, out=torch.zeros(2)))
case("arange(dtype=double, out=float)")(lambda: torch.arange(2, dtype=torch.float64, out=torch.zeros(2)))
case("ones(dtype=long, out=float)")(lambda: torch.ones(2, dtype=torch.int64, out=torch.zeros(2)))
case("full(dtype=double, out=float)")(lambda: torch.full((2,), 1., dtype=torch.float64, out=torch.zeros(2)))
case("cumsum(dtype=double, out=float)")(lambda: torch.cumsum(torch.ones(2), 0, dtype=torch.float64, out=torch.zeros(2)))
case("prod(dtype=double, out=float)")(lambda: torch.prod(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2)))
case("nansum(dtype=double, out=float)")(lambda: torch.nansum(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2)))
case("nanmean(dtype=double, out=float)")(lambda: torch.nanmean(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2)))
case("mean(dtype=double, out=float)")(lambda: torch.mean(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2)))
case("mean(out=double)")(lambda: torch.mean(torch.ones(2, 2), 0, out=torch.zeros(2, dtype=torch.float64)))
case("sum of long (out=float)")(lambda: torch.sum(torch.ones(2, 2, dtype=torch.long), 0, out=torch.zeros(2)))
case("softmax(dtype=double, out=float)")(lambda: torch.softmax(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2, 2)))
case("log_softmax(dtype=double, out=double)")(lambda: torch.log_softmax(torch.ones(2, 2), 0, dtype=torch.float64, out=torch.zeros(2, 2, dtype=torch.double)))
case("linalg.vector_norm(dtype=double, out=float)")(lambda: torch.linalg.vector_norm(torch.ones(2, 2), dtype=torch.float64, out=torch.zeros(())))
case("linalg.vector_norm(out=double)")(lambda: torch.linalg.vector_norm(torch.ones(2, 2), out=torch.zeros((), dtype=torch.double)))

# ---- a new user's bad input: factories, casts, index ops' dtypes, sizes ----
case("arange with a float step of the wrong sign")(lambda: torch.arange(0, 5, -1))
case("arange with step 0")(lambda: torch.arange(0, 5, 0))
case("arange of nan")(lambda: torch.arange(0, float("nan")))
case("arange of inf")(lambda: torch.arange(0, float("inf")))
case("arange int32 past its range")(lambda: torch.arange(0, 3e9, 1e9, dtype=torch.int32))
case("arange int8 past its range")(lambda: torch.arange(120, 130, dtype=torch.int8))
case("linspace negative steps")(lambda: torch.linspace(0, 1, -1))
case("logspace negative steps")(lambda: torch.logspace(0, 1, -2))
case("eye negative")(lambda: torch.eye(-1))
case("eye negative columns")(lambda: torch.eye(2, -1))
case("full negative size")(lambda: torch.full((-1,), 1.))
case("randn negative size")(lambda: torch.randn(-2))
case("rand negative size")(lambda: torch.rand(2, -3))
case("randint negative size")(lambda: torch.randint(3, (-1,)))
case("randint low >= high")(lambda: torch.randint(3, 3, (2,)))
case("randint high past int8")(lambda: torch.randint(0, 300, (2,), dtype=torch.int8))
case("new_zeros negative")(lambda: torch.ones(2).new_zeros(-1))
case("new_full negative")(lambda: torch.ones(2).new_full((-1,), 2.))
case("zeros_like with a negative-size tensor")(lambda: torch.zeros(2).reshape(-1, -1))
case("view with two -1")(lambda: torch.zeros(4).view(-1, -1))
case("reshape to the wrong numel")(lambda: torch.zeros(6).reshape(4, 2))
case("view to the wrong numel")(lambda: torch.zeros(6).view(4, -1))
case("repeat negative")(lambda: torch.ones(2).repeat(-1))
case("repeat fewer dims")(lambda: torch.ones(2, 2).repeat(2))
case("expand fewer dims")(lambda: torch.ones(2, 2).expand(2))
case("expand a non-singleton dim")(lambda: torch.ones(2, 3).expand(4, 3))
case("tile negative")(lambda: torch.ones(2).tile((-1,)))
case("chunk 0")(lambda: torch.ones(4).chunk(0))
case("split negative")(lambda: torch.ones(4).split(-1))
case("split sizes not summing")(lambda: torch.ones(4).split([1, 2]))
case("narrow past the end")(lambda: torch.ones(4).narrow(0, 3, 2))
case("select out of range")(lambda: torch.ones(4).select(0, 4))
case("select of a 0-d tensor")(lambda: torch.tensor(1.).select(0, 0))
case("squeeze a dim out of range")(lambda: torch.ones(2).squeeze(2))
case("unsqueeze a dim out of range")(lambda: torch.ones(2).unsqueeze(3))
case("transpose a dim out of range")(lambda: torch.ones(2, 2).transpose(0, 2))
case("cat of different dims")(lambda: torch.cat([torch.ones(2), torch.ones(2, 2)]))
case("cat of different sizes")(lambda: torch.cat([torch.ones(2, 2), torch.ones(2, 3)]))
case("cat of nothing")(lambda: torch.cat([]))
case("stack of different sizes")(lambda: torch.stack([torch.ones(2), torch.ones(3)]))
case("stack of nothing")(lambda: torch.stack([]))
case("cat of mixed dtypes")(lambda: torch.cat([torch.ones(2), torch.ones(2, dtype=torch.long)]))
case("to(int8) of 300.")(lambda: torch.tensor([300., -300.]).to(torch.int8))
case("to(uint8) of -1")(lambda: torch.tensor([-1, 256]).to(torch.uint8))
case("to(int16) of 40000")(lambda: torch.tensor([40000]).to(torch.int16))
case("to(bool) of nan")(lambda: torch.tensor([float("nan"), 0.]).bool())
case("to(float16) of 1e5")(lambda: torch.tensor([1e5, 65519.]).half())
case("item of two elements")(lambda: torch.ones(2).item())
case("item of nothing")(lambda: torch.ones(0).item())
case("index_select float index")(lambda: torch.ones(3).index_select(0, torch.tensor([0.])))
case("index_select int32 index")(lambda: torch.arange(3.).index_select(0, torch.tensor([2], dtype=torch.int32)))
case("index_select 2-d index")(lambda: torch.ones(3).index_select(0, torch.tensor([[0]])))
case("index_add float index")(lambda: torch.zeros(3).index_add(0, torch.tensor([0.]), torch.ones(1)))
case("index_add source of another dtype")(lambda: torch.zeros(3).index_add(0, L(0), torch.ones(1, dtype=torch.float64)))
case("index_copy int32 index")(lambda: torch.zeros(3).index_copy(0, torch.tensor([0], dtype=torch.int32), torch.ones(1)))
case("index_fill float index")(lambda: torch.zeros(3).index_fill(0, torch.tensor([0.]), 1.))
case("take float index")(lambda: torch.take(torch.ones(3), torch.tensor([0.])))
case("take int32 index")(lambda: torch.take(torch.arange(3.), torch.tensor([1], dtype=torch.int32)))
case("masked_select long mask")(lambda: torch.ones(3).masked_select(torch.tensor([1, 0, 1])))
case("masked_scatter long mask")(lambda: torch.ones(3).masked_scatter(torch.tensor([1, 0, 1]), torch.zeros(3)))
case("gather int32 index")(lambda: torch.arange(3.).gather(0, torch.tensor([2], dtype=torch.int32)))
case("scatter src of another dtype")(lambda: torch.zeros(3).scatter(0, L(0), torch.ones(1, dtype=torch.float64)))
case("scatter_add src of another dtype")(lambda: torch.zeros(3).scatter_add(0, L(0), torch.ones(1, dtype=torch.float64)))
case("index by a float tensor")(lambda: torch.ones(3)[torch.tensor([0.])])
case("index by an int32 tensor")(lambda: torch.arange(3.)[torch.tensor([2], dtype=torch.int32)])
case("index out of range")(lambda: torch.ones(3)[torch.tensor([3])])
case("index by a bool mask of another size")(lambda: torch.ones(3)[torch.tensor([True, False])])
case("index_put_ of another dtype")(lambda: torch.zeros(3).index_put_((L(0),), torch.ones(1, dtype=torch.float64)))
case("index_put_ out of range")(lambda: torch.zeros(3).index_put_((L(3),), torch.ones(1)))
case("nonzero of nothing")(lambda: torch.zeros(0).nonzero())
case("bincount negative")(lambda: torch.bincount(torch.tensor([-1, 2])))
case("bincount of floats")(lambda: torch.bincount(torch.tensor([1., 2.])))
case("bincount weights of another size")(lambda: torch.bincount(L(1, 2), torch.ones(3)))
case("one_hot negative")(lambda: F.one_hot(L(-1, 2)))
case("one_hot out of range")(lambda: F.one_hot(L(1, 3), 3))
case("one_hot of floats")(lambda: F.one_hot(torch.tensor([1., 2.])))
case("multinomial negative")(lambda: torch.multinomial(torch.tensor([-1., 2.]), 1))
case("multinomial too many without replacement")(lambda: torch.multinomial(torch.tensor([1., 2.]), 3))
case("multinomial of zeros")(lambda: torch.multinomial(torch.zeros(2), 1))
case("bernoulli p > 1")(lambda: torch.bernoulli(torch.tensor([1.5])))
case("normal negative std")(lambda: torch.normal(0., -1., (2,)))
case("uniform_ from > to")(lambda: torch.zeros(2).uniform_(1, 0))
case("topk k too large")(lambda: torch.ones(3).topk(4))
case("kthvalue k out of range")(lambda: torch.ones(3).kthvalue(4))
case("cumsum dim out of range")(lambda: torch.ones(3).cumsum(1))
case("sort dim out of range")(lambda: torch.ones(3).sort(2))
case("flatten start after end")(lambda: torch.ones(2, 3).flatten(1, 0))
case("roll shifts and dims of different lengths")(lambda: torch.ones(3).roll((1, 2), (0,)))
case("diag of 3 dims")(lambda: torch.ones(2, 2, 2).diag())
case("trace of 3 dims")(lambda: torch.ones(2, 2, 2).trace())
case("tril of 1 dim")(lambda: torch.ones(2).tril())
case("matmul of 0-d")(lambda: torch.matmul(torch.tensor(1.), torch.ones(2)))
case("mm of a vector")(lambda: torch.mm(torch.ones(2), torch.ones(2, 2)))
case("mm of mismatched dtypes")(lambda: torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64)))
case("matmul of mismatched dtypes")(lambda: torch.matmul(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64)))
case("matmul of mismatched sizes")(lambda: torch.matmul(torch.ones(4, 3), torch.ones(5, 2)))
case("matmul of a vector and a mismatched matrix")(lambda: torch.matmul(torch.ones(3), torch.ones(4, 2)))
case("bmm of 2 dims")(lambda: torch.bmm(torch.ones(2, 2), torch.ones(2, 2)))
case("einsum wrong operand count")(lambda: torch.einsum("ij,jk->ik", torch.ones(2, 2)))
case("einsum wrong subscripts")(lambda: torch.einsum("ij->ij", torch.ones(2, 2, 2)))
case("where of mismatched shapes")(lambda: torch.where(torch.tensor([True, False]), torch.ones(3), torch.zeros(3)))
case("clamp min > max")(lambda: torch.clamp(torch.arange(3.), 2, 1))
case("clamp of nothing")(lambda: torch.clamp(torch.arange(3.)))
case("pow of integers to a negative power")(lambda: torch.pow(L(2), -1))
case("integer division by zero")(lambda: torch.div(L(2), 0, rounding_mode="floor"))
case("remainder by integer zero")(lambda: torch.remainder(L(2), 0))
case("bitwise_and of floats")(lambda: torch.bitwise_and(torch.ones(2), torch.ones(2)))
case("logical ops of mixed shapes")(lambda: torch.logical_and(torch.ones(2), torch.ones(3)))
case("add of mismatched shapes")(lambda: torch.ones(3) + torch.ones(4))
case("add_ broadcasting self")(lambda: torch.ones(3).add_(torch.ones(2, 3)))
case("add_ of float to long")(lambda: torch.ones(3, dtype=torch.long).add_(1.5))
case("mul_ of float to bool")(lambda: torch.ones(3, dtype=torch.bool).mul_(torch.ones(3)))
case("sum of a dim twice")(lambda: torch.ones(2, 2).sum((0, 0)))
case("mean of bool")(lambda: torch.ones(2, dtype=torch.bool).mean())
case("std of long")(lambda: torch.ones(2, dtype=torch.long).std())
case("var correction too large")(lambda: torch.ones(2).var(correction=3))
case("max of nothing")(lambda: torch.zeros(0).max())
case("min over an empty dim")(lambda: torch.zeros(0, 2).min(0))
case("median of nothing")(lambda: torch.zeros(0).median())
case("prod of bool")(lambda: torch.tensor([True, True]).prod())
case("quantile q out of range")(lambda: torch.quantile(torch.ones(3), 1.5))
case("quantile of long")(lambda: torch.quantile(L(1, 2), 0.5))
case("histc of long")(lambda: torch.histc(L(1, 2)))
case("histc min > max")(lambda: torch.histc(torch.ones(2), 2, 3, 1))
case("searchsorted of unsorted dims")(lambda: torch.searchsorted(torch.ones(2, 3), torch.ones(3, 1)))
case("cdist of mismatched columns")(lambda: torch.cdist(torch.ones(2, 3), torch.ones(2, 4)))
case("cross of size 2")(lambda: torch.linalg.cross(torch.ones(2), torch.ones(2)))
case("dist of mismatched shapes")(lambda: torch.dist(torch.ones(2), torch.ones(3)))
case("allclose of mismatched shapes")(lambda: torch.allclose(torch.ones(2), torch.ones(3)))
case("isclose of mismatched dtypes")(lambda: torch.isclose(torch.ones(2), L(1, 1)))
case("equal of mismatched dtypes")(lambda: torch.equal(torch.ones(2), L(1, 1)))
case("backward of a non-scalar")(lambda: (torch.ones(2, requires_grad=True) * 2).backward())
case("backward without grad")(lambda: torch.ones(2).sum().backward())
case("backward twice")(lambda: (lambda y: (y.backward(), y.backward()))((torch.ones(2, requires_grad=True) * torch.ones(2, requires_grad=True)).sum()))
case("in-place on a leaf requiring grad")(lambda: torch.ones(2, requires_grad=True).add_(1))
case("requires_grad_ on a non-leaf to False")(lambda: (torch.ones(2, requires_grad=True) * 2).requires_grad_(False))
case("grad of a non-scalar")(lambda: torch.autograd.grad(torch.ones(2, requires_grad=True) * 2, torch.ones(2, requires_grad=True)))

# ---- nn: layers given the wrong shapes and dtypes, losses, optimizers, DataLoader, state dicts ----


def seeded(f):
    torch.manual_seed(0)
    return f()


lin = lambda: seeded(lambda: nn.Linear(3, 2))  # noqa: E731
case("Linear of the wrong features")(lambda: lin()(torch.ones(4, 5)))
case("Linear of a vector of the wrong size")(lambda: lin()(torch.ones(5)))
case("Linear of a 0-d tensor")(lambda: lin()(torch.tensor(1.)))
case("Linear of double")(lambda: lin()(torch.ones(4, 3, dtype=torch.float64)))
case("Linear of long")(lambda: lin()(torch.ones(4, 3, dtype=torch.long)))
case("Linear(0, 2) forward")(lambda: seeded(lambda: nn.Linear(0, 2))(torch.ones(1, 0)))
case("Bilinear of the wrong features")(lambda: seeded(lambda: nn.Bilinear(2, 3, 4))(torch.ones(5, 2), torch.ones(5, 2)))
case("Conv2d of the wrong channels")(lambda: seeded(lambda: nn.Conv2d(1, 4, 3))(torch.ones(1, 3, 8, 8)))
case("Conv2d of 2 dims")(lambda: seeded(lambda: nn.Conv2d(1, 4, 3))(torch.ones(8, 8)))
case("Conv2d of 5 dims")(lambda: seeded(lambda: nn.Conv2d(1, 4, 3))(torch.ones(1, 1, 1, 8, 8)))
case("Conv2d input smaller than the kernel")(lambda: seeded(lambda: nn.Conv2d(1, 4, 3))(torch.ones(1, 1, 2, 2)))
case("Conv2d of double")(lambda: seeded(lambda: nn.Conv2d(1, 4, 3))(torch.ones(1, 1, 4, 4, dtype=torch.float64)))
case("Conv2d groups not dividing in_channels")(lambda: nn.Conv2d(3, 4, 3, groups=2))
case("Conv2d groups not dividing out_channels")(lambda: nn.Conv2d(4, 3, 3, groups=2))
case("Conv2d zero groups")(lambda: nn.Conv2d(4, 4, 3, groups=0))
case("Conv2d negative padding")(lambda: seeded(lambda: nn.Conv2d(1, 1, 3, padding=-1))(torch.ones(1, 1, 5, 5)))
case("Conv2d zero stride")(lambda: seeded(lambda: nn.Conv2d(1, 1, 3, stride=0))(torch.ones(1, 1, 5, 5)))
case("Conv2d padding same with stride")(lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same"))
case("Conv1d of 4 dims")(lambda: seeded(lambda: nn.Conv1d(1, 2, 3))(torch.ones(1, 1, 5, 5)))
case("ConvTranspose2d output_padding too large")(lambda: seeded(lambda: nn.ConvTranspose2d(1, 1, 3, stride=1, output_padding=1))(torch.ones(1, 1, 4, 4)))
case("MaxPool2d kernel too large")(lambda: nn.MaxPool2d(5)(torch.ones(1, 1, 3, 3)))
case("MaxPool2d padding too large")(lambda: nn.MaxPool2d(2, padding=2)(torch.ones(1, 1, 4, 4)))
case("MaxPool2d of 2 dims")(lambda: nn.MaxPool2d(2)(torch.ones(4, 4)))
case("AvgPool2d kernel too large")(lambda: nn.AvgPool2d(5)(torch.ones(1, 1, 3, 3)))
case("AvgPool2d of long")(lambda: nn.AvgPool2d(2)(torch.ones(1, 1, 4, 4, dtype=torch.long)))
case("MaxPool1d stride 0")(lambda: nn.MaxPool1d(2, stride=0)(torch.ones(1, 1, 4)))
case("AdaptiveAvgPool2d of 5 dims")(lambda: nn.AdaptiveAvgPool2d(2)(torch.ones(1, 1, 1, 4, 4)))
case("BatchNorm1d of the wrong features")(lambda: nn.BatchNorm1d(3)(torch.ones(4, 5)))
case("BatchNorm2d of 3 dims")(lambda: nn.BatchNorm2d(3)(torch.ones(3, 4, 4)))
case("BatchNorm1d of one value per channel")(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)))
case("BatchNorm2d of the wrong channels")(lambda: nn.BatchNorm2d(3)(torch.ones(2, 4, 2, 2)))
case("LayerNorm of the wrong shape")(lambda: nn.LayerNorm(4)(torch.ones(2, 3)))
case("LayerNorm of the wrong trailing shape")(lambda: nn.LayerNorm([2, 3])(torch.ones(3, 2)))
case("GroupNorm of the wrong channels")(lambda: nn.GroupNorm(2, 4)(torch.ones(2, 6, 3)))
case("InstanceNorm1d of 2 dims, affine")(lambda: nn.InstanceNorm1d(3, affine=True)(torch.ones(3, 5))[0])
case("Embedding of floats")(lambda: seeded(lambda: nn.Embedding(5, 2))(torch.tensor([1.])))
case("Embedding index out of range")(lambda: seeded(lambda: nn.Embedding(5, 2))(L(5)))
case("Embedding padding_idx out of range")(lambda: nn.Embedding(5, 2, padding_idx=5))
case("Embedding negative padding_idx out of range")(lambda: nn.Embedding(5, 2, padding_idx=-6))
case("Embedding.from_pretrained of a vector")(lambda: nn.Embedding.from_pretrained(torch.ones(3)))
case("LSTM of the wrong input size")(lambda: seeded(lambda: nn.LSTM(4, 3))(torch.ones(2, 1, 5)))
case("LSTM of 4 dims")(lambda: seeded(lambda: nn.LSTM(4, 3))(torch.ones(2, 1, 1, 4)))
case("LSTM hidden of the wrong size")(lambda: seeded(lambda: nn.LSTM(4, 3))(torch.ones(2, 1, 4), (torch.zeros(1, 1, 2), torch.zeros(1, 1, 3))))
case("LSTM hidden of the wrong batch")(lambda: seeded(lambda: nn.LSTM(4, 3))(torch.ones(2, 1, 4), (torch.zeros(1, 2, 3), torch.zeros(1, 2, 3))))
case("GRU hidden of the wrong layers")(lambda: seeded(lambda: nn.GRU(4, 3))(torch.ones(2, 1, 4), torch.zeros(2, 1, 3)))
case("RNN of double")(lambda: seeded(lambda: nn.RNN(4, 3))(torch.ones(2, 1, 4, dtype=torch.float64)))
case("RNN bad nonlinearity")(lambda: nn.RNN(4, 3, nonlinearity="sigmoid"))
case("LSTM dropout out of range")(lambda: nn.LSTM(4, 3, dropout=1.5))
case("LSTM proj_size too large")(lambda: nn.LSTM(4, 3, proj_size=3))
case("LSTMCell of the wrong input size")(lambda: seeded(lambda: nn.LSTMCell(4, 3))(torch.ones(2, 5)))
case("MultiheadAttention embed_dim not divisible")(lambda: nn.MultiheadAttention(5, 2))
case("TransformerEncoderLayer of the wrong d_model")(lambda: seeded(lambda: nn.TransformerEncoderLayer(4, 2, 8, dropout=0.))(torch.ones(3, 1, 5)))
case("Dropout p out of range")(lambda: nn.Dropout(1.5))
case("Dropout negative p")(lambda: F.dropout(torch.ones(2), -0.1))
case("Flatten of a dim out of range")(lambda: nn.Flatten(2)(torch.ones(2, 3)))
case("Unflatten sizes of the wrong product")(lambda: nn.Unflatten(1, (2, 2))(torch.ones(2, 6)))
case("Softmax dim out of range")(lambda: nn.Softmax(2)(torch.ones(2, 3)))
case("PixelShuffle channels not divisible")(lambda: nn.PixelShuffle(2)(torch.ones(1, 3, 2, 2)))
case("Upsample no size or scale")(lambda: nn.Upsample()(torch.ones(1, 1, 2, 2)))
case("interpolate size of the wrong length")(lambda: F.interpolate(torch.ones(1, 1, 2, 2), size=[3]))
case("interpolate bad mode")(lambda: F.interpolate(torch.ones(1, 1, 2, 2), scale_factor=2, mode="cubic"))
case("interpolate bilinear of 3 dims")(lambda: F.interpolate(torch.ones(1, 1, 2), scale_factor=2, mode="bilinear"))
case("pad of too many values")(lambda: F.pad(torch.ones(2), (1, 1, 1, 1)))
case("pad of an odd count")(lambda: F.pad(torch.ones(2, 2), (1,)))
case("pad reflect too large")(lambda: F.pad(torch.ones(1, 1, 2), (2, 2), mode="reflect"))
case("pad bad mode")(lambda: F.pad(torch.ones(1, 1, 2), (1, 1), mode="wrap"))
case("mse_loss of different shapes")(lambda: F.mse_loss(torch.zeros(2, 1), torch.ones(2)))
case("mse_loss of mismatched dtypes")(lambda: F.mse_loss(torch.zeros(2), torch.ones(2, dtype=torch.float64)))
case("mse_loss bad reduction")(lambda: F.mse_loss(torch.zeros(2), torch.ones(2), reduction="avg"))
case("l1_loss of shapes that do not broadcast")(lambda: F.l1_loss(torch.zeros(2), torch.ones(3)))
case("cross_entropy of a float target of another shape")(lambda: F.cross_entropy(torch.zeros(2, 3), torch.ones(2)))
case("cross_entropy of an int32 target")(lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1], dtype=torch.int32)))
case("cross_entropy target out of range")(lambda: F.cross_entropy(torch.zeros(2, 3), L(0, 3)))
case("cross_entropy negative target")(lambda: F.cross_entropy(torch.zeros(2, 3), L(0, -2)))
case("cross_entropy of mismatched batch")(lambda: F.cross_entropy(torch.zeros(2, 3), L(0, 1, 2)))
case("cross_entropy of a long input")(lambda: F.cross_entropy(torch.zeros(2, 3, dtype=torch.long), L(0, 1)))
case("cross_entropy weight of the wrong size")(lambda: F.cross_entropy(torch.zeros(2, 3), L(0, 1), weight=torch.ones(2)))
case("cross_entropy label_smoothing out of range")(lambda: F.cross_entropy(torch.zeros(2, 3), L(0, 1), label_smoothing=1.5))
case("nll_loss of a float target")(lambda: F.nll_loss(torch.zeros(2, 3), torch.zeros(2)))
case("nll_loss target out of range")(lambda: F.nll_loss(torch.zeros(2, 3), L(0, 3)))
case("nll_loss of 1 dim input")(lambda: F.nll_loss(torch.zeros(3), L(0)))
case("nll_loss of mismatched batch")(lambda: F.nll_loss(torch.zeros(2, 3), L(0)))
case("binary_cross_entropy of different shapes")(lambda: F.binary_cross_entropy(torch.full((2, 1), 0.5), torch.ones(2)))
case("binary_cross_entropy input out of range")(lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.ones(1)))
case("binary_cross_entropy of a long target")(lambda: F.binary_cross_entropy(torch.tensor([0.5]), L(1)))
case("binary_cross_entropy_with_logits of different shapes")(lambda: F.binary_cross_entropy_with_logits(torch.zeros(2, 1), torch.ones(2)))
case("binary_cross_entropy_with_logits of a long target")(lambda: F.binary_cross_entropy_with_logits(torch.zeros(2), L(1, 0)))
case("kl_div of different shapes")(lambda: F.kl_div(torch.zeros(2, 1), torch.ones(2), reduction="batchmean"))
case("smooth_l1_loss negative beta")(lambda: F.smooth_l1_loss(torch.zeros(2), torch.ones(2), beta=-1.))
case("huber_loss negative delta")(lambda: F.huber_loss(torch.zeros(2), torch.ones(2), delta=-1.))
case("margin_ranking_loss of mismatched sizes")(lambda: F.margin_ranking_loss(torch.zeros(2), torch.zeros(3), torch.ones(2)))
case("cosine_similarity of mismatched sizes")(lambda: F.cosine_similarity(torch.ones(2, 3), torch.ones(2, 4)))
case("gaussian_nll_loss negative var")(lambda: F.gaussian_nll_loss(torch.zeros(2), torch.ones(2), -torch.ones(2)))
case("poisson_nll_loss of different shapes")(lambda: F.poisson_nll_loss(torch.zeros(2, 1), torch.ones(2)))
case("triplet_margin_loss of mismatched dims")(lambda: F.triplet_margin_loss(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3)))
case("softmax of no dim")(lambda: F.softmax(torch.ones(2, 3)))
case("log_softmax of no dim")(lambda: F.log_softmax(torch.ones(3)))
case("normalize of a dim out of range")(lambda: F.normalize(torch.ones(3), dim=1))
case("linear bias of another dtype")(lambda: F.linear(torch.ones(2, 3), torch.ones(4, 3), torch.ones(4, dtype=torch.float64)))
case("embedding of floats")(lambda: F.embedding(torch.tensor([1.]), torch.ones(5, 2)))
case("F.relu of bool")(lambda: F.relu(torch.tensor([True])))
case("gelu bad approximate")(lambda: F.gelu(torch.ones(2), approximate="fast"))
case("leaky_relu of long")(lambda: F.leaky_relu(L(1, -1)))
case("elu of long")(lambda: F.elu(L(1, -1)))
case("glu of an odd dim")(lambda: F.glu(torch.ones(3)))
case("glu of a 0-d tensor")(lambda: F.glu(torch.tensor(1.)))

case("nll_loss of 1 dim input and a target of one")(lambda: F.nll_loss(torch.tensor([1., 2., 3.]), L(2), reduction='none'))
case("nll_loss of 1 dim input and a target of two")(lambda: F.nll_loss(torch.tensor([1., 2., 3.]), L(2, 1)))
case("cross_entropy of 1 dim input and a target of one")(lambda: F.cross_entropy(torch.tensor([1., 2., 3.]), L(2)))
case("avg_pool2d of long")(lambda: F.avg_pool2d(torch.arange(16).reshape(1, 1, 4, 4), 2, divisor_override=3))
case("avg_pool2d of long, negative, padded")(lambda: F.avg_pool2d(torch.tensor([[[[-1, -2, 5], [0, 0, 7], [1, -9, 2]]]]), 2, padding=1))
case("avg_pool1d of long")(lambda: F.avg_pool1d(torch.tensor([[[5, 2, -7, 0]]]), 2))
case("avg_pool2d of int32")(lambda: F.avg_pool2d(torch.ones(1, 1, 2, 2, dtype=torch.int32), 2))
case("adaptive_avg_pool2d of long")(lambda: F.adaptive_avg_pool2d(torch.arange(16).reshape(1, 1, 4, 4), 2))
case("binary_cross_entropy of a double target")(lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.], dtype=torch.float64)))
case("binary_cross_entropy of a double input")(lambda: F.binary_cross_entropy(torch.tensor([0.5], dtype=torch.float64), torch.tensor([1.])))
case("binary_cross_entropy of a long input")(lambda: F.binary_cross_entropy(L(1, 0), L(1, 0)))
case("binary_cross_entropy weight of double")(lambda: F.binary_cross_entropy(torch.tensor([0.25]), torch.tensor([1.]), weight=torch.ones(1, dtype=torch.float64)))
case("binary_cross_entropy_with_logits of a bool target")(lambda: F.binary_cross_entropy_with_logits(torch.zeros(2), torch.tensor([True, False])))
case("binary_cross_entropy_with_logits of a double target")(lambda: F.binary_cross_entropy_with_logits(torch.zeros(2), torch.tensor([1., 0.], dtype=torch.float64)))
case("binary_cross_entropy_with_logits of a double input")(lambda: F.binary_cross_entropy_with_logits(torch.tensor([0.5, -1.], dtype=torch.float64), torch.tensor([1., 0.])))
case("binary_cross_entropy_with_logits pos_weight of double")(lambda: F.binary_cross_entropy_with_logits(torch.tensor([0.5, -1.]), torch.tensor([1., 0.]), pos_weight=torch.full((2,), 2., dtype=torch.float64)))
case("binary_cross_entropy_with_logits weight of double")(lambda: F.binary_cross_entropy_with_logits(torch.tensor([0.5, -1.]), torch.tensor([1., 0.]), weight=torch.full((2,), 2., dtype=torch.float64)))
case("binary_cross_entropy_with_logits of a long input")(lambda: F.binary_cross_entropy_with_logits(torch.zeros(2, dtype=torch.long), torch.tensor([1., 0.])))
case("mse_loss of a long target")(lambda: F.mse_loss(torch.zeros(2), L(1, 0)))
case("mse_loss of longs")(lambda: F.mse_loss(L(1, 0), L(1, 0)))
case("mse_loss of bools")(lambda: F.mse_loss(torch.tensor([True]), torch.tensor([False])))
case("l1_loss of longs")(lambda: F.l1_loss(L(1, 0), L(1, 0)))
case("smooth_l1_loss of longs")(lambda: F.smooth_l1_loss(L(1, 0), L(1, 3)))
case("huber_loss of longs")(lambda: F.huber_loss(L(1, 0), L(1, 3)))
case("huber_loss of a long target")(lambda: F.huber_loss(torch.zeros(2), L(1, 0)))
case("kl_div of a long target")(lambda: F.kl_div(torch.zeros(2), L(1, 0), reduction='sum'))

# ---- optimizers' hyperparameters and parameters, DataLoader's arguments, state dicts ----


def w2():
    return [torch.ones(2, requires_grad=True)]


case("SGD lr -1")(lambda: torch.optim.SGD(w2(), lr=-1))
case("SGD momentum -0.5")(lambda: torch.optim.SGD(w2(), lr=0.1, momentum=-0.5))
case("SGD weight_decay -1")(lambda: torch.optim.SGD(w2(), lr=0.1, weight_decay=-1))
case("SGD nesterov without momentum")(lambda: torch.optim.SGD(w2(), lr=0.1, nesterov=True))
case("SGD nesterov with dampening")(lambda: torch.optim.SGD(w2(), lr=0.1, momentum=0.9, dampening=0.1, nesterov=True))
case("SGD of an empty list")(lambda: torch.optim.SGD([], lr=0.1))
case("SGD of a tensor")(lambda: torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1))
case("SGD of a non-leaf")(lambda: torch.optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1))
case("SGD of a parameter twice")(lambda: (lambda p: len(torch.optim.SGD([p, p], lr=0.1).param_groups[0]["params"]))(torch.ones(2, requires_grad=True)))
case("SGD of a parameter in two groups")(lambda: (lambda p: torch.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))(torch.ones(2, requires_grad=True)))
case("SGD group without params")(lambda: torch.optim.SGD([{"lr": 0.1}], lr=0.1))
case("SGD of a list with a number")(lambda: torch.optim.SGD([torch.ones(2, requires_grad=True), 1.5], lr=0.1))
case("Adam lr -0.001")(lambda: torch.optim.Adam(w2(), lr=-0.001))
case("Adam beta1 1")(lambda: torch.optim.Adam(w2(), betas=(1, 0.999)))
case("Adam beta2 -0.1")(lambda: torch.optim.Adam(w2(), betas=(0.9, -0.1)))
case("Adam eps -1e-8")(lambda: torch.optim.Adam(w2(), eps=-1e-8))
case("Adam weight_decay -0.1")(lambda: torch.optim.Adam(w2(), weight_decay=-0.1))
case("AdamW lr -1")(lambda: torch.optim.AdamW(w2(), lr=-1))
case("AdamW betas 1.5")(lambda: torch.optim.AdamW(w2(), betas=(0.9, 1.5)))
case("RMSprop alpha -1")(lambda: torch.optim.RMSprop(w2(), alpha=-1))
case("RMSprop momentum -1")(lambda: torch.optim.RMSprop(w2(), momentum=-1))
case("Adagrad lr_decay -1")(lambda: torch.optim.Adagrad(w2(), lr_decay=-1))
case("Adagrad initial_accumulator_value -1")(lambda: torch.optim.Adagrad(w2(), initial_accumulator_value=-1))
case("Adadelta rho 1.5")(lambda: torch.optim.Adadelta(w2(), rho=1.5))
case("Adamax betas 1")(lambda: torch.optim.Adamax(w2(), betas=(1, 0.9)))
case("NAdam momentum_decay -1")(lambda: torch.optim.NAdam(w2(), momentum_decay=-1))
case("RAdam eps -1")(lambda: torch.optim.RAdam(w2(), eps=-1))
case("LBFGS lr -1")(lambda: torch.optim.LBFGS(w2(), lr=-1))
case("LBFGS of two groups")(lambda: torch.optim.LBFGS([{"params": w2()}, {"params": w2()}]))


def step_with(opt_fn, grad):
    p = torch.ones(2, requires_grad=True)
    opt = opt_fn([p])
    p.grad = grad
    opt.step()
    return p


case("SGD step")(lambda: step_with(lambda ps: torch.optim.SGD(ps, lr=0.1), torch.ones(2)))
case("Adam step without grads")(lambda: (lambda p: (torch.optim.Adam([p]).step(), p)[1])(torch.ones(2, requires_grad=True)))
case("SGD load_state_dict of another group count")(lambda: torch.optim.SGD(w2(), lr=0.1).load_state_dict({"state": {}, "param_groups": []}))
case("SGD load_state_dict of another group size")(lambda: torch.optim.SGD(w2(), lr=0.1).load_state_dict(torch.optim.SGD(w2() + w2(), lr=0.1).state_dict()))
case("add_param_group of a parameter already there")(lambda: (lambda p: torch.optim.SGD([p], lr=0.1).add_param_group({"params": [p]}))(torch.ones(2, requires_grad=True)))
case("StepLR of a non-optimizer")(lambda: torch.optim.lr_scheduler.StepLR(w2(), 1))
case("OneCycleLR without total_steps")(lambda: torch.optim.lr_scheduler.OneCycleLR(torch.optim.SGD(w2(), lr=0.1), max_lr=0.1))
case("OneCycleLR stepped past total_steps")(lambda: (lambda s: [s.optimizer.step() or s.step() for _ in range(3)])(torch.optim.lr_scheduler.OneCycleLR(torch.optim.SGD(w2(), lr=0.1), max_lr=0.1, total_steps=2)))
case("ReduceLROnPlateau factor 1")(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(torch.optim.SGD(w2(), lr=0.1), factor=1.0))
case("ReduceLROnPlateau bad mode")(lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(torch.optim.SGD(w2(), lr=0.1), mode="maximum"))
case("CosineAnnealingWarmRestarts T_0 0")(lambda: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(torch.optim.SGD(w2(), lr=0.1), T_0=0))
case("LambdaLR of the wrong count")(lambda: torch.optim.lr_scheduler.LambdaLR(torch.optim.SGD(w2(), lr=0.1), [lambda e: 1.0, lambda e: 1.0]))
case("clip_grad_norm_ of a nonfinite norm")(lambda: (lambda p: (setattr(p, "grad", torch.tensor([float("inf"), 1.])), nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)))(torch.ones(2, requires_grad=True)))

from torch.utils.data import DataLoader, TensorDataset, RandomSampler  # noqa: E402
ds = lambda: TensorDataset(torch.arange(6.), torch.arange(6))  # noqa: E731
case("DataLoader batch_size 0")(lambda: DataLoader(ds(), batch_size=0))
case("DataLoader batch_size -1")(lambda: DataLoader(ds(), batch_size=-1))
case("DataLoader batch_size 1.5")(lambda: DataLoader(ds(), batch_size=1.5))
case("DataLoader num_workers -1")(lambda: DataLoader(ds(), num_workers=-1))
case("DataLoader timeout -1")(lambda: DataLoader(ds(), timeout=-1))
case("DataLoader sampler and shuffle")(lambda: DataLoader(ds(), sampler=RandomSampler(ds()), shuffle=True))
case("DataLoader batch_sampler and batch_size")(lambda: DataLoader(ds(), batch_sampler=[[0, 1]], batch_size=2))
case("DataLoader batch_sampler and drop_last")(lambda: DataLoader(ds(), batch_sampler=[[0, 1]], drop_last=True))
case("DataLoader batch_sampler and shuffle")(lambda: DataLoader(ds(), batch_sampler=[[0, 1]], shuffle=True))
case("DataLoader prefetch_factor without workers")(lambda: DataLoader(ds(), prefetch_factor=2))
case("DataLoader persistent_workers without workers")(lambda: DataLoader(ds(), persistent_workers=True))
case("DataLoader batch_size None")(lambda: next(iter(DataLoader(ds(), batch_size=None))))
case("DataLoader drop_last length")(lambda: len(DataLoader(ds(), batch_size=4, drop_last=True)))
case("DataLoader of an index out of range")(lambda: next(iter(DataLoader(ds(), sampler=[7]))))
case("TensorDataset of mismatched sizes")(lambda: TensorDataset(torch.ones(3), torch.ones(4)))
case("TensorDataset index out of range")(lambda: ds()[6])
case("random_split lengths not summing")(lambda: torch.utils.data.random_split(ds(), [2, 3]))
case("random_split fractions not summing")(lambda: torch.utils.data.random_split(ds(), [0.5, 0.6]))
case("Subset index out of range")(lambda: torch.utils.data.Subset(ds(), [7])[0])
case("RandomSampler num_samples 0")(lambda: RandomSampler(ds(), num_samples=0))
case("RandomSampler replacement not bool")(lambda: RandomSampler(ds(), replacement=1))
case("BatchSampler batch_size 0")(lambda: torch.utils.data.BatchSampler(range(4), 0, False))
case("default_collate of mixed types")(lambda: torch.utils.data.default_collate([torch.ones(2), torch.ones(3)]))

case("load_state_dict missing key")(lambda: lin().load_state_dict({"weight": torch.ones(2, 3)}))
case("load_state_dict unexpected key")(lambda: lin().load_state_dict({"weight": torch.ones(2, 3), "bias": torch.ones(2), "scale": torch.ones(1)}))
case("load_state_dict size mismatch")(lambda: lin().load_state_dict({"weight": torch.ones(3, 3), "bias": torch.ones(2)}))
case("load_state_dict every error")(lambda: seeded(lambda: nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))).load_state_dict({"0.weight": torch.ones(2, 4), "2.bias": torch.ones(1), "1.weight": torch.ones(1)}))
case("load_state_dict not strict")(lambda: str(lin().load_state_dict({"weight": torch.ones(2, 3), "extra": torch.ones(1)}, strict=False)))
case("load_state_dict not strict, size mismatch")(lambda: lin().load_state_dict({"weight": torch.ones(3, 3)}, strict=False))
case("load_state_dict of a number")(lambda: lin().load_state_dict({"weight": 1.5, "bias": torch.ones(2)}))
case("load_state_dict of a tensor")(lambda: lin().load_state_dict(torch.ones(2)))
case("load_state_dict of long values")(lambda: (lambda m: (m.load_state_dict({"weight": torch.ones(2, 3, dtype=torch.long), "bias": torch.ones(2, dtype=torch.long)}), m.weight)[1])(lin()))
case("load_state_dict of a BatchNorm without running stats")(lambda: nn.BatchNorm1d(2).load_state_dict({"weight": torch.ones(2), "bias": torch.ones(2)}))
case("load_state_dict of a BatchNorm, num_batches_tracked missing")(lambda: (lambda m: (m.load_state_dict({"weight": torch.ones(2), "bias": torch.ones(2), "running_mean": torch.ones(2), "running_var": torch.ones(2)}), m.num_batches_tracked)[1])(nn.BatchNorm1d(2)))
case("register_parameter of a tensor")(lambda: nn.Module().register_parameter("w", torch.ones(2)))
case("register_parameter name with a dot")(lambda: nn.Module().register_parameter("a.b", None))
case("register_buffer of a number")(lambda: nn.Module().register_buffer("b", 1.5))
case("register_buffer of an empty name")(lambda: nn.Module().register_buffer("", None))
case("add_module of a non-module")(lambda: nn.Module().add_module("m", 1))
case("Module get_submodule missing")(lambda: nn.Sequential(nn.ReLU()).get_submodule("1"))
case("Module get_parameter missing")(lambda: nn.Linear(2, 2).get_parameter("scale"))
case("Sequential index out of range")(lambda: nn.Sequential(nn.ReLU())[1])
case("ModuleList index out of range")(lambda: nn.ModuleList([nn.ReLU()])[1])
case("ModuleDict missing key")(lambda: nn.ModuleDict({"a": nn.ReLU()})["b"])
case("ParameterList of a non-tensor")(lambda: nn.ParameterList([1.0]))
case("Module.to of a bad dtype")(lambda: nn.Linear(2, 2).to(torch.long))
case("Module forward not implemented")(lambda: nn.Module()(torch.ones(1)))

# ---- views, indexing, autograd's checks, devices and dtypes as arguments, distributions ----


def grad_shape():
    x = torch.ones(2, requires_grad=True)
    (x * 2).backward(torch.ones(3))


def modified_saved():
    x = torch.ones(2, requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def view_of_leaf_inplace():
    x = torch.ones(2, 2, requires_grad=True)
    x[0].add_(1)


def grad_of_unused():
    x, z = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    return torch.autograd.grad((x * 2).sum(), [x, z])


def nonleaf_grad():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    return y.grad


case("view of a transposed tensor")(lambda: torch.ones(2, 3).t().view(6))
case("view of a sliced tensor")(lambda: torch.ones(4, 4)[:, :2].view(8))
case("index with two ellipses")(lambda: torch.ones(2, 2)[..., ...])
case("too many indices")(lambda: torch.ones(2)[0, 0])
case("indexing tensors that do not broadcast")(lambda: torch.ones(3, 3)[L(0, 1), L(0, 1, 2)])
case("slice with step 0")(lambda: torch.ones(4)[::0])
case("slice with a negative step")(lambda: torch.ones(4)[::-1])
case("index_put_ values of the wrong shape")(lambda: torch.zeros(3).index_put_((L(0, 1),), torch.ones(3)))
case("index_put_ accumulate of the wrong shape")(lambda: torch.zeros(3).index_put_((L(0, 1),), torch.ones(3), accumulate=True))
case("setitem of the wrong shape")(lambda: torch.zeros(2, 3).__setitem__(0, torch.ones(2)))
case("repeat_interleave negative repeats")(lambda: torch.ones(2).repeat_interleave(L(-1, 1)))
case("repeat_interleave repeats of the wrong length")(lambda: torch.ones(2).repeat_interleave(L(1, 1, 1)))
case("unique dim out of range")(lambda: torch.ones(2).unique(dim=1))
case("cat dim out of range")(lambda: torch.cat([torch.ones(2), torch.ones(2)], 1))
case("stack dim out of range")(lambda: torch.stack([torch.ones(2), torch.ones(2)], 3))
case("flatten of a 0-d tensor")(lambda: torch.tensor(2.).flatten())
case("movedim out of range")(lambda: torch.ones(2, 3).movedim(0, 2))
case("diagonal of the same dims")(lambda: torch.ones(2, 2).diagonal(dim1=0, dim2=0))
case("backward with a gradient of another shape")(grad_shape)
case("backward after an in-place change of a saved tensor")(modified_saved)
case("in-place on a view of a leaf")(view_of_leaf_inplace)
case("grad of an unused input")(grad_of_unused)
case("grad of an input not requiring grad")(lambda: torch.autograd.grad((torch.ones(2, requires_grad=True) * 2).sum(), torch.ones(2)))
case(".grad of a non-leaf")(lambda: nonleaf_grad() is None)
case("backward of an integer tensor")(lambda: torch.ones(2, dtype=torch.long).sum().backward())
case("requires_grad of a long factory")(lambda: torch.zeros(2, dtype=torch.long, requires_grad=True))
case("retain_grad of a tensor without grad")(lambda: torch.ones(2).retain_grad())
case("register_hook of a tensor without grad")(lambda: torch.ones(2).register_hook(lambda g: g))
case("detach_ of a view created in no_grad")(lambda: torch.ones(2, requires_grad=True).detach()[0:1].detach_().shape[0])
case("zeros with a dtype string")(lambda: torch.zeros(2, dtype="float32"))
case("zeros with a device typo")(lambda: torch.zeros(2, device="gpu"))
case("to a device typo")(lambda: torch.ones(2).to("cpuu"))
case("to a dtype string")(lambda: torch.ones(2).to("float64"))
case("arange of bool")(lambda: torch.arange(3, dtype=torch.bool))
case("linspace of long")(lambda: torch.linspace(0, 1, 5, dtype=torch.long))
case("full of True")(lambda: torch.full((2,), True))
case("full of a float in long")(lambda: torch.full((2,), 1.7, dtype=torch.long))
case("manual_seed negative")(lambda: (torch.manual_seed(-1), torch.rand(2))[1])
case("Generator manual_seed negative")(lambda: torch.rand(2, generator=torch.Generator().manual_seed(-5)))
case("Normal negative scale")(lambda: torch.distributions.Normal(0., -1.))
case("Normal log_prob of another shape")(lambda: torch.distributions.Normal(torch.zeros(2), 1.).log_prob(torch.zeros(3)))
case("Bernoulli log_prob out of support")(lambda: torch.distributions.Bernoulli(0.5).log_prob(torch.tensor([2.])))
case("Bernoulli both probs and logits")(lambda: torch.distributions.Bernoulli(probs=0.5, logits=0.))
case("Categorical negative probs")(lambda: torch.distributions.Categorical(torch.tensor([-0.1, 1.1])))
case("Categorical of a 0-d tensor")(lambda: torch.distributions.Categorical(torch.tensor(1.)))
case("Uniform low > high")(lambda: torch.distributions.Uniform(1., 0.))
case("MultivariateNormal of a non-square covariance")(lambda: torch.distributions.MultivariateNormal(torch.zeros(2), torch.ones(2, 3)))
case("Normal without validation")(lambda: torch.distributions.Normal(0., -1., validate_args=False).log_prob(torch.tensor(0.)))
case("grid_sample batch sizes")(lambda: F.grid_sample(torch.ones(2, 1, 3, 3), torch.zeros(1, 2, 2, 2), align_corners=False))
case("grid_sample grid of the wrong last dim")(lambda: F.grid_sample(torch.ones(1, 1, 3, 3), torch.zeros(1, 2, 2, 3), align_corners=False))
case("affine_grid theta of the wrong shape")(lambda: F.affine_grid(torch.ones(1, 3, 3), [1, 1, 2, 2], align_corners=False))
case("affine_grid size of the wrong batch")(lambda: F.affine_grid(torch.ones(1, 2, 3), [2, 1, 2, 2], align_corners=False))
case("unfold (im2col) of 3 dims")(lambda: F.unfold(torch.ones(1, 3, 3), 2).shape[0])
case("fold output too small")(lambda: F.fold(torch.ones(1, 4, 4), (1, 1), 2))
case("embedding_bag offsets not starting at 0")(lambda: F.embedding_bag(L(0, 1, 2), torch.ones(3, 2), L(1, 2)))
case("scaled_dot_product_attention of mismatched dims")(lambda: F.scaled_dot_product_attention(torch.ones(1, 2, 3), torch.ones(1, 2, 4), torch.ones(1, 2, 4)))
case("pairwise_distance of mismatched sizes")(lambda: F.pairwise_distance(torch.ones(2, 3), torch.ones(2, 4)))
case("cosine_similarity dim out of range")(lambda: F.cosine_similarity(torch.ones(2), torch.ones(2), dim=1))
case("one_hot num_classes too small for an empty tensor")(lambda: F.one_hot(torch.zeros(0, dtype=torch.long)))


def strip_location(msg):
    return re.sub(r" \(Triggered internally at [^)]*\)$", "", msg)


def enc(v):
    if isinstance(v, torch.Tensor):
        return enc_tensor(v.detach())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (nn.Module, torch.device)):
        return repr(v)
    if isinstance(v, (bool, int, float, str)):  # (compared as str() gives them)
        return {"value": str(v)}
    raise TypeError(type(v))


def main():
    if int(torch.__version__.split(".")[0]) < 2:
        # (tools/gen_all_golden.sh runs every generator under Debian's 1.13: leave the file as is)
        print(f"skipped: the messages and out= rules are PyTorch 2.x's, this is {torch.__version__}")
        return
    golden = {}
    for name, f in CASES.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = f()
            except Exception as e:  # noqa: BLE001: the error is the golden value
                golden[name] = {"error": type(e).__name__, "message": str(e)}
                continue
        golden[name] = {"result": enc(result), "warnings": [strip_location(str(w.message)) for w in caught]}
    write_cases(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "bad_input.json"),
                "tools/gen_golden_bad_input.py", golden)


if __name__ == "__main__":
    main()
