// torch.distributions (PyTorch's torch/distributions): exported from src/torch.ts as `distributions`.

export { Distribution, ExponentialFamily } from "./distribution.js";
export {
  Normal, Bernoulli, Categorical, OneHotCategorical, Uniform, Exponential, Laplace, Poisson, Binomial, Independent,
} from "./families.js";
export { MultivariateNormal } from "./multivariate_normal.js";
export { Gamma, Chi2, Beta, Dirichlet } from "./gamma.js";
export { kl_divergence, register_kl } from "./kl.js";
export * as constraints from "./constraints.js";
import { kl_divergence, register_kl } from "./kl.js";
export const kl = { kl_divergence, register_kl };
