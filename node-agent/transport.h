#pragma once

// How the agent reaches the controller: one seam for the heartbeat, the
// action results and the build reports (log, binary package, result), so
// tests answer all of them from a script.

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
  // PUTs `body` as `content_type` with the extra `headers`; as Post.
  virtual Result<HttpResponse> Put(const std::string& path, const std::string& body,
                                   const std::string& content_type, const HttpHeaders& headers) = 0;
  // PUTs the bytes of the file at `file_path` (application/octet-stream),
  // streamed from disk. As Post; also Unavailable, naming the file, when it
  // cannot be read.
  virtual Result<HttpResponse> PutFile(const std::string& path, const std::string& file_path,
                                       const HttpHeaders& headers) = 0;
};

// The real transport: base/http_client.h, which carries the bearer token.
class HttpControllerTransport final : public ControllerTransport {
 public:
  explicit HttpControllerTransport(std::unique_ptr<HttpClient> client)
      : client_(std::move(client)) {}
  Result<HttpResponse> Post(const std::string& path, const std::string& json_body) override {
    return client_->Post(path, json_body);
  }
  Result<HttpResponse> Put(const std::string& path, const std::string& body,
                           const std::string& content_type, const HttpHeaders& headers) override {
    return client_->PutBody(path, body, content_type, headers);
  }
  Result<HttpResponse> PutFile(const std::string& path, const std::string& file_path,
                               const HttpHeaders& headers) override {
    return client_->PutFile(path, file_path, headers);
  }

 private:
  std::unique_ptr<HttpClient> client_;
};

}  // namespace swarm::agent
