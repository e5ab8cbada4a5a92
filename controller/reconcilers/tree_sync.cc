#include "controller/reconcilers/tree_sync.h"

#include "api/quantity.h"

namespace swarm::controller::reconcilers {
namespace {

std::string Short(const std::string& rev) { return rev.empty() ? "<none>" : rev.substr(0, 12); }

}  // namespace

DroneConvergence ReconcileTreeSync(const std::string& wanted, const api::DroneStatus& observed,
                                   bool resync_requested, const ActionState& sync, SteadyTime now) {
  DroneConvergence out;
  api::Condition& c = out.condition;
  c.type = "TreeSynced";
  if (!observed.last_heartbeat_time) {
    c.status = api::kUnknown;
    c.reason = "AwaitingReport";
    c.message = "the drone has not reported yet";
    return out;
  }
  const bool forced = resync_requested || sync.forced;
  const bool converged = observed.tree_revision == wanted && !forced;
  const ConvergeDecision d = DecideConvergence(converged, sync, now);
  using Phase = ConvergeDecision::Phase;
  c.status = d.phase == Phase::kConverged ? api::kTrue : api::kFalse;
  switch (d.phase) {
    case Phase::kConverged:
      c.reason = "Synced";
      c.message = "tree at " + wanted;
      break;
    case Phase::kInFlight:
      c.reason = "Syncing";
      c.message = "syncing to " + Short(wanted) + " (action " + sync.in_flight->id + ")";
      break;
    case Phase::kBackingOff:
      c.reason = "SyncFailed";
      c.message = "hooks.sync failed " + std::to_string(sync.failures) + " time(s), retry in " +
                  api::FormatDuration(*d.requeue_after) + ": " + sync.last_error;
      out.requeue_after = d.requeue_after;
      break;
    case Phase::kWantAction:
      out.want_action = true;
      if (forced && observed.tree_revision == wanted) {
        c.reason = kResyncRequested;
        c.message = "re-sync requested by swarmctl fresh";
      } else {
        c.reason = "RevisionMismatch";
        c.message = "tree at " + Short(observed.tree_revision) + ", spec wants " + Short(wanted);
      }
      break;
  }
  return out;
}

}  // namespace swarm::controller::reconcilers
