// torch.sin_(x), torch.abs_(x) …: PyTorch's in-place functions in the torch namespace (the
// Introduction to PyTorch tutorial's `torch.sin_(b)`), each the Tensor method of the same name
// called on its first argument, which must be a tensor as PyTorch's parser says.

import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";

const NAMES = [
  "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "asin_", "asinh_", "atan_",
  "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_",
  "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_", "gcd_", "i0_", "lcm_", "ldexp_", "log10_", "log1p_", "log2_", "log_",
  "logit_", "nan_to_num_", "neg_", "negative_", "rad2deg_", "reciprocal_", "relu_", "round_", "rsqrt_", "sigmoid_", "sin_",
  "sinc_", "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_",
] as const;
type Name = (typeof NAMES)[number];
type Method<K extends Name> = Tensor[K] extends (...args: infer P) => Tensor ? P : never;
export type InplaceFunctions = { [K in Name]: (input: Tensor, ...args: Method<K>) => Tensor };

export const inplaceFunctions = Object.fromEntries(NAMES.map((name) => [name, (input: unknown, ...args: unknown[]): Tensor => {
  if (!(input instanceof Tensor)) throw new TypeError(`${name}(): argument 'input' (position 1) must be Tensor, not ${pyTypeName(input)}`);
  return (input[name] as (...a: unknown[]) => Tensor)(...args);
}])) as unknown as InplaceFunctions;
