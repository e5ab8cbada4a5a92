// Queue's dispatch: a drone's next builds from the ready set, and the
// scheduler's swarm-wide pass, as fenced assignments.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "api/cpv.h"
#include "api/events.h"
#include "api/quantity.h"
#include "controller/queue/queue.h"
#include "controller/reconcilers/capacity.h"
#include "controller/reconcilers/grounding.h"

namespace swarm::controller {
namespace {

// Why a roster member takes no new work now, or "" when it may.
std::string IneligibleReason(const api::DroneSpec& member, const api::DroneStatus& s,
                             const api::Policy& policy) {
  if (!api::IsConditionTrue(s.conditions, api::condition::kReady)) return "not Ready";
  if (!api::IsConditionTrue(s.conditions, api::condition::kDeployed)) return "not deployed";
  if (!api::IsConditionTrue(s.conditions, api::condition::kTreeSynced)) return "tree not synced";
  if (reconcilers::IsGrounded(s)) return "grounded";
  if (s.cordoned) return "cordoned";
  // From the spec, not the condition: a roster just applied counts at once.
  if (std::string missing =
          reconcilers::MissingCapacityLabels(member, policy.require_capacity_labels);
      !missing.empty()) {
    return missing;
  }
  if (s.health != "HEALTHY") return s.health.empty() ? "health unknown" : "health " + s.health;
  return "";
}

}  // namespace

DroneCapacity Queue::Capacity(const api::DroneSpec& member) const {
  const api::DroneStatus& s = state_.Status(member.name);
  DroneCapacity d;
  d.name = member.name;
  d.ineligible_reason = IneligibleReason(member, s, state_.swarm->spec.policy);
  d.eligible = d.ineligible_reason.empty();
  d.cores = state_.DroneCores(member.name);
  d.memory_bytes = state_.DroneMemory(member.name);
  double per_core = 1;
  if (auto speed = member.labels.find(api::kLabelSpeed); speed != member.labels.end()) {
    if (auto s = api::ParseSpeed(speed->second); s.ok()) per_core = *s;
  }
  d.speed = std::max(d.cores, 1) * per_core;
  // A build that ended and uploads its report holds no slot: the drone
  // takes its next build while the upload runs.
  struct Running {
    size_t index;
    bool whole;
  };
  std::vector<Running> builds;
  for (size_t i : state_.packages.BuildingOn(member.name)) {
    const api::Package& p = state_.packages[i];
    if (state_.Uploading(member.name, p.assignment)) continue;
    const bool whole =
        NeedsWholeDrone(p, Timed(i), Estimate(i), state_.packages.Priority(i), longest_);
    builds.push_back({i, whole});
    ++d.running;
    d.widest = std::max(d.widest, WidthOf(p, d, whole));
  }
  // What runs there ends once its time at this drone's speed, beside the
  // others, has passed.
  const WallTime now = clock_->Now();
  for (const Running& b : builds) {
    const api::Package& p = state_.packages[b.index];
    const Duration expected =
        DurationOn(p, Estimate(b.index), d, b.whole, fastest_, fastest_per_core_);
    const Duration ran = p.started_at ? std::chrono::duration_cast<Duration>(now - *p.started_at)
                                      : Duration(0);
    d.busy_for = std::max(d.busy_for, expected - ran);
  }
  d.memory_full = d.running > 0 && memory_full_.count(member.name) > 0;
  // One build decides a probation: nothing more until its result is in.
  if (reconcilers::OnProbation(s) && !state_.packages.BuildingOn(member.name).empty()) {
    d.eligible = false;
    d.ineligible_reason = "on probation, its probation build runs";
  }
  return d;
}

void Queue::Assign(size_t index, const std::string& drone, bool probation, Changes& changes) {
  api::Package& p = changes.Package(state_, index);
  p.phase = api::kPhaseBuilding;
  p.drone = drone;
  ++p.attempts;
  p.assignment = id_prefix_ + "-b" + std::to_string(++next_assignment_);
  p.started_at = clock_->Now();
  p.reason.clear();
  changes.Event(api::kKindPackage, p.name, api::events::kNormal, api::events::kBuildAssigned,
                "assigned to " + drone + " (attempt " + std::to_string(p.attempts) +
                    ", assignment " + p.assignment + ")" +
                    (probation ? "; its probation build" : ""));
}

void Queue::BuildEnded(const std::string& name, bool oom_killed) {
  if (oom_killed) {
    memory_full_.insert(name);
  } else {
    memory_full_.erase(name);
  }
}

Duration Queue::Estimate(size_t i) const {
  const api::Package& p = state_.packages[i];
  return EstimateOf(p, state_.packages.LastBuildMs(api::PackageKey(p.name)), kDefaultBuildTime);
}

bool Queue::Timed(size_t i) const {
  const api::Package& p = state_.packages[i];
  return controller::Timed(p, state_.packages.LastBuildMs(api::PackageKey(p.name)));
}

Status Queue::DispatchTo(const std::string& name) {
  if (!open_ || state_.SystemicFault() || faults_.remediation_pending() ||
      state_.packages.ReadyCount() == 0) {
    return Status::Ok();
  }
  const api::DroneSpec* member = state_.RosterMember(name);
  if (member == nullptr || !api::HasRole(*member, api::kRoleBuild)) return Status::Ok();
  DroneCapacity d = Capacity(*member);
  if (!d.eligible) return Status::Ok();
  const Policy policy = PolicyFromSpec(state_.swarm->spec.policy.scheduling);
  const bool probation = reconcilers::OnProbation(state_.Status(name));
  if (probation ? d.running > 0 : !Admits(d, 1, policy)) return Status::Ok();
  // Held for a whole-drone build: that build the moment it is ready and
  // the drone can start it, else only what ends before it would start.
  std::optional<Duration> until;
  std::vector<size_t> picked;
  if (auto it = held_.find(name); it != held_.end()) {
    auto i = state_.packages.IndexOf(it->second.package);
      if (i && state_.packages.IsReady(*i) && !probation) {
      const api::Package& p = state_.packages[*i];
      const double width = WidthOf(p, d, true);
      if (PackageFits(p, state_.swarm->spec.queue.requirements, d) && Admits(d, width, policy)) {
        picked.push_back(*i);
        ++d.running;
        d.widest = std::max(d.widest, width);
        held_.erase(it);
      }
    }
    if (auto h = held_.find(name); h != held_.end()) {
      until = std::chrono::duration_cast<Duration>(h->second.until - clock_->Now());
      if (*until <= Duration(0) && picked.empty()) return Status::Ok();
    }
  }
  // Highest priority first. The look is bounded: what this drone cannot take
  // is left to the swarm pass, which sees every drone. Under critical-path a
  // whole-drone build is placed by the pass alone (where it ends soonest),
  // and nothing behind it jumps ahead of it.
  constexpr int kMaxLook = 64;
  int looked = 0;
  if (probation ? picked.empty() : Admits(d, 1, policy)) state_.packages.ForEachReady([&](size_t i) {
    const api::Package& p = state_.packages[i];
    if (!picked.empty() && picked.front() == i) return ++looked < kMaxLook;
    if (policy == Policy::kCriticalPath &&
        NeedsWholeDrone(state_.packages[i], Timed(i), Estimate(i), state_.packages.Priority(i),
                        longest_)) {
      return false;
    }
    const double width = WidthOf(p, d, false);
    const bool in_time =
        !until || DurationAlongside(p, Estimate(i), d, fastest_per_core_) <= *until;
    if (probation && !picked.empty()) return false;
    if (in_time && PackageFits(p, state_.swarm->spec.queue.requirements, d) &&
        Admits(d, width, policy)) {
      picked.push_back(i);
      ++d.running;
      d.widest = std::max(d.widest, width);
    }
    // On probation one build decides: it takes no second one.
    return (probation ? picked.empty() : Admits(d, 1, policy)) && ++looked < kMaxLook;
  });
  if (picked.empty()) return Status::Ok();
  Changes changes;
  for (size_t i : picked) Assign(i, name, probation, changes);
  spdlog::info("dispatch: {} new assignment(s) to {}", picked.size(), name);
  return writer_.Commit(std::move(changes));
}

Status Queue::Dispatch() {
  if (!state_.swarm) return Status::Ok();
  const api::SwarmSpec& spec = state_.swarm->spec;
  const PackageQueue& packages = state_.packages;
  SchedulingInput in;
  in.policy = PolicyFromSpec(spec.policy.scheduling);
  in.now = clock_->Now();
  in.queue_current = open_;
  in.requirements = spec.queue.requirements;
  std::set<std::string> probation;
  for (const auto& member : spec.drones) {
    if (!api::HasRole(member, api::kRoleBuild)) continue;
    if (reconcilers::OnProbation(state_.Status(member.name))) probation.insert(member.name);
    in.drones.push_back(Capacity(member));
  }
  int64_t largest_memory = 0;
  for (const DroneCapacity& d : in.drones) {
    largest_memory = std::max(largest_memory, d.memory_bytes);
  }
  builds_.SetLargestMemory(largest_memory);
  for (const auto& p : packages) {
    if (p.needs_memory_over > 0) {
      in.learned[p.name] = {p.needs_memory_over, p.needs_memory_cause};
    }
    if (p.phase == api::kPhaseComplete && p.build_ms > 0) {
      in.build_time_estimates[api::PackageKey(p.name)] = Duration(p.build_ms);
    }
  }
  SchedulingDecision decision = Schedule(in, packages.packages());
  held_.clear();
  for (const auto& h : decision.held) held_[h.drone] = {in.now + h.until, h.package};
  longest_ = decision.longest;
  progress_ = {};
  progress_.as_of = in.now;
  if (!decision.priority.empty() && in.policy == Policy::kCriticalPath) {
    progress_.eta_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                std::max(decision.longest, decision.work_left))
                                .count();
  }
  // What runs once this pass's assignments start counts as busy: the pass
  // that hands out work is often the last before the queue's next change.
  std::map<std::string, std::vector<size_t>> assigned_now;
  for (const auto& a : decision.assignments) {
    if (auto i = packages.IndexOf(a.package)) assigned_now[a.drone].push_back(*i);
  }
  for (const DroneCapacity& d : in.drones) {
    if (!d.eligible) continue;
    progress_.cores += d.cores;
    double busy = 0;
    for (size_t i : packages.BuildingOn(d.name)) busy += WidthOf(packages[i], d, false);
    if (auto it = assigned_now.find(d.name); it != assigned_now.end()) {
      for (size_t i : it->second) busy += WidthOf(packages[i], d, false);
    }
    progress_.busy_cores += std::min<double>(busy, d.cores);
  }
  fastest_per_core_ = decision.fastest_per_core;
  fastest_ = decision.fastest;
  // The ready set follows the critical path as it is now.
  if (!decision.priority.empty()) writer_.SetPriorities(decision.priority);

  Changes changes;
  std::set<std::string> probation_given;
  for (const auto& a : decision.assignments) {
    auto i = packages.IndexOf(a.package);
    if (!i) continue;
    if (probation.count(a.drone) && !probation_given.insert(a.drone).second) continue;
    Assign(*i, a.drone, probation.count(a.drone) > 0, changes);
  }
  for (const auto& b : decision.blocked) {
    auto i = packages.IndexOf(b.package);
    if (!i) continue;
    api::Package& p = changes.Package(state_, *i);
    if (p.phase == api::kPhaseBlocked && p.reason == b.reason) continue;
    const bool newly = p.phase != api::kPhaseBlocked;
    p.phase = api::kPhaseBlocked;
    p.reason = b.reason;
    if (newly) {
      changes.Event(api::kKindPackage, p.name, api::events::kWarning, api::events::kPackageBlocked,
                    b.reason);
    }
  }
  for (const auto& name : decision.unblocked) {
    auto i = packages.IndexOf(name);
    if (!i) continue;
    api::Package& p = changes.Package(state_, *i);
    changes.Event(api::kKindPackage, p.name, api::events::kNormal, api::events::kPackageUnblocked,
                  "a drone that can take it is in the swarm now (was: " + p.reason + ")");
    p.phase = api::kPhaseNeeded;
    p.reason.clear();
  }
  // Blocked entries the scheduler rewrote to the same text change nothing.
  for (auto it = changes.packages.begin(); it != changes.packages.end();) {
    if (packages[*packages.IndexOf(it->first)] == it->second) {
      it = changes.packages.erase(it);
    } else {
      ++it;
    }
  }
  if (!decision.assignments.empty()) {
    spdlog::info("dispatch: {} new assignment(s)", decision.assignments.size());
  }
  return writer_.Commit(std::move(changes));
}

}  // namespace swarm::controller
