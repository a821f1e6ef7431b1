// Tensor.share_memory_ / is_shared and nn.Module.share_memory (Note [Shared memory]: storage in a
// SharedArrayBuffer that a worker thread sees), and torch.set_default_device / get_default_device
// (Note [Default device]). Expected behaviour is PyTorch 2.x's, written out by hand: a shared
// storage moves in place for every view, cannot grow, and factories follow the default device
// while tensors over existing memory and *_like ones do not.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import torch from "typetorch";

test("share_memory_ moves the storage into a SharedArrayBuffer, for every view, in place", () => {
  const x = torch.arange(12).reshape(3, 4), row = x.select(0, 1);
  assert.equal(x.is_shared(), false);
  assert.equal(x.share_memory_(), x);
  assert.equal(x.is_shared(), true);
  assert.equal(row.is_shared(), true);
  assert.ok((x.numpy().data as Float32Array).buffer instanceof SharedArrayBuffer);
  // values and ops as before
  assert.deepEqual(row.tolist(), [4, 5, 6, 7]);
  assert.deepEqual(x.matmul(x.T).diagonal().tolist(), [14, 126, 366]);
  const v = x._version;
  assert.equal(x.share_memory_(), x); // already shared: nothing moves
  assert.equal(x._version, v);
  const big = torch.arange(4, { dtype: torch.int64 }).share_memory_();
  assert.deepEqual(big.add(1).tolist(), [1, 2, 3, 4]);
});

test("a worker thread sees and writes a shared tensor's memory", async () => {
  const x = torch.zeros(2, 3).share_memory_();
  const data = x.numpy().data as Float32Array;
  const w = new Worker(`const { parentPort, workerData } = require("node:worker_threads");
    workerData[4] = 7; parentPort.postMessage(workerData[0]);`, { eval: true, workerData: data });
  x.index_put_([torch.tensor(0n), torch.tensor(0n)], torch.tensor(2.5));
  const seen = await new Promise((resolve) => w.once("message", resolve));
  await w.terminate();
  assert.ok(seen === 0 || seen === 2.5);
  assert.deepEqual(x.tolist(), [[2.5, 0, 0], [0, 7, 0]]);
  // a tensor made over the same memory (as a worker would make it) shares it
  const y = torch.from_numpy({ data, shape: [6] });
  y.fill_(1);
  assert.deepEqual(x.sum().item(), 6);
});

test("a shared storage cannot grow; shrinking keeps it", () => {
  const x = torch.zeros(3).share_memory_();
  assert.throws(() => x.resize_(10), { message: "Trying to resize storage that is not resizable" });
  assert.deepEqual(x.shape, [3]);
  x.resize_(2);
  assert.deepEqual(x.shape, [2]);
  assert.ok(x.is_shared());
});

test("nn.Module.share_memory shares every parameter and buffer, parameters keeping their identity", () => {
  const m = new torch.nn.Sequential(new torch.nn.Linear(2, 3), new torch.nn.BatchNorm1d(3));
  const w = m.get_submodule("0").get_parameter("weight"), before = w.tolist();
  assert.equal(m.share_memory(), m);
  assert.equal(m.get_submodule("0").get_parameter("weight"), w);
  assert.deepEqual(w.tolist(), before);
  for (const p of m.parameters()) assert.ok(p.is_shared());
  for (const b of m.buffers()) assert.ok(b.is_shared());
});

test("set_default_device / get_default_device", () => {
  assert.equal(String(torch.get_default_device()), "cpu");
  try {
    torch.set_default_device("cpu");
    assert.equal(String(torch.get_default_device()), "cpu");
    assert.equal(String(torch.zeros(2).device), "cpu");
    assert.throws(() => torch.set_default_device("foo"), /Expected one of cpu, cuda, .* device type at start of device string: foo/);
    // (PyTorch checks the device where a tensor is made on it)
    torch.set_default_device("cuda");
    assert.throws(() => torch.zeros(1), /Torch not compiled with CUDA enabled/);
    assert.throws(() => torch.get_default_device(), /Torch not compiled with CUDA enabled/);
    assert.equal(String(torch.from_numpy({ data: new Float32Array(2), shape: [2] }).device), "cpu");
    assert.equal(String(torch.frombuffer(new Float32Array(2).buffer, { dtype: torch.float32 }).device), "cpu");
  } finally {
    torch.set_default_device(null);
  }
  assert.equal(String(torch.get_default_device()), "cpu");
  assert.equal(String(torch.ones(1).device), "cpu");
});

test("set_default_device('webgpu'): the factories make tensors there, _like ones follow their input", { skip: !torch.webgpu.is_available() && "WebGPU is not available" }, () => {
  try {
    torch.set_default_device("webgpu");
    assert.equal(String(torch.get_default_device()), "webgpu:0");
    for (const t of [torch.zeros(2), torch.ones(2, 2), torch.randn(3), torch.tensor([1, 2]), torch.arange(3), torch.full([2], 7), torch.eye(2), torch.empty_strided([2], [1])])
      assert.equal(String(t.device), "webgpu:0");
    const c = torch.zeros(2, { device: "cpu" });
    assert.equal(String(c.device), "cpu");
    assert.equal(String(torch.zeros_like(c).device), "cpu");
    assert.equal(String(c.new_ones([3]).device), "cpu");
    assert.equal(torch.full([2], 7).is_shared(), true);
    assert.deepEqual(torch.full([2], 7).cpu().tolist(), [7, 7]);
  } finally {
    torch.set_default_device(null);
  }
});
