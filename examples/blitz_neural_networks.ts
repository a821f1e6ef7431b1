// "Deep Learning with PyTorch: A 60 Minute Blitz", part 3: Neural Networks (pytorch/tutorials
// beginner_source/blitz/neural_networks_tutorial.py), seeded (torch.manual_seed(0)) so that its
// random weights, input and gradients print the same every run; the tutorial's prose is left out.
// It prints the net's output after the SGD step too. Everything else is the tutorial's program,
// translated by the rules of shared/API.md (the dummy target is int64, as Python's arange of ints
// is); tools/examples_py/blitz_neural_networks.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/blitz_neural_networks.ts

import torch, { nn, type Tensor } from "typetorch";
import { print } from "./pyprint.js";

const F = torch.nn.functional;

torch.manual_seed(0);

class Net extends nn.Module {
  // 1 input image channel, 6 output channels, 5x5 square convolution
  // kernel
  conv1 = new nn.Conv2d(1, 6, 5);
  conv2 = new nn.Conv2d(6, 16, 5);
  // an affine operation: y = Wx + b
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  override forward(x: Tensor): Tensor {
    // Max pooling over a (2, 2) window
    x = F.max_pool2d(F.relu(this.conv1(x)), [2, 2]);
    // If the size is a square you can only specify a single number
    x = F.max_pool2d(F.relu(this.conv2(x)), 2);
    x = x.view(-1, this.num_flat_features(x));
    x = F.relu(this.fc1(x));
    x = F.relu(this.fc2(x));
    x = this.fc3(x);
    return x;
  }

  num_flat_features(x: Tensor): number {
    const size = x.size().slice(1); // all dimensions except the batch dimension
    let num_features = 1;
    for (const s of size) num_features *= s;
    return num_features;
  }
}

const net = new Net();
print(net);

const params = [...net.parameters()];
print(params.length);
print(params[0]!.size()); // conv1's .weight

const input = torch.randn(1, 1, 32, 32);
const out = net(input);
print(out);

net.zero_grad();
out.backward(torch.randn(1, 10));

// Loss Function
let output = net(input);
let target = torch.arange(1, 11, { dtype: torch.int64 }); // a dummy target, for example
target = target.view(1, -1); // make it the same shape as output
const criterion = new nn.MSELoss();

let loss = criterion(output, target);
print(loss);

print(loss.grad_fn); // MSELoss
print(loss.grad_fn!.next_functions[0]![0]); // Linear
print(loss.grad_fn!.next_functions[0]![0]!.next_functions[0]![0]); // ReLU

// Backprop
net.zero_grad(); // zeroes the gradient buffers of all parameters

print("conv1.bias.grad before backward");
print(net.conv1.bias!.grad);

loss.backward();

print("conv1.bias.grad after backward");
print(net.conv1.bias!.grad);

// Update the weights
const optim = torch.optim;

// create your optimizer
const optimizer = new optim.SGD(net.parameters(), { lr: 0.01 });

// in your training loop:
optimizer.zero_grad(); // zero the gradient buffers
output = net(input);
loss = criterion(output, target);
loss.backward();
optimizer.step(); // Does the update
print(net(input));
