#!/usr/bin/env python3
"""Golden data for test/compile.test.ts: what a program sees of torch.compile in PyTorch 2.x with
the "eager" backend (typetorch runs every backend so: Note [Eager torch.compile] in
src/compile/eval_frame.ts): OptimizedModule's repr, state_dict / named_* keys, load_state_dict's
results, its forwarding of attributes to _orig_mod and of `training`, the hooks' order, compiling
it again; Module.compile in place; compiled and disabled functions (their names, their values,
torch.compiler.is_compiling inside them); list_backends; and the errors of bad arguments. Run
under PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_compile.py
"""
import os
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, error_record, write_cases  # noqa: E402

warnings.filterwarnings("ignore")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


class MyModule(nn.Module):
    """The model of the "Introduction to torch.compile" tutorial, with a buffer and a method."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(100, 10)
        self.register_buffer("b", torch.zeros(2))

    def forward(self, x):
        return torch.nn.functional.relu(self.lin(x))

    def in_size(self):
        return self.lin.in_features


def keys(pairs):
    return [k for k, _ in pairs]


def module_cases():
    torch.manual_seed(0)
    m = MyModule()
    c = torch.compile(m, backend="eager")
    x = torch.randn(2, 100)
    out = {
        "repr": repr(c),
        "repr_sequential": repr(torch.compile(nn.Sequential(nn.Linear(2, 2), nn.ReLU()), fullgraph=True, dynamic=True)),
        "state_dict": list(c.state_dict().keys()),
        "named_parameters": keys(c.named_parameters()),
        "named_buffers": keys(c.named_buffers()),
        "named_modules": keys(c.named_modules()),
        "named_children": keys(c.named_children()),
        "load_prefixed": str(c.load_state_dict(c.state_dict())),
        "load_unprefixed": error_record(lambda: c.load_state_dict(m.state_dict())),
        "output": enc_tensor(c(x)),
        "forwarded": [c.lin is m.lin, hasattr(c, "lin"), c.in_size(), c.lin.out_features, c._orig_mod is m],
    }
    # training: read from and written to the original, both ways
    seen = [c.training]
    c.eval()
    seen += [m.training, c.training]
    m.train()
    seen += [c.training]
    c.training = False
    seen += [m.training, "training" in c.__dict__]
    out["training"] = seen
    # attribute writes go to the original
    c.foo = 3
    out["setattr"] = [m.foo, "foo" in c.__dict__]
    # and deletions: the original loses its submodule
    del c.foo
    c.extra = nn.ReLU()
    del c.extra
    out["delattr"] = [hasattr(m, "foo"), hasattr(m, "extra"), "extra" in m._modules]
    # the compiled module's hooks run first, then the original's (inside its call)
    order = []
    lin = nn.Linear(2, 2)
    cl = torch.compile(lin, backend="eager")
    lin.register_forward_pre_hook(lambda mod, args: order.append(type(mod).__name__))
    cl.register_forward_pre_hook(lambda mod, args: order.append(type(mod).__name__))
    cl(torch.ones(2))
    out["hook_order"] = order
    # a parameter assigned on the compiled module lands in the original
    cl.weight = nn.Parameter(torch.zeros(2, 2))
    out["set_parameter"] = [lin.weight.sum().item(), "weight" in cl._parameters]
    # compiling an OptimizedModule compiles the original's forward: a function
    c2 = torch.compile(c, backend="eager")
    out["compiled_again"] = {"is_module": isinstance(c2, nn.Module), "name": c2.__name__,
                             "same_values": torch.equal(c2(x), m(x))}
    out["disabled_is_model"] = torch.compile(m, disable=True) is m
    dm = torch.compiler.disable(m)
    out["disable_module"] = [type(dm).__name__, dm._orig_mod is m]
    # Module.compile: in place, the module keeps its class, repr and keys
    torch.manual_seed(0)
    m2 = MyModule()
    ret = m2.compile(backend="eager")
    out["in_place"] = {"returns": ret, "repr": repr(m2), "state_dict": list(m2.state_dict().keys()),
                       "call_impl_name": m2._compiled_call_impl.__name__, "output": enc_tensor(m2(x))}
    return out


class Decorated(nn.Module):
    """torch.compile and torch.compiler.disable as decorators of methods."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    @torch.compile(backend="eager")
    def forward(self, x):
        return self.helper(self.lin(x)) + (1 if torch.compiler.is_compiling() else 0)

    @torch.compiler.disable
    def helper(self, x):
        return x * (100 if torch.compiler.is_compiling() else 0)


def function_cases():
    def f(x):
        return x + (1 if torch.compiler.is_compiling() else 0)

    def foo(x, y):
        a = torch.sin(x)
        b = torch.cos(y)
        return a + b

    z = torch.zeros(1)
    g = torch.compiler.disable(f)
    cf = torch.compile(f, backend="eager")
    torch.manual_seed(0)
    x, y = torch.randn(3, 3), torch.randn(3, 3)
    return {
        "names": [cf.__name__, g.__name__, torch.compile(foo).__name__],
        # is_compiling: outside, in compiled code, in a disabled function called from compiled code,
        # compile(disable(f)) (f itself is compiled), disable(compile(f)), compile(compile(f))
        "is_compiling": [torch.compiler.is_compiling(), cf(z).item(),
                         torch.compile(lambda t: g(t), backend="eager")(z).item(),
                         torch.compile(g, backend="eager")(z).item(), torch.compiler.disable(cf)(z).item(),
                         torch.compile(cf, backend="eager")(z).item(), g(z).item(),
                         torch.compiler.disable(f, recursive=False)(z).item()],
        "foo": enc_tensor(torch.compile(foo)(x, y)),
        "decorated": enc_tensor(torch.compile(mode="reduce-overhead")(foo)(x, y)),
        "optimize": [torch._dynamo.optimize("eager")(foo)(x, y).equal(foo(x, y)), torch._dynamo.optimize("eager", disable=True)(foo) is foo,
                     torch._dynamo.optimize("eager", nopython=True)(f)(z).item()],
        "decorated_methods": [repr(Decorated()(torch.zeros(2))), Decorated.forward.__name__, Decorated.helper.__name__],
    }


def error_cases():
    m = nn.Linear(2, 2)
    return {
        "unknown_backend": error_record(lambda: torch.compile(m, backend="nope")),
        "unknown_mode": error_record(lambda: torch.compile(m, mode="fast")),
        "mode_and_options": error_record(lambda: torch.compile(m, mode="max-autotune", options={"max_autotune": True})),
        "default_mode_and_options": error_record(lambda: torch.compile(m, mode="default", options={})),
        "mode_before_disable": error_record(lambda: torch.compile(m, mode="fast", disable=True)),
        "backend_before_callable": error_record(lambda: torch.compile(3, backend="nope", mode="fast")),
        "non_callable_int": error_record(lambda: torch.compile(3)),
        "non_callable_float": error_record(lambda: torch.compile(1.5)),
        "non_callable_str": error_record(lambda: torch.compile("s")),
        "non_callable_list": error_record(lambda: torch.compile([1])),
        "non_callable_tensor": error_record(lambda: torch.compile(torch.ones(1))),
        "non_callable_disabled": error_record(lambda: torch.compile(3, disable=True)),
        "unexpected_keyword": error_record(lambda: torch.compile(m, backnd="eager")),
        "decorator_none": error_record(lambda: torch.compile()(None)),
        "disable_non_callable": error_record(lambda: torch.compiler.disable(3)),
        "disable_non_callable_str": error_record(lambda: torch.compiler.disable("s", recursive=False)),
        "module_compile_mode": error_record(lambda: nn.Linear(2, 2).compile(mode="fast")),
        "optimize_unknown_backend": error_record(lambda: torch._dynamo.optimize("nope")),
        "unknown_option": error_record(lambda: torch.compile(m, options={"triton-cudagraph": True})),
        "option_type": error_record(lambda: torch.compile(m, options={"triton.cudagraphs": 1})),
        "option_type_str": error_record(lambda: torch.compile(m, options={"max_autotune": "yes"})),
        "dynamo_config_unknown": error_record(lambda: setattr(torch._dynamo.config, "suppress_error", True)),
        "inductor_config_unknown": error_record(lambda: setattr(torch._inductor.config.triton, "cudagraph", True)),
    }


def config_cases():
    """Settings read, written and read back, and options torch.compile accepts."""
    import torch._inductor.config as ic
    dc = torch._dynamo.config
    read = [dc.suppress_errors, dc.cache_size_limit, dc.recompile_limit, dc.verbose, ic.max_autotune,
            ic.triton.cudagraphs, ic.coordinate_descent_tuning, ic.cpp.threads, ic.fx_graph_cache]
    dc.suppress_errors = True
    ic.triton.unique_kernel_names = True
    dc.cache_size_limit = 64  # an alias of recompile_limit
    written = [dc.suppress_errors, ic.triton.unique_kernel_names, dc.recompile_limit, dc.cache_size_limit]
    dc.suppress_errors = False
    ic.triton.unique_kernel_names = False
    dc.recompile_limit = 8
    accepted = [callable(torch.compile(lambda x: x, options=o)) for o in (
        {"max_autotune": True, "epilogue_fusion": True, "triton.cudagraphs": False, "shape_padding": True},
        {"trace.enabled": True, "compile_threads": 1, "max-autotune": True})]
    return {"read": read, "written": written, "accepted": accepted,
            "list_options": torch._inductor.list_options()}


def main():
    accepted = {
        # mode for a backend other than inductor: accepted (the eager backend ignores it at its first call)
        "eager_with_mode": callable(torch.compile(nn.Linear(2, 2), backend="eager", mode="fast")),
        "decorator_unknown_backend": callable(torch.compile(backend="nope")),
    }
    cases = {
        "module": module_cases(),
        "function": function_cases(),
        "errors": error_cases(),
        "config": config_cases(),
        "accepted": accepted,
        "list_backends": {
            "default": torch._dynamo.list_backends(),
            "all": torch._dynamo.list_backends(None),
            "no_debug": torch._dynamo.list_backends(("debug",)),
            "compiler": torch.compiler.list_backends(),
        },
    }
    write_cases(os.path.join(ROOT, "test", "golden", "compile.json"), "tools/gen_golden_compile.py", cases)


if __name__ == "__main__":
    main()
