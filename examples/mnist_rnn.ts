// The MNIST LSTM (pytorch/examples mnist_rnn/main.py) on MNIST-shaped synthetic data: torchvision's
// MNIST and its transforms are replaced by fake_data.ts's FakeImages (28x28 grey images in [0, 1],
// 10 classes, each a fixed random prototype of its class, plus noise: 960 for training
// and 200 for testing, from seeded generators), the command line by its defaults but for a
// shorter run (1 epoch, a log every 5 batches), and the accelerator is left out. Everything else
// is the example's program (each image read as 28 rows of 28 by an LSTM, its last output through
// BatchNorm1d, Dropout2d on those 2-D features, as the example has it, and two linear layers),
// translated by the rules of shared/API.md; tools/examples_py/mnist_rnn.py is the same program in
// Python, and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/mnist_rnn.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, print } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const F = torch.nn.functional;
const { StepLR } = torch.optim.lr_scheduler;
const { DataLoader } = torch.utils.data;

class Net extends nn.Module {
  rnn = new nn.LSTM({ input_size: 28, hidden_size: 64, batch_first: true });
  batchnorm = new nn.BatchNorm1d(64);
  dropout1 = new nn.Dropout2d(0.25);
  dropout2 = new nn.Dropout2d(0.5);
  fc1 = new nn.Linear(64, 32);
  fc2 = new nn.Linear(32, 10);

  override forward(input: Tensor): Tensor {
    // Shape of input is (batch_size,1, 28, 28)
    // converting shape of input to (batch_size, 28, 28)
    // as required by RNN when batch_first is set True
    input = input.reshape(-1, 28, 28);
    let [output] = this.rnn(input);

    // RNN output shape is (seq_len, batch, input_size)
    // Get last output of RNN
    output = output.index(torch.slice(null), -1, torch.slice(null));
    output = this.batchnorm(output);
    output = this.dropout1(output);
    output = this.fc1(output);
    output = F.relu(output);
    output = this.dropout2(output);
    output = this.fc2(output);
    output = F.log_softmax(output, { dim: 1 });
    return output;
  }
}

interface Args { batch_size: number; test_batch_size: number; epochs: number; lr: number; gamma: number; dry_run: boolean; seed: number; log_interval: number; save_model: boolean }
/** A loader of FakeImages' (image, label) samples in batches of (images, labels). */
type Loader = torch.utils.data.DataLoader<[Tensor, number], [Tensor, Tensor], FakeImages>;

function train(args: Args, model: Net, device: torch.device, train_loader: Loader, optimizer: optim.Optimizer, epoch: number): void {
  model.train();
  let batch_idx = 0;
  for (let [data, target] of train_loader) {
    [data, target] = [data.to(device), target.to(device)];
    optimizer.zero_grad();
    const output = model(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    if (batch_idx % args.log_interval === 0) {
      print(`Train Epoch: ${epoch} [${batch_idx * data.length}/${train_loader.dataset.length} ` +
        `(${fixed((100 * batch_idx) / train_loader.length, 0)}%)]\tLoss: ${fixed(loss.item(), 6)}`);
      if (args.dry_run) break;
    }
    batch_idx++;
  }
}

function test(model: Net, device: torch.device, test_loader: Loader): void {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  torch.no_grad(() => {
    for (let [data, target] of test_loader) {
      [data, target] = [data.to(device), target.to(device)];
      const output = model(data);
      test_loss += F.nll_loss(output, target, { reduction: "sum" }).item(); // sum up batch loss
      const pred = output.argmax({ dim: 1, keepdim: true }); // get the index of the max log-probability
      correct += pred.eq(target.view_as(pred)).sum().item();
    }
  });

  const size = test_loader.dataset.length;
  test_loss /= size;

  print(`\nTest set: Average loss: ${fixed(test_loss, 4)}, Accuracy: ${correct}/${size} (${fixed((100 * correct) / size, 0)}%)\n`);
}

function main(): void {
  // Training settings (the example's defaults, but for --epochs 1 and --log-interval 5)
  const args: Args = { batch_size: 64, test_batch_size: 1000, epochs: 1, lr: 0.1, gamma: 0.7,
    dry_run: false, seed: 1, log_interval: 5, save_model: false };

  torch.manual_seed(args.seed);

  const device = torch.device("cpu");

  const train_kwargs = { batch_size: args.batch_size };
  const test_kwargs = { batch_size: args.test_batch_size };

  const dataset1 = new FakeImages(960, 1, 0.9);
  const dataset2 = new FakeImages(200, 2, 0.9);
  const train_loader = new DataLoader(dataset1, train_kwargs);
  const test_loader = new DataLoader(dataset2, test_kwargs);

  const model = new Net().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const scheduler = new StepLR(optimizer, { step_size: 1, gamma: args.gamma });
  for (let epoch = 1; epoch < args.epochs + 1; epoch++) {
    train(args, model, device, train_loader, optimizer, epoch);
    test(model, device, test_loader);
    scheduler.step();
  }

  if (args.save_model) torch.save(model.state_dict(), "mnist_rnn.pt");
}

main();
