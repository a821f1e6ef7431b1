// Creation ops whose exact last bits come from PyTorch's kernels, element for element against
// test/golden/creation.json (tools/gen_golden_creation.py).

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import torch from "typetorch";

interface LinspaceCase { start: number; end: number; steps: number; dtype: "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8"; values: number[] }
type DTypeName = LinspaceCase["dtype"] | "bool";
interface LogspaceCase extends Omit<LinspaceCase, "values"> { base: number; values: (number | "nan")[] }
interface ArangeCase { start: number; end: number; step: number; dtype: LinspaceCase["dtype"]; values: number[] }
interface ArangeThreadsCase extends Omit<ArangeCase, "values"> { threads: number; numel: number; sha256: string; windows: [number, number[]][] }
// (for arange, `steps` is the step)
interface ErrorCase { fn: "linspace" | "logspace" | "arange"; start: number; end: number | "inf"; steps: number; dtype: DTypeName; error: string }
const golden = JSON.parse(readFileSync(new URL("./golden/creation.json", import.meta.url), "utf8")) as
  { linspace: LinspaceCase[]; logspace: LogspaceCase[]; arange: ArangeCase[]; arange_threads: ArangeThreadsCase[]; range: ArangeCase[]; errors: ErrorCase[] };

for (const c of golden.arange) {
  test(`arange(${c.start}, ${c.end}, ${c.step}, ${c.dtype}) is PyTorch's, bit for bit`, () => {
    const t = torch.arange(c.start, c.end, c.step, { dtype: torch[c.dtype] });
    assert.equal(t.dtype, torch[c.dtype]);
    assert.deepEqual(t.tolist(), c.values);
  });
}

// beyond 32768 elements the values depend on the threads (PyTorch's chunks): compared near each
// chunk's start and at both ends, and all of them by their sha256
for (const c of golden.arange_threads) {
  test(`arange(${c.start}, ${c.end}, ${c.step}, ${c.dtype}) with ${c.threads} threads is PyTorch's, bit for bit`, () => {
    const before = torch.get_num_threads();
    torch.set_num_threads(c.threads);
    let t;
    try { t = torch.arange(c.start, c.end, c.step, { dtype: torch[c.dtype] }); } finally { torch.set_num_threads(before); }
    assert.equal(t.numel(), c.numel);
    const got = t.tolist() as number[];
    for (const [at, want] of c.windows) assert.deepEqual(got.slice(at, at + want.length), want, `elements from ${at}`);
    assert.equal(createHash("sha256").update(new Uint8Array(Float64Array.from(got).buffer)).digest("hex"), c.sha256);
  });
}

for (const c of golden.range) {
  test(`range(${c.start}, ${c.end}, ${c.step}, ${c.dtype}) is PyTorch's, bit for bit`, () => {
    const t = torch.range(c.start, c.end, c.step, { dtype: torch[c.dtype] });
    assert.equal(t.dtype, torch[c.dtype]);
    assert.deepEqual(t.tolist(), c.values);
  });
}

for (const c of golden.linspace) {
  test(`linspace(${c.start}, ${c.end}, ${c.steps}, ${c.dtype}) is PyTorch's, bit for bit`, () => {
    const t = torch.linspace(c.start, c.end, c.steps, { dtype: torch[c.dtype] });
    assert.equal(t.dtype, torch[c.dtype]);
    assert.deepEqual(t.shape, [c.steps]);
    assert.deepEqual(t.tolist(), c.values);
  });
}

// logspace's float64 values go through C's pow: glibc's is within 0.52 ulp, ours correctly rounded
// (Note [libm accuracy] in src/core/random.ts), so a float64 value may differ from PyTorch's in its
// last bit where glibc's is the one off (checked with mpmath: about 1 in 1500); the count is bounded
// below. Every other dtype is compared bit for bit.
let offByOneUlp = 0, float64Values = 0;
for (const c of golden.logspace) {
  test(`logspace(${c.start}, ${c.end}, ${c.steps}, base ${c.base}, ${c.dtype}) is PyTorch's`, () => {
    const t = torch.logspace(c.start, c.end, c.steps, c.base, { dtype: torch[c.dtype] });
    assert.equal(t.dtype, torch[c.dtype]);
    assert.deepEqual(t.shape, [c.steps]);
    const got = t.tolist() as number[], want = c.values.map((v) => (v === "nan" ? NaN : v) as number);
    if (c.dtype !== "float64") return assert.deepEqual(got, want);
    float64Values += got.length;
    got.forEach((v, i) => {
      const w = want[i]!;
      if (Object.is(v, w)) return;
      offByOneUlp++;
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(w))) - 52);
      assert.ok(Math.abs(v - w) <= ulp, `element ${i}: ${v} vs PyTorch's ${w}`);
    });
  });
}
test("logspace float64: at most 1 value in 500 one ulp off PyTorch's (glibc's pow)", (t) => {
  t.diagnostic(`${offByOneUlp} of ${float64Values} float64 values one ulp off PyTorch's`);
  assert.ok(offByOneUlp * 500 <= float64Values, `${offByOneUlp} of ${float64Values}`);
});

for (const c of golden.errors) {
  test(`${c.fn}(${c.start}, ${c.end}, ${c.steps}, ${c.dtype}) fails in PyTorch's words`, () => {
    const end = c.end === "inf" ? Infinity : c.end;
    assert.throws(() => torch[c.fn](c.start, end, c.steps, { dtype: torch[c.dtype] }), { message: c.error });
  });
}
