// Writes the files tools/check_pt_in_pytorch.py opens in PyTorch: what typetorch's torch.save and
// torch.safetensors write, with what they should hold in manifest.json.
//
//   node --conditions=source --import tsx tools/write_pt_samples.ts /tmp/pt-samples
//   /work/.venv-torch/bin/python tools/check_pt_in_pytorch.py /tmp/pt-samples

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import torch, { type Tensor } from "typetorch";

const dir = process.argv[2] ?? "pt-samples";
mkdirSync(dir, { recursive: true });

/** Elements as exact JSON: float bits as integers, int64 as strings. */
function bits(t: Tensor): (number | string | boolean)[] {
  const c = t.detach().contiguous().clone();
  const d = c._storage.data;
  const at = <A>(C: new (b: ArrayBufferLike, o: number, n: number) => A) => new C(d.buffer, d.byteOffset, c.numel());
  switch (c.dtype) {
    case torch.float16: case torch.bfloat16: return Array.from(at(Int16Array));
    case torch.float32: return Array.from(at(Int32Array));
    case torch.float64: case torch.int64: return Array.from(at(BigInt64Array), String);
    case torch.bool: return Array.from(at(Uint8Array), Boolean);
    default: return Array.from(c.numpy().data as ArrayLike<number>);
  }
}
const describe = (t: Tensor) => ({ dtype: t.dtype.name, shape: t.shape, stride: t.stride(), offset: t.storage_offset(), requires_grad: t.requires_grad, bits: bits(t) });

// A model trained in typetorch, saved as the usual resume checkpoint.
torch.manual_seed(0);
const model = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.BatchNorm1d(8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
const x = torch.randn(16, 4), y = torch.randint(0, 3, [16]);
for (let step = 0; step < 5; step++) {
  opt.zero_grad();
  torch.nn.functional.cross_entropy(model.forward(x), y).backward();
  opt.step();
}
model.eval();
const probe = torch.linspace(-2, 2, 12).reshape(3, 4);
const output = torch.no_grad(() => model.forward(probe));
torch.save({ model: model.state_dict(), optimizer: opt.state_dict(), epoch: 5, probe, note: "typetorch" }, join(dir, "resume.pt"));

// Every dtype, views of one storage, a Parameter, nested containers and scalars.
const base = torch.arange(12).reshape(3, 4);
const tensors: Record<string, Tensor> = {
  f32: torch.tensor([[1.5, -0, NaN], [Infinity, -Infinity, 1e-45]]),
  f64: torch.tensor([Math.PI, -1e300, 5e-324], { dtype: torch.float64 }),
  f16: torch.tensor([1, -0.5, 65504, 6e-8, -Infinity, 0.1], { dtype: torch.float16 }),
  bf16: torch.tensor([1, -3.140625, 1e30, 0.1], { dtype: torch.bfloat16 }),
  i64: torch.tensor([0n, -1n, 2n ** 62n + 12345n, -(2n ** 63n), 2n ** 63n - 1n]),
  i32: torch.tensor([7, -8, 2 ** 31 - 1, -(2 ** 31)], { dtype: torch.int32 }),
  i16: torch.tensor([-32768, 32767, 5], { dtype: torch.int16 }),
  i8: torch.tensor([-128, 127, 0], { dtype: torch.int8 }),
  u8: torch.tensor([0, 255, 17], { dtype: torch.uint8 }),
  bool: torch.tensor([[true, false], [false, true]]),
  scalar: torch.tensor(2.5),
  empty: torch.zeros(0, 3),
  grad: torch.tensor([1, 2]).requires_grad_(),
};
const views = [base, base.t(), base.narrow(0, 1, 2), base.view(-1).narrow(0, 3, 4)];
torch.save({ tensors, views, param: new torch.nn.Parameter(torch.tensor([0.25, -0.5])), nested: { a: [1, 2.5, "s", true, null, 2n ** 70n, -3] },
  dtype: torch.bfloat16, device: torch.device("cpu"), bytes: new Uint8Array([0, 200, 255]), set: new Set([1, 2]), map: new Map<unknown, unknown>([[1.5, "x"]]) }, join(dir, "values.pt"));

// safetensors with metadata, and a sharded checkpoint as huggingface_hub writes it.
const sd = model.state_dict();
torch.safetensors.save_file(sd, join(dir, "weights.safetensors"), { format: "pt", epoch: "5" });
const shards = torch.safetensors.save_torch_state_dict(sd, join(dir, "sharded"), { max_shard_size: 200 });

writeFileSync(join(dir, "manifest.json"), JSON.stringify({
  resume: { output: describe(output), state: Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, describe(t)])) },
  values: { tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, describe(t)])), views: views.map(describe) },
  safetensors_metadata: { format: "pt", epoch: "5" },
  shards,
}, null, 1));
console.log(`wrote ${dir}: resume.pt, values.pt, weights.safetensors, sharded/ (${shards.length} files), manifest.json`);
