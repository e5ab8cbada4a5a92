#pragma once

// Small file and string helpers shared by the agent's config and probes
// (the durable writes live in base/file_util.h).

#include <string>
#include <string_view>

#include "base/file_util.h"
#include "base/status.h"

namespace swarm::agent {

// The whole content of a regular file. NotFound when it does not exist;
// Unavailable when it exists but cannot be read (permissions, a directory).
// Messages name the path.
Result<std::string> ReadWholeFile(const std::string& path);

using ::swarm::MakeDirs;
using ::swarm::WriteFileAtomically;

// `s` without leading and trailing whitespace.
std::string Trim(std::string_view s);

}  // namespace swarm::agent
