// The TCPStore of torch.distributed: a key-value server that one process runs on a thread and
// every process (the server's own included) talks to with blocking calls, for the rendezvous of
// process groups (Gloo exchanges its pair addresses through it) and for users.
//
// Note [Store timeouts are the server's]: a get/wait that must wait for a key is parked on the
// server with its deadline, and the server answers "timed out" when it passes, so the connection
// never carries a stale reply. The client waits a little longer than that deadline itself, so a
// server that has died is still noticed.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tt {

/** An error with PyTorch's class name (DistStoreError, DistNetworkError, DistBackendError). */
struct DistError : std::runtime_error {
  std::string kind;
  DistError(std::string k, const std::string& what) : std::runtime_error(what), kind(std::move(k)) {}
};

using Bytes = std::vector<char>;
using ms = std::chrono::milliseconds;

class StoreServer {
 public:
  /** Listens on `port` (0: any free one) on every interface; serves on a thread of its own. */
  explicit StoreServer(int port);
  ~StoreServer();
  int port() const { return port_; }

 private:
  void serve();
  int listenFd_ = -1, wakeFd_[2] = {-1, -1}, port_ = 0;
  std::thread thread_;
};

class StoreClient {
 public:
  /** Connects, retrying until `timeout` (the server may not be listening yet). */
  StoreClient(const std::string& host, int port, ms timeout);
  ~StoreClient();
  void set(const std::string& key, const Bytes& value);
  /** The value, waiting up to the timeout for the key to be set. */
  Bytes get(const std::string& key);
  int64_t add(const std::string& key, int64_t delta);
  Bytes compareSet(const std::string& key, const Bytes& expected, const Bytes& desired);
  void wait(const std::vector<std::string>& keys, ms timeout);
  bool check(const std::vector<std::string>& keys);
  bool deleteKey(const std::string& key);
  int64_t numKeys();
  ms timeout;

 private:
  std::vector<Bytes> call(uint8_t op, const std::vector<Bytes>& args, ms wait);
  std::string host_;
  int port_, fd_ = -1;
  std::mutex mu_;
};

}  // namespace tt
