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

/** erfc(x) for x >= 0.5: e^{-x²} times erfcx's continued fraction. */
function erfcLarge(x: number): number {
  if (x === Infinity) return 0; // the fraction below would be inf/inf
  return Math.exp(-x * x) * erfcxLarge(x);
}

/** erfcx(x) = e^{x²}·erfc(x) for x >= 0.5 by the continued fraction
 *  erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) without its e^{-x²},
 *  evaluated with modified Lentz. */
export function erfcxLarge(x: number): number {
  if (x === Infinity) return 0;
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
  return 1 / (f * Math.sqrt(Math.PI));
}

/** calc_erfinv of Math.h: a rational first guess, then two Newton steps. */
export function erfinvScalar(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ya) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (y < 0 || Object.is(y, -0) ? -Math.abs(num) : Math.abs(num)) / dem;
  }
  const c = 2 / Math.sqrt(Math.PI);
  x = x - (erf(x) - y) / (c * Math.exp(-x * x));
  x = x - (erf(x) - y) / (c * Math.exp(-x * x));
  return x;
}

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
