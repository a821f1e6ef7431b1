// Statistics, sorting, norms and contractions beyond the golden cases: float64 gradcheck (and
// gradgradcheck) of every differentiable op, PyTorch's error texts, and the rules the golden file
// cannot hold (2.x behaviours 1.13 lacks, names on returned tuples, methods).

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import "../src/ops/statistics.js";
import "../src/ops/sorting.js";
import "../src/ops/norms.js";
import "../src/ops/einsum.js";
import * as S from "../src/ops/statistics.js";
import * as O from "../src/ops/sorting.js";
import * as N from "../src/ops/norms.js";
import * as D from "../src/ops/decompositions.js";
import * as E from "../src/ops/einsum.js";
import * as linalg from "../src/ops/linalg_ns.js";
import { gradcheck, gradgradcheck } from "../src/autograd/gradcheck.js";

const f64 = torch.float64;
/** A float64 leaf requiring grad, from nested data. */
const leaf = (data: unknown): Tensor => torch.tensor(data as number[], { dtype: f64 }).requires_grad_(true);
/** Distinct, well-separated values (no ties, no zeros), so every op is smooth at the point. */
const smooth = (...shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => (((i * 7919) % 23) - 11 + 0.37 * Math.sin(i)) / 5);
  return torch.tensor(v, { dtype: f64 }).reshape(shape).requires_grad_(true);
};
const pos = (...shape: number[]): Tensor => smooth(...shape).detach().abs().add(0.5).requires_grad_(true);
const first = (r: unknown): Tensor => (r instanceof torch.Tensor ? r : (r as Tensor[])[0]!);

test("gradcheck: var, std, var_mean, std_mean", () => {
  const x = smooth(3, 4);
  assert.ok(gradcheck((t) => S.var(t), [x]));
  assert.ok(gradcheck((t) => S.var(t, 1), [x]));
  assert.ok(gradcheck((t) => S.var(t, { dim: [0, 1], correction: 0, keepdim: true }), [x]));
  assert.ok(gradcheck((t) => S.std(t, 0, false, true), [x]));
  assert.ok(gradcheck((t) => S.std(t, { correction: 2 }), [x]));
  assert.ok(gradcheck((t) => S.var_mean(t, 1), [x]));
  assert.ok(gradcheck((t) => S.std_mean(t, { dim: 0, keepdim: true }), [x]));
  assert.ok(gradgradcheck((t) => S.std(t, 1), [smooth(2, 3)]));
});

test("gradcheck: nansum, nanmean, aminmax, cummax, cummin, logcumsumexp", () => {
  const withNan = leaf([[1.5, NaN, -0.5], [NaN, NaN, 2.0]]);
  assert.ok(gradcheck((t) => S.nansum(t, 1), [withNan]));
  assert.ok(gradcheck((t) => S.nanmean(t, 1, true), [withNan]));
  const x = smooth(3, 4);
  assert.ok(gradcheck((t) => S.aminmax(t) as unknown as Tensor[], [x]));
  assert.ok(gradcheck((t) => S.aminmax(t, { dim: 1, keepdim: true }) as unknown as Tensor[], [x]));
  assert.ok(gradcheck((t) => S.cummax(t, 1).values, [x]));
  assert.ok(gradcheck((t) => S.cummin(t, 0).values, [x]));
  assert.ok(gradcheck((t) => S.logcumsumexp(t, 1), [x]));
  assert.ok(gradgradcheck((t) => S.logcumsumexp(t, 0), [smooth(3, 2)]));
});

test("gradcheck: diff, trapezoid, cumulative_trapezoid", () => {
  const y = smooth(3, 4), xs = leaf([0.0, 1.0, 2.5, 3.0]);
  assert.ok(gradcheck((t) => S.diff(t, 2, 1, { prepend: t.narrow(1, 0, 1).mul(2) }), [y]));
  assert.ok(gradcheck((t, u) => S.cumulative_trapezoid(t, u), [y, xs]));
  assert.ok(gradcheck((t) => S.cumulative_trapezoid(t, { dx: 0.5, dim: 0 }), [y]));
  assert.ok(gradcheck((t, u) => S.trapezoid(t, u), [y, xs]));
});

test("gradcheck: sort, topk, kthvalue, median, nanmedian, mode, quantile", () => {
  const x = smooth(3, 5);
  assert.ok(gradcheck((t) => O.sort(t, 1, true).values, [x]));
  assert.ok(gradcheck((t) => O.msort(t), [x]));
  assert.ok(gradcheck((t) => O.topk(t, 2, { dim: 0, largest: false }).values, [x]));
  assert.ok(gradcheck((t) => O.kthvalue(t, 3, 1, true).values, [x]));
  assert.ok(gradcheck((t) => O.median(t), [x]));
  assert.ok(gradcheck((t) => O.median(t, 0).values, [x]));
  assert.ok(gradcheck((t) => O.nanmedian(t, 1).values, [leaf([[1.0, NaN, 3.0, -2.0], [NaN, 0.5, NaN, 4.0]])]));
  assert.ok(gradcheck((t) => O.mode(t, 1).values, [x]));
  assert.ok(gradcheck((t) => O.quantile(t, 0.3), [x]));
  assert.ok(gradcheck((t) => O.quantile(t, torch.tensor([0.1, 0.5, 0.95], { dtype: f64 }), { dim: 1, keepdim: true }), [x]));
  assert.ok(gradcheck((t) => O.nanquantile(t, 0.4, 1), [leaf([[1.0, NaN, 3.0, -2.0], [NaN, 0.5, 2.0, 4.0]])]));
});

test("gradcheck: vector, matrix and torch norms, svdvals, dist, cdist", () => {
  const x = smooth(3, 4);
  for (const p of [2, 1, 3, 0.5, 1.5, Infinity, -Infinity, -1])
    assert.ok(gradcheck((t) => linalg.vector_norm(t, p, 1), [x]), `ord ${p}`);
  assert.ok(gradcheck((t) => linalg.vector_norm(t, { ord: 3, dim: [0, 1], keepdim: true }), [x]));
  const m = smooth(2, 3, 4);
  for (const o of ["fro", "nuc", 2, -2, 1, -1, Infinity, -Infinity] as const)
    assert.ok(gradcheck((t) => linalg.matrix_norm(t, o), [m]), `matrix ord ${String(o)}`);
  assert.ok(gradcheck((t) => linalg.matrix_norm(t, { ord: "nuc", dim: [2, 0], keepdim: true }), [m]));
  assert.ok(gradcheck((t) => linalg.svdvals(t), [smooth(4, 3)]));
  assert.ok(gradcheck((t) => linalg.norm(t, -1, [2, 1]), [m]));
  assert.ok(gradcheck((t) => N.norm(t, "fro", [1, 2], true), [m]));
  assert.ok(gradcheck((t) => t.norm(3, 0), [x]));
  assert.ok(gradcheck((a, b) => N.dist(a, b, 3), [smooth(2, 3), pos(3)]));
  for (const p of [2, 1, 3, 0.5, Infinity])
    assert.ok(gradcheck((a, b) => N.cdist(a, b, p), [smooth(2, 3, 4), pos(5, 4)]), `cdist p ${p}`);
  assert.ok(gradgradcheck((t) => linalg.vector_norm(t, 2, 1), [smooth(2, 3)]));
});

test("gradcheck: einsum, tensordot, kron, cross", () => {
  const a = smooth(3, 4), b = smooth(4, 2), s = smooth(3, 3);
  assert.ok(gradcheck((p, q) => E.einsum("ij,jk->ik", p, q), [a, b]));
  assert.ok(gradcheck((p) => E.einsum("ii->i", p), [s]));
  assert.ok(gradcheck((p) => E.einsum("ii", p), [s]));
  assert.ok(gradcheck((p, q, r) => E.einsum("bn,anm,bm->ba", p, q, r), [smooth(2, 3), smooth(4, 3, 5), smooth(2, 5)]));
  assert.ok(gradcheck((p, q) => E.einsum("...ij,...jk", p, q), [smooth(2, 1, 3, 4), smooth(3, 4, 2)]));
  assert.ok(gradcheck((p) => E.einsum("iij->j", p), [smooth(3, 3, 2)]));
  assert.ok(gradgradcheck((p, q) => E.einsum("bij,bjk->bik", p, q), [smooth(2, 2, 3), smooth(2, 3, 2)]));
  assert.ok(gradcheck((p, q) => E.tensordot(p, q, { dims: [[1, 2], [2, 0]] }), [smooth(2, 3, 4), smooth(4, 2, 3)]));
  assert.ok(gradcheck((p, q) => E.kron(p, q), [smooth(2, 3), smooth(3)]));
  assert.ok(gradcheck((p, q) => linalg.cross(p, q), [smooth(4, 3), smooth(1, 3)]));
  assert.ok(gradcheck((p, q) => E.cross(p, q, 0), [smooth(3, 2), smooth(3, 2)]));
});

test("gradcheck and gradgradcheck: prod and cumprod with and without zeros", () => {
  const one = leaf([[2.0, 0.0, -1.5, 0.5], [1.5, 3.0, 0.0, 0.0], [0.5, 2.0, -1.0, 1.5]]);
  assert.ok(gradcheck((t) => torch.prod(t), [smooth(2, 3)]));
  assert.ok(gradcheck((t) => torch.prod(t, 1), [one]));
  assert.ok(gradcheck((t) => torch.prod(t, 0, true), [one]));
  assert.ok(gradcheck((t) => torch.prod(t), [leaf([[2.0, 0.0, -1.5], [1.5, 3.0, 0.5]])]));
  assert.ok(gradcheck((t) => torch.prod(t), [leaf([[2.0, 0.0, -1.5], [1.5, 0.0, 0.5]])]));
  assert.ok(gradcheck((t) => torch.cumprod(t, 1), [one]));
  assert.ok(gradcheck((t) => torch.cumprod(t, 0), [one]));
  // create_graph takes PyTorch's O(n²) composition; the second derivative must be exact too
  assert.ok(gradgradcheck((t) => torch.cumprod(t, 1), [leaf([[2.0, 0.0, -1.5, 0.5, 3.0], [0.0, 1.5, 0.0, 2.0, 1.0]])]));
  assert.ok(gradgradcheck((t) => torch.prod(t, 1), [one]));
  assert.ok(gradgradcheck((t) => torch.prod(t), [leaf([2.0, 0.0, -1.5, 0.5])]));
});

test("errors carry PyTorch's text", () => {
  const x = torch.tensor([3.0, 1.0, 2.0, 1.0]);
  const m = x.reshape(2, 2);
  const i64 = torch.tensor([1n, 2n]);
  const cases: [() => unknown, string][] = [
    [() => O.kthvalue(x, 5), "kthvalue(): selected number k out of range for dimension 0"],
    [() => O.kthvalue(torch.zeros(0), 1), "kthvalue(): Expected reduction dim 0 to have non-zero size."],
    [() => O.topk(x, 5), "selected index k out of range"],
    [() => O.topk(x, -1), "selected index k out of range"],
    [() => O.sort(x, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)"],
    [() => O.median(torch.zeros(0, 3), 0), "median(): Expected reduction dim 0 to have non-zero size."],
    [() => O.nanmedian(torch.zeros(0, 2), 0), "median(): Expected reduction dim 0 to have non-zero size."],
    [() => O.mode(torch.zeros(0)), "mode(): Expected reduction dim 0 to have non-zero size."],
    [() => O.quantile(x, 1.5), "quantile() q must be in the range [0, 1] but got 1.5"],
    [() => O.quantile(torch.tensor([1n, 2n]), 0.5), "quantile() input tensor must be either float or double dtype"],
    [() => O.quantile(x, torch.tensor([[0.5]])), "quantile() q must be a scalar or 1D tensor"],
    [() => O.quantile(x, torch.tensor([1.5])), "quantile() q values must be in the range [0, 1]"],
    [() => O.quantile(x, torch.tensor([0.5], { dtype: f64 })), "quantile() q tensor must be same dtype as the input tensor"],
    [() => O.quantile(torch.zeros(0), 0.5), "quantile() input tensor must be non-empty"],
    [() => O.quantile(x, 0.5, { interpolation: "foo" as never }), "quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got foo"],
    [() => S.var(i64), "std and var only support floating point and complex dtypes"],
    [() => S.var_mean(torch.tensor([true])), "var_mean only support floating point and complex dtypes"],
    [() => S.var(x, 2), "Dimension out of range (expected to be in range of [-1, 0], but got 2)"],
    [() => S.aminmax(torch.zeros(0)), "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."],
    [() => S.aminmax(torch.zeros(2, 0), { dim: 1 }), "aminmax: Expected reduction dim 1 to have non-zero size."],
    [() => S.logcumsumexp(i64, 0), `"logcumsumexp_out_cpu" not implemented for 'Long'`],
    [() => S.nanmean(i64), "nanmean(): expected input to have floating point dtype but got Long"],
    [() => S.diff(torch.tensor(1.0)), "diff expects input to be at least one-dimensional"],
    [() => S.cummax(x, 1), "Dimension out of range (expected to be in range of [-1, 0], but got 1)"],
    [() => linalg.vector_norm(i64), "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"],
    [() => linalg.vector_norm(torch.zeros(0), Infinity), "linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity"],
    // (PyTorch's message lacks the space before "because")
    [() => linalg.vector_norm(torch.zeros(0, 2), -1, 0), "linalg.vector_norm cannot compute the -1 norm on the dimension 0because this dimension is empty and the operation does not have an identity"],
    [() => linalg.vector_norm(x, 2, [0, 0]), "dim 0 appears multiple times in the list of dims"],
    [() => linalg.matrix_norm(x), "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."],
    [() => linalg.matrix_norm(m, 3), "linalg.matrix_norm: Order 3 not supported."],
    [() => linalg.matrix_norm(m, "abc" as never), "linalg.matrix_norm: Order abc not supported."],
    [() => linalg.matrix_norm(m, { dim: [0, 0] }), "linalg.matrix_norm: dims must be different. Got (0, 0)"],
    [() => linalg.matrix_norm(m, { dim: [0] }), "linalg.matrix_norm: dim must be a 2-tuple. Got 0"],
    [() => linalg.matrix_norm(torch.zeros(2, 2, { dtype: torch.int64 })), "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long"],
    [() => linalg.norm(x.reshape(1, 2, 2), 2), "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D."],
    [() => linalg.norm(x, null, [0, 1, 2]), "linalg.norm: If dim is specified, it must be of length 1 or 2. Got [0, 1, 2]"],
    [() => linalg.svdvals(x), "linalg.svd: The input tensor A must have at least 2 dimensions."],
    // torch.norm goes through matrix_norm for 'nuc' in 2.x (1.13 had its own message)
    [() => N.norm(x, "nuc"), "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."],
    [() => N.dist(i64, i64), "norm(): input dtype should be either floating point or complex. Got Long instead."],
    [() => N.cdist(torch.zeros(2, 3), torch.zeros(2, 4)), "X1 and X2 must have the same number of columns. X1: 3 X2: 4"],
    [() => N.cdist(torch.zeros(3), torch.zeros(2, 3)), "cdist only supports at least 2D tensors, X1 got: 1D"],
    [() => N.cdist(torch.zeros(2, 3), torch.zeros(2, 3), -1), "cdist only supports non-negative p values"],
    [() => E.einsum("ii", x), "einsum(): the number of subscripts in the equation (2) does not match the number of dimensions (1) for operand 0 and no ellipsis was given"],
    [() => E.einsum("i,j", x), "einsum(): fewer operands were provided than specified in the equation"],
    [() => E.einsum("i", x, x), "einsum(): more operands were provided than specified in the equation"],
    [() => E.einsum("i1", x), "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]"],
    [() => E.einsum("i->ii", x), "einsum(): output subscript i appears more than once in the output"],
    [() => E.einsum("i->j", x), "einsum(): output subscript j does not appear in the equation for any input operand"],
    [() => E.einsum("ij,j", m, torch.zeros(3)), "einsum(): subscript j has size 3 for operand 1 which does not broadcast with previously seen size 2"],
    [() => E.einsum("...i,...i", torch.zeros(2, 3), torch.zeros(4, 3)), "einsum(): dimension 0 covered by ellipsis in operand 1has size 4 which does not broadcast with previously seen ellipsis with size 2 for the respective dimension"],
    [() => E.einsum("...ijk", x), "einsum(): the number of subscripts in the equation (3) is more than the number of dimensions (1) for operand 0"],
    [() => E.einsum("ii", torch.zeros(2, 3)), "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"],
    [() => E.einsum("i.j", x), "einsum(): found '.' for operand 0 that is not part of any ellipsis"],
    [() => E.tensordot(x, x, -1), "tensordot expects dims >= 0, but got dims=-1"],
    [() => E.tensordot(m, torch.zeros(3, 2), [[0], [0]]), "contracted dimensions need to match, but first has size 2 in dim 0 and second has size 3 in dim 0"],
    [() => E.tensordot(m, torch.zeros(3, 2), [[0, 1], [0]]), "both dimension lists should have same length"],
    [() => E.cross(torch.zeros(2, 4), torch.zeros(2, 4), 1), "linalg.cross: inputs dimension 1 must have length 3. Got 4 and 4"],
    [() => linalg.cross(torch.zeros(2, 3), torch.zeros(3)), "linalg.cross: inputs must have the same number of dimensions."],
    [() => E.cross(torch.zeros(2, 2), torch.zeros(2, 2)), "no dimension of size 3 in input"],
  ];
  for (const [f, msg] of cases) assert.throws(f, (e: Error) => { assert.equal(e.message, msg); return true; });
});

test("unique and unique_consecutive: values differentiable in name only, as in PyTorch", () => {
  const x = torch.tensor([1.0, 2.0, 1.0]).requires_grad_(true);
  const u = first(O.unique(x));
  assert.equal(u.grad_fn?.name(), "Unique2Backward0");
  assert.throws(() => u.sum().backward(), { message: "the derivative for '_unique2' is not implemented." });
  assert.throws(() => first(O.unique(x.reshape(3, 1), { dim: 0 })).sum().backward(), { message: "the derivative for 'unique_dim' is not implemented." });
  assert.throws(() => first(O.unique_consecutive(x)).sum().backward(), { message: "the derivative for 'unique_consecutive' is not implemented." });
});

test("unique: every NaN is its own value (2.x's sort-based CPU kernel)", () => {
  // 1.13 maps every NaN to inverse 0 with count 0; 2.x sorts NaN last and compares with ==.
  const [vals, inv, counts] = O.unique(torch.tensor([NaN, 1.0, NaN, 1.0]), { return_inverse: true, return_counts: true }) as Tensor[];
  assert.deepEqual(vals!.tolist(), [1, NaN, NaN]);
  assert.deepEqual(inv!.tolist(), [1, 0, 2, 0]);
  assert.deepEqual(counts!.tolist(), [2, 1, 1]);
});

test("returned tuples destructure in PyTorch's order and carry the names; methods are installed", () => {
  const x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]);
  const s = x.sort(1, true);
  const [v, i] = s;
  assert.equal(s.values, v); assert.equal(s.indices, i);
  assert.deepEqual(i.tolist(), [[0, 2, 1], [1, 2, 0]]);
  const mm = x.aminmax({ dim: 1 });
  assert.deepEqual([mm.min.tolist(), mm.max.tolist()], [[1, 0], [3, 5]]);
  const [mn, mx] = mm;
  assert.equal(mn, mm.min); assert.equal(mx, mm.max);
  assert.deepEqual(x.topk(1).indices.tolist(), [[0], [1]]);
  assert.deepEqual(x.kthvalue(2, 0).values.tolist(), [3, 5, 4]);
  assert.deepEqual(x.median(1).indices.tolist(), [2, 2]);
  assert.deepEqual(x.cummax(1).values.tolist(), [[3, 3, 3], [0, 5, 5]]);
  assert.deepEqual(x.mode(0).values.tolist(), [0, 1, 2]);
  const [vr, mean] = x.var_mean(1);
  assert.ok(Math.abs((vr!.tolist() as number[])[0]! - 1) < 1e-6 && Math.abs((mean!.tolist() as number[])[1]! - 3) < 1e-6);
  assert.equal(x.norm().grad_fn, null);
  assert.deepEqual(x.count_nonzero(1).tolist(), [3, 2]);
  assert.deepEqual(x.argsort({ dim: 0 }).tolist(), [[1, 0, 0], [0, 1, 1]]);
  assert.deepEqual(x.diff().tolist(), [[-2, 1], [5, -1]]);
  assert.ok(x.std().item() > 0 && x.nansum().item() === 15 && x.nanmean().item() === 2.5);
  assert.ok(x.quantile(0.5).item() === 2.5 && x.nanquantile(0.5).item() === 2.5);
  assert.equal(x.msort().shape[0], 2);
  assert.deepEqual(torch.tensor([1.0, 2.0]).kron(torch.tensor([1.0, 10.0])).tolist(), [1, 10, 2, 20]);
  assert.deepEqual(torch.tensor([1.0, 0.0, 0.0]).cross(torch.tensor([0.0, 1.0, 0.0])).tolist(), [0, 0, 1]);
  assert.ok(Math.abs(x.dist(x.mul(0)).item() - Math.sqrt(55)) < 1e-5);
  assert.ok(Math.abs((x.logcumsumexp(1).tolist() as number[][])[0]![0]! - 3) < 1e-6);
});

test("grad_fn names of composed results follow PyTorch's last op", () => {
  const x = smooth(3, 4), m = smooth(3, 3);
  assert.equal(linalg.matrix_norm(m, 1).grad_fn?.name(), "AmaxBackward0");
  assert.equal(linalg.matrix_norm(m, -Infinity).grad_fn?.name(), "AminBackward0");
  assert.equal(linalg.matrix_norm(m, "nuc").grad_fn?.name(), "SumBackward1");
  assert.equal(linalg.matrix_norm(m, "fro").grad_fn?.name(), "LinalgVectorNormBackward0");
  assert.equal(linalg.svdvals(m).grad_fn?.name(), "LinalgSvdBackward0");
  assert.equal(N.norm(x, 3).grad_fn?.name(), "LinalgVectorNormBackward0");
  assert.equal(S.nanmean(x).grad_fn?.name(), "DivBackward0");
  assert.equal(S.diff(x).grad_fn?.name(), "SubBackward0");
  assert.equal(S.cumulative_trapezoid(x).grad_fn?.name(), "CumsumBackward0");
  assert.equal(S.aminmax(x).min.grad_fn?.name(), "AminmaxBackward0");
  assert.equal(O.sort(x, { stable: true }).values.grad_fn?.name(), "SortBackward1");
  assert.equal(O.msort(x).grad_fn?.name(), "SortBackward0");
  assert.equal(E.einsum("ij,jk->ik", x, smooth(4, 2)).grad_fn?.name(), "ViewBackward0");
});

test("NaN: sort puts NaN last (first when descending), median returns the first NaN, topk counts NaN as largest", () => {
  const x = torch.tensor([[2.0, NaN, 1.0, NaN, 0.0]]);
  assert.deepEqual(O.sort(x).indices.tolist(), [[4, 2, 0, 1, 3]]);
  assert.deepEqual(O.sort(x, { descending: true }).indices.tolist(), [[1, 3, 0, 2, 4]]);
  const med = O.median(x, 1);
  assert.ok(Number.isNaN((med.values.tolist() as number[])[0]!)); assert.deepEqual(med.indices.tolist(), [1]);
  assert.deepEqual(O.nanmedian(x, 1).values.tolist(), [1]);
  assert.ok(Number.isNaN(O.median(x).item()));
  assert.deepEqual(O.topk(x, 2).indices.tolist(), [[1, 3]]);
  assert.ok(Number.isNaN((S.cummax(torch.tensor([1.0, NaN, 3.0]), 0).values.tolist() as number[])[2]!));
  assert.deepEqual(S.cummax(torch.tensor([1.0, NaN, 3.0, NaN]), 0).indices.tolist(), [0, 1, 1, 3]);
});

test("evenly distributed gradients: median() and aminmax share among equal elements", () => {
  // (values from PyTorch: the lower median 3 occurs three times)
  const x = torch.tensor([1.0, 3.0, 3.0, 2.0, 3.0]).requires_grad_(true);
  O.median(x).backward();
  assert.deepEqual(x.grad!.tolist(), [0, 0.3333333432674408, 0.3333333432674408, 0, 0.3333333432674408]);
  const y = torch.tensor([3.0, 1.0, 3.0, 1.0]).requires_grad_(true);
  const r = S.aminmax(y);
  r.min.add(r.max.mul(10)).backward();
  assert.deepEqual(y.grad!.tolist(), [5, 0.5, 5, 0.5]);
  const z = torch.tensor([[0.0, 0.0], [3.0, -4.0]]).requires_grad_(true);
  linalg.vector_norm(z, 2, 1).sum().backward();
  // the subgradient of the 2-norm at 0 is 0
  assert.deepEqual(z.grad!.tolist(), [[0, 0], [0.6000000238418579, -0.800000011920929]]);
});

test("einsum: operands as one array, and the sublist form", () => {
  const a = smooth(2, 3).detach(), b = smooth(3, 4).detach();
  const want = E.einsum("ij,jk->ik", a, b);
  assert.ok(torch.equal(E.einsum("ij,jk->ik", [a, b]), want));
  // einsum(op1, [0, 1], op2, [1, 2], [0, 2]): integers 0..51 name the subscripts
  assert.ok(torch.equal(E.einsum(a, [0, 1], b, [1, 2], [0, 2]), want));
  assert.ok(torch.equal(E.einsum(a, [0, 1], b, [1, 2]), want));
  assert.throws(() => E.einsum(a, [0, 60]), { message: "einsum(): subscript in subscript list is not within the valid range [0, 52)" });
});

test("var and std take PyTorch 2.x's fractional correction", () => {
  const x = smooth(3, 4);
  const n = 4, v = S.var(x, { dim: 1, correction: 0.5 });
  const ref = x.sub(x.mean(1, true)).square().sum(1).div(n - 0.5);
  assert.ok(torch.allclose(v, ref));
  assert.ok(gradcheck((t) => S.std(t, { dim: 1, correction: 0.5 }), [x]));
});

test("Jacobi SVD: singular values of known matrices", () => {
  const s = D.jacobiSvd([3, 0, 0, 0, -2, 0], 2, 3).S;
  assert.deepEqual(Array.from(s), [3, 2]);
  // a rank-one 3x2 matrix: one singular value ‖u‖·‖v‖, the other 0
  const r = D.jacobiSvd([1, 2, 2, 4, 3, 6], 3, 2);
  assert.ok(Math.abs(r.S[0]! - Math.sqrt(14) * Math.sqrt(5)) < 1e-12 && Math.abs(r.S[1]!) < 1e-12);
});
