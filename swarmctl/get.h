#pragma once

// `swarmctl get swarm|drones|packages|events|releases [NAME]
// [-o wide|json|yaml|name] [--watch] [--for KIND/NAME]`.

#include <ostream>
#include <string>

#include "base/clock.h"
#include "swarmctl/api_client.h"

namespace swarm::ctl {

struct GetArgs {
  std::string resource;  // swarm(s), drone(s), package(s), pkg(s), event(s), ev, release(s)
  std::string name;      // empty: every object of the resource
  std::string output;    // "", "wide", "json" or "yaml"
  bool watch = false;    // -w: then every change as it happens (watch.h)
  // events: only those of this object, "drone/NAME", "package/NAME",
  // "release/NAME" or "swarm/NAME".
  std::string for_object;
};

// Prints the objects as a table (ages by `clock`), or the server's reply as
// JSON/YAML (a named package: that Package object; a named release: the
// Release with its packages and changes); events oldest first, the last
// 100; releases oldest first. A package NAME not in the queue is NotFound.
// With `watch`, goes on printing changes until the controller goes away
// (RunWatch). Returns kExitOk, kExitError after one "error: " line on `err`
// when the request fails, or kExitUsage for an unknown resource, format or
// --for, or --watch on releases (the API has no watch on them).
int RunGet(const GetArgs& args, ApiTransport& api, const Clock& clock, std::ostream& out,
           std::ostream& err);

}  // namespace swarm::ctl
