#pragma once

// The HTTP/JSON face of the controller (docs/api.md): authentication,
// authorization, decoding and error replies; everything else is the
// SwarmController's.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "controller/core/swarm_controller.h"
#include "controller/server/auth.h"
#include "controller/server/http_server.h"
#include "controller/server/tls.h"

namespace httplib {
struct Request;
}

namespace swarm::controller {

struct ServeOptions {
  ConnectionLimits limits;
  // Not owned. Null serves plain HTTP. With a client CA every /api/ call
  // needs a client certificate that chains to it, and an agent's must name
  // the drone its token names.
  const ServerTls* tls = nullptr;
  // Sent as a Warning header on every reply when not empty (clients print
  // it): e.g. that tokens travel in clear text.
  std::string warning;
};

// Thread safety: Bind() then Serve() from one thread; Stop() from any thread.
class ApiServer {
 public:
  // None is owned; each must outlive this object. With a `binhost`, binary
  // package uploads are taken and GET /binhost/ serves it read-only.
  ApiServer(SwarmController* controller, const TokenFile* tokens, Binhost* binhost,
            ServeOptions options, const Clock* clock = SystemClock::Get());
  ~ApiServer();

  ConnectionCounts connection_counts() const { return server_->Counts(); }
  uint64_t auth_failures() const { return failures_.total(); }

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  // Unavailable when the address cannot be bound.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns false when serving failed.
  bool Serve();
  void Stop();

 private:
  using IdentityHandler =
      std::function<void(const Identity&, const httplib::Request&, httplib::Response&)>;
  // Who may call a route: admins (changes), admins and viewers (reads), the
  // drone named by the path's first group (its agent, or an admin), or
  // anyone known (the handler authorizes).
  enum class Need { kAdmin, kRead, kDrone, kHandlerDecides };
  // Authenticates, then runs `h` for whom `need` allows.
  httplib::Server::Handler Authed(Need need, IdentityHandler h);
  void Routes();
  // server_->Get and friends, each reply counted and timed under its route
  // (the pattern, groups as "*") in the controller's metrics.
  void Get(const std::string& pattern, httplib::Server::Handler h);
  void Post(const std::string& pattern, httplib::Server::Handler h);
  void Put(const std::string& pattern, httplib::Server::Handler h);
  void Put(const std::string& pattern, httplib::Server::HandlerWithContentReader h);
  static httplib::Server::Handler Timed(const std::string& pattern, httplib::Server::Handler h);
  void BuildRoutes();  // docs/api.md "Builds" and the operator verbs
  // A list's path with ?watch=true: what changed of `kind` after the
  // request's resourceVersion (docs/api.md, "Watching").
  void Watch(const httplib::Request& req, httplib::Response& res, WatchKind kind);
  // Who sent `req`: its bearer token, and with a client CA its certificate.
  // A failure is logged with the peer's address (never the token), counted,
  // and answered only after the peer's AuthFailures delay.
  Result<Identity> Authenticate(const httplib::Request& req);

  SwarmController* const controller_;
  const TokenFile* const tokens_;
  Binhost* const binhost_;
  const ServeOptions options_;
  std::unique_ptr<HttpServer> server_;
  AuthFailures failures_;
  // Wakes answers held back by an AuthFailures delay when the server stops.
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mu_
};

// The HTTP status for a Status code (InvalidArgument -> 400, ...).
int HttpStatusFor(StatusCode code);

// What a client may read of `st`. The store's and the disk's failures
// (Internal, Unavailable) name paths and carry SQLite's words: they are
// logged, and the client reads only that nothing changed or that it may send
// again. Every other code's message is the client's own mistake, returned as is.
std::string ClientErrorMessage(const Status& st);

}  // namespace swarm::controller
