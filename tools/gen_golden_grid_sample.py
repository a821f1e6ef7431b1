#!/usr/bin/env python3
"""Golden data for F.affine_grid and F.grid_sample (test/grid_sample.test.ts), from PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_grid_sample.py

Every mode x padding_mode x align_corners in 2-D (bicubic included) and 3-D (bilinear, nearest),
float64 and some float32: the output, and the gradients for input and grid of a fixed
grad_output. Grid points reach past [-1, 1] so that every padding mode matters. affine_grid in
2-D and 3-D with the gradient for theta; PyTorch's errors.
"""
import os
import sys
import warnings

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import dname, enc_tensor, error_of, uniform, write_cases  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def grid_case(name, in_shape, grid_shape, mode, padding, align, dtype):
    x = uniform(name + "/x", in_shape, dtype, -2, 2).requires_grad_()
    g = uniform(name + "/grid", grid_shape, dtype, -1.25, 1.25).requires_grad_()
    out = F.grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=align)
    go = uniform(name + "/go", out.shape, dtype, -1, 1)
    gx, gg = torch.autograd.grad(out, (x, g), go)
    return {"name": name, "kind": "grid_sample", "mode": mode, "padding_mode": padding, "align_corners": align, "dtype": dname(dtype),
            "x": enc_tensor(x), "grid": enc_tensor(g), "out": enc_tensor(out), "go": enc_tensor(go),
            "grad_x": enc_tensor(gx), "grad_grid": enc_tensor(gg), "grad_fn": type(out.grad_fn).__name__}


def affine_case(name, theta_shape, size, align, dtype):
    theta = (torch.eye(theta_shape[1], theta_shape[2], dtype=dtype) + uniform(name + "/theta", theta_shape, dtype, -0.3, 0.3)).requires_grad_()
    grid = F.affine_grid(theta, size, align_corners=align)
    go = uniform(name + "/go", grid.shape, dtype, -1, 1)
    (gt,) = torch.autograd.grad(grid, theta, go)
    return {"name": name, "kind": "affine_grid", "size": size, "align_corners": align, "dtype": dname(dtype), "theta": enc_tensor(theta),
            "out": enc_tensor(grid), "go": enc_tensor(go), "grad_theta": enc_tensor(gt), "grad_fn": type(grid.grad_fn).__name__}


def main():
    cases = []
    for mode in ["bilinear", "nearest", "bicubic"]:
        for padding in ["zeros", "border", "reflection"]:
            for align in [False, True]:
                n = f"2d_{mode}_{padding}_{'ac' if align else 'noac'}"
                cases.append(grid_case(n, [1, 2, 4, 5], [1, 3, 4, 2], mode, padding, align, torch.float64))
    for mode in ["bilinear", "nearest"]:
        for padding in ["zeros", "border", "reflection"]:
            for align in [False, True]:
                n = f"3d_{mode}_{padding}_{'ac' if align else 'noac'}"
                cases.append(grid_case(n, [1, 2, 3, 3, 4], [1, 2, 2, 3, 3], mode, padding, align, torch.float64))
    for mode in ["bilinear", "bicubic"]:
        cases.append(grid_case(f"2d_{mode}_float32", [2, 2, 6, 7], [2, 3, 4, 2], mode, "zeros", False, torch.float32))
    cases.append(grid_case("2d_bilinear_reflection_float32", [1, 2, 4, 5], [1, 6, 3, 2], "bilinear", "reflection", True, torch.float32))
    for align in [False, True]:
        cases.append(affine_case(f"affine_2d_{align}", [2, 2, 3], [2, 3, 3, 4], align, torch.float64))
        cases.append(affine_case(f"affine_3d_{align}", [2, 3, 4], [2, 1, 3, 4, 2], align, torch.float64))
    cases.append(affine_case("affine_2d_float32", [2, 2, 3], [2, 1, 4, 5], False, torch.float32))
    z = lambda *s, dt=torch.float32: torch.zeros(*s, dtype=dt)  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        errors = {
            "mode": error_of(lambda: F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 2), mode="linear", align_corners=False)),
            "padding": error_of(lambda: F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 2), padding_mode="wrap", align_corners=False)),
            "dtype": error_of(lambda: F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 2, dt=torch.float64), align_corners=False)),
            "batch": error_of(lambda: F.grid_sample(z(2, 1, 2, 2), z(1, 1, 1, 2), align_corners=False)),
            "last_dim": error_of(lambda: F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 3), align_corners=False)),
            "empty": error_of(lambda: F.grid_sample(z(1, 1, 0, 2), z(1, 1, 1, 2), align_corners=False)),
            "ndim": error_of(lambda: F.grid_sample(z(1, 1, 2), z(1, 1, 1), align_corners=False)),
            "bicubic_3d": error_of(lambda: F.grid_sample(z(1, 1, 2, 2, 2), z(1, 1, 1, 1, 3), mode="bicubic", align_corners=False)),
            "theta_dtype": error_of(lambda: F.affine_grid(torch.zeros(1, 2, 3, dtype=torch.int64), [1, 1, 2, 2], align_corners=False)),
            "theta_2d": error_of(lambda: F.affine_grid(z(1, 3, 3), [1, 1, 2, 2], align_corners=False)),
            "theta_3d": error_of(lambda: F.affine_grid(z(1, 2, 3), [1, 1, 2, 2, 2], align_corners=False)),
            "size_len": error_of(lambda: F.affine_grid(z(1, 2, 3), [1, 2, 2], align_corners=False)),
            "size_zero": error_of(lambda: F.affine_grid(z(1, 2, 3), [1, 1, 0, 2], align_corners=False)),
        }
    write_cases(os.path.join(ROOT, "test", "golden", "grid_sample.json"), "tools/gen_golden_grid_sample.py", cases, errors=errors)


if __name__ == "__main__":
    main()
