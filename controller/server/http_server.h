#pragma once

// The controller's connections, kept from starving one another: a thread per
// connection up to --max-connections (none waits behind a slow one), at most
// --max-connections-per-peer from one address, a deadline for each request's
// headers (--request-header-timeout, from when the request is awaited to its
// last header byte, TLS handshake included), and TLS done here on
// non-blocking sockets so that no read, write or handshake waits without a
// deadline. Requests themselves are cpp-httplib's: routing, parsing, replies.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/unique_fd.h"
#include "controller/server/tls.h"

namespace swarm::controller {

struct ConnectionLimits {
  size_t max_connections = 1024;
  size_t max_connections_per_peer = 64;
  std::chrono::milliseconds header_timeout{10'000};
};

// What the server refused or cut off since it started.
struct ConnectionCounts {
  uint64_t refused_peer_cap = 0;    // a peer already had max_connections_per_peer
  uint64_t refused_server_cap = 0;  // max_connections were open
  uint64_t header_timeouts = 0;     // headers (or a handshake) missed their deadline
  uint64_t tls_failures = 0;        // handshakes that failed, e.g. a client certificate refused
};

// Thread safety: configure (routes, timeouts) before listening; Shutdown()
// and Counts() from any thread.
class HttpServer final : public httplib::Server {
 public:
  // `tls` (not owned, may be null: plain HTTP) must outlive the server.
  HttpServer(ConnectionLimits limits, const ServerTls* tls);
  ~HttpServer() override;

  // Binds host:port (0: a free port) with a listen backlog of SOMAXCONN
  // (cpp-httplib asks for 5: a burst of connections, an attacker's or a
  // fleet's after a restart, would have the kernel drop SYNs and clients wait
  // a second per retry). The bound port, or -1.
  int Bind(const std::string& host, int port);

  // Stops listening and wakes every connection's thread, which then ends.
  void Shutdown();

  ConnectionCounts Counts() const;

 private:
  bool process_and_close_socket(socket_t sock) override;
  // One connection's requests, after it was admitted.
  void Serve(int fd, const std::string& peer, int port);
  bool AdmitPeer(const std::string& peer);
  void ReleasePeer(const std::string& peer);

  const ConnectionLimits limits_;
  const ServerTls* const tls_;
  UniqueFd stop_fd_;  // an eventfd: readable once Shutdown() was called

  std::mutex peers_mu_;
  std::unordered_map<std::string, size_t> open_by_peer_;  // guarded by peers_mu_

  std::atomic<uint64_t> refused_peer_cap_{0};
  std::atomic<uint64_t> refused_server_cap_{0};
  std::atomic<uint64_t> header_timeouts_{0};
  std::atomic<uint64_t> tls_failures_{0};
};

}  // namespace swarm::controller
