// The op database's cases: for each case of a golden file written by tools/gen_golden.py's case
// machinery, build the inputs (non-contiguous ones through our own view ops), call the op
// through an op table (test/opdb.ts), and check against PyTorch's results: values, shape and dtype
// of every output, the grad_fn name, the gradients for PyTorch's grad_outputs, and, for float64
// cases where PyTorch's own gradcheck (gradgradcheck) passes, our gradcheck (gradgradcheck).
// Bad-input cases check that our error message contains PyTorch's (2.x's, where the case records it).
// Node's runner (./opdb_runner.ts) makes a test of each case; the op database in a browser
// (./browser/opdb_page.ts) runs the same cases in the page, so nothing here needs Node.

import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import type { OpFn, OpResult } from "./opdb.js";
import {
  type GoldenTensor, type GoldenValue, type Tolerance, fromGolden, assertClose, decodeNumber, decodeBigInt, dtypeOf, tolerance,
} from "./helpers.js";

type View =
  | { op: "t" }
  | { op: "transpose"; dim0: number; dim1: number }
  | { op: "permute"; dims: number[] }
  | { op: "slice"; dim: number; start: number; step: number }
  | { op: "expand"; size: number[] };

interface TensorArg extends GoldenTensor { view: View | null; requires_grad: boolean }

type Arg =
  | { tensor: TensorArg }
  | { tensors: TensorArg[] }
  | { scalar: GoldenValue }
  | { dtype: string }
  | { value: unknown };

interface Output extends GoldenTensor {
  grad_fn: string | null;
  /** grad_output PyTorch's gradients were computed with */
  w?: GoldenTensor;
}

export interface OpCase {
  name: string;
  op: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  /** PyTorch's message for a bad-input case (null: 1.13 computes a result where 2.x raises) */
  error?: string | null;
  /** 2.x's message where it differs from 1.13's (2.x wins), with the reason */
  error_2x?: string;
  error_2x_why?: string;
  /** the op returns a tuple/list */
  multi?: boolean;
  out?: Output[];
  /** gradients of each tensor input's base, in order of appearance (null: not differentiated) */
  grads?: (GoldenTensor | null)[];
  /** PyTorch's message when backward itself fails (an op without a derivative) */
  grad_error?: string;
  gradcheck?: boolean;
  gradgradcheck?: boolean;
}

function applyView(x: Tensor, v: View | null): Tensor {
  if (v === null) return x;
  switch (v.op) {
    case "t": return x.t();
    case "transpose": return x.transpose(v.dim0, v.dim1);
    case "permute": return x.permute(v.dims);
    case "slice": return x.slice(v.dim, v.start, null, v.step);
    case "expand": return x.expand(v.size);
  }
}

/** The case's tensor specs in order of appearance: args first, then kwargs (as the generator). */
function tensorSpecs(c: OpCase): TensorArg[] {
  const specs: TensorArg[] = [];
  for (const a of [...c.args, ...Object.values(c.kwargs)]) {
    if ("tensor" in a) specs.push(a.tensor);
    else if ("tensors" in a) specs.push(...a.tensors);
  }
  return specs;
}

/** The call's arguments built from the leaves (one per tensor spec), each seen through its view. */
function buildCall(c: OpCase, leaves: readonly Tensor[]): { args: unknown[]; kw: Record<string, unknown> } {
  let k = 0;
  const decode = (a: Arg): unknown => {
    if ("tensor" in a) { const i = k++; return applyView(leaves[i]!, a.tensor.view); }
    if ("tensors" in a) return a.tensors.map((s) => { const i = k++; return applyView(leaves[i]!, s.view); });
    if ("scalar" in a) return typeof a.scalar === "boolean" ? a.scalar : decodeNumber(a.scalar);
    if ("dtype" in a) return dtypeOf(a.dtype);
    return a.value;
  };
  const args = c.args.map(decode);
  const kw: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(c.kwargs)) kw[name] = decode(a);
  return { args, kw };
}

const asList = (r: OpResult): Tensor[] => (r instanceof torch.Tensor ? [r] : [...r]);

/** How a device runs the cases (runOpDb's `device`): its name, and the tolerance its float32
 *  results get (its exp, log, sin … are not correctly rounded). */
export interface DeviceRun { device: string; tol: (dtype: string) => Tolerance }

/** The WebGPU device, in Node and in a browser: float32 on it gets a wider tolerance, because
 *  WGSL's exp, log, sin … are not correctly rounded (a few ulp) and its reductions and matmuls add
 *  in another order. */
export const WEBGPU: DeviceRun = {
  device: "webgpu",
  tol: (d) => (d === "float32" ? { rtol: 2e-5, atol: 2e-5 } : tolerance(d)),
};

/** Whether a case runs on a device: tensor inputs (a factory's result stays on the CPU) and
 *  results of float32, int32, int64 (within int32: Note [WebGPU element types]) and bool, and no
 *  bad-input case (errors a device finds asynchronously differ). */
export function runsOnDevice(c: OpCase): boolean {
  if (c.error !== undefined || tensorSpecs(c).length === 0) return false;
  const fits = (s: TensorArg) => ["float32", "int32", "bool"].includes(s.dtype)
    || (s.dtype === "int64" && s.data.every((v) => Math.abs(Number(decodeBigInt(v))) < 2 ** 31));
  const int32Results = (c.out ?? []).every((o) => !["float64", "float16", "bfloat16"].includes(o.dtype)
    && (o.dtype !== "int64" || o.data.every((v) => Math.abs(Number(decodeBigInt(v))) < 2 ** 31)));
  return tensorSpecs(c).every(fits) && int32Results
    && [...c.args, ...Object.values(c.kwargs)].every((a) => !("dtype" in a) || !["float64", "float16", "bfloat16"].includes(a.dtype));
}

/** Runs one case (on `dev` when given), throwing an assertion error where it differs from PyTorch. */
export function runCase(c: OpCase, ops: Record<string, OpFn>, dev?: DeviceRun): void {
  const fn = ops[c.op];
  assert.ok(fn, `the op table has no entry for ${c.op}`);
  const specs = tensorSpecs(c);
  const leaves = specs.map((s) => dev === undefined ? fromGolden(s, { requires_grad: s.requires_grad })
    : fromGolden(s).to(dev.device).requires_grad_(s.requires_grad));
  const call = (ls: readonly Tensor[]): OpResult => {
    const { args, kw } = buildCall(c, ls);
    return fn(args, kw);
  };

  if (c.error !== undefined) {
    const expected = c.error_2x ?? c.error!;
    assert.throws(() => call(leaves), (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      assert.ok(msg.includes(expected), `error message\n  ours:    ${msg}\n  PyTorch: ${expected}`);
      return true;
    }, `PyTorch raises: ${expected}`);
    return;
  }

  // ---- forward: values, shape, dtype, grad_fn of every output
  const result = call(leaves);
  assert.equal(!(result instanceof torch.Tensor), c.multi, c.multi ? "PyTorch returns a tuple" : "PyTorch returns one tensor");
  const outs = asList(result), expected = c.out!;
  assert.equal(outs.length, expected.length, "number of outputs");
  outs.forEach((o, i) => {
    const what = expected.length > 1 ? `output ${i}` : "output";
    if (dev !== undefined) assert.equal(o.device.type, dev.device, `${what} is on ${o.device}`);
    assertClose(o, expected[i]!, what, dev?.tol(expected[i]!.dtype));
    const gf = o.grad_fn ? o.grad_fn.name() : null;
    assert.equal(gf, expected[i]!.grad_fn, `${what}: grad_fn ${gf}, PyTorch ${expected[i]!.grad_fn}`);
  });

  // ---- backward for PyTorch's grad_outputs
  const diffIdx = expected.flatMap((e, i) => (e.w ? [i] : []));
  const want = specs.flatMap((s, i) => (s.requires_grad ? [i] : []));
  if (diffIdx.length && want.length && (c.grads || c.grad_error !== undefined)) {
    const run = () => torch.autograd.grad(diffIdx.map((i) => outs[i]!), want.map((i) => leaves[i]!), {
      grad_outputs: diffIdx.map((i) => (dev ? fromGolden(expected[i]!.w!).to(dev.device) : fromGolden(expected[i]!.w!))), allow_unused: true,
    });
    if (c.grad_error !== undefined) {
      const msg = c.grad_error;
      assert.throws(run, (e: unknown) => e instanceof Error && e.message.includes(msg), `PyTorch's backward raises: ${msg}`);
    } else {
      const gs = run();
      want.forEach((leafIdx, j) => {
        const g = gs[j] ?? null, e = c.grads![leafIdx] ?? null;
        const what = `gradient of input ${leafIdx}`;
        if (e === null) assert.equal(g, null, `${what}: PyTorch gives None`);
        else {
          assert.ok(g !== null, `${what}: ours is None, PyTorch's is not`);
          if (dev !== undefined) assert.equal(g.device.type, dev.device, `${what} is on ${g.device}`);
          assertClose(g, e, what, (dev?.tol ?? tolerance)(e.dtype));
        }
      });
    }
  }

  // ---- float64: finite differences against our own backward (and its backward)
  if (dev !== undefined) return;
  if (c.gradcheck) assert.ok(torch.autograd.gradcheck((...ls: Tensor[]) => asList(call(ls)), leaves), "gradcheck");
  if (c.gradgradcheck) assert.ok(torch.autograd.gradgradcheck((...ls: Tensor[]) => asList(call(ls)), leaves), "gradgradcheck");
}
