#pragma once

// The reads `get` and `describe` share.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

// The Swarm. NotFound when `name` is given and the controller manages a
// swarm of another name; other errors as GetJson.
Result<Json> FetchSwarm(ApiTransport& api, const std::string& name);

// The Drone `name`, or the DroneList when `name` is empty; errors as GetJson.
Result<Json> FetchDrones(ApiTransport& api, const std::string& name);
// The drones in what FetchDrones(api, name) returned; pointers into `reply`.
Result<std::vector<const Json*>> DronesOf(const Json& reply, const std::string& name);

// The PackageList, in queue order; errors as GetJson.
Result<Json> FetchPackages(ApiTransport& api);
// The packages in what FetchPackages returned, all of them when `name` is
// empty, else the one named so (NotFound when there is none); pointers into
// `reply`. The list is filtered here because a name (cat/pkg-ver) holds a '/'.
Result<std::vector<const Json*>> PackagesOf(const Json& reply, const std::string& name);

// The Release `name` (with its packages, status.previous and
// status.changes), or the ReleaseList (oldest first) when `name` is empty;
// errors as GetJson (an unknown name is the server's NotFound).
Result<Json> FetchReleases(ApiTransport& api, const std::string& name);
// The releases in what FetchReleases(api, name) returned; pointers into `reply`.
Result<std::vector<const Json*>> ReleasesOf(const Json& reply, const std::string& name);

// The events of one object. Thread safety: a value, used from one thread.
class ObjectEvents {
 public:
  // Lists the events; on failure writes one "warning: " line to `err`.
  ObjectEvents(ApiTransport& api, const std::string& kind, const std::string& name,
               std::ostream& err);
  ObjectEvents(const ObjectEvents&) = delete;
  ObjectEvents& operator=(const ObjectEvents&) = delete;

  // Oldest first; nullopt when they could not be listed. Valid while this lives.
  const std::optional<std::vector<const Json*>>& items() const { return items_; }

 private:
  Json list_;
  std::optional<std::vector<const Json*>> items_;
};

}  // namespace swarm::ctl
