// torch.finfo / torch.iinfo, torch.backends, torch.accelerator, Tensor.type() and the legacy
// constructors torch.Tensor(...) / torch.FloatTensor(...), against PyTorch 2.x
// (test/golden/torch_misc.json, from tools/gen_golden_torch_misc.py).

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { Tensor } from "typetorch";
import { readGolden, dtypeOf } from "./helpers.js";

interface Err { type: string; message: string }
interface Golden {
  finfo: Record<string, { str: string; bits: number; eps: number; max: number; min: number; tiny: number; smallest_normal: number; resolution: number; dtype: string }>;
  iinfo: Record<string, { str: string; bits: number; max: string; min: string; dtype: string }>;
  info_errors: Record<string, Err>;
  backends: { cudnn: Record<string, unknown>; cuda: { is_built: boolean; matmul: Record<string, boolean> }; mps: Record<string, boolean> };
  accelerator: { is_available: boolean; current_accelerator: null; current_accelerator_checked: null; device_count: number; current_device_index: Err; synchronize: Err };
  type: { names: Record<string, string>; cast_float: string; cast_name: string; same_is_self: boolean; bad_name: Err; quickstart: string };
  numpy: Record<string, string>;
  legacy: Record<string, string> & { errors: Record<string, Err>; isinstance: boolean[]; numpy_shared: boolean[] };
  gradcheck_rng: { gradcheck: boolean; after_gradcheck: number[]; gradgradcheck: boolean; after_gradgradcheck: number[]; gradgradcheck_one_input: boolean; after_second: number[] };
}
const G = readGolden<Golden>("torch_misc.json");

const throwsLike = (fn: () => unknown, e: Err): void => {
  assert.throws(fn, (err: Error) => err.message === e.message && (e.type !== "TypeError" || err instanceof TypeError),
    `expected ${e.type}: ${e.message}`);
};

test("torch.finfo: PyTorch's fields and printed form for every floating dtype", () => {
  for (const [name, g] of Object.entries(G.finfo)) {
    const f = torch.finfo(dtypeOf(name));
    assert.equal(String(f), g.str);
    for (const k of ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"] as const) assert.equal(f[k], g[k], `${name}.${k}`);
  }
  assert.equal(String(torch.finfo()), G.finfo["float32"]!.str, "finfo() is the default dtype's");
  assert.ok(new torch.finfo(torch.float64) instanceof torch.finfo);
});

test("torch.iinfo: PyTorch's fields and printed form for every integer dtype (int64 exact, as bigints)", () => {
  for (const [name, g] of Object.entries(G.iinfo)) {
    const i = torch.iinfo(dtypeOf(name));
    assert.equal(String(i), g.str);
    assert.equal(i.bits, g.bits);
    assert.equal(String(i.max), g.max);
    assert.equal(String(i.min), g.min);
    assert.equal(i.dtype, g.dtype);
  }
  assert.equal(typeof torch.iinfo(torch.int64).max, "bigint");
});

test("finfo/iinfo of the wrong kind of dtype: PyTorch's TypeErrors", () => {
  throwsLike(() => torch.finfo(torch.int32), G.info_errors["finfo_int"]!);
  throwsLike(() => torch.finfo(torch.bool), G.info_errors["finfo_bool"]!);
  throwsLike(() => torch.iinfo(torch.float32), G.info_errors["iinfo_float"]!);
  throwsLike(() => torch.iinfo(torch.bool), G.info_errors["iinfo_bool"]!);
});

test("torch.backends: PyTorch's flags on a build without CUDA/cuDNN/MPS; settable, without effect", () => {
  const b = torch.backends;
  for (const [k, v] of Object.entries(G.backends.cudnn)) {
    const mine = (b.cudnn as Record<string, unknown>)[k];
    assert.deepEqual(typeof mine === "function" ? (mine as () => unknown)() : mine, v, `cudnn.${k}`);
  }
  assert.equal(b.cuda.is_built(), G.backends.cuda.is_built);
  assert.deepEqual({ ...b.cuda.matmul }, G.backends.cuda.matmul);
  assert.equal(b.mps.is_available(), G.backends.mps["is_available"]);
  assert.equal(b.mps.is_built(), G.backends.mps["is_built"]);
  assert.equal(typeof b.cpu.get_cpu_capability(), "string");
  const before = torch.randn(3);
  b.cudnn.benchmark = true;
  b.cudnn.deterministic = true;
  assert.equal(b.cudnn.benchmark, true);
  assert.deepEqual(torch.matmul(before, before).shape, []);
  b.cudnn.benchmark = false;
  b.cudnn.deterministic = false;
});

// typetorch's accelerator is the WebGPU device (Note [The accelerator]): current_accelerator() names
// it on every machine, as a CUDA build's names cuda without a GPU; where it is not usable (no
// adapter, or a software one without TYPETORCH_ACCELERATOR_SOFTWARE=1, as on a machine without a
// GPU) the rest answers as PyTorch's CPU wheel does, the errors saying why.
test("torch.accelerator: the WebGPU device where it is usable", () => {
  const a = torch.accelerator, g = G.accelerator;
  assert.equal(String(a.current_accelerator()), "webgpu");
  assert.equal(a.current_accelerator()!.index, null);
  const software = torch.webgpu.is_available() && /llvmpipe|lavapipe|softpipe|swiftshader/i.test(torch.webgpu.get_device_name());
  if (software && process.env["TYPETORCH_ACCELERATOR_SOFTWARE"] !== "1") assert.equal(a.is_available(), false);
  if (a.is_available()) {
    assert.equal(String(a.current_accelerator({ check_available: true })), "webgpu");
    assert.equal(a.device_count(), 1);
    assert.equal(a.current_device_index(), 0);
    a.set_device_index("webgpu:0");
    a.synchronize();
    assert.throws(() => a.set_device_index(1), /one webgpu device/);
  } else {
    assert.equal(a.is_available(), g.is_available);
    assert.equal(a.current_accelerator({ check_available: true }), g.current_accelerator_checked);
    assert.equal(a.device_count(), g.device_count);
    const why = software ? /\(the WebGPU adapter \(.*\) renders in software: set TYPETORCH_ACCELERATOR_SOFTWARE=1 to use it as the accelerator\)$/ : /\(WebGPU is not available: .*\)$/;
    for (const [f, e] of [[() => a.current_device_index(), g.current_device_index], [() => a.synchronize(), g.synchronize]] as const)
      assert.throws(f, (err: Error) => err.message.startsWith(e.message) && why.test(err.message), `expected ${e.message} (why)`);
  }
});

test("Tensor.type(): the legacy type name, or a cast", () => {
  for (const [name, s] of Object.entries(G.type.names)) assert.equal(torch.zeros(1, { dtype: dtypeOf(name) }).type(), s);
  const t = torch.tensor([1n, 2n]);
  assert.equal(String(t.type(torch.float)), G.type.cast_float);
  assert.equal(String(t.type("torch.DoubleTensor")), G.type.cast_name);
  assert.equal(t.type(torch.int64) === t, G.type.same_is_self);
  throwsLike(() => t.type("foo"), G.type.bad_name);
  // the quickstart's accuracy count
  const pred = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), y = torch.tensor([1n, 1n, 1n]);
  assert.equal(String(pred.argmax(1).eq(y).type(torch.float).sum()), G.type.quickstart);
});

test("new torch.Tensor(...) and torch.FloatTensor(...) as PyTorch's legacy constructors", () => {
  const L = G.legacy;
  const sized = new torch.Tensor(2, 3);
  assert.ok(sized instanceof Tensor);
  assert.equal(String(sized), L["sizes"]);
  assert.equal(sized.dtype, dtypeOf(L["sizes_dtype"]!));
  assert.equal(String(new torch.Tensor([[1, 2], [3, 4]])), L["data"]);
  assert.equal(String(new torch.Tensor()), L["empty"]);
  assert.equal(String(new torch.Tensor([])), L["empty_list"]);
  assert.equal(String(torch.FloatTensor([1, 2])), L["float_tensor"]);
  assert.equal(String(new torch.LongTensor([1, 2])), L["long_tensor"]);
  assert.equal(String(torch.LongTensor(3)), L["long_sizes"]);
  assert.equal(String(torch.DoubleTensor(1, 2)), L["double_sizes"]);
  const src = torch.ones(2, { requires_grad: true });
  const alias = new torch.Tensor(src);
  assert.equal(String(alias), L["alias"]);
  assert.equal(alias._storage, src._storage, "shares the storage");
  assert.equal(String(new torch.Tensor(torch.tensor([1n, 2n]))), L["alias_long"]);
  // a NumPy array (an ndarray-like): shared where it has the dtype, else copied in that dtype
  assert.equal(String(torch.LongTensor({ data: Int32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] })), L["numpy_int32"]);
  assert.equal(String(torch.LongTensor({ data: Float64Array.of(1.5, -2.7), shape: [2] })), L["numpy_float64"]);
  const same = { data: new Float32Array(2), shape: [2] }, cast = { data: new Int32Array(2), shape: [2] };
  const fromNumpy = [torch.FloatTensor(same), new torch.Tensor(same), torch.FloatTensor(cast)];
  same.data[0] = 5;
  cast.data[0] = 5;
  assert.deepEqual(fromNumpy.map((t) => t.index(0).item() === 5), L.numpy_shared);
  assert.deepEqual([torch.zeros(2) instanceof torch.FloatTensor, torch.zeros(2, { dtype: torch.float64 }) instanceof torch.FloatTensor,
    torch.zeros(2, { dtype: torch.int64 }) instanceof torch.LongTensor], L.isinstance);
  const E = L.errors;
  const T = torch.Tensor as unknown as new (...a: unknown[]) => Tensor;
  throwsLike(() => new T(2.5), E["float"]!);
  throwsLike(() => new T("a"), E["str"]!);
  throwsLike(() => new T(null), E["none"]!);
  throwsLike(() => new T(true), E["bool"]!);
  throwsLike(() => new T(2, "a"), E["size_str"]!);
  throwsLike(() => new T(2, 2.5), E["size_float"]!);
  throwsLike(() => new T(2, -1), E["negative"]!);
  throwsLike(() => torch.FloatTensor(torch.tensor([1n, 2n])), E["float_of_long"]!);
  throwsLike(() => torch.LongTensor(torch.tensor([1.0])), E["long_of_float"]!);
});

test("torch.tensor copies a NumPy array (an ndarray-like), in its dtype unless one is given", () => {
  const N = G.numpy;
  const arr = { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] };
  const copied = torch.tensor(arr);
  arr.data[0] = 9;
  assert.equal(String(copied), N["float32"]);
  assert.equal(String(torch.tensor({ data: Float64Array.of(1.5, 2.5), shape: [2] })), N["float64"]);
  assert.equal(String(torch.tensor({ data: Int32Array.of(1, 2), shape: [2] })), N["int32"]);
  // the options after it are options, the array a value (not keyword arguments data= and shape=)
  assert.equal(String(torch.tensor({ data: Float64Array.of(1.7, -2), shape: [2] }, { dtype: torch.int64, requires_grad: false })), N["to_int64"]);
});

test("gradcheck and gradgradcheck draw from the generator as PyTorch's do: seeded draws after them match", () => {
  const R = G.gradcheck_rng;
  torch.manual_seed(0);
  const x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], { dtype: torch.float64, requires_grad: true });
  const w = torch.tensor([0.3, -0.2, 0.9], { dtype: torch.float64, requires_grad: true });
  const f = (a: Tensor, b: Tensor): Tensor => a.mul(b).tanh().sum(1);
  const g = (a: Tensor): Tensor => a.sin().mul(a);
  const close = (a: number[], b: number[], what: string): void =>
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-7, `${what}[${i}]: ${v} vs ${b[i]}`));
  assert.equal(torch.autograd.gradcheck(f, [x, w]), R.gradcheck);
  close(torch.rand(3).tolist() as number[], R.after_gradcheck, "after gradcheck");
  assert.equal(torch.autograd.gradgradcheck(f, [x, w]), R.gradgradcheck);
  close(torch.rand(3).tolist() as number[], R.after_gradgradcheck, "after gradgradcheck");
  assert.equal(torch.autograd.gradgradcheck(g, [x]), R.gradgradcheck_one_input);
  close(torch.randn(4, { dtype: torch.float64 }).tolist() as number[], R.after_second, "after the second gradgradcheck");
});

test("int64 elements read as numbers round as Number(bigint) does, contiguous or strided", async () => {
  const { values } = await import("../src/backends/ts/kernels.js");
  const vals = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n + 5n, -(2n ** 40n) - 3n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 63n - 1n, -(2n ** 63n), 123456789012345n];
  const t = torch.tensor(vals);
  assert.deepEqual(Array.from(values(t)), vals.map(Number));
  const strided = t.view(3, 4).t();
  assert.deepEqual(Array.from(values(strided)), (strided.contiguous().tolist() as bigint[][]).flat().map(Number));
});

// Tensor.data_ptr / untyped_storage (Note [Storage addresses]): the relations PyTorch 2.13 gives
// (checked there: b[3:].data_ptr() - b.data_ptr() == 12, torch.zeros(0).data_ptr() == 0, a
// transposed view keeps its base's pointer, one storage object per storage, the printed form).
test("data_ptr and untyped_storage", () => {
  const b = torch.arange(10.0);
  assert.equal(b.narrow(0, 3, 7).data_ptr() - b.data_ptr(), 12);
  assert.equal(torch.zeros(0).data_ptr(), 0);
  assert.equal(b.narrow(0, 10, 0).data_ptr(), 0);
  assert.equal(b.view(2, 5).t().data_ptr(), b.data_ptr());
  assert.equal(b.data_ptr() % 64, 0);
  assert.notEqual(torch.ones(3).data_ptr(), b.data_ptr());
  const s = b.untyped_storage();
  assert.ok(s instanceof torch.UntypedStorage);
  assert.equal(s, b.narrow(0, 1, 3).untyped_storage());
  assert.deepEqual([s.nbytes(), s.size(), s.element_size(), s.data_ptr() === b.data_ptr(), s.is_shared()], [40, 40, 1, true, false]);
  assert.equal(String(torch.arange(2, { dtype: torch.uint8 }).untyped_storage()), " 0\n 1\n[torch.storage.UntypedStorage(device=cpu) of size 2]");
  assert.deepEqual(torch.tensor([1, 2], { dtype: torch.int16 }).untyped_storage().tolist(), [1, 0, 2, 0]);
  assert.equal(torch.tensor(3.0).untyped_storage().nbytes(), 4);
  assert.equal(torch.zeros(0).untyped_storage().data_ptr(), 0);
});
