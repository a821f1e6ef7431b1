#!/usr/bin/python3
"""Golden data for the recurrent layers (src/nn/rnn.ts; test/nn_rnn.test.ts), computed by real
PyTorch on CPU.

    /work/.venv-torch/bin/python tools/gen_golden_rnn.py

writes test/golden/rnn.json:
  layers     RNN (tanh, relu), LSTM, LSTM with proj_size and GRU, each built after
             torch.manual_seed(0): the default parameters (float32, bit for bit), then, after
             .double() (or in float32 where the case says so), output and final state for an input
             (and initial state, when given), and the gradients of every parameter, of the input and
             of the initial state after backward of a weighted sum of output and final state
  dropout    multi-layer modules with dropout in training mode, the forward run right after
             torch.manual_seed(seed) (PyTorch draws the masks on each layer's whole output with
             at::dropout, as F.dropout does), and the same module's output in eval mode
  cells      RNNCell (tanh, relu), LSTMCell and GRUCell: default parameters, a few steps over a
             sequence (or one unbatched step), gradients as above
  names      state_dict keys with shapes, in order
  reprs      printed form of modules
  errors     error messages; warnings: the dropout warning of a one-layer module

Values are lossless: floats as JSON numbers (the float64 repr of a float32 value is exact),
"nan"/"inf"/"-inf" for non-finite ones. Data are seeded per case (crc32 of the case name), so
adding a case changes no other.
"""

import json
import os
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor as T, error_of, uniform  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "rnn.json")


def rnd(name, shape, dtype, lo=-1.0, hi=1.0):
    return uniform(name, shape, dtype, lo, hi)


KINDS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


def layer_kinds(P):
    """(case name, module kind, constructor args) of every recurrent layer the cases cover."""
    return [
        ("RNN tanh", "RNN", {}),
        ("RNN relu", "RNN", {"nonlinearity": "relu"}),
        ("LSTM", "LSTM", {}),
        ("LSTM proj", "LSTM", {"proj_size": P}),
        ("GRU", "GRU", {}),
    ]


def build(spec):
    """The module of a spec: {"kind": ..., "args": keyword arguments}."""
    return KINDS[spec["kind"]](**spec["args"])


def params_of(m):
    return [{"name": n, **T(p)} for n, p in m.named_parameters()]


def weighted_sum(name, tensors, dtype):
    """sum_i (t_i * w_i).sum() with seeded weights; returns (loss, [w_i])."""
    ws = [rnd(f"{name}/w{i}", t.shape, dtype) for i, t in enumerate(tensors)]
    loss = sum((t * w).sum() for t, w in zip(tensors, ws))
    return loss, ws


# ---------------------------------------------------------------------------------------------
# layers

def layer_specs():
    I, H, P = 3, 4, 2
    kinds = layer_kinds(P)
    variants = [
        # (suffix, extra ctor args, seq len, batch (None: unbatched), initial state given)
        ("2 layers hx", {"num_layers": 2}, 4, 3, True),
        ("2 layers bidirectional", {"num_layers": 2, "bidirectional": True}, 3, 2, False),
        ("bidirectional batch_first hx", {"bidirectional": True, "batch_first": True}, 4, 2, True),
        ("2 layers bidirectional hx", {"num_layers": 2, "bidirectional": True}, 2, 2, True),
        ("unbatched hx", {"num_layers": 2}, 3, None, True),
        ("unbatched batch_first bidirectional", {"batch_first": True, "bidirectional": True}, 3, None, False),
        ("no bias", {"bias": False}, 3, 2, True),
        ("seq 1 batch 1", {}, 1, 1, False),
    ]
    specs = []
    for kname, kind, kargs in kinds:
        for suffix, vargs, L, N, with_hx in variants:
            specs.append({"name": f"{kname} {suffix}", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs, **vargs},
                          "seq": L, "batch": N, "hx": with_hx, "dtype": "float64"})
        # the default dtype, with PyTorch's float32 rounding
        specs.append({"name": f"{kname} float32", "kind": kind, "args": {"input_size": I, "hidden_size": H, "num_layers": 2, **kargs},
                      "seq": 3, "batch": 2, "hx": True, "dtype": "float32"})
    return specs


def state_shapes(m, batch):
    D = 2 if m.bidirectional else 1
    real = m.proj_size if getattr(m, "proj_size", 0) > 0 else m.hidden_size
    lead = [m.num_layers * D] + ([] if batch is None else [batch])
    if isinstance(m, nn.LSTM):
        return [lead + [real], lead + [m.hidden_size]]
    return [lead + [m.hidden_size]]


def run_layer(spec, training=False, seed=None):
    name = spec["name"]
    dtype = getattr(torch, spec["dtype"])
    torch.manual_seed(0)
    m = build(spec)
    init = params_of(m)
    after_rand = T(torch.rand(3))
    if dtype == torch.float64:
        m.double()
    m.train(training)
    I = spec["args"]["input_size"]
    L, N = spec["seq"], spec["batch"]
    bf = spec["args"].get("batch_first", False)
    xshape = [L, I] if N is None else ([N, L, I] if bf else [L, N, I])
    x = rnd(f"{name}/x", xshape, dtype).requires_grad_()
    hx = None
    if spec["hx"]:
        hs = [rnd(f"{name}/h{i}", s, dtype).requires_grad_() for i, s in enumerate(state_shapes(m, N))]
        hx = tuple(hs) if isinstance(m, nn.LSTM) else hs[0]
    if seed is not None:
        torch.manual_seed(seed)
    out, hidden = m(x, hx)
    finals = list(hidden) if isinstance(m, nn.LSTM) else [hidden]
    loss, ws = weighted_sum(name, [out] + finals, dtype)
    loss.backward()
    rec = {**spec, "init": init, "after_rand": after_rand, "x": T(x),
           "hx": None if hx is None else [T(h) for h in (hx if isinstance(hx, tuple) else (hx,))],
           "out": T(out), "hidden": [T(h) for h in finals], "weights": [T(w) for w in ws],
           "grad_x": T(x.grad), "grad_hx": None if hx is None else [T(h.grad) for h in (hx if isinstance(hx, tuple) else (hx,))],
           "grads": [{"name": n, **T(p.grad)} for n, p in m.named_parameters()]}
    return rec, m, x, hx


def layer_cases():
    return [run_layer(s)[0] for s in layer_specs()]


def dropout_cases():
    specs = [
        {"name": "LSTM dropout 0.5 3 layers", "kind": "LSTM", "args": {"input_size": 3, "hidden_size": 4, "num_layers": 3, "dropout": 0.5},
         "seq": 4, "batch": 2, "hx": False, "dtype": "float64", "seed": 7},
        {"name": "GRU dropout 0.3 bidirectional batch_first", "kind": "GRU",
         "args": {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.3, "bidirectional": True, "batch_first": True},
         "seq": 3, "batch": 2, "hx": True, "dtype": "float64", "seed": 11},
        {"name": "RNN relu dropout 0.2 float32", "kind": "RNN",
         "args": {"input_size": 3, "hidden_size": 5, "num_layers": 2, "dropout": 0.2, "nonlinearity": "relu"},
         "seq": 5, "batch": 3, "hx": True, "dtype": "float32", "seed": 3},
        {"name": "LSTM proj dropout 0.4 unbatched", "kind": "LSTM",
         "args": {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.4, "proj_size": 3},
         "seq": 4, "batch": None, "hx": True, "dtype": "float64", "seed": 5},
    ]
    out = []
    for s in specs:
        rec, m, x, hx = run_layer(s, training=True, seed=s["seed"])
        rec["after_forward_rand"] = T(torch.rand(3))  # the number of draws the masks took
        m.eval()
        with torch.no_grad():
            o, hidden = m(x, hx)
        rec["eval_out"] = T(o)
        rec["eval_hidden"] = [T(h) for h in (hidden if isinstance(hidden, tuple) else (hidden,))]
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# cells

CELLS = {"RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}


def cell_cases():
    I, H = 3, 4
    specs = []
    for cname, kind, kargs in (("RNNCell tanh", "RNNCell", {}), ("RNNCell relu", "RNNCell", {"nonlinearity": "relu"}),
                               ("LSTMCell", "LSTMCell", {}), ("GRUCell", "GRUCell", {})):
        specs += [
            {"name": f"{cname} 3 steps hx", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs}, "steps": 3, "batch": 2, "hx": True, "dtype": "float64"},
            {"name": f"{cname} no hx", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs}, "steps": 1, "batch": 3, "hx": False, "dtype": "float64"},
            {"name": f"{cname} unbatched hx", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs}, "steps": 2, "batch": None, "hx": True, "dtype": "float64"},
            {"name": f"{cname} unbatched no hx", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs}, "steps": 1, "batch": None, "hx": False, "dtype": "float64"},
            {"name": f"{cname} no bias", "kind": kind, "args": {"input_size": I, "hidden_size": H, "bias": False, **kargs}, "steps": 2, "batch": 2, "hx": True, "dtype": "float64"},
            {"name": f"{cname} float32", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs}, "steps": 2, "batch": 2, "hx": True, "dtype": "float32"},
        ]
    out = []
    for s in specs:
        name = s["name"]
        dtype = getattr(torch, s["dtype"])
        torch.manual_seed(0)
        m = CELLS[s["kind"]](**s["args"])
        init = params_of(m)
        after_rand = T(torch.rand(3))
        if dtype == torch.float64:
            m.double()
        N = s["batch"]
        lead = [] if N is None else [N]
        xs = rnd(f"{name}/x", [s["steps"]] + lead + [I], dtype).requires_grad_()
        hx = None
        if s["hx"]:
            hs = [rnd(f"{name}/h{i}", lead + [H], dtype).requires_grad_() for i in range(2 if s["kind"] == "LSTMCell" else 1)]
            hx = tuple(hs) if s["kind"] == "LSTMCell" else hs[0]
        state = hx
        outs = []
        for t in range(s["steps"]):
            state = m(xs[t], state)
            outs += list(state) if isinstance(state, tuple) else [state]
        loss, ws = weighted_sum(name, outs, dtype)
        loss.backward()
        out.append({**s, "init": init, "after_rand": after_rand, "x": T(xs),
                    "hx": None if hx is None else [T(h) for h in (hx if isinstance(hx, tuple) else (hx,))],
                    "outs": [T(o) for o in outs], "weights": [T(w) for w in ws], "grad_x": T(xs.grad),
                    "grad_hx": None if hx is None else [T(h.grad) for h in (hx if isinstance(hx, tuple) else (hx,))],
                    "grads": [{"name": n, **T(p.grad)} for n, p in m.named_parameters()]})
    return out


# ---------------------------------------------------------------------------------------------
# names, reprs, errors

NAMED = {
    "LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)": lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2),
    "LSTM(3, 4, bias=False, proj_size=3)": lambda: nn.LSTM(3, 4, bias=False, proj_size=3),
    "GRU(3, 4, num_layers=3, bias=False)": lambda: nn.GRU(3, 4, num_layers=3, bias=False),
    "RNN(3, 4, bidirectional=True)": lambda: nn.RNN(3, 4, bidirectional=True),
    "RNNCell(3, 4)": lambda: nn.RNNCell(3, 4),
    "LSTMCell(3, 4, bias=False)": lambda: nn.LSTMCell(3, 4, bias=False),
    "GRUCell(3, 4)": lambda: nn.GRUCell(3, 4),
    "Sequential(Embedding, LSTM)": lambda: nn.Sequential(nn.Embedding(10, 3), nn.LSTM(3, 4, batch_first=True)),
}


def name_cases():
    out = []
    for name, f in NAMED.items():
        m = f()
        out.append({"name": name, "state_dict": [[k, list(v.shape)] for k, v in m.state_dict().items()],
                    "named_parameters": [n for n, _ in m.named_parameters()]})
    return out


REPRS = {
    "LSTM(10, 20, num_layers=2, batch_first=True)": lambda: nn.LSTM(10, 20, num_layers=2, batch_first=True),
    "LSTM(10, 20, 2, True, True, 0.5, True, 5)": lambda: nn.LSTM(10, 20, 2, True, True, 0.5, True, 5),
    "LSTM(10, 20, proj_size=5, dropout=1, num_layers=3)": lambda: nn.LSTM(10, 20, proj_size=5, dropout=1, num_layers=3),
    "RNN(10, 20)": lambda: nn.RNN(10, 20),
    "RNN(10, 20, nonlinearity='relu', bias=False)": lambda: nn.RNN(10, 20, nonlinearity="relu", bias=False),
    "RNN(4, 8, 3, bidirectional=True)": lambda: nn.RNN(4, 8, 3, bidirectional=True),
    "GRU(3, 4, bias=False, dropout=0.25, num_layers=2, bidirectional=True)": lambda: nn.GRU(3, 4, bias=False, dropout=0.25, num_layers=2, bidirectional=True),
    "GRU(5, 6)": lambda: nn.GRU(5, 6),
    "RNNCell(3, 4)": lambda: nn.RNNCell(3, 4),
    "RNNCell(3, 4, bias=False, nonlinearity='relu')": lambda: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    "LSTMCell(3, 4)": lambda: nn.LSTMCell(3, 4),
    "GRUCell(3, 4, bias=False)": lambda: nn.GRUCell(3, 4, bias=False),
    "Sequential(Embedding, LSTM)": NAMED["Sequential(Embedding, LSTM)"],
    "ModuleDict(rnn=GRU, head=Linear)": lambda: nn.ModuleDict({"rnn": nn.GRU(8, 16, 2, batch_first=True), "head": nn.Linear(16, 2)}),
}


def repr_cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [{"name": n, "repr": repr(f())} for n, f in REPRS.items()]


def errors():
    x = lambda *s: torch.zeros(*s)  # noqa: E731
    cases = [
        ("RNN input_size", lambda: nn.RNN(10, 20)(x(5, 3, 5))),
        ("LSTM input_size", lambda: nn.LSTM(10, 20)(x(5, 3, 5))),
        ("GRU input_size unbatched", lambda: nn.GRU(10, 20)(x(5, 7))),
        ("RNN hidden size", lambda: nn.RNN(10, 20)(x(5, 3, 10), x(1, 4, 20))),
        ("RNN hidden size layers", lambda: nn.RNN(10, 20, 2, bidirectional=True)(x(5, 3, 10), x(2, 3, 20))),
        ("GRU hidden size batch_first", lambda: nn.GRU(10, 20, batch_first=True)(x(3, 5, 10), x(1, 5, 20))),
        ("GRU hidden size unbatched", lambda: nn.GRU(10, 20)(x(5, 10), x(1, 19))),
        ("LSTM hidden[0] size", lambda: nn.LSTM(10, 20)(x(5, 3, 10), (x(1, 4, 20), x(1, 3, 20)))),
        ("LSTM hidden[1] size", lambda: nn.LSTM(10, 20)(x(5, 3, 10), (x(1, 3, 20), x(1, 3, 21)))),
        ("LSTM proj hidden[0] size", lambda: nn.LSTM(10, 20, proj_size=5)(x(5, 3, 10), (x(1, 3, 20), x(1, 3, 20)))),
        ("LSTM proj hidden[1] size", lambda: nn.LSTM(10, 20, proj_size=5)(x(5, 3, 10), (x(1, 3, 5), x(1, 3, 5)))),
        ("RNN batched hx 2-D", lambda: nn.RNN(10, 20)(x(5, 3, 10), x(3, 20))),
        ("GRU unbatched hx 3-D", lambda: nn.GRU(10, 20)(x(5, 10), x(1, 1, 20))),
        ("LSTM batched hx 2-D", lambda: nn.LSTM(10, 20)(x(5, 3, 10), (x(3, 20), x(1, 3, 20)))),
        ("LSTM unbatched hx 3-D", lambda: nn.LSTM(10, 20)(x(5, 10), (x(1, 20), x(1, 1, 20)))),
        ("RNN 4-D input", lambda: nn.RNN(10, 20)(x(2, 5, 3, 10))),
        ("LSTM 1-D input", lambda: nn.LSTM(10, 20)(x(10))),
        ("GRU 4-D input", lambda: nn.GRU(10, 20)(x(2, 5, 3, 10))),
        ("LSTM input dtype", lambda: nn.LSTM(10, 20)(x(5, 3, 10).double())),
        ("GRU input dtype", lambda: nn.GRU(10, 20).double()(x(5, 3, 10))),
        ("RNN empty sequence", lambda: nn.RNN(10, 20)(x(0, 3, 10))),
        # constructors
        ("dropout > 1", lambda: nn.LSTM(10, 20, 2, dropout=1.5)),
        ("dropout < 0", lambda: nn.GRU(10, 20, 2, dropout=-0.1)),
        ("dropout bool", lambda: nn.RNN(10, 20, 2, dropout=True)),
        ("proj_size < 0", lambda: nn.LSTM(10, 20, proj_size=-1)),
        ("proj_size >= hidden_size", lambda: nn.LSTM(10, 20, proj_size=20)),
        ("RNN proj_size", lambda: nn.RNN(10, 20, proj_size=5)),
        ("GRU proj_size", lambda: nn.GRU(10, 20, proj_size=0)),
        ("RNN nonlinearity", lambda: nn.RNN(10, 20, nonlinearity="gelu")),
        ("hidden_size 0", lambda: nn.GRU(10, 0)),
        ("num_layers 0", lambda: nn.LSTM(10, 20, num_layers=0)),
        ("hidden_size float", lambda: nn.LSTM(10, 2.5)),
        # cells
        ("RNNCell input_size", lambda: nn.RNNCell(10, 20)(x(3, 5))),
        ("LSTMCell input_size unbatched", lambda: nn.LSTMCell(10, 20)(x(7))),
        ("GRUCell batch", lambda: nn.GRUCell(10, 20)(x(3, 10), x(4, 20))),
        ("RNNCell hidden_size", lambda: nn.RNNCell(10, 20)(x(3, 10), x(3, 7))),
        ("LSTMCell hidden1 size", lambda: nn.LSTMCell(10, 20)(x(3, 10), (x(3, 20), x(3, 7)))),
        ("LSTMCell hidden1 batch", lambda: nn.LSTMCell(10, 20)(x(3, 10), (x(3, 20), x(2, 20)))),
        ("RNNCell 3-D input", lambda: nn.RNNCell(10, 20)(x(2, 3, 10))),
        ("GRUCell 3-D hidden", lambda: nn.GRUCell(10, 20)(x(3, 10), x(1, 3, 20))),
        ("LSTMCell 3-D hx[1]", lambda: nn.LSTMCell(10, 20)(x(3, 10), (x(3, 20), x(1, 3, 20)))),
        ("RNNCell nonlinearity", lambda: nn.RNNCell(10, 20, nonlinearity="gelu")(x(3, 10))),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [{"name": name, "error": error_of(f)} for name, f in cases]


def warning_cases():
    out = []
    for name, f in (("LSTM(10, 20, dropout=0.5)", lambda: nn.LSTM(10, 20, dropout=0.5)),
                    ("GRU(3, 4, 1, True, False, 1)", lambda: nn.GRU(3, 4, 1, True, False, 1))):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            f()
        out.append({"name": name, "warnings": [str(x.message) for x in w]})
    return out


def main():
    data = {"torch_version": torch.__version__, "layers": layer_cases(), "dropout": dropout_cases(), "cells": cell_cases(),
            "names": name_cases(), "reprs": repr_cases(), "errors": errors(), "warnings": warning_cases()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(v) for k, v in data.items() if isinstance(v, list))
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT) // 1024} KiB, {n} cases)")


if __name__ == "__main__":
    main()
