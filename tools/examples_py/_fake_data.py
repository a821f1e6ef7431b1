# MNIST/FashionMNIST-shaped synthetic data for the examples that stand in for torchvision's
# downloads: 28x28 grey images in 10 classes, each a fixed random prototype of its class (shifted
# by up to `shift` pixels), scaled by `signal`, plus uniform noise, from a generator seeded with
# `seed`. examples/fake_data.ts is the same in TypeScript. (The leading underscore keeps
# tools/gen_examples_golden.py from running it as an example.)
import torch
from torch.utils.data import Dataset

PROTOTYPES = torch.rand(10, 1, 28, 28, generator=torch.Generator().manual_seed(0))


class FakeImages(Dataset):
    def __init__(self, n, seed, signal=0.5, shift=0):
        g = torch.Generator().manual_seed(seed)
        self.targets = torch.randint(10, (n,), generator=g)
        if shift:
            shifts = torch.randint(-shift, shift + 1, (n, 2), generator=g)
            images = torch.stack([PROTOTYPES[t].roll((int(s[0]), int(s[1])), (1, 2)) for t, s in zip(self.targets, shifts)])
        else:
            images = PROTOTYPES[self.targets]
        self.data = images * signal + torch.rand(n, 1, 28, 28, generator=g) * (1 - signal)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, idx):
        return self.data[idx], int(self.targets[idx])
