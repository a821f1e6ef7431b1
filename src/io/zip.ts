// Zip archives (PKWARE's APPNOTE), read and written: PyTorch's torch.save files
// (caffe2/serialize/inline_container.cc, over miniz) and NumPy's .npz files (Python's zipfile).
//
// Reading accepts any zip these come in: stored entries, deflated ones (.npz from
// savez_compressed, or a checkpoint re-zipped by a tool; these need Node's zlib), and ZIP64
// (archives or entries of 4 GiB and more; numpy forces ZIP64 extra fields, gh-10776). Reading
// trusts the central directory, as zipfile does, and nothing in it unchecked: the end records,
// the directory and each local header are bounds-checked against the file before use, entries
// may not overlap (the overlapping-entries zip bomb), a deflated entry may not claim more than
// deflate can produce from its compressed size and is inflated with its declared size as the
// limit, and every entry's CRC-32 is checked on read. Entries are read one at a time from a
// ByteSource, so a large checkpoint's storages go straight from the file into their tensors.
//
// Writing lays the archive out first (so its size is known and a file is written as it goes):
// for PyTorch, every entry's data aligned to 64 bytes by an "FB" padding field in the local
// header and followed by a data descriptor, as miniz writes them; ZIP64 records wherever an
// offset or size needs them. Dates are 1980-01-01 00:00, so the same entries give the same bytes.

import { type ByteSource, type Sink, bufferSource, toBytes } from "./files.js";
import { crc32 } from "./crc.js";
import { nodeModule } from "./node.js";

interface Zlib {
  inflateRawSync(b: Uint8Array, o?: { maxOutputLength?: number }): Uint8Array;
  deflateRawSync(b: Uint8Array): Uint8Array;
}
const zlib = (what: string) => nodeModule<Zlib>("node:zlib", what, "save with compression off (stored) to stay portable");

const LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50, DESCRIPTOR_SIG = 0x08074b50;
const U32_MAX = 0xffffffff;
const UTF8_FLAG = 0x800, DESCRIPTOR_FLAG = 0x8;
const STORED = 0, DEFLATED = 8;
/** 1980-01-01, the zip epoch, as a DOS date. */
const DOS_DATE = (1 << 5) | 1;
/** PyTorch's kFieldAlignment: where each entry's data starts, so storages can be mapped in place. */
export const ALIGNMENT = 64;

/** A malformed zip archive (Python's zipfile.BadZipFile; torch.load adds PyTorch's prefix). */
export class BadZipFile extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadZipFile";
  }
}

// ---- reading --------------------------------------------------------------------------------

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const le = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function u64(dv: DataView, at: number, what: string): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadZipFile(`${what} ${v} is beyond any file`);
  return Number(v);
}

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();

  constructor(private readonly src: ByteSource) {
    const size = src.size;
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes.
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = src.read(size - tailLen, tailLen);
    const tdv = le(tail);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tdv.getUint32(i, true) === EOCD_SIG && i + 22 + tdv.getUint16(i + 20, true) <= tailLen) { eocd = i; break; }
    }
    if (eocd < 0) throw new BadZipFile("File is not a zip file (failed finding central directory)");
    let count = tdv.getUint16(eocd + 10, true);
    let cdSize = tdv.getUint32(eocd + 12, true);
    let cdOffset = tdv.getUint32(eocd + 16, true);
    const eocdPos = size - tailLen + eocd;
    if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
      // ZIP64: a locator just before the record points at the ZIP64 end-of-directory record.
      if (eocdPos < 20) throw new BadZipFile("ZIP64 end of central directory locator missing");
      const loc = le(src.read(eocdPos - 20, 20));
      if (loc.getUint32(0, true) !== ZIP64_LOCATOR_SIG) throw new BadZipFile("ZIP64 end of central directory locator missing");
      const at = u64(loc, 8, "ZIP64 end of central directory offset");
      if (at + 56 > eocdPos - 20) throw new BadZipFile("ZIP64 end of central directory record out of range");
      const z = le(src.read(at, 56));
      if (z.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new BadZipFile("invalid ZIP64 end of central directory record");
      count = u64(z, 32, "entry count");
      cdSize = u64(z, 40, "central directory size");
      cdOffset = u64(z, 48, "central directory offset");
    }
    if (cdOffset + cdSize > eocdPos) throw new BadZipFile("central directory runs past the end of the file");
    if (count * 46 > cdSize) throw new BadZipFile(`central directory of ${cdSize} bytes cannot hold ${count} entries`);
    const cd = src.read(cdOffset, cdSize);
    const dv = le(cd);
    const utf8 = new TextDecoder("utf-8"), latin1 = new TextDecoder("latin1");
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cdSize || dv.getUint32(p, true) !== CENTRAL_SIG) throw new BadZipFile("invalid central directory file header");
      const flags = dv.getUint16(p + 8, true);
      const method = dv.getUint16(p + 10, true);
      const crc = dv.getUint32(p + 16, true);
      let compressedSize = dv.getUint32(p + 20, true);
      let usize = dv.getUint32(p + 24, true);
      const nameLen = dv.getUint16(p + 28, true), extraLen = dv.getUint16(p + 30, true), commentLen = dv.getUint16(p + 32, true);
      let headerOffset = dv.getUint32(p + 42, true);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > cdSize) throw new BadZipFile("central directory file header runs past the directory");
      const name = (flags & UTF8_FLAG ? utf8 : latin1).decode(cd.subarray(p + 46, p + 46 + nameLen));
      // The ZIP64 extra field holds, in this order, the fields that were set to 0xFFFFFFFF.
      for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
        const id = dv.getUint16(e, true), len = dv.getUint16(e + 2, true);
        if (e + 4 + len > p + 46 + nameLen + extraLen) throw new BadZipFile(`bad extra field in the entry of ${name}`);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (what: string) => {
            if (q + 8 > e + 4 + len) throw new BadZipFile(`ZIP64 extra field of ${name} too short`);
            const v = u64(dv, q, what); q += 8; return v;
          };
          if (usize === U32_MAX) usize = next("size");
          if (compressedSize === U32_MAX) compressedSize = next("compressed size");
          if (headerOffset === U32_MAX) headerOffset = next("header offset");
        }
        e += 4 + len;
      }
      if (flags & 1) throw new BadZipFile(`${name} is encrypted`);
      if (method !== 0 && method !== 8) throw new BadZipFile(`${name} uses compression method ${method} (only stored and deflated entries are supported)`);
      if (method === 0 && usize !== compressedSize) throw new BadZipFile(`stored entry ${name} has size ${usize} but compressed size ${compressedSize}`);
      // Deflate expands at most about 1032:1; a larger claim is a bomb or a lie.
      if (method === 8 && usize > compressedSize * 1032 + 1024) throw new BadZipFile(`${name} claims ${usize} bytes from ${compressedSize} deflated bytes`);
      if (this.entries.has(name)) throw new BadZipFile(`duplicate entry ${name}`);
      this.entries.set(name, { name, method, crc, compressedSize, size: usize, headerOffset });
      p = end;
    }
    // Entries may not overlap one another or the directory.
    const sorted = [...this.entries.values()].sort((a, b) => a.headerOffset - b.headerOffset);
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i]!;
      const limit = i + 1 < sorted.length ? sorted[i + 1]!.headerOffset : cdOffset;
      if (e.headerOffset + 30 + e.compressedSize > limit) throw new BadZipFile(`the data of ${e.name} overlaps what follows it`);
    }
  }

  /** Where an entry's data starts: after its local header, whose name and extra lengths may
   *  differ from the central directory's. */
  dataOffset(e: ZipEntry): number {
    const h = le(this.src.read(e.headerOffset, 30));
    if (h.getUint32(0, true) !== LOCAL_SIG) throw new BadZipFile(`invalid local file header of ${e.name}`);
    const start = e.headerOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
    if (start + e.compressedSize > this.src.size) throw new BadZipFile(`the data of ${e.name} runs past the end of the file`);
    return start;
  }

  /** An entry's bytes (inflated if need be), CRC-checked. */
  read(e: ZipEntry): Uint8Array {
    if (e.method === 0) {
      const out = new Uint8Array(e.size);
      this.readInto(e, out);
      return out;
    }
    const raw = this.src.read(this.dataOffset(e), e.compressedSize);
    const z = zlib(`reading the deflated zip entry ${e.name}`);
    let out: Uint8Array;
    try {
      out = z.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new BadZipFile(`${e.name} does not inflate to its ${e.size} bytes: ${(err as Error).message}`);
    }
    if (out.length !== e.size) throw new BadZipFile(`${e.name} inflates to ${out.length} bytes, not ${e.size}`);
    this.checkCrc(e, crc32(out));
    return out;
  }

  /** Reads a stored entry's bytes straight into `dst` (exactly its size), CRC-checked: a tensor's
   *  storage is filled from the file with no copy in between. */
  readInto(e: ZipEntry, dst: Uint8Array): void {
    if (dst.length !== e.size) throw new BadZipFile(`${e.name} holds ${e.size} bytes, expected ${dst.length}`);
    if (e.method !== 0) { dst.set(this.read(e)); return; }
    this.src.readInto(this.dataOffset(e), dst);
    this.checkCrc(e, crc32(dst));
  }

  private checkCrc(e: ZipEntry, crc: number): void {
    if (crc !== e.crc) throw new BadZipFile(`CRC-32 mismatch in ${e.name} (the file is corrupt)`);
  }
}

// ---- writing --------------------------------------------------------------------------------

/** An entry to write: its name inside the archive and its bytes, given as chunks so that a
 *  large storage is written from the tensor's own memory. */
export interface ZipRecord {
  name: string;
  size: number;
  chunks: () => Iterable<Uint8Array>;
  /** The CRC-32 of the bytes when the caller knows it already (else computed from the chunks). */
  crc?: number;
}

export type ZipMethod = "stored" | "deflated";

export interface ZipLayout {
  /** PyTorch's layout: data 64-byte aligned by an "FB" padding field, then a data descriptor. */
  pytorch?: boolean;
  method?: ZipMethod;
}

interface Planned {
  name: Uint8Array; offset: number; crc: number; size: number; csize: number; zip64: boolean; extra: Uint8Array;
  body: () => Iterable<Uint8Array>; descriptor: number;
}

/** PyTorch's padding field: "FB", a 2-byte length, and that many 'Z's, so that the data after a
 *  local header of `headerLen` bytes at `offset` starts at a multiple of ALIGNMENT. */
function padding(offset: number, headerLen: number): Uint8Array {
  const start = offset + headerLen + 4;
  const pad = (ALIGNMENT - (start % ALIGNMENT)) % ALIGNMENT;
  const b = new Uint8Array(4 + pad).fill(0x5a);
  b[0] = 0x46; b[1] = 0x42; b[2] = pad & 0xff; b[3] = pad >> 8;
  return b;
}

/** The ZIP64 extra field of an entry whose sizes or offset need it (sizes first, then the
 *  offset, as APPNOTE orders them; miniz writes the same field in the local header), or nothing. */
function zip64Extra(size: number, csize: number, offset: number): Uint8Array {
  const big = size >= U32_MAX || csize >= U32_MAX, far = offset >= U32_MAX;
  const fields = [...(big ? [size, csize] : []), ...(far ? [offset] : [])];
  const b = new Uint8Array(fields.length ? 4 + 8 * fields.length : 0);
  if (!fields.length) return b;
  const dv = le(b);
  dv.setUint16(0, 0x0001, true);
  dv.setUint16(2, 8 * fields.length, true);
  fields.forEach((v, i) => dv.setBigUint64(4 + 8 * i, BigInt(v), true));
  return b;
}

/**
 * Lays out the archive and returns its total size and a function that writes it. Each record's
 * CRC-32 is computed while planning (its chunks are read twice: once for the CRC, once to write),
 * and deflated records are compressed then.
 */
export function planZip(records: ZipRecord[], layout: ZipLayout = {}): { size: number; write: (sink: Sink) => void } {
  const enc = new TextEncoder();
  const deflate = layout.method === "deflated";
  const planned: Planned[] = [];
  let offset = 0;
  for (const rec of records) {
    const name = enc.encode(rec.name);
    let crc = rec.crc ?? 0;
    if (rec.crc === undefined) for (const c of rec.chunks()) crc = crc32(c, crc);
    let body = rec.chunks, csize = rec.size;
    if (deflate) {
      const all = new Uint8Array(rec.size);
      let o = 0;
      for (const c of rec.chunks()) { all.set(c, o); o += c.length; }
      const packed = zlib("writing a deflated zip entry").deflateRawSync(all);
      body = () => [packed];
      csize = packed.length;
    }
    const z64 = zip64Extra(rec.size, csize, offset);
    const zip64 = z64.length > 0;
    const pad = layout.pytorch ? padding(offset, 30 + name.length + z64.length) : new Uint8Array(0);
    const extra = new Uint8Array(z64.length + pad.length);
    extra.set(z64);
    extra.set(pad, z64.length);
    const descriptor = layout.pytorch && rec.size > 0 ? (zip64 ? 24 : 16) : 0;
    planned.push({ name, offset, crc, size: rec.size, csize, zip64, extra, body, descriptor });
    offset += 30 + name.length + extra.length + csize + descriptor;
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const p of planned) cdSize += 46 + p.name.length + zip64Extra(p.size, p.csize, p.offset).length;
  const zip64End = planned.length >= 0xffff || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const size = cdOffset + cdSize + (zip64End ? 56 + 20 : 0) + 22;

  /** The fields local and central headers share, from "version needed" on. */
  const common = (dv: DataView, at: number, p: Planned) => {
    const big = p.size >= U32_MAX || p.csize >= U32_MAX;
    dv.setUint16(at, p.zip64 ? 45 : 20, true);
    dv.setUint16(at + 2, UTF8_FLAG | (p.descriptor ? DESCRIPTOR_FLAG : 0), true);
    dv.setUint16(at + 4, deflate ? DEFLATED : STORED, true);
    dv.setUint16(at + 8, DOS_DATE, true);
    dv.setUint32(at + 10, p.crc, true);
    dv.setUint32(at + 14, big ? U32_MAX : p.csize, true);
    dv.setUint32(at + 18, big ? U32_MAX : p.size, true);
    dv.setUint16(at + 22, p.name.length, true);
  };
  const write = (sink: Sink) => {
    for (const p of planned) {
      const h = new Uint8Array(30);
      const dv = le(h);
      dv.setUint32(0, LOCAL_SIG, true);
      common(dv, 4, p);
      dv.setUint16(28, p.extra.length, true);
      sink.write(h);
      sink.write(p.name);
      sink.write(p.extra);
      for (const c of p.body()) sink.write(c);
      if (p.descriptor) {
        const d = new Uint8Array(p.descriptor);
        const ddv = le(d);
        ddv.setUint32(0, DESCRIPTOR_SIG, true);
        ddv.setUint32(4, p.crc, true);
        if (p.zip64) { ddv.setBigUint64(8, BigInt(p.csize), true); ddv.setBigUint64(16, BigInt(p.size), true); }
        else { ddv.setUint32(8, p.csize, true); ddv.setUint32(12, p.size, true); }
        sink.write(d);
      }
    }
    for (const p of planned) {
      const x = zip64Extra(p.size, p.csize, p.offset);
      const h = new Uint8Array(46 + p.name.length + x.length);
      const dv = le(h);
      dv.setUint32(0, CENTRAL_SIG, true);
      dv.setUint16(4, p.zip64 ? 45 : 20, true); // version made by
      common(dv, 6, p);
      dv.setUint16(30, x.length, true);
      dv.setUint32(42, p.offset >= U32_MAX ? U32_MAX : p.offset, true);
      h.set(p.name, 46);
      h.set(x, 46 + p.name.length);
      sink.write(h);
    }
    const n = planned.length;
    if (zip64End) {
      const z = new Uint8Array(56 + 20);
      const dv = le(z);
      dv.setUint32(0, ZIP64_EOCD_SIG, true);
      dv.setBigUint64(4, 44n, true);
      dv.setUint16(12, 45, true);
      dv.setUint16(14, 45, true);
      dv.setBigUint64(24, BigInt(n), true);
      dv.setBigUint64(32, BigInt(n), true);
      dv.setBigUint64(40, BigInt(cdSize), true);
      dv.setBigUint64(48, BigInt(cdOffset), true);
      dv.setUint32(56, ZIP64_LOCATOR_SIG, true);
      dv.setBigUint64(64, BigInt(cdOffset + cdSize), true);
      dv.setUint32(72, 1, true);
      sink.write(z);
    }
    const e = new Uint8Array(22);
    const dv = le(e);
    dv.setUint32(0, EOCD_SIG, true);
    dv.setUint16(8, zip64End ? 0xffff : n, true);
    dv.setUint16(10, zip64End ? 0xffff : n, true);
    dv.setUint32(12, zip64End ? U32_MAX : cdSize, true);
    dv.setUint32(16, zip64End ? U32_MAX : cdOffset, true);
    sink.write(e);
  };
  return { size, write };
}

/** The entries of a zip archive in memory, in the central directory's order: name → bytes. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const zip = new ZipReader(bufferSource(bytes));
  return new Map([...zip.entries.values()].map((e) => [e.name, zip.read(e)]));
}

/** A zip archive of the given entries (name → bytes), each stored or deflated, in memory. */
export function writeZip(entries: Iterable<[string, Uint8Array]>, method: ZipMethod = "stored"): Uint8Array {
  const records = [...entries].map(([name, data]): ZipRecord => ({ name, size: data.length, chunks: () => [data] }));
  const plan = planZip(records, { method });
  return toBytes(plan.size, plan.write);
}
