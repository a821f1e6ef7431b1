#!/usr/bin/python3
"""Golden data for tensors printed C++'s way (ATen's `ostream << tensor`, src/core/printing.ts's
cppTensorString), as PyTorch's messages quote them: the whole message of torch.meshgrid given a
tensor of more than one dim, which ends with that tensor printed (test/shape.test.ts).

    /work/.venv-torch/bin/python tools/gen_golden_cpp_print.py   # writes test/golden/cpp_print.json

Each case: the tensor ({dtype, shape, data}) and PyTorch's message. The values cover ATen's
formats: integers, fixed point with 4 decimals, fixed point under a common scale, scientific,
non-finite values, blocks of columns wider than 80 characters, and 3-d and 4-d tensors (one
matrix per index of the leading dims).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, error_of, write_cases  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "cpp_print.json")

nan, inf = float("nan"), float("inf")
TENSORS = {
    "fixed": torch.tensor([[1.5, 2.25], [3.0, 4.0]]),
    "scientific": torch.tensor([[1e-5, 2e3]]),
    "scientific wide": torch.tensor([[123456.7, 2.5], [3.25, -4.0]]),
    "integers": torch.tensor([[-1.0, -2.0], [-30.0, 4.0]]),
    "integers scientific": torch.tensor([[1e10, 2.0], [3.0, 4.0]]),
    "integers six digits": torch.tensor([[123456.0, 2.0]]),
    "non-finite": torch.tensor([[nan, 1.5], [inf, -2.25]]),
    "scaled small": torch.tensor([[0.001234, 0.002], [0.003, -0.0005]]),
    "scaled large": torch.tensor([[123456.5, 234567.25], [345678.0, 456789.125]], dtype=torch.float64),
    "columns": torch.arange(40, dtype=torch.float32).view(2, 20) * 1.5,
    "3-d": torch.arange(12, dtype=torch.float32).view(2, 3, 2) / 4,
    "4-d": torch.arange(16, dtype=torch.float32).view(2, 2, 2, 2),
    "int64": torch.tensor([[1, 2], [3, 40000]]),
    "int32": torch.tensor([[7, -8]], dtype=torch.int32),
    "bool": torch.tensor([[True, False]]),
    "float16": torch.tensor([[1.5, 2.0]], dtype=torch.float16),
    "empty": torch.zeros(0, 2),
}


def main():
    cases = [{"name": name, "tensor": enc_tensor(t),
              "error": error_of(lambda: torch.meshgrid(t, t.new_zeros(2), indexing="ij"))}
             for name, t in TENSORS.items()]
    write_cases(OUT, "tools/gen_golden_cpp_print.py", cases)


if __name__ == "__main__":
    main()
