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
  // An event the commit recorded (one occurrence, whatever its stored count).
  virtual void EventRecorded(const api::Event& e) {}
};

class StateWriter {
 public:
  // Neither is owned; both outlive the writer.
  StateWriter(Store* store, Clock* clock, SwarmState* state)
      : store_(store), clock_(clock), state_(state) {}

  // Not owned; told of every commit from now on, in the order added.
  void AddListener(CommitListener* l) { listeners_.push_back(l); }

  // Writes `c` in one transaction, then applies it to the state and tells the
  // listeners. On error nothing changed, in the store or in memory.
  Status Commit(Changes c);
  // The ready set's order from now on (the scheduler's priorities): memory
  // only, an order of what is stored already.
  void SetPriorities(const std::vector<Duration>& priority) {
    state_->packages.SetPriorities(priority);
  }

 private:
  Status Write(const Changes& c);

  Store* const store_;
  Clock* const clock_;
  SwarmState* const state_;
  std::vector<CommitListener*> listeners_;
};

}  // namespace swarm::controller
