"""Fits the float32 erf of the native engine (src/backends/native/csrc/vecmath.h: tt_erf_small,
tt_erfc_big): erf(x) = x·P(x²) on [0, 1], and erf(x) = 1 - erfc(x) above with
erfc(a) = exp(-a²)·R(1/a), R fitted for a in [1, 10] (exp(-a²) underflows float32 past that);
and GELU's Φ in one piece (tt_erfc_scaled, Note [Φ in one piece]): erfc(a) = exp(-a²)·S(t) with
t = 1/(1 + a/2), S fitted for a in [0, 9.3], weighted for relative error.
Least squares on Chebyshev nodes against mpmath, then the whole function evaluated in float32 step
by step as the C code does it (no fused multiply-adds), and its largest error printed: erf in
float32 ulps, and GELU's x·Φ(x) against the float64 formula of the reference kernels.
Run: /work/.venv-torch/bin/python tools/fit_erf.py (numpy, mpmath)."""
import math
import numpy as np, mpmath
mpmath.mp.dps = 30
erf = np.vectorize(lambda v: float(mpmath.erf(v)))
scaled_erfc = np.vectorize(lambda v: float(mpmath.erfc(v) * mpmath.exp(v * v)))
f32 = np.float32


def horner(c, x):
    p = np.full_like(x, f32(c[-1]), dtype=np.float32)
    for k in c[-2::-1]:
        p = (p * x + f32(k)).astype(np.float32)
    return p


nodes = lambda n, lo, hi: lo + (hi - lo) * (np.cos(np.pi * (np.arange(n) + 0.5) / n) + 1) / 2
z = nodes(400, 0, 1)
x = np.sqrt(z)
P = np.polynomial.polynomial.polyfit(z, erf(x) / x, 6).astype(np.float32)
t = nodes(800, 0.1, 1)
R = np.polynomial.polynomial.polyfit(t, scaled_erfc(1 / t), 10).astype(np.float32)


S_AMAX = 9.3  # exp(-a²) leaves float32's normal range past it
t_min = 1 / (1 + S_AMAX / 2)
t = nodes(3000, t_min, 1)
a_t = (1 / t - 1) * 2
S_want = scaled_erfc(a_t)
S = np.linalg.lstsq(np.vander(t, 10, increasing=True) / S_want[:, None], np.ones_like(t), rcond=None)[0].astype(np.float32)


def erf_small(a):
    return (a * horner(P, (a * a).astype(np.float32))).astype(np.float32)


def erfc_big(a):
    e = np.exp(-(a * a).astype(np.float32)).astype(np.float32)
    return (e * horner(R, (f32(1) / a).astype(np.float32))).astype(np.float32)


def erf32(v):
    a = np.abs(v)
    r = np.where(a < 1, erf_small(np.minimum(a, f32(1))), (f32(1) - erfc_big(np.maximum(a, f32(1)))).astype(np.float32))
    return np.copysign(r, v)


def gelu32(v):
    zz = (v * f32(math.sqrt(0.5))).astype(np.float32)
    a = np.abs(zz)
    c = np.where(a < 1, (f32(1) - erf_small(np.minimum(a, f32(1)))).astype(np.float32), erfc_big(np.maximum(a, f32(1))))
    c = (f32(0.5) * c).astype(np.float32)
    return (v * np.where(zz < 0, c, (f32(1) - c).astype(np.float32))).astype(np.float32)


def gelu32_one_piece(v):
    a = (np.abs(v) * f32(math.sqrt(0.5))).astype(np.float32)
    e = np.exp(-(a * a).astype(np.float32)).astype(np.float32)
    c = (f32(0.5) * (e * horner(S, (f32(1) / (f32(1) + f32(0.5) * a)).astype(np.float32))).astype(np.float32)).astype(np.float32)
    return (v * np.where(v < 0, c, (f32(1) - c).astype(np.float32))).astype(np.float32)


xs = np.concatenate([np.linspace(-6, 6, 400001), np.logspace(-40, 0, 3000)]).astype(np.float32)
want = erf(xs.astype(np.float64)).astype(np.float32)
ulp = np.spacing(np.abs(want))
print("erf: max error, float32 ulps:", np.max(np.abs(erf32(xs).astype(np.float64) - want) / np.where(ulp > 0, ulp, 1e-45)))
xs = np.linspace(-20, 20, 400001).astype(np.float32)
ref = np.array([float(v) * 0.5 * (1 + math.erf(float(v) * math.sqrt(0.5))) for v in xs])
print("gelu: max |error| / (1 + |gelu|):", np.max(np.abs(gelu32(xs) - ref) / (1 + np.abs(ref))))
print("gelu, Φ in one piece: max |error| / (1 + |gelu|):", np.max(np.abs(gelu32_one_piece(xs) - ref) / (1 + np.abs(ref))))
a32 = np.linspace(0, S_AMAX, 20001).astype(np.float32)
S32 = horner(S, (f32(1) / (f32(1) + f32(0.5) * a32)).astype(np.float32))
print("erfc(a)·exp(a²) in one piece: max relative error:", np.max(np.abs(S32 - scaled_erfc(a32.astype(np.float64))) / scaled_erfc(a32.astype(np.float64))))
fmt = lambda a: ", ".join(f"{float(v)!r}f" for v in a)
print("P (z^0 first) =", fmt(P))
print("R (t^0 first) =", fmt(R))
print("S (t^0 first) =", fmt(S))
