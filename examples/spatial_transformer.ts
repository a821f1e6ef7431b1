// "Spatial Transformer Networks Tutorial" (pytorch/tutorials intermediate_source/
// spatial_transformer_tutorial.py) on MNIST-shaped synthetic data: torchvision's MNIST is replaced
// by fake_data.ts's FakeImages (28x28 grey images in 10 classes, each a fixed random prototype of
// its class, shifted, plus noise: 512 for training and 128 for testing, from seeded generators), 2 epochs,
// and the plots are left out. Everything else is the tutorial's program, translated by the rules
// of shared/API.md; tools/examples_py/spatial_transformer.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/spatial_transformer.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { print } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const F = torch.nn.functional;
const { DataLoader } = torch.utils.data;

torch.manual_seed(0);

const device = torch.device(torch.cuda.is_available() ? "cuda" : "cpu");

// Training dataset
const train_loader = new DataLoader(new FakeImages(512, 1, 0.6, 3), { batch_size: 64, shuffle: true, num_workers: 0 });
// Test dataset
const test_loader = new DataLoader(new FakeImages(128, 2, 0.6, 3), { batch_size: 64, shuffle: true, num_workers: 0 });

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, 5);
  conv2 = new nn.Conv2d(10, 20, 5);
  conv2_drop = new nn.Dropout2d();
  fc1 = new nn.Linear(320, 50);
  fc2 = new nn.Linear(50, 10);

  // Spatial transformer localization-network
  localization = new nn.Sequential(
    new nn.Conv2d(1, 8, 7),
    new nn.MaxPool2d(2, { stride: 2 }),
    new nn.ReLU(true),
    new nn.Conv2d(8, 10, 5),
    new nn.MaxPool2d(2, { stride: 2 }),
    new nn.ReLU(true),
  );

  // Regressor for the 3 * 2 affine matrix
  fc_loc = new nn.Sequential(
    new nn.Linear(10 * 3 * 3, 32),
    new nn.ReLU(true),
    new nn.Linear(32, 3 * 2),
  );

  constructor() {
    super();
    // Initialize the weights/bias with identity transformation
    const last = this.fc_loc[2] as nn.Linear;
    last.weight.data.zero_();
    last.bias!.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], { dtype: torch.float }));
  }

  // Spatial transformer network forward function
  stn(x: Tensor): Tensor {
    let xs = this.localization(x);
    xs = xs.view(-1, 10 * 3 * 3);
    let theta = this.fc_loc(xs);
    theta = theta.view(-1, 2, 3);

    const grid = F.affine_grid(theta, x.size());
    x = F.grid_sample(x, grid);

    return x;
  }

  override forward(x: Tensor): Tensor {
    // transform the input
    x = this.stn(x);

    // Perform the usual forward pass
    x = F.relu(F.max_pool2d(this.conv1(x), 2));
    x = F.relu(F.max_pool2d(this.conv2_drop(this.conv2(x)), 2));
    x = x.view(-1, 320);
    x = F.relu(this.fc1(x));
    x = F.dropout(x, { training: this.training });
    x = this.fc2(x);
    return F.log_softmax(x, { dim: 1 });
  }
}

const model = new Net().to(device);

const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });

function train(epoch: number): void {
  model.train();
  let batch_idx = 0;
  for (let [data, target] of train_loader) {
    [data, target] = [data.to(device), target.to(device)];

    optimizer.zero_grad();
    const output = model(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    if (batch_idx % 500 === 0) {
      print(`Train Epoch: ${epoch} [${batch_idx * data.shape[0]!}/${train_loader.dataset.length} ` +
        `(${((100 * batch_idx) / train_loader.length).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`);
    }
    batch_idx++;
  }
}
//
// A simple test procedure to measure the STN performances on MNIST.
//

function test(): void {
  torch.no_grad(() => {
    model.eval();
    let test_loss = 0;
    let correct = 0;
    for (let [data, target] of test_loader) {
      [data, target] = [data.to(device), target.to(device)];
      const output = model(data);

      // sum up batch loss
      test_loss += F.nll_loss(output, target, { size_average: false }).item();
      // get the index of the max log-probability
      const pred = output.max(1, true)[1]!;
      correct += pred.eq(target.view_as(pred)).sum().item();
    }
    const size = test_loader.dataset.length;
    test_loss /= size;
    print(`\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${size} (${((100 * correct) / size).toFixed(0)}%)\n`);
  });
}

for (let epoch = 1; epoch < 2 + 1; epoch++) {
  train(epoch);
  test();
}
