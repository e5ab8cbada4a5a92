#include "controller/core/reconcile_loop.h"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace swarm::controller {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// A handler whose outcome per key the test sets, recording every call.
class ScriptedHandler {
 public:
  ReconcileOutcome operator()(const std::string& key) {
    std::lock_guard<std::mutex> l(mu_);
    calls_.push_back(key);
    auto it = outcomes_.find(key);
    return it == outcomes_.end() ? ReconcileOutcome{} : it->second;
  }
  void Set(const std::string& key, ReconcileOutcome o) {
    std::lock_guard<std::mutex> l(mu_);
    outcomes_[key] = std::move(o);
  }
  std::vector<std::string> Calls() const {
    std::lock_guard<std::mutex> l(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, ReconcileOutcome> outcomes_;
  std::vector<std::string> calls_;
};

class ReconcileLoopTest : public ::testing::Test {
 protected:
  ReconcileLoop MakeLoop(Duration resync = Duration::zero()) {
    return ReconcileLoop(
        &queue_, [this](const std::string& k) { return handler_(k); }, resync,
        [this] { return keys_; });
  }

  FakeClock clock_;
  WorkQueue queue_{&clock_};
  ScriptedHandler handler_;
  std::vector<std::string> keys_ = {"swarm", "drone/drone-izar"};
};

TEST_F(ReconcileLoopTest, ProcessOneReturnsFalseWhenNothingIsReady) {
  ReconcileLoop loop = MakeLoop();
  EXPECT_FALSE(loop.ProcessOne());
  EXPECT_TRUE(handler_.Calls().empty());
}

TEST_F(ReconcileLoopTest, ErrorRequeuesWithGrowingBackoff) {
  ReconcileLoop loop = MakeLoop();
  handler_.Set("swarm", {Unavailable("store is away"), std::nullopt});
  queue_.Add("swarm");

  ASSERT_TRUE(loop.ProcessOne());
  EXPECT_EQ(queue_.NumRequeues("swarm"), 1);
  EXPECT_EQ(queue_.NextDelayedAt(), clock_.SteadyNow() + milliseconds(500));
  EXPECT_FALSE(loop.ProcessOne());

  clock_.Advance(milliseconds(499));
  EXPECT_FALSE(loop.ProcessOne());
  clock_.Advance(milliseconds(1));
  ASSERT_TRUE(loop.ProcessOne());
  EXPECT_EQ(queue_.NumRequeues("swarm"), 2);
  EXPECT_EQ(queue_.NextDelayedAt(), clock_.SteadyNow() + seconds(1));
  EXPECT_EQ(handler_.Calls().size(), 2u);
}

TEST_F(ReconcileLoopTest, SuccessForgetsBackoffAndHonoursRequeueAfter) {
  ReconcileLoop loop = MakeLoop();
  handler_.Set("swarm", {Internal("boom"), std::nullopt});
  queue_.Add("swarm");
  ASSERT_TRUE(loop.ProcessOne());
  ASSERT_EQ(queue_.NumRequeues("swarm"), 1);

  handler_.Set("swarm", {Status::Ok(), seconds(30)});
  clock_.Advance(milliseconds(500));
  ASSERT_TRUE(loop.ProcessOne());
  EXPECT_EQ(queue_.NumRequeues("swarm"), 0);
  EXPECT_EQ(queue_.NextDelayedAt(), clock_.SteadyNow() + seconds(30));

  clock_.Advance(seconds(30));
  EXPECT_EQ(loop.ProcessAllReady(), 1);
  EXPECT_EQ(handler_.Calls().size(), 3u);
}

TEST_F(ReconcileLoopTest, SuccessWithoutRequeueLeavesNothingScheduled) {
  ReconcileLoop loop = MakeLoop();
  queue_.Add("swarm");
  ASSERT_TRUE(loop.ProcessOne());
  EXPECT_EQ(queue_.NextDelayedAt(), std::nullopt);
  EXPECT_EQ(queue_.Len(), 0u);
  EXPECT_FALSE(loop.ProcessOne());
}

TEST_F(ReconcileLoopTest, ProcessAllReadyStopsAtMaxSteps) {
  ReconcileLoop loop = MakeLoop();
  handler_.Set("swarm", {Status::Ok(), Duration::zero()});
  queue_.Add("swarm");
  EXPECT_EQ(loop.ProcessAllReady(5), 5);
  EXPECT_EQ(queue_.Len(), 1u);
}

TEST_F(ReconcileLoopTest, ResyncAddsAllKeysAtStartAndEveryPeriod) {
  ReconcileLoop loop = MakeLoop(minutes(10));
  SteadyTime start = clock_.SteadyNow();
  EXPECT_EQ(loop.NextResyncAt(), start);
  EXPECT_TRUE(loop.ResyncIfDue());
  EXPECT_EQ(loop.NextResyncAt(), start + minutes(10));
  EXPECT_FALSE(loop.ResyncIfDue());
  EXPECT_EQ(loop.ProcessAllReady(), 2);

  clock_.Advance(minutes(10) - milliseconds(1));
  EXPECT_FALSE(loop.ResyncIfDue());
  EXPECT_EQ(queue_.Len(), 0u);
  clock_.Advance(milliseconds(1));
  keys_.push_back("drone/drone-new");
  EXPECT_TRUE(loop.ResyncIfDue());
  EXPECT_EQ(queue_.Len(), 3u);
  EXPECT_EQ(loop.ProcessAllReady(), 3);
  EXPECT_EQ(handler_.Calls(), (std::vector<std::string>{"swarm", "drone/drone-izar", "swarm",
                                                        "drone/drone-izar", "drone/drone-new"}));
}

TEST_F(ReconcileLoopTest, ResyncDoesNotDuplicateWaitingKeys) {
  ReconcileLoop loop = MakeLoop(minutes(10));
  queue_.Add("swarm");
  ASSERT_TRUE(loop.ResyncIfDue());
  EXPECT_EQ(queue_.Len(), 2u);
}

TEST_F(ReconcileLoopTest, ZeroPeriodDisablesResync) {
  ReconcileLoop loop = MakeLoop(Duration::zero());
  EXPECT_EQ(loop.NextResyncAt(), std::nullopt);
  EXPECT_FALSE(loop.ResyncIfDue());
  clock_.Advance(minutes(60));
  EXPECT_FALSE(loop.ResyncIfDue());
  EXPECT_EQ(queue_.Len(), 0u);
}

TEST_F(ReconcileLoopTest, RunProcessesKeysUntilStop) {
  std::promise<void> both_seen;
  std::mutex mu;
  std::set<std::string> seen;
  ReconcileLoop loop(
      &queue_,
      [&](const std::string& key) {
        std::lock_guard<std::mutex> l(mu);
        if (seen.insert(key).second && seen.size() == 2) both_seen.set_value();
        return ReconcileOutcome{};
      },
      minutes(10), [this] { return keys_; });
  std::thread runner([&] { loop.Run(2); });
  both_seen.get_future().wait();  // the initial resync fed both keys to the workers
  loop.Stop();
  runner.join();
  EXPECT_TRUE(queue_.ShuttingDown());
}

TEST_F(ReconcileLoopTest, RunAfterStopReturnsAtOnce) {
  ReconcileLoop loop = MakeLoop(minutes(10));
  loop.Stop();
  loop.Run(4);
  EXPECT_TRUE(queue_.ShuttingDown());
  EXPECT_TRUE(handler_.Calls().empty());
}

}  // namespace
}  // namespace swarm::controller
