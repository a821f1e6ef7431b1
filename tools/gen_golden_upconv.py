#!/usr/bin/env python3
"""Golden data for the upsampling layers: transposed convolution, interpolation and pixel shuffle
(src/ops/conv.ts conv_transpose*, src/ops/upsample.ts, src/nn/conv.ts ConvTranspose*,
src/nn/upsampling.ts, src/nn/pixelshuffle.ts; test/upconv.test.ts), computed by real PyTorch on CPU.

Run with PyTorch 2.x (the committed data are 2.13's):

    .venv-torch/bin/python tools/gen_golden_upconv.py

writes test/golden/upconv.json:
  functional  F.conv_transpose1d/2d/3d, F.interpolate, F.pixel_shuffle/unshuffle cases in float64 and
              float32: arguments, output, grad_fn name, the gradient of every differentiable
              argument for a random grad_output; for a selection ("double"), the gradients of
              <grads, v> with respect to the inputs and grad_output (double backward)
  errors      calls with bad arguments and PyTorch's message
  modules     reprs, default initialisation after manual_seed(0), state_dict keys, forward passes
              (ConvTranspose with output_size too) and their gradients
  module_errors  constructor and forward(output_size) errors of the modules
  uint8       F.interpolate on uint8 images (Pillow's fixed-point path: bilinear and bicubic with and
              without antialias, lanczos; nearest), channels-first, channels-last and transposed
              inputs of 1 to 6 channels (PyTorch's AVX2 kernel takes 3 or 4 channels, its generic
              loop the others), up and down, by size and by scale factor: input and output values
  dcgan       the DCGAN tutorial's generator (small sizes) after manual_seed(0) and its weights_init:
              crc32 of every initial parameter, the output for a seeded noise batch, gradients

Tensors are written {"dtype", "shape", "data"} with lossless float64 values; the large inputs of
error cases as {"zeros": shape, "dtype"}. Data are seeded per case (crc32 of the case name).
"""

import json
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import build_module as build, crc, dname, enc_arg, enc_tensor, functional_errors, gen, grad_leaves, node_name, uniform  # noqa: E402

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "upconv.json")


def T(t):
    return enc_tensor(t, big_ints=False)  # int64 values as they are, beyond 2^53 too


def rnd(name, shape, dtype, lo=-2.0, hi=2.0):
    return uniform(name, shape, dtype, lo, hi)


# ---------------------------------------------------------------------------------------------
# functional cases: (name, fn, args, kwargs, differentiable keys, gradcheck in float64).
# Tensor arguments: ("t", shape) random; ("T", shape) stored contiguous, used transposed.

def conv_transpose_cases():
    c = []
    add = lambda name, fn, args, kw, diff, gc=True: c.append((name, fn, args, kw, diff, gc))
    x = lambda *s: ("t", s)
    ct2, ct1 = "conv_transpose2d", "conv_transpose1d"
    add("ct2d_basic", ct2, [x(2, 3, 4, 4), x(3, 2, 3, 3), x(2)], {}, [0, 1, 2])
    add("ct2d_stride_pad_outpad", ct2, [x(2, 3, 4, 3), x(3, 2, 3, 3)], {"bias": x(2), "stride": 2, "padding": 1, "output_padding": 1}, [0, 1, "bias"])
    add("ct2d_asym", ct2, [x(1, 2, 3, 4), x(2, 3, 2, 3), x(3)], {"stride": [2, 1], "padding": [1, 0], "dilation": [1, 2], "output_padding": [1, 0]}, [0, 1, 2])
    add("ct2d_groups", ct2, [x(2, 4, 3, 3), x(4, 3, 2, 2), x(6)], {"groups": 2, "stride": 2}, [0, 1, 2])
    add("ct2d_depthwise", ct2, [x(1, 3, 4, 4), x(3, 1, 3, 3)], {"groups": 3, "padding": 1}, [0, 1])
    add("ct2d_outpad_dilation", ct2, [x(1, 2, 3, 3), x(2, 2, 2, 2), x(2)], {"stride": 1, "dilation": 2, "output_padding": 1}, [0, 1, 2])
    add("ct2d_outpad_dilation_strided", ct2, [x(2, 2, 3, 2), x(2, 1, 3, 2)], {"stride": [2, 1], "dilation": 3, "output_padding": [2, 1], "padding": [1, 0]}, [0, 1])
    add("ct2d_no_bias", ct2, [x(2, 3, 3, 3), x(3, 4, 2, 2)], {"stride": 3}, [0, 1])
    add("ct2d_unbatched", ct2, [x(3, 4, 3), x(3, 2, 3, 3), x(2)], {"stride": 2, "padding": 1}, [0, 1, 2])
    add("ct2d_batch1", ct2, [x(1, 2, 3, 3), x(2, 3, 4, 4), x(3)], {"stride": 2, "padding": 1}, [0, 1, 2])
    add("ct2d_1x1", ct2, [x(2, 4, 3, 2), x(4, 5, 1, 1), x(5)], {}, [0, 1, 2])
    add("ct2d_noncontiguous", ct2, [("T", (2, 3, 4, 5)), x(3, 2, 3, 3), x(2)], {"stride": 2}, [0, 1, 2])
    add("ct2d_dcgan", ct2, [x(2, 8, 4, 4), x(8, 4, 4, 4)], {"stride": 2, "padding": 1}, [0, 1], False)
    add("ct2d_large_groups", ct2, [x(2, 8, 5, 5), x(8, 3, 3, 3), x(12)], {"stride": 2, "padding": 1, "output_padding": 1, "groups": 4}, [0, 1, 2], False)
    add("ct1d_basic", ct1, [x(2, 3, 5), x(3, 2, 3), x(2)], {}, [0, 1, 2])
    add("ct1d_params", ct1, [x(2, 2, 6), x(2, 3, 4), x(3)], {"stride": 3, "padding": 2, "output_padding": 1, "dilation": 2}, [0, 1, 2])
    add("ct1d_groups", ct1, [x(1, 4, 5), x(4, 2, 3), x(4)], {"groups": 2, "stride": 2, "output_padding": 1}, [0, 1, 2])
    add("ct1d_unbatched", ct1, [x(3, 7), x(3, 2, 2)], {"stride": 2}, [0, 1])
    add("ct1d_outpad_dilation", ct1, [x(2, 2, 4), x(2, 2, 3)], {"dilation": 3, "output_padding": 2}, [0, 1])
    ct3 = "conv_transpose3d"
    add("ct3d_basic", ct3, [x(1, 2, 2, 3, 2), x(2, 2, 2, 2, 2), x(2)], {}, [0, 1, 2])
    add("ct3d_params", ct3, [x(2, 2, 2, 2, 3), x(2, 1, 2, 3, 2)], {"bias": x(1), "stride": [2, 1, 2], "padding": [1, 0, 1], "output_padding": [1, 0, 1], "dilation": [1, 2, 1]}, [0, 1, "bias"])
    add("ct3d_groups", ct3, [x(1, 4, 2, 2, 2), x(4, 1, 2, 1, 2), x(2)], {"groups": 2, "stride": 2}, [0, 1, 2])
    add("ct3d_unbatched", ct3, [x(2, 2, 2, 2), x(2, 2, 3, 2, 2)], {"stride": [1, 2, 1], "padding": 1}, [0, 1])
    return c


def interpolate_cases():
    c = []
    add = lambda name, args, kw, gc=True: c.append((name, "interpolate", args, kw, [0], gc))
    x = lambda *s: ("t", s)
    # nearest, 1-d (the generic kernel) and 2-d (the small-output kernel, then the generic one)
    add("nearest1d_size_up", [x(2, 3, 4)], {"size": 9})
    add("nearest1d_size_down", [x(2, 2, 9)], {"size": 4})
    add("nearest1d_scale2", [x(1, 2, 5)], {"scale_factor": 2})
    add("nearest1d_scale2_1", [x(1, 2, 5)], {"scale_factor": 2.1})
    add("nearest1d_scale0_6", [x(1, 2, 8)], {"scale_factor": 0.6})
    add("nearest1d_recompute", [x(1, 2, 7)], {"scale_factor": 1.7, "recompute_scale_factor": True})
    add("nearest2d_scale2", [x(2, 2, 3, 4)], {"scale_factor": 2})
    add("nearest2d_scale_pair", [x(1, 2, 4, 5)], {"scale_factor": [1.5, 2.3]})
    add("nearest2d_size", [x(1, 3, 4, 5)], {"size": [7, 3]})
    add("nearest2d_size_int", [x(2, 1, 3, 3)], {"size": 5})
    add("nearest2d_down", [x(1, 2, 7, 9)], {"size": [2, 3]})
    add("nearest2d_scale2_1", [x(1, 1, 5, 4)], {"scale_factor": 2.1})
    add("nearest2d_scale2_1_c3", [x(1, 3, 5, 4)], {"scale_factor": 2.1})
    add("nearest2d_scale2_1_large", [x(1, 2, 5, 62)], {"scale_factor": 2.1})
    add("nearest2d_scale1_3_large", [x(1, 2, 3, 70)], {"scale_factor": [1.3, 1.9]})
    add("nearest2d_channels_last_large", [("CL", (1, 4, 5, 62))], {"scale_factor": 2.1})
    add("nearest2d_channels_last_c3_large", [("CL", (1, 3, 5, 62))], {"scale_factor": 2.1})
    add("nearest2d_recompute", [x(1, 2, 5, 6)], {"scale_factor": 1.3, "recompute_scale_factor": True})
    add("nearest2d_noncontiguous", [("T", (1, 2, 4, 3))], {"scale_factor": [2, 3]})
    # nearest-exact
    add("nearest_exact1d_scale", [x(1, 2, 6)], {"mode": "nearest-exact", "scale_factor": 1.7})
    add("nearest_exact1d_down", [x(2, 1, 11)], {"mode": "nearest-exact", "size": 4})
    add("nearest_exact2d_size", [x(1, 2, 5, 4)], {"mode": "nearest-exact", "size": [3, 7]})
    add("nearest_exact2d_scale", [x(1, 2, 4, 5)], {"mode": "nearest-exact", "scale_factor": [2.5, 0.6]})
    add("nearest_exact2d_large", [x(1, 2, 3, 66)], {"mode": "nearest-exact", "scale_factor": 2.1})
    add("nearest_exact2d_same", [x(1, 3, 4, 5)], {"mode": "nearest-exact", "scale_factor": [1.2, 2.1]})
    # linear, 1-d
    add("linear_up", [x(2, 2, 5)], {"mode": "linear", "size": 9})
    add("linear_up_align", [x(2, 2, 5)], {"mode": "linear", "size": 9, "align_corners": True})
    add("linear_down", [x(1, 2, 10)], {"mode": "linear", "size": 4})
    add("linear_down_align", [x(1, 2, 10)], {"mode": "linear", "size": 4, "align_corners": True})
    add("linear_scale", [x(1, 3, 6)], {"mode": "linear", "scale_factor": 1.6})
    add("linear_scale_half", [x(1, 1, 9)], {"mode": "linear", "scale_factor": 0.5})
    add("linear_size1", [x(1, 2, 4)], {"mode": "linear", "size": 1})
    # 3-d: nearest (the small-output kernel, then the generic one past 256), trilinear, area
    add("nearest3d_scale2", [x(1, 2, 2, 3, 2)], {"scale_factor": 2})
    add("nearest3d_size", [x(1, 2, 3, 2, 4)], {"size": [5, 3, 2]})
    add("nearest3d_scale2_1_large", [x(1, 1, 2, 2, 130)], {"scale_factor": 2.1})
    add("nearest3d_scale2_1_small", [x(1, 1, 2, 3, 5)], {"scale_factor": 2.1})
    add("nearest3d_scale1_3_small", [x(1, 2, 3, 3, 4)], {"scale_factor": [1.3, 1.9, 2.1]})
    add("nearest_exact3d_size", [x(1, 2, 3, 2, 3)], {"mode": "nearest-exact", "size": [4, 5, 2]})
    add("trilinear_up", [x(1, 2, 2, 3, 2)], {"mode": "trilinear", "scale_factor": 2})
    add("trilinear_align", [x(1, 2, 3, 2, 3)], {"mode": "trilinear", "size": [4, 3, 5], "align_corners": True})
    add("trilinear_down", [x(2, 1, 4, 5, 4)], {"mode": "trilinear", "size": [2, 3, 2]})
    add("area3d", [x(1, 2, 5, 4, 6)], {"mode": "area", "size": [2, 3, 4]})
    add("linear_size1_align", [x(1, 2, 4)], {"mode": "linear", "size": 1, "align_corners": True})
    add("linear_same_size_scale", [x(1, 2, 5)], {"mode": "linear", "scale_factor": 1.1})
    # bilinear
    add("bilinear_scale2", [x(2, 2, 3, 4)], {"mode": "bilinear", "scale_factor": 2})
    add("bilinear_scale2_align", [x(2, 2, 3, 4)], {"mode": "bilinear", "scale_factor": 2, "align_corners": True})
    add("bilinear_scale_pair", [x(1, 2, 5, 6)], {"mode": "bilinear", "scale_factor": [1.5, 0.7]})
    add("bilinear_size", [x(1, 3, 4, 5)], {"mode": "bilinear", "size": [7, 9]})
    add("bilinear_size_align", [x(1, 3, 4, 5)], {"mode": "bilinear", "size": [7, 9], "align_corners": True})
    add("bilinear_down", [x(1, 2, 8, 9)], {"mode": "bilinear", "size": [3, 4]})
    add("bilinear_down_align", [x(1, 2, 8, 9)], {"mode": "bilinear", "size": [3, 4], "align_corners": True})
    add("bilinear_recompute", [x(1, 2, 5, 6)], {"mode": "bilinear", "scale_factor": 1.3, "recompute_scale_factor": True})
    add("bilinear_large", [x(1, 1, 4, 70)], {"mode": "bilinear", "scale_factor": [2, 1.5]})
    add("bilinear_same_height", [x(1, 2, 4, 3)], {"mode": "bilinear", "size": [4, 6]})
    add("bilinear_size1", [x(1, 1, 4, 5)], {"mode": "bilinear", "size": [1, 1]})
    add("bilinear_noncontiguous", [("T", (2, 1, 3, 4))], {"mode": "bilinear", "scale_factor": 1.5, "align_corners": True})
    # bicubic (Keys' a = -0.75, the four taps clamped to the input)
    add("bicubic_up", [x(2, 1, 4, 5)], {"mode": "bicubic", "size": [7, 9]})
    add("bicubic_up_align", [x(1, 2, 4, 5)], {"mode": "bicubic", "size": [6, 11], "align_corners": True})
    add("bicubic_down", [x(1, 2, 9, 8)], {"mode": "bicubic", "size": [4, 3]})
    add("bicubic_scale", [x(1, 1, 5, 6)], {"mode": "bicubic", "scale_factor": [1.7, 0.6]})
    add("bicubic_same_width", [x(1, 2, 4, 6)], {"mode": "bicubic", "size": [7, 6]})
    # antialiased: bilinear, bicubic and lanczos (Pillow's separable filters), down and up
    aa = lambda mode, **kw: {"mode": mode, "antialias": True, **kw}
    add("lanczos_down", [x(1, 2, 9, 11)], aa("lanczos", size=[4, 5]))
    add("lanczos_up", [x(2, 1, 4, 5)], aa("lanczos", size=[7, 9]))
    add("lanczos_scale", [x(1, 2, 6, 7)], aa("lanczos", scale_factor=[0.6, 1.7]))
    add("lanczos_same_height", [x(1, 1, 5, 12)], aa("lanczos", size=[5, 4]))
    add("lanczos_large_down", [x(1, 1, 3, 64)], aa("lanczos", scale_factor=[1, 0.23]))
    add("bilinear_aa_down", [x(1, 2, 9, 8)], aa("bilinear", size=[4, 3]))
    add("bilinear_aa_up_align", [x(1, 2, 4, 5)], aa("bilinear", size=[6, 8], align_corners=True))
    add("bicubic_aa_down", [x(1, 2, 10, 9)], aa("bicubic", size=[3, 4]))
    add("bicubic_aa_scale", [x(2, 1, 5, 6)], aa("bicubic", scale_factor=1.5))
    # one column out: PyTorch's separable kernel blends every row with row 0's taps unless the
    # output is channels-last of more than one channel (Note [Separable kernel's width-1 rows])
    add("bilinear_aa_width1", [x(1, 2, 7, 5)], aa("bilinear", size=[9, 1]))
    add("bicubic_aa_width1_c1_cl", [("CL", (2, 1, 6, 4))], aa("bicubic", size=[8, 1]))
    add("lanczos_width1_cl", [("CL", (1, 3, 7, 5))], aa("lanczos", size=[4, 1]))
    # area
    add("area1d", [x(1, 2, 7)], {"mode": "area", "size": 3})
    add("area2d", [x(1, 2, 6, 5)], {"mode": "area", "size": [4, 2]})
    add("area2d_scale", [x(2, 1, 6, 6)], {"mode": "area", "scale_factor": 0.5})
    return c


def uint8_cases():
    """F.interpolate on uint8 input: (name, shape, layout, kwargs); layout "cf" contiguous, "cl"
    channels-last, "T" the last two dims transposed. Pixels uniform in 0..255 (seeded by name)."""
    aa = lambda mode, **kw: {"mode": mode, "antialias": True, **kw}
    pl = lambda mode, **kw: {"mode": mode, **kw}
    return [
        ("bilinear_aa_down_c3", (1, 3, 17, 23), "cf", aa("bilinear", size=[7, 9])),
        ("bilinear_aa_down_c3_cl", (2, 3, 17, 23), "cl", aa("bilinear", size=[7, 9])),
        ("bilinear_aa_up_c4_cl", (1, 4, 5, 6), "cl", aa("bilinear", scale_factor=2.3)),
        ("bilinear_aa_mixed_c5", (1, 5, 9, 8), "cf", aa("bilinear", scale_factor=[0.45, 1.6])),
        ("bilinear_aa_far_down_c1", (1, 1, 6, 70), "cf", aa("bilinear", size=[6, 5])),
        ("bilinear_aa_align_c2", (1, 2, 8, 9), "cf", aa("bilinear", size=[5, 13], align_corners=True)),
        ("bicubic_aa_down_c3", (1, 3, 20, 15), "cf", aa("bicubic", size=[6, 7])),
        ("bicubic_aa_down_c4_cl", (1, 4, 20, 15), "cl", aa("bicubic", size=[6, 7])),
        ("bicubic_aa_up_c3_cl", (1, 3, 4, 5), "cl", aa("bicubic", size=[9, 11])),
        ("bicubic_aa_up_c6", (2, 6, 4, 5), "cf", aa("bicubic", scale_factor=1.7)),
        ("bicubic_aa_noncontiguous", (1, 3, 11, 7), "T", aa("bicubic", size=[4, 5])),
        ("lanczos_down_c3", (1, 3, 16, 18), "cf", aa("lanczos", size=[5, 7])),
        ("lanczos_up_c4_cl", (1, 4, 5, 4), "cl", aa("lanczos", scale_factor=[2.5, 1.75])),
        ("lanczos_same_height_c5", (1, 5, 6, 19), "cf", aa("lanczos", size=[6, 8])),
        ("bilinear_up_c3", (1, 3, 5, 6), "cf", pl("bilinear", size=[11, 13])),
        ("bilinear_up_c3_cl", (1, 3, 5, 6), "cl", pl("bilinear", size=[11, 13])),
        ("bilinear_down_c4", (1, 4, 13, 11), "cf", pl("bilinear", size=[5, 4])),
        ("bilinear_scale_c6_cl", (1, 6, 7, 9), "cl", pl("bilinear", scale_factor=[1.4, 0.6])),
        ("bilinear_align_c2", (2, 2, 6, 7), "cf", pl("bilinear", size=[9, 4], align_corners=True)),
        ("bilinear_same_width_c1", (1, 1, 6, 7), "cf", pl("bilinear", size=[10, 7])),
        ("bilinear_noncontiguous", (1, 3, 6, 5), "T", pl("bilinear", scale_factor=1.5)),
        ("bicubic_up_c3", (1, 3, 5, 6), "cf", pl("bicubic", size=[12, 9])),
        ("bicubic_up_c4_cl", (1, 4, 5, 6), "cl", pl("bicubic", scale_factor=2.2)),
        ("bicubic_down_c5", (1, 5, 14, 12), "cf", pl("bicubic", size=[5, 4])),
        ("bicubic_align_c3_cl", (1, 3, 7, 6), "cl", pl("bicubic", size=[10, 4], align_corners=True)),
        ("bicubic_tiny_c1", (1, 1, 2, 1), "cf", pl("bicubic", size=[5, 3])),
        ("nearest2d_c3", (1, 3, 5, 6), "cf", pl("nearest", scale_factor=1.5)),
        ("nearest2d_c4_cl", (1, 4, 5, 6), "cl", pl("nearest", size=[3, 13])),
        ("nearest_exact2d_large_c2", (1, 2, 4, 70), "cf", pl("nearest-exact", scale_factor=2.1)),
        ("bilinear_width1_c5", (1, 5, 7, 6), "cf", pl("bilinear", size=[9, 1])),
        ("bicubic_aa_width1_c3", (1, 3, 7, 6), "cf", aa("bicubic", size=[9, 1])),
        ("lanczos_width1_c6_cl", (1, 6, 7, 6), "cl", aa("lanczos", size=[9, 1])),
        ("nearest1d", (2, 3, 7), "cf", pl("nearest", size=12)),
        ("nearest_exact1d", (2, 3, 7), "cf", pl("nearest-exact", scale_factor=0.6)),
    ]


def uint8_interpolation():
    out = []
    for name, shape, layout, kw in uint8_cases():
        stored = list(shape)
        if layout == "cl":
            stored = [shape[0], *shape[2:], shape[1]]
        elif layout == "T":
            stored[-1], stored[-2] = stored[-2], stored[-1]
        x = torch.randint(0, 256, stored, generator=gen(f"uint8/{name}"), dtype=torch.uint8)
        view = x.permute(0, 3, 1, 2) if layout == "cl" else x.transpose(-1, -2) if layout == "T" else x
        y = F.interpolate(view, **kw)
        out.append({"name": name, "x": T(x), "layout": layout, "kwargs": kw, "out": T(y)})
    return out


def pixel_cases():
    c = []
    x = lambda *s: ("t", s)
    c.append(("pixel_shuffle_basic", "pixel_shuffle", [x(2, 8, 2, 3), 2], {}, [0], True))
    c.append(("pixel_shuffle_3", "pixel_shuffle", [x(1, 9, 2, 2), 3], {}, [0], True))
    c.append(("pixel_shuffle_unbatched", "pixel_shuffle", [x(4, 3, 2), 2], {}, [0], True))
    c.append(("pixel_shuffle_5d", "pixel_shuffle", [x(2, 1, 4, 1, 2), 2], {}, [0], True))
    c.append(("pixel_shuffle_1", "pixel_shuffle", [x(1, 3, 2, 2), 1], {}, [0], True))
    c.append(("pixel_unshuffle_basic", "pixel_unshuffle", [x(2, 2, 4, 6), 2], {}, [0], True))
    c.append(("pixel_unshuffle_3", "pixel_unshuffle", [x(1, 1, 6, 3), 3], {}, [0], True))
    c.append(("pixel_unshuffle_unbatched", "pixel_unshuffle", [x(3, 2, 4), 2], {}, [0], True))
    return c


# double backward checked against PyTorch for these (float64)
DOUBLE = {"ct2d_basic", "ct2d_groups", "ct2d_outpad_dilation", "ct1d_params", "nearest1d_scale2_1", "nearest2d_scale_pair",
          "nearest2d_scale2_1_large", "nearest_exact2d_scale", "linear_up", "bilinear_scale_pair", "bilinear_size_align",
          "area2d", "pixel_shuffle_basic", "pixel_unshuffle_basic", "lanczos_down", "bicubic_aa_down", "bicubic_up_align",
          "bilinear_aa_width1"}


def make_arg(spec, name, dtype):
    if not isinstance(spec, tuple):
        return spec
    kind = spec[0]
    if kind == "t":
        return rnd(name, spec[1], dtype)
    if kind == "T":  # stored contiguous, used transposed (last two dims)
        s = list(spec[1])
        s[-1], s[-2] = s[-2], s[-1]
        return rnd(name, s, dtype)
    if kind == "CL":  # stored [N, H, W, C], used permuted to [N, C, H, W] (channels-last strides)
        n, c, h, w = spec[1]
        return rnd(name, (n, h, w, c), dtype)
    raise ValueError(kind)


def view_of(spec, t):
    if isinstance(spec, tuple) and spec[0] == "T":
        return t.transpose(-1, -2)
    if isinstance(spec, tuple) and spec[0] == "CL":
        return t.permute(0, 3, 1, 2)
    return t


def call_kwargs(kw):
    """Keyword arguments as given: lists stay lists (PyTorch prints them back as lists)."""
    return dict(kw)


def functional_cases():
    out = []
    for cases in (conv_transpose_cases(), interpolate_cases(), pixel_cases()):
        for (name, fn, args, kwargs, diff, gc) in cases:
            for dt in (torch.float64, torch.float32):
                cname = f"{name}_{dname(dt)}"
                a = [make_arg(s, f"{cname}/{i}", dt) for i, s in enumerate(args)]
                kw = {k: make_arg(s, f"{cname}/{k}", dt) for k, s in kwargs.items()}
                views = {}
                if isinstance(args[0], tuple) and args[0][0] in ("T", "CL"):
                    views["0"] = args[0][0]
                enc_a, enc_kw = [enc_arg(v, big_ints=False) for v in a], {k: enc_arg(v, big_ints=False) for k, v in kw.items()}
                call_a = [view_of(args[i], v) for i, v in enumerate(a)]
                call_kw = call_kwargs(kw)
                f = getattr(F, fn)
                leaves = grad_leaves(call_a, call_kw, diff)
                y = f(*call_a, **call_kw)
                go = rnd(cname + "/go", y.shape, dt)
                grads = torch.autograd.grad(y, leaves, go, allow_unused=True)
                if gc and dt == torch.float64:
                    # PyTorch's own gradcheck fails where its nearest backward reads other positions
                    # than its forward (Note [Nearest source index] in src/ops/upsample.ts)
                    def fn_of(*t):
                        a2, kw2 = list(call_a), dict(call_kw)
                        for key, v in zip(diff, t):
                            if isinstance(key, int):
                                a2[key] = v
                            else:
                                kw2[key] = v
                        return f(*a2, **kw2)
                    gc = torch.autograd.gradcheck(fn_of, [l.detach().clone().requires_grad_(True) for l in leaves], raise_exception=False)
                case = {
                    "name": cname, "fn": fn, "args": enc_a, "kwargs": enc_kw, "views": views, "diff": diff,
                    "out": T(y), "grad_fn": node_name(y.grad_fn), "go": T(go),
                    "grads": [T(g) if g is not None else None for g in grads],
                    "gradcheck": gc and dt == torch.float64,
                }
                if name in DOUBLE and dt == torch.float64:
                    go_leaf = go.clone().requires_grad_(True)
                    y = f(*call_a, **call_kw)
                    g1 = torch.autograd.grad(y, leaves, go_leaf, create_graph=True)
                    vs = [rnd(f"{cname}/v{i}", g.shape, dt) for i, g in enumerate(g1)]
                    s = sum((g * v).sum() for g, v in zip(g1, vs))
                    g2 = torch.autograd.grad(s, leaves + [go_leaf], allow_unused=True)
                    case["double"] = {
                        "v": [T(v) for v in vs], "grad_grad_fn": node_name(g1[0].grad_fn),
                        "grads": [T(g) if g is not None else None for g in g2],
                    }
                out.append(case)
    return out


# ---------------------------------------------------------------------------------------------
# errors: (name, fn, args, kwargs). Tensors are ("z", shape[, dtype]).

def errors():
    Z = lambda *s: ("z", s, "float32")
    D = lambda *s: ("z", s, "float64")
    L = lambda *s: ("z", s, "int64")
    U, I, C, B = [lambda *s, d=d: ("z", s, d) for d in ("uint8", "int32", "int8", "bool")]
    ct2 = "conv_transpose2d"
    cases = [
        ("ct2d_outpad_big", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"stride": 2, "output_padding": 2}),
        ("ct2d_outpad_big_1", ct2, [D(1, 4, 5, 5), D(4, 2, 3, 3)], {"output_padding": 1}),
        ("ct2d_too_small", ct2, [D(4, 4, 5, 5), D(4, 2, 3, 3)], {"padding": 5}),
        ("ct2d_dilation_zero", ct2, [D(4, 4, 5, 5), D(4, 2, 3, 3)], {"dilation": 0}),
        ("ct2d_stride_zero", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"stride": 0}),
        ("ct2d_padding_negative", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"padding": -1}),
        ("ct3d_outpad_big", "conv_transpose3d", [Z(1, 2, 4, 4, 4), Z(2, 3, 2, 2, 2)], {"output_padding": [1, 2, 0], "stride": 2}),
        ("ct3d_too_small", "conv_transpose3d", [D(1, 2, 4, 4, 4), D(2, 3, 2, 2, 2)], {"padding": [4, 0, 4]}),
        ("ct3d_dilation_zero", "conv_transpose3d", [D(1, 2, 4, 4, 4), D(2, 3, 2, 2, 2)], {"dilation": 0}),
        ("ct3d_weight_dtype", "conv_transpose3d", [D(1, 2, 4, 4, 4), Z(2, 3, 2, 2, 2)], {}),
        ("ct3d_channels", "conv_transpose3d", [Z(1, 3, 4, 4, 4), Z(2, 3, 2, 2, 2)], {}),
        ("ct3d_3d_input", "conv_transpose3d", [Z(2, 4, 4), Z(2, 3, 2, 2, 2)], {}),
        ("ct2d_outpad_negative", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"output_padding": -1}),
        ("ct2d_channels", ct2, [Z(4, 4, 5, 5), Z(3, 2, 3, 3)], {}),
        ("ct2d_bias_size", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3), Z(3)], {}),
        ("ct2d_bias_dtype_batched", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3), D(2)], {}),
        ("ct2d_weight_dtype_batched", ct2, [Z(4, 4, 5, 5), D(4, 2, 3, 3)], {}),
        ("ct2d_weight_dtype_single", ct2, [Z(1, 4, 5, 5), D(4, 2, 3, 3)], {}),
        ("ct2d_weight_dtype_double", ct2, [D(4, 4, 5, 5), Z(4, 2, 3, 3)], {}),
        ("ct2d_groups_divisible", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"groups": 3}),
        ("ct2d_groups_at_least", ct2, [Z(4, 2, 5, 5), Z(2, 2, 3, 3)], {"groups": 3}),
        ("ct2d_groups_zero", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"groups": 0}),
        ("ct2d_stride_len", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"stride": [1, 1, 1]}),
        ("ct2d_outpad_len", ct2, [Z(4, 4, 5, 5), Z(4, 2, 3, 3)], {"output_padding": [1, 1, 1]}),
        ("ct2d_2d_input", ct2, [Z(5, 5), Z(4, 2, 3, 3)], {}),
        ("ct2d_weight_3d", ct2, [Z(1, 4, 5, 5), Z(4, 2, 3)], {}),
        ("ct1d_weight_4d", "conv_transpose1d", [Z(1, 4, 5), Z(4, 2, 3, 3)], {}),
        ("ct1d_stride_len", "conv_transpose1d", [Z(4, 4, 5), Z(4, 2, 3)], {"stride": [1, 1]}),
        ("ct1d_outpad_big", "conv_transpose1d", [D(4, 4, 5), D(4, 2, 3)], {"output_padding": 1}),
        ("ct1d_too_small", "conv_transpose1d", [D(4, 4, 5), D(4, 2, 3)], {"padding": 4}),
        ("ct1d_4d_input", "conv_transpose1d", [Z(1, 4, 5, 5), Z(4, 2, 3)], {}),
        ("interp_align_nearest", "interpolate", [Z(1, 1, 4, 4)], {"scale_factor": 2, "align_corners": True}),
        ("interp_both", "interpolate", [Z(1, 1, 4, 4)], {"size": 3, "scale_factor": 2}),
        ("interp_neither", "interpolate", [Z(1, 1, 4, 4)], {}),
        ("interp_size_len", "interpolate", [Z(1, 1, 4, 4)], {"size": [3, 4, 5]}),
        ("interp_scale_len", "interpolate", [Z(1, 1, 4, 4)], {"scale_factor": [2, 3, 4]}),
        ("interp_size_float", "interpolate", [Z(1, 1, 4, 4)], {"size": [3.5, 2]}),
        ("interp_recompute_size", "interpolate", [Z(1, 1, 4, 4)], {"size": 3, "recompute_scale_factor": True}),
        ("interp_antialias_nearest", "interpolate", [Z(1, 1, 4, 4)], {"size": 3, "antialias": True}),
        ("interp_output_zero_2d", "interpolate", [Z(1, 1, 5, 5)], {"scale_factor": 0.1}),
        ("interp_output_zero_3d", "interpolate", [Z(1, 1, 5, 5, 5)], {"scale_factor": [1, 0.1, 1]}),
        ("interp_trilinear_4d", "interpolate", [Z(1, 1, 5, 5)], {"scale_factor": 2, "mode": "trilinear"}),
        ("interp_bilinear_5d", "interpolate", [Z(1, 1, 2, 5, 5)], {"scale_factor": 2, "mode": "bilinear"}),
        ("interp_trilinear_int", "interpolate", [L(1, 1, 2, 2, 2)], {"scale_factor": 2, "mode": "trilinear"}),
        ("interp_nearest3d_uint8", "interpolate", [U(1, 1, 2, 2, 2)], {"scale_factor": 2}),
        ("interp_nearest3d_int", "interpolate", [L(1, 1, 2, 2, 2)], {"scale_factor": 2}),
        ("interp_nearest3d_large_int", "interpolate", [L(1, 1, 2, 2, 130)], {"scale_factor": 2}),
        ("interp_output_zero_1d", "interpolate", [Z(1, 1, 5)], {"scale_factor": 0.1}),
        ("interp_output_zero_linear", "interpolate", [Z(1, 1, 5)], {"size": 0, "mode": "linear"}),
        ("interp_empty_channels", "interpolate", [Z(1, 0, 5, 5)], {"size": 3}),
        ("interp_long_nearest2d", "interpolate", [L(1, 1, 5, 5)], {"size": 3}),
        ("interp_long_nearest1d", "interpolate", [L(1, 1, 5)], {"size": 3}),
        ("interp_long_bilinear", "interpolate", [L(1, 1, 5, 5)], {"size": 3, "mode": "bilinear"}),
        ("interp_long_linear", "interpolate", [L(1, 1, 5)], {"size": 3, "mode": "linear"}),
        ("interp_2d_input", "interpolate", [Z(5, 5)], {"size": 3}),
        ("interp_1d_input", "interpolate", [Z(5)], {"scale_factor": 2}),
        ("interp_bilinear_3d", "interpolate", [Z(1, 1, 5)], {"size": 3, "mode": "bilinear"}),
        ("interp_linear_4d", "interpolate", [Z(1, 1, 5, 5)], {"size": 3, "mode": "linear"}),
        ("interp_trilinear_4d", "interpolate", [Z(1, 1, 5, 5)], {"size": 3, "mode": "trilinear"}),
        ("interp_trilinear_3d", "interpolate", [Z(1, 1, 5)], {"size": 3, "mode": "trilinear"}),
        ("interp_bad_mode", "interpolate", [Z(1, 1, 5, 5)], {"size": 3, "mode": "cubic"}),
        ("interp_long_bicubic", "interpolate", [L(1, 1, 5, 5)], {"size": 3, "mode": "bicubic"}),
        ("interp_bicubic_3d", "interpolate", [Z(1, 1, 5)], {"size": 3, "mode": "bicubic"}),
        ("interp_lanczos_no_antialias", "interpolate", [Z(1, 1, 5, 5)], {"size": 3, "mode": "lanczos"}),
        ("interp_lanczos_align", "interpolate", [Z(1, 1, 5, 5)], {"size": 3, "mode": "lanczos", "antialias": True, "align_corners": True}),
        ("interp_lanczos_3d", "interpolate", [Z(1, 1, 5)], {"size": 3, "mode": "lanczos", "antialias": True}),
        ("interp_lanczos_3d_plain", "interpolate", [Z(1, 1, 5)], {"size": 3, "mode": "lanczos"}),
        ("interp_lanczos_long", "interpolate", [L(1, 1, 5, 5)], {"size": 3, "mode": "lanczos", "antialias": True}),
        ("interp_lanczos_zero", "interpolate", [Z(1, 1, 5, 5)], {"scale_factor": 0.1, "mode": "lanczos", "antialias": True}),
        # dtypes: uint8 where PyTorch has its uint8 path, the others refused by the kernel each reaches
        ("interp_uint8_linear", "interpolate", [U(1, 1, 5)], {"size": 3, "mode": "linear"}),
        ("interp_uint8_area", "interpolate", [U(1, 1, 5, 5)], {"size": 3, "mode": "area"}),
        ("interp_uint8_lanczos_plain", "interpolate", [U(1, 1, 5, 5)], {"size": 3, "mode": "lanczos"}),
        ("interp_int32_nearest_small", "interpolate", [I(1, 3, 5, 5)], {"size": 3}),
        ("interp_int32_nearest_large", "interpolate", [I(1, 3, 5, 5)], {"size": [3, 130]}),
        ("interp_int8_nearest1d", "interpolate", [C(1, 3, 5)], {"size": 3}),
        ("interp_int32_bilinear_small", "interpolate", [I(1, 3, 5, 5)], {"size": 3, "mode": "bilinear"}),
        ("interp_int32_bilinear_large", "interpolate", [I(1, 3, 5, 5)], {"size": [3, 130], "mode": "bilinear"}),
        ("interp_int8_bicubic", "interpolate", [C(1, 3, 5, 5)], {"size": 3, "mode": "bicubic"}),
        ("interp_int32_bilinear_aa", "interpolate", [I(1, 3, 5, 5)], {"size": 3, "mode": "bilinear", "antialias": True}),
        ("interp_bool_lanczos", "interpolate", [B(1, 3, 5, 5)], {"size": 3, "mode": "lanczos", "antialias": True}),
        ("interp_uint8_zero", "interpolate", [U(1, 3, 5, 5)], {"scale_factor": 0.1, "mode": "bilinear", "antialias": True}),
        ("pixel_shuffle_2d", "pixel_shuffle", [Z(2, 2), 2], {}),
        ("pixel_shuffle_channels", "pixel_shuffle", [Z(1, 3, 2, 2), 2], {}),
        ("pixel_shuffle_zero", "pixel_shuffle", [Z(1, 4, 2, 2), 0], {}),
        ("pixel_unshuffle_height", "pixel_unshuffle", [Z(1, 4, 3, 2), 2], {}),
        ("pixel_unshuffle_width", "pixel_unshuffle", [Z(1, 4, 2, 3), 2], {}),
        ("pixel_unshuffle_negative", "pixel_unshuffle", [Z(1, 4, 2, 2), -1], {}),
        ("pixel_unshuffle_2d", "pixel_unshuffle", [Z(4, 2), 2], {}),
    ]
    return functional_errors(cases, first_line=True)


# ---------------------------------------------------------------------------------------------
# modules: (cls, args, kwargs, forward input shape or None, forward output_size or None)

MODULES = [
    ("ConvTranspose2d", [3, 2, 3], {}, [2, 3, 4, 4], None),
    ("ConvTranspose2d", [8, 4, 4], {"stride": 2, "padding": 1, "bias": False}, [2, 8, 3, 3], None),
    ("ConvTranspose2d", [3, 6, [3, 2]], {"stride": 2, "padding": 1, "output_padding": 1, "groups": 3, "bias": False}, [1, 3, 3, 4], None),
    ("ConvTranspose2d", [2, 3, 3], {"stride": [2, 3], "dilation": 2, "padding": [0, 1]}, [1, 2, 3, 3], None),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 2, "padding": 1}, [2, 2, 4, 4], [8, 8]),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 3}, [1, 2, 3, 2], [1, 3, 10, 8]),
    ("ConvTranspose2d", [2, 2, 3], {"stride": 2}, [2, 3, 3], [8, 7]),
    ("ConvTranspose2d", [2, 2, 3], {"stride": 2}, [2, 3, 3], [2, 7, 8]),
    ("ConvTranspose1d", [4, 2, 5], {"stride": 3, "padding": 2, "output_padding": 1, "groups": 2}, [2, 4, 4], None),
    ("ConvTranspose1d", [2, 3, 3], {"bias": False, "dilation": 2}, [3, 2, 5], None),
    ("ConvTranspose1d", [2, 3, 3], {"stride": 4, "padding": 1}, [2, 5], [20]),
    ("Upsample", [], {"scale_factor": 2}, [1, 2, 3, 3], None),
    ("Upsample", [], {"size": [5, 7], "mode": "bilinear", "align_corners": True}, [1, 2, 3, 4], None),
    ("Upsample", [], {"scale_factor": [2.0, 1.5], "mode": "nearest"}, [1, 1, 3, 4], None),
    ("Upsample", [], {"scale_factor": 1.5, "mode": "linear"}, [2, 2, 4], None),
    ("Upsample", [], {"size": 6, "mode": "nearest-exact"}, [1, 2, 4, 3], None),
    ("Upsample", [], {"scale_factor": 2, "mode": "bilinear"}, [1, 1, 3, 3], None),
    ("Upsample", [], {"size": [5], "mode": "linear"}, [1, 1, 3], None),
    ("UpsamplingNearest2d", [], {"scale_factor": 2}, [1, 2, 2, 3], None),
    ("UpsamplingNearest2d", [], {"size": [4, 5]}, [1, 2, 2, 3], None),
    ("UpsamplingBilinear2d", [], {"size": [4, 6]}, [1, 2, 3, 3], None),
    ("UpsamplingBilinear2d", [], {"scale_factor": 2}, [2, 1, 2, 3], None),
    ("PixelShuffle", [2], {}, [1, 8, 2, 3], None),
    ("PixelUnshuffle", [3], {}, [1, 1, 6, 3], None),
    ("ConvTranspose3d", [2, 3, 2], {"stride": 2, "padding": [1, 0, 0], "output_padding": [1, 0, 1]}, [1, 2, 2, 3, 2], None),
    ("ConvTranspose3d", [4, 2, [2, 1, 2]], {"groups": 2, "bias": False, "dilation": [1, 1, 2]}, [4, 2, 2, 2], None),
    ("ConvTranspose3d", [2, 2, 3], {"stride": 2, "padding": 1}, [1, 2, 2, 2, 2], [4, 4, 3]),
]


def modules():
    out = []
    for i, (cls, args, kwargs, shape, output_size) in enumerate(MODULES):
        torch.manual_seed(0)
        m = build(cls, args, kwargs)
        entry = {
            "cls": cls, "args": args, "kwargs": kwargs, "seed": 0, "repr": repr(m),
            "state_dict": [[k, dname(v.dtype), list(v.shape)] for k, v in m.state_dict().items()],
            "params": {k: T(v) for k, v in m.state_dict().items()},
        }
        if shape is not None:
            x = rnd(f"module{i}/x", shape, torch.float32).requires_grad_(True)
            y = m(x, output_size=output_size) if output_size is not None else m(x)
            go = rnd(f"module{i}/go", y.shape, torch.float32)
            y.backward(go)
            entry["forward"] = {"x": T(x), "output_size": output_size, "out": T(y), "grad_fn": node_name(y.grad_fn),
                                "go": T(go), "gx": T(x.grad), "grads": {k: T(p.grad) for k, p in m.named_parameters()}}
        out.append(entry)
    return out


MODULE_ERRORS = [
    ("ConvTranspose2d", [2, 2, 3], {"padding_mode": "reflect"}, None, None),
    ("ConvTranspose1d", [2, 2, 3], {"padding_mode": "circular"}, None, None),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 2}, [1, 2, 4, 4], [1, 2, 10]),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 2}, [2, 4, 4], [2, 1, 10, 10]),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 2}, [1, 2, 4, 4], [12, 9]),
    ("ConvTranspose2d", [2, 3, 3], {"stride": 2, "padding": 1}, [1, 2, 4, 4], [6, 7]),
    ("ConvTranspose1d", [2, 3, 3], {"stride": 2}, [1, 2, 4], [4]),
    ("ConvTranspose2d", [3, 2, 3], {"groups": 2}, None, None),
    ("ConvTranspose2d", [2, 3, 3], {"groups": 2}, None, None),
]


def module_errors():
    out = []
    for cls, args, kwargs, shape, output_size in MODULE_ERRORS:
        try:
            m = build(cls, args, kwargs)
            if shape is not None:
                m(torch.zeros(shape), output_size=output_size)
            err = None
        except Exception as e:  # noqa: BLE001
            err = str(e)
        out.append({"cls": cls, "args": args, "kwargs": kwargs, "shape": shape, "output_size": output_size, "error": err})
    return out


# ---------------------------------------------------------------------------------------------
# the DCGAN tutorial's generator (pytorch/tutorials beginner_source/dcgan_faces_tutorial.py),
# with small sizes: nz=8, ngf=4, nc=3, 16x16 images

def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def dcgan():
    nz, ngf, nc = 8, 4, 3
    torch.manual_seed(0)
    netG = nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),
        nn.BatchNorm2d(ngf * 4),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ngf * 2),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
        nn.Tanh(),
    )
    init_default = {k: crc(v) for k, v in netG.state_dict().items() if v.dtype == torch.float32}
    netG.apply(weights_init)
    init = {k: {"shape": list(v.shape), "crc32": crc(v)} for k, v in netG.state_dict().items() if v.dtype == torch.float32}
    noise = torch.randn(3, nz, 1, 1)
    fake = netG(noise)
    loss = (fake * fake).mean()
    loss.backward()
    return {"repr": repr(netG), "init_default": init_default, "init": init, "noise": T(noise), "fake": T(fake), "loss": loss.item(),
            "grads": {k: T(p.grad) for k, p in netG.named_parameters()},
            "running": {k: T(v) for k, v in netG.state_dict().items() if "running" in k}}


def main():
    data = {"functional": functional_cases(), "errors": errors(), "uint8": uint8_interpolation(), "modules": modules(), "module_errors": module_errors(),
            "dcgan": dcgan()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {OUT}: {len(data['functional'])} functional cases, {len(data['errors'])} errors, "
          f"{len(data['uint8'])} uint8 interpolations, {len(data['modules'])} modules, {len(data['module_errors'])} module errors, dcgan")


if __name__ == "__main__":
    main()
