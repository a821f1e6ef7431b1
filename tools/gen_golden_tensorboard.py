#!/usr/bin/env python3
"""TensorBoard event files written by PyTorch's SummaryWriter, for test/tensorboard.test.ts.

    /work/.venv-torch/bin/python tools/gen_golden_tensorboard.py

makes the calls of `sample()` (the same calls as writeTensorboardSample in test/helpers.ts) with
time.time() fixed at 1700000000.25, and writes test/golden/tensorboard.json: for each run
directory, the records of its event file (base64 of each serialized Event), and for the image
events the pixels PIL decodes from the PNG (our PNGs are compressed differently, so the test
compares pixels there and bytes everywhere else).

    /work/.venv-torch/bin/python tools/gen_golden_tensorboard.py --check DIR

reads DIR (written by `node --import tsx tools/write_tensorboard_samples.ts DIR`) with
TensorBoard's own reader, EventAccumulator, next to the directory PyTorch writes for the same
calls, prints what TensorBoard sees in each run and whether the two agree.
"""
import base64
import io
import json
import os
import struct
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.hparams import plugin_data_pb2
from torch.utils.tensorboard import SummaryWriter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GOLDEN = os.path.join(ROOT, "test", "golden", "tensorboard.json")
T0 = 1700000000.25


def sample(logdir):
    w = SummaryWriter(log_dir=logdir)
    w.add_scalar("loss", 0.5, 0)
    w.add_scalar("loss", torch.tensor(0.25), 1, walltime=1700000001.5)
    w.add_scalar("neg/step", -3.1, -2)
    w.add_scalars("acc", {"train": 0.75, "test": 0.5}, 3)
    vals = torch.tensor([-1.5, 0.0, 0.0, 2.0, 3.25, 0.125, 100.0, -0.5])
    w.add_histogram("weights", vals, 4)
    w.add_histogram("int_bins", torch.arange(10, dtype=torch.float64), 5, bins=4)
    w.add_histogram("max_bins", vals, 6, max_bins=20)
    w.add_histogram("edges", torch.tensor([1.0, 2.0, 2.0, 7.5]), 7, bins=[0.0, 1.0, 2.0, 4.0, 8.0])
    img = torch.tensor([[[0.0, 0.5, 1.0, 1.5], [-0.2, 0.25, 0.75, 0.999]],
                        [[1.0, 0.0, 0.2, 0.4], [0.6, 0.8, 0.1, 0.3]],
                        [[0.3, 0.3, 0.3, 0.3], [0.9, 0.9, 0.9, 0.9]]])
    w.add_image("img", img, 8)
    w.add_image("gray", torch.tensor([[0, 64, 128], [192, 255, 1]], dtype=torch.uint8), 9, dataformats="HW")
    w.add_text("note", "h\u00e9llo **world**", 10)
    w.add_hparams({"lr": 0.1, "bsize": 32, "opt": "adam", "nesterov": True, "skip": None},
                  {"hparam/accuracy": 0.875}, hparam_domain_discrete={"opt": ["adam", "sgd"]},
                  run_name="hp", global_step=11)
    w.flush()
    w.close()


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    out, pos = [], 0
    while pos < len(data):
        (n,) = struct.unpack_from("<Q", data, pos)
        out.append(data[pos + 12:pos + 12 + n])
        pos += 12 + n + 4
    return out


def runs(logdir):
    """run directory (relative, "." for the top) -> its one event file"""
    out = {}
    for d, _, files in os.walk(logdir):
        ev = [f for f in files if f.startswith("events.out.tfevents.")]
        assert len(ev) == 1, (d, ev)
        out[os.path.relpath(d, logdir)] = os.path.join(d, ev[0])
    return dict(sorted(out.items()))


def main():
    time.time = lambda: T0
    with tempfile.TemporaryDirectory() as tmp:
        sample(tmp)
        golden = {"wall_time": T0, "runs": {}}
        for run, path in runs(tmp).items():
            recs = []
            for r in records(path):
                ev = event_pb2.Event.FromString(r)
                entry = {"event": base64.b64encode(r).decode()}
                if ev.HasField("summary") and ev.summary.value[0].HasField("image"):
                    im = ev.summary.value[0].image
                    px = np.asarray(Image.open(io.BytesIO(im.encoded_image_string)))
                    entry["pixels"] = base64.b64encode(px.tobytes()).decode()
                recs.append(entry)
            golden["runs"][run] = recs
    with open(GOLDEN, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {GOLDEN}: runs {list(golden['runs'])}")


def seen(logdir):
    """What TensorBoard's EventAccumulator sees in each run, as comparable text."""
    lines = []
    for run in runs(logdir):
        acc = EventAccumulator(os.path.join(logdir, run), size_guidance={"tensors": 0, "images": 0, "histograms": 0, "scalars": 0})
        acc.Reload()
        tags = acc.Tags()
        for t in tags["scalars"]:
            lines.append(f"{run} scalar {t}: " + ", ".join(f"step {e.step} = {e.value:.6g} @ {e.wall_time}" for e in acc.Scalars(t)))
        for t in tags["histograms"]:
            for e in acc.Histograms(t):
                h = e.histogram_value
                lines.append(f"{run} histogram {t} step {e.step}: min {h.min} max {h.max} num {h.num} sum {h.sum} "
                             f"sum_squares {h.sum_squares} buckets {len(h.bucket)} counts {[int(c) for c in h.bucket]} "
                             f"limits [{h.bucket_limit[0]:.6g} .. {h.bucket_limit[-1]:.6g}]")
        for t in tags["images"]:
            for e in acc.Images(t):
                px = np.asarray(Image.open(io.BytesIO(e.encoded_image_string)))
                lines.append(f"{run} image {t} step {e.step}: {e.width}x{e.height} pixels {px.reshape(-1).tolist()}")
        for t in tags["tensors"]:
            for e in acc.Tensors(t):
                tp = e.tensor_proto
                what = [s.decode() for s in tp.string_val] if tp.string_val else list(tp.float_val)
                lines.append(f"{run} tensor {t} step {e.step}: {what}")
        try:
            hp = acc.PluginTagToContent("hparams")
        except KeyError:  # a run without hparams
            hp = {}
        for tag, content in sorted(hp.items()):
            lines.append(f"{run} hparams {tag}: {str(plugin_data_pb2.HParamsPluginData.FromString(content)).strip()!r}")
    return lines


def check(ours):
    with tempfile.TemporaryDirectory() as tmp:
        sample(tmp)
        theirs = seen(tmp)
    mine = seen(ours)
    # wall times differ (ours are the real time): compare without them
    strip = lambda ls: [l.split(" @ ")[0] if " @ " not in l else ", ".join(p.split(" @ ")[0] for p in l.split(", step ")) for l in ls]
    for line in mine:
        print(line)
    same = strip(mine) == strip(theirs)
    print("TensorBoard reads the same from typetorch's files as from PyTorch's" if same else "DIFFERENT from PyTorch's:")
    if not same:
        for a, b in zip(strip(mine), strip(theirs)):
            if a != b:
                print("  ours:   ", a, "\n  pytorch:", b)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
