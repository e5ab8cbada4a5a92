#include "controller/reconcilers/action_state.h"

#include <algorithm>

namespace swarm::controller::reconcilers {

Duration ActionBackoff(int failures) {
  constexpr Duration kBase{5000};
  constexpr Duration kMax{300000};
  Duration d = kBase;
  for (int i = 1; i < failures && d < kMax; ++i) d *= 2;
  return std::min(d, kMax);
}

bool RecordActionResult(ActionState& state, const std::string& result_id, bool succeeded,
                        const std::string& error, SteadyTime now, WallTime wall_now) {
  if (!state.in_flight || state.in_flight->id != result_id) return false;
  state.in_flight.reset();
  state.unheld_beats = 0;
  if (succeeded) {
    state.failures = 0;
    state.forced = false;
    state.retry_at.reset();
    state.last_error.clear();
  } else {
    ++state.failures;
    state.retry_at = now + ActionBackoff(state.failures);
    state.retry_at_wall = wall_now + ActionBackoff(state.failures);
    state.last_error = error;
  }
  return true;
}

ConvergeDecision DecideConvergence(bool converged, const ActionState& state, SteadyTime now,
                                   int builds_held) {
  using Phase = ConvergeDecision::Phase;
  ConvergeDecision d;
  if (state.in_flight) {
    // Even when the report already matches, the action in flight finishes and
    // reports; a second one is never issued meanwhile.
    d.phase = converged ? Phase::kConverged : Phase::kInFlight;
    return d;
  }
  if (converged) return d;
  if (state.retry_at && *state.retry_at > now) {
    d.phase = Phase::kBackingOff;
    d.requeue_after = std::chrono::duration_cast<Duration>(*state.retry_at - now);
    return d;
  }
  d.phase = builds_held > 0 ? Phase::kWaitingForBuilds : Phase::kWantAction;
  return d;
}

}  // namespace swarm::controller::reconcilers
