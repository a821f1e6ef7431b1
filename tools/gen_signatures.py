"""Writes src/core/signatures.ts: PyTorch's signature of every public callable typetorch has.

The facts come from PyTorch's own declarations, read the way PyTorch reads them:
- native functions and methods (torch.*, Tensor.*, torch._C._nn, torch.linalg, torch.special): the
  PythonArgParser signatures that PyTorch's code generator (torchgen's gen_python_functions, shipped
  in the wheel) derives from native_functions.yaml, grouped with their out= variants and sorted
  into the order the parser tries them; deprecated ones are marked |hidden, as PyTorch keeps them
  out of its messages;
- torch.* functions bound by hand in PyTorch's C++ (torch.tensor, as_tensor, frombuffer, range,
  nonzero …): the PythonArgParser signature strings compiled into libtorch_python.so, read off the
  binary (the function forms, those that take arguments);
- Python-level ones (nn.functional's Python functions, Tensor methods written in Python, torch.func,
  module, optimizer, scheduler and data constructors, modules' forward methods, as `nn.LSTM.forward`):
  inspect.signature, written `def Qualname(...)`.

Usage (the names are typetorch's public callables):
  node --conditions=source --import tsx tools/public_names.ts > /tmp/names.json
  /work/.venv-torch/bin/python tools/gen_signatures.py /tmp/names.json > src/core/signatures.ts
"""

import inspect
import json
import os
import re
import sys

import torch
import torch.nn.functional as F
import torchgen
from torchgen.gen import parse_native_yaml
from torchgen.packaged.autograd import gen_python_functions as G

BASE = os.path.dirname(torchgen.__file__) + "/packaged"


def native_tables():
    nf = parse_native_yaml(BASE + "/ATen/native/native_functions.yaml", BASE + "/ATen/native/tags.yaml").native_functions
    nf = [f for f in nf if G.should_generate_py_binding(f)]
    deprecated = BASE + "/autograd/deprecated.yaml"
    methods = G.load_signatures(nf, deprecated, method=True)
    functions = G.load_signatures(nf, deprecated, method=False)

    def table(pairs, pred):
        out = {}
        for name, overloads in G.group_filter_overloads(pairs, pred).items():
            groups = G.sort_overloads(G.group_overloads(overloads, symint=True), symint=True)
            sigs = [g.signature.signature_str(symint=True).replace("|deprecated", "|hidden") for g in groups]
            # the Python name: linalg_norm is torch.linalg.norm, special_erf torch.special.erf
            out[sigs[0][: sigs[0].index("(")]] = sigs
        return out

    return {
        "Tensor": table(methods, G.is_py_variable_method),
        "torch": table(functions, G.is_py_torch_function),
        "nn": table(functions, G.is_py_nn_function),
        "linalg": table(functions, G.is_py_linalg_function),
        "special": table(functions, G.is_py_special_function),
    }


# Tensor methods bound by hand in PyTorch (python_variable_methods.cpp) that take their manual
# signatures here: those whose typetorch implementation is an op taking PyTorch's arguments. Left
# out: size, stride, dim, item … (methods of the Tensor class itself, which the parser does not
# wrap: they are the hottest calls), to and type (their implementations read their own forms),
# copy_ (a Storage's copy_ shares the name in the binary), numpy (not a tensor-valued method).
MANUAL_METHODS = ["bfloat16", "bool", "byte", "char", "contiguous", "cpu", "double", "float", "half", "int", "long",
                  "new_tensor", "nonzero", "short"]


def manual_signatures():
    """(functions, methods): name -> the PythonArgParser signatures of PyTorch's hand-written
    bindings, as compiled into libtorch_python.so (printable strings of the form `name(...)`,
    deprecated ones |hidden). A torch.* function's form takes arguments and does not start with
    keyword-only ones; a method's form does not start with `Tensor input`."""
    data = open(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_python.so"), "rb").read()
    functions, methods = {}, {}
    for m in re.finditer(rb"[\x20-\x7e]{4,}", data):
        s = m.group().decode()
        sig = re.fullmatch(r"([a-z_][a-z0-9_]*)\((.*)\)(\|deprecated)?", s)
        if not sig:
            continue
        name, params, text = sig.group(1), sig.group(2), s.replace("|deprecated", "|hidden")
        if params and not params.startswith("*"):
            functions.setdefault(name, set()).add(text)
        if not params.startswith("Tensor input"):
            methods.setdefault(name, set()).add(text)
    return ({k: sorted(v) for k, v in functions.items()}, {k: sorted(v) for k, v in methods.items()})


def short_default(v):
    r = repr(v)
    return r if len(r) < 24 and not any(c in r for c in ",()[]{}") else "..."


def python_sig(fn, qualname=None):
    """`def qualname(a, b=1, *, c=None, **kwargs)` for a Python function, or None."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    parts, star = [], False
    for p in sig.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            parts.append("*" + p.name)
            star = True
        elif p.kind == p.VAR_KEYWORD:
            parts.append("**" + p.name)
        else:
            if p.kind == p.KEYWORD_ONLY and not star:
                parts.append("*")
                star = True
            parts.append(p.name if p.default is p.empty else f"{p.name}={short_default(p.default)}")
    return f"def {qualname or fn.__qualname__}({', '.join(parts)})"


def is_python(fn):
    return inspect.isfunction(fn) or (inspect.ismethod(fn) and inspect.isfunction(fn.__func__))


def main():
    names = json.load(open(sys.argv[1]))
    nat = native_tables()
    table = {}

    def native_or_python(key, obj, natives, pyname):
        if obj is None:
            return
        if is_python(obj):
            s = python_sig(obj)
            # boolean_dispatch (max_pool2d …) hides its parameters behind *args, **kwargs: the
            # _with_indices function has them all
            if s and "*args" in s and hasattr(F, pyname + "_with_indices"):
                s = python_sig(getattr(F, pyname + "_with_indices"), pyname)
            # torch.unique, unique_consecutive and lu: the same, with the parameters on _<name>_impl
            if s and "*args" in s and hasattr(torch.functional, f"_{pyname}_impl"):
                s = python_sig(getattr(torch.functional, f"_{pyname}_impl"), pyname)
            if s and "<locals>" not in s:  # (a dispatcher that shows no parameters: left out)
                table[key] = [s]
        elif pyname in natives:
            table[key] = natives[pyname]

    manual, manual_methods = manual_signatures()
    for n in names["torch"]:
        obj = getattr(torch, n, None)
        native_or_python(f"torch.{n}", obj, nat["torch"], n)
        if f"torch.{n}" not in table and inspect.isbuiltin(obj) and n in manual:
            table[f"torch.{n}"] = manual[n]
    for n in names["Tensor"]:
        native_or_python(f"Tensor.{n}", getattr(torch.Tensor, n, None), nat["Tensor"], n)
        if f"Tensor.{n}" not in table and n in MANUAL_METHODS and n in manual_methods:
            table[f"Tensor.{n}"] = manual_methods[n]
    for n in names["F"]:
        obj = getattr(F, n, None)
        natives = nat["nn"] if n in nat["nn"] else nat["torch"]
        native_or_python(f"F.{n}", obj, natives, n)
    for n in names["func"]:  # torch.func: Python functions only
        native_or_python(f"func.{n}", getattr(torch.func, n, None), {}, n)
    for n in names.get("autograd", []):  # torch.autograd.grad and backward: Python functions
        native_or_python(f"autograd.{n}", getattr(torch.autograd, n, None), {}, n)
    for prefix, mod in (("utils", torch.nn.utils), ("utils.rnn", torch.nn.utils.rnn), ("nn.init", torch.nn.init)):  # Python functions only
        for n in names[prefix]:
            native_or_python(f"{prefix}.{n}", getattr(mod, n, None), {}, n)
    for ns in ("linalg", "special"):
        mod = getattr(torch, ns)
        for n in names[ns]:
            native_or_python(f"{ns}.{n}", getattr(mod, n, None), {k.split("_", 1)[1]: v for k, v in nat[ns].items()}, n)
    classes = [("nn", torch.nn), ("optim", torch.optim), ("lr_scheduler", torch.optim.lr_scheduler), ("data", torch.utils.data)]
    for prefix, mod in classes:
        for n in names[prefix]:
            cls = getattr(mod, n, None)
            if inspect.isclass(cls) and "__init__" in dir(cls) and is_python(cls.__init__):
                s = python_sig(cls.__init__)
                if s:
                    table[f"{prefix}.{n}"] = [s]
            # a module's forward, as `module(*args, **kwargs)` binds it (Module.forward itself
            # declares no parameters: _forward_unimplemented)
            fwd = getattr(cls, "forward", None) if prefix == "nn" and inspect.isclass(cls) else None
            if fwd is not None and is_python(fwd) and fwd is not torch.nn.Module.forward:
                s = python_sig(fwd)
                if s:
                    table[f"nn.{n}.forward"] = [s]

    print("// Generated by tools/gen_signatures.py from PyTorch " + torch.__version__.split("+")[0] + "'s declarations: do not edit.")
    print("// PyTorch's signature of each public callable (core/argparse.ts, Note [Signatures]).")
    print("")
    print("import type { Kwargs } from \"./argparse.js\";")
    print("import type * as torch from \"../torch.js\";")
    print("")
    print("export const SIGNATURES: Readonly<Record<string, readonly string[]>> = {")
    for k in sorted(table):
        print(f"  {json.dumps(k)}: [{', '.join(json.dumps(s) for s in table[k])}],")
    print("};")
    # the methods' calls with an options object, for TypeScript: the result is the torch function's
    # where there is one, else a Tensor (the methods without a torch twin that take arguments are
    # tensor-valued: view, expand, new_zeros …)
    print("")
    print("declare module \"./tensor.js\" {")
    print("  interface Tensor {")
    torch_names = set(names["torch"])
    for k in sorted(table):
        if not k.startswith("Tensor.") or k == "Tensor.index":
            continue
        n = k.split(".", 1)[1]
        if all(s.startswith(n + "()") for s in table[k]):
            continue  # takes no arguments
        ret = f"ReturnType<typeof torch.{n}>" if n in torch_names and not n.endswith("_") and n != "var" else (
            "ReturnType<typeof torch.var>" if n == "var" else "Tensor")
        print(f"    {n}(...args: [...unknown[], Kwargs]): {ret};")
    print("  }")
    print("}")


main()
