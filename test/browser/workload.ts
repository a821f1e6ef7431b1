// The work test/browser.test.ts runs twice, in Node and in a headless Chromium page, comparing the
// two: seeded tensors, a matmul and a convolution big enough for the WebAssembly kernels (on worker
// threads where the page may share memory), a few training steps with autograd and an optimizer,
// printing, and an error. Only what a user's program touches: the public API.

import torch from "typetorch";

export interface WorkloadResult {
  threads: number;
  matmul: number[];
  conv: { out: number[]; grad_x: number[]; grad_w: number[] };
  losses: number[];
  repr: string;
  error: string;
}

/** The first and last few and a sum of a tensor's values: enough to catch a wrong kernel. */
function digest(t: torch.Tensor): number[] {
  const v = Array.from(t.detach().reshape(-1).tolist() as number[]);
  return [...v.slice(0, 8), ...v.slice(-8), v.reduce((a, b) => a + b, 0)];
}

export function workload(): WorkloadResult {
  torch.set_num_threads(2);
  torch.manual_seed(0);
  const a = torch.randn(300, 200), b = torch.randn(200, 260);
  const matmul = digest(a.matmul(b));

  const x = torch.randn(8, 3, 20, 20, { requires_grad: true }), w = torch.randn(16, 3, 3, 3, { requires_grad: true });
  const y = torch.nn.functional.max_pool2d(torch.nn.functional.conv2d(x, w, null, 1, 1).relu(), 2);
  y.sum().backward();
  const conv = { out: digest(y), grad_x: digest(x.grad!), grad_w: digest(w.grad!) };

  const model = new torch.nn.Sequential(new torch.nn.Linear(100, 64), new torch.nn.ReLU(), new torch.nn.Linear(64, 10));
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
  const inputs = torch.randn(32, 100), target = torch.randint(0, 10, [32]);
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    opt.zero_grad();
    const loss = torch.nn.functional.cross_entropy(model.forward(inputs), target);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }

  const p = torch.tensor([[1.5, -2], [0.25, 3]], { requires_grad: true });
  const repr = String(p.mul(2).sum());
  let error = "";
  try { torch.ones(2, 3).matmul(torch.ones(2, 3)); } catch (e) { error = (e as Error).message; }
  return { threads: torch.get_num_threads(), matmul, conv, losses, repr, error };
}
