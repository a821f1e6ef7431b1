// The op table of the shape ops' golden cases (tools/gen_golden_shape.py → test/golden/shape.json),
// each Python call translated by shared/API.md's rules.

import torch from "typetorch";
import type { OpFn } from "./opdb.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Kw = Record<string, any>;
const opts = (kw: Kw): Kw | undefined => (Object.keys(kw).length ? kw : undefined);

export const OPS_SHAPE: Record<string, OpFn> = {
  atleast_1d: (xs) => (xs.length === 1 ? torch.atleast_1d(xs[0]) : torch.atleast_1d(...xs)),
  atleast_2d: (xs) => (xs.length === 1 ? torch.atleast_2d(xs[0]) : torch.atleast_2d(...xs)),
  atleast_3d: (xs) => (xs.length === 1 ? torch.atleast_3d(xs[0]) : torch.atleast_3d(...xs)),
  broadcast_tensors: (xs) => torch.broadcast_tensors(...xs),
  block_diag: (xs) => torch.block_diag(...xs),
  cartesian_prod: (xs) => torch.cartesian_prod(...xs),
  combinations: ([x, ...a], kw) => (opts(kw) ? torch.combinations(x, kw) : torch.combinations(x, ...a)),
  column_stack: ([ts]) => torch.column_stack(ts),
  dstack: ([ts]) => torch.dstack(ts),
  hsplit: ([x, s]) => torch.hsplit(x, s),
  vsplit: ([x, s]) => x.vsplit(s),
  dsplit: ([x, s]) => torch.dsplit(x, s),
  diagflat: ([x, ...a]) => torch.diagflat(x, ...a),
  ravel: ([x]) => x.ravel(),
  rot90: ([x, ...a]) => torch.rot90(x, ...a),
  narrow_copy: ([x, d, s, n]) => torch.narrow_copy(x, d, s, n),
  unravel_index: ([i, shape]) => torch.unravel_index(i, shape),
  take_along_dim: ([x, i, ...d]) => torch.take_along_dim(x, i, ...d),
  meshgrid: (xs, kw) => (opts(kw) ? torch.meshgrid(...xs, kw) : torch.meshgrid(...xs)),
  tril_indices: (a, kw) => torch.tril_indices(a[0], a[1], a[2] ?? 0, opts(kw)),
  triu_indices: (a, kw) => torch.triu_indices(a[0], a[1], a[2] ?? 0, opts(kw)),
  vander: ([x, ...a], kw) => (opts(kw) ? torch.vander(x, kw) : torch.vander(x, ...a)),
  range: (a, kw) => torch.range(a[0], a[1], a[2] ?? 1, opts(kw)),
  trace: ([x]) => torch.trace(x),
  vdot: ([a, b]) => torch.vdot(a, b),
  addr: ([i, a, b], kw) => torch.addr(i, a, b, opts(kw)),
  chain_matmul: (ms) => torch.chain_matmul(...ms),
  slice_scatter: ([x, s, ...a], kw) => (opts(kw) ? torch.slice_scatter(x, s, kw) : torch.slice_scatter(x, s, ...a)),
  select_scatter: ([x, s, d, i]) => torch.select_scatter(x, s, d, i),
  diagonal_scatter: ([x, s, ...a]) => torch.diagonal_scatter(x, s, ...a),
  scatter_reduce: ([x, d, i, s, r], kw) => torch.scatter_reduce(x, d, i, s, r, opts(kw)),
  scatter_reduce_: ([x, d, i, s, r], kw) => x.clone().scatter_reduce_(d, i, s, r, opts(kw)),
  index_reduce: ([x, d, i, s, r], kw) => torch.index_reduce(x, d, i, s, r, opts(kw)),
  index_reduce_: ([x, d, i, s, r], kw) => x.clone().index_reduce_(d, i, s, r, opts(kw)),
  index_copy: ([x, d, i, s]) => torch.index_copy(x, d, i, s),
  index_copy_: ([x, d, i, s]) => x.clone().index_copy_(d, i, s),
  searchsorted: ([b, x], kw) => torch.searchsorted(b, x, opts(kw)),
  bucketize: ([x, b], kw) => torch.bucketize(x, b, opts(kw)),
  bincount: ([x, ...a], kw) => (opts(kw) ? torch.bincount(x, { ...kw, weights: a[0] ?? null }) : torch.bincount(x, ...a)),
  histc: ([x], kw) => torch.histc(x, opts(kw)),
  cov: ([x], kw) => torch.cov(x, opts(kw)),
  corrcoef: ([x]) => x.corrcoef(),
  renorm: ([x, p, d, m]) => torch.renorm(x, p, d, m),
  renorm_: ([x, p, d, m]) => x.clone().renorm_(p, d, m),
};
