#include "controller/server/apiserver.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <regex>

#include "api/codec.h"
#include "api/json_body.h"
#include "api/protocol.h"
#include "api/quantity.h"
#include "api/replies.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/http.h"
#include "controller/dashboard/dashboard.h"

namespace swarm::controller {
namespace {

using nlohmann::json;

// The route that is answering this thread's request, for the metrics: set by
// the handler's wrapper (ApiServer::Timed), read and cleared by the logger.
thread_local const std::string* t_route = nullptr;
thread_local std::chrono::steady_clock::time_point t_route_start;

// Called by a route's wrapper as its handler begins.
void StartRoute(const std::string* label) {
  t_route = label;
  t_route_start = std::chrono::steady_clock::now();
}

// A route's pattern as a metric label: each group (a drone, an assignment)
// becomes "*", so series are per route, never per drone.
// "/api/v1/drones/([^/]+)/heartbeat" -> "/api/v1/drones/*/heartbeat"
std::string RouteLabel(const std::string& pattern) {
  std::string out;
  int depth = 0;
  for (char c : pattern) {
    if (c == '(') {
      if (depth++ == 0) out += '*';
    } else if (c == ')') {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

constexpr size_t kMaxBodyBytes = 8 << 20;
// Binary packages stream to disk (qtwebengine's is hundreds of megabytes);
// every other body is held in memory and kept under kMaxBodyBytes by the
// pre-routing check.
constexpr size_t kMaxBinpkgBytes = size_t(16) << 30;
// A heartbeat is a few hundred bytes; it is stored on every beat.
constexpr size_t kMaxHeartbeatBytes = 64 << 10;

const char* ReasonFor(int http) {
  switch (http) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 411:
      return "LengthRequired";
    case 413:
      return "RequestEntityTooLarge";
    case 422:
      return "UnprocessableEntity";
    case 503:
      return "ServiceUnavailable";
    default:
      return "InternalError";
  }
}

void WriteJson(httplib::Response& res, int http, const json& body) {
  res.status = http;
  // Replaces invalid UTF-8 rather than throwing after a change was committed.
  res.set_content(body.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                  "application/json");
}

void WriteStatus(httplib::Response& res, int http, const std::string& message) {
  WriteJson(res, http,
            {{"kind", "Status"},
             {"status", "Failure"},
             {"code", http},
             {"reason", ReasonFor(http)},
             {"message", message}});
}

void WriteError(httplib::Response& res, const Status& st) {
  WriteStatus(res, HttpStatusFor(st.code()), ClientErrorMessage(st));
}

// A report under an assignment that is not current: the agent must stop that
// build and drop its reports.
void WriteBuildError(httplib::Response& res, const Status& st) {
  WriteError(res, st);
  if (st.code() != StatusCode::kConflict) return;
  json body = json::parse(res.body, nullptr, false);
  body["stop"] = true;
  WriteJson(res, 409, body);
}

// ": <why>" when a request body is not JSON at all, for the 400 it gets.
std::string Why(const Result<json>& body) {
  return body.ok() ? "" : ": " + body.status().message();
}

bool IsBinpkgUpload(const httplib::Request& req) {
  static const std::regex upload(R"(/api/v1/drones/[^/]+/builds/[^/]+/binpkg)");
  return req.method == "PUT" && std::regex_match(req.path, upload);
}

bool IsBodyMethod(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// Checked before any body is read, so no request makes the server hold more
// than kMaxBodyBytes in memory (a binpkg upload streams to disk): a body must
// come with a Content-Length, never chunked, and within the route's limit.
httplib::Server::HandlerResponse CheckBodySize(const httplib::Request& req,
                                               httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  std::string encoding = req.get_header_value("Transfer-Encoding");
  std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const std::string length = req.get_header_value("Content-Length");
  if (!encoding.empty() || (IsBodyMethod(req.method) && length.empty())) {
    WriteStatus(res, 411, "send the body with a Content-Length (no Transfer-Encoding)");
    res.set_header("Connection", "close");
    return R::Handled;
  }
  if (length.empty()) return R::Unhandled;
  const size_t limit = IsBinpkgUpload(req) ? kMaxBinpkgBytes : kMaxBodyBytes;
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(length.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE || n > limit) {
    WriteStatus(res, 413, "body of " + length + " bytes is over the limit of " +
                              std::to_string(limit) + " for " + req.method + " " + req.path);
    res.set_header("Connection", "close");
    return R::Handled;
  }
  return R::Unhandled;
}

// A list's reply: its items and the resource version they are as of.
json ListJson(const char* kind, json items, const std::string& resource_version) {
  return {{"apiVersion", api::kApiVersion},
          {"kind", kind},
          {"metadata", {{"resourceVersion", resource_version}}},
          {"items", std::move(items)}};
}

bool IsWatch(const httplib::Request& req) {
  const std::string w = req.get_param_value("watch");
  return w == "true" || w == "1";
}

constexpr int kDefaultWatchSeconds = 30;
constexpr int kMaxWatchSeconds = 300;

// `?watch=true&resourceVersion=RV[&timeoutSeconds=N]` of a list's path.
Result<WatchRequest> WatchRequestOf(const httplib::Request& req, WatchKind kind) {
  WatchRequest w;
  w.kind = kind;
  w.resource_version = req.get_param_value("resourceVersion");
  long seconds = kDefaultWatchSeconds;
  if (req.has_param("timeoutSeconds")) {
    const std::string raw = req.get_param_value("timeoutSeconds");
    char* end = nullptr;
    seconds = std::strtol(raw.c_str(), &end, 10);
    if (raw.empty() || *end != '\0' || seconds < 0 || seconds > kMaxWatchSeconds) {
      return InvalidArgument("timeoutSeconds \"" + raw + "\" is not a number from 0 to " +
                             std::to_string(kMaxWatchSeconds));
    }
  }
  w.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  return w;
}

json WatchObjectJson(const WatchItem& item) {
  return std::visit(
      [](const auto& o) -> json {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, api::Swarm>) return api::SwarmToJson(o);
        if constexpr (std::is_same_v<T, api::Drone>) return api::DroneToJson(o);
        if constexpr (std::is_same_v<T, api::Package>) return api::PackageToJson(o);
        if constexpr (std::is_same_v<T, api::Event>) return api::EventToJson(o);
      },
      item.object);
}

void WriteWatch(httplib::Response& res, const WatchBatch& batch) {
  json items = json::array();
  for (const auto& item : batch.items) {
    items.push_back({{"type", WatchChangeName(item.change)}, {"object", WatchObjectJson(item)}});
  }
  WriteJson(res, 200, ListJson("WatchEventList", std::move(items), batch.resource_version));
}

}  // namespace

std::string ClientErrorMessage(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInternal:
      spdlog::error("internal error answered with 500: {}", st.message());
      return "internal error; nothing was changed (the controller's log says more)";
    case StatusCode::kUnavailable:
      spdlog::error("storage error answered with 503: {}", st.message());
      return "the controller cannot do this now; send it again (the controller's log says more)";
    default:
      return st.message();
  }
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
    case StatusCode::kRejected:
      return 422;
    case StatusCode::kExpired:
      return 410;
  }
  return 500;
}

ApiServer::ApiServer(SwarmController* controller, const TokenFile* tokens, Binhost* binhost,
                     ServeOptions options, const Clock* clock)
    : controller_(controller),
      tokens_(tokens),
      binhost_(binhost),
      options_(std::move(options)),
      server_(std::make_unique<HttpServer>(options_.limits, options_.tls)),
      failures_(clock) {
  server_->set_payload_max_length(kMaxBinpkgBytes);
  // An agent beats every few seconds on one connection; reconnecting (and a
  // TLS handshake) every fifth request would be most of its cost.
  server_->set_keep_alive_max_count(1000);
  if (!options_.warning.empty()) {
    server_->set_default_headers({{"Warning", "299 - \"" + options_.warning + "\""}});
  }
  server_->set_pre_routing_handler(CheckBodySize);
  // Replies go out in more than one write; without TCP_NODELAY each waits
  // for the client's delayed ACK (40 ms on Linux) before the rest is sent.
  server_->set_tcp_nodelay(true);
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unexpected error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        // The text may name paths and internals: it goes to the log only.
        spdlog::error("{} {}: {}", req.method, req.path, what);
        WriteStatus(res, 500, "internal error (the controller's log says more)");
      });
  server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      WriteStatus(res, 404, "no such API path: " + req.method + " " + req.path);
    } else {
      WriteStatus(res, res.status, "request failed");
    }
  });
  // Every reply counted and timed by the route that answered it (Timed);
  // httplib calls the logger on the request's thread once the reply is out.
  server_->set_logger([this](const httplib::Request&, const httplib::Response& res) {
    const std::string* route = t_route;
    t_route = nullptr;
    auto& m = controller_->metrics();
    if (route == nullptr) return m.ObserveRequest("other", res.status, std::nullopt);
    m.ObserveRequest(
        *route, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_route_start).count());
  });
  Routes();
}

ApiServer::~ApiServer() = default;

httplib::Server::Handler ApiServer::Timed(const std::string& pattern, httplib::Server::Handler h) {
  auto label = std::make_shared<const std::string>(RouteLabel(pattern));
  return [label, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
    StartRoute(label.get());
    h(req, res);
  };
}

void ApiServer::Get(const std::string& pattern, httplib::Server::Handler h) {
  server_->Get(pattern, Timed(pattern, std::move(h)));
}
void ApiServer::Post(const std::string& pattern, httplib::Server::Handler h) {
  server_->Post(pattern, Timed(pattern, std::move(h)));
}
void ApiServer::Put(const std::string& pattern, httplib::Server::Handler h) {
  server_->Put(pattern, Timed(pattern, std::move(h)));
}
void ApiServer::Put(const std::string& pattern, httplib::Server::HandlerWithContentReader h) {
  // Timed's wrapper, for a handler that reads its body as it streams in.
  auto label = std::make_shared<const std::string>(RouteLabel(pattern));
  server_->Put(pattern,
               [label, h = std::move(h)](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& content) {
                 StartRoute(label.get());
                 h(req, res, content);
               });
}

Result<int> ApiServer::Bind(const std::string& host, int port) {
  int bound = server_->Bind(host, port);
  if (bound <= 0) return Unavailable("cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

bool ApiServer::Serve() { return server_->listen_after_bind(); }

void ApiServer::Stop() {
  // Long-polling watches return now, not at their deadline.
  controller_->StopWatches();
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  server_->Shutdown();
}

Result<Identity> ApiServer::Authenticate(const httplib::Request& req) {
  Result<Identity> who = tokens_->Current()->Authenticate(req.get_header_value("Authorization"));
  const bool certs = options_.tls != nullptr && options_.tls->verifies_clients();
  std::string cn;
  if (who.ok() && certs) {
    cn = VerifiedPeerCommonName(req.ssl);
    // A client certificate guards what can change the swarm: a viewer only
    // reads (a browser's dashboard, a Prometheus server), with its token.
    if (cn.empty() && who->role != Role::kViewer) {
      who = Unauthenticated("this API needs a client certificate signed by the controller's "
                            "client CA");
    } else if (who->role == Role::kAgent && cn != who->name) {
      who = PermissionDenied("the client certificate names \"" + cn + "\", not drone \"" +
                             who->name + "\" of this token");
    }
  }
  if (who.ok()) return who;
  const AuthFailures::Verdict v = failures_.Fail(req.remote_addr);
  // Logged often enough to see an attack begin, never once per attempt.
  if (v.failures <= AuthFailures::kFreeFailures + 2 || (v.failures & (v.failures - 1)) == 0) {
    spdlog::warn("authentication failed: {} {} from {}: {} ({} failures from it in a row{})",
                 req.method, req.path, req.remote_addr, who.status().message(), v.failures,
                 v.delay.count() > 0 ? fmt::format("; answered after {} ms", v.delay.count())
                                     : std::string());
  }
  if (v.delay.count() > 0) {
    std::unique_lock<std::mutex> lock(stop_mu_);
    stop_cv_.wait_for(lock, v.delay, [&] { return stopping_; });
  }
  return who;
}

httplib::Server::Handler ApiServer::Authed(Need need, IdentityHandler h) {
  return [this, need, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
    auto who = Authenticate(req);
    if (!who.ok()) return WriteError(res, who.status());
    Status allowed = Status::Ok();
    switch (need) {
      case Need::kAdmin:
        allowed = AuthorizeAdmin(*who);
        break;
      case Need::kRead:
        allowed = AuthorizeRead(*who);
        break;
      case Need::kDrone:
        allowed = AuthorizeDrone(*who, req.matches[1]);
        break;
      case Need::kHandlerDecides:
        break;
    }
    if (!allowed.ok()) return WriteError(res, allowed);
    h(*who, req, res);
  };
}

void ApiServer::Watch(const httplib::Request& req, httplib::Response& res, WatchKind kind) {
  auto request = WatchRequestOf(req, kind);
  if (!request.ok()) return WriteError(res, request.status());
  if (kind == WatchKind::kEvent) {
    request->object_kind = req.get_param_value("kind");
    request->object_name = req.get_param_value("name");
  }
  auto batch = controller_->Watch(*request);
  if (!batch.ok()) return WriteError(res, batch.status());
  WriteWatch(res, *batch);
}

void ApiServer::Routes() {
  Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });

  // Prometheus' scrape, for admin and viewer tokens (--metrics-listen serves
  // it without a token on a loopback address of its own).
  Get("/metrics",
      Authed(Need::kRead, [this](const Identity&, const httplib::Request&, httplib::Response& res) {
        res.set_content(controller_->metrics().registry()->Write(), metrics::kContentType);
      }));

  Put("/api/v1/swarm", Authed(Need::kAdmin, [this](const Identity&, const httplib::Request& req,
                                                   httplib::Response& res) {
        // Kubernetes' server-side dry run: validated and decided, not stored.
        const std::string dry_run = req.get_param_value("dryRun");
        if (!dry_run.empty() && dry_run != "All") {
          return WriteStatus(res, 400, "dryRun \"" + dry_run + "\" is not All");
        }
        auto desired = api::DecodeSwarm(req.body, "request body");
        if (!desired.ok()) return WriteError(res, desired.status());
        auto applied = controller_->Apply(*desired, !dry_run.empty());
        if (!applied.ok()) return WriteError(res, applied.status());
        WriteJson(res, 200,
                  {{"result", ApplyOutcomeName(applied->outcome)},
                   {"swarm", api::SwarmToJson(applied->swarm)}});
      }));

  Get("/api/v1/swarm", Authed(Need::kRead, [this](const Identity&, const httplib::Request& req,
                                                  httplib::Response& res) {
        if (IsWatch(req)) return Watch(req, res, WatchKind::kSwarm);
        auto swarm = controller_->GetSwarm();
        if (!swarm.ok()) return WriteError(res, swarm.status());
        WriteJson(res, 200, api::SwarmToJson(*swarm));
      }));

  Get("/api/v1/drones", Authed(Need::kRead, [this](const Identity&, const httplib::Request& req,
                                                   httplib::Response& res) {
        if (IsWatch(req)) return Watch(req, res, WatchKind::kDrone);
        std::string version;
        auto drones = controller_->ListDrones(&version);
        if (!drones.ok()) return WriteError(res, drones.status());
        json items = json::array();
        for (const auto& d : *drones) items.push_back(api::DroneToJson(d));
        WriteJson(res, 200, ListJson(api::kKindDroneList, std::move(items), version));
      }));

  Get(R"(/api/v1/drones/([^/]+))",
      Authed(Need::kRead,
             [this](const Identity&, const httplib::Request& req, httplib::Response& res) {
               auto drone = controller_->GetDrone(req.matches[1]);
               if (!drone.ok()) return WriteError(res, drone.status());
               WriteJson(res, 200, api::DroneToJson(*drone));
             }));

  Get("/api/v1/events", Authed(Need::kRead, [this](const Identity&, const httplib::Request& req,
                                                   httplib::Response& res) {
        EventFilter filter;
        filter.object_kind = req.get_param_value("kind");
        filter.object_name = req.get_param_value("name");
        if (IsWatch(req)) return Watch(req, res, WatchKind::kEvent);
        if (req.has_param("limit")) {
          const std::string raw = req.get_param_value("limit");
          char* end = nullptr;
          long n = std::strtol(raw.c_str(), &end, 10);
          if (raw.empty() || *end != '\0' || n < 1 || n > 1000) {
            return WriteStatus(res, 400, "limit \"" + raw + "\" is not a number from 1 to 1000");
          }
          filter.limit = static_cast<size_t>(n);
        }
        std::string version;
        auto events = controller_->ListEvents(filter, &version);
        if (!events.ok()) return WriteError(res, events.status());
        json items = json::array();
        for (const auto& e : *events) items.push_back(api::EventToJson(e));
        WriteJson(res, 200, ListJson(api::kKindEventList, std::move(items), version));
      }));

  Post(R"(/api/v1/drones/([^/]+)/heartbeat)",
       Authed(Need::kHandlerDecides,
              [this](const Identity& who, const httplib::Request& req, httplib::Response& res) {
                const std::string name = req.matches[1];
                if (Status st = AuthorizeDrone(who, name); !st.ok()) return WriteError(res, st);
                if (req.body.size() > kMaxHeartbeatBytes) {
                  return WriteStatus(res, 413,
                                     "heartbeat body of " + std::to_string(req.body.size()) +
                                         " bytes is over the limit of " +
                                         std::to_string(kMaxHeartbeatBytes));
                }
                auto body = api::ParseJsonBody(req.body);
                if (!body.ok() || !body->is_object()) {
                  return WriteStatus(res, 400, "heartbeat body is not a JSON object" + Why(body));
                }
                auto report = api::DroneReportFromJson(*body);
                if (!report.ok()) return WriteError(res, report.status());
                auto reply = controller_->Heartbeat(name, *report);
                if (!reply.ok()) return WriteError(res, reply.status());
                WriteJson(res, 200, api::HeartbeatReplyToJson(*reply));
              }));

  Post(R"(/api/v1/drones/([^/]+)/actions/([^/]+))",
       Authed(Need::kHandlerDecides,
              [this](const Identity& who, const httplib::Request& req, httplib::Response& res) {
                const std::string name = req.matches[1];
                if (Status st = AuthorizeDrone(who, name); !st.ok()) return WriteError(res, st);
                auto body = api::ParseJsonBody(req.body);
                if (!body.ok() || !body->is_object()) {
                  return WriteStatus(res, 400, "action result is not a JSON object" + Why(body));
                }
                auto result = api::ActionResultFromJson(*body);
                if (!result.ok()) return WriteError(res, result.status());
                if (result->id != req.matches[2]) {
                  return WriteStatus(
                      res, 400, "action result id \"" + result->id + "\" does not match the path");
                }
                if (Status st = controller_->ReportActionResult(name, *result); !st.ok()) {
                  return WriteError(res, st);
                }
                WriteJson(res, 200, {{"accepted", true}});
              }));

  Get("/api/v1/packages", Authed(Need::kRead, [this](const Identity&, const httplib::Request& req,
                                                     httplib::Response& res) {
        if (IsWatch(req)) return Watch(req, res, WatchKind::kPackage);
        std::string version;
        auto packages = controller_->ListPackages(&version);
        if (!packages.ok()) return WriteError(res, packages.status());
        json items = json::array();
        for (const auto& p : *packages) items.push_back(api::PackageToJson(p));
        WriteJson(res, 200, ListJson("PackageList", std::move(items), version));
      }));

  BuildRoutes();

  // The dashboard's page and files: no token (no data in them).
  dashboard::Mount(
      [this](const std::string& path, httplib::Server::Handler h) { Get(path, std::move(h)); });

  Post("/api/v1/swarm/fresh", Authed(Need::kAdmin, [this](const Identity&, const httplib::Request&,
                                                          httplib::Response& res) {
         auto fresh = controller_->RequestFresh();
         if (!fresh.ok()) return WriteError(res, fresh.status());
         WriteJson(res, 200,
                   {{"requestedAt", fresh->requested_at},
                    {"members", fresh->members},
                    {"queuedPackages", fresh->queued_packages}});
       }));
}

void ApiServer::BuildRoutes() {
  Put(R"(/api/v1/drones/([^/]+)/builds/([^/]+)/log)",
      Authed(Need::kDrone,
             [this](const Identity&, const httplib::Request& req, httplib::Response& res) {
               Status st = controller_->StoreBuildLog(req.matches[1], req.matches[2], req.body);
               if (!st.ok()) return WriteBuildError(res, st);
               WriteJson(res, 200, {{"stored", true}, {"bytes", req.body.size()}});
             }));

  Put(R"(/api/v1/drones/([^/]+)/builds/([^/]+)/binpkg)",
      [this](const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& content) {
        // A reply sent before the body is read ends the connection: the
        // unread body must not be taken for the next request.
        auto refuse = [&res](auto write) {
          write();
          res.set_header("Connection", "close");
        };
        auto who = Authenticate(req);
        if (!who.ok()) return refuse([&] { WriteError(res, who.status()); });
        const std::string name = req.matches[1];
        const std::string id = req.matches[2];
        if (Status st = AuthorizeDrone(*who, name); !st.ok()) {
          return refuse([&] { WriteError(res, st); });
        }
        auto package = controller_->CurrentAssignment(name, id);
        if (!package.ok()) return refuse([&] { WriteBuildError(res, package.status()); });
        if (binhost_ == nullptr) {
          return refuse([&] { WriteStatus(res, 503, "this controller has no binhost directory"); });
        }
        const std::string path = req.get_header_value("X-Binpkg-Path");
        std::string why;
        if (!Binhost::IsValidBinpkgPath(path, &why) ||
            !BinpkgPathIsFor(path, *package, &why)) {
          Status rejected = controller_->RejectUpload(name, id, why);
          return refuse([&] {
            if (rejected.ok()) return WriteStatus(res, 422, why);
            WriteError(res, rejected);
          });
        }
        auto upload = binhost_->BeginUpload(id, path);
        if (!upload.ok()) return refuse([&] { WriteError(res, upload.status()); });
        // Streamed to disk without the controller's lock: heartbeats go on.
        Status written;
        const bool complete = content([&](const char* data, size_t n) {
          written = (*upload)->Write(data, n);
          return written.ok();
        });
        if (!written.ok()) return WriteError(res, written);
        if (!complete) {
          // The connection broke off: the build is fine, the agent sends it again.
          return WriteStatus(res, 400, "the upload of " + path + " ended early; send it again");
        }
        auto staged = (*upload)->Finish(req.get_header_value("X-Binpkg-Sha256"));
        if (!staged.ok()) {
          if (staged.status().code() == StatusCode::kInvalidArgument) {
            Status rejected = controller_->RejectUpload(name, id, staged.status().message());
            if (!rejected.ok()) return WriteError(res, rejected);
            return WriteStatus(res, 422, staged.status().message());
          }
          return WriteBuildError(res, staged.status());
        }
        WriteJson(res, 200,
                  {{"staged", true},
                   {"path", staged->path},
                   {"size", staged->size},
                   {"sha256", staged->sha256}});
      });

  Post(R"(/api/v1/drones/([^/]+)/builds/([^/]+))",
       Authed(Need::kDrone, [this](const Identity&, const httplib::Request& req,
                                   httplib::Response& res) {
         auto body = api::ParseJsonBody(req.body);
         if (!body.ok() || !body->is_object()) {
           return WriteStatus(res, 400, "build result is not a JSON object" + Why(body));
         }
         auto result = api::BuildResultFromJson(*body);
         if (!result.ok()) return WriteError(res, result.status());
         if (result->assignment != req.matches[2]) {
           return WriteStatus(res, 400,
                              "build result for assignment \"" + result->assignment +
                                  "\" posted under another id");
         }
         auto next = controller_->ReportBuildResult(req.matches[1], *result);
         if (!next.ok()) return WriteBuildError(res, next.status());
         WriteJson(res, 200, api::BuildResultReplyToJson({std::move(*next)}));
       }));

  Post(R"(/api/v1/drones/([^/]+)/(cordon|uncordon|drain|unground))",
       Authed(Need::kAdmin, [this](const Identity&, const httplib::Request& req,
                                   httplib::Response& res) {
         const std::string name = req.matches[1];
         const std::string verb = req.matches[2];
         auto drone = verb == "cordon"     ? controller_->Cordon(name)
                      : verb == "uncordon" ? controller_->Uncordon(name)
                      : verb == "drain"    ? controller_->Drain(name)
                                           : controller_->Unground(name);
         if (!drone.ok()) return WriteError(res, drone.status());
         WriteJson(res, 200, api::DroneToJson(*drone));
       }));

  Get(R"(/api/v1/packages/([^/]+/[^/]+)/log)",
      Authed(Need::kRead,
             [this](const Identity&, const httplib::Request& req, httplib::Response& res) {
               auto log = controller_->BuildLog(req.matches[1]);
               if (!log.ok()) return WriteError(res, log.status());
               res.set_content(*log, "text/plain; charset=utf-8");
             }));

  // The binhost's releases (docs/api.md, "Releases").
  Get("/api/v1/releases", Authed(Need::kRead, [this](const Identity&, const httplib::Request&,
                                                     httplib::Response& res) {
        auto list = controller_->ListReleases();
        if (!list.ok()) return WriteError(res, list.status());
        json items = json::array();
        for (const auto& r : list->releases) {
          items.push_back(api::ReleaseToJson(r, r.name == list->promoted, false));
        }
        WriteJson(res, 200,
                  ListJson(api::kKindReleaseList, std::move(items), list->resource_version));
      }));

  Get(R"(/api/v1/releases/([^/]+))",
      Authed(Need::kRead,
             [this](const Identity&, const httplib::Request& req, httplib::Response& res) {
               auto detail = controller_->GetRelease(req.matches[1]);
               if (!detail.ok()) return WriteError(res, detail.status());
               json j = api::ReleaseToJson(detail->release, detail->promoted, true);
               j["status"]["previous"] = detail->previous;
               j["status"]["changes"] = {{"added", detail->changes.added},
                                         {"removed", detail->changes.removed},
                                         {"rebuilt", detail->changes.rebuilt}};
               WriteJson(res, 200, j);
             }));

  Post("/api/v1/releases", Authed(Need::kAdmin, [this](const Identity&, const httplib::Request&,
                                                       httplib::Response& res) {
         if (Status st = controller_->RequestReleaseCut(); !st.ok()) return WriteError(res, st);
         WriteJson(res, 202,
                   {{"message", "a release of what is published now will be cut and verified"}});
       }));

  Post(R"(/api/v1/releases/([^/]+)/promote)",
       Authed(Need::kAdmin,
              [this](const Identity&, const httplib::Request& req, httplib::Response& res) {
                auto r = controller_->Promote(req.matches[1]);
                if (!r.ok()) return WriteError(res, r.status());
                WriteJson(res, 200, api::ReleaseToJson(*r, true, false));
              }));

  Post("/api/v1/rollback", Authed(Need::kAdmin, [this](const Identity&, const httplib::Request&,
                                                       httplib::Response& res) {
         auto r = controller_->Rollback();
         if (!r.ok()) return WriteError(res, r.status());
         WriteJson(res, 200, api::ReleaseToJson(*r, true, false));
       }));

  if (binhost_ != nullptr) MountBinhost(*server_, *binhost_, options_.tls != nullptr);
}

}  // namespace swarm::controller
