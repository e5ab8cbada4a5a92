#include "node-agent/build_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "tests/node-agent/fake_build_executor.h"

namespace swarm::agent {
namespace {

using ::testing::ElementsAre;
using testing::FailedBuild;
using testing::FakeBuildExecutor;
using ::testing::IsEmpty;

const api::BuildAssignment kA1{"a1", "dev-libs/openssl-3.3.3", 1};
const api::BuildAssignment kA2{"a2", "sys-libs/zlib-1.3.1-r1", 2};

std::vector<std::string> States(const std::vector<api::BuildProgress>& progress) {
  std::vector<std::string> out;
  for (const auto& p : progress) out.push_back(p.assignment + " " + p.package + " " + p.state);
  return out;
}

// Builds run when the test says so, on the test's thread.
class BuildRunnerTest : public ::testing::Test {
 protected:
  BuildRunnerTest()
      : runner_(
            &executor_, &clock_, [this] { ++wakes_; },
            [this](std::function<void()> task) { tasks_.push_back(std::move(task)); }) {}

  // Runs every build spawned so far, in order.
  void RunTasks() {
    auto tasks = std::move(tasks_);
    tasks_.clear();
    for (auto& t : tasks) t();
  }

  FakeClock clock_;
  FakeBuildExecutor executor_;
  std::vector<std::function<void()>> tasks_;
  int wakes_ = 0;
  BuildRunner runner_;
};

TEST_F(BuildRunnerTest, EachIdStartsOnceAndItsEndWaitsForDelivery) {
  runner_.Offer({kA1, kA2});
  EXPECT_EQ(tasks_.size(), 2u);
  EXPECT_THAT(States(runner_.Progress()),
              ElementsAre("a1 dev-libs/openssl-3.3.3 Queued", "a2 sys-libs/zlib-1.3.1-r1 Queued"));
  runner_.Offer({kA1, kA2});  // the next reply lists them again
  EXPECT_EQ(tasks_.size(), 2u);

  RunTasks();
  EXPECT_THAT(executor_.executed(), ElementsAre("a1", "a2"));
  EXPECT_EQ(wakes_, 2);
  // Ended but not yet taken: still held, so the heartbeat keeps the lease,
  // and Uploading, so their slots go to the next builds.
  EXPECT_THAT(States(runner_.Progress()), ElementsAre("a1 dev-libs/openssl-3.3.3 Uploading",
                                                      "a2 sys-libs/zlib-1.3.1-r1 Uploading"));
  BuildSnapshot snap = runner_.Collect();
  ASSERT_EQ(snap.finished.size(), 2u);
  EXPECT_EQ(snap.finished[0].result.assignment, "a1");
  EXPECT_EQ(snap.finished[0].result.outcome, api::kBuildSucceeded);
  EXPECT_EQ(snap.progress.size(), 2u);
  EXPECT_THAT(runner_.Progress(), IsEmpty());

  // Listed once more before the controller saw the result: not built again.
  runner_.Offer({kA1, kA2});
  EXPECT_TRUE(tasks_.empty());
}

TEST_F(BuildRunnerTest, RunningBuildIsReportedRunning) {
  runner_.Offer({kA1, kA2});
  std::vector<std::string> during;
  executor_.SetDuring([&](const api::BuildAssignment& a, CancelToken&) {
    if (a.id == "a1") during = States(runner_.Progress());
  });
  RunTasks();
  EXPECT_THAT(during,
              ElementsAre("a1 dev-libs/openssl-3.3.3 Running", "a2 sys-libs/zlib-1.3.1-r1 Queued"));
}

TEST_F(BuildRunnerTest, BuildNoLongerListedIsCancelledAndForgotten) {
  runner_.Offer({kA1, kA2});
  executor_.SetDuring([&](const api::BuildAssignment& a, CancelToken& token) {
    if (a.id == "a1") runner_.Offer({kA2});  // the controller took a1 back
  });
  RunTasks();
  EXPECT_TRUE(executor_.token("a1")->cancelled());
  EXPECT_FALSE(executor_.token("a2")->cancelled());
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].result.assignment, "a2");
  EXPECT_EQ(wakes_, 1);
}

TEST_F(BuildRunnerTest, QueuedBuildTakenBackNeverRunsNorRestarts) {
  runner_.Offer({kA1});
  runner_.Offer({});
  EXPECT_THAT(runner_.Progress(), IsEmpty());
  RunTasks();
  EXPECT_THAT(executor_.executed(), IsEmpty());
  // Ids are never reused; one seen is never started again.
  runner_.Offer({kA1});
  EXPECT_TRUE(tasks_.empty());
  EXPECT_TRUE(runner_.WaitIdle(Duration(0)));
}

// The split brain: a build that ended before the controller's take-back
// reached it reports all the same, for the controller to refuse.
TEST_F(BuildRunnerTest, BuildThatEndedBeforeItsTakeBackStillReports) {
  runner_.Offer({kA1, kA2});
  tasks_[0]();
  runner_.Offer({});  // a1 ended and awaits delivery; a2 is queued
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].result.assignment, "a1");
  tasks_[1]();  // a2 never began: nothing to report
  EXPECT_THAT(runner_.TakeFinished(), IsEmpty());
}

TEST_F(BuildRunnerTest, BuildThatEndsOnItsOwnAsItIsTakenBackStillReports) {
  runner_.Offer({kA1});
  executor_.SetEndsDespiteCancel(true);
  executor_.SetDuring([&](const api::BuildAssignment&, CancelToken&) { runner_.Offer({}); });
  RunTasks();
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].result.outcome, api::kBuildSucceeded);
  EXPECT_THAT(runner_.Progress(), IsEmpty());
}

TEST_F(BuildRunnerTest, ReturnedBuildThatEndsOnItsOwnReportsOnlyTheReturn) {
  runner_.Offer({kA1});
  executor_.SetEndsDespiteCancel(true);
  executor_.SetDuring(
      [&](const api::BuildAssignment&, CancelToken&) { runner_.ReturnAll("drone is CRITICAL"); });
  RunTasks();
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].result.outcome, api::kBuildReturned);
}

TEST_F(BuildRunnerTest, RefusalReturnsNewOffersAtOnceAndKeepsHeldBuilds) {
  runner_.Offer({kA1});
  runner_.Offer({kA1, kA2}, "drone is DEGRADED: memory 91% >= 85%");
  EXPECT_EQ(tasks_.size(), 1u);  // a1 only
  EXPECT_EQ(wakes_, 1);
  std::vector<FinishedBuild> returned = runner_.TakeFinished();
  ASSERT_EQ(returned.size(), 1u);
  EXPECT_EQ(returned[0].result.assignment, "a2");
  EXPECT_EQ(returned[0].result.package, "sys-libs/zlib-1.3.1-r1");
  EXPECT_EQ(returned[0].result.outcome, api::kBuildReturned);
  EXPECT_EQ(returned[0].result.message, "drone is DEGRADED: memory 91% >= 85%");
  EXPECT_EQ(returned[0].result.duration_ms, 0);
  EXPECT_TRUE(returned[0].log_path.empty());
  // Healthy again, the controller still lists a2 until the result is in: it
  // is not started after all.
  runner_.Offer({kA1, kA2});
  EXPECT_EQ(tasks_.size(), 1u);
  RunTasks();
  EXPECT_THAT(executor_.executed(), ElementsAre("a1"));
}

TEST_F(BuildRunnerTest, ReturnAllReturnsRunningAndQueuedBuildsWithTheirTime) {
  runner_.Offer({kA1, kA2});
  size_t returned = 0;
  executor_.SetDuring([&](const api::BuildAssignment& a, CancelToken&) {
    if (a.id != "a1") return;
    clock_.Advance(std::chrono::seconds(90));
    returned = runner_.ReturnAll("drone is CRITICAL: OOM kill while building x/y-1");
  });
  tasks_[0]();  // a1 runs; a2 is still queued when everything is returned
  EXPECT_EQ(returned, 2u);
  EXPECT_TRUE(executor_.token("a1")->cancelled());
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 2u);  // a1's own (cancelled) end is not among them
  EXPECT_EQ(finished[0].result.assignment, "a1");
  EXPECT_EQ(finished[0].result.outcome, api::kBuildReturned);
  EXPECT_EQ(finished[0].result.message, "drone is CRITICAL: OOM kill while building x/y-1");
  EXPECT_EQ(finished[0].result.duration_ms, 90000);
  EXPECT_EQ(finished[1].result.assignment, "a2");
  EXPECT_EQ(finished[1].result.duration_ms, 0);
  tasks_[1]();  // a2's task finds it gone
  EXPECT_THAT(executor_.executed(), ElementsAre("a1"));
  EXPECT_THAT(runner_.Progress(), IsEmpty());
  EXPECT_EQ(runner_.ReturnAll("again"), 0u);
}

TEST_F(BuildRunnerTest, FailuresAreReportedAsTheExecutorSaysThem) {
  executor_.SetAnswer([](const api::BuildAssignment& a) {
    return FailedBuild(a, api::kFailureDroneResources, "Killed signal terminated program cc1plus",
                       true);
  });
  runner_.Offer({kA1});
  RunTasks();
  std::vector<FinishedBuild> finished = runner_.TakeFinished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].result.outcome, api::kBuildFailed);
  EXPECT_TRUE(finished[0].result.oom_killed);
}

TEST_F(BuildRunnerTest, StopTakesNoMoreBuildsButReturnAllStillWorks) {
  runner_.Offer({kA1});
  runner_.Stop();
  runner_.Offer({kA1, kA2});
  EXPECT_EQ(tasks_.size(), 1u);
  EXPECT_EQ(runner_.ReturnAll("agent shutting down (SIGTERM)"), 1u);
  EXPECT_EQ(runner_.TakeFinished()[0].result.message, "agent shutting down (SIGTERM)");
}

// With its own threads: builds run at the same time, and a cancel ends them.
TEST(BuildRunnerThreadsTest, BuildsRunConcurrently) {
  FakeClock clock;
  FakeBuildExecutor executor;
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  bool both_seen = false;
  executor.SetDuring([&](const api::BuildAssignment&, CancelToken&) {
    std::unique_lock<std::mutex> l(mu);
    ++running;
    cv.notify_all();
    // Each waits until both run at once; one runner thread would wait forever.
    if (cv.wait_for(l, std::chrono::seconds(30), [&] { return running == 2; })) both_seen = true;
  });
  std::atomic<int> wakes{0};
  BuildRunner runner(&executor, &clock, [&] { ++wakes; });
  runner.Offer({kA1, kA2});
  EXPECT_TRUE(runner.WaitIdle(std::chrono::hours(1)));
  EXPECT_TRUE(both_seen);
  EXPECT_EQ(runner.TakeFinished().size(), 2u);
  EXPECT_EQ(wakes.load(), 2);
}

TEST(BuildRunnerThreadsTest, TakenBackBuildEndsAndItsThreadIsJoined) {
  FakeClock clock;
  FakeBuildExecutor executor;
  std::promise<void> started;
  executor.SetDuring([&](const api::BuildAssignment&, CancelToken& token) {
    started.set_value();
    token.WaitFor(std::chrono::hours(1));  // emerge runs until cancelled
  });
  BuildRunner runner(&executor, &clock);
  runner.Offer({kA1});
  started.get_future().wait();
  EXPECT_THAT(States(runner.Progress()), ElementsAre("a1 dev-libs/openssl-3.3.3 Running"));
  runner.Offer({});
  EXPECT_TRUE(runner.WaitIdle(std::chrono::hours(1)));
  EXPECT_THAT(runner.TakeFinished(), IsEmpty());
}

TEST(BuildRunnerThreadsTest, DestructionCancelsRunningBuilds) {
  FakeClock clock;
  FakeBuildExecutor executor;
  std::promise<void> started;
  executor.SetDuring([&](const api::BuildAssignment&, CancelToken& token) {
    started.set_value();
    token.WaitFor(std::chrono::hours(1));
  });
  {
    BuildRunner runner(&executor, &clock);
    runner.Offer({kA1});
    started.get_future().wait();
  }  // would hang for an hour without the cancel
  EXPECT_TRUE(executor.token("a1")->cancelled());
}

}  // namespace
}  // namespace swarm::agent
