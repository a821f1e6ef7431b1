// F.affine_grid and F.grid_sample against PyTorch 2.x (test/golden/grid_sample.json, from
// tools/gen_golden_grid_sample.py): outputs and the gradients for input, grid and theta in every
// mode, padding mode and align_corners, 2-D and 3-D; float64 gradcheck and gradgradcheck; errors.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { readGolden, fromGolden, assertClose, type GoldenTensor } from "./helpers.js";

const F = torch.nn.functional;

interface GridCase {
  name: string; kind: "grid_sample"; mode: "bilinear" | "nearest" | "bicubic"; padding_mode: "zeros" | "border" | "reflection";
  align_corners: boolean; dtype: string; x: GoldenTensor; grid: GoldenTensor; out: GoldenTensor; go: GoldenTensor;
  grad_x: GoldenTensor; grad_grid: GoldenTensor; grad_fn: string;
}
interface AffineCase {
  name: string; kind: "affine_grid"; size: number[]; align_corners: boolean; dtype: string; theta: GoldenTensor;
  out: GoldenTensor; go: GoldenTensor; grad_theta: GoldenTensor; grad_fn: string;
}
const G = readGolden<{ cases: (GridCase | AffineCase)[]; errors: Record<string, string> }>("grid_sample.json");

for (const c of G.cases) {
  test(`${c.kind} ${c.name}: PyTorch's output and gradients`, () => {
    if (c.kind === "affine_grid") {
      const theta = fromGolden(c.theta, { requires_grad: true });
      const grid = F.affine_grid(theta, c.size, { align_corners: c.align_corners });
      assert.equal(grid.grad_fn!.name(), c.grad_fn);
      assertClose(grid, c.out, "grid");
      grid.backward(fromGolden(c.go));
      assertClose(theta.grad!, c.grad_theta, "grad theta");
      return;
    }
    const x = fromGolden(c.x, { requires_grad: true }), grid = fromGolden(c.grid, { requires_grad: true });
    const out = F.grid_sample(x, grid, c.mode, c.padding_mode, c.align_corners);
    assert.equal(out.grad_fn!.name(), c.grad_fn);
    assertClose(out, c.out, "out");
    out.backward(fromGolden(c.go));
    assertClose(x.grad!, c.grad_x, "grad input");
    assertClose(grid.grad!, c.grad_grid, "grad grid");
  });
}

test("grid_sample: gradcheck and gradgradcheck in float64 (input and grid)", () => {
  torch.manual_seed(0);
  for (const mode of ["bilinear", "bicubic", "nearest"] as const) {
    for (const padding_mode of ["zeros", "border", "reflection"] as const) {
      const x = torch.randn(1, 2, 3, 4, { dtype: torch.float64, requires_grad: true });
      // (points away from the pixel grid's kinks, where finite differences would straddle one)
      const grid = torch.rand(1, 2, 3, 2, { dtype: torch.float64 }).mul(2.2).sub(1.1).requires_grad_(mode !== "nearest");
      const f = (a: Tensor, g: Tensor): Tensor => F.grid_sample(a, g, { mode, padding_mode, align_corners: mode === "bicubic" });
      assert.ok(torch.autograd.gradcheck(f, [x, grid]), `${mode} ${padding_mode}`);
      if (padding_mode === "zeros") assert.ok(torch.autograd.gradgradcheck(f, [x, grid]), `${mode} ${padding_mode} second order`);
    }
  }
  const theta = torch.randn(2, 2, 3, { dtype: torch.float64, requires_grad: true });
  assert.ok(torch.autograd.gradcheck((t: Tensor) => F.affine_grid(t, [2, 1, 3, 4], { align_corners: false }), [theta]));
});

test("the spatial transformer's use: affine_grid then grid_sample, gradient to theta", () => {
  const c = G.cases.find((x) => x.name === "2d_bilinear_float32") as GridCase;
  const theta = torch.tensor([[[1.0, 0.1, -0.1], [-0.05, 0.9, 0.2]], [[0.8, 0.0, 0.0], [0.0, 0.8, 0.0]]], { requires_grad: true });
  const x = fromGolden(c.x);
  const out = F.grid_sample(x, F.affine_grid(theta, x.size(), { align_corners: false }), { align_corners: false });
  out.sum().backward();
  assert.deepEqual(out.shape, x.shape);
  assert.deepEqual(theta.grad!.shape, [2, 2, 3]);
});

test("grid_sample and affine_grid errors carry PyTorch's messages", () => {
  const E = G.errors;
  const z = (...s: number[]): Tensor => torch.zeros(s);
  const cases: [string, () => unknown][] = [
    ["mode", () => F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 2), { mode: "linear" as "bilinear", align_corners: false })],
    ["padding", () => F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 2), { padding_mode: "wrap" as "zeros", align_corners: false })],
    ["dtype", () => F.grid_sample(z(1, 1, 2, 2), torch.zeros(1, 1, 1, 2, { dtype: torch.float64 }), { align_corners: false })],
    ["batch", () => F.grid_sample(z(2, 1, 2, 2), z(1, 1, 1, 2), { align_corners: false })],
    ["last_dim", () => F.grid_sample(z(1, 1, 2, 2), z(1, 1, 1, 3), { align_corners: false })],
    ["empty", () => F.grid_sample(z(1, 1, 0, 2), z(1, 1, 1, 2), { align_corners: false })],
    ["ndim", () => F.grid_sample(z(1, 1, 2), z(1, 1, 1), { align_corners: false })],
    ["bicubic_3d", () => F.grid_sample(z(1, 1, 2, 2, 2), z(1, 1, 1, 1, 3), { mode: "bicubic", align_corners: false })],
    ["theta_dtype", () => F.affine_grid(torch.zeros(1, 2, 3, { dtype: torch.int64 }), [1, 1, 2, 2], { align_corners: false })],
    ["theta_2d", () => F.affine_grid(z(1, 3, 3), [1, 1, 2, 2], { align_corners: false })],
    ["theta_3d", () => F.affine_grid(z(1, 2, 3), [1, 1, 2, 2, 2], { align_corners: false })],
    ["size_len", () => F.affine_grid(z(1, 2, 3), [1, 2, 2], { align_corners: false })],
    ["size_zero", () => F.affine_grid(z(1, 2, 3), [1, 1, 0, 2], { align_corners: false })],
  ];
  for (const [key, fn] of cases) assert.throws(fn, (e: Error) => e.message === E[key], `${key}: expected "${E[key]}"`);
});
