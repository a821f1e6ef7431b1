// Shared pieces of the reduce2 tests: reading test/golden/reduce2.json (written by
// tools/gen_golden_reduce.py with real PyTorch) and comparing tensors with it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import torch, { type Tensor } from "typetorch";
import { dtypes, type DTypeName } from "../src/core/dtype.js";

export type Enc = number | string | boolean;
export interface TSpec { shape: number[]; dtype: DTypeName; data: Enc[]; requires_grad?: boolean; view?: [string, unknown] }
export interface Case {
  id: string; op: string; pre: unknown[]; inputs: TSpec[]; args: unknown[]; kwargs: Record<string, unknown>;
  outputs: TSpec[]; grad_fn: string | null; upstream?: TSpec[]; grads?: (TSpec | null)[];
}

export function loadGolden(): Case[] {
  const path = new URL("./golden/reduce2.json", import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { cases: Case[] }).cases;
}

export const dec = (v: Enc): number | boolean => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number | boolean));

export function fromSpec(s: TSpec): Tensor {
  const d = dtypes[s.dtype];
  const data = s.dtype === "int64" ? s.data.map((v) => BigInt(v as number)) : s.data.map(dec);
  return torch.tensor(data as number[], { dtype: d }).reshape(s.shape);
}

/** A golden input: the leaf (requires grad as PyTorch's did) and the view the op sees. */
export function makeInput(s: TSpec): { leaf: Tensor; x: Tensor } {
  const leaf = fromSpec(s);
  if (s.requires_grad) leaf.requires_grad_(true);
  let x = leaf;
  if (s.view) {
    const [kind, a] = s.view as [string, number[]];
    x = kind === "transpose" ? x.transpose(a[0]!, a[1]!) : kind === "permute" ? x.permute(a) : x;
  }
  return { leaf, x };
}

/** Decodes the JSON arguments: tensors, dtypes and non-finite numbers. */
export function decArg(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decArg);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("__tensor__" in o) return fromSpec(o.__tensor__ as TSpec);
    if ("__dtype__" in o) return dtypes[o.__dtype__ as DTypeName];
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, decArg(e)]));
  }
  return v === "inf" || v === "-inf" || v === "nan" ? dec(v as Enc) : v;
}

const TOL: Record<string, [number, number]> = { float32: [2e-5, 2e-6], float64: [1e-10, 1e-12] };

/** Exact for integers and bools, close for floats (NaN where PyTorch has NaN). */
export function assertTensor(t: Tensor, s: TSpec, what: string, tol?: [number, number]): void {
  assert.deepEqual(t.shape.slice(), s.shape, `${what}: shape`);
  assert.equal(t.dtype.name, s.dtype, `${what}: dtype`);
  const got = (t.reshape(-1).tolist() as (number | boolean)[]);
  const want = s.data.map(dec);
  const [rtol, atol] = tol ?? TOL[s.dtype] ?? [0, 0];
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!, b = want[i]!;
    if (typeof b === "boolean" || !s.dtype.startsWith("float")) { assert.equal(a, typeof b === "boolean" ? b : Number(b), `${what}[${i}]`); continue; }
    if (Number.isNaN(b)) { assert.ok(Number.isNaN(a as number), `${what}[${i}]: expected NaN, got ${a}`); continue; }
    if (!Number.isFinite(b)) { assert.equal(a, b, `${what}[${i}]`); continue; }
    assert.ok(Math.abs((a as number) - b) <= atol + rtol * Math.abs(b), `${what}[${i}]: got ${a}, PyTorch ${b}`);
  }
}
