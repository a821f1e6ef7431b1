// "Getting Started with PyTorch Part 1: Understanding how Automatic Differentiation works"
// (Ayoosh Kathuria): the graph b = w1*a, c = w2*a, d = w3*b + w4*c, L = 10 - d, with the
// tutorial's legacy FloatTensor / Variable spelling, then a look at the graph itself
// (grad_fn, next_functions, is_leaf, requires_grad, retain_grad), translated by the rules of
// shared/API.md. tools/examples_py/autodiff_intro.py is the same program in Python;
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/autodiff_intro.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

const { FloatTensor } = torch;
const { Variable } = torch.autograd;

// Define the leaf nodes
const a = Variable(FloatTensor([4]));

const weights = [2, 5, 9, 7].map((i) => Variable(FloatTensor([i]), { requires_grad: true }));

// unpack the weights for nicer assignment
const [w1, w2, w3, w4] = weights as [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor];

let b = w1.mul(a);
let c = w2.mul(a);
let d = w3.mul(b).add(w4.mul(c));
let L = torch.sub(10, d);

L.backward();

weights.forEach((weight, i) => {
  const [gradient] = weight.grad!.data.unbind(0);
  // Python formats a 0-d tensor in an f-string as its item(): "-36.0"
  print(`Gradient of w${i + 1} w.r.t to L: ${pyfloat(gradient!.item() as number)}`);
});

// The graph: every non-leaf tensor has a grad_fn, and each grad_fn points at the functions
// that made its inputs (AccumulateGrad for leaves that require grad, null for the rest)
print(L);
print(L.grad_fn!.name(), d.grad_fn!.name(), b.grad_fn!.name());
print(L.grad_fn!.next_functions);
print(d.grad_fn!.next_functions);
print(b.grad_fn!.next_functions);
// AccumulateGrad's `variable` is the leaf it accumulates into
print((b.grad_fn!.next_functions[0]![0] as unknown as { variable: torch.Tensor }).variable === w1);
print(a.is_leaf, w1.is_leaf, b.is_leaf, L.is_leaf);
print(a.requires_grad, w1.requires_grad, b.requires_grad, L.requires_grad);
print(a.grad_fn, w1.grad_fn);

// Only leaves get .grad; intermediate nodes keep theirs when asked with retain_grad()
print(b.grad);
for (const w of weights) {
  w.grad!.zero_();
}
b = w1.mul(a);
c = w2.mul(a);
d = w3.mul(b).add(w4.mul(c));
L = torch.sub(10, d);
b.retain_grad();
c.retain_grad();
d.retain_grad();
L.backward(undefined, { retain_graph: true });
print(b.retains_grad, w1.retains_grad);
print(d.grad, b.grad, c.grad);
print(w1.grad, w2.grad, w3.grad, w4.grad);

// The graph was retained: a second backward accumulates into the same .grad
L.backward();
print(w1.grad, w2.grad, w3.grad, w4.grad);
