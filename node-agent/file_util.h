#pragma once

// Small file and string helpers shared by the agent's config and probes
// (the durable writes live in base/file_util.h).

#include <string>
#include <string_view>

#include "base/file_util.h"
#include "base/status.h"
#include "base/strings.h"

namespace swarm::agent {

// The whole content of a regular file. NotFound when it does not exist;
// Unavailable when it exists but cannot be read (permissions, a directory).
// Messages name the path.
Result<std::string> ReadWholeFile(const std::string& path);

using ::swarm::MakeDirs;
using ::swarm::WriteFileAtomically;

using ::swarm::Trim;

}  // namespace swarm::agent
