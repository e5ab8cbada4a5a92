// SwarmController's handling of ended builds: results judged by
// reconcilers/build_outcome, publication on the binhost, grounding and
// systemic faults (reconcilers/grounding), build logs, the operator verbs on
// drones, and the periodic check of the binhost.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/cpv.h"
#include "api/quantity.h"
#include "base/file_util.h"
#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/index.h"
#include "controller/core/events.h"
#include "controller/reconcilers/build_outcome.h"
#include "controller/reconcilers/tree_sync.h"
#include "controller/core/swarm_controller.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;

// A systemic fault that comes back this soon after a remediation is not
// remediated again: re-syncing did not help, a person has to look.
constexpr Duration kRemediationMemory = std::chrono::hours(1);

// The binhost holds exactly `ref` at its path already.
bool PublishedAlready(const Binhost& binhost, const api::BinaryPackageRef& ref) {
  std::error_code ec;
  const fs::path file = fs::path(binhost.dir()) / ref.path;
  if (ref.size <= 0 || static_cast<int64_t>(fs::file_size(file, ec)) != ref.size || ec) return false;
  auto sha = Sha256File(file.string());
  return sha.ok() && *sha == ref.sha256;
}

}  // namespace

bool SwarmController::RaiseSystemicFaultLocked(const std::string& reason,
                                               const std::string& evidence, Changes& changes) {
  if (!changes.swarm) changes.swarm = *swarm_;
  api::Swarm& next = *changes.swarm;
  const WallTime now = clock_->Now();
  if (api::IsConditionTrue(next.status.conditions, api::condition::kSystemicFault)) return false;  // already raised
  const bool persists = last_remediation_ && now - *last_remediation_ < kRemediationMemory;
  std::string message = evidence;
  if (persists) {
    message += "; it persists after the re-sync and rediscovery of " +
               FormatTime(*last_remediation_) +
               ": nothing is dispatched until the tree or profile is fixed and swarmctl fresh "
               "runs (or the spec changes)";
  } else {
    message += "; nothing is dispatched: every member re-syncs and the queue is discovered again";
  }
  api::SetCondition(next.status.conditions,
                    {api::condition::kSystemicFault, api::kTrue, persists ? api::reason::kPersistent : reason, message, {}},
                    now);
  changes.Event(api::kKindSwarm, next.metadata.name, events::kWarning, events::kSystemicFault,
                message);
  if (persists) return true;
  // The remediation: every member re-syncs (the stored condition asks for
  // it, so a restart keeps asking), then the queue is discovered again.
  for (const auto& member : next.spec.drones) {
    api::DroneStatus& s = changes.Drone(statuses_, member.name);
    api::SetCondition(s.conditions,
                      {api::condition::kTreeSynced,
                       api::kFalse,
                       reconcilers::kResyncRequested,
                       "re-sync requested by a systemic fault",
                       {}},
                      now);
  }
  return true;
}

void SwarmController::SystemicFaultRaisedLocked() {
  spdlog::warn("systemic fault: {}",
               api::FindCondition(swarm_->status.conditions, api::condition::kSystemicFault)->message);
  // Syncs and a discovery issued before the fault do not count for its remediation.
  for (auto& [name, acts] : actions_) {
    acts.sync.in_flight.reset();
    acts.sync.ResetBackoff();
    acts.discover.in_flight.reset();
    acts.discover.ResetBackoff();
  }
}

bool SwarmController::FinishRemediationLocked(Changes& changes) {
  if (!remediation_pending_) return false;
  const WallTime now = clock_->Now();
  if (!changes.swarm) changes.swarm = *swarm_;
  api::SetCondition(changes.swarm->status.conditions,
                    {api::condition::kSystemicFault, api::kFalse, api::reason::kRemediated,
                     "every member re-synced and the queue was discovered again at " +
                         FormatTime(now) + "; dispatch resumed",
                     {}},
                    now);
  changes.Event(api::kKindSwarm, swarm_->metadata.name, events::kNormal,
                events::kSystemicFaultCleared,
                "systemic fault remediated: members re-synced, queue discovered again");
  UngroundEveryoneLocked("the queue was discovered again on a re-synced tree", changes);
  return true;
}

void SwarmController::DiscardEndedUploadsLocked(const std::vector<api::Package>& before,
                                                const std::vector<api::Package>& after) {
  if (outputs_.binhost == nullptr) return;
  std::set<std::string> held;
  for (const auto& p : after) held.insert(p.assignment);
  for (const auto& p : before) {
    if (p.assignment.empty() || held.count(p.assignment)) continue;
    unheld_builds_.erase(p.assignment);
    if (Status d = outputs_.binhost->Discard(p.assignment); !d.ok()) {
      spdlog::warn("discarding the staged upload of {}: {}", p.assignment, d.ToString());
    }
  }
}

void SwarmController::UngroundEveryoneLocked(const std::string& message, Changes& changes) {
  for (const auto& member : swarm_->spec.drones) {
    auto changed = changes.drones.find(member.name);
    auto stored = statuses_.find(member.name);
    const api::DroneStatus* cur = changed != changes.drones.end() ? &changed->second
                                  : stored != statuses_.end()    ? &stored->second
                                                                 : nullptr;
    if (cur == nullptr) continue;
    if (auto c = reconcilers::Unground(*cur, reconcilers::kGroundedCauseGone, message)) {
      api::DroneStatus& s = changes.Drone(statuses_, member.name);
      api::SetCondition(s.conditions, *c, clock_->Now());
      s.consecutive_failures = 0;
      changes.Event(api::kKindDrone, member.name, events::kNormal, events::kDroneUngrounded,
                    c->message);
    }
  }
}

void SwarmController::CountDroneFailureLocked(const std::string& name, const std::string& package,
                                              const std::string& why, Changes& changes) {
  api::DroneStatus& s = changes.Drone(statuses_, name);
  ++s.consecutive_failures;
  if (auto c = reconcilers::GroundAfterFailure(s, swarm_->spec.policy.ground_after_failures,
                                               package, why)) {
    api::SetCondition(s.conditions, *c, clock_->Now());
    changes.Event(api::kKindDrone, name, events::kWarning, events::kDroneGrounded, c->message);
    spdlog::warn("drone {} grounded: {}", name, c->message);
  }
}

void SwarmController::RemediationFinishedLocked() {
  remediation_pending_ = false;
  last_remediation_ = clock_->Now();
  failing_alike_.Clear();
  spdlog::info("systemic fault remediated: dispatch resumes");
}

Result<std::vector<api::BuildAssignment>> SwarmController::ReportBuildResult(
    const std::string& name, const api::BuildResult& result) {
  std::lock_guard<std::mutex> l(mu_);
  if (!RosterMemberLocked(name)) {
    return PermissionDenied("drone \"" + name + "\" is not in the roster");
  }
  auto index = FindAssignmentLocked(name, result.assignment);
  if (!index) {
    return Conflict("assignment " + result.assignment + " is not current on drone " + name +
                    ": the package was taken back or given to another drone; stop it");
  }
  const api::Package package = packages_[*index];
  if (package.name != result.package) {
    return InvalidArgument("assignment " + result.assignment + " is for " + package.name + ", not " +
                           result.package);
  }
  const WallTime now = clock_->Now();
  Changes changes;
  std::optional<api::BinaryPackageRef> published;
  if (result.outcome == api::kBuildSucceeded) {
    if (!result.binpkg) return InvalidArgument("a successful build result needs its binpkg");
    if (outputs_.binhost == nullptr) return Unavailable("this controller has no binhost directory");
    // The index on disk may still list this path with the file a rebuild is
    // about to replace (its removal waits for the debounce): it is written
    // without it first, so it never lists the path with another file's size.
    if (Status s = index_writer_->FlushIfListed(result.binpkg->path); !s.ok()) return s;
    std::string wrong;
    Result<api::BinaryPackageRef> pub =
        BinpkgPathIsFor(result.binpkg->path, package.name, &wrong)
            ? outputs_.binhost->Publish(result.assignment, *result.binpkg)
            : Result<api::BinaryPackageRef>(InvalidArgument(wrong));
    if (!pub.ok() && pub.status().code() == StatusCode::kInvalidArgument &&
        PublishedAlready(*outputs_.binhost, *result.binpkg)) {
      // Published before a store error kept the success from being recorded:
      // the agent's retry finds the file in place.
      pub = *result.binpkg;
    }
    if (!pub.ok() && pub.status().code() != StatusCode::kInvalidArgument) {
      return pub.status();  // the binhost's disk: the build is fine, the agent retries
    }
    if (!pub.ok()) {
      const std::string why = package.name + " from " + name + " refused: " + pub.status().message() +
                              "; it is built again";
      api::Package next = reconcilers::Requeue(
          package, api::PackageFailure{"Binpkg", pub.status().message(), name});
      // Refused twice from the same drone: it goes elsewhere.
      if (package.last_failure && package.last_failure->failure_class == "Binpkg" &&
          package.last_failure->drone == name) {
        reconcilers::AddUnique(next.excluded_drones, name);
      }
      changes.Package(packages_, *index) = next;
      changes.Event("Package", package.name, events::kWarning, events::kBinpkgRejected, why);
      if (Status s = CommitLocked(std::move(changes)); !s.ok()) return s;
      spdlog::warn("{}", why);
      ScheduleSwarmPassLocked();
      return Rejected(why);
    }
    published = *pub;
  }

  reconcilers::BuildVerdict verdict = reconcilers::ApplyBuildResult(
      package, result, name, DroneMemoryLocked(name), published, now);
  changes.Package(packages_, *index) = verdict.package;
  changes.Event("Package", package.name,
                result.outcome == api::kBuildSucceeded ? events::kNormal : events::kWarning,
                verdict.event_reason, verdict.event_message);
  unheld_builds_.erase(result.assignment);

  bool raised = false;
  api::DroneStatus& s = changes.Drone(statuses_, name);
  if (verdict.drone_cleared) {
    s.consecutive_failures = 0;
    if (auto c = reconcilers::ClearAfterSuccess(s)) {
      api::SetCondition(s.conditions, *c, now);
      changes.Event(api::kKindDrone, name, events::kNormal, events::kDroneUngrounded,
                    c->message + ": " + package.name);
    }
  }
  if (verdict.drone_blamed) {
    // An OOM kill is the package outgrowing the drone (the learned memory
    // floor deals with it), not a fault the swarm shares.
    const std::string signature = result.failure_class + ": " + result.message;
    std::set<std::string> alike;
    if (!result.oom_killed) alike = failing_alike_.Record(name, signature, clock_->SteadyNow());
    int ready = 0;
    for (const auto& member : swarm_->spec.drones) {
      auto st = statuses_.find(member.name);
      const bool is_ready = st != statuses_.end() && api::IsConditionTrue(st->second.conditions, api::condition::kReady);
      if (api::HasRole(member, api::kRoleBuild) && is_ready) ++ready;
      if (!is_ready) alike.erase(member.name);
    }
    for (auto it = alike.begin(); it != alike.end();) {
      it = RosterMemberLocked(*it) ? std::next(it) : alike.erase(it);
    }
    const api::Policy& policy = swarm_->spec.policy;
    if (reconcilers::IsFailingAlike(alike.size(), ready, policy.systemic_failure_fraction)) {
      std::string drones;
      for (const auto& d : alike) drones += (drones.empty() ? "" : ", ") + d;
      raised |= RaiseSystemicFaultLocked("FailingAlike",
                               std::to_string(alike.size()) + " of " + std::to_string(ready) +
                                   " Ready drones failed alike within 10m (" + drones +
                                   "): " + signature,
                               changes);
      // A shared fault is nobody's own: their counts and groundings for it go.
      for (const auto& d : alike) {
        api::DroneStatus& ds = changes.Drone(statuses_, d);
        ds.consecutive_failures = 0;
        if (auto c = reconcilers::Unground(ds, reconcilers::kGroundedSharedFault,
                                           "its failures were a swarm-wide fault")) {
          api::SetCondition(ds.conditions, *c, now);
          changes.Event(api::kKindDrone, d, events::kNormal, events::kDroneUngrounded, c->message);
        }
      }
    } else {
      CountDroneFailureLocked(name, package.name, result.message, changes);
    }
  }
  if (verdict.systemic) {
    raised |= RaiseSystemicFaultLocked("SystemicFailure",
                             package.name + " failed on " + name + " with " +
                                 result.failure_class + ": " + result.message,
                             changes);
  }
  // Grounding and faults are stored before anything acts on them.
  if (Status st = CommitLocked(std::move(changes)); !st.ok()) return st;
  if (raised) SystemicFaultRaisedLocked();
  if (result.outcome != api::kBuildSucceeded) {
    spdlog::warn("{}", verdict.event_message);
  } else {
    spdlog::info("{}", verdict.event_message);
  }
  Duration ignored{0};
  if (Status st = ReconcileDroneLocked(name, &ignored); !st.ok()) return st;
  // The reply carries the drone's next build at once; what the end changed
  // for everyone else (dependents ready, status) goes to the swarm pass.
  if (Status st = DispatchToDroneLocked(name); !st.ok()) return st;
  ScheduleSwarmPassLocked();
  return AssignmentsForLocked(name);
}

Status SwarmController::RejectUpload(const std::string& name, const std::string& assignment,
                                     const std::string& why) {
  std::lock_guard<std::mutex> l(mu_);
  auto index = FindAssignmentLocked(name, assignment);
  if (!index) return Status::Ok();  // already ended
  const api::Package& p = packages_[*index];
  Changes changes;
  changes.Package(packages_, *index) =
      reconcilers::Requeue(p, api::PackageFailure{"Binpkg", why, name});
  changes.Event("Package", p.name, events::kWarning, events::kBinpkgRejected,
                "upload of " + p.name + " from " + name + " refused: " + why +
                    "; it is built again");
  unheld_builds_.erase(assignment);
  if (Status st = CommitLocked(std::move(changes)); !st.ok()) return st;
  ScheduleSwarmPassLocked();
  return Status::Ok();
}

Status SwarmController::StoreBuildLog(const std::string& name, const std::string& assignment,
                                      const std::string& log) {
  auto package = CurrentAssignment(name, assignment);
  if (!package.ok()) return package.status();
  if (outputs_.log_dir.empty()) return Status::Ok();
  const std::string kept =
      log.size() > kMaxBuildLogBytes ? log.substr(log.size() - kMaxBuildLogBytes) : log;
  // Written outside the lock: a megabyte must not hold up heartbeats.
  const fs::path path = fs::path(outputs_.log_dir) / (*package + ".log");
  if (Status st = MakeDirs(path.parent_path().string()); !st.ok()) return st;
  return WriteFileAtomically(path.string(), kept);
}

Result<std::string> SwarmController::BuildLog(const std::string& package) {
  if (package.size() > 256 || !api::ParseCpv(package).ok()) {
    return InvalidArgument("\"" + package + "\" is not a cat/pkg-ver");
  }
  if (outputs_.log_dir.empty()) return NotFound("no build log for " + package + ": logs are not kept");
  std::ifstream in(fs::path(outputs_.log_dir) / (package + ".log"), std::ios::binary);
  if (!in) return NotFound("no build log for " + package + " yet");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<api::Drone> SwarmController::DroneVerbLocked(
    const std::string& name, const std::function<Status(Changes&)>& change) {
  if (!swarm_) return NotFound("no Swarm has been applied yet (swarmctl apply -f swarm.yaml)");
  if (!RosterMemberLocked(name)) return NotFound("drone \"" + name + "\" is not in the roster");
  Changes changes;
  if (Status s = change(changes); !s.ok()) return s;
  if (Status s = CommitLocked(std::move(changes)); !s.ok()) return s;
  ScheduleSwarmPassLocked();
  return DroneLocked(*RosterMemberLocked(name));
  return NotFound("drone \"" + name + "\" is not in the roster");
}

Result<api::Drone> SwarmController::Cordon(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(statuses_, name);
    if (s.cordoned) return Status::Ok();
    s.cordoned = true;
    c.Event(api::kKindDrone, name, events::kNormal, events::kDroneCordoned,
            name + " cordoned: no new work; what it runs finishes");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Uncordon(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(statuses_, name);
    if (!s.cordoned) return Status::Ok();
    s.cordoned = false;
    c.Event(api::kKindDrone, name, events::kNormal, events::kDroneUncordoned,
            name + " uncordoned: takes work again");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Drain(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(statuses_, name);
    s.cordoned = true;
    const size_t before = c.packages.size();
    ReclaimAssignmentsLocked(name, "drained by swarmctl drain", true, c);
    c.Event(api::kKindDrone, name, events::kNormal, events::kDroneDrained,
            name + " drained: cordoned, " + std::to_string(c.packages.size() - before) +
                " build(s) taken back");
    return Status::Ok();
  });
}

Result<api::Drone> SwarmController::Unground(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  return DroneVerbLocked(name, [&](Changes& c) {
    api::DroneStatus& s = c.Drone(statuses_, name);
    s.consecutive_failures = 0;
    if (auto cond = reconcilers::Unground(s, reconcilers::kGroundedByHand,
                                          "ungrounded by swarmctl unground")) {
      api::SetCondition(s.conditions, *cond, clock_->Now());
      c.Event(api::kKindDrone, name, events::kNormal, events::kDroneUngrounded, cond->message);
    }
    return Status::Ok();
  });
}

Result<int> SwarmController::VerifyBinhost(bool full) {
  if (outputs_.binhost == nullptr) return 0;
  std::vector<std::pair<std::string, api::BinaryPackageRef>> published;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& p : packages_) {
      if (p.phase == api::kPhaseComplete && p.binpkg) published.emplace_back(p.name, *p.binpkg);
    }
  }
  std::vector<BinhostProblem> problems = outputs_.binhost->Verify(published, full);
  // A package republished while the check ran is not the file that was checked.
  std::set<std::pair<std::string, std::string>> checked;
  for (const auto& [name, ref] : published) checked.insert({name, ref.sha256});
  std::lock_guard<std::mutex> l(mu_);
  if (problems.empty()) return 0;
  Changes changes;
  for (const auto& problem : problems) {
    if (auto i = packages_.IndexOf(problem.package)) {
      const api::Package& p = packages_[*i];
      // Only if it is still the package and file that were checked.
      if (p.phase != api::kPhaseComplete || !p.binpkg || p.binpkg->path != problem.path ||
          !checked.count({p.name, p.binpkg->sha256})) {
        continue;
      }
      api::Package next = reconcilers::Requeue(
          p, api::PackageFailure{"Binpkg", problem.what, p.drone});
      next.binpkg.reset();
      next.completed_at.reset();
      next.index_entry.clear();
      changes.Package(packages_, *i) = next;
      changes.Event("Package", p.name, events::kWarning, events::kBinpkgCorrupt,
                    problem.what + "; " + p.name + " is built again");
      spdlog::warn("binhost: {}; {} is built again", problem.what, p.name);
    }
  }
  const int requeued = static_cast<int>(changes.packages.size());
  if (Status st = CommitLocked(std::move(changes)); !st.ok()) return st;
  ScheduleSwarmPassLocked();
  return requeued;
}

void SwarmController::ResetBinhostIndexLocked() {
  if (!index_writer_) return;
  std::vector<PublishedPackage> published;
  for (const auto& p : packages_) {
    if (p.phase == api::kPhaseComplete && p.binpkg) {
      published.push_back({p.name, p.binpkg->path, p.index_entry});
    }
  }
  index_writer_->Reset(std::move(published));
}

Status SwarmController::FlushBinhostIndex() {
  if (!index_writer_) return Status::Ok();
  return index_writer_->Flush();
}

void SwarmController::RunBinhostChecks(Duration interval, int full_every) {
  for (int pass = 1;; ++pass) {
    {
      std::unique_lock<std::mutex> l(mu_);
      if (stop_cv_.wait_for(l, interval, [this] { return stop_; })) return;
    }
    auto n = VerifyBinhost(full_every > 0 && pass % full_every == 0);
    if (!n.ok()) spdlog::error("checking the binhost: {}", n.status().ToString());
  }
}

}  // namespace swarm::controller
