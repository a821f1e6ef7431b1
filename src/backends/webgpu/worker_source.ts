// The code of the thread that owns the GPU, as a string (see wasm/worker_source.ts for why a string).
//
// Note [GPU thread]: ops run on the main thread and only describe GPU work; this thread owns the
// WebGPU device and carries the work out. The main thread sends batches of commands (postMessage)
// and never waits for them, so the GPU runs ahead; only reading values waits. A synchronous read
// (item(), printing, tolist() in Node) sends a read command carrying a SharedArrayBuffer and blocks
// in Atomics.wait until this thread has copied the bytes in and notified it: WebGPU has no
// synchronous map, and Dawn's Node binding runs map callbacks from the event loop, which this
// thread has free while the main one is blocked. An asynchronous read (item_async …) gets its bytes
// back by message instead, so a browser's main thread, which may not block, reads that way.
//
// Commands (arrays, the first element names them):
//   ["buf", id, bytes]                       create storage buffer `id`
//   ["clear", id]                            set its bytes to zero
//   ["free", id]                             destroy it
//   ["write", id, byteOffset, ArrayBuffer]   queue.writeBuffer
//   ["pipe", pid, wgsl]                      compile compute pipeline `pid`
//   ["run", pid, [ids], paramOffset, paramBytes, gx, gy]   one dispatch; params come from the
//                                            batch's parameter block (bound last, as a uniform)
//   ["read", id, byteOffset, bytes, sab]     copy into sab[8..], then set word 0 to 1 and notify
//                                            (word 1: 0 ok, 1 error; the error text follows the bytes)
//   ["readAsync", id, byteOffset, bytes, token]  answered with a message {token, data | error}
// A batch is {cmds, params (ArrayBuffer, the uniform block of its dispatches)}.

/** Started in Node with `{eval: true, workerData: {module, init}}` (the `webgpu` package's entry as
 *  a file URL, and the init SharedArrayBuffer), in a browser from a Blob URL (it uses navigator.gpu). */
export const WORKER_SOURCE = `"use strict";
let device = null, post = null;
const keep = [], pipes = new Map(), bufs = new Map();
let chain = Promise.resolve(), lastError = null;

async function open(module) {
  let adapter = null;
  if (module) {
    const { create, globals } = await import(module);
    Object.assign(globalThis, globals);
    // Dawn's default backend first (Vulkan, Metal, D3D12); without a usable one, OpenGL ES (on a
    // machine without a GPU: Mesa's llvmpipe, which needs the compatibility feature level)
    for (const [flags, featureLevel] of [[[], "core"], [["backend=opengles"], "compatibility"]]) {
      const gpu = create(flags);
      keep.push(gpu); // Dawn's instance must outlive its adapters and devices
      adapter = await gpu.requestAdapter({ featureLevel, powerPreference: "high-performance" });
      if (adapter) break;
    }
  } else if (globalThis.navigator && navigator.gpu) {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" })
      || await navigator.gpu.requestAdapter({ featureLevel: "compatibility" });
  }
  if (!adapter) throw new Error("no WebGPU adapter found");
  const L = adapter.limits, want = {};
  for (const k of ["maxStorageBufferBindingSize", "maxBufferSize", "maxStorageBuffersPerShaderStage",
    "maxComputeWorkgroupStorageSize", "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX"]) want[k] = L[k];
  device = await adapter.requestDevice({ requiredLimits: want });
  device.addEventListener("uncapturederror", (e) => { lastError = lastError || String(e.error && e.error.message || e.error); });
  const i = adapter.info || {};
  const name = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(" ") || "WebGPU adapter";
  // A rasterizer in software: WebGPU's fallback adapter, or one that does not say so (Dawn's
  // OpenGL ES backend on Mesa's llvmpipe reports isFallbackAdapter false), known by its name
  const software = Boolean(i.isFallbackAdapter || adapter.isFallbackAdapter) || /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver/i.test(name);
  return { name, software, maxBinding: L.maxStorageBufferBindingSize, maxBuffer: L.maxBufferSize, minUniformAlign: L.minUniformBufferOffsetAlignment };
}

function run(batch) {
  const q = device.queue;
  let enc = null, pass = null, params = null;
  const flush = () => {
    if (pass) { pass.end(); pass = null; }
    if (enc) { q.submit([enc.finish()]); enc = null; }
  };
  if (batch.params && batch.params.byteLength) {
    params = device.createBuffer({ size: batch.params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    q.writeBuffer(params, 0, batch.params);
  }
  const reads = [];
  for (const c of batch.cmds) {
    // a failing command is reported at the next read; the reads are always answered
    try { step(c); } catch (e) { lastError = lastError || String(e && e.message || e); }
  }
  flush();
  if (params) params.destroy();
  return reads.length ? Promise.all(reads.map(([c, staging]) => finishRead(c, staging))) : null;

  function step(c) {
    switch (c[0]) {
      case "buf":
        bufs.set(c[1], device.createBuffer({ size: c[2], usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST }));
        break;
      case "clear":
        if (pass) { pass.end(); pass = null; }
        if (!enc) enc = device.createCommandEncoder();
        enc.clearBuffer(bufs.get(c[1]));
        break;
      case "free": flush(); bufs.get(c[1]).destroy(); bufs.delete(c[1]); break;
      case "write": flush(); q.writeBuffer(bufs.get(c[1]), c[2], c[3]); break;
      case "pipe": {
        const module = device.createShaderModule({ code: c[2] });
        pipes.set(c[1], device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } }));
        break;
      }
      case "run": {
        const p = pipes.get(c[1]), ids = c[2];
        const entries = ids.map((id, k) => ({ binding: k, resource: { buffer: bufs.get(id) } }));
        // (Dawn's binding aborts the process on a missing buffer: fail as a command instead)
        if (!p || entries.some((e) => !e.resource.buffer) || (c[4] && !params)) throw new Error("dispatch " + c[1] + " names a pipeline or buffer that does not exist");
        if (c[4]) entries.push({ binding: ids.length, resource: { buffer: params, offset: c[3], size: c[4] } });
        if (!enc) enc = device.createCommandEncoder();
        if (!pass) pass = enc.beginComputePass();
        pass.setPipeline(p);
        pass.setBindGroup(0, device.createBindGroup({ layout: p.getBindGroupLayout(0), entries }));
        pass.dispatchWorkgroups(c[5], c[6]);
        break;
      }
      case "read": case "readAsync": {
        reads.push([c, null]);
        if (pass) { pass.end(); pass = null; }
        if (!enc) enc = device.createCommandEncoder();
        const size = Math.max(4, Math.ceil(c[3] / 4) * 4);
        const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        enc.copyBufferToBuffer(bufs.get(c[1]), c[2], staging, 0, size);
        flush();
        reads[reads.length - 1][1] = staging;
        break;
      }
    }
  }
}

async function finishRead(c, staging) {
  let bytes = null, error = null;
  try {
    await staging.mapAsync(GPUMapMode.READ);
    bytes = staging.getMappedRange().slice(0, c[3]);
    staging.unmap();
  } catch (e) { error = lastError || String(e && e.message || e); }
  if (staging) staging.destroy();
  if (!error && lastError) { error = lastError; lastError = null; }
  if (c[0] === "readAsync") { post(error ? { token: c[5], error } : { token: c[5], data: bytes }, error ? [] : [bytes]); return; }
  const sab = c[4], w = new Int32Array(sab, 0, 2);
  if (error) {
    const msg = new TextEncoder().encode(error);
    new Uint8Array(sab, 8).set(msg.subarray(0, sab.byteLength - 8));
    w[1] = 1;
  } else new Uint8Array(sab, 8, c[3]).set(new Uint8Array(bytes));
  Atomics.store(w, 0, 1);
  Atomics.notify(w, 0);
}

function onBatch(batch) {
  // batches run in order; a batch with reads holds the next ones until its bytes are back
  chain = chain.then(() => run(batch)).catch((e) => { lastError = lastError || String(e && e.message || e); });
}

// The outcome of opening the device goes to the init SharedArrayBuffer where one is given (word 0:
// 1 ready, 2 failed; word 1: the byte length of the JSON that follows from byte 8), and always
// as a message {ready: info} or {failed: why}.
function start(module, init, postFn, onMessage) {
  post = postFn;
  const tell = (ok, value) => {
    if (init) {
      const w = new Int32Array(init, 0, 2), json = new TextEncoder().encode(JSON.stringify(value));
      new Uint8Array(init, 8).set(json.subarray(0, init.byteLength - 8));
      w[1] = Math.min(json.length, init.byteLength - 8);
      Atomics.store(w, 0, ok ? 1 : 2);
      Atomics.notify(w, 0);
    }
    post(ok ? { ready: value } : { failed: value });
  };
  open(module).then((info) => { onMessage(onBatch); tell(true, info); }, (e) => tell(false, String(e && e.message || e)));
}

if (typeof require === "function" && typeof process !== "undefined" && process.versions && process.versions.node) {
  const { parentPort, workerData } = require("node:worker_threads");
  start(workerData.module, workerData.init, (m, t) => parentPort.postMessage(m, t), (f) => parentPort.on("message", f));
} else {
  start(null, null, (m, t) => self.postMessage(m, t), (f) => { self.onmessage = (e) => f(e.data); });
}
`;
