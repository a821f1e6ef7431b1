"""Golden data for memory formats (test/memory_format.test.ts): the strides PyTorch 2.13 gives the
results of layout queries, copies, factories, elementwise ops and nn ops, and their values.

    /work/.venv-torch/bin/python tools/gen_golden_memory_format.py   # writes test/golden/memory_format.json

Inputs are built the same way on both sides by a small recipe: a row-major base of `shape` with
values ((7 k) mod 23 - 11) / 8 at flat index k (exact in every float dtype), then transforms:
  ["fmt", name]        x.contiguous(memory_format=torch.<name>)
  ["dense", perm]      x.permute(perm).contiguous().permute(inverse perm): dense in perm's order
  ["permute", perm]    x.permute(perm) (a view)
  ["slice", dim, step] x sliced along dim with that step (not dense)
  ["expand", sizes]    x.expand(sizes)
  ["dtype", name]      x.to(torch.<name>) (which keeps the layout)
Each case names an op of the table OPS (the TypeScript test has the same table), its inputs and
arguments, and records the result's shape, strides and values, or PyTorch's error; cases with
"grad" also record each input's gradient (strides and values) for a gradient of ones laid out by
the "gout" recipe.
"""
import json
import os
import sys

import numpy
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor  # noqa: E402

FMT = {"contiguous_format": torch.contiguous_format, "channels_last": torch.channels_last,
       "channels_last_3d": torch.channels_last_3d, "preserve_format": torch.preserve_format}


def make(spec, requires_grad=False):
    shape, steps = spec["shape"], spec.get("ops", [])
    n = 1
    for s in shape:
        n *= s
    x = (((torch.arange(n, dtype=torch.float64) * 7) % 23 - 11) / 8).float().reshape(shape)
    for st in steps:
        k = st[0]
        if k == "fmt":
            x = x.contiguous(memory_format=FMT[st[1]])
        elif k == "dense":
            inv = [st[1].index(i) for i in range(len(st[1]))]
            x = x.permute(st[1]).contiguous().permute(inv)
        elif k == "permute":
            x = x.permute(st[1])
        elif k == "slice":
            idx = [slice(None)] * x.dim()
            idx[st[1]] = slice(None, None, st[2])
            x = x[tuple(idx)]
        elif k == "expand":
            x = x.expand(st[1])
        elif k == "dtype":
            x = x.to(getattr(torch, st[1]))
    if requires_grad:
        x = x.detach().requires_grad_(True)
    return x


def fmt_arg(a):
    return FMT[a["fmt"]] if "fmt" in a else None


# op name -> f(inputs, args); the TypeScript test's table has the same names
OPS = {
    "strides": lambda x, a: x,
    "is_contiguous": lambda x, a: x.is_contiguous(memory_format=FMT[a["fmt"]]) if "fmt" in a else x.is_contiguous(),
    "contiguous": lambda x, a: x.contiguous(memory_format=FMT[a["fmt"]]) if "fmt" in a else x.contiguous(),
    "clone": lambda x, a: x.clone(memory_format=FMT[a["fmt"]]) if "fmt" in a else x.clone(),
    "to": lambda x, a: x.to(**({"dtype": getattr(torch, a["dtype"])} if "dtype" in a else {}),
                            **({"memory_format": FMT[a["fmt"]]} if "fmt" in a else {})),
    "double": lambda x, a: x.double(memory_format=FMT[a["fmt"]]) if "fmt" in a else x.double(),
    "empty_like": lambda x, a: torch.empty_like(x, memory_format=FMT[a["fmt"]]) if "fmt" in a else torch.empty_like(x),
    "zeros_like": lambda x, a: torch.zeros_like(x, memory_format=FMT[a["fmt"]]) if "fmt" in a else torch.zeros_like(x),
    "ones_like": lambda x, a: torch.ones_like(x, memory_format=FMT[a["fmt"]]) if "fmt" in a else torch.ones_like(x),
    "full_like": lambda x, a: torch.full_like(x, 2.5),
    "rand_like": lambda x, a: (torch.manual_seed(0), torch.rand_like(x))[1],
    "randn_like": lambda x, a: (torch.manual_seed(0), torch.randn_like(x, memory_format=FMT[a["fmt"]]) if "fmt" in a else torch.randn_like(x))[1],
    "empty": lambda a: torch.empty(a["size"], memory_format=FMT[a["fmt"]]),
    # elementwise (TensorIterator's layouts)
    "neg": lambda x, a: x.neg(),
    "exp": lambda x, a: x.exp(),
    "relu": lambda x, a: torch.relu(x),
    "sigmoid": lambda x, a: torch.sigmoid(x),
    "add_scalar": lambda x, a: x + 1.5,
    "add": lambda x, y, a: x + y,
    "mul": lambda x, y, a: x * y,
    "sub": lambda x, y, a: x - y,
    "gt": lambda x, y, a: x > y,
    "where": lambda c, x, y, a: torch.where(c > 0, x, y),
    "add_double": lambda x, y, a: x + y.double(),
    "resize_": lambda x, a: x.detach().clone().resize_(a["size"], **({"memory_format": FMT[a["fmt"]]} if "fmt" in a else {})),
    "bernoulli_": lambda x, a: (torch.manual_seed(0), x.detach().clone(memory_format=torch.preserve_format).bernoulli_(0.5))[1],
    "normal_": lambda x, a: (torch.manual_seed(0), x.detach().normal_())[1],
    "uniform_": lambda x, a: (torch.manual_seed(0), x.detach().uniform_())[1],
    # nn ops (their CPU kernels' layouts)
    "conv2d": lambda x, w, a: F.conv2d(x, w, **a),
    "conv2d_bias": lambda x, w, b, a: F.conv2d(x, w, b, **a),
    "conv_transpose2d": lambda x, w, a: F.conv_transpose2d(x, w, **a),
    "batch_norm": lambda x, a: F.batch_norm(x, None, None, training=True),
    "batch_norm_affine": lambda x, w, b, a: F.batch_norm(x, None, None, w, b, training=True),
    "batch_norm_eval": lambda x, a: F.batch_norm(x, torch.zeros(x.shape[1]), torch.ones(x.shape[1]), training=False),
    "max_pool2d": lambda x, a: F.max_pool2d(x, **a),
    "max_pool2d_indices": lambda x, a: F.max_pool2d(x, **a, return_indices=True)[1],
    "avg_pool2d": lambda x, a: F.avg_pool2d(x, **a),
    "adaptive_avg_pool2d": lambda x, a: F.adaptive_avg_pool2d(x, a["size"]),
    "adaptive_max_pool2d": lambda x, a: F.adaptive_max_pool2d(x, a["size"]),
    "conv3d": lambda x, w, a: F.conv3d(x, w, **a),
    "conv_transpose3d": lambda x, w, a: F.conv_transpose3d(x, w, **a),
    "max_pool3d": lambda x, a: F.max_pool3d(x, **a),
    "max_pool3d_indices": lambda x, a: F.max_pool3d(x, **a, return_indices=True)[1],
    "avg_pool3d": lambda x, a: F.avg_pool3d(x, **a),
    "adaptive_avg_pool3d": lambda x, a: F.adaptive_avg_pool3d(x, a["size"]),
    "adaptive_max_pool3d": lambda x, a: F.adaptive_max_pool3d(x, a["size"]),
    "interpolate": lambda x, a: F.interpolate(x, **a),
    "leaky_relu": lambda x, a: F.leaky_relu(x),
    "gelu": lambda x, a: F.gelu(x),
    "silu": lambda x, a: F.silu(x),
    "hardtanh": lambda x, a: F.hardtanh(x),
    "elu": lambda x, a: F.elu(x),
    "dropout": lambda x, a: (torch.manual_seed(0), F.dropout(x, 0.5))[1],
    "softmax": lambda x, a: F.softmax(x, 1),
    "log_softmax": lambda x, a: F.log_softmax(x, 1),
    "sum": lambda x, a: x.sum(**a),
    "mean": lambda x, a: x.mean(**a),
    "cat": lambda x, y, a: torch.cat([x, y], 1),
    "flatten": lambda x, a: x.flatten(1),
    "group_norm": lambda x, a: F.group_norm(x, a["groups"]),
    "layer_norm": lambda x, a: F.layer_norm(x, [x.shape[-1]]),
    "instance_norm": lambda x, a: F.instance_norm(x),
    "pad": lambda x, a: F.pad(x, (1, 1, 1, 1)),
    "pixel_shuffle": lambda x, a: F.pixel_shuffle(x, 2),
    # more ops as real programs meet them after a channels-last layer
    "matmul": lambda x, a: x @ torch.ones(5, 2),
    "linear": lambda x, a: F.linear(x, torch.ones(2, 5)),
    "relu_": lambda x, a: x.detach().clone().relu_(),
    "add_": lambda x, a: x.detach().clone().add_(make(s((2, 3, 4, 5)))),
    "var": lambda x, a: x.var(1),
    "argmax": lambda x, a: x.argmax(1),
    "max_dim": lambda x, a: x.max(1)[0],
    "masked_fill": lambda x, a: x.masked_fill(x > 0, 0.0),
    "index_select": lambda x, a: x.index_select(1, torch.tensor([2, 0])),
    "cumsum": lambda x, a: x.cumsum(1),
    "clamp": lambda x, a: x.clamp(-0.5, 0.5),
    "pow": lambda x, a: x.pow(2),
    "where_scalar": lambda x, a: torch.where(x > 0, x, 0.0),
    "half": lambda x, a: x.half(),
    "narrow_clone": lambda x, a: x.narrow(1, 0, 2).clone(),
    "upsample": lambda x, a: torch.nn.Upsample(scale_factor=2)(x),
    "mse_none": lambda x, a: F.mse_loss(x, torch.zeros(x.shape), reduction="none"),
    "lerp": lambda x, a: torch.lerp(x, make(s((2, 3, 4, 5))), 0.3),
    "addcmul": lambda x, a: torch.addcmul(x, x, make(s((2, 3, 4, 5)))),
    "tanh": lambda x, a: x.tanh(),
    "div": lambda x, a: x / 2,
    "rsub": lambda x, a: 1 - x,
    "stack": lambda x, y, a: torch.stack([x, y], a["dim"]),
    "sort": lambda x, a: x.sort(a["dim"])[0],
    "sort_indices": lambda x, a: x.sort(a["dim"])[1],
    "argsort": lambda x, a: x.argsort(a["dim"]),
}


def run(op, ins, args):
    f = OPS[op]
    return f(args) if op == "empty" else f(*ins, args)


def enc_out(t, values=True):
    if isinstance(t, bool):
        return {"value": t}
    out = {"shape": list(t.shape), "stride": list(t.stride()), **({} if t.dtype == torch.float32 else {"dtype": str(t.dtype)[6:]})}
    if values:
        data = enc_tensor(t)["data"]
        if t.dtype == torch.float32:  # float32's shortest decimals (the test rounds them back with Math.fround)
            data = [v if isinstance(v, str) else float(str(numpy.float32(v))) for v in data]
        out["data"] = data
    return out


# (an empty tensor's values are whatever its memory held; "strides" returns its input; the copies'
# values are their input's, which the test checks without golden values)
NO_VALUES = {"empty", "empty_like", "strides", "contiguous", "clone", "to", "double", "resize_"}


CASES = []


def case(op, inputs, args=None, grad=False, gout=None, raw=False, approx=False):
    """`grad`: each input's .grad after backward (the leaf's layout contract); `raw`: the
    gradients autograd.grad returns (the backward's own layouts); `approx`: values within float32
    rounding (sums in another order than PyTorch's kernels)."""
    args = args or {}
    c = {"op": op, "inputs": inputs, "args": args, **({"approx": True} if approx else {}), **({"raw": True} if raw else {})}
    ins = [make(s, requires_grad=grad or raw) for s in inputs]
    try:
        out = run(op, ins, args)
    except RuntimeError as e:  # PyTorch's error for this call
        c["error"] = str(e).split("\n")[0]
        CASES.append(c)
        return
    c["out"] = enc_out(out, op not in NO_VALUES)
    if grad or raw:
        g = make(gout or {"shape": list(out.shape)})
        c["gout"] = gout
        if raw:
            c["grads"] = [enc_out(t) for t in torch.autograd.grad(out, ins, g)]
        else:
            out.backward(g)
            c["grads"] = [enc_out(x.grad) for x in ins]
    CASES.append(c)


def s(shape, *ops):
    return {"shape": list(shape), "ops": [list(o) for o in ops]}


CL = ("fmt", "channels_last")
CL3 = ("fmt", "channels_last_3d")

# ---- layouts: is_contiguous for each format, size-1 and size-0 dims included
LAYOUTS = [
    s((2, 3, 4, 5)), s((2, 3, 4, 5), CL), s((2, 1, 4, 5), CL), s((2, 3, 1, 1), CL), s((1, 3, 1, 4), CL),
    s((2, 3, 1, 4), CL), s((2, 0, 3, 3), CL), s((0, 3, 2, 2), CL), s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])),
    s((2, 3, 4, 5), CL, ("slice", 2, 2)), s((2, 3, 4, 5), ("slice", 3, 2)), s((2, 3, 4, 5), ("permute", [0, 2, 3, 1])),
    s((2, 3, 4, 5, 6)), s((2, 3, 4, 5, 6), CL3), s((2, 1, 4, 5, 1), CL3), s((3, 4)), s((3, 4), ("permute", [1, 0])),
    s((2, 3, 4)), s((1, 1, 1, 1)), s((4, 1, 1, 1), CL), s((2, 3, 4, 1), CL), s((2, 1, 1, 5), CL),
    s((1, 3, 4, 5), ("expand", [2, 3, 4, 5])), s((2, 3, 4, 5), ("dense", [3, 2, 1, 0])),
]
for x in LAYOUTS:
    for f in (None, "contiguous_format", "channels_last", "channels_last_3d", "preserve_format"):
        case("is_contiguous", [x], {} if f is None else {"fmt": f})
    case("strides", [x])

# ---- copies and factories in each format
for x in LAYOUTS:
    for op in ("contiguous", "clone", "empty_like", "to"):
        for f in (None, "contiguous_format", "channels_last", "channels_last_3d", "preserve_format"):
            case(op, [x], {} if f is None else {"fmt": f})
    for f in (None, "channels_last"):
        case("randn_like", [x], {} if f is None else {"fmt": f})
    case("double", [x])
    case("to", [x], {"dtype": "float64"})
    case("zeros_like", [x])
    case("full_like", [x])
    case("rand_like", [x])
for size in ([2, 3, 4, 5], [2, 0, 3, 3], [2, 1, 3, 3], [2, 3, 1, 1], [0, 3, 2, 2], [2, 3], [2, 3, 4, 5, 6], [1, 3, 1, 4]):
    for f in ("contiguous_format", "channels_last", "channels_last_3d", "preserve_format"):
        case("empty", [], {"size": size, "fmt": f})

# ---- elementwise: TensorIterator's fast setup and dim ordering
X = s((2, 3, 4, 5))
XCL = s((2, 3, 4, 5), CL)
UNARY_IN = [X, XCL, s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])), s((2, 3, 4, 5), CL, ("slice", 2, 2)),
            s((2, 3, 4, 5), ("slice", 3, 2)), s((2, 3, 4, 5), ("permute", [0, 2, 3, 1])), s((3, 4), ("permute", [1, 0])),
            s((2, 1, 4, 5), CL), s((2, 3, 1, 1), CL), s((1, 3, 1, 4), CL), s((2, 3, 4, 5, 6), CL3),
            s((1, 3, 4, 5), ("expand", [2, 3, 4, 5])), s((2, 3, 4, 1), CL), s((4, 3), ("slice", 0, 2), ("permute", [1, 0]))]
for x in UNARY_IN:
    for op in ("neg", "exp", "relu", "sigmoid", "add_scalar"):
        case(op, [x])
BINARY_IN = [
    (X, X), (XCL, XCL), (XCL, X), (X, XCL), (XCL, s((3, 1, 1))), (s((3, 1, 1)), XCL), (XCL, s((5,))), (X, s((5,))),
    (XCL, s((2, 3, 1, 1), CL)), (XCL, s((2, 3, 4, 5), CL, ("slice", 0, 1))), (s((2, 1, 4, 5), CL), s((2, 3, 4, 5))),
    (s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])), s((2, 3, 4, 5), ("dense", [0, 2, 1, 3]))),
    (s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])), XCL), (s((3, 4), ("permute", [1, 0])), s((4, 3))),
    (s((4, 3)), s((3, 4), ("permute", [1, 0]))), (s((3, 4), ("permute", [1, 0])), s((3,))),
    (s((3, 4), ("permute", [1, 0])), s((4, 1))), (s((2, 3, 4, 5), CL, ("slice", 2, 2)), s((2, 3, 2, 5))),
    (s((2, 3, 4, 5, 6), CL3), s((2, 3, 4, 5, 6), CL3)), (s((2, 3, 4, 5, 6), CL3), s((3, 1, 1, 1))),
    (s((1, 3, 1, 4), CL), s((1, 3, 1, 4))), (s((2, 3, 1, 1), CL), s((2, 3, 1, 1))), (s((2, 1, 4, 5), CL), s((2, 1, 4, 5))),
    (s((1, 3, 4, 5), ("expand", [2, 3, 4, 5])), XCL), (s((2, 3, 4, 1), CL), s((2, 3, 4, 1), ("dense", [0, 2, 3, 1]))),
]
for x, y in BINARY_IN:
    for op in ("add", "mul", "gt"):
        case(op, [x, y])
    case("add_double", [x, y])
for c_, x, y in [(XCL, X, X), (X, XCL, X), (X, X, XCL), (X, XCL, XCL), (XCL, XCL, XCL), (s((3, 1, 1)), XCL, X)]:
    case("where", [c_, x, y])
# gradients of elementwise ops
for x, y in [(XCL, XCL), (XCL, X), (X, XCL), (XCL, s((3, 1, 1))), (s((3, 4), ("permute", [1, 0])), s((4, 3)))]:
    case("mul", [x, y], grad=True)
    case("add", [x, y], grad=True, gout=s(x["shape"] if len(x["shape"]) >= len(y["shape"]) else y["shape"], CL) if len(x["shape"]) == 4 else None)
for x in (XCL, X, s((2, 3, 4, 5), ("dense", [0, 2, 1, 3]))):
    case("sigmoid", [x], grad=True)
    case("relu", [x], grad=True, gout=s((2, 3, 4, 5), CL))

# resize_ in a memory format restrides; without one a new shape is row-major, the same shape keeps its strides
for x, size in ((X, [2, 3, 4, 5]), (s((120,)), [2, 3, 4, 5]), (XCL, [2, 3, 4, 5]), (XCL, [2, 3, 4, 6]), (s((6,)), [2, 3]),
                (s((2, 3, 4, 5), ("permute", [0, 2, 3, 1])), [2, 4, 5, 3]), (s((2, 3, 4, 5, 6)), [2, 3, 4, 5, 6])):
    for f in (None, "contiguous_format", "channels_last", "channels_last_3d", "preserve_format"):
        case("resize_", [x], {"size": size, **({} if f is None else {"fmt": f})})

# in-place random fills of tensors that are not contiguous: TensorIterator's order
for x in (XCL, s((3, 4), ("permute", [1, 0])), s((2, 3, 4, 5), ("slice", 3, 2)), s((2, 3, 4, 5), ("dense", [0, 2, 1, 3]))):
    for op in ("bernoulli_", "normal_", "uniform_"):
        case(op, [x])

# ---- nn ops on channels-last inputs and weights: outputs and the gradients autograd.grad returns
XS = [s((2, 3, 5, 5)), s((2, 3, 5, 5), CL), s((2, 3, 5, 5), ("dense", [0, 2, 1, 3]))]
W = s((4, 3, 3, 3))
WCL = s((4, 3, 3, 3), CL)
GCL = None  # gout recipes below name their own layout
for x in XS:
    for w in (W, WCL):
        case("conv2d", [x, w], approx=True, raw=True)
        case("conv2d", [x, w], {"padding": 1, "stride": 2}, approx=True, raw=True)
        case("conv2d_bias", [x, w, s((4,))], approx=True, raw=True)
    case("conv2d", [x, s((6, 1, 3, 3))], {"groups": 3}, approx=True, raw=True)
    case("conv_transpose2d", [x, s((3, 4, 3, 3))], approx=True, raw=True)
    case("conv_transpose2d", [x, s((3, 4, 3, 3), CL)], {"stride": 2}, approx=True, raw=True)
    case("batch_norm", [x], approx=True, raw=True)
    case("batch_norm_affine", [x, s((3,)), s((3,))], approx=True, raw=True)
    case("batch_norm_eval", [x], approx=True, raw=True)
    for a in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1}):
        case("max_pool2d", [x], a, raw=True)
        case("max_pool2d_indices", [x], a)
        case("avg_pool2d", [x], a, approx=True, raw=True)
    for size in ((3, 2), 1, (7, 5)):
        case("adaptive_avg_pool2d", [x], {"size": size}, approx=True, raw=True)
        case("adaptive_max_pool2d", [x], {"size": size}, raw=True)
    for a in ({"scale_factor": 2}, {"scale_factor": 2, "mode": "bilinear"}, {"size": [4, 5], "mode": "bilinear", "align_corners": True},
              {"scale_factor": 2, "mode": "bicubic"}, {"size": [3, 4], "mode": "nearest-exact"}):
        case("interpolate", [x], a, approx=True, raw=True)
    for op in ("leaky_relu", "gelu", "silu", "hardtanh", "elu", "softmax", "log_softmax", "flatten", "layer_norm", "instance_norm", "pad"):
        case(op, [x], approx=True, raw=True)
    case("dropout", [x])
    case("group_norm", [x], {"groups": 3}, approx=True, raw=True)
    for a in ({"dim": 1}, {"dim": 1, "keepdim": True}, {"dim": [2, 3]}, {"dim": [2, 3], "keepdim": True}):
        case("sum", [x], a, raw=True)
        case("mean", [x], a, approx=True, raw=True)
    for y in XS:
        case("cat", [x, y], raw=True)
    case("pixel_shuffle", [s((2, 4, 3, 3)) if x is XS[0] else s((2, 4, 3, 3), CL)], raw=True)
# 3-d convolutions and pools on channels_last_3d inputs and weights (float32: PyTorch's MKLDNN path keeps
# the layout; float64: its slow path gives row-major results)
for dt in ("float32", "float64"):
    for x in (s((2, 3, 4, 5, 4), ("dtype", dt)), s((2, 3, 4, 5, 4), CL3, ("dtype", dt))):
        for w in (s((4, 3, 2, 3, 2), ("dtype", dt)), s((4, 3, 2, 3, 2), CL3, ("dtype", dt))):
            case("conv3d", [x, w], {"padding": 1}, approx=True, raw=True)
        case("conv_transpose3d", [x, s((3, 2, 2, 2, 2), CL3, ("dtype", dt))], {"stride": 2}, approx=True, raw=True)
        case("max_pool3d", [x], {"kernel_size": 2}, raw=True)
        case("max_pool3d_indices", [x], {"kernel_size": [2, 3, 2], "stride": 1})
        case("avg_pool3d", [x], {"kernel_size": 3, "stride": 2, "padding": 1}, approx=True, raw=True)
        for size in ((2, 3, 2), 1):
            case("adaptive_avg_pool3d", [x], {"size": size}, approx=True, raw=True)
        case("adaptive_max_pool3d", [x], {"size": (3, 2, 2)}, raw=True)
for x in (X, XCL, s((2, 3, 4, 5), ("dense", [0, 2, 1, 3]))):
    for op in ("matmul", "linear", "relu_", "add_", "var", "argmax", "max_dim", "masked_fill", "index_select", "cumsum", "clamp", "pow",
               "where_scalar", "half", "narrow_clone", "upsample", "mse_none", "lerp", "addcmul", "tanh", "div", "rsub"):
        case(op, [x], approx=True)
for x in (X, XCL, s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])), s((2, 3, 4, 5), ("slice", 2, 2)), s((4, 3), ("permute", [1, 0]))):
    for op in ("sort", "sort_indices", "argsort"):
        case(op, [x], {"dim": 1}, raw=op == "sort")
for x, y in ((X, X), (XCL, XCL), (XCL, X), (s((2, 3, 4, 5), ("dense", [0, 2, 1, 3])),) * 2, (s((4, 3), ("permute", [1, 0])),) * 2):
    for d in range(len(x["shape"]) + 1):
        case("stack", [x, y], {"dim": d}, raw=True)
# gradients of channels-last outputs reaching contiguous and channels-last leaves (the contract)
for x in XS[:2]:
    for w in (W, WCL):
        case("conv2d", [x, w], approx=True, grad=True)
        case("conv2d", [x, w], approx=True, grad=True, gout=s((2, 4, 3, 3), CL))

# ---- a channels-last model trained two steps (model.to(memory_format=...)): the parameters'
# strides and values, the outputs' and the losses (the convolution before batch norm has no bias:
# its gradient would be rounding noise, which Adam scales up to whole steps)
def train(fmt, opt_name):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1, bias=False), torch.nn.BatchNorm2d(8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Conv2d(8, 4, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 3))
    model.to(memory_format=FMT[fmt])
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if opt_name == "sgd" else torch.optim.Adam(model.parameters(), lr=0.01)
    x = make(s((4, 3, 8, 8))).contiguous(memory_format=FMT[fmt])
    target = torch.tensor([0, 2, 1, 2])
    out = {"fmt": fmt, "optimizer": opt_name, "losses": [], "outputs": []}
    for _ in range(2):
        opt.zero_grad()
        y = model(x)
        loss = F.cross_entropy(y, target)
        loss.backward()
        opt.step()
        out["losses"].append(loss.item())
        out["outputs"].append(enc_out(y))
    out["params"] = [enc_out(p.detach()) for p in model.parameters()]
    out["grads"] = [list(p.grad.stride()) for p in model.parameters()]
    return out


TRAIN = [train(f, o) for f in ("contiguous_format", "channels_last") for o in ("sgd", "adam")]

json.dump({"torch": torch.__version__, "cases": CASES, "train": TRAIN},
          open(os.path.join(os.path.dirname(__file__), "..", "test", "golden", "memory_format.json"), "w"))
print(len(CASES), "cases")
