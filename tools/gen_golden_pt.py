"""Golden files for PyTorch's checkpoint formats and sharded safetensors (test/pt.test.ts).

Run with PyTorch 2.x (the venv): /work/.venv-torch/bin/python tools/gen_golden_pt.py
Then with Debian's PyTorch 1.13 (/usr/bin/python3, apt-get install python3-torch), which adds
test/fixtures/pt/resume_torch1.pt and test/golden/pt_torch1.json (its own values: 1.13 trains
the same model to different bits).

Writes, under test/fixtures/pt/:
  resume_torch2.pt    the usual resume checkpoint ({model, optimizer, epoch, ...}) with every
                      dtype, views of one storage, a Parameter, nested containers and scalars
  legacy_torch2.pt    the same object in the pre-1.6 format (_use_new_zipfile_serialization=False)
  namespace.pt        a checkpoint holding an argparse.Namespace (refused by weights_only)
  protocol4.pt        a checkpoint pickled with protocol 4 (refused by weights_only, as PyTorch does)
  big_endian.pt       a tensor with byteorder "big" (rewritten by hand: PyTorch writes the machine's)
  sharded/            huggingface_hub.save_torch_state_dict with a small max_shard_size
and test/golden/pt.json: the values everything holds, the model's output on a fixed input, the
allow-list of globals, and PyTorch's error messages.
"""

import argparse
import io
import json
import os
import struct
import sys
import zipfile

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIX = os.path.join(ROOT, "test", "fixtures", "pt")
MAJOR = int(torch.__version__.split(".")[0])


def tensor_json(t):
    d = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "stride": list(t.stride()),
         "offset": t.storage_offset(), "requires_grad": t.requires_grad, "parameter": isinstance(t, torch.nn.Parameter)}
    t = t.detach()
    c = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        d["bits"] = c.view(torch.int16).flatten().tolist()
    elif t.dtype == torch.float32:
        d["bits"] = c.view(torch.int32).flatten().tolist()
    elif t.dtype == torch.float64:
        d["bits"] = [str(x) for x in c.view(torch.int64).flatten().tolist()]
    elif t.dtype == torch.int64:
        d["values"] = [str(x) for x in c.flatten().tolist()]
    else:
        d["values"] = c.flatten().tolist()
    return d


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2))


def checkpoint():
    m = model()
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    x = torch.randn(5, 4)
    for _ in range(2):
        opt.zero_grad()
        m(x).pow(2).sum().backward()
        opt.step()
    m.eval()
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    extra = {
        "f32": torch.tensor([[1.5, -0.0, float("nan")], [float("inf"), -float("inf"), 1e-45]]),
        "f64": torch.tensor([3.141592653589793, -1e300, 5e-324], dtype=torch.float64),
        "f16": torch.tensor([1, -0.5, 65504, 6e-8, -float("inf"), 0.1], dtype=torch.float16),
        "bf16": torch.tensor([1, -3.140625, 1e30, 0.1], dtype=torch.bfloat16),
        "i64": torch.tensor([0, -1, 2**62 + 12345, -(2**63), 2**63 - 1], dtype=torch.int64),
        "i32": torch.tensor([7, -8, 2**31 - 1, -(2**31)], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "bool": torch.tensor([[True, False], [False, True]]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "requires_grad": torch.tensor([1.0, 2.0], requires_grad=True),
        "param": torch.nn.Parameter(torch.tensor([0.25, -0.5])),
    }
    views = [base, base.t(), base[1:, 1::2], base.view(-1)[3:7]]
    return m, opt, {
        "model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 7, "loss": 0.125, "name": "résumé",
        "done": False, "best": None, "big": 2**70, "neg": -3, "tuple": (1, "two", 3.0), "list": [1, [2, [3]]],
        "nested": {"a": {"b": [torch.tensor([1, 2], dtype=torch.int32)]}}, "tensors": extra, "views": views,
        "same": [extra["u8"], extra["u8"]],
    }


def describe(obj):
    """The golden description of a checkpoint's objects (JSON; tensors by bits)."""
    if isinstance(obj, torch.Tensor):
        return {"tensor": tensor_json(obj)}
    if isinstance(obj, dict):
        return {"dict": [[str(k), describe(v)] for k, v in obj.items()], "ordered": type(obj).__name__ == "OrderedDict",
                "int_keys": all(isinstance(k, int) for k in obj) and len(obj) > 0}
    if isinstance(obj, (list, tuple)):
        return {"list": [describe(v) for v in obj]}
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return {"value": obj}
    if isinstance(obj, int):
        return {"int": str(obj)}
    if isinstance(obj, float):
        return {"float": obj}
    raise TypeError(type(obj))


def error_of(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


def main():
    os.makedirs(FIX, exist_ok=True)
    m, opt, ck = checkpoint()
    name = f"resume_torch{MAJOR}.pt"
    torch.save(ck, os.path.join(FIX, name))
    x = torch.linspace(-1, 1, 8).reshape(2, 4)
    with torch.no_grad():
        out = m(x)
    if MAJOR == 1:
        with open(os.path.join(ROOT, "test", "golden", "pt_torch1.json"), "w") as fh:
            json.dump({"torch_version": torch.__version__, "resume": describe(ck),
                       "model_output_bits": out.contiguous().view(torch.int32).flatten().tolist()}, fh, indent=1)
            fh.write("\n")
        print("wrote", name, "and test/golden/pt_torch1.json with PyTorch", torch.__version__)
        return
    torch.save(ck, os.path.join(FIX, "legacy_torch2.pt"), _use_new_zipfile_serialization=False)
    torch.save({"args": argparse.Namespace(lr=0.1, name="run"), "w": torch.ones(2)}, os.path.join(FIX, "namespace.pt"))
    torch.save({"w": torch.ones(2)}, os.path.join(FIX, "protocol4.pt"), pickle_protocol=4)

    # byteorder "big": the same archive with the storage's bytes swapped and the record changed.
    buf = io.BytesIO()
    torch.save({"x": torch.tensor([1.0, -2.0, 3.5]), "i": torch.tensor([1, 256], dtype=torch.int16)}, buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(os.path.join(FIX, "big_endian.pt"), "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("/byteorder"):
                data = b"big"
            elif info.filename.endswith("/data/0"):
                data = b"".join(struct.pack(">f", v) for v in struct.unpack("<3f", data))
            elif info.filename.endswith("/data/1"):
                data = b"".join(struct.pack(">h", v) for v in struct.unpack("<2h", data))
            dst.writestr(info.filename, data)

    from huggingface_hub import save_torch_state_dict
    shard_dir = os.path.join(FIX, "sharded")
    os.makedirs(shard_dir, exist_ok=True)
    for f in os.listdir(shard_dir):
        os.remove(os.path.join(shard_dir, f))
    torch.manual_seed(1)
    shard_sd = {f"layer{i}.weight": torch.randn(4, 4) for i in range(3)}
    shard_sd["layer0.bias"] = torch.randn(4)
    shard_sd["tiny"] = torch.tensor([1, 2, 3], dtype=torch.int64)
    save_torch_state_dict(shard_sd, shard_dir, max_shard_size=100)
    with open(os.path.join(shard_dir, "model.safetensors.index.json")) as fh:
        index = json.load(fh)

    from torch._weights_only_unpickler import _get_allowed_globals
    golden = {
        "torch_version": torch.__version__,
        "resume": describe(ck),
        "model_input": x.flatten().tolist(),
        "model_output_bits": out.contiguous().view(torch.int32).flatten().tolist(),
        "allowed_globals": sorted(_get_allowed_globals().keys()),
        "errors": {
            "namespace": error_of(lambda: torch.load(os.path.join(FIX, "namespace.pt"))),
            "protocol4": error_of(lambda: torch.load(os.path.join(FIX, "protocol4.pt"))),
            "mmap_legacy": error_of(lambda: torch.load(os.path.join(FIX, "legacy_torch2.pt"), mmap=True)),
        },
        "namespace_unsafe": vars(torch.load(os.path.join(FIX, "namespace.pt"), weights_only=False)["args"]),
        "big_endian": {k: tensor_json(v) for k, v in torch.load(os.path.join(FIX, "big_endian.pt")).items()},
        "sharded": {"index": index, "tensors": {k: tensor_json(v) for k, v in shard_sd.items()}},
    }
    with open(os.path.join(ROOT, "test", "golden", "pt.json"), "w") as fh:
        json.dump(golden, fh, indent=1, sort_keys=False)
        fh.write("\n")
    print("wrote", FIX, "and test/golden/pt.json with PyTorch", torch.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
