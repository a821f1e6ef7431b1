#!/usr/bin/env python3
"""Golden data for test/torch_misc.test.ts: torch.finfo / torch.iinfo (fields and printed form),
torch.backends' flags on a CPU-only build, torch.accelerator without an accelerator,
Tensor.type(), and the legacy constructors torch.Tensor(...) / torch.FloatTensor(...), with their
errors. Run under PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_torch_misc.py
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import dname, enc_num, error_record  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    floats = [torch.float16, torch.bfloat16, torch.float32, torch.float64]
    ints = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]
    finfo = {dname(d): {"str": str(torch.finfo(d)), "bits": torch.finfo(d).bits, "eps": torch.finfo(d).eps,
                        "max": torch.finfo(d).max, "min": torch.finfo(d).min, "tiny": torch.finfo(d).tiny,
                        "smallest_normal": torch.finfo(d).smallest_normal, "resolution": torch.finfo(d).resolution,
                        "dtype": torch.finfo(d).dtype} for d in floats}
    iinfo = {dname(d): {"str": str(torch.iinfo(d)), "bits": torch.iinfo(d).bits, "max": str(torch.iinfo(d).max),
                        "min": str(torch.iinfo(d).min), "dtype": torch.iinfo(d).dtype} for d in ints}
    info_errors = {
        "finfo_int": error_record(lambda: torch.finfo(torch.int32)),
        "finfo_bool": error_record(lambda: torch.finfo(torch.bool)),
        "iinfo_float": error_record(lambda: torch.iinfo(torch.float32)),
        "iinfo_bool": error_record(lambda: torch.iinfo(torch.bool)),
    }
    b = torch.backends
    backends = {
        "cudnn": {"enabled": b.cudnn.enabled, "benchmark": b.cudnn.benchmark, "deterministic": b.cudnn.deterministic,
                  "allow_tf32": b.cudnn.allow_tf32, "benchmark_limit": b.cudnn.benchmark_limit,
                  "is_available": b.cudnn.is_available(), "version": b.cudnn.version()},
        "cuda": {"is_built": b.cuda.is_built(), "matmul": {
            "allow_tf32": b.cuda.matmul.allow_tf32,
            "allow_fp16_reduced_precision_reduction": b.cuda.matmul.allow_fp16_reduced_precision_reduction,
            "allow_bf16_reduced_precision_reduction": b.cuda.matmul.allow_bf16_reduced_precision_reduction}},
        "mps": {"is_available": b.mps.is_available(), "is_built": b.mps.is_built()},
    }
    acc = torch.accelerator
    accelerator = {
        "is_available": acc.is_available(), "current_accelerator": acc.current_accelerator(),
        "current_accelerator_checked": acc.current_accelerator(check_available=True), "device_count": acc.device_count(),
        "current_device_index": error_record(acc.current_device_index), "synchronize": error_record(acc.synchronize),
    }
    t = torch.tensor([1, 2])
    type_ = {
        "names": {dname(d): torch.zeros(1, dtype=d).type() for d in floats + ints + [torch.bool]},
        "cast_float": str(t.type(torch.float)), "cast_name": str(t.type("torch.DoubleTensor")),
        "same_is_self": t.type(torch.int64) is t, "bad_name": error_record(lambda: t.type("foo")),
        "quickstart": str((torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]).argmax(1) == torch.tensor([1, 1, 1])).type(torch.float).sum()),
    }
    def numpy_shared():
        same, cast = np.zeros(2, dtype=np.float32), np.zeros(2, dtype=np.int32)
        ts = torch.FloatTensor(same), torch.Tensor(same), torch.FloatTensor(cast)
        same[0], cast[0] = 5, 5
        return [t[0].item() == 5 for t in ts]

    legacy = {
        "sizes": str(torch.Tensor(2, 3).zero_()), "sizes_dtype": dname(torch.Tensor(2, 3).dtype),
        "data": str(torch.Tensor([[1, 2], [3, 4]])), "empty": str(torch.Tensor()), "empty_list": str(torch.Tensor([])),
        "float_tensor": str(torch.FloatTensor([1, 2])), "long_tensor": str(torch.LongTensor([1, 2])),
        "long_sizes": str(torch.LongTensor(3).zero_()), "double_sizes": str(torch.DoubleTensor(1, 2).zero_()),
        "alias": str(torch.Tensor(torch.ones(2, requires_grad=True))),
        "alias_long": str(torch.Tensor(torch.tensor([1, 2]))),
        # a NumPy array: shared where it has the constructor's dtype, else copied in that dtype
        "numpy_int32": str(torch.LongTensor(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32))),
        "numpy_float64": str(torch.LongTensor(np.array([1.5, -2.7]))),
        "numpy_shared": numpy_shared(),
        "errors": {
            "float": error_record(lambda: torch.Tensor(2.5)), "str": error_record(lambda: torch.Tensor("a")),
            "none": error_record(lambda: torch.Tensor(None)), "bool": error_record(lambda: torch.Tensor(True)),
            "size_str": error_record(lambda: torch.Tensor(2, "a")), "size_float": error_record(lambda: torch.Tensor(2, 2.5)),
            "negative": error_record(lambda: torch.Tensor(2, -1)),
            "float_of_long": error_record(lambda: torch.FloatTensor(torch.tensor([1, 2]))),
            "long_of_float": error_record(lambda: torch.LongTensor(torch.tensor([1.0]))),
        },
        "isinstance": [isinstance(torch.zeros(2), torch.FloatTensor), isinstance(torch.zeros(2, dtype=torch.float64), torch.FloatTensor),
                       isinstance(torch.zeros(2, dtype=torch.int64), torch.LongTensor)],
    }
    # torch.tensor of a NumPy array: a copy, its dtype the array's unless given
    arr = np.array([[1, 2], [3, 4]], dtype=np.float32)
    copied = torch.tensor(arr)
    arr[0, 0] = 9
    numpy = {"float32": str(copied), "float64": str(torch.tensor(np.array([1.5, 2.5]))),
             "int32": str(torch.tensor(np.array([1, 2], dtype=np.int32))),
             "to_int64": str(torch.tensor(np.array([1.7, -2.0]), dtype=torch.int64, requires_grad=False))}
    # gradcheck/gradgradcheck and the random generator: the draws after them
    torch.manual_seed(0)
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([0.3, -0.2, 0.9], dtype=torch.float64, requires_grad=True)
    f = lambda a, b: (a * b).tanh().sum(1)  # noqa: E731
    g = lambda a: a.sin() * a  # noqa: E731
    rng = {"gradcheck": torch.autograd.gradcheck(f, (x, w)), "after_gradcheck": torch.rand(3).tolist()}
    rng["gradgradcheck"] = torch.autograd.gradgradcheck(f, (x, w))
    rng["after_gradgradcheck"] = torch.rand(3).tolist()
    rng["gradgradcheck_one_input"] = torch.autograd.gradgradcheck(g, (x,))
    rng["after_second"] = torch.randn(4, dtype=torch.float64).tolist()
    out = {"torch_version": torch.__version__, "gradcheck_rng": rng, "finfo": finfo, "iinfo": iinfo, "info_errors": info_errors,
           "backends": backends, "accelerator": accelerator, "type": type_, "legacy": legacy, "numpy": numpy}
    with open(os.path.join(ROOT, "test", "golden", "torch_misc.json"), "w") as f:
        json.dump(out, f, indent=1, default=enc_num)
        f.write("\n")


if __name__ == "__main__":
    main()
