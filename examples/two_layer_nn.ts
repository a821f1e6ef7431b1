// "Learning PyTorch with Examples": a fully-connected ReLU network with one hidden layer,
// built with nn.Sequential and trained with optim.Adam to predict y from x by minimising
// the squared Euclidean distance (pytorch/tutorials beginner_source/examples_nn/
// two_layer_net_optim.py), seeded so that every run prints the same losses. Translated by the
// rules of shared/API.md; tools/examples_py/two_layer_nn.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch: the
// same seed gives the same x, y and initial weights, so the losses agree to float32 rounding.
//
//   node --conditions=source --import tsx examples/two_layer_nn.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

torch.manual_seed(0);

// N is batch size; D_in is input dimension;
// H is hidden dimension; D_out is output dimension.
const [N, D_in, H, D_out] = [64, 1000, 100, 10];

// Create random Tensors to hold inputs and outputs
const x = torch.randn(N, D_in);
const y = torch.randn(N, D_out);

// Use the nn package to define our model and loss function.
const model = new torch.nn.Sequential(
  new torch.nn.Linear(D_in, H),
  new torch.nn.ReLU(),
  new torch.nn.Linear(H, D_out),
);
print(model);
const loss_fn = new torch.nn.MSELoss({ reduction: "sum" });

// Use the optim package to define an Optimizer that will update the weights of
// the model for us. Here we will use Adam.
const learning_rate = 1e-4;
const optimizer = new torch.optim.Adam(model.parameters(), { lr: learning_rate });
for (let t = 0; t < 500; t++) {
  // Forward pass: compute predicted y by passing x to the model.
  const y_pred = model(x);

  // Compute and print loss.
  const loss = loss_fn(y_pred, y);
  if (t % 100 === 99) {
    print(t, pyfloat(loss.item() as number));
  }

  // Before the backward pass, zero the gradients of the variables it will update
  optimizer.zero_grad();

  // Backward pass: compute gradient of the loss with respect to model parameters
  loss.backward();

  // Calling the step function on an Optimizer makes an update to its parameters
  optimizer.step();
}
