#pragma once

// Small file and string helpers shared by the agent's config and probes.

#include <string>
#include <string_view>

#include "base/status.h"

namespace swarm::agent {

// The whole content of a regular file. NotFound when it does not exist;
// Unavailable when it exists but cannot be read (permissions, a directory).
// Messages name the path.
Result<std::string> ReadWholeFile(const std::string& path);

// `s` without leading and trailing whitespace.
std::string Trim(std::string_view s);

}  // namespace swarm::agent
