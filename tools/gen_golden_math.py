#!/usr/bin/python3
"""Golden data for the remaining pointwise math and torch.special (test/math.test.ts through
test/opdb_math.ts), computed by real PyTorch with tools/gen_golden.py's case machinery:

    /work/.venv-torch/bin/python tools/gen_golden_math.py      # writes test/golden/math.json

heaviside's NotImplemented node has no derivative: its cases are not differentiated here
(test/math.test.ts checks the error).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden as G  # noqa: E402
from gen_golden import T, S, TR, SL, EX, case  # noqa: E402,F401

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "math.json")

UNARY = {
    # name: (callable, (lo, hi), ints ok)
    "acosh": (torch.acosh, (1.1, 4.0), True),
    "asinh": (torch.asinh, (-3.0, 3.0), True),
    "atanh": (torch.atanh, (-0.9, 0.9), True),
    "arccosh": (torch.arccosh, (1.1, 4.0), False),
    "arcsinh": (torch.arcsinh, (-3.0, 3.0), False),
    "arctanh": (torch.arctanh, (-0.9, 0.9), False),
    "absolute": (torch.absolute, (-2.0, 2.0), True),
    "deg2rad": (torch.deg2rad, (-200.0, 200.0), True),
    "rad2deg": (torch.rad2deg, (-4.0, 4.0), True),
    "sinc": (torch.sinc, (-3.0, 3.0), True),
    "lgamma": (torch.lgamma, (-3.9, 6.0), True),
    "digamma": (torch.digamma, (-3.9, 6.0), True),
    "erfinv": (torch.erfinv, (-0.95, 0.95), True),
    "i0": (torch.i0, (-10.0, 10.0), True),
    "special_i0e": (torch.special.i0e, (-10.0, 10.0), True),
    "special_i1": (torch.special.i1, (-10.0, 10.0), True),
    "special_i1e": (torch.special.i1e, (-10.0, 10.0), True),
    "special_ndtr": (torch.special.ndtr, (-4.0, 4.0), True),
    "special_ndtri": (torch.special.ndtri, (0.02, 0.98), False),
    "special_log_ndtr": (torch.special.log_ndtr, (-6.0, 4.0), True),
    "special_erfcx": (torch.special.erfcx, (-2.0, 5.0), True),
    "special_entr": (torch.special.entr, (0.05, 3.0), True),
    "special_expit": (torch.special.expit, (-3.0, 3.0), False),
    "special_gammaln": (torch.special.gammaln, (0.2, 6.0), False),
    "special_psi": (torch.special.psi, (0.2, 6.0), False),
    "special_digamma": (torch.special.digamma, (0.2, 6.0), False),
    "special_erf": (torch.special.erf, (-2.0, 2.0), False),
    "special_erfc": (torch.special.erfc, (-2.0, 2.0), False),
    "special_erfinv": (torch.special.erfinv, (-0.9, 0.9), False),
    "special_i0": (torch.special.i0, (-5.0, 5.0), False),
    "special_expm1": (torch.special.expm1, (-2.0, 2.0), False),
    "special_exp2": (torch.special.exp2, (-2.0, 2.0), False),
    "special_log1p": (torch.special.log1p, (-0.5, 2.0), False),
    "special_sinc": (torch.special.sinc, (-2.0, 2.0), False),
    "special_round": (torch.special.round, (-5.0, 5.0), False),
}
# special values per op (non-finite, poles, branch points)
SPECIALS = {
    "acosh": [1.0, float("inf"), float("nan"), 0.5],
    "asinh": [0.0, -0.0, float("inf"), float("-inf"), float("nan")],
    "atanh": [1.0, -1.0, 0.0, 2.0, float("nan")],
    "sinc": [0.0, 1.0, -2.0, 0.5, float("inf"), float("nan")],
    "lgamma": [0.0, -1.0, -2.5, 1.0, 2.0, 0.5, 1e-8, 100.0, 1e20, float("inf"), float("-inf"), float("nan")],
    "digamma": [0.0, -0.0, -1.0, -2.5, 1.0, 10.0, 1e-8, 100.0, 1e18, float("inf"), float("nan")],
    "erfinv": [0.0, 1.0, -1.0, 0.999, -0.9999, 1.5, float("nan")],
    "i0": [0.0, 8.0, -8.0, 30.0, float("nan")],
    "special_i0e": [0.0, 8.0, 100.0, float("inf"), float("nan")],
    "special_i1": [0.0, -8.0, 8.5, 30.0, float("nan")],
    "special_i1e": [0.0, -8.0, 8.5, 100.0, float("nan")],
    "special_ndtri": [0.0, 1.0, 0.5, 1e-20, 0.99999, 1e-300, -0.5, float("nan")],
    "special_log_ndtr": [-40.0, -1.0, -0.5, 0.0, 10.0, float("inf"), float("-inf")],
    "special_erfcx": [-30.0, -5.0, 0.0, 0.49, 0.51, 30.0, 1e10, float("inf"), float("nan")],
    "special_entr": [0.0, -1.0, 1.0, float("inf"), float("nan")],
}

G.OPS.update({n: (lambda f: lambda x: f(x))(f) for n, (f, _, _) in UNARY.items()})
G.OPS.update({
    "positive": lambda x: torch.positive(x),
    "polygamma": lambda n, x: torch.polygamma(n, x),
    "special_polygamma": lambda n, x: torch.special.polygamma(n, x),
    "polygamma_method": lambda x, n: x.polygamma(n),
    "mvlgamma": lambda x, p: torch.mvlgamma(x, p),
    "special_multigammaln": lambda x, p: torch.special.multigammaln(x, p),
    "copysign": lambda a, b: torch.copysign(a, b),
    "hypot": lambda a, b: torch.hypot(a, b),
    "heaviside": lambda a, b: torch.heaviside(a, b),
    "logaddexp": lambda a, b: torch.logaddexp(a, b),
    "logaddexp2": lambda a, b: torch.logaddexp2(a, b),
    "xlogy": lambda a, b: torch.xlogy(a, b),
    "special_xlogy": lambda a, b: torch.special.xlogy(a, b),
    "special_xlog1py": lambda a, b: torch.special.xlog1py(a, b),
    "special_zeta": lambda a, b: torch.special.zeta(a, b),
    "nextafter": lambda a, b: torch.nextafter(a, b),
    "ldexp": lambda a, b: torch.ldexp(a, b),
    "ldexp_out": lambda a, b, o: torch.ldexp(a, b, out=o),
    "frexp": lambda x: torch.frexp(x),
    "gcd": lambda a, b: torch.gcd(a, b),
    "lcm": lambda a, b: torch.lcm(a, b),
    "isin": lambda a, b, **kw: torch.isin(a, b, **kw),
    "isreal": lambda x: torch.isreal(x),
    "addcmul": lambda i, a, b, **kw: torch.addcmul(i, a, b, **kw),
    "addcdiv": lambda i, a, b, **kw: torch.addcdiv(i, a, b, **kw),
    "special_logit": lambda x, **kw: torch.special.logit(x, **kw),
    "special_logsumexp": lambda x, d, **kw: torch.special.logsumexp(x, d, **kw),
    "special_softmax": lambda x, d, **kw: torch.special.softmax(x, d, **kw),
    "special_log_softmax": lambda x, d, **kw: torch.special.log_softmax(x, d, **kw),
    "special_round_decimals": lambda x, **kw: torch.special.round(x, **kw),
    # in-place variants on a non-leaf clone (the runner differentiates through the clone)
    "inplace": lambda name, x, *a, **kw: getattr(x.clone(), name + "_")(*a, **kw),
})


def unary_cases():
    for op, (_, (lo, hi), ints) in UNARY.items():
        nz = op in ("absolute", "sinc")
        case(op, "float32", [T([2, 3], lo=lo, hi=hi, nonzero=nz)])
        case(op, "float64", [T([2, 3], "float64", lo=lo, hi=hi, nonzero=nz)])
        if op.startswith("special_") and op not in ("special_i0e", "special_i1", "special_i1e", "special_ndtr", "special_ndtri",
                                                    "special_log_ndtr", "special_erfcx", "special_entr"):
            continue  # aliases: one float32 and one float64 case each
        case(op, "float32 0-d", [T([], lo=lo, hi=hi, nonzero=nz)])
        case(op, "float32 empty", [T([0, 3], lo=lo, hi=hi)])
        case(op, "float32 transposed", [T([3, 2], lo=lo, hi=hi, nonzero=nz, view=TR)])
        case(op, "float64 sliced", [T([2, 6], "float64", lo=lo, hi=hi, nonzero=nz, view=SL)])
        case(op, "float64 expanded", [T([1, 3], "float64", lo=lo, hi=hi, nonzero=nz, view=EX)])
        if ints:
            ilo, ihi = (max(1, int(lo) + 1), max(2, int(hi))) if lo > 0 or op == "acosh" else (int(lo), int(hi))
            if op in ("atanh", "erfinv"):
                ilo, ihi = -1, 1
            case(op, "int64", [T([2, 3], "int64", lo=ilo, hi=ihi)])
            case(op, "int32", [T([4], "int32", lo=ilo, hi=ihi)])
            case(op, "bool", [T([4], "bool")])
        if op in SPECIALS:
            vals = SPECIALS[op]
            case(op, "float64 special values", [T([len(vals)], "float64", values=vals, rg=False)])
            case(op, "float32 special values", [T([len(vals)], values=[v for v in vals if abs(v) < 1e30 or v != v or abs(v) == float("inf")], rg=False)])


def group1_cases():
    unary_cases()
    case("positive", "float32", [T([2, 3])])
    case("positive", "int64", [T([3], "int64", lo=-3, hi=3)])
    case("positive", "bool error", [T([3], "bool")], error=True)
    # copysign
    for v, args in [("float32", [T([2, 3]), T([2, 3])]), ("float64", [T([2, 3], "float64", nonzero=True), T([2, 3], "float64")]),
                    ("float64 broadcast", [T([2, 1, 3], "float64", nonzero=True), T([4, 1], "float64")]),
                    ("float32 0-d", [T([]), T([])]), ("float32 empty", [T([0, 3]), T([3])]),
                    ("float64 non-contiguous", [T([3, 2], "float64", nonzero=True, view=TR), T([2, 6], "float64", view=SL)]),
                    ("float64 scalar", [T([2, 3], "float64", nonzero=True), S(-1.5)]),
                    ("float32 int scalar", [T([2, 3]), S(-2.0)]),
                    ("int64", [T([2, 3], "int64", lo=-5, hi=5), T([2, 3], "int64", lo=-5, hi=5)]),
                    ("int64 scalar", [T([4], "int64", lo=-5, hi=5), S(-1.0)]),
                    ("float32 with float64", [T([2, 3]), T([3], "float64")]),
                    ("bool with int32", [T([4], "bool"), T([4], "int32", lo=-3, hi=3)]),
                    ("signed zeros", [T([4], "float64", values=[1.0, 2.0, -3.0, 0.0], rg=False),
                                      T([4], "float64", values=[-0.0, 0.0, 0.0, -0.0], rg=False)])]:
        case("copysign", v, args)
    # hypot, logaddexp, logaddexp2, nextafter: floating tensors only
    for op in ("hypot", "logaddexp", "logaddexp2", "nextafter"):
        case(op, "float32", [T([2, 3]), T([2, 3])])
        case(op, "float64", [T([2, 3], "float64"), T([2, 3], "float64")])
        case(op, "float64 broadcast", [T([2, 1, 3], "float64"), T([4, 1], "float64")])
        case(op, "float32 0-d", [T([]), T([])])
        case(op, "float32 empty", [T([0, 3]), T([3])])
        case(op, "float64 non-contiguous", [T([3, 2], "float64", view=TR), T([2, 6], "float64", view=SL)])
        case(op, "float32 with float64", [T([2, 3]), T([3], "float64")])
        case(op, "int64 error", [T([3], "int64", lo=-3, hi=3), T([3], "int64", lo=-3, hi=3)], error=True)
    case("hypot", "float64 zeros", [T([3], "float64", values=[0.0, 3.0, float("inf")], rg=False), T([3], "float64", values=[0.0, 4.0, float("nan")], rg=False)])
    for op in ("logaddexp", "logaddexp2"):
        case(op, "float64 infinities", [T([5], "float64", values=[float("inf"), float("-inf"), float("-inf"), 1000.0, -1000.0], rg=False),
                                        T([5], "float64", values=[float("inf"), float("-inf"), 1.0, 1000.0, 1000.0], rg=False)])
    case("nextafter", "float32 directions", [T([6], values=[1.0, 1.0, 0.0, 0.0, -1.0, 2.0], rg=False),
                                             T([6], values=[2.0, 0.0, 1.0, -1.0, -1.0, float("nan")], rg=False)])
    case("nextafter", "float64 directions", [T([6], "float64", values=[1.0, 1.0, 0.0, 0.0, -1.0, 2.0], rg=False),
                                             T([6], "float64", values=[2.0, 0.0, 1.0, -1.0, -1.0, float("inf")], rg=False)])
    case("nextafter", "float32 grad", [T([3]), T([3])])
    # heaviside
    case("heaviside", "float32", [T([6], values=[-1.0, 0.0, 2.0, 0.0, -0.0, float("nan")], rg=False), T([6], lo=-1.0, hi=1.0, rg=False)])
    case("heaviside", "float64 broadcast", [T([2, 3], "float64", values=[-1.0, 0.0, 2.0, 0.0, 3.0, -2.0], rg=False), T([], "float64", values=0.5, rg=False)])
    case("heaviside", "int64", [T([5], "int64", lo=-2, hi=2), T([5], "int64", lo=5, hi=9)])
    case("heaviside", "float32 requires grad", [T([2, 3]), T([3])])
    case("heaviside", "dtype error", [T([3]), T([3], "int64", lo=0, hi=2)], error=True)
    # xlogy family
    for op in ("xlogy", "special_xlogy", "special_xlog1py"):
        lo = 0.1 if op != "special_xlog1py" else -0.9
        case(op, "float32", [T([2, 3]), T([2, 3], lo=lo, hi=3.0)])
        case(op, "float64", [T([2, 3], "float64"), T([2, 3], "float64", lo=lo, hi=3.0)])
        if op == "special_xlogy":
            continue
        case(op, "float64 broadcast", [T([2, 1, 3], "float64"), T([4, 1], "float64", lo=lo, hi=3.0)])
        case(op, "float32 0-d", [T([]), T([], lo=lo, hi=3.0)])
        case(op, "float32 empty", [T([0, 3]), T([3], lo=lo, hi=3.0)])
        case(op, "float64 non-contiguous", [T([3, 2], "float64", view=TR), T([2, 6], "float64", lo=lo, hi=3.0, view=SL)])
        case(op, "float64 scalar other", [T([2, 3], "float64"), S(2.5)])
        case(op, "float64 scalar self", [S(1.5), T([2, 3], "float64", lo=lo, hi=3.0)])
        case(op, "float64 zero self", [T([4], "float64", values=[0.0, 0.0, 1.0, 0.0]),
                                        T([4], "float64", values=[0.0 if op == "xlogy" else -1.0, 2.0, float("nan"), float("nan")], rg=False)])
        case(op, "int64", [T([2, 3], "int64", lo=0, hi=4), T([2, 3], "int64", lo=1, hi=5)])
        case(op, "bool with float32", [T([4], "bool"), T([4], lo=lo, hi=3.0)])
    # zeta
    case("special_zeta", "float32", [T([2, 3], lo=1.5, hi=5.0, rg=False), T([2, 3], lo=0.5, hi=3.0)])
    case("special_zeta", "float64", [T([2, 3], "float64", lo=1.5, hi=5.0, rg=False), T([2, 3], "float64", lo=0.5, hi=3.0)])
    case("special_zeta", "float64 broadcast", [T([3, 1], "float64", lo=1.5, hi=5.0, rg=False), T([4], "float64", lo=0.5, hi=3.0)])
    case("special_zeta", "float64 scalar x", [S(3.0), T([2, 3], "float64", lo=0.5, hi=3.0)])
    case("special_zeta", "float64 scalar q", [T([2, 3], "float64", lo=1.5, hi=5.0, rg=False), S(2.0)])
    case("special_zeta", "float64 special values", [T([7], "float64", values=[1.0, 0.5, 2.0, 2.0, 2.5, 3.0, 20.0], rg=False),
                                                    T([7], "float64", values=[1.0, 1.0, -1.0, -1.5, -1.5, 1e-3, 1.0], rg=False)])
    case("special_zeta", "int64", [T([4], "int64", lo=2, hi=5), T([4], "int64", lo=1, hi=4)])
    # ldexp
    case("ldexp", "float32", [T([2, 3]), T([2, 3], "int64", lo=-4, hi=4)])
    case("ldexp", "float64", [T([2, 3], "float64"), T([2, 3], "int32", lo=-4, hi=4)])
    case("ldexp", "float64 broadcast", [T([2, 1], "float64"), T([3], "int64", lo=-4, hi=4)])
    case("ldexp", "float64 float exponent", [T([2, 3], "float64"), T([2, 3], "float64", lo=-2, hi=2)])
    case("ldexp", "int64", [T([4], "int64", lo=-4, hi=4), T([4], "int64", lo=0, hi=4)])
    case("ldexp", "float32 0-d", [T([]), T([], "int64", lo=0, hi=4)])
    # 2.x: an integral exponent scales exactly (std::ldexp) in self's dtype, past 2^e's own range
    case("ldexp", "float32 exponent beyond float", [T([4], values=[1e-38, 3e38, 1.5, -2.0]), T([4], "int64", values=[130, -140, -149, 2])])
    case("ldexp", "float64 negative int exponent", [T([3], "float64"), T([3], "int64", values=[-1, -3, 2], rg=False)])
    case("ldexp", "float16 int32 exponent", [T([2, 3], "float16"), T([2, 3], "int32", lo=-20, hi=20)])
    case("ldexp", "bfloat16 int16 exponent", [T([3], "bfloat16"), T([3], "int16", lo=-4, hi=4)])
    case("ldexp", "float32 broadcast self", [T([3, 1]), T([2], "int64", lo=-4, hi=4)])
    # otherwise self * _pow2(self, other): its type promotion
    case("ldexp", "float64 with float32 0-d exponent", [T([3], "float64"), T([], lo=-2, hi=2)])
    case("ldexp", "float16 with float32 exponent", [T([3], "float16"), T([3], lo=-2, hi=2)])
    case("ldexp", "float32 with float64 exponent", [T([3]), T([3], "float64", lo=-2, hi=2)])
    case("ldexp", "int64 with float32 exponent", [T([3], "int64", lo=-4, hi=4), T([3], lo=-2, hi=2)])
    case("ldexp", "bool exponent error", [T([2]), T([2], "bool")], error=True)
    case("ldexp_out", "float64 out", [T([2], "float64", rg=False), T([2], "int64", lo=-4, hi=4), T([2], "float64", rg=False)])
    case("ldexp_out", "int64 out error", [T([2], rg=False), T([2], "int64", lo=-4, hi=4), T([2], "int64")], error=True)
    case("ldexp_out", "bool out error", [T([2], rg=False), T([2], "float64", rg=False), T([2], "bool")], error=True)
    # frexp
    case("frexp", "float32", [T([2, 3], lo=-100, hi=100)])
    case("frexp", "float64", [T([2, 3], "float64", lo=-100, hi=100)])
    case("frexp", "float64 special values", [T([8], "float64", values=[0.0, -0.0, 1.0, 0.5, -3.0, 1e-310, float("inf"), float("nan")])])
    case("frexp", "float32 transposed", [T([3, 2], lo=-5, hi=5, view=TR)])
    case("frexp", "float32 empty", [T([0])])
    case("frexp", "int64 error", [T([3], "int64", lo=0, hi=3)], error=True)
    # gcd, lcm
    for op in ("gcd", "lcm"):
        case(op, "int64", [T([2, 3], "int64", lo=-12, hi=12), T([2, 3], "int64", lo=-12, hi=12)])
        case(op, "int64 broadcast", [T([2, 1], "int64", lo=0, hi=30), T([3], "int64", lo=0, hi=30)])
        case(op, "int32", [T([5], "int32", lo=-20, hi=20), T([5], "int32", lo=-20, hi=20)])
        case(op, "int16 with int64", [T([4], "int16", lo=0, hi=20), T([4], "int64", lo=0, hi=20)])
        case(op, "uint8", [T([4], "uint8", lo=0, hi=20), T([4], "uint8", lo=0, hi=20)])
        case(op, "zeros", [T([4], "int64", values=[0, 0, 5, -6]), T([4], "int64", values=[0, 7, 0, 4])])
        case(op, "int64 0-d", [T([], "int64", lo=1, hi=50), T([], "int64", lo=1, hi=50)])
        case(op, "float error", [T([3]), T([3])], error=True)
    # isin
    case("isin", "int64", [T([2, 3], "int64", lo=0, hi=6), T([4], "int64", lo=0, hi=6)])
    case("isin", "float32", [T([5], values=[1.0, 2.5, float("nan"), -0.0, 3.0]), T([3], values=[2.5, 0.0, float("nan")])])
    case("isin", "float32 invert", [T([5], values=[1.0, 2.5, float("nan"), -0.0, 3.0]), T([3], values=[2.5, 0.0, float("nan")])], {"invert": True})
    case("isin", "scalar test", [T([2, 3], "int64", lo=0, hi=3), S(2.0)])
    case("isin", "scalar element", [S(2.0), T([4], "int64", lo=0, hi=3)])
    case("isin", "int32 with float64", [T([4], "int32", lo=0, hi=3), T([2], "float64", values=[1.0, 2.5])])
    case("isin", "assume_unique", [T([4], "int64", values=[1, 2, 3, 4]), T([2], "int64", values=[4, 1])], {"assume_unique": True})
    case("isin", "empty", [T([0], "int64"), T([3], "int64", lo=0, hi=3)])
    case("isin", "2-d test", [T([5], "int64", lo=0, hi=9), T([2, 2], "int64", lo=0, hi=9)])
    case("isreal", "float32", [T([2, 3])])
    case("isreal", "int64", [T([3], "int64", lo=0, hi=3)])
    # addcmul, addcdiv
    for op in ("addcmul", "addcdiv"):
        case(op, "float32", [T([2, 3]), T([2, 3]), T([2, 3], nonzero=True)])
        case(op, "float64", [T([2, 3], "float64"), T([2, 3], "float64"), T([2, 3], "float64", nonzero=True)])
        case(op, "float64 value", [T([2, 3], "float64"), T([2, 3], "float64"), T([2, 3], "float64", nonzero=True)], {"value": S(-0.5)})
        case(op, "float64 broadcast", [T([3], "float64"), T([2, 1], "float64"), T([1, 3], "float64", nonzero=True)], {"value": S(2.0)})
        case(op, "float32 0-d", [T([]), T([]), T([], nonzero=True)])
        case(op, "float32 empty", [T([0, 3]), T([0, 3]), T([3], nonzero=True)])
        case(op, "float64 non-contiguous", [T([3, 2], "float64", view=TR), T([2, 6], "float64", view=SL), T([1, 3], "float64", nonzero=True, view=EX)])
        case(op, "float32 with float64", [T([2, 3]), T([3], "float64"), T([2, 3], nonzero=True)])
    case("addcmul", "int64", [T([4], "int64", lo=-5, hi=5), T([4], "int64", lo=-5, hi=5), T([4], "int64", lo=-5, hi=5)], {"value": S(2.0)})
    # (its backward fails: derivatives.yaml's value / tensor2 divides in tensor2's integer dtype)
    case("addcdiv", "int64 with float", [T([4], "int64", lo=-5, hi=5), T([4], lo=-5, hi=5), T([4], "int64", lo=1, hi=5)])
    case("addcdiv", "int64 error", [T([4], "int64", lo=-5, hi=5), T([4], "int64", lo=-5, hi=5), T([4], "int64", lo=1, hi=5)], error=True)
    case("addcmul", "shape error", [T([2, 3]), T([4]), T([3])], error=True)
    # in-place variants
    F64 = lambda lo=-2.0, hi=2.0, shape=(2, 3), **k: T(list(shape), "float64", lo=lo, hi=hi, **k)
    for name, args, kw in [
        ("acosh", [F64(1.1, 3.0)], {}), ("asinh", [F64()], {}), ("atanh", [F64(-0.9, 0.9)], {}),
        ("arccosh", [F64(1.1, 3.0)], {}), ("arcsinh", [F64()], {}), ("arctanh", [F64(-0.9, 0.9)], {}),
        ("absolute", [F64(nonzero=True)], {}), ("deg2rad", [F64()], {}), ("rad2deg", [F64()], {}),
        ("sinc", [F64(nonzero=True)], {}), ("copysign", [F64(nonzero=True), F64(shape=(3,))], {}),
        ("copysign", [F64(nonzero=True), S(-1.0)], {}), ("hypot", [F64(), F64(shape=(3,))], {}),
        ("xlogy", [F64(), F64(0.1, 3.0)], {}), ("xlogy", [F64(), S(2.0)], {}), ("ldexp", [F64(), T([2, 3], "int64", lo=-3, hi=3)], {}),
        ("addcmul", [F64(), F64(), F64(shape=(3,))], {"value": S(0.5)}), ("addcdiv", [F64(), F64(), F64(nonzero=True)], {"value": S(2.0)}),
        ("lgamma", [F64(0.2, 5.0)], {}), ("digamma", [F64(0.2, 5.0)], {}), ("erfinv", [F64(-0.9, 0.9)], {}), ("i0", [F64()], {}),
        ("polygamma", [F64(0.2, 5.0), 1], {}), ("mvlgamma", [F64(1.2, 5.0), 2], {}),
    ]:
        case("inplace", f"{name}_ " + ("scalar" if any(isinstance(a, S) for a in args[1:]) else "tensor" if len(args) > 1 else "unary"), [name, *args], kw)
    for name, args in [("gcd", [T([4], "int64", lo=-9, hi=9), T([4], "int64", lo=-9, hi=9)]),
                       ("lcm", [T([4], "int32", lo=-9, hi=9), T([4], "int32", lo=-9, hi=9)]),
                       ("heaviside", [T([4], values=[-1.0, 0.0, 1.0, 0.0], rg=False), T([4], values=[0.5, 0.25, 3.0, -1.0], rg=False)]),
                       ("nextafter", [T([3]), T([3])])]:
        case("inplace", f"{name}_", [name, *args])
    case("inplace", "ldexp_ float exponent", ["ldexp", T([3]), T([3], "float64", lo=-2, hi=2)])
    case("inplace", "ldexp_ int64 self error", ["ldexp", T([3], "int64", lo=1, hi=3), T([3], "int64", lo=1, hi=3)], error=True)
    case("inplace", "xlogy_ int64 error", ["xlogy", T([3], "int64", lo=1, hi=3), T([3], lo=1, hi=3)], error=True)


def group2_cases():
    for n in (0, 1, 2, 3):
        case("polygamma", f"n={n} float64", [n, T([2, 3], "float64", lo=0.2, hi=5.0)])
        case("polygamma", f"n={n} float32", [n, T([2, 3], lo=0.2, hi=5.0)])
    case("polygamma", "n=1 float64 negative", [1, T([2, 3], "float64", lo=-3.9, hi=-0.1)])
    case("polygamma", "n=2 float64 negative", [2, T([4], "float64", values=[-0.5, -1.5, -2.25, -3.7])])
    case("polygamma", "n=4 float64", [4, T([3], "float64", lo=0.5, hi=4.0)])
    case("polygamma", "n=1 float32 0-d", [1, T([], lo=0.5, hi=3.0)])
    case("polygamma", "n=1 float32 empty", [1, T([0, 2])])
    case("polygamma", "n=1 float64 transposed", [1, T([3, 2], "float64", lo=0.3, hi=3.0, view=TR)])
    case("polygamma", "n=1 int64", [1, T([4], "int64", lo=1, hi=5)])
    case("polygamma", "n=2 special values", [2, T([5], "float64", values=[0.0, -1.0, 1.0, float("inf"), float("nan")], rg=False)])
    case("polygamma", "n=1 special values", [1, T([5], "float64", values=[0.0, -1.0, 1.0, 1e-8, float("nan")], rg=False)])
    case("polygamma", "negative n error", [-1, T([3])], error=True)
    case("special_polygamma", "n=1 float64", [1, T([2, 3], "float64", lo=0.2, hi=5.0)])
    case("polygamma_method", "n=2 float64", [T([2, 3], "float64", lo=0.2, hi=5.0), 2])
    for p in (1, 2, 3):
        case("mvlgamma", f"p={p} float64", [T([2, 3], "float64", lo=0.5 * p + 0.1, hi=5.0), p])
        case("mvlgamma", f"p={p} float32", [T([2, 3], lo=0.5 * p + 0.1, hi=5.0), p])
    case("mvlgamma", "p=2 float64 0-d", [T([], "float64", lo=1.0, hi=3.0), 2])
    case("mvlgamma", "p=2 float32 empty", [T([0, 3]), 2])
    case("mvlgamma", "p=2 float64 transposed", [T([3, 2], "float64", lo=1.0, hi=4.0, view=TR), 2])
    case("mvlgamma", "p=2 int64", [T([4], "int64", lo=1, hi=6), 2])
    case("mvlgamma", "p=2 float64 below (p-1)/2", [T([3], "float64", values=[0.2, 2.0, 3.0]), 2])
    case("mvlgamma", "bool error", [T([3], "bool"), 2], error=True)
    case("mvlgamma", "p error", [T([3], lo=1.0, hi=2.0), 0], error=True)
    case("special_multigammaln", "p=3 float64", [T([2, 3], "float64", lo=1.2, hi=5.0), 3])
    case("special_logit", "float64 eps", [T([5], "float64", values=[0.01, 0.2, 0.5, 0.8, 0.99])], {"eps": 0.05})
    case("special_logit", "float32", [T([2, 3], lo=0.05, hi=0.95)])
    case("special_logsumexp", "float64", [T([2, 3], "float64"), 1])
    case("special_logsumexp", "float32 keepdim", [T([2, 3]), 0], {"keepdim": True})
    case("special_softmax", "float64", [T([2, 3], "float64"), 1])
    case("special_softmax", "float32 dtype", [T([2, 3]), 0], {"dtype": G.D("float64")})
    case("special_log_softmax", "float64", [T([2, 3], "float64"), -1])
    case("special_round_decimals", "float64 decimals=1", [T([2, 3], "float64", lo=-20, hi=20)], {"decimals": 1})


def main():
    group1_cases()
    group2_cases()
    G.write_op_db(OUT, "tools/gen_golden_math.py")


if __name__ == "__main__":
    main()
