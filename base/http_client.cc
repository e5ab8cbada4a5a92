#include "base/http_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <regex>
#include <system_error>

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
                                                       std::chrono::milliseconds timeout,
                                                       const TlsClientFiles& tls) {
  static const std::regex kUrl(
      R"(^(https?)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:([0-9]{1,5}))?/?$)");
  std::smatch m;
  if (!std::regex_match(base_url, m, kUrl)) {
    return InvalidArgument("server URL \"" + base_url +
                           "\" is not of the form https://HOST:PORT or http://HOST:PORT");
  }
  const bool https = m[1] == "https";
  std::string host = m[2];
  int port = m[4].matched ? std::stoi(m[4]) : (https ? 443 : 80);
  if (port <= 0 || port > 65535) {
    return InvalidArgument("server URL \"" + base_url + "\" has port out of range");
  }
  if (!https && tls != TlsClientFiles{}) {
    return InvalidArgument("server URL \"" + base_url +
                           "\" is plain http://, yet TLS files were given: use https://");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return InvalidArgument("a client certificate needs both its certificate and its key file");
  }
  for (const std::string* f : {&tls.ca_file, &tls.cert_file, &tls.key_file}) {
    if (!f->empty() && access(f->c_str(), R_OK) != 0) {
      return InvalidArgument("cannot read TLS file \"" + *f + "\": " +
                             std::system_category().message(errno));
    }
  }
  const std::string scheme_host_port = std::string(m[1]) + "://" + host + ":" + std::to_string(port);
  auto client = tls.cert_file.empty()
                    ? std::make_unique<httplib::Client>(scheme_host_port)
                    : std::make_unique<httplib::Client>(scheme_host_port, tls.cert_file,
                                                        tls.key_file);
  if (!client->is_valid()) {
    return InvalidArgument("cannot use the client certificate \"" + tls.cert_file +
                           "\" with key \"" + tls.key_file + "\"");
  }
  if (https) {
    client->enable_server_certificate_verification(true);
    if (!tls.ca_file.empty()) client->set_ca_cert_path(tls.ca_file);
  }
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
Result<HttpResponse> HttpClient::Delete(const std::string& path) {
  return Send("DELETE", path, nullptr);
}

namespace {

httplib::Headers BaseHeaders(const std::string& token, const HttpHeaders& extra) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  for (const auto& [k, v] : extra) headers.emplace(k, v);
  return headers;
}

HttpResponse ToResponse(const httplib::Response& r) {
  HttpResponse out;
  out.status = r.status;
  out.body = r.body;
  out.content_type = r.get_header_value("Content-Type");
  // RFC 7234: code, agent, then the text in quotes.
  const std::string warning = r.get_header_value("Warning");
  const size_t open = warning.find('"'), close = warning.rfind('"');
  out.warning = open != std::string::npos && close > open
                    ? warning.substr(open + 1, close - open - 1)
                    : warning;
  return out;
}

}  // namespace

Result<HttpResponse> HttpClient::PutBody(const std::string& path, const std::string& body,
                                         const std::string& content_type,
                                         const HttpHeaders& headers) {
  httplib::Result res = client_->Put(path, BaseHeaders(token_, headers), body, content_type);
  if (!res) {
    return Unreachable(res.error());
  }
  return ToResponse(*res);
}

Result<HttpResponse> HttpClient::PutFile(const std::string& path, const std::string& file_path,
                                         const HttpHeaders& headers) {
  auto errno_text = [](int err) { return std::system_category().message(err); };
  int fd = open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open \"" + file_path + "\": " + errno_text(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return Unavailable("cannot stat \"" + file_path + "\": " + errno_text(err));
  }
  std::string read_error;
  auto provider = [&](size_t offset, size_t length, httplib::DataSink& sink) {
    char buf[64 * 1024];
    ssize_t n;
    do {
      n = pread(fd, buf, std::min(length, sizeof buf), static_cast<off_t>(offset));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      read_error = n == 0 ? "\"" + file_path + "\" shrank while it was sent"
                          : "cannot read \"" + file_path + "\": " + errno_text(errno);
      return false;
    }
    return sink.write(buf, static_cast<size_t>(n));
  };
  httplib::Result res =
      client_->Put(path, BaseHeaders(token_, headers), static_cast<size_t>(st.st_size), provider,
                   "application/octet-stream");
  close(fd);
  if (!read_error.empty()) return Unavailable(read_error);
  if (!res) {
    return Unreachable(res.error());
  }
  return ToResponse(*res);
}

Result<HttpResponse> HttpClient::Send(const char* method, const std::string& path,
                                      const std::string* body) {
  httplib::Headers headers = BaseHeaders(token_, {});
  const std::string method_s = method;
  httplib::Result res = method_s == "GET"      ? client_->Get(path, headers)
                        : method_s == "DELETE" ? client_->Delete(path, headers)
                        : method_s == "PUT"
                            ? client_->Put(path, headers, *body, "application/json")
                            : client_->Post(path, headers, *body, "application/json");
  if (!res) {
    return Unreachable(res.error());
  }
  return ToResponse(*res);
}

Status HttpClient::Unreachable(httplib::Error error) const {
  std::string why = httplib::to_string(error);
  switch (error) {
    case httplib::Error::SSLServerVerification:
      why = "its certificate could not be verified: give the CA that signed it "
            "(swarmctl --certificate-authority, the agent's tls.caFile)";
      break;
    case httplib::Error::SSLConnection:
      why = "the TLS handshake failed";
      break;
    case httplib::Error::Read:
      // TLS 1.3 reports a refused client certificate only after the handshake.
      if (base_url_.rfind("https://", 0) == 0) {
        why = "the connection was closed (a missing or refused client certificate ends "
              "it so)";
      }
      break;
    default:
      break;
  }
  return Unavailable("cannot reach " + base_url_ + ": " + why);
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
