#!/usr/bin/env python3
"""A safetensors file written by Python's `safetensors` package, for test/io.test.ts.

Needs PyTorch and the `safetensors` package (e.g. a virtual environment with both):

    PYTHONPATH=/path/to/site-packages/with/torch2 /path/to/venv/bin/python tools/gen_golden_safetensors.py

It writes test/fixtures/python_all_dtypes.safetensors with safetensors.torch.save_file (one tensor
of every dtype typetorch has, a 0-d and an empty tensor, names that JavaScript objects would
reorder, and metadata), and test/golden/safetensors.json with what the file holds (values as
PyTorch reads them back, the header as written, the order of the tensors' data), so the test
can check both our reader on Python's file and our writer against Python's bytes.

    ... tools/gen_golden_safetensors.py --check FILE

reads FILE (e.g. one written by typetorch's torch.save) with Python's safetensors and prints
each tensor and the metadata: the check, done by hand, that Python reads our files.
"""
import json
import math
import os
import struct

import torch
import safetensors
from safetensors.torch import save_file, load_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURE = os.path.join(ROOT, "test", "fixtures", "python_all_dtypes.safetensors")
GOLDEN = os.path.join(ROOT, "test", "golden", "safetensors.json")
DT = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16", torch.bfloat16: "bfloat16",
      torch.int64: "int64", torch.int32: "int32", torch.int16: "int16", torch.int8: "int8", torch.uint8: "uint8",
      torch.bool: "bool"}


def enc(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2 ** 53:
        return str(v)
    return v


def main():
    torch.manual_seed(0)
    tensors = {
        "layer.weight": torch.randn(3, 4),
        "layer.bias": torch.tensor([1.5, -2.25, float("inf"), float("nan")], dtype=torch.float32),
        "double": torch.randn(2, 2, dtype=torch.float64),
        "half": torch.tensor([1.0, -0.5, 65504.0, 6e-8, float("-inf"), 0.1], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -3.140625], [1e30, 0.1]], dtype=torch.bfloat16),
        "long": torch.tensor([0, -1, 2 ** 62 + 12345, -(2 ** 63)], dtype=torch.int64),
        "int": torch.tensor([[7, -8, 2 ** 31 - 1]], dtype=torch.int32),
        "short": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "char": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "byte": torch.arange(250, 256, dtype=torch.uint8),
        "mask": torch.tensor([[True, False, True]]),
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
        "cube": torch.arange(24, dtype=torch.float32).reshape(2, 3, 4),
        "10": torch.tensor([10.0]),
        "2": torch.tensor([2.0]),
        "ünïcödé": torch.tensor([1, 2], dtype=torch.int32),
    }
    metadata = {"format": "pt", "note": "written by Python safetensors " + safetensors.__version__}
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    save_file(tensors, FIXTURE, metadata=metadata)
    raw = open(FIXTURE, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header_text = raw[8:8 + n].decode("utf-8")
    header = json.loads(header_text)
    back = load_file(FIXTURE)
    data_order = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
    out = {
        "safetensors_version": safetensors.__version__, "torch_version": torch.__version__,
        "file": os.path.basename(FIXTURE), "size": len(raw), "header_length": n, "header_text": header_text,
        "metadata": metadata, "data_order": data_order,
        "tensors": {k: {"dtype": DT[t.dtype], "shape": list(t.shape),
                        "data": [enc(v) for v in t.reshape(-1).tolist()],
                        "dtype_name": header[k]["dtype"]} for k, t in back.items()},
    }
    with open(GOLDEN, "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1, allow_nan=False)
        f.write("\n")


def check(path):
    from safetensors import safe_open
    for k, v in load_file(path).items():
        print(k, v.dtype, tuple(v.shape), v.tolist())
    with safe_open(path, "pt") as f:
        print("metadata:", f.metadata())


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
