// The LSTM and GRU cells' pointwise parts on the device (the backend interface's lstmCell,
// gruCell and their backwards, as the native engine's csrc/rnn.c and gru.c): one thread per hidden
// unit of a row reads its gates and writes the new state and what the backward reads, where the
// composite would run a dozen elementwise kernels each writing a tensor (B8 runs 70 cells a step).
//
// Operands are [N, ·] matrices read through their two strides (a state unbound from [L, N, H],
// gates from a GEMM plus a bias); results are contiguous.

import type { Tensor } from "../../core/tensor.js";
import { float32 } from "../../core/dtype.js";
import type { LstmCellResult, GruCellResult } from "../backend.js";
import { rt, mem, onDevice, deviceEmpty, groups, header, paramsBinding, perElement } from "./shader.js";

/** Whether t is a float32 [N, width] matrix on the device. */
const matrix = (t: Tensor | null, N: number, width: number): boolean =>
  t === null || (t.dtype === float32 && onDevice(t) && t.ndim === 2 && t._shape[0] === N && t._shape[1] === width);

/** WGSL reading element (n, j) of the operand whose offset and strides are parameters at … at + 2. */
const at = (name: string, p: number, j: string) => `${name}[u32(P(${p}u) + n * P(${p + 1}u) + (${j}) * P(${p + 2}u))]`;

const ACTIVATIONS = `fn sigmoid_(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
`;

// parameters: count, H, then (offset, row stride, column stride) of gates at 2, of c at 5
const LSTM_CELL = `// lstm_cell
${header(8)}${ACTIVATIONS}@group(0) @binding(0) var<storage, read_write> hy: array<f32>;
@group(0) @binding(1) var<storage, read_write> cy: array<f32>;
@group(0) @binding(2) var<storage, read_write> act: array<f32>;
@group(0) @binding(3) var<storage, read_write> tcy: array<f32>;
@group(0) @binding(4) var<storage, read> gates: array<f32>;
@group(0) @binding(5) var<storage, read> c: array<f32>;
${paramsBinding(6)}${perElement(`  let H = P(1u); let n = i32(e) / H; let k = i32(e) % H;
  let i = sigmoid_(${at("gates", 2, "k")});
  let f = sigmoid_(${at("gates", 2, "H + k")});
  let g = tanh_(${at("gates", 2, "2 * H + k")});
  let o = sigmoid_(${at("gates", 2, "3 * H + k")});
  let cn = f * ${at("c", 5, "k")} + i * g;
  let tc = tanh_(cn);
  let a = u32(n * 4 * H + k); let h = u32(H);
  act[a] = i; act[a + h] = f; act[a + 2u * h] = g; act[a + 3u * h] = o;
  cy[e] = cn; tcy[e] = tc; hy[e] = o * tc;`)}`;

export function lstmCell(gates: Tensor, c: Tensor): LstmCellResult | null {
  const [N, H4] = gates._shape as [number, number], H = H4 / 4;
  if (gates.ndim !== 2 || !Number.isInteger(H) || !matrix(gates, N, H4) || !matrix(c, N, H)) return null;
  const r = { hy: deviceEmpty([N, H], float32), cy: deviceEmpty([N, H], float32), act: deviceEmpty([N, H4], float32), tcy: deviceEmpty([N, H], float32) };
  const p = Int32Array.from([N * H, H, gates._offset, gates._strides[0]!, gates._strides[1]!, c._offset, c._strides[0]!, c._strides[1]!]);
  rt().dispatch(rt().kernel(LSTM_CELL), [mem(r.hy).written(), mem(r.cy).written(), mem(r.act).written(), mem(r.tcy).written(), mem(gates).read(), mem(c).read()], p, groups(N * H));
  return r;
}

/** The backward's shader; a gradient that is null (its output unused) is zero and not bound. */
function backwardShader(withGhy: boolean, withGcy: boolean): string {
  const ins = ["c", ...(withGhy ? ["ghy"] : []), ...(withGcy ? ["gcy"] : [])];
  // parameters: count, H, then (offset, row stride, column stride) of c at 2, ghy at 5, gcy at 8
  return `// lstm_cell_backward${withGhy ? "" : " (no ghy)"}${withGcy ? "" : " (no gcy)"}
${header(12)}@group(0) @binding(0) var<storage, read_write> ggates: array<f32>;
@group(0) @binding(1) var<storage, read_write> gc: array<f32>;
@group(0) @binding(2) var<storage, read> act: array<f32>;
@group(0) @binding(3) var<storage, read> tcy: array<f32>;
${ins.map((name, k) => `@group(0) @binding(${4 + k}) var<storage, read> ${name}: array<f32>;`).join("\n")}
${paramsBinding(4 + ins.length)}${perElement(`  let H = P(1u); let n = i32(e) / H; let k = i32(e) % H;
  let a = u32(n * 4 * H + k); let h = u32(H);
  let i = act[a]; let f = act[a + h]; let g = act[a + 2u * h]; let o = act[a + 3u * h]; let tc = tcy[e];
  let gh = ${withGhy ? at("ghy", 5, "k") : "0.0"};
  let gs = ${withGcy ? at("gcy", 8, "k") : "0.0"} + gh * o * (1.0 - tc * tc);
  ggates[a] = gs * g * (i * (1.0 - i));
  ggates[a + h] = gs * ${at("c", 2, "k")} * (f * (1.0 - f));
  ggates[a + 2u * h] = gs * i * (1.0 - g * g);
  ggates[a + 3u * h] = gh * tc * (o * (1.0 - o));
  gc[e] = gs * f;`)}`;
}

export function lstmCellBackward(ghy: Tensor | null, gcy: Tensor | null, c: Tensor, s: LstmCellResult): [Tensor, Tensor] | null {
  const [N, H] = s.hy._shape as [number, number];
  if (!matrix(ghy, N, H) || !matrix(gcy, N, H) || !matrix(c, N, H) || !onDevice(s.act)) return null;
  const ggates = deviceEmpty([N, 4 * H], float32), gc = deviceEmpty([N, H], float32);
  const p = new Int32Array(12);
  p.set([N * H, H, c._offset, c._strides[0]!, c._strides[1]!]);
  if (ghy) p.set([ghy._offset, ghy._strides[0]!, ghy._strides[1]!], 5);
  if (gcy) p.set([gcy._offset, gcy._strides[0]!, gcy._strides[1]!], 8);
  const bufs = [mem(ggates).written(), mem(gc).written(), mem(s.act).read(), mem(s.tcy).read(), mem(c).read(), ...[ghy, gcy].filter((t) => t !== null).map((t) => mem(t).read())];
  rt().dispatch(rt().kernel(backwardShader(ghy !== null, gcy !== null)), bufs, p, groups(N * H));
  return [ggates, gc];
}

// parameters: count, H, then (offset, row stride, column stride) of gi at 2, gh at 5, h at 8
const GRU_CELL = `// gru_cell
${header(12)}${ACTIVATIONS}@group(0) @binding(0) var<storage, read_write> hy: array<f32>;
@group(0) @binding(1) var<storage, read_write> act: array<f32>;
@group(0) @binding(2) var<storage, read> gi: array<f32>;
@group(0) @binding(3) var<storage, read> gh: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
${paramsBinding(5)}${perElement(`  let H = P(1u); let n = i32(e) / H; let k = i32(e) % H;
  let r = sigmoid_(${at("gh", 5, "k")} + ${at("gi", 2, "k")});
  let z = sigmoid_(${at("gh", 5, "H + k")} + ${at("gi", 2, "H + k")});
  let hn = ${at("gh", 5, "2 * H + k")};
  let nn = tanh_(${at("gi", 2, "2 * H + k")} + hn * r);
  let a = u32(n * 4 * H + k); let u = u32(H);
  act[a] = r; act[a + u] = z; act[a + 2u * u] = nn; act[a + 3u * u] = hn;
  hy[e] = (${at("h", 8, "k")} - nn) * z + nn;`)}`;

export function gruCell(gi: Tensor, gh: Tensor, h: Tensor): GruCellResult | null {
  const [N, H3] = gi._shape as [number, number], H = H3 / 3;
  if (gi.ndim !== 2 || !Number.isInteger(H) || !matrix(gi, N, H3) || !matrix(gh, N, H3) || !matrix(h, N, H)) return null;
  const r = { hy: deviceEmpty([N, H], float32), act: deviceEmpty([N, 4 * H], float32) };
  const p = Int32Array.from([N * H, H, ...[gi, gh, h].flatMap((t) => [t._offset, t._strides[0]!, t._strides[1]!]), 0]);
  rt().dispatch(rt().kernel(GRU_CELL), [mem(r.hy).written(), mem(r.act).written(), mem(gi).read(), mem(gh).read(), mem(h).read()], p, groups(N * H));
  return r;
}

// parameters: count, H, then (offset, row stride, column stride) of h at 2, ghy at 5
const GRU_CELL_BACKWARD = `// gru_cell_backward
${header(8)}@group(0) @binding(0) var<storage, read_write> ggi: array<f32>;
@group(0) @binding(1) var<storage, read_write> ggh: array<f32>;
@group(0) @binding(2) var<storage, read_write> gh: array<f32>;
@group(0) @binding(3) var<storage, read> act: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read> ghy: array<f32>;
${paramsBinding(6)}${perElement(`  let H = P(1u); let n = i32(e) / H; let k = i32(e) % H;
  let a = u32(n * 4 * H + k); let u = u32(H);
  let r = act[a]; let z = act[a + u]; let nn = act[a + 2u * u]; let hn = act[a + 3u * u];
  let gy = ${at("ghy", 5, "k")};
  let gz = gy * (${at("h", 2, "k")} - nn) * (1.0 - z) * z;
  let gn = gy * (1.0 - z) * (1.0 - nn * nn);
  let gr = gn * hn * (1.0 - r) * r;
  let g = u32(n * 3 * H + k);
  ggi[g] = gr; ggi[g + u] = gz; ggi[g + 2u * u] = gn;
  ggh[g] = gr; ggh[g + u] = gz; ggh[g + 2u * u] = gn * r;
  gh[e] = gy * z;`)}`;

export function gruCellBackward(ghy: Tensor, h: Tensor, s: GruCellResult): [Tensor, Tensor, Tensor] | null {
  const [N, H] = s.hy._shape as [number, number];
  if (!ghy || !matrix(ghy, N, H) || !matrix(h, N, H) || !onDevice(s.act)) return null;
  const ggi = deviceEmpty([N, 3 * H], float32), ggh = deviceEmpty([N, 3 * H], float32), gh = deviceEmpty([N, H], float32);
  const p = Int32Array.from([N * H, H, ...[h, ghy].flatMap((t) => [t._offset, t._strides[0]!, t._strides[1]!])]);
  rt().dispatch(rt().kernel(GRU_CELL_BACKWARD), [mem(ggi).written(), mem(ggh).written(), mem(gh).written(), mem(s.act).read(), mem(h).read(), mem(ghy).read()], p, groups(N * H));
  return [ggi, ggh, gh];
}
