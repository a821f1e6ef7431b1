// A Gloo process group: a full mesh of TCP pairs made through the TCPStore, and one worker thread
// that runs the group's collectives in the order they were issued (PyTorch's ProcessGroupGloo
// does the same). A caller gets a Work it can wait on; a synchronous collective is one whose Work
// is waited on at once, so that an async_op issued before it still runs first.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <gloo/context.h>

#include "store.h"

namespace tt {

struct Work {
  std::function<void(Work&)> run;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string error, errorKind;
  int sourceRank = -1;  // a recv's sender
  bool completed() { std::lock_guard<std::mutex> l(mu); return done; }
  /** Blocks until the collective has run; throws its error (a DistError) if it failed. */
  void wait();
};

enum class DType { f32, f64, i32, i64, u8, i8, i16, f16, bf16, boolean };
enum class Reduce { sum, product, min, max };

class ProcessGroup {
 public:
  /** Connects the mesh: every rank publishes its address under `prefix` in the store. The
   *  group's worker runs on the `cpu`-th CPU the process may use and Gloo's event loop on the
   *  next (-1: anywhere; group.cc's Note [Gloo's event loop on another CPU]). */
  ProcessGroup(std::shared_ptr<StoreClient> store, const std::string& prefix, int rank, int size,
               ms timeout, const std::string& hostname, const std::string& iface, int cpu);
  ~ProcessGroup();
  std::shared_ptr<Work> enqueue(std::function<void(Work&)> fn);

  // The collectives, on raw buffers (count elements of dtype, or bytes for the copying ones).
  void allreduce(void* buf, size_t count, DType d, Reduce op);
  void reduce(void* buf, size_t count, DType d, Reduce op, int root);
  void broadcast(void* buf, size_t bytes, int root);
  void allgather(const void* in, void* out, size_t bytes);
  void gather(const void* in, void* out, size_t bytes, int root);
  void scatter(const void* in, void* out, size_t bytes, int root);
  void barrier();
  // Note [Point-to-point messages are posted at once]: send and recv are posted on the calling
  // thread (a ring of isend-then-recv would deadlock if the sends waited in the queue ahead of the
  // receives, as PyTorch's gloo backend knows too); what they return, the wait for completion, is
  // what goes on the queue.
  std::function<void(Work&)> send(void* buf, size_t bytes, int dst, uint32_t tag);
  std::function<void(Work&)> recv(void* buf, size_t bytes, int src, uint32_t tag);
  const int rank, size;
  const ms timeout;

 private:
  uint32_t nextTag() { return tag_++; }
  std::shared_ptr<gloo::Context> context_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Work>> queue_;
  bool stop_ = false;
  uint32_t tag_ = 0;
};

/** The address of this machine's interface that reaches `host` (loopback for a local one). */
std::string localAddressTowards(const std::string& host);

}  // namespace tt
