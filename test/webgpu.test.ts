// The WebGPU device: the op databases' cases (ops, shape, math, linalg) run on it against PyTorch's results
// (none falling back to the CPU), the device's
// API (torch.webgpu, to/cpu, factories, printing, errors), and an MLP trained on it step for step
// as on the CPU with no fallback. Without an adapter (no `webgpu` package, no GPU and no Mesa) the
// tests skip, saying why. They run once: under TYPETORCH_BACKEND=wasm|ts (npm test's other passes)
// only the CPU's kernels change, which the device does not use.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { nn, type Tensor } from "typetorch";
import { OPS } from "./opdb.js";
import { OPS_SHAPE } from "./opdb_shape.js";
import { OPS_MATH } from "./opdb_math.js";
import { OPS_LINALG } from "./opdb_linalg.js";
import { runOpDb, WEBGPU } from "./opdb_runner.js";
import { webgpuWorkload } from "./browser/webgpu_workload.js";

const skip = process.env["TYPETORCH_BACKEND"] ? "the device's kernels do not depend on the CPU backend: they run in the default pass only"
  : torch.webgpu.is_available() ? false : `no WebGPU adapter here (${torch.webgpu.unavailable_reason()})`;

if (skip) test("webgpu", { skip }, () => {});
else {
  test("the device: names, printing, moving, factories", () => {
    assert.equal(torch.webgpu.device_count(), 1);
    const x = torch.tensor([[1, 2], [3, 4]], { device: "webgpu" });
    assert.equal(String(x.device), "webgpu:0");
    assert.equal(String(x), "tensor([[1., 2.],\n        [3., 4.]], device='webgpu:0')");
    assert.equal(String(torch.device("webgpu")), "webgpu");
    assert.equal(x.to("cpu").device.type, "cpu");
    assert.deepEqual(x.cpu().tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(x.tolist(), [[1, 2], [3, 4]]);
    assert.equal(x.sum().item(), 10);
    for (const t of [torch.zeros(2, 3, { device: "webgpu" }), torch.ones([2], { device: "webgpu:0" }), torch.full([2], 7, { device: torch.device("webgpu") }),
      torch.randn(3, { device: "webgpu" }), torch.arange(4, { device: "webgpu" }), torch.zeros_like(x), torch.rand_like(x)])
      assert.equal(String(t.device), "webgpu:0");
    assert.deepEqual(torch.full([2], 7, { device: "webgpu" }).tolist(), [7, 7]);
    // the same seed gives the same numbers on either device (drawn on the CPU's generator)
    torch.webgpu.manual_seed(3); const a = torch.randn(4, { device: "webgpu" });
    torch.manual_seed(3); assert.deepEqual(a.tolist(), torch.randn(4).tolist());
    // int64 lives as int32 on the device (Note [WebGPU element types])
    assert.deepEqual(torch.tensor([1n, -2n]).to("webgpu").add(1).tolist(), [2, -1]);
    assert.throws(() => torch.tensor([2n ** 40n]).to("webgpu"), /does not fit on the webgpu device/);
    assert.throws(() => torch.ones(2, { dtype: torch.float64, device: "webgpu" }), /WebGPU doesn't support float64/);
    assert.throws(() => torch.ones(2, { device: "webgpu:1" }), /one webgpu device/);
  });

  test("operands on two devices: PyTorch's error", () => {
    const g = torch.ones(3, { device: "webgpu" }), c = torch.ones(3);
    const msg = "Expected all tensors to be on the same device, but found at least two devices, webgpu:0 and cpu!";
    assert.throws(() => g.add(c), { message: msg });
    assert.throws(() => torch.matmul(torch.ones(2, 3), torch.ones(3, 2, { device: "webgpu" })), { message: msg });
    // a CPU tensor of zero dims joins a device op, as in PyTorch
    assert.deepEqual(g.mul(torch.tensor(2)).tolist(), [2, 2, 2]);
    // copies cross devices
    assert.deepEqual(g.clone().copy_(torch.tensor([1, 2, 3])).tolist(), [1, 2, 3]);
  });

  test("reading back without blocking, synchronize, memory", async () => {
    const x = torch.arange(6, { device: "webgpu" }).reshape(2, 3).mul(2);
    assert.deepEqual(await x.tolist_async(), [[0, 2, 4], [6, 8, 10]]);
    assert.equal(await x.sum().item_async(), 30);
    assert.equal((await x.cpu_async()).device.type, "cpu");
    torch.webgpu.synchronize();
    await torch.webgpu.synchronize_async();
    const before = torch.webgpu.memory_allocated();
    const big = torch.zeros(1 << 20, { device: "webgpu" });
    assert.ok(torch.webgpu.memory_allocated() >= before + 4 * (1 << 20));
    assert.ok(torch.webgpu.max_memory_allocated() >= torch.webgpu.memory_allocated());
    assert.equal(big.sum().item(), 0);
    torch.webgpu.empty_cache();
  });

  test("an MLP trains on the device as on the CPU, with no fallback and one readback a step", async () => {
    const cpu = await webgpuWorkload("cpu");
    torch.webgpu.reset_stats();
    const gpu = await webgpuWorkload("webgpu");
    const s = torch.webgpu.stats();
    assert.deepEqual(s.fallbacks, {});
    assert.equal(s.readbacks, gpu.length);
    gpu.forEach((l, i) => assert.ok(Math.abs(l - cpu[i]!) < 1e-5, `step ${i}: ${l} on the device, ${cpu[i]} on the CPU`));
  });

  test("convolution, batch norm, layer norm, embedding and attention on the device as on the CPU", () => {
    const F = nn.functional;
    const run = (device: string): number[] => {
      torch.manual_seed(0);
      const cnn = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1, stride: 2 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 5)).to(device);
      const emb = new nn.Embedding(20, 8).to(device), ln = new nn.LayerNorm(8).to(device);
      const x = torch.randn(3, 1, 8, 8, { device }), y = torch.randint(0, 5, [3], { device }), tok = torch.randint(0, 20, [2, 5], { device });
      const h = ln.forward(emb.forward(tok));
      const loss = F.cross_entropy(cnn.forward(x) as Tensor, y).add(F.scaled_dot_product_attention(h, h, h, { is_causal: true }).square().mean());
      loss.backward();
      const params = [...cnn.parameters(), ...emb.parameters(), ...ln.parameters()];
      return [loss.item(), ...params.map((p) => p.grad!.abs().sum().item())];
    };
    const cpu = run("cpu");
    torch.webgpu.reset_stats();
    const gpu = run("webgpu");
    assert.deepEqual(torch.webgpu.stats().fallbacks, {});
    gpu.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]!) <= 1e-4 * Math.max(1, Math.abs(cpu[i]!)), `figure ${i}: ${v} on the device, ${cpu[i]} on the CPU`));
  });

  test("memory levels off in a synchronous loop (Note [Collecting device memory])", () => {
    // 4 MB a step, dropped at once: without collecting, 400 MB
    for (let i = 0; i < 100; i++) torch.zeros(1 << 20, { device: "webgpu" }).add_(1);
    torch.webgpu.synchronize();
    assert.ok(torch.webgpu.memory_reserved() < 160e6, `${torch.webgpu.memory_reserved()} bytes reserved`);
  });

  // the op databases, their CPU fallbacks counted (Note [Device fallback]): none, every case runs
  // on the device's kernels
  test("op databases: fallbacks counted from here", () => torch.webgpu.reset_stats());
  runOpDb("ops.json", OPS, WEBGPU);
  runOpDb("shape.json", OPS_SHAPE, WEBGPU);
  runOpDb("math.json", OPS_MATH, WEBGPU);
  runOpDb("linalg.json", OPS_LINALG, WEBGPU);
  test("op databases: no op fell back to the CPU", (t) => {
    const f = torch.webgpu.stats().fallbacks;
    t.diagnostic(`${Object.keys(f).length} ops fell back: ${Object.entries(f).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    assert.deepEqual(f, {});
  });
}
