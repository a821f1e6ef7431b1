// "Learn the Basics: Quickstart" (pytorch/tutorials beginner_source/basics/quickstart_tutorial.py)
// on FashionMNIST-shaped synthetic data: torchvision's download is replaced by fake_data.ts's
// FakeImages (28x28 grey images in 10 classes, each a fixed random prototype of its class plus
// noise, 1000 for training and 200 for testing, drawn from seeded generators), and the model file goes
// to the system's temporary directory. Everything else is the tutorial's program, translated by
// the rules of shared/API.md; tools/examples_py/quickstart.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/quickstart.ts

import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, type Tensor } from "typetorch";
import { print } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const { DataLoader } = torch.utils.data;

torch.manual_seed(0);

// Download training data from open datasets.
const training_data = new FakeImages(1000, 1);

// Download test data from open datasets.
const test_data = new FakeImages(200, 2);

const batch_size = 64;

// Create data loaders.
const train_dataloader = new DataLoader(training_data, { batch_size });
const test_dataloader = new DataLoader(test_data, { batch_size });

for (const [X, y] of test_dataloader) {
  print(`Shape of X [N, C, H, W]: ${X.shape}`);
  print(`Shape of y: ${y.shape} ${y.dtype}`);
  break;
}

const device = torch.accelerator.is_available() ? torch.accelerator.current_accelerator()!.type : "cpu";
print(`Using ${device} device`);

// Define model
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

let model = new NeuralNetwork().to(device);
print(model);

const loss_fn = new nn.CrossEntropyLoss();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });

// Python's f"{x:>7f}", f"{n:>5d}" …
const fmt = (x: number, digits: number, width: number): string => x.toFixed(digits).padStart(width);

function train(dataloader: typeof train_dataloader, model: NeuralNetwork, loss_fn: nn.CrossEntropyLoss, optimizer: torch.optim.SGD): void {
  const size = dataloader.dataset.length;
  model.train();
  let batch = 0;
  for (let [X, y] of dataloader) {
    [X, y] = [X.to(device), y.to(device)];

    // Compute prediction error
    const pred = model(X);
    const loss = loss_fn(pred, y);

    // Backpropagation
    loss.backward();
    optimizer.step();
    optimizer.zero_grad();

    if (batch % 100 === 0) {
      const [lossValue, current] = [loss.item(), (batch + 1) * X.shape[0]!];
      print(`loss: ${fmt(lossValue, 6, 7)}  [${fmt(current, 0, 5)}/${fmt(size, 0, 5)}]`);
    }
    batch++;
  }
}

function test(dataloader: typeof test_dataloader, model: NeuralNetwork, loss_fn: nn.CrossEntropyLoss): void {
  const size = dataloader.dataset.length;
  const num_batches = dataloader.length;
  model.eval();
  let [test_loss, correct] = [0, 0];
  torch.no_grad(() => {
    for (let [X, y] of dataloader) {
      [X, y] = [X.to(device), y.to(device)];
      const pred = model(X);
      test_loss += loss_fn(pred, y).item();
      correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
    }
  });
  test_loss /= num_batches;
  correct /= size;
  print(`Test Error: \n Accuracy: ${(100 * correct).toFixed(1)}%, Avg loss: ${fmt(test_loss, 6, 8)} \n`);
}

const epochs = 5;
for (let t = 0; t < epochs; t++) {
  print(`Epoch ${t + 1}\n-------------------------------`);
  train(train_dataloader, model, loss_fn, optimizer);
  test(test_dataloader, model, loss_fn);
}
print("Done!");

const path = join(tmpdir(), "model.pth");
torch.save(model.state_dict(), path);
print("Saved PyTorch Model State to model.pth");

model = new NeuralNetwork().to(device);
model.load_state_dict(torch.load(path, { weights_only: true }));

const classes = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

model.eval();
let [x, y] = [test_data.__getitem__(0)[0], test_data.__getitem__(0)[1]];
torch.no_grad(() => {
  x = x.to(device);
  const pred = model(x);
  const [predicted, actual] = [classes[pred.index(0).argmax(0).item()], classes[y]];
  print(`Predicted: "${predicted}", Actual: "${actual}"`);
});
