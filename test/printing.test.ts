// PyTorch's tensor repr, checked character for character against test/golden/printing.json
// (written by tools/gen_print_golden.py from real PyTorch).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  tensorRepr, set_printoptions, get_printoptions, formatFixed, formatExp, formatPyFloat,
  type PrintOptions, type ReprInput,
} from "../src/core/printing.js";
import { dtypes, set_default_dtype, float32, float64, int64, type DTypeName } from "../src/core/dtype.js";

interface GoldenCase {
  name: string;
  shape: number[];
  dtype: DTypeName;
  values: Array<number | string | boolean>;
  repr: string;
  grad_fn?: string;
  requires_grad?: boolean;
  options?: Partial<PrintOptions> & { profile?: "default" | "short" | "full" };
  default_dtype?: DTypeName;
  prefix?: string;
}

const golden = JSON.parse(
  readFileSync(new URL("./golden/printing.json", import.meta.url), "utf8"),
) as { torch_version: string; cases: GoldenCase[] };

function decode(c: GoldenCase): Array<number | bigint | boolean> {
  return c.values.map((v) => {
    if (c.dtype === "int64") return BigInt(v as string);
    if (typeof v === "string") return v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity;
    return v;
  });
}

function input(c: GoldenCase): ReprInput {
  const vals = decode(c);
  return {
    shape: c.shape, dtype: dtypes[c.dtype], at: (i) => vals[i]!,
    grad_fn: c.grad_fn ?? null, requires_grad: c.requires_grad ?? false,
  };
}

afterEach(() => {
  set_printoptions({ profile: "default" });
  set_default_dtype(float32);
});

test("golden file has enough cases", () => {
  assert.ok(golden.cases.length >= 60, `only ${golden.cases.length} cases`);
});

for (const c of golden.cases) {
  test(`repr: ${c.name}`, () => {
    if (c.options) set_printoptions(c.options);
    if (c.default_dtype) set_default_dtype(dtypes[c.default_dtype]);
    assert.equal(tensorRepr(input(c), c.prefix), c.repr);
  });
}

test("Parameter header: same text whether the header is in the prefix or prepended", () => {
  for (const c of golden.cases.filter((c) => c.prefix)) {
    const header = "Parameter containing:\n";
    assert.equal(header + tensorRepr(input(c)), c.repr);
  }
});

test("set_printoptions / get_printoptions follow PyTorch's rules", () => {
  assert.deepEqual(get_printoptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null });
  set_printoptions({ profile: "short", linewidth: 100 });
  assert.deepEqual(get_printoptions(), { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 100, sci_mode: null });
  set_printoptions({ sci_mode: true });
  assert.equal(get_printoptions().sci_mode, true);
  // every call sets sci_mode, to None when not given
  set_printoptions({ precision: 3 });
  assert.equal(get_printoptions().sci_mode, null);
  set_printoptions({ profile: "full" });
  assert.equal(get_printoptions().threshold, Infinity);
  // get_printoptions returns a copy that set_printoptions takes back
  const saved = get_printoptions();
  saved.precision = 9;
  assert.equal(get_printoptions().precision, 4);
  set_printoptions(saved);
  assert.equal(get_printoptions().precision, 9);
});

// PyTorch 2.x behaviour that the golden data (torch 1.13) cannot show: with edgeitems=0 a
// summarised tensor prints "[...]" and every non-empty tensor carries its size.
test("edgeitems=0 (PyTorch 2.x)", () => {
  const t = (shape: number[], dtype = float32): ReprInput => ({ shape, dtype, at: (i) => dtype === int64 ? BigInt(i) : i });
  set_printoptions({ edgeitems: 0, threshold: 5 });
  assert.equal(tensorRepr(t([10], int64)), "tensor([...], size=(10,))");
  assert.equal(tensorRepr(t([4, 5])), "tensor([...], size=(4, 5))");
  assert.equal(tensorRepr(t([2, 2])), "tensor([[0., 1.],\n        [2., 3.]], size=(2, 2))");
  assert.equal(tensorRepr(t([])), "tensor(0., size=())");
  assert.equal(tensorRepr(t([0, 3])), "tensor([], size=(0, 3))");
});

test("device suffix", () => {
  const t = (device: string, rg = false): ReprInput => ({ shape: [2], dtype: float32, at: (i) => i + 1, device, requires_grad: rg });
  assert.equal(tensorRepr(t("cpu")), "tensor([1., 2.])");
  assert.equal(tensorRepr(t("cuda:0")), "tensor([1., 2.], device='cuda:0')");
  assert.equal(tensorRepr(t("cuda")), "tensor([1., 2.], device='cuda:0')");
  assert.equal(tensorRepr(t("cuda:1", true)), "tensor([1., 2.], device='cuda:1', requires_grad=True)");
  const d: ReprInput = { shape: [1], dtype: float64, at: () => 0.5, device: "cuda:0" };
  assert.equal(tensorRepr(d), "tensor([0.5000], device='cuda:0', dtype=torch.float64)");
});

test("Python number formatting helpers", () => {
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(0.375, 2), "0.38");
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(-0, 0), "-0");
  assert.equal(formatFixed(-1e-5, 4), "-0.0000");
  assert.equal(formatFixed(1e22, 1), "10000000000000000000000.0");
  assert.equal(formatExp(1e-5, 4), "1.0000e-05");
  assert.equal(formatExp(9.99999, 4), "1.0000e+01");
  assert.equal(formatExp(1e300, 4), "1.0000e+300");
  assert.equal(formatExp(0, 2), "0.00e+00");
  assert.equal(formatExp(123, 0), "1e+02");
  assert.equal(formatExp(NaN, 4), "nan");
  assert.equal(formatPyFloat(1), "1.0");
  assert.equal(formatPyFloat(0.1), "0.1");
  assert.equal(formatPyFloat(1e-5), "1e-05");
  assert.equal(formatPyFloat(0.0001), "0.0001");
  assert.equal(formatPyFloat(1e16), "1e+16");
  assert.equal(formatPyFloat(1234567890123456.0), "1234567890123456.0");
  assert.equal(formatPyFloat(-2.5e-7), "-2.5e-07");
  assert.equal(formatPyFloat(1.5e300), "1.5e+300");
});
