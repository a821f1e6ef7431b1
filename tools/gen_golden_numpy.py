#!/usr/bin/env python3
"""NumPy's .npy and .npz files, written by numpy itself, for test/numpy_io.test.ts.

    /work/.venv-torch/bin/python tools/gen_golden_numpy.py

writes test/fixtures/numpy/*.npy|*.npz with np.save / np.savez / np.savez_compressed (every
dtype numpy and typetorch share, C and Fortran order, 0-d, empty, big-endian, a version 2.0
header, and the files typetorch must refuse: object arrays, a pickle, dtypes it lacks, a
structured dtype), and test/golden/numpy.json with what each holds (dtype, shape, order and
values as numpy reads them). The test reads each file with typetorch and checks that typetorch
writes the same bytes as np.save for the same array.

    /work/.venv-torch/bin/python tools/gen_golden_numpy.py --check DIR

reads every file in DIR (written by `node --import tsx tools/write_numpy_samples.ts DIR`) with
np.load(allow_pickle=False) and compares it with the golden values: numpy reads our files.
"""
import json
import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_num  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "numpy")
GOLDEN = os.path.join(ROOT, "test", "golden", "numpy.json")
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def sample(dtype, shape):
    n = int(np.prod(shape))
    if dtype == "bool":
        return (np.arange(n) % 3 == 0).reshape(shape)
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is not None:
        vals = [info.min, info.max, 0, 1, 7, info.min + 3][: max(n, 1)]
        return np.resize(np.array(vals, dtype=dtype), shape)
    vals = [1.5, -0.25, np.inf, np.nan, -0.0, 3.140625, 65504.0 if dtype == "float16" else 1e30, 6e-8 if dtype == "float16" else 1e-30]
    return np.resize(np.array(vals, dtype=dtype), shape)


def arrays():
    """name -> array saved with np.save; every one typetorch must read."""
    out = {}
    for dt in DTYPES:
        out[f"{dt}_c"] = sample(dt, (2, 3))
        out[f"{dt}_f"] = np.asfortranarray(sample(dt, (3, 4)))
    out["float32_0d"] = np.array(2.5, dtype=np.float32)
    out["int64_1d"] = np.arange(-2, 3, dtype=np.int64) * (2 ** 61)
    out["float64_empty"] = np.zeros((0, 3))
    out["float32_3d_f"] = np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    out["float32_be"] = np.arange(6, dtype=">f4").reshape(2, 3) - 2.5
    out["int64_be"] = np.array([1, -2, 2 ** 40], dtype=">i8")
    return out


def describe(a):
    return {
        "dtype": str(a.dtype.newbyteorder("=")) if a.dtype.byteorder == ">" else str(a.dtype),
        "shape": list(a.shape),
        "fortran_order": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        "data": [enc_num(v) for v in a.ravel(order="C").tolist()],
    }


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    golden = {"npy": {}, "npz": {}, "refused": {}}
    arrs = arrays()
    for name, a in arrs.items():
        np.save(os.path.join(FIXTURES, name + ".npy"), a)
        golden["npy"][name] = describe(a)
    # A version 2.0 header (a 4-byte header length), as numpy writes for huge headers.
    with open(os.path.join(FIXTURES, "v2.npy"), "wb") as f:
        a = np.arange(3, dtype=np.int16)
        np.lib.format.write_array(f, a, version=(2, 0))
        golden["npy"]["v2"] = describe(a)
    # .npz: positional and named arrays, stored and deflated.
    members = {"arr_0": arrs["float32_c"], "weights": arrs["float64_f"], "mask": arrs["bool_c"]}
    np.savez(os.path.join(FIXTURES, "stored.npz"), arrs["float32_c"], weights=arrs["float64_f"], mask=arrs["bool_c"])
    np.savez_compressed(os.path.join(FIXTURES, "compressed.npz"), arrs["float32_c"], weights=arrs["float64_f"], mask=arrs["bool_c"])
    golden["npz"] = {k: describe(v) for k, v in members.items()}

    # Files typetorch refuses, with the error expected (numpy's words where numpy refuses).
    refused = golden["refused"]
    np.save(os.path.join(FIXTURES, "object.npy"), np.array([1, "a", None], dtype=object), allow_pickle=True)
    try:
        np.load(os.path.join(FIXTURES, "object.npy"))
    except ValueError as e:
        refused["object.npy"] = str(e)
    with open(os.path.join(FIXTURES, "pickle.npy"), "wb") as f:
        pickle.dump([1, 2, 3], f, protocol=2)
    try:
        np.load(os.path.join(FIXTURES, "pickle.npy"))
    except ValueError as e:
        refused["pickle.npy"] = str(e)
    np.save(os.path.join(FIXTURES, "uint16.npy"), np.arange(3, dtype=np.uint16))
    np.save(os.path.join(FIXTURES, "complex64.npy"), np.arange(3, dtype=np.complex64))
    np.save(os.path.join(FIXTURES, "structured.npy"), np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")]))
    for name in ["uint16.npy", "complex64.npy", "structured.npy"]:
        refused[name] = None  # numpy reads them; typetorch has no such dtype (message checked in the test)

    with open(GOLDEN, "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(os.listdir(FIXTURES))} files in {FIXTURES} and {GOLDEN}")


def same(a, g):
    want = np.array([float(v) if isinstance(v, str) and v in ("nan", "inf", "-inf") else int(v) if isinstance(v, str) else v
                     for v in g["data"]], dtype=g["dtype"]).reshape(g["shape"])
    fortran = bool(a.flags.f_contiguous and not a.flags.c_contiguous)
    ok = (str(a.dtype) == g["dtype"] and list(a.shape) == g["shape"] and fortran == g["fortran_order"]
          and np.array_equal(a, want, equal_nan=a.dtype.kind == "f")
          and (a.dtype.kind != "f" or np.array_equal(np.signbit(a), np.signbit(want))))
    return ok, f"{a.dtype} {a.shape} {'F' if fortran else 'C'}"


def check(d):
    with open(GOLDEN) as f:
        golden = json.load(f)
    bad = 0
    for fname in sorted(os.listdir(d)):
        path = os.path.join(d, fname)
        loaded = np.load(path, allow_pickle=False)
        if fname.endswith(".npz"):
            for k in loaded.files:
                ok, what = same(loaded[k], golden["npz"][k])
                bad += not ok
                print(f"{'ok ' if ok else 'BAD'} {fname}[{k}]: {what}")
        else:
            ok, what = same(loaded, golden["npy"][fname[:-4]])
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {fname}: {what}")
    print("all equal" if not bad else f"{bad} differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
