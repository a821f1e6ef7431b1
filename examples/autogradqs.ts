// "Learn the Basics: Automatic Differentiation with torch.autograd" (pytorch/tutorials
// beginner_source/basics/autogradqs_tutorial.py), seeded (torch.manual_seed(0)) so that its random
// weights print the same every run; the tutorial's prose is left out. Everything else is the
// tutorial's program, translated by the rules of shared/API.md; tools/examples_py/autogradqs.py is
// the same program in Python, and test/examples.test.ts checks that this one prints what that one
// prints under PyTorch.
//
//   node --conditions=source --import tsx examples/autogradqs.ts

import torch from "typetorch";
import { print } from "./pyprint.js";

torch.manual_seed(0);

const x = torch.ones(5); // input tensor
const y = torch.zeros(3); // expected output
const w = torch.randn(5, 3, { requires_grad: true });
const b = torch.randn(3, { requires_grad: true });
let z = torch.matmul(x, w).add(b);
const loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y);

print(`Gradient function for z = ${z.grad_fn}`);
print(`Gradient function for loss = ${loss.grad_fn}`);

// Computing Gradients
loss.backward();
print(w.grad);
print(b.grad);

// Disabling Gradient Tracking
z = torch.matmul(x, w).add(b);
print(z.requires_grad);

torch.no_grad(() => {
  z = torch.matmul(x, w).add(b);
});
print(z.requires_grad);

z = torch.matmul(x, w).add(b);
const z_det = z.detach();
print(z_det.requires_grad);

// Optional Reading: Tensor Gradients and Jacobian Products
const inp = torch.eye(4, 5, { requires_grad: true });
const out = inp.add(1).pow(2).t();
out.backward(torch.ones_like(out), { retain_graph: true });
print(`First call\n${inp.grad}`);
out.backward(torch.ones_like(out), { retain_graph: true });
print(`\nSecond call\n${inp.grad}`);
inp.grad!.zero_();
out.backward(torch.ones_like(out), { retain_graph: true });
print(`\nCall after zeroing gradients\n${inp.grad}`);
