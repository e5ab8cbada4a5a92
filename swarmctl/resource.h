#pragma once

// Resource names the verbs accept.

#include <string>

#include "base/status.h"

namespace swarm::ctl {

enum class Resource { kSwarm, kDrone };

// "swarm"/"swarms" and "drone"/"drones"; anything else is InvalidArgument.
Result<Resource> ParseResource(const std::string& s);

}  // namespace swarm::ctl
