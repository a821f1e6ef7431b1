// Special functions JavaScript's Math lacks, accurate to float64 rounding (a few ulp).

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf via the everywhere-positive series erf(x) = 2/√π e^{-x²} Σ 2ⁿx^{2n+1}/(2n+1)!! for |x| < 3
 *  (no cancellation), and 1 - erfc(x) from the continued fraction beyond. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 3) return Math.sign(x) * (1 - erfcLarge(ax));
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 3) return erfcLarge(x);
  if (x <= -3) return 2 - erfcLarge(-x);
  if (x < 0.5) return 1 - erf(x);
  // 0.5 <= x < 3: 1 - erf loses digits; the continued fraction converges well enough here too
  return erfcLarge(x);
}

/** erfc(x) for x >= 0.5 by the continued fraction
 *  erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) evaluated with modified Lentz. */
function erfcLarge(x: number): number {
  if (x === Infinity) return 0; // the fraction below would be inf/inf
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    D = x + a * D; if (D === 0) D = tiny; D = 1 / D;
    C = x + a / C; if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

/** Python/PyTorch remainder: the result takes the divisor's sign. */
export function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** Round half to even, as torch.round does. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
