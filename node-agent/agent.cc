#include "node-agent/agent.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "api/codec.h"
#include "api/quantity.h"

namespace swarm::agent {

const char* LinkStateName(LinkState s) {
  switch (s) {
    case LinkState::kStarting:
      return "starting";
    case LinkState::kJoined:
      return "joined";
    case LinkState::kUnreachable:
      return "unreachable";
    case LinkState::kRefused:
      return "refused";
    case LinkState::kBadReply:
      return "bad-reply";
  }
  return "unknown";
}

Agent::Agent(AgentOptions options, Prober* prober, ControllerTransport* transport, Sleeper* sleeper,
             Clock* clock, ActionRunner* actions, std::function<double()> uniform01)
    : Agent(std::move(options), prober, transport, sleeper, clock, actions, nullptr, nullptr,
            std::move(uniform01)) {}

Agent::Agent(AgentOptions options, Prober* prober, ControllerTransport* transport, Sleeper* sleeper,
             Clock* clock, ActionRunner* actions, BuildRunner* builds, SelfChecker* self_check,
             std::function<double()> uniform01)
    : options_(std::move(options)),
      prober_(prober),
      transport_(transport),
      sleeper_(sleeper),
      clock_(clock),
      actions_(actions),
      builds_(builds),
      self_check_(self_check),
      backoff_(uniform01),
      build_outbox_(clock, uniform01) {}

void Agent::Run() {
  spdlog::info("heartbeating to {} as {}", options_.controller_url, options_.name);
  StartReports();
  while (!stop_.load()) {
    Duration wait = Beat();
    if (stop_.load() || !sleeper_->SleepFor(wait)) break;
  }
  StopReports();
  spdlog::info("stopped");
}

void Agent::StartReports() {
  if (report_transport_ == nullptr || report_thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> l(report_mu_);
    report_stop_ = false;
  }
  reports_stopping_.store(false);
  report_thread_ = std::thread([this] { RunReports(); });
}

void Agent::StopReports() {
  if (!report_thread_.joinable()) return;
  reports_stopping_.store(true);  // ends a delivery between two steps
  {
    std::lock_guard<std::mutex> l(report_mu_);
    report_stop_ = true;
  }
  report_cv_.notify_all();
  report_thread_.join();
}

void Agent::RunReports() {
  std::unique_lock<std::mutex> l(report_mu_);
  while (!report_stop_) {
    report_wake_ = false;
    l.unlock();
    // A result taken frees the package's dependents (and, past
    // kMaxUploading, a slot): the next heartbeat, at once, brings whatever
    // the controller has for the drone now, while later reports still go.
    const size_t held = build_outbox_.Deliver(
        *report_transport_, options_.name, /*ignore_backoff=*/false, nullptr,
        [this] { return reports_stopping_.load(); }, [this] { sleeper_->Wake(); });
    l.lock();
    auto woken = [this] { return report_wake_ || report_stop_; };
    if (held > 0) {
      report_cv_.wait_for(l, kReportRetryPoll, woken);
    } else {
      report_cv_.wait(l, woken);
    }
  }
}

void Agent::WakeReports() {
  {
    std::lock_guard<std::mutex> l(report_mu_);
    report_wake_ = true;
  }
  report_cv_.notify_all();
}

void Agent::Stop() {
  stop_.store(true);
  sleeper_->Interrupt();
  actions_->Stop();
  if (builds_) builds_->Stop();
}

Duration Agent::Beat() {
  ProbeResult probe = prober_->Probe();
  LogProblems(probe.problems);

  const SteadyTime now = clock_->SteadyNow();
  HealthVerdict before = health_.current();
  health_.Observe(probe.resources, policy_, now);
  TakeBuildsAndSelfCheck(now);
  const HealthVerdict& verdict = health_.current();
  LogHealth(before, verdict);
  if (verdict.want_self_check && self_check_) self_check_->Start(policy_);

  // Results go before the heartbeat that no longer lists their actions, so
  // the controller never sees an action vanish without its result. Builds
  // stay listed until their report is in; an ended one as Uploading, so its
  // slot goes to the next build while the report is sent.
  ActionSnapshot snapshot = actions_->Collect();
  for (auto& r : snapshot.finished) outbox_.Add(std::move(r));
  outbox_.Deliver(*transport_, options_.name);

  api::DroneReport report = BuildDroneReport(probe, verdict, options_.agent_version);
  report.actions = std::move(snapshot.progress);
  report.builds = HeldBuilds();
  std::string message;
  LinkState next = Exchange(report, &message);
  SetLink(next, message);
  if (std::exchange(reports_added_, false) && report_transport_ != nullptr) WakeReports();
  size_t reported = 0;
  if (report_transport_ == nullptr) {
    build_outbox_.Deliver(*transport_, options_.name, /*ignore_backoff=*/false, &reported);
  }
  if (next == LinkState::kJoined) {
    backoff_.Reset();
    return reported > 0 ? Duration(0) : interval_;
  }
  Duration wait = backoff_.Next();
  spdlog::debug("heartbeat failed ({} in a row): {}; next attempt in {}", backoff_.failures(),
                message, api::FormatDuration(wait));
  return wait;
}

LinkState Agent::Exchange(const api::DroneReport& report, std::string* message) {
  // A marker file with invalid UTF-8 must not abort the agent: replace, send.
  std::string body =
      api::DroneReportToJson(report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto res = transport_->Post(HeartbeatPath(options_.name), body);
  if (!res.ok()) {
    *message = res.status().message();
    return LinkState::kUnreachable;
  }
  if (res->status < 200 || res->status >= 300) {
    *message = DescribeHttpError(*res);
    return LinkState::kRefused;
  }
  std::vector<std::string> skipped;
  auto reply = ParseHeartbeatReply(res->body, &skipped);
  if (!reply.ok()) {
    *message = reply.status().message();
    return LinkState::kBadReply;
  }
  LogSkipped(skipped);
  ApplyReply(*reply);
  return LinkState::kJoined;
}

void Agent::SetLink(LinkState next, const std::string& message) {
  const LinkState prev = link_;
  // Unreachable messages vary with the kind of network failure; one line for
  // the outage is enough. Refusals are logged again when their reason changes.
  const bool changed =
      next != prev || (next != LinkState::kUnreachable && message != link_message_);
  link_ = next;
  link_message_ = message;
  if (!changed) return;
  switch (next) {
    case LinkState::kJoined:
      spdlog::info("{} controller {}: heartbeat every {}", ever_joined_ ? "rejoined" : "joined",
                   options_.controller_url, api::FormatDuration(interval_));
      ever_joined_ = true;
      break;
    case LinkState::kUnreachable:
      spdlog::warn("controller unreachable: {}; retrying with backoff (at most every {})", message,
                   api::FormatDuration(Backoff::kMax));
      break;
    case LinkState::kRefused:
      spdlog::warn("refused: {}; retrying with backoff", message);
      break;
    case LinkState::kBadReply:
      spdlog::warn("unreadable heartbeat reply: {}; retrying with backoff", message);
      break;
    case LinkState::kStarting:
      break;
  }
}

void Agent::ApplyReply(const HeartbeatReply& reply) {
  if (reply.heartbeat_interval != interval_ && link_ == LinkState::kJoined) {
    spdlog::info("heartbeat interval now {}", api::FormatDuration(reply.heartbeat_interval));
  }
  interval_ = reply.heartbeat_interval;
  const api::HealthPolicy& p = reply.health;
  if (p.memory_degraded_percent != policy_.memory_degraded_percent ||
      p.disk_degraded_percent != policy_.disk_degraded_percent ||
      p.probe_interval != policy_.probe_interval) {
    spdlog::info("health policy: degraded at memory {}%, disk {}%; probe every {}",
                 p.memory_degraded_percent, p.disk_degraded_percent,
                 api::FormatDuration(p.probe_interval));
  }
  policy_ = p;
  last_reply_ = reply;
  OfferActions(reply.actions);
  OfferBuilds(reply.assignments);
}

void Agent::OfferActions(const std::vector<api::Action>& actions) { actions_->Offer(actions); }

void Agent::LogSkipped(const std::vector<std::string>& skipped) {
  // The controller repeats its lists every beat; one line per new problem.
  std::set<std::string> now(skipped.begin(), skipped.end());
  for (const auto& p : now) {
    if (!reply_problems_.count(p)) spdlog::warn("skipping an item of the reply: {}", p);
  }
  reply_problems_ = std::move(now);
}

void Agent::LogProblems(const std::vector<std::string>& problems) {
  std::set<std::string> now(problems.begin(), problems.end());
  for (const auto& p : now) {
    if (!problems_.count(p)) spdlog::warn("probe: {}", p);
  }
  for (const auto& p : problems_) {
    if (!now.count(p)) spdlog::info("probe recovered: {}", p);
  }
  problems_ = std::move(now);
}

void Agent::LogHealth(const HealthVerdict& before, const HealthVerdict& after) {
  if (after.state == before.state) return;
  if (after.state == HealthState::kHealthy) {
    spdlog::info("health {} (was {})", HealthStateName(after.state), HealthStateName(before.state));
  } else {
    spdlog::warn("health {}: {}", HealthStateName(after.state), after.reason);
  }
}

}  // namespace swarm::agent
