"""Checks that the files typetorch writes open in PyTorch 2.x with weights_only=True, in Python's
safetensors (metadata included) and as a sharded checkpoint, and hold what typetorch saved.

    node --conditions=source --import tsx tools/write_pt_samples.ts /tmp/pt-samples
    /work/.venv-torch/bin/python tools/check_pt_in_pytorch.py /tmp/pt-samples

Prints one line per check and exits non-zero if any fails.
"""

import json
import os
import sys

import torch

DIR = sys.argv[1] if len(sys.argv) > 1 else "pt-samples"
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f" ({detail})" if detail else ""))
    if not ok:
        failures.append(what)


def bits(t):
    c = t.detach().contiguous()
    if c.dtype in (torch.float16, torch.bfloat16):
        return c.view(torch.int16).flatten().tolist()
    if c.dtype == torch.float32:
        return c.view(torch.int32).flatten().tolist()
    if c.dtype in (torch.float64, torch.int64):
        return [str(v) for v in c.view(torch.int64).flatten().tolist()]
    return c.flatten().tolist()


def same(t, d, where):
    ok = (str(t.dtype) == "torch." + d["dtype"] and list(t.shape) == d["shape"] and list(t.stride()) == d["stride"]
          and t.storage_offset() == d["offset"] and t.requires_grad == d["requires_grad"] and bits(t) == d["bits"])
    check(f"{where}: dtype, shape, stride, offset, requires_grad and every bit", ok,
          "" if ok else f"{t.dtype} {list(t.shape)} {list(t.stride())} {t.storage_offset()} {t.requires_grad}")


manifest = json.load(open(os.path.join(DIR, "manifest.json")))
print("PyTorch", torch.__version__)

# The resume checkpoint: loads with weights_only=True into the same model and optimizer, and
# the model gives typetorch's outputs bit for bit.
ck = torch.load(os.path.join(DIR, "resume.pt"), weights_only=True)
check("resume.pt loads with weights_only=True", True, f"keys {sorted(ck)}")
check("its state_dict is an OrderedDict", type(ck["model"]).__name__ == "OrderedDict")
for k, d in manifest["resume"]["state"].items():
    same(ck["model"][k], d, f"resume.pt model.{k}")
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
print("     load_state_dict:", model.load_state_dict(ck["model"]))
model.eval()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
opt.load_state_dict(ck["optimizer"])
check("the optimizer state loads (int keys, tensors)", sorted(opt.state_dict()["state"].keys()) == list(range(6)),
      f"step {opt.state_dict()['state'][0]['step']}")
with torch.no_grad():
    out = model(ck["probe"])


def same_output(out, what):
    """The weights are checked bit for bit above; the forward pass itself may round differently
    (PyTorch's GEMM and batch-norm kernels against typetorch's): report how far apart it is."""
    expected = torch.tensor(manifest["resume"]["output"]["bits"], dtype=torch.int32).view(torch.float32).reshape(out.shape)
    diff = (out - expected).abs().max().item()
    exact = bits(out) == manifest["resume"]["output"]["bits"]
    check(f"{what} gives typetorch's output", diff <= 1e-6, "bit for bit" if exact else f"max |difference| {diff:.3g}: kernel rounding, not the file")


same_output(out, "the model loaded from resume.pt")
check("epoch and note", ck["epoch"] == 5 and ck["note"] == "typetorch")

v = torch.load(os.path.join(DIR, "values.pt"), weights_only=True)
for k, d in manifest["values"]["tensors"].items():
    same(v["tensors"][k], d, f"values.pt {k}")
for i, d in enumerate(manifest["values"]["views"]):
    same(v["views"][i], d, f"values.pt views[{i}]")
ptrs = {t.untyped_storage().data_ptr() for t in v["views"]}
check("views of one storage are views of one storage in PyTorch", len(ptrs) == 1)
check("a Parameter is a Parameter", isinstance(v["param"], torch.nn.Parameter) and v["param"].requires_grad)
check("nested values", v["nested"] == {"a": [1, 2.5, "s", True, None, 2**70, -3]}, repr(v["nested"]))
check("a dtype, a device, bytes, a set, a Map with a float key",
      (v["dtype"], v["device"], v["bytes"], v["set"], v["map"]) == (torch.bfloat16, torch.device("cpu"), b"\x00\xc8\xff", {1, 2}, {1.5: "x"}),
      repr((v["dtype"], v["device"], v["bytes"], v["set"], v["map"])))

from safetensors import safe_open
from safetensors.torch import load_file

st = load_file(os.path.join(DIR, "weights.safetensors"))
with safe_open(os.path.join(DIR, "weights.safetensors"), "pt") as f:
    meta = f.metadata()
check("weights.safetensors loads in Python's safetensors with its metadata", meta == manifest["safetensors_metadata"], repr(meta))
for k, d in manifest["resume"]["state"].items():
    check(f"weights.safetensors {k}", bits(st[k]) == d["bits"])

from huggingface_hub import load_torch_model

m2 = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
load_torch_model(m2, os.path.join(DIR, "sharded"))
m2.eval()
with torch.no_grad():
    out2 = m2(ck["probe"])
same_output(out2, f"the sharded checkpoint ({len(manifest['shards'])} files) loaded with huggingface_hub.load_torch_model")

print(f"{len(failures)} failures" if failures else "all checks passed")
sys.exit(1 if failures else 0)
