// "Learn the Basics: Optimizing Model Parameters" (pytorch/tutorials
// beginner_source/basics/optimization_tutorial.py; BSD-3-Clause, Copyright (c) 2017-2024 PyTorch
// contributors), seeded (torch.manual_seed(0)), on vision.ts's FakeFashionMNIST (1000 training and
// 200 test images through torchvision's ToTensor) where the tutorial downloads FashionMNIST; the
// prose and the first, unused loss function and optimizer are left out. Everything else is the
// tutorial's program, translated by the rules of shared/API.md;
// tools/examples_py/optimization_tutorial.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/optimization_tutorial.ts

import torch, { nn, type Tensor } from "typetorch";
import { print, fixed } from "./pyprint.js";
import { FakeFashionMNIST, ToTensor } from "./vision.js";

const { DataLoader } = torch.utils.data;

torch.manual_seed(0);

const training_data = new FakeFashionMNIST({
  root: "data",
  train: true,
  download: true,
  transform: ToTensor(),
});

const test_data = new FakeFashionMNIST({
  root: "data",
  train: false,
  download: true,
  transform: ToTensor(),
});

const train_dataloader = new DataLoader(training_data, { batch_size: 64 });
const test_dataloader = new DataLoader(test_data, { batch_size: 64 });

class NeuralNetwork extends nn.Module {
  flatten = new nn.Flatten();
  linear_relu_stack = new nn.Sequential(
    new nn.Linear(28 * 28, 512),
    new nn.ReLU(),
    new nn.Linear(512, 512),
    new nn.ReLU(),
    new nn.Linear(512, 10),
  );

  override forward(x: Tensor): Tensor {
    x = this.flatten(x);
    const logits = this.linear_relu_stack(x);
    return logits;
  }
}

const model = new NeuralNetwork();

// Hyperparameters
const learning_rate = 1e-3;
const batch_size = 64;

// Python's f"{x:>7f}", f"{n:>5d}" …
const fmt = (x: number, digits: number, width: number): string => fixed(x, digits).padStart(width);

type Loader = typeof train_dataloader;

// Full Implementation
function train_loop(dataloader: Loader, model: NeuralNetwork, loss_fn: nn.CrossEntropyLoss, optimizer: torch.optim.Optimizer): void {
  const size = dataloader.dataset.length;
  // Set the model to training mode - important for batch normalization and dropout layers
  // Unnecessary in this situation but added for best practices
  model.train();
  let batch = 0;
  for (const [X, y] of dataloader) {
    // Compute prediction and loss
    const pred = model(X);
    const loss = loss_fn(pred, y);

    // Backpropagation
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();

    if (batch % 100 === 0) {
      const [lossValue, current] = [loss.item(), batch * batch_size + X.length];
      print(`loss: ${fmt(lossValue, 6, 7)}  [${fmt(current, 0, 5)}/${fmt(size, 0, 5)}]`);
    }
    batch++;
  }
}

function test_loop(dataloader: Loader, model: NeuralNetwork, loss_fn: nn.CrossEntropyLoss): void {
  // Set the model to evaluation mode - important for batch normalization and dropout layers
  // Unnecessary in this situation but added for best practices
  model.eval();
  const size = dataloader.dataset.length;
  const num_batches = dataloader.length;
  let [test_loss, correct] = [0, 0];

  // Evaluating the model with torch.no_grad() ensures that no gradients are computed during test mode
  // also serves to reduce unnecessary gradient computations and memory usage for tensors with requires_grad=True
  torch.no_grad(() => {
    for (const [X, y] of dataloader) {
      const pred = model(X);
      test_loss += loss_fn(pred, y).item();
      correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
    }
  });

  test_loss /= num_batches;
  correct /= size;
  print(`Test Error: \n Accuracy: ${fixed(100 * correct, 1)}%, Avg loss: ${fmt(test_loss, 6, 8)} \n`);
}

const loss_fn = new nn.CrossEntropyLoss();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: learning_rate });

const epochs = 10;
for (let t = 0; t < epochs; t++) {
  print(`Epoch ${t + 1}\n-------------------------------`);
  train_loop(train_dataloader, model, loss_fn, optimizer);
  test_loop(test_dataloader, model, loss_fn);
}
print("Done!");
