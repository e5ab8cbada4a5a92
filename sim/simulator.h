#pragma once

// swarm-sim's engine: the real controller (core/SwarmController with its
// store, binhost, reconcilers, scheduler, leases and failure handling) on a
// FakeClock, driven by simulated agents that heartbeat, answer actions, build
// in virtual time and report through the same API types, in process. Only
// the agents and time are simulated (docs/simulator.md states the model).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"
#include "sim/workload.h"

namespace swarm::sim {

// A roster member as the simulation sees it: from its labels.
struct SimDroneSpec {
  std::string name;
  int cores = 1;
  int64_t memory_bytes = 0;  // 0: not limited
  double speed = 1;          // relative per-core speed
  bool builds = true;        // false: the discoverer alone (it heartbeats, never builds)
};

// The drones of `swarm` that build, from their `cores`, `memory` and `speed`
// labels, and spec.queue.discoverOn when it does not build. InvalidArgument
// for what cannot be simulated, naming the drone and label: a building drone
// without `cores`, a label that does not parse, a speed outside 0.01..1000,
// a roster with no building drone, spec.queue.packages (list them in the
// workload instead).
Result<std::vector<SimDroneSpec>> SimDrones(const api::Swarm& swarm);

// The least time any schedule could take on these drones.
struct LowerBound {
  double critical_path_seconds = 0;  // the longest chain of dependencies, each at its best drone
  double work_bound_seconds = 0;     // total CPU-seconds / total capacity (cores x speed)
  double seconds() const { return std::max(critical_path_seconds, work_bound_seconds); }
};
LowerBound ComputeLowerBound(const Workload& w, const std::vector<SimDroneSpec>& drones);

struct DroneStats {
  std::string name;
  double busy_seconds = 0;  // with at least one build running
  double idle_seconds = 0;  // makespan - busy
  int builds = 0;           // builds started on it
  int failures = 0;         // builds that failed on it (OOM kills included)
  int ooms = 0;
};

struct SimResult {
  // Every package Complete, Failed or Blocked, or waiting on one that is.
  bool finished = false;
  std::string unfinished_why;
  double makespan_seconds = 0;  // from the first heartbeat to the last build's end so far
  LowerBound lower_bound;
  int builds = 0;  // builds started
  int failures = 0;
  int ooms = 0;
  int groundings = 0;                  // DroneGrounded events
  std::map<std::string, int> phases;   // the queue at the end, by phase
  std::vector<DroneStats> drones;
};

struct SimOptions {
  // The run gives up (finished = false) when virtual time passes this.
  Duration max_virtual_time = std::chrono::hours(24 * 30);
};

// Runs `workload` on `swarm`'s roster. The Swarm's queue is discovered on
// spec.queue.discoverOn (the first building drone when empty): that agent
// answers discovery with the workload. Internal errors of the controller
// (its store, its binhost, in a temporary directory) are returned.
Result<SimResult> Simulate(const api::Swarm& swarm, const Workload& workload,
                           const SimOptions& options = {});

}  // namespace swarm::sim
