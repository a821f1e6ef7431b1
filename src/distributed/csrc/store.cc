// The TCPStore's server and client (store.h). Messages both ways are an op (or status) byte and a
// list of byte strings, each a u32 length then its bytes.
#include "store.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <list>
#include <map>
#include <unordered_map>

namespace tt {

enum Op : uint8_t { SET, GET, ADD, CAS, WAIT, CHECK, DEL, NUMKEYS };
enum Status : uint8_t { OK, TIMEOUT };
using clock = std::chrono::steady_clock;

namespace {

std::string sysError(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void putU32(Bytes& out, uint32_t v) { out.insert(out.end(), reinterpret_cast<char*>(&v), reinterpret_cast<char*>(&v) + 4); }

Bytes frame(uint8_t head, const std::vector<Bytes>& args) {
  Bytes out{static_cast<char>(head)};
  putU32(out, static_cast<uint32_t>(args.size()));
  for (const Bytes& a : args) { putU32(out, static_cast<uint32_t>(a.size())); out.insert(out.end(), a.begin(), a.end()); }
  return out;
}

/** One complete frame at the start of `buf` (its head and args), or 0 bytes used if incomplete. */
size_t parse(const Bytes& buf, uint8_t& head, std::vector<Bytes>& args) {
  size_t at = 5;
  if (buf.size() < at) return 0;
  head = static_cast<uint8_t>(buf[0]);
  uint32_t n;
  std::memcpy(&n, &buf[1], 4);
  args.clear();
  for (uint32_t i = 0; i < n; i++) {
    if (buf.size() < at + 4) return 0;
    uint32_t len;
    std::memcpy(&len, &buf[at], 4);
    at += 4;
    if (buf.size() < at + len) return 0;
    args.emplace_back(buf.begin() + at, buf.begin() + at + len);
    at += len;
  }
  return at;
}

bool sendAll(int fd, const Bytes& b) {
  for (size_t at = 0; at < b.size();) {
    ssize_t w = ::send(fd, b.data() + at, b.size() - at, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    at += static_cast<size_t>(w);
  }
  return true;
}

Bytes i64(int64_t v) { return Bytes(reinterpret_cast<char*>(&v), reinterpret_cast<char*>(&v) + 8); }
int64_t i64(const Bytes& b) { int64_t v = 0; std::memcpy(&v, b.data(), std::min<size_t>(8, b.size())); return v; }
std::string str(const Bytes& b) { return std::string(b.begin(), b.end()); }
Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

// ---- server -----------------------------------------------------------------------------------

StoreServer::StoreServer(int port) {
  listenFd_ = ::socket(AF_INET6, SOCK_STREAM, 0);
  bool v6 = listenFd_ >= 0;
  if (!v6) listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listenFd_ < 0) throw DistError("DistNetworkError", sysError("socket"));
  int one = 1, zero = 0;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc;
  if (v6) {
    ::setsockopt(listenFd_, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);  // IPv4 clients too
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6; a.sin6_addr = in6addr_any; a.sin6_port = htons(static_cast<uint16_t>(port));
    rc = ::bind(listenFd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET; a.sin_addr.s_addr = htonl(INADDR_ANY); a.sin_port = htons(static_cast<uint16_t>(port));
    rc = ::bind(listenFd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (rc != 0 || ::listen(listenFd_, 128) != 0) {
    int e = errno;
    ::close(listenFd_);
    // PyTorch's words for a port in use
    throw DistError("DistNetworkError", e == EADDRINUSE
      ? "The server socket has failed to listen on any local network address. port: " + std::to_string(port) + ", useIpv6: " + (v6 ? "1" : "0") + ", code: -98, name: EADDRINUSE, message: address already in use"
      : "The server socket has failed to bind: " + std::string(std::strerror(e)));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (::pipe(wakeFd_) != 0) throw DistError("DistNetworkError", sysError("pipe"));
  thread_ = std::thread([this] { serve(); });
}

StoreServer::~StoreServer() {
  char c = 0;
  if (::write(wakeFd_[1], &c, 1) < 0) { /* the thread may be gone already */ }
  if (thread_.joinable()) thread_.join();
  ::close(wakeFd_[0]); ::close(wakeFd_[1]); ::close(listenFd_);
}

void StoreServer::serve() {
  std::unordered_map<std::string, Bytes> data;
  std::map<int, Bytes> conns;  // fd -> bytes received and not yet parsed
  struct Waiter { int fd; bool get; std::vector<std::string> keys; clock::time_point deadline; };
  std::list<Waiter> waiters;

  auto has = [&](const std::vector<std::string>& keys) {
    return std::all_of(keys.begin(), keys.end(), [&](const std::string& k) { return data.count(k) > 0; });
  };
  auto answer = [&](int fd, uint8_t status, const std::vector<Bytes>& args) { sendAll(fd, frame(status, args)); };
  auto wake = [&] {  // after a write: the parked gets and waits whose keys are all there now
    for (auto it = waiters.begin(); it != waiters.end();) {
      if (!has(it->keys)) { ++it; continue; }
      answer(it->fd, OK, it->get ? std::vector<Bytes>{data[it->keys[0]]} : std::vector<Bytes>{});
      it = waiters.erase(it);
    }
  };
  auto handle = [&](int fd, uint8_t op, std::vector<Bytes>& a) {
    switch (op) {
      case SET: data[str(a[0])] = std::move(a[1]); answer(fd, OK, {}); wake(); break;
      case ADD: {
        Bytes& v = data[str(a[0])];
        int64_t now = (v.empty() ? 0 : std::stoll(str(v))) + i64(a[1]);
        v = bytes(std::to_string(now));  // stored as text, as PyTorch's add does (get returns b'7')
        answer(fd, OK, {i64(now)}); wake(); break;
      }
      case CAS: {
        std::string k = str(a[0]);
        auto it = data.find(k);
        if (it == data.end()) {
          if (a[1].empty()) { data[k] = a[2]; answer(fd, OK, {a[2]}); wake(); } else answer(fd, OK, {a[1]});
        } else {
          if (it->second == a[1]) it->second = a[2];
          answer(fd, OK, {it->second}); wake();
        }
        break;
      }
      case GET: case WAIT: {
        std::vector<std::string> keys;
        for (size_t i = 1; i < a.size(); i++) keys.push_back(str(a[i]));
        if (has(keys)) { answer(fd, OK, op == GET ? std::vector<Bytes>{data[keys[0]]} : std::vector<Bytes>{}); break; }
        waiters.push_back({fd, op == GET, std::move(keys), clock::now() + ms(i64(a[0]))});
        break;
      }
      case CHECK: {
        std::vector<std::string> keys;
        for (Bytes& k : a) keys.push_back(str(k));
        answer(fd, OK, {Bytes{static_cast<char>(has(keys))}}); break;
      }
      case DEL: answer(fd, OK, {Bytes{static_cast<char>(data.erase(str(a[0])) > 0)}}); break;
      case NUMKEYS: answer(fd, OK, {i64(static_cast<int64_t>(data.size()))}); break;
      default: break;
    }
  };

  std::vector<pollfd> fds;
  for (;;) {
    fds.assign({{wakeFd_[0], POLLIN, 0}, {listenFd_, POLLIN, 0}});
    for (auto& c : conns) fds.push_back({c.first, POLLIN, 0});
    int wait = -1;
    if (!waiters.empty()) {
      auto first = std::min_element(waiters.begin(), waiters.end(), [](const Waiter& x, const Waiter& y) { return x.deadline < y.deadline; });
      wait = static_cast<int>(std::max<int64_t>(0, std::chrono::duration_cast<ms>(first->deadline - clock::now()).count() + 1));
    }
    if (::poll(fds.data(), fds.size(), wait) < 0 && errno != EINTR) break;
    if (fds[0].revents) break;  // the destructor asks us to stop
    auto now = clock::now();
    for (auto it = waiters.begin(); it != waiters.end();) {
      if (it->deadline > now) { ++it; continue; }
      answer(it->fd, TIMEOUT, {});
      it = waiters.erase(it);
    }
    if (fds[1].revents & POLLIN) {
      int fd = ::accept(listenFd_, nullptr, nullptr);
      if (fd >= 0) {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[fd];
      }
    }
    for (size_t i = 2; i < fds.size(); i++) {
      if (!fds[i].revents) continue;
      int fd = fds[i].fd;
      char buf[65536];
      ssize_t r = ::recv(fd, buf, sizeof buf, 0);
      if (r <= 0) {
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        waiters.remove_if([fd](const Waiter& w) { return w.fd == fd; });
        conns.erase(fd);
        ::close(fd);
        continue;
      }
      Bytes& in = conns[fd];
      in.insert(in.end(), buf, buf + r);
      uint8_t op;
      std::vector<Bytes> args;
      while (size_t used = parse(in, op, args)) {
        in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(used));
        handle(fd, op, args);
      }
    }
  }
  for (auto& c : conns) ::close(c.first);
}

// ---- client -----------------------------------------------------------------------------------

StoreClient::StoreClient(const std::string& host, int port, ms to) : timeout(to), host_(host), port_(port) {
  auto deadline = clock::now() + to;
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  std::string where = "(" + host + ", " + std::to_string(port) + ")";
  for (;;) {
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) == 0) {
      for (addrinfo* ai = res; ai && fd_ < 0; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, SOCK_STREAM, 0);
        if (fd < 0) continue;
        // a non-blocking connect, so an unreachable host costs at most the time left
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
          pollfd p{fd, POLLOUT, 0};
          int left = static_cast<int>(std::max<int64_t>(0, std::chrono::duration_cast<ms>(deadline - clock::now()).count()));
          int err = 0;
          socklen_t len = sizeof err;
          rc = ::poll(&p, 1, left) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0 ? 0 : -1;
        }
        if (rc == 0) { ::fcntl(fd, F_SETFL, 0); fd_ = fd; } else ::close(fd);
      }
      ::freeaddrinfo(res);
    }
    if (fd_ >= 0) break;
    if (clock::now() >= deadline)
      throw DistError("DistNetworkError", "The client socket has timed out after " + std::to_string(to.count()) + "ms while trying to connect to " + where + ".");
    std::this_thread::sleep_for(ms(20));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

StoreClient::~StoreClient() { if (fd_ >= 0) ::close(fd_); }

std::vector<Bytes> StoreClient::call(uint8_t op, const std::vector<Bytes>& args, ms wait) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string where = "(" + host_ + ", " + std::to_string(port_) + ")";
  auto broken = [&](const std::string& why) {
    if (fd_ >= 0) { ::close(fd_); fd_ = -1; }
    return DistError("DistNetworkError", why + " " + where);
  };
  if (fd_ < 0) throw DistError("DistNetworkError", "the connection to the TCPStore server " + where + " was lost earlier");
  if (!sendAll(fd_, frame(op, args))) throw broken("Failed to send to the TCPStore server");
  // Note [Store timeouts are the server's]: the server answers by `wait`; we allow it 5 s more
  auto deadline = clock::now() + wait + ms(5000);
  Bytes in;
  uint8_t status;
  std::vector<Bytes> out;
  for (;;) {
    int left = static_cast<int>(std::max<int64_t>(0, std::chrono::duration_cast<ms>(deadline - clock::now()).count()));
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, left);
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) throw broken("The TCPStore server did not answer within " + std::to_string(wait.count() + 5000) + "ms:");
    char buf[65536];
    ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw broken("Connection reset by peer: the TCPStore server is gone");
    in.insert(in.end(), buf, buf + r);
    if (parse(in, status, out)) break;
  }
  if (status == TIMEOUT) {
    std::string keys;
    for (size_t i = 1; i < args.size(); i++) keys += (i > 1 ? ", /" : "/") + str(args[i]);
    throw DistError("DistStoreError", "wait timeout after " + std::to_string(wait.count()) + "ms, keys: " + keys);
  }
  return out;
}

void StoreClient::set(const std::string& key, const Bytes& value) { call(SET, {bytes(key), value}, timeout); }
Bytes StoreClient::get(const std::string& key) { return call(GET, {i64(timeout.count()), bytes(key)}, timeout)[0]; }
int64_t StoreClient::add(const std::string& key, int64_t delta) { return i64(call(ADD, {bytes(key), i64(delta)}, timeout)[0]); }
Bytes StoreClient::compareSet(const std::string& key, const Bytes& expected, const Bytes& desired) {
  return call(CAS, {bytes(key), expected, desired}, timeout)[0];
}
void StoreClient::wait(const std::vector<std::string>& keys, ms to) {
  std::vector<Bytes> a{i64(to.count())};
  for (const std::string& k : keys) a.push_back(bytes(k));
  call(WAIT, a, to);
}
bool StoreClient::check(const std::vector<std::string>& keys) {
  std::vector<Bytes> a;
  for (const std::string& k : keys) a.push_back(bytes(k));
  return call(CHECK, a, timeout)[0][0] != 0;
}
bool StoreClient::deleteKey(const std::string& key) { return call(DEL, {bytes(key)}, timeout)[0][0] != 0; }
int64_t StoreClient::numKeys() { return i64(call(NUMKEYS, {}, timeout)[0]); }

}  // namespace tt
