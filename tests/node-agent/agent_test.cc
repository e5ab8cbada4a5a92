#include "node-agent/agent.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <deque>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/node-agent/fake_action_executor.h"
#include "tests/node-agent/fake_command_runner.h"
#include "tests/node-agent/fake_sleeper.h"
#include "tests/node-agent/fake_transport.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using std::chrono::seconds;
using swarm::testing::TempDir;
using testing::FakeActionExecutor;
using testing::FakeCommandRunner;
using testing::FakeSleeper;
using testing::FakeTransport;
using ::testing::HasSubstr;
using testing::Reply;

class AgentTest : public ::testing::Test {
 protected:
  AgentTest()
      : prober_(ProbePaths{dir_.File("proc"), dir_.File("state"), dir_.File("repo"), {"/pkg"}},
                &runner_,
                [](const std::string&) -> Result<DiskStat> {
                  return DiskStat{100, 37, 37};
                }),
        actions_(&executor_),
        agent_(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober_, &transport_,
               &sleeper_, &clock_, &actions_, [] { return 0.0; }) {
    dir_.Write("proc/cpuinfo", "processor : 0\nprocessor : 1\n");
    dir_.Write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");  // 75% used
    dir_.Write("proc/loadavg", "0.50 0.40 0.30 1/100 42\n");
    dir_.Write("state/DEPLOY_MARKER", "2026.02.05\n");
    dir_.Write("repo/metadata/timestamp.commit", "abc123 1738751400\n");
  }

  TempDir dir_;
  FakeCommandRunner runner_;
  Prober prober_;
  FakeTransport transport_;
  FakeSleeper sleeper_;
  FakeClock clock_;
  FakeActionExecutor executor_;
  ActionRunner actions_;
  Agent agent_;
};

TEST_F(AgentTest, ReportsObservedStateAndFollowsTheReply) {
  transport_.PushOk(R"({"heartbeatInterval": "10s", "health": {"memoryDegradedPercent": 80},
                        "actions": [{"id": "s1", "type": "sync", "revision": "abc124"}],
                        "assignments": [], "extra": 1})");
  EXPECT_EQ(agent_.Beat(), seconds(10));
  EXPECT_EQ(agent_.link_state(), LinkState::kJoined);
  EXPECT_EQ(agent_.heartbeat_interval(), seconds(10));
  EXPECT_EQ(agent_.policy().memory_degraded_percent, 80);
  EXPECT_EQ(agent_.last_reply().actions.size(), 1u);

  ASSERT_EQ(transport_.paths.size(), 1u);
  EXPECT_EQ(transport_.paths[0], "/api/v1/drones/drone-izar/heartbeat");
  const nlohmann::json& body = transport_.bodies[0];
  EXPECT_EQ(body["deployVersion"], "2026.02.05");
  EXPECT_EQ(body["treeRevision"], "abc123");
  EXPECT_EQ(body["health"], "HEALTHY");
  EXPECT_EQ(body["agentVersion"], "0.1.0");
  EXPECT_EQ(body["resources"]["cores"], 2);
  EXPECT_EQ(body["resources"]["memoryBytes"], 1024000);
  EXPECT_DOUBLE_EQ(body["resources"]["memoryUsedPercent"].get<double>(), 75.0);
  EXPECT_DOUBLE_EQ(body["resources"]["diskUsedPercent"].get<double>(), 63.0);
}

TEST_F(AgentTest, HealthUsesThePolicyOfTheLastReply) {
  // 75% memory used: healthy under the default 85%, degraded under 70%.
  transport_.PushOk(R"({"heartbeatInterval": "5s", "health": {"memoryDegradedPercent": 70}})");
  transport_.PushOk();
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[0]["health"], "HEALTHY");
  EXPECT_EQ(agent_.health().state, HealthState::kHealthy);
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[1]["health"], "DEGRADED");
  EXPECT_EQ(agent_.health().reason, "memory 75% >= 70%");
}

TEST_F(AgentTest, MissingMarkerIsReportedEmpty) {
  std::remove(dir_.File("state/DEPLOY_MARKER").c_str());
  transport_.PushOk();
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[0]["deployVersion"], "");
}

TEST_F(AgentTest, BacksOffWhileTheControllerIsAwayAndResetsOnJoin) {
  transport_.PushDown();
  transport_.PushDown();
  transport_.PushDown();
  transport_.PushOk();
  transport_.PushDown();
  EXPECT_EQ(agent_.Beat(), seconds(1));
  EXPECT_EQ(agent_.link_state(), LinkState::kUnreachable);
  EXPECT_EQ(agent_.Beat(), seconds(2));
  EXPECT_EQ(agent_.Beat(), seconds(4));
  EXPECT_EQ(agent_.Beat(), seconds(5));
  EXPECT_EQ(agent_.link_state(), LinkState::kJoined);
  EXPECT_EQ(agent_.Beat(), seconds(1));
}

TEST_F(AgentTest, BackoffIsCappedAtThirtySeconds) {
  Duration last{};
  for (int i = 0; i < 10; ++i) last = agent_.Beat();
  EXPECT_EQ(last, seconds(30));
  EXPECT_EQ(agent_.link_state(), LinkState::kUnreachable);
}

TEST_F(AgentTest, ErrorRepliesAreRefusalsAndRetried) {
  transport_.Push(Reply(403, R"({"kind": "Status", "status": "Failure", "code": 403,
      "reason": "Forbidden", "message": "drone \"drone-izar\" is not in the roster"})"));
  transport_.Push(Reply(401, R"({"kind": "Status", "code": 401, "message": "unknown token"})"));
  transport_.Push(Reply(503, "overloaded"));
  EXPECT_EQ(agent_.Beat(), seconds(1));
  EXPECT_EQ(agent_.link_state(), LinkState::kRefused);
  EXPECT_THAT(agent_.link_message(), HasSubstr("not in the roster"));
  EXPECT_EQ(agent_.Beat(), seconds(2));
  EXPECT_THAT(agent_.link_message(), HasSubstr("unknown token"));
  EXPECT_EQ(agent_.Beat(), seconds(4));
  EXPECT_EQ(agent_.link_state(), LinkState::kRefused);
}

TEST_F(AgentTest, UnreadableReplyIsRetriedAndKeepsThePolicy) {
  transport_.PushOk(R"({"heartbeatInterval": "7s", "health": {"memoryDegradedPercent": 60}})");
  transport_.PushOk(R"({"heartbeatInterval": 7})");
  EXPECT_EQ(agent_.Beat(), seconds(7));
  EXPECT_EQ(agent_.Beat(), seconds(1));
  EXPECT_EQ(agent_.link_state(), LinkState::kBadReply);
  EXPECT_THAT(agent_.link_message(), HasSubstr("heartbeatInterval"));
  EXPECT_EQ(agent_.policy().memory_degraded_percent, 60);
}

TEST_F(AgentTest, RunWaitsBetweenBeatsAndStopEndsIt) {
  transport_.PushOk();
  transport_.PushDown();
  transport_.PushOk();
  sleeper_.after_sleep = [&] {
    if (sleeper_.waits.size() == 3) agent_.Stop();
  };
  agent_.Run();
  EXPECT_EQ(transport_.paths.size(), 3u);
  EXPECT_EQ(sleeper_.waits, (std::vector<Duration>{seconds(5), seconds(1), seconds(5)}));
}

TEST_F(AgentTest, StopDuringABeatSkipsTheWait) {
  transport_.on_post = [&] { agent_.Stop(); };
  agent_.Run();
  EXPECT_EQ(transport_.paths.size(), 1u);
  EXPECT_TRUE(sleeper_.waits.empty());
}

TEST(AgentStopTest, StopFromAnotherThreadWakesTheWait) {
  TempDir dir;
  FakeCommandRunner runner;
  Prober prober(ProbePaths{dir.File("proc"), dir.File("state"), dir.File("repo"), {}}, &runner);
  FakeTransport transport;
  transport.PushOk(R"({"heartbeatInterval": "1h"})");
  std::promise<void> posted;
  transport.on_post = [&] { posted.set_value(); };
  InterruptibleSleeper sleeper;
  FakeClock clock;
  FakeActionExecutor executor;
  ActionRunner actions(&executor);
  Agent agent(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober, &transport, &sleeper,
              &clock, &actions);

  std::thread run([&] { agent.Run(); });
  posted.get_future().wait();  // the agent is about to wait an hour
  agent.Stop();
  run.join();
  EXPECT_EQ(transport.paths.size(), 1u);
}

}  // namespace
}  // namespace swarm::agent
