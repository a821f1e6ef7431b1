// torch.utils.tensorboard.SummaryWriter: the event files of the calls in
// tools/gen_golden_tensorboard.py (writeTensorboardSample) against what PyTorch's SummaryWriter
// wrote for the same calls at the same time (test/golden/tensorboard.json): the same runs, and
// record for record the same bytes, except where Python's bytes are not determined by the data
// (PIL's PNG compression: the pixels are compared; the order of a protobuf map: its entries are).
// That TensorBoard's EventAccumulator reads our files is checked by the same script's --check.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import torch from "typetorch";
import { readGolden, writeTensorboardSample } from "./helpers.js";
import { tfrecord } from "../src/utils/tensorboard/writer.js";
import { crc32c } from "../src/io/crc.js";

interface Golden { wall_time: number; runs: Record<string, { event: string; pixels?: string }[]> }
const G = readGolden<Golden>("tensorboard.json");

/** The values of field `n` of a protobuf message (length-delimited ones as bytes). */
function field(msg: Uint8Array, n: number): (Uint8Array | bigint)[] {
  const out: (Uint8Array | bigint)[] = [];
  let i = 0;
  const varint = () => {
    let v = 0n, shift = 0n;
    for (;;) { const b = msg[i++]!; v |= BigInt(b & 0x7f) << shift; shift += 7n; if (b < 0x80) return v; }
  };
  while (i < msg.length) {
    const key = Number(varint()), f = key >> 3, wire = key & 7;
    let v: Uint8Array | bigint;
    if (wire === 0) v = varint();
    else if (wire === 1 || wire === 5) { v = msg.subarray(i, i + (wire === 1 ? 8 : 4)); i += wire === 1 ? 8 : 4; }
    else if (wire === 2) { const len = Number(varint()); v = msg.subarray(i, i + len); i += len; }
    else throw new Error(`wire type ${wire}`);
    if (f === n) out.push(v);
  }
  return out;
}
const one = (msg: Uint8Array, ...path: number[]) => path.reduce((m, n) => field(m, n)[0] as Uint8Array, msg);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Each run directory's records (the Events' bytes), read back through the TFRecord framing. */
function readRuns(logdir: string): Record<string, Uint8Array[]> {
  const out: Record<string, Uint8Array[]> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith("events.out.tfevents.")) {
        const data = new Uint8Array(readFileSync(join(d, e.name)));
        const recs: Uint8Array[] = [];
        for (let pos = 0; pos < data.length;) {
          const n = Number(new DataView(data.buffer, pos, 8).getBigUint64(0, true));
          const rec = data.subarray(pos + 12, pos + 12 + n);
          assert.deepEqual(tfrecord(rec), data.subarray(pos, pos + 16 + n), "TFRecord framing and CRCs");
          recs.push(rec);
          pos += 16 + n;
        }
        out[relative(logdir, d) || "."] = recs;
      }
    }
  };
  walk(logdir);
  return out;
}

/** The pixels of one of our PNGs (8-bit, filter 0 on every row, as png() writes them). */
function pngPixels(png: Uint8Array, width: number, channels: number): Uint8Array {
  const idat = png.subarray(8 + 25 + 8, png.length - 12 - 4);
  const raw = inflateSync(idat);
  const stride = width * channels, rows = raw.length / (stride + 1);
  const out = new Uint8Array(rows * stride);
  for (let y = 0; y < rows; y++) {
    assert.equal(raw[y * (stride + 1)], 0);
    out.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return out;
}

test("SummaryWriter writes PyTorch's event files, record for record", (t) => {
  t.mock.method(Date, "now", () => G.wall_time * 1000);
  const dir = mkdtempSync(join(tmpdir(), "tt-tb-"));
  try {
    writeTensorboardSample(dir);
    const ours = readRuns(dir);
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(G.runs).sort());
    let bytewise = 0;
    for (const [run, golden] of Object.entries(G.runs)) {
      const recs = ours[run]!;
      assert.equal(recs.length, golden.length, `${run}: number of events`);
      golden.forEach((g, i) => {
        const want = new Uint8Array(Buffer.from(g.event, "base64")), got = recs[i]!;
        const what = `${run} event ${i}`;
        const tag = (e: Uint8Array) => new TextDecoder().decode(one(e, 5, 1, 1));
        if (g.pixels !== undefined) {
          assert.deepEqual(field(got, 1), field(want, 1), `${what}: wall_time`);
          assert.deepEqual(field(got, 2), field(want, 2), `${what}: step`);
          assert.equal(tag(got), tag(want));
          const [im, imWant] = [one(got, 5, 1, 4), one(want, 5, 1, 4)];
          for (const f of [1, 2, 3]) assert.deepEqual(field(im, f), field(imWant, f), `${what}: image field ${f}`);
          const [w, c] = [Number(field(im, 2)[0]), Number(field(im, 3)[0])];
          assert.deepEqual(pngPixels(one(im, 4), w, c), new Uint8Array(Buffer.from(g.pixels, "base64")), `${what}: pixels`);
        } else if (field(want, 5).length && tag(want) === "_hparams_/session_start_info") {
          // map<string, Value>: Python writes the entries in its hash order
          const entries = (e: Uint8Array) => field(one(e, 5, 1, 9, 1, 2, 3), 1).map((x) => hex(x as Uint8Array)).sort();
          assert.deepEqual(entries(got), entries(want), `${what}: hparams`);
          assert.equal(got.length, want.length);
        } else {
          assert.equal(hex(got), hex(want), what);
          bytewise++;
        }
      });
    }
    assert.ok(bytewise >= 15, `${bytewise} records compared byte for byte`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("TFRecord framing: masked CRC-32C", () => {
  // CRC-32C check value (RFC 3720), and the framing of an empty record as tensorboard masks it
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(hex(tfrecord(new Uint8Array(0))), "0000000000000000" + "29039807" + "d8ea82a2");
});

test("SummaryWriter: PyTorch's errors for bad input, nothing written", () => {
  const dir = mkdtempSync(join(tmpdir(), "tt-tb-"));
  try {
    const w = new torch.utils.tensorboard.SummaryWriter({ log_dir: dir });
    assert.throws(() => w.add_scalar("x", torch.ones(2, 3)),
      { message: "Tensor should contain one element (0 dimensions).             Was given size: 6 and 2 dimensions." });
    assert.throws(() => w.add_histogram("h", [1, 2] as never), { message: "Got <class 'list'>, but numpy array or torch tensor are expected." });
    assert.throws(() => w.add_histogram("h", torch.zeros(0)), { message: "The input has no element." });
    assert.throws(() => w.add_image("i", torch.zeros(2, 3)),
      { message: "size of input tensor and input format are different.         tensor shape: (2, 3), input_format: CHW" });
    assert.throws(() => w.add_hparams([] as never, {}), { message: "parameter: hparam_dict should be a dictionary, nothing logged." });
    w.close();
    assert.equal(readRuns(dir)["."]!.length, 1, "only the file_version event");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
