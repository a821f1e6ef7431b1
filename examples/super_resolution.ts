// Super-resolution by sub-pixel convolution (pytorch/examples super_resolution: main.py with its
// model.py's Net), small: the BSDS300 images are replaced by synthetic ones (get_training_set and
// get_test_set below: smooth random 24x24 grey images, bilinearly upsampled from 6x6 noise, as the
// targets, and their 3x average-pooled 8x8 versions as the inputs: 32 for training, 8 for
// testing), the command line is `--upscale_factor 3 --batchSize 8 --testBatchSize 4`, and the
// checkpoints are state_dicts in the system's temporary directory (typetorch cannot pickle a Python
// class). Everything else is the example's program, translated by the rules of shared/API.md;
// tools/examples_py/super_resolution.py is the same program in Python, and test/examples.test.ts
// checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/super_resolution.ts

import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, namespace, print } from "./pyprint.js";

const F = torch.nn.functional;
const init = torch.nn.init;
const { DataLoader, TensorDataset } = torch.utils.data;

class Net extends nn.Module {
  relu = new nn.ReLU();
  conv1 = new nn.Conv2d(1, 64, [5, 5], [1, 1], [2, 2]);
  conv2 = new nn.Conv2d(64, 64, [3, 3], [1, 1], [1, 1]);
  conv3 = new nn.Conv2d(64, 32, [3, 3], [1, 1], [1, 1]);
  conv4: nn.Conv2d;
  pixel_shuffle: nn.PixelShuffle;

  constructor(upscale_factor: number) {
    super();
    this.conv4 = new nn.Conv2d(32, upscale_factor ** 2, [3, 3], [1, 1], [1, 1]);
    this.pixel_shuffle = new nn.PixelShuffle(upscale_factor);

    this._initialize_weights();
  }

  override forward(x: Tensor): Tensor {
    x = this.relu(this.conv1(x));
    x = this.relu(this.conv2(x));
    x = this.relu(this.conv3(x));
    x = this.pixel_shuffle(this.conv4(x));
    return x;
  }

  _initialize_weights(): void {
    init.orthogonal_(this.conv1.weight, init.calculate_gain("relu"));
    init.orthogonal_(this.conv2.weight, init.calculate_gain("relu"));
    init.orthogonal_(this.conv3.weight, init.calculate_gain("relu"));
    init.orthogonal_(this.conv4.weight);
  }
}

/** (input, target) pairs: smooth random 24x24 targets and their downscaled inputs. */
function synthetic_images(n: number, upscale_factor: number, seed: number): torch.utils.data.TensorDataset {
  const g = new torch.Generator().manual_seed(seed);
  const target = F.interpolate(torch.rand(n, 1, 6, 6, { generator: g }), { size: [24, 24], mode: "bilinear", align_corners: false });
  return new TensorDataset(F.avg_pool2d(target, upscale_factor), target);
}

const get_training_set = (upscale_factor: number) => synthetic_images(32, upscale_factor, 1);
const get_test_set = (upscale_factor: number) => synthetic_images(8, upscale_factor, 2);

// Training settings
const opt = { upscale_factor: 3, batchSize: 8, testBatchSize: 4, nEpochs: 2, lr: 0.01, accel: false, threads: 4, seed: 123 };

print(namespace(opt));

torch.manual_seed(opt.seed);

let device: torch.device;
if (opt.accel && torch.accelerator.is_available()) {
  device = torch.accelerator.current_accelerator()!;
} else {
  device = torch.device("cpu");
}

print("===> Loading datasets");
const train_set = get_training_set(opt.upscale_factor);
const test_set = get_test_set(opt.upscale_factor);
const training_data_loader = new DataLoader({ dataset: train_set, num_workers: opt.threads, batch_size: opt.batchSize, shuffle: true });
const testing_data_loader = new DataLoader({ dataset: test_set, num_workers: opt.threads, batch_size: opt.testBatchSize, shuffle: false });

print("===> Building model");
const model = new Net(opt.upscale_factor).to(device);
const criterion = new nn.MSELoss();

const optimizer = new optim.Adam(model.parameters(), { lr: opt.lr });

function train(epoch: number): void {
  let epoch_loss = 0;
  let iteration = 1;
  for (const batch of training_data_loader) {
    const [input, target] = [batch[0]!.to(device), batch[1]!.to(device)];

    optimizer.zero_grad();
    const loss = criterion(model(input), target);
    epoch_loss += loss.item();
    loss.backward();
    optimizer.step();

    print(`===> Epoch[${epoch}](${iteration}/${training_data_loader.length}): Loss: ${fixed(loss.item(), 4)}`);
    iteration++;
  }

  print(`===> Epoch ${epoch} Complete: Avg. Loss: ${fixed(epoch_loss / training_data_loader.length, 4)}`);
}

function test(): void {
  let avg_psnr = 0;
  torch.no_grad(() => {
    for (const batch of testing_data_loader) {
      const [input, target] = [batch[0]!.to(device), batch[1]!.to(device)];

      const prediction = model(input);
      const mse = criterion(prediction, target);
      const psnr = 10 * Math.log10(1 / mse.item());
      avg_psnr += psnr;
    }
  });
  print(`===> Avg. PSNR: ${fixed(avg_psnr / testing_data_loader.length, 4)} dB`);
}

function checkpoint(epoch: number): void {
  const model_out_path = `model_epoch_${epoch}.pth`;
  torch.save(model.state_dict(), join(tmpdir(), model_out_path));
  print(`Checkpoint saved to ${model_out_path}`);
}

for (let epoch = 1; epoch < opt.nEpochs + 1; epoch++) {
  train(epoch);
  test();
  checkpoint(epoch);
}
