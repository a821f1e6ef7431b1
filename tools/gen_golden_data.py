#!/usr/bin/env python3
"""Golden data for torch.utils.data (test/data.test.ts), computed by real PyTorch on CPU.

src/utils/data follows PyTorch 2.x (RandomSampler draws its seed with random_() on an int64
tensor and shuffles with a Generator of its own; DataLoader draws a worker base seed per epoch),
so run this under a PyTorch 2.x (the committed file came from 2.13.0+cpu):

    PYTHONPATH=/path/to/site-packages/with/torch2 python3.11 tools/gen_golden_data.py

It writes test/golden/data.json: the index orders of seeded DataLoaders and samplers over
several epochs, random_split's subsets, and after each case the next values the generator gives
(torch.randint), which checks that we consumed exactly as many random words as PyTorch.
"""
import json
import os

import torch
from torch.utils.data import (
    BatchSampler, DataLoader, RandomSampler, SequentialSampler, SubsetRandomSampler, TensorDataset,
    WeightedRandomSampler, random_split, default_collate,
)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "test", "golden", "data.json")
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool", torch.int32: "int32"}


def after(gen=None):
    """The next draws of a generator (the default one if None), to check the state we leave."""
    return torch.randint(0, 1 << 30, (4,), generator=gen).tolist()


def loader_case(name, n, seed, gen_seed=None, epochs=3, **kw):
    torch.manual_seed(seed)
    g = None
    if gen_seed is not None:
        g = torch.Generator()
        g.manual_seed(gen_seed)
    ds = TensorDataset(torch.arange(n), torch.arange(n) * 10)
    dl = DataLoader(ds, generator=g, **kw)
    out = []
    for _ in range(epochs):
        out.append([b[0].tolist() for b in dl])
    return {"name": name, "n": n, "seed": seed, "gen_seed": gen_seed, "options": kw, "epochs": out, "len": len(dl),
            "after_default": after(), "after_gen": after(g) if g is not None else None}


def main():
    cases = {}
    cases["loaders"] = [
        loader_case("shuffle_seed0", 10, 0, batch_size=3, shuffle=True),
        loader_case("shuffle_seed42_drop_last", 23, 42, batch_size=4, shuffle=True, drop_last=True),
        loader_case("shuffle_generator", 17, 0, gen_seed=7, batch_size=5, shuffle=True),
        loader_case("sequential", 7, 0, batch_size=2),
        loader_case("sequential_drop_last", 7, 0, batch_size=2, drop_last=True),
        loader_case("big_shuffle", 1000, 3, batch_size=64, shuffle=True, epochs=2),
    ]

    samplers = []
    torch.manual_seed(0)
    s = RandomSampler(range(10), replacement=True, num_samples=40)
    samplers.append({"name": "random_replacement_default", "seed": 0, "kind": "RandomSampler",
                     "args": {"n": 10, "replacement": True, "num_samples": 40},
                     "epochs": [list(s), list(s)], "after_default": after()})
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(5)
    s = RandomSampler(range(10), replacement=True, num_samples=7, generator=g)
    samplers.append({"name": "random_replacement_generator", "seed": 0, "gen_seed": 5, "kind": "RandomSampler",
                     "args": {"n": 10, "replacement": True, "num_samples": 7},
                     "epochs": [list(s), list(s)], "after_default": after(), "after_gen": after(g)})
    torch.manual_seed(1)
    s = RandomSampler(range(6), num_samples=15)
    samplers.append({"name": "random_num_samples", "seed": 1, "kind": "RandomSampler",
                     "args": {"n": 6, "replacement": False, "num_samples": 15},
                     "epochs": [list(s), list(s)], "after_default": after()})
    torch.manual_seed(2)
    s = RandomSampler(range(6), num_samples=12)
    samplers.append({"name": "random_num_samples_multiple", "seed": 2, "kind": "RandomSampler",
                     "args": {"n": 6, "replacement": False, "num_samples": 12},
                     "epochs": [list(s)], "after_default": after()})
    torch.manual_seed(0)
    s = SubsetRandomSampler([10, 20, 30, 40, 50, 60, 70])
    samplers.append({"name": "subset_random_default", "seed": 0, "kind": "SubsetRandomSampler",
                     "args": {"indices": [10, 20, 30, 40, 50, 60, 70]},
                     "epochs": [list(s), list(s)], "after_default": after()})
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(11)
    s = SubsetRandomSampler([3, 1, 4, 1, 5, 9, 2, 6], generator=g)
    samplers.append({"name": "subset_random_generator", "seed": 0, "gen_seed": 11, "kind": "SubsetRandomSampler",
                     "args": {"indices": [3, 1, 4, 1, 5, 9, 2, 6]},
                     "epochs": [list(s), list(s)], "after_default": after(), "after_gen": after(g)})
    w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    torch.manual_seed(0)
    s = WeightedRandomSampler(w, 10, replacement=True)
    samplers.append({"name": "weighted_replacement", "seed": 0, "kind": "WeightedRandomSampler",
                     "args": {"weights": w, "num_samples": 10, "replacement": True},
                     "epochs": [list(s), list(s)], "after_default": after()})
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    s = WeightedRandomSampler(w, 4, replacement=False, generator=g)
    samplers.append({"name": "weighted_no_replacement", "seed": 0, "gen_seed": 3, "kind": "WeightedRandomSampler",
                     "args": {"weights": w, "num_samples": 4, "replacement": False},
                     "epochs": [list(s), list(s)], "after_default": after(), "after_gen": after(g)})
    torch.manual_seed(0)
    s = WeightedRandomSampler(w, 1, replacement=True)
    samplers.append({"name": "weighted_single", "seed": 0, "kind": "WeightedRandomSampler",
                     "args": {"weights": w, "num_samples": 1, "replacement": True},
                     "epochs": [list(s), list(s)], "after_default": after()})
    samplers.append({"name": "batch_sampler", "kind": "BatchSampler", "args": {"n": 10, "batch_size": 3, "drop_last": False},
                     "epochs": [list(BatchSampler(SequentialSampler(range(10)), 3, False))]})
    samplers.append({"name": "batch_sampler_drop_last", "kind": "BatchSampler", "args": {"n": 10, "batch_size": 3, "drop_last": True},
                     "epochs": [list(BatchSampler(SequentialSampler(range(10)), 3, True))]})
    cases["samplers"] = samplers

    splits = []
    for name, n, lengths, seed, gen_seed in [
        ("lengths_default", 10, [3, 7], 0, None),
        ("fractions_generator", 10, [0.3, 0.3, 0.4], 0, 42),
        ("fractions_remainder", 11, [0.5, 0.5], 1, None),
        ("fractions_uneven", 7, [0.2, 0.3, 0.5], 2, 9),
        ("lengths_three", 12, [5, 0, 7], 3, None),
    ]:
        torch.manual_seed(seed)
        g = torch.Generator().manual_seed(gen_seed) if gen_seed is not None else None
        parts = random_split(range(n), lengths, generator=g) if g is not None else random_split(range(n), lengths)
        splits.append({"name": name, "n": n, "lengths": lengths, "seed": seed, "gen_seed": gen_seed,
                       "subsets": [list(p.indices) for p in parts], "after_default": after(),
                       "after_gen": after(g) if g is not None else None})
    cases["random_split"] = splits

    def enc(v):
        if isinstance(v, torch.Tensor):
            return {"dtype": DT[v.dtype], "shape": list(v.shape), "data": v.reshape(-1).tolist()}
        if isinstance(v, dict):
            return {"__dict__": {k: enc(x) for k, x in v.items()}}
        if isinstance(v, (list, tuple)):
            return [enc(x) for x in v]
        return v
    # default_collate on Python values whose JS counterparts collate the same way (ints given as
    # integral numbers, floats as non-integral ones).
    collate = [
        ("tensors", [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), torch.tensor([5.0, 6.0])]),
        ("ints", [1, 2, 3]),
        ("floats", [0.5, 1.25, -2.5]),
        ("bools", [True, False, True]),
        ("tuples", [(torch.tensor([1.0]), 3), (torch.tensor([2.0]), 4)]),
        ("dicts", [{"x": torch.tensor([[1, 2]]), "y": 0.5, "name": "a"}, {"x": torch.tensor([[3, 4]]), "y": 1.5, "name": "b"}]),
        ("nested", [[1, [0.5, torch.tensor(1)]], [2, [1.5, torch.tensor(2)]]]),
    ]
    cases["collate"] = [{"name": n, "batch": enc(b), "result": enc(default_collate(b))} for n, b in collate]
    errors = {}
    ds = TensorDataset(torch.arange(6))

    class It(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(3))
    for key, fn in [
        ("sampler_shuffle", lambda: DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)),
        ("batch_sampler_exclusive", lambda: DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False), batch_size=3)),
        ("batch_size_none_drop_last", lambda: DataLoader(ds, batch_size=None, drop_last=True)),
        ("num_workers", lambda: DataLoader(ds, num_workers=-1)),
        ("iterable_shuffle", lambda: DataLoader(It(), shuffle=True)),
        ("random_num_samples", lambda: RandomSampler(ds, num_samples=0)),
        ("batch_size", lambda: BatchSampler(SequentialSampler(ds), 0, False)),
        ("weighted_num_samples", lambda: WeightedRandomSampler([1.0, 2.0], 0)),
        ("weighted_shape", lambda: WeightedRandomSampler([[1.0, 2.0]], 2)),
        ("split_sum", lambda: random_split(range(10), [3, 8])),
        ("split_fraction", lambda: random_split(range(10), [1.5, -0.5])),
        ("tensor_size_mismatch", lambda: TensorDataset(torch.zeros(3), torch.zeros(4))),
        ("concat_empty", lambda: torch.utils.data.ConcatDataset([])),
        ("concat_index", lambda: torch.utils.data.ConcatDataset([range(3), range(2)])[-6]),
        ("collate_sizes", lambda: default_collate([[1, 2], [3]])),
    ]:
        try:
            fn()
            raise SystemExit(f"{key} did not raise")
        except (ValueError, RuntimeError, AssertionError, TypeError) as e:
            errors[key] = str(e)
    cases["errors"] = errors
    cases["torch_version"] = torch.__version__
    with open(OUT, "w") as f:
        json.dump(cases, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
