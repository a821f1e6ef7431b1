// "Learn the Basics: Build the Neural Network" (pytorch/tutorials
// beginner_source/basics/buildmodel_tutorial.py), seeded (torch.manual_seed(0)) so that its random
// inputs and weights print the same every run; the tutorial's prose is left out. Everything else is
// the tutorial's program, translated by the rules of shared/API.md; tools/examples_py/buildmodel.py
// is the same program in Python, and test/examples.test.ts checks that this one prints what that
// one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/buildmodel.ts

import torch, { nn, type Tensor } from "typetorch";
import { print } from "./pyprint.js";

torch.manual_seed(0);

// Get Device for Training
const device = torch.cuda.is_available() ? "cuda" : "cpu";
print(`Using ${device} device`);

// Define the Class
class NeuralNetwork extends nn.Module {
  flatten = new nn.Flatten();
  linear_relu_stack = new nn.Sequential(
    new nn.Linear(28 * 28, 512),
    new nn.ReLU(),
    new nn.Linear(512, 512),
    new nn.ReLU(),
    new nn.Linear(512, 10),
    new nn.ReLU(),
  );

  override forward(x: Tensor): Tensor {
    x = this.flatten(x);
    const logits = this.linear_relu_stack(x);
    return logits;
  }
}

const model = new NeuralNetwork().to(device);
print(model);

const X = torch.rand(1, 28, 28, { device });
let logits = model(X);
let pred_probab = new nn.Softmax({ dim: 1 })(logits);
const y_pred = pred_probab.argmax(1);
print(`Predicted class: ${y_pred}`);

// Model Layers
let input_image = torch.rand(3, 28, 28);
print(input_image.size());

// nn.Flatten
const flatten = new nn.Flatten();
const flat_image = flatten(input_image);
print(flat_image.size());

// nn.Linear
const layer1 = new nn.Linear({ in_features: 28 * 28, out_features: 20 });
let hidden1 = layer1(flat_image);
print(hidden1.size());

// nn.ReLU
print(`Before ReLU: ${hidden1}\n\n`);
hidden1 = new nn.ReLU()(hidden1);
print(`After ReLU: ${hidden1}`);

// nn.Sequential
const seq_modules = new nn.Sequential(
  flatten,
  layer1,
  new nn.ReLU(),
  new nn.Linear(20, 10),
);
input_image = torch.rand(3, 28, 28);
logits = seq_modules(input_image);

// nn.Softmax
const softmax = new nn.Softmax({ dim: 1 });
pred_probab = softmax(logits);

// Model Parameters
print("Model structure: ", model, "\n\n");

for (const [name, param] of model.named_parameters()) {
  print(`Layer: ${name} | Size: ${param.size()} | Values : ${param.index(torch.slice(2))} \n`);
}
