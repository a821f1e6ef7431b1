#!/usr/bin/env python3
"""torchviz's make_dot output for a few graphs, for test/torchviz.test.ts.

torchviz (https://github.com/szagoruyko/pytorchviz, torchviz/dot.py) is one small file over the
`graphviz` package; where it is not pip-installable, point TORCHVIZ_SRC at a checkout:

    /work/.venv-torch/bin/pip install graphviz
    TORCHVIZ_SRC=/path/to/pytorchviz /work/.venv-torch/bin/python tools/gen_golden_torchviz.py

writes test/golden/torchviz.json: for each graph of CASES (the same graphs as the test builds),
the DOT source make_dot returns. Node names there are Python's id()s; the test renames them in
order of first appearance on both sides before comparing.
"""
import json
import os
import sys

import torch
from torch import nn

try:
    from torchviz import make_dot
except ImportError:
    sys.path.insert(0, os.environ["TORCHVIZ_SRC"])
    from torchviz import make_dot

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GOLDEN = os.path.join(ROOT, "test", "golden", "torchviz.json")


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, g):
        _, y = ctx.saved_tensors
        return g * y


def expr():
    x = torch.ones(3, requires_grad=True)
    return make_dot((x * 2 + 1).sum(), params={"x": x})


def mlp(with_params):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    y = model(torch.ones(2, 3)).mean()
    return make_dot(y, params=dict(model.named_parameters()) if with_params else None)


def outputs_and_views():
    a = torch.ones(2, 3, requires_grad=True)
    b = a.exp()
    return make_dot((b[0], b.sum()), params={"a": a})


def custom():
    x = torch.ones(2, requires_grad=True)
    return make_dot(Exp.apply(x).sum(), params={"x": x})


def chain():
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(45):
        y = y.sin()
    return make_dot(y)


CASES = {"expr": expr, "mlp": lambda: mlp(True), "mlp_no_params": lambda: mlp(False),
         "outputs_and_views": outputs_and_views, "custom": custom, "chain": chain}


def main():
    golden = {name: f().source for name, f in CASES.items()}
    with open(GOLDEN, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
