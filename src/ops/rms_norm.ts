// torch.rms_norm and F.rms_norm (nn.RMSNorm's op): its own module, importing only the Tensor class, so
// that nn.functional can re-export it without an import cycle.

import type { Tensor } from "../core/tensor.js";

/** torch.rms_norm(input, normalized_shape, weight=None, eps=None): input / sqrt(mean(input²) + eps)
 *  over the last dims (times weight), computed in float for the 16-bit dtypes; eps by default the
 *  machine epsilon of that computing dtype. */
export function rms_norm(input: Tensor, normalized_shape: number | readonly number[], weight: Tensor | null = null, eps: number | null = null): Tensor {
  const ns = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
  const nd = input.ndim, k = ns.length;
  if (k < 1) throw new Error(`Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = [${ns.join(", ")}]`);
  if (weight && (weight.ndim !== k || weight._shape.some((s, i) => s !== ns[i])))
    throw new Error(`Expected weight to be of same shape as normalized_shape, but got weight of shape [${weight.shape.join(", ")}] and normalized_shape = [${ns.join(", ")}]`);
  if (nd < k || input._shape.slice(nd - k).some((s, i) => s !== ns[i]))
    throw new Error(`Given normalized_shape=[${ns.join(", ")}], expected input with shape [*${ns.join(", ")}], but got input of size[${input.shape.join(", ")}]`);
  const low = input.dtype.itemsize === 2 && input.dtype.is_floating_point;
  const x = low ? input.float() : input;
  const e = eps ?? (x.dtype.name === "float64" ? 2 ** -52 : 2 ** -23);
  const dims = [...Array(k).keys()].map((i) => nd - k + i);
  let y = x.mul(x.pow(2).mean(dims, true).add(e).rsqrt());
  if (low) y = y.to(input.dtype);
  return weight ? y.mul(weight) : y;
}

