#!/usr/bin/env python3
"""Golden data for convolution, pooling, normalisation and padding (src/ops/conv.ts, pooling.ts,
normalization.ts, padding.ts, src/nn/conv.ts, pooling.ts, normalization.ts; test/conv.test.ts),
computed by real PyTorch on CPU.

Run with PyTorch 2.x (the committed data are 2.13's):

    .venv-torch/bin/python tools/gen_golden_conv.py

writes test/golden/conv.json:
  functional  F.conv1d/conv2d/conv3d, F.unfold/fold, pooling and unpooling (1-d to 3-d), norms and F.pad cases in float64 and
              float32: arguments, output, grad_fn name, and the gradient of every differentiable
              argument for a random grad_output; batch_norm's running statistics after the call
  errors      calls with bad arguments and PyTorch's message
  modules     reprs, default initialisation after manual_seed, state_dict keys, forward passes
              (padding modes), BatchNorm training steps (running statistics) then eval, Dropout2d
  mnist       PyTorch's MNIST example CNN after manual_seed(1): crc32 of every initial parameter,
              then one SGD step on a seeded batch: loss, gradients' norms, updated values

An argument is written as a tensor {"dtype", "shape", "data"}, as {"zeros": shape, "dtype"} for
the large inputs of error cases, or as its plain JSON value (tuples as lists, None as null).
Values are lossless: float64 reprs, "nan"/"inf"/"-inf" for non-finite ones. Data are seeded per
case (crc32 of the case name), so adding a case changes no other.
"""

import json
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import build_module as build, crc, dname, enc_arg, enc_tensor, functional_errors, gen, grad_leaves, uniform  # noqa: E402

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "conv.json")


def T(t):
    return enc_tensor(t, big_ints=False)  # int64 values as they are, beyond 2^53 too


def rnd(name, shape, dtype, lo=-2.0, hi=2.0):
    return uniform(name, shape, dtype, lo, hi)


# ---------------------------------------------------------------------------------------------
# functional cases: (name, fn, args, kwargs, differentiable keys, gradcheck in float64)
# Tensor arguments are given as ("t", shape) (random), ("i", shape, lo, hi) (small integers, for
# ties), ("n", shape) (random, with a NaN) or ("P", max_pool_fn, shape, kwargs) (a max pooling's
# indices), made per dtype.

def conv_cases():
    c = []
    add = lambda name, fn, args, kw, diff, gc=True: c.append((name, fn, args, kw, diff, gc))
    x = lambda *s: ("t", s)
    add("conv2d_basic", "conv2d", [x(2, 3, 7, 6), x(4, 3, 3, 3), x(4)], {}, [0, 1, 2])
    add("conv2d_stride_pad", "conv2d", [x(2, 3, 7, 6), x(4, 3, 3, 3)], {"bias": x(4), "stride": 2, "padding": 1}, [0, 1, "bias"])
    add("conv2d_asym", "conv2d", [x(2, 2, 8, 7), x(3, 2, 3, 2), x(3)], {"stride": [2, 1], "padding": [1, 2], "dilation": [2, 1]}, [0, 1, 2])
    add("conv2d_groups", "conv2d", [x(2, 4, 6, 5), x(6, 2, 3, 2), x(6)], {"groups": 2}, [0, 1, 2])
    add("conv2d_depthwise", "conv2d", [x(1, 3, 5, 5), x(3, 1, 3, 3)], {"groups": 3, "padding": 1}, [0, 1])
    add("conv2d_no_bias", "conv2d", [x(2, 3, 5, 5), x(2, 3, 2, 2)], {"stride": 3}, [0, 1])
    add("conv2d_unbatched", "conv2d", [x(3, 5, 6), x(2, 3, 3, 3), x(2)], {"padding": 1}, [0, 1, 2])
    add("conv2d_same_odd", "conv2d", [x(2, 2, 5, 6), x(3, 2, 3, 3), x(3)], {"padding": "same"}, [0, 1, 2])
    add("conv2d_same_even", "conv2d", [x(1, 2, 5, 6), x(3, 2, 2, 4)], {"padding": "same", "dilation": [1, 1]}, [0, 1])
    add("conv2d_same_dilated", "conv2d", [x(1, 2, 7, 6), x(2, 2, 3, 2)], {"padding": "same", "dilation": [2, 3]}, [0, 1])
    add("conv2d_valid", "conv2d", [x(1, 2, 5, 4), x(3, 2, 2, 2), x(3)], {"padding": "valid"}, [0, 1, 2])
    add("conv2d_1x1", "conv2d", [x(2, 4, 3, 3), x(5, 4, 1, 1), x(5)], {}, [0, 1, 2])
    add("conv2d_full_kernel", "conv2d", [x(2, 2, 3, 4), x(3, 2, 3, 4), x(3)], {}, [0, 1, 2])
    add("conv2d_noncontiguous", "conv2d", [("T", (2, 3, 6, 5)), x(2, 3, 3, 3), x(2)], {"stride": 2}, [0, 1, 2])
    add("conv2d_wide_stride", "conv2d", [x(1, 1, 9, 9), x(2, 1, 3, 3)], {"stride": 4, "padding": 2, "dilation": 2}, [0, 1])
    add("conv1d_basic", "conv1d", [x(2, 3, 10), x(5, 3, 4), x(5)], {"stride": 2, "padding": 1, "dilation": 2}, [0, 1, 2])
    add("conv1d_unbatched", "conv1d", [x(3, 8), x(2, 3, 3)], {}, [0, 1])
    add("conv1d_groups", "conv1d", [x(2, 4, 7), x(4, 2, 2), x(4)], {"groups": 2, "padding": 1}, [0, 1, 2])
    add("conv1d_same", "conv1d", [x(1, 2, 9), x(3, 2, 4)], {"padding": "same"}, [0, 1])
    add("conv3d_basic", "conv3d", [x(1, 2, 3, 4, 3), x(3, 2, 2, 2, 2), x(3)], {}, [0, 1, 2])
    add("conv3d_params", "conv3d", [x(2, 2, 4, 3, 5), x(2, 2, 2, 3, 2)], {"bias": x(2), "stride": [2, 1, 2], "padding": [1, 1, 0], "dilation": [1, 1, 2]}, [0, 1, "bias"])
    add("conv3d_groups", "conv3d", [x(1, 4, 3, 3, 3), x(4, 2, 2, 1, 2), x(4)], {"groups": 2, "padding": 1}, [0, 1, 2])
    add("conv3d_unbatched", "conv3d", [x(2, 3, 3, 4), x(2, 2, 1, 2, 3)], {"stride": 2}, [0, 1])
    add("conv3d_same_even", "conv3d", [x(1, 1, 3, 4, 3), x(2, 1, 2, 3, 2), x(2)], {"padding": "same"}, [0, 1, 2])
    add("conv3d_noncontiguous", "conv3d", [("T", (1, 2, 3, 4, 3)), x(2, 2, 2, 2, 2)], {"padding": [0, 1, 0]}, [0, 1])
    add("unfold_basic", "unfold", [x(2, 3, 5, 6)], {"kernel_size": 2}, [0])
    add("unfold_params", "unfold", [x(1, 2, 7, 6)], {"kernel_size": [3, 2], "dilation": [1, 2], "padding": 1, "stride": [2, 1]}, [0])
    add("unfold_unbatched", "unfold", [x(2, 4, 4)], {"kernel_size": 3, "padding": 1}, [0])
    add("fold_basic", "fold", [x(2, 12, 20)], {"output_size": [5, 6], "kernel_size": 2}, [0])
    add("fold_overlap", "fold", [x(1, 8, 9)], {"output_size": [4, 5], "kernel_size": [2, 2], "stride": [1, 2], "padding": [0, 1], "dilation": 1}, [0])
    add("fold_unbatched", "fold", [x(9, 4)], {"output_size": 4, "kernel_size": 3, "padding": 1, "stride": 2}, [0])
    return c


def pool_cases():
    c = []
    add = lambda name, fn, args, kw, diff, gc=True: c.append((name, fn, args, kw, diff, gc))
    x = lambda *s: ("t", s)
    ties = lambda *s: ("i", s, -2, 3)
    add("max_pool2d_basic", "max_pool2d", [x(2, 3, 6, 6)], {"kernel_size": 2}, [0])
    add("max_pool2d_ties", "max_pool2d", [ties(2, 2, 6, 7)], {"kernel_size": 3, "stride": 2, "return_indices": True}, [0], False)
    add("max_pool2d_overlap_ties", "max_pool2d", [ties(1, 2, 5, 5)], {"kernel_size": 2, "stride": 1, "return_indices": True}, [0], False)
    add("max_pool2d_pad_dil", "max_pool2d", [x(1, 2, 7, 8)], {"kernel_size": [3, 2], "stride": [2, 1], "padding": [1, 1], "dilation": [2, 1], "return_indices": True}, [0])
    add("max_pool2d_ceil", "max_pool2d", [x(1, 2, 7, 7)], {"kernel_size": 3, "stride": 2, "ceil_mode": True}, [0])
    add("max_pool2d_ceil_pad", "max_pool2d", [x(2, 1, 6, 5)], {"kernel_size": 2, "stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True}, [0])
    add("max_pool2d_unbatched", "max_pool2d", [x(3, 5, 4)], {"kernel_size": 2, "stride": 1}, [0])
    add("max_pool2d_nan", "max_pool2d", [("n", (1, 1, 4, 4))], {"kernel_size": 2, "return_indices": True}, [0], False)
    add("max_pool1d_basic", "max_pool1d", [x(2, 3, 9)], {"kernel_size": 3, "stride": 2, "padding": 1}, [0])
    add("max_pool1d_indices", "max_pool1d", [ties(2, 7)], {"kernel_size": 2, "dilation": 2, "return_indices": True}, [0], False)
    add("avg_pool2d_basic", "avg_pool2d", [x(2, 3, 6, 6)], {"kernel_size": 2}, [0])
    add("avg_pool2d_pad", "avg_pool2d", [x(1, 2, 5, 6)], {"kernel_size": 3, "stride": 2, "padding": 1}, [0])
    add("avg_pool2d_pad_exclude", "avg_pool2d", [x(1, 2, 5, 6)], {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}, [0])
    add("avg_pool2d_ceil", "avg_pool2d", [x(1, 2, 7, 6)], {"kernel_size": [3, 2], "stride": 2, "padding": [1, 0], "ceil_mode": True}, [0])
    add("avg_pool2d_ceil_exclude", "avg_pool2d", [x(1, 1, 6, 6)], {"kernel_size": 4, "stride": 3, "padding": 2, "ceil_mode": True, "count_include_pad": False}, [0])
    add("avg_pool2d_divisor", "avg_pool2d", [x(2, 1, 5, 5)], {"kernel_size": 2, "stride": 1, "divisor_override": 3}, [0])
    add("avg_pool2d_unbatched", "avg_pool2d", [x(2, 4, 5)], {"kernel_size": [2, 3], "stride": [1, 2]}, [0])
    add("avg_pool1d_basic", "avg_pool1d", [x(2, 3, 8)], {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}, [0])
    add("adaptive_avg_pool2d_uneven", "adaptive_avg_pool2d", [x(2, 3, 7, 5)], {"output_size": [3, 4]}, [0])
    add("adaptive_avg_pool2d_none", "adaptive_avg_pool2d", [x(1, 2, 5, 6)], {"output_size": [None, 4]}, [0])
    add("adaptive_avg_pool2d_one", "adaptive_avg_pool2d", [x(2, 3, 4, 5)], {"output_size": 1}, [0])
    add("adaptive_avg_pool2d_upsample", "adaptive_avg_pool2d", [x(1, 1, 3, 2)], {"output_size": [5, 4]}, [0])
    add("adaptive_avg_pool1d", "adaptive_avg_pool1d", [x(2, 3, 10)], {"output_size": 4}, [0])
    add("adaptive_max_pool2d", "adaptive_max_pool2d", [x(2, 2, 7, 5)], {"output_size": [3, 2], "return_indices": True}, [0])
    add("adaptive_max_pool1d", "adaptive_max_pool1d", [x(2, 9)], {"output_size": 4}, [0])
    add("max_pool3d_basic", "max_pool3d", [x(1, 2, 4, 4, 4)], {"kernel_size": 2}, [0])
    add("max_pool3d_params", "max_pool3d", [x(2, 1, 5, 6, 5)], {"kernel_size": [3, 2, 3], "stride": [2, 1, 2], "padding": [1, 1, 0], "dilation": [1, 2, 1], "ceil_mode": True, "return_indices": True}, [0])
    add("max_pool3d_ties", "max_pool3d", [ties(1, 2, 4, 5, 4)], {"kernel_size": 3, "stride": 1, "padding": 1, "return_indices": True}, [0], False)
    add("max_pool3d_nan", "max_pool3d", [("n", (1, 1, 2, 4, 4))], {"kernel_size": 2, "return_indices": True}, [0], False)
    add("max_pool3d_unbatched", "max_pool3d", [x(2, 3, 4, 3)], {"kernel_size": [2, 2, 1], "stride": 1}, [0])
    add("avg_pool3d_basic", "avg_pool3d", [x(1, 2, 4, 4, 4)], {"kernel_size": 2}, [0])
    add("avg_pool3d_pad", "avg_pool3d", [x(1, 2, 5, 4, 5)], {"kernel_size": 3, "stride": 2, "padding": 1}, [0])
    add("avg_pool3d_pad_exclude_ceil", "avg_pool3d", [x(2, 1, 5, 6, 4)], {"kernel_size": [3, 2, 2], "stride": 2, "padding": [1, 1, 0], "ceil_mode": True, "count_include_pad": False}, [0])
    add("avg_pool3d_divisor", "avg_pool3d", [x(3, 4, 3, 4)], {"kernel_size": 2, "stride": 1, "divisor_override": 3}, [0])
    add("adaptive_avg_pool3d", "adaptive_avg_pool3d", [x(1, 2, 5, 4, 7)], {"output_size": [3, None, 4]}, [0])
    add("adaptive_avg_pool3d_one", "adaptive_avg_pool3d", [x(2, 3, 2, 3, 2)], {"output_size": 1}, [0])
    add("adaptive_max_pool3d", "adaptive_max_pool3d", [x(2, 5, 4, 6)], {"output_size": [3, 2, 4], "return_indices": True}, [0])
    P = lambda fn, shape, **kw: ("P", fn, shape, kw)
    # (no gradcheck where overlapping windows repeat an index: PyTorch's gradient, matched here, gathers
    # for every repeat, while only the value written last reaches the output)
    add("local_response_norm_3d", "local_response_norm", [x(2, 5, 4)], {"size": 3}, [0])
    add("local_response_norm_5d", "local_response_norm", [x(1, 4, 2, 3, 2)], {"size": 2, "alpha": 0.1, "beta": 0.5, "k": 2.0}, [0])
    add("local_response_norm_4d", "local_response_norm", [x(2, 6, 3, 3)], {"size": 4, "alpha": 0.05}, [0])
    add("adaptive_max_pool2d_with_indices", "adaptive_max_pool2d_with_indices", [x(1, 2, 5, 4)], {"output_size": [2, 3]}, [0])
    add("adaptive_max_pool1d_with_indices", "adaptive_max_pool1d_with_indices", [x(2, 7)], {"output_size": 3}, [0])
    add("lp_pool1d", "lp_pool1d", [x(2, 3, 7)], {"norm_type": 2, "kernel_size": 3, "stride": 2}, [0])
    add("lp_pool2d_ceil", "lp_pool2d", [("p", (1, 2, 5, 4))], {"norm_type": 3, "kernel_size": [2, 3], "stride": 2, "ceil_mode": True}, [0])
    add("lp_pool3d", "lp_pool3d", [("p", (1, 2, 4, 3, 4))], {"norm_type": 1.5, "kernel_size": 2, "stride": [2, 1, 2]}, [0])
    # (odd p on mixed signs: windows of negative sum give 0, where the derivative is not defined)
    add("lp_pool2d_negative", "lp_pool2d", [x(1, 2, 4, 4)], {"norm_type": 3, "kernel_size": 2}, [0], False)
    add("max_unpool2d_basic", "max_unpool2d", [x(2, 2, 3, 3), P("max_pool2d", (2, 2, 6, 6), kernel_size=2)], {"kernel_size": 2}, [0])
    add("max_unpool2d_overlap", "max_unpool2d", [x(1, 2, 3, 3), P("max_pool2d", (1, 2, 5, 5), kernel_size=3, stride=1)], {"kernel_size": 3, "stride": 1}, [0], False)
    add("max_unpool2d_output_size", "max_unpool2d", [x(2, 3, 3), P("max_pool2d", (2, 7, 7), kernel_size=2)], {"kernel_size": 2, "output_size": [1, 2, 7, 7]}, [0])
    add("max_unpool1d", "max_unpool1d", [x(2, 3, 4), P("max_pool1d", (2, 3, 9), kernel_size=2)], {"kernel_size": 2, "output_size": [9]}, [0])
    add("max_unpool3d_basic", "max_unpool3d", [x(1, 2, 2, 2, 2), P("max_pool3d", (1, 2, 4, 4, 4), kernel_size=2)], {"kernel_size": 2}, [0])
    add("max_unpool3d_params", "max_unpool3d", [x(1, 3, 3, 3), P("max_pool3d", (1, 5, 5, 5), kernel_size=3, stride=2, padding=1)],
        {"kernel_size": 3, "stride": 2, "padding": 1}, [0], False)
    return c


def norm_cases():
    c = []
    add = lambda name, fn, args, kw, diff, gc=True: c.append((name, fn, args, kw, diff, gc))
    x = lambda *s: ("t", s)
    pos = lambda *s: ("p", s)
    add("batch_norm_train", "batch_norm", [x(4, 3, 3, 2), x(3), pos(3)], {"weight": x(3), "bias": x(3), "training": True, "momentum": 0.2}, [0, "weight", "bias"])
    add("batch_norm_train_no_affine", "batch_norm", [x(5, 2), x(2), pos(2)], {"training": True}, [0])
    add("batch_norm_train_no_stats", "batch_norm", [x(3, 2, 4), None, None], {"weight": x(2), "training": True, "eps": 1e-3}, [0, "weight"])
    add("batch_norm_eval", "batch_norm", [x(4, 3, 2, 2), x(3), pos(3)], {"weight": x(3), "bias": x(3)}, [0, "weight", "bias"])
    add("instance_norm_basic", "instance_norm", [x(2, 3, 4, 5)], {"weight": x(3), "bias": x(3)}, [0, "weight", "bias"])
    add("instance_norm_running", "instance_norm", [x(3, 2, 6), x(2), pos(2)], {"momentum": 0.3}, [0])
    add("instance_norm_eval", "instance_norm", [x(2, 3, 4), x(3), pos(3)], {"weight": x(3), "use_input_stats": False}, [0, "weight"])
    add("layer_norm_basic", "layer_norm", [x(3, 4, 5)], {"normalized_shape": [5], "weight": x(5), "bias": x(5)}, [0, "weight", "bias"])
    add("layer_norm_2d_shape", "layer_norm", [x(2, 3, 4)], {"normalized_shape": [3, 4], "weight": x(3, 4), "eps": 1e-3}, [0, "weight"])
    add("layer_norm_no_affine", "layer_norm", [x(4, 6)], {"normalized_shape": [6]}, [0])
    add("layer_norm_whole", "layer_norm", [x(5)], {"normalized_shape": [5], "bias": x(5)}, [0, "bias"])
    add("group_norm_basic", "group_norm", [x(2, 6, 3, 2)], {"num_groups": 3, "weight": x(6), "bias": x(6)}, [0, "weight", "bias"])
    add("group_norm_one_group", "group_norm", [x(3, 4, 5)], {"num_groups": 1, "eps": 1e-2}, [0])
    add("group_norm_per_channel", "group_norm", [x(2, 4, 3)], {"num_groups": 4, "weight": x(4)}, [0, "weight"])
    add("pad_constant", "pad", [x(2, 3, 4)], {"pad": [1, 2]}, [0])
    add("pad_constant_value", "pad", [x(2, 3, 4)], {"pad": [2, 0, 1, 1], "value": 1.5}, [0])
    add("pad_constant_negative", "pad", [x(2, 3, 5, 4)], {"pad": [-1, 2, 1, -2]}, [0])
    add("pad_constant_4d", "pad", [x(2, 2, 2, 2)], {"pad": [1, 0, 0, 1, 1, 1, 0, 1]}, [0])
    add("pad_reflect_1d", "pad", [x(2, 3, 5)], {"pad": [2, 3], "mode": "reflect"}, [0])
    add("pad_reflect_2d", "pad", [x(1, 2, 4, 5)], {"pad": [1, 3, 2, 1], "mode": "reflect"}, [0])
    add("pad_reflect_unbatched", "pad", [x(2, 3, 4)], {"pad": [1, 1, 2, 2], "mode": "reflect"}, [0])
    add("pad_reflect_3d", "pad", [x(1, 1, 3, 3, 4)], {"pad": [1, 2, 1, 1, 2, 0], "mode": "reflect"}, [0])
    add("pad_replicate_1d", "pad", [x(2, 4)], {"pad": [3, 1], "mode": "replicate"}, [0])
    add("pad_replicate_2d", "pad", [x(2, 1, 3, 4)], {"pad": [2, 2, 0, 3], "mode": "replicate"}, [0])
    add("pad_circular_2d", "pad", [x(1, 2, 3, 4)], {"pad": [1, 2, 2, 1], "mode": "circular"}, [0])
    add("pad_circular_1d", "pad", [x(2, 2, 5)], {"pad": [3, 2], "mode": "circular"}, [0])
    add("pad_circular_negative", "pad", [x(1, 2, 6)], {"pad": [-2, 3], "mode": "circular"}, [0])
    return c


def make_arg(spec, name, dtype):
    if not isinstance(spec, tuple):
        return spec
    kind = spec[0]
    if kind == "t":
        return rnd(name, spec[1], dtype)
    if kind == "p":
        return rnd(name, spec[1], dtype, 0.5, 2.0)
    if kind == "T":  # stored contiguous, used transposed (last two dims)
        s = list(spec[1])
        s[-1], s[-2] = s[-2], s[-1]
        return rnd(name, s, dtype)
    if kind == "i":
        g = gen(name)
        return torch.randint(spec[2], spec[3], spec[1], generator=g).to(dtype)
    if kind == "P":  # the indices of a max pooling (fn, input shape, kwargs) of random data, for unpooling
        return getattr(F, spec[1])(rnd(name, spec[2], torch.float64), **spec[3], return_indices=True)[1]
    if kind == "n":
        v = rnd(name, spec[1], dtype)
        v.view(-1)[5] = float("nan")
        return v
    raise ValueError(kind)


def functional_cases():
    out = []
    for cases in (conv_cases(), pool_cases(), norm_cases()):
        for (name, fn, args, kwargs, diff, gc) in cases:
            for dt in (torch.float64, torch.float32):
                cname = f"{name}_{dname(dt)}"
                a = [make_arg(s, f"{cname}/{i}", dt) for i, s in enumerate(args)]
                kw = {k: make_arg(s, f"{cname}/{k}", dt) for k, s in kwargs.items()}
                views = {}
                if isinstance(args[0], tuple) and args[0][0] == "T":
                    views["0"] = "T"
                enc_a, enc_kw = [enc_arg(v, big_ints=False) for v in a], {k: enc_arg(v, big_ints=False) for k, v in kw.items()}
                # running statistics are updated in place: record them as passed
                call_a = [v.transpose(-1, -2) if views.get(str(i)) == "T" else v for i, v in enumerate(a)]
                call_a = [v.clone() if isinstance(v, torch.Tensor) else v for v in call_a]
                call_kw = {k: (v.clone() if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}
                leaves = grad_leaves(call_a, call_kw, diff)
                # (an unpooling's repeated index takes the value its thread writes last: on one
                # thread, the last in order, as typetorch writes them)
                threads = torch.get_num_threads()
                if fn.startswith("max_unpool"):
                    torch.set_num_threads(1)
                res = getattr(F, fn)(*call_a, **call_kw)
                torch.set_num_threads(threads)
                y = res[0] if isinstance(res, tuple) else res
                go = rnd(cname + "/go", y.shape, dt)
                grads = torch.autograd.grad(y, leaves, go, allow_unused=True)
                case = {
                    "name": cname, "fn": fn, "args": enc_a, "kwargs": enc_kw, "views": views, "diff": diff,
                    "out": [T(r) for r in res] if isinstance(res, tuple) else T(res),
                    "grad_fn": type(y.grad_fn).__name__, "go": T(go),
                    "grads": [T(g) if g is not None else None for g in grads],
                    "gradcheck": gc and dt == torch.float64,
                }
                if fn in ("batch_norm", "instance_norm") and len(call_a) > 1 and isinstance(call_a[1], torch.Tensor):
                    case["running_after"] = [T(call_a[1]), T(call_a[2])]
                out.append(case)
    return out


# ---------------------------------------------------------------------------------------------
# errors: (name, fn, args, kwargs). Tensors are ("z", shape[, dtype]).

def errors():
    Z = lambda *s: ("z", s, "float32")
    D = lambda *s: ("z", s, "float64")
    L = lambda *s: ("z", s, "int64")
    cases = [
        ("conv2d_2d_input", "conv2d", [Z(28, 28), Z(32, 1, 3, 3)], {}),
        ("conv2d_channels", "conv2d", [Z(64, 3, 28, 28), Z(32, 1, 3, 3)], {}),
        ("conv2d_kernel_too_big", "conv2d", [Z(64, 1, 2, 2), Z(32, 1, 3, 3)], {}),
        ("conv2d_kernel_too_big_pad", "conv2d", [Z(1, 1, 2, 3), Z(2, 1, 5, 4)], {"padding": [1, 0], "dilation": [1, 2]}),
        ("conv2d_weight_3d", "conv2d", [Z(64, 1, 8, 8), Z(32, 1, 3)], {}),
        ("conv2d_groups_divisible", "conv2d", [Z(64, 2, 8, 8), Z(3, 1, 3, 3)], {"groups": 2}),
        ("conv2d_groups_zero", "conv2d", [Z(64, 2, 8, 8), Z(2, 1, 3, 3)], {"groups": 0}),
        ("conv2d_bias_size", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3), Z(3)], {}),
        ("conv2d_bias_dtype", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3), D(4)], {}),
        ("conv2d_weight_dtype", "conv2d", [Z(4, 2, 8, 8), D(4, 2, 3, 3)], {}),
        ("conv2d_stride_zero", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"stride": 0}),
        ("conv2d_stride_len", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"stride": [1, 1, 1]}),
        ("conv2d_padding_negative", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"padding": -1}),
        ("conv2d_dilation_zero", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"dilation": 0}),
        ("conv2d_same_strided", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"padding": "same", "stride": 2}),
        ("conv2d_bad_padding_string", "conv2d", [Z(4, 2, 8, 8), Z(4, 2, 3, 3)], {"padding": "foo"}),
        ("conv1d_4d_input", "conv1d", [Z(4, 2, 8, 8), Z(4, 2, 3)], {}),
        ("conv1d_1d_input", "conv1d", [Z(8), Z(4, 2, 3)], {}),
        ("unfold_kernel_too_big", "unfold", [Z(2, 3, 5, 5)], {"kernel_size": 6}),
        ("unfold_kernel_zero", "unfold", [Z(2, 3, 5, 5)], {"kernel_size": 0}),
        ("unfold_stride_zero", "unfold", [Z(2, 3, 5, 5)], {"kernel_size": 2, "stride": 0}),
        ("unfold_padding_negative", "unfold", [Z(2, 3, 5, 5)], {"kernel_size": 2, "padding": -1}),
        ("unfold_empty", "unfold", [Z(2, 0, 5, 5)], {"kernel_size": 2}),
        ("unfold_2d", "unfold", [Z(5, 5)], {"kernel_size": 2}),
        ("fold_blocks", "fold", [Z(2, 12, 16)], {"output_size": [5, 5], "kernel_size": 2, "stride": 2}),
        ("fold_divisible", "fold", [Z(2, 13, 16)], {"output_size": [5, 5], "kernel_size": 2}),
        ("fold_4d", "fold", [Z(2, 12, 16, 1)], {"output_size": [5, 5], "kernel_size": 2}),
        ("max_pool2d_pad_too_big", "max_pool2d", [Z(1, 1, 6, 6)], {"kernel_size": 2, "padding": 2}),
        ("max_pool2d_output_too_small", "max_pool2d", [Z(1, 3, 2, 2)], {"kernel_size": 3}),
        ("max_pool2d_2d_input", "max_pool2d", [Z(4, 4)], {"kernel_size": 2}),
        ("max_pool2d_kernel_len", "max_pool2d", [Z(1, 1, 4, 4)], {"kernel_size": [2, 2, 2]}),
        ("avg_pool2d_pad_too_big", "avg_pool2d", [Z(1, 1, 6, 6)], {"kernel_size": 3, "padding": 2}),
        ("avg_pool2d_divisor_zero", "avg_pool2d", [Z(1, 1, 6, 6)], {"kernel_size": 2, "divisor_override": 0}),
        ("avg_pool2d_5d", "avg_pool2d", [Z(1, 1, 1, 6, 6)], {"kernel_size": 2}),
        ("avg_pool1d_4d", "avg_pool1d", [Z(1, 1, 6, 6)], {"kernel_size": 2}),
        ("max_pool1d_pad", "max_pool1d", [Z(1, 1, 6)], {"kernel_size": 2, "padding": 2}),
        ("adaptive_avg_pool2d_2d", "adaptive_avg_pool2d", [Z(4, 4)], {"output_size": 2}),
        ("adaptive_max_pool2d_empty", "adaptive_max_pool2d", [Z(1, 0, 4)], {"output_size": 2}),
        ("conv3d_4d_weight", "conv3d", [Z(1, 2, 4, 4, 4), Z(3, 2, 2, 2)], {}),
        ("conv3d_3d_input", "conv3d", [Z(4, 4, 4), Z(3, 2, 2, 2, 2)], {}),
        ("conv3d_kernel_too_big", "conv3d", [Z(1, 2, 4, 4, 4), Z(3, 2, 5, 2, 2)], {"padding": [0, 1, 0]}),
        ("conv3d_stride_len", "conv3d", [Z(1, 2, 4, 4, 4), Z(3, 2, 2, 2, 2)], {"stride": [1, 1]}),
        ("conv3d_channels", "conv3d", [Z(1, 3, 4, 4, 4), Z(3, 2, 2, 2, 2)], {}),
        ("conv3d_weight_dtype", "conv3d", [D(1, 2, 4, 4, 4), Z(3, 2, 2, 2, 2)], {}),
        ("max_pool3d_3d_input", "max_pool3d", [Z(2, 4, 4)], {"kernel_size": 2}),
        ("max_pool3d_pad", "max_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": 2, "padding": 2}),
        ("max_pool3d_pad_half", "max_pool3d", [Z(1, 2, 6, 6, 6)], {"kernel_size": 3, "padding": [1, 2, 1], "dilation": 2}),
        ("max_pool3d_too_small", "max_pool3d", [Z(1, 2, 1, 4, 4)], {"kernel_size": 2}),
        ("max_pool3d_kernel_len", "max_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": [2, 2]}),
        ("max_pool3d_stride_zero", "max_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": 2, "stride": 0}),
        ("max_pool3d_empty", "max_pool3d", [Z(1, 0, 4, 4, 4)], {"kernel_size": 2}),
        ("avg_pool3d_3d_input", "avg_pool3d", [Z(2, 4, 4)], {"kernel_size": 2}),
        ("avg_pool3d_small", "avg_pool3d", [Z(1, 2, 1, 4, 4)], {"kernel_size": 2}),
        ("avg_pool3d_pad", "avg_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": 3, "padding": [1, 2, 1]}),
        ("avg_pool3d_divisor_zero", "avg_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": 2, "divisor_override": 0}),
        ("avg_pool3d_stride_len", "avg_pool3d", [Z(1, 2, 4, 4, 4)], {"kernel_size": 2, "stride": [1, 1]}),
        ("adaptive_avg_pool3d_2d", "adaptive_avg_pool3d", [Z(4, 4)], {"output_size": 2}),
        ("adaptive_avg_pool3d_empty_2d", "adaptive_avg_pool3d", [Z(4, 0)], {"output_size": 2}),
        ("adaptive_avg_pool3d_empty", "adaptive_avg_pool3d", [Z(1, 2, 0, 4, 4)], {"output_size": 2}),
        ("adaptive_avg_pool3d_len", "adaptive_avg_pool3d", [Z(1, 2, 4, 4, 4)], {"output_size": [2, 2]}),
        ("adaptive_avg_pool3d_negative", "adaptive_avg_pool3d", [Z(1, 2, 4, 4, 4)], {"output_size": [2, -1, 2]}),
        ("adaptive_max_pool3d_2d", "adaptive_max_pool3d", [Z(4, 4)], {"output_size": 2}),
        ("adaptive_max_pool3d_empty", "adaptive_max_pool3d", [Z(1, 2, 0, 4, 4)], {"output_size": 2}),
        ("adaptive_max_pool3d_len", "adaptive_max_pool3d", [Z(1, 2, 4, 4, 4)], {"output_size": [2, 2]}),
        ("max_pool2d_bool", "max_pool2d", [("z", (1, 2, 2), "bool")], {"kernel_size": 2}),
        ("max_pool2d_int64", "max_pool2d", [L(1, 2, 2)], {"kernel_size": 2}),
        ("max_pool3d_uint8", "max_pool3d", [("z", (1, 2, 2, 2), "uint8")], {"kernel_size": 2, "return_indices": True}),
        ("max_pool3d_bool", "max_pool3d", [("z", (1, 2, 2, 2), "bool")], {"kernel_size": 2}),
        ("max_pool1d_int64", "max_pool1d", [L(2, 4)], {"kernel_size": 2}),
        ("max_pool1d_int64_indices", "max_pool1d", [L(2, 4)], {"kernel_size": 2, "return_indices": True}),
        ("max_pool1d_bool_indices", "max_pool1d", [("z", (2, 4), "bool")], {"kernel_size": 2, "return_indices": True}),
        ("adaptive_max_pool3d_int64", "adaptive_max_pool3d", [L(1, 2, 2, 2)], {"output_size": 1}),
        ("avg_pool3d_int64", "avg_pool3d", [L(1, 2, 2, 2)], {"kernel_size": 2}),
        ("avg_pool3d_int32", "avg_pool3d", [("z", (1, 2, 2, 2), "int32")], {"kernel_size": 2}),
        ("local_response_norm_2d", "local_response_norm", [Z(2, 3)], {"size": 2}),
        ("local_response_norm_empty", "local_response_norm", [Z(2, 3, 0)], {"size": 2}),
        ("max_unpool2d_int32", "max_unpool2d", [Z(1, 2, 2, 2), ("z", (1, 2, 2, 2), "int32")], {"kernel_size": 2}),
        ("max_unpool2d_output_size", "max_unpool2d", [Z(1, 2, 2, 2), L(1, 2, 2, 2)], {"kernel_size": 2, "output_size": [9, 3]}),
        ("max_unpool2d_output_len", "max_unpool2d", [Z(1, 2, 2, 2), L(1, 2, 2, 2)], {"kernel_size": 2, "output_size": [3, 3, 3]}),
        ("max_unpool2d_shape", "max_unpool2d", [Z(1, 2, 2, 2), L(1, 2, 2, 1)], {"kernel_size": 2}),
        ("max_unpool2d_2d", "max_unpool2d", [Z(2, 2), L(2, 2)], {"kernel_size": 2}),
        ("max_unpool2d_empty", "max_unpool2d", [Z(1, 0, 2, 2), L(1, 0, 2, 2)], {"kernel_size": 2}),
        ("max_unpool2d_index", "max_unpool2d", [Z(1, 2, 2, 2), torch.tensor([[[[0, 1], [2, 3]], [[3, 17], [1, 0]]]])], {"kernel_size": 2}),
        ("max_unpool1d_index", "max_unpool1d", [Z(2, 3), torch.tensor([[0, 1, 2], [-2, 1, 0]])], {"kernel_size": 2}),
        ("max_unpool3d_index", "max_unpool3d", [Z(1, 1, 2, 2, 2), torch.tensor([[[[[0, 1], [2, 3]], [[64, 5], [6, 7]]]]])], {"kernel_size": 2}),
        ("max_unpool3d_int32", "max_unpool3d", [Z(1, 1, 2, 2, 2), ("z", (1, 1, 2, 2, 2), "int32")], {"kernel_size": 2}),
        ("max_unpool3d_3d", "max_unpool3d", [Z(2, 2, 2), L(2, 2, 2)], {"kernel_size": 2}),
        ("max_unpool3d_stride_zero", "max_unpool3d", [Z(1, 1, 2, 2, 2), L(1, 1, 2, 2, 2)], {"kernel_size": 2, "stride": 0}),
        ("max_unpool3d_int64", "max_unpool3d", [L(1, 1, 2, 2, 2), L(1, 1, 2, 2, 2)], {"kernel_size": 2}),
        ("batch_norm_one_value", "batch_norm", [Z(1, 3), Z(3), Z(3)], {"training": True}),
        ("batch_norm_running_size", "batch_norm", [Z(2, 3), Z(4), Z(3)], {}),
        ("batch_norm_weight_size", "batch_norm", [Z(2, 3), Z(3), Z(3)], {"weight": Z(2)}),
        ("layer_norm_shape", "layer_norm", [Z(2, 5)], {"normalized_shape": [10]}),
        ("layer_norm_weight", "layer_norm", [Z(2, 10)], {"normalized_shape": [10], "weight": Z(5)}),
        ("group_norm_divisible", "group_norm", [Z(2, 3, 4)], {"num_groups": 2}),
        ("group_norm_weight", "group_norm", [Z(2, 4, 4)], {"num_groups": 2, "weight": Z(3)}),
        ("pad_odd", "pad", [Z(2, 3)], {"pad": [1, 2, 3]}),
        ("pad_too_long", "pad", [Z(2, 3)], {"pad": [1, 1, 1, 1, 1, 1]}),
        ("pad_negative_size", "pad", [Z(2, 3)], {"pad": [-4, 1]}),
        ("pad_empty_result", "pad", [Z(2, 3)], {"pad": [-1, 3], "value": 2.0}),
        ("pad_zero_size", "pad", [Z(2, 3)], {"pad": [-3, 0, 1, 0]}),
        ("pad_reflect_too_big", "pad", [Z(1, 2, 3)], {"pad": [3, 3], "mode": "reflect"}),
        ("pad_reflect_2d_too_big", "pad", [Z(1, 1, 3, 5)], {"pad": [1, 1, 3, 0], "mode": "reflect"}),
        ("pad_reflect_dims", "pad", [Z(3)], {"pad": [1, 1], "mode": "reflect"}),
        ("pad_reflect_value", "pad", [Z(1, 3)], {"pad": [1, 1], "mode": "reflect", "value": 1.0}),
        ("pad_circular_wrap", "pad", [Z(1, 1, 3)], {"pad": [4, 0], "mode": "circular"}),
    ]
    return functional_errors(cases)


# ---------------------------------------------------------------------------------------------
# modules

MODULES = [
    ("Conv2d", [1, 32, 3, 1], {}),
    ("Conv2d", [3, 6, [3, 2]], {"stride": 2, "padding": 1, "groups": 3, "bias": False}),
    ("Conv2d", [2, 4, 3], {"padding": "same", "dilation": 2}),
    ("Conv2d", [2, 2, 3], {"padding": 1, "padding_mode": "reflect"}),
    ("Conv2d", [2, 3, 2], {"padding": [1, 2], "padding_mode": "circular"}),
    ("Conv1d", [2, 4, 3], {"padding": "same", "bias": False, "padding_mode": "replicate"}),
    ("Conv1d", [4, 2, 5], {"stride": 2, "padding": 2, "groups": 2}),
    ("MaxPool2d", [2], {}),
    ("MaxPool2d", [3], {"stride": [2, 1], "padding": 1, "dilation": 2, "ceil_mode": True}),
    ("MaxPool1d", [3], {"stride": 2}),
    ("AvgPool2d", [2], {}),
    ("AvgPool2d", [[3, 2]], {"stride": 1, "padding": [1, 0], "count_include_pad": False}),
    ("AvgPool1d", [3], {"stride": 2, "padding": 1}),
    ("AdaptiveAvgPool2d", [[None, 3]], {}),
    ("AdaptiveAvgPool2d", [1], {}),
    ("AdaptiveAvgPool1d", [4], {}),
    ("AdaptiveMaxPool2d", [[2, 3]], {}),
    ("BatchNorm2d", [4], {}),
    ("BatchNorm1d", [3], {"eps": 1e-3, "momentum": None, "affine": False}),
    ("BatchNorm2d", [2], {"track_running_stats": False}),
    ("LayerNorm", [10], {}),
    ("LayerNorm", [[3, 4]], {"eps": 1e-6, "elementwise_affine": False}),
    ("GroupNorm", [2, 4], {}),
    ("GroupNorm", [3, 6], {"eps": 1e-3, "affine": False}),
    ("InstanceNorm2d", [3], {}),
    ("InstanceNorm1d", [4], {"affine": True, "track_running_stats": True, "momentum": 0.2}),
    ("BatchNorm1d", [4], {"bias": False}),
    ("GroupNorm", [2, 4], {"bias": False}),
    ("LayerNorm", [6], {"bias": False}),
    ("InstanceNorm2d", [3], {"affine": True, "bias": False}),
    ("ZeroPad2d", [2], {}),
    ("ZeroPad2d", [[1, 0, 2, 1]], {}),
    ("ConstantPad1d", [[1, 2], 3.5], {}),
    ("ConstantPad2d", [1, 2], {}),
    ("ReflectionPad2d", [[1, 0, 2, 1]], {}),
    ("ReflectionPad1d", [2], {}),
    ("ReplicationPad1d", [[2, 1]], {}),
    ("ReplicationPad2d", [1], {}),
    ("Dropout2d", [], {}),
    ("Dropout1d", [0.2], {}),
    ("Conv3d", [2, 3, 2], {}),
    ("Conv3d", [4, 2, [2, 1, 3]], {"stride": [1, 2, 1], "padding": [1, 0, 1], "dilation": [2, 1, 1], "groups": 2, "bias": False}),
    ("Conv3d", [2, 2, 3], {"padding": 1, "padding_mode": "replicate"}),
    ("Conv3d", [1, 2, 2], {"padding": "same"}),
    ("MaxPool3d", [2], {}),
    ("MaxPool3d", [[3, 2, 2]], {"stride": [2, 1, 1], "padding": 1, "dilation": [1, 2, 1], "ceil_mode": True}),
    ("AvgPool3d", [3], {"stride": 2, "padding": 1, "count_include_pad": False, "divisor_override": 2}),
    ("AvgPool3d", [[2, 1, 2]], {}),
    ("AdaptiveAvgPool3d", [[2, None, 3]], {}),
    ("AdaptiveAvgPool3d", [1], {}),
    ("AdaptiveMaxPool3d", [[1, 2, 2]], {}),
    ("MaxUnpool2d", [2], {}),
    ("MaxUnpool3d", [[2, 1, 2], 1, 1], {}),
    ("MaxUnpool1d", [2], {"stride": 1}),
    ("BatchNorm3d", [3], {}),
    ("InstanceNorm3d", [2], {"affine": True}),
    ("Dropout3d", [0.2], {}),
    ("LPPool1d", [2, 3], {}),
    ("LPPool2d", [1.5, [2, 3]], {"stride": 1, "ceil_mode": True}),
    ("LPPool3d", [2, 2], {}),
    ("LocalResponseNorm", [2], {}),
    ("LocalResponseNorm", [3, 1e-3, 0.5, 2.0], {}),
]


FORWARD_SHAPES = {
    "Conv2d": [2, 0, 6, 5], "Conv1d": [2, 0, 7], "Conv3d": [1, 0, 3, 4, 3], "MaxPool3d": [1, 2, 4, 4, 3], "AvgPool3d": [2, 3, 4, 3],
    "AdaptiveAvgPool3d": [1, 2, 4, 3, 5], "InstanceNorm3d": [2, 2, 2, 3, 2], "LPPool2d": [1, 2, 5, 5], "LPPool3d": [2, 2, 3, 2], "LocalResponseNorm": [2, 5, 3, 2], "InstanceNorm2d": [2, 3, 4, 5], "InstanceNorm1d": [2, 4, 6],
    "ZeroPad2d": [1, 2, 3, 3], "ConstantPad1d": [2, 3], "ConstantPad2d": [2, 3, 3], "ReflectionPad2d": [1, 1, 4, 4],
    "ReflectionPad1d": [2, 2, 4], "ReplicationPad1d": [2, 2, 4], "ReplicationPad2d": [1, 3, 2, 2],
}


def modules():
    out = []
    for i, (cls, args, kwargs) in enumerate(MODULES):
        torch.manual_seed(i)
        m = build(cls, args, kwargs)
        entry = {
            "cls": cls, "args": args, "kwargs": kwargs, "seed": i, "repr": repr(m),
            "state_dict": [[k, dname(v.dtype), list(v.shape)] for k, v in m.state_dict().items()],
            "params": {k: T(v) for k, v in m.state_dict().items()},
        }
        shape = FORWARD_SHAPES.get(cls)
        if shape is not None:
            # a forward pass and its gradients (padding modes included)
            if cls.startswith("Conv"):
                shape = [shape[0], args[0], *shape[2:]]
            x = rnd(f"module{i}/x", shape, torch.float32).requires_grad_(True)
            y = m(x)
            go = rnd(f"module{i}/go", y.shape, torch.float32)
            y.backward(go)
            entry["forward"] = {"x": T(x), "out": T(y), "grad_fn": type(y.grad_fn).__name__, "go": T(go), "gx": T(x.grad),
                                "grads": {k: T(p.grad) for k, p in m.named_parameters()}}
        out.append(entry)
    return out


def batchnorm_runs():
    runs = []
    for name, cls, kwargs, shape in [
        ("bn2d", "BatchNorm2d", {}, (4, 3, 2, 3)),
        ("bn2d_momentum", "BatchNorm2d", {"momentum": 0.3}, (3, 3, 2, 2)),
        ("bn1d_cumulative", "BatchNorm1d", {"momentum": None}, (5, 3)),
        ("bn1d_3d", "BatchNorm1d", {"affine": False}, (4, 3, 2)),
        ("bn2d_no_stats", "BatchNorm2d", {"track_running_stats": False}, (2, 3, 2, 2)),
        ("in1d_tracking", "InstanceNorm1d", {"affine": True, "track_running_stats": True}, (2, 3, 5)),
        ("in2d_unbatched", "InstanceNorm2d", {"track_running_stats": True, "momentum": 0.5}, (3, 2, 4)),
        ("bn3d", "BatchNorm3d", {"momentum": 0.2}, (2, 3, 2, 2, 3)),
        ("in3d_tracking", "InstanceNorm3d", {"affine": True, "track_running_stats": True}, (2, 3, 2, 3, 2)),
        ("in3d_unbatched", "InstanceNorm3d", {}, (3, 2, 2, 3)),
    ]:
        torch.manual_seed(0)
        m = getattr(nn, cls)(3, **kwargs)
        with torch.no_grad():
            if m.weight is not None:
                m.weight.copy_(rnd(name + "/w", (3,), torch.float32, 0.5, 1.5))
                m.bias.copy_(rnd(name + "/b", (3,), torch.float32))
        steps = []
        for s in range(3):
            x = rnd(f"{name}/x{s}", shape, torch.float32, -1.0, 3.0).requires_grad_(True)
            y = m(x)
            go = rnd(f"{name}/go{s}", y.shape, torch.float32)
            y.backward(go)
            steps.append({"x": T(x), "out": T(y), "go": T(go), "gx": T(x.grad),
                          "buffers": {k: T(v) for k, v in m.named_buffers()}})
        m.eval()
        xe = rnd(name + "/xe", shape, torch.float32).requires_grad_(True)
        ye = m(xe)
        ge = rnd(name + "/ge", ye.shape, torch.float32)
        ye.backward(ge)
        runs.append({"name": name, "cls": cls, "kwargs": kwargs, "weight": T(m.weight) if m.weight is not None else None,
                     "bias": T(m.bias) if m.bias is not None else None, "steps": steps,
                     "eval": {"x": T(xe), "out": T(ye), "go": T(ge), "gx": T(xe.grad)}})
    return runs


def dropout_masks():
    out = []
    for name, cls, shape, p in [("dropout2d", "Dropout2d", (3, 4, 2, 2), 0.5), ("dropout1d", "Dropout1d", (3, 5, 2), 0.3),
                                ("dropout1d_unbatched", "Dropout1d", (6, 3), 0.5), ("dropout3d", "Dropout3d", (2, 3, 2, 1, 2), 0.5),
                                ("dropout3d_unbatched", "Dropout3d", (5, 2, 1, 2), 0.4)]:
        torch.manual_seed(7)
        m = getattr(nn, cls)(p)
        y = m(torch.ones(shape))
        out.append({"name": name, "cls": cls, "p": p, "shape": list(shape), "out": T(y)})
    return out


# ---------------------------------------------------------------------------------------------
# PyTorch's MNIST example CNN (pytorch/examples mnist/main.py)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def mnist():
    torch.manual_seed(1)
    model = Net()
    init = {k: {"shape": list(v.shape), "crc32": crc(v), "head": v.reshape(-1)[:6].tolist()} for k, v in model.state_dict().items()}
    torch.manual_seed(2)
    x = torch.randn(64, 1, 28, 28)
    target = torch.randint(0, 10, (64,))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    opt.zero_grad()
    out = model(x)
    loss = F.nll_loss(out, target)
    loss.backward()
    grads = {k: {"norm": p.grad.norm().item(), "head": p.grad.reshape(-1)[:6].tolist()} for k, p in model.named_parameters()}
    opt.step()
    after = {k: v.reshape(-1)[:6].tolist() for k, v in model.state_dict().items()}
    model.eval()
    with torch.no_grad():
        eval_loss = F.nll_loss(model(x), target).item()
    return {"repr": repr(model), "init": init, "loss": loss.item(), "grads": grads, "after": after, "eval_loss": eval_loss,
            "target_head": target[:8].tolist()}


def main():
    data = {"functional": functional_cases(), "errors": errors(), "modules": modules(),
            "batchnorm_runs": batchnorm_runs(), "dropout": dropout_masks(), "mnist": mnist()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {OUT}: {len(data['functional'])} functional cases, {len(data['errors'])} errors, "
          f"{len(data['modules'])} modules")


if __name__ == "__main__":
    main()
