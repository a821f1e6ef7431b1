#!/usr/bin/env python3
"""Golden data for torch.optim.LBFGS (test/lbfgs.test.ts), computed by PyTorch 2.x on CPU:

    /work/.venv-torch/bin/python tools/gen_golden_lbfgs.py

It writes test/golden/lbfgs.json. The "mlp" problem is gen_golden_optim.py's model (its x, y and
initial parameters are in test/golden/optim.json).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_golden_optim import DT, GOLDEN, INIT, NAMES, X, Y, enc_tensor, loss_fn  # noqa: E402


# LBFGS runs its closure several times per step, so it gets runs of its own: for each step, the
# loss step() returned, the closure's calls, the parameters after it and the state's counters.
# "rosenbrock" minimises (1 - x0)^2 + 100 (x1 - x0^2)^2 from (-1.5, 2); "mlp" is the model above.
# The float32 runs stop before the optimum: there the gradient is at float32's noise level, and
# which of its last bits a summation order gives decides when LBFGS stops (float64 runs go on).
LBFGS_CONFIGS = [
    ("rosenbrock_wolfe", "rosenbrock", torch.float32, {"line_search_fn": "strong_wolfe"}, 2),
    ("rosenbrock_wolfe_float64", "rosenbrock", torch.float64, {"line_search_fn": "strong_wolfe", "history_size": 5, "max_iter": 10}, 5),
    ("rosenbrock_fixed_float64", "rosenbrock", torch.float64, {"lr": 0.002, "history_size": 3, "max_iter": 7}, 4),
    ("mlp_fixed", "mlp", torch.float32, {"lr": 0.1, "history_size": 3, "max_iter": 6}, 5),
    ("mlp_wolfe", "mlp", torch.float32, {"history_size": 4, "max_iter": 8, "line_search_fn": "strong_wolfe", "tolerance_change": 1e-7}, 3),
    ("mlp_wolfe_float64", "mlp", torch.float64, {"line_search_fn": "strong_wolfe", "max_eval": 30}, 3),
]


def lbfgs_golden():
    out = []
    for name, problem, dtype, options, steps in LBFGS_CONFIGS:
        if problem == "rosenbrock":
            x = torch.tensor([-1.5, 2.0], dtype=dtype, requires_grad=True)
            plist = [x]
            f = lambda: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2  # noqa: E731
        else:
            p = {k: INIT[k].clone().to(dtype).requires_grad_(True) for k in NAMES}
            xx, yy = X.to(dtype), Y.to(dtype)
            plist = [p[k] for k in NAMES]
            f = lambda: loss_fn(p, xx, yy)  # noqa: E731
        opt = torch.optim.LBFGS(plist, **options)
        calls = [0]

        def closure():
            calls[0] += 1
            opt.zero_grad()
            loss = f()
            loss.backward()
            return loss
        record = []
        for _ in range(steps):
            calls[0] = 0
            loss = opt.step(closure)
            st = opt.state[plist[0]]
            record.append({"loss": loss.item(), "calls": calls[0], "params": [enc_tensor(t) for t in plist],
                           "func_evals": st["func_evals"], "n_iter": st["n_iter"]})
        out.append({"name": name, "problem": problem, "dtype": DT[dtype], "options": options, "steps": record, "repr": repr(opt)})
    return out


def errors():
    out = {}
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    c = torch.ones(2, requires_grad=True)

    def closure():
        c.grad = None
        loss = (c * c).sum()
        loss.backward()
        return loss
    for key, fn in [
        ("groups", lambda: torch.optim.LBFGS([{"params": [a]}, {"params": [b]}])),
        ("lr", lambda: torch.optim.LBFGS([a], lr=-0.5)),
        ("line_search", lambda: torch.optim.LBFGS([c], line_search_fn="armijo").step(closure)),
    ]:
        try:
            fn()
            raise SystemExit(f"{key} did not raise")
        except (ValueError, RuntimeError) as e:
            out[key] = str(e)
    return out


def main():
    with open(os.path.join(GOLDEN, "lbfgs.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "runs": lbfgs_golden(), "errors": errors()}, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
