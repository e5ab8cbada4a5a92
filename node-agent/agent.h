#pragma once

// The heartbeat loop: probe the drone, judge its health (with the builds that
// ended and the self-check it asked for), deliver the results of finished
// actions and builds, report to the controller (with the actions and builds
// held), apply the reply's interval and health policy, hand its actions to the
// ActionRunner and its assignments to the BuildRunner, wait, repeat. While the
// controller is away or refuses, the agent retries with backoff and never
// exits for it; only Stop() ends Run().

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "api/types.h"
#include "base/clock.h"
#include "base/http_client.h"
#include "base/status.h"
#include "node-agent/action_results.h"
#include "node-agent/action_runner.h"
#include "node-agent/build_reports.h"
#include "node-agent/build_runner.h"
#include "node-agent/health.h"
#include "node-agent/heartbeat.h"
#include "node-agent/probes.h"
#include "node-agent/self_check.h"
#include "node-agent/sleeper.h"
#include "node-agent/transport.h"

namespace swarm::agent {

// Where the agent stands with the controller; the log gets one line per change.
enum class LinkState {
  kStarting,     // no heartbeat answered yet
  kJoined,       // the last heartbeat was accepted
  kUnreachable,  // the controller could not be reached
  kRefused,      // the controller answered with an error status
  kBadReply,     // a 2xx reply the agent cannot read
};
const char* LinkStateName(LinkState s);

struct AgentOptions {
  std::string name;            // the drone's name: the heartbeat path
  std::string controller_url;  // for log lines
  std::string agent_version = SWARM_VERSION;
};

// Thread safety: Run() on one thread (it starts the report thread, which
// touches only the report outbox, the report transport and the sleeper's
// Wake()); Stop() from any thread; the accessors from the Run() thread, or
// after Run() returned.
class Agent {
 public:
  // None of the pointers is owned; each must outlive the Agent. An empty
  // `uniform01` gives the backoff a seeded random jitter. The agent only
  // offers actions to `actions` and collects from it; whoever owns it starts
  // its worker (or calls RunNext()).
  Agent(AgentOptions options, Prober* prober, ControllerTransport* transport, Sleeper* sleeper,
        Clock* clock, ActionRunner* actions, std::function<double()> uniform01 = {});
  // Also builds: `builds` gets the reply's assignments (gated by health) and
  // `self_check` runs the self-checks health asks for. Either may be null:
  // assignments are then ignored, or self-checks not run.
  Agent(AgentOptions options, Prober* prober, ControllerTransport* transport, Sleeper* sleeper,
        Clock* clock, ActionRunner* actions, BuildRunner* builds, SelfChecker* self_check,
        std::function<double()> uniform01 = {});

  // Before Run(): build reports (log, binary package, result) go over
  // `transport` on a thread of their own that Run() starts and joins, so an
  // upload delays neither a heartbeat nor the next build. Without it Beat()
  // sends them, after its heartbeat. Not owned; must outlive Run().
  void DeliverReportsOver(ControllerTransport* transport) { report_transport_ = transport; }
  // Start and join the report thread (Run() calls both; a test driving
  // Beat() may too). StopReports() lets the step in flight (one upload, or
  // one result) finish and sends nothing more; DeliverResults() goes on.
  void StartReports();
  void StopReports();

  // Joins the report thread, if it runs.
  ~Agent() { StopReports(); }
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Heartbeats until Stop(); returns promptly after it (a report step in
  // flight on the report thread finishes first).
  void Run();
  // Ends Run(): interrupts the current wait (a request in flight finishes
  // first, bounded by the HTTP timeout) and Stop()s the ActionRunner and the
  // BuildRunner, which start nothing more. Safe from a signal-handling thread.
  void Stop();

  // One iteration: probe, judge health, record ended builds and self-checks
  // (CRITICAL: return every build), deliver finished actions' results, send
  // the heartbeat (ended builds listed as Uploading: their slots are free),
  // read the reply, offer its actions and assignments (new ones are returned
  // at once unless the drone is HEALTHY), then, without a report thread,
  // deliver the builds' reports. Returns how long to wait before the next
  // one: the controller's interval after success (none when a result was
  // just taken: the next heartbeat brings what it freed), the backoff delay
  // after a failure.
  Duration Beat();

  // Takes the results of actions and builds that ended and tries once to
  // deliver every held result and build report, whatever their backoff.
  // Returns how many are still undelivered. For shutdown, after Run().
  size_t DeliverResults();

  // DeliverResults() again every kExitRetryPause (waited on `pause`) until
  // nothing is left or `max` has passed on the Clock. Returns how many are
  // still undelivered. For shutdown, after Run().
  size_t DeliverBeforeExit(Duration max, Sleeper& pause);
  static constexpr Duration kExitRetryPause{500};

  LinkState link_state() const { return link_; }
  // The message of the last failure (empty while joined).
  const std::string& link_message() const { return link_message_; }
  const api::HealthPolicy& policy() const { return policy_; }
  Duration heartbeat_interval() const { return interval_; }
  const HealthVerdict& health() const { return health_.current(); }
  // The reply of the last accepted heartbeat.
  const HeartbeatReply& last_reply() const { return last_reply_; }
  // Results not yet accepted or refused by the controller.
  const std::deque<api::ActionResult>& pending_results() const { return outbox_.pending(); }
  // Builds whose reports are not yet delivered or refused.
  std::vector<api::BuildProgress> pending_build_reports() const { return build_outbox_.Progress(); }

 private:
  // The report thread: delivers build reports as they come, retries held
  // ones every kReportRetryPoll, until Run() ends.
  void RunReports();
  void WakeReports();
  static constexpr Duration kReportRetryPoll{1000};

  // Sends one report; returns the link state it leads to, with a message.
  LinkState Exchange(const api::DroneReport& report, std::string* message);
  void SetLink(LinkState next, const std::string& message);
  void LogProblems(const std::vector<std::string>& problems);
  void OfferActions(const std::vector<api::Action>& actions);
  // Logs the reply's items left out, each once while it keeps coming.
  void LogSkipped(const std::vector<std::string>& skipped);
  // agent_builds.cc: the builds' part of a beat.
  void OfferBuilds(const std::vector<api::BuildAssignment>& assignments);
  // Records each ended build with the health monitor (all but Returned ones)
  // and holds its report for delivery.
  void AbsorbBuilds(std::vector<FinishedBuild> finished, SteadyTime now);
  // Ended builds and self-checks into health; CRITICAL returns every build.
  void TakeBuildsAndSelfCheck(SteadyTime now);
  // Every build held or with a report not yet delivered, for the heartbeat.
  std::vector<api::BuildProgress> HeldBuilds() const;
  void LogHealth(const HealthVerdict& before, const HealthVerdict& after);
  void ApplyReply(const HeartbeatReply& reply);

  AgentOptions options_;
  Prober* prober_;
  ControllerTransport* transport_;
  Sleeper* sleeper_;
  Clock* clock_;
  ActionRunner* actions_;
  BuildRunner* builds_;
  SelfChecker* self_check_;
  std::atomic<bool> stop_{false};

  HealthMonitor health_;
  api::HealthPolicy policy_ = DefaultHealthPolicy();
  Duration interval_ = HeartbeatReply{}.heartbeat_interval;
  HeartbeatReply last_reply_;
  Backoff backoff_;
  LinkState link_ = LinkState::kStarting;
  std::string link_message_;
  bool ever_joined_ = false;
  std::set<std::string> problems_;
  ResultOutbox outbox_;
  BuildReportOutbox build_outbox_;
  ControllerTransport* report_transport_ = nullptr;  // null: Beat() delivers reports
  bool reports_added_ = false;  // since the last heartbeat; the Run() thread's
  std::mutex report_mu_;
  std::condition_variable report_cv_;
  bool report_wake_ = false;  // guarded by report_mu_
  bool report_stop_ = false;  // guarded by report_mu_
  std::atomic<bool> reports_stopping_{false};  // StopReports(): end a delivery early
  std::thread report_thread_;
  std::set<std::string> reply_problems_;  // reply items left out, logged once
};

}  // namespace swarm::agent
