// F.affine_grid and F.grid_sample (the spatial transformer's sampling): PyTorch's
// AffineGridGenerator and GridSampler2D/3D, written as compositions of tensor ops. Their nodes
// carry PyTorch's names; the gradients are those of the compositions (Note [Named composite
// nodes] in autograd/record.ts), which are the formulas of PyTorch's backward kernels.

import { Tensor } from "../core/tensor.js";
import { scalarTypeName } from "../core/dtype.js";
import { recordComposite } from "../autograd/record.js";
import { linspace, zeros, ones } from "./creation.js";
import { stack } from "./indexing.js";
import { listStr } from "./_nn_args.js";
import { warnOnce } from "./util.js";

const ALIGN_WARNING = "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. " +
  "Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.";


/** The n sampling coordinates of one axis in [-1, 1]: the pixel centres' positions (or, with
 *  align_corners, the corner pixels' centres at ±1); PyTorch's linspace_from_neg_one. */
function axis(n: number, alignCorners: boolean, like: Tensor): Tensor {
  if (n <= 1) return zeros(n, { dtype: like.dtype });
  const r = linspace(-1, 1, n, { dtype: like.dtype });
  return alignCorners ? r : r.mul(n - 1).div(n); // (two roundings, as PyTorch's range * (n - 1) / n)
}

/**
 * F.affine_grid(theta, size, align_corners): the sampling grid [N, H, W, 2] (or [N, D, H, W, 3])
 * that the affine maps theta [N, 2, 3] ([N, 3, 4]) send the output's normalised coordinates to.
 */
export function affine_grid(theta: Tensor, size: readonly number[], align_corners: boolean | null = null): Tensor {
  let align = align_corners;
  if (align === null) { warnOnce(ALIGN_WARNING); align = false; }
  if (!theta.is_floating_point()) throw new Error(`Expected theta to have floating point type, but got ${theta.dtype}`);
  const thetaStr = `torch.Size(${listStr(theta.shape)})`;
  let spatial: number[];
  if (size.length === 4) {
    if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3)
      throw new Error(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${listStr(size)}. Got ${thetaStr}.`);
    spatial = size.slice(2);
  } else if (size.length === 5) {
    if (theta.ndim !== 3 || theta.shape[1] !== 3 || theta.shape[2] !== 4)
      throw new Error(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${listStr(size)}. Got ${thetaStr}.`);
    spatial = size.slice(2);
  } else {
    throw new Error(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${listStr(size)}.`);
  }
  if (align && Math.min(...spatial) === 1) {
    warnOnce("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. " +
      "This is not an intended use case of affine_grid. See the documentation of affine_grid for details.");
  } else if (Math.min(...size) <= 0) {
    throw new Error(`Expected non-zero, positive output size. Got ${listStr(size)}`);
  }
  const N = size[0]!;
  // base grid [..., (x, y[, z], 1)]: x varies along the last spatial dim, as PyTorch's
  const axes = spatial.map((n) => axis(n, align!, theta)).reverse();
  const nd = spatial.length;
  const comps = axes.map((a, i) => {
    const shape = new Array<number>(nd).fill(1);
    shape[nd - 1 - i] = a.shape[0]!;
    return a.reshape(shape).expand(spatial);
  });
  const base = stack([...comps, ones(spatial, { dtype: theta.dtype })], -1).reshape(1, -1, nd + 1).expand(N, -1, -1);
  return recordComposite("AffineGridGeneratorBackward0", [theta], (th) =>
    base.bmm(th.transpose(1, 2)).reshape(N, ...spatial, nd));
}

export type GridSampleMode = "bilinear" | "nearest" | "bicubic";
export type GridSamplePadding = "zeros" | "border" | "reflection";

/**
 * F.grid_sample(input, grid, mode, padding_mode, align_corners): input [N, C, H, W] (or
 * [N, C, D, H, W]) sampled at grid [N, Ho, Wo, 2] ([N, Do, Ho, Wo, 3]), whose last dim holds
 * (x, y[, z]) normalised to [-1, 1]; out [N, C, Ho, Wo]. Gradients flow to input and grid.
 */
export function grid_sample(input: Tensor, grid: Tensor, mode: GridSampleMode = "bilinear", padding_mode: GridSamplePadding = "zeros",
  align_corners: boolean | null = null): Tensor {
  if (mode !== "bilinear" && mode !== "nearest" && mode !== "bicubic")
    throw new Error(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
  if (padding_mode !== "zeros" && padding_mode !== "border" && padding_mode !== "reflection")
    throw new Error(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${padding_mode}'`);
  let align = align_corners;
  if (align === null) { warnOnce(ALIGN_WARNING); align = false; }
  checkGridSampler(input, grid, mode);
  const nd = input.ndim - 2;
  const sample = (x: Tensor, g: Tensor): Tensor => sampleAt(x, g, mode, padding_mode, align!);
  return recordComposite(nd === 2 ? "GridSampler2DBackward0" : "GridSampler3DBackward0", [input, grid], sample);
}

/** PyTorch's checks, in its order and words (GridSampler.cpp, check_grid_sampler_common/2d/3d). */
function checkGridSampler(input: Tensor, grid: Tensor, mode: string): void {
  const isz = listStr(input.shape), gsz = listStr(grid.shape);
  if (input.shape[0] !== grid.shape[0])
    throw new Error(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${isz} and grid with sizes ${gsz}`);
  if (grid.shape[grid.ndim - 1] !== input.ndim - 2)
    throw new Error(`grid_sampler(): expected grid to have size ${input.ndim - 2} in last dimension, but got grid with sizes ${gsz}`);
  for (let i = 2; i < input.ndim; i++) {
    if (input.shape[i] === 0)
      throw new Error(`grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes ${isz} with dimension ${i} being empty`);
  }
  const nd = input.ndim === 4 ? 4 : 5;
  if (input.ndim !== nd || grid.ndim !== nd)
    throw new Error(`grid_sampler(): expected ${nd}D input and grid with same number of dimensions, but got input with sizes ${isz} and grid with sizes ${gsz}`);
  if (mode === "bicubic" && input.ndim !== 4) throw new Error("grid_sampler(): bicubic interpolation only supports 4D input");
  if (input.dtype !== grid.dtype) throw new Error(`expected scalar type ${scalarTypeName(input.dtype)} but found ${scalarTypeName(grid.dtype)}`);
}

// Note [Grid sampler arithmetic]: PyTorch samples 2-D grids on the CPU with a vectorised kernel
// (GridSamplerKernel.cpp) and 3-D ones with the generic code (GridSampler.cpp), which round
// differently: (x + 1) * (size / 2) - 0.5 against ((x + 1) * size - 1) / 2 for the source
// coordinate, 1 - (x - floor(x)) against (floor(x) + 1) - x for a low corner's weight, and two
// formulas for reflection. A coordinate that should be an integer (the identity transform's
// grid, a spatial transformer's starting point) can come out an ulp below it in one and not the
// other, and then floor() picks another corner and the gradient for the grid is the one-sided
// derivative of the other side; so each is computed here as PyTorch computes it.

/** The grid's normalised coordinate along a dim of `size` pixels, in pixels. */
function unnormalize(coord: Tensor, size: number, align: boolean, twoD: boolean): Tensor {
  if (twoD) return align ? coord.add(1).mul((size - 1) / 2) : coord.add(1).mul(size / 2).sub(0.5);
  return align ? coord.add(1).div(2).mul(size - 1) : coord.add(1).mul(size).sub(1).div(2);
}

/** Clamps coordinates to [0, size - 1]; as in PyTorch's kernels the bounds themselves count as
 *  outside for the gradient (clip_coordinates_set_grad), where clamp's gradient would pass. */
function clip(x: Tensor, size: number): Tensor {
  const inside = x.gt(0).logical_and(x.lt(size - 1));
  return x.where(inside, x.detach().clamp(0, size - 1));
}

/** Mirrors coordinates at the bounds of [low, low + span] until they fall inside. */
function reflect(x: Tensor, size: number, align: boolean, twoD: boolean): Tensor {
  if (twoD) {
    // ComputeLocationBase::reflect_coordinates: twice the span, trunc, and the nearer image
    if (align && size <= 1) return x.mul(0);
    const low = align ? 0 : -0.5, twice = align ? 2 * (size - 1) : 2 * size;
    const a = x.sub(low).abs();
    const extra = a.sub(a.div(twice).trunc().mul(twice));
    const mirrored = extra.neg().add(twice);
    return extra.where(extra.le(mirrored), mirrored).add(low);
  }
  // reflect_coordinates(in, twice_low, twice_high) of GridSampler.h
  const twiceLow = align ? 0 : -1, twiceHigh = align ? 2 * (size - 1) : 2 * size - 1;
  if (twiceLow === twiceHigh) return x.mul(0);
  const min = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
  const a = x.sub(min).abs();
  const extra = a.fmod(span);
  const even = a.div(span).floor().remainder(2).eq(0);
  return extra.add(min).where(even, extra.neg().add(span + min));
}

/** The padding mode applied to source coordinates in pixels (compute_coordinates). */
function applyPadding(x: Tensor, size: number, padding: GridSamplePadding, align: boolean, twoD: boolean): Tensor {
  if (padding === "border") return clip(x, size);
  if (padding === "reflection") return clip(reflect(x, size, align, twoD), size);
  return x;
}

/** The cubic convolution weights (A = -0.75) of the 4 taps around t = x - floor(x), as PyTorch's
 *  get_cubic_upsample_coefficients. */
function cubicWeights(t: Tensor): Tensor[] {
  const A = -0.75;
  const near = (u: Tensor): Tensor => u.mul(A + 2).sub(A + 3).mul(u).mul(u).add(1); // ((A+2)u - (A+3))u² + 1
  const far = (u: Tensor): Tensor => u.mul(A).sub(5 * A).mul(u).add(8 * A).mul(u).sub(4 * A); // ((Au - 5A)u + 8A)u - 4A
  const one = t.neg().add(1);
  return [far(t.add(1)), near(t), near(one), far(one.add(1))];
}

/** input's values at integer source positions idx (one per spatial dim, each [N, ...out]):
 *  zero where a position is outside the input. */
function gatherAt(input: Tensor, idx: Tensor[]): Tensor {
  const [N, C] = input.shape as [number, number];
  const spatial = input.shape.slice(2), outShape = idx[0]!.shape.slice(1);
  let flat: Tensor | null = null;
  let inside: Tensor | null = null;
  for (let d = 0; d < spatial.length; d++) {
    const n = spatial[d]!, i = idx[d]!;
    const ok = i.ge(0).logical_and(i.le(n - 1));
    inside = inside === null ? ok : inside.logical_and(ok);
    const c = i.clamp(0, n - 1).long();
    flat = flat === null ? c : flat.mul(n).add(c);
  }
  const L = outShape.reduce((a, b) => a * b, 1);
  const index = flat!.reshape(N, 1, L).expand(N, C, L);
  const vals = input.reshape(N, C, -1).gather(2, index).reshape(N, C, ...outShape);
  return vals.mul(inside!.unsqueeze(1).to(input.dtype));
}

/** The grid sampler's forward as tensor ops. */
function sampleAt(input: Tensor, grid: Tensor, mode: GridSampleMode, padding: GridSamplePadding, align: boolean): Tensor {
  const spatial = input.shape.slice(2), nd = spatial.length;
  // source coordinates in pixels, per spatial dim (grid's last dim is (x, y[, z]): reversed)
  const twoD = nd === 2;
  const coords = spatial.map((n, d) => unnormalize(grid.select(-1, nd - 1 - d), n, align, twoD));
  if (mode === "bicubic") {
    // 4x4 taps around floor(x), each tap's coordinate padded on its own (get_value_bounded)
    const [iy, ix] = coords as [Tensor, Tensor];
    const y0 = iy.detach().floor(), x0 = ix.detach().floor();
    const wy = cubicWeights(iy.sub(y0)), wx = cubicWeights(ix.sub(x0));
    // along x within each of the 4 rows, then along y, as PyTorch's cubic_interp1d
    let out: Tensor | null = null;
    for (let j = 0; j < 4; j++) {
      const ty = applyPadding(y0.add(j - 1), spatial[0]!, padding, align, true);
      let row: Tensor | null = null;
      for (let i = 0; i < 4; i++) {
        const tx = applyPadding(x0.add(i - 1), spatial[1]!, padding, align, true);
        const term = gatherAt(input, [ty, tx]).mul(wx[i]!.unsqueeze(1));
        row = row === null ? term : row.add(term);
      }
      const term = row!.mul(wy[j]!.unsqueeze(1));
      out = out === null ? term : out.add(term);
    }
    return out!;
  }
  const src = coords.map((c, d) => applyPadding(c, spatial[d]!, padding, align, twoD));
  if (mode === "nearest") return gatherAt(input, src.map((c) => c.detach().round()));
  // bilinear / trilinear: the 2^nd corners around each point, weighted by the opposite volumes
  // (Note [Grid sampler arithmetic]: the weights' roundings and product order are PyTorch's)
  const lo = src.map((c) => c.detach().floor());
  const high = src.map((c, d) => c.sub(lo[d]!));
  const low = src.map((c, d) => (twoD ? high[d]!.neg().add(1) : lo[d]!.add(1).sub(c)));
  const order = twoD ? [0, 1] : [2, 1, 0]; // (y, x) in 2-D, (x, y, z) in 3-D
  let out: Tensor | null = null;
  for (let corner = 0; corner < 1 << nd; corner++) {
    const up = (d: number): number => (corner >> (nd - 1 - d)) & 1;
    let w: Tensor | null = null;
    for (const d of order) {
      const f = up(d) ? high[d]! : low[d]!;
      w = w === null ? f : w.mul(f);
    }
    const at = lo.map((l, d) => (up(d) ? l.add(1) : l));
    const term = gatherAt(input, at).mul(w!.unsqueeze(1));
    out = out === null ? term : out.add(term);
  }
  return out!;
}
