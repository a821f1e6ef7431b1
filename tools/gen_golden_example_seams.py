#!/usr/bin/env python3
"""Golden data for test/example_seams.test.ts: the pieces that porting pytorch/examples and the
tutorials (examples/*.ts) found missing or different, checked here one by one: nn.DataParallel
and nn.parallel.data_parallel on a machine without CUDA, the Tensor.is_<device> properties, and
torch.Size (what Tensor.size() returns) as it prints.
Run under PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_example_seams.py
"""
import json
import os

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    raise SystemExit(f"{fn} did not raise")


def main():
    torch.manual_seed(0)
    lin = nn.Linear(3, 2)
    x = torch.randn(4, 3)
    dp = nn.DataParallel(lin)
    named = nn.parallel.DataParallel(module=nn.Sequential(nn.Linear(3, 2), nn.ReLU()), device_ids=[0], dim=0)
    data_parallel = {
        "repr": repr(dp),
        "repr_named": repr(named),
        "state_dict_keys": list(dp.state_dict().keys()),
        "device_ids": dp.device_ids,
        "device_ids_named": named.device_ids,
        "module_is_lin": dp.module is lin,
        "x": x.tolist(),
        "out": dp(x).tolist(),
        "error": error_of(lambda: nn.parallel.data_parallel(lin, x, [0])),
        "error_no_ids": error_of(lambda: nn.parallel.data_parallel(lin, x)),
    }
    t = torch.zeros(2)
    is_device = {k: getattr(t, k) for k in ["is_cpu", "is_cuda", "is_xpu", "is_mps", "is_meta"]}
    x = torch.zeros(3, 28, 28)
    size = {
        "str": str(x.size()), "repr": repr(x.size()), "fstring": f"Size: {x.size()}", "numel": x.size().numel(),
        "scalar": str(torch.zeros(()).size()), "made": str(torch.Size([2, 5])), "made_numel": torch.Size([2, 5]).numel(),
        "index": x.size()[1], "len": len(x.size()),
    }
    out = {"torch_version": torch.__version__, "data_parallel": data_parallel, "is_device": is_device, "size": size}
    with open(os.path.join(ROOT, "test", "golden", "example_seams.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
