#include "sim/from_emerge.h"

#include <algorithm>

#include "node-agent/emerge_log.h"
#include "node-agent/emerge_pretend.h"

namespace swarm::sim {

Result<FromEmergeResult> WorkloadFromEmerge(std::string_view pretend, std::string_view emerge_log,
                                            const FromEmergeOptions& options) {
  if (options.cores < 1 || options.cores > 4096) {
    return InvalidArgument("--cores " + std::to_string(options.cores) +
                           ": the cores of the machine the emerge.log is from, 1 to 4096");
  }
  if (options.parallelism < 1 || options.parallelism > 4096) {
    return InvalidArgument("--parallelism " + std::to_string(options.parallelism) +
                           ": the most cores a long build uses, 1 to 4096");
  }
  auto merges = agent::ParseEmergePretend(pretend);
  if (!merges.ok()) return InvalidArgument("--pretend: " + merges.status().message());
  const agent::BuildTimes times(emerge_log);
  FromEmergeResult out;
  for (const auto& p : *merges) {
    double seconds = options.unknown_seconds;
    bool other_version = false;
    if (auto t = times.For(p.name, &other_version)) {
      seconds = static_cast<double>(*t);
      if (other_version) ++out.timed_by_other_version;
    } else {
      out.untimed.push_back(p.name);
    }
    WorkPackage w;
    w.name = p.name;
    w.deps = p.dependencies;
    const bool parallel = seconds >= options.parallel_after_seconds;
    w.parallelism = parallel ? std::max(options.parallelism, options.cores) : 1;
    w.cpu_seconds = parallel ? seconds * options.cores : seconds;
    out.workload.packages.push_back(std::move(w));
  }
  return out;
}

}  // namespace swarm::sim
