// The WebGPU device's kernels for pooling, indexing, scans and sorting: each op on the device
// gives the CPU's values, indices and gradients (the CPU's are checked against PyTorch's by the
// op's own tests), with no CPU fallback (torch.webgpu.stats()); and the MNIST CNN of bench B6
// (conv, relu, max_pool2d, dropout, linear, log_softmax, nll_loss, Adadelta) trains on the device
// step for step as on the CPU, with no fallback and one readback a step (its loss). Without an
// adapter the tests skip, saying why; they run in the default pass only (webgpu.test.ts says why).

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { nn, optim, type Tensor } from "typetorch";

const skip = process.env["TYPETORCH_BACKEND"] ? "the device's kernels do not depend on the CPU backend: they run in the default pass only"
  : torch.webgpu.is_available() ? false : `no WebGPU adapter here (${torch.webgpu.unavailable_reason()})`;
const F = nn.functional;

/** The flat values of tensors (any dtype) as numbers. */
const flat = (ts: Tensor[]): number[] => ts.flatMap((t) => (t.flatten().tolist() as (number | bigint | boolean)[]).map(Number));

/** Runs f on CPU inputs and on their copies on the device; the results (and the gradients of the
 *  inputs that require them, after backward of the sum of each float result times a fixed weight)
 *  agree, and the device ran no fallback. */
function sameOnDevice(what: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor | Tensor[], tol = 1e-5): void {
  const run = (device: string) => {
    const xs = inputs.map((x) => x.detach().to(device).requires_grad_(x.requires_grad));
    const r = f(...xs), outs = Array.isArray(r) ? r : [r];
    const diff = outs.filter((o) => o.requires_grad);
    if (diff.length) {
      torch.autograd.backward(diff.map((o) => o.mul(torch.linspace(-1, 2, o.numel(), { device }).reshape_as(o)).sum()));
    }
    return { outs, grads: xs.filter((x) => x.requires_grad).map((x) => x.grad!) };
  };
  const cpu = run("cpu");
  torch.webgpu.reset_stats();
  const gpu = run("webgpu");
  assert.deepEqual(torch.webgpu.stats().fallbacks, {}, `${what}: fallbacks`);
  [...gpu.outs, ...gpu.grads].forEach((t) => assert.equal(t.device.type, "webgpu", `${what}: a result on ${t.device}`));
  assert.deepEqual(gpu.outs.map((o) => [o.dtype, o.shape]), cpu.outs.map((o) => [o.dtype, o.shape]), `${what}: dtypes and shapes`);
  const a = flat([...gpu.outs, ...gpu.grads]), b = flat([...cpu.outs, ...cpu.grads]);
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Object.is(v, b[i]) || Math.abs(v - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `${what}: element ${i}: ${v} on the device, ${b[i]} on the CPU`));
}

if (skip) test("webgpu ops", { skip }, () => {});
else {
  test("max pooling: fixed and adaptive windows, indices, NaN, double backward", () => {
    torch.manual_seed(0);
    const x = torch.randn(2, 3, 9, 11, { requires_grad: true });
    sameOnDevice("max_pool2d", [x], (a) => F.max_pool2d(a, 2));
    sameOnDevice("max_pool2d padded, dilated, ceil_mode, overlapping", [x], (a) => F.max_pool2d(a, 3, { stride: 2, padding: 1, dilation: 2, ceil_mode: true }));
    sameOnDevice("max_pool2d with indices", [x], (a) => [...F.max_pool2d(a, [3, 2], { stride: 1, return_indices: true })]);
    sameOnDevice("adaptive_max_pool2d", [x], (a) => [...F.adaptive_max_pool2d(a, [4, 5], true)]);
    sameOnDevice("max_pool1d", [x.detach().reshape(6, 99).requires_grad_()], (a) => F.max_pool1d(a, 4, { stride: 3 }));
    sameOnDevice("max_pool2d of a transposed view", [x], (a) => F.max_pool2d(a.transpose(2, 3), 2));
    const nan = torch.tensor([[[1, NaN, 3, 2], [0, 5, NaN, 1], [4, 4, 1, 1], [-1, -2, -3, -4]]]);
    sameOnDevice("max_pool2d with NaN", [nan], (a) => [...F.max_pool2d(a, 2, { return_indices: true })]);
    // the gradient of the gradient: backward's scatter differentiated (a gather)
    const gg = (device: string) => {
      const a = x.detach().to(device).requires_grad_();
      const [g] = torch.autograd.grad([F.max_pool2d(a, 3, { stride: 2 }).square().sum()], [a], { create_graph: true });
      const [h] = torch.autograd.grad([g!.square().sum()], [a]);
      return flat([h!]);
    };
    const c = gg("cpu");
    torch.webgpu.reset_stats();
    const d = gg("webgpu");
    assert.deepEqual(torch.webgpu.stats().fallbacks, {});
    d.forEach((v, i) => assert.ok(Math.abs(v - c[i]!) <= 1e-4 * Math.max(1, Math.abs(c[i]!)), `double backward ${i}: ${v}, ${c[i]}`));
  });

  test("gather, scatter, scatter_add, index_select, index_add with their indices on the device", () => {
    torch.manual_seed(0);
    const x = torch.randn(4, 5, 3, { requires_grad: true }), src = torch.randn(4, 5, 3, { requires_grad: true });
    const idx = torch.randint(0, 4, [3, 5, 2]), perm = torch.tensor([[2, 0, 2], [1, 2, 0]], { dtype: torch.int64 });
    sameOnDevice("gather", [x, idx], (a, i) => a.gather(0, i!));
    sameOnDevice("gather along the last dim, strided index", [x, perm], (a, i) => a.gather(2, i!.t().reshape(3, 2, 1).expand(3, 2, 3).transpose(0, 1)));
    // scatter with distinct positions along dim 1 (a permutation), so the values written are defined
    const dist = torch.argsort(torch.rand(4, 5, 3), { dim: 1 });
    sameOnDevice("scatter", [x, dist, src], (a, i, s) => a.scatter(1, i!, s!));
    sameOnDevice("scatter of a number", [x, dist], (a, i) => a.scatter(1, i!.narrow(1, 0, 2), 7.5));
    sameOnDevice("scatter_add, repeated positions", [x, idx, src], (a, i, s) => a.scatter_add(0, i!, s!.narrow(0, 0, 3).narrow(2, 0, 2)));
    sameOnDevice("scatter_add of int32", [torch.zeros(6, { dtype: torch.int32 }), torch.tensor([1, 3, 1, 5, 1], { dtype: torch.int64 }), torch.tensor([1, 2, 3, 4, 5], { dtype: torch.int32 })],
      (a, i, s) => a.scatter_add(0, i!, s!));
    for (const reduce of ["sum", "prod", "mean", "amax", "amin"] as const)
      for (const include_self of [true, false])
        sameOnDevice(`scatter_reduce ${reduce}${include_self ? "" : " without self"}`, [x, idx, src], (a, i, s) => a.scatter_reduce(0, i!, s!.narrow(0, 0, 3).narrow(2, 0, 2), reduce, { include_self }), 1e-5);
    sameOnDevice("scatter_reduce mean of int64, rounding down", [torch.randint(-9, 9, [4, 5]), torch.randint(0, 4, [6, 5]), torch.randint(-20, 20, [6, 5])],
      (a, i, s) => [a.scatter_reduce(0, i!, s!, "mean"), a.scatter_reduce(0, i!, s!, "mean", { include_self: false })]);
    sameOnDevice("scatter_reduce amax of int64", [torch.randint(-9, 9, [4, 5]), torch.randint(0, 4, [6, 5]), torch.randint(-20, 20, [6, 5])], (a, i, s) => a.scatter_reduce(0, i!, s!, "amax", { include_self: false }));
    sameOnDevice("index_select and index_add", [x, torch.tensor([2, 0, 2, 1], { dtype: torch.int64 })], (a, i) => [a.index_select(1, i!), a.index_add(2, i!.narrow(0, 0, 3), a.narrow(2, 0, 3).mul(2))]);
    const emb = new nn.Embedding(10, 4);
    sameOnDevice("an embedding's lookup and gradient", [emb.weight, torch.tensor([[1, 7, 1], [0, 9, 1]], { dtype: torch.int64 })], (w, i) => F.embedding(i!, w!));
    // the bounds are checked as on the CPU (PyTorch's message), the indices read where they are
    const g = x.detach().to("webgpu");
    assert.throws(() => g.gather(0, torch.tensor([[[4]]], { dtype: torch.int64 }).to("webgpu")), /index 4 is out of bounds for dimension 0 with size 4/);
    assert.throws(() => F.cross_entropy(g.flatten(1), torch.tensor([0, 15, 2, 3], { dtype: torch.int64 }).to("webgpu")), /Target 15 is out of bounds/);
    // positions a kernel made (sort's, topk's, argmax's) are checked where they were made: their
    // gathers and the scatters of their backwards read nothing back; once changed, they are read
    const h = x.detach().to("webgpu").requires_grad_();
    torch.webgpu.synchronize();
    torch.webgpu.reset_stats();
    const loss = h.sort(1).values.mul(h.topk(2, 2).values.sum()).sum().add(h.max(0).values.sum()).add(h.gather(1, h.argmax(1, true)).sum());
    loss.backward();
    torch.webgpu.synchronize();
    assert.equal(torch.webgpu.stats().readbacks, 0);
    assert.throws(() => h.gather(1, h.argmax(1, true).add(5)), /index \d+ is out of bounds for dimension 1 with size 5/);
  });

  test("advanced indexing (x[idx], index_put_ with accumulate, take, roll, repeat, index_fill) on the device", () => {
    torch.manual_seed(0);
    const x = torch.randn(5, 4, 3, { requires_grad: true });
    const i = torch.tensor([4, 0, 4, -1], { dtype: torch.int64 }), j = torch.tensor([[1], [3]], { dtype: torch.int64 });
    sameOnDevice("x[i], x[:, j, k]", [x, i, j, torch.tensor([2, 0, -1], { dtype: torch.int64 })], (a, ii, jj, kk) => [a.index(ii!), a.index(torch.slice(null), jj!, kk!)]);
    sameOnDevice("index_put with accumulate", [x, i, torch.randn(4, 3, { requires_grad: true })], (a, ii, v) => a.index_put([ii!, torch.tensor([0, 1, 2, 1], { dtype: torch.int64 }).to(ii!.device)], v!, true));
    sameOnDevice("take, roll, repeat, index_fill", [x, i], (a, ii) => [a.take(ii!), a.roll([1, -2], [0, 2]), a.narrow(0, 0, 2).repeat(2, 1, 2), a.index_fill(1, ii!.narrow(0, 1, 1), -1)]);
  });

  test("cumsum and cumprod along any dim, long rows, integers", () => {
    torch.manual_seed(0);
    const x = torch.randn(3, 700, 2, { requires_grad: true });
    sameOnDevice("cumsum", [x], (a) => [a.cumsum(1), a.cumsum(0), a.transpose(0, 2).cumsum(2)], 1e-4);
    sameOnDevice("cumprod", [x.detach().mul(0.1).add(1).requires_grad_()], (a) => a.narrow(1, 0, 40).cumprod(1), 1e-4);
    sameOnDevice("cumsum of int64 and bool", [torch.randint(-5, 5, [4, 300]), torch.rand(2, 9).gt(0.5)], (a, b) => [a.cumsum(1), b!.cumsum(1), a.cumsum(0, { dtype: torch.float32 })]);
  });

  test("sort, argsort and topk: stable, ties and NaN as on the CPU", () => {
    torch.manual_seed(0);
    const x = torch.randn(3, 300, 4, { requires_grad: true });
    const ties = torch.tensor([[3, 1, NaN, 1, 2, NaN, 3, -Infinity, 0, -0], [5, 5, 5, 1, 1, 1, 2, 2, 2, 0]]);
    sameOnDevice("sort", [x], (a) => [...a.sort(1)]);
    sameOnDevice("sort descending, dim 0", [x], (a) => [...a.sort(0, true)]);
    sameOnDevice("ties and NaN", [ties], (a) => [...a.sort(1), ...a.sort(1, true), a.argsort({ dim: 0, stable: true })]);
    sameOnDevice("topk", [x], (a) => [...a.topk(5, 1), ...a.topk(3, 2, false)]);
    sameOnDevice("sort of int64", [torch.randint(-50, 50, [6, 77])], (a) => [...a.sort(1, true)]);
    sameOnDevice("median and nanmedian: ties, NaN, all NaN", [ties, x, torch.tensor([[NaN, NaN], [NaN, 1]])], (a, b, c) => [...a.median(1), ...a.nanmedian(1, true), ...a.median(0),
      ...b!.median(1), ...b!.nanmedian(0), ...c!.nanmedian(1), ...c!.median(1)]);
    sameOnDevice("median of int64", [torch.randint(-5, 5, [4, 9])], (a) => [...a.median(1)]);
    // lanes past the kernel's 1024 elements, median, kthvalue and mode order on the CPU: counted
    torch.webgpu.reset_stats();
    const long = torch.randn(2, 1500), g = long.to("webgpu");
    assert.deepEqual(g.sort(1).indices.tolist(), long.sort(1).indices.tolist());
    assert.deepEqual([g.median(1).indices.tolist(), g.kthvalue(3, 1).indices.tolist()], [long.median(1).indices.tolist(), long.kthvalue(3, 1).indices.tolist()]);
    assert.deepEqual(torch.webgpu.stats().fallbacks, { sort: 1, median: 1, kthvalue: 1 });
  });

  test("optimizers without a fused step run their loop on the CPU as a counted fallback", () => {
    const run = (device: string) => {
      torch.manual_seed(0);
      const m = new nn.Linear(6, 3).to(device), opt = new optim.RMSprop(m.parameters(), { momentum: 0.5, centered: true });
      for (let i = 0; i < 2; i++) { opt.zero_grad(); m.forward(torch.ones(4, 6, { device })).square().sum().backward(); opt.step(); }
      return flat([...m.parameters()]);
    };
    const cpu = run("cpu");
    torch.webgpu.reset_stats();
    const gpu = run("webgpu");
    assert.deepEqual(torch.webgpu.stats().fallbacks, { rmsprop_step: 4 });
    gpu.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]!) < 1e-6, `${v}, ${cpu[i]}`));
  });

  test("activations with numbers (threshold, hardtanh, leaky_relu, elu, selu, softplus, shrinks, mish …) on the device", () => {
    const x = torch.cat([torch.linspace(-6, 6, 49), torch.tensor([NaN, Infinity, -Infinity, 0, -0, 25])]).requires_grad_();
    sameOnDevice("activations", [x], (a) => [F.threshold(a, 0.5, -2), F.hardtanh(a, -2, 3), F.relu6(a), F.leaky_relu(a, 0.2), F.elu(a, 0.7), F.selu(a), F.celu(a, 2),
      F.softplus(a, 2, 10), F.softshrink(a, 1), F.hardshrink(a, 1), F.mish(a), F.hardswish(a), F.hardsigmoid(a), F.logsigmoid(a)], 1e-5);
  });

  test("padding, nearest and linear resampling, average pooling, transposed convolution on the device", () => {
    torch.manual_seed(0);
    const x = torch.randn(2, 3, 5, 4, { requires_grad: true }), w = torch.randn(3, 2, 3, 3, { requires_grad: true });
    sameOnDevice("pad", [x], (a) => [F.pad(a, [1, 2, 0, 1]), F.pad(a, [2, 1, 1, 2], "reflect"), F.pad(a, [1, 1, 2, 0], "replicate"), F.pad(a.transpose(2, 3), [1, 1, 1, 1], "circular")]);
    sameOnDevice("interpolate", [x], (a) => [F.interpolate(a, { scale_factor: 2, mode: "nearest" }), F.interpolate(a, { size: [7, 9], mode: "bilinear", align_corners: true }),
      F.interpolate(a.flatten(2), { scale_factor: 1.5, mode: "linear" })], 1e-5);
    sameOnDevice("average pooling", [x], (a) => [F.avg_pool2d(a, 2), F.avg_pool2d(a, 3, { stride: 2, padding: 1, count_include_pad: false, ceil_mode: true }),
      F.adaptive_avg_pool2d(a.transpose(2, 3), [3, 2]), F.avg_pool1d(a.flatten(2), 4, { stride: 3 })], 1e-5);
    sameOnDevice("conv_transpose2d", [x, w], (a, k) => F.conv_transpose2d(a.transpose(2, 3), k!, null, 2, 1), 1e-4);
  });

  test("special functions, integer division and integer products on the device, over their ranges, as on the CPU", () => {
    const sp = torch.special;
    // grids that stay 0.1 from lgamma's and digamma's poles (where both sides are infinite or NaN)
    const x = torch.linspace(-9.9, 30.1, 161, { requires_grad: true }), pos = torch.linspace(0.05, 25, 100, { requires_grad: true });
    sameOnDevice("the gamma family", [x, pos], (a, p) => [a.lgamma(), a.digamma(), torch.polygamma(1, a), torch.polygamma(2, p!), torch.mvlgamma(p!.add(2), 3),
      sp.zeta(p!.detach().add(1), p!.detach())], 1e-5);
    const u = torch.linspace(-0.999, 0.999, 101, { requires_grad: true }), b = torch.linspace(-20, 20, 81, { requires_grad: true });
    sameOnDevice("erfinv, ndtri, the Bessel functions", [u, b], (a, c) => [a.erfinv(), sp.ndtri(a.add(1).div(2)), c!.i0(), sp.i0e(c!), sp.i1(c!), sp.i1e(c!)], 1e-5);
    const w = torch.cat([torch.linspace(-20, 30, 101), torch.tensor([1e-7, -1e-6, 3e-5, 0, -0])]).requires_grad_();
    sameOnDevice("log_ndtr, erfcx, entr, log1p, expm1, xlogy, xlog1py, hypot, nextafter", [w], (a) => [sp.log_ndtr(a), sp.erfcx(a.clamp(-8, null)), sp.entr(a),
      a.narrow(0, 60, 46).log1p(), a.narrow(0, 90, 16).expm1(), torch.xlogy(a, a.abs()), sp.xlog1py(a, a.abs()), torch.hypot(a, a.flip(0)), torch.nextafter(a.detach(), a.detach().flip(0))], 1e-5);
    torch.manual_seed(0);
    for (const dtype of [torch.int32, torch.int64]) {
      const n = torch.randint(-50, 50, [64], { dtype }), d = torch.randint(1, 9, [64], { dtype }).mul(torch.randint(0, 2, [64], { dtype }).mul(2).sub(1));
      sameOnDevice(`integer division (${dtype})`, [n, d], (a, c) => [a.floor_divide(c!), a.remainder(c!), a.fmod(c!), a.div(c!, { rounding_mode: "trunc" }), a.div(c!, { rounding_mode: "floor" }),
        a.pow(c!.abs().remainder(4)), torch.gcd(a, c!), torch.lcm(a, c!), a.abs(), a.neg(), a.sign(), a.bitwise_not(),
        a.reshape(8, 8).mm(c!.reshape(8, 8).t()), a.reshape(2, 4, 8).bmm(c!.reshape(2, 8, 4)), a.narrow(0, 0, 8).dot(c!.narrow(0, 8, 8))]);
    }
  });

  test("searchsorted, bucketize, bincount, histc and nonzero on the device (the count read back once)", () => {
    torch.manual_seed(0);
    const seq = torch.tensor([-Infinity, -1, 0, 0, 0.5, 2, 2, NaN]), vals = torch.tensor([[NaN, -5, 0, 2, 0.25], [3, -1, Infinity, -Infinity, 2]]);
    const rows = torch.randn(3, 40).sort(1).values, sorter = torch.argsort(torch.tensor([5, 1, 9, -2, 4]));
    sameOnDevice("searchsorted", [seq, vals, rows, torch.randn(3, 7)], (s, v, r, w) => [torch.searchsorted(s, v!), torch.searchsorted(s, v!, { right: true }),
      torch.searchsorted(r!, w!, { side: "right", out_int32: true }), torch.bucketize(v!, s!), torch.searchsorted(s, 0.5)]);
    sameOnDevice("searchsorted with a sorter, of integers", [torch.tensor([5, 1, 9, -2, 4], { dtype: torch.int64 }), sorter, torch.randint(-3, 11, [4, 6])],
      (s, o, v) => torch.searchsorted(s, v!, { sorter: o! }));
    const idx = torch.randint(0, 37, [5000]);
    sameOnDevice("bincount", [idx, torch.rand(5000)], (i, w) => [torch.bincount(i), torch.bincount(i, { minlength: 50 }), torch.bincount(i, w!)], 1e-4);
    sameOnDevice("histc", [torch.randn(3000)], (x) => [torch.histc(x, 30), torch.histc(x, { bins: 7, min: -1, max: 1 }), torch.histc(x.narrow(0, 0, 1).expand(5), 4)]);
    const x = torch.randn(40, 30, 20).mul(torch.rand(40, 30, 20).gt(0.6));
    sameOnDevice("nonzero", [x, torch.tensor(NaN), torch.zeros(3, 0)], (a, z, e) => [torch.nonzero(a), ...torch.nonzero(a.transpose(0, 2), { as_tuple: true }),
      torch.argwhere(a.gt(0.5)), torch.nonzero(z!), ...torch.nonzero(z!, { as_tuple: true }), torch.nonzero(e!)]);
    torch.webgpu.reset_stats();
    torch.nonzero(x.to("webgpu"));
    assert.equal(torch.webgpu.stats().readbacks, 1);
  });

  test("isin, frexp, block_diag and a 0-d max on the device", () => {
    torch.manual_seed(0);
    const e = torch.tensor([[1, -0, NaN, 3.5], [7, 2, 2, -1]]), t = torch.tensor([2, 0, NaN, 7, 9, 2]);
    sameOnDevice("isin", [e, t, torch.randint(0, 20, [30]), torch.randint(0, 20, [7])], (a, b, c, d) => [torch.isin(a, b!), torch.isin(a, b!, { invert: true }),
      torch.isin(c!, d!), torch.isin(a, b!.narrow(0, 0, 0)), torch.isin(a, b!.narrow(0, 0, 0), { invert: true }), torch.isin(a, 2), torch.isin(7, b!)]);
    const f = torch.cat([torch.randn(20).mul(1000), torch.tensor([0, -0, Infinity, -Infinity, NaN, 0.5, 1, -3])]).requires_grad_();
    sameOnDevice("frexp", [f], (a) => [...torch.frexp(a)]);
    sameOnDevice("block_diag", [torch.randn(2, 3, { requires_grad: true }), torch.randn(4, { requires_grad: true }), torch.tensor(5, { requires_grad: true })],
      (a, b, c) => torch.block_diag(a, b!, c!));
    sameOnDevice("max of a 0-d tensor along dim 0", [torch.tensor(-1.5, { requires_grad: true })], (a) => [...a.max(0), ...a.min(0, true)]);
  });

  test("triangular solves on the device: upper, lower, left, right, unit diagonal, batches, gradients", () => {
    torch.manual_seed(0);
    // well-conditioned triangles: a dominant diagonal
    const A = torch.randn(3, 6, 6).mul(0.3).add(torch.eye(6).mul(3)).requires_grad_(), B = torch.randn(3, 6, 4, { requires_grad: true });
    const LA = torch.linalg;
    sameOnDevice("solve_triangular", [A, B], (a, b) => [LA.solve_triangular(a.triu(), b!, { upper: true }), LA.solve_triangular(a.tril(), b!, { upper: false }),
      LA.solve_triangular(a.tril(), b!.mT, { upper: false, left: false }), LA.solve_triangular(a, b!, { upper: true, unitriangular: true }),
      LA.solve_triangular(a.narrow(0, 0, 1).triu(), b!, { upper: true }), torch.triangular_solve(b!, a.triu(), true, true)[0]!,
      torch.cholesky_solve(b!, a.tril())], 1e-4);
  });

  test("LU, Cholesky and QR factorizations, eigh and SVD, and what is built on them, on the device (Notes [Factorization shaders], [Jacobi shaders])", () => {
    torch.manual_seed(0);
    const LA = torch.linalg;
    // 70 rows: more than a workgroup's 64 threads, so each thread takes several; well-conditioned
    // (a dominant diagonal) so that float32 and the CPU's float64 agree; a batch of two, one with
    // its rows shuffled, needing row swaps at every step
    const A = torch.randn(2, 70, 70).add(torch.eye(70).mul(20)), perm = torch.randperm(70);
    const As = torch.stack([A.select(0, 0), A.select(0, 1).index_select(0, perm)]).requires_grad_();
    const B = torch.randn(2, 70, 3, { requires_grad: true });
    sameOnDevice("lu_factor_ex, linalg.lu", [As], (a) => [...LA.lu_factor_ex(a), ...LA.lu(a)], 1e-4);
    sameOnDevice("det, slogdet, inv, inv_ex", [As.detach().div(2).requires_grad_()], (a) => [LA.det(a.narrow(-1, 0, 12).narrow(-2, 0, 12)), ...LA.slogdet(a), LA.inv(a), ...LA.inv_ex(a)], 1e-4);
    sameOnDevice("solve, solve_ex, lu_solve", [As, B], (a, b) => [LA.solve(a, b!), LA.solve(a, b!.mT, { left: false }), ...LA.solve_ex(a, b!), LA.lu_solve(LA.lu_factor(a).LU, LA.lu_factor(a).pivots, b!)], 1e-4);
    const S = torch.randn(3, 70, 70), spd = S.matmul(S.mT).add(torch.eye(70)).requires_grad_();
    sameOnDevice("cholesky, cholesky_ex, upper", [spd], (a) => [LA.cholesky(a), ...LA.cholesky_ex(a, { upper: true })], 1e-4);
    sameOnDevice("small and wide and tall LU", [torch.randn(4, 3, 5, { requires_grad: true })], (a) => [...LA.lu_factor(a), ...LA.lu(a.mT)]);
    sameOnDevice("qr: reduced, complete, r; tall, wide", [torch.randn(2, 70, 70, { requires_grad: true })],
      (a) => [...LA.qr(a), ...LA.qr(a.narrow(-2, 0, 9), { mode: "complete" }), ...LA.qr(a.narrow(-1, 0, 5)), LA.qr(a.detach(), { mode: "r" }).R, LA.qr(a.detach().narrow(-1, 0, 5), { mode: "complete" }).Q], 1e-4);
    // a column already zero below the diagonal: no reflection (τ = 0), as LAPACK's
    sameOnDevice("qr with a zero column", [torch.cat([torch.randn(6, 2), torch.zeros(6, 1), torch.randn(6, 2)], -1)], (a) => [...LA.qr(a)]);
    // eigh by the CPU's Jacobi rotations in the same order: the same eigenvectors, signs included
    // (spread eigenvalues: vectors of near-equal ones are ill-determined in float32)
    const Q = LA.qr(torch.randn(2, 70, 70)).Q, sym = Q.mul(torch.linspace(-30, 40, 70)).matmul(Q.mT);
    sameOnDevice("eigh, eigvalsh, UPLO", [sym.requires_grad_()], (a) => [...LA.eigh(a), LA.eigvalsh(a.narrow(-1, 0, 9).narrow(-2, 0, 9), { UPLO: "U" })], 1e-3);
    // (norms up to ~20: 7 squarings in float32, each doubling the rounding of the small entries)
    // the SVD by the CPU's one-sided Jacobi rotations in the same order: the same U, S, Vh, to a
    // vector's sign (a near-tie may rotate the other way in float32); tall, wide, square past a
    // workgroup's 64 threads; and what is built on it (singular values 1 apart: the gradient
    // divides by their squares' differences)
    const M = LA.qr(torch.randn(2, 70, 70)).Q.mul(torch.linspace(1, 70, 70)).matmul(LA.qr(torch.randn(2, 70, 70)).Q).requires_grad_();
    const svd = (a: Tensor) => {
      const [U, S, Vh] = LA.svd(a, { full_matrices: false }), sg = U!.narrow(-2, 0, 1).sign();
      return [U!.mul(sg), S!, Vh!.mul(sg.mT)];
    };
    sameOnDevice("svd, svdvals, pinv, matrix_rank", [M], (a) => [...svd(a), ...svd(a.narrow(-1, 0, 9)), ...svd(a.narrow(-2, 0, 9)), LA.svdvals(a),
      LA.pinv(a.narrow(-1, 0, 5)), LA.matrix_rank(a.detach())], 1e-3);
    // full_matrices: the columns past min(m, n) (and a zero singular value's) are an orthonormal
    // completion, Householder's here and Gram-Schmidt's on the CPU (LAPACK's is another): compared
    // by what they must satisfy
    for (const [m, n] of [[9, 4], [4, 9]] as const) {
      const Z = torch.cat([torch.randn(m, n - 1), torch.zeros(m, 1)], -1), [U, S, Vh] = LA.svd(Z.to("webgpu"));
      const k = Math.min(m, n), u = U!.cpu(), vh = Vh!.cpu();
      for (const [Q, d] of [[u, m], [vh, n]] as const) assert.ok(Q.mT.matmul(Q).sub(torch.eye(d)).abs().max().item() < 1e-5, "orthonormal");
      assert.ok(u.narrow(-1, 0, k).mul(S!.cpu()).matmul(vh.narrow(-2, 0, k)).sub(Z).abs().max().item() < 1e-5, "A = U S Vh");
      assert.ok(S!.cpu().sub(LA.svd(Z)[1]!).abs().max().item() < 1e-5, "S");
    }
    sameOnDevice("matrix_exp", [torch.randn(3, 6, 6).mul(torch.tensor([0.1, 1, 4]).reshape(3, 1, 1)).requires_grad_()], (a) => LA.matrix_exp(a), 1e-3);
    // singular matrices: info on the device, read back only by the ops that raise
    const sing = torch.tensor([[[1, 2], [2, 4]], [[1, 0], [0, 1]]], { device: "webgpu" });
    torch.webgpu.reset_stats();
    const [, , info] = LA.lu_factor_ex(sing);
    LA.det(sing); LA.slogdet(sing); LA.inv_ex(sing);
    assert.equal(torch.webgpu.stats().readbacks, 0);
    assert.deepEqual(info!.tolist(), [2, 0]);
    assert.deepEqual(LA.det(sing).tolist(), [-0, 1]); // (PyTorch's -0: a row swap, then a zero pivot)
    assert.deepEqual(LA.slogdet(sing).sign.tolist(), [-0, 1]);
    assert.ok(LA.inv_ex(sing).inverse.select(0, 0).isnan().all().item());
    for (const [f, msg] of [
      [() => LA.inv(sing), "linalg.inv: (Batch element 0): The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular."],
      [() => LA.solve(sing, torch.ones(2, 2, 1, { device: "webgpu" })), "torch.linalg.solve: (Batch element 0): The solver failed because the input matrix is singular."],
      [() => LA.cholesky(torch.tensor([[1, 0], [0, -1]], { device: "webgpu" })), "linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite)."],
    ] as const) assert.throws(f, { message: msg });
    assert.deepEqual(LA.cholesky_ex(torch.tensor([[4, 2], [2, -1]], { device: "webgpu" })).info.tolist(), 2);
  });

  test("factorizations, solves and sums longer than llvmpipe's loop limit, in several dispatches (Note [llvmpipe's loop limit])", () => {
    // (in one dispatch each of these computed garbage on Mesa's llvmpipe: LU past ~130 rows, the
    // triangular solve past ~360, eigh's 30 sweeps past ~25, layer norm's affine gradients past
    // 65,535 rows)
    torch.manual_seed(1);
    const LA = torch.linalg;
    const A = torch.randn(160, 160).add(torch.eye(160).mul(30)), B = torch.randn(400, 2);
    const T = torch.randn(400, 400).mul(0.01).add(torch.eye(400)).triu();
    const Q = LA.qr(torch.randn(60, 60)).Q, sym = Q.mul(torch.linspace(-30, 40, 60)).matmul(Q.mT);
    sameOnDevice("lu_factor, qr, cholesky of 160 × 160", [A], (a) => [...LA.lu_factor(a), ...LA.qr(a), LA.cholesky(a.matmul(a.mT))], 1e-4);
    sameOnDevice("solve_triangular of 400 × 400", [T, B], (t, b) => LA.solve_triangular(t, b!, { upper: true }), 1e-4);
    sameOnDevice("eigh of 60 × 60", [sym], (a) => [...LA.eigh(a)], 1e-3);
    // layer norm's weight and bias gradients, a thread a column summing 70,000 rows (their float32
    // sums in order: 3e-4 relative from the CPU's)
    const ln = (device: string) => {
      const m = new nn.LayerNorm(4).to(device);
      F.layer_norm(torch.linspace(-3, 3, 280000).reshape(70000, 4).to(device), [4], m.weight, m.bias).mul(torch.tensor([-1, -0.25, 0.5, 1], { device })).sum().backward();
      return [m.weight!.grad!.cpu(), m.bias!.grad!.cpu()];
    };
    const [cw, cb] = ln("cpu"), [gw, gb] = ln("webgpu");
    assert.ok(gw!.sub(cw!).abs().max().item() < 1e-3 * cw!.abs().max().item() && gb!.sub(cb!).abs().max().item() < 1e-3 * cb!.abs().max().item(), `${gb} on the device, ${cb} on the CPU`);
  });

  test("binary_cross_entropy on the device: reductions, weights, predictions of 0 and 1, the range checked", () => {
    torch.manual_seed(0);
    const x = torch.rand(4, 5).mul(0.98).add(0.01).index_put_([torch.tensor([0n, 1n]), torch.tensor([0n, 1n])], torch.tensor([0, 1])).requires_grad_();
    const y = torch.rand(4, 5), w = torch.rand(5);
    sameOnDevice("binary_cross_entropy", [x, y, w], (a, b, c) => [F.binary_cross_entropy(a, b!), F.binary_cross_entropy(a, b!, { reduction: "sum", weight: c! }),
      F.binary_cross_entropy(a.detach(), b!, { reduction: "none" })]);
    assert.throws(() => F.binary_cross_entropy(torch.tensor([0.5, 1.5], { device: "webgpu" }), torch.tensor([1, 0], { device: "webgpu" })),
      { message: "all elements of input should be between 0 and 1" });
  });

  test("isclose of integers and repeat_interleave with a tensor of repeats on the device", () => {
    const a = torch.tensor([1n, 2n, 100000n, -5n, 2147483647n], { dtype: torch.int32 }), b = torch.tensor([1n, 3n, 100001n, 5n, -2147483648n], { dtype: torch.int32 });
    for (const [rtol, atol] of [[1e-5, 1e-8], [0.1, 0], [0, 1], [0, 0]] as const) sameOnDevice(`isclose(rtol ${rtol}, atol ${atol})`, [a, b], (x, y) => torch.isclose(x, y!, rtol, atol));
    const x = torch.randn(4, 3, { requires_grad: true }), r = torch.tensor([2n, 0n, 3n, 1n]);
    sameOnDevice("repeat_interleave", [x, r], (t, k) => [t.repeat_interleave(k!, 0), torch.repeat_interleave(k!), t.repeat_interleave(k!.narrow(0, 0, 1), 1, { output_size: 6 })]);
    torch.webgpu.reset_stats();
    torch.repeat_interleave(r.to("webgpu"));
    assert.equal(torch.webgpu.stats().readbacks, 1); // the counts' sum and least, at once
    assert.throws(() => torch.repeat_interleave(torch.tensor([1n, -1n], { device: "webgpu" })), { message: "repeats can not be negative" });
  });

  test("layer norm keeps its statistics on the device: forward and backward read nothing back", () => {
    torch.manual_seed(0);
    const x = torch.randn(6, 5, 300, { requires_grad: true }), w = torch.randn(300, { requires_grad: true }), b = torch.randn(300, { requires_grad: true });
    sameOnDevice("layer_norm", [x, w, b], (a, ww, bb) => [F.layer_norm(a, [300], ww, bb), F.layer_norm(a.transpose(0, 1), [300]), F.layer_norm(a, [5, 300])], 1e-5);
    const g = x.detach().to("webgpu").requires_grad_(), gw = w.detach().to("webgpu").requires_grad_();
    torch.webgpu.synchronize();
    torch.webgpu.reset_stats();
    F.layer_norm(g, [300], gw).square().sum().backward();
    torch.webgpu.synchronize();
    assert.equal(torch.webgpu.stats().readbacks, 0);
    // the gradient's gradient: the composed backward, on the device too
    const [gx] = torch.autograd.grad([F.layer_norm(g, [300], gw).pow(3).sum()], [g], { create_graph: true });
    const [cx] = torch.autograd.grad([F.layer_norm(x, [300], w).pow(3).sum()], [x], { create_graph: true });
    assert.ok(gx!.square().sum().sub(cx!.square().sum().to("webgpu")).abs().item() as number < 1e-2 * (cx!.square().sum().item() as number));
  });

  test("var, std, var_mean and std_mean from the device's reductions", () => {
    torch.manual_seed(0);
    const x = torch.randn(4, 7, 5, { requires_grad: true });
    sameOnDevice("var, std", [x], (a) => [a.var(1), a.std([0, 2], { keepdim: true }), a.var(), a.std(2, { correction: 0 }), ...torch.var_mean(a, 1), ...torch.std_mean(a, [1, 2], { keepdim: true })], 1e-5);
  });

  test("the MNIST CNN (bench B6) trains on the device as on the CPU, with no fallback and one readback a step", () => {
    // B6's layers and optimizer at a smaller size (12x12 images, fewer channels), so llvmpipe is quick
    const run = (device: string): number[] => {
      torch.manual_seed(0);
      const conv1 = new nn.Conv2d(1, 8, 3, 1), conv2 = new nn.Conv2d(8, 16, 3, 1);
      const drop1 = new nn.Dropout(0.25), drop2 = new nn.Dropout(0.5), fc1 = new nn.Linear(256, 32), fc2 = new nn.Linear(32, 10);
      const model = new nn.ModuleList([conv1, conv2, drop1, drop2, fc1, fc2]).to(device);
      const forward = (x: Tensor) => {
        let h = F.relu(conv2.forward(F.relu(conv1.forward(x))));
        h = drop1.forward(F.max_pool2d(h, 2)).flatten(1);
        return F.log_softmax(fc2.forward(drop2.forward(F.relu(fc1.forward(h)))), 1);
      };
      const x = torch.randn(6, 1, 12, 12, { device }), y = torch.randint(0, 10, [6], { device });
      const opt = new optim.Adadelta(model.parameters(), { lr: 1.0 });
      if (device === "webgpu") torch.webgpu.reset_stats();
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        opt.zero_grad();
        const loss = F.nll_loss(forward(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      return losses;
    };
    const cpu = run("cpu"), gpu = run("webgpu"), s = torch.webgpu.stats();
    assert.deepEqual(s.fallbacks, {});
    assert.equal(s.readbacks, gpu.length);
    gpu.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-5, `step ${i}: ${l} on the device, ${cpu[i]} on the CPU`));
  });
}
