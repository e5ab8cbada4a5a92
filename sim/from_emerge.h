#pragma once

// A workload from what a Gentoo machine already has: the merge list of
// `emerge --pretend --tree` (packages and their dependencies, in merge
// order) and its emerge.log (how long each package took there), so that a
// user can simulate their own @world (docs/simulator.md, "Your own @world").

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sim/workload.h"

namespace swarm::sim {

struct FromEmergeOptions {
  // Cores of the machine whose emerge.log is read: a build that took at
  // least `parallel_after_seconds` there is taken to have used all of them
  // (cpuSeconds = seconds x cores) and to use up to `parallelism` cores on
  // a bigger drone; a shorter one, one core (cpuSeconds = seconds).
  // emerge.log holds wall times only.
  int cores = 1;
  double parallel_after_seconds = 600;
  int parallelism = 32;
  // For a package the log never completed (nor another version of it).
  double unknown_seconds = 60;
};

struct FromEmergeResult {
  Workload workload;
  std::vector<std::string> untimed;  // packages timed at unknown_seconds
  int timed_by_other_version = 0;    // timed by another version of the same cat/pn
};

// InvalidArgument when the pretend output holds no merge list (the parser's
// message, naming the line) or cores is not 1 to 4096.
Result<FromEmergeResult> WorkloadFromEmerge(std::string_view pretend, std::string_view emerge_log,
                                            const FromEmergeOptions& options);

}  // namespace swarm::sim
