#pragma once

// A ControllerTransport that answers posts from a script and records them,
// for agent tests that must not open sockets.

#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "node-agent/transport.h"

namespace swarm::agent::testing {

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

// With nothing scripted, the controller is away.
class FakeTransport final : public ControllerTransport {
 public:
  void Push(Result<HttpResponse> r) { replies_.push_back(std::move(r)); }
  void PushOk(const std::string& body = kOkReply) { Push(Reply(200, body)); }
  void PushDown() { Push(Unavailable("cannot reach http://ctl:8443: Connection")); }

  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    paths.push_back(path);
    bodies.push_back(nlohmann::json::parse(body));
    if (on_post) on_post();
    if (replies_.empty()) return Unavailable("cannot reach http://ctl:8443: Connection");
    Result<HttpResponse> r = std::move(replies_.front());
    replies_.pop_front();
    return r;
  }

  std::vector<std::string> paths;
  std::vector<nlohmann::json> bodies;
  std::function<void()> on_post;

 private:
  std::deque<Result<HttpResponse>> replies_;
};

}  // namespace swarm::agent::testing
