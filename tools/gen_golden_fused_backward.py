#!/usr/bin/env python3
"""Golden data for Note [Fused backward pairs] (src/autograd/engine.ts): the gradients of
nll_loss after log_softmax, and of cross_entropy, on inputs large enough for the native engine's
fused kernel, computed by real PyTorch (its two backward steps).

    .venv-torch/bin/python tools/gen_golden_fused_backward.py   # writes test/golden/fused_backward.json

The inputs are not stored: x[i, j] = ((i * 37 + j * 11) % 101) / 101 * 6 - 3 in float32 (the
test makes the same numbers exactly), targets t[i] = (i * 7) % C, weights w[j] = 0.5 + (j % 5) / 4,
the gradient of a loss of reduction "none" g[i] = 1 + i / 8.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, write_cases  # noqa: E402

N, C = 8, 40


def inputs():
    i = torch.arange(N, dtype=torch.float64).view(N, 1)
    j = torch.arange(C, dtype=torch.float64).view(1, C)
    x = (((i * 37 + j * 11) % 101) / 101 * 6 - 3).float()
    t = torch.arange(N) * 7 % C
    w = (0.5 + (torch.arange(C) % 5) / 4).float()
    return x, t, w


cases = []
for fn in ("nll_loss", "cross_entropy"):
    for reduction in ("mean", "sum", "none"):
        for weighted, ignore in ((False, -100), (True, 14)):  # (14 is row 2's target)
            x, t, w = inputs()
            x.requires_grad_(True)
            kw = {"reduction": reduction, "ignore_index": ignore, "weight": w if weighted else None}
            loss = F.nll_loss(F.log_softmax(x, 1), t, **kw) if fn == "nll_loss" else F.cross_entropy(x, t, **kw)
            g = (1 + torch.arange(N, dtype=torch.float32) / 8) if reduction == "none" else torch.tensor(1.5)
            loss.backward(g)
            cases.append({"name": f"{fn} {reduction}{' weight ignore_index' if weighted else ''}", "fn": fn, "reduction": reduction,
                          "weighted": weighted, "ignore_index": ignore, "loss": enc_tensor(loss), "grad": enc_tensor(x.grad)})

write_cases(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "fused_backward.json"),
            "tools/gen_golden_fused_backward.py", cases, N=N, C=C)
