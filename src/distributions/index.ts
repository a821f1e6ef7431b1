// torch.distributions (PyTorch's torch/distributions): exported from src/torch.ts as `distributions`.

export { Distribution, ExponentialFamily } from "./distribution.js";
export {
  Normal, Bernoulli, Categorical, OneHotCategorical, Uniform, Exponential, Laplace, Poisson, Binomial, Independent,
} from "./families.js";
export { MultivariateNormal } from "./multivariate_normal.js";
export { Gamma, Chi2, Beta, Dirichlet, StudentT } from "./gamma.js";
export { Cauchy } from "./families.js";
export {
  TransformedDistribution, LogNormal, Gumbel, HalfNormal, HalfCauchy, Weibull, Pareto, Kumaraswamy,
} from "./transformed.js";
export * as transforms from "./transforms.js";
export {
  Transform, ComposeTransform, ExpTransform, PowerTransform, AffineTransform, SigmoidTransform, SoftplusTransform,
  TanhTransform, AbsTransform, SoftmaxTransform, StickBreakingTransform, IndependentTransform, LowerCholeskyTransform,
  PositiveDefiniteTransform, identity_transform, biject_to, transform_to,
} from "./transforms.js";
export { kl_divergence, register_kl } from "./kl.js";
export * as constraints from "./constraints.js";
import { kl_divergence, register_kl } from "./kl.js";
export const kl = { kl_divergence, register_kl };
