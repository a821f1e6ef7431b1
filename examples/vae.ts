// The variational autoencoder (pytorch/examples vae/main.py) on MNIST-shaped synthetic data:
// torchvision's MNIST is replaced by fake_data.ts's FakeImages (28x28 grey images in [0, 1], 10
// classes, each a fixed random prototype of its class plus noise: 512 for training and 256 for
// testing, from seeded generators), the command line by its defaults but for a shorter run (2
// epochs, a log every 2 batches), and torchvision's save_image by a save_image that prints what
// it would save instead of writing a PNG. The accelerator is used where there is one, as the
// example does: none on PyTorch's CPU wheel, which prints the golden output; typetorch's WebGPU
// device where it is usable (test/examples.test.ts runs it there too, the device line aside). Everything else is the
// example's program, translated by the rules of shared/API.md; tools/examples_py/vae.py is the
// same program in Python, and test/examples.test.ts checks that this one prints what that one
// prints under PyTorch.
//
//   node --conditions=source --import tsx examples/vae.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, print } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const F = torch.nn.functional;

function save_image(tensor: Tensor, fp: string, { nrow = 8 } = {}): void {
  print(`save_image: ${fp} (${tensor.shape.join(", ")}) nrow=${nrow} mean=${fixed(tensor.mean().item(), 6)}`);
}

const args = { batch_size: 128, epochs: 2, no_accel: false, seed: 1, log_interval: 2 };

const use_accel = !args.no_accel && torch.accelerator.is_available();

torch.manual_seed(args.seed);

let device: torch.device;
if (use_accel) {
  device = torch.accelerator.current_accelerator()!;
} else {
  device = torch.device("cpu");
}

print(`Using device: ${device}`);

const kwargs = use_accel ? { num_workers: 1, pin_memory: true } : {};
const train_loader = new torch.utils.data.DataLoader(
  new FakeImages(512, 1),
  { batch_size: args.batch_size, shuffle: true, ...kwargs });
const test_loader = new torch.utils.data.DataLoader(
  new FakeImages(256, 2),
  { batch_size: args.batch_size, shuffle: false, ...kwargs });

class VAE extends nn.Module {
  fc1 = new nn.Linear(784, 400);
  fc21 = new nn.Linear(400, 20);
  fc22 = new nn.Linear(400, 20);
  fc3 = new nn.Linear(20, 400);
  fc4 = new nn.Linear(400, 784);

  encode(x: Tensor): [Tensor, Tensor] {
    const h1 = F.relu(this.fc1(x));
    return [this.fc21(h1), this.fc22(h1)];
  }

  reparameterize(mu: Tensor, logvar: Tensor): Tensor {
    const std = torch.exp(logvar.mul(0.5));
    const eps = torch.randn_like(std);
    return mu.add(eps.mul(std));
  }

  decode(z: Tensor): Tensor {
    const h3 = F.relu(this.fc3(z));
    return torch.sigmoid(this.fc4(h3));
  }

  override forward(x: Tensor): [Tensor, Tensor, Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784));
    const z = this.reparameterize(mu, logvar);
    return [this.decode(z), mu, logvar];
  }
}

const model = new VAE().to(device);
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });

// Reconstruction + KL divergence losses summed over all elements and batch
function loss_function(recon_x: Tensor, x: Tensor, mu: Tensor, logvar: Tensor): Tensor {
  const BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), { reduction: "sum" });

  // see Appendix B from VAE paper:
  // Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
  // https://arxiv.org/abs/1312.6114
  // 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
  const KLD = torch.sum(torch.add(1, logvar).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);

  return BCE.add(KLD);
}

function train(epoch: number): void {
  model.train();
  let train_loss = 0;
  let batch_idx = 0;
  for (let [data] of train_loader) {
    data = data.to(device);
    optimizer.zero_grad();
    const [recon_batch, mu, logvar] = model(data);
    const loss = loss_function(recon_batch, data, mu, logvar);
    loss.backward();
    train_loss += loss.item();
    optimizer.step();
    if (batch_idx % args.log_interval === 0) {
      print(`Train Epoch: ${epoch} [${batch_idx * data.length}/${train_loader.dataset.length} ` +
        `(${fixed((100 * batch_idx) / train_loader.length, 0)}%)]\tLoss: ${fixed(loss.item() / data.length, 6)}`);
    }
    batch_idx++;
  }

  print(`====> Epoch: ${epoch} Average loss: ${fixed(train_loss / train_loader.dataset.length, 4)}`);
}

function test(epoch: number): void {
  model.eval();
  let test_loss = 0;
  torch.no_grad(() => {
    let i = 0;
    for (let [data] of test_loader) {
      data = data.to(device);
      const [recon_batch, mu, logvar] = model(data);
      test_loss += loss_function(recon_batch, data, mu, logvar).item();
      if (i === 0) {
        const n = Math.min(data.size(0), 8);
        const comparison = torch.cat([data.index(torch.slice(n)),
          recon_batch.view(args.batch_size, 1, 28, 28).index(torch.slice(n))]);
        save_image(comparison.cpu(),
          "results/reconstruction_" + String(epoch) + ".png", { nrow: n });
      }
      i++;
    }
  });

  test_loss /= test_loader.dataset.length;
  print(`====> Test set loss: ${fixed(test_loss, 4)}`);
}

for (let epoch = 1; epoch < args.epochs + 1; epoch++) {
  train(epoch);
  test(epoch);
  torch.no_grad(() => {
    let sample = torch.randn(64, 20).to(device);
    sample = model.decode(sample).cpu();
    save_image(sample.view(64, 1, 28, 28),
      "results/sample_" + String(epoch) + ".png");
  });
}
