#pragma once

// A ControllerTransport that answers requests from a script and records them,
// for agent tests that must not open sockets.

#include <deque>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "node-agent/transport.h"

namespace swarm::agent::testing {

// The controller's reply to a report it took.
inline constexpr char kAcceptedReply[] = R"({"accepted": true})";

inline constexpr char kOkReply[] =
    R"({"heartbeatInterval": "5s", "health": {"probeInterval": "15s",
        "memoryDegradedPercent": 85, "diskDegradedPercent": 90}, "actions": [], "assignments": []})";

inline HttpResponse Reply(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = "application/json";
  return r;
}

// With nothing scripted, the controller is away. Every request, whatever its
// method, takes the next scripted reply and is recorded in order.
class FakeTransport final : public ControllerTransport {
 public:
  void Push(Result<HttpResponse> r) { replies_.push_back(std::move(r)); }
  void PushOk(const std::string& body = kOkReply) { Push(Reply(200, body)); }
  void PushDown() { Push(Unavailable("cannot reach http://ctl:8443: Connection")); }

  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Record("POST", path, body, "application/json", {});
  }
  Result<HttpResponse> Put(const std::string& path, const std::string& body,
                           const std::string& content_type, const HttpHeaders& headers) override {
    return Record("PUT", path, body, content_type, headers);
  }
  // Records the file's content as the body; a file that cannot be read is
  // Unavailable, as for the real transport, and takes no reply.
  Result<HttpResponse> PutFile(const std::string& path, const std::string& file_path,
                               const HttpHeaders& headers) override {
    std::ifstream in(file_path, std::ios::binary);
    if (!in) return Unavailable("cannot open \"" + file_path + "\": No such file or directory");
    std::ostringstream content;
    content << in.rdbuf();
    return Record("PUT", path, content.str(), "application/octet-stream", headers);
  }

  // In request order. `bodies` holds each body parsed as JSON (discarded
  // when it is not JSON); `raw_bodies` as sent.
  std::vector<std::string> methods;
  std::vector<std::string> paths;
  std::vector<nlohmann::json> bodies;
  std::vector<std::string> raw_bodies;
  std::vector<std::string> content_types;
  std::vector<HttpHeaders> headers;
  std::function<void()> on_post;  // runs after each request is recorded

 private:
  Result<HttpResponse> Record(const std::string& method, const std::string& path,
                              const std::string& body, const std::string& content_type,
                              const HttpHeaders& request_headers) {
    methods.push_back(method);
    paths.push_back(path);
    bodies.push_back(nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false));
    raw_bodies.push_back(body);
    content_types.push_back(content_type);
    headers.push_back(request_headers);
    if (on_post) on_post();
    if (replies_.empty()) return Unavailable("cannot reach http://ctl:8443: Connection");
    Result<HttpResponse> r = std::move(replies_.front());
    replies_.pop_front();
    return r;
  }

  std::deque<Result<HttpResponse>> replies_;
};

}  // namespace swarm::agent::testing
