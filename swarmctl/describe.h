#pragma once

// `swarmctl describe drone [NAME]`, `swarmctl describe swarm [NAME]` and
// `swarmctl describe release [NAME]`.

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct DescribeArgs {
  std::string resource;  // swarm, swarms, drone, drones, release, releases
  std::string name;      // empty: every drone or release, or the one swarm
};

// Prints the object's description with its events (ages at `now`); without a
// NAME, every drone (or release, oldest first), separated by blank lines.
// Events that cannot be listed are a warning, not a failure. Returns kExitOk, kExitError after one
// "error: " line on `err`, or kExitUsage for an unknown resource.
int RunDescribe(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                std::ostream& err);

}  // namespace swarm::ctl
