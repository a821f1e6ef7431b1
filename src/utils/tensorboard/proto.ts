// A protocol-buffers writer, enough for TensorBoard's messages (Event, Summary, HistogramProto,
// TensorProto, the hparams plugin's): varints, 64- and 32-bit floats, length-delimited bytes,
// strings, nested messages and packed doubles. Fields are written in the order the caller
// gives; the callers follow field-number order, as protobuf's own serializers do, so that our
// bytes equal Python's. proto3 leaves fields at their default out: callers skip them, except
// members of a oneof, which are written whenever set.

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  private raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  private rawVarint(v: bigint): void {
    // int64s below zero are written as their 64-bit two's complement (ten bytes), as protobuf does.
    let u = BigInt.asUintN(64, v);
    this.reserve(10);
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.len++] = Number(u);
  }
  private key(field: number, wire: number): void { this.rawVarint(BigInt((field << 3) | wire)); }

  /** int32, int64, uint64, bool and enum fields. */
  varint(field: number, v: number | bigint | boolean): this {
    this.key(field, 0);
    this.rawVarint(typeof v === "bigint" ? v : BigInt(Number(v)));
    return this;
  }
  double(field: number, v: number): this {
    this.key(field, 1);
    this.reserve(8);
    new DataView(this.buf.buffer).setFloat64(this.len, v, true);
    this.len += 8;
    return this;
  }
  float(field: number, v: number): this {
    this.key(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(b.length));
    this.raw(b);
    return this;
  }
  string(field: number, s: string): this { return this.bytes(field, new TextEncoder().encode(s)); }
  message(field: number, m: ProtoWriter): this { return this.bytes(field, m.finish()); }
  /** A packed repeated double field (left out when empty, as protobuf leaves it). */
  packedDoubles(field: number, vs: readonly number[]): this {
    if (vs.length === 0) return this;
    const b = new Uint8Array(vs.length * 8);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat64(i * 8, v, true));
    return this.bytes(field, b);
  }
  finish(): Uint8Array { return this.buf.slice(0, this.len); }
}
