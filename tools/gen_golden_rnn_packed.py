#!/usr/bin/python3
"""Golden data for torch.nn.utils.rnn and the recurrent layers on packed input
(src/nn/utils_rnn.ts, src/nn/rnn.ts; test/nn_rnn_packed.test.ts), computed by real PyTorch on CPU.

    /work/.venv-torch/bin/python tools/gen_golden_rnn_packed.py

writes test/golden/rnn_packed.json:
  packs      pack_padded_sequence on a padded input (time- or batch-major, lengths as a list or a
             tensor, enforce_sorted both ways, trailing dimensions none / one / two, float64,
             float32 and int64): the PackedSequence's four fields, data's grad_fn, then
             pad_packed_sequence back (batch_first, padding_value, total_length as the case says):
             padded tensor, lengths, grad_fn; and the input's gradient for a weighted sum of the
             padded result and of the packed data
  pads       pad_sequence (batch_first, padding_value, padding_side) on lists of sequences: result,
             grad_fn, gradient of every sequence; pack_sequence of the same list (enforce_sorted
             as the case says) and unpack_sequence / unpad_sequence of it
  reprs      printed forms of PackedSequences
  methods    PackedSequence.double() / .float() / .to(dtype) and the constructor's default
             unsorted_indices (the inverse permutation)
  layers     RNN (tanh, relu), LSTM, LSTM with proj_size and GRU on packed input, each built after
             torch.manual_seed(0) (default parameters bit for bit), then .double() (or float32 where
             the case says so): the output's packed data, the output padded back, h_n (and c_n),
             grad_fn names, and the gradients of every parameter, of the padded input (through
             PackPaddedSequenceBackward0) and of the initial states after backward of a weighted sum
  dropout    a multi-layer module with dropout in training mode on packed input, forward right
             after torch.manual_seed(seed): PyTorch draws the masks with at::dropout on each
             layer's whole packed output
  errors     error messages (their first line)

Values are lossless (see tools/gen_golden.py); data are seeded per case (crc32 of the case name).

Lengths beyond the input's T are not refused by
pack_padded_sequence (the slice stops at T, a malformed PackedSequence results
and pad_packed_sequence then fails on a view): the case "lengths beyond T" records that.
"""

import json
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils import rnn as R

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, enc_tensor_or_none as opt, error_of, gen, uniform  # noqa: E402
from gen_golden_rnn import KINDS, layer_kinds  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "rnn_packed.json")

T = enc_tensor


def gname(t):
    """the grad_fn's Python class name ("CopySlices", not name()'s "torch::autograd::CopySlices")"""
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def rnd(name, shape, dtype, lo=-1.0, hi=1.0):
    return uniform(name, shape, dtype, lo, hi)


def packed_fields(p):
    return {"data": T(p.data), "batch_sizes": T(p.batch_sizes), "sorted_indices": opt(p.sorted_indices),
            "unsorted_indices": opt(p.unsorted_indices), "data_grad_fn": gname(p.data)}


# ---------------------------------------------------------------------------------------------
# pack_padded_sequence / pad_packed_sequence

def pack_specs():
    # (name, T, B, feat, dtype, lengths, lengths_as_tensor, batch_first, enforce_sorted, pad kwargs)
    return [
        ("sorted time-major", 4, 3, [2], "float64", [4, 3, 1], False, False, True, {}),
        ("sorted time-major lengths tensor", 4, 3, [2], "float64", [4, 2, 2], True, False, True, {}),
        ("sorted batch_first", 3, 3, [2], "float64", [3, 2, 1], False, True, True, {"batch_first": True}),
        ("unsorted time-major", 4, 4, [3], "float64", [2, 4, 1, 3], False, False, False, {}),
        ("unsorted batch_first", 5, 3, [2], "float64", [3, 5, 2], True, True, False, {"batch_first": True}),
        ("unsorted batch_first padded time-major", 5, 3, [2], "float64", [3, 5, 2], False, True, False, {}),
        ("unsorted ties", 3, 5, [1], "float64", [2, 3, 2, 3, 1], False, False, False, {}),
        ("T longer than lengths", 6, 2, [2], "float64", [4, 2], False, False, True, {}),
        ("total_length", 4, 3, [2], "float64", [3, 3, 1], False, False, True, {"total_length": 6}),
        ("total_length batch_first unsorted", 4, 3, [2], "float64", [1, 4, 2], False, True, False,
         {"batch_first": True, "total_length": 5, "padding_value": -1.5}),
        ("padding_value", 3, 3, [2], "float64", [3, 1, 1], False, False, True, {"padding_value": 7.0}),
        ("no trailing dims", 4, 3, [], "float64", [4, 2, 1], False, False, True, {}),
        ("two trailing dims", 3, 2, [2, 3], "float64", [3, 2], False, True, False, {"batch_first": True}),
        ("equal lengths", 3, 3, [2], "float64", [3, 3, 3], False, False, True, {}),
        ("one sequence", 3, 1, [2], "float64", [2], False, False, True, {}),
        ("float32", 4, 3, [3], "float32", [2, 4, 3], False, False, False, {"padding_value": 0.5}),
        ("int64", 3, 3, [], "int64", [2, 1, 3], False, True, False, {"batch_first": True}),
    ]


def pack_cases():
    out = []
    for name, Tn, B, feat, dt, lengths, as_tensor, bf, es, pad_kw in pack_specs():
        dtype = getattr(torch, dt)
        shape = ([B, Tn] if bf else [Tn, B]) + feat
        if dtype.is_floating_point:
            x = rnd(f"{name}/x", shape, dtype).requires_grad_()
        else:
            x = torch.randint(0, 10, shape, generator=gen(name), dtype=dtype)
        lens = torch.tensor(lengths) if as_tensor else lengths
        p = R.pack_padded_sequence(x, lens, batch_first=bf, enforce_sorted=es)
        padded, plens = R.pad_packed_sequence(p, **pad_kw)
        rec = {"name": name, "x": T(x), "lengths": lengths, "lengths_tensor": as_tensor, "batch_first": bf,
               "enforce_sorted": es, "pad": pad_kw, **packed_fields(p),
               "padded": T(padded), "padded_lengths": T(plens), "padded_grad_fn": gname(padded)}
        if dtype.is_floating_point:
            w1, w2 = rnd(f"{name}/w1", padded.shape, dtype), rnd(f"{name}/w2", p.data.shape, dtype)
            ((padded * w1).sum() + (p.data * w2).sum()).backward()
            rec.update({"w_padded": T(w1), "w_data": T(w2), "grad_x": T(x.grad)})
        out.append(rec)
    return out


def beyond_t_case():
    """Lengths beyond the input's T: PyTorch does not refuse them when packing."""
    x = torch.arange(6.).view(3, 2)
    p = R.pack_padded_sequence(x, [5, 2])
    return {"name": "lengths beyond T", "x": T(x), "lengths": [5, 2], **packed_fields(p)}


# ---------------------------------------------------------------------------------------------
# pad_sequence, pack_sequence, unpack_sequence, unpad_sequence

def pad_specs():
    # (name, lengths, trailing, dtype, batch_first, padding_value, padding_side, enforce_sorted)
    return [
        ("default", [3, 5, 2], [2], "float64", False, 0.0, "right", False),
        ("batch_first", [3, 5, 2], [2], "float64", True, 0.0, "right", False),
        ("sorted", [4, 2, 1], [3], "float64", False, 0.0, "right", True),
        ("padding_value", [2, 3], [], "float64", True, -2.5, "right", False),
        ("left", [3, 5, 2], [2], "float64", False, 0.0, "left", False),
        ("left batch_first padding_value", [1, 4, 2], [2], "float64", True, 9.0, "left", False),
        ("two trailing dims", [2, 3], [2, 2], "float64", False, 1.0, "right", False),
        ("equal lengths", [3, 3, 3], [1], "float32", True, 0.0, "right", True),
        ("int64", [2, 4, 1], [], "int64", True, 0.0, "right", False),
    ]


def pad_cases():
    out = []
    for name, lengths, trailing, dt, bf, pv, side, es in pad_specs():
        dtype = getattr(torch, dt)
        if dtype.is_floating_point:
            seqs = [rnd(f"{name}/s{i}", [n] + trailing, dtype).requires_grad_() for i, n in enumerate(lengths)]
        else:
            seqs = [torch.arange(1, n + 1, dtype=dtype) * (10 ** i) for i, n in enumerate(lengths)]
        padded = R.pad_sequence(seqs, batch_first=bf, padding_value=pv, padding_side=side)
        packed = R.pack_sequence(seqs, enforce_sorted=es)
        unpacked = R.unpack_sequence(packed)
        rpadded = R.pad_sequence(seqs, batch_first=bf)
        unpadded = R.unpad_sequence(rpadded.clone() if not bf else rpadded, torch.tensor(lengths), batch_first=bf)
        rec = {"name": name, "seqs": [T(s) for s in seqs], "batch_first": bf, "padding_value": pv, "padding_side": side,
               "enforce_sorted": es, "padded": T(padded), "padded_grad_fn": gname(padded),
               "packed": packed_fields(packed), "unpacked": [T(u) for u in unpacked],
               "unpacked_grad_fn": [gname(u) for u in unpacked], "unpadded": [T(u) for u in unpadded],
               "unpadded_grad_fn": [gname(u) for u in unpadded]}
        if dtype.is_floating_point:
            w = rnd(f"{name}/w", padded.shape, dtype)
            (padded * w).sum().backward()
            rec.update({"w": T(w), "grads": [T(s.grad) for s in seqs]})
            for s in seqs:
                s.grad = None
            ws = [rnd(f"{name}/wu{i}", u.shape, dtype) for i, u in enumerate(unpacked)]
            wp = rnd(f"{name}/wp", packed.data.shape, dtype)
            (sum((u * wi).sum() for u, wi in zip(unpacked, ws)) + (packed.data * wp).sum()).backward()
            rec.update({"w_unpacked": [T(wi) for wi in ws], "w_packed": T(wp), "grads_packed": [T(s.grad) for s in seqs]})
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# PackedSequence: printed form and methods

def repr_cases():
    seq = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    out = [{"name": "docs example", "repr": repr(R.pack_padded_sequence(seq, [2, 1, 3], batch_first=True, enforce_sorted=False))}]
    x = torch.arange(12.).view(3, 2, 2).requires_grad_()
    out.append({"name": "float grad sorted", "repr": repr(R.pack_padded_sequence(x, [3, 2]))})
    out.append({"name": "float grad unsorted", "repr": repr(R.pack_padded_sequence(x, [2, 3], enforce_sorted=False))})
    out.append({"name": "double", "repr": repr(R.pack_sequence([torch.tensor([0.5, 1.25]), torch.tensor([2.0])]).double())})
    out.append({"name": "2-d trailing float32", "repr": repr(R.pack_sequence([torch.ones(2, 2), torch.full((3, 2), 0.5)], enforce_sorted=False))})
    return out


def method_cases():
    p = R.pack_sequence([torch.tensor([1.5, 2.5, 3.5]), torch.tensor([4.0]), torch.tensor([5.0, 6.0])], enforce_sorted=False)
    d = p.double()
    f = d.float()
    same = p.to(torch.float32) is p
    l = p.long()
    q = R.PackedSequence(p.data, p.batch_sizes, torch.tensor([2, 0, 1]))
    return {"packed": packed_fields(p), "double": packed_fields(d), "float": packed_fields(f), "to_same_is_self": same,
            "long": packed_fields(l), "ctor_sorted": packed_fields(q)}


# ---------------------------------------------------------------------------------------------
# RNN / LSTM / GRU on packed input



def layer_specs():
    I, H, P = 3, 4, 2
    kinds = layer_kinds(P)
    variants = [
        # (suffix, extra ctor args, T, lengths, enforce_sorted, initial state given)
        ("2 layers sorted hx", {"num_layers": 2}, 4, [4, 3, 1], True, True),
        ("2 layers bidirectional unsorted hx", {"num_layers": 2, "bidirectional": True}, 4, [2, 4, 1, 3], False, True),
        ("bidirectional batch_first unsorted", {"bidirectional": True, "batch_first": True}, 3, [3, 1, 2], False, False),
        ("bidirectional sorted ties", {"bidirectional": True}, 3, [3, 3, 2, 2], True, True),
        ("equal lengths", {}, 3, [3, 3], True, True),
        ("no bias one sequence", {"bias": False}, 3, [2], True, False),
    ]
    specs = []
    for kname, kind, kargs in kinds:
        for suffix, vargs, Tn, lengths, es, hx in variants:
            specs.append({"name": f"{kname} {suffix}", "kind": kind, "args": {"input_size": I, "hidden_size": H, **kargs, **vargs},
                          "T": Tn, "lengths": lengths, "enforce_sorted": es, "hx": hx, "dtype": "float64"})
        specs.append({"name": f"{kname} float32", "kind": kind,
                      "args": {"input_size": I, "hidden_size": H, "num_layers": 2, "bidirectional": True, **kargs},
                      "T": 4, "lengths": [3, 4, 1], "enforce_sorted": False, "hx": True, "dtype": "float32"})
    return specs


def state_shapes(m, batch):
    D = 2 if m.bidirectional else 1
    real = m.proj_size if getattr(m, "proj_size", 0) > 0 else m.hidden_size
    lead = [m.num_layers * D, batch]
    if isinstance(m, nn.LSTM):
        return [lead + [real], lead + [m.hidden_size]]
    return [lead + [m.hidden_size]]


def run_layer(spec, training=False, seed=None):
    name = spec["name"]
    dtype = getattr(torch, spec["dtype"])
    torch.manual_seed(0)
    m = KINDS[spec["kind"]](**spec["args"])
    init = [{"name": n, **T(p)} for n, p in m.named_parameters()]
    after_rand = T(torch.rand(3))
    if dtype == torch.float64:
        m.double()
    m.train(training)
    I = spec["args"]["input_size"]
    Tn, lengths = spec["T"], spec["lengths"]
    B = len(lengths)
    bf = spec["args"].get("batch_first", False)
    x = rnd(f"{name}/x", [B, Tn, I] if bf else [Tn, B, I], dtype).requires_grad_()
    hx = None
    if spec["hx"]:
        hs = [rnd(f"{name}/h{i}", s, dtype).requires_grad_() for i, s in enumerate(state_shapes(m, B))]
        hx = tuple(hs) if isinstance(m, nn.LSTM) else hs[0]
    packed = R.pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=spec["enforce_sorted"])
    if seed is not None:
        torch.manual_seed(seed)
    out, hidden = m(packed, hx)
    finals = list(hidden) if isinstance(m, nn.LSTM) else [hidden]
    padded, plens = R.pad_packed_sequence(out, batch_first=bf)
    ws = [rnd(f"{name}/w{i}", t.shape, dtype) for i, t in enumerate([padded] + finals)]
    loss = sum((t * w).sum() for t, w in zip([padded] + finals, ws))
    loss.backward()
    hxs = [] if hx is None else list(hx if isinstance(hx, tuple) else (hx,))
    rec = {**spec, "init": init, "after_rand": after_rand, "x": T(x), "hx": None if hx is None else [T(h) for h in hxs],
           "out": packed_fields(out), "padded": T(padded), "padded_lengths": T(plens), "padded_grad_fn": gname(padded),
           "hidden": [T(h) for h in finals], "hidden_grad_fn": [gname(h) for h in finals],
           "weights": [T(w) for w in ws], "grad_x": T(x.grad),
           "grad_hx": None if hx is None else [T(h.grad) for h in hxs],
           "grads": [{"name": n, **T(p.grad)} for n, p in m.named_parameters()]}
    return rec


def dropout_cases():
    specs = [
        {"name": "LSTM dropout 0.5 3 layers unsorted", "kind": "LSTM", "args": {"input_size": 3, "hidden_size": 4, "num_layers": 3, "dropout": 0.5},
         "T": 4, "lengths": [2, 4, 3], "enforce_sorted": False, "hx": False, "dtype": "float64", "seed": 7},
        {"name": "GRU dropout 0.3 bidirectional batch_first", "kind": "GRU",
         "args": {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.3, "bidirectional": True, "batch_first": True},
         "T": 3, "lengths": [3, 2], "enforce_sorted": True, "hx": True, "dtype": "float64", "seed": 11},
    ]
    out = []
    for s in specs:
        rec = run_layer(s, training=True, seed=s["seed"])
        rec["after_forward_rand"] = T(torch.rand(3))
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# errors

def error_cases():
    z = lambda *s: torch.zeros(*s)
    p = R.pack_padded_sequence(z(4, 3, 2), [4, 3, 1])
    cases = {
        "pack: lengths not sorted": lambda: R.pack_padded_sequence(z(3, 2), [2, 3]),
        "pack: zero length": lambda: R.pack_padded_sequence(z(3, 2), [2, 0]),
        "pack: zero length unsorted": lambda: R.pack_padded_sequence(z(3, 3), [2, 0, 3], enforce_sorted=False),
        "pack: negative length": lambda: R.pack_padded_sequence(z(3, 2), [3, -1]),
        "pack: lengths count": lambda: R.pack_padded_sequence(z(3, 2), [2]),
        "pack: lengths count batch_first": lambda: R.pack_padded_sequence(z(2, 3, 1), [3, 2, 1], batch_first=True),
        "pack: 1-d input": lambda: R.pack_padded_sequence(z(3), [2]),
        "pack: empty input": lambda: R.pack_padded_sequence(z(0, 2), [2, 1]),
        "pack: 2-d lengths": lambda: R.pack_padded_sequence(z(3, 2), torch.tensor([[2, 1]])),
        "pad_packed: total_length": lambda: R.pad_packed_sequence(p, total_length=3),
        "pad_packed: lengths beyond T": lambda: R.pad_packed_sequence(R.pack_padded_sequence(torch.arange(6.).view(3, 2), [5, 2])),
        "pad_sequence: empty list": lambda: R.pad_sequence([]),
        "pad_sequence: not iterable": lambda: R.pad_sequence(3),
        "pad_sequence: trailing dims": lambda: R.pad_sequence([z(3, 2), z(2, 3)]),
        "pad_sequence: more dims than the first": lambda: R.pad_sequence([z(3), z(2, 2)]),
        "pad_sequence: trailing dims broadcast": lambda: R.pad_sequence([z(3, 1), z(2, 4)]),
        "pad_sequence: padding_side": lambda: R.pad_sequence([z(2)], padding_side="middle"),
        "RNN packed: hx batch": lambda: nn.RNN(2, 4)(p, z(1, 2, 4)),
        "GRU packed: hx hidden size": lambda: nn.GRU(2, 4, bidirectional=True)(p, z(2, 3, 5)),
        "LSTM packed: c batch": lambda: nn.LSTM(2, 4)(p, (z(1, 3, 4), z(1, 2, 4))),
        "LSTM proj packed: h size": lambda: nn.LSTM(2, 4, proj_size=2)(p, (z(1, 3, 4), z(1, 3, 4))),
        "GRU packed: input_size": lambda: nn.GRU(3, 4)(p),
        "GRU packed: dtype": lambda: nn.GRU(2, 4)(p.double()),
    }
    return [{"name": name, "error": error_of(thunk).split("\n")[0]} for name, thunk in cases.items()]


def main():
    golden = {
        "packs": pack_cases(),
        "beyond_t": beyond_t_case(),
        "pads": pad_cases(),
        "reprs": repr_cases(),
        "methods": method_cases(),
        "layers": [run_layer(s) for s in layer_specs()],
        "dropout": dropout_cases(),
        "errors": error_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(v) if isinstance(v, list) else 1 for v in golden.values())
    print(f"wrote {OUT}: {n} cases")


if __name__ == "__main__":
    main()
