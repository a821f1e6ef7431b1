// The Connectionist Temporal Classification loss (Graves et al., 2006), as ATen's CPU kernels
// compute it (aten/src/ATen/native/LossCTC.cpp): F.ctc_loss, torch.ctc_loss and nn.CTCLoss's op.
// Its own module, importing only core and op modules, so that nn.functional can re-export it.

import { Tensor } from "../core/tensor.js";
import { float64, scalarTypeName, type DType } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { where } from "../ops/index_ops.js";

type Lengths = Tensor | readonly number[] | number;
export interface CtcOpts { blank?: number; reduction?: string; zero_infinity?: boolean }

const lengthsOf = (l: Lengths): number[] =>
  typeof l === "number" ? [l] : l instanceof Tensor ? Array.from(K.values(l.reshape(-1)) as ArrayLike<number | bigint>, Number) : l.slice();
const at = (c: string) => ` (while checking arguments for ${c})`;

/** logsumexp of two or three log-values as ATen's CTC loops write it: the largest taken out (0
 *  where all are -inf). */
function lse(a: number, b: number, c = -Infinity): number {
  let m = Math.max(a, b, c);
  if (m === -Infinity) m = 0;
  return Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m)) + m;
}

/** ATen's _ctc_loss (reduction none): each batch element's negative log likelihood, from
 *  log_probs [T, N, C], targets [N, S] (padded) or concatenated [sum(target_lengths)], with
 *  CtcLossBackward0: ctc_loss_backward_cpu's gradient, exp(lp) − Σ exp(α + β + nll − lp) over the
 *  positions of each label, zero past an element's input length (and where zero_infinity and the
 *  likelihood is 0). */
function ctcNll(logProbs: Tensor, targets: Tensor, inputLengths: number[], targetLengths: number[], blank: number, zeroInfinity: boolean): Tensor {
  const [T, N, C] = logProbs.shape as [number, number, number];
  const c = "ctc_loss_allocate_outputs";
  if (!(blank >= 0 && blank < C)) throw new Error("blank must be in label range");
  if (inputLengths.length !== N) throw new Error("input_lengths must be of size batch_size");
  if (targetLengths.length !== N) throw new Error("target_lengths must be of size batch_size");
  const tv = Array.from(K.values(targets.contiguous()) as ArrayLike<number | bigint>, Number);
  const offsets: number[] = [];
  let stride = 0;
  if (targets.ndim === 1) {
    let pos = 0;
    for (const l of targetLengths) { offsets.push(pos); pos += l; }
    if (targets.shape[0] !== pos) throw new Error(`Expected tensor to have size ${pos} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets'${at(c)}`);
  } else {
    if (targets.shape[0] !== N) throw new Error(`Expected tensor to have size ${N} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets'${at(c)}`);
    stride = targets.shape[1]!;
    const maxL = Math.max(0, ...targetLengths);
    if (maxL > stride) throw new Error(`Expected tensor to have size at least ${maxL} at dimension 1, but got size ${stride} for argument #2 'targets'${at(c)}`);
    targetLengths.forEach((_, b) => offsets.push(b * stride));
  }
  for (const [name, ls, max] of [["input_lengths", inputLengths, T], ["target_lengths", targetLengths, Infinity]] as const)
    for (const l of ls) {
      if (l < 0) throw new Error(`Expected ${name} to have value at least 0, but got value ${l}${at(c)}`);
      if (l > max) throw new Error(`Expected ${name} to have value at most ${max}, but got value ${l}${at(c)}`);
    }
  const lp = K.values(logProbs.to(float64).contiguous()) as Float64Array;
  const LP = (t: number, b: number, k: number) => lp[(t * N + b) * C + k]!;
  const nll = new Float64Array(N), alphas: Float64Array[] = [], primes: number[][] = [];
  for (let b = 0; b < N; b++) {
    const L = targetLengths[b]!, Tb = inputLengths[b]!, S = 2 * L + 1;
    const prime = Array.from({ length: S }, (_, s) => (s % 2 === 0 ? blank : tv[offsets[b]! + (s - 1) / 2]!));
    const alpha = new Float64Array(Math.max(Tb, 1) * S).fill(-Infinity);
    if (Tb > 0) {
      alpha[0] = LP(0, b, blank);
      if (L > 0) alpha[1] = LP(0, b, prime[1]!);
      for (let t = 1; t < Tb; t++)
        for (let s = 0; s < S; s++) {
          const a1 = alpha[(t - 1) * S + s]!, a2 = s > 0 ? alpha[(t - 1) * S + s - 1]! : -Infinity;
          const a3 = s > 1 && prime[s - 2] !== prime[s] ? alpha[(t - 1) * S + s - 2]! : -Infinity;
          alpha[t * S + s] = lse(a1, a2, a3) + LP(t, b, prime[s]!);
        }
      nll[b] = L > 0 ? -lse(alpha[(Tb - 1) * S + S - 1]!, alpha[(Tb - 1) * S + S - 2]!) : -alpha[(Tb - 1) * S]!;
    } else nll[b] = L > 0 ? Infinity : 0;
    alphas.push(alpha); primes.push(prime);
  }
  const d: DType = logProbs.dtype;
  const out = Tensor.fromStorage(K.fromNumbers(nll, d), [N], d);
  return record("CtcLossBackward0", [logProbs], out, ([g]) => {
    const go = K.values(g!.to(float64).contiguous()) as Float64Array;
    const grad = new Float64Array(T * N * C);
    for (let b = 0; b < N; b++) {
      const L = targetLengths[b]!, Tb = inputLengths[b]!, S = 2 * L + 1, prime = primes[b]!, alpha = alphas[b]!;
      if (zeroInfinity && nll[b] === Infinity) continue;
      const beta = new Float64Array(Math.max(Tb, 1) * S).fill(-Infinity);
      if (Tb > 0) {
        beta[(Tb - 1) * S + S - 1] = LP(Tb - 1, b, blank);
        if (L > 0) beta[(Tb - 1) * S + S - 2] = LP(Tb - 1, b, prime[S - 2]!);
        for (let t = Tb - 2; t >= 0; t--)
          for (let s = 0; s < S; s++) {
            const b1 = beta[(t + 1) * S + s]!, b2 = s < S - 1 ? beta[(t + 1) * S + s + 1]! : -Infinity;
            const b3 = s < S - 2 && prime[s + 2] !== prime[s] ? beta[(t + 1) * S + s + 2]! : -Infinity;
            beta[t * S + s] = lse(b1, b2, b3) + LP(t, b, prime[s]!);
          }
      }
      for (let t = 0; t < Tb; t++) {
        const lcab = new Float64Array(C).fill(-Infinity);
        for (let s = 0; s < S; s++) {
          const k = prime[s]!, v = alpha[t * S + s]! + beta[t * S + s]!;
          const cur = lcab[k]!;
          if (cur === -Infinity) lcab[k] = v;
          else { const m = Math.max(cur, v); lcab[k] = m + Math.log(Math.exp(cur - m) + Math.exp(v - m)); }
        }
        for (let k = 0; k < C; k++) {
          const l = LP(t, b, k);
          grad[(t * N + b) * C + k] = (Math.exp(l) - Math.exp(lcab[k]! + nll[b]! - l)) * go[b]!;
        }
      }
    }
    return [Tensor.fromStorage(K.fromNumbers(grad, d), [T, N, C], d)];
  });
}

const REDUCTIONS = ["none", "mean", "sum"];

/** torch.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=Mean,
 *  zero_infinity=False), the reduction as ATen's enum (0 none, 1 mean, 2 sum): each element's loss
 *  (0 where infinite, with zero_infinity), then the mean of the losses over their target lengths,
 *  or the sum. log_probs [T, N, C] (or [T, C] unbatched, targets [S] and 0-d lengths then). */
export function ctc_loss_aten(log_probs: Tensor, targets: Tensor, input_lengths: Lengths, target_lengths: Lengths, blank = 0, reduction = 1, zero_infinity = false): Tensor {
  if (!log_probs.dtype.is_floating_point) throw new Error(`"ctc_loss_cpu" not implemented for '${scalarTypeName(log_probs.dtype)}'`);
  const unbatched = log_probs.ndim === 2;
  const lp = unbatched ? log_probs.unsqueeze(1) : log_probs, tg = unbatched ? targets.unsqueeze(0) : targets;
  const targetLengths = lengthsOf(target_lengths);
  let res = ctcNll(lp, tg, lengthsOf(input_lengths), targetLengths, blank, zero_infinity);
  if (zero_infinity) res = where(res.eq(Infinity), Tensor.empty([], res.dtype), res);
  if (reduction === 1) return res.div(Tensor.fromStorage(K.fromNumbers(targetLengths, res.dtype), [targetLengths.length], res.dtype).clamp_min(1)).mean();
  if (reduction === 2) return res.sum();
  return unbatched ? res.squeeze(0) : res;
}

/** F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
 *  zero_infinity=False). */
export function ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Lengths, target_lengths: Lengths, opts: CtcOpts = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const r = REDUCTIONS.indexOf(reduction);
  if (r < 0) { const e = new Error(`${reduction} is not a valid value for reduction`); e.name = "ValueError"; throw e; }
  return ctc_loss_aten(log_probs, targets, input_lengths, target_lengths, opts.blank ?? 0, r, opts.zero_infinity ?? false);
}
