// The Node-API glue of the native CPU engine: storage from the caching allocator as external
// ArrayBuffers, and the kernels, each called with typed arrays (read and written where they live)
// and numbers. Only Node-API is used, so the same build loads in every runtime that has it.
//
// Note [Synchronous release]: a block goes back to the cache from a "basic" finalizer, which
// Node-API runs during garbage collection itself, not later from the event loop (the finalizer of
// an external ArrayBuffer is deferred to the loop, and a training loop that never yields would
// never get its memory back). Finalizers are attached with napi_add_finalizer; they only touch
// the allocator's lists.
//
// Note [Reused ArrayBuffers]: V8 counts the bytes of every ArrayBuffer it is handed as external
// memory, and past 64 MiB more than at its last full collection it starts another. A fresh
// ArrayBuffer per tensor therefore made a full collection of every 64 MiB of tensors that
// outlived a scavenge: every four 16 MB adds, three per GPT step (B7), each marking a heap that
// had not changed. So a block keeps its ArrayBuffer while it is cached (a strong reference,
// `owner`), and each tensor gets a new typed array over it: V8 counts a block's bytes once, when
// the block is made. What it should also see is how much of the pool is handed out (garbage not
// yet collected included), so that collections come when there is garbage to collect; that is
// reported to it at an eighth of its size (IN_USE_SHARE), which trades memory for collections.
// Measured (one thread, base and this run side by side on a loaded machine), full collections
// per step and CPU per step against a fresh ArrayBuffer per tensor: B7 2.6 -> 0.6, -30%; B8
// 2.6 -> 1.0, -20%; B6 -21%; B5 0.01 -> 0.03, +13% (its tensors mostly die young, which V8
// saw at each scavenge); bench:memory's 1000 steps level off at 440 MB instead of 200. Reporting
// it whole gave B5 52 full collections in 600 steps; reporting nothing makes the pool grow by
// fresh pages at every collection, and a first touch of fresh pages is what the cache avoids.
// The typed array is what the block's life follows (its finalizer returns the block), so nothing
// may keep the ArrayBuffer without the typed array: code that makes views over storage keeps the
// storage's own array alive with them (viewOver in core/dtype.ts). A block the cache has no room
// for drops its reference (on the JavaScript thread, at the next allocation: a finalizer may
// not), detaching the ArrayBuffer so that its memory is freed at once.
#define NAPI_EXPERIMENTAL
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "alloc.h"
#include "parallel.h"
#include "kernels.h"
#include "gemm.h"
#include "conv.h"
#include "rng.h"

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "typetorch native: " #call " failed"); return NULL; } } while (0)
#define MAX_ARGS 24

typedef struct { napi_env env; napi_value argv[MAX_ARGS]; size_t argc; int failed; } Args;

static int args_of(napi_env env, napi_callback_info info, Args *a) {
  a->env = env; a->argc = MAX_ARGS; a->failed = 0;
  return napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) == napi_ok;
}
static double num(Args *a, size_t i) {
  double v = 0;
  if (i >= a->argc || napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) a->failed = 1;
  return v;
}
/* The data of a typed array argument (its byte offset applied); NULL for null/undefined. */
static void *data(Args *a, size_t i) {
  napi_valuetype t;
  if (i >= a->argc || napi_typeof(a->env, a->argv[i], &t) != napi_ok) { a->failed = 1; return NULL; }
  if (t == napi_null || t == napi_undefined) return NULL;
  void *p = NULL;
  if (napi_get_typedarray_info(a->env, a->argv[i], NULL, NULL, &p, NULL, NULL) != napi_ok) a->failed = 1;
  return p;
}
static napi_value done(Args *a) {
  if (a->failed) napi_throw_type_error(a->env, NULL, "typetorch native: bad kernel arguments");
  return NULL;
}

/* A tt_geo read from a Float64Array: n[4], then for each operand its offset and 4 strides.
 * Returns the operand offsets in off[]. */
static int geo_of(Args *a, size_t i, int operands, tt_geo *g, int64_t *off) {
  double *v = data(a, i);
  if (!v) { a->failed = 1; return 0; }
  for (int d = 0; d < 4; d++) g->n[d] = (int64_t)v[d];
  for (int k = 0; k < operands; k++) {
    off[k] = (int64_t)v[4 + 5 * k];
    for (int d = 0; d < 4; d++) g->s[k][d] = (int64_t)v[5 + 5 * k + d];
  }
  return 1;
}

// ---- memory ----------------------------------------------------------------------------------

/* Blocks the cache had no room for, whose ArrayBuffers are let go at the next allocation. */
static tt_block *to_let_go;

static void let_go(napi_env env, tt_block *list) {
  while (list) {
    tt_block *b = list;
    list = b->next;
    /* Detached, the ArrayBuffer no longer reaches the memory, which can go back to the system
     * now; the ArrayBuffer itself goes when V8 collects it (then free_block frees b). */
    napi_value ab;
    if (napi_get_reference_value(env, (napi_ref)b->owner, &ab) == napi_ok && ab && napi_detach_arraybuffer(env, ab) == napi_ok) {
      tt_release_memory(b);
    }
    napi_delete_reference(env, (napi_ref)b->owner);
  }
}

/* The finalizer of a block's ArrayBuffer, once nothing references it. */
static void free_block(node_api_basic_env env, void *block, void *hint) {
  (void)env; (void)hint;
  tt_free((tt_block *)block);
}

/* Note [Scavenging for the cache]: a tensor that dies young is found dead at V8's next scavenge,
 * which comes when V8's young generation fills with JavaScript objects: for tensors of 16 MB
 * (B3's add) that is hundreds of MB of tensors later, so the outputs go round blocks that are out
 * of the caches (or fresh pages), where PyTorch, freeing at once, writes the block it just freed.
 * So when the cache has no block for a request and enough was handed out since the last time,
 * the allocator asks for a scavenge first (`collector`, set by the backend where the runtime has
 * one), and the blocks of the tensors it finds dead come back in time for this request. Enough
 * is as much as was still handed out after the last one (at least COLLECT_EVERY), as V8 sizes
 * its own heap's growth: a scavenge costs what survives it, about the live graph of a training
 * step. Measured (one thread, CPU time, alternated on a loaded machine): B3's add 5.1 -> 2.0 ms
 * (1.3 writing in place), at most ~100 MB in use instead of 770; per training step B5 7.1 ->
 * 4.8 ms, B6 90 -> 73, B7 116 -> 96, B8 unchanged (203 -> 214, within its noise); page faults
 * per step 2-6x fewer.
 * A large request (LARGE_REQUEST and more) asks sooner, once twice its size was handed out: its
 * block is written whole, and one that has gone round the other outputs is out of the caches
 * (B3's adds of 16 MB went round six blocks, 96 MB, while PyTorch writes the one it just freed),
 * which costs more than the scavenge: B3's add 2.2-3.0 -> 1.7 ms of CPU on one thread (PyTorch
 * 1.5), training steps unchanged within the noise of a loaded machine. */
#define COLLECT_EVERY ((uint64_t)32 << 20)
#define LARGE_REQUEST ((size_t)8 << 20)
static napi_ref collector;
static uint64_t since_collect, collect_after = COLLECT_EVERY;

/* A scavenge, where the cache has nothing for `bytes` and enough was handed out since the last. */
static void collect_for(napi_env env, size_t bytes) {
  int due = since_collect >= collect_after || (bytes >= LARGE_REQUEST && since_collect >= 2 * (uint64_t)bytes);
  if (!collector || !due || tt_has_cached(bytes)) return;
  since_collect = 0;
  napi_value fn, recv, ignored;
  if (napi_get_reference_value(env, collector, &fn) != napi_ok || napi_get_undefined(env, &recv) != napi_ok
      || napi_call_function(env, recv, fn, 0, NULL, &ignored) != napi_ok) {
    napi_get_and_clear_last_exception(env, &ignored); /* (a collector that fails is dropped) */
    napi_delete_reference(env, collector);
    collector = NULL;
  }
  uint64_t in_use, cached, peak;
  tt_alloc_stats(&in_use, &cached, &peak);
  collect_after = in_use > COLLECT_EVERY ? in_use : COLLECT_EVERY;
}

/* setCollector(fn): the function the allocator calls for a scavenge (Note [Scavenging for the
 * cache]). */
static napi_value js_set_collector(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  if (collector) napi_delete_reference(env, collector);
  collector = NULL;
  napi_valuetype t;
  if (napi_typeof(env, a.argv[0], &t) == napi_ok && t == napi_function) CHECK(napi_create_reference(env, a.argv[0], 1, &collector));
  return NULL;
}

/* The share of the bytes handed out that V8 is told of (Note [Reused ArrayBuffers]). */
#define IN_USE_SHARE 8

/* The finalizer of a tensor's typed array: its block goes back to the cache. */
static void release(node_api_basic_env env, void *block, void *hint) {
  (void)hint;
  tt_block *b = (tt_block *)block;
  int64_t ignored;
  napi_adjust_external_memory(env, -(int64_t)(b->size / IN_USE_SHARE), &ignored);
  if (tt_release(b)) { b->next = to_let_go; to_let_go = b; }
}

/* The block's ArrayBuffer, made for a fresh block (and referenced from it). On failure the block
 * is still the caller's to free: nothing reachable holds the ArrayBuffer, and it has no
 * finalizer. */
static int wrap(napi_env env, tt_block *b, napi_value *ab) {
  napi_ref ref;
  if (napi_create_external_arraybuffer(env, b->data, b->size, NULL, NULL, ab) != napi_ok) return 0;
  if (napi_create_reference(env, *ab, 1, &ref) != napi_ok) return 0;
  if (napi_add_finalizer(env, *ab, b, free_block, NULL, NULL) != napi_ok) { napi_delete_reference(env, ref); return 0; }
  b->owner = ref;
  return 1;
}

/* alloc(bytes, zero, type): a typed array (napi_typedarray_type `type`) of `bytes` on a cached
 * block, with the block's ArrayBuffer (Note [Reused ArrayBuffers]). */
static napi_value js_alloc(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  size_t bytes = (size_t)num(&a, 0);
  bool zero = false;
  napi_get_value_bool(env, a.argv[1], &zero);
  int type = (int)num(&a, 2);
  if (a.failed) return done(&a);
  collect_for(env, bytes);
  since_collect += bytes;
  let_go(env, to_let_go);
  to_let_go = NULL;
  tt_block *b = tt_alloc(bytes, zero);
  if (!b) {
    let_go(env, tt_empty_cache()); /* the memory may be sitting in other classes (freed at once) */
    b = tt_alloc(bytes, zero);
  }
  if (!b) { napi_throw_range_error(env, NULL, "DefaultCPUAllocator: not enough memory"); return NULL; }
  napi_value ab, view;
  int ok = b->owner ? napi_get_reference_value(env, (napi_ref)b->owner, &ab) == napi_ok : wrap(env, b, &ab);
  size_t item = type == napi_float64_array || type == napi_bigint64_array ? 8 : type == napi_float32_array || type == napi_int32_array ? 4
              : type == napi_int16_array || type == napi_uint16_array ? 2 : 1;
  ok = ok && napi_create_typedarray(env, (napi_typedarray_type)type, bytes / item, ab, 0, &view) == napi_ok
          && napi_wrap(env, view, b, release, NULL, NULL) == napi_ok;
  int64_t ignored;
  if (ok) napi_adjust_external_memory(env, (int64_t)(b->size / IN_USE_SHARE), &ignored);
  if (!ok) {
    b->next = NULL;
    if (b->owner) { if (tt_release(b)) let_go(env, b); } else { tt_release(b); tt_free(b); }
    napi_throw_error(env, NULL, "typetorch native: could not wrap a block in a typed array");
    return NULL;
  }
  return view;
}

/* free(view): hands the block of a typed array alloc made back to the cache now, before the
 * collector finds the array dead (Note [Freeing consumed gradients] in autograd/engine.ts). The
 * array is unwrapped, so its finalizer no longer runs; the caller guarantees that nothing uses it
 * again. false for an array that is none of alloc's, or was freed already. */
static napi_value js_free(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  void *block = NULL;
  napi_value result;
  int ok = a.argc >= 1 && napi_remove_wrap(env, a.argv[0], &block) == napi_ok && block;
  if (ok) release(env, block, NULL);
  CHECK(napi_get_boolean(env, ok, &result));
  return result;
}

static napi_value js_stats(napi_env env, napi_callback_info info) {
  (void)info;
  uint64_t s[3];
  tt_alloc_stats(&s[0], &s[1], &s[2]);
  napi_value arr, v;
  CHECK(napi_create_array_with_length(env, 3, &arr));
  for (uint32_t i = 0; i < 3; i++) { CHECK(napi_create_double(env, (double)s[i], &v)); CHECK(napi_set_element(env, arr, i, v)); }
  return arr;
}

static napi_value js_empty_cache(napi_env env, napi_callback_info info) {
  (void)info;
  let_go(env, tt_empty_cache());
  return NULL;
}

// ---- threads and features ------------------------------------------------------------------

static napi_value js_set_num_threads(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  int n = (int)num(&a, 0);
  if (!a.failed) tt_set_num_threads(n);
  return done(&a);
}

static const char *capability(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "AVX512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "AVX2";
  return "DEFAULT";
#elif defined(__aarch64__)
  return "NEON";
#else
  return "DEFAULT";
#endif
}

// ---- kernels --------------------------------------------------------------------------------

/* unary(op, x, xoff, y, n): y ← op(x[xoff:xoff+n]), contiguous float32 */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  int op = (int)num(&a, 0);
  float *x = data(&a, 1), *y = data(&a, 3);
  int64_t off = (int64_t)num(&a, 2), n = (int64_t)num(&a, 4);
  if (!a.failed && op >= 0 && op < U_COUNT && x && y) tt_unary(op, x + off, y, n);
  else a.failed = 1;
  return done(&a);
}

/* binary(op, a, b, y, geo, alpha) */
static napi_value js_binary(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  int op = (int)num(&a, 0);
  float *x = data(&a, 1), *z = data(&a, 2);
  char *y = data(&a, 3);
  tt_geo g; int64_t off[2];
  if (!a.failed && x && z && y && op >= 0 && op < B_COUNT && geo_of(&a, 4, 2, &g, off)) tt_binary(op, x + off[0], z + off[1], y, &g, num(&a, 5));
  else a.failed = 1;
  return done(&a);
}

/* where(c, a, b, y, geo) */
static napi_value js_where(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  uint8_t *c = data(&a, 0);
  float *x = data(&a, 1), *z = data(&a, 2), *y = data(&a, 3);
  tt_geo g; int64_t off[3];
  if (!a.failed && c && x && z && y && geo_of(&a, 4, 3, &g, off)) tt_where(c + off[0], x + off[1], z + off[2], y, &g);
  else a.failed = 1;
  return done(&a);
}

/* copy(itemsize, x, y, geo): strided y ← strided x (offsets in geo) */
static napi_value js_copy(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  int size = (int)num(&a, 0);
  char *x = data(&a, 1), *y = data(&a, 2);
  tt_geo g; int64_t off[2];
  if (!a.failed && x && y && (size == 1 || size == 2 || size == 4 || size == 8) && geo_of(&a, 3, 2, &g, off))
    tt_copy(size, x + off[0] * size, y + off[1] * size, &g);
  else a.failed = 1;
  return done(&a);
}

/* bmm(a, b, c, geo): c[B, M, N] ← a[B, M, K] · b[B, K, N]; geo holds B, M, N, K, then a's offset,
 * batch, row and column strides, then b's (elements) */
/* addmm(input, a, b, c, geo): c[M, N] ← input + a[M, K] · b[K, N]; geo holds M, N, K, then the
 * offset, row and column strides of input (broadcast: 0), a and b (elements) */
static napi_value js_addmm(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *in = data(&a, 0), *x = data(&a, 1), *z = data(&a, 2), *c = data(&a, 3);
  double *g = data(&a, 4);
  if (a.failed || !in || !x || !z || !c || !g) { a.failed = 1; return done(&a); }
  int64_t v[12];
  for (int i = 0; i < 12; i++) v[i] = (int64_t)g[i];
  tt_sgemm_init(v[0], v[1], v[2], x + v[6], v[7], v[8], z + v[9], v[10], v[11], (tt_gemm_init){ in + v[3], v[4], v[5] }, c, v[1], 1);
  return NULL;
}

static napi_value js_bmm(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *z = data(&a, 1), *c = data(&a, 2);
  double *g = data(&a, 3);
  if (a.failed || !x || !z || !c || !g) { a.failed = 1; return done(&a); }
  int64_t v[12];
  for (int i = 0; i < 12; i++) v[i] = (int64_t)g[i];
  int64_t B = v[0], M = v[1], N = v[2], K = v[3];
  tt_sgemm_batched(B, M, N, K, 1.0f, x + v[4], v[6], v[7], v[5], z + v[8], v[10], v[11], v[9], 0.0f, c, N, 1, M * N);
  return NULL;
}

/* The conv geometry from a Float64Array: N, C, H, W, O, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw. */
static int conv_of(Args *a, size_t i, tt_conv2d *p) {
  double *v = data(a, i);
  if (!v) { a->failed = 1; return 0; }
  *p = (tt_conv2d){ .N = (int64_t)v[0], .C = (int64_t)v[1], .H = (int64_t)v[2], .W = (int64_t)v[3], .O = (int64_t)v[4],
    .KH = (int64_t)v[5], .KW = (int64_t)v[6], .OH = (int64_t)v[7], .OW = (int64_t)v[8], .sh = (int64_t)v[9], .sw = (int64_t)v[10],
    .ph = (int64_t)v[11], .pw = (int64_t)v[12], .dh = (int64_t)v[13], .dw = (int64_t)v[14], .groups = 1 };
  return 1;
}
static napi_value conv_done(Args *a, int status) {
  if (status != 0) { napi_throw_range_error(a->env, NULL, "DefaultCPUAllocator: not enough memory for conv2d's workspace"); return NULL; }
  return done(a);
}

/* conv2d(x, w, bias|null, y, geo): contiguous float32 x [N, C, H, W], w [O, C, kh, kw] */
static napi_value js_conv2d(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *w = data(&a, 1), *b = data(&a, 2), *y = data(&a, 3);
  tt_conv2d p;
  if (a.failed || !x || !w || !y || !conv_of(&a, 4, &p)) { a.failed = 1; return done(&a); }
  return conv_done(&a, tt_conv2d_forward(&p, x, w, b, y));
}

/* conv2dInputGrad(w, gy, gx, geo) */
static napi_value js_conv2d_input_grad(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *w = data(&a, 0), *gy = data(&a, 1), *gx = data(&a, 2);
  tt_conv2d p;
  if (a.failed || !w || !gy || !gx || !conv_of(&a, 3, &p)) { a.failed = 1; return done(&a); }
  return conv_done(&a, tt_conv2d_backward_input(&p, gy, w, gx));
}

/* conv2dWeightGrad(x, gy, gw, gb|null, geo) */
static napi_value js_conv2d_weight_grad(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *gy = data(&a, 1), *gw = data(&a, 2), *gb = data(&a, 3);
  tt_conv2d p;
  if (a.failed || !x || !gy || !gw || !conv_of(&a, 4, &p)) { a.failed = 1; return done(&a); }
  return conv_done(&a, tt_conv2d_backward_weight(&p, x, gy, gw, gb));
}

/* maxPool2d(x, y, idx, hs, he, ws, we, geo): geo P, H, W, hstep, wstep */
static napi_value js_max_pool2d(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *y = data(&a, 1);
  int32_t *idx = data(&a, 2), *hs = data(&a, 3), *he = data(&a, 4), *ws = data(&a, 5), *we = data(&a, 6);
  double *g = data(&a, 7);
  size_t oh = 0, ow = 0;
  if (a.failed || !x || !y || !idx || !hs || !he || !ws || !we || !g ||
      napi_get_typedarray_info(env, a.argv[3], NULL, &oh, NULL, NULL, NULL) != napi_ok ||
      napi_get_typedarray_info(env, a.argv[5], NULL, &ow, NULL, NULL, NULL) != napi_ok) { a.failed = 1; return done(&a); }
  tt_max_pool2d(x, y, idx, (int64_t)g[0], (int64_t)g[1], (int64_t)g[2], (int64_t)oh, (int64_t)ow, hs, he, ws, we, (int64_t)g[3], (int64_t)g[4]);
  return NULL;
}

/* maxPool2dBackward(g, idx, gx, P, L, HW) */
static napi_value js_max_pool2d_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *g = data(&a, 0), *gx = data(&a, 2);
  int32_t *idx = data(&a, 1);
  int64_t P = (int64_t)num(&a, 3), L = (int64_t)num(&a, 4), HW = (int64_t)num(&a, 5);
  if (a.failed || !g || !idx || !gx) { a.failed = 1; return done(&a); }
  tt_max_pool2d_backward_planes(g, idx, gx, P, L, HW);
  return NULL;
}

/* avgPool2d(x, y, hs, he, ws, we, div, P, H, W, backward): y [P, OH, OW] ← window means of x
 * [P, H, W]; backward: the adjoint, x the gradient of y and y that of x */
static napi_value js_avg_pool2d(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *y = data(&a, 1);
  int32_t *hs = data(&a, 2), *he = data(&a, 3), *ws = data(&a, 4), *we = data(&a, 5);
  double *div = data(&a, 6);
  int64_t P = (int64_t)num(&a, 7), H = (int64_t)num(&a, 8), W = (int64_t)num(&a, 9);
  int backward = (int)num(&a, 10);
  size_t oh = 0, ow = 0;
  if (a.failed || !x || !y || !hs || !he || !ws || !we || !div ||
      napi_get_typedarray_info(env, a.argv[2], NULL, &oh, NULL, NULL, NULL) != napi_ok ||
      napi_get_typedarray_info(env, a.argv[4], NULL, &ow, NULL, NULL, NULL) != napi_ok) { a.failed = 1; return done(&a); }
  if (!backward) tt_avg_pool2d(x, y, P, H, W, (int64_t)oh, (int64_t)ow, hs, he, ws, we, div);
  else if (tt_avg_pool2d_backward(x, y, P, H, W, (int64_t)oh, (int64_t)ow, hs, he, ws, we, div) != 0)
    napi_throw_range_error(env, NULL, "DefaultCPUAllocator: not enough memory");
  return NULL;
}

/* lstmCell(gates, c, hy, cy, act, tcy, N, H): contiguous float32 */
static napi_value js_lstm_cell(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *c = data(&a, 1), *hy = data(&a, 2), *cy = data(&a, 3), *act = data(&a, 4), *t = data(&a, 5);
  int64_t N = (int64_t)num(&a, 6), H = (int64_t)num(&a, 7);
  if (a.failed || !x || !c || !hy || !cy || !act || !t) { a.failed = 1; return done(&a); }
  tt_lstm_cell(x, c, hy, cy, act, t, N, H);
  return NULL;
}

/* lstmCellBackward(ghy|null, gcy|null, c, act, tcy, ggates, gc, N, H) */
static napi_value js_lstm_cell_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *gh = data(&a, 0), *gcy = data(&a, 1), *c = data(&a, 2), *act = data(&a, 3), *t = data(&a, 4), *gx = data(&a, 5), *gc = data(&a, 6);
  int64_t N = (int64_t)num(&a, 7), H = (int64_t)num(&a, 8);
  if (a.failed || !c || !act || !t || !gx || !gc) { a.failed = 1; return done(&a); }
  tt_lstm_cell_backward(gh, gcy, c, act, t, gx, gc, N, H);
  return NULL;
}

/* lstmLayer(gi, w_hh, b_hh|null, h0, c0, hs, cs, tcy, gates, T, N, H, reverse): contiguous float32
 * (gates: N x 4H floats of scratch) */
static napi_value js_lstm_layer(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *gi = data(&a, 0), *w = data(&a, 1), *b = data(&a, 2), *h0 = data(&a, 3), *c0 = data(&a, 4);
  float *hs = data(&a, 5), *cs = data(&a, 6), *t = data(&a, 7), *gates = data(&a, 8);
  int64_t T = (int64_t)num(&a, 9), N = (int64_t)num(&a, 10), H = (int64_t)num(&a, 11);
  int reverse = (int)num(&a, 12);
  if (a.failed || !gi || !w || !h0 || !c0 || !hs || !cs || !t || !gates) { a.failed = 1; return done(&a); }
  tt_lstm_layer(gi, w, b, h0, c0, hs, cs, t, gates, T, N, H, reverse);
  return NULL;
}

/* lstmLayerBackward(gout, gh, gc, c0, cs, act, tcy, w_hh, ggates, T, N, H, reverse) */
static napi_value js_lstm_layer_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *go = data(&a, 0), *gh = data(&a, 1), *gc = data(&a, 2), *c0 = data(&a, 3), *cs = data(&a, 4);
  float *act = data(&a, 5), *t = data(&a, 6), *w = data(&a, 7), *gg = data(&a, 8);
  int64_t T = (int64_t)num(&a, 9), N = (int64_t)num(&a, 10), H = (int64_t)num(&a, 11);
  int reverse = (int)num(&a, 12);
  if (a.failed || !go || !gh || !gc || !c0 || !cs || !act || !t || !w || !gg) { a.failed = 1; return done(&a); }
  tt_lstm_layer_backward(go, gh, gc, c0, cs, act, t, w, gg, T, N, H, reverse);
  return NULL;
}

/* layerNorm(x, w|null, b|null, y, mean, rstd, M, K, eps) */
static napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *w = data(&a, 1), *b = data(&a, 2), *y = data(&a, 3);
  double *mean = data(&a, 4), *rstd = data(&a, 5);
  int64_t M = (int64_t)num(&a, 6), K = (int64_t)num(&a, 7);
  double eps = num(&a, 8);
  if (a.failed || !x || !y || !mean || !rstd) { a.failed = 1; return done(&a); }
  tt_layer_norm(x, w, b, y, mean, rstd, M, K, eps);
  return NULL;
}

/* layerNormBackward(g, x, w|null, mean, rstd, gx|null, gw|null, gb|null, M, K) */
static napi_value js_layer_norm_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *g = data(&a, 0), *x = data(&a, 1), *w = data(&a, 2), *gx = data(&a, 5), *gw = data(&a, 6), *gb = data(&a, 7);
  double *mean = data(&a, 3), *rstd = data(&a, 4);
  int64_t M = (int64_t)num(&a, 8), K = (int64_t)num(&a, 9);
  if (a.failed || !g || !x || !mean || !rstd) { a.failed = 1; return done(&a); }
  tt_layer_norm_backward(g, x, w, mean, rstd, gx, gw, gb, M, K);
  return NULL;
}

/* channelStats(x, mean, var, P, Q, R) */
static napi_value js_channel_stats(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0);
  double *mean = data(&a, 1), *var = data(&a, 2);
  int64_t P = (int64_t)num(&a, 3), Q = (int64_t)num(&a, 4), R = (int64_t)num(&a, 5);
  if (a.failed || !x || !mean || !var) { a.failed = 1; return done(&a); }
  tt_channel_stats(x, mean, var, P, Q, R);
  return NULL;
}

/* channelAffine(x, y, scale, shift, P, Q, R) */
static napi_value js_channel_affine(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *y = data(&a, 1);
  double *scale = data(&a, 2), *shift = data(&a, 3);
  int64_t P = (int64_t)num(&a, 4), Q = (int64_t)num(&a, 5), R = (int64_t)num(&a, 6);
  if (a.failed || !x || !y || !scale || !shift) { a.failed = 1; return done(&a); }
  tt_channel_affine(x, y, scale, shift, P, Q, R);
  return NULL;
}

/* batchNormBackward(g, x, w|null, mean, invstd, gx|null, gw|null, gb|null, N, C, S, train) */
static napi_value js_batch_norm_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *g = data(&a, 0), *x = data(&a, 1), *w = data(&a, 2), *gx = data(&a, 5), *gw = data(&a, 6), *gb = data(&a, 7);
  double *mean = data(&a, 3), *inv = data(&a, 4);
  int64_t N = (int64_t)num(&a, 8), C = (int64_t)num(&a, 9), S = (int64_t)num(&a, 10);
  int train = (int)num(&a, 11);
  if (a.failed || !g || !x || !mean || !inv) { a.failed = 1; return done(&a); }
  if (tt_batch_norm_backward(g, x, w, mean, inv, gx, gw, gb, N, C, S, train) != 0)
    napi_throw_range_error(env, NULL, "DefaultCPUAllocator: not enough memory");
  return NULL;
}

/* gruCell(gi, gh, h, hy, act, N, H): contiguous float32 */
static napi_value js_gru_cell(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *gi = data(&a, 0), *gh = data(&a, 1), *h = data(&a, 2), *hy = data(&a, 3), *act = data(&a, 4);
  int64_t N = (int64_t)num(&a, 5), H = (int64_t)num(&a, 6);
  if (a.failed || !gi || !gh || !h || !hy || !act) { a.failed = 1; return done(&a); }
  tt_gru_cell(gi, gh, h, hy, act, N, H);
  return NULL;
}

/* gruCellBackward(ghy, h, act, ggi, ggh, gh, N, H) */
static napi_value js_gru_cell_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *ghy = data(&a, 0), *h = data(&a, 1), *act = data(&a, 2), *ggi = data(&a, 3), *ggh = data(&a, 4), *gh = data(&a, 5);
  int64_t N = (int64_t)num(&a, 6), H = (int64_t)num(&a, 7);
  if (a.failed || !ghy || !h || !act || !ggi || !ggh || !gh) { a.failed = 1; return done(&a); }
  tt_gru_cell_backward(ghy, h, act, ggi, ggh, gh, N, H);
  return NULL;
}

/* The index geometry from a Float64Array: nd, d, size, then shape[nd] and the strides of up to
 * two operands (nd each). */
static int index_geo_of(Args *a, size_t i, int operands, int *nd, int *d, int64_t *size, int64_t *shape, int64_t st[2][8]) {
  double *v = data(a, i);
  if (!v) { a->failed = 1; return 0; }
  *nd = (int)v[0]; *d = (int)v[1]; *size = (int64_t)v[2];
  if (*nd < 1 || *nd > 8 || *d < 0 || *d >= *nd) { a->failed = 1; return 0; }
  for (int k = 0; k < *nd; k++) shape[k] = (int64_t)v[3 + k];
  for (int o = 0; o < operands; o++) for (int k = 0; k < *nd; k++) st[o][k] = (int64_t)v[3 + (1 + o) * *nd + k];
  return 1;
}
static napi_value position(Args *a, int64_t k) {
  napi_value v;
  if (a->failed) return done(a);
  return napi_create_double(a->env, (double)k, &v) == napi_ok ? v : NULL;
}

/* gather(x, idx, y, geo) → -1 or the position of the first index out of range; geo's strides: x's */
static napi_value js_gather(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *y = data(&a, 2);
  int64_t *idx = data(&a, 1), shape[8], st[2][8], size;
  int nd, d;
  if (a.failed || !x || !idx || !y || !index_geo_of(&a, 3, 1, &nd, &d, &size, shape, st)) { a.failed = 1; return done(&a); }
  return position(&a, tt_gather(x, idx, y, nd, shape, st[0], d, size));
}

/* scatter(out, idx, src|null, value, add, geo) → as gather; geo's strides: out's, then src's */
static napi_value js_scatter(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *out = data(&a, 0), *src = data(&a, 2);
  int64_t *idx = data(&a, 1), shape[8], st[2][8], size;
  double value = num(&a, 3);
  int add = (int)num(&a, 4), nd, d;
  if (a.failed || !out || !idx || !index_geo_of(&a, 5, 2, &nd, &d, &size, shape, st)) { a.failed = 1; return done(&a); }
  return position(&a, tt_scatter(out, idx, src, (float)value, nd, shape, st[0], st[1], d, size, add));
}

/* indexAdd(out, idx, src, pre, size, n, post): contiguous float32, float64 indices */
static napi_value js_index_add(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *out = data(&a, 0), *src = data(&a, 2);
  double *idx = data(&a, 1);
  int64_t pre = (int64_t)num(&a, 3), size = (int64_t)num(&a, 4), n = (int64_t)num(&a, 5), post = (int64_t)num(&a, 6);
  if (a.failed || !out || !idx || !src) { a.failed = 1; return done(&a); }
  tt_index_add(out, idx, src, pre, size, n, post);
  return NULL;
}

/* indexSelect(x, y, idx, pre, size, n, bytes): any typed arrays, float64 indices */
static napi_value js_index_select(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  void *x = data(&a, 0), *y = data(&a, 1);
  double *idx = data(&a, 2);
  int64_t pre = (int64_t)num(&a, 3), size = (int64_t)num(&a, 4), n = (int64_t)num(&a, 5), bytes = (int64_t)num(&a, 6);
  if (a.failed || !x || !y || !idx) { a.failed = 1; return done(&a); }
  tt_index_select(x, y, idx, pre, size, n, bytes);
  return NULL;
}

/* reduce(kind, x, xoff, y, O, R, I) */
static napi_value js_reduce(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  int kind = (int)num(&a, 0);
  float *x = data(&a, 1), *y = data(&a, 3);
  int64_t off = (int64_t)num(&a, 2), O = (int64_t)num(&a, 4), R = (int64_t)num(&a, 5), I = (int64_t)num(&a, 6);
  if (!a.failed && x && y && kind >= R_SUM && kind <= R_MIN) tt_reduce(kind, x + off, y, O, R, I);
  else a.failed = 1;
  return done(&a);
}

/* sumSquares(x, xoff, n): Σ x² in float64 */
static napi_value js_sum_squares(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0);
  int64_t off = (int64_t)num(&a, 1), n = (int64_t)num(&a, 2);
  if (a.failed || !x) { a.failed = 1; return done(&a); }
  napi_value r;
  CHECK(napi_create_double(env, tt_sum_squares(x + off, n), &r));
  return r;
}

/* softmax(x, xoff, y, rows, len, log) */
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *x = data(&a, 0), *y = data(&a, 2);
  int64_t off = (int64_t)num(&a, 1), rows = (int64_t)num(&a, 3), len = (int64_t)num(&a, 4);
  int log = (int)num(&a, 5);
  if (!a.failed && x && y) tt_softmax(x + off, y, rows, len, log);
  else a.failed = 1;
  return done(&a);
}

/* softmaxBackward(g, y, gx, rows, len, log): contiguous float32 */
static napi_value js_softmax_backward(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *g = data(&a, 0), *y = data(&a, 1), *gx = data(&a, 2);
  int64_t rows = (int64_t)num(&a, 3), len = (int64_t)num(&a, 4);
  int log = (int)num(&a, 5);
  if (!a.failed && g && y && gx) tt_softmax_backward(g, y, gx, rows, len, log);
  else a.failed = 1;
  return done(&a);
}

/* logSoftmaxBackwardOnehot(y, cols, vals, gx, rows, len): y, gx contiguous float32; cols an
 * Int32Array and vals a Float32Array of `rows` */
static napi_value js_log_softmax_backward_onehot(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *y = data(&a, 0), *vals = data(&a, 2), *gx = data(&a, 3);
  int32_t *cols = data(&a, 1);
  int64_t rows = (int64_t)num(&a, 4), len = (int64_t)num(&a, 5);
  if (!a.failed && y && cols && vals && gx) tt_log_softmax_backward_onehot(y, cols, vals, gx, rows, len);
  else a.failed = 1;
  return done(&a);
}

/* adam(p, g, m, v, vmax|null, n, maximize, weightDecay, decoupled, small, decay, wds, coeff, b2, omb2, bc2, eps, negStep) */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *p = data(&a, 0), *g = data(&a, 1), *m = data(&a, 2), *v = data(&a, 3), *vmax = data(&a, 4);
  int64_t n = (int64_t)num(&a, 5);
  double s[12];
  for (int i = 0; i < 12; i++) s[i] = num(&a, 6 + (size_t)i);
  if (!a.failed && p && g && m && v)
    tt_adam(p, g, m, v, vmax, n, (int)s[0], (int)s[1], (int)s[2], (int)s[3], (float)s[4], (float)s[5], (float)s[6],
            (float)s[7], (float)s[8], (float)s[9], (float)s[10], (float)s[11]);
  else a.failed = 1;
  return done(&a);
}

/* sgd(p, g, buf|null, n, maximize, weightDecay, first, nesterov, wds, negLr, mom, omd) */
static napi_value js_sgd(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *p = data(&a, 0), *g = data(&a, 1), *buf = data(&a, 2);
  int64_t n = (int64_t)num(&a, 3);
  double s[8];
  for (int i = 0; i < 8; i++) s[i] = num(&a, 4 + (size_t)i);
  if (!a.failed && p && g)
    tt_sgd(p, g, buf, n, (int)s[0], (int)s[1], (int)s[2], (int)s[3], (float)s[4], (float)s[5], (float)s[6], (float)s[7]);
  else a.failed = 1;
  return done(&a);
}

/* adadelta(p, g, sq, ad, n, maximize, weightDecay, wds, rho, omr, eps, negLr) */
static napi_value js_adadelta(napi_env env, napi_callback_info info) {
  Args a;
  if (!args_of(env, info, &a)) return NULL;
  float *p = data(&a, 0), *g = data(&a, 1), *sq = data(&a, 2), *ad = data(&a, 3);
  int64_t n = (int64_t)num(&a, 4);
  double s[7];
  for (int i = 0; i < 7; i++) s[i] = num(&a, 5 + (size_t)i);
  if (!a.failed && p && g && sq && ad)
    tt_adadelta(p, g, sq, ad, n, (int)s[0], (int)s[1], (float)s[2], (float)s[3], (float)s[4], (float)s[5], (float)s[6]);
  else a.failed = 1;
  return done(&a);
}

/* The engine of a Generator: its 624 words (Uint32Array) and cursor {left, next} (Int32Array). */
static int engine_of(Args *a, size_t i, uint32_t **mt, int32_t **pos) {
  size_t n = 0, m = 0;
  *mt = data(a, i); *pos = data(a, i + 1);
  if (a->failed || !*mt || !*pos || napi_get_typedarray_info(a->env, a->argv[i], NULL, &n, NULL, NULL, NULL) != napi_ok ||
      napi_get_typedarray_info(a->env, a->argv[i + 1], NULL, &m, NULL, NULL, NULL) != napi_ok || n != 624 || m != 2 ||
      (*pos)[0] < 1 || (*pos)[0] > 624 || (*pos)[1] < 0 || (*pos)[1] > 624) { a->failed = 1; return 0; }
  return 1;
}

/* A sampler's arguments (mt, pos, out, n, double, then its `params` numbers): the engine, out (a
 * Float32Array or Float64Array of n elements) and whether it is float64; 0, with the call failed,
 * where one is missing or wrong. */
typedef struct { uint32_t *mt; int32_t *pos; void *out; int64_t n; int dbl; double p[2]; } Sampling;
static int sampling_of(Args *a, int params, Sampling *s) {
  s->out = data(a, 2);
  s->n = (int64_t)num(a, 3);
  s->dbl = (int)num(a, 4);
  for (int i = 0; i < params; i++) s->p[i] = num(a, 5 + (size_t)i);
  if (engine_of(a, 0, &s->mt, &s->pos) && s->out) return 1;
  a->failed = 1;
  return 0;
}

/* uniform(mt, pos, out, n, double, from, to) */
static napi_value js_uniform(napi_env env, napi_callback_info info) {
  Args a;
  Sampling s;
  if (!args_of(env, info, &a)) return NULL;
  if (sampling_of(&a, 2, &s)) tt_uniform(s.mt, s.pos, s.out, s.n, s.dbl, s.p[0], s.p[1]);
  return done(&a);
}

/* bernoulli(mt, pos, out, n, double, p) */
static napi_value js_bernoulli(napi_env env, napi_callback_info info) {
  Args a;
  Sampling s;
  if (!args_of(env, info, &a)) return NULL;
  if (sampling_of(&a, 1, &s)) tt_bernoulli(s.mt, s.pos, s.out, s.n, s.dbl, s.p[0]);
  return done(&a);
}

/* normal(mt, pos, out, n, double, mean, std), n >= 16 */
static napi_value js_normal(napi_env env, napi_callback_info info) {
  Args a;
  Sampling s;
  if (!args_of(env, info, &a)) return NULL;
  if (!sampling_of(&a, 2, &s)) return done(&a);
  if (s.n < 16) a.failed = 1;
  else if (s.dbl) tt_normal_f64(s.mt, s.pos, s.out, s.n, s.p[0], s.p[1]);
  else tt_normal_f32(s.mt, s.pos, s.out, s.n, (float)s.p[0], (float)s.p[1]);
  return done(&a);
}

// ---- the module ----------------------------------------------------------------------------

static napi_value names(napi_env env, const char *const *list, uint32_t n) {
  napi_value arr, s;
  if (napi_create_array_with_length(env, n, &arr) != napi_ok) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    if (napi_create_string_utf8(env, list[i], NAPI_AUTO_LENGTH, &s) != napi_ok || napi_set_element(env, arr, i, s) != napi_ok) return NULL;
  }
  return arr;
}

/* Note [Heap trimming]: tensors below the cache's threshold (MIN_NATIVE_BYTES in backend.ts) are
 * V8's ArrayBuffers, which glibc's malloc serves from the heap; when the collector frees a batch of
 * them at the top of the heap, malloc gives those pages back to the system (past M_TRIM_THRESHOLD,
 * 128 KiB) and the next tensors fault them in again, zeroed. Measured on a 128x128 matmul loop:
 * a fifth of the time in page faults; 33 -> 25 us per product (64x64: 9 -> 5 us) with the heap's
 * top kept up to 64 MiB. So the engine sets that, unless the user tuned malloc themselves. Setting
 * it turns off malloc's own raising of its mmap threshold as large blocks are freed, so that
 * threshold is set too, to the ceiling glibc's raising stops at (32 MiB on 64-bit): blocks below
 * it keep coming from the heap rather than from fresh mappings. */
static void keep_heap_top(void) {
#if defined(__GLIBC__)
  if (getenv("MALLOC_TRIM_THRESHOLD_") || getenv("MALLOC_MMAP_THRESHOLD_") || getenv("GLIBC_TUNABLES")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

NAPI_MODULE_INIT() {
  keep_heap_top();
  static const char *const unary_names[] = { TT_UNARY_NAMES };
  static const char *const binary_names[] = { TT_BINARY_NAMES };
  napi_property_descriptor fns[] = {
    { "alloc", NULL, js_alloc, NULL, NULL, NULL, napi_default, NULL },
    { "setCollector", NULL, js_set_collector, NULL, NULL, NULL, napi_default, NULL },
    { "free", NULL, js_free, NULL, NULL, NULL, napi_default, NULL },
    { "stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL },
    { "emptyCache", NULL, js_empty_cache, NULL, NULL, NULL, napi_default, NULL },
    { "setNumThreads", NULL, js_set_num_threads, NULL, NULL, NULL, napi_default, NULL },
    { "unary", NULL, js_unary, NULL, NULL, NULL, napi_default, NULL },
    { "binary", NULL, js_binary, NULL, NULL, NULL, napi_default, NULL },
    { "where", NULL, js_where, NULL, NULL, NULL, napi_default, NULL },
    { "copy", NULL, js_copy, NULL, NULL, NULL, napi_default, NULL },
    { "bmm", NULL, js_bmm, NULL, NULL, NULL, napi_default, NULL },
    { "addmm", NULL, js_addmm, NULL, NULL, NULL, napi_default, NULL },
    { "conv2d", NULL, js_conv2d, NULL, NULL, NULL, napi_default, NULL },
    { "conv2dInputGrad", NULL, js_conv2d_input_grad, NULL, NULL, NULL, napi_default, NULL },
    { "conv2dWeightGrad", NULL, js_conv2d_weight_grad, NULL, NULL, NULL, napi_default, NULL },
    { "maxPool2d", NULL, js_max_pool2d, NULL, NULL, NULL, napi_default, NULL },
    { "maxPool2dBackward", NULL, js_max_pool2d_backward, NULL, NULL, NULL, napi_default, NULL },
    { "avgPool2d", NULL, js_avg_pool2d, NULL, NULL, NULL, napi_default, NULL },
    { "lstmCell", NULL, js_lstm_cell, NULL, NULL, NULL, napi_default, NULL },
    { "lstmCellBackward", NULL, js_lstm_cell_backward, NULL, NULL, NULL, napi_default, NULL },
    { "sumSquares", NULL, js_sum_squares, NULL, NULL, NULL, napi_default, NULL },
    { "lstmLayer", NULL, js_lstm_layer, NULL, NULL, NULL, napi_default, NULL },
    { "lstmLayerBackward", NULL, js_lstm_layer_backward, NULL, NULL, NULL, napi_default, NULL },
    { "layerNorm", NULL, js_layer_norm, NULL, NULL, NULL, napi_default, NULL },
    { "layerNormBackward", NULL, js_layer_norm_backward, NULL, NULL, NULL, napi_default, NULL },
    { "channelStats", NULL, js_channel_stats, NULL, NULL, NULL, napi_default, NULL },
    { "channelAffine", NULL, js_channel_affine, NULL, NULL, NULL, napi_default, NULL },
    { "batchNormBackward", NULL, js_batch_norm_backward, NULL, NULL, NULL, napi_default, NULL },
    { "gruCell", NULL, js_gru_cell, NULL, NULL, NULL, napi_default, NULL },
    { "gruCellBackward", NULL, js_gru_cell_backward, NULL, NULL, NULL, napi_default, NULL },
    { "gather", NULL, js_gather, NULL, NULL, NULL, napi_default, NULL },
    { "scatter", NULL, js_scatter, NULL, NULL, NULL, napi_default, NULL },
    { "indexAdd", NULL, js_index_add, NULL, NULL, NULL, napi_default, NULL },
    { "indexSelect", NULL, js_index_select, NULL, NULL, NULL, napi_default, NULL },
    { "reduce", NULL, js_reduce, NULL, NULL, NULL, napi_default, NULL },
    { "softmax", NULL, js_softmax, NULL, NULL, NULL, napi_default, NULL },
    { "softmaxBackward", NULL, js_softmax_backward, NULL, NULL, NULL, napi_default, NULL },
    { "logSoftmaxBackwardOnehot", NULL, js_log_softmax_backward_onehot, NULL, NULL, NULL, napi_default, NULL },
    { "adam", NULL, js_adam, NULL, NULL, NULL, napi_default, NULL },
    { "sgd", NULL, js_sgd, NULL, NULL, NULL, napi_default, NULL },
    { "adadelta", NULL, js_adadelta, NULL, NULL, NULL, napi_default, NULL },
    { "uniform", NULL, js_uniform, NULL, NULL, NULL, napi_default, NULL },
    { "normal", NULL, js_normal, NULL, NULL, NULL, napi_default, NULL },
    { "bernoulli", NULL, js_bernoulli, NULL, NULL, NULL, napi_default, NULL },
  };
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  napi_value v;
  if (napi_create_string_utf8(env, capability(), NAPI_AUTO_LENGTH, &v) != napi_ok || napi_set_named_property(env, exports, "capability", v) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "unaryOps", names(env, unary_names, U_COUNT)) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "binaryOps", names(env, binary_names, B_COUNT)) != napi_ok) return NULL;
  return exports;
}
