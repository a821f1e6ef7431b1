"""Helpers shared by the golden-data generators (tools/gen_golden*.py): value and tensor encoding,
name-seeded random data, modules, gradient leaves and error cases of calls, the case registry and
file of the short-program generators, grad_fn names and chains.

Encoding, as the TypeScript tests read it: floats as JSON numbers (float64 repr round-trips
exactly), non-finite floats as "nan"/"inf"/"-inf", bools as JSON booleans, int64 beyond 2^53 as
decimal strings (unless a generator asks for them as they are), a tensor as {dtype, shape, data}
with its values flat, element 0 first.

A generator imports what it needs (tools/ is on sys.path when a script in it runs):

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from golden_common import dname, enc_tensor  # noqa: E402
"""

import json
import math
import os
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

# (gen_golden.py, written for Debian's 1.13 first, still carries 1.13-only renames it skips on 2.x)
RUNNING_2X = int(torch.__version__.split(".")[0]) >= 2


# ---------------------------------------------------------------------------------------------
# Values

def dname(dt):
    """A dtype's name without the "torch." prefix: "float32"."""
    return str(dt).replace("torch.", "")


def enc_num(v, big_ints=True):
    """A bool, int or float as JSON: non-finite floats as "nan"/"inf"/"-inf"; ints beyond 2^53 as
    decimal strings where `big_ints` (else as they are)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if not big_ints or abs(v) <= 2 ** 53 else str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


# JSON-safe scalars: non-finite floats as strings; anything else (ints of any size, None, strings)
# as is. (No docstring: gen_golden_optim.py, run under 2.x only, imports it as the very function
# it had.)
def enc_scalar(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc_tensor(t, big_ints=True):
    """A tensor as {dtype, shape, data}, its values by enc_num (see there for `big_ints`)."""
    t = t.detach()
    if t._is_zerotensor():  # autograd's unallocated zeros (e.g. sgn's gradient)
        t = torch.zeros(t.shape, dtype=t.dtype)
    flat = t.reshape(-1).tolist()
    return {"dtype": dname(t.dtype), "shape": list(t.shape), "data": [enc_num(v, big_ints) for v in flat]}


def enc_tree(tree):
    """A pytree as JSON: tensors by enc_tensor, tuples and lists as lists, dicts as objects, the
    rest as is."""
    if isinstance(tree, torch.Tensor):
        return enc_tensor(tree)
    if isinstance(tree, (list, tuple)):
        return [enc_tree(t) for t in tree]
    if isinstance(tree, dict):
        return {k: enc_tree(v) for k, v in tree.items()}
    return tree


def enc_tensor_or_none(t):
    """enc_tensor, with None (no gradient, no tensor) as None."""
    return None if t is None else enc_tensor(t)


def enc_arg(a, big_ints=True):
    """A call's argument as JSON: tensors by enc_tensor, tuples and lists as lists, the rest as is."""
    if isinstance(a, torch.Tensor):
        return enc_tensor(a, big_ints)
    if isinstance(a, (tuple, list)):
        return [enc_arg(x, big_ints) for x in a]
    return a


def crc(t):
    """The crc32 of a tensor's raw bytes (native byte order), as 8 hex digits."""
    return "%08x" % (zlib.crc32(t.detach().contiguous().numpy().tobytes()) & 0xffffffff)


# ---------------------------------------------------------------------------------------------
# Data seeded per case (crc32 of the case name), so adding a case changes no other

def gen(name):
    """A generator seeded with the crc32 of `name`."""
    g = torch.Generator()
    g.manual_seed(zlib.crc32(name.encode()))
    return g


def uniform(name, shape, dtype, lo, hi):
    """Values uniform in [lo, hi), drawn in float64 from gen(name), then cast to `dtype`."""
    v = lo + (hi - lo) * torch.rand(shape, generator=gen(name), dtype=torch.float64)
    return v.to(dtype)


# ---------------------------------------------------------------------------------------------
# Modules, calls and their errors

def build_module(cls, args, kwargs):
    """nn.<cls>(*args, **kwargs), list arguments given as tuples (the JSON holds them as lists)."""
    conv = lambda a: tuple(a) if isinstance(a, list) else a
    return getattr(nn, cls)(*[conv(a) for a in args], **{k: conv(v) for k, v in kwargs.items()})


def grad_leaves(args, kwargs, diff):
    """Replaces the arguments that `diff` names (positions in the list `args`, keys of `kwargs`) by
    detached copies that require grad, in place, and returns these leaves in diff's order."""
    leaves = []
    for key in diff:
        if isinstance(key, int):
            args[key] = args[key].detach().requires_grad_(True)
            leaves.append(args[key])
        else:
            kwargs[key] = kwargs[key].detach().requires_grad_(True)
            leaves.append(kwargs[key])
    return leaves


def functional_errors(cases, first_line=False):
    """Calls F.<fn>(*args, **kwargs) that may fail, given as (name, fn, args, kwargs), a tensor
    argument as ("z", shape, dtype name) (zeros) or a small tensor: each as {name, fn, args, kwargs
    (tensors as {"zeros": shape, "dtype"} or by enc_tensor), error: PyTorch's message (None where the
    call runs; its first line only where `first_line`)}."""
    mk = lambda s: torch.zeros(s[1], dtype=getattr(torch, s[2])) if isinstance(s, tuple) else s
    enc = lambda s: {"zeros": list(s[1]), "dtype": s[2]} if isinstance(s, tuple) else enc_arg(s, big_ints=False)
    out = []
    for name, fn, args, kwargs in cases:
        try:
            getattr(F, fn)(*[mk(a) for a in args], **{k: mk(v) for k, v in kwargs.items()})
            err = None
        except Exception as e:  # noqa: BLE001 -- the message is the datum
            err = str(e).split("\n")[0] if first_line else str(e)
        out.append({"name": name, "fn": fn, "args": [enc(a) for a in args], "kwargs": {k: enc(v) for k, v in kwargs.items()}, "error": err})
    return out


# ---------------------------------------------------------------------------------------------
# Short programs: each case a function whose result is recorded under its name

def case_registry():
    """A dict of case name -> result, and the decorator `@case` that runs a case function once,
    where it is defined, and records what it returns under the function's name."""
    cases = {}

    def case(fn):
        cases[fn.__name__] = fn()
        return fn

    return cases, case


def named_case_registry():
    """A dict of case name -> function, and the decorator `@case(name)` that registers a function
    under a name (run later, by the generator's main, which records its result or error)."""
    cases = {}

    def case(name):
        def register(f):
            cases[name] = f
            return f
        return register

    return cases, case


def error_of(f):
    """The message of the error f() raises (an AssertionError if it raises none)."""
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the message is what we record
        return str(e)
    raise AssertionError("expected an error")


def error_record(f):
    """The type and message of the error f() raises (SystemExit if it raises none)."""
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the error is the golden value
        return {"type": type(e).__name__, "message": str(e)}
    raise SystemExit(f"{f} did not raise")


def write_cases(path, generator, cases, **extra):
    """Writes {generator, torch_version, cases, **extra} to `path` as indented JSON."""
    doc = {"generator": generator, "torch_version": torch.__version__, "cases": cases, **extra}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(path)}")


def node_name(fn, renames=None):
    """A grad_fn's name as shared/API.md's grad_fn.name() gives it, Python's class name
    ("AccumulateGrad", "CopySlices"); None for no node. `renames` maps 1.13's names to 2.x's
    where they differ."""
    if fn is None:
        return None
    n = type(fn).__name__
    return renames.get(n, n) if renames else n


def node_chain(fn, renames=None):
    """The graph below fn as nested [name, [[child, output_nr], ...]] lists, edges in order."""
    if fn is None:
        return None
    return [node_name(fn, renames), [[node_chain(f, renames), nr] for f, nr in fn.next_functions]]
