#!/usr/bin/env python3
"""Golden data for torch.optim and torch.optim.lr_scheduler (test/optim.test.ts,
test/lr_scheduler.test.ts), computed by real PyTorch on CPU.

src/optim follows PyTorch 2.x, so run this under a PyTorch 2.x (the committed files came from
2.13.0+cpu; Debian's 1.13 differs: Adam's first moment is mul_/add_ there, not lerp_, and the
group keys of a state_dict differ), e.g. with the CPU wheel in a virtual environment:

    PYTHONPATH=/path/to/site-packages/with/torch2 python3.11 tools/gen_golden_optim.py

It writes test/golden/optim.json and test/golden/lr_scheduler.json.

optim.json: a small two-layer network written directly in tensors,
    loss = mean((relu(x @ W1.T + b1) @ W2.T + b2 - y) ** 2)
with fixed x, y and initial W1, b1, W2, b2 (recorded), trained for 20 steps by each optimizer
configuration. For every configuration it records the loss before each step, the gradients each
step fed the optimizer (float32/float64 little-endian bytes, base64: they let a test replay
PyTorch's exact gradients and so check the update arithmetic alone), the parameters after the
last step, and the optimizer's state_dict() then. It also records PyTorch's messages for invalid
hyperparameters and for load_state_dict mismatches.

lr_scheduler.json: the learning rates (and momenta / betas where a scheduler cycles them) that
get_last_lr() and the param groups hold after construction and after each step of each scheduler,
for 25+ steps, with two param groups of different base lr.
"""
import base64
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_scalar as enc_num  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GOLDEN = os.path.join(ROOT, "test", "golden")
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
STEPS = 20


def enc_tensor(t):
    t = t.detach()
    return {"dtype": DT[t.dtype], "shape": list(t.shape), "data": [enc_num(v) for v in t.reshape(-1).tolist()]}


def enc_value(v):
    """A state_dict value as JSON: tensors as golden tensors, tuples as lists."""
    if isinstance(v, torch.Tensor):
        return enc_tensor(v)
    if isinstance(v, (list, tuple)):
        return [enc_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): enc_value(x) for k, x in v.items()}
    return enc_num(v)


def b64(tensors):
    """The tensors' values, concatenated, as little-endian bytes in base64."""
    return base64.b64encode(b"".join(t.detach().contiguous().numpy().astype(t.detach().numpy().dtype.newbyteorder("<")).tobytes() for t in tensors)).decode()


# ---------------------------------------------------------------------------------------------
# The model

torch.manual_seed(1234)
X = torch.randn(6, 3)
Y = torch.randn(6, 2)
INIT = {
    "W1": torch.randn(5, 3) * 0.5,
    "b1": torch.randn(5) * 0.1,
    "W2": torch.randn(2, 5) * 0.5,
    "b2": torch.randn(2) * 0.1,
}
NAMES = ["W1", "b1", "W2", "b2"]


def loss_fn(p, x, y):
    # The same op sequence test/optim.test.ts uses (matmul, add, relu, sub, pow, mean).
    h = torch.relu(torch.matmul(x, p["W1"].t()) + p["b1"])
    out = torch.matmul(h, p["W2"].t()) + p["b2"]
    return ((out - y) ** 2).mean()


CONFIGS = [
    ("sgd", "SGD", {"lr": 0.1}),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd_dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd_weight_decay", "SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
    ("sgd_maximize", "SGD", {"lr": 0.005, "momentum": 0.3, "maximize": True}),
    ("adam", "Adam", {"lr": 0.01}),
    ("adam_amsgrad", "Adam", {"lr": 0.02, "betas": [0.8, 0.99], "amsgrad": True}),
    ("adam_weight_decay", "Adam", {"lr": 0.01, "weight_decay": 0.1, "eps": 1e-6}),
    ("adam_maximize", "Adam", {"lr": 0.01, "maximize": True}),
    ("adam_float64", "Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05}),
    ("adamw", "AdamW", {"lr": 0.01}),
    ("adamw_amsgrad", "AdamW", {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True}),
    ("adagrad", "Adagrad", {"lr": 0.1}),
    ("adagrad_options", "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "initial_accumulator_value": 0.1, "weight_decay": 0.1, "eps": 1e-8}),
    ("adagrad_maximize", "Adagrad", {"lr": 0.05, "maximize": True}),
    ("rmsprop", "RMSprop", {"lr": 0.01}),
    ("rmsprop_centered", "RMSprop", {"lr": 0.01, "centered": True, "alpha": 0.9}),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.005, "momentum": 0.9}),
    ("rmsprop_all", "RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "maximize": True}),
    ("adadelta", "Adadelta", {}),
    ("adadelta_options", "Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.1}),
    ("adamax", "Adamax", {"lr": 0.02}),
    ("adamax_options", "Adamax", {"lr": 0.02, "betas": [0.8, 0.9], "weight_decay": 0.1, "maximize": True}),
    ("nadam", "NAdam", {"lr": 0.02}),
    ("nadam_options", "NAdam", {"lr": 0.02, "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("nadam_decoupled", "NAdam", {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("radam", "RAdam", {"lr": 0.02}),
    ("radam_options", "RAdam", {"lr": 0.02, "betas": [0.8, 0.9], "weight_decay": 0.1}),
    ("radam_decoupled", "RAdam", {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True}),
]

# Two param groups: group-level settings override the defaults given to the constructor.
GROUP_CONFIGS = [
    ("sgd_groups", "SGD", {"lr": 0.05, "momentum": 0.9},
     [{"params": [0, 1], "lr": 0.1}, {"params": [2, 3], "momentum": 0.5, "weight_decay": 0.01}]),
    ("adam_groups", "Adam", {"lr": 0.01},
     [{"params": [0, 1], "betas": [0.5, 0.9]}, {"params": [2, 3], "lr": 0.02, "amsgrad": True}]),
]


def run(cls_name, options, groups, dtype):
    p = {k: INIT[k].clone().to(dtype).requires_grad_(True) for k in NAMES}
    x, y = X.to(dtype), Y.to(dtype)
    plist = [p[k] for k in NAMES]
    cls = getattr(torch.optim, cls_name)
    opts = dict(options)
    if "betas" in opts:
        opts["betas"] = tuple(opts["betas"])
    if groups is None:
        opt = cls(plist, **opts)
    else:
        gs = []
        for g in groups:
            g2 = {k: (tuple(v) if k == "betas" else v) for k, v in g.items() if k != "params"}
            g2 = {"params": [plist[i] for i in g["params"]], **g2}
            gs.append(g2)
        opt = cls(gs, **opts)
    losses, grads = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(p, x, y)
        loss.backward()
        losses.append(loss.item())
        grads.append(b64([t.grad for t in plist]))
        opt.step()
    return {
        "repr": repr(opt),
        "losses": losses,
        "grads_b64": grads,
        "final": {k: enc_tensor(p[k]) for k in NAMES},
        "state_dict": enc_value(opt.state_dict()),
    }


def optim_golden():
    cases = []
    for name, cls, options in CONFIGS:
        dtype = torch.float64 if name.endswith("float64") else torch.float32
        r = run(cls, options, None, dtype)
        cases.append({"name": name, "optimizer": cls, "options": options, "groups": None, "dtype": DT[dtype], **r})
    for name, cls, options, groups in GROUP_CONFIGS:
        r = run(cls, options, groups, torch.float32)
        cases.append({"name": name, "optimizer": cls, "options": options, "groups": groups, "dtype": "float32", **r})

    # Invalid hyperparameters: PyTorch's messages. (Values are chosen so that Python's float and
    # the JSON number print alike: no integral floats such as 1.0.)
    bad = [
        ("SGD", {"lr": -0.1}), ("SGD", {"lr": 0.1, "momentum": -0.5}), ("SGD", {"lr": 0.1, "weight_decay": -1e-05}),
        ("SGD", {"lr": 0.1, "nesterov": True}), ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}),
        ("Adam", {"lr": -0.001}), ("Adam", {"eps": -1e-08}), ("Adam", {"betas": [1.25, 0.999]}),
        ("Adam", {"betas": [0.9, -0.5]}), ("Adam", {"weight_decay": -0.25}),
        ("AdamW", {"lr": -2.5}), ("AdamW", {"betas": [0.9, 1.5]}),
        ("Adagrad", {"lr": -0.5}), ("Adagrad", {"lr_decay": -0.5}), ("Adagrad", {"weight_decay": -0.5}),
        ("Adagrad", {"initial_accumulator_value": -0.5}), ("Adagrad", {"eps": -0.5}),
        ("RMSprop", {"lr": -0.5}), ("RMSprop", {"eps": -0.5}), ("RMSprop", {"momentum": -0.5}),
        ("RMSprop", {"weight_decay": -0.5}), ("RMSprop", {"alpha": -0.5}),
        ("Adadelta", {"lr": -0.5}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -0.5}), ("Adadelta", {"weight_decay": -0.5}),
        ("Adamax", {"lr": -0.5}), ("Adamax", {"eps": -0.5}), ("Adamax", {"betas": [-0.5, 0.9]}),
        ("Adamax", {"betas": [0.5, 1.5]}), ("Adamax", {"weight_decay": -0.5}),
        ("NAdam", {"lr": -0.5}), ("NAdam", {"eps": -0.5}), ("NAdam", {"betas": [1.5, 0.9]}),
        ("NAdam", {"betas": [0.5, 1.5]}), ("NAdam", {"weight_decay": -0.5}), ("NAdam", {"momentum_decay": -0.5}),
        ("RAdam", {"lr": -0.5}), ("RAdam", {"eps": -0.5}), ("RAdam", {"betas": [1.5, 0.9]}),
        ("RAdam", {"betas": [0.5, 1.5]}), ("RAdam", {"weight_decay": -0.5}),
    ]
    errors = []
    for cls, opts in bad:
        o = {k: (tuple(v) if k == "betas" else v) for k, v in opts.items()}
        try:
            getattr(torch.optim, cls)([torch.zeros(2, requires_grad=True)], **o)
            raise SystemExit(f"{cls}({opts}) did not raise")
        except ValueError as e:
            errors.append({"optimizer": cls, "options": opts, "error": str(e)})

    # Structural errors of the base class.
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    structural = {}
    try:
        torch.optim.SGD([{"params": [a]}, {"params": [a, b]}], lr=0.1)
    except ValueError as e:
        structural["duplicate"] = str(e)
    try:
        torch.optim.SGD([], lr=0.1)
    except ValueError as e:
        structural["empty"] = str(e)
    try:
        torch.optim.SGD([a * 2], lr=0.1)
    except ValueError as e:
        structural["non_leaf"] = str(e)
    one = torch.optim.SGD([a, b], lr=0.1)
    two = torch.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
    three = torch.optim.SGD([a], lr=0.1)
    try:
        one.load_state_dict(two.state_dict())
    except ValueError as e:
        structural["group_count"] = str(e)
    try:
        one.load_state_dict(three.state_dict())
    except ValueError as e:
        structural["group_size"] = str(e)
    return {"torch_version": torch.__version__, "steps": STEPS, "model": {
        "x": enc_tensor(X), "y": enc_tensor(Y), "init": {k: enc_tensor(INIT[k]) for k in NAMES}, "names": NAMES,
    }, "cases": cases, "errors": errors, "structural": structural}


# ---------------------------------------------------------------------------------------------
# lr_scheduler

LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,
    "warmup5": lambda e: min(1.0, (e + 1) / 5),
    "halve_every_4": lambda e: 0.5 ** (e // 4),
    "const095": lambda e: 0.95,
    "mult_by_epoch": lambda e: 1.0 if e % 3 else 0.5,
}
STEPS_SCHED = 26


def make_opt(spec):
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    groups = [{"params": [a], "lr": spec.get("lrs", [0.1, 0.01])[0]}, {"params": [b], "lr": spec.get("lrs", [0.1, 0.01])[1]}]
    kind = spec.get("type", "SGD")
    if kind == "SGD":
        return torch.optim.SGD(groups, lr=0.1, momentum=spec.get("momentum", 0.9))
    return torch.optim.Adam(groups, lr=0.1, betas=(0.9, 0.999))


def make_sched(opt, spec):
    args = dict(spec.get("args", {}))
    t = spec["type"]
    if t == "LambdaLR":
        args["lr_lambda"] = LAMBDAS[args["lr_lambda"]]
    if t in ("SequentialLR", "ChainedScheduler"):
        args["schedulers"] = [make_sched(opt, s) for s in args["schedulers"]]
    if t == "ChainedScheduler":
        return torch.optim.lr_scheduler.ChainedScheduler(args["schedulers"])
    if t == "MultiplicativeLR":
        args["lr_lambda"] = LAMBDAS[args["lr_lambda"]]
    return getattr(torch.optim.lr_scheduler, t)(opt, **args)


def group_momenta(opt):
    out = []
    for g in opt.param_groups:
        if "betas" in g:
            out.append(list(g["betas"]))
        else:
            out.append(g.get("momentum"))
    return out


SCHED_CASES = [
    ("step", {}, {"type": "StepLR", "args": {"step_size": 3, "gamma": 0.5}}),
    ("multistep", {}, {"type": "MultiStepLR", "args": {"milestones": [3, 7, 7, 12], "gamma": 0.5}}),
    ("exponential", {}, {"type": "ExponentialLR", "args": {"gamma": 0.9}}),
    ("cosine", {}, {"type": "CosineAnnealingLR", "args": {"T_max": 10}}),
    ("cosine_eta_min", {}, {"type": "CosineAnnealingLR", "args": {"T_max": 7, "eta_min": 0.001}}),
    ("warm_restarts", {}, {"type": "CosineAnnealingWarmRestarts", "args": {"T_0": 5}}),
    ("warm_restarts_mult", {}, {"type": "CosineAnnealingWarmRestarts", "args": {"T_0": 3, "T_mult": 2, "eta_min": 0.001}}),
    ("linear", {}, {"type": "LinearLR", "args": {"start_factor": 0.25, "total_iters": 8}}),
    ("linear_decay", {}, {"type": "LinearLR", "args": {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 10}}),
    ("lambda", {}, {"type": "LambdaLR", "args": {"lr_lambda": "pow095"}}),
    ("lambda_warmup", {}, {"type": "LambdaLR", "args": {"lr_lambda": "warmup5"}}),
    ("multiplicative", {}, {"type": "MultiplicativeLR", "args": {"lr_lambda": "const095"}}),
    ("multiplicative_epoch", {}, {"type": "MultiplicativeLR", "args": {"lr_lambda": "mult_by_epoch"}}),
    ("constant", {}, {"type": "ConstantLR", "args": {"factor": 0.25, "total_iters": 6}}),
    ("polynomial", {}, {"type": "PolynomialLR", "args": {"total_iters": 12, "power": 2.0}}),
    ("chained", {}, {"type": "ChainedScheduler", "args": {"schedulers": [
        {"type": "ConstantLR", "args": {"factor": 0.1, "total_iters": 3}},
        {"type": "ExponentialLR", "args": {"gamma": 0.9}}]}}),
    ("onecycle", {}, {"type": "OneCycleLR", "args": {"max_lr": 1.0, "total_steps": STEPS_SCHED}}),
    ("onecycle_linear_three_phase_adam", {"type": "Adam"},
     {"type": "OneCycleLR", "args": {"max_lr": [0.5, 0.05], "total_steps": STEPS_SCHED, "anneal_strategy": "linear", "three_phase": True, "pct_start": 0.4}}),
    ("onecycle_epochs_no_momentum", {}, {"type": "OneCycleLR", "args": {"max_lr": 0.3, "epochs": 2, "steps_per_epoch": 13, "cycle_momentum": False, "div_factor": 10.0, "final_div_factor": 100.0}}),
    ("sequential", {}, {"type": "SequentialLR", "args": {"milestones": [5], "schedulers": [
        {"type": "LinearLR", "args": {"start_factor": 0.1, "total_iters": 4}},
        {"type": "ExponentialLR", "args": {"gamma": 0.9}}]}}),
    ("sequential_three", {}, {"type": "SequentialLR", "args": {"milestones": [4, 12], "schedulers": [
        {"type": "LambdaLR", "args": {"lr_lambda": "warmup5"}},
        {"type": "CosineAnnealingLR", "args": {"T_max": 8}},
        {"type": "StepLR", "args": {"step_size": 3, "gamma": 0.5}}]}}),
    ("cyclic", {}, {"type": "CyclicLR", "args": {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}}),
    ("cyclic_triangular2", {}, {"type": "CyclicLR", "args": {
        "base_lr": [0.01, 0.001], "max_lr": [0.1, 0.05], "step_size_up": 3, "step_size_down": 5, "mode": "triangular2"}}),
    ("cyclic_exp_range_adam", {"type": "Adam"}, {"type": "CyclicLR", "args": {
        "base_lr": 0.001, "max_lr": 0.01, "step_size_up": 5, "mode": "exp_range", "gamma": 0.9, "base_momentum": 0.85, "max_momentum": 0.95}}),
    ("cyclic_no_momentum", {}, {"type": "CyclicLR", "args": {"base_lr": 0.02, "max_lr": 0.2, "step_size_up": 2, "step_size_down": 7, "cycle_momentum": False}}),
]

PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.94, 0.96, 0.97, 0.8, 0.85, 0.85, 0.85, 0.85, 0.799, 0.7999, 0.8, 0.8,
                   0.8, 0.8, 0.8, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
PLATEAU_CASES = [
    ("plateau_default", {}),
    ("plateau_options", {"factor": 0.5, "patience": 2, "cooldown": 1, "min_lr": 0.002, "threshold": 0.01}),
    ("plateau_max_abs", {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 1, "factor": 0.3, "min_lr": [0.01, 0.0]}),
    ("plateau_eps", {"factor": 0.5, "patience": 0, "eps": 0.01}),
]

WARM_EPOCHS = [0.5, 1.0, 1.25, 2.9, 3.0, 4.5, 8.9, 9.0, 9.5, 20.0, 21.5, 2.0]


def sched_golden():
    cases = []
    for name, ospec, sspec in SCHED_CASES:
        opt = make_opt(ospec)
        s = make_sched(opt, sspec)
        lrs = [list(s.get_last_lr())]
        groups = [[g["lr"] for g in opt.param_groups]]
        momenta = [group_momenta(opt)]
        last_epoch = [getattr(s, "last_epoch", None)]
        for _ in range(STEPS_SCHED - 1 if sspec["type"] == "OneCycleLR" else STEPS_SCHED):
            opt.step()
            s.step()
            lrs.append(list(s.get_last_lr()))
            groups.append([g["lr"] for g in opt.param_groups])
            momenta.append(group_momenta(opt))
            last_epoch.append(getattr(s, "last_epoch", None))
        case = {"name": name, "optimizer": ospec, "scheduler": sspec, "last_lr": lrs, "group_lr": groups,
                "momenta": momenta, "last_epoch": last_epoch}
        if sspec["type"] == "OneCycleLR":
            try:
                opt.step()
                s.step()
                s.step()
            except ValueError as e:
                case["overstep_error"] = str(e)
        cases.append(case)
    for name, args in PLATEAU_CASES:
        opt = make_opt({})
        s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **args)
        lrs = [list(s.get_last_lr())]
        for m in PLATEAU_METRICS:
            opt.step()
            s.step(m)
            lrs.append(list(s.get_last_lr()))
        cases.append({"name": name, "scheduler": {"type": "ReduceLROnPlateau", "args": args}, "metrics": PLATEAU_METRICS,
                      "last_lr": lrs})
    # CosineAnnealingWarmRestarts stepped with explicit (fractional) epochs.
    for name, args in [("warm_restarts_epochs", {"T_0": 3, "T_mult": 2, "eta_min": 0.001}), ("warm_restarts_epochs_mult1", {"T_0": 4})]:
        opt = make_opt({})
        s = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, **args)
        lrs = [list(s.get_last_lr())]
        for e in WARM_EPOCHS:
            s.step(e)
            lrs.append(list(s.get_last_lr()))
        cases.append({"name": name, "scheduler": {"type": "CosineAnnealingWarmRestarts", "args": args}, "epochs": WARM_EPOCHS, "last_lr": lrs})
    # Closed forms: step(epoch) on schedulers that have one.
    closed = []
    for name, ospec, sspec in SCHED_CASES:
        if sspec["type"] not in ("StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "ConstantLR", "PolynomialLR"):
            continue
        opt = make_opt(ospec)
        s = make_sched(opt, sspec)
        lrs = []
        for e in [3, 7, 12, 5, 20]:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                s.step(e)
            lrs.append(list(s.get_last_lr()))
        closed.append({"name": name, "scheduler": sspec, "epochs": [3, 7, 12, 5, 20], "last_lr": lrs})
    errors = {}
    opt = make_opt({})
    for key, fn in [
        ("plateau_factor", lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=1.0)),
        ("plateau_mode", lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="avg")),
        ("plateau_threshold_mode", lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="x")),
        ("plateau_min_lrs", lambda: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1])),
        ("linear_start", lambda: torch.optim.lr_scheduler.LinearLR(opt, start_factor=0)),
        ("linear_end", lambda: torch.optim.lr_scheduler.LinearLR(opt, end_factor=1.5)),
        ("warm_t0", lambda: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=0)),
        ("warm_tmult", lambda: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=0)),
        ("onecycle_total", lambda: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=0)),
        ("onecycle_missing", lambda: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1)),
        ("onecycle_strategy", lambda: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5, anneal_strategy="exp")),
        ("onecycle_pct", lambda: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=5, pct_start=1.5)),
        ("onecycle_max_lr_len", lambda: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[0.1], total_steps=5)),
        ("lambda_count", lambda: torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[LAMBDAS["pow095"]])),
        ("sequential_milestones", lambda: torch.optim.lr_scheduler.SequentialLR(
            opt, schedulers=[torch.optim.lr_scheduler.StepLR(opt, 2), torch.optim.lr_scheduler.StepLR(opt, 3)], milestones=[])),
        ("cyclic_mode", lambda: torch.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="triangular3")),
        ("cyclic_momentum", lambda: torch.optim.lr_scheduler.CyclicLR(torch.optim.Adagrad([torch.zeros(1)]), 0.01, 0.1)),
        ("sequential_empty", lambda: torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[], milestones=[])),
    ]:
        try:
            fn()
            raise SystemExit(f"{key} did not raise")
        except (ValueError, KeyError) as e:
            errors[key] = str(e) if isinstance(e, ValueError) else e.args[0]
    return {"torch_version": torch.__version__, "cases": cases, "closed_form": closed, "errors": errors}


def main():
    os.makedirs(GOLDEN, exist_ok=True)
    with open(os.path.join(GOLDEN, "optim.json"), "w") as f:
        json.dump(optim_golden(), f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    with open(os.path.join(GOLDEN, "lr_scheduler.json"), "w") as f:
        json.dump(sched_golden(), f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
