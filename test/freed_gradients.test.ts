// Note [Freeing consumed gradients] (src/autograd/engine.ts): the engine hands a gradient's
// storage back to the native allocator once the node it fed has run, where nothing else can reach
// it. The gradients are the same with it and without; what user code is given (hooks,
// retain_grad, autograd.grad, create_graph, custom Functions, a leaf's .grad) stays intact; and on
// the native engine the memory does come back during the pass.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { nn, type Tensor } from "typetorch";
import { _setFreeingConsumed } from "../src/autograd/engine.js";
import { getBackend } from "../src/backends/index.js";
import { nativeBackend } from "../src/backends/native/backend.js";

const { Function } = torch.autograd;
type FunctionCtx = torch.autograd.FunctionCtx;

/** fn with the freeing off (restored after). */
function keeping<T>(fn: () => T): T {
  _setFreeingConsumed(false);
  try { return fn(); } finally { _setFreeingConsumed(true); }
}
const bits = (t: Tensor): number[] => Array.from(new Int32Array(Float32Array.from(t.detach().reshape(-1).tolist() as number[]).buffer));
const sameBits = (a: Tensor, b: Tensor, what: string) => assert.deepEqual(bits(a), bits(b), what);

/** A small LSTM language model and a transformer layer's step: their gradients, in order. */
function modelGrads(): Tensor[] {
  torch.manual_seed(0);
  const emb = new nn.Embedding(300, 32), lstm = new nn.LSTM(32, 48, 2), dec = new nn.Linear(48, 300);
  const block = new nn.TransformerEncoderLayer(32, 4, 64, 0);
  const data = torch.randint(0, 300, [7, 5]), target = torch.randint(0, 300, [35]);
  const [out] = lstm.forward(emb.forward(data));
  const logits = dec.forward(out).view(-1, 300);
  const loss = torch.nn.functional.nll_loss(logits.log_softmax(1), target)
    .add(block.forward(emb.forward(data)).pow(2).mean());
  loss.backward();
  return [...emb.parameters(), ...lstm.parameters(), ...dec.parameters(), ...block.parameters()].map((p) => p.grad!);
}

test("training gradients are the same with the freeing and without", () => {
  const freed = modelGrads(), kept = keeping(modelGrads);
  freed.forEach((g, i) => sameBits(g, kept[i]!, `parameter ${i}`));
});

test("what hooks, retain_grad, autograd.grad and create_graph hand out stays intact", () => {
  const run = () => {
    const x = torch.randn(64, 128).requires_grad_(), w = torch.randn(128, 128).requires_grad_();
    const seen: Tensor[] = [];
    // a leaf's hook keeps the gradient AddBackward also hands to MulBackward
    x.register_hook((g) => { seen.push(g); });
    const h = x.mm(w);
    h.register_hook((g) => { seen.push(g); });
    const r = h.relu();
    r.retain_grad();
    const z = x.add(r.mul(2)).exp().sum();
    z.backward({ retain_graph: true });
    const [gh] = torch.autograd.grad([z], [h], { retain_graph: true });
    const [gx] = torch.autograd.grad([z], [x], { create_graph: true });
    const gg = torch.autograd.grad([gx!.sum()], [w]);
    return [...seen, r.grad!, gh!, gx!, gg[0]!, x.grad!, w.grad!].map((t) => t.detach().clone());
  };
  torch.manual_seed(1);
  const freed = run();
  torch.manual_seed(1);
  const kept = keeping(run);
  freed.forEach((t, i) => sameBits(t, kept[i]!, `tensor ${i}`));
});

test("a custom Function's backward may keep its gradient and return it", () => {
  const kept: Tensor[] = [];
  class Keep extends Function {
    static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.clone(); }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { kept.push(g); return g; }
  }
  const x = torch.randn(256, 64).requires_grad_();
  const y = (Keep.apply(x.mul(3).tanh()) as Tensor).mul(2);
  (Keep.apply(y) as Tensor).sigmoid().sum().backward();
  const want = keeping(() => {
    const x2 = x.detach().requires_grad_();
    const y2 = x2.mul(3).tanh().mul(2);
    y2.sigmoid().sum().backward();
    return x2.grad!;
  });
  assert.equal(kept.length, 2);
  for (const g of kept) assert.ok(Number.isFinite(g.sum().item()));
  sameBits(x.grad!, want, "the gradient through the Functions");
});

test("on the native engine, the gradients handed between nodes go back to the cache during the pass",
  { skip: getBackend() !== "native" ? "memory is the garbage collector's on this backend" : false }, () => {
  const free = nativeBackend.free!;
  let freed = 0;
  nativeBackend.free = (s) => { const ok = free(s); if (ok) freed++; return ok; };
  try {
    const x = torch.randn(128, 128).requires_grad_(), w = torch.randn(128, 128).div(16);
    let y = x;
    for (let i = 0; i < 8; i++) y = y.mm(w).tanh();
    y.sum().backward();
    // each MmBackward uses up the gradient tanh's backward made (or wrote over the one it was
    // given, where it owned it) and makes a new one
    assert.ok(freed >= 8, `${freed} freed`);
    assert.ok(Number.isFinite(x.grad!.sum().item()));
    // and none when the freeing is off
    freed = 0;
    keeping(() => x.mul(1.5).tanh().sum().backward());
    assert.equal(freed, 0);
  } finally {
    nativeBackend.free = free;
  }
});
