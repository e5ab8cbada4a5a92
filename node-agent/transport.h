#pragma once

// How the agent reaches the controller: one seam for the heartbeat and the
// action results, so tests answer both from a script.

#include <memory>
#include <string>
#include <utility>

#include "base/http_client.h"
#include "base/status.h"

namespace swarm::agent {

// Thread safety: one request at a time (the heartbeat loop's thread, or the
// main thread once that loop has ended).
class ControllerTransport {
 public:
  virtual ~ControllerTransport() = default;
  // POSTs `json_body` to `path`. Any HTTP status is a response; Unavailable
  // when the controller cannot be reached.
  virtual Result<HttpResponse> Post(const std::string& path, const std::string& json_body) = 0;
};

// The real transport: base/http_client.h, which carries the bearer token.
class HttpControllerTransport final : public ControllerTransport {
 public:
  explicit HttpControllerTransport(std::unique_ptr<HttpClient> client)
      : client_(std::move(client)) {}
  Result<HttpResponse> Post(const std::string& path, const std::string& json_body) override {
    return client_->Post(path, json_body);
  }

 private:
  std::unique_ptr<HttpClient> client_;
};

}  // namespace swarm::agent
