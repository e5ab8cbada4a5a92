#pragma once

// Resource names the verbs accept.

#include <string>
#include <vector>

#include "base/status.h"

namespace swarm::ctl {

enum class Resource { kSwarm, kDrone, kPackage };

// "swarm"/"swarms", "drone"/"drones" and "package"/"packages"/"pkg"/"pkgs",
// when the verb accepts that resource. Anything else is InvalidArgument
// naming what `accepted` holds.
Result<Resource> ParseResource(const std::string& s, const std::vector<Resource>& accepted);

}  // namespace swarm::ctl
