#pragma once

// The controller's API as the verbs see it: a transport seam (tests replace
// it with canned replies) and JSON calls that turn every failure into one
// Status whose message is the line the CLI prints after "error: ".

#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "base/http_client.h"
#include "base/status.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl {

inline constexpr char kSwarmPath[] = "/api/v1/swarm";
inline constexpr char kDronesPath[] = "/api/v1/drones";
inline constexpr char kEventsPath[] = "/api/v1/events";
inline constexpr char kPackagesPath[] = "/api/v1/packages";
inline constexpr char kFreshPath[] = "/api/v1/swarm/fresh";
inline constexpr char kReleasesPath[] = "/api/v1/releases";
inline constexpr char kRollbackPath[] = "/api/v1/rollback";

// Thread safety: one request at a time per object.
class ApiTransport {
 public:
  virtual ~ApiTransport() = default;
  // Any HTTP status is a response; Unavailable when the server cannot be reached.
  virtual Result<HttpResponse> Get(const std::string& path) = 0;
  virtual Result<HttpResponse> Put(const std::string& path, const std::string& json_body) = 0;
  virtual Result<HttpResponse> Post(const std::string& path, const std::string& json_body) = 0;
};

// The real transport: HTTP or HTTPS with a bearer token. A Warning header
// from the server is printed to `warnings` ("Warning: ..."), each text once.
class HttpApiTransport final : public ApiTransport {
 public:
  // InvalidArgument when `server` is not https://HOST[:PORT] or
  // http://HOST[:PORT], or a TLS file cannot be read. Connects lazily:
  // nothing goes over the network until the first request.
  static Result<std::unique_ptr<HttpApiTransport>> Create(const std::string& server,
                                                          const std::string& token,
                                                          const TlsClientFiles& tls,
                                                          std::ostream& warnings);
  Result<HttpResponse> Get(const std::string& path) override { return Warn(client_->Get(path)); }
  Result<HttpResponse> Put(const std::string& path, const std::string& body) override {
    return Warn(client_->Put(path, body));
  }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Warn(client_->Post(path, body));
  }

 private:
  HttpApiTransport(std::unique_ptr<HttpClient> c, std::ostream& warnings)
      : client_(std::move(c)), warnings_(warnings) {}
  Result<HttpResponse> Warn(Result<HttpResponse> reply);

  std::unique_ptr<HttpClient> client_;
  std::ostream& warnings_;
  std::set<std::string> warned_;
};

// GET `path` and parse the 2xx reply as a JSON object. Errors: the transport's
// Unavailable unchanged; a non-2xx reply mapped by HTTP status (401
// Unauthenticated, 403 PermissionDenied, 404 NotFound, 409 Conflict, 400
// InvalidArgument, else Internal) with DescribeHttpError's text; a reply that
// is not a JSON object is Internal ("unexpected reply ...").
Result<Json> GetJson(ApiTransport& api, const std::string& path);
// GET `path` and return the 2xx reply's body as it came, whatever its
// Content-Type (a build log is text/plain); errors as GetJson, except that
// any body is accepted.
Result<std::string> GetText(ApiTransport& api, const std::string& path);
// PUT `body` to `path`; errors as GetJson.
Result<Json> PutJson(ApiTransport& api, const std::string& path, const std::string& body);
// POST `body` to `path`; errors as GetJson.
Result<Json> PostJson(ApiTransport& api, const std::string& path, const std::string& body);

// The "items" of a list reply (DroneList, EventList, PackageList,
// ReleaseList). Internal ("unexpected reply ...") when there is no items
// array or an item is not an object.
Result<std::vector<const Json*>> ListItems(const Json& list, const std::string& what);

// Percent-encodes everything but RFC 3986 unreserved characters, for one
// path segment or query value.
std::string EscapeComponent(const std::string& s);

}  // namespace swarm::ctl
