#pragma once

// Exit codes, and the one line a failed command prints.

#include <ostream>

#include "base/status.h"

namespace swarm::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // the request failed: server, network, input file
inline constexpr int kExitUsage = 2;  // the command line is malformed or names something unknown

// Writes "error: <message>" to `err` and returns `exit_code`.
int Fail(std::ostream& err, const Status& s, int exit_code = kExitError);

}  // namespace swarm::ctl
