# What the Learn the Basics pages take from torchvision, which these programs do without (it is not
# part of PyTorch, and its FashionMNIST is a download): FakeFashionMNIST, a stand-in for
# datasets.FashionMNIST whose images are _fake_data.py's FakeImages as uint8 28x28 arrays (what
# FashionMNIST hands its transform, as a NumPy array here rather than a PIL image);
# ToTensor and Lambda, torchvision.transforms' two that the pages use, as torchvision computes them
# (ToTensor: an HxW or HxWxC uint8 array to a CxHxW float32 tensor divided by 255); and read_image,
# torchvision.io's, for the binary PGM files in examples/data/fashion_small (a uint8 1xHxW tensor:
# what read_image gives for a grey image). examples/vision.ts is the same in TypeScript. (The leading
# underscore keeps tools/gen_examples_golden.py from running it as an example.)
import csv
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from _fake_data import FakeImages

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL = os.path.join(ROOT, "examples", "data", "fashion_small")


class FakeFashionMNIST(Dataset):
    """datasets.FashionMNIST(root, train, download, transform, target_transform) on FakeImages:
    1000 training images (seed 1), 200 test images (seed 2)."""

    def __init__(self, root, train=True, download=False, transform=None, target_transform=None):
        fake = FakeImages(1000, 1) if train else FakeImages(200, 2)
        self.data = (fake.data[:, 0] * 255).to(torch.uint8)
        self.targets = fake.targets
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = self.data[index].numpy(), int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target


class ToTensor:
    def __call__(self, pic):
        if pic.ndim == 2:
            pic = pic[:, :, None]
        img = torch.from_numpy(pic.transpose((2, 0, 1))).contiguous()
        return img.to(dtype=torch.get_default_dtype()).div(255)


class Lambda:
    def __init__(self, lambd):
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)


def read_image(path):
    return torch.from_numpy(np.array(Image.open(path))).unsqueeze(0)


def write_small_files():
    """examples/data/fashion_small: six 28x28 images of FakeImages(6, 3) as binary PGM files and
    labels.csv naming each with its class (written when missing; the files are committed)."""
    if os.path.exists(os.path.join(SMALL, "labels.csv")):
        return
    fake = FakeImages(6, 3)
    names = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankleboot"]
    os.makedirs(os.path.join(SMALL, "img"), exist_ok=True)
    rows = []
    for i in range(len(fake)):
        label = int(fake.targets[i])
        name = f"{names[label]}{i + 1}.pgm"
        Image.fromarray((fake.data[i, 0] * 255).to(torch.uint8).numpy(), mode="L").save(os.path.join(SMALL, "img", name))
        rows.append([name, label])
    with open(os.path.join(SMALL, "labels.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "label"])
        writer.writerows(rows)
