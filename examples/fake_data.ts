// MNIST/FashionMNIST-shaped synthetic data for the examples that stand in for torchvision's
// downloads: 28x28 grey images in 10 classes, each a fixed random prototype of its class (shifted
// by up to `shift` pixels), scaled by `signal`, plus uniform noise, from a generator seeded with
// `seed`. tools/examples_py/_fake_data.py is the same in Python.

import torch, { type Tensor } from "typetorch";

const PROTOTYPES = torch.rand(10, 1, 28, 28, { generator: new torch.Generator().manual_seed(0) });

export class FakeImages extends torch.utils.data.Dataset<[Tensor, number]> {
  targets: Tensor;
  data: Tensor;

  constructor(n: number, seed: number, signal = 0.5, shift = 0) {
    super();
    const g = new torch.Generator().manual_seed(seed);
    this.targets = torch.randint(10, [n], { generator: g });
    let images: Tensor;
    if (shift) {
      const shifts = torch.randint(-shift, shift + 1, [n, 2], { generator: g });
      const rolled: Tensor[] = [];
      for (let i = 0; i < n; i++) {
        const [dy, dx] = shifts.index(i).tolist() as [number, number];
        rolled.push(PROTOTYPES.index(this.targets.index(i)).roll([dy, dx], [1, 2]));
      }
      images = torch.stack(rolled);
    } else {
      images = PROTOTYPES.index(this.targets);
    }
    this.data = images.mul(signal).add(torch.rand(n, 1, 28, 28, { generator: g }).mul(1 - signal));
  }

  override __len__(): number {
    return this.targets.shape[0]!;
  }

  override __getitem__(idx: number): [Tensor, number] {
    return [this.data.index(idx), this.targets.index(idx).item()];
  }
}
