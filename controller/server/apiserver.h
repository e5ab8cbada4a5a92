#pragma once

// The HTTP/JSON face of the controller (docs/api.md): authentication,
// authorization, decoding and error replies; everything else is the
// SwarmController's.

#include <memory>
#include <string>

#include "base/status.h"
#include "controller/server/auth.h"
#include "controller/core/swarm_controller.h"

namespace httplib {
class Server;
}

namespace swarm::controller {

// Thread safety: Bind() then Serve() from one thread; Stop() from any thread.
class ApiServer {
 public:
  // None is owned; each must outlive this object. With a `binhost`, binary
  // package uploads are taken and GET /binhost/ serves it read-only.
  ApiServer(SwarmController* controller, const TokenAuthenticator* auth,
            Binhost* binhost = nullptr);
  ~ApiServer();

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  // Unavailable when the address cannot be bound.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns false when serving failed.
  bool Serve();
  void Stop();

 private:
  void Routes();
  void BuildRoutes();  // docs/api.md "Builds" and the operator verbs

  SwarmController* const controller_;
  const TokenAuthenticator* const auth_;
  Binhost* const binhost_;
  std::unique_ptr<httplib::Server> server_;
};

// The HTTP status for a Status code (InvalidArgument -> 400, ...).
int HttpStatusFor(StatusCode code);

}  // namespace swarm::controller
