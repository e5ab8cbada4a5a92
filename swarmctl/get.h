#pragma once

// `swarmctl get swarm|drones|packages [NAME] [-o wide|json|yaml]`.

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct GetArgs {
  std::string resource;  // swarm(s), drone(s), package(s), pkg(s)
  std::string name;      // empty: every object of the resource
  std::string output;    // "", "wide", "json" or "yaml"
};

// Prints the objects as a table (ages at `now`), or the server's reply as
// JSON/YAML (a named package: that Package object). A package NAME not in
// the queue is NotFound. Returns kExitOk, kExitError after one "error: " line on `err`
// when the request fails, or kExitUsage for an unknown resource or format.
int RunGet(const GetArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
           std::ostream& err);

}  // namespace swarm::ctl
