// Zip archives (PKWARE's APPNOTE), read and written in memory: NumPy's .npz files are zip
// archives of .npy files, stored or deflated, and written by Python's zipfile with Zip64
// extra fields (numpy forces them, gh-10776).
//
// Reading trusts the central directory, as zipfile does: each entry's sizes, method and
// offset come from there, the local header only says how much name and extra field to skip.
// Every size and offset is checked against the buffer before use, deflated data is inflated
// with its declared size as the output limit (a "zip bomb" stops there), and the CRC-32 of
// what comes out must match. Deflate needs node:zlib; stored archives work everywhere.

import { crc32 } from "./crc.js";
import { nodeModule } from "./node.js";

export type ZipMethod = "stored" | "deflated";

export class BadZipFile extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadZipFile";
  }
}

interface Zlib {
  inflateRawSync(b: Uint8Array, o?: { maxOutputLength?: number }): Uint8Array;
  deflateRawSync(b: Uint8Array): Uint8Array;
}
const zlib = (what: string) => nodeModule<Zlib>("node:zlib", what, "save with compression off (stored) to stay portable");

const SIG_LOCAL = 0x04034b50, SIG_CENTRAL = 0x02014b50, SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50, SIG_END64_LOCATOR = 0x07064b50;
const STORED = 0, DEFLATED = 8;
const UTF8_FLAG = 0x800;

/** The entries of a zip archive, in the central directory's order: name → uncompressed bytes. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (pos: number, n: number, what: string) => {
    if (pos < 0 || pos + n > bytes.length) throw new BadZipFile(`${what} runs past the end of the file (truncated or corrupt zip)`);
  };
  // The end-of-central-directory record: the last signature within 22 + 65535 bytes of the end.
  let end = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (dv.getUint32(p, true) === SIG_END) { end = p; break; }
  }
  if (end < 0) throw new BadZipFile("File is not a zip file");
  let count = dv.getUint16(end + 10, true);
  let cdSize = dv.getUint32(end + 12, true);
  let cdOffset = dv.getUint32(end + 16, true);
  if (end >= 20 && dv.getUint32(end - 20, true) === SIG_END64_LOCATOR) {
    const at = big(dv, end - 20 + 8);
    need(at, 56, "the Zip64 end of central directory");
    if (dv.getUint32(at, true) !== SIG_END64) throw new BadZipFile("Corrupt zip file: bad Zip64 end of central directory signature");
    count = big(dv, at + 32);
    cdSize = big(dv, at + 40);
    cdOffset = big(dv, at + 48);
  }
  need(cdOffset, cdSize, "the central directory");
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    need(p, 46, "a central directory entry");
    if (dv.getUint32(p, true) !== SIG_CENTRAL) throw new BadZipFile("Bad magic number for central directory");
    const flags = dv.getUint16(p + 8, true), method = dv.getUint16(p + 10, true), crc = dv.getUint32(p + 16, true);
    let csize = dv.getUint32(p + 20, true), usize = dv.getUint32(p + 24, true);
    const nlen = dv.getUint16(p + 28, true), xlen = dv.getUint16(p + 30, true), clen = dv.getUint16(p + 32, true);
    let offset = dv.getUint32(p + 42, true);
    need(p + 46, nlen + xlen + clen, "a central directory entry");
    const name = new TextDecoder(flags & UTF8_FLAG ? "utf-8" : "latin1").decode(bytes.subarray(p + 46, p + 46 + nlen));
    // Zip64 extra field (id 1): the 8-byte values of the fields saturated at 0xFFFFFFFF, in order.
    for (let x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen;) {
      const id = dv.getUint16(x, true), len = dv.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff) { usize = big(dv, q); q += 8; }
        if (csize === 0xffffffff) { csize = big(dv, q); q += 8; }
        if (offset === 0xffffffff) { offset = big(dv, q); q += 8; }
      }
      x += 4 + len;
    }
    need(offset, 30, `the local header of '${name}'`);
    if (dv.getUint32(offset, true) !== SIG_LOCAL) throw new BadZipFile(`Bad magic number for file header of '${name}'`);
    const start = offset + 30 + dv.getUint16(offset + 26, true) + dv.getUint16(offset + 28, true);
    need(start, csize, `the data of '${name}'`);
    const raw = bytes.subarray(start, start + csize);
    let data: Uint8Array;
    if (method === STORED) {
      if (csize !== usize) throw new BadZipFile(`Corrupt zip file: stored entry '${name}' has different compressed and uncompressed sizes`);
      data = raw;
    } else if (method === DEFLATED) {
      try {
        data = zlib("reading a deflated zip entry").inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch (e) {
        throw new BadZipFile(`Error -3 while decompressing data of '${name}': ${(e as Error).message}`);
      }
      if (data.length !== usize) throw new BadZipFile(`Corrupt zip file: '${name}' inflates to ${data.length} bytes, not ${usize}`);
    } else {
      throw new BadZipFile(`That compression method is not supported (method ${method} in '${name}')`);
    }
    if (crc32(data) !== crc) throw new BadZipFile(`Bad CRC-32 for file '${name}'`);
    out.set(name, data);
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

function big(dv: DataView, at: number): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadZipFile("Corrupt zip file: a Zip64 size or offset is out of range");
  return Number(v);
}

/**
 * A zip archive of the given entries (name → bytes), each stored or deflated. Dates are
 * 1980-01-01 00:00 (the zip epoch), so the same entries always give the same bytes.
 */
export function writeZip(entries: Iterable<[string, Uint8Array]>, method: ZipMethod = "stored"): Uint8Array {
  const locals: Uint8Array[] = [], centrals: Uint8Array[] = [];
  let offset = 0, count = 0;
  for (const [name, data] of entries) {
    const nameBytes = new TextEncoder().encode(name);
    const body = method === "deflated" ? zlib("savez_compressed").deflateRawSync(data) : data;
    const crc = crc32(data);
    if (offset + 30 + nameBytes.length + body.length > 0xffffffff) throw new RangeError("writeZip: archives of 4 GiB or more are not supported");
    const flags = /[^\x20-\x7e]/.test(name) ? UTF8_FLAG : 0;
    const common = (dv: DataView, at: number) => {
      dv.setUint16(at, 20, true); // version needed to extract: 2.0 (deflate)
      dv.setUint16(at + 2, flags, true);
      dv.setUint16(at + 4, method === "deflated" ? DEFLATED : STORED, true);
      dv.setUint16(at + 6, 0, true); // time 00:00:00
      dv.setUint16(at + 8, (1 << 5) | 1, true); // date 1980-01-01
      dv.setUint32(at + 10, crc, true);
      dv.setUint32(at + 14, body.length, true);
      dv.setUint32(at + 18, data.length, true);
      dv.setUint16(at + 22, nameBytes.length, true);
    };
    const local = new Uint8Array(30 + nameBytes.length);
    const ldv = new DataView(local.buffer);
    ldv.setUint32(0, SIG_LOCAL, true);
    common(ldv, 4);
    local.set(nameBytes, 30);
    const central = new Uint8Array(46 + nameBytes.length);
    const cdv = new DataView(central.buffer);
    cdv.setUint32(0, SIG_CENTRAL, true);
    cdv.setUint16(4, 20, true); // version made by: 2.0, MS-DOS attributes
    common(cdv, 6);
    cdv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
    count++;
  }
  if (count > 0xffff) throw new RangeError("writeZip: more than 65535 entries are not supported");
  const cdSize = centrals.reduce((s, c) => s + c.length, 0);
  const endRec = new Uint8Array(22);
  const edv = new DataView(endRec.buffer);
  edv.setUint32(0, SIG_END, true);
  edv.setUint16(8, count, true);
  edv.setUint16(10, count, true);
  edv.setUint32(12, cdSize, true);
  edv.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let pos = 0;
  for (const part of [...locals, ...centrals, endRec]) { out.set(part, pos); pos += part.length; }
  return out;
}
