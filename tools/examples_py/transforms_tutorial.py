# "Learn the Basics: Transforms" (pytorch/tutorials beginner_source/basics/transforms_tutorial.py;
# BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors). The FashionMNIST download is replaced
# by _vision.py's FakeFashionMNIST, whose ToTensor and Lambda compute torchvision's; the tutorial
# builds the dataset and the one-hot target transform without printing anything, so this prints what
# they give (a sample's image and one-hot label, the target transform of each class, a batch).
# Everything else is the tutorial's program.
import torch
from torch.utils.data import DataLoader

from _vision import FakeFashionMNIST, ToTensor, Lambda

ds = FakeFashionMNIST(
    root="data",
    train=True,
    download=True,
    transform=ToTensor(),
    target_transform=Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))
)

# ToTensor(): the image's pixel intensities as floats in [0., 1.]
img, target = ds[0]
print(f"image: {img.shape} {img.dtype}, min {img.min():.4f}, max {img.max():.4f}, sum {img.sum():.4f}")
print(f"raw pixels {ds.data[0, 0, :6].tolist()} -> {img[0, 0, :6]}")
print(f"target: {target}")

# Lambda Transforms: an integer label to a one-hot encoded tensor
target_transform = Lambda(lambda y: torch.zeros(
    10, dtype=torch.float).scatter_(dim=0, index=torch.tensor(y), value=1))
print(torch.stack([target_transform(y) for y in range(10)]))

images, targets = next(iter(DataLoader(ds, batch_size=8)))
print(images.shape, targets.shape, targets.argmax(1), ds.targets[:8])
