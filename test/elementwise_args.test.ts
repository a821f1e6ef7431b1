// Python-to-TypeScript argument forms of elementwise ops (shared/API.md §2).
//
// A number on the left of a binary op (shared/API.md §2: Python's `10 - d` is `torch.sub(10, d)`
// or `d.rsub(10)`) records the graph Python's reflected operator records: the grad_fn names and
// next_functions below are what PyTorch 2.x prints for the same expressions:
//   d = torch.ones(2, requires_grad=True) * 2
//   (10 - d).grad_fn, .next_functions       RsubBackward1  ((<MulBackward0>, 0),)
//   torch.rsub(d, 10)                        RsubBackward1  ((<MulBackward0>, 0),)
//   10 + d                                   AddBackward0   ((<MulBackward0>, 0), (None, 0))
//   3 * d                                    MulBackward0   ((<MulBackward0>, 0), (None, 0))
//   d - 10                                   SubBackward0   ((<MulBackward0>, 0), (None, 0))
//   torch.tensor(10.) - d                    SubBackward0   ((None, 0), (<MulBackward0>, 0))
//   torch.rsub(x, y)                         RsubBackward0  ((<AccumulateGrad>, 0), (<MulBackward0>, 0))
//   torch.pow(2, d)                          PowBackward2   ((<MulBackward0>, 0),)
//   3 / torch.tensor([3., 7., 0.1, 0.])     tensor([ 1.0000,  0.4286, 30.0000,     inf], grad_fn=<MulBackward0>)
//                                            ((<ReciprocalBackward0>, 0), (None, 0)); .item() of 3 / tensor([7.])
//                                            0.4285714626312256 (reciprocal, then × 3); grad after .sum().backward()
//                                            tensor([-3.3333e-01, -6.1224e-02, -3.0000e+02,        -inf])
//   3 / torch.tensor([2, 4])                 tensor([1.5000, 0.7500])
//   torch.rsub(x, 10, alpha=2) → tensor([8., 8.]), x.grad after .sum().backward() tensor([-2., -2.])

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";

const edges = (t: Tensor) => t.grad_fn!.next_functions.map(([n, i]) => `${n === null ? "None" : n.name()}:${i}`).join(" ");

test("number on the left: grad_fn and next_functions as Python's reflected operators", () => {
  const x = torch.ones(2, { requires_grad: true });
  const d = x.mul(2);
  const y = torch.ones(2, { requires_grad: true }).mul(2);
  const cases: [Tensor, string, string][] = [
    [torch.sub(10, d), "RsubBackward1", "MulBackward0:0"],
    [d.rsub(10), "RsubBackward1", "MulBackward0:0"],
    [torch.rsub(d, 10), "RsubBackward1", "MulBackward0:0"],
    [torch.add(10, d), "AddBackward0", "MulBackward0:0 None:0"],
    [torch.mul(3, d), "MulBackward0", "MulBackward0:0 None:0"],
    [torch.sub(d, 10), "SubBackward0", "MulBackward0:0 None:0"],
    [torch.sub(torch.tensor(10), d), "SubBackward0", "None:0 MulBackward0:0"],
    [torch.rsub(x, y), "RsubBackward0", "AccumulateGrad:0 MulBackward0:0"],
    [torch.pow(2, d), "PowBackward2", "MulBackward0:0"],
  ];
  for (const [t, name, next] of cases) {
    assert.equal(t.grad_fn!.name(), name);
    assert.equal(edges(t), next, name);
  }
  assert.deepEqual(torch.sub(10, d).tolist(), [8, 8]);
  assert.deepEqual(torch.add(10, d).tolist(), [12, 12]);
  assert.deepEqual(torch.mul(3, d).tolist(), [6, 6]);
  const p = torch.pow(2, x); // d/dx 2^x = 2^x ln 2
  p.sum().backward();
  assert.deepEqual(p.tolist(), [2, 2]);
  assert.ok(Math.abs((x.grad!.tolist() as number[])[0]! - 2 * Math.LN2) < 1e-6);
});

test("number on the left: values and gradients with alpha", () => {
  const x = torch.ones(2, { requires_grad: true });
  const r = torch.rsub(x, 10, { alpha: 2 });
  assert.equal(String(r), "tensor([8., 8.], grad_fn=<RsubBackward1>)");
  r.sum().backward();
  assert.equal(String(x.grad), "tensor([-2., -2.])");
  x.grad = null;
  const q = torch.sub(10, x, { alpha: 3 }); // 10 - 3x
  q.sum().backward();
  assert.deepEqual(q.tolist(), [7, 7]);
  assert.equal(String(x.grad), "tensor([-3., -3.])");
  // rsub.Tensor: other - alpha·self, gradients to both in PyTorch's edge order
  const a = torch.tensor([1., 2.], { requires_grad: true });
  const b = torch.tensor([5., 7.], { requires_grad: true });
  torch.rsub(a, b, { alpha: 2 }).sum().backward();
  assert.equal(String(a.grad), "tensor([-2., -2.])");
  assert.equal(String(b.grad), "tensor([1., 1.])");
});

// Keyword arguments as one options object (shared/API.md §2): Python's x.clamp(min=0) is
// x.clamp({min: 0}). PyTorch: torch.tensor([-1., 0.5, 2.]).clamp(min=0) → tensor([0.0000, 0.5000, 2.0000]),
// .clamp(max=1) → tensor([-1.0000,  0.5000,  1.0000]).
test("clamp with keyword bounds", () => {
  const x = torch.tensor([-1., 0.5, 2.], { requires_grad: true });
  assert.equal(String(x.clamp({ min: 0 })), "tensor([0.0000, 0.5000, 2.0000], grad_fn=<ClampBackward1>)");
  assert.equal(String(x.clamp({ max: 1 })), "tensor([-1.0000,  0.5000,  1.0000], grad_fn=<ClampBackward1>)");
  assert.deepEqual(torch.clamp(x, { min: 0, max: 1 }).tolist(), [0, 0.5, 1]);
  assert.deepEqual(x.clip({ min: 0 }).tolist(), [0, 0.5, 2]);
  const y = x.detach().clone();
  y.clamp_({ min: 0 });
  assert.deepEqual(y.tolist(), [0, 0.5, 2]);
  x.clamp({ min: 0 }).sum().backward();
  assert.equal(String(x.grad), "tensor([0., 1., 1.])");
});

test("number divided by a tensor: reciprocal, then multiply, as Python's 3 / d", () => {
  const d = torch.tensor([3., 7., 0.1, 0.], { requires_grad: true });
  const r = torch.div(3, d);
  assert.equal(String(r), "tensor([ 1.0000,  0.4286, 30.0000,     inf], grad_fn=<MulBackward0>)");
  assert.equal(edges(r), "ReciprocalBackward0:0 None:0");
  r.sum().backward();
  assert.equal(String(d.grad), "tensor([-3.3333e-01, -6.1224e-02, -3.0000e+02,        -inf])");
  assert.equal(torch.div(3, torch.tensor([7.])).item(), 0.4285714626312256);
  assert.equal(String(torch.div(3, torch.tensor([2n, 4n]))), "tensor([1.5000, 0.7500])");
});
