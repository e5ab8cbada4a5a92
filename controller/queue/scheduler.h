#pragma once

// Scheduler: which Needed package goes to which drone now. A pure function of
// the queue, the roster's capacity and what earlier builds taught (build
// times, OOMs): no I/O and no clock. The caller extracts DroneCapacity from
// the drones, applies the decision to the store and hands out assignments.
// Thread safety: stateless; safe to call from any thread.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"

namespace swarm::controller {

// Concurrent builds a drone takes: max(1, cores / 8). Every emerge already
// runs MAKEOPTS=-j<cores>, so one build can fill the machine while it
// compiles; a second build per 8 cores keeps big machines busy through the
// long single-threaded stretches (configure, linking, install, the queue's
// many small packages) without doubling peak memory on small ones. Unknown
// cores (0) still give one slot.
int SlotsFor(int cores);

// What the scheduler needs of one drone; the caller derives it.
struct DroneCapacity {
  std::string name;
  // Ready, deployed, tree synced, HEALTHY, not grounded, not cordoned.
  // Ineligible drones get no work but still count for "could ever take it".
  bool eligible = false;
  std::string ineligible_reason;  // e.g. "grounded"; quoted in Blocked reasons
  int cores = 0;                  // labels.cores, else the reported cores
  int64_t memory_bytes = 0;       // labels.memory, else the reported memory; 0 = unknown
  int running = 0;                // assignments it holds now
  // Relative build speed, higher is faster; the caller passes its cores (so a
  // 32-core drone is twice a 16-core one). A new build is expected to get
  // speed / (running + 1) of the drone, and goes where that share is largest.
  double speed = 0;
};

// Needs of a package learned at run time, beyond spec.queue.requirements.
struct PackageDemand {
  int64_t min_memory_bytes_exclusive = 0;  // after an OOM on a drone with M: needs > M
  std::string cause;                       // e.g. "OOM on drone-tarn", for Blocked reasons
};

struct SchedulingInput {
  bool queue_current = false;
  std::vector<api::Package> packages;                    // queue order
  std::vector<api::Requirement> requirements;            // spec.queue.requirements
  std::vector<DroneCapacity> drones;                     // every roster member that builds
  std::map<std::string, PackageDemand> learned;          // by package name (cat/pkg-ver)
  std::map<std::string, Duration> build_time_estimates;  // by PackageKey (cat/pn)
  Duration default_build_time{600000};
};

struct Assignment {
  std::string package;
  std::string drone;
};

struct BlockedPackage {
  std::string package;
  std::string reason;  // starts with kNoDroneCanTakeIt
};

struct SchedulingDecision {
  // New work to hand out now, highest priority first; each drone within its slots.
  std::vector<Assignment> assignments;
  // Packages no drone in the input could ever take (whatever its eligibility
  // or load): Needed ones to become Blocked, and capacity-Blocked ones whose
  // reason is no longer true as written (rewrite it).
  std::vector<BlockedPackage> blocked;
  // Capacity-Blocked packages some drone in the input can now take: back to Needed.
  std::vector<std::string> unblocked;
  // Each input package's remaining critical path (its priority), in input
  // order; 0 for Complete packages. Empty when the queue is not current.
  std::vector<Duration> priority;
};

// Every capacity Blocked reason starts with this; Blocked packages whose
// reason does not (e.g. failed with Package on two drones) are never released
// by the scheduler.
inline constexpr char kNoDroneCanTakeIt[] = "no drone can take it: ";

// True when the package is Blocked by the scheduler for capacity.
bool IsCapacityBlocked(const api::Package& p);

// Whether `drone` could take `p` (requirements' memory and cores, more memory
// than the package's learned OOM floor, not in its excludedDrones), whatever
// the drone's eligibility or load: the test the pass below applies, for one
// drone asking for work.
bool PackageFits(const api::Package& p, const std::vector<api::Requirement>& requirements,
                 const DroneCapacity& drone);

// The scheduling pass. Nothing at all while the queue is not current.
//
// A package is ready when it is Needed and every dependency that is in the
// queue is Complete (dependencies outside the queue are ignored; members of a
// dependency cycle are never ready). Ready packages go in order of their
// longest remaining critical path (own estimate plus the longest chain of
// not-Complete packages that depend on it), ties in queue order, each to the
// eligible drone with a free slot that fits it (requirements' memory and
// cores, more memory than any learned OOM, not in excludedDrones) where it
// gets the largest share of speed; ties go to the earlier drone in the input.
SchedulingDecision Schedule(const SchedulingInput& in);
// The same with the queue given apart (in.packages is ignored), so a caller
// that keeps a large queue does not copy it for every pass.
SchedulingDecision Schedule(const SchedulingInput& in, std::span<const api::Package> packages);

}  // namespace swarm::controller
