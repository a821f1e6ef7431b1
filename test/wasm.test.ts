// The WebAssembly kernels against the reference kernels, on random inputs shaped to reach every
// branch of the fast code: sizes that leave remainders in the SIMD loops and the GEMM's blocking,
// transposed, strided, broadcast, batched, empty and one-element operands, and one thread against
// several. The rest of the suite runs on both paths too (package.json's test script runs it once
// as is and once with TYPETORCH_BACKEND=ts); this file compares the two directly, so it runs in
// the default pass only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import torch, { type Tensor } from "typetorch";
import { setBackend, getBackend } from "../src/backends/wasm/ops.js";

const skip = process.env["TYPETORCH_BACKEND"] === "ts" ? "compares both backends: runs in the default pass" : false;
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** fn's result on the given backend (restoring the default after). */
function on<T>(backend: "wasm" | "ts", fn: () => T): T {
  setBackend(backend);
  try { return fn(); } finally { setBackend("wasm"); }
}

const flat = (t: Tensor): Float32Array => Float32Array.from(t.detach().contiguous().reshape(-1).tolist() as number[]);

/** Asserts elementwise |got - want| ≤ bound[i] (NaN matching NaN, infinities equal). */
function assertWithin(got: Tensor, want: Tensor, bound: (i: number, want: number) => number, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = flat(got), w = flat(want);
  for (let i = 0; i < w.length; i++) {
    const x = g[i]!, y = w[i]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= bound(i, y);
    if (!ok) assert.fail(`${what}: element ${i} is ${x}, reference ${y}`);
  }
}

const exact = (got: Tensor, want: Tensor, what: string) => assert.deepEqual(flat(got), flat(want), what);

test("the fast backend is on by default, and TYPETORCH_BACKEND=ts switches it off", { skip }, () => {
  assert.equal(getBackend(), "wasm");
  const out = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "-e",
    'import("./src/backends/wasm/ops.ts").then((m) => console.log(m.getBackend()))'],
  { cwd: ROOT, env: { ...process.env, TYPETORCH_BACKEND: "ts" }, encoding: "utf8" });
  assert.equal(out.trim(), "ts");
});

test("the committed kernels are what their sources compile to", { skip }, () => {
  // exits 1 with a message when src/backends/wasm/kernels.generated.ts is stale
  execFileSync(process.execPath, ["tools/build_wasm.mjs", "--check"], { cwd: ROOT, stdio: "pipe" });
});

test("set_num_threads / get_num_threads", () => {
  const n = torch.get_num_threads();
  assert.ok(Number.isInteger(n) && n >= 1);
  torch.set_num_threads(3);
  assert.equal(torch.get_num_threads(), 3);
  torch.set_num_threads(n);
  assert.throws(() => torch.set_num_threads(0), /set_num_threads expects a positive integer/);
});

// ---- GEMM ----------------------------------------------------------------------------------------

/** a @ b on both backends: the fast one accumulates in float32 (as BLAS does), the reference in
 *  float64, so they differ by at most about K roundings of the terms' magnitudes. */
function checkMatmul(a: Tensor, b: Tensor, what: string): Tensor {
  const got = on("wasm", () => a.matmul(b)), want = on("ts", () => a.matmul(b));
  const mag = on("ts", () => a.abs().matmul(b.abs()));
  const K = a.shape[a.ndim - 1]!, m = flat(mag);
  assertWithin(got, want, (i) => 2 * (K + 2) * 2 ** -24 * m[i]!, what);
  return got;
}

test("GEMM: sizes around the micro-kernel's tiles and the cache blocks", { skip }, () => {
  torch.manual_seed(0);
  // remainders of MR (5/6) and NR (8); K past one 256-deep block; M past one 120/144-row block;
  // N past one 2048-wide panel; row and column vectors
  const sizes: [number, number, number][] = [
    [17, 33, 29], [5, 257, 9], [6, 256, 8], [151, 40, 50], [7, 300, 2061], [1, 1000, 37], [37, 1000, 1], [64, 64, 64], [3, 5000, 3],
  ];
  for (const [m, k, n] of sizes) checkMatmul(torch.randn(m, k), torch.randn(k, n), `[${m}, ${k}] @ [${k}, ${n}]`);
});

test("GEMM: transposed, strided and sparse operands are read through their strides", { skip }, () => {
  torch.manual_seed(1);
  const a = torch.randn(70, 90), b = torch.randn(90, 45);
  checkMatmul(a.t().contiguous().t(), b, "A column-major");
  checkMatmul(a, b.t().contiguous().t(), "B column-major");
  checkMatmul(a.t().contiguous().t(), b.t().contiguous().t(), "both column-major");
  const big = torch.randn(200, 300);
  checkMatmul(big.narrow(0, 10, 70).narrow(1, 20, 90), b, "a block of a larger matrix");
  checkMatmul(big.index(torch.slice(0, 140, 2), torch.slice(null, 270, 3)), b, "every other row, every third column");
  checkMatmul(a, big.narrow(1, 7, 45).narrow(0, 100, 90).t().contiguous().t(), "offset B");
  // a thin slice of a large tensor is gathered rather than copied with everything between
  const wide = torch.randn(90, 4000);
  checkMatmul(a, wide.narrow(1, 100, 3000).index(torch.slice(null), torch.slice(0, 3000, 60)), "sparse columns");
});

test("GEMM: batched, broadcast batch, matmul's forms, and gradients", { skip }, () => {
  torch.manual_seed(2);
  checkMatmul(torch.randn(4, 13, 21), torch.randn(4, 21, 11), "bmm");
  checkMatmul(torch.randn(3, 13, 21), torch.randn(21, 11), "batched @ matrix");
  checkMatmul(torch.randn(13, 21), torch.randn(5, 21, 11), "matrix @ batched");
  checkMatmul(torch.randn(2, 3, 9, 21), torch.randn(3, 21, 17), "broadcast batch");
  checkMatmul(torch.randn(300), torch.randn(300, 40), "vector @ matrix");
  checkMatmul(torch.randn(40, 300), torch.randn(300), "matrix @ vector");
  checkMatmul(torch.randn(5000), torch.randn(5000), "dot");
  const grads = (backend: "wasm" | "ts") => on(backend, () => {
    torch.manual_seed(3);
    const x = torch.randn(33, 70, { requires_grad: true }), w = torch.randn(70, 19, { requires_grad: true });
    x.matmul(w).tanh().sum().backward();
    return [x.grad!, w.grad!];
  });
  const [gx, gw] = grads("wasm"), [rx, rw] = grads("ts");
  assertWithin(gx!, rx!, (_, y) => 1e-5 + 1e-4 * Math.abs(y), "x.grad");
  assertWithin(gw!, rw!, (_, y) => 1e-5 + 1e-4 * Math.abs(y), "w.grad");
});

test("GEMM: empty and one-element products", { skip }, () => {
  for (const [m, k, n] of [[0, 30, 300], [300, 0, 30], [30, 300, 0], [1, 1, 1]] as const) {
    const got = on("wasm", () => torch.ones(m, k).matmul(torch.ones(k, n)));
    exact(got, torch.full([m, n], k), `[${m}, ${k}] @ [${k}, ${n}]`);
  }
});

test("GEMM: any number of threads gives the same bits", { skip }, () => {
  torch.manual_seed(4);
  const n0 = torch.get_num_threads();
  const cases: [Tensor, Tensor][] = [
    [torch.randn(300, 200), torch.randn(200, 260)], // split by rows
    [torch.randn(12, 200), torch.randn(200, 2000)], // split by columns
    [torch.randn(6, 40, 90), torch.randn(6, 90, 70)], // split by batch
    [torch.randn(500, 300).t(), torch.randn(500, 9)], // transposed problem
  ];
  try {
    for (const [a, b] of cases) {
      torch.set_num_threads(1);
      const one = a.matmul(b);
      for (const t of [2, 3, 4]) {
        torch.set_num_threads(t);
        exact(a.matmul(b), one, `${t} threads, [${a.shape}] @ [${b.shape}]`);
      }
    }
  } finally { torch.set_num_threads(n0); }
});
