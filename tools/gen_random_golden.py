#!/usr/bin/python3
"""Golden data for src/core/random.ts (test/random.test.ts), computed by real PyTorch on CPU.

Run with Debian's PyTorch (`apt-get install python3-torch`):

    /usr/bin/python3 tools/gen_random_golden.py     # writes test/golden/random.json

Each case seeds a generator (torch.manual_seed, or a torch.Generator of its own) and makes a
sequence of calls; the generator state carries from one call to the next, so a case checks the
words each sampler consumes as well as the values it returns. Every call records its arguments
and PyTorch's output:

  values   the output, element 0 first: floats as JSON numbers (the float64 repr of a float32 /
           float16 / bfloat16 value is exact, so nothing is lost), int64 as numbers, or as
           decimal strings beyond 2^53, bools as 0/1
  crc32    for the long runs (10^5 elements), the zlib.crc32 of the output's raw little-endian
           bytes instead of the values, to keep this file small
  hex      for "state": torch.get_rng_state() as a hex string (PyTorch's 5056-byte
           CPUGeneratorImplState, which typetorch reproduces byte for byte)

Seeds are decimal strings (they are uint64; 2**63 + 5 would not survive a JSON number).

random.ts follows PyTorch 2.x. Run under Debian's PyTorch 1.13 the script writes
test/golden/random.json and flags with "torch1_differs" (and the reason) each call whose 1.x
sampler differs from 2.x's: float16/bfloat16 uniform_ and normal_, uniform_'s clamp below
`to`, randint's switch to random64(), multinomial's one-sample path (see torch1_difference).
Run under a PyTorch 2.x it writes test/golden/random_torch2.json, in which nothing is flagged;
e.g. with a CPU wheel of PyTorch 2.x (the committed file came from 2.13.0+cpu):

    python3.11 -m venv /tmp/t2 && /tmp/t2/bin/pip install torch-2.*+cpu-*.whl
    /tmp/t2/bin/python tools/gen_random_golden.py    # writes test/golden/random_torch2.json

Both ran on an AMD EPYC with AVX2: normal_ on float32 takes normal_fill_AVX2, and bernoulli_
takes the default mt19937 kernel (MKL's VSL stream is used on Intel CPUs only), the paths
random.ts implements. 1.13 also computes log(1 - u) where 2.x has log1p(-u); for the 53-bit u
drawn, 1 - u is exact, so the two differ only by libm rounding (the test allows for it).
"""

import json
import math
import os
import struct
import warnings
import zlib

import torch

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden")
OUT = os.path.join(GOLDEN, "random.json" if torch.__version__.startswith("1.") else "random_torch2.json")

DT = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
      "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
      "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool}


TORCH2 = not torch.__version__.startswith("1.")


def torch1_difference(call):
    """(reason, same_words): how PyTorch 1.x's sampler for `call` differs from 2.x's, if it does.
    same_words tells whether 1.x still draws the same words, leaving later calls unaffected."""
    op, dtype = call["op"], call.get("dtype")
    if op == "uniform" and dtype in ("float16", "bfloat16"):
        return "2.x draws float16/bfloat16 uniforms through float (24 bits of a word, not 11/8)", True
    if op == "uniform" and "values" in call:
        top = torch.tensor(call["to"], dtype=DT[dtype]).item()
        if any(v == top for v in call["values"]):
            return "2.x returns `from` for a value that rounds up to `to`", True
    if op == "normal" and dtype in ("float16", "bfloat16") and call["n"] >= 16:
        # 2.x draws 16 words per block as it goes, so the tail block starts at a different
        # word unless numel is a multiple of 16.
        return "2.x runs normal_fill for float16/bfloat16 in float, then casts", call["n"] % 16 == 0
    if op == "randint":
        rng = int(call["high"]) - int(call["low"])
        wide1 = rng >= 2 ** 32 and dtype in ("int64", "float64", "float32", "bfloat16")
        if wide1 != (rng >= 2 ** 28):
            return "2.x draws random64() for every range >= 2^28 (1.x: >= 2^32, four dtypes)", False
    if op == "multinomial" and call["num_samples"] == 1 and call["replacement"]:
        return "2.x samples a single draw with replacement by the Gumbel-max path", False
    return None, True


def enc(t):
    """Values of a tensor, losslessly, element 0 first."""
    t = t.reshape(-1)
    if t.dtype == torch.bool:
        return [int(v) for v in t.tolist()]
    if t.dtype.is_floating_point:
        return [float(v) for v in t.double().tolist()]
    return [v if abs(v) <= 2 ** 53 else str(v) for v in t.tolist()]


def crc(t):
    t = t.contiguous().reshape(-1)
    raw = t.view(torch.int16) if t.dtype in (torch.float16, torch.bfloat16) else t
    fmt = {torch.float32: "f", torch.float64: "d", torch.int16: "h", torch.int64: "q"}[raw.dtype]
    return "%08x" % (zlib.crc32(struct.pack("<%d%s" % (raw.numel(), fmt), *raw.tolist())) & 0xffffffff)


class Case:
    def __init__(self, name, seed, own_generator=False):
        self.name = name
        self.calls = []
        self.seed = seed
        self.tainted = False
        if own_generator:
            self.gen = torch.Generator()
            if seed is not None:
                self.gen.manual_seed(seed)
        else:
            self.gen = None
            torch.manual_seed(seed)

    def kw(self):
        return {"generator": self.gen} if self.gen is not None else {}

    def record(self, call, out, digest=False):
        if digest:
            call["crc32"] = crc(out)
        else:
            call["values"] = enc(out)
        self.mark_torch1(call)
        self.calls.append(call)

    def mark_torch1(self, call):
        """Under PyTorch 1.x, flags the calls whose samplers changed in 2.x (random.ts follows
        2.x), and every later call of the case when the change alters how many words are drawn."""
        if TORCH2:
            return
        why, same_words = torch1_difference(call)
        if why is None and self.tainted:
            why = "an earlier call of this case draws a different number of words in 2.x"
        if why is not None:
            call["torch1_differs"] = why
            self.tainted = self.tainted or not same_words

    # One method per sampler in random.ts, each the PyTorch call it mirrors.
    def uniform(self, dtype, n, lo=0.0, hi=1.0, digest=False):
        if lo == 0.0 and hi == 1.0:
            out = torch.rand(n, dtype=DT[dtype], **self.kw())
        else:
            out = torch.empty(n, dtype=DT[dtype]).uniform_(lo, hi, **self.kw())
        self.record({"op": "uniform", "dtype": dtype, "n": n, "from": lo, "to": hi}, out, digest)

    def normal(self, dtype, n, mean=0.0, std=1.0, digest=False):
        if mean == 0.0 and std == 1.0:
            out = torch.randn(n, dtype=DT[dtype], **self.kw())
        else:
            out = torch.empty(n, dtype=DT[dtype]).normal_(mean, std, **self.kw())
        self.record({"op": "normal", "dtype": dtype, "n": n, "mean": mean, "std": std}, out, digest)

    def normal_tensor(self, dtype, means, stds):
        m = torch.tensor(means, dtype=DT[dtype])
        s = torch.tensor(stds, dtype=DT[dtype])
        out = torch.normal(m, s, **self.kw())
        self.record({"op": "normal_tensor", "dtype": dtype, "means": enc(m), "stds": enc(s)}, out)

    def randint(self, dtype, n, low, high, digest=False):
        out = torch.randint(low, high, (n,), dtype=DT[dtype], **self.kw())
        self.record({"op": "randint", "dtype": dtype, "n": n, "low": str(low), "high": str(high)}, out, digest)

    def randperm(self, n, digest=False):
        out = torch.randperm(n, **self.kw())
        self.record({"op": "randperm", "n": n}, out, digest)

    def bernoulli_scalar(self, dtype, n, p, digest=False):
        out = torch.empty(n, dtype=DT[dtype]).bernoulli_(p, **self.kw())
        self.record({"op": "bernoulli_scalar", "dtype": dtype, "n": n, "p": p}, out, digest)

    def bernoulli_tensor(self, dtype, probs):
        pt = torch.tensor(probs, dtype=DT[dtype])
        out = torch.bernoulli(pt, **self.kw())
        self.record({"op": "bernoulli_tensor", "dtype": dtype, "probs": enc(pt)}, out)

    def multinomial(self, dtype, probs, num_samples, replacement):
        pt = torch.tensor(probs, dtype=DT[dtype])
        rows, cats = (1, pt.shape[0]) if pt.dim() == 1 else tuple(pt.shape)
        out = torch.multinomial(pt, num_samples, replacement, **self.kw())
        self.record({"op": "multinomial", "dtype": dtype, "rows": rows, "cats": cats,
                     "probs": enc(pt), "num_samples": num_samples, "replacement": replacement}, out)

    def exponential(self, dtype, n, lambd):
        out = torch.empty(n, dtype=DT[dtype]).exponential_(lambd, **self.kw())
        self.record({"op": "exponential", "dtype": dtype, "n": n, "lambd": lambd}, out)

    def dropout(self, n, p):
        # F.dropout on CPU: noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p); x * noise
        assert self.gen is None
        out = torch.nn.functional.dropout(torch.ones(n), p, training=True)
        self.record({"op": "dropout", "dtype": "float32", "n": n, "p": p}, out)

    def state(self):
        st = self.gen.get_state() if self.gen is not None else torch.get_rng_state()
        call = {"op": "state", "hex": bytes(st.tolist()).hex()}
        self.mark_torch1(call)
        self.calls.append(call)

    def initial_seed(self):
        s = self.gen.initial_seed() if self.gen is not None else torch.initial_seed()
        self.calls.append({"op": "initial_seed", "value": str(s)})

    def to_json(self):
        return {"name": self.name, "seed": None if self.seed is None else str(self.seed),
                "own_generator": self.gen is not None, "calls": self.calls}


def main():
    # randint into float32 / bfloat16 beyond 2^digits is allowed but warned about (PyTorch's
    # WARN_OUT_OF_BOUNDS); the cases below do it on purpose.
    warnings.filterwarnings("ignore", message=".*is out of bounds.*")
    cases = []

    def case(name, seed, own_generator=False):
        c = Case(name, seed, own_generator)
        cases.append(c)
        return c

    sizes = [1, 3, 15, 16, 17, 100, 1000]
    # rand / randn in each floating dtype; sizes around 16 cross normal_'s two paths (the
    # scalar Box-Muller below 16, normal_fill's blocks of 16 with the tail redone above).
    for seed in [0, 42, 2 ** 32 + 7]:
        for dtype in ["float32", "float64", "float16", "bfloat16"]:
            for n in (sizes if seed == 0 else [1, 3, 15, 16, 17, 100]):
                case(f"rand {dtype} n={n} seed={seed}", seed).uniform(dtype, n)
        for dtype in ["float32", "float64"]:
            for n in (sizes if seed == 0 else [1, 3, 15, 16, 17, 100]):
                case(f"randn {dtype} n={n} seed={seed}", seed).normal(dtype, n)
    for dtype in ["float16", "bfloat16"]:
        for n in [5, 16, 40]:
            case(f"randn {dtype} n={n} seed=3", 3).normal(dtype, n)

    for seed in [0, 42]:
        for dtype in ["float32", "float64", "float16", "bfloat16"]:
            case(f"uniform_(-2, 3) {dtype} seed={seed}", seed).uniform(dtype, 100, -2.0, 3.0)
        case(f"uniform_(0.25, 0.5) float32 seed={seed}", seed).uniform("float32", 50, 0.25, 0.5)
        # a range narrower than float32's spacing there: many values round up to `to`
        case(f"uniform_(1e6, 1e6 + 0.1) float32 seed={seed}", seed).uniform("float32", 40, 1e6, 1e6 + 0.1)
        for dtype, n in [("float32", 20), ("float32", 10), ("float64", 20), ("float64", 5)]:
            case(f"normal_(2, 0.5) {dtype} n={n} seed={seed}", seed).normal(dtype, n, 2.0, 0.5)
        case(f"normal_(-1, 3) float32 n=33 seed={seed}", seed).normal("float32", 33, -1.0, 3.0)

    for seed in [0, 42, 2 ** 32 + 7]:
        for n in [1, 5, 100, 1000]:
            case(f"randperm n={n} seed={seed}", seed).randperm(n)
    case("randperm n=0", 0).randperm(0)

    ri = [("int64", 17, 0, 10), ("int64", 100, -5, 5), ("int64", 15, 0, 2 ** 40),
          ("int64", 6, -2 ** 62, 2 ** 62), ("int64", 8, 0, 2 ** 32), ("int64", 8, 0, 2 ** 32 - 1),
          ("int32", 16, 0, 100), ("int32", 8, 0, 2 ** 29), ("float32", 8, -2 ** 29, 2 ** 29), ("int32", 5, -2 ** 31, 2 ** 31 - 1), ("int16", 9, -300, 300),
          ("int8", 9, -128, 128), ("uint8", 10, 0, 256), ("bool", 12, 0, 2),
          ("float32", 10, 0, 2 ** 33), ("float32", 10, -7, 9), ("float64", 10, 0, 10),
          ("float64", 10, 0, 2 ** 40), ("float16", 10, 0, 100), ("bfloat16", 10, 0, 2 ** 34)]
    for seed in [0, 42]:
        for dtype, n, low, high in ri:
            case(f"randint({low}, {high}) {dtype} seed={seed}", seed).randint(dtype, n, low, high)

    for seed in [0, 42]:
        for dtype in ["float32", "float64", "int64", "bool", "uint8"]:
            case(f"bernoulli_(0.3) {dtype} seed={seed}", seed).bernoulli_scalar(dtype, 40, 0.3)
        case(f"bernoulli_(0) / (1) seed={seed}", seed).bernoulli_scalar("float32", 5, 0.0)
        g = torch.Generator().manual_seed(seed + 1)
        for dtype in ["float32", "float64"]:
            probs = torch.rand(33, dtype=torch.float64, generator=g).tolist() + [0.0, 1.0]
            case(f"bernoulli(probs) {dtype} seed={seed}", seed).bernoulli_tensor(dtype, probs)
        case(f"dropout(p=0.3) seed={seed}", seed).dropout(30, 0.3)
        for dtype in ["float32", "float64"]:
            case(f"exponential_(1.5) {dtype} seed={seed}", seed).exponential(dtype, 20, 1.5)

    for seed in [0, 42]:
        for dtype in ["float32", "float64"]:
            p1 = [0.1, 0.2, 0.3, 0.15, 0.25]
            p2 = [[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 1.0, 1.0], [5.0, 0.5, 0.25, 0.125]]
            case(f"multinomial 1-d 3 no-repl {dtype} seed={seed}", seed).multinomial(dtype, p1, 3, False)
            case(f"multinomial 1-d 5 no-repl {dtype} seed={seed}", seed).multinomial(dtype, p1, 5, False)
            case(f"multinomial 1-d 1 repl {dtype} seed={seed}", seed).multinomial(dtype, p1, 1, True)
            case(f"multinomial 1-d 20 repl {dtype} seed={seed}", seed).multinomial(dtype, p1, 20, True)
            case(f"multinomial 2-d 2 no-repl {dtype} seed={seed}", seed).multinomial(dtype, p2, 2, False)
            case(f"multinomial 2-d 7 repl {dtype} seed={seed}", seed).multinomial(dtype, p2, 7, True)
            g = torch.Generator().manual_seed(seed + 7)
            big = (torch.rand(50, dtype=torch.float64, generator=g) ** 3).tolist()
            case(f"multinomial 50 cats 10 no-repl {dtype} seed={seed}", seed).multinomial(dtype, big, 10, False)
            case(f"multinomial 50 cats 100 repl {dtype} seed={seed}", seed).multinomial(dtype, big, 100, True)

    for seed in [0, 42]:
        for dtype, n in [("float32", 20), ("float32", 7), ("float64", 20), ("float64", 7)]:
            g = torch.Generator().manual_seed(seed + 11)
            means = (torch.rand(n, dtype=torch.float64, generator=g) * 10 - 5).tolist()
            stds = (torch.rand(n, dtype=torch.float64, generator=g) * 3).tolist()
            case(f"normal(mean_t, std_t) {dtype} n={n} seed={seed}", seed).normal_tensor(dtype, means, stds)

    # One seed, many calls: the state (and the cached Box-Muller spare) carries across them.
    c = case("mixed sequence seed=0", 0)
    c.uniform("float32", 3)
    c.normal("float32", 3)      # three scalar normals: the third leaves a spare cached
    c.state()                   # ... which get_rng_state records (normal_y, normal_is_valid)
    c.normal("float64", 5)      # the spare comes first
    c.randint("int64", 4, 0, 10)
    c.normal("float32", 16)     # normal_fill: leaves the cached spare alone
    c.normal("float32", 1)
    c.randperm(7)
    c.bernoulli_scalar("float32", 6, 0.5)
    c.normal("float64", 2, 1.0, 2.0)
    c.uniform("float64", 2)
    c.multinomial("float32", [0.5, 0.25, 0.25], 2, False)
    c.multinomial("float32", [0.5, 0.25, 0.25], 4, True)
    c.exponential("float32", 3, 1.0)
    c.normal("float32", 40, 0.5, 2.0)
    c.uniform("float32", 700)   # crosses a 624-word regeneration of the mt19937 state
    c.state()
    c.initial_seed()

    c = case("mixed sequence seed=1234", 1234)
    for _ in range(3):
        c.normal("float32", 5)
        c.normal("float64", 17)
        c.randint("int32", 5, -100, 100)
        c.uniform("bfloat16", 9)
        c.state()

    # Seeds: the engine keeps seed & 0xffffffff, initial_seed the whole uint64; negative seeds
    # are their two's complement.
    for seed in [2 ** 32 + 7, 7, -1, 2 ** 64 - 1, 2 ** 63 + 5, 67280421310721]:
        c = case(f"seed {seed}", seed)
        c.initial_seed()
        c.uniform("float32", 4)
        c.state()

    # A torch.Generator of its own, and one with PyTorch's default seed (67280421310721).
    c = case("own generator seed=123", 123, own_generator=True)
    c.uniform("float32", 5)
    c.normal("float32", 3)
    c.randperm(10)
    c.state()
    c = case("own generator, default seed", None, own_generator=True)
    c.initial_seed()
    c.uniform("float32", 5)
    c.normal("float64", 3)

    # Long runs, checked by checksum.
    for seed in [0, 7]:
        c = case(f"long runs seed={seed}", seed)
        c.uniform("float32", 100000, digest=True)
        c.normal("float32", 100000, digest=True)
        c.normal("float32", 100003, 0.5, 2.0, digest=True)
        c.uniform("float32", 100000, -2.0, 3.0, digest=True)
        c.uniform("float64", 100000, -2.0, 3.0, digest=True)
        c.uniform("float16", 100000, digest=True)
        c.uniform("bfloat16", 100000, -2.0, 3.0, digest=True)
        c.normal("float16", 100003, digest=True)
        c.normal("float64", 1003, 0.5, 2.0)
        c.randint("int64", 100000, -1000, 1000, digest=True)
        c.randperm(100000, digest=True)
        c.bernoulli_scalar("float32", 100000, 0.3, digest=True)
        c.state()

    # nn.Linear(4, 3) after manual_seed(0): kaiming_uniform_(a=sqrt(5)) on the weight, then
    # uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias; the bounds as PyTorch computes them.
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    fan_in = 4
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
    wbound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    bbound = 1 / math.sqrt(fan_in)
    linear = {"weight": enc(lin.weight.detach()), "bias": enc(lin.bias.detach()),
              "weight_bound": wbound, "bias_bound": bbound}

    data = {"torch_version": torch.__version__, "linear_4_3_seed0": linear,
            "cases": [c.to_json() for c in cases]}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
