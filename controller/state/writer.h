#pragma once

// The controller's one writer: every decision (a Changes) is written to the
// store in one transaction, events included, and only once committed applied
// to the state in memory. A crash between two decisions leaves each whole or
// absent; what memory holds is never ahead of the store (except what
// Changes::observed keeps in memory by design).
// Thread safety: none; called under the controller's lock.

#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/state/changes.h"
#include "controller/state/state.h"
#include "controller/store/store.h"

namespace swarm::controller {

// Told of what a commit changed, after it is applied; O(1) per change, under
// the lock (the binhost's staging and index, a concern's own memory).
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  // Package `before` became `after` (same name).
  virtual void PackageChanged(const api::Package& before, const api::Package& after) {}
  // The whole queue was replaced; `after` is the state's queue now.
  virtual void QueueReplaced(const std::vector<api::Package>& before,
                             const PackageQueue& after) {}
  // An event the commit recorded (one occurrence), as stored: its id, and
  // its count when it folded into an earlier one.
  virtual void EventRecorded(const api::Event& e) {}
  // Drone `name`'s status changed (stored or only observed).
  virtual void DroneChanged(const std::string& name) {}
  // The releases changed; `after` is the state's list now.
  virtual void ReleasesChanged(const std::vector<api::Release>& after) {}
  // The Swarm changed; `after` is the state's Swarm now.
  virtual void SwarmChanged(const api::Swarm& after) {}
  // The commit's last call: every change of it was told.
  virtual void Committed() {}
  // The state was loaded from the store (the controller starts), not
  // committed: what is there now is where changes begin.
  virtual void Loaded(const SwarmState& state) {}
};

// Orders releases as SwarmState::releases keeps them: oldest first.
void SortReleases(std::vector<api::Release>& releases);

class StateWriter {
 public:
  // Neither is owned; both outlive the writer.
  StateWriter(Store* store, Clock* clock, SwarmState* state)
      : store_(store), clock_(clock), state_(state) {}

  // Not owned; told of every commit from now on, in the order added.
  void AddListener(CommitListener* l) { listeners_.push_back(l); }
  // Tells the listeners the state was loaded from the store.
  void Loaded() {
    for (auto* l : listeners_) l->Loaded(*state_);
  }

  // Writes `c` in one transaction, then applies it to the state and tells the
  // listeners. On error nothing changed, in the store or in memory.
  Status Commit(Changes c);
  // The ready set's order from now on (the scheduler's priorities): memory
  // only, an order of what is stored already.
  void SetPriorities(const std::vector<Duration>& priority) {
    state_->packages.SetPriorities(priority);
  }

 private:
  // Writes `c`; `recorded` gets its events as stored.
  Status Write(const Changes& c, std::vector<api::Event>* recorded);

  Store* const store_;
  Clock* const clock_;
  SwarmState* const state_;
  std::vector<CommitListener*> listeners_;
};

}  // namespace swarm::controller
