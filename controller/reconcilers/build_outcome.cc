#include "controller/reconcilers/build_outcome.h"

#include <algorithm>

#include "api/quantity.h"
#include "base/strings.h"

namespace swarm::controller::reconcilers {
namespace {

// Leaves the Building phase: no drone holds it any more.
void EndAssignment(api::Package& p) {
  p.assignment.clear();
  p.started_at.reset();
}

}  // namespace

void AddUnique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

api::Package Requeue(const api::Package& p, const std::optional<api::PackageFailure>& failure) {
  api::Package out = p;
  EndAssignment(out);
  out.phase = api::kPhaseNeeded;
  out.drone.clear();
  out.reason.clear();
  if (failure) out.last_failure = failure;
  return out;
}

int CoresAtEnd(const DroneAtEnd& at_end) {
  if (at_end.cores <= 0) return 0;
  return std::max(1, at_end.cores / std::max(1, at_end.builds));
}

BuildVerdict ApplyBuildResult(const api::Package& p, const api::BuildResult& r,
                              const std::string& drone, const DroneAtEnd& at_end,
                              const std::optional<api::BinaryPackageRef>& binpkg, WallTime now,
                              int systemic_reporters) {
  BuildVerdict v;
  v.package = p;
  api::Package& out = v.package;
  EndAssignment(out);
  const std::string took = api::FormatDuration(Duration(r.duration_ms));

  if (r.outcome == api::kBuildSucceeded) {
    out.phase = api::kPhaseComplete;
    out.drone = drone;
    out.reason.clear();
    out.binpkg = binpkg;
    out.index_entry = r.index_entry;
    out.build_ms = r.duration_ms;
    out.build_cpu_ms = r.cpu_ms;
    out.build_cores = CoresAtEnd(at_end);
    out.completed_at = now;
    v.drone_cleared = true;
    v.event_reason = "BuildSucceeded";
    v.event_message = p.name + " built on " + drone + " in " + took + "; published " +
                      (binpkg ? binpkg->path + " (" + std::to_string(binpkg->size) + " bytes)"
                              : std::string("nothing"));
    return v;
  }

  if (r.outcome == api::kBuildReturned) {
    out = Requeue(out, std::nullopt);
    AddUnique(out.excluded_drones, drone);
    v.event_reason = "BuildReturned";
    v.event_message = drone + " returned " + p.name + ": " +
                      (r.message.empty() ? std::string("no reason given") : r.message) +
                      "; it goes to another drone";
    return v;
  }

  // Failed.
  std::string what = r.failure_class;
  if (!r.phase.empty()) what += " (" + r.phase + " phase)";
  const std::string message = r.message.empty() ? "emerge failed" : r.message;
  out = Requeue(out, api::PackageFailure{r.failure_class, message, drone});
  v.event_reason = "BuildFailed";
  if (r.failure_class == api::kFailureSystemic && systemic_reporters >= kSystemicReportersToRaise) {
    // The tree or the queue is wrong, not this drone: nobody is excluded, the
    // package waits for the re-sync and rediscovery the fault sets off.
    v.systemic = true;
    v.event_message = p.name + " failed on " + drone + " with " + what + ": " + message + "; " +
                      std::to_string(systemic_reporters) +
                      " drones reported Systemic failures within 10m: this is the swarm's "
                      "fault, not the drone's";
    return v;
  }
  if (r.failure_class == api::kFailureSystemic) {
    // Its word alone: maybe its own tree is broken, maybe it lies. Another
    // drone tries the package, and says whether it is the swarm's.
    AddUnique(out.excluded_drones, drone);
    v.drone_blamed = true;
    v.event_message = p.name + " failed on " + drone + " with " + what + ": " + message +
                      "; no other drone reported a Systemic failure within 10m, so it counts "
                      "as " +
                      drone + "'s own; it goes to another drone";
    return v;
  }
  const bool oom = r.failure_class == api::kFailureDroneResources && r.oom_killed &&
                   at_end.memory_bytes > 0;
  const int builds = std::max(at_end.builds, 1);
  if (!oom || builds == 1) AddUnique(out.excluded_drones, drone);
  if (r.failure_class == api::kFailureDroneResources) {
    // Killed among others, the lesson is the package's share, not the drone.
    v.drone_blamed = !oom || builds == 1;
    if (!oom) {
      v.event_message = p.name + " failed on " + drone + " with " + what + ": " + message +
                        "; it goes to another drone";
      return v;
    }
    int64_t share = at_end.memory_bytes / builds;
    if (at_end.largest_memory > 0) {
      // What no drone has cannot be learned: a floor past the largest drone
      // would still read as "no drone can take it" after one grew to it.
      share = std::min(share, at_end.largest_memory);
      out.needs_memory_over = std::min(out.needs_memory_over, at_end.largest_memory);
    }
    if (share >= out.needs_memory_over) {
      out.needs_memory_over = share;
      out.needs_memory_cause = "OOM on " + drone + " (" + api::FormatMemory(at_end.memory_bytes) +
                               (builds > 1 ? " shared by " + std::to_string(builds) + " builds"
                                           : std::string()) +
                               ")";
    }
    v.event_message = p.name + " failed on " + drone + " with " + what + ": " + message +
                      "; it now needs more than " + api::FormatMemory(out.needs_memory_over) +
                      " of a drone's memory to itself";
    if (at_end.largest_memory > 0 && out.needs_memory_over >= at_end.largest_memory) {
      v.event_message += ", more than any drone has: no drone can take it until a bigger one joins";
    }
    return v;
  }
  if (r.failure_class == api::kFailurePackage) {
    AddUnique(out.package_failure_drones, drone);
    if (static_cast<int>(out.package_failure_drones.size()) >= kPackageFailureDronesToBlock) {
      out.phase = api::kPhaseBlocked;
      out.reason = kFailedOnDrones + Join(out.package_failure_drones, " and ") + " (last: " +
                   message + "); fix the package or its USE flags, then swarmctl fresh";
      v.event_reason = "PackageBlocked";
      v.event_message = p.name + " " + out.reason;
      return v;
    }
  }
  v.event_message =
      p.name + " failed on " + drone + " with " + what + ": " + message + "; it goes to another drone";
  return v;
}

}  // namespace swarm::controller::reconcilers
