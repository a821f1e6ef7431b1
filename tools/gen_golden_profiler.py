#!/usr/bin/env python3
"""Golden tables for torch.profiler (test/profiler.test.ts): what PyTorch 2.x prints for a small
program, so the test can hold typetorch's table to PyTorch's layout. Times differ from run to run
and between the two, so the test compares every character but the time and percentage cells,
and checks those cells' formats.

Run it under PyTorch 2.x (the committed file came from 2.13.0+cpu; Debian's 1.13 prints another
layout), e.g. with the CPU wheel in a virtual environment:

    .venv-torch/bin/python tools/gen_golden_profiler.py     # writes test/golden/profiler.json

The program uses only ops that PyTorch records as one event each on CPU (mul and div of two
tensors: no nested aten::empty or aten::copy_), so both profilers see the same events.
"""
import json
import os

import torch
from torch.profiler import ProfilerActivity, profile, record_function

LONG = "a scope whose name is longer than the name column allows"

x = torch.ones(2, 3)
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    with record_function("outer"):
        y = x.mul(x)
        with record_function(LONG):
            z = y.div(y)
            z = z.div(x)

avg = prof.key_averages()
by_shape = prof.key_averages(group_by_input_shape=True)
out = {
    "torch": torch.__version__,
    "long_name": LONG,
    "tables": {
        "plain": avg.table(),
        "by_shape_limit_header": by_shape.table(row_limit=3, header="HEADER"),
        "top_level_ms_narrow": avg.table(top_level_events_only=True, time_unit="ms", max_name_column_width=20),
    },
    "events": [[e.name, e.cpu_parent.name if e.cpu_parent else None, e.input_shapes] for e in prof.events()],
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "profiler.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
