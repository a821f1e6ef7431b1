// GEMM: C[M,N] = A[M,K]·B[K,N] for float32, batched, with A, B and C read and written through
// arbitrary element strides. The structure is BLIS's (Van Zee & van de Geijn, "BLIS: A Framework
// for Rapidly Instantiating BLAS Functionality"): the loops over N, K and M are blocked so that a
// KC×NC panel of B stays in the L3 cache and an MC×KC block of A in L2; both are packed into
// contiguous micro-panels (which is also where a transposed or otherwise strided operand is read
// through its strides: the caller never copies it into row-major order), and a register-blocked
// MR×NR micro-kernel runs over the packed panels with its C tile in SIMD registers.
//
// Note [Micro-kernel shape]: WebAssembly SIMD has 16 128-bit registers on x64. The MR×8 tile
// holds MR·2 accumulators plus two B vectors and one broadcast A value. Without FMA every
// multiply-add needs a temporary, so 5×8 (10 accumulators + 4) is the largest tile that does not
// spill; relaxed-SIMD FMA (f32x4.relaxed_madd, one vfmadd231ps) needs no temporary and 6×8 fits.
// Measured at n=1024 on one thread (Zen 4): 4×8 29/46 GFLOP/s (plain/FMA), 5×8 40/45,
// 6×8 24/50: hence 5 rows in the plain build and 6 in the relaxed one.

/** rows of the micro-kernel tile (Note [Micro-kernel shape]) */
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** columns of the micro-kernel tile: two f32x4 vectors */
const NR: i32 = 8;
/** depth of a packed block: an MR×KC micro-panel of A plus a KC×NR one of B fit in L1 */
const KC: i32 = 256;
/** rows of a packed block of A (MC×KC floats = 120-144 KiB, in L2) */
const MC: i32 = MR * 24;
/** columns of a packed panel of B (KC×NC floats = 2 MiB, in L3) */
const NC: i32 = 2048;

const PACK_A_BYTES: usize = <usize>(MC * KC) << 2;
const PACK_B_BYTES: usize = <usize>(KC * NC) << 2;
const TILE_BYTES: usize = <usize>(MR * NR) << 2;

/** The micro-kernel's rows: the host splits work across threads in multiples of it. */
export function gemm_mr(): i32 { return MR; }

/** Bytes of scratch one gemm call needs at `work` (packed A, packed B, an edge tile), 16-aligned. */
export function gemm_workspace(): i32 {
  return <i32>(PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Packs the mc×kc block of A at `a` into micro-panels of MR rows: panel p holds, for each k, the
 *  MR values A[p·MR + r, k] side by side (rows past mc are zero, so the micro-kernel never
 *  branches on them). */
function packA(a: usize, rsA: usize, csA: usize, mc: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const base = a + (<usize>i * rsA << 2);
    if (rows == MR) {
      for (let k = 0; k < kc; k++) {
        const src = base + (<usize>k * csA << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + (<usize>r * rsA << 2)));
        dst += <usize>MR << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = base + (<usize>k * csA << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r * rsA << 2)) : 0);
        dst += <usize>MR << 2;
      }
    }
  }
}

/** Packs the kc×nc panel of B at `b` into micro-panels of NR columns: panel p holds, for each k,
 *  the NR values B[k, p·NR + c] (columns past nc are zero). Row-major B copies two vectors per k. */
function packB(b: usize, rsB: usize, csB: usize, kc: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const base = b + (<usize>j * csB << 2);
    if (cols == NR && csB == 1) {
      for (let k = 0; k < kc; k++) {
        const src = base + (<usize>k * rsB << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += <usize>NR << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = base + (<usize>k * rsB << 2);
        for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c * csB << 2)) : 0);
        dst += <usize>NR << 2;
      }
    }
  }
}

/** One MR×NR tile of C (mr×nr of it valid) from a packed A micro-panel and a packed B one:
 *  C = A·B when `first` (the first block of K), else C += A·B. */
function micro(kc: i32, ap: usize, bp: usize, c: usize, rsC: usize, csC: usize, mr: i32, nr: i32, first: bool, tile: usize): void {
  const zero = f32x4.splat(0);
  let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
  let c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16);
    c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    if (MR > 5) {
      a = v128.load32_splat(ap, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    ap += <usize>MR << 2;
    bp += <usize>NR << 2;
  }
  if (mr == MR && nr == NR && csC == 1) {
    const r = rsC << 2;
    if (first) {
      v128.store(c, c00); v128.store(c, c01, 16); c += r;
      v128.store(c, c10); v128.store(c, c11, 16); c += r;
      v128.store(c, c20); v128.store(c, c21, 16); c += r;
      v128.store(c, c30); v128.store(c, c31, 16); c += r;
      v128.store(c, c40); v128.store(c, c41, 16);
      if (MR > 5) { c += r; v128.store(c, c50); v128.store(c, c51, 16); }
    } else {
      v128.store(c, f32x4.add(v128.load(c), c00)); v128.store(c, f32x4.add(v128.load(c, 16), c01), 16); c += r;
      v128.store(c, f32x4.add(v128.load(c), c10)); v128.store(c, f32x4.add(v128.load(c, 16), c11), 16); c += r;
      v128.store(c, f32x4.add(v128.load(c), c20)); v128.store(c, f32x4.add(v128.load(c, 16), c21), 16); c += r;
      v128.store(c, f32x4.add(v128.load(c), c30)); v128.store(c, f32x4.add(v128.load(c, 16), c31), 16); c += r;
      v128.store(c, f32x4.add(v128.load(c), c40)); v128.store(c, f32x4.add(v128.load(c, 16), c41), 16);
      if (MR > 5) { c += r; v128.store(c, f32x4.add(v128.load(c), c50)); v128.store(c, f32x4.add(v128.load(c, 16), c51), 16); }
    }
    return;
  }
  // An edge tile, or C written through a column stride (the transposed problem): go through
  // the scratch tile and store the valid part element by element.
  v128.store(tile, c00); v128.store(tile, c01, 16); v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80); v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  if (MR > 5) { v128.store(tile, c50, 160); v128.store(tile, c51, 176); }
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const p = c + ((<usize>i * rsC + <usize>j * csC) << 2);
      const v = load<f32>(tile + (<usize>(i * NR + j) << 2));
      store<f32>(p, first ? v : load<f32>(p) + v);
    }
  }
}

/**
 * C = A·B for `batch` matrices: A[M,K] at a + t·bsA, B[K,N] at b + t·bsB, C[M,N] at c + t·bsC
 * (pointers in bytes, strides in elements). K ≥ 1. `work` is gemm_workspace() bytes of scratch
 * owned by this call (each thread has its own).
 */
export function gemm(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  rsA: usize, csA: usize, rsB: usize, csB: usize, rsC: usize, csC: usize,
  batch: i32, bsA: usize, bsB: usize, bsC: usize, work: usize): void {
  gemmInto(a, b, c, M, N, K, rsA, csA, rsB, csB, rsC, csC, batch, bsA, bsB, bsC, work, false);
}

/** gemm, or C += A·B when `accumulate`. */
export function gemmInto(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  rsA: usize, csA: usize, rsB: usize, csB: usize, rsC: usize, csC: usize,
  batch: i32, bsA: usize, bsB: usize, bsC: usize, work: usize, accumulate: bool): void {
  const ap = work, bp = work + PACK_A_BYTES, tile = bp + PACK_B_BYTES;
  for (let t = 0; t < batch; t++) {
    const at = a + (<usize>t * bsA << 2), bt = b + (<usize>t * bsB << 2), ct = c + (<usize>t * bsC << 2);
    for (let jc = 0; jc < N; jc += NC) {
      const nc = min(NC, N - jc);
      for (let pc = 0; pc < K; pc += KC) {
        const kc = min(KC, K - pc);
        packB(bt + ((<usize>pc * rsB + <usize>jc * csB) << 2), rsB, csB, kc, nc, bp);
        for (let ic = 0; ic < M; ic += MC) {
          const mc = min(MC, M - ic);
          packA(at + ((<usize>ic * rsA + <usize>pc * csA) << 2), rsA, csA, mc, kc, ap);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const bpj = bp + (<usize>jr * <usize>kc << 2);
            for (let ir = 0; ir < mc; ir += MR) {
              micro(kc, ap + (<usize>ir * <usize>kc << 2), bpj,
                ct + ((<usize>(ic + ir) * rsC + <usize>(jc + jr) * csC) << 2), rsC, csC,
                min(MR, mc - ir), nr, pc == 0 && !accumulate, tile);
            }
          }
        }
      }
    }
  }
}
