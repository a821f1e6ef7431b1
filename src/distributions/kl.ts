// kl_divergence and register_kl (torch/distributions/kl.py): pairs registered by class, the most
// specific match chosen as PyTorch's _dispatch_kl does.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import { Distribution, ExponentialFamily, sum_rightmost } from "./distribution.js";
import { Normal, Bernoulli, Categorical, OneHotCategorical, Uniform, Exponential, Laplace, Poisson, Binomial, Independent } from "./families.js";
import { MultivariateNormal, _batch_mahalanobis } from "./multivariate_normal.js";
import { Gamma, Beta, Dirichlet } from "./gamma.js";
import { Cauchy } from "./families.js";
import { Geometric } from "./counts.js";
import { ContinuousBernoulli } from "./continuous_bernoulli.js";
import { LowRankMultivariateNormal, _batch_lowrank_logdet, _batch_lowrank_mahalanobis } from "./lowrank_multivariate_normal.js";
import { TransformedDistribution, Gumbel, HalfNormal, Pareto, euler_constant as EULER } from "./transformed.js";
import { transformsEqual } from "./transforms.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DistClass = abstract new (...args: any[]) => Distribution;
type KLFn = (p: any, q: any) => Tensor; // eslint-disable-line @typescript-eslint/no-explicit-any
const REGISTRY: [DistClass, DistClass, KLFn][] = [];

/** issubclass(a, b); Bernoulli counts as an ExponentialFamily as in PyTorch. */
function isSub(a: DistClass, b: DistClass): boolean {
  if (a === b || a.prototype instanceof b) return true;
  return b === ExponentialFamily && (a as unknown as { _exp_family?: boolean })._exp_family === true;
}

/** register_kl(P, Q)(fn): registers fn for kl_divergence(p: P, q: Q); returns fn. */
export function register_kl(type_p: DistClass, type_q: DistClass) {
  return <F extends KLFn>(fn: F): F => {
    const i = REGISTRY.findIndex(([p, q]) => p === type_p && q === type_q);
    if (i >= 0) REGISTRY[i]![2] = fn; else REGISTRY.push([type_p, type_q, fn]);
    return fn;
  };
}

/** _Match.__le__: lexicographic by subclass. */
function le(x: DistClass[], y: DistClass[]): boolean {
  for (let i = 0; i < x.length; i++) {
    if (!isSub(x[i]!, y[i]!)) return false;
    if (x[i] !== y[i]) break;
  }
  return true;
}
function minMatch(ms: DistClass[][]): DistClass[] {
  return ms.find((m) => ms.every((o) => le(m, o))) ?? ms[0]!;
}

export function kl_divergence(p: Distribution, q: Distribution): Tensor {
  const tp = p.constructor as DistClass, tq = q.constructor as DistClass;
  const matches = REGISTRY.filter(([a, b]) => isSub(tp, a) && isSub(tq, b)).map(([a, b]) => [a, b]);
  if (matches.length === 0) {
    throw new Error(`No KL(p || q) is implemented for p type ${tp.name} and q type ${tq.name}`);
  }
  const [lp, lq] = minMatch(matches) as [DistClass, DistClass];
  const [rq, rp] = minMatch(matches.map((m) => [m[1]!, m[0]!])) as [DistClass, DistClass];
  const fn = (a: DistClass, b: DistClass) => REGISTRY.find(([x, y]) => x === a && y === b)![2];
  if (fn(lp, lq) !== fn(rp, rq)) {
    console.warn(`RuntimeWarning: Ambiguous kl_divergence(${tp.name}, ${tq.name}). Please register_kl(${lp.name}, ${rq.name})`);
  }
  return fn(lp, lq)(p, q);
}

const softplus = (x: Tensor) => torch.nn.functional.softplus(x);

register_kl(Bernoulli, Bernoulli)((p: Bernoulli, q: Bernoulli) => {
  let t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
  t1 = t1.masked_fill(q.probs.eq(0), Infinity).masked_fill(p.probs.eq(0), 0);
  let t2 = p.probs.rsub(1).mul(softplus(q.logits).sub(softplus(p.logits)));
  t2 = t2.masked_fill(q.probs.eq(1), Infinity).masked_fill(p.probs.eq(1), 0);
  return t1.add(t2);
});
register_kl(Binomial, Binomial)((p: Binomial, q: Binomial) => {
  if (p.total_count.lt(q.total_count).any().item()) {
    throw new Error("KL between Binomials where q.total_count > p.total_count is not implemented");
  }
  const kl = p.total_count.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
  return kl.masked_fill(p.total_count.gt(q.total_count), Infinity);
});
const klCategorical = (p: Categorical, q: Categorical) => {
  let t = p.probs.mul(p.logits.sub(q.logits));
  t = t.masked_fill(q.probs.eq(0).expand(t.shape.slice()), Infinity).masked_fill(p.probs.eq(0).expand(t.shape.slice()), 0);
  return t.sum(-1);
};
register_kl(Categorical, Categorical)(klCategorical);
register_kl(Exponential, Exponential)((p: Exponential, q: Exponential) => {
  const r = q.rate.div(p.rate);
  return r.log().neg().add(r).sub(1);
});
register_kl(ExponentialFamily, ExponentialFamily)((p: ExponentialFamily, q: ExponentialFamily) => {
  if (p.constructor !== q.constructor) {
    throw new Error("The cross KL-divergence between different exponential families cannot                             be computed using Bregman divergences");
  }
  // the Bregman divergence of the log normalizer between the natural parameters (Bernoulli shares
  // the probs/logits plumbing instead: it has its own KL)
  const pParams = p._natural_params.map((t) => t.detach().requires_grad_());
  const qParams = q._natural_params;
  const lgNormal = p._log_normalizer(...pParams);
  const gradients = torch.autograd.grad([lgNormal.sum()], pParams, { create_graph: true });
  let result = q._log_normalizer(...qParams).sub(lgNormal);
  pParams.forEach((pnp, i) => {
    result = result.sub(sum_rightmost(qParams[i]!.sub(pnp).mul(gradients[i]!), q.event_shape.length));
  });
  return result;
});
register_kl(Independent, Independent)((p: Independent, q: Independent) => {
  if (p.reinterpreted_batch_ndims !== q.reinterpreted_batch_ndims) throw new Error("NotImplementedError");
  return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims);
});
register_kl(Laplace, Laplace)((p: Laplace, q: Laplace) => {
  const ratio = p.scale.div(q.scale);
  const d = p.loc.sub(q.loc).abs();
  return ratio.log().neg().add(d.div(q.scale)).add(ratio.mul(d.neg().div(p.scale).exp())).sub(1);
});

register_kl(OneHotCategorical, OneHotCategorical)((p: OneHotCategorical, q: OneHotCategorical) => klCategorical(p._categorical, q._categorical));
register_kl(Poisson, Poisson)((p: Poisson, q: Poisson) => p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate)));
register_kl(Uniform, Uniform)((p: Uniform, q: Uniform) => {
  const r = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  return r.masked_fill(q.low.gt(p.low).logical_or(q.high.lt(p.high)), Infinity);
});

/** _batch_trace_XXT: trace(X·Xᵀ) over the two rightmost dims. */
function batchTraceXXT(bmat: Tensor): Tensor {
  const n = bmat.shape[bmat.ndim - 1]!, m = bmat.shape[bmat.ndim - 2]!;
  return bmat.reshape(-1, m * n).pow(2).sum(-1).reshape(bmat.shape.slice(0, -2));
}
register_kl(MultivariateNormal, MultivariateNormal)((p: MultivariateNormal, q: MultivariateNormal) => {
  if (p.event_shape.length !== q.event_shape.length || p.event_shape.some((s, i) => s !== q.event_shape[i])) {
    throw new Error("KL-divergence between two Multivariate Normals with                          different event shapes cannot be computed");
  }
  const pL = p._unbroadcasted_scale_tril, qL = q._unbroadcasted_scale_tril;
  const half_term1 = qL.diagonal(0, -2, -1).log().sum(-1).sub(pL.diagonal(0, -2, -1).log().sum(-1));
  const combined = torch.broadcast_shapes(qL.shape.slice(0, -2), pL.shape.slice(0, -2));
  const n = p.event_shape[0]!;
  const term2 = batchTraceXXT(torch.linalg.solve_triangular(qL.expand([...combined, n, n]), pL.expand([...combined, n, n]), { upper: false }));
  const term3 = _batch_mahalanobis(qL, q.loc.sub(p.loc));
  return half_term1.add(term2.add(term3).sub(n).mul(0.5));
});

// ---------------------------------------------------------------------------------------------
// The gamma family (kl.py's formulas term by term, in its order of operations)

const EULER_GAMMA = EULER;
const infiniteLike = (t: Tensor) => torch.full_like(t, Infinity);
const xLogX = (t: Tensor) => torch.xlogy(t, t);
/** _infinite_like(p.<param>): for pairs whose supports make the divergence infinite. */
const klInfinite = (param: string) => (p: Distribution) => infiniteLike((p as unknown as Record<string, Tensor>)[param]!);

register_kl(Beta, Beta)((p: Beta, q: Beta) => {
  const sp = p.concentration1.add(p.concentration0), sq = q.concentration1.add(q.concentration0);
  const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sp.lgamma());
  const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sq.lgamma());
  const t3 = p.concentration1.sub(q.concentration1).mul(torch.digamma(p.concentration1));
  const t4 = p.concentration0.sub(q.concentration0).mul(torch.digamma(p.concentration0));
  const t5 = sq.sub(sp).mul(torch.digamma(sp));
  return t1.sub(t2).add(t3).add(t4).add(t5);
});
register_kl(Dirichlet, Dirichlet)((p: Dirichlet, q: Dirichlet) => {
  const sp = p.concentration.sum(-1), sq = q.concentration.sum(-1);
  const t1 = sp.lgamma().sub(sq.lgamma());
  const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = p.concentration.digamma().sub(sp.digamma().unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});
register_kl(Gamma, Gamma)((p: Gamma, q: Gamma) => {
  const t1 = q.concentration.mul(p.rate.div(q.rate).log());
  const t2 = torch.lgamma(q.concentration).sub(torch.lgamma(p.concentration));
  const t3 = p.concentration.sub(q.concentration).mul(torch.digamma(p.concentration));
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});
register_kl(Bernoulli, Poisson)((p: Bernoulli, q: Poisson) => p.entropy().neg().sub(p.probs.mul(q.rate.log()).sub(q.rate)));
register_kl(Beta, Exponential)((p: Beta, q: Exponential) =>
  p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration1.div(p.concentration1.add(p.concentration0)))));
register_kl(Beta, Gamma)((p: Beta, q: Gamma) => {
  const t1 = p.entropy().neg();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.sub(1).mul(p.concentration1.digamma().sub(p.concentration1.add(p.concentration0).digamma()));
  const t4 = q.rate.mul(p.concentration1).div(p.concentration1.add(p.concentration0));
  return t1.add(t2).sub(t3).add(t4);
});
register_kl(Beta, Normal)((p: Beta, q: Normal) => {
  const E = p.concentration1.div(p.concentration1.add(p.concentration0));
  const varNormal = q.scale.pow(2);
  const t1 = p.entropy().neg();
  const t2 = varNormal.mul(2).mul(Math.PI).log().mul(0.5);
  const t3 = E.mul(E.rsub(1)).div(p.concentration1.add(p.concentration0).add(1)).add(E.pow(2)).mul(0.5);
  const t4 = q.loc.mul(E);
  const t5 = q.loc.pow(2).mul(0.5);
  return t1.add(t2).add(t3.sub(t4).add(t5).div(varNormal));
});
register_kl(Beta, Uniform)((p: Beta, q: Uniform) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  return result.masked_fill(q.low.gt(0).logical_or(q.high.lt(1)), Infinity);
});
register_kl(Exponential, Gamma)((p: Exponential, q: Gamma) => {
  const ratio = q.rate.div(p.rate);
  const t1 = q.concentration.neg().mul(torch.log(ratio));
  return t1.add(ratio).add(q.concentration.lgamma()).add(q.concentration.mul(EULER_GAMMA)).sub(1 + EULER_GAMMA);
});
register_kl(Exponential, Normal)((p: Exponential, q: Normal) => {
  const varNormal = q.scale.pow(2), rateSqr = p.rate.pow(2);
  const t1 = torch.log(rateSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5);
  const t2 = rateSqr.reciprocal();
  const t3 = q.loc.div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.sub(1).add(t2.sub(t3).add(t4).div(varNormal));
});
register_kl(Gamma, Exponential)((p: Gamma, q: Exponential) =>
  p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration).div(p.rate)));
register_kl(Gamma, Normal)((p: Gamma, q: Normal) => {
  const varNormal = q.scale.pow(2), betaSqr = p.rate.pow(2);
  const t1 = torch.log(betaSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5).sub(p.concentration).sub(p.concentration.lgamma());
  const t2 = p.concentration.pow(2).add(p.concentration).mul(0.5).div(betaSqr);
  const t3 = q.loc.mul(p.concentration).div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.add(p.concentration.sub(1).mul(p.concentration.digamma())).add(t2.sub(t3).add(t4).div(varNormal));
});
register_kl(Laplace, Normal)((p: Laplace, q: Normal) => {
  const varNormal = q.scale.pow(2);
  const ratio = p.scale.pow(2).div(varNormal);
  const t1 = torch.log(ratio.mul(2).div(Math.PI)).mul(0.5);
  const t2 = p.loc.pow(2).mul(0.5);
  const t3 = p.loc.mul(q.loc);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.neg().add(ratio).add(t2.sub(t3).add(t4).div(varNormal)).sub(1);
});
register_kl(Normal, Laplace)((p: Normal, q: Laplace) => {
  const locDiff = p.loc.sub(q.loc);
  const scaleRatio = p.scale.div(q.scale);
  const ldsr = locDiff.div(p.scale);
  const t1 = torch.log(scaleRatio);
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(torch.exp(ldsr.pow(2).mul(-0.5)));
  const t3 = locDiff.mul(torch.erf(ldsr.mul(Math.sqrt(0.5))));
  return t1.neg().add(t2.add(t3).div(q.scale)).sub(0.5 * (1 + Math.log(0.5 * Math.PI)));
});
register_kl(Uniform, Beta)((p: Uniform, q: Beta) => {
  const common = p.high.sub(p.low);
  const t1 = torch.log(common);
  const t2 = q.concentration1.sub(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(common)).div(common);
  const t3 = q.concentration0.sub(1).mul(xLogX(p.high.rsub(1)).sub(xLogX(p.low.rsub(1))).add(common)).div(common);
  const t4 = q.concentration1.lgamma().add(q.concentration0.lgamma()).sub(q.concentration1.add(q.concentration0).lgamma());
  const result = t3.add(t4).sub(t1).sub(t2);
  return result.masked_fill(p.high.gt(1).logical_or(p.low.lt(0)), Infinity);
});
register_kl(Uniform, Exponential)((p: Uniform, q: Exponential) => {
  const result = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log());
  return result.masked_fill(p.low.lt(0), Infinity);
});
register_kl(Uniform, Gamma)((p: Uniform, q: Gamma) => {
  const common = p.high.sub(p.low);
  const t1 = common.log();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.rsub(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(common)).div(common);
  const t4 = q.rate.mul(p.high.add(p.low)).div(2);
  return t1.neg().add(t2).add(t3).add(t4).masked_fill(p.low.lt(0), Infinity);
});
register_kl(Uniform, Normal)((p: Uniform, q: Normal) => {
  const common = p.high.sub(p.low);
  const t1 = q.scale.mul(Math.sqrt(Math.PI * 2)).div(common).log();
  const t2 = common.pow(2).div(12);
  const t3 = p.high.add(p.low).sub(q.loc.mul(2)).div(2).pow(2);
  return t1.add(t2.add(t3).mul(0.5).div(q.scale.pow(2)));
});
// ---------------------------------------------------------------------------------------------
// Cauchy, the transformed families (Gumbel, HalfNormal, Pareto, TransformedDistribution)

register_kl(Cauchy, Cauchy)((p: Cauchy, q: Cauchy) => {
  const t1 = p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log();
  const t2 = p.scale.mul(4).mul(q.scale).log();
  return t1.sub(t2);
});
register_kl(Gumbel, Gumbel)((p: Gumbel, q: Gumbel) => {
  const ct1 = p.scale.div(q.scale), ct2 = q.loc.div(q.scale), ct3 = p.loc.div(q.scale);
  const t1 = ct1.log().neg().sub(ct2).add(ct3);
  const t2 = ct1.mul(EULER_GAMMA);
  const t3 = torch.exp(ct2.add(ct1.add(1).lgamma()).sub(ct3));
  return t1.add(t2).add(t3).sub(1 + EULER_GAMMA);
});
const klNormalNormal = (p: Normal, q: Normal) => {
  const v = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return v.add(t1).sub(1).sub(v.log()).mul(0.5);
};
register_kl(Normal, Normal)(klNormalNormal);
register_kl(Geometric, Geometric)((p: Geometric, q: Geometric) => p.entropy().neg().sub(torch.log1p(q.probs.neg()).div(p.probs)).sub(q.logits));
register_kl(HalfNormal, HalfNormal)((p: HalfNormal, q: HalfNormal) => klNormalNormal(p.base_dist, q.base_dist));
register_kl(Pareto, Pareto)((p: Pareto, q: Pareto) => {
  const scaleRatio = p.scale.div(q.scale), alphaRatio = q.alpha.div(p.alpha);
  const t1 = q.alpha.mul(scaleRatio.log());
  const t2 = alphaRatio.log().neg();
  return t1.add(t2).add(alphaRatio).sub(1).masked_fill(p.scale.lt(q.scale), Infinity);
});
register_kl(TransformedDistribution, TransformedDistribution)((p: TransformedDistribution, q: TransformedDistribution) => {
  if (!transformsEqual(p.transforms, q.transforms)) throw new Error("NotImplementedError");
  if (p.event_shape.length !== q.event_shape.length || p.event_shape.some((s, i) => s !== q.event_shape[i])) throw new Error("NotImplementedError");
  return kl_divergence(p.base_dist, q.base_dist);
});
register_kl(Exponential, Gumbel)((p: Exponential, q: Gumbel) => {
  const srp = p.rate.mul(q.scale), lsr = q.loc.div(q.scale);
  const t1 = srp.log().sub(1);
  const t2 = torch.exp(lsr).mul(srp).div(srp.add(1));
  const t3 = srp.reciprocal();
  return t1.sub(lsr).add(t2).add(t3);
});
register_kl(Gamma, Gumbel)((p: Gamma, q: Gumbel) => {
  const bsp = p.rate.mul(q.scale), lsr = q.loc.div(q.scale);
  const t1 = p.concentration.sub(1).mul(p.concentration.digamma()).sub(p.concentration.lgamma()).sub(p.concentration);
  const t2 = bsp.log().add(p.concentration.div(bsp));
  const t3 = torch.exp(lsr).mul(bsp.reciprocal().add(1).pow(p.concentration.neg())).sub(lsr);
  return t1.add(t2).add(t3);
});
register_kl(Gumbel, Normal)((p: Gumbel, q: Normal) => {
  const ratio = p.scale.div(q.scale);
  const t1 = ratio.div(Math.sqrt(2 * Math.PI)).log();
  const t2 = ratio.mul(Math.PI).mul(0.5).pow(2).div(3);
  const t3 = p.loc.add(p.scale.mul(EULER_GAMMA)).sub(q.loc).div(q.scale).pow(2).mul(0.5);
  return t1.neg().add(t2).add(t3).sub(EULER_GAMMA + 1);
});
register_kl(Normal, Gumbel)((p: Normal, q: Gumbel) => {
  const msr = p.loc.div(q.scale), vssr = p.scale.div(q.scale).pow(2), lsr = q.loc.div(q.scale);
  const t1 = vssr.log().mul(0.5);
  const t2 = msr.sub(lsr);
  const t3 = torch.exp(msr.neg().add(vssr.mul(0.5)).add(lsr));
  return t1.neg().add(t2).add(t3).sub(0.5 * (1 + Math.log(2 * Math.PI)));
});
register_kl(Uniform, Gumbel)((p: Uniform, q: Gumbel) => {
  const common = q.scale.div(p.high.sub(p.low));
  const hld = p.high.sub(q.loc).div(q.scale), lld = p.low.sub(q.loc).div(q.scale);
  const t1 = common.log().add(hld.add(lld).mul(0.5));
  const t2 = common.mul(torch.exp(hld.neg()).sub(torch.exp(lld.neg())));
  return t1.sub(t2);
});
register_kl(Pareto, Exponential)((p: Pareto, q: Exponential) => {
  const srp = p.scale.mul(q.rate);
  const t1 = p.alpha.div(srp).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(srp).div(p.alpha.sub(1));
  return t1.sub(t2).add(t3).sub(1).masked_fill(p.alpha.le(1), Infinity);
});
register_kl(Pareto, Gamma)((p: Pareto, q: Gamma) => {
  const common = p.scale.log().add(p.alpha.reciprocal());
  const t1 = p.alpha.log().sub(common);
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.rsub(1).mul(common);
  const t4 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1));
  return t1.add(t2).add(t3).add(t4).sub(1).masked_fill(p.alpha.le(1), Infinity);
});
register_kl(Pareto, Normal)((p: Pareto, q: Normal) => {
  const varNormal = q.scale.pow(2).mul(2);
  const common = p.scale.div(p.alpha.sub(1));
  const t1 = q.scale.mul(Math.sqrt(2 * Math.PI)).mul(p.alpha).div(p.scale).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(common.pow(2)).div(p.alpha.sub(2));
  const t4 = p.alpha.mul(common).sub(q.loc).pow(2);
  return t1.sub(t2).add(t3.add(t4).div(varNormal)).sub(1).masked_fill(p.alpha.le(2), Infinity);
});
register_kl(Uniform, Pareto)((p: Uniform, q: Pareto) => {
  const width = p.high.sub(p.low);
  const t1 = q.alpha.mul(q.scale.pow(q.alpha)).mul(width).log();
  const t2 = xLogX(p.high).sub(xLogX(p.low)).sub(width).div(width);
  return t2.mul(q.alpha.add(1)).sub(t1).masked_fill(p.low.lt(q.scale), Infinity);
});
for (const Q of [Beta, Exponential, Gamma, Pareto, Uniform]) register_kl(Gumbel, Q)(klInfinite("loc"));
register_kl(Beta, Pareto)(klInfinite("concentration1"));
register_kl(Exponential, Pareto)(klInfinite("rate"));
register_kl(Gamma, Pareto)(klInfinite("concentration"));
register_kl(Laplace, Pareto)(klInfinite("loc"));
register_kl(Normal, Pareto)(klInfinite("loc"));
register_kl(Pareto, Beta)(klInfinite("scale"));
register_kl(Pareto, Uniform)(klInfinite("scale"));

// ---------------------------------------------------------------------------------------------
// ContinuousBernoulli

register_kl(ContinuousBernoulli, ContinuousBernoulli)((p: ContinuousBernoulli, q: ContinuousBernoulli) => {
  const t1 = p.mean.mul(p.logits.sub(q.logits));
  const t2 = p._cont_bern_log_norm().add(torch.log1p(p.probs.neg()));
  const t3 = q._cont_bern_log_norm().neg().sub(torch.log1p(q.probs.neg()));
  return t1.add(t2).add(t3);
});
/** -H(p) - E_p[log q] for q a ContinuousBernoulli and p with support inside [0, 1]. */
const klToContBern = (p: Distribution, q: ContinuousBernoulli) =>
  p.entropy().neg().sub(p.mean.mul(q.logits)).sub(torch.log1p(q.probs.neg())).sub(q._cont_bern_log_norm());
register_kl(Beta, ContinuousBernoulli)(klToContBern);
register_kl(Uniform, ContinuousBernoulli)((p: Uniform, q: ContinuousBernoulli) =>
  torch.where(torch.ge(p.high, 1).logical_or(torch.le(p.low, 0)), Infinity, klToContBern(p, q)));
register_kl(ContinuousBernoulli, Exponential)((p: ContinuousBernoulli, q: Exponential) =>
  p.entropy().neg().sub(torch.log(q.rate)).add(q.rate.mul(p.mean)));
register_kl(ContinuousBernoulli, Normal)((p: ContinuousBernoulli, q: Normal) => {
  const t1 = p.entropy().neg();
  const t2 = torch.square(q.loc.div(q.scale)).add(Math.log(2.0 * Math.PI)).mul(0.5).add(torch.log(q.scale));
  const t3 = p.variance.add(torch.square(p.mean)).sub(q.loc.mul(2.0).mul(p.mean)).div(torch.square(q.scale).mul(2.0));
  return t1.add(t2).add(t3);
});
register_kl(ContinuousBernoulli, Uniform)((p: ContinuousBernoulli, q: Uniform) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  return torch.where(torch.ge(q.low, 0).logical_or(torch.le(q.high, 1)), Infinity, result);
});
register_kl(ContinuousBernoulli, Pareto)(klInfinite("probs"));
for (const P of [Exponential, Gamma, Gumbel, Laplace, Normal, Pareto]) {
  register_kl(P, ContinuousBernoulli)(klInfinite(P === Exponential ? "rate" : P === Gamma ? "concentration" : P === Pareto ? "scale" : "loc"));
}

// pairs whose supports make the divergence infinite
register_kl(Exponential, Beta)(klInfinite("rate"));
register_kl(Exponential, Uniform)(klInfinite("rate"));
register_kl(Gamma, Beta)(klInfinite("concentration"));
register_kl(Gamma, Uniform)(klInfinite("concentration"));
for (const Q of [Beta, Exponential, Gamma, Uniform]) register_kl(Laplace, Q)(klInfinite("loc"));
for (const Q of [Beta, Exponential, Gamma, Uniform]) register_kl(Normal, Q)(klInfinite("loc"));
register_kl(Poisson, Bernoulli)(klInfinite("rate"));
register_kl(Poisson, Binomial)(klInfinite("rate"));

// ---------------------------------------------------------------------------------------------
// LowRankMultivariateNormal

const sameEvent = (p: Distribution, q: Distribution) => p.event_shape.length === q.event_shape.length && p.event_shape.every((s, i) => s === q.event_shape[i]);
const lowrankLogdet = (d: LowRankMultivariateNormal) => _batch_lowrank_logdet(d._unbroadcasted_cov_factor, d._unbroadcasted_cov_diag, d._capacitance_tril);
/** q's A = L⁻¹ Wᵀ D⁻¹ (L: q's capacitance factor). */
const lowrankA = (q: LowRankMultivariateNormal) =>
  torch.linalg.solve_triangular(q._capacitance_tril, q._unbroadcasted_cov_factor.mT.div(q._unbroadcasted_cov_diag.unsqueeze(-2)), { upper: false });
const lowrankTerm3 = (p: Distribution & { loc: Tensor }, q: LowRankMultivariateNormal) =>
  _batch_lowrank_mahalanobis(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag, q.loc.sub(p.loc), q._capacitance_tril);

register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)((p: LowRankMultivariateNormal, q: LowRankMultivariateNormal) => {
  if (!sameEvent(p, q)) {
    throw new Error("KL-divergence between two Low Rank Multivariate Normals with                          different event shapes cannot be computed");
  }
  const term1 = lowrankLogdet(q).sub(lowrankLogdet(p));
  const term3 = lowrankTerm3(p, q);
  const A = lowrankA(q);
  const term21 = p._unbroadcasted_cov_diag.div(q._unbroadcasted_cov_diag).sum(-1);
  const term22 = batchTraceXXT(p._unbroadcasted_cov_factor.mul(q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1)));
  const term23 = batchTraceXXT(A.mul(p._unbroadcasted_cov_diag.sqrt().unsqueeze(-2)));
  const term24 = batchTraceXXT(A.matmul(p._unbroadcasted_cov_factor));
  const term2 = term21.add(term22).sub(term23).sub(term24);
  return term1.add(term2).add(term3).sub(p.event_shape[0]!).mul(0.5);
});
const MIXED_EVENT = "KL-divergence between two (Low Rank) Multivariate Normals with                          different event shapes cannot be computed";
register_kl(MultivariateNormal, LowRankMultivariateNormal)((p: MultivariateNormal, q: LowRankMultivariateNormal) => {
  if (!sameEvent(p, q)) throw new Error(MIXED_EVENT);
  const term1 = lowrankLogdet(q).sub(p._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1).mul(2));
  const term3 = lowrankTerm3(p, q);
  const A = lowrankA(q);
  const term21 = batchTraceXXT(p._unbroadcasted_scale_tril.mul(q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1)));
  const term22 = batchTraceXXT(A.matmul(p._unbroadcasted_scale_tril));
  return term1.add(term21.sub(term22)).add(term3).sub(p.event_shape[0]!).mul(0.5);
});
register_kl(LowRankMultivariateNormal, MultivariateNormal)((p: LowRankMultivariateNormal, q: MultivariateNormal) => {
  if (!sameEvent(p, q)) throw new Error(MIXED_EVENT);
  const term1 = q._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1).mul(2).sub(lowrankLogdet(p));
  const term3 = _batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc.sub(p.loc));
  const combined = torch.broadcast_shapes(q._unbroadcasted_scale_tril.shape.slice(0, -2), p._unbroadcasted_cov_factor.shape.slice(0, -2));
  const n = p.event_shape[0]!;
  const qL = q._unbroadcasted_scale_tril.expand([...combined, n, n]);
  const pW = p._unbroadcasted_cov_factor.expand([...combined, n, p.cov_factor.shape[p.cov_factor.ndim - 1]!]);
  const pD = torch.diag_embed(p._unbroadcasted_cov_diag.sqrt()).expand([...combined, n, n]);
  const term21 = batchTraceXXT(torch.linalg.solve_triangular(qL, pW, { upper: false }));
  const term22 = batchTraceXXT(torch.linalg.solve_triangular(qL, pD, { upper: false }));
  return term1.add(term21.add(term22)).add(term3).sub(n).mul(0.5);
});
