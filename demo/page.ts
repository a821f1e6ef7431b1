// The demo page (npm run demo): trains the MNIST model of `npm run main` on a subset of MNIST in
// the page, on WebGPU where the browser has it (the WebAssembly engine otherwise, or with
// ?device=cpu), drawing the loss as it falls, and classifies the digit drawn on the pad. A page's
// main thread may not block, so every value it reads from the device is awaited (item_async,
// tolist_async). With ?selftest=N it trains N steps, draws a stroke through the pad's own pointer
// handlers, classifies it and posts what happened to /result (test/demo.test.ts).

import torch, { nn, optim, type Tensor } from "typetorch";
import { MLP } from "../examples/mnist_mlp.js";

const F = nn.functional;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const query = new URLSearchParams(location.search);
const selfTest = Number(query.get("selftest") ?? 0);

const BATCH = 64, EPOCHS = 20;

// ---- the data: digits.bin (demo/server.ts), the last tenth held out ----------------------------

async function loadDigits(): Promise<{ xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor }> {
  const bytes = new Uint8Array(await (await fetch("/digits.bin")).arrayBuffer());
  const n = new DataView(bytes.buffer).getUint32(0, true);
  const pixels = Float32Array.from(bytes.subarray(4 + n), (v) => v / 255);
  const x = torch.from_numpy({ data: pixels, shape: [n, 784] }), y = torch.tensor(Array.from(bytes.subarray(4, 4 + n)), { dtype: torch.int64 });
  const nTest = Math.round(n / 10);
  return { xTrain: x.narrow(0, 0, n - nTest), yTrain: y.narrow(0, 0, n - nTest), xTest: x.narrow(0, n - nTest, nTest), yTest: y.narrow(0, n - nTest, nTest) };
}

// ---- the pad: strokes in white on black, and the digit as MNIST centres it ---------------------

const pad = $<HTMLCanvasElement>("pad"), ink = pad.getContext("2d", { willReadFrequently: true })!;
let drawn = false, last: [number, number] | null = null;
function clearPad(): void {
  ink.fillStyle = "#000";
  ink.fillRect(0, 0, pad.width, pad.height);
  drawn = false;
  $("prediction").textContent = "";
  $("bars").replaceChildren();
}
const at = (e: PointerEvent): [number, number] => {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * (pad.width / r.width), (e.clientY - r.top) * (pad.height / r.height)];
};
pad.addEventListener("pointerdown", (e) => {
  last = at(e);
  // (strokes that leave the pad still end on it; the self-test's synthetic pointer cannot be captured)
  if (e.isTrusted) pad.setPointerCapture(e.pointerId);
});
pad.addEventListener("pointermove", (e) => {
  if (last === null) return;
  const p = at(e);
  ink.strokeStyle = "#fff"; ink.lineWidth = 20; ink.lineCap = "round";
  ink.beginPath(); ink.moveTo(...last); ink.lineTo(...p); ink.stroke();
  last = p; drawn = true;
});
pad.addEventListener("pointerup", () => { last = null; void classify(); });

/** The drawing as MNIST's digits are made: its bounding box scaled to fit 20x20 pixels, placed in
 *  28x28 with its centre of mass in the middle; null when nothing is drawn. */
function digitPixels(): Float32Array | null {
  const img = ink.getImageData(0, 0, pad.width, pad.height).data;
  let x0 = pad.width, y0 = pad.height, x1 = -1, y1 = -1;
  for (let y = 0; y < pad.height; y++) for (let x = 0; x < pad.width; x++) {
    if (img[(y * pad.width + x) * 4]! > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1, s = 20 / Math.max(w, h);
  const small = document.createElement("canvas");
  small.width = small.height = 28;
  const c = small.getContext("2d", { willReadFrequently: true })!;
  const render = (dx: number, dy: number): Float32Array => {
    c.fillStyle = "#000"; c.fillRect(0, 0, 28, 28);
    c.drawImage(pad, x0, y0, w, h, (28 - w * s) / 2 + dx, (28 - h * s) / 2 + dy, w * s, h * s);
    const d = c.getImageData(0, 0, 28, 28).data;
    return Float32Array.from({ length: 784 }, (_, i) => d[i * 4]! / 255);
  };
  const centred = render(0, 0);
  let m = 0, mx = 0, my = 0;
  centred.forEach((v, i) => { m += v; mx += v * (i % 28); my += v * Math.floor(i / 28); });
  return render(Math.round(13.5 - mx / m), Math.round(13.5 - my / m));
}

// ---- the model, its training and its predictions ----------------------------------------------

const cpuAsked = query.get("device") === "cpu";
const device = !cpuAsked && (await torch.webgpu.init()) ? "webgpu" : "cpu";
$("device").textContent = device === "webgpu" ? `WebGPU (${torch.webgpu.get_device_name()})`
  : `the CPU (typetorch's WebAssembly engine${cpuAsked ? "" : ": this browser has no WebGPU"})`;
torch.manual_seed(0);
const model = new MLP(256).to(device);
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const losses: number[] = [];
let accuracy: number | null = null, running = true;
const status = (s: string) => { $("status").textContent = s; };

async function classify(): Promise<{ digit: number; probs: number[] } | null> {
  const px = digitPixels();
  if (px === null || !drawn) return null;
  model.eval();
  const probs = torch.no_grad(() => F.softmax(model.forward(torch.from_numpy({ data: px, shape: [1, 784] }).to(device)), 1));
  const p = ((await probs.tolist_async()) as number[][])[0]!;
  const digit = p.indexOf(Math.max(...p));
  $("prediction").textContent = `${digit}`;
  $("bars").replaceChildren(...p.map((v, d) => {
    const row = document.createElement("div"), label = document.createElement("span"), bar = document.createElement("span");
    row.className = "bar";
    label.textContent = `${d} ${(100 * v).toFixed(1).padStart(5)}%`;
    bar.style.width = `${Math.round(150 * v)}px`;
    row.append(label, bar);
    return row;
  }));
  return { digit, probs: p };
}

/** Held-out accuracy (one forward pass over the test digits). */
async function evaluate(x: Tensor, y: Tensor): Promise<number> {
  model.eval();
  const correct = torch.no_grad(() => model.forward(x).argmax(1).eq(y).sum());
  return (await correct.item_async()) / y.shape[0]!;
}

function drawLoss(): void {
  const cv = $<HTMLCanvasElement>("loss"), g = cv.getContext("2d")!, W = cv.width, H = cv.height, m = 30;
  g.clearRect(0, 0, W, H);
  g.fillStyle = "#222"; g.font = "12px sans-serif";
  const top = Math.max(2.5, ...losses.slice(0, 1)), n = Math.max(losses.length, 100);
  g.strokeStyle = "#bbb"; g.beginPath(); g.moveTo(m, 10); g.lineTo(m, H - m); g.lineTo(W - 10, H - m); g.stroke();
  g.fillText(top.toFixed(1), 2, 14); g.fillText("0", 18, H - m); g.fillText(`step ${losses.length}`, W - 80, H - 10);
  g.fillText("cross-entropy loss, per batch of 64", m + 10, 14);
  g.strokeStyle = "#d53"; g.beginPath();
  losses.forEach((l, i) => {
    const x = m + (i / n) * (W - m - 10), y = H - m - (Math.min(l, top) / top) * (H - m - 20);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

/** Trains `steps` steps (EPOCHS epochs when not given), the batches moved to the device as a
 *  PyTorch program moves a DataLoader's. */
async function train(steps?: number): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = await loadDigits();
  const [gx, gy] = [xTest.to(device), yTest.to(device)];
  const n = xTrain.shape[0]!, perEpoch = Math.floor(n / BATCH), maxSteps = steps ?? EPOCHS * perEpoch;
  let xs = xTrain, ys = yTrain;
  const t0 = performance.now();
  for (let step = 0; step < maxSteps; step++) {
    while (!running) await new Promise((r) => setTimeout(r, 100));
    if (step % perEpoch === 0) {
      if (step > 0) accuracy = await evaluate(gx, gy);
      // a new epoch: the training digits in a new order
      const order = torch.randperm(n);
      [xs, ys] = [xTrain.index_select(0, order), yTrain.index_select(0, order)];
    }
    const k = (step % perEpoch) * BATCH;
    const x = xs.narrow(0, k, BATCH).to(device), y = ys.narrow(0, k, BATCH).to(device);
    model.train();
    opt.zero_grad();
    const loss = F.cross_entropy(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(await loss.item_async());
    drawLoss();
    const rate = (step + 1) / ((performance.now() - t0) / 1000);
    status(`epoch ${Math.floor(step / perEpoch) + 1}, step ${step + 1}: loss ${losses[losses.length - 1]!.toFixed(3)}, ${rate.toFixed(1)} steps/s` +
      (accuracy === null ? "" : `; held-out accuracy ${(100 * accuracy).toFixed(1)}%`));
    if (drawn && step % 25 === 0) await classify();
  }
  accuracy = await evaluate(gx, gy);
  status(`trained ${maxSteps} steps: held-out accuracy ${(100 * accuracy).toFixed(1)}%`);
}

$("clear").addEventListener("click", clearPad);
$("train").addEventListener("click", () => {
  running = !running;
  $("train").textContent = running ? "Pause training" : "Resume training";
});
clearPad();
drawLoss();

/** ?selftest=N: N steps, then a stroke drawn through the pad's handlers ("1"), classified. */
async function runSelfTest(): Promise<unknown> {
  await train(selfTest);
  const r = pad.getBoundingClientRect();
  const ev = (type: string, y: number) => pad.dispatchEvent(new PointerEvent(type, { clientX: r.left + r.width / 2, clientY: r.top + y * r.height, pointerId: 1, bubbles: true }));
  ev("pointerdown", 0.15);
  for (let y = 0.15; y <= 0.85; y += 0.05) ev("pointermove", y);
  ev("pointerup", 0.85);
  const prediction = await classify();
  return { device, name: device === "webgpu" ? torch.webgpu.get_device_name() : null, losses, accuracy, prediction, fallbacks: torch.webgpu.stats().fallbacks };
}

if (selfTest > 0) {
  runSelfTest().then(
    (report) => fetch("/result", { method: "POST", body: JSON.stringify(report) }),
    (err: Error) => fetch("/result", { method: "POST", body: JSON.stringify({ failure: `${err.message}\n${err.stack}` }) }),
  );
} else {
  void train();
}
