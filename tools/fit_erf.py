"""Fits the float32 erf of the native engine (src/backends/native/csrc/vecmath.h, tt_erff):
erf(x) = x·P(x²) on [0, 1] and erf(x) = 1 - C(x) on [1, 4] with C a Chebyshev series for erfc,
both evaluated in double. Prints the coefficients and the largest error against mpmath's erf in
float32 ulps. Run: /work/.venv-torch/bin/python tools/fit_erf.py (numpy, mpmath)."""
import numpy as np, mpmath
mpmath.mp.dps = 40
erf = np.vectorize(lambda v: float(mpmath.erf(v)))
erfc = np.vectorize(lambda v: float(mpmath.erfc(v)))

# [0, 1]: erf(x)/x as a polynomial in z = x², least squares on Chebyshev nodes
z = (np.cos(np.pi * (np.arange(400) + 0.5) / 400) + 1) / 2
x = np.sqrt(z); x[x == 0] = 1e-12
P = np.polynomial.polynomial.polyfit(z, erf(x) / x, 8)
# [1, 4]: erfc(x) as a Chebyshev series in t = (x - 2.5) / 1.5
t = np.cos(np.pi * (np.arange(600) + 0.5) / 600)
C = np.polynomial.chebyshev.chebfit(t, erfc(2.5 + 1.5 * t), 22)

def model(xs):
    xs = np.abs(xs); zz = xs * xs
    small = xs * np.polynomial.polynomial.polyval(zz, P)
    big = 1 - np.polynomial.chebyshev.chebval((xs - 2.5) / 1.5, C)
    return np.where(xs <= 1, small, np.where(xs >= 4, 1.0, big))

xs = np.concatenate([np.linspace(0, 5, 200001), np.logspace(-30, 0, 2000)]).astype(np.float32).astype(np.float64)
want = erf(xs).astype(np.float32)
got = model(xs).astype(np.float32)
ulp = np.spacing(np.abs(want).astype(np.float32))
print("max error, float32 ulps:", np.max(np.abs(got.astype(np.float64) - want) / ulp))
fmt = lambda a: ", ".join(repr(float(v)) for v in a)
print("P =", fmt(P)); print("C =", fmt(C))
