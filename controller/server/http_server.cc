#include "controller/server/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <thread>

namespace swarm::controller {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Set while the listener runs a connection it has no thread for: the
// connection is closed at once instead of waiting for one.
thread_local bool t_no_thread_left = false;

// A thread per connection, started on demand up to `max`; a thread idle for
// kIdleExit ends, so an attack's threads do not outlive it. The state is
// shared with the (detached) threads, so the last one out frees it.
class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(size_t max) : state_(std::make_shared<State>()) { state_->max = max; }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(state_->mu);
    if (state_->jobs.size() < state_->idle) {
      state_->jobs.push_back(std::move(fn));
      state_->wake.notify_one();
      return;
    }
    if (state_->live < state_->max) {
      state_->jobs.push_back(std::move(fn));
      ++state_->live;
      std::thread(Work, state_).detach();
      return;
    }
    lock.unlock();
    t_no_thread_left = true;
    fn();
    t_no_thread_left = false;
  }

  void shutdown() override {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->stopping = true;
    state_->wake.notify_all();
    state_->done.wait(lock, [&] { return state_->live == 0; });
  }

 private:
  static constexpr auto kIdleExit = std::chrono::seconds(30);

  struct State {
    std::mutex mu;
    std::condition_variable wake;
    std::condition_variable done;
    std::deque<std::function<void()>> jobs;
    size_t max = 0;
    size_t live = 0;
    size_t idle = 0;
    bool stopping = false;
  };

  static void Work(std::shared_ptr<State> s) {
    std::unique_lock<std::mutex> lock(s->mu);
    for (;;) {
      ++s->idle;
      s->wake.wait_for(lock, kIdleExit, [&] { return !s->jobs.empty() || s->stopping; });
      --s->idle;
      if (s->jobs.empty()) break;  // stopping, or idle for kIdleExit
      std::function<void()> job = std::move(s->jobs.front());
      s->jobs.pop_front();
      lock.unlock();
      job();
      job = nullptr;
      lock.lock();
    }
    if (--s->live == 0) s->done.notify_all();
  }

  std::shared_ptr<State> state_;
};

std::string PeerAddress(int fd, int* port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  *port = 0;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "";
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    *port = ntohs(in6->sin6_port);
  }
  return text;
}

int LocalPort(int fd, std::string* ip) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  char text[INET6_ADDRSTRLEN] = "";
  int port = 0;
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    port = ntohs(in6->sin6_port);
  }
  *ip = text;
  return port;
}

// One connection as cpp-httplib reads and writes it, plain or TLS, on a
// non-blocking socket: every wait is a poll with a deadline that also wakes
// on shutdown. Reads are buffered (httplib reads headers a byte at a time).
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, SSL* ssl, int stop_fd, std::string peer, int peer_port,
                   milliseconds read_timeout, milliseconds write_timeout)
      : fd_(fd),
        ssl_(ssl),
        stop_fd_(stop_fd),
        peer_(std::move(peer)),
        peer_port_(peer_port),
        read_timeout_(read_timeout),
        write_timeout_(write_timeout) {}

  // Until `deadline` every read must be done by then (a request's headers);
  // without one each read may wait read_timeout.
  void SetReadDeadline(std::optional<Steady::time_point> deadline) { deadline_ = deadline; }
  bool timed_out() const { return timed_out_; }

  // The TLS handshake, within the read deadline. False when it failed or
  // timed out.
  bool Handshake() {
    for (;;) {
      ERR_clear_error();
      int r = SSL_accept(ssl_);
      if (r == 1) return true;
      int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (!Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ReadWait())) return false;
        continue;
      }
      return false;
    }
  }

  // True once bytes of a request are here or arrive by `until`.
  bool WaitForRequest(Steady::time_point until) {
    if (Buffered()) return true;
    auto left = std::chrono::duration_cast<milliseconds>(until - Steady::now());
    return Wait(POLLIN, std::max(left, milliseconds(0)));
  }

  bool is_readable() const override { return Buffered() || Wait(POLLIN, ReadWait()); }
  bool is_writable() const override { return Wait(POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ < len_) {
      size_t n = std::min(size, len_ - pos_);
      std::memcpy(ptr, buf_ + pos_, n);
      pos_ += n;
      return static_cast<ssize_t>(n);
    }
    if (size >= sizeof buf_) return ReadSome(ptr, size);
    ssize_t n = ReadSome(buf_, sizeof buf_);
    if (n <= 0) return n;
    len_ = static_cast<size_t>(n);
    pos_ = std::min(size, len_);
    std::memcpy(ptr, buf_, pos_);
    return static_cast<ssize_t>(pos_);
  }

  ssize_t write(const char* ptr, size_t size) override {
    // Nothing is written to a peer that missed its headers' deadline
    // (cpp-httplib would answer 400): its connection just ends.
    if (timed_out_) return -1;
    for (;;) {
      if (ssl_ != nullptr) {
        ERR_clear_error();
        int r = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 30)));
        if (r > 0) return r;
        int err = SSL_get_error(ssl_, r);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
        if (!Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, write_timeout_)) return -1;
      } else {
        ssize_t r = ::send(fd_, ptr, size, MSG_NOSIGNAL);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (!Wait(POLLOUT, write_timeout_)) return -1;
      }
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_;
    port = peer_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    port = LocalPort(fd_, &ip);
  }
  socket_t socket() const override { return fd_; }

 private:
  bool Buffered() const { return pos_ < len_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0); }

  milliseconds ReadWait() const {
    if (!deadline_) return read_timeout_;
    auto left = std::chrono::duration_cast<milliseconds>(*deadline_ - Steady::now());
    return std::max(left, milliseconds(0));
  }

  // Polls for `events` (and for shutdown) up to `timeout`. False on
  // timeout (noted when it was a read deadline), shutdown or error.
  bool Wait(short events, milliseconds timeout) const {
    pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
    for (;;) {
      int r = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(timeout.count(), INT32_MAX)));
      if (r < 0 && errno == EINTR) continue;
      if (r == 0 && events == POLLIN && deadline_) timed_out_ = true;
      if (r <= 0 || fds[1].revents != 0) return false;
      return fds[0].revents != 0;
    }
  }

  ssize_t ReadSome(char* ptr, size_t size) {
    for (;;) {
      if (ssl_ != nullptr) {
        ERR_clear_error();
        int r = SSL_read(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 30)));
        if (r > 0) return r;
        int err = SSL_get_error(ssl_, r);
        if (err == SSL_ERROR_ZERO_RETURN) return 0;
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
        if (!Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ReadWait())) return -1;
      } else {
        ssize_t r = ::recv(fd_, ptr, size, 0);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        if (!Wait(POLLIN, ReadWait())) return -1;
      }
    }
  }

  const int fd_;
  SSL* const ssl_;
  const int stop_fd_;
  const std::string peer_;
  const int peer_port_;
  const milliseconds read_timeout_;
  const milliseconds write_timeout_;
  std::optional<Steady::time_point> deadline_;
  mutable bool timed_out_ = false;
  char buf_[16 * 1024];
  size_t pos_ = 0;
  size_t len_ = 0;
};

}  // namespace

HttpServer::HttpServer(ConnectionLimits limits, const ServerTls* tls)
    : limits_(limits), tls_(tls), stop_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  const size_t max = limits_.max_connections;
  new_task_queue = [max] { return new ConnectionThreads(max); };
}

HttpServer::~HttpServer() = default;

int HttpServer::Bind(const std::string& host, int port) {
  int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return -1;
  if (::listen(svr_sock_, SOMAXCONN) != 0) return -1;
  return bound;
}

void HttpServer::Shutdown() {
  uint64_t one = 1;
  (void)!::write(stop_fd_.get(), &one, sizeof one);
  stop();
}

ConnectionCounts HttpServer::Counts() const {
  return {refused_peer_cap_.load(), refused_server_cap_.load(), header_timeouts_.load(),
          tls_failures_.load()};
}

bool HttpServer::AdmitPeer(const std::string& peer) {
  std::lock_guard<std::mutex> lock(peers_mu_);
  size_t& open = open_by_peer_[peer];
  if (open >= limits_.max_connections_per_peer) return false;
  ++open;
  return true;
}

void HttpServer::ReleasePeer(const std::string& peer) {
  std::lock_guard<std::mutex> lock(peers_mu_);
  auto it = open_by_peer_.find(peer);
  if (it != open_by_peer_.end() && --it->second == 0) open_by_peer_.erase(it);
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  UniqueFd fd(sock);
  int port = 0;
  const std::string peer = PeerAddress(sock, &port);
  // Refusals are logged at 1, 2, 4, 8, ... so an attack cannot flood the log.
  auto refuse = [&](std::atomic<uint64_t>& count, const std::string& why) {
    const uint64_t n = ++count;
    if ((n & (n - 1)) == 0) {
      spdlog::warn("refusing a connection from {}: {}; {} refused so far", peer, why, n);
    }
    return false;
  };
  if (t_no_thread_left) {
    return refuse(refused_server_cap_, fmt::format("{} connections are open (--max-connections)",
                                                   limits_.max_connections));
  }
  if (!AdmitPeer(peer)) {
    return refuse(refused_peer_cap_,
                  fmt::format("it has {} open (--max-connections-per-peer)",
                              limits_.max_connections_per_peer));
  }
  Serve(sock, peer, port);
  ReleasePeer(peer);
  ::shutdown(sock, SHUT_RDWR);
  return true;
}

void HttpServer::Serve(int fd, const std::string& peer, int port) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(nullptr, SSL_free);
  if (tls_ != nullptr) {
    ssl.reset(tls_->NewConnection());
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return;
  }
  ConnectionStream stream(fd, ssl.get(), stop_fd_.get(), peer, port,
                          milliseconds(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000),
                          milliseconds(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000));
  const milliseconds keep_alive(keep_alive_timeout_sec_ * 1000);
  Steady::time_point deadline = Steady::now() + limits_.header_timeout;
  stream.SetReadDeadline(deadline);
  if (ssl && !stream.Handshake()) {
    if (stream.timed_out()) {
      ++header_timeouts_;
    } else {
      ++tls_failures_;
      const char* why = ERR_reason_error_string(ERR_peek_last_error());
      spdlog::debug("TLS handshake with {} failed: {}", peer, why ? why : "connection closed");
    }
    return;
  }
  for (size_t served = 0; served < keep_alive_max_count_ && is_running(); ++served) {
    if (served > 0) {
      deadline = Steady::now() + limits_.header_timeout;
      stream.SetReadDeadline(deadline);
    }
    // The first request may take its whole deadline to begin; a later one
    // must begin within the keep-alive time.
    if (!stream.WaitForRequest(served == 0 ? deadline
                                           : std::min(deadline, Steady::now() + keep_alive))) {
      if (served == 0 && stream.timed_out()) ++header_timeouts_;
      break;
    }
    bool closed = false;
    const bool last = served + 1 == keep_alive_max_count_;
    const bool ok = process_request(stream, last, closed, [&](httplib::Request& req) {
      stream.SetReadDeadline(std::nullopt);  // the headers are in
      req.ssl = ssl.get();
    });
    if (stream.timed_out()) {
      ++header_timeouts_;
      spdlog::debug("closing the connection of {}: its request headers took longer than {} ms",
                    peer, limits_.header_timeout.count());
      break;
    }
    if (!ok || closed) break;
  }
  if (ssl) {
    ERR_clear_error();
    SSL_shutdown(ssl.get());  // best effort: the socket is non-blocking
  }
}

}  // namespace swarm::controller
