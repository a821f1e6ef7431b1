// Contractions: einsum, tensordot, kron, cross / linalg.cross.
//
// Note [einsum as bmm]: einsum is composed as PyTorch 2.x's (Linear.cpp): views and one batched
// GEMM per pair of operands (sumproduct_pair): repeated subscripts in one operand become a
// diagonal (a view), subscripts no other operand needs are summed out first, and each pair is
// permuted into [batch, left-only, contracted] × [batch, contracted, right-only] and multiplied with
// bmm (or simply multiplied where nothing is contracted). The gradient is the composition's
// (diagonal, permute, reshape, sum, bmm, mul), so einsum needs no backward of its own; its
// result's grad_fn is whatever op came last, as in PyTorch.

import { Tensor } from "../core/tensor.js";
import { normDim, broadcastShapes } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { installMethods } from "./util.js";
import { bmm } from "./linalg.js";

/** Labels: 0..51 for A-Z then a-z (PyTorch's order, so the implicit output sorts A-Z before a-z);
 *  52 + i for the i-th ellipsis dim (counted from the left of the broadcast ellipsis). */
type Label = number;
const ELL = 52;

function labelOf(ch: string): Label {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97 + 26;
  return -1;
}
function charOf(l: Label): string { return String.fromCharCode(l < 26 ? 65 + l : 97 + l - 26); }

interface Term { labels: Label[]; ellipsis: boolean }

/** Parses one operand's subscripts (or the output's); `offset` is its position in the equation
 *  for error messages. */
function parseTerm(s: string, offset: number): Term {
  const labels: Label[] = [];
  let ellipsis = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === ".") {
      if (ellipsis || s.slice(i, i + 3) !== "...") throw new Error("einsum(): found '.' for operand 0 that is not part of any ellipsis");
      ellipsis = true; labels.push(-1); i += 2; continue;
    }
    const l = labelOf(ch);
    if (l < 0) throw new Error(`einsum(): invalid subscript given at index ${offset + i} in the equation string, subscripts must be in [a-zA-Z]`);
    labels.push(l);
  }
  return { labels, ellipsis };
}

/** Sublist form einsum(op1, [0, 1], op2, [1, 2], [0, 2]) → "ab,bc->ac" (Ellipsis as "..."). */
function sublistEquation(args: unknown[]): [string, Tensor[]] {
  const ops: Tensor[] = [], terms: string[] = [];
  const conv = (l: unknown[]): string => l.map((e) => {
    if (e === "..." ) return "...";
    if (typeof e !== "number" || e < 0 || e >= 52) throw new Error("einsum(): subscript in subscript list is not within the valid range [0, 52)");
    return charOf(e);
  }).join("");
  let i = 0;
  for (; i + 1 < args.length; i += 2) { ops.push(args[i] as Tensor); terms.push(conv(args[i + 1] as unknown[])); }
  const out = i < args.length ? "->" + conv(args[i] as unknown[]) : "";
  return [terms.join(",") + out, ops];
}

/** torch.einsum(equation, *operands) (operands as varargs or one array), or the sublist form. */
export function einsum(equation: string | Tensor, ...rest: unknown[]): Tensor {
  let eq: string, ops: Tensor[];
  if (equation instanceof Tensor) [eq, ops] = sublistEquation([equation, ...rest]);
  else { eq = equation; ops = (rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest) as Tensor[]; }
  const arrow = eq.indexOf("->");
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  // parse operands, keeping character offsets for the error messages (spaces are allowed)
  const terms: Term[] = [];
  let pos = 0;
  for (const part of lhs.split(",")) {
    const stripped = part.replace(/ /g, "");
    terms.push(parseTerm(stripped, pos + (part.length - part.trimStart().length)));
    pos += part.length + 1;
  }
  if (terms.length < ops.length) throw new Error("einsum(): more operands were provided than specified in the equation");
  if (terms.length > ops.length) throw new Error("einsum(): fewer operands were provided than specified in the equation");
  // the ellipsis covers as many dims as the widest operand's leftover dims
  let ellDims = 0;
  terms.forEach((t, i) => {
    const op = ops[i]!, n = t.labels.filter((l) => l >= 0).length;
    if (t.ellipsis) {
      if (n > op.ndim) throw new Error(`einsum(): the number of subscripts in the equation (${n}) is more than the number of dimensions (${op.ndim}) for operand ${i}`);
      ellDims = Math.max(ellDims, op.ndim - n);
    } else if (n !== op.ndim) {
      throw new Error(`einsum(): the number of subscripts in the equation (${n}) does not match the number of dimensions (${op.ndim}) for operand ${i} and no ellipsis was given`);
    }
  });
  // every operand's dims as labels, the ellipsis right-aligned to the global ellipsis dims
  const opLabels: Label[][] = terms.map((t, i) => {
    const op = ops[i]!, n = t.labels.filter((l) => l >= 0).length, mine = op.ndim - n;
    return t.labels.flatMap((l) => (l >= 0 ? [l] : Array.from({ length: mine }, (_, k) => ELL + ellDims - mine + k)));
  });
  // output labels
  const counts = new Map<Label, number>();
  for (const ls of opLabels) for (const l of ls) if (l < ELL) counts.set(l, (counts.get(l) ?? 0) + 1);
  let out: Label[];
  if (arrow >= 0) {
    const rhs = eq.slice(arrow + 2);
    const t = parseTerm(rhs.replace(/ /g, ""), arrow + 2);
    const seen = new Set<Label>();
    out = [];
    for (const l of t.labels) {
      if (l < 0) { for (let k = 0; k < ellDims; k++) out.push(ELL + k); continue; }
      if (seen.has(l)) throw new Error(`einsum(): output subscript ${charOf(l)} appears more than once in the output`);
      if (!counts.has(l)) throw new Error(`einsum(): output subscript ${charOf(l)} does not appear in the equation for any input operand`);
      seen.add(l); out.push(l);
    }
  } else {
    out = [...Array(ellDims).keys()].map((k) => ELL + k).concat([...counts.keys()].filter((l) => counts.get(l) === 1).sort((a, b) => a - b));
  }
  // sizes: labels broadcast (size 1 against n), as PyTorch allows
  const size = new Map<Label, number>();
  opLabels.forEach((ls, i) => ls.forEach((l, d) => {
    const s = ops[i]!.shape[d]!, prev = size.get(l);
    const first = ls.indexOf(l);
    if (first < d && ops[i]!.shape[first] !== s)
      throw new Error(`einsum(): subscript ${charOf(l)} is repeated for operand ${i} but the sizes don't match, ${s} != ${ops[i]!.shape[first]}`);
    if (prev === undefined || prev === 1) size.set(l, s);
    else if (s !== 1 && s !== prev) {
      // (PyTorch's message has no space before "has")
      if (l >= ELL) throw new Error(`einsum(): dimension ${d} covered by ellipsis in operand ${i}has size ${s} which does not broadcast with previously seen ellipsis with size ${prev} for the respective dimension`);
      throw new Error(`einsum(): subscript ${charOf(l)} has size ${s} for operand ${i} which does not broadcast with previously seen size ${prev}`);
    }
  }));
  // Align every operand to one dim order (PyTorch 2.x's einsum in Linear.cpp, step for step, so
  // that the graph has its nodes): the output's labels, then the contracted ones (the ellipsis
  // first where the output lacks it, then the labels A-Z, a-z). A repeated label becomes a
  // diagonal moved back to its first place, a missing one a size-1 dim; then one permute.
  const outSet = new Set(out);
  const order = [...out];
  for (let k = 0; k < ellDims; k++) if (!outSet.has(ELL + k)) order.push(ELL + k);
  for (let l = 0; l < ELL; l++) if (counts.has(l) && !outSet.has(l)) order.push(l);
  const P = order.length, outN = out.length, at = new Map(order.map((l, k) => [l, k]));
  const dimCounts = new Array<number>(P).fill(0); // operands in which a dim has a size other than 1
  let list = ops.map((op, i) => {
    const perm = new Array<number>(P).fill(-1);
    let t = op, dim = 0;
    for (const l of opLabels[i]!) {
      const p = at.get(l)!;
      if (perm[p] === -1) {
        if (t.shape[dim] !== 1) dimCounts[p]!++;
        perm[p] = dim++;
      } else {
        t = t.diagonal(0, perm[p]!, dim).movedim(-1, perm[p]!);
      }
    }
    for (let p = 0; p < P; p++) if (perm[p] === -1) { t = t.unsqueeze(dim); perm[p] = dim++; }
    return t.permute(perm);
  });
  // Contract left to right, summing out first what only one side of a pair still has
  while (list.length > 1) {
    let a = list[0]!, b = list[1]!;
    const sumDims: number[] = [], aSum: number[] = [], bSum: number[] = [];
    for (let d = outN; d < P; d++) {
      if (a.shape[d] !== 1 && b.shape[d] !== 1) {
        if (--dimCounts[d]! === 1) { sumDims.push(d); dimCounts[d] = 0; }
      } else if (dimCounts[d] === 1) {
        if (a.shape[d] !== 1) { aSum.push(d); dimCounts[d] = 0; } else if (b.shape[d] !== 1) { bSum.push(d); dimCounts[d] = 0; }
      }
    }
    if (aSum.length) a = a.sum(aSum, true);
    if (bSum.length) b = b.sum(bSum, true);
    list = [sumproductPair(a, b, sumDims), ...list.slice(2)];
  }
  const r = list[0]!;
  if (P === outN) return r;
  // the contracted dims: size 1 after a contraction (dropped by a view), summed out of a lone operand
  return ops.length > 1 ? r.view(r.shape.slice(0, outN)) : r.sum([...Array(P - outN).keys()].map((k) => outN + k));
}

/** (left·right) summed over sumDims, kept as size-1 dims (ATen's sumproduct_pair with keepdim): a
 *  product where nothing is summed, else one bmm of [both, left-only, summed] × [both, summed,
 *  right-only], viewed and permuted back (Note [einsum as bmm]). */
function sumproductPair(left: Tensor, right: Tensor, sumDims: number[]): Tensor {
  if (!sumDims.length) return left.mul(right);
  const summed = new Set(sumDims), lro: number[] = [], lo: number[] = [], ro: number[] = [];
  let sumSize = 1;
  for (let i = 0; i < left.ndim; i++) {
    const sl = left.shape[i] !== 1, sr = right.shape[i] !== 1;
    if (summed.has(i)) {
      if (sl && sr) sumSize *= left.shape[i]!;
      else if (sl) left = left.sum(i, true);
      else if (sr) right = right.sum(i, true);
    } else if (sl && sr) lro.push(i);
    else if (sl) lo.push(i);
    else ro.push(i);
  }
  const prod = (t: Tensor, ds: number[]) => ds.reduce((p, d) => p * t.shape[d]!, 1);
  const outSize = [...lro.map((d) => left.shape[d]!), ...lo.map((d) => left.shape[d]!), ...sumDims.map(() => 1), ...ro.map((d) => right.shape[d]!)];
  const operm = new Array<number>(left.ndim);
  [...lro, ...lo, ...sumDims, ...ro].forEach((d, k) => { operm[d] = k; });
  const L = left.permute([...lro, ...lo, ...sumDims, ...ro]).reshape([prod(left, lro), prod(left, lo), sumSize]);
  const R = right.permute([...lro, ...sumDims, ...ro, ...lo]).reshape([prod(left, lro), sumSize, prod(right, ro)]);
  return bmm(L, R).view(outSize).permute(operm);
}

// ---- tensordot ---------------------------------------------------------------------------------------

/** torch.tensordot(a, b, dims=2): contract dims_a of a with dims_b of b (an int n means a's last n
 *  with b's first n). Composed of permute, reshape and mm, as ATen's tensordot. */
export function tensordot(a: Tensor, b: Tensor, dims: number | [number[], number[]] | [number, number] | { dims?: number | [number[], number[]] } = 2): Tensor {
  let dd = (typeof dims === "object" && !Array.isArray(dims) ? dims.dims ?? 2 : dims) as number | [number[] | number, number[] | number];
  let da: number[], db: number[];
  if (typeof dd === "number") {
    const n = dd;
    if (n < 0) throw new Error(`tensordot expects dims >= 0, but got dims=${n}`);
    da = [...Array(n).keys()].map((k) => k - n); db = [...Array(n).keys()];
    dd = [da, db];
  }
  da = (Array.isArray(dd[0]) ? dd[0] : [dd[0]]).map((d) => normDim(d, a.ndim));
  db = (Array.isArray(dd[1]) ? dd[1] : [dd[1]]).map((d) => normDim(d, b.ndim));
  if (da.length !== db.length) throw new Error("both dimension lists should have same length");
  let t1 = a, t2 = b, csize = 1;
  for (let i = 0; i < da.length; i++) {
    const s1 = a.shape[da[i]!]!, s2 = b.shape[db[i]!]!;
    // a size-1 dim against n: sum the other operand over it first (ATen's broadcasting rule)
    if (s2 === 1) t1 = t1.sum(da[i]!, true);
    else if (s1 === 1) t2 = t2.sum(db[i]!, true);
    else if (s1 !== s2) throw new Error(`contracted dimensions need to match, but first has size ${s1} in dim ${da[i]} and second has size ${s2} in dim ${db[i]}`);
    else csize *= s1;
  }
  const freeA = [...Array(a.ndim).keys()].filter((d) => !da.includes(d));
  const freeB = [...Array(b.ndim).keys()].filter((d) => !db.includes(d));
  const rsizes = [...freeA.map((d) => a.shape[d]!), ...freeB.map((d) => b.shape[d]!)];
  const s1 = freeA.reduce((p, d) => p * a.shape[d]!, 1), s2 = freeB.reduce((p, d) => p * b.shape[d]!, 1);
  const m1 = t1.permute([...freeA, ...da]).reshape(s1, csize);
  const m2 = t2.permute([...db, ...freeB]).reshape(csize, s2);
  return m1.mm(m2).reshape(rsizes);
}

// ---- kron --------------------------------------------------------------------------------------------

/** torch.kron(a, b): interleave the dims (a's as [n, 1], b's as [1, m]), multiply, and view as the
 *  product shape (ATen's _unsafe_view: UnsafeViewBackward0). */
export function kron(a: Tensor, b: Tensor): Tensor {
  const nd = Math.max(a.ndim, b.ndim), pa = nd - a.ndim, pb = nd - b.ndim;
  const ra: number[] = [], rb: number[] = [], rs: number[] = [];
  for (let i = 0; i < nd; i++) {
    const sa = i >= pa ? a.shape[i - pa]! : 1, sb = i >= pb ? b.shape[i - pb]! : 1;
    ra.push(sa, 1); rb.push(1, sb); rs.push(sa * sb);
  }
  const m = a.reshape(ra).mul(b.reshape(rb));
  const y = K.contiguousCopy(m.detach()).reshape(rs);
  const ms = m.shape.slice();
  return record("UnsafeViewBackward0", [m], y, ([g]) => [g!.reshape(ms)]);
}

// ---- cross ---------------------------------------------------------------------------------------------

/** torch.linalg.cross(input, other, *, dim=-1) with broadcasting (LinalgCrossBackward0). */
export function linalg_cross(a: Tensor, b: Tensor, opts: { dim?: number } | number = {}): Tensor {
  const dim = typeof opts === "number" ? opts : opts.dim ?? -1;
  if (a.ndim !== b.ndim) throw new Error("linalg.cross: inputs must have the same number of dimensions.");
  const d = normDim(dim, a.ndim);
  if (a.shape[d] !== 3 || b.shape[d] !== 3)
    throw new Error(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  const shape = broadcastShapes(a.shape, b.shape);
  const A = a.detach().expand(shape), B = b.detach().expand(shape);
  const c = (i: number) => A.select(d, i), e = (i: number) => B.select(d, i);
  const y = K.contiguousCopy(torchStack([
    c(1).mul(e(2)).sub(c(2).mul(e(1))),
    c(2).mul(e(0)).sub(c(0).mul(e(2))),
    c(0).mul(e(1)).sub(c(1).mul(e(0))),
  ], d));
  return record("LinalgCrossBackward0", [a, b], y, ([g], [as, bs]) => [
    linalg_cross(bs!, g!, { dim: d }), linalg_cross(g!, as!, { dim: d }),
  ], [a, b]);
}

function torchStack(ts: Tensor[], d: number): Tensor {
  return ts.map((t) => t.unsqueeze(d)).reduce((p, t) => (p ? catPair(p, t, d) : t));
}
function catPair(p: Tensor, t: Tensor, d: number): Tensor {
  const shape = p.shape.slice(); shape[d] = p.shape[d]! + t.shape[d]!;
  const out = Tensor.empty(shape, p.dtype);
  K.copyInto(out.narrow(d, 0, p.shape[d]!), p);
  K.copyInto(out.narrow(d, p.shape[d]!, t.shape[d]!), t);
  return out;
}

/** torch.cross(input, other, dim=None): without dim, the first dim of size 3 (deprecated in
 *  PyTorch, which warns); with dim, linalg.cross. */
export function cross(a: Tensor, b: Tensor, dim?: number | null | { dim?: number | null }): Tensor {
  const dd = typeof dim === "object" && dim !== null ? dim.dim : dim;
  if (dd === null || dd === undefined) {
    const shape = broadcastShapes(a.shape, b.shape);
    const first = shape.findIndex((s) => s === 3);
    if (first < 0) throw new Error("no dimension of size 3 in input");
    return linalg_cross(a, b, { dim: first });
  }
  return linalg_cross(a, b, { dim: dd });
}

installMethods({ cross, kron });

declare module "../core/tensor.js" {
  interface Tensor {
    cross(other: Tensor, dim?: number | null | { dim?: number | null }): Tensor;
    kron(other: Tensor): Tensor;
  }
}
