#pragma once

// `swarmctl describe drone [NAME]` and `swarmctl describe swarm [NAME]`.

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct DescribeArgs {
  std::string resource;  // swarm, swarms, drone, drones
  std::string name;      // empty: every drone, or the one swarm
};

// Prints the object's description with its events (ages at `now`); without a
// NAME, every drone, separated by blank lines. Events that cannot be listed
// are a warning, not a failure. Returns kExitOk, kExitError after one
// "error: " line on `err`, or kExitUsage for an unknown resource.
int RunDescribe(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                std::ostream& err);

}  // namespace swarm::ctl
