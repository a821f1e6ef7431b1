// "Learn the Basics: Datasets & DataLoaders" (pytorch/tutorials beginner_source/basics/data_tutorial.py;
// BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors), seeded (torch.manual_seed(0)). The
// FashionMNIST download is replaced by vision.ts's FakeFashionMNIST and ToTensor, the plots by
// printing what they show (each sample's index, title and image shape; the batch's first image's
// shape), and the tutorial's CustomImageDataset, which it defines but never loads, is run on the six
// small images of examples/data/fashion_small (binary PGM files read by vision.ts's read_image, its
// labels.csv split into lines and fields where the tutorial uses pandas, which reads the same first
// row as its header), with a transform and the one-hot target_transform of the Transforms page,
// through a DataLoader. Everything else is the tutorial's program, translated by the rules of
// shared/API.md; tools/examples_py/data_tutorial.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/data_tutorial.ts

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import torch, { type Tensor } from "typetorch";
import { print, fixed } from "./pyprint.js";
import { FakeFashionMNIST as FashionMNIST, ToTensor, Lambda, read_image, type Transform } from "./vision.js";

const { Dataset } = torch.utils.data;
const SMALL = fileURLToPath(new URL("./data/fashion_small", import.meta.url));

torch.manual_seed(0);

const training_data = new FashionMNIST({
  root: "data",
  train: true,
  download: true,
  transform: ToTensor(),
});

const test_data = new FashionMNIST({
  root: "data",
  train: false,
  download: true,
  transform: ToTensor(),
});

// Iterating and Visualizing the Dataset
const labels_map: Record<number, string> = {
  0: "T-Shirt",
  1: "Trouser",
  2: "Pullover",
  3: "Dress",
  4: "Coat",
  5: "Sandal",
  6: "Shirt",
  7: "Sneaker",
  8: "Bag",
  9: "Ankle Boot",
};
const [cols, rows] = [3, 3];
for (let i = 1; i < cols * rows + 1; i++) {
  const sample_idx = torch.randint(training_data.length, { size: [1] }).item();
  const [img, label] = training_data.__getitem__(sample_idx);
  print(`subplot ${i}: sample ${sample_idx}, title ${labels_map[label]}, image ${img.squeeze().shape}`);
}

// Creating a Custom Dataset for your files
class CustomImageDataset<X = Tensor, Y = number> extends Dataset<[X, Y]> {
  img_labels: string[][];
  img_dir: string;
  transform: Transform<Tensor, X> | null;
  target_transform: Transform<number, Y> | null;

  constructor(annotations_file: string, img_dir: string, transform: Transform<Tensor, X> | null = null, target_transform: Transform<number, Y> | null = null) {
    super();
    this.img_labels = readFileSync(annotations_file, "utf8").trim().split("\n").slice(1).map((line) => line.split(","));
    this.img_dir = img_dir;
    this.transform = transform;
    this.target_transform = target_transform;
  }

  override __len__(): number {
    return this.img_labels.length;
  }

  override __getitem__(idx: number): [X, Y] {
    const img_path = join(this.img_dir, this.img_labels[idx]![0]!);
    const image = read_image(img_path);
    const label = Number(this.img_labels[idx]![1]);
    return [this.transform ? this.transform(image) : image as X, this.target_transform ? this.target_transform(label) : label as Y];
  }
}

// Preparing your data for training with DataLoaders
const { DataLoader } = torch.utils.data;

const train_dataloader = new DataLoader(training_data, { batch_size: 64, shuffle: true });
const test_dataloader = new DataLoader(test_data, { batch_size: 64, shuffle: true });

// Iterate through the DataLoader
// Display image and label.
const [train_features, train_labels] = train_dataloader[Symbol.iterator]().next().value as [Tensor, Tensor];
print(`Feature batch shape: ${train_features.size()}`);
print(`Labels batch shape: ${train_labels.size()}`);
const img = train_features.index(0).squeeze();
const label = train_labels.index(0);
print(`Image: ${img.shape}, mean ${fixed(img.mean().item(), 6)}`);
print(`Label: ${label.item()}`);
print(`Batches: ${train_dataloader.length} training, ${test_dataloader.length} test, of ${train_dataloader.dataset.length} and ${test_dataloader.dataset.length} samples`);

// The custom dataset on files
const custom = new CustomImageDataset(
  join(SMALL, "labels.csv"), join(SMALL, "img"),
  Lambda((image: Tensor) => image.float().div(255)),
  Lambda((y: number) => torch.zeros(10, { dtype: torch.float }).scatter_(0, torch.tensor(y, { dtype: torch.long }), { value: 1 })),
);
print(`CustomImageDataset: ${custom.length} images`);
const [image, onehot] = custom.__getitem__(2);
print(image.shape, image.dtype, fixed(image.sum().item(), 4), onehot);
for (const [images, labels] of new DataLoader(custom, { batch_size: 4, shuffle: true })) {
  print(images.shape, labels.argmax(1), images.mean([1, 2, 3]));
}
