// "Learning PyTorch with Examples", PyTorch: Defining New autograd Functions: y = a + b P3(c + d x)
// fitted to sin(x) on [-pi, pi], P3 the Legendre polynomial of degree 3 as a custom autograd
// Function with its own backward (the PyTorch tutorial polynomial_custom_function.py), translated by
// the rules of shared/API.md; tools/examples_py/polynomial_custom_function.py is the same program in
// Python, and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/polynomial_custom_function.ts

import torch, { type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";

/**
 * We can implement our own custom autograd Functions by subclassing
 * torch.autograd.Function and implementing the forward and backward passes
 * which operate on Tensors.
 */
class LegendrePolynomial3 extends torch.autograd.Function {
  /**
   * In the forward pass we receive a Tensor containing the input and return
   * a Tensor containing the output. ctx is a context object that can be used
   * to stash information for backward computation. You can cache tensors for
   * use in the backward pass using the ``ctx.save_for_backward`` method. Other
   * objects can be stored directly as attributes on the ctx object, such as
   * ``ctx.my_object = my_object``.
   */
  static override forward(ctx: torch.autograd.FunctionCtx, input: Tensor): Tensor {
    ctx.save_for_backward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }

  /**
   * In the backward pass we receive a Tensor containing the gradient of the loss
   * with respect to the output, and we need to compute the gradient of the loss
   * with respect to the input.
   */
  static override backward(ctx: torch.autograd.FunctionCtx, grad_output: Tensor): Tensor {
    const [input] = ctx.saved_tensors as [Tensor];
    return grad_output.mul(1.5).mul(input.pow(2).mul(5).sub(1));
  }
}

const dtype = torch.float;
const device = torch.device("cpu");
// const device = torch.device("cuda:0");  // Uncomment this to run on GPU

// Create Tensors to hold input and outputs.
// By default, requires_grad=False, which indicates that we do not need to
// compute gradients with respect to these Tensors during the backward pass.
const x = torch.linspace(-Math.PI, Math.PI, 2000, { device, dtype });
const y = torch.sin(x);

// Create random Tensors for weights. For this example, we need
// 4 weights: y = a + b * P3(c + d * x), these weights need to be initialized
// not too far from the correct result to ensure convergence.
// Setting requires_grad=True indicates that we want to compute gradients with
// respect to these Tensors during the backward pass.
const a = torch.full([], 0.0, { device, dtype, requires_grad: true });
const b = torch.full([], -1.0, { device, dtype, requires_grad: true });
const c = torch.full([], 0.0, { device, dtype, requires_grad: true });
const d = torch.full([], 0.3, { device, dtype, requires_grad: true });

const learning_rate = 5e-6;
for (let t = 0; t < 2000; t++) {
  // To apply our Function, we use Function.apply method. We alias this as 'P3'.
  const P3 = LegendrePolynomial3.apply;

  // Forward pass: compute predicted y using operations; we compute
  // P3 using our custom autograd operation.
  const y_pred = a.add(b.mul(P3(c.add(d.mul(x)))));

  // Compute and print loss
  const loss = y_pred.sub(y).pow(2).sum();
  if (t % 100 === 99) print(t, pyfloat(loss.item()));

  // Use autograd to compute the backward pass.
  loss.backward();

  // Update weights using gradient descent
  torch.no_grad(() => {
    a.sub_(a.grad!.mul(learning_rate));
    b.sub_(b.grad!.mul(learning_rate));
    c.sub_(c.grad!.mul(learning_rate));
    d.sub_(d.grad!.mul(learning_rate));

    // Manually zero the gradients after updating weights
    a.grad = null;
    b.grad = null;
    c.grad = null;
    d.grad = null;
  });
}

print(`Result: y = ${pyfloat(a.item())} + ${pyfloat(b.item())} * P3(${pyfloat(c.item())} + ${pyfloat(d.item())} x)`);
