#pragma once

// Resource names the verbs accept.

#include <string>
#include <vector>

#include "base/status.h"

namespace swarm::ctl {

enum class Resource { kSwarm, kDrone, kPackage, kEvent, kRelease };

// "swarm"/"swarms", "drone"/"drones", "package"/"packages"/"pkg"/"pkgs" and
// "event"/"events"/"ev" and "release"/"releases", when the verb accepts that
// resource. Anything else is InvalidArgument
// naming what `accepted` holds.
Result<Resource> ParseResource(const std::string& s, const std::vector<Resource>& accepted);

}  // namespace swarm::ctl
