// Creation ops whose exact last bits come from PyTorch's kernels, element for element against
// test/golden/creation.json (tools/gen_golden_creation.py).

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import torch from "typetorch";

interface LinspaceCase { start: number; end: number; steps: number; dtype: "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8"; values: number[] }
type DTypeName = LinspaceCase["dtype"] | "bool";
interface LinspaceError { start: number; end: number; steps: number; dtype: DTypeName; error: string }
const golden = JSON.parse(readFileSync(new URL("./golden/creation.json", import.meta.url), "utf8")) as
  { linspace: LinspaceCase[]; linspace_errors: LinspaceError[] };

for (const c of golden.linspace) {
  test(`linspace(${c.start}, ${c.end}, ${c.steps}, ${c.dtype}) is PyTorch's, bit for bit`, () => {
    const t = torch.linspace(c.start, c.end, c.steps, { dtype: torch[c.dtype] });
    assert.equal(t.dtype, torch[c.dtype]);
    assert.deepEqual(t.shape, [c.steps]);
    assert.deepEqual(t.tolist(), c.values);
  });
}

for (const c of golden.linspace_errors) {
  test(`linspace(${c.start}, ${c.end}, ${c.steps}, ${c.dtype}) fails in PyTorch's words`, () => {
    assert.throws(() => torch.linspace(c.start, c.end, c.steps, { dtype: torch[c.dtype] }), { message: c.error });
  });
}
