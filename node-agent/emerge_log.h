#pragma once

// Reads portage's emerge.log (/var/log/emerge.log): when each merge started
// and completed, the build times `qlop` and `genlop` report.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace swarm::agent {

struct LoggedMerge {
  std::string cpv;       // cat/pkg-ver
  int64_t started = 0;   // Unix seconds
  int64_t seconds = 0;   // from ">>> emerge" to "::: completed emerge"
};

// The completed merges in `log`, in the order they completed. portage writes
// "<unix time>:  >>> emerge (i of n) cat/pkg-ver to /" when a merge starts
// and "<unix time>:  ::: completed emerge (i of n) cat/pkg-ver to /" when it
// ends; with --jobs merges interleave, so an end goes with the latest open
// start of the same package. Starts that never completed (failed or
// interrupted merges) and lines of any other form are skipped: a log is
// read as it is, never refused.
std::vector<LoggedMerge> ParseEmergeLog(std::string_view log);

}  // namespace swarm::agent
