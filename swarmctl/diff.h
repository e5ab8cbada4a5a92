#pragma once

// `swarmctl diff -f FILE...`: what `apply` would change, as `kubectl diff`.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/api_client.h"

namespace swarm::ctl {

// kubectl diff's exit codes: 0 no change, 1 changes, more than 1 an error.
inline constexpr int kExitDiffChanges = 1;
inline constexpr int kExitDiffError = 2;

struct DiffArgs {
  std::vector<std::string> files;  // "-" reads `in`
};

// For each Swarm of the files: the one stored now ("live", empty before the
// first apply) against what the controller would store (a server dry run,
// "merged", with the server's defaults), both as YAML of apiVersion, kind,
// metadata (name, generation, annotations) and spec, as a unified diff.
// Prints nothing for a Swarm that would not change. Returns 0, 1 or 2 (after
// one "error: " line on `err`).
int RunDiff(const DiffArgs& args, ApiTransport& api, std::istream& in, std::ostream& out,
            std::ostream& err);

// The part of a Swarm (as the API gives it) that an apply changes, as YAML.
std::string ComparableYaml(const Json& swarm);

}  // namespace swarm::ctl
