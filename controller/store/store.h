#pragma once

// Durable state of the controller in one SQLite file (WAL): the Swarm, each
// roster member's observed status, and events. Every method is one
// transaction unless called inside Transaction(). SQLite errors are caught
// here and returned as Status (Internal, or Unavailable for a locked/busy db).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"
#include "base/status.h"

struct sqlite3;

namespace swarm::controller {

struct EventFilter {
  std::string object_kind;  // empty: any
  std::string object_name;  // empty: any
  size_t limit = 100;       // the newest this many, listed oldest first
};

// kDurable: every commit is on disk before it returns (the controller).
// kThrowaway: nothing is fsynced; for a store deleted after the run (the
// simulator), where a crash loses nothing anyone keeps.
enum class Durability { kDurable, kThrowaway };

// Thread safety: not thread-safe; the controller serializes calls.
class Store {
 public:
  // Opens or creates the database at `path`, applying schema migrations.
  // Unavailable when the file cannot be opened; Internal when it is not a
  // build-swarm database or its schema is newer than this program knows.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             Durability durability = Durability::kDurable);
  ~Store();

  // Runs `body` inside one transaction (BEGIN IMMEDIATE); commits when it
  // returns ok, rolls back otherwise and returns its status. Not reentrant.
  Status Transaction(const std::function<Status()>& body);

  // The one Swarm, or nullopt when none was applied yet.
  Result<std::optional<api::Swarm>> GetSwarm();
  // Writes the whole Swarm (metadata, spec, status) as given; the caller
  // owns generation and resourceVersion.
  Status PutSwarm(const api::Swarm& swarm);
  // Writes the Swarm's resourceVersion, annotations and status, keeping the
  // stored spec and generation: every write but an apply's, without the cost
  // of the spec (its queue may list 100,000 packages). NotFound when no Swarm
  // is stored.
  Status PutSwarmStatus(const api::Swarm& swarm);

  // Observed status of every drone ever stored, by name (unordered).
  Result<std::vector<std::pair<std::string, api::DroneStatus>>> ListDroneStatuses();
  // NotFound when no drone of that name is stored.
  Result<api::DroneStatus> GetDroneStatus(const std::string& name);
  Status PutDroneStatus(const std::string& name, const api::DroneStatus& status);
  // Ok also when it was not there.
  Status DeleteDrone(const std::string& name);

  // Records an event. An event equal in kind, name, type, reason and message
  // to the newest stored event for that object is folded into it: count + 1,
  // lastTimestamp = e.last_timestamp. Keeps at most `max_events` events,
  // dropping the oldest. Returns the stored event (with id and count).
  Result<api::Event> RecordEvent(const api::Event& e);
  Result<std::vector<api::Event>> ListEvents(const EventFilter& filter);

  // The build queue in queue order.
  Result<std::vector<api::Package>> ListPackages();
  // Replaces the whole queue with `packages`, in that order (one transaction).
  Status ReplacePackages(const std::vector<api::Package>& packages);
  // Updates one queued package; NotFound when it is not queued.
  Status PutPackage(const api::Package& package);

  // The binhost's releases, by name (which sorts them by when they were cut).
  Result<std::vector<api::Release>> ListReleases();
  // Writes `release` whole, replacing one of the same name.
  Status PutRelease(const api::Release& release);
  // Ok also when it was not there.
  Status DeleteRelease(const std::string& name);

  void set_max_events(size_t n) { max_events_ = n; }

  // For tests of crash safety: after `commits` more commits (a Transaction,
  // or a write outside one), every write fails with Unavailable and nothing
  // more reaches the file, as if the process had been killed there. Reopening
  // the file gives what a restart after kill -9 finds. Negative: never.
  void CrashAfterCommits(int commits);
  // True once CrashAfterCommits refused a write.
  bool crashed() const { return crashed_; }

 private:
  // Counts a commit about to start (outside a transaction only); refused
  // once CrashAfterCommits' budget is spent.
  Status Admit();
  explicit Store(sqlite3* db);
  sqlite3* db_;
  size_t max_events_ = 5000;
  bool in_transaction_ = false;  // methods called inside Transaction() join it
  int commits_left_ = -1;        // CrashAfterCommits: -1 never
  bool crashed_ = false;
};

}  // namespace swarm::controller
