#!/usr/bin/env python3
"""Golden data for torch.utils.data.distributed.DistributedSampler (test/distributed.test.ts),
computed by real PyTorch 2.x on CPU (the committed file came from 2.13.0+cpu):

    /work/.venv-torch/bin/python tools/gen_golden_distributed.py

It writes test/golden/distributed.json: every rank's indices for datasets of several lengths,
with and without shuffle and drop_last, for several seeds and epochs (the padding branch where
the padding is longer than the dataset included). The sampler needs no process group when
num_replicas and rank are given.
"""
import json
import os

import torch
from torch.utils.data.distributed import DistributedSampler

cases = []
for n, replicas in [(10, 2), (11, 3), (17, 4), (3, 8), (1000, 3)]:
    for shuffle in [True, False]:
        for drop_last in [False, True]:
            for seed, epoch in [(0, 0), (42, 3)]:
                if not shuffle and (seed, epoch) != (0, 0):
                    continue
                ranks = []
                for rank in range(replicas):
                    s = DistributedSampler(list(range(n)), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
                    s.set_epoch(epoch)
                    ranks.append(list(s))
                cases.append({"n": n, "num_replicas": replicas, "shuffle": shuffle, "drop_last": drop_last,
                              "seed": seed, "epoch": epoch, "len": len(s), "indices": ranks})

out = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "distributed.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "sampler": cases}, f)
print(f"wrote {out}: {len(cases)} cases")
