#!/usr/bin/env python3
"""Golden data for test/example_seams.test.ts: the pieces that porting pytorch/examples and the
tutorials (examples/*.ts) found missing or different, checked here one by one: nn.DataParallel
and nn.parallel.data_parallel on a machine without CUDA, the Tensor.is_<device> properties, and
torch.Size (what Tensor.size() and Tensor.shape are) as it prints, the in-place view ops (unsqueeze_,
squeeze_, transpose_, t_ …: the char-RNN tutorial's target.unsqueeze_(-1)), and ModuleDict's
dict protocol (md[key], del, in, pop, keys, values, items, update, clear) with its errors, a tensor
as a DataLoader's dataset, numpy() of a row (the Learn the Basics ports), torch.return_types as they
print, and torch's in-place functions (torch.sin_: Introduction to PyTorch's tensors).
Run under PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_example_seams.py
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import error_record  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


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
        "error": error_record(lambda: nn.parallel.data_parallel(lin, x, [0])),
        "error_no_ids": error_record(lambda: nn.parallel.data_parallel(lin, x)),
    }
    t = torch.zeros(2)
    is_device = {k: getattr(t, k) for k in ["is_cpu", "is_cuda", "is_xpu", "is_mps", "is_meta"]}
    x = torch.zeros(3, 28, 28)
    size = {
        "str": str(x.size()), "repr": repr(x.size()), "fstring": f"Size: {x.size()}", "numel": x.size().numel(),
        "scalar": str(torch.zeros(()).size()), "made": str(torch.Size([2, 5])), "made_numel": torch.Size([2, 5]).numel(),
        "index": x.size()[1], "len": len(x.size()),
    }
    shape = {
        "str": str(x.shape), "repr": repr(x.shape), "fstring": f"Shape: {x.shape}", "same_as_size": x.shape == x.size(),
        "equals_tuple": x.shape == (3, 28, 28), "list": list(x.shape), "unpacked": [*x.shape], "last": x.shape[-1],
        "in_list": str([x.shape, torch.zeros(2).shape]), "bad_item": error_record(lambda: torch.Size([2, 1.5])),
    }
    md = nn.ModuleDict({"relu": nn.ReLU(), "tanh": nn.Tanh()})
    module_dict = {
        "missing": error_record(lambda: md["missing"]), "del_missing": error_record(lambda: md.__delitem__("missing")),
        "pop_missing": error_record(lambda: md.pop("missing")),
        "not_module": error_record(lambda: md.__setitem__("x", 5)), "dotted": error_record(lambda: md.__setitem__("a.b", nn.ReLU())),
        "update_int": error_record(lambda: md.update(5)), "update_pair": error_record(lambda: md.update([("x",)])),
    }
    md["lin"] = nn.Linear(2, 3)
    popped = md.pop("tanh")
    md.update([("tanh", popped), ("relu", nn.GELU())])
    module_dict["after"] = {"keys": list(md.keys()), "values": [repr(m) for m in md.values()],
                            "items": [[k, repr(m)] for k, m in md.items()], "in": "lin" in md, "not_in": "tanh2" in md,
                            "len": len(md), "repr": repr(md), "params": [n for n, _ in md.named_parameters()]}
    del md["lin"]
    module_dict["after_del"] = list(md.keys())
    md.clear()
    module_dict["after_clear"] = [len(md), repr(md)]
    inplace_views = {}
    for name, op in [("unsqueeze_", lambda y: y.unsqueeze_(0)), ("unsqueeze_neg", lambda y: y.unsqueeze_(-1)),
                     ("squeeze_", lambda y: y.squeeze_()), ("squeeze_dim", lambda y: y.squeeze_(0)),
                     ("squeeze_dims", lambda y: y.squeeze_((0, 2))), ("transpose_", lambda y: y.transpose_(0, 1)),
                     ("swapdims_", lambda y: y.swapdims_(1, 2)), ("swapaxes_", lambda y: y.swapaxes_(0, 2)),
                     ("t_", lambda y: y.squeeze_().unsqueeze_(0).t_())]:
        x = torch.arange(3.0).reshape(1, 3, 1).requires_grad_()
        y = x * 2
        r = op(y)
        w = torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape)
        (y * w).sum().backward()
        plain = torch.zeros(1, 3, 1)
        op(plain)
        inplace_views[name] = {"same": r is y, "shape": list(y.shape), "stride": list(y.stride()), "version": y._version,
                               "grad_fn": y.grad_fn.name(), "grad": x.grad.flatten().tolist(),
                               "plain_shape": list(plain.shape), "plain_stride": list(plain.stride()), "plain_grad_fn": plain.grad_fn is None}
    base = torch.arange(6.0).reshape(2, 3).requires_grad_()
    b = base * 1
    v = b[1]
    v.unsqueeze_(0)
    (v * torch.tensor([[1.0, 10.0, 100.0]])).sum().backward()
    inplace_views["view"] = {"shape": list(v.shape), "grad_fn": v.grad_fn.name(), "base_version": b._version, "grad": base.grad.flatten().tolist()}
    inplace_views["leaf_error"] = error_record(lambda: torch.zeros(3, requires_grad=True).unsqueeze_(0))
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.arange(1000), batch_size=64, shuffle=True)
    batches = [b.tolist() for b in loader]
    x = torch.arange(12.0).view(3, 4)
    row = x[1].numpy()
    row[2] = -1.0
    col = x[:, 2].numpy()
    ported = {"loader_len": len(loader), "first_batch": batches[0], "last_batch": batches[-1],
              "row": row.tolist(), "x_after": x.tolist(), "col": col.tolist(), "col_strides": [s // 4 for s in col.strides]}
    x = torch.tensor([[1., 3., 2.], [2., 0., 5.]])
    spd, upper, general = torch.tensor([[4., 1.], [1., 3.]]), torch.tensor([[2., 1.], [0., 3.]]), torch.tensor([[3., 1.], [4., 2.]])
    return_types = {name: repr(f()) for name, f in [
        ("max", lambda: torch.max(x, 1)), ("min", lambda: x.min(0)), ("sort", lambda: torch.sort(x)),
        ("topk", lambda: torch.topk(x, 2)), ("kthvalue", lambda: torch.kthvalue(x, 2)), ("median", lambda: torch.median(x, 1)),
        ("nanmedian", lambda: torch.nanmedian(x, 1)), ("mode", lambda: torch.mode(x, 1)), ("cummax", lambda: torch.cummax(x, 1)),
        ("cummin", lambda: torch.cummin(x, 0)), ("aminmax", lambda: torch.aminmax(x)),
        ("svd", lambda: torch.svd(torch.tensor([[3., 0.], [0., 2.]]))), ("linalg_svd", lambda: torch.linalg.svd(torch.tensor([[3., 0.], [0., 2.]]))),
        ("linalg_inv_ex", lambda: torch.linalg.inv_ex(spd)), ("linalg_solve_ex", lambda: torch.linalg.solve_ex(spd, spd[:, :1])),
        ("linalg_cholesky_ex", lambda: torch.linalg.cholesky_ex(spd)), ("linalg_qr", lambda: torch.linalg.qr(general)),
        ("qr", lambda: torch.qr(general)), ("linalg_eigh", lambda: torch.linalg.eigh(torch.tensor([[1., 0.], [0., 3.]]))),
        ("triangular_solve", lambda: torch.triangular_solve(spd, upper)), ("linalg_lu_factor", lambda: torch.linalg.lu_factor(spd)),
        ("linalg_lu_factor_ex", lambda: torch.linalg.lu_factor_ex(spd)), ("linalg_lu", lambda: torch.linalg.lu(spd)),
        ("lu_unpack", lambda: torch.lu_unpack(*torch.linalg.lu_factor(spd))), ("linalg_lstsq", lambda: torch.linalg.lstsq(torch.tensor([[2., 0.], [0., 4.]]), torch.tensor([[2.], [8.]])))]}
    b = torch.tensor([0.0, 1.0])
    inplace_fns = {"sin_same": torch.sin_(b) is b, "sin_": b.tolist(), "clamp_": torch.clamp_(torch.tensor([-2.0, 0.5, 3.0]), -1, 1).tolist(),
                   "error": error_record(lambda: torch.sin_(3))}
    out = {"torch_version": torch.__version__, "data_parallel": data_parallel, "is_device": is_device, "size": size,
           "shape": shape, "inplace_views": inplace_views, "module_dict": module_dict, "ported": ported,
           "return_types": return_types, "inplace_fns": inplace_fns}
    with open(os.path.join(ROOT, "test", "golden", "example_seams.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
