#include "base/http_client.h"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace swarm {
namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const std::string& base_url,
                                                       std::string bearer_token,
                                                       std::chrono::milliseconds timeout) {
  static const std::regex kUrl(R"(^http://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:([0-9]{1,5}))?/?$)");
  std::smatch m;
  if (!std::regex_match(base_url, m, kUrl)) {
    return InvalidArgument("server URL \"" + base_url +
                           "\" is not of the form http://HOST:PORT");
  }
  std::string host = m[1];
  int port = m[3].matched ? std::stoi(m[3]) : 80;
  if (port <= 0 || port > 65535) {
    return InvalidArgument("server URL \"" + base_url + "\" has port out of range");
  }
  auto client = std::make_unique<httplib::Client>(host, port);
  // Requests go out in more than one write: see the server's TCP_NODELAY.
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(timeout);
  client->set_read_timeout(timeout);
  client->set_write_timeout(timeout);
  std::string url = base_url;
  if (!url.empty() && url.back() == '/') url.pop_back();
  return std::unique_ptr<HttpClient>(
      new HttpClient(std::move(url), std::move(bearer_token), std::move(client)));
}

HttpClient::HttpClient(std::string base_url, std::string token,
                       std::unique_ptr<httplib::Client> client)
    : base_url_(std::move(base_url)), token_(std::move(token)), client_(std::move(client)) {}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::Get(const std::string& path) { return Send("GET", path, nullptr); }
Result<HttpResponse> HttpClient::Put(const std::string& path, const std::string& body) {
  return Send("PUT", path, &body);
}
Result<HttpResponse> HttpClient::Post(const std::string& path, const std::string& body) {
  return Send("POST", path, &body);
}

Result<HttpResponse> HttpClient::Send(const char* method, const std::string& path,
                                      const std::string* body) {
  httplib::Headers headers;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  const std::string method_s = method;
  httplib::Result res = method_s == "GET"   ? client_->Get(path, headers)
                        : method_s == "PUT" ? client_->Put(path, headers, *body, "application/json")
                                            : client_->Post(path, headers, *body, "application/json");
  if (!res) {
    return Unavailable("cannot reach " + base_url_ + ": " + httplib::to_string(res.error()));
  }
  HttpResponse out;
  out.status = res->status;
  out.body = res->body;
  out.content_type = res->get_header_value("Content-Type");
  return out;
}

std::string DescribeHttpError(const HttpResponse& r) {
  std::string prefix = std::to_string(r.status);
  prefix += std::string(" ") + ReasonPhrase(r.status);
  auto j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    return prefix + ": " + j["message"].get<std::string>();
  }
  std::string body = r.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body.empty() ? prefix : prefix + ": " + body;
}

}  // namespace swarm
