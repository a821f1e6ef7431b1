// torch.nn.init: in-place initialisers, run under no_grad (torch/nn/init.py, PyTorch 2.x).
//
// Bounds and standard deviations are computed with the same float64 expressions, in the same
// order, as PyTorch's Python code, and the samplers are PyTorch's (src/core/random.ts through the
// Tensor methods uniform_ / normal_), so after torch.manual_seed(s) every initialiser, and every
// layer's default initialisation, draws PyTorch's exact numbers.

import { Tensor } from "../core/tensor.js";
import { float64 } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { no_grad } from "../autograd/grad_mode.js";
import { erf } from "../core/special.js";
import { where } from "../ops/elementwise.js";
import { empty_like } from "../ops/creation.js";
import { Generator } from "../core/random.js";
import { randperm } from "../ops/random_ops.js";
import { warnOnce } from "../ops/util.js";
import { parsedFunction } from "../core/argparse.js";
import "./_ops.js";

// (the public functions are parsed by PyTorch's Python signatures, generator last by position or by
// name: nn/index.ts; the library's own calls pass their arguments by position)
type Gen = Generator | null;
const gen = (g?: Gen) => (g ? { generator: g } : undefined);

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

/** The recommended gain for a nonlinearity (param: leaky_relu's negative slope, default 0.01). */
export function calculate_gain(nonlinearity: Nonlinearity | string, param: number | null = null): number {
  const linear = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];
  if (linear.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    let slope: number;
    if (param === null || param === undefined) slope = 0.01;
    else if (typeof param === "number") slope = param;
    else throw new Error(`negative_slope ${String(param)} not a valid number`);
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new Error(`Unsupported nonlinearity ${nonlinearity}`);
}

export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  if (tensor.dim() < 2) throw new Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  let receptive = 1;
  for (const s of tensor.shape.slice(2)) receptive *= s;
  return [tensor.shape[1]! * receptive, tensor.shape[0]! * receptive];
}

function _calculate_correct_fan(tensor: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== "fan_in" && m !== "fan_out") throw new Error(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return m === "fan_in" ? fanIn : fanOut;
}

export function uniform_(tensor: Tensor, a = 0, b = 1, generator: Gen = null): Tensor {
  return no_grad(() => tensor.uniform_(a, b, gen(generator)));
}

export function normal_(tensor: Tensor, mean = 0, std = 1, generator: Gen = null): Tensor {
  return no_grad(() => tensor.normal_(mean, std, gen(generator)));
}

/** Normal(mean, std) truncated to [a, b], by inverse-CDF sampling as PyTorch does. */
export function trunc_normal_(tensor: Tensor, mean = 0, std = 1, a = -2, b = 2, generator: Gen = null): Tensor {
  const normCdf = (x: number) => (1 + erf(x / Math.sqrt(2))) / 2;
  if (mean < a - 2 * std || mean > b + 2 * std)
    warnOnce("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
  const g = gen(generator);
  // 2.x's draws (torch/nn/init.py): where [a, b] holds much of the normal, normal samples with the
  // ones outside redrawn; otherwise rejection sampling of uniform candidates against the density
  return no_grad(() => {
    const p = normCdf((b - mean) / std) - normCdf((a - mean) / std);
    let result: Tensor;
    if (p > 0.3) {
      // the bounds as the tensor's dtype holds them, so the mask agrees with its values
      const lo = tensor.new_tensor(a).item() as number, hi = tensor.new_tensor(b).item() as number;
      result = tensor.normal_(mean, std, g);
      for (;;) {
        const mask = result.lt(lo).logical_or(result.gt(hi));
        if (!mask.any().item()) break;
        result = where(mask, empty_like(result).normal_(mean, std, g), result);
      }
    } else {
      const mode = Math.max(a, Math.min(mean, b));
      const logPeak = -0.5 * ((mode - mean) / std) ** 2;
      const candidates = empty_like(tensor), acceptBuf = empty_like(tensor);
      // log of the density relative to its peak, in place as PyTorch computes it
      const logPdf = () => candidates.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(logPeak);
      result = tensor.uniform_(a, b, g);
      candidates.copy_(tensor);
      logPdf();
      let pending = acceptBuf.uniform_(0, 1, g).log_().gt(candidates);
      while (pending.any().item()) {
        candidates.uniform_(a, b, g);
        result = where(pending, candidates, result);
        logPdf();
        pending = where(pending, acceptBuf.uniform_(0, 1, g).log_().gt(candidates), pending);
      }
    }
    if (result !== tensor) tensor.copy_(result);
    return tensor;
  });
}

export function constant_(tensor: Tensor, val: number): Tensor { return no_grad(() => tensor.fill_(val)); }
export function ones_(tensor: Tensor): Tensor { return no_grad(() => tensor.fill_(1)); }
export function zeros_(tensor: Tensor): Tensor { return no_grad(() => tensor.zero_()); }

/** The identity matrix, in place (2-d tensors only). */
export function eye_(tensor: Tensor): Tensor {
  if (tensor.ndim !== 2) throw new Error("Only tensors with 2 dimensions are supported");
  return no_grad(() => {
    const [n, m] = tensor.shape as [number, number];
    const v = new Float64Array(n * m);
    for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
    return tensor.copy_(Tensor.fromStorage(K.fromNumbers(v, tensor.dtype), [n, m], tensor.dtype));
  });
}

/** The Dirac delta for convolution weights [out, in, *k]: identity on the channels, per group. */
export function dirac_(tensor: Tensor, groups = 1): Tensor {
  const nd = tensor.ndim;
  if (nd < 3 || nd > 5) throw new Error("Only tensors with 3, 4, or 5 dimensions are supported");
  const sizes = tensor.shape;
  if (sizes[0]! % groups !== 0) throw new Error("dim 0 must be divisible by groups");
  const outPerGroup = sizes[0]! / groups, minDim = Math.min(outPerGroup, sizes[1]!);
  return no_grad(() => {
    const v = new Float64Array(tensor.numel());
    const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((p, q) => p * q, 1));
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < minDim; d++) {
        let pos = (g * outPerGroup + d) * strides[0]! + d * strides[1]!;
        for (let k = 2; k < nd; k++) pos += Math.floor(sizes[k]! / 2) * strides[k]!;
        v[pos] = 1;
      }
    }
    return tensor.copy_(Tensor.fromStorage(K.fromNumbers(v, tensor.dtype), sizes.slice(), tensor.dtype));
  });
}

export function xavier_uniform_(tensor: Tensor, gain = 1, generator: Gen = null): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a, generator);
}

export function xavier_normal_(tensor: Tensor, gain = 1, generator: Gen = null): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0, std, generator);
}

export interface KaimingOpts { a?: number; mode?: "fan_in" | "fan_out"; nonlinearity?: Nonlinearity; generator?: Gen }

function kaimingArgs(rest: unknown[]): Required<Omit<KaimingOpts, "generator">> & { generator?: Gen } {
  const o: KaimingOpts = { a: 0, mode: "fan_in", nonlinearity: "leaky_relu" };
  const names = ["a", "mode", "nonlinearity", "generator"] as const;
  for (let i = 0; i < rest.length; i++) {
    const v = rest[i];
    if (v !== null && typeof v === "object" && !(v instanceof Generator)) Object.assign(o, Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)));
    else if (v !== undefined) (o as Record<string, unknown>)[names[i]!] = v;
  }
  return o as Required<Omit<KaimingOpts, "generator">> & { generator?: Gen };
}

/** He initialisation, uniform: bound = gain·sqrt(3 / fan). kaiming_uniform_(w, a, mode, nonlinearity)
 *  or kaiming_uniform_(w, {a, mode, nonlinearity, generator}). */
export function kaiming_uniform_(tensor: Tensor, ...rest: (number | string | Gen | KaimingOpts | undefined)[]): Tensor {
  const o = kaimingArgs(rest);
  if (tensor.shape.includes(0)) { warnOnce("Initializing zero-element tensors is a no-op"); return tensor; }
  const fan = _calculate_correct_fan(tensor, o.mode);
  const gain = calculate_gain(o.nonlinearity, o.a);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-bound, bound, gen(o.generator)));
}

/** He initialisation, normal: std = gain / sqrt(fan). */
export function kaiming_normal_(tensor: Tensor, ...rest: (number | string | Gen | KaimingOpts | undefined)[]): Tensor {
  const o = kaimingArgs(rest);
  if (tensor.shape.includes(0)) { warnOnce("Initializing zero-element tensors is a no-op"); return tensor; }
  const fan = _calculate_correct_fan(tensor, o.mode);
  const gain = calculate_gain(o.nonlinearity, o.a);
  const std = gain / Math.sqrt(fan);
  return no_grad(() => tensor.normal_(0, std, gen(o.generator)));
}

/** Q of the QR factorisation of a rows × cols matrix (rows >= cols), by Householder reflections in
 *  float64, with R's diagonal returned so the caller can fix the signs as PyTorch does. LAPACK's
 *  geqrf computes the same factorisation; with the sign fix Q is unique for a full-rank input. */
function householderQR(a: Float64Array, rows: number, cols: number): { q: Float64Array; rdiag: Float64Array } {
  const A = Float64Array.from(a); // rows × cols, row-major, becomes R
  const vs: Float64Array[] = [];
  const k = Math.min(rows, cols);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < rows; i++) norm += A[i * cols + j]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(rows);
    const alpha = A[j * cols + j]! >= 0 ? -norm : norm;
    for (let i = j; i < rows; i++) v[i] = A[i * cols + j]!;
    v[j] = v[j]! - alpha;
    let vn = 0;
    for (let i = j; i < rows; i++) vn += v[i]! ** 2;
    if (vn > 0) {
      for (let c = j; c < cols; c++) {
        let s = 0;
        for (let i = j; i < rows; i++) s += v[i]! * A[i * cols + c]!;
        const f = (2 * s) / vn;
        for (let i = j; i < rows; i++) A[i * cols + c] = A[i * cols + c]! - f * v[i]!;
      }
    }
    vs.push(v);
  }
  // Q (rows × k) = H0 H1 … H(k-1) applied to the first k columns of the identity
  const q = new Float64Array(rows * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!;
    let vn = 0;
    for (let i = j; i < rows; i++) vn += v[i]! ** 2;
    if (vn === 0) continue;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = j; i < rows; i++) s += v[i]! * q[i * k + c]!;
      const f = (2 * s) / vn;
      for (let i = j; i < rows; i++) q[i * k + c] = q[i * k + c]! - f * v[i]!;
    }
  }
  const rdiag = new Float64Array(k);
  for (let i = 0; i < k; i++) rdiag[i] = A[i * cols + i]!;
  return { q, rdiag };
}

/** A (semi-)orthogonal matrix from the QR factorisation of a normal sample (Saxe et al. 2013). */
export function orthogonal_(tensor: Tensor, gain = 1, generator: Gen = null): Tensor {
  if (tensor.ndim < 2) throw new Error("Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0]!, cols = tensor.numel() / rows;
  return no_grad(() => {
    // the sample is drawn as PyTorch draws it: a rows × cols tensor of the tensor's dtype
    const flat = Tensor.empty([rows, cols], tensor.dtype).normal_(0, 1, gen(generator));
    const tall = rows < cols ? flat.t() : flat; // factorise the tall orientation
    const m = tall.shape[0]!, n = tall.shape[1]!;
    const { q, rdiag } = householderQR(Float64Array.from(K.values(tall.contiguous())), m, n);
    // q *= sign(diag(r)): makes the factorisation unique (Mezzadri, arXiv math-ph/0609050)
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] = q[i * n + j]! * Math.sign(rdiag[j]!);
    let Q = Tensor.fromStorage(q, [m, n], float64).to(tensor.dtype);
    if (rows < cols) Q = Q.t();
    tensor.view(rows, cols).copy_(Q);
    tensor.mul_(gain);
    return tensor;
  });
}

/** A sparse matrix: normal(0, std) with a `sparsity` fraction of each column zeroed. */
export function sparse_(tensor: Tensor, sparsity: number, std = 0.01, generator: Gen = null): Tensor {
  if (tensor.ndim !== 2) throw new Error("Only tensors with 2 dimensions are supported");
  const [rows, cols] = tensor.shape as [number, number];
  const numZeros = Math.ceil(sparsity * rows);
  return no_grad(() => {
    tensor.normal_(0, std, gen(generator));
    for (let c = 0; c < cols; c++) {
      const perm = K.values(randperm(rows));
      for (let i = 0; i < numZeros; i++) tensor.select(0, perm[i]!).select(0, c).fill_(0);
    }
    return tensor;
  });
}

// the deprecated un-suffixed names PyTorch still exports (torch/nn/init.py's _make_deprecate: a
// FutureWarning, then the new function with the arguments as given)
function deprecated<F extends (...a: never[]) => Tensor>(fn: F): F {
  const parsed = parsedFunction(`nn.init.${fn.name}`, fn) as unknown as (...a: unknown[]) => Tensor;
  const old = fn.name.slice(0, -1);
  return { [old]: (...args: unknown[]) => {
    console.warn(`FutureWarning: \`nn.init.${old}\` is now deprecated in favor of \`nn.init.${fn.name}\`.`);
    return parsed(...args);
  } }[old] as unknown as F;
}
export const uniform = deprecated(uniform_), normal = deprecated(normal_), constant = deprecated(constant_);
export const xavier_uniform = deprecated(xavier_uniform_), xavier_normal = deprecated(xavier_normal_);
export const kaiming_uniform = deprecated(kaiming_uniform_), kaiming_normal = deprecated(kaiming_normal_);
export const orthogonal = deprecated(orthogonal_), sparse = deprecated(sparse_);
