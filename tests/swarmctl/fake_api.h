#pragma once

// A canned ApiTransport for the verb tests: replies by "METHOD path",
// Unavailable for anything not set up, and a log of what was asked.

#include <map>
#include <string>
#include <vector>

#include "swarmctl/api_client.h"

namespace swarm::ctl::testing {

class FakeApi final : public ApiTransport {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::string body;
  };

  void Reply(const std::string& method, const std::string& path, int status, std::string body,
             std::string content_type = "application/json") {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    replies_.insert_or_assign(method + " " + path, Result<HttpResponse>(std::move(r)));
  }
  // Answered once, before what Reply set up for the same request; several
  // are answered in the order given.
  void ReplyOnce(const std::string& method, const std::string& path, int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = "application/json";
    once_[method + " " + path].push_back(std::move(r));
  }
  void Fail(const std::string& method, const std::string& path, Status s) {
    replies_.insert_or_assign(method + " " + path, Result<HttpResponse>(std::move(s)));
  }

  Result<HttpResponse> Get(const std::string& path) override { return Serve("GET", path, ""); }
  Result<HttpResponse> Put(const std::string& path, const std::string& body) override {
    return Serve("PUT", path, body);
  }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Serve("POST", path, body);
  }

  const std::vector<Request>& requests() const { return requests_; }

 private:
  Result<HttpResponse> Serve(const std::string& method, const std::string& path,
                             const std::string& body) {
    requests_.push_back({method, path, body});
    if (auto once = once_.find(method + " " + path); once != once_.end() && !once->second.empty()) {
      HttpResponse r = std::move(once->second.front());
      once->second.erase(once->second.begin());
      return r;
    }
    auto it = replies_.find(method + " " + path);
    if (it == replies_.end()) {
      return Unavailable("cannot reach http://fake: no reply set up for " + method + " " + path);
    }
    return it->second;
  }

  std::map<std::string, Result<HttpResponse>> replies_;
  std::map<std::string, std::vector<HttpResponse>> once_;
  std::vector<Request> requests_;
};

}  // namespace swarm::ctl::testing
