// TensorBoard's Summary protocol buffers, built as torch/utils/tensorboard/summary.py builds
// them (scalar, histogram, image, text, hparams), serialized by hand (proto.ts) in field-number
// order so that the bytes equal Python's for the same values. The messages, from tensorflow's
// summary.proto, tensor.proto and tensorboard's hparams plugin:
//
//   Summary { repeated Value value = 1 }
//   Value { tag = 1; oneof { float simple_value = 2; Image image = 4; HistogramProto histo = 5;
//           TensorProto tensor = 8 }; SummaryMetadata metadata = 9 }
//   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
//                    packed double bucket_limit = 6, bucket = 7 }
//   Image { int32 height = 1, width = 2, colorspace = 3; bytes encoded_image_string = 4 }
//   SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2 } }

import { Tensor } from "../../core/tensor.js";
import { uint8, float32, float64 } from "../../core/dtype.js";
import { stack, cat } from "../../ops/indexing.js";
import { tensor as toTensor } from "../../ops/creation.js";
import { tensorBytes } from "../../io/safetensors.js";
import { ProtoWriter } from "./proto.js";
import { crc32 } from "../../io/crc.js";
import { nodeModule } from "../../io/node.js";

const valueProto = (tag: string) => new ProtoWriter().string(1, tag);
const summaryOf = (value: ProtoWriter) => new ProtoWriter().message(1, value);
const pluginMetadata = (name: string, content?: Uint8Array) => {
  const data = new ProtoWriter().string(1, name);
  if (content && content.length) data.bytes(2, content);
  return new ProtoWriter().message(1, data);
};

/** _utils.make_np: a tensor (detached) or a number (as a 1-element tensor); nothing else. */
function makeNp(x: unknown): Tensor {
  if (x instanceof Tensor) return x.detach();
  if (typeof x === "number") return toTensor([x], { dtype: float64 });
  const cls = Array.isArray(x) ? "list" : x === null || x === undefined ? "NoneType" : typeof x === "string" ? "str" : typeof x;
  throw new TypeError(`Got <class '${cls}'>, but numpy array or torch tensor are expected.`);
}

/** A number, or the one element of a tensor (summary.py's make_np(x).squeeze() check). */
function scalarOf(v: number | Tensor): number {
  if (typeof v === "number") return v;
  makeNp(v);
  if (v.numel() !== 1) {
    throw new Error(`Tensor should contain one element (0 dimensions).             Was given size: ${v.numel()} and ${v.squeeze().dim()} dimensions.`);
  }
  return Number(v.detach().item());
}

/** summary.scalar: the old-style simple_value (a float32). */
export function scalar(tag: string, value: number | Tensor): ProtoWriter {
  return summaryOf(valueProto(tag).float(2, scalarOf(value)));
}

/** SummaryWriter's default histogram bins (summary.py's "tensorflow" bins): ±1e-12·1.1^k up to
 *  1e20, and 0. */
export const DEFAULT_BINS: readonly number[] = (() => {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((v) => -v).reverse(), 0, ...pos];
})();

export type Bins = "tensorflow" | number | readonly number[];

/** np.histogram(values, bins): counts of values in [e_i, e_i+1), the last bin closed. */
function npHistogram(values: Float64Array, bins: number | readonly number[]): { counts: number[]; edges: number[] } {
  let edges: number[];
  if (typeof bins === "number") {
    if (!Number.isInteger(bins) || bins < 1) throw new Error("`bins` must be positive, when an integer");
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`autodetected range of [${lo}, ${hi}] is not finite`);
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    // np.linspace: start + i * step in float64, the last edge exactly `stop`
    const step = (hi - lo) / bins;
    edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * step));
  } else {
    edges = [...bins];
    for (let i = 1; i < edges.length; i++) if (!(edges[i]! >= edges[i - 1]!)) throw new Error("bins must increase monotonically, when an array");
  }
  const counts = new Array<number>(Math.max(edges.length - 1, 0)).fill(0);
  const last = edges.length - 1;
  for (const v of values) {
    if (!(v >= edges[0]! && v <= edges[last]!)) continue;
    // the number of edges <= v, minus one (binary search); v equal to the last edge counts in the last bin
    let lo = 0, hi = edges.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (edges[mid]! <= v) lo = mid + 1; else hi = mid; }
    counts[Math.min(lo - 1, last - 1)]!++;
  }
  return { counts, edges };
}

/** summary.histogram / make_histogram: the HistogramProto of the values (as float64). */
export function histogram(tag: string, values: Tensor | number, bins: Bins, max_bins: number | null = null): ProtoWriter {
  const t = makeNp(values).to(float64);
  if (t.numel() === 0) throw new Error("The input has no element.");
  const flat = t.reshape(-1).contiguous();
  const data = Float64Array.from(flat.tolist() as number[]);
  let { counts, edges } = npHistogram(data, bins === "tensorflow" ? DEFAULT_BINS : bins);
  if (max_bins !== null && counts.length > max_bins) {
    const sub = Math.floor(counts.length / max_bins);
    const merged: number[] = [];
    for (let i = 0; i < counts.length; i += sub) merged.push(counts.slice(i, i + sub).reduce((a, b) => a + b, 0));
    const newEdges: number[] = [];
    for (let i = 0; i < edges.length - 1; i += sub) newEdges.push(edges[i]!);
    newEdges.push(edges[edges.length - 1]!);
    counts = merged;
    edges = newEdges;
  }
  // The support: from the bin before the first non-empty one (TensorBoard keeps only right
  // limits, so an empty bin on the left carries the leftmost limit) to the last non-empty one.
  const first = counts.findIndex((c) => c > 0);
  let lastNZ = -1;
  for (let i = counts.length - 1; i >= 0; i--) if (counts[i]! > 0) { lastNZ = i; break; }
  if (first < 0) throw new Error("The histogram is empty, please file a bug report.");
  const bucket = first > 0 ? counts.slice(first - 1, lastNZ + 1) : [0, ...counts.slice(0, lastNZ + 1)];
  const limits = edges.slice(first, lastNZ + 2);
  let min = Infinity, max = -Infinity;
  for (const v of data) { if (v < min) min = v; if (v > max) max = v; }
  const h = new ProtoWriter();
  const put = (field: number, v: number) => { if (v !== 0 || Object.is(v, -0)) h.double(field, v); };
  put(1, min);
  put(2, max);
  put(3, data.length);
  put(4, Number(flat.sum().item()));
  put(5, Number(flat.dot(flat).item()));
  h.packedDoubles(6, limits).packedDoubles(7, bucket);
  return summaryOf(valueProto(tag).message(5, h));
}

/**
 * The image as height × width × channels uint8 (summary.py's convert_to_HWC and scaling):
 * uint8 images as they are, others × 255, clipped to [0, 255] and truncated; one channel, or a
 * 2-d image, is repeated into RGB.
 */
function toHWC(img: Tensor, dataformats: string): Tensor {
  const fmt = dataformats.toUpperCase();
  if (new Set(fmt).size !== fmt.length) throw new Error(`You can not use the same dimension shorthand twice.             input_format: ${dataformats}`);
  if (img.dim() !== fmt.length) {
    throw new Error(`size of input tensor and input format are different.         tensor shape: (${img.shape.join(", ")}${img.dim() === 1 ? "," : ""}), input_format: ${fmt}`);
  }
  if (fmt.length !== 2 && fmt.length !== 3) throw new Error(`add_image: dataformats must be CHW, HWC or HW (or a permutation), got ${dataformats}`);
  let t = img.detach().permute([...(fmt.length === 3 ? "HWC" : "HW")].map((c) => fmt.indexOf(c)));
  if (fmt.length === 2) t = stack([t, t, t], 2);
  else if (t.shape[2] === 1) t = cat([t, t, t], 2);
  if (t.dtype !== uint8) t = t.to(float32).mul(255).clamp(0, 255).to(uint8);
  return t.contiguous();
}

/** summary.image: the image encoded as PNG (colorspace = channels). */
export function image(tag: string, img: Tensor, dataformats = "CHW"): ProtoWriter {
  const hwc = toHWC(img, dataformats);
  const [h, w, c] = hwc.shape as [number, number, number];
  const im = new ProtoWriter().varint(1, h).varint(2, w).varint(3, c).bytes(4, png(tensorBytes(hwc), w, h, c));
  return summaryOf(valueProto(tag).message(4, im));
}

/** A PNG of 8-bit pixels (gray, gray+alpha, RGB or RGBA rows), deflated with Node's zlib. */
export function png(pixels: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const colorType = ({ 1: 0, 2: 4, 3: 2, 4: 6 } as Record<number, number>)[channels];
  if (colorType === undefined) throw new Error(`an image needs 1, 2, 3 or 4 channels, not ${channels}`);
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height); // each row: filter type 0 (none), then the row
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const zlib = nodeModule<{ deflateSync(b: Uint8Array): Uint8Array }>("node:zlib", "add_image");
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, colorType, 0, 0, 0], 8); // bit depth 8, no interlace
  const chunks = [chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(8 + chunks.reduce((s, c) => s + c.length, 0));
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let pos = 8;
  for (const c of chunks) { out.set(c, pos); pos += c.length; }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** summary.text: a DT_STRING TensorProto of shape [1], tagged for the text plugin. */
export function text(tag: string, s: string): ProtoWriter {
  const shape = new ProtoWriter().message(2, new ProtoWriter().varint(1, 1));
  const tensor = new ProtoWriter().varint(1, 7 /* DT_STRING */).message(2, shape).string(8, s);
  return summaryOf(valueProto(`${tag}/text_summary`).message(8, tensor).message(9, pluginMetadata("text")));
}

export type HParamValue = number | string | boolean | Tensor | null;

/** google.protobuf.Value: number_value = 2, string_value = 3, bool_value = 4 (a oneof). */
function pbValue(v: number | string | boolean): ProtoWriter {
  const w = new ProtoWriter();
  return typeof v === "number" ? w.double(2, v) : typeof v === "string" ? w.string(3, v) : w.varint(4, v);
}

/**
 * summary.hparams: the Experiment, SessionStartInfo and SessionEndInfo summaries of the hparams
 * plugin (plugin_data_pb2.HParamsPluginData: experiment = 2, session_start_info = 3,
 * session_end_info = 4). As in Python, where `isinstance(True, int)`, booleans are numbers.
 */
export function hparams(
  hparam_dict: Record<string, HParamValue>, metric_dict: Record<string, unknown>,
  hparam_domain_discrete: Record<string, unknown[]> | null = null,
): [ProtoWriter, ProtoWriter, ProtoWriter] {
  const isDict = (d: unknown) => d !== null && typeof d === "object" && !Array.isArray(d) && !(d instanceof Tensor);
  if (!isDict(hparam_dict)) throw new TypeError("parameter: hparam_dict should be a dictionary, nothing logged.");
  if (!isDict(metric_dict)) throw new TypeError("parameter: metric_dict should be a dictionary, nothing logged.");
  const domains = hparam_domain_discrete ?? {};
  if (!isDict(domains)) throw new TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.");
  const pyType = (v: unknown) => (typeof v === "boolean" ? "bool" : typeof v);
  for (const [k, v] of Object.entries(domains)) {
    if (!(k in hparam_dict) || !Array.isArray(v) || !v.every((d) => pyType(d) === pyType(hparam_dict[k]))) {
      throw new TypeError(`parameter: hparam_domain_discrete[${k}] should be a list of same type as hparam_dict[${k}].`);
    }
  }
  const ssi = new ProtoWriter();
  const exp = new ProtoWriter();
  for (const [k, raw] of Object.entries(hparam_dict)) {
    if (raw === null || raw === undefined) continue;
    let v: number | string;
    let type: number; // api_pb2.DataType: STRING 1, BOOL 2, FLOAT64 3
    if (typeof raw === "number" || typeof raw === "boolean") { v = Number(raw); type = 3; }
    else if (typeof raw === "string") { v = raw; type = 1; }
    else if (raw instanceof Tensor) { v = Number(raw.detach().reshape(-1).index(0).item()); type = 3; }
    else throw new Error("value should be one of int, float, str, bool, or torch.Tensor");
    ssi.message(1, new ProtoWriter().string(1, k).message(2, pbValue(v))); // map<string, Value> entry
    const info = new ProtoWriter().string(1, k).varint(4, type);
    const domain = raw instanceof Tensor ? undefined : domains[k];
    if (domain) {
      const list = new ProtoWriter();
      for (const d of domain) list.message(1, pbValue(typeof d === "boolean" ? Number(d) : d as number | string));
      info.message(5, list);
    }
    exp.message(4, info);
  }
  for (const k of Object.keys(metric_dict)) exp.message(5, new ProtoWriter().message(1, new ProtoWriter().string(2, k)));
  const plugin = (field: number, m: ProtoWriter, tag: string) =>
    summaryOf(valueProto(tag).message(9, pluginMetadata("hparams", new ProtoWriter().message(field, m).finish())));
  return [
    plugin(2, exp, "_hparams_/experiment"),
    plugin(3, ssi, "_hparams_/session_start_info"),
    plugin(4, new ProtoWriter().varint(1, 1 /* STATUS_SUCCESS */), "_hparams_/session_end_info"),
  ];
}
