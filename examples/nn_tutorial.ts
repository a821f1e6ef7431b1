// "What is torch.nn really?" (pytorch/tutorials beginner_source/nn_tutorial.py) on MNIST-shaped
// synthetic data: the downloaded MNIST pickle is replaced by fake_data.ts's FakeImages (1000
// training and 200 validation images, mostly zeros and flattened to 784 values as the pickle has
// them), the
// GPU section runs on the CPU, and the prints show the numbers to compare. Translated by the
// rules of shared/API.md; tools/examples_py/nn_tutorial.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/nn_tutorial.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const F = torch.nn.functional;
const { DataLoader, TensorDataset } = torch.utils.data;

const [train, valid] = [new FakeImages(1000, 1, 0.3), new FakeImages(200, 2, 0.3)];
// (mostly zeros, as MNIST's pixels are: values under 0.6 set to 0)
const sparse = (images: Tensor): Tensor => images.mul(images.gt(0.6)).reshape(-1, 784);
const [x_train, y_train, x_valid, y_valid] = [sparse(train.data), train.targets, sparse(valid.data), valid.targets]
  .map((a) => torch.tensor(a)) as [Tensor, Tensor, Tensor, Tensor];
const [n] = x_train.shape as [number, number];
print(x_train, y_train);
print(x_train.shape);
print(y_train.min(), y_train.max());

// Neural net from scratch (without torch.nn)

torch.manual_seed(0);
let weights = torch.randn(784, 10).div(Math.sqrt(784));
weights.requires_grad_();
let bias = torch.zeros(10, { requires_grad: true });

function log_softmax(x: Tensor): Tensor {
  return x.sub(x.exp().sum(-1).log().unsqueeze(-1));
}

let model: (xb: Tensor) => Tensor = (xb) => log_softmax(xb.matmul(weights).add(bias));

const bs = 64; // batch size

let xb = x_train.index(torch.slice(0, bs)); // a mini-batch from x
const preds = model(xb); // predictions
print(preds.index(0), preds.shape);

function nll(input: Tensor, target: Tensor): Tensor {
  return input.index(torch.arange(target.shape[0]!, { dtype: torch.int64 }), target).mean().neg();
}

let loss_func: (input: Tensor, target: Tensor) => Tensor = nll;

let yb = y_train.index(torch.slice(0, bs));
print(loss_func(preds, yb));

function accuracy(out: Tensor, yb: Tensor): Tensor {
  const preds = torch.argmax(out, { dim: 1 });
  return preds.eq(yb).float().mean();
}

print(accuracy(preds, yb));

let lr = 0.5; // learning rate
const epochs = 2; // how many epochs to train for

for (let epoch = 0; epoch < epochs; epoch++) {
  for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
    const start_i = i * bs;
    const end_i = start_i + bs;
    xb = x_train.index(torch.slice(start_i, end_i));
    yb = y_train.index(torch.slice(start_i, end_i));
    const pred = model(xb);
    const loss = loss_func(pred, yb);

    loss.backward();
    torch.no_grad(() => {
      weights.sub_(weights.grad!.mul(lr));
      bias.sub_(bias.grad!.mul(lr));
      weights.grad!.zero_();
      bias.grad!.zero_();
    });
  }
}

print(loss_func(model(xb), yb), accuracy(model(xb), yb));

// Using torch.nn.functional

loss_func = F.cross_entropy;

model = (xb) => xb.matmul(weights).add(bias);

print(loss_func(model(xb), yb), accuracy(model(xb), yb));

// Refactor using nn.Module

class Mnist_Logistic extends nn.Module {
  weights = new nn.Parameter(torch.randn(784, 10).div(Math.sqrt(784)));
  bias = new nn.Parameter(torch.zeros(10));

  override forward(xb: Tensor): Tensor {
    return xb.matmul(this.weights).add(this.bias);
  }
}

let module: nn.Module = new Mnist_Logistic();
print(loss_func(module(xb), yb));

function fit0(): void {
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
      const start_i = i * bs;
      const end_i = start_i + bs;
      const xb = x_train.index(torch.slice(start_i, end_i));
      const yb = y_train.index(torch.slice(start_i, end_i));
      const pred = module(xb);
      const loss = loss_func(pred, yb);

      loss.backward();
      torch.no_grad(() => {
        for (const p of module.parameters()) p.sub_(p.grad!.mul(lr));
        module.zero_grad();
      });
    }
  }
}

fit0();
print(loss_func(module(xb), yb));

// Refactor using nn.Linear

class Mnist_Logistic2 extends nn.Module {
  lin = new nn.Linear(784, 10);

  override forward(xb: Tensor): Tensor {
    return this.lin(xb);
  }
}

module = new Mnist_Logistic2();
print(loss_func(module(xb), yb));
fit0();
print(loss_func(module(xb), yb));

// Refactor using torch.optim

function get_model(): [nn.Module, optim.SGD] {
  const model = new Mnist_Logistic2();
  return [model, new optim.SGD(model.parameters(), { lr })];
}

let opt: optim.SGD;
[module, opt] = get_model();
print(loss_func(module(xb), yb));

for (let epoch = 0; epoch < epochs; epoch++) {
  for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
    const start_i = i * bs;
    const end_i = start_i + bs;
    xb = x_train.index(torch.slice(start_i, end_i));
    yb = y_train.index(torch.slice(start_i, end_i));
    const pred = module(xb);
    const loss = loss_func(pred, yb);

    loss.backward();
    opt.step();
    opt.zero_grad();
  }
}

print(loss_func(module(xb), yb));

// Refactor using Dataset and DataLoader

type Batches = Iterable<[Tensor, Tensor]> & { length: number };

let train_ds = new TensorDataset(x_train, y_train);
let train_dl: Batches = new DataLoader(train_ds, { batch_size: bs }) as unknown as Batches;

[module, opt] = get_model();

for (let epoch = 0; epoch < epochs; epoch++) {
  for ([xb, yb] of train_dl) {
    const pred = module(xb);
    const loss = loss_func(pred, yb);

    loss.backward();
    opt.step();
    opt.zero_grad();
  }
}

print(loss_func(module(xb), yb));

// Add validation

train_ds = new TensorDataset(x_train, y_train);
train_dl = new DataLoader(train_ds, { batch_size: bs, shuffle: true }) as unknown as Batches;

const valid_ds = new TensorDataset(x_valid, y_valid);
let valid_dl: Batches = new DataLoader(valid_ds, { batch_size: bs * 2 }) as unknown as Batches;

[module, opt] = get_model();

for (let epoch = 0; epoch < epochs; epoch++) {
  module.train();
  for ([xb, yb] of train_dl) {
    const pred = module(xb);
    const loss = loss_func(pred, yb);

    loss.backward();
    opt.step();
    opt.zero_grad();
  }

  module.eval();
  const valid_loss = torch.no_grad(() => {
    let sum: Tensor | number = 0; // Python's sum(...)
    for (const [xb, yb] of valid_dl) sum = torch.add(sum, loss_func(module(xb), yb));
    return sum as Tensor;
  });

  print(epoch, valid_loss.div(valid_dl.length));
}

// Create fit() and get_data()

function loss_batch(model: nn.Module, loss_func: (a: Tensor, b: Tensor) => Tensor, xb: Tensor, yb: Tensor, opt: optim.Optimizer | null = null): [number, number] {
  const loss = loss_func(model(xb), yb);

  if (opt !== null) {
    loss.backward();
    opt.step();
    opt.zero_grad();
  }

  return [loss.item(), xb.shape[0]!];
}

function fit(epochs: number, model: nn.Module, loss_func: (a: Tensor, b: Tensor) => Tensor, opt: optim.Optimizer, train_dl: Batches, valid_dl: Batches): void {
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    for (const [xb, yb] of train_dl) loss_batch(model, loss_func, xb, yb, opt);

    model.eval();
    const results = torch.no_grad(() => [...valid_dl].map(([xb, yb]) => loss_batch(model, loss_func, xb, yb)));
    // np.sum(np.multiply(losses, nums)) / np.sum(nums), in float64
    const val_loss = results.reduce((s, [l, k]) => s + l * k, 0) / results.reduce((s, [, k]) => s + k, 0);

    print(epoch, pyfloat(val_loss));
  }
}

function get_data(train_ds: InstanceType<typeof TensorDataset>, valid_ds: InstanceType<typeof TensorDataset>, bs: number): [Batches, Batches] {
  return [
    new DataLoader(train_ds, { batch_size: bs, shuffle: true }) as unknown as Batches,
    new DataLoader(valid_ds, { batch_size: bs * 2 }) as unknown as Batches,
  ];
}

[train_dl, valid_dl] = get_data(train_ds, valid_ds, bs);
[module, opt] = get_model();
fit(epochs, module, loss_func, opt, train_dl, valid_dl);

// Switch to CNN

class Mnist_CNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 16, 3, 2, 1);
  conv2 = new nn.Conv2d(16, 16, 3, 2, 1);
  conv3 = new nn.Conv2d(16, 10, 3, 2, 1);

  override forward(xb: Tensor): Tensor {
    xb = xb.view(-1, 1, 28, 28);
    xb = F.relu(this.conv1(xb));
    xb = F.relu(this.conv2(xb));
    xb = F.relu(this.conv3(xb));
    xb = F.avg_pool2d(xb, 4);
    return xb.view(-1, xb.size(1));
  }
}

lr = 0.1;

module = new Mnist_CNN();
opt = new optim.SGD(module.parameters(), { lr, momentum: 0.9 });

fit(epochs, module, loss_func, opt, train_dl, valid_dl);

// Using nn.Sequential

class Lambda extends nn.Module {
  constructor(public func: (x: Tensor) => Tensor) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return this.func(x);
  }
}

function preprocess(x: Tensor): Tensor {
  return x.view(-1, 1, 28, 28);
}

module = new nn.Sequential(
  new Lambda(preprocess),
  new nn.Conv2d(1, 16, 3, 2, 1),
  new nn.ReLU(),
  new nn.Conv2d(16, 16, 3, 2, 1),
  new nn.ReLU(),
  new nn.Conv2d(16, 10, 3, 2, 1),
  new nn.ReLU(),
  new nn.AvgPool2d(4),
  new Lambda((x) => x.view(x.size(0), -1)),
);

opt = new optim.SGD(module.parameters(), { lr, momentum: 0.9 });

fit(epochs, module, loss_func, opt, train_dl, valid_dl);

// Wrapping DataLoader

class WrappedDataLoader {
  constructor(public dl: Batches, public func: (x: Tensor, y: Tensor) => [Tensor, Tensor]) {}

  get length(): number {
    return this.dl.length;
  }

  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    for (const b of this.dl) yield this.func(...b);
  }
}

let preprocess2 = (x: Tensor, y: Tensor): [Tensor, Tensor] => [x.view(-1, 1, 28, 28), y];

[train_dl, valid_dl] = get_data(train_ds, valid_ds, bs);
train_dl = new WrappedDataLoader(train_dl, preprocess2);
valid_dl = new WrappedDataLoader(valid_dl, preprocess2);

module = new nn.Sequential(
  new nn.Conv2d(1, 16, 3, 2, 1),
  new nn.ReLU(),
  new nn.Conv2d(16, 16, 3, 2, 1),
  new nn.ReLU(),
  new nn.Conv2d(16, 10, 3, 2, 1),
  new nn.ReLU(),
  new nn.AdaptiveAvgPool2d(1),
  new Lambda((x) => x.view(x.size(0), -1)),
);

opt = new optim.SGD(module.parameters(), { lr, momentum: 0.9 });

// Using your GPU (the CPU here)

const dev = torch.device("cpu");

preprocess2 = (x, y) => [x.view(-1, 1, 28, 28).to(dev), y.to(dev)];

[train_dl, valid_dl] = get_data(train_ds, valid_ds, bs);
train_dl = new WrappedDataLoader(train_dl, preprocess2);
valid_dl = new WrappedDataLoader(valid_dl, preprocess2);

module.to(dev);
opt = new optim.SGD(module.parameters(), { lr, momentum: 0.9 });

fit(epochs, module, loss_func, opt, train_dl, valid_dl);
