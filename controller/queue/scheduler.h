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
  // The most cores any build it runs can use (WidthOf); 0 when idle. Under
  // critical-path a drone runs at most cores / widest builds, so that none
  // of them gets fewer cores than it can use.
  double widest = 0;
  // How long until what it runs now is expected to end (estimates less the
  // time each has run; 0 when idle or overdue).
  Duration busy_for{0};
  // It OOM-killed a build since one of its builds last ended: it starts
  // nothing until one does.
  bool memory_full = false;
  // Relative build speed, higher is faster: its cores times its `speed` label
  // (default 1), so a 32-core drone is twice a 16-core one. A new build is
  // expected to get speed / (running + 1) of the drone, and goes where that
  // share is largest.
  double speed = 0;
};

// Needs of a package learned at run time, beyond spec.queue.requirements.
struct PackageDemand {
  // After an OOM kill on a drone with memory M while k builds ran there: the
  // package needs more than M / k of a drone's memory to itself (a drone
  // with memory R running n builds offers it R / (n + 1)). Alone (k = 1) on
  // the largest drone, no drone can take it.
  int64_t min_memory_bytes_exclusive = 0;
  std::string cause;  // e.g. "OOM on drone-tarn", for Blocked reasons
};

// The scheduling policies (spec.policy.scheduling; docs/operations.md says
// what each does).
enum class Policy { kCriticalPath, kFifo };
Policy PolicyFromSpec(const std::string& scheduling);

// Concurrent builds a drone takes at most.
// critical-path: one per core, as long as each has 2 GiB of the drone's
//   memory (at least one): most of a @world is small builds that use one
//   core, and a drone's cores are shared among what runs on it. Fewer while
//   it runs a wide build (Admits).
// fifo: max(1, cores / 8), the fixed count of the swarm before schedulers.
// Unknown cores (0) give one slot.
int SlotsFor(const DroneCapacity& d, Policy policy);

// How many of drone `d`'s cores package `p` can use: its parallelism (the
// CPU time over the wall time of the build discovery reported) up to the
// drone's cores; unknown, all of them for a build that needs a whole drone
// and one otherwise.
double WidthOf(const api::Package& p, const DroneCapacity& d, bool whole);
// Whether `d` may start one more build of `width` cores under `policy`: a
// free slot, its memory not found full, and under critical-path at most
// cores / (the widest build, this one included) builds at once.
bool Admits(const DroneCapacity& d, double width, Policy policy);

// A build expected to take this long or more is long: under critical-path it
// gets a drone to itself, and so does a critical build (one whose remaining
// critical path is at least kCriticalShare of the longest). Long builds are
// the big parallel ones (compilers, browsers, toolkits) and critical ones
// decide the makespan; sharing their drone stretches them, and with them
// everything that waits for them.
inline constexpr Duration kLongBuild = std::chrono::minutes(10);
inline constexpr double kCriticalShare = 0.8;
bool IsLongBuild(Duration estimate);
// Whether `p`, with this estimate and remaining critical path, gets a drone
// to itself when the longest remaining path is `longest`. Never for a
// package nobody has timed (`timed` false: its estimate is a guess), nor for
// one known to use a single core (sharing does not slow it).
bool NeedsWholeDrone(const api::Package& p, bool timed, Duration estimate, Duration path,
                     Duration longest);

// The estimate of a package nobody has timed.
inline constexpr Duration kDefaultBuildTime = std::chrono::minutes(10);

// How long `p` is expected to take: the last successful build of its cat/pn
// in this swarm (`last_build_ms`), else its discovering drone's emerge.log
// (estimated_ms), else `fallback`.
Duration EstimateOf(const api::Package& p, int64_t last_build_ms, Duration fallback);
// Whether EstimateOf is more than the fallback: the package was timed.
bool Timed(const api::Package& p, int64_t last_build_ms);

// How long `p` (expected to take `estimate`) is expected to run on drone `d`
// beside other builds: its CPU time over the cores it can use there, or,
// its parallelism unknown, `estimate` scaled from `fastest_per_core` (the
// roster's fastest per-core speed) to d's.
Duration DurationAlongside(const api::Package& p, Duration estimate, const DroneCapacity& d,
                           double fastest_per_core);
// How long `p` takes on drone `d` as it runs there: alone when `whole`
// (its CPU time over the cores it can use there), else beside d's other
// `d.running - 1` builds (DurationAlongside); `fastest` is the roster's
// fastest drone's speed. `estimate` itself for a build of unknown width.
Duration DurationOn(const api::Package& p, Duration estimate, const DroneCapacity& d, bool whole,
                    double fastest, double fastest_per_core);

// A package's width is its CPU time over its wall time. One that kept this
// share of the cores it had (estimated_cores) busy could use more: its
// width is unbounded (every core of any drone).
inline constexpr double kSaturatedShare = 0.9;
inline constexpr double kUnboundedWidth = 1e6;

struct SchedulingInput {
  Policy policy = Policy::kCriticalPath;
  WallTime now{};  // how long Building packages have run (from their startedAt)
  bool queue_current = false;
  std::vector<api::Package> packages;                    // queue order
  std::vector<api::Requirement> requirements;            // spec.queue.requirements
  std::vector<DroneCapacity> drones;                     // every roster member that builds
  std::map<std::string, PackageDemand> learned;          // by package name (cat/pkg-ver)
  // Last successful build time by PackageKey (cat/pn); see EstimateOf.
  std::map<std::string, Duration> build_time_estimates;
  Duration default_build_time = kDefaultBuildTime;
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
  // Each input package's priority, in input order: under critical-path its
  // remaining critical path (0 for Complete packages), under fifo 0 for all
  // (queue order). Empty when the queue is not current.
  std::vector<Duration> priority;
  // Drones held for a build that needs a whole drone and will end sooner
  // there than anywhere else: until the next pass they take only builds
  // expected to end within `until`, when that build would start there.
  struct Held {
    std::string drone;
    Duration until{0};
    std::string package;  // the build it is held for
    bool operator==(const Held&) const = default;
  };
  std::vector<Held> held;
  // The longest remaining critical path (the first package's priority).
  Duration longest{0};
  // The CPU time of the Needed and Building packages (Building ones whole)
  // over the eligible drones' capacity: when the work left would end were
  // every core busy. Under critical-path only.
  Duration work_left{0};
  // The fastest per-core speed among the drones (DurationAlongside), and
  // the fastest drone's speed (DurationOn).
  double fastest_per_core = 0;
  double fastest = 0;
};

// Every capacity Blocked reason starts with this; Blocked packages whose
// reason does not (e.g. failed with Package on two drones) are never released
// by the scheduler.
inline constexpr char kNoDroneCanTakeIt[] = "no drone can take it: ";

// True when the package is Blocked by the scheduler for capacity.
bool IsCapacityBlocked(const api::Package& p);

// Whether `drone` can take `p` next to the builds it runs now
// (requirements' memory and cores, a larger memory share than the package's
// learned OOM floor, not in its excludedDrones), whatever its eligibility or
// free slots: the test the pass below applies, for one drone asking for work.
bool PackageFits(const api::Package& p, const std::vector<api::Requirement>& requirements,
                 const DroneCapacity& drone);

// The scheduling pass. Nothing at all while the queue is not current.
//
// A package is ready when it is Needed and every dependency that is in the
// queue is Complete (dependencies outside the queue are ignored; members of a
// dependency cycle are never ready).
//
// critical-path: ready packages go in order of their longest remaining
// critical path (own estimate plus the longest chain of not-Complete
// packages that depend on it), ties in queue order. A build that needs a
// whole drone (NeedsWholeDrone) goes where it is expected to end soonest:
// on an empty drone after its estimate scaled by the drone's speed (against
// the fastest), or on a busy one after that drone's busy_for as well, which
// is then held empty for it. Any other build goes to the eligible drone with
// a free slot that fits it, runs no whole-drone build and is not held, where
// it gets the largest share of speed; ties go to the earlier drone in the
// input.
//
// fifo: ready packages in queue order, each to the first eligible drone in
// the input with a free slot that fits it.
SchedulingDecision Schedule(const SchedulingInput& in);
// The same with the queue given apart (in.packages is ignored), so a caller
// that keeps a large queue does not copy it for every pass.
SchedulingDecision Schedule(const SchedulingInput& in, std::span<const api::Package> packages);

}  // namespace swarm::controller
