#pragma once

// What changed, in commit order, for watches (docs/api.md, "Watching"): each
// change of a Swarm, drone, package or event gets the next resource version
// of this process, and a watch asks for what changed after the version it
// last saw. A bounded log: a version older than the oldest change kept (or
// from another run of the controller) has expired, and the client lists
// again, as a Kubernetes client does on 410 Gone.
//
// Thread safety: the writer's calls (CommitListener) and Changes() run under
// the controller's lock; Wait() takes only this log's own lock, so a waiting
// watch never holds the controller's.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/types.h"
#include "base/status.h"
#include "controller/state/writer.h"

namespace swarm::controller {

enum class WatchKind { kSwarm, kDrone, kPackage, kEvent };
// Kubernetes' watch event types.
enum class WatchChange { kAdded, kModified, kDeleted };
const char* WatchChangeName(WatchChange c);  // "ADDED", "MODIFIED", "DELETED"

struct WatchEntry {
  uint64_t version = 0;
  WatchKind kind = WatchKind::kSwarm;
  WatchChange change = WatchChange::kModified;
  std::string name;                 // the object's name (a package's cat/pkg-ver)
  std::optional<api::Event> event;  // kEvent: the event as stored by this commit
};

class WatchLog final : public CommitListener {
 public:
  // Keeps the last `capacity` changes.
  explicit WatchLog(size_t capacity = 16384);

  // The version a list read under the controller's lock is consistent with.
  std::string ResourceVersion() const;
  // The same, as the number Parse() gives.
  uint64_t Current() const;

  // Where a client's resource version stands. Expired when it is older
  // than what the log keeps or from another run; InvalidArgument when it is
  // not a resource version at all.
  Result<uint64_t> Parse(const std::string& resource_version) const;

  // Waits, without the controller's lock, until a change of `kind` after
  // `since` is logged, `deadline` passes or Close() is called. True when
  // there is such a change.
  bool Wait(uint64_t since, WatchKind kind, std::chrono::steady_clock::time_point deadline);

  // The changes of `kind` after `since`, oldest first. Expired when `since`
  // is older than what the log keeps. Under the controller's lock, so
  // objects read in the same hold are as of ResourceVersion().
  Result<std::vector<WatchEntry>> Since(uint64_t since, WatchKind kind) const;

  // Wakes every Wait, which returns false from now on (the server stops).
  void Close();

  // CommitListener
  void PackageChanged(const api::Package& before, const api::Package& after) override;
  void QueueReplaced(const std::vector<api::Package>& before, const PackageQueue& after) override;
  void EventRecorded(const api::Event& e) override;
  void DroneChanged(const std::string& name) override;
  void SwarmChanged(const api::Swarm& after) override;
  void Committed() override;
  void Loaded(const SwarmState& state) override;

 private:
  void AppendLocked(WatchKind kind, WatchChange change, std::string name,
                    std::optional<api::Event> event = std::nullopt);
  // Forgets every change: a client at an earlier version lists again.
  void ExpireAllLocked();
  std::string VersionText(uint64_t v) const;

  const size_t capacity_;
  const std::string epoch_;  // random per run: versions of another run expire

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<WatchEntry> entries_;  // versions increasing, the last `capacity_`
  uint64_t version_ = 0;            // the last change's version
  uint64_t expired_through_ = 0;    // versions up to this one are no longer kept
  bool closed_ = false;
  bool pending_ = false;  // changes appended since the last Committed()

  // Under the controller's lock only (the writer's calls).
  std::optional<int64_t> roster_generation_;
  std::set<std::string> roster_;
};

}  // namespace swarm::controller
