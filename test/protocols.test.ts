// Python's protocols, the JavaScript way (shared/API.md §2): len(x) is x.length, tensors iterate
// over dim 0, datasets take slices and index tensors, a custom Function's apply works off its
// class. Expected results from PyTorch 2.x: tools/gen_golden_signatures.py wrote
// test/golden/protocols.json.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "typetorch";
import { checkResult, readGolden, type GoldenResult } from "./helpers.js";

const golden = readGolden<{ cases: Record<string, GoldenResult> }>("protocols.json").cases;
const x = torch.arange(6).view(2, 3);
const ds = new torch.utils.data.TensorDataset(torch.arange(10).view(10, 1), torch.arange(10, { dtype: torch.int64 }));

/** The custom Function of PyTorch's polynomial-fitting tutorial. */
class LegendrePolynomial3 extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, input: torch.Tensor): torch.Tensor {
    ctx.save_for_backward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static override backward(ctx: torch.autograd.FunctionCtx, grad_output: torch.Tensor): torch.Tensor {
    const [input] = ctx.saved_tensors;
    return grad_output.mul(1.5).mul(input!.pow(2).mul(5).sub(1));
  }
}

const CASES: Record<string, () => unknown> = {
  len_2d: () => x.length,
  len_0d: () => torch.tensor(1).length,
  iter_rows: () => [...x],
  iter_0d: () => Array.from(torch.tensor(1)),
  unpack: () => { const [a, b] = x; return [b, a]; },
  dataset_len: () => ds.length,
  dataset_int: () => ds.__getitem__(3),
  dataset_slice: () => ds.__getitem__(torch.slice(2, 5)),
  dataset_slice_step: () => ds.__getitem__(torch.slice(1, 8, 3)),
  dataset_index_tensor: () => ds.__getitem__(torch.tensor([0n, 9n, 4n])),
  dataset_index_list: () => ds.__getitem__([1, 2]),
  function_apply_detached: () => {
    const P3 = LegendrePolynomial3.apply;
    const t = torch.tensor([0.5, -1.0, 2.0], { requires_grad: true });
    const out = P3(t) as torch.Tensor;
    out.sum().backward();
    return [out.detach(), t.grad];
  },
};

test("every case of the golden file has its TypeScript call", () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(golden).sort());
});

for (const [name, call] of Object.entries(CASES))
  test(`protocols: ${name}`, () => checkResult(golden[name]!, call, name));

test("for..of and Array.from give views of the rows, as Python's iteration (unbind) does", () => {
  const rows: torch.Tensor[] = [];
  for (const row of x) rows.push(row);
  assert.equal(rows.length, 2);
  assert.equal(rows[1]!._storage, x._storage);
  assert.deepEqual(Array.from(x).map((r) => r.tolist()), x.tolist());
});
