#pragma once

// What one ended build means for its package and its drone, as a pure
// function: the package's next phase, whether the drone is to blame (toward
// grounding), whether the swarm as a whole is (a systemic fault). The
// controller applies the verdict; the rules are here so they are tested in a
// table (docs/api.md, "POST /api/v1/drones/<name>/builds/<assignment>").

#include <cstdint>
#include <string>

#include "api/protocol.h"
#include "base/clock.h"

namespace swarm::controller::reconcilers {

// Distinct drones a package may fail on with class Package before it is
// Blocked: one could be the drone, two are the package.
inline constexpr int kPackageFailureDronesToBlock = 2;

// Distinct drones that must report a Systemic failure within the
// failing-alike window before the swarm is at fault: one drone's word alone
// would let whoever holds its agent token stop every build. Until a second
// one does, a Systemic report counts against its drone like its own failure.
inline constexpr int kSystemicReportersToRaise = 2;

// Reason prefix of a package Blocked by Package failures; never released by
// the scheduler (only `swarmctl fresh` or a new queue clears it).
inline constexpr char kFailedOnDrones[] = "failed to build on ";

struct BuildVerdict {
  api::Package package;        // the package after the build ended
  // A DroneResources failure, a crash, or a Systemic failure only this
  // drone reports: counts toward grounding.
  bool drone_blamed = false;
  bool drone_cleared = false;  // a success: resets the drone's failure count
  // A Systemic failure a second drone reported too: raise SystemicFault,
  // ground nobody.
  bool systemic = false;
  std::string event_reason;    // BuildSucceeded, BuildFailed, BuildReturned, PackageBlocked
  std::string event_message;   // for a person: what happened and what follows
};

// The drone a build ended on, as an OOM kill is judged.
struct DroneAtEnd {
  int64_t memory_bytes = 0;  // reported, capped by its label; 0 unknown
  int builds = 1;            // builds it held when this one ended, this one included
  int cores = 0;             // reported, capped by its label; 0 unknown
  // The most memory any drone that builds has (counted the same way), as
  // the last swarm pass saw it; 0 unknown. No floor is learned above it.
  int64_t largest_memory = 0;
};

// The cores a build had as it ended: the drone's cores over the builds it
// held then (at least 1); 0 when the drone's cores are unknown.
int CoresAtEnd(const DroneAtEnd& at_end);

// Applies an accepted (fenced, checked) build end of `drone` to `p`, which is
// Building on it. After an OOM kill the package learns a memory floor: its
// share of the drone, memory / builds, never above the largest drone's
// memory (at that floor no drone fits, and the scheduler Blocks the package
// until a bigger one joins). Killed alone, the drone is excluded
// (it will never have more); killed among others, the drone may take it
// again with fewer beside it, and neither it nor the co-located builds are
// blamed (the failure does not count toward grounding).
// A success needs `binpkg`, the published package (the caller publishes
// first); its time, CPU time and cores (CoresAtEnd) become the package's.
// A Systemic failure is the swarm's when `systemic_reporters` (the distinct
// drones, this one included, that reported one within the failing-alike
// window) reaches kSystemicReportersToRaise; else it is this drone's own,
// and the package goes to another drone.
BuildVerdict ApplyBuildResult(const api::Package& p, const api::BuildResult& r,
                              const std::string& drone, const DroneAtEnd& at_end,
                              const std::optional<api::BinaryPackageRef>& binpkg, WallTime now,
                              int systemic_reporters = 0);

// The package goes back to Needed without blaming or excluding anyone: the
// assignment was taken back (drone unreachable, drained, upload refused, a
// stale id reclaimed). `failure` is recorded as lastFailure when given.
api::Package Requeue(const api::Package& p, const std::optional<api::PackageFailure>& failure);

// Adds `name` to `list` unless it is there already.
void AddUnique(std::vector<std::string>& list, const std::string& name);

}  // namespace swarm::controller::reconcilers
