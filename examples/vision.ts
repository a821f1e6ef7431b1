// What the Learn the Basics pages take from torchvision, which these programs do without (it is not
// part of PyTorch, and its FashionMNIST is a download): FakeFashionMNIST, a stand-in for
// datasets.FashionMNIST whose images are fake_data.ts's FakeImages as uint8 28x28 arrays (what
// FashionMNIST hands its transform, as a NumPy-style array, {data, shape}, rather than a PIL image);
// ToTensor and Lambda, torchvision.transforms' two that the pages use, as torchvision computes them
// (ToTensor: an HxW or HxWxC uint8 array to a CxHxW float32 tensor divided by 255); and read_image,
// torchvision.io's, for the binary PGM files in examples/data/fashion_small (a uint8 1xHxW tensor:
// what read_image gives for a grey image). tools/examples_py/_vision.py is the same in Python.

import { readFileSync } from "node:fs";
import torch, { type Tensor } from "typetorch";
import { FakeImages } from "./fake_data.js";

/** A NumPy-style array, as t.numpy() returns and torch.from_numpy takes. */
export interface NdArray { data: ArrayBufferView; shape: readonly number[]; strides?: readonly number[]; dtype?: string }
/** A transform: torchvision's are callables. */
export type Transform<I, O> = (x: I) => O;

export interface FashionMNISTOptions<X, Y> {
  root: string; train?: boolean; download?: boolean;
  transform?: Transform<NdArray, X> | null; target_transform?: Transform<number, Y> | null;
}

/** datasets.FashionMNIST({root, train, download, transform, target_transform}) on FakeImages: 1000
 *  training images (seed 1), 200 test images (seed 2). */
export class FakeFashionMNIST<X = NdArray, Y = number> extends torch.utils.data.Dataset<[X, Y]> {
  data: Tensor;
  targets: Tensor;
  transform: Transform<NdArray, X> | null;
  target_transform: Transform<number, Y> | null;

  constructor({ train = true, transform = null, target_transform = null }: FashionMNISTOptions<X, Y>) {
    super();
    const fake = train ? new FakeImages(1000, 1) : new FakeImages(200, 2);
    this.data = fake.data.index(torch.slice(), 0).mul(255).to(torch.uint8);
    this.targets = fake.targets;
    this.transform = transform;
    this.target_transform = target_transform;
  }

  override __len__(): number {
    return this.data.length;
  }

  override __getitem__(index: number): [X, Y] {
    const img = this.data.index(index).numpy(), target = this.targets.index(index).item();
    return [this.transform ? this.transform(img) : img as X, this.target_transform ? this.target_transform(target) : target as Y];
  }
}

/** transforms.ToTensor(): an HxW or HxWxC uint8 array to a CxHxW tensor of the default float
 *  dtype, divided by 255. */
export function ToTensor(): Transform<NdArray, Tensor> {
  return (pic) => {
    let img = torch.from_numpy(pic);
    if (img.ndim === 2) img = img.unsqueeze(-1);
    return img.permute(2, 0, 1).contiguous().to({ dtype: torch.get_default_dtype() }).div(255);
  };
}

/** transforms.Lambda(lambd): the function itself. */
export function Lambda<I, O>(lambd: (x: I) => O): Transform<I, O> {
  return (x) => lambd(x);
}

/** torchvision.io.read_image for a binary PGM file (P5, maxval < 256): a uint8 1xHxW tensor. */
export function read_image(path: string): Tensor {
  const bytes = readFileSync(path);
  // the header: "P5", width, height, maxval, separated by whitespace, then one whitespace byte
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString("latin1"));
  if (!header || Number(header[3]) > 255) throw new Error(`${path}: not an 8-bit binary PGM file`);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = Uint8Array.from(bytes.subarray(header[0].length, header[0].length + w * h));
  return torch.from_numpy({ data: pixels, shape: [1, h, w] });
}
