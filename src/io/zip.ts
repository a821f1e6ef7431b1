// The zip archives PyTorch's torch.save writes (caffe2/serialize/inline_container.cc, over
// miniz), read and written.
//
// Reading accepts any zip a PyTorch checkpoint can come in: stored entries (what PyTorch writes),
// deflated ones (a checkpoint re-zipped by a tool; these need Node's zlib), and ZIP64 (archives or
// entries of 4 GiB and more). Nothing in the file is trusted: the end-of-directory records, the
// central directory and each local header are bounds-checked against the file before use, entries
// may not overlap (the overlapping-entries zip bomb), a deflated entry may not claim more than
// deflate can produce from its compressed size, and every entry's CRC-32 is checked on read.
//
// Writing follows PyTorch's layout so that PyTorch reads the file as its own: every entry stored
// under "<archive>/", its data aligned to 64 bytes by an "FB" padding field in the local header,
// followed by a data descriptor (as miniz writes it), ZIP64 records where an offset or size needs
// them, then the central directory.

import { type ByteSource, type Sink, nodeZlib } from "./files.js";

const LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50, DESCRIPTOR_SIG = 0x08074b50;
const U32_MAX = 0xffffffff;
/** PyTorch's kFieldAlignment: where each entry's data starts, so storages can be mapped in place. */
export const ALIGNMENT = 64;

/** A malformed zip archive, in the words of PyTorch's reader where it has them. */
export class ZipError extends Error {
  constructor(message: string) {
    super(`PytorchStreamReader failed reading zip archive: ${message}`);
    this.name = "ZipError";
  }
}

// ---- CRC-32 ---------------------------------------------------------------------------------

let crcTable: Uint32Array | null = null;

/** CRC-32 (the zip polynomial), continuing from `crc`: Node's zlib.crc32 where it exists. */
export function crc32(data: Uint8Array, crc = 0): number {
  const z = nodeZlib();
  if (z?.crc32) return z.crc32(data, crc) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
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
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`${what} ${v} is beyond any file`);
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
    if (eocd < 0) throw new ZipError("failed finding central directory");
    let count = tdv.getUint16(eocd + 10, true);
    let cdSize = tdv.getUint32(eocd + 12, true);
    let cdOffset = tdv.getUint32(eocd + 16, true);
    const eocdPos = size - tailLen + eocd;
    if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
      // ZIP64: a locator just before the record points at the ZIP64 end-of-directory record.
      if (eocdPos < 20) throw new ZipError("ZIP64 end of central directory locator missing");
      const loc = le(src.read(eocdPos - 20, 20));
      if (loc.getUint32(0, true) !== ZIP64_LOCATOR_SIG) throw new ZipError("ZIP64 end of central directory locator missing");
      const at = u64(loc, 8, "ZIP64 end of central directory offset");
      if (at + 56 > eocdPos - 20) throw new ZipError("ZIP64 end of central directory record out of range");
      const z = le(src.read(at, 56));
      if (z.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new ZipError("invalid ZIP64 end of central directory record");
      count = u64(z, 32, "entry count");
      cdSize = u64(z, 40, "central directory size");
      cdOffset = u64(z, 48, "central directory offset");
    }
    if (cdOffset + cdSize > eocdPos) throw new ZipError("central directory runs past the end of the file");
    if (count * 46 > cdSize) throw new ZipError(`central directory of ${cdSize} bytes cannot hold ${count} entries`);
    const cd = src.read(cdOffset, cdSize);
    const dv = le(cd);
    const utf8 = new TextDecoder("utf-8", { fatal: false });
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cdSize || dv.getUint32(p, true) !== CENTRAL_SIG) throw new ZipError("invalid central directory file header");
      const flags = dv.getUint16(p + 8, true);
      const method = dv.getUint16(p + 10, true);
      const crc = dv.getUint32(p + 16, true);
      let compressedSize = dv.getUint32(p + 20, true);
      let usize = dv.getUint32(p + 24, true);
      const nameLen = dv.getUint16(p + 28, true), extraLen = dv.getUint16(p + 30, true), commentLen = dv.getUint16(p + 32, true);
      let headerOffset = dv.getUint32(p + 42, true);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > cdSize) throw new ZipError("central directory file header runs past the directory");
      const name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLen));
      // The ZIP64 extra field holds, in this order, the fields that were set to 0xFFFFFFFF.
      for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
        const id = dv.getUint16(e, true), len = dv.getUint16(e + 2, true);
        if (e + 4 + len > p + 46 + nameLen + extraLen) throw new ZipError(`bad extra field in the entry of ${name}`);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (what: string) => {
            if (q + 8 > e + 4 + len) throw new ZipError(`ZIP64 extra field of ${name} too short`);
            const v = u64(dv, q, what); q += 8; return v;
          };
          if (usize === U32_MAX) usize = next("size");
          if (compressedSize === U32_MAX) compressedSize = next("compressed size");
          if (headerOffset === U32_MAX) headerOffset = next("header offset");
        }
        e += 4 + len;
      }
      if (flags & 1) throw new ZipError(`${name} is encrypted`);
      if (method !== 0 && method !== 8) throw new ZipError(`${name} uses compression method ${method} (only stored and deflated entries are supported)`);
      if (method === 0 && usize !== compressedSize) throw new ZipError(`stored entry ${name} has size ${usize} but compressed size ${compressedSize}`);
      // Deflate expands at most about 1032:1; a larger claim is a bomb or a lie.
      if (method === 8 && usize > compressedSize * 1032 + 1024) throw new ZipError(`${name} claims ${usize} bytes from ${compressedSize} deflated bytes`);
      if (this.entries.has(name)) throw new ZipError(`duplicate entry ${name}`);
      this.entries.set(name, { name, method, crc, compressedSize, size: usize, headerOffset });
      p = end;
    }
    // Entries may not overlap one another or the directory.
    const sorted = [...this.entries.values()].sort((a, b) => a.headerOffset - b.headerOffset);
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i]!;
      const limit = i + 1 < sorted.length ? sorted[i + 1]!.headerOffset : cdOffset;
      if (e.headerOffset + 30 + e.compressedSize > limit) throw new ZipError(`the data of ${e.name} overlaps what follows it`);
    }
  }

  /** Where an entry's data starts: after its local header, whose name and extra lengths may
   *  differ from the central directory's. */
  dataOffset(e: ZipEntry): number {
    const h = le(this.src.read(e.headerOffset, 30));
    if (h.getUint32(0, true) !== LOCAL_SIG) throw new ZipError(`invalid local file header of ${e.name}`);
    const start = e.headerOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
    if (start + e.compressedSize > this.src.size) throw new ZipError(`the data of ${e.name} runs past the end of the file`);
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
    const z = nodeZlib();
    if (!z) throw new ZipError(`${e.name} is deflated, which needs Node's zlib (save the file uncompressed, as torch.save does)`);
    let out: Uint8Array;
    try {
      out = z.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new ZipError(`${e.name} does not inflate to its ${e.size} bytes: ${(err as Error).message}`);
    }
    if (out.length !== e.size) throw new ZipError(`${e.name} inflates to ${out.length} bytes, not ${e.size}`);
    this.checkCrc(e, crc32(out));
    return out;
  }

  /** Reads a stored entry's bytes straight into `dst` (exactly its size), CRC-checked: a tensor's
   *  storage is filled from the file with no copy in between. */
  readInto(e: ZipEntry, dst: Uint8Array): void {
    if (dst.length !== e.size) throw new ZipError(`${e.name} holds ${e.size} bytes, expected ${dst.length}`);
    if (e.method !== 0) { dst.set(this.read(e)); return; }
    this.src.readInto(this.dataOffset(e), dst);
    this.checkCrc(e, crc32(dst));
  }

  private checkCrc(e: ZipEntry, crc: number): void {
    if (crc !== e.crc) throw new ZipError(`CRC-32 mismatch in ${e.name} (the file is corrupt)`);
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

interface Planned { rec: ZipRecord; name: Uint8Array; offset: number; crc: number; zip64: boolean; extra: Uint8Array }

/** PyTorch's padding field: "FB", a 2-byte length, and that many 'Z's, so that the data after a
 *  local header of `headerLen` bytes at `offset` starts at a multiple of ALIGNMENT. */
function padding(offset: number, headerLen: number): Uint8Array {
  const start = offset + headerLen + 4;
  const pad = (ALIGNMENT - (start % ALIGNMENT)) % ALIGNMENT;
  const b = new Uint8Array(4 + pad).fill(0x5a);
  b[0] = 0x46; b[1] = 0x42; b[2] = pad & 0xff; b[3] = pad >> 8;
  return b;
}

/**
 * Lays out the archive and returns its total size and a function that writes it. Each record's
 * CRC-32 is computed while planning (its chunks are read twice: once for the CRC, once to write).
 */
export function planZip(records: ZipRecord[]): { size: number; write: (sink: Sink) => void } {
  const enc = new TextEncoder();
  const planned: Planned[] = [];
  let offset = 0;
  for (const rec of records) {
    const name = enc.encode(rec.name);
    const zip64 = rec.size >= U32_MAX || offset >= U32_MAX;
    // ZIP64 local extra: sizes when the size needs it, then the offset when it does (miniz's order).
    const z64Len = zip64 ? 4 + (rec.size >= U32_MAX ? 16 : 0) + (offset >= U32_MAX ? 8 : 0) : 0;
    const pad = padding(offset, 30 + name.length + z64Len);
    const extra = new Uint8Array(z64Len + pad.length);
    if (zip64) {
      const dv = le(extra);
      dv.setUint16(0, 0x0001, true);
      dv.setUint16(2, z64Len - 4, true);
      let q = 4;
      if (rec.size >= U32_MAX) { dv.setBigUint64(q, BigInt(rec.size), true); dv.setBigUint64(q + 8, BigInt(rec.size), true); q += 16; }
      if (offset >= U32_MAX) dv.setBigUint64(q, BigInt(offset), true);
    }
    extra.set(pad, z64Len);
    let crc = rec.crc ?? 0;
    if (rec.crc === undefined) for (const c of rec.chunks()) crc = crc32(c, crc);
    planned.push({ rec, name, offset, crc, zip64, extra });
    offset += 30 + name.length + extra.length + rec.size + (rec.size > 0 ? (zip64 ? 24 : 16) : 0);
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const p of planned) cdSize += 46 + p.name.length + centralExtraLen(p);
  const zip64End = planned.length >= 0xffff || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const size = cdOffset + cdSize + (zip64End ? 56 + 20 : 0) + 22;

  const write = (sink: Sink) => {
    for (const p of planned) {
      const big = p.rec.size >= U32_MAX;
      const h = new Uint8Array(30);
      const dv = le(h);
      dv.setUint32(0, LOCAL_SIG, true);
      dv.setUint16(4, p.zip64 ? 45 : 20, true);
      dv.setUint16(6, p.rec.size > 0 ? 0x0808 : 0x0800, true); // bit 11: UTF-8 names; bit 3: a descriptor follows the data
      dv.setUint32(14, p.crc, true);
      dv.setUint32(18, big ? U32_MAX : p.rec.size, true);
      dv.setUint32(22, big ? U32_MAX : p.rec.size, true);
      dv.setUint16(26, p.name.length, true);
      dv.setUint16(28, p.extra.length, true);
      sink.write(h);
      sink.write(p.name);
      sink.write(p.extra);
      for (const c of p.rec.chunks()) sink.write(c);
      if (p.rec.size > 0) {
        const d = new Uint8Array(p.zip64 ? 24 : 16);
        const ddv = le(d);
        ddv.setUint32(0, DESCRIPTOR_SIG, true);
        ddv.setUint32(4, p.crc, true);
        if (p.zip64) { ddv.setBigUint64(8, BigInt(p.rec.size), true); ddv.setBigUint64(16, BigInt(p.rec.size), true); }
        else { ddv.setUint32(8, p.rec.size, true); ddv.setUint32(12, p.rec.size, true); }
        sink.write(d);
      }
    }
    for (const p of planned) {
      const big = p.rec.size >= U32_MAX, farOff = p.offset >= U32_MAX;
      const xlen = centralExtraLen(p);
      const h = new Uint8Array(46 + p.name.length + xlen);
      const dv = le(h);
      dv.setUint32(0, CENTRAL_SIG, true);
      dv.setUint16(4, p.zip64 ? 45 : 20, true);
      dv.setUint16(6, p.zip64 ? 45 : 20, true);
      dv.setUint16(8, p.rec.size > 0 ? 0x0808 : 0x0800, true);
      dv.setUint32(16, p.crc, true);
      dv.setUint32(20, big ? U32_MAX : p.rec.size, true);
      dv.setUint32(24, big ? U32_MAX : p.rec.size, true);
      dv.setUint16(28, p.name.length, true);
      dv.setUint16(30, xlen, true);
      dv.setUint32(42, farOff ? U32_MAX : p.offset, true);
      h.set(p.name, 46);
      if (xlen) {
        let q = 46 + p.name.length;
        dv.setUint16(q, 0x0001, true);
        dv.setUint16(q + 2, xlen - 4, true);
        q += 4;
        if (big) { dv.setBigUint64(q, BigInt(p.rec.size), true); dv.setBigUint64(q + 8, BigInt(p.rec.size), true); q += 16; }
        if (farOff) dv.setBigUint64(q, BigInt(p.offset), true);
      }
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

function centralExtraLen(p: Planned): number {
  const big = p.rec.size >= U32_MAX, farOff = p.offset >= U32_MAX;
  return big || farOff ? 4 + (big ? 16 : 0) + (farOff ? 8 : 0) : 0;
}
