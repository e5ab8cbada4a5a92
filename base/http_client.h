#pragma once

// A small blocking HTTP/JSON client for the controller's API, shared by the
// agent and swarmctl. Transport failures are Unavailable; HTTP error replies
// come back as responses so callers can read the API's error body.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace httplib {
class Client;
}

namespace swarm {

// Extra request headers, sent in order.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

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
  // PUTs `body` as `content_type` with the extra `headers`.
  Result<HttpResponse> PutBody(const std::string& path, const std::string& body,
                               const std::string& content_type, const HttpHeaders& headers = {});
  // PUTs the bytes of the file at `file_path` as application/octet-stream,
  // read in chunks while they are sent (binary packages run to gigabytes).
  // Unavailable, naming the file, when it cannot be opened, or when it cannot
  // be read or shrinks while it is sent (the request is then cut short).
  Result<HttpResponse> PutFile(const std::string& path, const std::string& file_path,
                               const HttpHeaders& headers = {});

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
