#pragma once

// Builds: what happens to a package while a drone holds it. Assignments are
// fenced leases (an assignment id per try), renewed by listing them in
// heartbeats; this concern judges ended builds (reconcilers/build_outcome),
// publishes successes on the binhost, takes builds back (a drone lost, gone
// from the roster, drained, a stale queue withdrawn, an orphan found after a
// crash) and keeps build logs. It decides into Changes and commits each
// decision through the one writer; counting a failure against a drone is
// Faults' (faults/faults.h).
// Thread safety: none; called under the controller's lock, except the log
// files (KeepLog, ReadLog), which touch only the disk.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/follower.h"
#include "controller/state/changes.h"
#include "controller/state/state.h"
#include "controller/state/writer.h"
#include "controller/faults/faults.h"

namespace swarm::controller {

class Builds final : public CommitListener {
 public:
  // None is owned. Without `binhost` every success is refused; without
  // `log_dir` build logs are not kept.
  Builds(const SwarmState* state, StateWriter* writer, Clock* clock, Faults* faults,
         BinhostFollower* binhost, std::string log_dir);

  // --- Reads ---
  // Every assignment `name` holds, as its heartbeat reply lists them.
  std::vector<api::BuildAssignment> AssignmentsFor(const std::string& name) const;
  // The package Building on `name` under `assignment`; Conflict (stop it) when
  // that is not the current assignment (fencing).
  Result<size_t> Current(const std::string& name, const std::string& assignment) const;
  // Builds `name` holds now: assigned to it, or still listed in `status`.
  int Held(const std::string& name, const api::DroneStatus& status) const;

  // --- Decisions, each committed ---
  // A build's end is taken in three steps, so that publishing (a rename and
  // fsyncs) runs outside the controller's lock:
  //   1. BeginResult (lock): the assignment is current and the result well
  //      formed; a success's path is reserved (one publish per path at a time).
  //   2. Publish (no lock): the staged upload becomes the file at its path.
  //   3. EndPublish, then TakeResult (lock).
  struct Begun {
    std::string package;                 // cat/pkg-ver the assignment builds
    std::optional<std::string> publish;  // the path reserved for a success
  };
  Result<Begun> BeginResult(const std::string& name, const api::BuildResult& result);
  // Publishes a success's upload for `package`. InvalidArgument when it is
  // refused (no upload, another file than claimed, not this package's path);
  // other errors are the binhost's disk (the agent retries).
  Result<api::BinaryPackageRef> Publish(const std::string& package,
                                        const api::BuildResult& result) const;
  // After a success was published but its assignment taken back meanwhile
  // (TakeResult's Conflict): the file at `ref`'s path goes, unless
  // `package` records it as published (the only one whose path it can be).
  // A rare unlink under the lock.
  void UnpublishUnrecorded(const std::string& package, const api::BinaryPackageRef& ref);
  // Releases the path BeginResult reserved.
  void EndPublish(const std::string& path) { publishing_.erase(path); }
  // The paths being published now (reserved by BeginResult, not yet taken).
  const std::set<std::string>& publishing() const { return publishing_; }
  // Judges the build's end (`published`: step 2's outcome for a success, else
  // null). Conflict when the assignment was taken back meanwhile; Rejected
  // when the success was refused: the package is built again and an event
  // says why. `fault_raised` tells that a systemic fault was raised
  // (Faults::Raised is the caller's to call).
  Status TakeResult(const std::string& name, const api::BuildResult& result,
                    const Result<api::BinaryPackageRef>* published, bool* fault_raised);
  // The upload for `assignment` was refused: the assignment ends and the
  // package is built again.
  Status RejectUpload(const std::string& name, const std::string& assignment,
                      const std::string& why);
  // Renews `name`'s leases from its report; a build left out of
  // kActionLostAfterBeats reports in a row is lost (a crash, one failure).
  Status RenewLeases(const std::string& name, const api::DroneReport& report);
  // While the queue's stamp (tree, deploy) differs from the spec, nothing
  // built from it is wanted: every assignment is taken back, nobody blamed.
  Status WithdrawStale();
  // Level-triggered repair: a package Building on a drone that is not in the
  // roster (or under no assignment id) goes back to Needed, whatever was or
  // was not written before (a crash between two decisions).
  Status ReclaimOrphans();
  // The binhost check found these files bad (`checked`: package and sha256
  // of what was hashed): each package still published with that file is
  // built again. Returns how many.
  Result<int> RequeueCorrupt(const std::vector<BinhostProblem>& problems,
                             const Binhost::PublishedList& checked);
  // The same, into `changes` (a larger decision); returns how many.
  int RequeueCorruptInto(Changes& changes, const std::vector<BinhostProblem>& problems,
                         const Binhost::PublishedList& checked) const;

  // The most memory a drone that builds has, as the swarm pass counted it
  // (labels capping reports): no OOM teaches a package a floor above it.
  // Kept from pass to pass so that a build's end scans no roster.
  void SetLargestMemory(int64_t bytes) { largest_memory_ = bytes; }

  // Takes back every assignment of `name` into `changes`: back to Needed,
  // attempts kept; `exclude` adds the drone to excludedDrones.
  void Reclaim(const std::string& name, const std::string& why, bool exclude, Changes& changes);

  // --- Logs (no lock) ---
  // Keeps `log` (its last api::kMaxBuildLogBytes, whole characters) as
  // `package`'s last build log.
  Status KeepLog(const std::string& package, const std::string& log) const;
  // NotFound when none was kept.
  Result<std::string> ReadLog(const std::string& package) const;

  // CommitListener: the lease counter of an assignment goes with it.
  void PackageChanged(const api::Package& before, const api::Package& after) override;
  void QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) override;

 private:
  const SwarmState& state_;
  StateWriter& writer_;
  Clock* const clock_;
  Faults& faults_;
  BinhostFollower* const binhost_;
  const std::string log_dir_;
  std::map<std::string, int> unheld_;  // assignment id -> reports in a row without it
  std::set<std::string> publishing_;   // binhost paths being published now
  int64_t largest_memory_ = 0;         // SetLargestMemory; 0 before the first pass
};

}  // namespace swarm::controller
