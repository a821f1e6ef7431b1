// The sampling ops of ATen's Distributions.cpp behind torch.distributions: torch._standard_gamma
// and torch._sample_dirichlet (Gamma, Beta, Dirichlet, Chi2, StudentT; drawn as ATen's CPU
// samplers draw, src/core/random.ts), torch.poisson and torch.binomial (Poisson, Binomial,
// NegativeBinomial: sample_poisson and TensorFlow's BTRS as ATen adapted them), and the
// reparameterized gradients torch._standard_gamma_grad and torch._dirichlet_grad with the
// approximations of aten/src/ATen/native/Distributions.h.
//
// Note [scalar_t arithmetic]: those templates compute partly in scalar_t and partly in double
// (accscalar_t). For float32 inputs every scalar_t operation below rounds to float (`f`), and
// float calls of log/pow/tan are glibc's correctly rounded float functions (the double result
// rounded once); float64 inputs use the identity for `f`. The double libm calls are the
// correctly rounded ones of core/random.ts (Note [libm accuracy]); std::lgamma is
// special_ops' lgamma (within about 1e-15, used only in acceptance tests).

import { Tensor } from "../core/tensor.js";
import { type DType, float32, float64, scalarTypeName } from "../core/dtype.js";
import * as K from "../backends/index.js";
import * as R from "../core/random.js";
import { DIGAMMA_A } from "../core/special.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { lgammaScalar } from "./special_ops.js";

type Round = (x: number) => number;
const same: Round = (x) => x;
const PSI_10 = 2.25175258906672110764;
const F = Math.fround;

/** digamma_one<scalar_t, double> (Distributions.h; not Math.h's calc_digamma: no reflection
 *  through trunc, +inf at the poles). */
function digammaOne(x: number, f: Round): number {
  if (x === 0) return Infinity;
  let additional = 0;
  if (x < 0) {
    if (x === Math.floor(x)) return Infinity;
    const pi = f(Math.PI);
    additional = f(-pi / f(Math.tan(f(pi * x))));
    x = f(1 - x);
  }
  let result = 0;
  while (x < 10) { result -= f(1 / x); x = f(x + 1); }
  if (x === 10) return f(result + PSI_10 + additional);
  let y = 0;
  if (x < 1e17) {
    const z = 1 / f(x * x);
    let p = 0;
    for (const a of DIGAMMA_A) p = p * z + a;
    y = z * p;
  }
  return f(result + f(R.logAcc(x)) - f(0.5 / x) - y + additional);
}

const F08 = F(0.8), F09 = F(0.9), F11 = F(1.1);
const COEF_UV = [
  [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
  [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
  [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07],
] as const;

/** standard_gamma_grad_one<scalar_t, double>: -(d/dalpha cdf(x; alpha)) / pdf(x; alpha), by a
 *  Taylor series for small x, Rice's saddle point expansion for large alpha, else a bivariate
 *  rational approximation; all in double, rounded once to scalar_t. */
function standardGammaGradOne(alpha: number, x: number, f: Round): number {
  if (x < F08) {
    let numer = 1, denom = alpha;
    let series1 = numer / denom, series2 = numer / (denom * denom);
    for (let i = 1; i <= 5; ++i) {
      numer *= -x / i;
      denom += 1;
      series1 += numer / denom;
      series2 += numer / (denom * denom);
    }
    const powXAlpha = R.powAcc(x, alpha);
    const gammaPdf = R.powAcc(x, alpha - 1) * R.expAcc(-x);
    const gammaCdf = powXAlpha * series1;
    const gammaCdfAlpha = (R.logAcc(x) - digammaOne(alpha, same)) * gammaCdf - powXAlpha * series2;
    const result = -gammaCdfAlpha / gammaPdf;
    return Number.isNaN(result) ? 0 : f(result);
  }
  if (alpha > 8) {
    if (F09 * alpha <= x && x <= F11 * alpha) {
      const numer1 = 1 + 24 * alpha * (1 + 12 * alpha);
      const numer2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x);
      const denom = 1244160 * (alpha * alpha) * (alpha * alpha);
      return f(numer1 * numer2 / denom);
    }
    const denom = Math.sqrt(8 * alpha);
    const term2 = denom / (alpha - x);
    const term3 = R.powAcc(x - alpha - alpha * R.logAcc(x / alpha), -1.5);
    const term23 = x < alpha ? term2 - term3 : term2 + term3;
    const term1 = R.logAcc(x / alpha) * term23 - Math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x));
    const stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha));
    const numer = x * term1;
    return f(-stirling * numer / denom);
  }
  const u = R.logAcc(x / alpha), v = R.logAcc(alpha);
  const c = new Array<number>(8);
  for (let i = 0; i < 8; ++i) c[i] = COEF_UV[0][i]! + u * (COEF_UV[1][i]! + u * COEF_UV[2][i]!);
  const p = c[0]! + v * (c[1]! + v * (c[2]! + v * c[3]!));
  const q = c[4]! + v * (c[5]! + v * (c[6]! + v * c[7]!));
  return f(R.expAcc(p / q));
}

/** pow of scalar_t operands (powf for float: Note [scalar_t arithmetic]). */
const powS = (b: number, e: number, f: Round) => f(R.powAcc(b, e));

/** _beta_grad_alpha_small: Taylor expansion for x near 0, in scalar_t. */
function betaGradAlphaSmall(x: number, alpha: number, beta: number, f: Round): number {
  const factor = f(f(digammaOne(alpha, f) - digammaOne(f(alpha + beta), f)) - f(R.logAcc(x)));
  let numer = 1;
  let series = f(f(numer / alpha) * f(factor + f(1 / alpha)));
  for (let i = 1; i <= 10; ++i) {
    numer = f(numer * f(f(f(i - beta) * x) / i));
    const denom = f(alpha + i);
    series = f(series + f(f(numer / denom) * f(factor + f(1 / denom))));
  }
  const result = f(f(x * powS(f(1 - x), -beta, f)) * series);
  return Number.isNaN(result) ? 0 : result;
}

/** _beta_grad_beta_small: Taylor expansion for x near 0, in scalar_t. */
function betaGradBetaSmall(x: number, alpha: number, beta: number, f: Round): number {
  const factor = f(digammaOne(f(alpha + beta), f) - digammaOne(beta, f));
  let numer = 1, betas = 1, dbetas = 0, series = f(factor / alpha);
  for (let i = 1; i <= 8; ++i) {
    numer = f(numer * f(-x / i));
    dbetas = f(f(dbetas * f(beta - i)) + betas);
    betas = f(betas * f(beta - i));
    series = f(series + f(f(numer / f(alpha + i)) * f(dbetas + f(factor * betas))));
  }
  const result = f(-powS(f(1 - x), f(1 - beta), f) * series);
  return Number.isNaN(result) ? 0 : result;
}

/** _beta_grad_alpha_mid: Rice saddle point expansion for large alpha and beta, in double. */
function betaGradAlphaMid(x: number, alpha: number, beta: number, f: Round): number {
  const total = alpha + beta;
  const mean = alpha / total;
  const std = Math.sqrt(alpha * beta / (total + 1)) / total;
  if (mean - 0.1 * std <= x && x <= mean + 0.1 * std) {
    // Avoid the singularity at x = mean.
    const poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
      (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
        3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
          (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
            8 * (1 - x) * (135 * beta - 11)))));
    const prefactorNum = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total);
    const prefactorDen = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total);
    return f(prefactorNum / (1 - x) * poly / prefactorDen);
  }
  const prefactor = -x / Math.sqrt(2 * alpha * beta / total);
  const stirling = (1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
    * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
    / (1 + 1 / (12 * total) + 1 / (288 * total * total));
  const term1Num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta);
  const axbx = alpha * (x - 1) + beta * x;
  const term1Den = Math.sqrt(2 * alpha / beta) * R.powAcc(total, 1.5) * axbx * axbx;
  const term1 = term1Num / term1Den;
  const term2 = 0.5 * R.logAcc(alpha / (total * x));
  const term3Num = Math.sqrt(8 * alpha * beta / total);
  const term3Den = beta * x + alpha * (x - 1);
  const term3 = term3Num / term3Den;
  const term4Base = beta * R.logAcc(beta / (total * (1 - x))) + alpha * R.logAcc(alpha / (total * x));
  const term4 = R.powAcc(term4Base, -1.5);
  const term1234 = term1 + term2 * (term3 + (x < mean ? term4 : -term4));
  return f(stirling * prefactor * term1234);
}

const DIRICHLET_C = [
  [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
    [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
    [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
  [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
    [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
    [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
  [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
    [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
    [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
  [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
    [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
    [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
  [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
    [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
    [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
  [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
    [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
    [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]],
] as const;

/** dirichlet_grad_one<scalar_t, double>: -(d/dalpha cdf(x; alpha, beta)) / pdf(x; alpha, beta)
 *  / (1 - x) for x ~ Beta(alpha, total - alpha). */
function dirichletGradOne(x: number, alpha: number, total: number, f: Round): number {
  const beta = f(total - alpha);
  const beta_ = total - alpha;
  const boundary = f(f(total * x) * f(1 - x));
  if (x <= 0.5 && boundary < 2.5) return betaGradAlphaSmall(x, alpha, beta, f);
  if (x >= 0.5 && boundary < 0.75) return -betaGradBetaSmall(f(1 - x), beta, alpha, f);
  if (alpha > 6 && beta > 6) return betaGradAlphaMid(x, alpha, beta_, f);
  const u = R.logAcc(x);
  const a = R.logAcc(alpha) - u;
  const b = R.logAcc(total) - a;
  const powU = [1, u, u * u], powA = [1, a, a * a];
  let p = 0, q = 0;
  for (let i = 0; i < 3; ++i) {
    for (let j = 0; j < 3; ++j) {
      const ua = powU[i]! * powA[j]!;
      const c0 = DIRICHLET_C[0][i]![j]!, c1 = DIRICHLET_C[1][i]![j]!;
      p += ua * (c0[0] + b * (c0[1] + b * (c0[2] + b * c0[3])));
      q += ua * (c1[0] + b * (c1[1] + b * (c1[2] + b * c1[3])));
    }
  }
  const approx = x * f(digammaOne(total, f) - digammaOne(alpha, f)) / beta_;
  return f(p / q * approx);
}

// ---------------------------------------------------------------------------------------------
// The ops

/** AT_DISPATCH_FLOATING_TYPES: float and double only. */
function checkDtype(t: Tensor, kernel: string): Round {
  if (t.dtype !== float32 && t.dtype !== float64) throw new Error(`"${kernel}" not implemented for '${scalarTypeName(t.dtype)}'`);
  return t.dtype === float32 ? F : same;
}
const gen = (o?: R.Generator | { generator?: R.Generator | null } | null) => (o instanceof R.Generator ? o : o?.generator ?? undefined);
function cpuResult(data: Float32Array | Float64Array, shape: readonly number[], d: DType, like: Tensor): Tensor {
  return K.onDeviceOf(Tensor.fromStorage(data, shape.slice(), d), like);
}

/** torch._standard_gamma(alpha): Gamma(alpha, 1) samples (StandardGammaBackward0:
 *  grad * _standard_gamma_grad(alpha, result)). */
export function _standard_gamma(alpha: Tensor, opts?: { generator?: R.Generator | null }): Tensor {
  checkDtype(alpha, "gamma_cpu");
  const out = alpha.dtype === float32 ? new Float32Array(alpha.numel()) : new Float64Array(alpha.numel());
  R.standard_gamma_(out, K.values(alpha), gen(opts));
  const y = cpuResult(out, alpha.shape, alpha.dtype, alpha);
  return record("StandardGammaBackward0", [alpha], y, ([g], [a, r]) => [g!.mul(_standard_gamma_grad(a!, r!))], [alpha, y]);
}

/** torch._standard_gamma_grad(self, output): the reparameterized gradient of each sample. */
export function _standard_gamma_grad(self: Tensor, output: Tensor): Tensor {
  const f = checkDtype(self, "_standard_gamma_grad_cpu");
  const a = K.values(self), x = K.values(output.expand(self.shape.slice()));
  const out = self.dtype === float32 ? new Float32Array(a.length) : new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = standardGammaGradOne(a[i]!, x[i]!, f);
  return cpuResult(out, self.shape, self.dtype, self);
}

const ONE_BELOW = { float32: 1 - 2 ** -24, float64: 1 - 2 ** -53 } as const;
const SMALLEST = { float32: 1.1754943508222875e-38, float64: 2.2250738585072014e-308 } as const;

/** torch._sample_dirichlet(alpha): gammas in double, divided by their sums over the last dim
 *  (at::sum in double), cast back and kept inside (0, 1). Not differentiable. */
export function _sample_dirichlet(alpha: Tensor, opts?: { generator?: R.Generator | null }): Tensor {
  const f = checkDtype(alpha, "dirichlet");
  const gammas = Tensor.fromStorage(R.dirichlet_gammas(K.values(alpha), gen(opts)), alpha.shape.slice(), float64);
  const sums = K.values(no_grad(() => gammas.sum(-1, true)).expand(alpha.shape.slice()));
  const g = gammas._storage.data as Float64Array;
  const name = alpha.dtype.name as "float32" | "float64";
  const lo = SMALLEST[name], hi = ONE_BELOW[name];
  const out = alpha.dtype === float32 ? new Float32Array(g.length) : new Float64Array(g.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(hi, Math.max(lo, f(g[i]! / sums[i]!)));
  return cpuResult(out, alpha.shape, alpha.dtype, alpha);
}

/** torch._dirichlet_grad(x, alpha, total): dirichlet_grad_one of each element (alpha and total
 *  broadcast to x's shape). */
export function _dirichlet_grad(x: Tensor, alpha: Tensor, total: Tensor): Tensor {
  const f = checkDtype(x, "_dirichlet_grad_cpu");
  const shape = x.shape.slice();
  const xs = K.values(x), as = K.values(alpha.expand(shape)), ts = K.values(total.expand(shape));
  const out = x.dtype === float32 ? new Float32Array(xs.length) : new Float64Array(xs.length);
  for (let i = 0; i < out.length; i++) out[i] = dirichletGradOne(xs[i]!, as[i]!, ts[i]!, f);
  return cpuResult(out, shape, x.dtype, x);
}

// ---------------------------------------------------------------------------------------------
// torch.poisson and torch.binomial

/** sample_poisson (Distributions.cpp, from NumPy): Hörmann's transformed rejection for
 *  lambda >= 10, else multiplication of uniforms. */
function samplePoisson(lambda: number, g: R.Generator): number {
  if (!(lambda >= 0)) throw new Error("invalid Poisson rate, expected rate to be non-negative");
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda), loglam = R.logAcc(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = g.uniform53() - 0.5;
      const V = g.uniform53();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor((2 * a / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (R.logAcc(V) + R.logAcc(invalpha) - R.logAcc(a / (us * us) + b) <= -lambda + k * loglam - lgammaScalar(k + 1)) return k;
    }
  }
  if (lambda === 0) return 0;
  const enlam = R.expAcc(-lambda);
  let X = 0, prod = 1.0;
  for (;;) {
    prod *= g.uniform53();
    if (prod > enlam) X += 1;
    else return X;
  }
}

const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287,
];
/** stirling_approx_tail<double>(k). */
function stirlingTail(k: number): number {
  if (k < STIRLING_TAIL.length) return STIRLING_TAIL[Math.trunc(k)]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/** binomial_inversion: the number of geometric waiting times that fit in count. */
function binomialInversion(count: number, prob: number, f: Round, g: R.Generator): number {
  let geomSum = 0, numGeom = 0;
  const logprob = f === F ? F(Math.log1p(-prob)) : R.log1pAcc(-prob);
  for (;;) {
    geomSum += Math.ceil(R.logAcc(g.uniform53()) / logprob);
    if (geomSum > count) break;
    numGeom = f(numGeom + 1);
  }
  return numGeom;
}

/** btrs: Hörmann's transformed rejection with squeeze (BTRS), as ATen adapted TensorFlow's. */
function btrs(count: number, prob: number, f: Round, g: R.Generator): number {
  const stddev = f(Math.sqrt(f(f(count * prob) * f(1 - prob))));
  const b = 1.15 + 2.53 * stddev;
  const a = -0.0873 + 0.0248 * b + 0.01 * prob;
  const c = f(count * prob) + 0.5;
  const vR = 0.92 - 4.2 / b;
  const r = f(prob / f(1 - prob));
  const alpha = (2.83 + 5.1 / b) * stddev;
  const m = Math.floor(f(f(count + 1) * prob));
  for (;;) {
    const U = g.uniform53() - 0.5;
    let V = g.uniform53();
    const us = 0.5 - Math.abs(U);
    const k = f(Math.floor((2 * a / us + b) * U + c));
    if (k < 0 || k > count) continue;
    if (us >= 0.07 && V <= vR) return k;
    V = R.logAcc(V * alpha / (a / (us * us) + b));
    const cmk1 = f(f(count - k) + 1);
    const upperbound = (m + 0.5) * R.logAcc((m + 1) / (r * (count - m + 1)))
      + f(count + 1) * R.logAcc((count - m + 1) / cmk1)
      + (k + 0.5) * R.logAcc(r * cmk1 / f(k + 1))
      + stirlingTail(m) + stirlingTail(count - m) - stirlingTail(k) - stirlingTail(f(count - k));
    if (V <= upperbound) return k;
  }
}

/** sample_binomial<scalar_t, double>. */
function sampleBinomial(count: number, prob: number, f: Round, g: R.Generator): number {
  if (count <= 0.0 || prob <= 0.0) return 0;
  if (prob >= 1.0) return count;
  if (prob <= 0.5) return f(count * prob) >= 10.0 ? btrs(count, prob, f, g) : binomialInversion(count, prob, f, g);
  if (prob > 0.5) {
    const q = f(1.0 - prob);
    return f(count - (f(count * q) >= 10.0 ? btrs(count, q, f, g) : binomialInversion(count, q, f, g)));
  }
  return NaN;
}

/** torch.poisson(input, generator=None) (the generator by position or by name): a Poisson(rate) count per element, in input's dtype (PoissonBackward0:
 *  zero gradient). */
export function poisson(input: Tensor, opts?: R.Generator | { generator?: R.Generator | null } | null): Tensor {
  checkDtype(input, "poisson_cpu");
  const g = gen(opts) ?? R.default_generator;
  const rates = K.values(input);
  const out = input.dtype === float32 ? new Float32Array(rates.length) : new Float64Array(rates.length);
  for (let i = 0; i < out.length; i++) out[i] = samplePoisson(rates[i]!, g);
  const y = cpuResult(out, input.shape, input.dtype, input);
  return record("PoissonBackward0", [input], y, ([gr]) => [gr!.mul(0)]);
}

/** torch.binomial(count, prob): a Binomial(count, prob) draw per element of count (prob
 *  broadcast to it), in count's dtype (BinomialBackward0: zero gradients). */
export function binomial(count: Tensor, prob: Tensor, opts?: R.Generator | { generator?: R.Generator | null } | null): Tensor {
  const f = checkDtype(count, "binomial_cpu");
  const g = gen(opts) ?? R.default_generator;
  const counts = K.values(count), probs = K.values(prob.expand(count.shape.slice()));
  const out = count.dtype === float32 ? new Float32Array(counts.length) : new Float64Array(counts.length);
  for (let i = 0; i < out.length; i++) out[i] = sampleBinomial(counts[i]!, probs[i]!, f, g);
  const y = cpuResult(out, count.shape, count.dtype, count);
  return record("BinomialBackward0", [count, prob], y, ([gr]) => [gr!.mul(0), gr!.mul(0).sum_to_size(prob.shape.slice())]);
}
