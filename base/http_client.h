#pragma once

// A small blocking HTTP/JSON client for the controller's API, shared by the
// agent and swarmctl. Transport failures are Unavailable; HTTP error replies
// come back as responses so callers can read the API's error body.

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"

namespace httplib {
class Client;
}

namespace swarm {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
};

// Thread safety: one request at a time per object.
class HttpClient {
 public:
  // `base_url` is "http://host:port" (an optional trailing '/' is dropped).
  // Returns InvalidArgument when it is not of that form.
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& base_url,
                                                    std::string bearer_token,
                                                    std::chrono::milliseconds timeout =
                                                        std::chrono::seconds(10));
  ~HttpClient();

  // Sends the request; any HTTP status is a response. Unavailable when the
  // server cannot be reached or the connection breaks.
  Result<HttpResponse> Get(const std::string& path);
  Result<HttpResponse> Put(const std::string& path, const std::string& json_body);
  Result<HttpResponse> Post(const std::string& path, const std::string& json_body);

  const std::string& base_url() const { return base_url_; }

 private:
  HttpClient(std::string base_url, std::string token, std::unique_ptr<httplib::Client> client);
  Result<HttpResponse> Send(const char* method, const std::string& path, const std::string* body);

  std::string base_url_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

// For a non-2xx reply: the "message" of the API's Status body when there is
// one, else the raw body, prefixed by the HTTP status ("403 Forbidden: ...").
std::string DescribeHttpError(const HttpResponse& r);

}  // namespace swarm
