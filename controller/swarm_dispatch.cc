// SwarmController's build dispatch: the scheduler's decisions applied as
// fenced assignments, lease renewal from heartbeats, reclaiming the work of
// drones that vanish, and the shared commit of one decision's writes. Build
// results, grounding and the operator verbs are in swarm_builds.cc.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/quantity.h"
#include "controller/binhost.h"
#include "controller/events.h"
#include "controller/reconcilers/build_outcome.h"
#include "controller/reconcilers/queue.h"
#include "controller/scheduler.h"
#include "controller/swarm_controller.h"

namespace swarm::controller {
namespace {

// Why a roster member takes no new work now, or "" when it may.
std::string IneligibleReason(const api::DroneStatus& s) {
  if (!api::IsConditionTrue(s.conditions, "Ready")) return "not Ready";
  if (!api::IsConditionTrue(s.conditions, "Deployed")) return "not deployed";
  if (!api::IsConditionTrue(s.conditions, "TreeSynced")) return "tree not synced";
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

api::Package& SwarmController::Changes::Package(const std::vector<api::Package>& current,
                                                size_t index) {
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
    if (c.swarm) return store_->PutSwarm(*c.swarm);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (auto& p : packages_) {
    auto it = c.packages.find(p.name);
    if (it == c.packages.end()) continue;
    // An assignment that ended leaves nothing staged behind (a success's
    // upload was moved out of staging by Publish already).
    if (!p.assignment.empty() && p.assignment != it->second.assignment &&
        outputs_.binhost != nullptr) {
      if (Status d = outputs_.binhost->Discard(p.assignment); !d.ok()) {
        spdlog::warn("discarding the staged upload of {}: {}", p.assignment, d.ToString());
      }
    }
    p = std::move(it->second);
  }
  for (const auto& name : c.removed_drones) statuses_.erase(name);
  for (auto& [name, s] : c.drones) statuses_[name] = std::move(s);
  if (c.swarm) swarm_ = std::move(*c.swarm);
  return Status::Ok();
}

bool SwarmController::SystemicFaultLocked() const {
  return swarm_ && api::IsConditionTrue(swarm_->status.conditions, "SystemicFault");
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

Status SwarmController::DispatchLocked(bool queue_current) {
  if (!swarm_) return Status::Ok();
  const api::SwarmSpec& spec = swarm_->spec;
  SchedulingInput in;
  in.queue_current = queue_current && !SystemicFaultLocked() && !remediation_pending_;
  in.packages = packages_;
  in.requirements = spec.queue.requirements;
  std::map<std::string, int> running;
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseBuilding) ++running[p.drone];
  }
  std::set<std::string> probation;
  for (const auto& member : spec.drones) {
    if (!api::HasRole(member, api::kRoleBuild)) continue;
    const api::DroneStatus& s = statuses_[member.name];
    DroneCapacity d;
    d.name = member.name;
    d.ineligible_reason = IneligibleReason(s);
    d.eligible = d.ineligible_reason.empty();
    d.cores = s.resources.cores;
    auto cores = member.labels.find(api::kLabelCores);
    if (cores != member.labels.end()) d.cores = std::atoi(cores->second.c_str());
    d.memory_bytes = DroneMemoryLocked(member.name);
    d.running = running[member.name];
    d.speed = std::max(d.cores, 1);
    if (reconcilers::OnProbation(s)) {
      probation.insert(member.name);
      // One build decides a probation: nothing more while it runs.
      if (d.running > 0) {
        d.eligible = false;
        d.ineligible_reason = "on probation, its probation build runs";
      }
    }
    in.drones.push_back(std::move(d));
  }
  for (const auto& p : packages_) {
    if (p.needs_memory_over > 0) {
      in.learned[p.name] = {p.needs_memory_over, p.needs_memory_cause};
    }
    if (p.phase == api::kPhaseComplete && p.build_ms > 0) {
      in.build_time_estimates[PackageKey(p.name)] = Duration(p.build_ms);
    }
  }
  SchedulingDecision decision = Schedule(in);

  std::map<std::string, size_t> index;
  for (size_t i = 0; i < packages_.size(); ++i) index[packages_[i].name] = i;
  Changes changes;
  const WallTime now = clock_->Now();
  std::set<std::string> probation_given;
  for (const auto& a : decision.assignments) {
    auto it = index.find(a.package);
    if (it == index.end()) continue;
    if (probation.count(a.drone) && !probation_given.insert(a.drone).second) continue;
    api::Package& p = changes.Package(packages_, it->second);
    p.phase = api::kPhaseBuilding;
    p.drone = a.drone;
    ++p.attempts;
    p.assignment = action_prefix_ + "-b" + std::to_string(++next_assignment_);
    p.started_at = now;
    p.reason.clear();
    changes.Event("Package", p.name, events::kNormal, events::kBuildAssigned,
                  "assigned to " + a.drone + " (attempt " + std::to_string(p.attempts) +
                      ", assignment " + p.assignment + ")" +
                      (probation.count(a.drone) ? "; its probation build" : ""));
  }
  for (const auto& b : decision.blocked) {
    auto it = index.find(b.package);
    if (it == index.end()) continue;
    api::Package& p = changes.Package(packages_, it->second);
    if (p.phase == api::kPhaseBlocked && p.reason == b.reason) continue;
    const bool newly = p.phase != api::kPhaseBlocked;
    p.phase = api::kPhaseBlocked;
    p.reason = b.reason;
    if (newly) {
      changes.Event("Package", p.name, events::kWarning, events::kPackageBlocked, b.reason);
    }
  }
  for (const auto& name : decision.unblocked) {
    auto it = index.find(name);
    if (it == index.end()) continue;
    api::Package& p = changes.Package(packages_, it->second);
    changes.Event("Package", p.name, events::kNormal, events::kPackageUnblocked,
                  "a drone that can take it is in the swarm now (was: " + p.reason + ")");
    p.phase = api::kPhaseNeeded;
    p.reason.clear();
  }
  // Blocked entries the scheduler rewrote to the same text change nothing.
  for (auto it = changes.packages.begin(); it != changes.packages.end();) {
    const api::Package& now_p = packages_[index[it->first]];
    if (now_p == it->second) {
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
  std::map<std::string, int64_t> last_build_ms;  // by cat/pn
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseComplete && p.build_ms > 0) last_build_ms[PackageKey(p.name)] = p.build_ms;
  }
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseBuilding && p.drone == name && !p.assignment.empty()) {
      auto expected = last_build_ms.find(PackageKey(p.name));
      out.push_back({p.assignment, p.name, p.attempts,
                     expected == last_build_ms.end() ? 0 : expected->second, p.tree_revision});
    }
  }
  return out;
}

std::optional<size_t> SwarmController::FindAssignmentLocked(const std::string& name,
                                                            const std::string& assignment) const {
  for (size_t i = 0; i < packages_.size(); ++i) {
    const api::Package& p = packages_[i];
    if (p.phase == api::kPhaseBuilding && p.drone == name && p.assignment == assignment) return i;
  }
  return std::nullopt;
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
  std::set<std::string> held;
  for (const auto& b : report.builds) held.insert(b.assignment);
  Changes changes;
  std::set<std::string> lost;
  for (size_t i = 0; i < packages_.size(); ++i) {
    const api::Package& p = packages_[i];
    if (p.phase != api::kPhaseBuilding || p.drone != name) continue;
    int& unheld = unheld_builds_[p.assignment];
    unheld = held.count(p.assignment) ? 0 : unheld + 1;
    if (unheld < reconcilers::kActionLostAfterBeats) continue;
    const std::string why = name + " no longer holds assignment " + p.assignment + " (left out of " +
                            std::to_string(unheld) + " heartbeats: the agent restarted or lost it)";
    lost.insert(p.assignment);
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, api::PackageFailure{api::kFailureCrash, why, name});
    changes.Event("Package", p.name, events::kWarning, events::kBuildLost, why);
    // Builds lost together are one crash of the agent, one failure.
    if (lost.size() > 1) continue;
    CountDroneFailureLocked(name, p.name, why, changes);
  }
  // Forget counters of assignments that ended.
  std::set<std::string> live;
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseBuilding) live.insert(p.assignment);
  }
  for (auto it = unheld_builds_.begin(); it != unheld_builds_.end();) {
    it = live.count(it->first) && !lost.count(it->first) ? std::next(it)
                                                         : unheld_builds_.erase(it);
  }
  return CommitLocked(std::move(changes));
}

int SwarmController::BuildsHeldLocked(const std::string& name,
                                      const api::DroneStatus& status) const {
  std::set<std::string> held;
  for (const auto& b : status.builds) held.insert(b.assignment);
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseBuilding && p.drone == name) held.insert(p.assignment);
  }
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
  for (size_t i = 0; i < packages_.size(); ++i) {
    const api::Package& p = packages_[i];
    if (p.phase != api::kPhaseBuilding || p.drone != name) continue;
    api::Package& next = changes.Package(packages_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    if (exclude) reconcilers::AddUnique(next.excluded_drones, name);
    changes.Event("Package", p.name, events::kWarning, events::kBuildReclaimed,
                  "taken back from " + name + ": " + why);
    unheld_builds_.erase(p.assignment);
  }
}

}  // namespace swarm::controller
