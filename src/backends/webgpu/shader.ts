// What the WGSL kernels of the WebGPU device share (./kernels.ts, ./pool_kernels.ts,
// ./index_kernels.ts): new tensors on the device, the parameter block every shader reads its
// sizes from, and the workgroup numbering.

import { Tensor, TensorStorage } from "../../core/tensor.js";
import type { DType, Storage } from "../../core/dtype.js";
import { type Shape, numel, contiguousStrides } from "../../core/shape.js";
import { webgpu as webgpuDevice } from "./device.js";
import { GpuMemory } from "./memory.js";
import { gpu, type GpuRuntime } from "./runtime.js";

/** Threads per workgroup of the one-dimensional kernels. */
export const WG = 256;

export const rt = (): GpuRuntime => gpu()!;
export const mem = (t: Tensor): GpuMemory => t._storage.mem as GpuMemory;
export const onDevice = (t: Tensor): boolean => t._storage.mem instanceof GpuMemory;

const EMPTY = new Uint8Array(0);
const onGpu = (shape: Shape, d: DType, m: GpuMemory): Tensor =>
  new Tensor(new TensorStorage(EMPTY, m), shape.slice(), contiguousStrides(shape), 0, d, webgpuDevice);

/** A new contiguous tensor on the device whose elements a kernel will write. */
export function deviceEmpty(shape: Shape, d: DType): Tensor {
  return onGpu(shape, d, new GpuMemory(rt(), d, numel(shape), null));
}
/** A new contiguous tensor of zeros on the device (the GPU clears it). */
export function deviceZeros(shape: Shape, d: DType): Tensor {
  return onGpu(shape, d, new GpuMemory(rt(), d, numel(shape), "zero"));
}
/** A new contiguous tensor on the device holding CPU storage `data`. */
export function deviceFrom(data: Storage, shape: Shape, d: DType): Tensor {
  return onGpu(shape, d, new GpuMemory(rt(), d, numel(shape), data));
}

/** Workgroups for n threads. */
export const groups = (n: number, per = WG): number => Math.ceil(n / per);
const f32bits = new Float32Array(1), i32bits = new Int32Array(f32bits.buffer);
/** A parameter's bits: a float32 reinterpreted, or an int (infinities as int32's extremes: clamp's
 *  missing bound). */
export const bitsOf = (v: number, ty: "f32" | "i32"): number =>
  ty === "f32" ? ((f32bits[0] = v), i32bits[0]!) : v === Infinity ? 2147483647 : v === -Infinity ? -2147483648 : v | 0;

/** WGSL shared by the shaders: the parameter block and the workgroup numbering. */
export function header(nParams: number): string {
  return `struct Params { v: array<vec4<i32>, ${Math.ceil(nParams / 4)}> }
fn P(k: u32) -> i32 { return params.v[k >> 2u][k & 3u]; }
fn PF(k: u32) -> f32 { return bitcast<f32>(P(k)); }
// NaN and infinity from bits held in variables: WGSL refuses them as constant expressions
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
// NaN tested on the bits: a compiler may assume floats are never NaN and fold a != a to false
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// x != 0 as PyTorch's bool(x), on the bits: true for NaN and for subnormals (which a GPU may flush
// to zero in comparisons), false for -0
fn nz_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }
// (tanh is 1 in float32 past 10: spared a GPU's exp overflowing to inf / inf, which is NaN)
fn tanh_(x: f32) -> f32 { return select(tanh(x), sign(x), abs(x) > 10.0); }
`;
}
export const paramsBinding = (b: number): string => `@group(0) @binding(${b}) var<uniform> params: Params;\n`;
/** WGSL declaring c0 … c3, the coordinates of flat index `i` in four dims whose sizes are the
 *  parameters at … at + 3. */
export const coords = (i: string, at: number): string => `  var r = ${i};
  let c3 = i32(r % u32(P(${at + 3}u))); r = r / u32(P(${at + 3}u));
  let c2 = i32(r % u32(P(${at + 2}u))); r = r / u32(P(${at + 2}u));
  let c1 = i32(r % u32(P(${at + 1}u))); r = r / u32(P(${at + 1}u));
  let c0 = i32(r);
`;

/** The entry point of a kernel with one thread per element: `body` runs for e (u32) below the
 *  count P(0), however many workgroups that takes (past 65,535 they wrap into y). */
export const perElement = (body: string): string => `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + li;
  if (e >= u32(P(0u))) { return; }
${body}
}`;

/** WGSL reductions over a workgroup of WG threads (all of them must call them, in uniform control
 *  flow): reduceSum(li, v, k) and reduceMax(li, v, k), the k-th reduction of the kernel (k < 4), each
 *  returned from its own slot, written once: a result read from a slot that a later reduction
 *  overwrites, Mesa's llvmpipe was seen to reload after that write (a mean used after the
 *  variance's sum then read the variance). */
export const WORKGROUP_REDUCE = `var<workgroup> s: array<f32, ${WG}>;
var<workgroup> reduced: array<f32, 4>;
fn reduceSum(li: u32, v: f32, k: u32) -> f32 {
  s[li] = v; workgroupBarrier();
  for (var h = ${WG / 2}u; h > 0u; h >>= 1u) { if (li < h) { s[li] = s[li] + s[li + h]; } workgroupBarrier(); }
  if (li == 0u) { reduced[k] = s[0]; }
  workgroupBarrier();
  return reduced[k];
}
fn reduceMax(li: u32, v: f32, k: u32) -> f32 {
  s[li] = v; workgroupBarrier();
  for (var h = ${WG / 2}u; h > 0u; h >>= 1u) { if (li < h) { s[li] = max(s[li], s[li + h]); } workgroupBarrier(); }
  if (li == 0u) { reduced[k] = s[0]; }
  workgroupBarrier();
  return reduced[k];
}
`;

/** WGSL function `name`(p, v) folding v into an element of an array<atomic<u32>> (float32 bits,
 *  `combine` of the old value o and v) or array<atomic<i32>> (`ty` i32): a compare-and-swap loop
 *  (WGSL has no atomic floats), so values that meet at one element fold in the order threads reach
 *  it (a float sum may differ from the CPU's in its last bits). */
export function atomicUpdate(name: string, ty: "f32" | "i32", combine: string): string {
  const [cell, load, store] = ty === "f32" ? ["u32", "bitcast<f32>(old)", (e: string) => `bitcast<u32>(${e})`] : ["i32", "old", (e: string) => e];
  return `fn ${name}(p: ptr<storage, atomic<${cell}>, read_write>, v: ${ty}) {
  var old = atomicLoad(p);
  loop {
    let o = ${load};
    let r = atomicCompareExchangeWeak(p, old, ${store(combine)});
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}
`;
}
/** Adds v into a float32 element (atomicUpdate). */
export const ATOMIC_ADD_F32 = atomicUpdate("atomicAddF32", "f32", "o + v");
