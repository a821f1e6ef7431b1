// torch.distributions (PyTorch's torch/distributions): exported from src/torch.ts as `distributions`.

export { Distribution, ExponentialFamily } from "./distribution.js";
export {
  Normal, Bernoulli, Categorical, OneHotCategorical, Uniform, Exponential, Laplace, Poisson, Binomial, Independent,
} from "./families.js";
export { MultivariateNormal } from "./multivariate_normal.js";
export { Gamma, Chi2, Beta, Dirichlet, StudentT, FisherSnedecor } from "./gamma.js";
export { Cauchy, GeneralizedPareto, OneHotCategoricalStraightThrough } from "./families.js";
export { Geometric, NegativeBinomial, Multinomial } from "./counts.js";
export { MixtureSameFamily } from "./mixture.js";
export { ContinuousBernoulli } from "./continuous_bernoulli.js";
export { VonMises } from "./von_mises.js";
export { LowRankMultivariateNormal } from "./lowrank_multivariate_normal.js";
export { LKJCholesky, Wishart } from "./matrix.js";
export { RelaxedBernoulli, RelaxedOneHotCategorical } from "./relaxed.js";
import { LogitRelaxedBernoulli, RelaxedBernoulli, ExpRelaxedCategorical, RelaxedOneHotCategorical } from "./relaxed.js";
/** The modules torch.distributions.relaxed_bernoulli and relaxed_categorical (their base
 *  distributions are not exported at the top level, as in PyTorch). */
export const relaxed_bernoulli = { LogitRelaxedBernoulli, RelaxedBernoulli };
export const relaxed_categorical = { ExpRelaxedCategorical, RelaxedOneHotCategorical };
export {
  TransformedDistribution, LogNormal, Gumbel, HalfNormal, HalfCauchy, Weibull, Pareto, Kumaraswamy, InverseGamma, LogisticNormal,
} from "./transformed.js";
export * as transforms from "./transforms.js";
export {
  Transform, ComposeTransform, ExpTransform, PowerTransform, AffineTransform, SigmoidTransform, SoftplusTransform,
  TanhTransform, AbsTransform, SoftmaxTransform, StickBreakingTransform, IndependentTransform, LowerCholeskyTransform,
  PositiveDefiniteTransform, CorrCholeskyTransform, ReshapeTransform, CumulativeDistributionTransform, CatTransform, StackTransform,
  identity_transform,
  biject_to, transform_to,
} from "./transforms.js";
export { kl_divergence, register_kl } from "./kl.js";
export * as constraints from "./constraints.js";
import { kl_divergence, register_kl } from "./kl.js";
export const kl = { kl_divergence, register_kl };
