#include "controller/reconcilers/tree_sync.h"

#include "api/quantity.h"
#include "controller/reconcilers/queue.h"

namespace swarm::controller::reconcilers {
DroneConvergence ReconcileTreeSync(const std::string& wanted, const api::DroneStatus& observed,
                                   bool resync_requested, const ActionState& sync, SteadyTime now,
                                   int builds_held) {
  DroneConvergence out;
  api::Condition& c = out.condition;
  c.type = api::condition::kTreeSynced;
  if (!observed.last_heartbeat_time) {
    c.status = api::kUnknown;
    c.reason = "AwaitingReport";
    c.message = "the drone has not reported yet";
    return out;
  }
  const bool forced = resync_requested || sync.forced;
  const bool converged = observed.tree_revision == wanted && !forced;
  const ConvergeDecision d = DecideConvergence(converged, sync, now, builds_held);
  using Phase = ConvergeDecision::Phase;
  c.status = d.phase == Phase::kConverged ? api::kTrue : api::kFalse;
  switch (d.phase) {
    case Phase::kConverged:
      c.reason = "Synced";
      c.message = "tree at " + wanted;
      break;
    case Phase::kInFlight:
      c.reason = "Syncing";
      c.message = "syncing to " + ShortRevision(wanted) + " (action " + sync.in_flight->id + ")";
      break;
    case Phase::kBackingOff:
      c.reason = "SyncFailed";
      c.message = "hooks.sync failed " + std::to_string(sync.failures) + " time(s), retry at " +
                  FormatTime(sync.retry_at_wall) + ": " + sync.last_error;
      out.requeue_after = d.requeue_after;
      break;
    case Phase::kWaitingForBuilds:
      c.reason = api::reason::kWaitingForBuilds;
      c.message = WaitingMessage("sync to " + ShortRevision(wanted), builds_held);
      break;
    case Phase::kWantAction:
      out.want_action = true;
      if (forced && observed.tree_revision == wanted) {
        c.reason = api::reason::kResyncRequested;
        c.message = "re-sync requested by swarmctl fresh";
      } else {
        c.reason = "RevisionMismatch";
        c.message = "tree at " + ShortRevision(observed.tree_revision) + ", spec wants " +
                    ShortRevision(wanted);
      }
      break;
  }
  return out;
}

api::Condition ResyncRequested(const std::string& why) {
  return {api::condition::kTreeSynced, api::kFalse, api::reason::kResyncRequested, why, {}};
}

}  // namespace swarm::controller::reconcilers
