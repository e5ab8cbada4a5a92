#pragma once

// A queued package for tests of the scheduler and the queue.

#include <string>
#include <vector>

#include "api/protocol.h"

namespace swarm::testing {

inline api::Package Pkg(const std::string& name, std::vector<std::string> deps = {},
                        const std::string& phase = api::kPhaseNeeded) {
  api::Package p;
  p.name = name;
  p.dependencies = std::move(deps);
  p.phase = phase;
  return p;
}

}  // namespace swarm::testing
