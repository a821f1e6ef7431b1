// "Introduction to torch.compile" (pytorch/tutorials intermediate_source/torch_compile_tutorial.py,
// by William Wen): its Basic Usage, and the torch.compile half of its comparison with TorchScript and
// FX tracing, seeded so that every run prints the same numbers. Left out: the GPU timings, the
// TorchScript, FX and SciPy parts, and the custom backend that prints Dynamo's FX graphs (typetorch
// has no graph capture: its torch.compile runs the code eagerly, Note [Eager torch.compile] in
// src/compile/eval_frame.ts). Translated by the rules of shared/API.md (Python's decorator becomes
// torch.compile applied to the function); tools/examples_py/torch_compile_tutorial.py is the same
// program in Python, and test/examples.test.ts checks that this one prints what that one prints
// under PyTorch.
//
//   node --conditions=source --import tsx examples/torch_compile_tutorial.ts

import torch, { type Tensor } from "typetorch";
import { print } from "./pyprint.js";

// typetorch's torch.compile runs every backend as PyTorch's "eager" backend does, so this program asks
// for that backend throughout (under Inductor, the module's output would print
// grad_fn=<CompiledFunctionBackward>, AOTAutograd's single node for the compiled graph, where eager
// code prints grad_fn=<ReluBackward0>).
torch.compiler.set_default_backend("eager");
torch.manual_seed(0);

// ---------------------------------------------------------------------------------------------
// Basic Usage
//
// Arbitrary functions can be optimized by passing the callable to torch.compile. We can then call
// the returned optimized function in place of the original function.

function foo(x: Tensor, y: Tensor): Tensor {
  const a = torch.sin(x);
  const b = torch.cos(y);
  return a.add(b);
}
const opt_foo1 = torch.compile(foo);
print(opt_foo1(torch.randn(10, 10), torch.randn(10, 10)));

// Alternatively, we can decorate the function (Python's @torch.compile).

const opt_foo2 = torch.compile(function opt_foo2(x: Tensor, y: Tensor): Tensor {
  const a = torch.sin(x);
  const b = torch.cos(y);
  return a.add(b);
});
print(opt_foo2(torch.randn(10, 10), torch.randn(10, 10)));

// We can also optimize torch.nn.Module instances.

class MyModule extends torch.nn.Module {
  lin = new torch.nn.Linear(100, 10);

  override forward(x: Tensor): Tensor {
    return torch.nn.functional.relu(this.lin(x));
  }
}

const mod = new MyModule();
const opt_mod = torch.compile(mod);
print(opt_mod(torch.randn(10, 100)));

// ---------------------------------------------------------------------------------------------
// Comparison to TorchScript and FX Tracing
//
// One case that torch.compile can handle that other compiler solutions struggle with is
// data-dependent control flow (the `if (x.sum() < 0)` line below).

function f1(x: Tensor, y: Tensor): Tensor {
  if ((x.sum().item() as number) < 0) {
    return y.neg();
  }
  return y;
}

// Test that `fn1` and `fn2` return the same result, given the same arguments `args`. Typically,
// `fn1` will be an eager function while `fn2` will be a compiled function (torch.compile,
// TorchScript, or FX graph).
function test_fns<A extends unknown[]>(fn1: (...args: A) => Tensor, fn2: (...args: A) => Tensor, args: A): boolean {
  const out1 = fn1(...args);
  const out2 = fn2(...args);
  return torch.allclose(out1, out2);
}

let inp1 = torch.randn(5, 5);
const inp2 = torch.randn(5, 5);

// torch.compile correctly handles data-dependent control flow.

// Reset since we are using a different mode.
torch._dynamo.reset();

const compile_f1 = torch.compile(f1);
print("compile 1, 1:", test_fns(f1, compile_f1, [inp1, inp2]));
print("compile 1, 2:", test_fns(f1, compile_f1, [inp1.neg(), inp2]));
print("~".repeat(10));

// TorchScript scripting needs type annotations where torch.compile is easily able to handle f2
// (a number argument).

function f2(x: Tensor, y: Tensor | number): Tensor {
  return x.add(y);
}

inp1 = torch.randn(5, 5);
const inp3 = 3;

const compile_f2 = torch.compile(f2);
print("compile 2:", test_fns(f2, compile_f2, [inp1, inp3]));
print("~".repeat(10));
