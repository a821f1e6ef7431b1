// DCGAN (pytorch/examples dcgan/main.py), small: the command line is `--dataset fake` with
// --batchSize 16 --nz 16 --ngf 8 --ndf 8 --niter 2 --manualSeed 999, torchvision's FakeData by 32
// uniform random images in [-1, 1] (a TensorDataset, from a seeded generator, as `data[0]` reads
// them), torchvision's save_image by a save_image that prints what it would save instead of
// writing a PNG, and the checkpoints go to the system's temporary directory. Everything else is the
// example's program (the 64x64 networks of five strided convolutions each, BatchNorm2d, Adam),
// translated by the rules of shared/API.md; tools/examples_py/dcgan.py is the same program in
// Python, and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/dcgan.ts

import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, namespace, print } from "./pyprint.js";

const cudnn = torch.backends.cudnn;

function save_image(tensor: Tensor, fp: string, { normalize = false } = {}): void {
  print(`save_image: ${fp} (${tensor.shape.join(", ")}) normalize=${normalize ? "True" : "False"} mean=${fixed(tensor.mean().item(), 6)}`);
}

const opt = {
  dataset: "fake", dataroot: null, workers: 2, batchSize: 16, imageSize: 64, nz: 16,
  ngf: 8, ndf: 8, niter: 2, lr: 0.0002, beta1: 0.5, dry_run: false, ngpu: 1, netG: "",
  netD: "", outf: ".", manualSeed: 999 as number | null, classes: "bedroom", accel: false,
};
print(namespace(opt));
opt.outf = join(tmpdir(), "dcgan");

mkdirSync(opt.outf, { recursive: true });

if (opt.manualSeed === null) opt.manualSeed = 1 + Math.floor(Math.random() * 10000);
print("Random Seed: ", opt.manualSeed);
torch.manual_seed(opt.manualSeed);

cudnn.benchmark = true;

let device: torch.device;
if (opt.accel && torch.accelerator.is_available()) {
  device = torch.accelerator.current_accelerator()!;
} else {
  device = torch.device("cpu");
}

print(`Using device: ${device}`);

if (opt.dataroot === null && String(opt.dataset).toLowerCase() !== "fake") {
  throw new Error(`ValueError: \`dataroot\` parameter is required for dataset "${opt.dataset}"`);
}

let dataset: torch.utils.data.TensorDataset | undefined;
let nc = 0;
if (opt.dataset === "fake") {
  const images = torch.rand(32, 3, opt.imageSize, opt.imageSize, { generator: new torch.Generator().manual_seed(1) }).mul(2).sub(1);
  dataset = new torch.utils.data.TensorDataset(images, torch.zeros(32, { dtype: torch.long }));
  nc = 3;
}

if (!dataset) throw new Error("AssertionError");
const dataloader = new torch.utils.data.DataLoader(dataset, {
  batch_size: opt.batchSize,
  shuffle: true, num_workers: opt.workers,
});

const ngpu = opt.ngpu;
const nz = opt.nz;
const ngf = opt.ngf;
const ndf = opt.ndf;

// custom weights initialization called on netG and netD
function weights_init(m: nn.Module): void {
  const classname = m.constructor.name;
  if (classname.includes("Conv")) {
    torch.nn.init.normal_((m as nn.Conv2d).weight, 0.0, 0.02);
  } else if (classname.includes("BatchNorm")) {
    torch.nn.init.normal_((m as nn.BatchNorm2d).weight!, 1.0, 0.02);
    torch.nn.init.zeros_((m as nn.BatchNorm2d).bias!);
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

class Generator extends nn.Module {
  main = new nn.Sequential(
    // input is Z, going into a convolution
    new nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, { bias: false }),
    new nn.BatchNorm2d(ngf * 8),
    new nn.ReLU(true),
    // state size. (ngf*8) x 4 x 4
    new nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ngf * 4),
    new nn.ReLU(true),
    // state size. (ngf*4) x 8 x 8
    new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ngf * 2),
    new nn.ReLU(true),
    // state size. (ngf*2) x 16 x 16
    new nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ngf),
    new nn.ReLU(true),
    // state size. (ngf) x 32 x 32
    new nn.ConvTranspose2d(ngf, nc, 4, 2, 1, { bias: false }),
    new nn.Tanh(),
    // state size. (nc) x 64 x 64
  );

  constructor(readonly ngpu: number) {
    super();
  }

  override forward(input: Tensor): Tensor {
    let output: Tensor;
    if ((input.is_cuda || input.is_xpu) && this.ngpu > 1) {
      output = nn.parallel.data_parallel(this.main, input, range(this.ngpu));
    } else {
      output = this.main(input);
    }
    return output;
  }
}

const netG = new Generator(ngpu).to(device);
netG.apply(weights_init);
if (opt.netG !== "") netG.load_state_dict(torch.load(opt.netG));
print(netG);

class Discriminator extends nn.Module {
  main = new nn.Sequential(
    // input is (nc) x 64 x 64
    new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf) x 32 x 32
    new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ndf * 2),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf*2) x 16 x 16
    new nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ndf * 4),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf*4) x 8 x 8
    new nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ndf * 8),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf*8) x 4 x 4
    new nn.Conv2d(ndf * 8, 1, 4, 1, 0, { bias: false }),
    new nn.Sigmoid(),
  );

  constructor(readonly ngpu: number) {
    super();
  }

  override forward(input: Tensor): Tensor {
    let output: Tensor;
    if ((input.is_cuda || input.is_xpu) && this.ngpu > 1) {
      output = nn.parallel.data_parallel(this.main, input, range(this.ngpu));
    } else {
      output = this.main(input);
    }

    return output.view(-1, 1).squeeze(1);
  }
}

const netD = new Discriminator(ngpu).to(device);
netD.apply(weights_init);
if (opt.netD !== "") netD.load_state_dict(torch.load(opt.netD));
print(netD);

const criterion = new nn.BCELoss();

const fixed_noise = torch.randn(opt.batchSize, nz, 1, 1, { device });
const real_label = 1;
const fake_label = 0;

// setup optimizer
const optimizerD = new optim.Adam(netD.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });
const optimizerG = new optim.Adam(netG.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });

if (opt.dry_run) opt.niter = 1;

const f4 = (x: number): string => fixed(x, 4);
for (let epoch = 0; epoch < opt.niter; epoch++) {
  let i = 0;
  for (const data of dataloader) {
    // ############################
    // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
    // ###########################
    // train with real
    netD.zero_grad();
    const real_cpu = data[0]!.to(device);
    const batch_size = real_cpu.size(0);
    const label = torch.full([batch_size], real_label,
      { dtype: real_cpu.dtype, device });

    let output = netD(real_cpu);
    const errD_real = criterion(output, label);
    errD_real.backward();
    const D_x = output.mean().item();

    // train with fake
    const noise = torch.randn(batch_size, nz, 1, 1, { device });
    let fake = netG(noise);
    label.fill_(fake_label);
    output = netD(fake.detach());
    const errD_fake = criterion(output, label);
    errD_fake.backward();
    const D_G_z1 = output.mean().item();
    const errD = errD_real.add(errD_fake);
    optimizerD.step();

    // ############################
    // (2) Update G network: maximize log(D(G(z)))
    // ###########################
    netG.zero_grad();
    label.fill_(real_label); // fake labels are real for generator cost
    output = netD(fake);
    const errG = criterion(output, label);
    errG.backward();
    const D_G_z2 = output.mean().item();
    optimizerG.step();

    print(`[${epoch}/${opt.niter}][${i}/${dataloader.length}] Loss_D: ${f4(errD.item())} Loss_G: ${f4(errG.item())} ` +
      `D(x): ${f4(D_x)} D(G(z)): ${f4(D_G_z1)} / ${f4(D_G_z2)}`);
    if (i % 100 === 0) {
      save_image(real_cpu,
        `${"results"}/real_samples.png`,
        { normalize: true });
      fake = netG(fixed_noise);
      save_image(fake.detach(),
        `${"results"}/fake_samples_epoch_${String(epoch).padStart(3, "0")}.png`,
        { normalize: true });
    }

    if (opt.dry_run) break;
    i++;
  }
  // do checkpointing
  torch.save(netG.state_dict(), `${opt.outf}/netG_epoch_${epoch}.pth`);
  torch.save(netD.state_dict(), `${opt.outf}/netD_epoch_${epoch}.pth`);
}
