#pragma once

// swarm-sim's engine: the real controller (core/SwarmController with its
// store, binhost, reconcilers, scheduler, leases and failure handling) on a
// FakeClock, driven by simulated agents that heartbeat, answer actions, build
// in virtual time and report through the same API types, in process. Only
// the agents and time are simulated (docs/simulator.md states the model).

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
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
  double cpu_seconds = 0;   // work done (CPU-seconds at its labelled speed), wasted work included
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
  // With kill or return faults: the bound on the drones that stay, as if
  // the ones that leave had never been there (a bound the run cannot beat
  // by more than what they built before they left).
  std::optional<LowerBound> lower_bound_remaining;
  int builds = 0;  // builds started
  int failures = 0;
  int ooms = 0;
  int groundings = 0;                  // DroneGrounded events
  int built_twice = 0;                 // packages whose success the controller took twice
  std::map<std::string, int> phases;   // the queue at the end, by phase
  std::vector<DroneStats> drones;
  std::string policy;                  // spec.policy.scheduling the run used
};

// What goes wrong during a run (--fault).
struct Fault {
  enum class Kind {
    kKill,    // the drone vanishes at `at`: no more heartbeats, its builds are lost
    kReturn,  // SIGTERM at `at`: it returns its running builds and stops
    kFlaky,   // `value` (0..1) of its builds fail with DroneResources, halfway
    kSlow,    // it runs `value` times slower than its labels say
  };
  Kind kind = Kind::kKill;
  std::string drone;
  Duration at{0};
  double value = 0;
};
// "kill:DRONE@2h", "return:DRONE@30m", "flaky:DRONE:0.2", "slow:DRONE:3";
// InvalidArgument saying what was expected.
Result<Fault> ParseFault(const std::string& text);

struct SimOptions {
  // The run gives up (finished = false) when virtual time passes this.
  Duration max_virtual_time = std::chrono::hours(24 * 30);
  // Overrides spec.policy.scheduling when not empty.
  std::string policy;
  std::vector<Fault> faults;
  uint64_t seed = 1;  // for flaky drones
  // What the controller knows of each package's build when the queue is
  // discovered, as if the discovering drone had built it alone:
  //   kWallAndCpu: its wall and CPU time, as a swarm knows them from the
  //     builds of its queue before (the results' CPU times);
  //   kWall: its wall time only, as a first queue knows it from the
  //     discovering drone's emerge.log;
  //   kNone: nothing; the controller starts from its default estimate.
  enum class History { kWallAndCpu, kWall, kNone };
  History history = History::kWallAndCpu;
  // When set, one line per build start and end: seconds, drone, event
  // (start, done, failed, lost, returned), package, builds running on the drone after it.
  std::ostream* trace = nullptr;
};

// Runs `workload` on `swarm`'s roster. The Swarm's queue is discovered on
// spec.queue.discoverOn (the first building drone when empty): that agent
// answers discovery with the workload. A fault naming a drone that does not
// build is InvalidArgument. Internal errors of the controller (its store,
// its binhost, in a temporary directory) are returned.
Result<SimResult> Simulate(const api::Swarm& swarm, const Workload& workload,
                           const SimOptions& options = {});

}  // namespace swarm::sim
