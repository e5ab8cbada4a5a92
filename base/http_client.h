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
enum class Error;
}

namespace swarm {

// Extra request headers, sent in order.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  // The text of a Warning header ("299 - \"text\"" gives text); "" when none.
  std::string warning;
};

// How an https:// client checks the server and proves who it is. Files are
// PEM. An empty ca_file trusts the system's certificate authorities; a client
// certificate is sent only when both cert_file and key_file are set.
struct TlsClientFiles {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool operator==(const TlsClientFiles&) const = default;
};

// Thread safety: one request at a time per object.
class HttpClient {
 public:
  // `base_url` is "http://host:port" or "https://host:port" (an optional
  // trailing '/' is dropped). Over https the server's certificate must chain
  // to `tls.ca_file` (or the system's authorities) and name the host.
  // InvalidArgument when the URL is not of that form, when TLS files are given
  // for an http:// URL, or when a TLS file cannot be read.
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& base_url,
                                                    std::string bearer_token,
                                                    std::chrono::milliseconds timeout =
                                                        std::chrono::seconds(10),
                                                    const TlsClientFiles& tls = {});
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& base_url,
                                                    std::string bearer_token,
                                                    const TlsClientFiles& tls) {
    return Create(base_url, std::move(bearer_token), std::chrono::seconds(10), tls);
  }
  ~HttpClient();

  // Sends the request; any HTTP status is a response. Unavailable when the
  // server cannot be reached or the connection breaks.
  Result<HttpResponse> Get(const std::string& path);
  Result<HttpResponse> Put(const std::string& path, const std::string& json_body);
  Result<HttpResponse> Post(const std::string& path, const std::string& json_body);
  Result<HttpResponse> Delete(const std::string& path);
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
  // Unavailable naming the server and, in words, why it could not be reached.
  Status Unreachable(httplib::Error error) const;

  std::string base_url_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

// For a non-2xx reply: the "message" of the API's Status body when there is
// one, else the raw body, prefixed by the HTTP status ("403 Forbidden: ...").
std::string DescribeHttpError(const HttpResponse& r);

}  // namespace swarm
