// Each fast backend (native, wasm: whichever run here) against the reference kernels, on random
// inputs shaped to reach every branch of the fast code: sizes that leave remainders in the SIMD
// loops and the GEMM's blocking, transposed, strided, broadcast, batched, empty and one-element
// operands, and one thread against several. The rest of the suite runs on every backend too
// (package.json's test script runs it once per backend with TYPETORCH_BACKEND); this file
// compares them directly, so it runs in the default pass only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import v8 from "node:v8";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import torch, { type Tensor } from "typetorch";
import { setBackend, getBackend, availableBackends, type BackendName } from "../src/backends/index.js";
import { _setThreadGrain } from "../src/backends/wasm/ops.js";
import { nativeMemoryStats } from "../src/backends/native/backend.js";

const skip = process.env["TYPETORCH_BACKEND"] ? "compares the backends with each other: runs in the default pass" : false;
const DEFAULT = getBackend();
type Fast = "native" | "wasm";
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** fn's result on the given backend (restoring the default after). */
function on<T>(backend: BackendName, fn: () => T): T {
  setBackend(backend);
  try { return fn(); } finally { setBackend(DEFAULT); }
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

/** Asserts the same shape, dtype and float32 bits (NaN matching NaN, -0 only -0). */
function exact(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = flat(got), w = flat(want);
  for (let i = 0; i < w.length; i++) if (!Object.is(g[i], w[i])) assert.fail(`${what}: element ${i} is ${g[i]}, reference ${w[i]}`);
}

test("the best backend is on by default, and TYPETORCH_BACKEND forces one", { skip }, () => {
  assert.equal(getBackend(), availableBackends()[0]);
  for (const name of availableBackends()) {
    const out = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "-e",
      'import("./src/backends/index.ts").then((m) => console.log(m.getBackend()))'],
    { cwd: ROOT, env: { ...process.env, TYPETORCH_BACKEND: name }, encoding: "utf8" });
    assert.equal(out.trim(), name);
  }
});

test("the committed WebAssembly kernels are what their sources compile to", { skip }, () => {
  // exits 1 with a message when src/backends/wasm/kernels.generated.ts is stale
  execFileSync(process.execPath, ["tools/build_wasm.mjs", "--check"], { cwd: ROOT, stdio: "pipe" });
});

test("set_num_threads beyond the cores starts no more threads than the cores", { skip: skip || (process.platform !== "linux" && "counts threads in /proc") }, () => {
  // a child process, so that the threads this file's other tests start do not count
  const out = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "-e", `
    import("typetorch").then(({ default: torch }) => {
      const { readdirSync } = require("node:fs"), { availableParallelism } = require("node:os");
      const osThreads = () => readdirSync("/proc/self/task").length;
      const a = torch.randn(512, 512);
      torch.set_num_threads(availableParallelism());
      a.matmul(a).add(a).sum();
      const before = osThreads();
      torch.set_num_threads(64);
      a.matmul(a).add(a).sum();
      console.log(JSON.stringify([torch.get_num_threads(), before, osThreads()]));
    })`], { cwd: ROOT, encoding: "utf8" });
  const [reported, before, after] = JSON.parse(out) as number[];
  assert.equal(reported, 64); // as PyTorch: get_num_threads returns what was set
  assert.equal(after, before);
});

test("the native allocator: storage comes back from the collector and is handed out again; a view over it keeps it alive",
  { skip: !availableBackends().includes("native") ? "the native engine is not built here" : skip }, () => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  on("native", () => {
    const n = 1 << 16; // 256 KB: the native allocator's
    const before = nativeMemoryStats()!;
    // a tensor over t's memory (frombuffer of its storage array) outlives t (made in a function of
    // its own: the interpreter's registers of this one would keep t alive)
    const view = (() => {
      const t = torch.full([n], 3);
      assert.ok(nativeMemoryStats()!.allocated >= before.allocated + 4 * n, "a large tensor's storage comes from the native allocator");
      return torch.frombuffer(t.numpy().data, { dtype: torch.float32 });
    })();
    // and numpy() of a view of t (its own typed array over part of the storage's memory)
    const part = (() => torch.frombuffer(torch.full([n], 5).narrow(0, 16, n - 32).numpy().data, { dtype: torch.float32 }))();
    gc();
    const others = Array.from({ length: 8 }, () => torch.full([n], 7));
    assert.equal(view.sum().item(), 3 * n, "the view's elements were not handed out again");
    assert.equal(part.sum().item(), 5 * (n - 32), "the numpy() view's elements were not handed out again");
    // what the collector frees is cached, and the next tensor of its size is made from it
    others.length = 0;
    gc();
    const cached = nativeMemoryStats()!.cached;
    assert.ok(cached >= 8 * 4 * n, `8 freed tensors are cached (${cached} bytes)`);
    const again = torch.zeros(n);
    assert.equal(nativeMemoryStats()!.cached, cached - 4 * n, "made from a cached block");
    assert.equal(again.sum().item(), 0, "zeroed as asked");
  });
});

test("the native allocator: dead outputs come back for the next ones without waiting for V8's own collections (Note [Scavenging for the cache])",
  { skip: !availableBackends().includes("native") ? "the native engine is not built here" : skip }, () => {
  // a child process, so that what this file's other tests leave in use does not count; 64 adds
  // of 16 MB (B3's) whose outputs are dropped at once: nothing in the loop fills V8's young
  // generation, so only the allocator's scavenges find them dead before V8's own collections
  // (here 4 blocks at most; without them 18)
  const out = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "-e", `
    Promise.all([import("typetorch"), import("./src/backends/native/backend.ts")]).then(([{ default: torch }, { nativeMemoryStats }]) => {
      const n = 1 << 22;
      const a = torch.ones(n), b = torch.ones(n);
      const base = nativeMemoryStats().allocated;
      let most = 0;
      for (let i = 0; i < 64; i++) { a.add(b); most = Math.max(most, nativeMemoryStats().allocated - base); }
      console.log(most / (4 * n));
    })`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TYPETORCH_BACKEND: "native" } });
  const blocks = Number(out);
  assert.ok(blocks <= 10, `at most 10 outputs' blocks in use at once (${blocks})`);
});

test("set_num_threads / get_num_threads", () => {
  const n = torch.get_num_threads();
  assert.ok(Number.isInteger(n) && n >= 1);
  torch.set_num_threads(3);
  assert.equal(torch.get_num_threads(), 3);
  torch.set_num_threads(n);
  assert.throws(() => torch.set_num_threads(0), /set_num_threads expects a positive integer/);
});

function suite(FAST: Fast): void {
  // ---- GEMM ----------------------------------------------------------------------------------------

  /** a @ b on both backends: the fast one accumulates in float32 (as BLAS does), the reference in
   *  float64, so they differ by at most about K roundings of the terms' magnitudes. */
  function checkMatmul(a: Tensor, b: Tensor, what: string): Tensor {
    const got = on(FAST, () => a.matmul(b)), want = on("ts", () => a.matmul(b));
    const mag = on("ts", () => a.abs().matmul(b.abs()));
    const K = a.shape[a.ndim - 1]!, m = flat(mag);
    assertWithin(got, want, (i) => 2 * (K + 2) * 2 ** -24 * m[i]!, what);
    return got;
  }

  test(`${FAST}: GEMM: sizes around the micro-kernel's tiles and the cache blocks`, { skip }, () => {
    torch.manual_seed(0);
    // remainders of MR (5/6) and NR (8); K past one 256-deep block; M past one 120/144-row block;
    // N past one 2048-wide panel; row and column vectors
    const sizes: [number, number, number][] = [
      [17, 33, 29], [5, 257, 9], [6, 256, 8], [151, 40, 50], [7, 300, 2061], [1, 1000, 37], [37, 1000, 1], [64, 64, 64], [3, 5000, 3],
    ];
    for (const [m, k, n] of sizes) checkMatmul(torch.randn(m, k), torch.randn(k, n), `[${m}, ${k}] @ [${k}, ${n}]`);
    // B read in place (up to 128 rows of A: whole panels in place, the partial one packed, K past
    // a block), and packed instead where its rows are a multiple of 4 KB apart, unless A is short
    checkMatmul(torch.randn(100, 300), torch.randn(300, 70), "B in place, [100, 300] @ [300, 70]");
    checkMatmul(torch.randn(128, 40), torch.randn(40, 2048).narrow(1, 5, 77), "B's rows 8 KB apart");
    checkMatmul(torch.randn(20, 40), torch.randn(40, 2048).narrow(1, 5, 77), "B's rows 8 KB apart, few rows of A");
    checkMatmul(torch.randn(96, 300), torch.randn(300, 128), "B's rows 512 bytes apart (packed)");
    // nn.Linear's x.W^T with few rows, computed as C^T = W.x^T: the tiles are transposed into C's
    // rows (whole and partial tiles, K past a block so that later slices add onto C)
    checkMatmul(torch.randn(64, 300), torch.randn(70, 300).t(), "x.W^T, [64, 300] @ [70, 300]^T");
    checkMatmul(torch.randn(13, 300), torch.randn(45, 300).t(), "x.W^T, [13, 300] @ [45, 300]^T");
  });

  test(`${FAST}: GEMM: transposed, strided and sparse operands are read through their strides`, { skip }, () => {
    torch.manual_seed(1);
    const a = torch.randn(70, 90), b = torch.randn(90, 45);
    checkMatmul(a.t().contiguous().t(), b, "A column-major");
    checkMatmul(a, b.t().contiguous().t(), "B column-major");
    checkMatmul(a.t().contiguous().t(), b.t().contiguous().t(), "both column-major");
    // a dW = g^T.x: A by columns, packed by the first panel's kernels as they read it, K past a block
    checkMatmul(torch.randn(600, 123).t(), torch.randn(600, 100), "A column-major, packed as it is read");
    const big = torch.randn(200, 300);
    checkMatmul(big.narrow(0, 10, 70).narrow(1, 20, 90), b, "a block of a larger matrix");
    checkMatmul(big.index(torch.slice(0, 140, 2), torch.slice(null, 270, 3)), b, "every other row, every third column");
    checkMatmul(a, big.narrow(1, 7, 45).narrow(0, 100, 90).t().contiguous().t(), "offset B");
    // a thin slice of a large tensor is gathered rather than copied with everything between
    const wide = torch.randn(90, 4000);
    checkMatmul(a, wide.narrow(1, 100, 3000).index(torch.slice(null), torch.slice(0, 3000, 60)), "sparse columns");
  });

  test(`${FAST}: GEMM: batched, broadcast batch, matmul's forms, and gradients`, { skip }, () => {
    torch.manual_seed(2);
    checkMatmul(torch.randn(4, 13, 21), torch.randn(4, 21, 11), "bmm");
    checkMatmul(torch.randn(3, 13, 21), torch.randn(21, 11), "batched @ matrix");
    checkMatmul(torch.randn(13, 21), torch.randn(5, 21, 11), "matrix @ batched");
    checkMatmul(torch.randn(2, 3, 9, 21), torch.randn(3, 21, 17), "broadcast batch");
    checkMatmul(torch.randn(300), torch.randn(300, 40), "vector @ matrix");
    checkMatmul(torch.randn(40, 300), torch.randn(300), "matrix @ vector");
    checkMatmul(torch.randn(5000), torch.randn(5000), "dot");
    const grads = (backend: BackendName) => on(backend, () => {
      torch.manual_seed(3);
      const x = torch.randn(33, 70, { requires_grad: true }), w = torch.randn(70, 19, { requires_grad: true });
      x.matmul(w).tanh().sum().backward();
      return [x.grad!, w.grad!];
    });
    const [gx, gw] = grads(FAST), [rx, rw] = grads("ts");
    assertWithin(gx!, rx!, (_, y) => 1e-5 + 1e-4 * Math.abs(y), "x.grad");
    assertWithin(gw!, rw!, (_, y) => 1e-5 + 1e-4 * Math.abs(y), "w.grad");
  });

  test(`${FAST}: addmm and F.linear: the input added onto the product`, { skip }, () => {
    torch.manual_seed(6);
    // a bias row, a bias column, a full matrix, a scalar; transposed weights (the orientation the
    // GEMM swaps); two threads splitting the tiles; K past one block
    const cases: [string, Tensor, Tensor, Tensor][] = [
      ["bias row", torch.randn(300), torch.randn(70, 40), torch.randn(300, 40).t()],
      ["bias column", torch.randn(70, 1), torch.randn(70, 40), torch.randn(40, 300)],
      ["full input", torch.randn(70, 300), torch.randn(70, 300).narrow(1, 0, 40), torch.randn(40, 300)],
      ["0-d input", torch.tensor(0.5), torch.randn(9, 33), torch.randn(33, 130)],
      ["K past a block", torch.randn(21), torch.randn(150, 700), torch.randn(21, 700).t()],
      ["wide N", torch.randn(2061), torch.randn(8, 64), torch.randn(64, 2061)],
    ];
    const n0 = torch.get_num_threads();
    for (const threads of [1, 2]) {
      torch.set_num_threads(threads);
      for (const [what, input, a, b] of cases) {
        const got = on(FAST, () => torch.addmm(input, a, b)), want = on("ts", () => torch.addmm(input, a, b));
        const mag = on("ts", () => a.abs().matmul(b.abs()).add(input.abs()));
        const K = a.shape[1]!, m = flat(mag);
        assertWithin(got, want, (i) => 2 * (K + 3) * 2 ** -24 * m[i]!, `addmm, ${what}, ${threads} threads`);
      }
    }
    torch.set_num_threads(n0);
    // through F.linear with autograd: the same gradients
    const grads = (backend: BackendName) => on(backend, () => {
      torch.manual_seed(7);
      const lin = new torch.nn.Linear(50, 30), x = torch.randn(40, 50, { requires_grad: true });
      lin.forward(x).tanh().sum().backward();
      return [x.grad!, lin.weight.grad!, lin.bias!.grad!];
    });
    const got = grads(FAST), want = grads("ts");
    got.forEach((g, i) => assertWithin(g, want[i]!, (_, y) => 1e-5 + 1e-4 * Math.abs(y), `linear grad ${i}`));
  });

  test(`${FAST}: GEMM: empty and one-element products`, { skip }, () => {
    for (const [m, k, n] of [[0, 30, 300], [300, 0, 30], [30, 300, 0], [1, 1, 1]] as const) {
      const got = on(FAST, () => torch.ones(m, k).matmul(torch.ones(k, n)));
      exact(got, torch.full([m, n], k), `[${m}, ${k}] @ [${k}, ${n}]`);
    }
  });

  test(`${FAST}: GEMM: any number of threads gives the same bits`, { skip }, () => {
    torch.manual_seed(4);
    const n0 = torch.get_num_threads();
    const cases: [Tensor, Tensor][] = [
      [torch.randn(300, 200), torch.randn(200, 260)], // split by rows
      [torch.randn(128, 128), torch.randn(128, 128)], // a small product, split by columns
      [torch.randn(256, 300), torch.randn(300, 520)], // split by columns, each task packing A
      [torch.randn(12, 200), torch.randn(200, 2000)], // split by columns
      [torch.randn(6, 40, 90), torch.randn(6, 90, 70)], // split by batch
      [torch.randn(500, 300).t(), torch.randn(500, 9)], // transposed problem
      [torch.randn(600, 200).t(), torch.randn(600, 100)], // a dW: A by columns, packed as it is read
      [torch.randn(20, 200), torch.randn(800, 200).t()], // an LSTM step's x.W^T, by columns
      [torch.randn(1000, 3), torch.randn(3, 700)], // K = 3, tall
    ];
    _setThreadGrain(0); // every case splits over all the threads, however small
    try {
      for (const [a, b] of cases) {
        torch.set_num_threads(1);
        const one = a.matmul(b);
        for (const t of [2, 3, 4]) {
          torch.set_num_threads(t);
          exact(a.matmul(b), one, `${t} threads, [${a.shape}] @ [${b.shape}]`);
        }
      }
    } finally { torch.set_num_threads(n0); _setThreadGrain(1); }
  });

  // ---- convolution ---------------------------------------------------------------------------------

  /** conv2d's output and its three gradients on one backend. */
  function convGrads(backend: BackendName, x: Tensor, w: Tensor, b: Tensor | null, opts: { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[] }): Tensor[] {
    return on(backend, () => {
      const xs = x.detach().requires_grad_(), ws = w.detach().requires_grad_(), bs = b?.detach().requires_grad_() ?? null;
      const y = torch.nn.functional.conv2d(xs, ws, bs, opts.stride ?? 1, opts.padding ?? 0, opts.dilation ?? 1);
      torch.manual_seed(9);
      y.backward(torch.randn([...y.shape]));
      return [y.detach(), xs.grad!, ws.grad!, ...(bs ? [bs.grad!] : [])];
    });
  }

  test(`${FAST}: conv2d and its gradients: the fused kernels against im2col + GEMM on the reference`, { skip }, () => {
    torch.manual_seed(5);
    const cases: [number[], number[], boolean, { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[] }][] = [
      [[4, 3, 13, 11], [8, 3, 3, 3], true, {}],
      [[3, 5, 17, 9], [7, 5, 3, 2], true, { stride: [2, 1], padding: [1, 2] }],
      [[2, 4, 12, 12], [6, 4, 3, 3], false, { dilation: 2, padding: 3, stride: 3 }],
      [[5, 1, 28, 28], [32, 1, 3, 3], true, {}], // the MNIST CNN's first layer: 9 rows of columns
      [[2, 16, 9, 9], [16, 16, 1, 1], true, {}],
    ];
    const n0 = torch.get_num_threads();
    _setThreadGrain(0);
    try {
      for (const [xs, ws, bias, opts] of cases) {
        const x = torch.randn(xs), w = torch.randn(ws), b = bias ? torch.randn([ws[0]!]) : null;
        const want = convGrads("ts", x, w, b, opts);
        for (const threads of [1, 2, 3]) {
          torch.set_num_threads(threads);
          const got = convGrads(FAST, x, w, b, opts);
          // float32 sums in another order than the reference's float64 ones: bound by the terms' size
          ["output", "x.grad", "w.grad", "bias.grad"].slice(0, got.length).forEach((what, i) => {
            const scale = flat(want[i]!).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
            assertWithin(got[i]!, want[i]!, () => 2e-5 * scale + 1e-5, `${what} of conv2d [${xs}] * [${ws}] ${JSON.stringify(opts)}, ${threads} threads`);
          });
        }
      }
    } finally { torch.set_num_threads(n0); _setThreadGrain(1); }
  });

  test(`${FAST}: max_pool2d and its gradient give the reference's bits`, { skip }, () => {
    torch.manual_seed(6);
    const F = torch.nn.functional;
    const cases: [number[], { kernel_size: number | number[]; stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; ceil_mode?: boolean }][] = [
      [[4, 8, 24, 24], { kernel_size: 2 }],
      [[3, 5, 17, 13], { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true }], // overlapping windows
      [[2, 6, 15, 15], { kernel_size: [3, 2], stride: [1, 2], dilation: [2, 1] }],
      [[7, 11, 9], { kernel_size: 2, stride: 1 }], // unbatched
    ];
    const n0 = torch.get_num_threads();
    _setThreadGrain(0);
    try {
      for (const [shape, opts] of cases) {
        const v = torch.randn(shape).view(-1).tolist() as number[];
        v[3] = NaN; v[50] = v[51] = 2; // a NaN and a tie
        const x = torch.tensor(v).view(shape);
        const run = (backend: BackendName) => on(backend, () => {
          const xs = x.detach().requires_grad_();
          const [y, i] = F.max_pool2d_with_indices(xs, opts.kernel_size, opts.stride ?? null, opts.padding ?? 0, opts.dilation ?? 1, opts.ceil_mode ?? false);
          torch.manual_seed(7);
          y!.backward(torch.randn([...y!.shape]));
          return [y!.detach(), i!, xs.grad!];
        });
        const want = run("ts");
        for (const threads of [1, 2, 3]) {
          torch.set_num_threads(threads);
          const got = run(FAST), what = `max_pool2d [${shape}] ${JSON.stringify(opts)}, ${threads} threads`;
          exact(got[0]!, want[0]!, `${what}: output`);
          assert.deepEqual(got[1]!.tolist(), want[1]!.tolist(), `${what}: indices`);
          // overlapping windows sum in float32 here, in float64 in the reference
          assertWithin(got[2]!, want[2]!, (_, y) => 2e-6 + 1e-6 * Math.abs(y), `${what}: x.grad`);
        }
      }
    } finally { torch.set_num_threads(n0); _setThreadGrain(1); }
  });

  // ---- elementwise ---------------------------------------------------------------------------------

  /** Distance in float32 steps between two floats (0 for equal values, NaN with NaN). */
  function ulps(x: number, y: number): number {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity;
    const i = new Int32Array(Float32Array.of(x, y).buffer);
    const ord = (v: number) => (v < 0 ? -(v & 0x7fffffff) : v);
    return Math.abs(ord(i[0]!) - ord(i[1]!));
  }

  function assertUlps(got: Tensor, want: Tensor, max: number, what: string): void {
    assert.deepEqual(got.shape, want.shape, `${what}: shape`);
    const g = flat(got), w = flat(want);
    for (let i = 0; i < w.length; i++) {
      if (ulps(g[i]!, w[i]!) > max) assert.fail(`${what}: element ${i} is ${g[i]}, reference ${w[i]} (${ulps(g[i]!, w[i]!)} ulps)`);
    }
  }

  /** Values over the whole float32 range with the special ones (signed zeros, infinities, NaN,
   *  subnormals, the edges of exp's range), in an odd count that leaves a SIMD remainder. */
  function awkward(n: number, scale: number): Tensor {
    const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e-40, 3.4e38, -3.4e38, 88.72283, 88.7229, -87.33, -103.9, -104, 89, 0.625, -0.625, 1, -1];
    const v = Float32Array.from({ length: n }, (_, i) => specials[i] ?? (Math.random() - 0.5) * scale * Math.exp((Math.random() - 0.5) * 8));
    return torch.tensor(Array.from(v));
  }

  test(`${FAST}: unary ops: exact where float32 arithmetic is, within 1-2 ulps for exp, log, tanh, sigmoid, erf`, { skip }, () => {
    const exactOps = ["neg", "abs", "relu", "sqrt", "rsqrt", "square", "reciprocal"] as const;
    const approx = { exp: 1, log: 1, tanh: 1, sigmoid: 2, erf: 2 } as const;
    for (const scale of [1, 30, 1000]) {
      // 40009 elements: several streamed chunks and a remainder of 1
      const x = awkward(40009, scale);
      for (const op of exactOps) exact(on(FAST, () => x[op]()), on("ts", () => x[op]()), `${op}, scale ${scale}`);
      for (const [op, max] of Object.entries(approx)) {
        const f = (t: Tensor) => (t as unknown as Record<string, () => Tensor>)[op]!();
        assertUlps(on(FAST, () => f(x)), on("ts", () => f(x)), max, `${op}, scale ${scale}`);
      }
    }
    // the activations with kernels of their own (float32 arithmetic: within 1e-6 of the float64 reference's)
    const F = torch.nn.functional, act = awkward(40009, 8), seed = torch.rand(40009).mul(2).sub(1);
    for (const [op, f] of [["gelu", (t: Tensor) => F.gelu(t)], ["gelu tanh", (t: Tensor) => F.gelu(t, { approximate: "tanh" })], ["silu", (t: Tensor) => F.silu(t)]] as const) {
      assertWithin(on(FAST, () => f(act)), on("ts", () => f(act)), (_, w) => 1e-6 * (1 + Math.abs(w)), op);
      // and the gradient (GELU's in one fused pass)
      const grad = () => { const x = act.clone().requires_grad_(); f(x).backward(seed); return x.grad!; };
      assertWithin(on(FAST, grad), on("ts", grad), (_, w) => 2e-6 * (1 + Math.abs(w)), `${op} gradient`);
    }
    // a view that is not contiguous, and an offset one
    const m = awkward(300 * 41, 5).reshape(300, 41);
    assertUlps(on(FAST, () => m.t().exp()), on("ts", () => m.t().exp()), 1, "exp of a transposed view");
    assertUlps(on(FAST, () => m.narrow(0, 7, 200).exp()), on("ts", () => m.narrow(0, 7, 200).exp()), 1, "exp of an offset view");
    // sparse views, gathered row by row: a chunk of columns (runs of stride 1), every fifth column
    const chunk = m.chunk(4, 1)[1]!, fifth = m.index(torch.slice(null), torch.slice(0, null, 5));
    for (const [what, v] of [["a chunk of columns", chunk], ["every fifth column", fifth]] as const) {
      assertUlps(on(FAST, () => v.sigmoid()), on("ts", () => v.sigmoid()), 2, `sigmoid of ${what}`);
      exact(on(FAST, () => v.relu()), on("ts", () => v.relu()), `relu of ${what}`);
      exact(on(FAST, () => v.contiguous()), on("ts", () => v.contiguous()), `copy of ${what}`);
    }
  });

  test(`${FAST}: binary ops with broadcasting give the reference's bits`, { skip }, () => {
    torch.manual_seed(5);
    const ops = ["add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"] as const;
    const x = awkward(40009, 100), y = awkward(40009, 3).flip([0]);
    const big = torch.randn(7, 300, 41), row = torch.randn(41), col = torch.randn(300, 1);
    const cases: [string, TensorOrNumber, TensorOrNumber][] = [
      ["same shape, streamed", x, y], ["tensor and number", x, 2.5], ["number and tensor", 0.5, y],
      ["tensor and 0-d tensor", x, torch.tensor(-3)], ["row broadcast", big, row], ["column broadcast", big, col],
      ["outer", col, row], ["transposed operand", big.transpose(1, 2), torch.randn(41, 300)],
      ["both strided", big.narrow(2, 1, 30), big.narrow(2, 10, 30).flip([0])],
      ["five dims", torch.randn(3, 1, 5, 7, 11, 13), torch.randn(1, 4, 5, 1, 11, 1)],
      ["six dims that do not collapse", torch.randn(2, 3, 4, 5, 6, 7).permute(5, 3, 1, 0, 2, 4), torch.randn(7, 1, 3, 1, 4, 1)],
    ];
    for (const [what, a, b] of cases) {
      for (const op of ops) {
        const f = () => (op === "maximum" || op === "minimum" ? torch[op](a as Tensor, b as Tensor) : torch[op](a, b));
        if ((op === "maximum" || op === "minimum") && !(a instanceof torch.Tensor && b instanceof torch.Tensor)) continue;
        exact(on(FAST, f), on("ts", f), `${op}: ${what}`);
      }
    }
    // where, with the condition, either value, or all three broadcast
    const cond = x.gt(0.3), m = big.lt(0.1);
    const whereCases: [string, Tensor, TensorOrNumber, TensorOrNumber][] = [
      ["same shape", cond, x, y], ["number for the true values", cond, 0, y], ["numbers for both", cond, 1.5, -2],
      ["broadcast values", m, row, col], ["broadcast condition", m.index(torch.slice(null), torch.slice(null), 0).unsqueeze(2), big, 7],
      ["transposed", m.transpose(0, 2), big.transpose(0, 2), 0],
    ];
    for (const [what, c, a, b] of whereCases) exact(on(FAST, () => torch.where(c, a, b)), on("ts", () => torch.where(c, a, b)), `where: ${what}`);
    // strided copies: contiguous(), clone(), expand, copy_ into a contiguous tensor
    const heads = torch.randn(13, 61, 3 * 5 * 33).narrow(2, 165, 165).view(13, 61, 5, 33);
    const keys = torch.randn(16, 64, 384).narrow(2, 128, 128).view(16, 64, 4, 32);
    const copies: [string, () => Tensor][] = [
      ["transposed", () => big.transpose(0, 2).contiguous()], ["sliced", () => big.narrow(1, 3, 200).clone()],
      ["every third", () => x.index(torch.slice(null, null, 3)).contiguous()], ["expanded", () => row.expand(300, 41).contiguous()],
      ["copy_", () => torch.zeros(41, 300).copy_(big.select(0, 2).t())],
      // attention's heads out of a fused projection, as q and as k transposed: four dims of rows,
      // split between threads in the middle of a row (Note [Row odometer])
      ["heads", () => heads.transpose(1, 2).contiguous()], ["heads transposed", () => heads.permute(0, 2, 3, 1).contiguous()],
      // copied in 8 x 8 tiles (Note [Transposing copies]): whole tiles, and the transpose of a matrix
      ["keys transposed", () => keys.permute(0, 2, 3, 1).contiguous()],
      ["matrix transposed", () => big.select(0, 3).t().contiguous()],
    ];
    for (const [what, f] of copies) exact(on(FAST, f), on("ts", f), `copy: ${what}`);
    // alpha other than ±1: float64 a + alpha·b, rounded once, as the reference
    for (const alpha of [0.3, -20, 1e-7]) {
      exact(on(FAST, () => x.add(y, { alpha })), on("ts", () => x.add(y, { alpha })), `add with alpha ${alpha}`);
      exact(on(FAST, () => big.sub(row, { alpha })), on("ts", () => big.sub(row, { alpha })), `sub with alpha ${alpha}`);
    }
    // Note [Writing in place]: add_/sub_/mul_/div_ written straight into self, on contiguous self
    // and views of it, with operands broadcast, strided, numbers, and self itself
    const den = torch.randn(7, 41, 300);
    const inplaceCases: [string, (t: Tensor) => unknown][] = [
      ["add_", (t) => t.add_(big)], ["add_ alpha", (t) => t.add_(big.flip([1]), { alpha: -20 })], ["sub_ row", (t) => t.sub_(row)],
      ["sub_ alpha", (t) => t.sub_(col, { alpha: 0.1 })], ["mul_ number", (t) => t.mul_(0.3)], ["div_ transposed", (t) => t.div_(den.transpose(1, 2))],
      ["mul_ self", (t) => t.mul_(t)], ["add_ self alpha", (t) => t.add_(t, { alpha: 3 })],
      ["view", (t) => t.narrow(2, 1, 30).add_(big.narrow(2, 5, 30))], ["view of self overlapping", (t) => t.narrow(1, 1, 299).add_(t.narrow(1, 0, 299))],
    ];
    for (const [what, f] of inplaceCases) {
      const run = () => { const t = big.clone(), v0 = t._version; f(t); assert.ok(t._version > v0, `${what}: version`); return t; };
      exact(on(FAST, run), on("ts", run), `in place: ${what}`);
      exact(on(FAST, () => torch.no_grad(run)), on("ts", run), `in place under no_grad: ${what}`);
    }
    // and the unary ops: what the out-of-place op computes, in self's own storage (a contiguous
    // view at an offset too); a strided view and a graph take the general path, with the same values
    for (const op of ["exp", "relu", "sigmoid", "neg", "tanh", "sqrt"] as const) {
      const view = (t: Tensor) => t.select(0, 3), strided = (t: Tensor) => t.narrow(2, 1, 30);
      for (const [what, part] of [["whole", (t: Tensor) => t], ["contiguous view", view], ["strided view", strided]] as const) {
        const t = big.abs(), v0 = t._version, data = t._storage.data;
        const want = on(FAST, () => part(t)[op]());
        const got = on(FAST, () => part(t)[`${op}_`]());
        assert.ok(t._version > v0 && t._storage.data === data, `${op}_ on ${what}: in self's storage`);
        exact(got, want, `${op}_ on ${what}`);
      }
      const leafy = big.abs().requires_grad_(), x = leafy.mul(1);
      on(FAST, () => x[`${op}_`]());
      assert.equal(x.grad_fn?.name(), { exp: "ExpBackward0", relu: "ReluBackward0", sigmoid: "SigmoidBackward0", neg: "NegBackward0", tanh: "TanhBackward0", sqrt: "SqrtBackward0" }[op], `${op}_ records its node`);
    }
    // out= by the same kernels, straight into out (a whole tensor or a contiguous view of one),
    // with broadcasting, alpha and out aliasing an input; what the op computes without out
    const outCases: [string, (out: Tensor) => unknown, () => Tensor][] = [
      ["add alpha", (o) => torch.add(big, den.transpose(1, 2), { alpha: -0.5, out: o }), () => big.add(den.transpose(1, 2), { alpha: -0.5 })],
      ["sub row", (o) => torch.sub(big, row, { out: o }), () => big.sub(row)],
      ["mul number", (o) => torch.mul(big, 0.3, { out: o }), () => big.mul(0.3)],
      ["div col", (o) => torch.div(big, col, { out: o }), () => big.div(col)],
      ["exp", (o) => torch.exp(big, { out: o }), () => big.exp()],
      ["tanh", (o) => torch.tanh(big, { out: o }), () => big.tanh()],
    ];
    for (const [what, f, want] of outCases) {
      for (const [where, make] of [["whole", () => torch.empty(7, 300, 41)], ["view", () => torch.empty(9, 300, 41).narrow(0, 2, 7)]] as const) {
        const o = make(), v0 = o._version, data = o._storage.data;
        const r = on(FAST, () => f(o));
        assert.ok(r === o && o._version > v0 && o._storage.data === data, `out= ${what} (${where}): written into out`);
        exact(o, on(FAST, want), `out= ${what} (${where})`);
      }
    }
    const aliased = big.clone();
    on(FAST, () => torch.mul(aliased, aliased, { out: aliased }));
    exact(aliased, big.mul(big), "out= aliasing both inputs");
    const shifted = big.clone(), flatShifted = shifted.view(-1), n = flatShifted.numel();
    assert.throws(() => on(FAST, () => torch.exp(flatShifted.narrow(0, 1, n - 1), { out: flatShifted.narrow(0, 0, n - 1) })), /some elements of the input tensor and the written-to tensor refer to a single memory location/);
    exact(shifted, big, "out= refused for a partly overlapping input: nothing written");
  });
  type TensorOrNumber = Tensor | number;

  // ---- reductions and softmax ------------------------------------------------------------------------

  test(`${FAST}: sum, mean, max, min over the last, first, middle and all dims`, { skip }, () => {
    torch.manual_seed(6);
    const x = torch.randn(13, 301, 29);
    const withNaN = x.masked_fill(x.gt(3.5), NaN);
    const dimsList: (number | number[] | undefined)[] = [undefined, 2, 0, 1, [0, 1], [1, 2], -1];
    for (const t of [x, withNaN, x.mul(1e4).exp()]) {
      for (const dim of dimsList) {
        for (const keepdim of [false, true]) {
          const opts = dim === undefined ? {} : { dim, keepdim };
          const sum = (f: () => Tensor) => assertWithin(on(FAST, f), on("ts", f), (_, w) => 2 ** -23 * Math.abs(w), `sum over ${String(dim)}`);
          sum(() => t.sum(opts));
          sum(() => t.mean(opts));
          if (dim === undefined) {
            exact(on(FAST, () => t.max()), on("ts", () => t.max()), "max");
            exact(on(FAST, () => t.min()), on("ts", () => t.min()), "min");
          } else {
            exact(on(FAST, () => t.amax(dim, keepdim)), on("ts", () => t.amax(dim, keepdim)), `amax over ${String(dim)}`);
            exact(on(FAST, () => t.amin(dim, keepdim)), on("ts", () => t.amin(dim, keepdim)), `amin over ${String(dim)}`);
          }
        }
      }
    }
    // dims that are not adjacent, and a strided input, go to the reference
    exact(on(FAST, () => x.sum([0, 2])), on("ts", () => x.sum([0, 2])), "sum over dims 0 and 2");
    exact(on(FAST, () => x.transpose(0, 2).sum(0)), on("ts", () => x.transpose(0, 2).sum(0)), "sum of a transposed view");
  });

  test(`${FAST}: vector_norm's 2-norm of a whole tensor, and clip_grad_norm_ on it`, { skip }, () => {
    torch.manual_seed(7);
    // sizes around the kernel's blocks; an offset view; infinities and NaN
    for (const t of [torch.randn(100), torch.randn(65537), torch.randn(3000, 700), torch.randn(3, 50000).select(0, 1),
      torch.randn(5000).mul(1e20), torch.randn(5000).index_fill(0, torch.tensor([7], { dtype: torch.int64 }), NaN)]) {
      for (const kd of [false, true]) {
        const f = () => torch.linalg.vector_norm(t, 2, null, kd);
        assertWithin(on(FAST, f), on("ts", f), (_, w) => 2 ** -23 * Math.abs(w), `2-norm of ${t.numel()}`);
      }
    }
    const grads = [torch.randn(10000, 20), torch.randn(800), torch.randn(4)];
    const clip = (backend: BackendName) => on(backend, () => {
      const ps = grads.map((g) => { const p = torch.zeros_like(g).requires_grad_(); p.grad = g.clone(); return p; });
      return [torch.nn.utils.clip_grad_norm_(ps, 0.25), ...ps.map((p) => p.grad!)];
    });
    const got = clip(FAST), want = clip("ts");
    got.forEach((t, i) => assertWithin(t, want[i]!, (_, w) => 2 ** -22 * Math.abs(w), `clip_grad_norm_ ${i}`));
  });

  test(`${FAST}: softmax and log_softmax along the last dim`, { skip }, () => {
    torch.manual_seed(7);
    for (const [rows, len] of [[1, 4099], [301, 13], [64, 10], [40, 1], [9, 1000], [256, 64], [3, 10000]] as const) {
      const x = torch.randn(rows, len).mul(5);
      assertUlps(on(FAST, () => x.softmax(-1)), on("ts", () => x.softmax(-1)), 3, `softmax [${rows}, ${len}]`);
      assertWithin(on(FAST, () => x.log_softmax(-1)), on("ts", () => x.log_softmax(-1)), (_, w) => 2e-6 * (1 + Math.abs(w)), `log_softmax [${rows}, ${len}]`);
    }
    // -inf, +inf and NaN rows as the reference treats them
    const special = torch.tensor([[-Infinity, -Infinity, -Infinity], [0, -Infinity, 1], [Infinity, 0, 1], [NaN, 0, 1]]).repeat(1000, 1);
    for (const f of [(t: Tensor) => t.softmax(1), (t: Tensor) => t.log_softmax(1)]) {
      assertWithin(on(FAST, () => f(special)), on("ts", () => f(special)), (_, w) => 1e-6 * (1 + Math.abs(w)), "special rows");
    }
    // along another dim: the reference
    const y = torch.randn(50, 70);
    exact(on(FAST, () => y.softmax(0)), on("ts", () => y.softmax(0)), "softmax along dim 0");
  });

  // ---- optimizers ----------------------------------------------------------------------------------

  test(`${FAST}: the fused Adam/AdamW, SGD and Adadelta steps give the reference's bits`, { skip }, () => {
    const configs: [string, (ps: Tensor[]) => torch.optim.Optimizer][] = [
      ["Adam", (ps) => new torch.optim.Adam(ps, { lr: 1e-2 })],
      ["Adam, weight decay, amsgrad, maximize", (ps) => new torch.optim.Adam(ps, { lr: 3e-3, weight_decay: 0.1, amsgrad: true, maximize: true })],
      ["AdamW", (ps) => new torch.optim.AdamW(ps, { lr: 1e-2, weight_decay: 0.05 })],
      ["AdamW, beta1 below one half (lerp from the other end)", (ps) => new torch.optim.AdamW(ps, { lr: 1e-1, betas: [0.3, 0.9], amsgrad: true })],
      ["SGD", (ps) => new torch.optim.SGD(ps, { lr: 1e-2 })],
      ["SGD, momentum, dampening, maximize", (ps) => new torch.optim.SGD(ps, { lr: 1e-2, momentum: 0.9, dampening: 0.2, maximize: true })],
      ["SGD, nesterov, weight decay", (ps) => new torch.optim.SGD(ps, { lr: 3e-2, momentum: 0.8, nesterov: true, weight_decay: 0.01 })],
      ["Adadelta", (ps) => new torch.optim.Adadelta(ps, { lr: 1.0 })],
      ["Adadelta, weight decay, maximize", (ps) => new torch.optim.Adadelta(ps, { lr: 0.5, rho: 0.8, weight_decay: 0.1, maximize: true })],
    ];
    for (const [what, make] of configs) {
      const run = (backend: BackendName) => on(backend, () => {
        torch.manual_seed(8);
        // 40009 elements: three streamed chunks and a remainder; the small one stays on the reference
        const ps = [torch.randn(40009, { requires_grad: true }), torch.randn(7, 5, { requires_grad: true })];
        const opt = make(ps);
        for (let step = 0; step < 4; step++) {
          opt.zero_grad();
          ps[0]!.mul(ps[0]!).mul(torch.randn(40009)).sum().add(ps[1]!.exp().sum()).backward();
          opt.step();
        }
        return [...ps, ...Object.values(opt.state_dict().state[0] ?? {}).filter((t) => t instanceof torch.Tensor)];
      });
      const got = run(FAST), want = run("ts");
      got.forEach((t, i) => exact(t, want[i]!, `${what}: tensor ${i}`));
    }
  });

  // ---- fused backward kernels -------------------------------------------------------------------

  test(`${FAST}: softmax's and log_softmax's gradients, and cross-entropy's`, { skip }, () => {
    torch.manual_seed(9);
    for (const [rows, len] of [[3, 5], [37, 301], [700, 1000]] as const) {
      const x = torch.randn(rows, len).mul(4), g = torch.randn(rows, len), y = torch.randint(0, len, [rows]);
      for (const [what, f] of [
        ["softmax", (t: Tensor) => t.softmax(-1).mul(g).sum()],
        ["log_softmax", (t: Tensor) => t.log_softmax(-1).mul(g).sum()],
        ["cross_entropy", (t: Tensor) => torch.nn.functional.cross_entropy(t, y)],
      ] as const) {
        const grad = (backend: BackendName) => on(backend, () => { const xs = x.detach().requires_grad_(); f(xs).backward(); return xs.grad!; });
        assertWithin(grad(FAST), grad("ts"), (_, w) => 1e-6 * (1 + Math.abs(w)), `${what} [${rows}, ${len}]`);
      }
    }
  });

  test(`${FAST}: formulas written over a gradient the engine owns (ownsGradient); one a hook or retain_grad holds is left alone`, { skip }, () => {
    torch.manual_seed(11);
    const x = torch.randn(70, 1000), w = torch.randn(70, 1000), t = torch.randint(0, 1000, [70]);
    for (const [what, f] of [
      ["log_softmax after nll_loss", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.log_softmax(1); keep(y); return torch.nn.functional.nll_loss(y, t); }],
      ["softmax after mul", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.softmax(1); keep(y); return y.mul(w).sum(); }],
      ["relu after mul", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.relu(); keep(y); return y.mul(w).sum(); }],
      ["mul by a constant after mul", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.mul(w.gt(0).to(torch.float32)); keep(y); return y.mul(w).sum(); }],
      ["div by a constant after mul", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.div(w); keep(y); return y.mul(w).sum(); }],
      ["mul of two", (xs: Tensor, keep: (y: Tensor) => void) => { const y = xs.mul(xs.exp()); keep(y); return y.mul(w).sum(); }],
    ] as const) {
      for (const hold of ["nothing", "a hook", "retain_grad"] as const) {
        const run = (backend: BackendName) => on(backend, () => {
          const xs = x.detach().requires_grad_();
          let seen: Tensor | null = null, copy: Tensor | null = null, y: Tensor | null = null;
          const loss = f(xs, (out) => {
            y = out;
            if (hold === "a hook") out.register_hook((g) => { seen = g; copy = g.clone(); });
            if (hold === "retain_grad") out.retain_grad();
          });
          loss.backward();
          if (hold === "a hook") exact(seen!, copy!, `${what}: the hook's gradient after backward`);
          return hold === "retain_grad" ? [xs.grad!, y!.grad!] : [xs.grad!];
        });
        const got = run(FAST), want = run("ts");
        got.forEach((g, i) => assertWithin(g, want[i]!, (_, v) => 1e-6 * (1 + Math.abs(v)), `${what}, holding ${hold}: gradient ${i}`));
      }
    }
  });

  test(`${FAST}: copy_ straight into self (no graph) gives what the recorded copy gives`, { skip }, () => {
    const src = torch.arange(300).reshape(1, 300), big = torch.randn(7, 300, 41);
    const cases: [string, () => Tensor, () => Tensor][] = [
      ["broadcast and cast", () => torch.zeros(41, 300), () => src],
      ["strided destination", () => torch.zeros(300, 41).t(), () => big.select(0, 3).t()],
      ["view at an offset", () => torch.zeros(7, 41, 300).select(0, 2), () => big.select(0, 5).t()],
    ];
    for (const [what, dst, from] of cases) {
      const direct = on(FAST, () => { const d = dst(), v0 = d._version; d.copy_(from()); assert.ok(d._version > v0, `${what}: version`); return d; });
      // a destination in a graph takes the general path (a copy, then written back through inplace)
      const recorded = on(FAST, () => { const d = dst().requires_grad_(false); const g = d.add(torch.zeros(1, { requires_grad: true })); g.copy_(from()); assert.equal(g.grad_fn?.name(), "CopyBackwards"); return g.detach(); });
      exact(direct, recorded, `copy_: ${what}`);
      exact(direct, on("ts", () => dst().copy_(from())), `copy_ against the reference: ${what}`);
    }
  });

  test(`${FAST}: relu's gradient (threshold_backward), fused and with a graph`, { skip }, () => {
    torch.manual_seed(12);
    // zeros, negatives, NaN and -0 among the inputs: the gradient passes where relu's result is > 0
    const x = torch.cat([torch.randn(300, 41).flatten(), torch.tensor([0, -0, NaN, -1, 1, Infinity, -Infinity])]);
    const g = torch.randn(x.numel());
    const grad = (backend: BackendName, create_graph: boolean) => on(backend, () => {
      const xs = x.detach().requires_grad_();
      return torch.autograd.grad(xs.relu(), xs, { grad_outputs: g, create_graph })[0]!;
    });
    exact(grad(FAST, false), grad("ts", false), "relu backward");
    exact(grad(FAST, true), grad("ts", true), "relu backward with create_graph");
  });

  test(`${FAST}: layer_norm and its gradients`, { skip }, () => {
    torch.manual_seed(11);
    for (const [shape, ns, affine] of [[[16, 64, 128], [128], true], [[7, 5, 6], [5, 6], true], [[300, 33], [33], false]] as const) {
      const x = torch.randn(...shape).mul(3).add(1), w = torch.randn(...ns), b = torch.randn(...ns), g = torch.randn(...shape);
      const run = (backend: BackendName) => on(backend, () => {
        const xs = x.detach().requires_grad_(), ws = w.detach().requires_grad_(), bs = b.detach().requires_grad_();
        const y = torch.nn.functional.layer_norm(xs, ns.slice(), affine ? ws : null, affine ? bs : null);
        y.mul(g).sum().backward();
        return affine ? [y, xs.grad!, ws.grad!, bs.grad!] : [y, xs.grad!];
      });
      const got = run(FAST), want = run("ts");
      got.forEach((t, i) => assertWithin(t, want[i]!, (_, v) => 2e-5 * (1 + Math.abs(v)), `layer_norm [${shape}] tensor ${i}`));
    }
  });

  test(`${FAST}: bernoulli_ with a scalar p (dropout's masks) draws the reference's bits`, { skip }, () => {
    // sizes below the fast samplers' threshold, one chunk, and past one chunk of uniforms
    for (const n of [10, 4097, 65536, 140001]) {
      const draw = (backend: BackendName) => on(backend, () => {
        torch.manual_seed(n);
        const mask = torch.empty(n).bernoulli_(0.3), after = torch.rand(3);
        return [mask, after];
      });
      const [m, a] = draw(FAST), [rm, ra] = draw("ts");
      exact(m!, rm!, `bernoulli_ of ${n}`);
      exact(a!, ra!, `the generator after bernoulli_ of ${n}`);
    }
  });

  test(`${FAST}: the LSTM, its gradients, and its double backward`, { skip }, () => {
    torch.manual_seed(10);
    const lstm = new torch.nn.LSTM(30, 40, 2);
    const x = torch.randn(7, 5, 30), h0 = torch.randn(2, 5, 40), c0 = torch.randn(2, 5, 40);
    const run = (backend: BackendName) => on(backend, () => {
      lstm.zero_grad();
      const xs = x.detach().requires_grad_(), cs = c0.detach().requires_grad_();
      const [out, [hn, cn]] = lstm.forward(xs, [h0, cs]) as [Tensor, [Tensor, Tensor]];
      out.pow(2).sum().add(cn.sum()).add(hn.mul(0.5).sum()).backward();
      return [out, hn, cn, xs.grad!, cs.grad!, ...lstm.parameters().map((p) => p.grad!)];
    });
    const got = run(FAST), want = run("ts");
    got.forEach((t, i) => assertWithin(t, want[i]!, (_, w) => 2e-5 * (1 + Math.abs(w)), `LSTM tensor ${i}`));
    // create_graph: the fused cell's backward is the composite's, so a second derivative exists
    const second = (backend: BackendName) => on(backend, () => {
      const xs = x.detach().requires_grad_();
      const [out] = lstm.forward(xs, [h0, c0]) as [Tensor, [Tensor, Tensor]];
      const [gx] = torch.autograd.grad([out.pow(2).sum()], [xs], { create_graph: true });
      return torch.autograd.grad([gx!.pow(2).sum()], [xs])[0]!;
    });
    assertWithin(second(FAST), second("ts"), (_, w) => 1e-4 * (1 + Math.abs(w)), "LSTM double backward");
    // Note [Fused LSTM layer]: the reverse direction, no biases, and h0 requiring grad too
    const bi = new torch.nn.LSTM({ input_size: 30, hidden_size: 40, bias: false, bidirectional: true });
    const h2 = torch.randn(2, 5, 40), c2 = torch.randn(2, 5, 40);
    const runBi = (backend: BackendName) => on(backend, () => {
      bi.zero_grad();
      const xs = x.detach().requires_grad_(), hs = h2.detach().requires_grad_(), cs = c2.detach().requires_grad_();
      const [out, [hn, cn]] = bi.forward(xs, [hs, cs]) as [Tensor, [Tensor, Tensor]];
      out.pow(2).sum().add(cn.mul(cn).sum()).add(hn.mul(0.5).sum()).backward();
      return [out, hn, cn, xs.grad!, hs.grad!, cs.grad!, ...bi.parameters().map((p) => p.grad!)];
    });
    const gotBi = runBi(FAST), wantBi = runBi("ts");
    gotBi.forEach((t, i) => assertWithin(t, wantBi[i]!, (_, w) => 2e-5 * (1 + Math.abs(w)), `bidirectional LSTM tensor ${i}`));
    // 4H = 268 gates: W_hh packed for the GEMM (tt_sgemm_pack_b) with a partial panel, and the
    // backward's K = 268 in two of its slices
    const wide = new torch.nn.LSTM(20, 67), xw = torch.randn(4, 3, 20);
    const runWide = (backend: BackendName) => on(backend, () => {
      wide.zero_grad();
      const xs = xw.detach().requires_grad_();
      const [out] = wide.forward(xs) as [Tensor, [Tensor, Tensor]];
      out.pow(2).sum().backward();
      return [out, xs.grad!, ...wide.parameters().map((p) => p.grad!)];
    });
    const gotWide = runWide(FAST), wantWide = runWide("ts");
    gotWide.forEach((t, i) => assertWithin(t, wantWide[i]!, (_, w) => 2e-5 * (1 + Math.abs(w)), `LSTM(20, 67) tensor ${i}`));
  });

  test(`${FAST}: the GRU, its gradients, and its double backward`, { skip }, () => {
    torch.manual_seed(12);
    const gru = new torch.nn.GRU(30, 40, 2);
    const x = torch.randn(7, 5, 30), h0 = torch.randn(2, 5, 40);
    const run = (backend: BackendName) => on(backend, () => {
      gru.zero_grad();
      const xs = x.detach().requires_grad_(), hs = h0.detach().requires_grad_();
      const [out, hn] = gru.forward(xs, hs) as [Tensor, Tensor];
      out.pow(2).sum().add(hn.mul(0.5).sum()).backward();
      return [out, hn, xs.grad!, hs.grad!, ...gru.parameters().map((p) => p.grad!)];
    });
    const got = run(FAST), want = run("ts");
    got.forEach((t, i) => assertWithin(t, want[i]!, (_, w) => 2e-5 * (1 + Math.abs(w)), `GRU tensor ${i}`));
    const second = (backend: BackendName) => on(backend, () => {
      const xs = x.detach().requires_grad_();
      const [out] = gru.forward(xs, h0) as [Tensor, Tensor];
      const [gx] = torch.autograd.grad([out.pow(2).sum()], [xs], { create_graph: true });
      return torch.autograd.grad([gx!.pow(2).sum()], [xs])[0]!;
    });
    assertWithin(second(FAST), second("ts"), (_, w) => 1e-4 * (1 + Math.abs(w)), "GRU double backward");
  });

  test(`${FAST}: batch_norm in training and evaluation, its running statistics and gradients`, { skip }, () => {
    torch.manual_seed(13);
    // 2d with a remainder of positions, 1d on [N, C] (one position: the row-wise loops), 1d on [N, C, L]
    for (const shape of [[8, 6, 9, 7], [300, 17], [4, 5, 33]]) {
      const C = shape[1]!, x = torch.randn(...shape).mul(2).add(3), g = torch.randn(...shape);
      const w = torch.randn(C), b = torch.randn(C), rm0 = torch.randn(C), rv0 = torch.rand(C).add(0.5);
      for (const training of [true, false]) {
        for (const affine of [true, false]) {
          const run = (backend: BackendName) => on(backend, () => {
            const xs = x.detach().requires_grad_(), ws = w.detach().requires_grad_(), bs = b.detach().requires_grad_();
            const rm = rm0.clone(), rv = rv0.clone();
            const y = torch.nn.functional.batch_norm(xs, rm, rv, affine ? ws : null, affine ? bs : null, training, 0.3, 1e-4);
            y.mul(g).sum().backward();
            return [y, rm, rv, xs.grad!, ...(affine ? [ws.grad!, bs.grad!] : [])];
          });
          const got = run(FAST), want = run("ts");
          got.forEach((t, i) => assertWithin(t, want[i]!, (_, v) => 2e-5 * (1 + Math.abs(v)), `batch_norm [${shape}] training=${training} affine=${affine} tensor ${i}`));
        }
      }
    }
    // create_graph: the composite runs, so a second derivative exists
    const x = torch.randn(6, 4, 5, 5);
    const second = (backend: BackendName) => on(backend, () => {
      const xs = x.detach().requires_grad_();
      const y = torch.nn.functional.batch_norm(xs, null, null, null, null, true);
      const [gx] = torch.autograd.grad([y.pow(3).sum()], [xs], { create_graph: true });
      return torch.autograd.grad([gx!.pow(2).sum()], [xs])[0]!;
    });
    assertWithin(second(FAST), second("ts"), (_, w) => 1e-3 * (1 + Math.abs(w)), "batch_norm double backward");
    // group norm's statistics and affine map go through the same kernels
    const gx = torch.randn(4, 6, 10, 10);
    assertWithin(on(FAST, () => torch.nn.functional.group_norm(gx, 3)), on("ts", () => torch.nn.functional.group_norm(gx, 3)),
      (_, v) => 2e-5 * (1 + Math.abs(v)), "group_norm");
  });

  test(`${FAST}: gather, scatter, scatter_add and index_add; out-of-range indices change nothing`, { skip }, () => {
    torch.manual_seed(14);
    const x = torch.randn(20, 30, 29);
    for (const d of [0, 1, 2]) {
      const ishape = [17, 25, 27]; // (lines enough for blocks of 256 in each thread's share)
      ishape[d] = 40;
      const index = torch.randint(0, x.shape[d]!, ishape), src = torch.randn(45, 45, 50);
      // gather through a transposed x, and its gradient (a scatter_add)
      const gat = (backend: BackendName) => on(backend, () => {
        const xs = x.detach().transpose(0, 2).contiguous().transpose(0, 2).requires_grad_();
        const y = xs.gather(d, index);
        y.mul(y).sum().backward();
        return [y, xs.grad!];
      });
      const gatRef = gat("ts");
      gat(FAST).forEach((t, i) => exact(t, gatRef[i]!, `gather dim ${d} tensor ${i}`));
      // scatter_add: repeated indices add in the reference's order (its bits); scatter of a tensor and of a number
      const sc = (backend: BackendName) => on(backend, () => [x.scatter_add(d, index, src), x.scatter(d, index, src), x.scatter(d, index, 2.5)]);
      const scRef = sc("ts");
      sc(FAST).forEach((t, i) => exact(t, scRef[i]!, `scatter dim ${d} tensor ${i}`));
    }
    // index_select along each dim, for dtypes of 1, 2, 4 and 8 bytes
    for (const t of [x, x.mul(1000).to(torch.int64), x.gt(0), x.to(torch.float16), x.transpose(0, 2)]) {
      for (const d of [0, 1, 2]) {
        const idx = torch.randint(0, t.shape[d]!, [50]);
        exact(on(FAST, () => t.index_select(d, idx)).to(torch.float32), on("ts", () => t.index_select(d, idx)).to(torch.float32), `index_select ${t.dtype.name} dim ${d}`);
      }
    }
    // index_add (an embedding's gradient among them)
    const emb = torch.randn(50, 16), ids = torch.randint(0, 50, [30, 7]);
    const eg = (backend: BackendName) => on(backend, () => {
      const w = emb.detach().requires_grad_();
      torch.nn.functional.embedding(ids, w).pow(2).sum().backward();
      return [w.grad!, x.index_add(1, torch.randint(0, 30, [45]), torch.randn(20, 45, 29))];
    });
    torch.manual_seed(15);
    const egFast = eg(FAST);
    torch.manual_seed(15);
    const egRef = eg("ts");
    egFast.forEach((t, i) => exact(t, egRef[i]!, `index_add tensor ${i}`));
    // an index out of range: PyTorch's error, and x unchanged by the in-place forms
    const bad = torch.randint(0, 20, [20, 30, 29]), neg = torch.zeros_like(bad);
    bad.view(-1).narrow(0, 14000, 1).fill_(20);
    neg.view(-1).narrow(0, 3000, 1).fill_(-20);
    for (const backend of [FAST, "ts"] as const) {
      on(backend, () => {
        const before = x.clone();
        assert.throws(() => x.gather(0, bad), { message: "index 20 is out of bounds for dimension 0 with size 20" });
        assert.throws(() => x.scatter_add_(0, bad, torch.randn(20, 30, 29)), { message: "index 20 is out of bounds for dimension 0 with size 20" });
        assert.throws(() => x.scatter_(0, neg, 1), { message: "index -20 is out of bounds for dimension 0 with size 20" });
        exact(x, before, `${backend}: x after the errors`);
      });
    }
  });

  test(`${FAST}: avg_pool2d and adaptive_avg_pool2d, and their gradients`, { skip }, () => {
    torch.manual_seed(16);
    const F = torch.nn.functional, x = torch.randn(3, 5, 17, 13);
    const cases: [string, (t: Tensor) => Tensor][] = [
      ["avg_pool2d 2", (t) => F.avg_pool2d(t, 2)],
      ["avg_pool2d 3, stride 2, padding 1, ceil_mode (overlapping, clipped)", (t) => F.avg_pool2d(t, 3, 2, 1, true)],
      ["avg_pool2d count_include_pad=false", (t) => F.avg_pool2d(t, [3, 2], [1, 2], [1, 0], false, false)],
      ["avg_pool2d divisor_override", (t) => F.avg_pool2d(t, 2, 2, 0, false, true, 3)],
      ["adaptive_avg_pool2d [5, 4]", (t) => F.adaptive_avg_pool2d(t, [5, 4])],
      ["adaptive_avg_pool2d 1 (global)", (t) => F.adaptive_avg_pool2d(t, 1)],
    ];
    for (const [what, f] of cases) {
      const run = (backend: BackendName) => on(backend, () => {
        const xs = x.detach().requires_grad_();
        const y = f(xs);
        y.mul(y).sum().backward();
        return [y, xs.grad!];
      });
      const got = run(FAST), want = run("ts");
      got.forEach((t, i) => assertWithin(t, want[i]!, (_, w) => 1e-6 * (1 + Math.abs(w)), `${what} tensor ${i}`));
    }
  });

  // ---- random numbers --------------------------------------------------------------------------

  test(`${FAST}: rand, randn, uniform_ and normal_ draw the reference's bits and leave its generator state`, { skip }, () => {
    const draws = (backend: BackendName, seed: number) => on(backend, () => {
      const g = new torch.Generator().manual_seed(seed), generator = g;
      const out: Tensor[] = [];
      // sizes around normal_fill's blocks of 16 and its tail, the engine's 624 words, the buffers
      // words are drawn through, and enough blocks to split over threads
      for (const n of [16, 17, 63, 64, 100, 623, 625, 2049, 4097, 70001]) {
        out.push(torch.randn([n], { generator }), torch.rand([n], { generator }));
        out.push(torch.rand([n], { dtype: torch.float64, generator }), torch.randn([n], { dtype: torch.float64, generator }));
        out.push(torch.empty(n).uniform_(-2.5, 3.25, { generator }), torch.empty(n).normal_(1.5, 0.3, { generator }));
        out.push(torch.empty([n], { dtype: torch.float64 }).uniform_(-1e3, 7, { generator }));
        out.push(torch.empty([n], { dtype: torch.float64 }).normal_(-2.5, 1e-3, { generator }));
        out.push(torch.empty([n], { dtype: torch.float16 }).normal_(0, 1, { generator }));
        out.push(torch.randn([3], { generator })); // scalar Box–Muller, with its cached spare
      }
      // views: at an offset in a larger storage, and strided (sampled contiguous, then copied)
      const big = torch.zeros(5000);
      big.narrow(0, 37, 3001).normal_(0, 1, { generator });
      big.narrow(0, 5, 1001).uniform_(0, 1, { generator });
      out.push(big, torch.zeros(300, 200).t().normal_(0, 2, { generator }));
      out.push(torch.tensor(Array.from(g.get_state())));
      return out;
    });
    for (const seed of [0, 7, 2 ** 32 + 5]) {
      const got = draws(FAST, seed), want = draws("ts", seed);
      got.forEach((t, i) => {
        // (as doubles: exact for every dtype here, float64 included)
        assert.equal(t.dtype, want[i]!.dtype);
        const g = t.reshape(-1).tolist() as number[], w = want[i]!.reshape(-1).tolist() as number[];
        assert.equal(g.length, w.length);
        const k = g.findIndex((v, j) => !Object.is(v, w[j]));
        if (k >= 0) assert.fail(`seed ${seed}, tensor ${i}: element ${k} is ${g[k]}, reference ${w[k]}`);
      });
    }
    // the default generator, seeded and read back as PyTorch's state
    const state = (backend: BackendName) => on(backend, () => { torch.manual_seed(3); torch.randn(1000); torch.rand(999); return torch.get_rng_state(); });
    assert.deepEqual(state(FAST), state("ts"));
  });
}

for (const b of availableBackends()) if (b !== "ts") suite(b);
