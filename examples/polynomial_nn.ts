// "Learning PyTorch with Examples", PyTorch: nn: a third order polynomial fitted to sin(x) on
// [-pi, pi] as an nn.Sequential of Linear(3, 1) and Flatten(0, 1) (the PyTorch tutorial
// polynomial_nn.py), seeded so that the Linear layer starts from the same weights as
// tools/examples_py/polynomial_nn.py's, the same program in Python; translated by the rules of
// shared/API.md, and test/examples.test.ts checks that this one prints what that one prints under
// PyTorch.
//
//   node --conditions=source --import tsx examples/polynomial_nn.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

torch.manual_seed(0);

// Create Tensors to hold input and outputs.
const x = torch.linspace(-Math.PI, Math.PI, 2000);
const y = torch.sin(x);

// For this example, the output y is a linear function of (x, x^2, x^3), so
// we can consider it as a linear layer neural network. Let's prepare the
// tensor (x, x^2, x^3).
const p = torch.tensor([1n, 2n, 3n]);
const xx = x.unsqueeze(-1).pow(p);

// In the above code, x.unsqueeze(-1) has shape (2000, 1), and p has shape
// (3,), for this case, broadcasting semantics will apply to obtain a tensor
// of shape (2000, 3)

// Use the nn package to define our model as a sequence of layers. nn.Sequential
// is a Module which contains other Modules, and applies them in sequence to
// produce its output. The Linear Module computes output from input using a
// linear function, and holds internal Tensors for its weight and bias.
// The Flatten layer flatens the output of the linear layer to a 1D tensor,
// to match the shape of `y`.
const model = new torch.nn.Sequential(
  new torch.nn.Linear(3, 1),
  new torch.nn.Flatten(0, 1),
);

// The nn package also contains definitions of popular loss functions; in this
// case we will use Mean Squared Error (MSE) as our loss function.
const loss_fn = new torch.nn.MSELoss({ reduction: "sum" });

const learning_rate = 1e-6;
for (let t = 0; t < 2000; t++) {
  // Forward pass: compute predicted y by passing x to the model. Module objects
  // override the __call__ operator so you can call them like functions. When
  // doing so you pass a Tensor of input data to the Module and it produces
  // a Tensor of output data.
  const y_pred = model(xx);

  // Compute and print loss. We pass Tensors containing the predicted and true
  // values of y, and the loss function returns a Tensor containing the
  // loss.
  const loss = loss_fn(y_pred, y);
  if (t % 100 === 99) print(t, pyfloat(loss.item()));

  // Zero the gradients before running the backward pass.
  model.zero_grad();

  // Backward pass: compute gradient of the loss with respect to all the learnable
  // parameters of the model. Internally, the parameters of each Module are stored
  // in Tensors with requires_grad=True, so this call will compute gradients for
  // all learnable parameters in the model.
  loss.backward();

  // Update the weights using gradient descent. Each parameter is a Tensor, so
  // we can access its gradients like we did before.
  torch.no_grad(() => {
    for (const param of model.parameters()) param.sub_(param.grad!.mul(learning_rate));
  });
}

// You can access the first layer of `model` like accessing the first item of a list
const linear_layer = model.get(0) as torch.nn.Linear;

// For linear layer, its parameters are stored as `weight` and `bias`.
const w = (i: number) => pyfloat(linear_layer.weight.index(torch.slice(null), i).item());
print(`Result: y = ${pyfloat(linear_layer.bias!.item())} + ${w(0)} x + ${w(1)} x^2 + ${w(2)} x^3`);
