#include "node-agent/action_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "tests/node-agent/fake_action_executor.h"

namespace swarm::agent {
namespace {

using ::testing::ElementsAre;
using testing::FakeActionExecutor;
using ::testing::IsEmpty;

api::Action Deploy(const std::string& id, const std::string& version = "2026.02.05") {
  api::Action a;
  a.id = id;
  a.type = api::kActionDeploy;
  a.version = version;
  return a;
}
api::Action Sync(const std::string& id) {
  api::Action a;
  a.id = id;
  a.type = api::kActionSync;
  a.revision = "b001a8";
  return a;
}

MATCHER_P2(IsProgress, id, state, "") { return arg.id == id && arg.state == state; }

std::vector<std::string> Ids(const std::vector<api::ActionResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(r.id);
  return out;
}

TEST(ActionRunnerTest, RunsQueuedActionsOneAtATimeInOrder) {
  FakeActionExecutor executor;
  int finished = 0;
  ActionRunner runner(&executor, [&] { ++finished; });
  runner.Offer({Sync("s1"), Deploy("d1")});
  EXPECT_THAT(runner.Progress(), ElementsAre(IsProgress("s1", api::kActionQueued),
                                             IsProgress("d1", api::kActionQueued)));
  EXPECT_TRUE(runner.RunNext());
  EXPECT_EQ(finished, 1);
  EXPECT_THAT(runner.Progress(), ElementsAre(IsProgress("d1", api::kActionQueued)));
  EXPECT_TRUE(runner.RunNext());
  EXPECT_FALSE(runner.RunNext());
  EXPECT_THAT(executor.executed(), ElementsAre("s1", "d1"));
  EXPECT_THAT(Ids(runner.TakeFinished()), ElementsAre("s1", "d1"));
  EXPECT_THAT(runner.TakeFinished(), IsEmpty());
  EXPECT_THAT(runner.Progress(), IsEmpty());
  EXPECT_EQ(finished, 2);
}

TEST(ActionRunnerTest, ProgressShowsTheRunningActionFirst) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  std::vector<api::ActionProgress> seen;
  executor.SetDuring([&](const api::Action&) { seen = runner.Progress(); });
  runner.Offer({Sync("s1"), Deploy("d1")});
  runner.RunNext();
  EXPECT_THAT(seen, ElementsAre(IsProgress("s1", api::kActionRunning),
                                IsProgress("d1", api::kActionQueued)));
  EXPECT_EQ(seen[0].type, "sync");
}

TEST(ActionRunnerTest, AnIdStartsOnceEvenWhenOfferedAgain) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  // The controller lists an action until it has the result: while queued,
  // while running and after it ended.
  runner.Offer({Deploy("d1"), Deploy("d1")});
  runner.Offer({Deploy("d1")});
  EXPECT_EQ(runner.Progress().size(), 1u);
  executor.SetDuring([&](const api::Action&) { runner.Offer({Deploy("d1")}); });
  runner.RunNext();
  runner.Offer({Deploy("d1")});
  EXPECT_FALSE(runner.RunNext());
  EXPECT_THAT(executor.executed(), ElementsAre("d1"));
}

TEST(ActionRunnerTest, WithdrawnQueuedActionIsDropped) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  runner.Offer({Sync("s1"), Deploy("d1")});
  runner.Offer({Deploy("d1")});
  EXPECT_THAT(runner.Progress(), ElementsAre(IsProgress("d1", api::kActionQueued)));
  runner.Offer({});
  EXPECT_FALSE(runner.RunNext());
  EXPECT_THAT(executor.executed(), IsEmpty());
}

TEST(ActionRunnerTest, WithdrawnRunningActionFinishes) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  executor.SetDuring([&](const api::Action&) { runner.Offer({}); });
  runner.Offer({Deploy("d1")});
  runner.RunNext();
  EXPECT_THAT(Ids(runner.TakeFinished()), ElementsAre("d1"));
}

TEST(ActionRunnerTest, CollectTakesProgressAndResultsTogether) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  runner.Offer({Deploy("d1"), Sync("s1")});
  runner.RunNext();
  ActionSnapshot s = runner.Collect();
  EXPECT_THAT(Ids(s.finished), ElementsAre("d1"));
  EXPECT_THAT(s.progress, ElementsAre(IsProgress("s1", api::kActionQueued)));
  EXPECT_THAT(runner.Collect().finished, IsEmpty());
}

TEST(ActionRunnerTest, RemembersABoundedNumberOfIds) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  for (size_t i = 0; i <= ActionRunner::kRememberedIds; ++i) {
    runner.Offer({Deploy("d" + std::to_string(i))});
    runner.RunNext();
  }
  // d0 is the oldest and forgotten; d1 is still remembered.
  runner.Offer({Deploy("d1")});
  EXPECT_FALSE(runner.RunNext());
  runner.Offer({Deploy("d0")});
  EXPECT_TRUE(runner.RunNext());
}

TEST(ActionRunnerTest, StopDropsTheQueueAndRefusesNewActions) {
  FakeActionExecutor executor;
  ActionRunner runner(&executor);
  runner.Offer({Deploy("d1")});
  runner.Stop();
  runner.Offer({Sync("s1")});
  EXPECT_THAT(runner.Progress(), IsEmpty());
  EXPECT_FALSE(runner.RunNext());
  EXPECT_TRUE(runner.WaitStopped(Duration(0)));  // no worker was started
}

TEST(ActionRunnerWorkerTest, RunsOfferedActionsOffTheCallingThread) {
  FakeActionExecutor executor;
  std::promise<void> ran;
  ActionRunner runner(&executor, [&] { ran.set_value(); });
  runner.Start();
  runner.Offer({Deploy("d1")});
  ran.get_future().wait();
  EXPECT_THAT(Ids(runner.TakeFinished()), ElementsAre("d1"));
  runner.Stop();
  EXPECT_TRUE(runner.WaitStopped(std::chrono::hours(1)));
}

TEST(ActionRunnerWorkerTest, StopLetsTheRunningActionFinish) {
  FakeActionExecutor executor;
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  executor.SetDuring([&](const api::Action&) {
    started.set_value();
    released.wait();
  });
  ActionRunner runner(&executor);
  runner.Start();
  runner.Offer({Deploy("d1"), Sync("s1")});
  started.get_future().wait();
  runner.Stop();
  EXPECT_FALSE(runner.WaitStopped(Duration(0)));  // d1 still runs
  EXPECT_THAT(runner.Progress(), ElementsAre(IsProgress("d1", api::kActionRunning)));
  release.set_value();
  EXPECT_TRUE(runner.WaitStopped(std::chrono::hours(1)));
  EXPECT_THAT(executor.executed(), ElementsAre("d1"));  // s1 never started
  EXPECT_THAT(Ids(runner.TakeFinished()), ElementsAre("d1"));
}

}  // namespace
}  // namespace swarm::agent
