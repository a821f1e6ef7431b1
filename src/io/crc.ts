// CRC-32 checksums, table-driven (reflected, as zlib computes them): CRC-32 (the zip
// format's, polynomial 0xEDB88320) and CRC-32C (Castagnoli's, 0x82F63B78, which TFRecord
// files use). One table per polynomial, built on first use.

import { optionalNodeModule } from "./node.js";

const tables = new Map<number, Uint32Array>();

function table(poly: number): Uint32Array {
  let t = tables.get(poly);
  if (!t) {
    t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
      t[n] = c >>> 0;
    }
    tables.set(poly, t);
  }
  return t;
}

/** The CRC of `data`, continuing from the CRC `prev` of the bytes before it. */
function crc(poly: number, data: Uint8Array, prev = 0): number {
  const t = table(poly);
  let c = ~prev >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const zlib = optionalNodeModule<{ crc32?(data: Uint8Array, value?: number): number }>("node:zlib");

/** The CRC-32 of zip, gzip and PNG (zlib.crc32), continuing from `prev`: Node's zlib.crc32
 *  where it exists (checkpoints run to gigabytes), else the table. */
export const crc32 = (data: Uint8Array, prev = 0): number => (zlib?.crc32 ? zlib.crc32(data, prev) >>> 0 : crc(0xedb88320, data, prev));

/** CRC-32C (Castagnoli), as TFRecord files use it. */
export const crc32c = (data: Uint8Array): number => crc(0x82f63b78, data);
