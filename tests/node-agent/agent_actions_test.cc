// The agent loop's side of actions: offering the reply's actions, reporting
// their progress, delivering results, and waking early when one ends.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "node-agent/action_executor.h"
#include "node-agent/agent.h"
#include "tests/node-agent/fake_action_executor.h"
#include "tests/node-agent/fake_command_runner.h"
#include "tests/node-agent/fake_sleeper.h"
#include "tests/node-agent/fake_transport.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using nlohmann::json;
using swarm::testing::TempDir;
using ::testing::ElementsAre;
using testing::FakeActionExecutor;
using testing::FakeCommandRunner;
using testing::FakeSleeper;
using testing::FakeTransport;
using testing::Reply;

constexpr char kWantsDeployAndSync[] = R"({"heartbeatInterval": "5s", "actions": [
    {"id": "d1", "type": "deploy", "version": "2026.02.05"},
    {"type": "sync"},
    {"id": "../etc", "type": "sync", "revision": "b001a8"},
    {"id": "s1", "type": "sync", "revision": "b001a8"}]})";
constexpr char kWantsSync[] =
    R"({"heartbeatInterval": "5s", "actions": [{"id": "s1", "type": "sync", "revision": "b001a8"}]})";

ProbePaths PathsIn(const TempDir& dir) {
  return ProbePaths{dir.File("proc"), dir.File("state"), dir.File("repo"), {}};
}

// The heartbeat whose `reply` lists an action, the action's run, and the
// next heartbeat, which posts its result first.
void RunAndDeliver(Agent& agent, ActionRunner& actions, FakeTransport& transport,
                   const char* reply) {
  transport.PushOk(reply);
  agent.Beat();
  actions.RunNext();
  transport.Push(Reply(200, testing::kAcceptedReply));
  transport.PushOk(R"({"actions": []})");
  agent.Beat();
}

class AgentActionsTest : public ::testing::Test {
 protected:
  AgentActionsTest()
      : prober_(PathsIn(dir_), &runner_),
        actions_(&executor_),
        agent_(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober_, &transport_,
               &sleeper_, &clock_, &actions_, [] { return 0.0; }) {}

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

TEST_F(AgentActionsTest, ReplyActionsAreQueuedAndReportedSkippingMalformedOnes) {
  transport_.PushOk(kWantsDeployAndSync);
  transport_.PushOk(kWantsDeployAndSync);
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[0]["actions"], json::array());
  agent_.Beat();
  EXPECT_EQ(transport_.bodies[1]["actions"], json::parse(R"([
      {"id": "d1", "type": "deploy", "state": "Queued"},
      {"id": "s1", "type": "sync", "state": "Queued"}])"));
  EXPECT_EQ(agent_.link_state(), LinkState::kJoined);
}

TEST_F(AgentActionsTest, RunningActionIsReported) {
  transport_.PushOk(kWantsSync);
  agent_.Beat();
  executor_.SetDuring([&](const api::Action&) {
    transport_.PushOk(kWantsSync);
    agent_.Beat();  // a heartbeat while the sync runs
  });
  actions_.RunNext();
  EXPECT_EQ(transport_.bodies[1]["actions"],
            json::parse(R"([{"id": "s1", "type": "sync", "state": "Running"}])"));
}

TEST_F(AgentActionsTest, ResultIsPostedBeforeTheHeartbeatThatNoLongerListsIt) {
  RunAndDeliver(agent_, actions_, transport_, kWantsSync);
  ASSERT_EQ(transport_.paths.size(), 3u);
  EXPECT_EQ(transport_.paths[1], "/api/v1/drones/drone-izar/actions/s1");
  EXPECT_EQ(transport_.bodies[1]["succeeded"], true);
  EXPECT_EQ(transport_.paths[2], "/api/v1/drones/drone-izar/heartbeat");
  EXPECT_EQ(transport_.bodies[2]["actions"], json::array());
  EXPECT_TRUE(agent_.pending_results().empty());
}

TEST_F(AgentActionsTest, ResultIsRetriedWhileTheControllerIsAwayThenDroppedOnConflict) {
  transport_.PushOk(kWantsSync);
  agent_.Beat();
  actions_.RunNext();
  transport_.PushDown();  // the result
  transport_.PushDown();  // the heartbeat
  agent_.Beat();
  EXPECT_EQ(agent_.pending_results().size(), 1u);
  EXPECT_EQ(agent_.link_state(), LinkState::kUnreachable);

  transport_.Push(Reply(409, R"({"kind": "Status", "code": 409, "message": "already reported"})"));
  transport_.PushOk(kWantsSync);  // still listed: not started again
  agent_.Beat();
  EXPECT_TRUE(agent_.pending_results().empty());
  EXPECT_FALSE(actions_.RunNext());
  EXPECT_THAT(executor_.executed(), ElementsAre("s1"));
  EXPECT_EQ(transport_.paths[3], "/api/v1/drones/drone-izar/actions/s1");
}

TEST_F(AgentActionsTest, FailedHeartbeatLeavesTheQueueAlone) {
  transport_.PushOk(kWantsSync);
  transport_.Push(Reply(503, "overloaded"));
  agent_.Beat();
  agent_.Beat();  // refused: the controller said nothing about what it wants
  EXPECT_EQ(actions_.Progress().size(), 1u);
}

TEST_F(AgentActionsTest, StopStopsTheRunner) {
  transport_.PushOk(kWantsSync);
  agent_.Beat();
  agent_.Stop();
  EXPECT_TRUE(actions_.Progress().empty());
  EXPECT_FALSE(actions_.RunNext());
}

TEST_F(AgentActionsTest, DeliverResultsTriesOnceMore) {
  transport_.PushOk(kWantsSync);
  agent_.Beat();
  actions_.RunNext();
  transport_.Push(Reply(200, testing::kAcceptedReply));
  EXPECT_EQ(agent_.DeliverResults(), 0u);
  EXPECT_EQ(transport_.paths.back(), "/api/v1/drones/drone-izar/actions/s1");
}

// A controller that cannot be trusted asks for a discovery with emergeArgs
// the Swarm's validation refuses: the agent posts a failed result naming the
// word, and emerge never runs.
TEST(AgentRefusesTest, DiscoveryWithAForbiddenEmergeArgIsReportedFailedAndEmergeNeverRuns) {
  TempDir dir;
  dir.Write("state/DEPLOY_MARKER", "2026.02.05\n");
  dir.Write("repo/metadata/timestamp.commit", "b001a8 1738751400\n");
  FakeCommandRunner runner;  // nothing installed: the tree comes from timestamp.commit
  runner.SetHandler([](const CommandSpec& spec) -> Result<CommandResult> {
    return Unavailable(spec.argv.at(0) + ": not found");
  });
  Prober prober(PathsIn(dir), &runner);
  ActionSettings settings;
  settings.state_dir = dir.File("state");
  settings.repo_dir = dir.File("repo");
  settings.emerge = "/usr/bin/emerge";
  HostActionExecutor executor(settings, &runner);
  ActionRunner actions(&executor);
  FakeTransport transport;
  FakeSleeper sleeper;
  FakeClock clock;
  Agent agent(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober, &transport,
              &sleeper, &clock, &actions, [] { return 0.0; });

  RunAndDeliver(agent, actions, transport, R"({"heartbeatInterval": "5s", "actions": [
      {"id": "q1", "type": "discover", "targets": ["@world"],
       "emergeArgs": "--update --config-root=/tmp/evil", "treeRevision": "b001a8",
       "deployVersion": "2026.02.05"}]})");

  ASSERT_EQ(transport.paths.size(), 3u);
  EXPECT_EQ(transport.paths[1], "/api/v1/drones/drone-izar/actions/q1");
  EXPECT_EQ(transport.bodies[1]["succeeded"], false);
  EXPECT_EQ(transport.bodies[1]["message"],
            "refusing to discover: emergeArgs: \"--config-root=/tmp/evil\": --config-root is not "
            "an option emergeArgs may pass: only emerge's dependency-resolution options are "
            "allowed (docs/swarm.md lists them)");
  for (const auto& argv : runner.calls()) EXPECT_NE(argv.at(0), "/usr/bin/emerge");
}

TEST(AgentActionsLoopTest, AFinishedActionBringsTheNextHeartbeatForward) {
  TempDir dir;
  FakeCommandRunner runner;
  Prober prober(PathsIn(dir), &runner);
  FakeTransport transport;
  transport.PushOk(R"({"heartbeatInterval": "1h", "actions": [{"id": "s1", "type": "sync"}]})");
  transport.Push(Reply(200, testing::kAcceptedReply));
  transport.PushOk(R"({"heartbeatInterval": "1h"})");
  std::promise<void> second_heartbeat;
  bool signalled = false;
  transport.on_post = [&] {
    if (transport.paths.size() == 3 && !signalled) {
      signalled = true;
      second_heartbeat.set_value();
    }
  };
  InterruptibleSleeper sleeper;
  FakeClock clock;
  FakeActionExecutor executor;
  ActionRunner actions(&executor, [&sleeper] { sleeper.Wake(); });
  Agent agent(AgentOptions{"drone-izar", "http://ctl:8443", "0.1.0"}, &prober, &transport, &sleeper,
              &clock, &actions);
  actions.Start();
  std::thread run([&] { agent.Run(); });
  // Without the wake-up this would wait the hour the controller asked for.
  second_heartbeat.get_future().wait();
  agent.Stop();
  run.join();
  EXPECT_TRUE(actions.WaitStopped(std::chrono::hours(1)));
  EXPECT_THAT(transport.paths, ElementsAre("/api/v1/drones/drone-izar/heartbeat",
                                           "/api/v1/drones/drone-izar/actions/s1",
                                           "/api/v1/drones/drone-izar/heartbeat"));
}

}  // namespace
}  // namespace swarm::agent
