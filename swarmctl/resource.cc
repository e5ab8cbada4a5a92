#include "swarmctl/resource.h"

namespace swarm::ctl {

Result<Resource> ParseResource(const std::string& s) {
  if (s == "swarm" || s == "swarms") return Resource::kSwarm;
  if (s == "drone" || s == "drones") return Resource::kDrone;
  return InvalidArgument("unknown resource type \"" + s + "\" (want swarm or drones)");
}

}  // namespace swarm::ctl
