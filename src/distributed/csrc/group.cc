// The Gloo process group (group.h).
#include "group.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/common/error.h>
#include <gloo/gather.h>
#include <gloo/math.h>
#include <gloo/reduce.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/rendezvous/store.h>
#include <gloo/scatter.h>
#include <gloo/transport/tcp/device.h>
#include <gloo/transport/unbound_buffer.h>

namespace tt {

void Work::wait() {
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [this] { return done; });
  if (!error.empty()) throw DistError(errorKind, error);
}

namespace {

/** Gloo's view of our TCPStore client. */
class GlooStore : public gloo::rendezvous::Store {
 public:
  explicit GlooStore(std::shared_ptr<StoreClient> c) : c_(std::move(c)) {}
  void set(const std::string& key, const std::vector<char>& data) override { c_->set(key, data); }
  std::vector<char> get(const std::string& key) override { return c_->get(key); }
  void wait(const std::vector<std::string>& keys) override { c_->wait(keys, c_->timeout); }
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& t) override { c_->wait(keys, t); }

 private:
  std::shared_ptr<StoreClient> c_;
};

using Func = void (*)(void*, const void*, const void*, size_t);

template <typename T>
Func reduceFn(Reduce op) {
  switch (op) {
    case Reduce::sum: return &gloo::sum<T>;
    case Reduce::product: return &gloo::product<T>;
    case Reduce::min: return &gloo::min<T>;
    default: return &gloo::max<T>;
  }
}

// bool reduces as bytes: sum and max are "any", product and min are "all" (PyTorch's gloo does the same)
void boolOr(void* c, const void* a, const void* b, size_t n) {
  for (size_t i = 0; i < n; i++) static_cast<uint8_t*>(c)[i] = static_cast<const uint8_t*>(a)[i] | static_cast<const uint8_t*>(b)[i];
}
void boolAnd(void* c, const void* a, const void* b, size_t n) {
  for (size_t i = 0; i < n; i++) static_cast<uint8_t*>(c)[i] = static_cast<const uint8_t*>(a)[i] & static_cast<const uint8_t*>(b)[i];
}

/** Calls f with a typed null pointer of d's element type and the reduction for it. */
template <typename F>
void typed(DType d, Reduce op, F f) {
  switch (d) {
    case DType::f32: return f(static_cast<float*>(nullptr), reduceFn<float>(op));
    case DType::f64: return f(static_cast<double*>(nullptr), reduceFn<double>(op));
    case DType::i32: return f(static_cast<int32_t*>(nullptr), reduceFn<int32_t>(op));
    case DType::i64: return f(static_cast<int64_t*>(nullptr), reduceFn<int64_t>(op));
    case DType::u8: return f(static_cast<uint8_t*>(nullptr), reduceFn<uint8_t>(op));
    case DType::i8: return f(static_cast<int8_t*>(nullptr), reduceFn<int8_t>(op));
    case DType::i16: return f(static_cast<int16_t*>(nullptr), reduceFn<int16_t>(op));
    case DType::f16: return f(static_cast<gloo::float16*>(nullptr), reduceFn<gloo::float16>(op));
    case DType::boolean: return f(static_cast<uint8_t*>(nullptr), op == Reduce::sum || op == Reduce::max ? &boolOr : &boolAnd);
    default: throw DistError("ValueError", "Cannot use this reduction on bfloat16 with Gloo");
  }
}

}  // namespace

/* Note [Gloo's event loop on another CPU]: Gloo's TCP event loop (Debian's 2022 build) only
 * *tries* a pair's lock when data arrives and, failing, spins on its level-triggered epoll until
 * the thread posting sends and receives (our worker) lets go. When the two threads share a CPU,
 * the loop's wakeup preempts the worker, possibly inside its critical section, and then spins
 * until the scheduler's next tick: an all_reduce of 1 KB between two processes took 4 ms
 * (median; 0.1 ms with the threads apart), and a busy machine makes sharing a CPU likely. So
 * where the process may use two CPUs or more, the group's worker runs on one and Gloo's event
 * loop on the next, chosen from the local rank so that the processes of a machine alternate
 * (bench/distributed.md). The caller's thread, where the model computes, keeps its affinity. */
static std::vector<int> allowedCpus() {
  cpu_set_t set;
  std::vector<int> out;
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return out;
  for (int c = 0; c < CPU_SETSIZE; c++) if (CPU_ISSET(c, &set)) out.push_back(c);
  return out;
}
static void pinThisThread(int cpu) {
  if (cpu < 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
}

ProcessGroup::ProcessGroup(std::shared_ptr<StoreClient> store, const std::string& prefix, int r, int s,
                           ms t, const std::string& hostname, const std::string& iface, int cpu)
    : rank(r), size(s), timeout(t) {
  const std::vector<int> cpus = allowedCpus();
  const bool apart = cpu >= 0 && cpus.size() >= 2;  // Note [Gloo's event loop on another CPU]
  const int workerCpu = apart ? cpus[static_cast<size_t>(cpu) % cpus.size()] : -1;
  const int loopCpu = apart ? cpus[static_cast<size_t>(cpu + 1) % cpus.size()] : -1;
  gloo::transport::tcp::attr attr;
  if (!iface.empty()) attr.iface = iface; else attr.hostname = hostname;
  std::shared_ptr<gloo::transport::Device> dev;
  auto ctx = std::make_shared<gloo::rendezvous::Context>(rank, size);
  ctx->setTimeout(timeout);
  GlooStore base(store);
  gloo::rendezvous::PrefixStore prefixed(prefix, base);
  try {
    // the device's event-loop thread inherits the affinity of the thread that makes the device
    std::exception_ptr failed;
    std::thread([&] {
      pinThisThread(loopCpu);
      try { dev = gloo::transport::tcp::CreateDevice(attr); } catch (...) { failed = std::current_exception(); }
    }).join();
    if (failed) std::rethrow_exception(failed);
    ctx->connectFullMesh(prefixed, dev);
  } catch (const DistError&) {
    throw;
  } catch (const std::exception& e) {
    throw DistError("DistBackendError", e.what());
  }
  context_ = ctx;
  worker_ = std::thread([this, workerCpu] {
    pinThisThread(workerCpu);
    for (;;) {
      std::shared_ptr<Work> w;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        w = queue_.front();
        queue_.pop_front();
      }
      std::string error, kind = "DistBackendError";
      try {
        w->run(*w);
      } catch (const DistError& e) {
        error = e.what(); kind = e.kind;
      } catch (const std::exception& e) {
        error = e.what();
      }
      {
        std::lock_guard<std::mutex> l(w->mu);
        w->done = true; w->error = error; w->errorKind = kind;
        w->run = nullptr;
      }
      w->cv.notify_all();
    }
  });
}

ProcessGroup::~ProcessGroup() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();  // what is queued still runs (each collective ends within the timeout)
}

std::shared_ptr<Work> ProcessGroup::enqueue(std::function<void(Work&)> fn) {
  auto w = std::make_shared<Work>();
  w->run = std::move(fn);
  {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(w);
  }
  cv_.notify_one();
  return w;
}

void ProcessGroup::allreduce(void* buf, size_t count, DType d, Reduce op) {
  gloo::AllreduceOptions o(context_);
  typed(d, op, [&](auto* t, Func fn) {
    using T = std::remove_pointer_t<decltype(t)>;
    o.setOutput(static_cast<T*>(buf), count);
    o.setReduceFunction(fn);
  });
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::allreduce(o);
}

void ProcessGroup::reduce(void* buf, size_t count, DType d, Reduce op, int root) {
  gloo::ReduceOptions o(context_);
  typed(d, op, [&](auto* t, Func fn) {
    using T = std::remove_pointer_t<decltype(t)>;
    o.setOutput(static_cast<T*>(buf), count);
    o.setReduceFunction(fn);
  });
  o.setRoot(root);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::reduce(o);
}

void ProcessGroup::broadcast(void* buf, size_t bytes, int root) {
  gloo::BroadcastOptions o(context_);
  o.setOutput(static_cast<char*>(buf), bytes);
  o.setRoot(root);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::broadcast(o);
}

void ProcessGroup::allgather(const void* in, void* out, size_t bytes) {
  gloo::AllgatherOptions o(context_);
  o.setInput(const_cast<char*>(static_cast<const char*>(in)), bytes);
  o.setOutput(static_cast<char*>(out), bytes * size);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::allgather(o);
}

void ProcessGroup::gather(const void* in, void* out, size_t bytes, int root) {
  gloo::GatherOptions o(context_);
  o.setInput(const_cast<char*>(static_cast<const char*>(in)), bytes);
  if (rank == root) o.setOutput(static_cast<char*>(out), bytes * size);
  o.setRoot(root);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::gather(o);
}

void ProcessGroup::scatter(const void* in, void* out, size_t bytes, int root) {
  gloo::ScatterOptions o(context_);
  if (rank == root) {
    std::vector<char*> parts;
    for (int i = 0; i < size; i++) parts.push_back(const_cast<char*>(static_cast<const char*>(in)) + i * bytes);
    o.setInputs(parts, bytes);
  }
  o.setOutput(static_cast<char*>(out), bytes);
  o.setRoot(root);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::scatter(o);
}

void ProcessGroup::barrier() {
  gloo::BarrierOptions o(context_);
  o.setTag(nextTag());
  o.setTimeout(timeout);
  gloo::barrier(o);
}

// point-to-point messages use slots of their own, keyed by the user's tag (as PyTorch's gloo does)
constexpr uint8_t kSendRecvPrefix = 0x08;

std::function<void(Work&)> ProcessGroup::send(void* buf, size_t bytes, int dst, uint32_t tag) {
  std::shared_ptr<gloo::transport::UnboundBuffer> ub = context_->createUnboundBuffer(buf, bytes);
  ub->send(dst, gloo::Slot::build(kSendRecvPrefix, tag));
  return [ub, this](Work&) { ub->waitSend(timeout); };
}

std::function<void(Work&)> ProcessGroup::recv(void* buf, size_t bytes, int src, uint32_t tag) {
  std::shared_ptr<gloo::transport::UnboundBuffer> ub = context_->createUnboundBuffer(buf, bytes);
  auto slot = gloo::Slot::build(kSendRecvPrefix, tag);
  if (src >= 0) {
    ub->recv(src, slot);
  } else {
    std::vector<int> all;
    for (int i = 0; i < size; i++) if (i != rank) all.push_back(i);
    ub->recv(all, slot);
  }
  return [ub, src, this](Work& w) {
    int from = src;
    ub->waitRecv(&from, timeout);
    w.sourceRank = from;
  };
}

std::string localAddressTowards(const std::string& host) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_DGRAM;
  std::string out = "127.0.0.1";
  if (::getaddrinfo(host.c_str(), "9", &hints, &res) != 0) return out;
  int fd = ::socket(res->ai_family, SOCK_DGRAM, 0);
  sockaddr_storage me{};
  socklen_t len = sizeof me;
  // connecting a UDP socket sends nothing: it only picks the route, and so the local address
  if (fd >= 0 && ::connect(fd, res->ai_addr, res->ai_addrlen) == 0 && ::getsockname(fd, reinterpret_cast<sockaddr*>(&me), &len) == 0) {
    char s[INET6_ADDRSTRLEN] = {0};
    const void* a = me.ss_family == AF_INET6 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&me)->sin6_addr)
                                             : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&me)->sin_addr);
    if (::inet_ntop(me.ss_family, a, s, sizeof s)) out = s;
  }
  if (fd >= 0) ::close(fd);
  ::freeaddrinfo(res);
  return out;
}

}  // namespace tt
