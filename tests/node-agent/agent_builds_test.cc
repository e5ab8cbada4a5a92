// The agent loop's side of builds: offering the reply's assignments (gated by
// health), listing held builds in heartbeats (an ended one as Uploading, its
// slot free), delivering their reports after the heartbeat (or on the report
// thread), health fed by their outcomes, and the self-check.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "node-agent/agent.h"
#include "tests/node-agent/fake_action_executor.h"
#include "tests/node-agent/fake_build_executor.h"
#include "tests/node-agent/fake_command_runner.h"
#include "tests/node-agent/fake_sleeper.h"
#include "tests/node-agent/fake_transport.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using nlohmann::json;
using swarm::testing::TempDir;
using ::testing::ElementsAre;
using testing::FailedBuild;
using testing::FakeActionExecutor;
using testing::FakeBuildExecutor;
using testing::FakeCommandRunner;
using testing::FakeSleeper;
using testing::FakeTransport;
using ::testing::IsEmpty;
using testing::Reply;

constexpr char kAssignsTwo[] = R"({"heartbeatInterval": "5s", "assignments": [
    {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1},
    {"id": "a2", "package": "sys-libs/zlib-1.3.1-r1", "attempt": 1}]})";
constexpr char kAssignsA2[] = R"({"heartbeatInterval": "5s", "assignments": [
    {"id": "a2", "package": "sys-libs/zlib-1.3.1-r1", "attempt": 1}]})";
constexpr char kAssignsA3[] = R"({"heartbeatInterval": "5s", "assignments": [
    {"id": "a3", "package": "media-libs/mesa-24.3.4", "attempt": 1}]})";
constexpr char kAssignsTwoAndA3[] = R"({"heartbeatInterval": "5s", "assignments": [
    {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1},
    {"id": "a2", "package": "sys-libs/zlib-1.3.1-r1", "attempt": 1},
    {"id": "a3", "package": "media-libs/mesa-24.3.4", "attempt": 1}]})";
constexpr char kAssignsNothing[] = R"({"heartbeatInterval": "5s", "assignments": []})";
constexpr char kHeartbeat[] = "/api/v1/drones/drone-izar/heartbeat";
constexpr char kBuilds[] = "/api/v1/drones/drone-izar/builds/";

class FakeSelfChecker final : public SelfChecker {
 public:
  void Start(const api::HealthPolicy& p) override {
    ++starts;
    policy = p;
  }
  std::optional<SelfCheckOutcome> TakeOutcome() override {
    return std::exchange(outcome, std::nullopt);
  }
  int starts = 0;
  api::HealthPolicy policy;
  std::optional<SelfCheckOutcome> outcome;
};

class AgentBuildsTest : public ::testing::Test {
 protected:
  AgentBuildsTest()
      : prober_(ProbePaths{dir_.File("proc"), dir_.File("state"), dir_.File("repo"), {"/pkg"}},
                &runner_,
                [](const std::string&) -> Result<DiskStat> {
                  return DiskStat{100, 37, 37};
                }),
        actions_(&action_executor_),
        builds_(&build_executor_, &clock_, {},
                [this](std::function<void()> task) { tasks_.push_back(std::move(task)); }),
        agent_(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober_, &transport_,
               &sleeper_, &clock_, &actions_, &builds_, &self_check_, [] { return 0.0; }) {
    dir_.Write("proc/cpuinfo", "processor : 0\n");
    SetMemoryUsed(50);
    dir_.Write("proc/loadavg", "0.50 0.40 0.30 1/100 42\n");
    dir_.Write("state/DEPLOY_MARKER", "2026.02.05\n");
    dir_.Write("repo/metadata/timestamp.commit", "abc123 1738751400\n");
  }

  void SetMemoryUsed(int percent) {
    dir_.Write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: " +
                                   std::to_string((100 - percent) * 10) + " kB\n");
  }
  void RunTask(size_t i) {
    auto task = std::move(tasks_.at(i));
    task();
  }
  // The heartbeats' "builds" fields, in order.
  std::vector<json> HeartbeatBuilds() const {
    std::vector<json> out;
    for (size_t i = 0; i < transport_.paths.size(); ++i) {
      if (transport_.paths[i] == kHeartbeat) out.push_back(transport_.bodies[i]["builds"]);
    }
    return out;
  }

  TempDir dir_;
  FakeCommandRunner runner_;
  Prober prober_;
  FakeTransport transport_;
  FakeSleeper sleeper_;
  FakeClock clock_;
  FakeActionExecutor action_executor_;
  ActionRunner actions_;
  FakeBuildExecutor build_executor_;
  std::vector<std::function<void()>> tasks_;
  BuildRunner builds_;
  FakeSelfChecker self_check_;
  Agent agent_;
};

TEST_F(AgentBuildsTest, AssignmentsStartOnceAndAreListedUntilTheirResultIsIn) {
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  ASSERT_EQ(tasks_.size(), 2u);
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  EXPECT_EQ(tasks_.size(), 2u);  // listed again: not started again
  EXPECT_EQ(HeartbeatBuilds()[1], json::parse(R"([
      {"assignment": "a1", "package": "dev-libs/openssl-3.3.3", "state": "Queued"},
      {"assignment": "a2", "package": "sys-libs/zlib-1.3.1-r1", "state": "Queued"}])"));

  RunTask(0);
  RunTask(1);
  transport_.PushOk(kAssignsTwo);                        // the controller holds both
  transport_.Push(Reply(200, testing::kAcceptedReply));  // a1's result
  transport_.Push(Reply(503, "busy"));                   // a2's result: kept
  // A result was taken: the next heartbeat goes at once.
  EXPECT_EQ(agent_.Beat(), Duration(0));
  ASSERT_EQ(transport_.paths.size(), 5u);
  // Ended builds are listed as Uploading before their reports are sent.
  EXPECT_EQ(transport_.paths[2], kHeartbeat);
  EXPECT_EQ(HeartbeatBuilds()[2], json::parse(R"([
      {"assignment": "a1", "package": "dev-libs/openssl-3.3.3", "state": "Uploading"},
      {"assignment": "a2", "package": "sys-libs/zlib-1.3.1-r1", "state": "Uploading"}])"));
  EXPECT_EQ(transport_.paths[3], std::string(kBuilds) + "a1");
  EXPECT_EQ(transport_.bodies[3]["outcome"], "Succeeded");
  EXPECT_EQ(transport_.paths[4], std::string(kBuilds) + "a2");
  EXPECT_EQ(agent_.pending_build_reports().size(), 1u);

  clock_.Advance(std::chrono::seconds(5));
  transport_.PushOk(kAssignsA2);  // a2's result is not in yet: still held
  transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  EXPECT_EQ(HeartbeatBuilds()[3], json::parse(R"([
      {"assignment": "a2", "package": "sys-libs/zlib-1.3.1-r1", "state": "Uploading"}])"));
  EXPECT_EQ(transport_.paths[6], std::string(kBuilds) + "a2");
  transport_.PushOk(kAssignsNothing);
  EXPECT_EQ(agent_.Beat(), std::chrono::seconds(5));
  EXPECT_EQ(HeartbeatBuilds()[4], json::array());
  EXPECT_THAT(build_executor_.executed(), ElementsAre("a1", "a2"));
}

TEST_F(AgentBuildsTest, AnEndedBuildsSlotGoesToTheNextBeforeItsReportIsSent) {
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1}]})");
  agent_.Beat();
  ASSERT_EQ(tasks_.size(), 1u);
  RunTask(0);
  // The heartbeat lists a1 as Uploading; the controller gives its slot to a3.
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1},
      {"id": "a3", "package": "media-libs/mesa-24.3.4", "attempt": 1}]})");
  size_t started_before_report = 0;
  transport_.on_post = [&] {
    if (transport_.paths.back() == std::string(kBuilds) + "a1") started_before_report = tasks_.size();
  };
  transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  EXPECT_EQ(started_before_report, 2u) << "a3 starts before a1's report is sent";
  RunTask(1);
  EXPECT_THAT(build_executor_.executed(), ElementsAre("a1", "a3"));
}

// A controller connection whose every request waits at a gate until the test
// opens it, then is answered 200.
class GatedTransport final : public ControllerTransport {
 public:
  Result<HttpResponse> Post(const std::string& path, const std::string&) override {
    return Pass(path);
  }
  Result<HttpResponse> Put(const std::string& path, const std::string&, const std::string&,
                           const HttpHeaders&) override {
    return Pass(path);
  }
  Result<HttpResponse> PutFile(const std::string& path, const std::string&,
                               const HttpHeaders&) override {
    return Pass(path);
  }
  void Open() {
    std::lock_guard<std::mutex> l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until `n` requests have arrived (at the gate or through it).
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, std::chrono::seconds(30), [&] { return paths_.size() >= n; });
  }
  std::vector<std::string> paths() const {
    std::lock_guard<std::mutex> l(mu_);
    return paths_;
  }

 private:
  Result<HttpResponse> Pass(const std::string& path) {
    std::unique_lock<std::mutex> l(mu_);
    paths_.push_back(path);
    cv_.notify_all();
    cv_.wait(l, [&] { return open_; });
    return Reply(200, testing::kAcceptedReply);
  }
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::vector<std::string> paths_;
};

TEST_F(AgentBuildsTest, OnTheReportThreadAnUploadHoldsUpNeitherHeartbeatNorNextBuild) {
  GatedTransport reports;
  agent_.DeliverReportsOver(&reports);
  agent_.StartReports();
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1}]})");
  agent_.Beat();
  RunTask(0);
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1},
      {"id": "a3", "package": "media-libs/mesa-24.3.4", "attempt": 1}]})");
  agent_.Beat();
  ASSERT_TRUE(reports.WaitFor(1));  // a1's report is at the gate
  EXPECT_EQ(tasks_.size(), 2u) << "a3 started while a1's report is held";
  EXPECT_EQ(HeartbeatBuilds()[1], json::parse(R"([
      {"assignment": "a1", "package": "dev-libs/openssl-3.3.3", "state": "Uploading"}])"));
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/openssl-3.3.3", "attempt": 1},
      {"id": "a3", "package": "media-libs/mesa-24.3.4", "attempt": 1}]})");
  agent_.Beat();  // still held: the heartbeat goes all the same
  EXPECT_EQ(transport_.paths.size(), 3u);
  EXPECT_EQ(agent_.pending_build_reports().size(), 1u);

  reports.Open();
  agent_.StopReports();  // lets the step in flight finish
  EXPECT_EQ(reports.paths().back(), std::string(kBuilds) + "a1");
  EXPECT_THAT(agent_.pending_build_reports(), IsEmpty());
  EXPECT_GE(sleeper_.wakes, 1) << "a result taken brings the next heartbeat forward";
}

TEST_F(AgentBuildsTest, MalformedAssignmentsAreSkipped) {
  transport_.PushOk(R"({"assignments": [{"id": "../x", "package": "dev-libs/foo-1.0"},
      {"package": "dev-libs/foo-1.0"}, {"id": "ok1", "package": "dev-libs/foo-1.0"}]})");
  agent_.Beat();
  EXPECT_EQ(tasks_.size(), 1u);
  EXPECT_EQ(agent_.link_state(), LinkState::kJoined);
}

TEST_F(AgentBuildsTest, BuildTakenBackIsStoppedAndItsPendingReportDropped) {
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  RunTask(1);                          // a2 ends
  transport_.PushOk(kAssignsA2);       // a2's report is due
  transport_.Push(Reply(500, "oops"));  // its result: kept
  agent_.Beat();
  transport_.PushOk(kAssignsNothing);  // both taken back (the drone was drained)
  agent_.Beat();
  RunTask(0);  // a1's task finds it withdrawn
  EXPECT_THAT(build_executor_.executed(), ElementsAre("a2"));
  EXPECT_THAT(agent_.pending_build_reports(), IsEmpty());

  clock_.Advance(std::chrono::minutes(1));
  transport_.PushOk(kAssignsNothing);
  agent_.Beat();
  EXPECT_EQ(transport_.paths.back(), kHeartbeat);
  EXPECT_EQ(transport_.paths.size(), 5u);  // nothing more was posted for a2
  EXPECT_EQ(HeartbeatBuilds().back(), json::array());
}

TEST_F(AgentBuildsTest, DegradedDroneReturnsNewAssignmentsAtOnce) {
  SetMemoryUsed(91);
  transport_.PushOk(kAssignsA3);
  agent_.Beat();
  EXPECT_TRUE(tasks_.empty());
  transport_.PushOk(kAssignsA3);
  transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[1]["health"], "DEGRADED");
  ASSERT_EQ(transport_.paths[2], std::string(kBuilds) + "a3");
  EXPECT_EQ(transport_.bodies[2]["outcome"], "Returned");
  EXPECT_EQ(transport_.bodies[2]["message"], "drone is DEGRADED: memory 91% >= 85%");
}

TEST_F(AgentBuildsTest, ThreeBuildsOverTwiceTheirExpectedTimeDegradeTheDrone) {
  // Each fake build takes 1s; the controller expects 400ms of them.
  transport_.PushOk(R"({"assignments": [
      {"id": "a1", "package": "dev-libs/a-1.0", "attempt": 1, "expectedMs": 400},
      {"id": "a2", "package": "dev-libs/b-1.0", "attempt": 1, "expectedMs": 400},
      {"id": "a3", "package": "dev-libs/c-1.0", "attempt": 1, "expectedMs": 400}]})");
  agent_.Beat();
  ASSERT_EQ(tasks_.size(), 3u);
  for (size_t i = 0; i < 3; ++i) RunTask(i);
  transport_.PushOk(kAssignsNothing);
  for (int i = 0; i < 3; ++i) transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  EXPECT_EQ(agent_.health().state, HealthState::kDegraded);
  EXPECT_NE(agent_.health().reason.find("expected time"), std::string::npos)
      << agent_.health().reason;
}

TEST_F(AgentBuildsTest, DegradedDroneFinishesWhatItRuns) {
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  SetMemoryUsed(91);
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  EXPECT_FALSE(build_executor_.token("a1"));  // not started yet, not cancelled either
  RunTask(0);
  EXPECT_FALSE(build_executor_.token("a1")->cancelled());
}

TEST_F(AgentBuildsTest, OomKillMakesTheDroneCriticalAndReturnsEveryOtherBuild) {
  build_executor_.SetAnswer([](const api::BuildAssignment& a) {
    return FailedBuild(a, api::kFailureDroneResources, "Killed signal terminated program cc1plus",
                       /*oom=*/true);
  });
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  RunTask(0);                              // a1 is OOM-killed; a2 waits
  transport_.PushOk(kAssignsTwoAndA3);     // a new one while CRITICAL
  transport_.Push(Reply(200, testing::kAcceptedReply));  // a1
  transport_.Push(Reply(200, testing::kAcceptedReply));  // a2, returned
  agent_.Beat();
  EXPECT_EQ(agent_.health().state, HealthState::kCritical);
  EXPECT_EQ(transport_.bodies[1]["health"], "CRITICAL");
  // A failure and a return hold their slots until their results are in.
  EXPECT_EQ(HeartbeatBuilds()[1], json::parse(R"([
      {"assignment": "a1", "package": "dev-libs/openssl-3.3.3", "state": "Running"},
      {"assignment": "a2", "package": "sys-libs/zlib-1.3.1-r1", "state": "Running"}])"));
  EXPECT_EQ(transport_.bodies[2]["outcome"], "Failed");
  EXPECT_EQ(transport_.bodies[2]["oomKilled"], true);
  EXPECT_EQ(transport_.paths[3], std::string(kBuilds) + "a2");
  EXPECT_EQ(transport_.bodies[3]["outcome"], "Returned");
  EXPECT_EQ(transport_.bodies[3]["message"],
            "drone is CRITICAL: OOM kill while building dev-libs/openssl-3.3.3");

  RunTask(1);  // a2's task: returned before it began
  EXPECT_THAT(build_executor_.executed(), ElementsAre("a1"));
  EXPECT_EQ(tasks_.size(), 2u);  // a3 was not started
  transport_.PushOk(kAssignsA3);
  transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[5]["assignment"], "a3");
  EXPECT_THAT(transport_.bodies[5]["message"].get<std::string>(),
              ::testing::StartsWith("drone is CRITICAL: "));
}

TEST_F(AgentBuildsTest, SelfCheckRunsWhenRecoveringAndItsPassMakesTheDroneHealthy) {
  build_executor_.SetAnswer([](const api::BuildAssignment& a) {
    return FailedBuild(a, api::kFailureDroneResources, "Killed signal terminated program", true);
  });
  transport_.PushOk(kAssignsA3);
  agent_.Beat();
  RunTask(0);
  transport_.PushOk(kAssignsA3);
  transport_.Push(Reply(200, testing::kAcceptedReply));
  agent_.Beat();
  ASSERT_EQ(agent_.health().state, HealthState::kCritical);
  EXPECT_EQ(self_check_.starts, 0);

  clock_.Advance(std::chrono::seconds(15));  // a quiet probe interval
  transport_.PushOk(kAssignsNothing);
  agent_.Beat();
  EXPECT_EQ(agent_.health().state, HealthState::kRecovering);
  EXPECT_EQ(self_check_.starts, 1);
  EXPECT_EQ(self_check_.policy.disk_degraded_percent, 90);

  self_check_.outcome = SelfCheckOutcome{true, ""};
  transport_.PushOk(kAssignsNothing);
  agent_.Beat();
  EXPECT_EQ(agent_.health().state, HealthState::kHealthy);
  EXPECT_EQ(transport_.bodies.back()["health"], "HEALTHY");
  EXPECT_EQ(self_check_.starts, 1);
}

TEST_F(AgentBuildsTest, FailedSelfCheckKeepsTheDroneRecovering) {
  build_executor_.SetAnswer([](const api::BuildAssignment& a) {
    return FailedBuild(a, api::kFailureDroneResources, "Killed signal terminated program", true);
  });
  transport_.PushOk(kAssignsA3);
  agent_.Beat();
  RunTask(0);
  agent_.Beat();  // controller away: the OOM is recorded all the same
  clock_.Advance(std::chrono::seconds(15));
  agent_.Beat();
  ASSERT_EQ(self_check_.starts, 1);
  self_check_.outcome = SelfCheckOutcome{false, "disk 93% >= 90%"};
  agent_.Beat();
  EXPECT_EQ(agent_.health().state, HealthState::kRecovering);
  EXPECT_EQ(agent_.health().reason, "self-check failed: disk 93% >= 90%");
}

TEST_F(AgentBuildsTest, DeliverBeforeExitRetriesUntilTheReportsAreIn) {
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  EXPECT_EQ(builds_.ReturnAll("agent shutting down (SIGTERM)"), 2u);
  transport_.PushDown();
  transport_.Push(Reply(200, testing::kAcceptedReply));
  transport_.Push(Reply(200, testing::kAcceptedReply));
  FakeSleeper pause;
  pause.after_sleep = [&] { clock_.Advance(pause.waits.back()); };
  EXPECT_EQ(agent_.DeliverBeforeExit(std::chrono::seconds(5), pause), 0u);
  EXPECT_EQ(pause.waits, (std::vector<Duration>{Agent::kExitRetryPause}));
  EXPECT_EQ(transport_.bodies.back()["message"], "agent shutting down (SIGTERM)");
}

TEST_F(AgentBuildsTest, DeliverBeforeExitGivesUpAfterItsTime) {
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  builds_.ReturnAll("agent shutting down (SIGTERM)");
  FakeSleeper pause;
  pause.after_sleep = [&] { clock_.Advance(pause.waits.back()); };
  EXPECT_EQ(agent_.DeliverBeforeExit(std::chrono::seconds(2), pause), 2u);
  EXPECT_EQ(pause.waits.size(), 4u);  // every 500ms for 2s
}

TEST_F(AgentBuildsTest, StopStopsTheBuildRunner) {
  agent_.Stop();
  transport_.PushOk(kAssignsTwo);
  agent_.Beat();
  EXPECT_TRUE(tasks_.empty());
}

}  // namespace
}  // namespace swarm::agent
