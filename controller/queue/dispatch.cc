// SwarmController's build dispatch: the one commit path of a decision's
// writes (CommitLocked, which also keeps the queue's indexes and the binhost
// index in step), a drone's next builds from the ready set, the scheduler's
// swarm-wide decisions as fenced assignments, lease renewal from heartbeats,
// reclaiming the work of drones that vanish or left the roster, and
// withdrawing a stale queue's builds. Build results, grounding and the
// operator verbs are in swarm_builds.cc.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/quantity.h"
#include "controller/binhost/binhost.h"
#include "controller/core/events.h"
#include "controller/reconcilers/build_outcome.h"
#include "controller/reconcilers/queue.h"
#include "controller/queue/scheduler.h"
#include "controller/core/swarm_controller.h"

namespace swarm::controller {
namespace {

// Why a roster member takes no new work now, or "" when it may.
std::string IneligibleReason(const api::DroneStatus& s) {
  if (!api::IsConditionTrue(s.conditions, api::condition::kReady)) return "not Ready";
  if (!api::IsConditionTrue(s.conditions, api::condition::kDeployed)) return "not deployed";
  if (!api::IsConditionTrue(s.conditions, api::condition::kTreeSynced)) return "tree not synced";
  if (reconcilers::IsGrounded(s)) return "grounded";
  if (s.cordoned) return "cordoned";
  if (s.health != "HEALTHY") return s.health.empty() ? "health unknown" : "health " + s.health;
  return "";
}

}  // namespace

api::DroneStatus& SwarmController::Changes::Drone(
    const std::map<std::string, api::DroneStatus>& current, const std::string& name) {
  auto it = drones.find(name);
  if (it != drones.end()) return it->second;
  auto cur = current.find(name);
  return drones[name] = cur != current.end() ? cur->second : api::DroneStatus{};
}

api::Package& SwarmController::Changes::Package(const PackageQueue& current, size_t index) {
  const api::Package& p = current[index];
  auto it = packages.find(p.name);
  if (it != packages.end()) return it->second;
  return packages[p.name] = p;
}

void SwarmController::Changes::Event(const std::string& kind, const std::string& name,
                                     const std::string& type, const std::string& reason,
                                     std::string message) {
  api::Event e;
  e.object_kind = kind;
  e.object_name = name;
  e.type = type;
  e.reason = reason;
  e.message = std::move(message);
  events.push_back(std::move(e));
}

Status SwarmController::CommitLocked(Changes c) {
  if (c.packages.empty() && c.drones.empty() && c.removed_drones.empty() && !c.swarm &&
      c.events.empty()) {
    return Status::Ok();
  }
  if (c.swarm) ++c.swarm->metadata.resource_version;
  Status st = store_->Transaction([&]() -> Status {
    for (const auto& e : c.events) {
      if (Status s = RecordEventLocked(e.object_kind, e.object_name, e.type, e.reason, e.message);
          !s.ok()) {
        return s;
      }
    }
    for (const auto& [name, p] : c.packages) {
      if (Status s = store_->PutPackage(p); !s.ok()) return s;
    }
    for (const auto& name : c.removed_drones) {
      if (Status s = store_->DeleteDrone(name); !s.ok()) return s;
    }
    for (const auto& [name, s] : c.drones) {
      if (Status e = store_->PutDroneStatus(name, s); !e.ok()) return e;
    }
    if (c.swarm) return PutSwarmLocked(*c.swarm);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (auto& [name, next] : c.packages) {
    auto i = packages_.IndexOf(name);
    if (!i) continue;
    const api::Package& p = packages_[*i];
    // An assignment that ended leaves nothing staged behind (a success's
    // upload was moved out of staging by Publish already).
    if (!p.assignment.empty() && p.assignment != next.assignment) {
      unheld_builds_.erase(p.assignment);
      if (outputs_.binhost != nullptr) {
        if (Status d = outputs_.binhost->Discard(p.assignment); !d.ok()) {
          spdlog::warn("discarding the staged upload of {}: {}", p.assignment, d.ToString());
        }
      }
    }
    // What the binhost lists follows what is published.
    const bool was_listed = p.phase == api::kPhaseComplete && p.binpkg.has_value();
    const bool listed = next.phase == api::kPhaseComplete && next.binpkg.has_value();
    if (index_writer_ && listed &&
        (!was_listed || p.binpkg != next.binpkg || p.index_entry != next.index_entry)) {
      index_writer_->Put({next.name, next.binpkg->path, next.index_entry});
    } else if (index_writer_ && was_listed && !listed) {
      index_writer_->Remove(next.name);
    }
    packages_.Set(*i, std::move(next));
  }
  for (const auto& name : c.removed_drones) statuses_.erase(name);
  for (auto& [name, s] : c.drones) statuses_[name] = std::move(s);
  if (c.swarm) AdoptSwarmLocked(std::move(*c.swarm));
  return Status::Ok();
}

bool SwarmController::SystemicFaultLocked() const {
  return swarm_ && api::IsConditionTrue(swarm_->status.conditions, api::condition::kSystemicFault);
}

int64_t SwarmController::DroneMemoryLocked(const std::string& name) const {
  const api::DroneSpec* member = RosterMemberLocked(name);
  if (member != nullptr) {
    auto it = member->labels.find(api::kLabelMemory);
    if (it != member->labels.end()) {
      auto parsed = api::ParseMemory(it->second);
      if (parsed.ok()) return *parsed;
    }
  }
  auto st = statuses_.find(name);
  return st == statuses_.end() ? 0 : st->second.resources.memory_bytes;
}

DroneCapacity SwarmController::CapacityLocked(const api::DroneSpec& member) const {
  static const api::DroneStatus kNoStatus;
  auto it = statuses_.find(member.name);
  const api::DroneStatus& s = it != statuses_.end() ? it->second : kNoStatus;
  DroneCapacity d;
  d.name = member.name;
  d.ineligible_reason = IneligibleReason(s);
  d.eligible = d.ineligible_reason.empty();
  d.cores = s.resources.cores;
  auto cores = member.labels.find(api::kLabelCores);
  if (cores != member.labels.end()) d.cores = std::atoi(cores->second.c_str());
  d.memory_bytes = DroneMemoryLocked(member.name);
  d.running = static_cast<int>(packages_.BuildingOn(member.name).size());
  d.speed = std::max(d.cores, 1);
  // One build decides a probation: nothing more while it runs.
  if (reconcilers::OnProbation(s) && d.running > 0) {
    d.eligible = false;
    d.ineligible_reason = "on probation, its probation build runs";
  }
  return d;
}

void SwarmController::AssignLocked(size_t index, const std::string& drone, bool probation,
                                   Changes& changes) {
  api::Package& p = changes.Package(packages_, index);
  p.phase = api::kPhaseBuilding;
  p.drone = drone;
  ++p.attempts;
  p.assignment = action_prefix_ + "-b" + std::to_string(++next_assignment_);
  p.started_at = clock_->Now();
  p.reason.clear();
  changes.Event("Package", p.name, events::kNormal, events::kBuildAssigned,
                "assigned to " + drone + " (attempt " + std::to_string(p.attempts) +
                    ", assignment " + p.assignment + ")" +
                    (probation ? "; its probation build" : ""));
}

Status SwarmController::DispatchToDroneLocked(const std::string& name) {
  if (!dispatch_open_ || SystemicFaultLocked() || remediation_pending_ ||
      packages_.ReadyCount() == 0) {
    return Status::Ok();
  }
  const api::DroneSpec* member = RosterMemberLocked(name);
  if (member == nullptr || !api::HasRole(*member, api::kRoleBuild)) return Status::Ok();
  const DroneCapacity d = CapacityLocked(*member);
  if (!d.eligible) return Status::Ok();
  const bool probation = reconcilers::OnProbation(statuses_[name]);
  int free = probation ? 1 - d.running : SlotsFor(d.cores) - d.running;
  if (free <= 0) return Status::Ok();
  // Highest priority first. The look is bounded: what this drone cannot take
  // is left to the swarm pass, which sees every drone.
  constexpr int kMaxLook = 64;
  int looked = 0;
  std::vector<size_t> picked;
  packages_.ForEachReady([&](size_t i) {
    if (PackageFits(packages_[i], swarm_->spec.queue.requirements, d)) {
      picked.push_back(i);
      --free;
    }
    return free > 0 && ++looked < kMaxLook;
  });
  if (picked.empty()) return Status::Ok();
  Changes changes;
  for (size_t i : picked) AssignLocked(i, name, probation, changes);
  spdlog::info("dispatch: {} new assignment(s) to {}", picked.size(), name);
  return CommitLocked(std::move(changes));
}

Status SwarmController::DispatchLocked() {
  if (!swarm_) return Status::Ok();
  const api::SwarmSpec& spec = swarm_->spec;
  SchedulingInput in;
  in.queue_current = dispatch_open_;
  in.requirements = spec.queue.requirements;
  std::set<std::string> probation;
  for (const auto& member : spec.drones) {
    if (!api::HasRole(member, api::kRoleBuild)) continue;
    if (reconcilers::OnProbation(statuses_[member.name])) probation.insert(member.name);
    in.drones.push_back(CapacityLocked(member));
  }
  for (const auto& p : packages_) {
    if (p.needs_memory_over > 0) {
      in.learned[p.name] = {p.needs_memory_over, p.needs_memory_cause};
    }
    if (p.phase == api::kPhaseComplete && p.build_ms > 0) {
      in.build_time_estimates[PackageKey(p.name)] = Duration(p.build_ms);
    }
  }
  SchedulingDecision decision = Schedule(in, packages_.packages());
  // The ready set follows the critical path as it is now.
  if (!decision.priority.empty()) packages_.SetPriorities(decision.priority);

  Changes changes;
  std::set<std::string> probation_given;
  for (const auto& a : decision.assignments) {
    auto i = packages_.IndexOf(a.package);
    if (!i) continue;
    if (probation.count(a.drone) && !probation_given.insert(a.drone).second) continue;
    AssignLocked(*i, a.drone, probation.count(a.drone) > 0, changes);
  }
  for (const auto& b : decision.blocked) {
    auto i = packages_.IndexOf(b.package);
    if (!i) continue;
    api::Package& p = changes.Package(packages_, *i);
    if (p.phase == api::kPhaseBlocked && p.reason == b.reason) continue;
    const bool newly = p.phase != api::kPhaseBlocked;
    p.phase = api::kPhaseBlocked;
    p.reason = b.reason;
    if (newly) {
      changes.Event("Package", p.name, events::kWarning, events::kPackageBlocked, b.reason);
    }
  }
  for (const auto& name : decision.unblocked) {
    auto i = packages_.IndexOf(name);
    if (!i) continue;
    api::Package& p = changes.Package(packages_, *i);
    changes.Event("Package", p.name, events::kNormal, events::kPackageUnblocked,
                  "a drone that can take it is in the swarm now (was: " + p.reason + ")");
    p.phase = api::kPhaseNeeded;
    p.reason.clear();
  }
  // Blocked entries the scheduler rewrote to the same text change nothing.
  for (auto it = changes.packages.begin(); it != changes.packages.end();) {
    if (packages_[*packages_.IndexOf(it->first)] == it->second) {
      it = changes.packages.erase(it);
    } else {
      ++it;
    }
  }
  if (!decision.assignments.empty()) {
    spdlog::info("dispatch: {} new assignment(s)", decision.assignments.size());
  }
  return CommitLocked(std::move(changes));
}

std::vector<api::BuildAssignment> SwarmController::AssignmentsForLocked(
    const std::string& name) const {
  std::vector<api::BuildAssignment> out;
  for (size_t i : packages_.BuildingOn(name)) {
    const api::Package& p = packages_[i];
    if (p.assignment.empty()) continue;
    out.push_back({p.assignment, p.name, p.attempts, packages_.LastBuildMs(PackageKey(p.name)),
                   p.tree_revision});
  }
  return out;
}

std::optional<size_t> SwarmController::FindAssignmentLocked(const std::string& name,
                                                            const std::string& assignment) const {
  return packages_.FindAssignment(name, assignment);
}

Result<std::string> SwarmController::CurrentAssignment(const std::string& name,
                                                       const std::string& assignment) {
  std::lock_guard<std::mutex> l(mu_);
  if (!RosterMemberLocked(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  auto i = FindAssignmentLocked(name, assignment);
  if (!i) {
    return Conflict("assignment " + assignment + " is not current on drone " + name +
                    ": the package was taken back or given to another drone; stop it");
  }
  return packages_[*i].name;
}

Status SwarmController::RenewBuildLeasesLocked(const std::string& name,
                                               const api::DroneReport& report) {
  const std::set<size_t>& building = packages_.BuildingOn(name);
  if (building.empty()) return Status::Ok();
  std::set<std::string> held;
  for (const auto& b : report.builds) held.insert(b.assignment);
  Changes changes;
  int lost = 0;
  for (size_t i : building) {
    const api::Package& p = packages_[i];
    int& unheld = unheld_builds_[p.assignment];
    unheld = held.count(p.assignment) ? 0 : unheld + 1;
    if (unheld < reconcilers::kActionLostAfterBeats) continue;
    const std::string why = name + " no longer holds assignment " + p.assignment + " (left out of " +
                            std::to_string(unheld) + " heartbeats: the agent restarted or lost it)";
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, api::PackageFailure{api::kFailureCrash, why, name});
    changes.Event("Package", p.name, events::kWarning, events::kBuildLost, why);
    // Builds lost together are one crash of the agent, one failure.
    if (++lost > 1) continue;
    CountDroneFailureLocked(name, p.name, why, changes);
  }
  // The counters of assignments that end go with them (CommitLocked).
  return CommitLocked(std::move(changes));
}

int SwarmController::BuildsHeldLocked(const std::string& name,
                                      const api::DroneStatus& status) const {
  std::set<std::string> held;
  for (const auto& b : status.builds) held.insert(b.assignment);
  for (size_t i : packages_.BuildingOn(name)) held.insert(packages_[i].assignment);
  return static_cast<int>(held.size());
}

Status SwarmController::WithdrawStaleAssignmentsLocked() {
  const api::QueueSummary& stamp = swarm_->status.queue;
  const api::SwarmSpec& spec = swarm_->spec;
  if (stamp.tree_revision.empty() || (stamp.tree_revision == spec.portage.tree_revision &&
                                      stamp.deploy_version == spec.deploy.version)) {
    return Status::Ok();
  }
  const std::string why = "withdrawn: the queue was computed against tree " +
                          reconcilers::ShortRevision(stamp.tree_revision) + " and deploy " +
                          stamp.deploy_version + ", the spec now wants tree " +
                          reconcilers::ShortRevision(spec.portage.tree_revision) + " and deploy " +
                          spec.deploy.version + "; nobody is blamed";
  Changes changes;
  for (size_t i = 0; i < packages_.size(); ++i) {
    const api::Package& p = packages_[i];
    if (p.phase != api::kPhaseBuilding) continue;
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    // Not an attempt of the package: its build was stopped, not tried out.
    next.attempts = std::max(0, next.attempts - 1);
    changes.Event("Package", p.name, events::kNormal, events::kBuildWithdrawn,
                  p.drone + "'s build of " + p.name + " " + why);
    unheld_builds_.erase(p.assignment);
  }
  if (!changes.packages.empty()) {
    spdlog::info("{} build(s) {}", changes.packages.size(), why);
  }
  return CommitLocked(std::move(changes));
}

Status SwarmController::ReclaimOrphanedBuildsLocked() {
  Changes changes;
  for (size_t i = 0; i < packages_.size(); ++i) {
    const api::Package& p = packages_[i];
    if (p.phase != api::kPhaseBuilding) continue;
    std::string why;
    if (!RosterMemberLocked(p.drone)) {
      why = "its drone " + (p.drone.empty() ? std::string("<none>") : p.drone) +
            " is not in the roster";
    } else if (p.assignment.empty()) {
      why = "it has no assignment id";
    } else {
      continue;
    }
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    changes.Event("Package", p.name, events::kWarning, events::kBuildReclaimed,
                  "taken back: " + why);
    unheld_builds_.erase(p.assignment);
  }
  return CommitLocked(std::move(changes));
}

void SwarmController::ReclaimAssignmentsLocked(const std::string& name, const std::string& why,
                                               bool exclude, Changes& changes) {
  for (size_t i : packages_.BuildingOn(name)) {
    const api::Package& p = packages_[i];
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    if (exclude) reconcilers::AddUnique(next.excluded_drones, name);
    changes.Event("Package", p.name, events::kWarning, events::kBuildReclaimed,
                  "taken back from " + name + ": " + why);
  }
}

}  // namespace swarm::controller
