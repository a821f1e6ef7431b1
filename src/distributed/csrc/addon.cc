// The Node-API glue of torch.distributed's native part (build/Release/typetorch_gloo.node): the
// TCPStore (store.h) and Gloo process groups (group.h) as externals, and the collectives, each
// called with typed arrays that the TypeScript side keeps alive until the Work is waited on.
// Failures come back as Errors with a `kind` (DistStoreError, DistNetworkError,
// DistBackendError, ValueError) that src/distributed turns into PyTorch's error classes.
#define NAPI_EXPERIMENTAL
#include <node_api.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "group.h"
#include "store.h"

namespace {

using namespace tt;

struct Store {
  std::unique_ptr<StoreServer> server;
  std::shared_ptr<StoreClient> client;
};

struct Args {
  napi_env env;
  napi_value argv[10];
  size_t argc = 10;
  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr); }
  double num(size_t i) { double v = 0; napi_get_value_double(env, argv[i], &v); return v; }
  bool flag(size_t i) { bool v = false; napi_get_value_bool(env, argv[i], &v); return v; }
  std::string text(size_t i) {
    size_t n = 0;
    napi_get_value_string_utf8(env, argv[i], nullptr, 0, &n);
    std::string s(n, '\0');
    napi_get_value_string_utf8(env, argv[i], &s[0], n + 1, &n);
    return s;
  }
  std::vector<std::string> texts(size_t i) {
    uint32_t n = 0;
    napi_get_array_length(env, argv[i], &n);
    std::vector<std::string> out;
    for (uint32_t k = 0; k < n; k++) {
      napi_value v;
      napi_get_element(env, argv[i], k, &v);
      size_t len = 0;
      napi_get_value_string_utf8(env, v, nullptr, 0, &len);
      std::string s(len, '\0');
      napi_get_value_string_utf8(env, v, &s[0], len + 1, &len);
      out.push_back(s);
    }
    return out;
  }
  /** A typed array's data and byte length; null and 0 for null/undefined. */
  void* bytes(size_t i, size_t* len) {
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    *len = 0;
    if (t == napi_null || t == napi_undefined) return nullptr;
    napi_typedarray_type type;
    size_t n = 0;
    void* p = nullptr;
    napi_get_typedarray_info(env, argv[i], &type, &n, &p, nullptr, nullptr);
    static const size_t size[] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8};  // napi_typedarray_type order
    *len = n * size[type];
    return p;
  }
  template <typename T>
  T* external(size_t i) {
    void* p = nullptr;
    napi_get_value_external(env, argv[i], &p);
    return static_cast<T*>(p);
  }
};

napi_value fail(napi_env env, const std::string& kind, const std::string& msg) {
  napi_value m, k, err;
  napi_create_string_utf8(env, msg.c_str(), msg.size(), &m);
  napi_create_string_utf8(env, kind.c_str(), kind.size(), &k);
  napi_create_error(env, nullptr, m, &err);
  napi_set_named_property(env, err, "kind", k);
  napi_throw(env, err);
  return nullptr;
}

/** Runs f, turning C++ exceptions into JavaScript ones. */
template <typename F>
napi_value guarded(napi_env env, F f) {
  try {
    return f();
  } catch (const DistError& e) {
    return fail(env, e.kind, e.what());
  } catch (const std::exception& e) {
    return fail(env, "DistBackendError", e.what());
  }
}

template <typename T>
napi_value wrap(napi_env env, std::shared_ptr<T> p) {
  napi_value v;
  auto* holder = new std::shared_ptr<T>(std::move(p));
  napi_create_external(env, holder, [](node_api_basic_env, void* data, void*) { delete static_cast<std::shared_ptr<T>*>(data); }, nullptr, &v);
  return v;
}
template <typename T>
std::shared_ptr<T>& unwrap(Args& a, size_t i) { return *a.external<std::shared_ptr<T>>(i); }

napi_value number(napi_env env, double x) { napi_value v; napi_create_double(env, x, &v); return v; }
napi_value boolean(napi_env env, bool x) { napi_value v; napi_get_boolean(env, x, &v); return v; }
napi_value u8array(napi_env env, const Bytes& b) {
  void* p;
  napi_value ab, v;
  napi_create_arraybuffer(env, b.size(), &p, &ab);
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  napi_create_typedarray(env, napi_uint8_array, b.size(), ab, 0, &v);
  return v;
}
Bytes bytesOf(Args& a, size_t i) {
  size_t n;
  char* p = static_cast<char*>(a.bytes(i, &n));
  return Bytes(p, p + n);
}

// ---- store ------------------------------------------------------------------------------------

/** storeNew(host, port, isServer, timeoutMs): the store; a server also listens on port (0: any). */
napi_value storeNew(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] {
    auto s = std::make_shared<Store>();
    ms timeout(static_cast<int64_t>(a.num(3)));
    int port = static_cast<int>(a.num(1));
    if (a.flag(2)) { s->server = std::make_unique<StoreServer>(port); port = s->server->port(); }
    s->client = std::make_shared<StoreClient>(a.text(0), port, timeout);
    napi_value v = wrap(env, s), p = number(env, port);
    napi_value out;
    napi_create_array_with_length(env, 2, &out);
    napi_set_element(env, out, 0, v);
    napi_set_element(env, out, 1, p);
    return out;
  });
}

StoreClient& client(Args& a) {
  auto& s = unwrap<Store>(a, 0);
  if (!s->client) throw DistError("DistNetworkError", "the TCPStore was closed");
  return *s->client;
}

napi_value storeSet(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&]() -> napi_value { client(a).set(a.text(1), bytesOf(a, 2)); return nullptr; });
}
napi_value storeGet(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return u8array(env, client(a).get(a.text(1))); });
}
napi_value storeAdd(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return number(env, static_cast<double>(client(a).add(a.text(1), static_cast<int64_t>(a.num(2))))); });
}
napi_value storeCompareSet(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return u8array(env, client(a).compareSet(a.text(1), bytesOf(a, 2), bytesOf(a, 3))); });
}
napi_value storeWait(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&]() -> napi_value { client(a).wait(a.texts(1), ms(static_cast<int64_t>(a.num(2)))); return nullptr; });
}
napi_value storeCheck(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return boolean(env, client(a).check(a.texts(1))); });
}
napi_value storeDelete(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return boolean(env, client(a).deleteKey(a.text(1))); });
}
napi_value storeNumKeys(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] { return number(env, static_cast<double>(client(a).numKeys())); });
}
napi_value storeSetTimeout(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&]() -> napi_value { client(a).timeout = ms(static_cast<int64_t>(a.num(1))); return nullptr; });
}
napi_value storeClose(napi_env env, napi_callback_info info) {
  Args a(env, info);
  auto& s = unwrap<Store>(a, 0);
  s->client.reset();
  s->server.reset();
  return nullptr;
}

// ---- process groups ---------------------------------------------------------------------------

/** groupNew(store, prefix, rank, size, timeoutMs, masterHost, iface, cpu) */
napi_value groupNew(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] {
    auto& s = unwrap<Store>(a, 0);
    if (!s->client) throw DistError("DistNetworkError", "the TCPStore was closed");
    std::string iface = a.text(6);
    auto g = std::make_shared<ProcessGroup>(s->client, a.text(1), static_cast<int>(a.num(2)), static_cast<int>(a.num(3)),
                                            ms(static_cast<int64_t>(a.num(4))), iface.empty() ? localAddressTowards(a.text(5)) : "", iface,
                                            static_cast<int>(a.num(7)));
    return wrap(env, g);
  });
}

napi_value groupClose(napi_env env, napi_callback_info info) {
  Args a(env, info);
  unwrap<ProcessGroup>(a, 0).reset();
  return nullptr;
}

enum Kind { ALLREDUCE, REDUCE, BROADCAST, ALLGATHER, GATHER, SCATTER, BARRIER, SEND, RECV };

/** groupRun(group, kind, input, output, dtype, reduceOp, rootOrPeer, tag): a Work. */
napi_value groupRun(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] {
    ProcessGroup* g = unwrap<ProcessGroup>(a, 0).get();
    if (!g) throw DistError("ValueError", "The process group has been destroyed");
    int kind = static_cast<int>(a.num(1));
    size_t inBytes, outBytes;
    void* in = a.bytes(2, &inBytes);
    void* out = a.bytes(3, &outBytes);
    DType d = static_cast<DType>(static_cast<int>(a.num(4)));
    Reduce op = static_cast<Reduce>(static_cast<int>(a.num(5)));
    int peer = static_cast<int>(a.num(6));
    uint32_t tag = static_cast<uint32_t>(a.num(7));
    static const size_t itemsize[] = {4, 8, 4, 8, 1, 1, 2, 2, 2, 1};
    size_t count = outBytes / itemsize[static_cast<int>(d)];
    // a raw pointer: the group's destructor runs what is queued before it goes (group.h), and the
    // TypeScript side holds the buffers until the Work is waited on
    std::function<void(Work&)> fn;
    switch (kind) {
      case ALLREDUCE: fn = [=](Work&) { g->allreduce(out, count, d, op); }; break;
      case REDUCE: fn = [=](Work&) { g->reduce(out, count, d, op, peer); }; break;
      case BROADCAST: fn = [=](Work&) { g->broadcast(out, outBytes, peer); }; break;
      case ALLGATHER: fn = [=](Work&) { g->allgather(in, out, inBytes); }; break;
      case GATHER: fn = [=](Work&) { g->gather(in, out, inBytes, peer); }; break;
      case SCATTER: fn = [=](Work&) { g->scatter(in, out, outBytes, peer); }; break;
      case BARRIER: fn = [=](Work&) { g->barrier(); }; break;
      case SEND: fn = g->send(in, inBytes, peer, tag); break;
      case RECV: fn = g->recv(out, outBytes, peer, tag); break;
      default: throw DistError("ValueError", "unknown collective");
    }
    return wrap(env, g->enqueue(std::move(fn)));
  });
}

/** workWait(work): blocks until it ran; its recv's source rank (-1 otherwise), or its error. */
napi_value workWait(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return guarded(env, [&] {
    auto& w = unwrap<Work>(a, 0);
    w->wait();
    return number(env, w->sourceRank);
  });
}
napi_value workDone(napi_env env, napi_callback_info info) {
  Args a(env, info);
  return boolean(env, unwrap<Work>(a, 0)->completed());
}

}  // namespace

NAPI_MODULE_INIT() {
  const struct { const char* name; napi_callback fn; } fns[] = {
    {"storeNew", storeNew}, {"storeSet", storeSet}, {"storeGet", storeGet}, {"storeAdd", storeAdd},
    {"storeCompareSet", storeCompareSet}, {"storeWait", storeWait}, {"storeCheck", storeCheck},
    {"storeDelete", storeDelete}, {"storeNumKeys", storeNumKeys}, {"storeSetTimeout", storeSetTimeout},
    {"storeClose", storeClose}, {"groupNew", groupNew}, {"groupClose", groupClose}, {"groupRun", groupRun},
    {"workWait", workWait}, {"workDone", workDone},
  };
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
  return exports;
}
