#include "controller/builds/builds.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api/cpv.h"
#include "api/events.h"
#include "api/limits.h"
#include "base/digest.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "controller/reconcilers/action_state.h"
#include "controller/reconcilers/build_outcome.h"
#include "controller/reconcilers/queue.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;

// When the binhost holds exactly `claimed` at its path already: the file's
// ref, with the digests the index lists, hashed from the file (no lock is
// held: this is a build result's publication step).
std::optional<api::BinaryPackageRef> PublishedAlready(const Binhost& binhost,
                                                      const api::BinaryPackageRef& claimed) {
  std::error_code ec;
  const fs::path file = fs::path(binhost.dir()) / claimed.path;
  if (claimed.size <= 0 || static_cast<int64_t>(fs::file_size(file, ec)) != claimed.size || ec) {
    return std::nullopt;
  }
  auto digests = BinpkgDigestsOfFile(file.string());
  if (!digests.ok() || digests->sha256 != claimed.sha256) return std::nullopt;
  return api::BinaryPackageRef{claimed.path, claimed.size, digests->sha256, digests->md5,
                               digests->sha1};
}

}  // namespace

Builds::Builds(const SwarmState* state, StateWriter* writer, Clock* clock, Faults* faults,
               BinhostFollower* binhost, std::string log_dir)
    : state_(*state),
      writer_(*writer),
      clock_(clock),
      faults_(*faults),
      binhost_(binhost),
      log_dir_(std::move(log_dir)) {}

std::vector<api::BuildAssignment> Builds::AssignmentsFor(const std::string& name) const {
  std::vector<api::BuildAssignment> out;
  const PackageQueue& queue = state_.packages;
  for (size_t i : queue.BuildingOn(name)) {
    const api::Package& p = queue[i];
    if (p.assignment.empty()) continue;
    out.push_back({p.assignment, p.name, p.attempts, queue.LastBuildMs(api::PackageKey(p.name)),
                   p.tree_revision});
  }
  return out;
}

Result<size_t> Builds::Current(const std::string& name, const std::string& assignment) const {
  auto i = state_.packages.FindAssignment(name, assignment);
  if (!i) {
    return Conflict("assignment " + assignment + " is not current on drone " + name +
                    ": the package was taken back or given to another drone; stop it");
  }
  return *i;
}

int Builds::Held(const std::string& name, const api::DroneStatus& status) const {
  std::set<std::string> held;
  for (const auto& b : status.builds) held.insert(b.assignment);
  for (size_t i : state_.packages.BuildingOn(name)) held.insert(state_.packages[i].assignment);
  return static_cast<int>(held.size());
}

Result<Builds::Begun> Builds::BeginResult(const std::string& name,
                                          const api::BuildResult& result) {
  auto index = Current(name, result.assignment);
  if (!index.ok()) return index.status();
  const api::Package& package = state_.packages[*index];
  if (package.name != result.package) {
    return InvalidArgument("assignment " + result.assignment + " is for " + package.name +
                           ", not " + result.package);
  }
  Begun begun{package.name, std::nullopt};
  if (result.outcome != api::kBuildSucceeded) return begun;
  if (!result.binpkg) return InvalidArgument("a successful build result needs its binpkg");
  if (binhost_ == nullptr) return Unavailable("this controller has no binhost directory");
  if (!publishing_.insert(result.binpkg->path).second) {
    return Unavailable("another build's " + result.binpkg->path +
                       " is being published right now; try again");
  }
  begun.publish = result.binpkg->path;
  return begun;
}

Result<api::BinaryPackageRef> Builds::Publish(const std::string& package,
                                              const api::BuildResult& result) const {
  // The index on disk may still list this path with the file a rebuild is
  // about to replace (its removal waits for the debounce): it is written
  // without it first, so it never lists the path with another file's size.
  if (Status s = binhost_->FlushIfListed(result.binpkg->path); !s.ok()) return s;
  std::string wrong;
  Result<api::BinaryPackageRef> pub =
      BinpkgPathIsFor(result.binpkg->path, package, &wrong)
          ? binhost_->binhost().Publish(result.assignment, *result.binpkg)
          : Result<api::BinaryPackageRef>(InvalidArgument(wrong));
  if (!pub.ok() && pub.status().code() == StatusCode::kInvalidArgument) {
    // Published before a store error kept the success from being recorded:
    // the agent's retry finds the file in place.
    if (auto in_place = PublishedAlready(binhost_->binhost(), *result.binpkg)) return *in_place;
  }
  return pub;
}

void Builds::UnpublishUnrecorded(const std::string& package, const api::BinaryPackageRef& ref) {
  if (auto i = state_.packages.IndexOf(package)) {
    const api::Package& p = state_.packages[*i];
    if (p.phase == api::kPhaseComplete && p.binpkg && p.binpkg->path == ref.path) return;
  }
  if (Status st = binhost_->binhost().Unpublish(ref.path); !st.ok()) {
    spdlog::warn("removing {}, published for a build taken back meanwhile: {}", ref.path,
                 st.ToString());
  }
}

Status Builds::TakeResult(const std::string& name, const api::BuildResult& result,
                          const Result<api::BinaryPackageRef>* published_or,
                          bool* fault_raised) {
  *fault_raised = false;
  auto index = Current(name, result.assignment);
  if (!index.ok()) return index.status();
  const api::Package package = state_.packages[*index];
  Changes changes;
  std::optional<api::BinaryPackageRef> published;
  if (published_or != nullptr) {
    const Result<api::BinaryPackageRef>& pub = *published_or;
    if (!pub.ok() && pub.status().code() != StatusCode::kInvalidArgument) {
      return pub.status();  // the binhost's disk: the build is fine, the agent retries
    }
    if (!pub.ok()) {
      const std::string why = package.name + " from " + name +
                              " refused: " + pub.status().message() + "; it is built again";
      api::Package next = reconcilers::Requeue(
          package, api::PackageFailure{"Binpkg", pub.status().message(), name});
      // Refused twice from the same drone: it goes elsewhere.
      if (package.last_failure && package.last_failure->failure_class == "Binpkg" &&
          package.last_failure->drone == name) {
        reconcilers::AddUnique(next.excluded_drones, name);
      }
      changes.Package(state_, *index) = next;
      changes.Event(api::kKindPackage, package.name, api::events::kWarning,
                    api::events::kBinpkgRejected, why);
      if (Status s = writer_.Commit(std::move(changes)); !s.ok()) return s;
      spdlog::warn("{}", why);
      return Rejected(why);
    }
    published = *pub;
  }

  // One drone's Systemic report alone does not stop the swarm.
  std::set<std::string> systemic_reporters;
  if (result.outcome == api::kBuildFailed && result.failure_class == api::kFailureSystemic) {
    systemic_reporters = faults_.RecordSystemicReport(name);
  }
  reconcilers::BuildVerdict verdict = reconcilers::ApplyBuildResult(
      package, result, name,
      // The builds beside this one as it ended: those still running, and it.
      reconcilers::DroneAtEnd{
          state_.DroneMemory(name),
          state_.RunningOn(name) + (state_.Uploading(name, package.assignment) ? 1 : 0),
          state_.DroneCores(name), largest_memory_},
      published, clock_->Now(), static_cast<int>(systemic_reporters.size()));
  changes.Package(state_, *index) = verdict.package;
  changes.Event(
      api::kKindPackage, package.name,
      result.outcome == api::kBuildSucceeded ? api::events::kNormal : api::events::kWarning,
      verdict.event_reason, verdict.event_message);
  if (verdict.drone_cleared) faults_.CountSuccess(name, package.name, changes);
  if (verdict.drone_blamed) {
    *fault_raised |= faults_.JudgeDroneFailure(name, package.name, result, changes);
  }
  if (verdict.systemic) {
    *fault_raised |= faults_.RaiseShared(
        "SystemicFailure",
        package.name + " failed on " + name + " with " + result.failure_class + ": " +
            result.message + " (Systemic failures reported within 10m by " +
            Join(std::vector<std::string>(systemic_reporters.begin(), systemic_reporters.end()),
                 ", ") +
            ")",
        systemic_reporters, changes);
  }
  // Grounding and faults are stored before anything acts on them.
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  if (result.outcome != api::kBuildSucceeded) {
    spdlog::warn("{}", verdict.event_message);
  } else {
    spdlog::info("{}", verdict.event_message);
  }
  return Status::Ok();
}

Status Builds::RejectUpload(const std::string& name, const std::string& assignment,
                            const std::string& why) {
  auto index = state_.packages.FindAssignment(name, assignment);
  if (!index) return Status::Ok();  // already ended
  const api::Package& p = state_.packages[*index];
  Changes changes;
  changes.Package(state_, *index) =
      reconcilers::Requeue(p, api::PackageFailure{"Binpkg", why, name});
  changes.Event(
      api::kKindPackage, p.name, api::events::kWarning, api::events::kBinpkgRejected,
      "upload of " + p.name + " from " + name + " refused: " + why + "; it is built again");
  return writer_.Commit(std::move(changes));
}

Status Builds::RenewLeases(const std::string& name, const api::DroneReport& report) {
  const std::set<size_t>& building = state_.packages.BuildingOn(name);
  if (building.empty()) return Status::Ok();
  std::set<std::string> held;
  for (const auto& b : report.builds) held.insert(b.assignment);
  Changes changes;
  int lost = 0;
  for (size_t i : building) {
    const api::Package& p = state_.packages[i];
    int& unheld = unheld_[p.assignment];
    unheld = held.count(p.assignment) ? 0 : unheld + 1;
    if (unheld < reconcilers::kActionLostAfterBeats) continue;
    const std::string why = name + " no longer holds assignment " + p.assignment +
                            " (left out of " + std::to_string(unheld) +
                            " heartbeats: the agent restarted or lost it)";
    api::Package& next = changes.Package(state_, i);
    next = reconcilers::Requeue(next, api::PackageFailure{api::kFailureCrash, why, name});
    changes.Event(api::kKindPackage, p.name, api::events::kWarning, api::events::kBuildLost, why);
    // Builds lost together are one crash of the agent, one failure.
    if (++lost > 1) continue;
    faults_.CountFailure(name, p.name, why, changes);
  }
  // The counters of assignments that end go with them (PackageChanged).
  return writer_.Commit(std::move(changes));
}

Status Builds::WithdrawStale() {
  const api::QueueSummary& stamp = state_.swarm->status.queue;
  const api::SwarmSpec& spec = state_.swarm->spec;
  if (stamp.tree_revision.empty() || (stamp.tree_revision == spec.portage.tree_revision &&
                                      stamp.deploy_version == spec.deploy.version)) {
    return Status::Ok();
  }
  const std::string why = "withdrawn: the queue was computed against tree " +
                          reconcilers::ShortRevision(stamp.tree_revision) + " and deploy " +
                          stamp.deploy_version + ", the spec now wants tree " +
                          reconcilers::ShortRevision(spec.portage.tree_revision) +
                          " and deploy " + spec.deploy.version + "; nobody is blamed";
  Changes changes;
  for (size_t i = 0; i < state_.packages.size(); ++i) {
    const api::Package& p = state_.packages[i];
    if (p.phase != api::kPhaseBuilding) continue;
    api::Package& next = changes.Package(state_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    // Not an attempt of the package: its build was stopped, not tried out.
    next.attempts = std::max(0, next.attempts - 1);
    changes.Event(api::kKindPackage, p.name, api::events::kNormal, api::events::kBuildWithdrawn,
                  p.drone + "'s build of " + p.name + " " + why);
  }
  if (!changes.packages.empty()) spdlog::info("{} build(s) {}", changes.packages.size(), why);
  return writer_.Commit(std::move(changes));
}

Status Builds::ReclaimOrphans() {
  Changes changes;
  for (size_t i = 0; i < state_.packages.size(); ++i) {
    const api::Package& p = state_.packages[i];
    if (p.phase != api::kPhaseBuilding) continue;
    std::string why;
    if (!state_.RosterMember(p.drone)) {
      why = "its drone " + (p.drone.empty() ? std::string("<none>") : p.drone) +
            " is not in the roster";
    } else if (p.assignment.empty()) {
      why = "it has no assignment id";
    } else {
      continue;
    }
    changes.Package(state_, i) = reconcilers::Requeue(p, std::nullopt);
    changes.Event(api::kKindPackage, p.name, api::events::kWarning, api::events::kBuildReclaimed,
                  "taken back: " + why);
  }
  return writer_.Commit(std::move(changes));
}

void Builds::Reclaim(const std::string& name, const std::string& why, bool exclude,
                     Changes& changes) {
  for (size_t i : state_.packages.BuildingOn(name)) {
    const api::Package& p = state_.packages[i];
    api::Package& next = changes.Package(state_, i);
    next = reconcilers::Requeue(next, std::nullopt);
    if (exclude) reconcilers::AddUnique(next.excluded_drones, name);
    changes.Event(api::kKindPackage, p.name, api::events::kWarning, api::events::kBuildReclaimed,
                  "taken back from " + name + ": " + why);
  }
}

Result<int> Builds::RequeueCorrupt(const std::vector<BinhostProblem>& problems,
                                   const Binhost::PublishedList& checked_list) {
  if (problems.empty()) return 0;
  Changes changes;
  const int requeued = RequeueCorruptInto(changes, problems, checked_list);
  if (Status st = writer_.Commit(std::move(changes)); !st.ok()) return st;
  return requeued;
}

int Builds::RequeueCorruptInto(Changes& changes, const std::vector<BinhostProblem>& problems,
                               const Binhost::PublishedList& checked_list) const {
  // A package republished while the check ran is not the file that was checked.
  std::set<std::pair<std::string, std::string>> checked;
  for (const auto& [name, ref] : checked_list) checked.insert({name, ref.sha256});
  int requeued = 0;
  for (const auto& problem : problems) {
    auto i = state_.packages.IndexOf(problem.package);
    if (!i) continue;
    const api::Package& p = state_.packages[*i];
    if (p.phase != api::kPhaseComplete || !p.binpkg || p.binpkg->path != problem.path ||
        !checked.count({p.name, p.binpkg->sha256})) {
      continue;
    }
    api::Package next = reconcilers::Requeue(p, api::PackageFailure{"Binpkg", problem.what, p.drone});
    next.binpkg.reset();
    next.completed_at.reset();
    next.index_entry.clear();
    changes.Package(state_, *i) = next;
    ++requeued;
    changes.Event(api::kKindPackage, p.name, api::events::kWarning, api::events::kBinpkgCorrupt,
                  problem.what + "; " + p.name + " is built again");
    spdlog::warn("binhost: {}; {} is built again", problem.what, p.name);
  }
  return requeued;
}

Status Builds::KeepLog(const std::string& package, const std::string& log) const {
  if (log_dir_.empty()) return Status::Ok();
  const std::string kept = CutUtf8Tail(log, api::kMaxBuildLogBytes);
  const fs::path path = fs::path(log_dir_) / (package + ".log");
  if (Status st = MakeDirs(path.parent_path().string()); !st.ok()) return st;
  return WriteFileAtomically(path.string(), kept);
}

Result<std::string> Builds::ReadLog(const std::string& package) const {
  if (package.size() > 256 || !api::ParseCpv(package).ok()) {
    return InvalidArgument("\"" + package + "\" is not a cat/pkg-ver");
  }
  if (log_dir_.empty()) return NotFound("no build log for " + package + ": logs are not kept");
  std::ifstream in(fs::path(log_dir_) / (package + ".log"), std::ios::binary);
  if (!in) return NotFound("no build log for " + package + " yet");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Builds::PackageChanged(const api::Package& before, const api::Package& after) {
  if (!before.assignment.empty() && before.assignment != after.assignment) {
    unheld_.erase(before.assignment);
  }
}

void Builds::QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) {
  for (const auto& p : before) {
    if (!p.assignment.empty() && !after.FindAssignment(p.drone, p.assignment)) {
      unheld_.erase(p.assignment);
    }
  }
}

}  // namespace swarm::controller
