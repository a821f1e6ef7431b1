// torch.autograd.gradcheck / gradgradcheck: compare the analytical Jacobian (from backward,
// one vector-Jacobian product per output element) with central finite differences.

import { Tensor } from "../core/tensor.js";
import { float64 } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { grad } from "./api.js";
import "../ops/random_ops.js";

export interface GradcheckOptions { eps?: number; atol?: number; rtol?: number; raise_exception?: boolean; nondet_tol?: number }

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

const asList = (o: Tensor | Tensor[]): Tensor[] => (Array.isArray(o) ? o : [o]);

/** Sets element k (row-major) of a contiguous float64 tensor in place, returning the old value. */
function poke(t: Tensor, k: number, v: number): number {
  const d = t._storage.data as Float64Array;
  const pos = t._offset + k;
  const old = d[pos]!;
  d[pos] = v;
  return old;
}

/**
 * Note [gradcheck's calls and random draws]: the function is called as PyTorch's slow gradcheck
 * calls it: once for the outputs (the analytical Jacobian is built from that one graph, one
 * vector-Jacobian product per output element), then twice per element of each input that
 * requires grad (all outputs at once). gradcheck draws no random numbers, and gradgradcheck draws
 * its grad_outputs as torch.testing.make_tensor does (uniform_(-1, 1) per differentiable output),
 * so seeded draws after either match PyTorch's.
 */
export function gradcheck(fn: Fn, inputs: Tensor | Tensor[], opts: GradcheckOptions = {}): boolean {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const ins = asList(inputs);
  const diff = ins.filter((t) => t.requires_grad);
  for (const t of diff) {
    if (t.dtype !== float64) console.warn(`Input #${ins.indexOf(t)} requires gradient and is not a double precision floating point. gradcheck is most reliable in double precision.`);
    if (!t.is_contiguous()) throw new Error("gradcheck: inputs that require grad must be contiguous (make them with .contiguous())");
  }
  // PyTorch checks the differentiable outputs (those that require grad), or, where there are none,
  // that the function's numerical derivatives are zero
  const all0 = asList(fn(...ins));
  let picked = all0.flatMap((o, i) => (o.dtype.is_floating_point && o.requires_grad ? [i] : []));
  if (picked.length === 0) picked = all0.flatMap((o, i) => (o.dtype.is_floating_point ? [i] : []));
  const outs0 = picked.map((i) => all0[i]!);
  const floatOutputs = (out: Tensor | Tensor[]): ArrayLike<number>[] => {
    const os = asList(out);
    return picked.map((i) => K.values(K.contiguousCopy(os[i]!, float64)));
  };
  const fail = (msg: string): boolean => { if (opts.raise_exception ?? true) throw new Error(msg); return false; };

  // numerical: column j of output oi's Jacobian = (f(x + eps e_j) - f(x - eps e_j)) / 2eps
  // (not under no_grad: gradgradcheck's function itself needs the graph)
  const numJ = outs0.map((o) => diff.map((x) => new Float64Array(x.numel() * o.numel())));
  diff.forEach((x, ii) => {
    const m = x.numel();
    for (let j = 0; j < m; j++) {
      const orig = poke(x, j, 0);
      poke(x, j, orig + eps);
      const plus = floatOutputs(fn(...ins));
      poke(x, j, orig - eps);
      const minus = floatOutputs(fn(...ins));
      poke(x, j, orig);
      outs0.forEach((o, oi) => {
        const n = o.numel(), J = numJ[oi]![ii]!, p = plus[oi]!, q = minus[oi]!;
        for (let r = 0; r < n; r++) J[j * n + r] = (p[r]! - q[r]!) / (2 * eps);
      });
    }
  });

  for (let oi = 0; oi < outs0.length; oi++) {
    const o = outs0[oi]!;
    const n = o.numel();
    for (let ii = 0; ii < diff.length; ii++) {
      const x = diff[ii]!, m = x.numel();
      // analytical: row r via the vjp with the unit vector e_r, through the first call's graph
      const anaJ = new Float64Array(m * n);
      for (let r = 0; r < n && o.requires_grad; r++) {
        const e = Tensor.empty(o.shape, o.dtype);
        K.fill(new Tensor(e._storage, [1], [1], r, e.dtype), 1);
        const [g] = grad([o], [x], { grad_outputs: [e], allow_unused: true, retain_graph: true });
        if (g) { const v = K.values(K.contiguousCopy(g, float64)); for (let j = 0; j < m; j++) anaJ[j * n + r] = v[j]!; }
      }
      const numerical = numJ[oi]![ii]!;
      for (let k = 0; k < m * n; k++) {
        const a = anaJ[k]!, b = numerical[k]!;
        if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
          return fail(`Jacobian mismatch for output ${oi} with respect to input ${ins.indexOf(x)},\n` +
            `numerical:${formatJ(numerical, m, n)}\nanalytical:${formatJ(anaJ, m, n)}\n`);
        }
      }
    }
  }
  return true;
}

function formatJ(J: Float64Array, m: number, n: number): string {
  const rows: string[] = [];
  for (let j = 0; j < Math.min(m, 8); j++) rows.push(Array.from(J.subarray(j * n, j * n + Math.min(n, 8)), (v) => v.toFixed(4)).join(", "));
  return "\n[" + rows.join("]\n[") + "]";
}

/** Checks second derivatives: gradcheck of (inputs, grad_outputs) ↦ vjp with create_graph. */
export function gradgradcheck(fn: Fn, inputs: Tensor | Tensor[], grad_outputs?: Tensor | Tensor[] | null, opts: GradcheckOptions = {}): boolean {
  const ins = asList(inputs);
  const outs = asList(fn(...ins)).filter((o) => o.dtype.is_floating_point && o.requires_grad);
  // torch.testing.make_tensor(shape, dtype, low=-1, high=1, requires_grad=True) for each output
  const gos = grad_outputs ? asList(grad_outputs) : outs.map((o) => Tensor.empty(o.shape, o.dtype).uniform_(-1, 1).requires_grad_(true));
  const nIn = ins.length;
  const f = (...args: Tensor[]): Tensor[] => {
    const xs = args.slice(0, nIn), gs = args.slice(nIn);
    const os = asList(fn(...xs)).filter((o) => o.dtype.is_floating_point && o.requires_grad);
    const d = xs.filter((t) => t.requires_grad);
    return grad(os, d, { grad_outputs: gs, create_graph: true, allow_unused: true }).map((g, i) => g ?? d[i]!.mul(0));
  };
  return gradcheck(f, [...ins, ...gos], opts);
}
