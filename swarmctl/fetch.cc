#include "swarmctl/fetch.h"

namespace swarm::ctl {
namespace {

std::string DronesPath(const std::string& name) {
  return name.empty() ? kDronesPath : std::string(kDronesPath) + "/" + EscapeComponent(name);
}

std::string ReleasesPath(const std::string& name) {
  return name.empty() ? kReleasesPath : std::string(kReleasesPath) + "/" + EscapeComponent(name);
}

}  // namespace

Result<Json> FetchSwarm(ApiTransport& api, const std::string& name) {
  auto swarm = GetJson(api, kSwarmPath);
  if (!swarm.ok()) return swarm;
  const std::string managed = StringOr(*swarm, {"metadata", "name"}, "");
  if (!name.empty() && name != managed) {
    return NotFound("swarm \"" + name + "\" not found (this controller manages swarm/" + managed +
                    ")");
  }
  return swarm;
}

Result<Json> FetchDrones(ApiTransport& api, const std::string& name) {
  return GetJson(api, DronesPath(name));
}

Result<std::vector<const Json*>> DronesOf(const Json& reply, const std::string& name) {
  if (name.empty()) return ListItems(reply, "GET " + DronesPath(name));
  return std::vector<const Json*>{&reply};
}

Result<Json> FetchPackages(ApiTransport& api) { return GetJson(api, kPackagesPath); }

Result<std::vector<const Json*>> PackagesOf(const Json& reply, const std::string& name) {
  auto items = ListItems(reply, std::string("GET ") + kPackagesPath);
  if (!items.ok() || name.empty()) return items;
  for (const Json* p : *items) {
    if (StringAt(*p, {"metadata", "name"}) == name) return std::vector<const Json*>{p};
  }
  return NotFound("package \"" + name + "\" not found in the queue");
}

Result<Json> FetchReleases(ApiTransport& api, const std::string& name) {
  return GetJson(api, ReleasesPath(name));
}

Result<std::vector<const Json*>> ReleasesOf(const Json& reply, const std::string& name) {
  if (name.empty()) return ListItems(reply, "GET " + ReleasesPath(name));
  return std::vector<const Json*>{&reply};
}

ObjectEvents::ObjectEvents(ApiTransport& api, const std::string& kind, const std::string& name,
                           std::ostream& err) {
  const std::string path = std::string(kEventsPath) + "?kind=" + EscapeComponent(kind) +
                           "&name=" + EscapeComponent(name);
  Status failure;
  auto reply = GetJson(api, path);
  if (reply.ok()) {
    list_ = std::move(*reply);
    auto items = ListItems(list_, "GET " + path);
    if (items.ok()) {
      items_ = std::move(*items);
      return;
    }
    failure = items.status();
  } else {
    failure = reply.status();
  }
  err << "warning: cannot list events of " << kind << " \"" << name << "\": " << failure.message()
      << '\n';
}

}  // namespace swarm::ctl
