#pragma once

// `swarmctl completion bash|zsh`: a shell completion script. Verbs, resource
// types, flags and their values complete from the script itself; drone and
// package names from the controller (`swarmctl get ... -o name`, with the
// connection flags of the line being completed).

#include <ostream>
#include <string>

namespace swarm::ctl {

// Writes the script for `shell`; kExitUsage after one "error: " line on
// `err` for a shell it has none for.
int RunCompletion(const std::string& shell, std::ostream& out, std::ostream& err);

}  // namespace swarm::ctl
