// The builds' part of the heartbeat loop (node-agent/agent.h): what ended
// goes into health and the report outbox, the reply's assignments go to the
// BuildRunner, and health decides whether the drone takes them.

#include <spdlog/spdlog.h>

#include <algorithm>

#include "node-agent/agent.h"

namespace swarm::agent {
namespace {

BuildOutcome OutcomeOf(const FinishedBuild& b) {
  const api::BuildResult& r = b.result;
  BuildOutcome o;
  o.atom = r.package;
  o.took = Duration(r.duration_ms);
  o.expected = Duration(b.expected_ms);
  o.succeeded = r.outcome == api::kBuildSucceeded;
  o.failure_class = r.failure_class;
  o.failure_reason = r.message;
  o.oom_killed = r.oom_killed;
  return o;
}

// "drone is DEGRADED: memory 91% >= 85%": why work is returned.
std::string Refusal(const HealthVerdict& v) {
  std::string out = std::string("drone is ") + HealthStateName(v.state);
  if (!v.reason.empty()) out += ": " + v.reason;
  return out;
}

}  // namespace

void Agent::AbsorbBuilds(std::vector<FinishedBuild> finished, SteadyTime now) {
  for (auto& b : finished) {
    // A returned build did not finish: it says nothing about the drone.
    if (b.result.outcome != api::kBuildReturned) health_.RecordBuild(OutcomeOf(b), now);
    build_outbox_.Add(std::move(b));
  }
  // The report thread is woken after the heartbeat that lists them as
  // Uploading: the next build's dispatch goes before the upload.
  if (!finished.empty()) reports_added_ = true;
}

void Agent::TakeBuildsAndSelfCheck(SteadyTime now) {
  if (self_check_) {
    if (auto o = self_check_->TakeOutcome()) health_.RecordSelfCheck(o->ok, o->reason, now);
  }
  if (!builds_) return;
  AbsorbBuilds(builds_->TakeFinished(), now);
  const HealthVerdict& v = health_.current();
  // True for as long as CRITICAL lasts; with nothing held it does nothing.
  if (v.must_return_work() && builds_->ReturnAll(Refusal(v)) > 0) {
    AbsorbBuilds(builds_->TakeFinished(), now);
  }
}

void Agent::OfferBuilds(const std::vector<api::BuildAssignment>& wanted) {
  if (!builds_) return;

  std::set<std::string> ids;
  for (const auto& a : wanted) ids.insert(a.id);
  build_outbox_.Retain(ids);
  const HealthVerdict& v = health_.current();
  builds_->Offer(wanted, v.accepts_work() ? "" : Refusal(v));
}

std::vector<api::BuildProgress> Agent::HeldBuilds() const {
  if (!builds_) return {};
  std::vector<api::BuildProgress> held = builds_->Progress();
  for (auto& p : build_outbox_.Progress()) {
    bool listed = std::any_of(held.begin(), held.end(), [&](const api::BuildProgress& h) {
      return h.assignment == p.assignment;
    });
    if (!listed) held.push_back(std::move(p));
  }
  return held;
}

size_t Agent::DeliverResults() {
  for (auto& r : actions_->TakeFinished()) outbox_.Add(std::move(r));
  if (builds_) AbsorbBuilds(builds_->TakeFinished(), clock_->SteadyNow());
  size_t left = outbox_.Deliver(*transport_, options_.name);
  // After Run(): the report thread has ended, its transport is free.
  ControllerTransport* reports = report_transport_ != nullptr ? report_transport_ : transport_;
  left += build_outbox_.Deliver(*reports, options_.name, /*ignore_backoff=*/true);
  return left;
}

size_t Agent::DeliverBeforeExit(Duration max, Sleeper& pause) {
  const SteadyTime deadline = clock_->SteadyNow() + max;
  while (true) {
    const size_t left = DeliverResults();
    if (left == 0) return 0;
    const SteadyTime now = clock_->SteadyNow();
    if (now >= deadline) return left;
    const auto until_deadline = std::chrono::duration_cast<Duration>(deadline - now);
    if (!pause.SleepFor(std::min(kExitRetryPause, until_deadline))) return left;
  }
}

}  // namespace swarm::agent
