#include "swarmctl/api_client.h"

namespace swarm::ctl {
namespace {

StatusCode CodeForHttp(int http) {
  switch (http) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kConflict;
    case 410:
      return StatusCode::kExpired;
    case 503:
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

// Enough of a bad body to recognise it (an HTML error page, a proxy banner),
// on one line.
std::string Excerpt(const std::string& body) {
  constexpr size_t kMax = 80;
  std::string s = body.substr(0, kMax);
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (body.size() > kMax) s += "...";
  return s.empty() ? "empty body" : "\"" + s + "\"";
}

// The reply when it is a 2xx response; else the transport's error, or the
// HTTP status mapped to a code with the server's message.
Result<HttpResponse> Checked(Result<HttpResponse> reply) {
  if (!reply.ok()) return reply.status();
  if (reply->status < 200 || reply->status > 299) {
    return Status(CodeForHttp(reply->status), DescribeHttpError(*reply));
  }
  return reply;
}

Result<Json> Interpret(const std::string& what, Result<HttpResponse> reply) {
  auto checked = Checked(std::move(reply));
  if (!checked.ok()) return checked.status();
  const HttpResponse& r = *checked;
  Json j = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Internal("unexpected reply to " + what + ": not JSON: " + Excerpt(r.body));
  }
  if (!j.is_object()) {
    return Internal("unexpected reply to " + what + ": not a JSON object: " + Excerpt(r.body));
  }
  return j;
}

}  // namespace

Result<std::unique_ptr<HttpApiTransport>> HttpApiTransport::Create(const std::string& server,
                                                                   const std::string& token,
                                                                   const TlsClientFiles& tls,
                                                                   std::ostream& warnings) {
  auto client = HttpClient::Create(server, token, tls);
  if (!client.ok()) return client.status();
  return std::unique_ptr<HttpApiTransport>(new HttpApiTransport(std::move(*client), warnings));
}

Result<HttpResponse> HttpApiTransport::Warn(Result<HttpResponse> reply) {
  if (reply.ok() && !reply->warning.empty() && warned_.insert(reply->warning).second) {
    warnings_ << "Warning: " << reply->warning << "\n";
  }
  return reply;
}

Result<Json> GetJson(ApiTransport& api, const std::string& path) {
  return Interpret("GET " + path, api.Get(path));
}

Result<std::string> GetText(ApiTransport& api, const std::string& path) {
  auto reply = Checked(api.Get(path));
  if (!reply.ok()) return reply.status();
  return std::move(reply->body);
}

Result<Json> PutJson(ApiTransport& api, const std::string& path, const std::string& body) {
  return Interpret("PUT " + path, api.Put(path, body));
}

Result<Json> PostJson(ApiTransport& api, const std::string& path, const std::string& body) {
  return Interpret("POST " + path, api.Post(path, body));
}

Result<std::vector<const Json*>> ListItems(const Json& list, const std::string& what) {
  const Json* items = Find(list, {"items"});
  if (items == nullptr || !items->is_array()) {
    return Internal("unexpected reply to " + what + ": no \"items\" list");
  }
  std::vector<const Json*> out;
  for (const auto& item : *items) {
    if (!item.is_object())
      return Internal("unexpected reply to " + what + ": an item is not an object");
    out.push_back(&item);
  }
  return out;
}

std::string EscapeComponent(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace swarm::ctl
