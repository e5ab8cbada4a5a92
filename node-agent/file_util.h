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

// Replaces the file at `path` with `content` so that a reader, or a crash at
// any moment, sees either the old file or the whole new one: a temporary file
// beside it is written, fsync'ed and renamed over it, then the directory is
// fsync'ed. Unavailable (naming the path) when any step fails; the old file is
// then unchanged and no temporary file is left.
Status WriteFileAtomically(const std::string& path, std::string_view content);

// Creates `path` and its missing parents. Unavailable (naming it) on failure.
Status MakeDirs(const std::string& path);

// `s` without leading and trailing whitespace.
std::string Trim(std::string_view s);

}  // namespace swarm::agent
