#pragma once

// Reads portage's emerge.log (/var/log/emerge.log): when each merge started
// and completed, the build times `qlop` and `genlop` report.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/protocol.h"

namespace swarm::agent {

struct LoggedMerge {
  std::string cpv;       // cat/pkg-ver
  int64_t started = 0;   // Unix seconds
  int64_t seconds = 0;   // from ">>> emerge" to "::: completed emerge"
  bool binary = false;   // installed from a binary package, not compiled
};

// The completed merges in `log`, in the order they completed. portage writes
// "<unix time>:  >>> emerge (i of n) cat/pkg-ver to /" when a merge starts
// and "<unix time>:  ::: completed emerge (i of n) cat/pkg-ver to /" when it
// ends; with --jobs merges interleave, so an end goes with the latest open
// start of the same package. Starts that never completed (failed or
// interrupted merges) and lines of any other form are skipped: a log is
// read as it is, never refused. A merge is `binary` when portage logged
// "=== (i of n) Merging Binary (cat/pkg-ver::path)" while it ran (a compile
// logs "Compiling/Merging" instead).
std::vector<LoggedMerge> ParseEmergeLog(std::string_view log);

// How long packages took to compile on the machine whose emerge.log this is:
// the latest compiled merge of each cat/pkg-ver and of each cat/pn. Binary
// installs say nothing about build time and are left out, and so are merges
// longer than api::kMaxBuildMs (a clock that jumped).
class BuildTimes {
 public:
  explicit BuildTimes(std::string_view emerge_log);
  // Seconds for `cpv`: its own latest compile, else that of another version
  // of its cat/pn (`*other_version` set true), else nullopt.
  std::optional<int64_t> For(const std::string& cpv, bool* other_version = nullptr) const;
  bool empty() const { return by_cpv_.empty(); }

 private:
  std::map<std::string, int64_t> by_cpv_, by_key_;
};

// Sets `estimated_ms` of each of `packages` that the emerge.log at `path`
// has a compile time for (BuildTimes::For); returns how many. A log that
// cannot be read sets none (logged at debug level: a drone need not keep
// one). `estimated_cpu_ms` stays unknown: emerge.log holds wall times only.
int EstimateFromEmergeLog(const std::string& path, std::vector<api::DiscoveredPackage>& packages);

}  // namespace swarm::agent
