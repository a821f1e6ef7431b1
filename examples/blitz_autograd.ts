// The 60-minute blitz, "Autograd: automatic differentiation" (pytorch/tutorials,
// beginner_source/blitz/autograd_tutorial.py), the PyTorch 1.x version, then the newer one
// ("A Gentle Introduction to torch.autograd"), translated by the rules of shared/API.md.
// tools/examples_py/blitz_autograd.py is the same program in Python; test/examples.test.ts
// checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/blitz_autograd.ts

import torch, { nn, optim } from "typetorch";
import { print, str } from "./pyprint.js";

torch.manual_seed(0);

// Create a tensor and set requires_grad=True to track computation with it
let x = torch.ones(2, 2, { requires_grad: true });
print(x);

// Do an operation of tensor:
let y = x.add(2);
print(y);

// y was created as a result of an operation, so it has a grad_fn.
print(y.grad_fn);

// Do more operations on y
let z = y.mul(y).mul(3);
const out = z.mean();
print(z, out);

// .requires_grad_( ... ) changes an existing Tensor's requires_grad flag in-place.
let a = torch.randn(2, 2);
a = a.mul(3).div(a.sub(1));
print(a.requires_grad);
a.requires_grad_(true);
print(a.requires_grad);
let b = a.mul(a).sum();
print(b.grad_fn);

// Gradients: let's backprop now
out.backward();

// print gradients d(out)/dx: a matrix of 4.5
print(x.grad);

// The graph's saved tensors are freed after backward: a second one fails
try {
  out.backward();
} catch (e) {
  print("RuntimeError:", (e as Error).message);
}

// You can do many crazy things with autograd! (the vector-Jacobian product)
x = torch.randn(3, { requires_grad: true });

y = x.mul(2);
while (y.data.norm().item() < 1000) {
  y = y.mul(2);
}

print(y);

const v = torch.tensor([0.1, 1.0, 0.0001], { dtype: torch.float });
y.backward(v);

print(x.grad);

// Stop autograd from tracking history with `with torch.no_grad():`
print(x.requires_grad);
print(x.pow(2).requires_grad);

torch.no_grad(() => {
  print(x.pow(2).requires_grad);
});

// Or by using .detach() to get a new Tensor with the same content but that does not
// require gradients:
print(x.requires_grad);
y = x.detach();
print(y.requires_grad);
print(x.eq(y).all());

// ---- The newer blitz: "A Gentle Introduction to torch.autograd" ----
print();
a = torch.tensor([2., 3.], { requires_grad: true });
b = torch.tensor([6., 4.], { requires_grad: true });

const Q = a.pow(3).mul(3).sub(b.pow(2));
print(Q);

const external_grad = torch.tensor([1., 1.]);
Q.backward(external_grad);

// check if collected gradients are correct
print(a.pow(2).mul(9).eq(a.grad!));
print(b.mul(-2).eq(b.grad!));
print(a.grad, b.grad);

// Exclusion from the DAG
x = torch.rand(5, 5);
y = torch.rand(5, 5);
z = torch.rand([5, 5], { requires_grad: true });

a = x.add(y);
print(`Does \`a\` require gradients?: ${str(a.requires_grad)}`);
b = x.add(z);
print(`Does \`b\` require gradients?: ${str(b.requires_grad)}`);

// Frozen parameters: the tutorial freezes a pretrained resnet18 and replaces its classifier;
// a small two-layer model stands in for it here.
class Net extends nn.Module {
  features = new nn.Linear(8, 16);
  fc = new nn.Linear(16, 4);

  override forward(x: torch.Tensor): torch.Tensor {
    return this.fc(this.features(x).relu());
  }
}

const model = new Net();
// Freeze all the parameters in the network
for (const param of model.parameters()) {
  param.requires_grad = false;
}
model.fc = new nn.Linear(16, 10);
for (const [name, param] of model.named_parameters()) {
  print(name, param.requires_grad);
}
// Optimize only the classifier
const optimizer = new optim.SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });
void optimizer;
const loss = model(torch.randn(3, 8)).sum();
loss.backward();
print(model.features.weight.grad, model.fc.bias!.grad);
