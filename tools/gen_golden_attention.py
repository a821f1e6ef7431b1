#!/usr/bin/env python3
"""Golden data for attention and the Transformer layers (src/nn/functional_attention.ts,
src/nn/attention.ts, src/nn/transformer.ts; test/nn_attention.test.ts), computed by real PyTorch
on CPU.

Run with PyTorch 2.x (the committed data are 2.13's):

    .venv-torch/bin/python tools/gen_golden_attention.py

writes test/golden/attention.json:
  sdpa       F.scaled_dot_product_attention: output and float64 gradients of query, key, value
             (and of a float mask) for bool and float masks, is_causal, scale, different L and S,
             2-, 3- and 4-d inputs, enable_gqa, a row with every key masked, dropout (drawn after
             torch.manual_seed(seed)), float32
  modules    nn.MultiheadAttention, TransformerEncoderLayer / DecoderLayer, TransformerEncoder /
             Decoder and Transformer: each built after torch.manual_seed(0) with its default
             initialisation (float32, bit for bit, plus torch.rand(3) drawn after it, which checks
             the number of draws); then, in float64 after .double() (or in float32 where the case
             says so), in eval mode or in train mode after torch.manual_seed(seed), the outputs for
             the case's inputs and masks, and the gradients of every parameter and input after
             backward of a weighted sum of the outputs
  names      state_dict keys with shapes, in order
  reprs      printed form of modules
  masks      Transformer.generate_square_subsequent_mask
  errors     error messages; warnings: UserWarnings

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
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor as T, error_of, gen, uniform  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "attention.json")


def rnd(name, shape, dtype=torch.float64, lo=-1.0, hi=1.0):
    return uniform(name, shape, dtype, lo, hi)


def bool_mask(name, shape, p_true=0.7, keep_col=0):
    """A random bool mask with column `keep_col` True, so no row is all False (None: no such column)."""
    m = torch.rand(shape, generator=gen(name)) < p_true
    if keep_col is not None:
        m[..., keep_col] = True
    return m


# ---------------------------------------------------------------------------------------------
# scaled_dot_product_attention

def sdpa_cases():
    B, H = 2, 2
    specs = [
        # (name, q shape, k shape, v shape, mask: None | (kind, shape), kwargs, dtype)
        ("4-d L=3 S=5 Ev=6", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 6], None, {}, "float64"),
        ("3-d", [3, 4, 5], [3, 6, 5], [3, 6, 2], None, {}, "float64"),
        ("2-d", [4, 3], [5, 3], [5, 3], None, {}, "float64"),
        ("5-d broadcast batch", [2, 1, 2, 3, 4], [1, 3, 2, 5, 4], [1, 3, 2, 5, 4], None, {}, "float64"),
        ("bool mask [L, S]", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], ("bool", [3, 5]), {}, "float64"),
        ("bool mask [B, 1, L, S]", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], ("bool", [B, 1, 3, 5]), {}, "float64"),
        ("float mask [B, H, L, S]", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], ("float", [B, H, 3, 5]), {}, "float64"),
        ("float mask with -inf [L, S]", [B, H, 4, 4], [B, H, 4, 4], [B, H, 4, 4], ("float_inf", [4, 4]), {}, "float64"),
        ("is_causal L=S", [B, H, 4, 3], [B, H, 4, 3], [B, H, 4, 5], None, {"is_causal": True}, "float64"),
        ("is_causal L<S", [1, H, 3, 4], [1, H, 5, 4], [1, H, 5, 4], None, {"is_causal": True}, "float64"),
        ("is_causal L>S", [1, H, 5, 4], [1, H, 3, 4], [1, H, 3, 4], None, {"is_causal": True}, "float64"),
        ("scale", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], None, {"scale": 0.3}, "float64"),
        ("negative scale", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], None, {"scale": -0.7}, "float64"),
        ("scale with bool mask", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], ("bool", [3, 5]), {"scale": 1.5}, "float64"),
        ("a row with every key masked", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], ("bool_row", [B, 1, 3, 5]), {}, "float64"),
        ("enable_gqa", [B, 4, 3, 4], [B, 2, 5, 4], [B, 2, 5, 6], None, {"enable_gqa": True}, "float64"),
        ("enable_gqa equal heads", [B, 2, 3, 4], [B, 2, 5, 4], [B, 2, 5, 4], None, {"enable_gqa": True}, "float64"),
        ("dropout", [B, H, 3, 4], [B, H, 5, 4], [B, H, 5, 4], None, {"dropout_p": 0.4}, "float64"),
        ("dropout causal", [B, H, 4, 4], [B, H, 4, 4], [B, H, 4, 4], None, {"dropout_p": 0.25, "is_causal": True}, "float64"),
        ("float32", [B, H, 3, 8], [B, H, 5, 8], [B, H, 5, 8], None, {}, "float32"),
        ("float32 bool mask", [B, H, 3, 8], [B, H, 5, 8], [B, H, 5, 8], ("bool", [3, 5]), {}, "float32"),
        ("float32 is_causal", [B, H, 4, 8], [B, H, 4, 8], [B, H, 4, 8], None, {"is_causal": True}, "float32"),
    ]
    out = []
    for i, (name, qs, ks, vs, mask, kw, dt) in enumerate(specs):
        dtype = getattr(torch, dt)
        q = rnd(f"{name}/q", qs, dtype, -2, 2).requires_grad_()
        k = rnd(f"{name}/k", ks, dtype, -2, 2).requires_grad_()
        v = rnd(f"{name}/v", vs, dtype).requires_grad_()
        m = None
        mask_grad = False
        if mask is not None:
            kind, shape = mask
            if kind == "bool":
                m = bool_mask(f"{name}/mask", shape)
            elif kind == "bool_row":
                m = bool_mask(f"{name}/mask", shape)
                m[0, 0, 1, :] = False  # query row 1 of batch 0 sees no key
            elif kind == "float":
                m = rnd(f"{name}/mask", shape, dtype).requires_grad_()
                mask_grad = True
            else:  # float with -inf: a causal mask plus noise
                m = (rnd(f"{name}/mask", shape, dtype) + torch.full(shape, float("-inf"), dtype=dtype).triu(1)).requires_grad_()
                mask_grad = True
        seed = 100 + i if kw.get("dropout_p", 0) > 0 else None
        if seed is not None:
            torch.manual_seed(seed)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=m, **kw)
        w = rnd(f"{name}/w", list(o.shape), dtype)
        (o * w).sum().backward()
        rec = {"name": name, "dtype": dt, "q": T(q), "k": T(k), "v": T(v), "attn_mask": None if m is None else T(m),
               "mask_requires_grad": mask_grad, "kwargs": kw, "seed": seed, "out": T(o), "w": T(w),
               "grad_q": T(q.grad), "grad_k": T(k.grad), "grad_v": T(v.grad),
               "grad_mask": T(m.grad) if mask_grad else None}
        if seed is not None:
            rec["after_rand"] = T(torch.rand(3))
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# modules

def activation_of(spec):
    if isinstance(spec, dict):
        if "module" in spec:
            return getattr(nn, spec["module"])(**spec.get("kwargs", {}))
        return getattr(F, spec["function"])
    return spec


def build(spec):
    kind = spec["kind"]
    if kind in ("TransformerEncoder", "TransformerDecoder"):
        layer = build(spec["layer"])
        norm = build(spec["norm"]) if spec.get("norm") else None
        return getattr(nn, kind)(layer, spec["num_layers"], norm)
    kwargs = dict(spec.get("kwargs", {}))
    if "activation" in kwargs:
        kwargs["activation"] = activation_of(kwargs["activation"])
    return getattr(nn, kind)(*spec.get("args", []), **kwargs)


def params_of(m):
    return [{"name": n, **T(p)} for n, p in m.named_parameters()]


def run_module(case):
    """Builds the case's module after manual_seed(0), then runs its call and backward."""
    name = case["name"]
    dtype = getattr(torch, case.get("dtype", "float64"))
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = build(case["module"])
    init = params_of(m)
    after_rand = T(torch.rand(3))
    if dtype == torch.float64:
        m.double()
    train = case.get("train", False)
    m.train(train)
    tensors = {}
    for n, (shape, grad) in case["inputs"].items():
        tensors[n] = rnd(f"{name}/{n}", shape, dtype).requires_grad_(grad)
    masks = {}
    for n, spec in case.get("masks", {}).items():
        kind, shape = spec[0], spec[1]
        if kind == "bool":
            # True masks out (nn's convention); column spec[2] (default 0) never does, so every query
            # sees some key
            masks[n] = ~bool_mask(f"{name}/{n}", shape, p_true=0.7, keep_col=spec[2] if len(spec) > 2 else 0)
        elif kind == "causal_bool":
            masks[n] = torch.ones(shape[0], shape[1], dtype=torch.bool).triu(1)
        elif kind == "causal":
            masks[n] = nn.Transformer.generate_square_subsequent_mask(shape[0]).to(dtype)
        elif kind == "float":
            masks[n] = rnd(f"{name}/{n}", shape, dtype).requires_grad_(len(spec) > 2 and spec[2] == "grad")
        else:
            raise SystemExit(kind)
    ref = lambda v: tensors.get(v, masks.get(v)) if isinstance(v, str) else v  # noqa: E731
    args = [ref(a) for a in case["call"]["args"]]
    kwargs = {k: ref(v) for k, v in case["call"].get("kwargs", {}).items()}
    seed = case.get("seed")
    if seed is not None:
        torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = m(*args, **kwargs)
    outs = list(res) if isinstance(res, tuple) else [res]
    present = [o for o in outs if o is not None]
    ws = [rnd(f"{name}/w{i}", list(o.shape), dtype) for i, o in enumerate(present)]
    sum((o * w).sum() for o, w in zip(present, ws)).backward()
    rec = {**case, "init": init, "after_rand": after_rand,
           "tensors": {n: T(t) for n, t in tensors.items()}, "mask_values": {n: T(t) for n, t in masks.items()},
           "outputs": [None if o is None else T(o) for o in outs], "tuple": isinstance(res, tuple), "w": [T(w) for w in ws],
           "grads": [{"name": n, **T(p.grad)} for n, p in m.named_parameters()],
           "grad_inputs": {n: T(t.grad) for n, t in list(tensors.items()) + list(masks.items()) if t.requires_grad}}
    if seed is not None:
        rec["after_forward_rand"] = T(torch.rand(3))
    return rec


def mha(E=8, H=2, **kw):
    return {"kind": "MultiheadAttention", "args": [E, H], "kwargs": kw}


def mha_cases():
    E, L, S, N = 8, 4, 5, 3
    selfc = lambda **kw: {"args": ["x", "x", "x"], "kwargs": kw}  # noqa: E731
    cases = [
        {"name": "self-attention", "module": mha(), "inputs": {"x": [L, N, E], }, "call": selfc()},
        {"name": "cross-attention (key is value)", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "call": {"args": ["q", "kv", "kv"]}},
        {"name": "distinct query, key, value", "module": mha(), "inputs": {"q": [L, N, E], "k": [S, N, E], "v": [S, N, E]},
         "call": {"args": ["q", "k", "v"]}},
        {"name": "per-head weights", "module": mha(H=4), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "call": {"args": ["q", "kv", "kv"], "kwargs": {"average_attn_weights": False}}},
        {"name": "need_weights false", "module": mha(), "inputs": {"q": [L, N, E], "k": [S, N, E], "v": [S, N, E]},
         "call": {"args": ["q", "k", "v"], "kwargs": {"need_weights": False}}},
        {"name": "bool key_padding_mask", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"kpm": ["bool", [N, S], 1]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"key_padding_mask": "kpm"}}},
        {"name": "bool key_padding_mask need_weights false", "module": mha(), "inputs": {"x": [S, N, E]},
         "masks": {"kpm": ["bool", [N, S], 1]}, "call": selfc(key_padding_mask="kpm", need_weights=False)},
        {"name": "float key_padding_mask", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"kpm": ["float", [N, S]]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"key_padding_mask": "kpm"}}},
        {"name": "bool attn_mask 2-d", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["bool", [L, S], 1]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am"}}},
        {"name": "float attn_mask 2-d with gradient", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["float", [L, S], "grad"]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am"}}},
        {"name": "float attn_mask 3-d", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["float", [N * 2, L, S]]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am"}}},
        {"name": "bool attn_mask 3-d need_weights false", "module": mha(), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["bool", [N * 2, L, S], 1]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am", "need_weights": False}}},
        {"name": "bool attn_mask and key_padding_mask", "module": mha(), "inputs": {"x": [S, N, E]},
         "masks": {"am": ["bool", [S, S], 2], "kpm": ["bool", [N, S], 2]},
         "call": selfc(attn_mask="am", key_padding_mask="kpm", average_attn_weights=False)},
        {"name": "float attn_mask and bool key_padding_mask need_weights false", "module": mha(), "inputs": {"x": [S, N, E]},
         "masks": {"am": ["float", [S, S]], "kpm": ["bool", [N, S], 3]},
         "call": selfc(attn_mask="am", key_padding_mask="kpm", need_weights=False)},
        {"name": "float key_padding_mask need_weights false", "module": mha(), "inputs": {"x": [S, N, E]},
         "masks": {"kpm": ["float", [N, S]]}, "call": selfc(key_padding_mask="kpm", need_weights=False)},
        {"name": "is_causal with causal mask", "module": mha(), "inputs": {"x": [L, N, E]},
         "masks": {"am": ["causal", [L, L]]}, "call": selfc(attn_mask="am", is_causal=True, need_weights=False)},
        {"name": "is_causal with causal bool mask and key_padding_mask", "module": mha(), "inputs": {"x": [L, N, E]},
         "masks": {"am": ["causal_bool", [L, L]], "kpm": ["bool", [N, L]]}, "call": selfc(attn_mask="am", key_padding_mask="kpm", is_causal=True)},
        {"name": "kdim and vdim", "module": mha(kdim=5, vdim=7), "inputs": {"q": [L, N, E], "k": [S, N, 5], "v": [S, N, 7]},
         "masks": {"kpm": ["bool", [N, S]]}, "call": {"args": ["q", "k", "v"], "kwargs": {"key_padding_mask": "kpm"}}},
        {"name": "kdim and vdim need_weights false", "module": mha(kdim=5, vdim=7), "inputs": {"q": [L, N, E], "k": [S, N, 5], "v": [S, N, 7]},
         "call": {"args": ["q", "k", "v"], "kwargs": {"need_weights": False}}},
        {"name": "add_bias_kv", "module": mha(add_bias_kv=True), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["bool", [L, S]], "kpm": ["bool", [N, S]]},
         "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am", "key_padding_mask": "kpm"}}},
        {"name": "add_zero_attn", "module": mha(add_zero_attn=True), "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"am": ["float", [L, S]], "kpm": ["bool", [N, S]]},
         "call": {"args": ["q", "kv", "kv"], "kwargs": {"attn_mask": "am", "key_padding_mask": "kpm"}}},
        {"name": "add_bias_kv add_zero_attn kdim", "module": mha(add_bias_kv=True, add_zero_attn=True, kdim=6, vdim=6),
         "inputs": {"q": [L, N, E], "kv": [S, N, 6]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"need_weights": False}}},
        {"name": "no bias", "module": mha(bias=False), "inputs": {"x": [L, N, E]}, "call": selfc()},
        {"name": "batch_first self-attention", "module": mha(batch_first=True), "inputs": {"x": [N, L, E]},
         "masks": {"kpm": ["bool", [N, L]]}, "call": selfc(key_padding_mask="kpm")},
        {"name": "batch_first cross-attention need_weights false", "module": mha(batch_first=True),
         "inputs": {"q": [N, L, E], "kv": [N, S, E]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"need_weights": False}}},
        {"name": "batch_first distinct", "module": mha(batch_first=True, kdim=3),
         "inputs": {"q": [N, L, E], "k": [N, S, 3], "v": [N, S, E]}, "call": {"args": ["q", "k", "v"]}},
        {"name": "unbatched", "module": mha(), "inputs": {"q": [L, E], "kv": [S, E]},
         "masks": {"kpm": ["bool", [S]], "am": ["bool", [L, S]]},
         "call": {"args": ["q", "kv", "kv"], "kwargs": {"key_padding_mask": "kpm", "attn_mask": "am"}}},
        {"name": "unbatched 3-d attn_mask per-head weights", "module": mha(), "inputs": {"x": [L, E]},
         "masks": {"am": ["float", [2, L, L]]}, "call": selfc(attn_mask="am", average_attn_weights=False)},
        {"name": "unbatched batch_first need_weights false", "module": mha(batch_first=True), "inputs": {"x": [L, E]},
         "call": selfc(need_weights=False)},
        {"name": "one head", "module": mha(H=1), "inputs": {"x": [L, N, E]}, "call": selfc()},
        {"name": "float32", "module": mha(), "dtype": "float32", "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "masks": {"kpm": ["bool", [N, S]]}, "call": {"args": ["q", "kv", "kv"], "kwargs": {"key_padding_mask": "kpm"}}},
        # dropout of the attention weights in train mode, drawn after manual_seed(seed)
        {"name": "dropout train", "module": mha(dropout=0.3), "train": True, "seed": 7, "inputs": {"q": [L, N, E], "kv": [S, N, E]},
         "call": {"args": ["q", "kv", "kv"]}},
        {"name": "dropout train need_weights false", "module": mha(dropout=0.5), "train": True, "seed": 8,
         "inputs": {"x": [L, N, E]}, "masks": {"kpm": ["bool", [N, L]]}, "call": selfc(key_padding_mask="kpm", need_weights=False)},
        {"name": "dropout eval", "module": mha(dropout=0.5), "inputs": {"x": [L, N, E]}, "call": selfc()},
    ]
    for c in cases:
        for n in c["inputs"]:
            c["inputs"][n] = [c["inputs"][n], True]
    return [run_module(c) for c in cases]


def enc_layer(**kw):
    return {"kind": "TransformerEncoderLayer", "args": [8, 2], "kwargs": {"dim_feedforward": 16, **kw}}


def dec_layer(**kw):
    return {"kind": "TransformerDecoderLayer", "args": [8, 2], "kwargs": {"dim_feedforward": 16, **kw}}


def ln(eps=1e-5):
    return {"kind": "LayerNorm", "args": [8], "kwargs": {"eps": eps}}


def transformer_cases():
    E, S, L, N = 8, 5, 4, 3
    src = lambda **kw: {"args": ["src"], "kwargs": kw}  # noqa: E731
    dec = lambda **kw: {"args": ["tgt", "mem"], "kwargs": kw}  # noqa: E731
    cases = [
        # encoder layers
        {"name": "encoder layer", "module": enc_layer(), "inputs": {"src": [S, N, E]}, "call": src()},
        {"name": "encoder layer masks", "module": enc_layer(), "inputs": {"src": [S, N, E]},
         "masks": {"m": ["float", [S, S]], "kpm": ["bool", [N, S]]}, "call": src(src_mask="m", src_key_padding_mask="kpm")},
        {"name": "encoder layer norm_first gelu", "module": enc_layer(norm_first=True, activation="gelu"), "inputs": {"src": [S, N, E]},
         "masks": {"kpm": ["bool", [N, S]]}, "call": src(src_key_padding_mask="kpm")},
        {"name": "encoder layer batch_first causal", "module": enc_layer(batch_first=True), "inputs": {"src": [N, S, E]},
         "masks": {"m": ["causal", [S, S]]}, "call": src(src_mask="m", is_causal=True)},
        {"name": "encoder layer bool mask 3-d", "module": enc_layer(), "inputs": {"src": [S, N, E]},
         "masks": {"m": ["bool", [N * 2, S, S]]}, "call": src(src_mask="m")},
        {"name": "encoder layer unbatched", "module": enc_layer(norm_first=True), "inputs": {"src": [S, E]},
         "masks": {"kpm": ["bool", [S]]}, "call": src(src_key_padding_mask="kpm")},
        {"name": "encoder layer GELU module tanh", "module": enc_layer(activation={"module": "GELU", "kwargs": {"approximate": "tanh"}}),
         "inputs": {"src": [S, N, E]}, "call": src()},
        {"name": "encoder layer silu function", "module": enc_layer(activation={"function": "silu"}, layer_norm_eps=1e-3),
         "inputs": {"src": [S, N, E]}, "call": src()},
        {"name": "encoder layer no bias", "module": enc_layer(bias=False), "inputs": {"src": [S, N, E]},
         "masks": {"kpm": ["bool", [N, S]]}, "call": src(src_key_padding_mask="kpm")},
        {"name": "encoder layer float32", "module": enc_layer(), "dtype": "float32", "inputs": {"src": [S, N, E]}, "call": src()},
        {"name": "encoder layer dropout train", "module": enc_layer(dropout=0.2), "train": True, "seed": 21,
         "inputs": {"src": [S, N, E]}, "masks": {"kpm": ["bool", [N, S]]}, "call": src(src_key_padding_mask="kpm")},
        {"name": "encoder layer norm_first dropout train", "module": enc_layer(dropout=0.3, norm_first=True, activation="gelu"),
         "train": True, "seed": 22, "inputs": {"src": [S, N, E]}, "call": src()},
        # decoder layers
        {"name": "decoder layer", "module": dec_layer(), "inputs": {"tgt": [L, N, E], "mem": [S, N, E]}, "call": dec()},
        {"name": "decoder layer masks", "module": dec_layer(), "inputs": {"tgt": [L, N, E], "mem": [S, N, E]},
         "masks": {"tm": ["causal", [L, L]], "mm": ["bool", [L, S]], "tkpm": ["bool", [N, L]], "mkpm": ["bool", [N, S]]},
         "call": dec(tgt_mask="tm", memory_mask="mm", tgt_key_padding_mask="tkpm", memory_key_padding_mask="mkpm")},
        {"name": "decoder layer norm_first gelu batch_first causal", "module": dec_layer(norm_first=True, activation="gelu", batch_first=True),
         "inputs": {"tgt": [N, L, E], "mem": [N, S, E]}, "masks": {"tm": ["causal", [L, L]]}, "call": dec(tgt_mask="tm", tgt_is_causal=True)},
        {"name": "decoder layer unbatched", "module": dec_layer(), "inputs": {"tgt": [L, E], "mem": [S, E]},
         "masks": {"mkpm": ["bool", [S]]}, "call": dec(memory_key_padding_mask="mkpm")},
        {"name": "decoder layer dropout train", "module": dec_layer(dropout=0.25), "train": True, "seed": 23,
         "inputs": {"tgt": [L, N, E], "mem": [S, N, E]}, "masks": {"tm": ["causal", [L, L]]}, "call": dec(tgt_mask="tm")},
        # stacks
        {"name": "encoder 2 layers with norm", "module": {"kind": "TransformerEncoder", "layer": enc_layer(), "num_layers": 2, "norm": ln()},
         "inputs": {"src": [S, N, E]}, "masks": {"m": ["causal", [S, S]], "kpm": ["bool", [N, S]]},
         "call": src(mask="m", src_key_padding_mask="kpm")},
        {"name": "encoder 3 layers norm_first causal mask detected", "module": {"kind": "TransformerEncoder",
         "layer": enc_layer(norm_first=True, batch_first=True), "num_layers": 3, "norm": None},
         "inputs": {"src": [N, S, E]}, "masks": {"m": ["causal", [S, S]]}, "call": src(mask="m")},
        {"name": "encoder 2 layers dropout train", "module": {"kind": "TransformerEncoder", "layer": enc_layer(dropout=0.2), "num_layers": 2,
         "norm": ln()}, "train": True, "seed": 24, "inputs": {"src": [S, N, E]}, "call": src()},
        {"name": "decoder 2 layers with norm", "module": {"kind": "TransformerDecoder", "layer": dec_layer(), "num_layers": 2, "norm": ln()},
         "inputs": {"tgt": [L, N, E], "mem": [S, N, E]}, "masks": {"tm": ["causal", [L, L]], "mkpm": ["bool", [N, S]]},
         "call": dec(tgt_mask="tm", memory_key_padding_mask="mkpm")},
        {"name": "decoder 2 layers bool causal mask", "module": {"kind": "TransformerDecoder", "layer": dec_layer(norm_first=True), "num_layers": 2},
         "inputs": {"tgt": [L, N, E], "mem": [S, N, E]}, "masks": {"tm": ["causal_bool", [L, L]]}, "call": dec(tgt_mask="tm")},
        # the whole Transformer
        {"name": "Transformer", "module": {"kind": "Transformer", "kwargs": {"d_model": E, "nhead": 2, "num_encoder_layers": 2,
         "num_decoder_layers": 2, "dim_feedforward": 16}},
         "inputs": {"src": [S, N, E], "tgt": [L, N, E]}, "masks": {"tm": ["causal", [L, L]], "skpm": ["bool", [N, S]], "mkpm": ["bool", [N, S]]},
         "call": {"args": ["src", "tgt"], "kwargs": {"tgt_mask": "tm", "src_key_padding_mask": "skpm", "memory_key_padding_mask": "mkpm"}}},
        {"name": "Transformer batch_first norm_first gelu", "module": {"kind": "Transformer", "kwargs": {"d_model": E, "nhead": 4,
         "num_encoder_layers": 1, "num_decoder_layers": 2, "dim_feedforward": 12, "activation": "gelu", "batch_first": True,
         "norm_first": True, "layer_norm_eps": 1e-6}},
         "inputs": {"src": [N, S, E], "tgt": [N, L, E]}, "masks": {"sm": ["float", [S, S]], "mm": ["bool", [L, S]]},
         "call": {"args": ["src", "tgt"], "kwargs": {"src_mask": "sm", "memory_mask": "mm"}}},
        {"name": "Transformer unbatched", "module": {"kind": "Transformer", "kwargs": {"d_model": E, "nhead": 2, "num_encoder_layers": 1,
         "num_decoder_layers": 1, "dim_feedforward": 16}},
         "inputs": {"src": [S, E], "tgt": [L, E]}, "call": {"args": ["src", "tgt"]}},
        {"name": "Transformer dropout train", "module": {"kind": "Transformer", "kwargs": {"d_model": E, "nhead": 2, "num_encoder_layers": 1,
         "num_decoder_layers": 1, "dim_feedforward": 16, "dropout": 0.2}}, "train": True, "seed": 25,
         "inputs": {"src": [S, N, E], "tgt": [L, N, E]}, "masks": {"tm": ["causal", [L, L]]},
         "call": {"args": ["src", "tgt"], "kwargs": {"tgt_mask": "tm"}}},
    ]
    for c in cases:
        for n in c["inputs"]:
            c["inputs"][n] = [c["inputs"][n], True]
    return [run_module(c) for c in cases]


# ---------------------------------------------------------------------------------------------
# names, reprs, masks

NAMED = [
    ("MultiheadAttention(8, 2)", mha()),
    ("MultiheadAttention(8, 2, bias=False)", mha(bias=False)),
    ("MultiheadAttention(8, 2, kdim=5, vdim=7, add_bias_kv=True)", mha(kdim=5, vdim=7, add_bias_kv=True)),
    ("TransformerEncoderLayer(8, 2, 16)", enc_layer()),
    ("TransformerEncoderLayer(8, 2, 16, activation=GELU())", enc_layer(activation={"module": "GELU"})),
    ("TransformerEncoderLayer(8, 2, 16, bias=False)", enc_layer(bias=False)),
    ("TransformerDecoderLayer(8, 2, 16)", dec_layer()),
    ("TransformerEncoder(layer, 2, LayerNorm)", {"kind": "TransformerEncoder", "layer": enc_layer(), "num_layers": 2, "norm": ln()}),
    ("TransformerDecoder(layer, 3)", {"kind": "TransformerDecoder", "layer": dec_layer(dropout=0.0), "num_layers": 3}),
    ("Transformer(8, 2, 1, 1, 16)", {"kind": "Transformer", "kwargs": {"d_model": 8, "nhead": 2, "num_encoder_layers": 1,
                                     "num_decoder_layers": 1, "dim_feedforward": 16}}),
]


def name_cases():
    out = []
    for name, spec in NAMED:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = build(spec)
        out.append({"name": name, "module": spec, "repr": repr(m),
                    "state_dict": [[k, list(v.shape)] for k, v in m.state_dict().items()],
                    "named_parameters": [n for n, _ in m.named_parameters()]})
    return out


def mask_cases():
    return [{"sz": sz, "dtype": dt, "mask": T(nn.Transformer.generate_square_subsequent_mask(sz).to(getattr(torch, dt)))}
            for sz, dt in ((1, "float32"), (4, "float32"), (3, "float64"))]


# ---------------------------------------------------------------------------------------------
# errors and warnings

def errors():
    z = lambda *s: torch.zeros(*s)  # noqa: E731
    zb = lambda *s: torch.zeros(*s, dtype=torch.bool)  # noqa: E731
    m = nn.MultiheadAttention(8, 2)
    m_kd = nn.MultiheadAttention(8, 2, kdim=5, vdim=7)
    cases = [
        # (name, thunk)
        ("sdpa dtypes", lambda: F.scaled_dot_product_attention(z(2, 3), z(2, 3).double(), z(2, 3))),
        ("sdpa dims", lambda: F.scaled_dot_product_attention(z(3), z(2, 3), z(2, 3))),
        ("sdpa mask dtype", lambda: F.scaled_dot_product_attention(z(2, 3).double(), z(2, 3).double(), z(2, 3).double(),
                                                                   attn_mask=torch.zeros(2, 2, dtype=torch.long))),
        ("sdpa causal and mask", lambda: F.scaled_dot_product_attention(z(2, 3), z(2, 3), z(2, 3), attn_mask=zb(2, 2), is_causal=True)),
        ("sdpa gqa heads", lambda: F.scaled_dot_product_attention(z(1, 4, 2, 3), z(1, 3, 2, 3), z(1, 3, 2, 3), enable_gqa=True)),
        ("MHA embed_dim not divisible", lambda: nn.MultiheadAttention(5, 2)),
        ("MHA embed_dim 0", lambda: nn.MultiheadAttention(0, 2)),
        ("MHA 4-d query", lambda: m(z(2, 3, 4, 8), z(2, 3, 4, 8), z(2, 3, 4, 8))),
        ("MHA batched query 2-d key", lambda: m(z(4, 3, 8), z(5, 8), z(5, 8))),
        ("MHA unbatched query 3-d key", lambda: m(z(4, 8), z(5, 3, 8), z(5, 8))),
        ("MHA batched 1-d key_padding_mask", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), key_padding_mask=zb(5))),
        ("MHA unbatched 2-d key_padding_mask", lambda: m(z(4, 8), z(5, 8), z(5, 8), key_padding_mask=zb(1, 5))),
        ("MHA batched 4-d attn_mask", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), attn_mask=zb(1, 2, 4, 5))),
        ("MHA unbatched 3-d attn_mask shape", lambda: m(z(4, 8), z(5, 8), z(5, 8), attn_mask=zb(3, 4, 5))),
        ("MHA embedding dim", lambda: m(z(4, 3, 6), z(5, 3, 6), z(5, 3, 6))),
        ("MHA key value shapes", lambda: m(z(4, 3, 8), z(5, 3, 8), z(6, 3, 8))),
        ("MHA separate key value dims", lambda: m_kd(z(4, 3, 8), z(5, 3, 5), z(6, 3, 7))),
        ("MHA kdim mismatch", lambda: m_kd(z(4, 3, 8), z(5, 3, 6), z(5, 3, 7))),
        ("MHA 2-d attn_mask shape", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), attn_mask=z(4, 4))),
        ("MHA 3-d attn_mask shape", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), attn_mask=z(3, 4, 5))),
        ("MHA key_padding_mask shape", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), key_padding_mask=zb(3, 6))),
        ("MHA key_padding_mask batch", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), key_padding_mask=zb(2, 5))),
        ("MHA int key_padding_mask", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), key_padding_mask=torch.zeros(3, 5, dtype=torch.long))),
        ("MHA int attn_mask", lambda: m(z(4, 3, 8), z(5, 3, 8), z(5, 3, 8), attn_mask=torch.zeros(4, 5, dtype=torch.long))),
        ("MHA is_causal without mask", lambda: m(z(4, 3, 8), z(4, 3, 8), z(4, 3, 8), is_causal=True)),
        ("encoder layer activation", lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh")),
        ("decoder layer activation", lambda: nn.TransformerDecoderLayer(8, 2, activation="elu")),
        ("Transformer batch", lambda: nn.Transformer(8, 2, 1, 1, 16)(z(5, 3, 8), z(4, 2, 8))),
        ("Transformer batch_first batch", lambda: nn.Transformer(8, 2, 1, 1, 16, batch_first=True)(z(3, 5, 8), z(2, 4, 8))),
        ("Transformer features", lambda: nn.Transformer(8, 2, 1, 1, 16)(z(5, 3, 8), z(4, 3, 6))),
    ]
    return [{"name": name, "error": error_of(f)} for name, f in cases]


def warning_cases():
    """The UserWarnings of each call, made twice (Python's default filter gives each once)."""
    cases = [
        ("mismatched key_padding_mask and attn_mask", lambda: nn.MultiheadAttention(4, 2)(
            torch.zeros(3, 1, 4), torch.zeros(3, 1, 4), torch.zeros(3, 1, 4),
            key_padding_mask=torch.zeros(1, 3, dtype=torch.bool), attn_mask=torch.zeros(3, 3))),
        ("TransformerEncoder batch_first=False", lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 1)),
        ("TransformerEncoder norm_first", lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, norm_first=True), 1)),
        ("TransformerEncoder batch_first odd heads", lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 1, 8, batch_first=True), 1)),
        ("TransformerEncoder batch_first", lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, batch_first=True), 1)),
    ]
    out = []
    for name, f in cases:
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("default")
            f()
            f()
        out.append({"name": name, "warnings": [str(w.message) for w in got if issubclass(w.category, UserWarning)]})
    return out


def main():
    data = {"torch_version": torch.__version__, "sdpa": sdpa_cases(), "mha": mha_cases(), "transformer": transformer_cases(),
            "names": name_cases(), "masks": mask_cases(), "errors": errors(), "warnings": warning_cases()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(v) for k, v in data.items() if isinstance(v, list))
    print(f"wrote {OUT}: {n} cases")


if __name__ == "__main__":
    main()
