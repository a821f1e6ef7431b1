// PyTorch's CPU random number generator, bit for bit: the mt19937 engine of
// aten/src/ATen/core/MT19937RNGEngine.h, the CPUGeneratorImpl around it (seeding, random64,
// the cached spare normal, the get_rng_state byte layout), and the transforms that turn its
// words into samples (aten/src/ATen/core/TransformationHelper.h, DistributionsHelper.h, and the
// CPU kernels in aten/src/ATen/native/cpu/DistributionTemplates.h / DistributionKernels.cpp,
// randperm in aten/src/ATen/native/TensorFactories.cpp, multinomial in native/Distributions.cpp
// and native/cpu/MultinomialKernel.cpp).
//
// This module works on flat typed arrays so that it has no dependency on the Tensor class; a
// sampler fills `out` element 0 first, which is the order PyTorch's cpu_serial_kernel visits a
// contiguous tensor. Each sampler draws exactly the words PyTorch draws, in the same order, so
// that any sequence of calls after one manual_seed reproduces PyTorch's sequence.
//
// Note [Which of PyTorch's CPU paths]: PyTorch picks kernels by build and by CPU, and the
// numbers depend on the pick. We reproduce PyTorch 2.x on an x86-64 CPU with AVX2 (what every
// official Linux/Windows wheel uses there), without MKL's VSL generators:
//   * normal_ on a contiguous float32 tensor of >= 16 elements runs normal_fill_16_AVX2, whose
//     log/sin/cos are Julien Pommier's cephes-derived avx_mathfun.h polynomials evaluated in
//     float32 with FMA contraction; we evaluate the same polynomials operation by operation
//     (Note [avx_mathfun emulation]). An ARM build (no AVX2) would use the scalar normal_fill
//     instead; we do not reproduce that variant.
//   * bernoulli_(p) with a scalar p: MKL builds on Intel CPUs use VSL's MCG31 stream instead of
//     mt19937 (bernoulli_scalar_kernel); builds without MKL, and every build on AMD CPUs, use
//     the default kernel, which is what we implement.
//   * exponential_ (and so multinomial without replacement) uses the default kernel,
//     -1/lambda * log1p(-u) with a 53-bit u: PyTorch 2.x has its MKL variant switched off
//     (pytorch/pytorch#132395).
//
// Note [FMA contraction]: PyTorch's CPU kernels are compiled by GCC with -mfma for the AVX2
// capability and GCC's default -ffp-contract=fast, so `x * (to - from) + from` in uniform_real
// and `val * std + mean` in transformation::normal are fused multiply-adds: one rounding, not
// two. We checked this against real PyTorch (test/random.test.ts); fma32/fma64 below compute
// correctly rounded fused results in JavaScript, which has no fma of its own.

import { fmtDouble } from "./printing.js";
import {
  type DType, type Storage, cppTypeName, float32, float64, scalarTypeName, floatToHalf, floatToBf16, halfToFloat, bf16ToFloat, int64, arrayFor,
} from "./dtype.js";

// ---------------------------------------------------------------------------------------------
// mt19937 (MT19937RNGEngine.h: Matsumoto & Nishimura's mt19937ar-cok with a 32-bit state array)

const MERSENNE_STATE_N = 624;
const MERSENNE_STATE_M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

/** c10::detail::default_rng_seed_val: the seed of a `torch.Generator()` made without one. */
const DEFAULT_RNG_SEED = 67280421310721n;

const TWO_POW_32 = 4294967296;
const TWO_POW_64 = 1n << 64n;
const UINT64_MASK = TWO_POW_64 - 1n;

/** Size of PyTorch's CPUGeneratorImplState, the bytes torch.get_rng_state() returns. */
const STATE_BYTES = 5056;

/**
 * A CPU random number generator, PyTorch's `torch.Generator()` on CPU.
 *
 * Holds an mt19937 engine plus the spare normal sample that PyTorch's Box–Muller
 * normal_distribution<double> caches (CPUGeneratorImpl::next_double_normal_sample).
 */
export class Generator {
  readonly device: string;
  private readonly mt = new Uint32Array(MERSENNE_STATE_N);
  private left = 1;
  private next = 0;
  private seed_ = 0n;
  /** next_double_normal_sample_: the second Box–Muller value, used by the next scalar normal. */
  private nextDoubleNormal: number | null = null;
  /** next_float_normal_sample_: kept only so that get_state/set_state round-trip PyTorch's
   *  bytes; no CPU kernel we implement uses normal_distribution<float>. */
  private nextFloatNormal: number | null = null;

  constructor(opts: { device?: string } = {}) {
    const device = opts.device ?? "cpu";
    if (device !== "cpu") {
      throw new Error(`${device} generators are not available: typetorch has only the CPU generator`);
    }
    this.device = device;
    this.setSeed(DEFAULT_RNG_SEED);
  }

  /** Seeds the engine (CPUGeneratorImpl::set_current_seed). `seed` is a uint64 as in PyTorch;
   *  negative values are taken as their two's complement, as torch.manual_seed does. */
  manual_seed(seed: number | bigint): this {
    this.setSeed(toUint64Seed(seed));
    return this;
  }

  /** Reseeds from a nondeterministic source and returns the seed. PyTorch draws 64 bits from
   *  /dev/urandom; we draw 53 so that the seed is exact as a JS number and
   *  `manual_seed(g.seed())` reproduces the stream. */
  seed(): number {
    const s = nondeterministicSeed();
    this.setSeed(BigInt(s));
    return s;
  }

  /** The seed the engine was last seeded with. Exact up to 2^53; a larger uint64 seed is
   *  returned rounded to the nearest double (see initial_seed_bigint for the exact value). */
  initial_seed(): number {
    return Number(this.seed_);
  }

  /** The exact uint64 seed. */
  initial_seed_bigint(): bigint {
    return this.seed_;
  }

  /** PyTorch's 5056-byte CPUGeneratorImplState, byte for byte as torch.get_rng_state() returns
   *  it, so states can be moved between typetorch and PyTorch. */
  get_state(): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, this.seed_, true); // the_initial_seed
    v.setInt32(8, this.left, true); // left
    v.setInt32(12, 1, true); // seeded
    v.setBigUint64(16, BigInt(this.next), true); // next
    // state[624] as uint64 words: the low halves hold the engine's uint32 words.
    for (let i = 0; i < MERSENNE_STATE_N; i++) v.setUint32(24 + 8 * i, this.mt[i]!, true);
    // normal_x (5016) and normal_rho (5032) are dummies PyTorch leaves at 0.
    if (this.nextDoubleNormal !== null) {
      v.setFloat64(5024, this.nextDoubleNormal, true); // normal_y
      v.setInt32(5040, 1, true); // normal_is_valid
    }
    if (this.nextFloatNormal !== null) {
      v.setFloat32(5048, this.nextFloatNormal, true); // next_float_normal_sample
      v.setUint8(5052, 1); // is_next_float_normal_sample_valid
    }
    return bytes;
  }

  /** Restores a state from get_state() or from PyTorch's torch.get_rng_state() bytes
   *  (CPUGeneratorImpl::set_state, with its checks and messages). */
  set_state(s: Uint8Array): this {
    if (s.length !== STATE_BYTES) {
      throw new Error(`Expected a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${s.length}`);
    }
    const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
    const left = v.getInt32(8, true);
    const seeded = v.getInt32(12, true);
    // mt19937_data_pod keeps next_ as uint32: PyTorch truncates the legacy uint64.
    const next = Number(v.getBigUint64(16, true) & 0xffffffffn);
    // mt19937_engine::is_valid; `seeded` is a bool in the engine, so any nonzero int is true.
    if (seeded === 0 || !(left > 0 && left <= MERSENNE_STATE_N) || next > MERSENNE_STATE_N) {
      throw new Error("Invalid mt19937 state");
    }
    for (let i = 0; i < MERSENNE_STATE_N; i++) {
      // The legacy layout stores each word as uint64; std::copy into uint32 keeps the low half.
      this.mt[i] = v.getUint32(24 + 8 * i, true);
    }
    this.seed_ = v.getBigUint64(0, true);
    this.left = left;
    this.next = next;
    this.nextDoubleNormal = v.getInt32(5040, true) !== 0 ? v.getFloat64(5024, true) : null;
    this.nextFloatNormal = v.getUint8(5052) !== 0 ? v.getFloat32(5048, true) : null;
    return this;
  }

  /** The next 32-bit word (CPUGeneratorImpl::random, i.e. mt19937_engine::operator()). */
  random(): number {
    if (--this.left === 0) this.nextState();
    let y = this.mt[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** CPUGeneratorImpl::random64: the FIRST word is the high half. */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** @internal uniform_real_distribution<double>(0, 1): the low 53 bits of random64() times
   *  2^-53, computed without BigInt (hi's low 21 bits, then lo). */
  uniform53(): number {
    const hi = this.random();
    const lo = this.random();
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * 2 ** -53;
  }

  /** @internal uniform53() for each element of `out`, in order: the same words, with the
   *  engine's state in locals and the tempering inlined (a call per word returning a uint32 above
   *  2^31 allocates a heap number, which made bulk sampling 4x slower). */
  fillUniform53(out: Float64Array, start = 0, end = out.length): void {
    const mt = this.mt;
    let left = this.left, next = this.next;
    for (let i = start; i < end; i++) {
      if (--left === 0) { this.nextState(); left = MERSENNE_STATE_N; next = 0; }
      let hi = mt[next++]!;
      hi ^= hi >>> 11; hi ^= (hi << 7) & 0x9d2c5680; hi ^= (hi << 15) & 0xefc60000; hi ^= hi >>> 18;
      if (--left === 0) { this.nextState(); left = MERSENNE_STATE_N; next = 0; }
      let lo = mt[next++]!;
      lo ^= lo >>> 11; lo ^= (lo << 7) & 0x9d2c5680; lo ^= (lo << 15) & 0xefc60000; lo ^= lo >>> 18;
      out[i] = ((hi & 0x1fffff) * TWO_POW_32 + (lo >>> 0)) * 2 ** -53;
    }
    this.left = left;
    this.next = next;
  }

  /** @internal uniform_real_distribution<float>(0, 1) for each element of `out`, in order: the
   *  low 24 bits of one word times 2^-24, inlined as fillUniform53. */
  fillUniform24(out: Float32Array, start: number, end: number): void {
    const mt = this.mt;
    let left = this.left, next = this.next;
    for (let i = start; i < end; i++) {
      if (--left === 0) { this.nextState(); left = MERSENNE_STATE_N; next = 0; }
      let y = mt[next++]!;
      y ^= y >>> 11; y ^= (y << 7) & 0x9d2c5680; y ^= (y << 15) & 0xefc60000; y ^= y >>> 18;
      out[i] = (y & 0xffffff) * 2 ** -24;
    }
    this.left = left;
    this.next = next;
  }

  /** @internal Runs a fast sampler (Note [Fast samplers]) on the engine's words and its cursor
   *  [left, next], which the sampler advances; false when it declined (nothing drawn). */
  drawWith(sample: (mt: Uint32Array, pos: Int32Array) => boolean): boolean {
    const pos = cursor;
    pos[0] = this.left;
    pos[1] = this.next;
    if (!sample(this.mt, pos)) return false;
    this.left = pos[0]!;
    this.next = pos[1]!;
    return true;
  }

  /** @internal The cached Box–Muller spare of normal_distribution<double>. */
  takeDoubleNormal(): number | null {
    const v = this.nextDoubleNormal;
    this.nextDoubleNormal = null;
    return v;
  }

  /** @internal */
  putDoubleNormal(v: number): void {
    this.nextDoubleNormal = v;
  }

  private setSeed(seed: bigint): void {
    // set_current_seed drops both cached normals, then mt19937_engine::init_with_uint32 keeps
    // only the low 32 bits of the uint64 seed for the state (the full seed is remembered).
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    this.seed_ = seed;
    const mt = this.mt;
    mt[0] = Number(seed & 0xffffffffn);
    for (let j = 1; j < MERSENNE_STATE_N; j++) {
      const prev = mt[j - 1]!;
      mt[j] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** mt19937_engine::next_state: regenerate all 624 words. In int32 arithmetic (the typed array
   *  stores the same bits) with a branchless twist and no index wrap-around inside the loops:
   *  3x faster than with a twist() returning uint32s. */
  private nextState(): void {
    const mt = this.mt, N = MERSENNE_STATE_N, M = MERSENNE_STATE_M;
    this.left = N;
    this.next = 0;
    let p = 0;
    for (; p < N - M; p++) mt[p] = mt[p + M]! ^ twisted(mt[p]!, mt[p + 1]!);
    for (; p < N - 1; p++) mt[p] = mt[p + M - N]! ^ twisted(mt[p]!, mt[p + 1]!);
    mt[p] = mt[p + M - N]! ^ twisted(mt[p]!, mt[0]!);
  }
}

/** The cursor handed to fast samplers (one at a time: they run synchronously). */
const cursor = new Int32Array(2);

/** The twist of mt19937's next_state, as an int32. */
function twisted(u: number, v: number): number {
  return (((u & UMASK) | (v & LMASK)) >>> 1) ^ (-(v & 1) & MATRIX_A);
}

/** torch.manual_seed's unpacking (THPGenerator_manualSeed): a uint64, or failing that an
 *  int64 reinterpreted as uint64; anything else overflows. Non-integral numbers truncate, as
 *  Python's int(seed) does. */
function toUint64Seed(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === "bigint") {
    s = seed;
  } else {
    if (!Number.isFinite(seed)) {
      throw new Error(`cannot convert float ${Number.isNaN(seed) ? "NaN" : "infinity"} to integer`);
    }
    s = BigInt(Math.trunc(seed));
  }
  if (s >= TWO_POW_64 || s < -(1n << 63n)) throw new Error("Overflow when unpacking long long");
  return s & UINT64_MASK;
}

function nondeterministicSeed(): number {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) {
    c.getRandomValues(words);
  } else {
    words[0] = Math.floor(Math.random() * TWO_POW_32);
    words[1] = Math.floor(Math.random() * TWO_POW_32);
  }
  return (words[0]! & 0x1fffff) * TWO_POW_32 + words[1]!;
}

// ---------------------------------------------------------------------------------------------
// Note [Fast samplers]: uniform_, normal_ and bernoulli_ on large float tensors are most of the
// time random numbers take, so the fast backend (the native engine, src/backends) may run them:
// it draws the same words from the Generator's own state (passed in and advanced in place, so
// seeding, get_state and set_state see exactly what the functions below would have left) and
// computes the same bits. What it declines (a dtype, a size) runs here. The backends' dispatcher sets it.

/** @internal A backend's samplers: each fills all of `out` (storage of dtype d) exactly as
 *  uniform_ / normal_ / bernoulli_scalar_ below, arguments already checked; false: declined, nothing drawn. */
export interface FastSamplers {
  uniform(out: Storage, d: DType, from: number, to: number, mt: Uint32Array, pos: Int32Array): boolean;
  normal(out: Storage, d: DType, mean: number, std: number, mt: Uint32Array, pos: Int32Array): boolean;
  /** bernoulli_scalar_'s draws and comparisons */
  bernoulli(out: Storage, d: DType, p: number, mt: Uint32Array, pos: Int32Array): boolean;
}
let fast: FastSamplers | null = null;
/** @internal */
export function setFastSamplers(s: FastSamplers | null): void { fast = s; }

// ---------------------------------------------------------------------------------------------
// The default generator and torch.* seeding functions

/** torch.default_generator. PyTorch seeds it from /dev/urandom at startup; so do we. */
export const default_generator: Generator = new Generator();
default_generator.seed();

/** torch.manual_seed: seeds the default generator and returns it. */
export function manual_seed(seed: number | bigint): Generator {
  return default_generator.manual_seed(seed);
}

/** torch.seed: reseeds the default generator nondeterministically and returns the seed. */
export function seed(): number {
  return default_generator.seed();
}

/** torch.initial_seed */
export function initial_seed(): number {
  return default_generator.initial_seed();
}

/** torch.get_rng_state: PyTorch's 5056-byte state of the default generator. */
export function get_rng_state(): Uint8Array {
  return default_generator.get_state();
}

/** torch.set_rng_state */
export function set_rng_state(s: Uint8Array): void {
  default_generator.set_state(s);
}

// ---------------------------------------------------------------------------------------------
// Exact floating-point helpers (Note [FMA contraction])

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);
// Index of the low 32-bit word of a float64 in f64w (0 on every little-endian platform).
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** Round-to-odd of the exact sum x + y: the double nearest below/above the exact value whose
 *  last significand bit is 1 when the sum is inexact. Rounding a round-to-odd result to a
 *  format at least two bits narrower gives the correctly rounded result (Boldo & Melquiond,
 *  "Emulation of FMA and correctly rounded sums: proved algorithms using rounding to odd",
 *  IEEE TC 2008). */
function addRoundOdd(x: number, y: number): number {
  const s = x + y;
  // Knuth's TwoSum: err is exactly (x + y) - s.
  const bv = s - x;
  const err = (x - (s - bv)) + (y - bv);
  if (err === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((f64w[LO]! & 1) !== 0) return s; // already odd
  // s is even and the exact sum lies strictly between s and its neighbour toward err: step
  // one ulp that way (the neighbour of an even significand is odd).
  const away = (err > 0) === (s > 0);
  if (away) {
    const lo = f64w[LO]! + 1; // even + 1 cannot carry
    f64w[LO] = lo;
  } else {
    const lo = f64w[LO]!;
    if (lo === 0) {
      f64w[LO] = 0xffffffff;
      f64w[HI] = f64w[HI]! - 1;
    } else {
      f64w[LO] = lo - 1;
    }
  }
  return f64[0]!;
}

/** float32 fma(a, b, c) with one rounding, for float32 inputs. a*b is exact in a double
 *  (24 + 24 bits), so the double sum s has been rounded once, and rounding it again to float32
 *  is the single rounding of the exact sum unless s landed exactly halfway between two floats
 *  (the one case where a double rounding can tie the wrong way; about one sum in 2^29). Only
 *  then is the sum redone rounded to odd, then to float32 (53 >= 24 + 2). The test for halfway:
 *  s + (s - r) is then the float on s's other side, itself a float32 and not r. */
export function fma32(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = Math.fround(s);
  const other = s + (s - r);
  return other !== r && Math.fround(other) === other ? Math.fround(addRoundOdd(a * b, c)) : r;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's splitting constant for doubles

/** float64 fma(a, b, c) with one rounding (Boldo & Melquiond's emulation: Dekker's exact
 *  product, TwoSum, a round-to-odd addition, then one round-to-nearest). Exact except when
 *  a*b over/underflows, which the samplers here never reach. */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (c === 0 || p === 0 || !Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  // Dekker's TwoProduct: p + pe == a * b exactly.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // TwoSum(c, p): th + tl == c + p exactly.
  const th = c + p;
  const bv = th - c;
  const tl = (c - (th - bv)) + (p - bv);
  return th + addRoundOdd(tl, pe);
}

/** x·2^e in double, exactly (C's scalbn, as std::ldexp): the scaling is split so that 2^k stays
 *  representable, and the one step that can round lands at most once in the subnormals. */
export function scalbn(x: number, e: number): number {
  if (e > 1023) {
    x *= 2 ** 1023; e -= 1023;
    if (e > 1023) { x *= 2 ** 1023; e = Math.min(e - 1023, 1023); }
  } else if (e < -1022) {
    // down to 2^-969 first (= 2^-1022·2^53): the product below then rounds into the subnormals once
    x *= 2 ** -969; e += 969;
    if (e < -1022) { x *= 2 ** -969; e = Math.max(e + 969, -1022); }
  }
  return x * 2 ** e;
}

// ---------------------------------------------------------------------------------------------
// Accurate log, sin and cos for the float64 paths
//
// Note [libm accuracy]: PyTorch's float64 transforms call glibc's log/sin/cos, which are within
// about 0.52 ulp and so agree with the correctly rounded result for all but ~0.1% of arguments.
// V8's Math.log/sin/cos (fdlibm ports) are within 1 ulp and disagree with it for 3-7% of the
// arguments normal_ feeds them, which would make ~6% of float64 randn values differ from
// PyTorch's in the last bit. So the float64 paths use the functions below: double-double
// evaluations (about 2^-68 relative error) rounded once, i.e. correctly rounded except when the
// exact value lies within 2^-68 of a rounding boundary.

// Double-double results are returned as (hi, module-level ddLo) to avoid allocating pairs.
let ddLo = 0;

/** hi + lo == a * b exactly (Dekker's TwoProduct with Veltkamp splitting). */
function twoProdLo(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** (ah, al) * (bh, bl) in double-double; returns hi, sets ddLo. */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = ah * bh;
  const e = twoProdLo(ah, bh, p) + (ah * bl + al * bh);
  const s = p + e;
  ddLo = e - (s - p);
  return s;
}

/** (ah, al) + (bh, bl) in double-double; returns hi, sets ddLo. */
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  const s = ah + bh;
  const bv = s - ah;
  const e = (ah - (s - bv)) + (bh - bv) + al + bl;
  const r = s + e;
  ddLo = e - (r - s);
  return r;
}

// 1/3 and 1/5 as double-doubles (hi = nearest double, lo = the remainder).
const THIRD_HI = 1 / 3, THIRD_LO = 1.850371707708594e-17;
const FIFTH_HI = 1 / 5, FIFTH_LO = -1.1102230246251566e-17;
const LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;

/** Natural log of a positive finite double (Note [libm accuracy]). Writes x = 2^k m with
 *  m in [sqrt(1/2), sqrt(2)), then log m = 2 atanh(s), s = (m - 1)/(m + 1), as
 *  2s (1 + w/3 + w^2/5 + w^3 Q(w)), w = s^2 <= 0.0295: the head in double-double, the tail
 *  (< 4e-6) in double. */
export function logAcc(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  const h = logDD(x);
  return h + ddLo;
}

/** log x of a positive finite double as a double-double (logAcc's evaluation): returns hi, sets ddLo. */
function logDD(x: number): number {
  if (x === 1) { ddLo = 0; return 0; }
  f64[0] = x;
  let k = ((f64w[HI]! >>> 20) & 0x7ff) - 1023;
  if (k === -1023) { // subnormal: scale into the normal range first
    f64[0] = x * 2 ** 54;
    k = ((f64w[HI]! >>> 20) & 0x7ff) - 1023 - 54;
  }
  f64w[HI] = (f64w[HI]! & 0x800fffff) | (1023 << 20);
  let m = f64[0]!; // [1, 2)
  if (m > Math.SQRT2) { m /= 2; k++; }
  const num = m - 1; // exact (Sterbenz)
  const den = m + 1;
  const denLo = (m - (den - 1)) + (1 - (den - (den - 1))); // TwoSum(m, 1) error
  const sh = num / den;
  const p = sh * den;
  const sl = (((num - p) - twoProdLo(sh, den, p)) - sh * denLo) / den;
  const wh = ddMul(sh, sl, sh, sl);
  const wl = ddLo;
  const w = wh;
  // tail: sum_{j>=3} w^j / (2j + 1), to w^14 (beyond that < 2^-75)
  let q = 1 / 29;
  for (let j = 13; j >= 3; j--) q = 1 / (2 * j + 1) + w * q;
  const tail = w * w * w * q;
  // head: 1 + w (1/3 + w/5), then + tail
  let hh = ddMul(wh, wl, FIFTH_HI, FIFTH_LO);
  let hl = ddLo;
  hh = ddAdd(THIRD_HI, THIRD_LO, hh, hl); hl = ddLo;
  hh = ddMul(wh, wl, hh, hl); hl = ddLo;
  hh = ddAdd(1, 0, hh, hl + tail); hl = ddLo;
  hh = ddMul(2 * sh, 2 * sl, hh, hl);
  if (k === 0) return hh;
  hl = ddLo;
  const kh = k * LN2_HI;
  const kl = twoProdLo(k, LN2_HI, kh) + k * LN2_LO;
  return ddAdd(kh, kl, hh, hl);
}

/** e^(th + tl) for a double-double argument (Note [libm accuracy]): 2^k e^r with r = t - k ln 2 in
 *  double-double, and e^r as (e^(r/256))^256, kept as e^r - 1 (u ← 2u + u², eight times) so that
 *  nothing cancels: e^s - 1 = s + s²/2 in double-double plus the tail (< 5e-10) in double. */
function expDD(th: number, tl: number): number {
  if (th > 710) return Infinity;
  if (th < -746) return 0;
  const k = Math.round(th / LN2_HI);
  const kh = k * LN2_HI, kl = twoProdLo(k, LN2_HI, kh) + k * LN2_LO;
  const rh = ddAdd(th, tl, -kh, -kl), sh = rh / 256, sl = ddLo / 256;
  const qh = ddMul(sh, sl, sh, sl), ql = ddLo;
  const tail = sh * sh * sh * (1 / 6 + sh * (1 / 24 + sh * (1 / 120 + sh * (1 / 720 + sh / 5040))));
  let uh = ddAdd(sh, sl, qh / 2, ql / 2 + tail), ul = ddLo;
  for (let i = 0; i < 8; i++) {
    const ph = ddMul(uh, ul, uh, ul), pl = ddLo;
    uh = ddAdd(2 * uh, 2 * ul, ph, pl); ul = ddLo;
  }
  return scalbn(ddAdd(1, 0, uh, ul), k);
}

/** C's log1p(x) for doubles (Note [libm accuracy]): log(1 + x) in double-double, plus the
 *  rounding error of 1 + x divided by it. */
export function log1pAcc(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (!(u > 0) || !Number.isFinite(u)) return Math.log1p(x);
  const h = logDD(u), l = ddLo;
  return h + (l + (x - (u - 1)) / u);
}

/** C's exp(x) for doubles (Note [libm accuracy]). */
export function expAcc(x: number): number {
  return Number.isFinite(x) ? expDD(x, 0) : Math.exp(x);
}

/** C's pow(b, x) for doubles, correctly rounded but within about 2^-60 of a rounding boundary
 *  (glibc's is within 0.52 ulp; V8's ** is not, by a last bit for some 5% of arguments: Note
 *  [libm accuracy]): e^(x log b) in double-double. The edge cases (b ≤ 0, non-finite operands)
 *  are C's, through **, with the sign of a negative base to an odd integer power. */
export function powAcc(b: number, x: number): number {
  if (b === 1 || x === 0) return 1; // (C's pow, even for NaN)
  if (!Number.isFinite(b) || !Number.isFinite(x) || b === 0) return b ** x;
  if (b < 0) return Number.isInteger(x) ? (x % 2 === 0 ? 1 : -1) * powAcc(-b, x) : NaN;
  const lh = logDD(b), th = ddMul(lh, ddLo, x, 0);
  return expDD(th, ddLo);
}

// pi/2 = PIO2_1 + PIO2_2 + PIO2_3 + PIO2_3T, the first three 33 bits each (fdlibm's split),
// so that k * PIO2_n is exact for small k.
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
// Taylor coefficients: the first three of sin and cos in double-double, the rest in double.
const S1_HI = -1 / 6, S1_LO = -9.25185853854297e-18;
const S2_HI = 1 / 120, S2_LO = 1.1564823173178714e-19;
const S3_HI = -1 / 5040, S3_LO = -1.7209558293420705e-22;
const C2_HI = 1 / 24, C2_LO = 2.3129646346357427e-18;
const C3_HI = -1 / 720, C3_LO = 5.300543954373577e-20;
const SIN_TAIL = [1 / 362880, -1 / 39916800, 1 / 6227020800, -1 / 1307674368000,
  1 / 355687428096000, -1 / 121645100408832000, 1 / 51090942171709440000] as const;
const COS_TAIL = [1 / 40320, -1 / 3628800, 1 / 479001600, -1 / 87178291200,
  1 / 20922789888000, -1 / 6402373705728000, 1 / 2432902008176640000, -1 / 1124000727777607680000] as const;

/** cos of the argument of the last sincosAcc call. */
let accCos = 0;

/** sin(x), and cos(x) in accCos, for |x| < 2^20 (Note [libm accuracy]): x = k pi/2 + r with
 *  r in double-double (Cody–Waite with a 4-part pi/2), then Taylor series of sin r and cos r
 *  (|r| <= pi/4) with the first terms in double-double. */
function sincosAcc(x: number): number {
  if (!(Math.abs(x) < 2 ** 20)) { accCos = Math.cos(x); return Math.sin(x); }
  const k = Math.round(x * (2 / Math.PI));
  // r = x - k pi/2: x - k PIO2_1 is exact (Sterbenz), the rest is carried in double-double.
  const t = x - k * PIO2_1;
  const w = k * PIO2_2;
  let rh = t - w;
  let bv = rh - t;
  let rl = (t - (rh - bv)) + (-w - bv);
  const w3 = k * PIO2_3;
  const a = rh - w3;
  bv = a - rh;
  rl += (rh - (a - bv)) + (-w3 - bv) - k * PIO2_3T;
  rh = a + rl;
  rl = rl - (rh - a);
  const zh = ddMul(rh, rl, rh, rl);
  const zl = ddLo;
  const z = zh;
  // sin r = r (1 + z (S1 + z (S2 + z (S3 + z T(z)))))
  let ts = SIN_TAIL[6];
  for (let i = 5; i >= 0; i--) ts = SIN_TAIL[i]! + z * ts;
  let sh = ddAdd(S3_HI, S3_LO, z * ts, 0);
  let sl = ddLo;
  sh = ddMul(zh, zl, sh, sl); sl = ddLo;
  sh = ddAdd(S2_HI, S2_LO, sh, sl); sl = ddLo;
  sh = ddMul(zh, zl, sh, sl); sl = ddLo;
  sh = ddAdd(S1_HI, S1_LO, sh, sl); sl = ddLo;
  sh = ddMul(zh, zl, sh, sl); sl = ddLo;
  sh = ddAdd(1, 0, sh, sl); sl = ddLo;
  sh = ddMul(rh, rl, sh, sl); sl = ddLo;
  // cos r = 1 + z (-1/2 + z (C2 + z (C3 + z U(z))))
  let tc = COS_TAIL[7];
  for (let i = 6; i >= 0; i--) tc = COS_TAIL[i]! + z * tc;
  let ch = ddAdd(C3_HI, C3_LO, z * tc, 0);
  let cl = ddLo;
  ch = ddMul(zh, zl, ch, cl); cl = ddLo;
  ch = ddAdd(C2_HI, C2_LO, ch, cl); cl = ddLo;
  ch = ddMul(zh, zl, ch, cl); cl = ddLo;
  ch = ddAdd(-0.5, 0, ch, cl); cl = ddLo;
  ch = ddMul(zh, zl, ch, cl); cl = ddLo;
  ch = ddAdd(1, 0, ch, cl); cl = ddLo;
  const s = sh + sl;
  const c = ch + cl;
  sinDD[0] = sh; sinDD[1] = sl; cosDD[0] = ch; cosDD[1] = cl;
  switch (((k % 4) + 4) % 4) {
    case 0: accCos = c; return s;
    case 1: accCos = -s; return c;
    case 2: accCos = -c; return -s;
    default: accCos = s; return -c;
  }
}
/** sin r and cos r of the last sincosAcc call's reduced argument, as double-doubles. */
const sinDD = new Float64Array(2), cosDD = new Float64Array(2);

/** C's tan(x) (Note [libm accuracy]): sin r / cos r in double-double, negated reciprocal in odd
 *  quadrants. */
export function tanAcc(x: number): number {
  if (!(Math.abs(x) < 2 ** 20)) return Math.tan(x);
  const k = Math.round(x * (2 / Math.PI));
  sincosAcc(x);
  // odd quadrants: tan = -cos r / sin r
  const [nh, nl, dh, dl] = k % 2 === 0 ? [sinDD[0]!, sinDD[1]!, cosDD[0]!, cosDD[1]!] : [-cosDD[0]!, -cosDD[1]!, sinDD[0]!, sinDD[1]!];
  const q = nh / dh;
  const p = q * dh;
  const r = ((nh - p) - twoProdLo(q, dh, p) + nl - q * dl) / dh;
  return q + r;
}

// ---------------------------------------------------------------------------------------------
// Storing into the typed array of a dtype

/** The C++ type name PyTorch's messages use for a dtype (caffe2::TypeMeta names). */
function cppName(d: DType): string {
  switch (d.name) {
    case "bool": return "bool";
    case "uint8": return "unsigned char";
    case "int8": return "signed char";
    case "int16": return "short";
    case "int32": return "int";
    case "int64": return "long";
    case "float16": return "c10::Half";
    case "bfloat16": return "c10::BFloat16";
    case "float32": return "float";
    case "float64": return "double";
  }
}

function checkFloating(d: DType, kernel: string): void {
  if (!d.is_floating_point) throw new Error(`"${kernel}" not implemented for '${scalarTypeName(d)}'`);
}

function checkStorage(out: Storage, d: DType): void {
  // Storage kinds: float16/bfloat16 keep bits in a Uint16Array, int64 in a BigInt64Array.
  const ok = (() => {
    switch (d.name) {
      case "bool": case "uint8": return out instanceof Uint8Array;
      case "int8": return out instanceof Int8Array;
      case "int16": return out instanceof Int16Array;
      case "int32": return out instanceof Int32Array;
      case "int64": return out instanceof BigInt64Array;
      case "float16": case "bfloat16": return out instanceof Uint16Array;
      case "float32": return out instanceof Float32Array;
      case "float64": return out instanceof Float64Array;
    }
  })();
  if (!ok) throw new TypeError(`${out.constructor.name} is not the storage array of dtype ${d}`);
}

/** Writes value v (already a value of the dtype, or a double PyTorch casts to it) at i. */
function storeFloat(out: Storage, d: DType, i: number, v: number): void {
  switch (d.name) {
    case "float16": (out as Uint16Array)[i] = floatToHalf(v); return;
    case "bfloat16": (out as Uint16Array)[i] = floatToBf16(v); return;
    case "int64": (out as BigInt64Array)[i] = BigInt(v); return;
    case "bool": (out as Uint8Array)[i] = v !== 0 ? 1 : 0; return;
    default: (out as Float32Array)[i] = v; // typed-array assignment rounds / truncates as C does
  }
}

/** The value of a dtype nearest to x, as a JS number (static_cast<scalar_t>(double)).
 *  float16/bfloat16 convert from the double through float, as c10::Half(float) does. */
export function roundTo(d: DType, x: number): number {
  switch (d.name) {
    case "float16": return halfToFloat(floatToHalf(x));
    case "bfloat16": return bf16ToFloat(floatToBf16(x));
    case "float32": return Math.fround(x);
    default: return x;
  }
}

// ---------------------------------------------------------------------------------------------
// uniform_

/** Tensor.uniform_(from, to) and torch.rand (from=0, to=1): uniform_kernel with
 *  uniform_real_distribution<opmath_t>. opmath_t is float for float32/float16/bfloat16 and
 *  double for float64: float takes the low 24 bits of ONE random() word, double the low 53
 *  bits of random64(); then x * (to - from) + from in opmath_t, fused (Note [FMA contraction]),
 *  with from and to cast straight to opmath_t. The result is cast to the dtype, and a value
 *  that the cast rounded up to `to` is replaced by `from` (PyTorch 2.x; 1.x drew float16 /
 *  bfloat16 values from 11 / 8 bits instead). */
export function uniform_(out: Storage, dtype: DType, from: number, to: number, gen: Generator = default_generator): void {
  checkFloating(dtype, "check_uniform_bounds");
  checkStorage(out, dtype);
  // uniform_impl_'s checks, in its order; they come before the empty-tensor early return.
  const max = dtypeMax(dtype);
  if (!(from >= -max && from <= max)) throw new Error(`from is out of bounds for ${cppName(dtype)}`);
  if (!(to >= -max && to <= max)) throw new Error(`to is out of bounds for ${cppName(dtype)}`);
  if (!(from <= to)) {
    throw new Error(`uniform_ expects to return a [from, to) range, but found from=${fmtDouble(from)} > to=${fmtDouble(to)}`);
  }
  if (!(to - from <= max)) {
    throw new Error(`uniform_ expects to-from <= std::numeric_limits<${scalarTypeName(dtype)}>::max(), but found to=${fmtDouble(to)} and from=${fmtDouble(from)} which result in to-from to exceed the limit`);
  }
  if (fast !== null && gen.drawWith((mt, pos) => fast!.uniform(out, dtype, from, to, mt, pos))) return;
  const n = out.length;
  const toS = roundTo(dtype, to);
  const fromS = roundTo(dtype, from);
  if (dtype.name === "float64") {
    const o = out as Float64Array;
    const range = to - from;
    const plain = from === 0 && range === 1;
    for (let i = 0; i < n; i++) {
      const x = gen.uniform53();
      const v = plain ? x : fma64(x, range, from);
      o[i] = v === toS ? fromS : v;
    }
    return;
  }
  const lo = Math.fround(from);
  const range = Math.fround(Math.fround(to) - lo);
  const plain = lo === 0 && range === 1;
  if (dtype.name === "float32") {
    const o = out as Float32Array;
    for (let i = 0; i < n; i++) {
      const x = (gen.random() & 0xffffff) * 2 ** -24;
      const v = plain ? x : fma32(x, range, lo);
      o[i] = v === toS ? fromS : v;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const x = (gen.random() & 0xffffff) * 2 ** -24;
    const v = roundTo(dtype, plain ? x : fma32(x, range, lo));
    storeFloat(out, dtype, i, v === toS ? fromS : v);
  }
}

function dtypeMax(d: DType): number {
  switch (d.name) {
    case "float16": return 65504;
    case "bfloat16": return 3.3895313892515355e38;
    case "float32": return 3.4028234663852886e38;
    default: return Number.MAX_VALUE;
  }
}

// ---------------------------------------------------------------------------------------------
// normal_

/** Tensor.normal_(mean, std) and torch.randn (0, 1): normal_kernel.
 *
 * PyTorch picks by dtype and size:
 *  - a float32 tensor of >= 16 elements: normal_fill_AVX2, 16 at a time (see normalFillAvx2);
 *  - float16/bfloat16 of >= 16 elements: the same, in a float buffer, then cast;
 *  - float64 of >= 16 elements: the scalar normal_fill, 16 at a time;
 *  - fewer than 16 elements (any float dtype): one normal_distribution<double> sample per
 *    element, i.e. Box–Muller on two 53-bit uniforms with the second value cached in the
 *    generator for the next call (which may be a later normal_ call);
 *  - a tensor that is not contiguous (`contiguous` false: `out` is its elements in TensorIterator's
 *    order): one sample per element, as for fewer than 16. */
export function normal_(out: Storage, dtype: DType, mean: number, std: number, gen: Generator = default_generator, contiguous = true): void {
  if (!(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${fmtDouble(std)}`);
  checkFloating(dtype, "normal_kernel_cpu");
  checkStorage(out, dtype);
  const n = out.length;
  if (n >= 16 && contiguous && fast !== null && gen.drawWith((mt, pos) => fast!.normal(out, dtype, mean, std, mt, pos))) return;
  if (n >= 16 && contiguous) {
    if (dtype.name === "float32") {
      normalFillAvx2(out as Float32Array, Math.fround(mean), Math.fround(std), gen);
    } else if (dtype.name === "float64") {
      normalFill64(out as Float64Array, mean, std, gen);
    } else {
      normalFill16bit(out, dtype, Math.fround(mean), Math.fround(std), gen);
    }
    return;
  }
  for (let i = 0; i < n; i++) storeFloat(out, dtype, i, normalDouble(mean, std, gen));
}

/** at::normal_distribution<double>(mean, std)(gen) (DistributionsHelper.h): Box–Muller with
 *  r = sqrt(-2 log1p(-u2)), theta = 2 pi u1 (u1 drawn first); r sin(theta) is cached for the
 *  next call. The result is transformation::normal, val * std + mean, fused. */
function normalDouble(mean: number, std: number, gen: Generator): number {
  let ret = gen.takeDoubleNormal();
  if (ret === null) {
    const u1 = gen.uniform53();
    const u2 = gen.uniform53();
    // log1p(-u2) == log(1 - u2) exactly: 1 - u2 is exact for a 53-bit u2.
    const r = Math.sqrt(-2 * logAcc(1 - u2));
    const theta = 2 * Math.PI * u1;
    const sn = sincosAcc(theta);
    gen.putDoubleNormal(r * sn);
    ret = r * accCos;
  }
  return std === 1 && mean === 0 ? ret : fma64(ret, std, mean);
}

/** normal_fill<double>: fill with 53-bit uniforms, transform each block of 16 in place
 *  (normal_fill_16: u1 = 1 - data[j], u2 = data[j + 8], the cosine goes to j and the sine to
 *  j + 8); if numel % 16 != 0, redraw the last 16 values and transform them again. */
function normalFill64(data: Float64Array, mean: number, std: number, gen: Generator): void {
  const n = data.length;
  gen.fillUniform53(data);
  const block = (base: number): void => {
    for (let j = 0; j < 8; j++) {
      const u1 = 1 - data[base + j]!;
      const u2 = data[base + j + 8]!;
      const radius = Math.sqrt(-2 * logAcc(u1));
      const theta = 2 * Math.PI * u2;
      const sn = sincosAcc(theta);
      // radius * cos(theta) * std + mean: GCC fuses the last multiply with the add.
      data[base + j] = fma64(radius * accCos, std, mean);
      data[base + j + 8] = fma64(radius * sn, std, mean);
    }
  };
  for (let i = 0; i < n - 15; i += 16) block(i);
  if (n % 16 !== 0) {
    gen.fillUniform53(data, n - 16, n);
    block(n - 16);
  }
}

// Note [avx_mathfun emulation]: normal_fill_16_AVX2 computes, for 8 lanes at a time,
//   u1 = 1 - data[j], u2 = data[j + 8], radius = sqrt(-2 * log256_ps(u1)),
//   theta = 2pi * u2, (sin, cos) = sincos256_ps(theta),
//   data[j] = fmadd(radius * cos, std, mean), data[j + 8] = fmadd(radius * sin, std, mean)
// in float32. log256_ps and sincos256_ps (aten/src/ATen/native/cpu/avx_mathfun.h) are cephes
// logf / sinf / cosf as branch-free polynomials. Every _mm256_mul_ps / _mm256_add_ps is one
// float32 rounding (Math.fround), except that GCC contracts a multiply whose only use is an
// add into one fused operation (Note [FMA contraction]): the Horner steps y = y * x + p, the
// Cody–Waite reduction x = x - y * DP_k, y2 * x + x, and the first multiply of a sum of two
// products. Which products fuse was settled against PyTorch's own output; the constants are
// the float32 values of avx_mathfun's decimal literals.
const F = Math.fround;
const C_SQRTHF = F(0.707106781186547524);
const LOG_P = [
  F(7.0376836292e-2), F(-1.1514610310e-1), F(1.1676998740e-1), F(-1.2420140846e-1),
  F(1.4249322787e-1), F(-1.6668057665e-1), F(2.0000714765e-1), F(-2.4999993993e-1),
  F(3.3333331174e-1),
] as const;
const LOG_Q1 = F(-2.12194440e-4);
const LOG_Q2 = F(0.693359375);
const DP1 = F(-0.78515625);
const DP2 = F(-2.4187564849853515625e-4);
const DP3 = F(-3.77489497744594108e-8);
const SINCOF_P0 = F(-1.9515295891e-4);
const SINCOF_P1 = F(8.3321608736e-3);
const SINCOF_P2 = F(-1.6666654611e-1);
const COSCOF_P0 = F(2.443315711809948e-5);
const COSCOF_P1 = F(-1.388731625493765e-3);
const COSCOF_P2 = F(4.166664568298827e-2);
const FOPI = F(1.27323954473516);
const TWO_PI_F = F(2 * Math.PI);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** log256_ps for one lane, for x in (0, 1] (u1 = 1 - u is never <= 0 or denormal here). */
function logAvx(x0: number): number {
  f32[0] = x0;
  const bits = u32[0]!;
  let e = F((bits >>> 23) - 127 + 1); // exponent of x as a float, plus one
  u32[0] = (bits & ~0x7f800000) | 0x3f000000; // keep the mantissa, exponent of 0.5
  let x = f32[0]!; // in [0.5, 1)
  const lt = x < C_SQRTHF;
  const tmp = lt ? x : 0;
  x = F(x - 1);
  if (lt) e = F(e - 1);
  x = F(x + tmp);
  const z = F(x * x);
  let y = LOG_P[0];
  for (let k = 1; k < 9; k++) y = fma32(y, x, LOG_P[k]!);
  y = F(y * x);
  y = fma32(y, z, F(e * LOG_Q1)); // y * z + e * q1: the first product fuses
  y = fma32(-z, 0.5, y); // y - z * 0.5 (exact product either way)
  return fma32(e, LOG_Q2, F(x + y)); // (x + y) + e * q2
}

/** sincos256_ps for one lane; returns the sine and stores the cosine in sincosCos[0] (a typed
 *  array: a double stored in a module-level variable is boxed, one allocation per call). */
const sincosCos = new Float64Array(1);
function sincosAvx(x0: number): number {
  const signSin0 = x0 < 0 || Object.is(x0, -0);
  let x = Math.abs(x0);
  let y = F(x * FOPI);
  let j = Math.trunc(y) | 0; // _mm256_cvttps_epi32
  j = (j + 1) & ~1;
  y = j; // exact: small integer
  const swapSignSin = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  // Extended precision modular arithmetic: x = ((x - y*DP1) - y*DP2) - y*DP3, each fused.
  x = fma32(y, DP1, x);
  x = fma32(y, DP2, x);
  x = fma32(y, DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  const signSin = signSin0 !== swapSignSin;
  const z = F(x * x);
  // cosine polynomial, valid for 0 <= x <= pi/4
  let yc = fma32(COSCOF_P0, z, COSCOF_P1);
  yc = fma32(yc, z, COSCOF_P2);
  yc = F(yc * z);
  yc = fma32(yc, z, -F(z * 0.5)); // y * z - z * 0.5
  yc = F(yc + 1);
  // sine polynomial
  let ys = fma32(SINCOF_P0, z, SINCOF_P1);
  ys = fma32(ys, z, SINCOF_P2);
  ys = F(ys * z);
  ys = fma32(ys, x, x);
  // Select by poly_mask exactly as the vector code does (and/andnot, then sub and add, which
  // also decides the sign of a zero result).
  const ysin2 = polyMask ? ys : 0;
  const ysin1 = polyMask ? 0 : yc;
  const y2 = ys - ysin2;
  const y1 = yc - ysin1;
  const s = ysin1 + ysin2;
  const c = y1 + y2;
  sincosCos[0] = signCos ? -c : c;
  return signSin ? -s : s;
}

/** normal_fill_AVX2: float32 uniforms (24 bits of one word each) for every element, then
 *  normal_fill_16_AVX2 on each block of 16, then (numel % 16 != 0) 16 fresh uniforms for
 *  the last 16 elements, transformed again. */
function normalFillAvx2(data: Float32Array, mean: number, std: number, gen: Generator): void {
  const n = data.length;
  gen.fillUniform24(data, 0, n);
  for (let i = 0; i < n - 15; i += 16) normalFill16Avx2(data, i, mean, std);
  if (n % 16 !== 0) {
    gen.fillUniform24(data, n - 16, n);
    normalFill16Avx2(data, n - 16, mean, std);
  }
}

/** normal_fill_16_AVX2 on data[base .. base + 16): Box–Muller on 8 pairs, u1 = 1 - data[j]
 *  (so that log never sees 0), u2 = data[j + 8]; cosines to j, sines to j + 8. */
function normalFill16Avx2(data: Float32Array, base: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = F(1 - data[base + j]!);
    const u2 = data[base + j + 8]!;
    const radius = F(Math.sqrt(F(-2 * logAvx(u1))));
    const theta = F(TWO_PI_F * u2);
    const sn = sincosAvx(theta);
    const cs = sincosCos[0]!;
    data[base + j] = fma32(F(radius * cs), std, mean);
    data[base + j + 8] = fma32(F(radius * sn), std, mean);
  }
}

/** normal_fill for float16/bfloat16 in 2.x: through their opmath type, float. Unlike the
 *  float32 path, uniforms are drawn 16 at a time into a float buffer as each block is
 *  transformed (normal_fill_16_AVX2), then cast; the tail block (numel % 16 != 0) draws 16
 *  more and overwrites the last 16 values. So the words used differ from float32's once
 *  numel % 16 != 0. (1.x computed in the 16-bit type with 11/8-bit uniforms.) */
function normalFill16bit(out: Storage, dtype: DType, mean: number, std: number, gen: Generator): void {
  const n = out.length;
  const buf = new Float32Array(16);
  const fill = (offset: number): void => {
    for (let j = 0; j < 16; j++) buf[j] = (gen.random() & 0xffffff) * 2 ** -24;
    normalFill16Avx2(buf, 0, mean, std);
    for (let j = 0; j < 16; j++) storeFloat(out, dtype, offset + j, buf[j]!);
  };
  for (let i = 0; i < n - 15; i += 16) fill(i);
  if (n % 16 !== 0) fill(n - 16);
}

/** torch.normal(mean_tensor, std_tensor) (normal_out_impl): fill the output with normal(0, 1)
 *  exactly as normal_ does, then `output.mul_(std).add_(mean)`: two separately rounded
 *  elementwise ops in the output dtype. `means` / `stds` hold one value per element, or one
 *  value for all (the caller broadcasts shapes). */
export function normal_tensor_(
  out: Storage, dtype: DType, means: ArrayLike<number>, stds: ArrayLike<number>, gen: Generator = default_generator,
): void {
  const n = out.length;
  const mlen = means.length;
  const slen = stds.length;
  if ((mlen !== n && mlen !== 1) || (slen !== n && slen !== 1)) {
    throw new Error(`normal: mean (${mlen} elements) and std (${slen} elements) must have ${n} elements or 1`);
  }
  // CHECK_NORMAL_TENSOR_STD
  for (let i = 0; i < slen; i++) {
    if (!(stds[i]! >= 0)) throw new Error("normal expects all elements of std >= 0.0");
  }
  normal_(out, dtype, 0, 1, gen);
  for (let i = 0; i < n; i++) {
    const v = readFloat(out, dtype, i);
    const sd = roundTo(dtype, stds[slen === 1 ? 0 : i]!);
    const mu = roundTo(dtype, means[mlen === 1 ? 0 : i]!);
    storeFloat(out, dtype, i, roundTo(dtype, roundTo(dtype, v * sd) + mu));
  }
}

function readFloat(out: Storage, d: DType, i: number): number {
  if (d.name === "float16") return halfToFloat((out as Uint16Array)[i]!);
  if (d.name === "bfloat16") return bf16ToFloat((out as Uint16Array)[i]!);
  return (out as Float64Array)[i]!;
}

// ---------------------------------------------------------------------------------------------
// randint_ / random_(from, to)

/** static_cast<scalar_t>(int64) for a floating dtype, as a JS number: one rounding to float
 *  (or double), then, for float16/bfloat16, c10's conversion from that float, as PyTorch does.
 *  Values within 2^53 are exact doubles already. */
function int64ToFloat(v: bigint, d: DType): number {
  const asNum = Number(v);
  if (Math.abs(asNum) <= 2 ** 53 || d.name === "float64") return roundTo(d, asNum);
  // Beyond 2^53, Number() would round once and fround again: round directly to 24 bits.
  const neg = v < 0n;
  const a = neg ? -v : v;
  const bitlen = a.toString(2).length;
  const shift = BigInt(bitlen - 24);
  const q = a >> shift;
  const rem = a - (q << shift);
  const half = 1n << (shift - 1n);
  const r = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  const f = Number(r) * 2 ** Number(shift); // exact: r has <= 25 bits
  return roundTo(d, neg ? -f : f);
}

/** static_cast<int64_t>(static_cast<scalar_t>(v)). A value the dtype cannot hold becomes inf,
 *  and converting inf to int64 is undefined in C++; x86's cvttss2si gives INT64_MIN, which is
 *  what PyTorch's checks then see. */
function castThrough(v: bigint, d: DType): bigint {
  const f = int64ToFloat(v, d);
  return Number.isFinite(f) ? BigInt(f) : -(1n << 63n);
}

/** native::templates::update_from: for a floating dtype, raise `from` to a value the dtype
 *  can hold when from + 1 does not survive the cast. */
function updateFrom(from: bigint, digits: number, d: DType): bigint {
  const fromPlus1 = castThrough(from + 1n, d);
  if (fromPlus1 < from) {
    let f = from + 1n < 0n ? -(from + 1n) : from + 1n;
    let n = 0;
    while ((f >>= 1n) > 0n) n++;
    return fromPlus1 + (1n << BigInt(n - digits + 1));
  }
  return from;
}

/** native::templates::update_to: lower `to` when to - 1 rounds up to >= to in the dtype. */
function updateTo(to: bigint, digits: number, d: DType): bigint {
  const toMinus1 = castThrough(to - 1n, d);
  if (toMinus1 >= to) {
    let t = to - 1n < 0n ? -(to - 1n) : to - 1n;
    let n = 0;
    while ((t >>= 1n) > 0n) n++;
    return toMinus1 - (1n << BigInt(n - digits + 1));
  }
  return to;
}

const INT_BOUNDS: Partial<Record<DType["name"], [bigint, bigint]>> = {
  bool: [0n, 1n],
  uint8: [0n, 255n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(1n << 63n), (1n << 63n) - 1n],
};

function toInt64(x: number | bigint, name: string): bigint {
  if (typeof x === "bigint") return x;
  if (!Number.isInteger(x)) throw new TypeError(`randint(): argument '${name}' must be int, not float`);
  return BigInt(x);
}

/** torch.randint(low, high) / Tensor.random_(from, to): random_from_to_kernel with
 *  uniform_int_from_to_distribution. Each element is (word % range) + from, where the word is
 *  random64() when range >= 2^28 and one random() word otherwise (PyTorch 2.x, for every
 *  dtype; 1.x switched at 2^32 and only for int64/float64/float32/bfloat16). */
export function randint_(out: Storage, dtype: DType, low: number | bigint, high: number | bigint, gen: Generator = default_generator): void {
  checkStorage(out, dtype);
  let from = toInt64(low, "low");
  let to = toInt64(high, "high");
  // random_(from, to) in aten/src/ATen/native/DistributionTemplates.h, checks in its order.
  if (!(from < to)) {
    throw new Error(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`);
  }
  if (dtype.is_floating_point) {
    // std::numeric_limits<scalar_t>::digits
    const digits = dtype.name === "float64" ? 53 : dtype.name === "float32" ? 24 : dtype.name === "float16" ? 11 : 8;
    from = updateFrom(from, digits, dtype);
    to = updateTo(to, digits, dtype);
    if (!(from < to)) {
      throw new Error(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${from} >= to=${to}`);
    }
    const max = dtypeMax(dtype);
    const fromD = Number(from);
    const toIncD = Number(to - 1n);
    if (!(fromD >= -max && fromD <= max)) throw new Error(`from is out of bounds for ${cppName(dtype)}`);
    if (!(toIncD >= -max && toIncD <= max)) throw new Error(`to - 1 is out of bounds for ${cppName(dtype)}`);
  } else {
    const [mn, mx] = INT_BOUNDS[dtype.name]!;
    if (!(from >= mn && from <= mx)) throw new Error(`from is out of bounds for ${cppName(dtype)}`);
    if (!(to - 1n >= mn && to - 1n <= mx)) throw new Error(`to - 1 is out of bounds for ${cppName(dtype)}`);
  }
  const n = out.length;
  if (n === 0) return;
  const range = to - from; // a uint64 in PyTorch; never above 2^64 - 1 given int64 bounds
  const wide = range >= 1n << 28n;
  const r = Number(range);
  const base = Number(from);
  if (!wide && Number.isSafeInteger(base) && Number.isSafeInteger(base + r)) {
    // The common case, in plain numbers: every value is an exact integer below 2^53.
    if (dtype.name === "int64") {
      const o = out as BigInt64Array;
      for (let i = 0; i < n; i++) o[i] = BigInt((gen.random() % r) + base);
    } else {
      for (let i = 0; i < n; i++) {
        const v = (gen.random() % r) + base;
        storeFloat(out, dtype, i, dtype.is_floating_point ? roundTo(dtype, v) : v);
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const word = wide ? gen.random64() : BigInt(gen.random());
    // static_cast<int64_t>((val % range) + base): uint64 arithmetic, wrapped into int64.
    const v = BigInt.asIntN(64, (word % range) + from);
    if (dtype.name === "int64") (out as BigInt64Array)[i] = v;
    else if (dtype.is_floating_point) storeFloat(out, dtype, i, int64ToFloat(v, dtype));
    else storeFloat(out, dtype, i, Number(v)); // within the dtype's bounds, checked above
  }
}

// ---------------------------------------------------------------------------------------------
// randperm

/** torch.randperm(n) (randperm_cpu): for n < UINT32_MAX / 20, a Fisher–Yates shuffle of
 *  0..n-1 swapping i with i + random() % (n - i); beyond that, the "inside-out" variant with
 *  random64() % (i + 1). */
export function randperm(n: number, gen: Generator = default_generator): BigInt64Array {
  if (!Number.isInteger(n)) throw new TypeError("randperm(): argument 'n' must be int");
  // PyTorch allocates the result first, so a negative n fails in at::empty.
  if (n < 0) throw new Error(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  const result = arrayFor(int64, n) as BigInt64Array;
  if (n < Math.floor(0xffffffff / 20)) {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = gen.random() % (n - i);
      const sav = r[i]!;
      r[i] = r[z + i]!;
      r[z + i] = sav;
    }
    for (let i = 0; i < n; i++) result[i] = BigInt(r[i]!);
    return result;
  }
  for (let i = 0; i < n; i++) {
    const z = Number(gen.random64() % BigInt(i + 1));
    result[i] = result[z]!;
    result[z] = BigInt(i);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// bernoulli

/** Tensor.bernoulli_(p) with a float p (used by dropout): the non-MKL bernoulli_scalar kernel,
 *  bernoulli_distribution<double>: 1 where a 53-bit uniform (random64) is < p. */
export function bernoulli_scalar_(out: Storage, dtype: DType, p: number, gen: Generator = default_generator): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_ expects p to be in [0, 1], but got p=${fmtDouble(p)}`);
  checkStorage(out, dtype);
  if (fast !== null && gen.drawWith((mt, pos) => fast!.bernoulli(out, dtype, p, mt, pos))) return; // (Note [Fast samplers])
  // (else the uniforms in chunks, drawn by the fast backend where it takes them)
  const n = out.length, u = new Float64Array(Math.min(n, 65536));
  for (let s = 0; s < n; s += u.length) {
    const len = Math.min(u.length, n - s), chunk = len === u.length ? u : u.subarray(0, len);
    if (!(fast !== null && gen.drawWith((mt, pos) => fast!.uniform(chunk, float64, 0, 1, mt, pos)))) gen.fillUniform53(u, 0, len);
    if (out instanceof Float32Array || out instanceof Float64Array) for (let i = 0; i < len; i++) out[s + i] = u[i]! < p ? 1 : 0;
    else for (let i = 0; i < len; i++) storeFloat(out, dtype, s + i, u[i]! < p ? 1 : 0);
  }
}

/** torch.bernoulli(probs) / Tensor.bernoulli_(p_tensor): bernoulli_tensor_cpu_kernel. With
 *  float64 probabilities each element compares a 53-bit uniform (random64) with p in double;
 *  with any other floating probabilities, bernoulli_distribution<float>: a 24-bit float
 *  uniform from one random() word compared with (float)p. `probs_dtype` defaults to `dtype`
 *  when that is floating (torch.bernoulli(probs) returns the dtype of probs), else to float64
 *  for a Float64Array and float32 otherwise. `probs` has one value per element, or one for all.
 *
 *  PyTorch checks each p as it samples (`Expected p_in >= 0 && p_in <= 1 ...`), so a bad p
 *  there has already consumed words for the elements before it; we check all first so that a
 *  failing call leaves the generator untouched. */
export function bernoulli_tensor_(
  out: Storage, dtype: DType, probs: ArrayLike<number>, gen: Generator = default_generator, probs_dtype?: DType,
): void {
  checkStorage(out, dtype);
  const n = out.length;
  const plen = probs.length;
  if (plen !== n && plen !== 1) throw new Error(`bernoulli: probs has ${plen} elements, expected ${n} or 1`);
  const pd = probs_dtype ?? (dtype.is_floating_point ? dtype : probs instanceof Float64Array ? float64 : float32);
  const double = pd.name === "float64";
  for (let i = 0; i < plen; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new Error("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)");
    }
  }
  for (let i = 0; i < n; i++) {
    const p = probs[plen === 1 ? 0 : i]!;
    const hit = double ? gen.uniform53() < p : (gen.random() & 0xffffff) * 2 ** -24 < Math.fround(p);
    storeFloat(out, dtype, i, hit ? 1 : 0);
  }
}

// ---------------------------------------------------------------------------------------------
// exponential_

/** Tensor.exponential_(lambd): the non-MKL exponential_kernel, exponential_distribution<double>:
 *  -1 / lambda * log1p(-u) with a 53-bit uniform u (PyTorch 2.x; 1.x used log(1 - u)), cast
 *  to the dtype. */
export function exponential_(out: Storage, dtype: DType, lambd: number, gen: Generator = default_generator): void {
  if (!(lambd > 0 && Number.isFinite(lambd))) {
    throw new Error(`exponential_ expects lambda > 0.0, but found lambda=${fmtDouble(lambd)}`);
  }
  if (!dtype.is_floating_point) {
    throw new Error(`Exponential distribution is a continuous probability distribution. dtype must be a floating point but you specified ${scalarTypeName(dtype)}`);
  }
  checkStorage(out, dtype);
  const n = out.length;
  const k = -1 / lambd;
  for (let i = 0; i < n; i++) storeFloat(out, dtype, i, k * logAcc(1 - gen.uniform53()));
}

// ---------------------------------------------------------------------------------------------
// cauchy_

/** Tensor.cauchy_(median, sigma): cauchy_distribution<double> of a 53-bit uniform,
 *  median + sigma * tan(pi (u - 1/2)) (fused, Note [FMA contraction]), cast to the dtype. */
export function cauchy_(out: Storage, dtype: DType, median: number, sigma: number, gen: Generator = default_generator): void {
  if (!dtype.is_floating_point) {
    throw new Error(`Cauchy distribution is a continuous probability distribution. dtype must be a floating point but you specified ${cppTypeName(dtype)}`);
  }
  checkStorage(out, dtype);
  for (let i = 0; i < out.length; i++) storeFloat(out, dtype, i, fma64(sigma, tanAcc(Math.PI * (gen.uniform53() - 0.5)), median));
}

// ---------------------------------------------------------------------------------------------
// _standard_gamma and _sample_dirichlet

const FLT_MIN = 1.1754943508222875e-38, DBL_MIN = 2.2250738585072014e-308;
const THIRD_F = Math.fround(1 / 3), C_0331_F = Math.fround(0.0331);

/** sample_gamma<scalar_t, double> (aten/src/ATen/native/Distributions.h): Marsaglia and Tsang's
 *  method, alpha < 1 boosted by u^(1/alpha), with normal_distribution<double> (its cached spare
 *  included) and 53-bit uniforms from `gen`. `single` is scalar_t = float: alpha's own updates
 *  (1.0f / alpha, alpha + 1.0f, alpha - 1.0f / 3.0f) round to float, as in the template. */
export function sampleGamma(alpha: number, single: boolean, gen: Generator = default_generator): number {
  const r = single ? Math.fround : (x: number) => x;
  if (Number.isNaN(alpha)) return NaN; // (PyTorch's loop never ends; validation keeps NaN out)
  let scale = 1;
  if (alpha < 1) {
    if (alpha === 0) return 0;
    scale *= powAcc(1 - gen.uniform53(), r(1 / alpha));
    alpha = r(alpha + 1);
  }
  const d = r(alpha - THIRD_F);
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, y: number;
    do {
      x = normalDouble(0, 1, gen);
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y;
    const u = 1 - gen.uniform53();
    const xx = x * x;
    if (u < 1 - C_0331_F * xx * xx) return scale * d * v;
    if (logAcc(u) < 0.5 * xx + d * (1 - v + logAcc(v))) return scale * d * v;
  }
}

/** _s_gamma_cpu: one sample_gamma<scalar_t, double> per element in order, cast to the dtype and
 *  raised to its smallest normal number. */
export function standard_gamma_(out: Float32Array | Float64Array, alphas: ArrayLike<number>, gen: Generator = default_generator): void {
  const single = out instanceof Float32Array;
  const tiny = single ? FLT_MIN : DBL_MIN;
  for (let i = 0; i < out.length; i++) {
    const s = sampleGamma(alphas[i]!, single, gen);
    out[i] = Math.max(tiny, single ? Math.fround(s) : s);
  }
}

/** _s_dirichlet_cpu's first pass: sample_gamma<double, double> of each alpha (cast to double, to
 *  prevent underflow), at least DBL_MIN; the caller normalises by the sums over the last dim. */
export function dirichlet_gammas(alphas: ArrayLike<number>, gen: Generator = default_generator): Float64Array {
  const out = new Float64Array(alphas.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(DBL_MIN, sampleGamma(alphas[i]!, false, gen));
  return out;
}

// ---------------------------------------------------------------------------------------------
// multinomial

/** torch.multinomial on a [rows, cats] probability matrix (row-major in `probs`, 1-d input
 *  is rows = 1), returning rows * num_samples int64 indices row by row. `dtype` is the dtype
 *  of the probabilities (default float32), which sets the arithmetic precision below.
 *
 *  Without replacement, or for a single sample, PyTorch 2.x uses the Gumbel-max trick
 *  (multinomial_out): q = exponential_(1) over the whole [rows, cats] tensor in `dtype`, then
 *  probs / q, and the top num_samples of each row (argmax for one sample). topk's order among
 *  exactly equal keys is unspecified in PyTorch; we take the lower index first.
 *
 *  With replacement (num_samples > 1), multinomial_with_replacement: per row, the cumulative
 *  sum in `dtype`, divided by its total, last bucket forced to 1, then per sample a 53-bit
 *  uniform and a binary search for the first bucket >= it. */
export function multinomial(
  probs: ArrayLike<number>, rows: number, cats: number, num_samples: number, replacement: boolean,
  gen: Generator = default_generator, dtype?: DType,
): BigInt64Array {
  const d = dtype ?? float32;
  if (!d.is_floating_point) {
    throw new Error(`multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(d)}`);
  }
  // Values and arithmetic in the dtype of the probabilities (float16/bfloat16 as float32:
  // their kernels accumulate in float).
  const rnd = d.name === "float64" ? (x: number): number => x : Math.fround;
  if (rows * cats !== probs.length) {
    throw new Error(`multinomial: expected ${rows} x ${cats} probabilities, got ${probs.length}`);
  }
  if (!(num_samples > 0)) throw new Error("cannot sample n_sample <= 0 samples");
  if (!replacement && num_samples > cats) {
    throw new Error("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  }
  if (cats > 2 ** 24) throw new Error("number of categories cannot exceed 2^24");
  const result = new BigInt64Array(rows * num_samples);
  if (result.length === 0) return result;
  const p = new Float64Array(probs.length);
  for (let i = 0; i < p.length; i++) p[i] = rnd(probs[i]!);

  if (!replacement || num_samples === 1) {
    for (let i = 0; i < p.length; i++) {
      if (!(p[i]! < Infinity && p[i]! >= 0)) {
        throw new Error("probability tensor contains either `inf`, `nan` or element < 0");
      }
    }
    for (let r = 0; r < rows; r++) {
      let any = false;
      for (let c = 0; c < cats; c++) if (p[r * cats + c]! !== 0) { any = true; break; }
      if (!any) throw new Error("invalid multinomial distribution (sum of probabilities <= 0)");
    }
    // q = empty_like(self).exponential_(1); q = self / q
    const q = new Float64Array(p.length);
    for (let i = 0; i < q.length; i++) q[i] = rnd(-logAcc(1 - gen.uniform53()));
    for (let i = 0; i < q.length; i++) q[i] = rnd(p[i]! / q[i]!);
    const idx = new Array<number>(cats);
    for (let r = 0; r < rows; r++) {
      const off = r * cats;
      for (let c = 0; c < cats; c++) idx[c] = c;
      // Descending by key with NaN largest (topk / argmax treat NaN as the maximum); stable.
      const key = (c: number): number => q[off + c]!;
      idx.sort((a, b) => {
        const ka = key(a), kb = key(b);
        const na = Number.isNaN(ka), nb = Number.isNaN(kb);
        if (na || nb) return na === nb ? a - b : na ? -1 : 1;
        return ka > kb ? -1 : ka < kb ? 1 : a - b;
      });
      for (let s = 0; s < num_samples; s++) result[r * num_samples + s] = BigInt(idx[s]!);
    }
    return result;
  }

  // With replacement: validate every row first (PyTorch checks row by row while sampling).
  const cum = new Float64Array(p.length);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cats; c++) {
      const v = p[r * cats + c]!;
      if (!(v >= 0)) throw new Error("invalid multinomial distribution (encountering probability entry < 0)");
      if (!Number.isFinite(v)) {
        throw new Error("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
      }
      sum = rnd(sum + v);
      cum[r * cats + c] = sum;
    }
    if (!(sum > 0)) throw new Error("invalid multinomial distribution (sum of probabilities <= 0)");
    for (let c = 0; c < cats; c++) cum[r * cats + c] = rnd(cum[r * cats + c]! / sum);
    cum[r * cats + cats - 1] = 1;
  }
  for (let r = 0; r < rows; r++) {
    const off = r * cats;
    for (let s = 0; s < num_samples; s++) {
      const u = gen.uniform53();
      let left = 0;
      let right = cats;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cum[off + mid]! < u) left = mid + 1;
        else right = mid;
      }
      result[r * num_samples + s] = BigInt(left);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// log_normal_ and geometric_

/** Tensor.log_normal_(mean, std): log_normal_kernel, lognormal_distribution<double>: exp of
 *  normal_distribution<double>(mean, std) (its cached spare included), cast to the dtype. */
export function log_normal_(out: Storage, dtype: DType, mean: number, std: number, gen: Generator = default_generator): void {
  if (!(std > 0)) throw new Error(`log_normal_ expects std > 0.0, but found std=${fmtDouble(std)}`);
  checkFloating(dtype, "log_normal_cpu");
  checkStorage(out, dtype);
  for (let i = 0; i < out.length; i++) storeFloat(out, dtype, i, expAcc(normalDouble(mean, std, gen)));
}

/** Tensor.geometric_(p): geometric_kernel, geometric_distribution<double>: ceil(log(u) / log1p(-p))
 *  with a 53-bit uniform u, cast to the dtype (any but bool: a count of trials). */
export function geometric_(out: Storage, dtype: DType, p: number, gen: Generator = default_generator): void {
  if (!(p > 0 && p < 1)) throw new Error(`geometric_ expects p to be in (0, 1), but got p=${fmtDouble(p)}`);
  if (dtype.name === "bool") throw new Error(`"geometric_cpu" not implemented for 'Bool'`);
  checkStorage(out, dtype);
  const denominator = log1pAcc(-p);
  for (let i = 0; i < out.length; i++) storeFloat(out, dtype, i, Math.ceil(logAcc(gen.uniform53()) / denominator));
}
