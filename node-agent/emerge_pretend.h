#pragma once

// Reads what `emerge --pretend --tree --color=n --nospinner ...` prints and
// turns it into the build queue: one entry per package to build, with its
// in-queue dependencies taken from the --tree indentation.

#include <string>
#include <string_view>
#include <vector>

#include "api/protocol.h"
#include "base/status.h"

namespace swarm::agent {

// Parses emerge's pretend output. `[ebuild ...]` lines are builds; with
// --tree, a line indented deeper than the line above it is a dependency of
// it. `[nomerge ...]` lines are tree structure only (their children still
// hang under the nearest build above them); `[blocks ...]`, `[binary ...]`,
// `[uninstall ...]`, headers and the `Total:` line are not builds. Returns the
// packages in emerge's merge order (dependencies first); a chain of
// dependencies of any depth is read without recursion, in time near linear
// in the output's size. InvalidArgument, naming the line, when the output
// holds no recognisable merge list or a bracketed line cannot be read.
Result<std::vector<api::DiscoveredPackage>> ParseEmergePretend(std::string_view output);

}  // namespace swarm::agent
