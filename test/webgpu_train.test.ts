// The bench's models' training steps on the WebGPU device (B6's Adadelta, B7's GELU, B8's LSTM
// language model with gradient clipping and its plain SGD update), small: each runs a few steps on
// the device and on the CPU, with the same losses and gradients, no CPU fallback and no readback
// but the loss's; and the project's main job, `npm run main -- --device webgpu`, printing what it
// prints on the CPU. Skipped, saying why, without an adapter (as test/webgpu.test.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import torch, { nn, optim, type Tensor } from "typetorch";

const skip = process.env["TYPETORCH_BACKEND"] ? "the device's kernels do not depend on the CPU backend: they run in the default pass only"
  : torch.webgpu.is_available() ? false : `no WebGPU adapter here (${torch.webgpu.unavailable_reason()})`;
const F = nn.functional;

/** Runs `train` (returning its figures: losses read with item(), gradient sums …) on the CPU and on
 *  the device, and checks they agree, that nothing fell back, and that the device read back only
 *  `readbacks` values. */
function sameOnDevice(train: (device: string) => number[], readbacks: number, rtol = 1e-4): void {
  const cpu = train("cpu");
  torch.webgpu.reset_stats();
  const gpu = train("webgpu");
  const s = torch.webgpu.stats();
  assert.deepEqual(s.fallbacks, {});
  assert.equal(s.readbacks, readbacks);
  gpu.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]!) <= rtol * Math.max(1, Math.abs(cpu[i]!)), `figure ${i}: ${v} on the device, ${cpu[i]} on the CPU`));
}

/** The figures of a model after training: each parameter's sum (read after the steps). */
const paramSums = (m: nn.Module): number[] => [...m.parameters()].map((p) => p.sum().item());

if (skip) test("webgpu training", { skip }, () => {});
else {
  test("npm run main -- --device webgpu prints the CPU's losses and accuracy", async () => {
    const root = fileURLToPath(new URL("..", import.meta.url)), dir = mkdtempSync(join(tmpdir(), "tt-main-"));
    /** examples/train_mnist.ts's stdout for one epoch on `device`, as `npm run main` runs it */
    const main = (device: string) => new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--conditions=source", "--import", "tsx", "examples/train_mnist.ts", "--epochs", "1", "--device", device, "--out", join(dir, `${device}.safetensors`)],
        { cwd: root, maxBuffer: 16 << 20, timeout: 240_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    // (the progress line's throughput differs, the rest is the same text: model, loss, accuracy)
    const lines = (out: string) => out.split(/\r|\n/).filter((l) => l && !l.startsWith("saved weights"))
      .map((l) => l.replace(/\s+\d+ samples\/s$/, ""));
    const [cpu, gpu] = [lines(await main("cpu")), lines(await main("webgpu"))];
    assert.ok(cpu.some((l) => /^test accuracy: \d/.test(l)), "the CPU's run reports its accuracy");
    assert.deepEqual(gpu.filter((l) => !/^(Warning|\s+at |MNIST)/.test(l)), cpu.filter((l) => !/^MNIST/.test(l)));
  });

  test("B8's LSTM language model: embedding, LSTM cells, dropout, clip_grad_norm_ and p.add_(g, alpha) on the device", () => {
    const [V, E, H, T, B] = [50, 12, 16, 5, 3];
    const train = (device: string): number[] => {
      torch.manual_seed(0);
      const enc = new nn.Embedding(V, E), rnn = new nn.LSTM(E, H, 2, { dropout: 0.2 }), dec = new nn.Linear(H, V), drop = new nn.Dropout(0.2);
      const model = new nn.ModuleList([enc, rnn, dec]).to(device);
      const data = torch.randint(0, V, [T, B], { device }), targets = torch.randint(0, V, [T * B], { device });
      let hidden: [Tensor, Tensor] = [torch.zeros(2, B, H, { device }), torch.zeros(2, B, H, { device })];
      const losses: number[] = [], norms: Tensor[] = [];
      for (let i = 0; i < 3; i++) {
        hidden = [hidden[0].detach(), hidden[1].detach()];
        model.zero_grad();
        const [out, h] = rnn.forward(drop.forward(enc.forward(data)), hidden) as [Tensor, [Tensor, Tensor]];
        hidden = h;
        const loss = F.nll_loss(F.log_softmax(dec.forward(drop.forward(out)).view(-1, V), 1), targets);
        loss.backward();
        norms.push(nn.utils.clip_grad_norm_(model.parameters(), 0.25));
        for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -20 });
        losses.push(loss.item());
      }
      // (read after the steps: inside them only the loss is read)
      return [...losses, ...norms.map((n) => n.item()), ...paramSums(model)];
    };
    // the losses, the norms and each parameter's sum (the tokens' indices came from the CPU and keep
    // their CPU copy: embedding checks them without reading them back)
    sameOnDevice(train, 3 + 3 + 11);
  });

  test("the LSTM cell's kernels: gradients of h alone, of c alone, and of both", () => {
    const train = (device: string): number[] => {
      torch.manual_seed(0);
      const cell = new nn.LSTMCell(5, 7).to(device);
      const x = torch.randn(3, 5, { device }), h = torch.randn(3, 7, { device }), c = torch.randn(7, 3, { device }).t(); // (a strided state)
      return [(hc: Tensor[]) => hc[0]!.sum(), (hc: Tensor[]) => hc[1]!.sum(), (hc: Tensor[]) => hc[0]!.mul(hc[1]!).sum()].flatMap((f) => {
        cell.zero_grad();
        f(cell.forward(x, [h, c]) as Tensor[]).backward();
        return [...cell.parameters()].map((p) => p.grad!.abs().sum().item());
      });
    };
    sameOnDevice(train, 12);
  });

  test("the GRU cell's kernels: a 2-layer GRU on a strided state, and a cell", () => {
    const train = (device: string): number[] => {
      torch.manual_seed(0);
      const gru = new nn.GRU(5, 6, 2).to(device), cell = new nn.GRUCell(5, 6).to(device);
      const x = torch.randn(4, 3, 5, { device }), h0 = torch.randn(3, 2, 6, { device }).transpose(0, 1);
      const [out, hn] = gru.forward(x, h0) as [Tensor, Tensor];
      out.square().sum().add(hn.sum()).add(cell.forward(x.select(0, 0), hn.unbind(0)[1]!).mul(x.narrow(2, 0, 1).select(0, 1)).sum()).backward();
      return [...gru.parameters(), ...cell.parameters()].map((p) => p.grad!.abs().sum().item());
    };
    sameOnDevice(train, 12);
  });

  test("B6's Adadelta, B7's GELUs (exact and tanh), clamp and vector norms on the device", () => {
    const train = (device: string): number[] => {
      torch.manual_seed(0);
      const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.GELU(), new nn.Flatten(), new nn.Linear(4 * 6 * 6, 16), new nn.GELU({ approximate: "tanh" }), new nn.Linear(16, 10)).to(device);
      const opt = new optim.Adadelta(model.parameters(), { lr: 1.0, weight_decay: 0.01 });
      const x = torch.randn(6, 1, 8, 8, { device }), y = torch.randint(0, 10, [6], { device });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        opt.zero_grad();
        const loss = F.nll_loss(F.log_softmax(model.forward(x) as Tensor, 1).clamp(-30, 0), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      const w = [...model.parameters()][0]!;
      const norms = [2, 1, Infinity, -Infinity, 0, 3].map((p) => torch.linalg.vector_norm(w, p).item());
      const rows = torch.linalg.vector_norm(w.view(4, -1), 2, 1, true);
      return [...losses, ...norms, ...(rows.tolist() as number[][]).flat(), w.clamp({ min: 0 }).sum().item(), w.clamp({ max: 0 }).sum().item(), ...paramSums(model)];
    };
    sameOnDevice(train, 3 + 6 + 1 + 2 + 6);
  });
}

/** pow over a grid of edge values, as PyTorch 2.x computes it (C's pow: 1 ** NaN is 1, (-1) ** inf
 *  is 1, (-0) ** 0.5 is 0, (-inf) ** 0.5 is inf), printed by torch.pow of these tensors. */
const POW_A = [NaN, Infinity, -Infinity, 0, -0, 2, -2, -1, 1, 0.5], POW_B = [NaN, Infinity, -Infinity, 0, 3, -3, 0.5, -1];
const nan = NaN, inf = Infinity;
const POW_TORCH = [nan, nan, nan, 1.0, nan, nan, nan, nan, nan, inf, 0.0, 1.0, inf, 0.0, inf, 0.0, nan, inf, 0.0, 1.0, -inf, -0.0, inf, -0.0, nan, 0.0, inf, 1.0, 0.0, inf, 0.0, inf, nan, 0.0, inf, 1.0, -0.0, -inf, 0.0, -inf, nan, inf, 0.0, 1.0, 8.0, 0.125, 1.4142135381698608, 0.5, nan, inf, 0.0, 1.0, -8.0, -0.125, nan, -0.5, nan, 1.0, 1.0, 1.0, -1.0, -1.0, nan, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, nan, 0.0, inf, 1.0, 0.125, 8.0, 0.7071067690849304, 2.0];

test("pow at its edges as PyTorch's, on the CPU and on the device", { skip }, () => {
  for (const device of ["cpu", "webgpu"]) {
    const a = torch.tensor(POW_A, { device }).view(-1, 1), b = torch.tensor(POW_B, { device }).view(1, -1);
    const got = a.pow(b).view(-1).tolist() as number[];
    got.forEach((v, i) => assert.ok(Object.is(v, POW_TORCH[i]) || Math.abs(v - POW_TORCH[i]!) <= 1e-6 * Math.abs(POW_TORCH[i]!),
      `${device}: ${POW_A[Math.floor(i / POW_B.length)]} ** ${POW_B[i % POW_B.length]} = ${v}, PyTorch ${POW_TORCH[i]}`));
  }
});

test("vector norms at NaN and inf as PyTorch's, on the CPU and on the device", { skip }, () => {
  // torch.linalg.vector_norm(torch.tensor([nan, 1., 0.]), p) for p = 0, inf, -inf; [inf, 1., 0.] for p = 2, 3
  const cases: [number[], number, number][] = [[[NaN, 1, 0], 0, 2], [[NaN, 1, 0], Infinity, NaN], [[NaN, 1, 0], -Infinity, NaN], [[Infinity, 1, 0], 2, Infinity], [[Infinity, 1, 0], 3, Infinity]];
  for (const device of ["cpu", "webgpu"])
    for (const [x, p, want] of cases) assert.ok(Object.is(torch.linalg.vector_norm(torch.tensor(x, { device }), p).item(), want), `${device}: the ${p}-norm of [${x}]`);
});
