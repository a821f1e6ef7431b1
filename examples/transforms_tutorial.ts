// "Learn the Basics: Transforms" (pytorch/tutorials beginner_source/basics/transforms_tutorial.py;
// BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors). The FashionMNIST download is replaced
// by vision.ts's FakeFashionMNIST, whose ToTensor and Lambda compute torchvision's; the tutorial
// builds the dataset and the one-hot target transform without printing anything, so this prints what
// they give (a sample's image and one-hot label, the target transform of each class, a batch).
// Everything else is the tutorial's program, translated by the rules of shared/API.md (torch.tensor(y)
// of a label asks for int64, as a JavaScript number has no integer type: shared/API.md §4);
// tools/examples_py/transforms_tutorial.py is the same program in Python, and test/examples.test.ts
// checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/transforms_tutorial.ts

import torch, { type Tensor } from "typetorch";
import { print, fixed, list } from "./pyprint.js";
import { FakeFashionMNIST, ToTensor, Lambda } from "./vision.js";

const { DataLoader } = torch.utils.data;

const ds = new FakeFashionMNIST({
  root: "data",
  train: true,
  download: true,
  transform: ToTensor(),
  target_transform: Lambda((y: number) => torch.zeros(10, { dtype: torch.float }).scatter_(0, torch.tensor(y, { dtype: torch.long }), { value: 1 })),
});

// ToTensor(): the image's pixel intensities as floats in [0., 1.]
const [img, target] = ds.__getitem__(0);
const f4 = (t: Tensor) => fixed(t.item(), 4);
print(`image: ${img.shape} ${img.dtype}, min ${f4(img.min())}, max ${f4(img.max())}, sum ${f4(img.sum())}`);
print(`raw pixels ${list(ds.data.index(0, 0, torch.slice(null, 6)).tolist() as number[])} -> ${img.index(0, 0, torch.slice(null, 6))}`);
print(`target: ${target}`);

// Lambda Transforms: an integer label to a one-hot encoded tensor
const target_transform = Lambda((y: number) => torch.zeros(
  10, { dtype: torch.float }).scatter_({ dim: 0, index: torch.tensor(y, { dtype: torch.long }), value: 1 }));
print(torch.stack(Array.from({ length: 10 }, (_, y) => target_transform(y))));

const [images, targets] = new DataLoader(ds, { batch_size: 8 })[Symbol.iterator]().next().value as [Tensor, Tensor];
print(images.shape, targets.shape, targets.argmax(1), ds.targets.index(torch.slice(null, 8)));
