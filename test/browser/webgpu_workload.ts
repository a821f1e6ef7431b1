// The WebGPU device's workload in a browser (test/webgpu_browser.test.ts): a small MLP trained a
// few steps on `device`, each loss read without blocking, as a page's main thread must.

import torch, { nn, type Tensor } from "typetorch";

export async function webgpuWorkload(device: string): Promise<number[]> {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(12, 16), new nn.ReLU(), new nn.Linear(16, 3)).to(device);
  const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
  const x = torch.randn(8, 12, { device }), y = torch.randint(0, 3, [8], { device });
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    opt.zero_grad();
    const loss = nn.functional.cross_entropy(model.forward(x) as Tensor, y);
    loss.backward();
    opt.step();
    losses.push(await loss.item_async());
  }
  return losses;
}
