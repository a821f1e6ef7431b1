# "Introduction to torch.compile" (pytorch/tutorials intermediate_source/torch_compile_tutorial.py,
# by William Wen): its Basic Usage, and the torch.compile half of its comparison with TorchScript and
# FX tracing, seeded so that every run prints the same numbers. Left out: the GPU timings, the
# TorchScript, FX and SciPy parts, and the custom backend that prints Dynamo's FX graphs (typetorch
# has no graph capture: its torch.compile runs the code eagerly, Note [Eager torch.compile]).
# examples/torch_compile_tutorial.ts is the same program in TypeScript.
import torch

# typetorch's torch.compile runs every backend as PyTorch's "eager" backend does, so this program asks
# for that backend throughout (under Inductor, the module's output would print
# grad_fn=<CompiledFunctionBackward>, AOTAutograd's single node for the compiled graph, where eager
# code prints grad_fn=<ReluBackward0>).
torch.compiler.set_default_backend("eager")
torch.manual_seed(0)

######################################################################
# Basic Usage
# ------------
#
# Arbitrary Python functions can be optimized by passing the callable to
# ``torch.compile``. We can then call the returned optimized
# function in place of the original function.

def foo(x, y):
    a = torch.sin(x)
    b = torch.cos(y)
    return a + b
opt_foo1 = torch.compile(foo)
print(opt_foo1(torch.randn(10, 10), torch.randn(10, 10)))

######################################################################
# Alternatively, we can decorate the function.

@torch.compile
def opt_foo2(x, y):
    a = torch.sin(x)
    b = torch.cos(y)
    return a + b
print(opt_foo2(torch.randn(10, 10), torch.randn(10, 10)))

######################################################################
# We can also optimize ``torch.nn.Module`` instances.

class MyModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(100, 10)

    def forward(self, x):
        return torch.nn.functional.relu(self.lin(x))

mod = MyModule()
opt_mod = torch.compile(mod)
print(opt_mod(torch.randn(10, 100)))

######################################################################
# Comparison to TorchScript and FX Tracing
# -----------------------------------------
#
# One case that ``torch.compile`` can handle that other compiler
# solutions struggle with is data-dependent control flow (the
# ``if x.sum() < 0:`` line below).

def f1(x, y):
    if x.sum() < 0:
        return -y
    return y

# Test that `fn1` and `fn2` return the same result, given
# the same arguments `args`. Typically, `fn1` will be an eager function
# while `fn2` will be a compiled function (torch.compile, TorchScript, or FX graph).
def test_fns(fn1, fn2, args):
    out1 = fn1(*args)
    out2 = fn2(*args)
    return torch.allclose(out1, out2)

inp1 = torch.randn(5, 5)
inp2 = torch.randn(5, 5)

######################################################################
# ``torch.compile`` correctly handles data-dependent control flow.

# Reset since we are using a different mode.
torch._dynamo.reset()

compile_f1 = torch.compile(f1)
print("compile 1, 1:", test_fns(f1, compile_f1, (inp1, inp2)))
print("compile 1, 2:", test_fns(f1, compile_f1, (-inp1, inp2)))
print("~" * 10)

######################################################################
# TorchScript scripting needs type annotations where ``torch.compile``
# is easily able to handle ``f2`` (an ``int`` argument).

def f2(x, y):
    return x + y

inp1 = torch.randn(5, 5)
inp2 = 3

compile_f2 = torch.compile(f2)
print("compile 2:", test_fns(f2, compile_f2, (inp1, inp2)))
print("~" * 10)
