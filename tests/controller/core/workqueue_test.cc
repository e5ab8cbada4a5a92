#include "controller/core/workqueue.h"

#include <gtest/gtest.h>

#include <atomic>
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

class WorkQueueTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  WorkQueue queue_{&clock_};
};

TEST_F(WorkQueueTest, HandsOutKeysInOrderOnce) {
  queue_.Add("swarm");
  queue_.Add("drone/drone-izar");
  queue_.Add("swarm");
  EXPECT_EQ(queue_.Len(), 2u);
  EXPECT_EQ(queue_.TryGet(), "swarm");
  EXPECT_EQ(queue_.TryGet(), "drone/drone-izar");
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, KeyAddedWhileProcessingRunsOnceMoreAfterDone) {
  queue_.Add("swarm");
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Add("swarm");
  queue_.Add("swarm");
  EXPECT_EQ(queue_.Len(), 0u);  // held back while it is being processed
  EXPECT_EQ(queue_.TryGet(), std::nullopt);

  queue_.Done("swarm");
  EXPECT_EQ(queue_.Len(), 1u);
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Done("swarm");
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, DoneWithoutChangesDoesNotRequeue) {
  queue_.Add("swarm");
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Done("swarm");
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
  queue_.Done("swarm");  // not being processed: ignored
  queue_.Done("never-seen");
  EXPECT_EQ(queue_.Len(), 0u);
}

TEST_F(WorkQueueTest, AddAfterBecomesReadyWhenTheClockGetsThere) {
  SteadyTime start = clock_.SteadyNow();
  queue_.AddAfter("swarm", seconds(1));
  EXPECT_EQ(queue_.NextDelayedAt(), start + seconds(1));
  EXPECT_EQ(queue_.NumDelayed(), 1u);
  EXPECT_EQ(queue_.TryGet(), std::nullopt);

  clock_.Advance(milliseconds(999));
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(queue_.TryGet(), "swarm");
  EXPECT_EQ(queue_.NumDelayed(), 0u);
  EXPECT_EQ(queue_.NextDelayedAt(), std::nullopt);
}

TEST_F(WorkQueueTest, AddAfterKeepsTheEarlierTime) {
  SteadyTime start = clock_.SteadyNow();
  queue_.AddAfter("swarm", seconds(5));
  queue_.AddAfter("swarm", seconds(1));
  queue_.AddAfter("swarm", seconds(10));
  EXPECT_EQ(queue_.NumDelayed(), 1u);
  EXPECT_EQ(queue_.NextDelayedAt(), start + seconds(1));

  clock_.Advance(seconds(1));
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Done("swarm");
  clock_.Advance(seconds(60));
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, DelayedKeysComeOutInDueOrder) {
  queue_.AddAfter("c", seconds(3));
  queue_.AddAfter("a", seconds(1));
  queue_.AddAfter("b", seconds(2));
  clock_.Advance(seconds(5));
  EXPECT_EQ(queue_.Tick(), 3);
  EXPECT_EQ(queue_.TryGet(), "a");
  EXPECT_EQ(queue_.TryGet(), "b");
  EXPECT_EQ(queue_.TryGet(), "c");
}

TEST_F(WorkQueueTest, AddAfterWithoutDelayAddsAtOnce) {
  queue_.AddAfter("swarm", Duration::zero());
  queue_.AddAfter("drone/drone-izar", milliseconds(-5));
  EXPECT_EQ(queue_.NumDelayed(), 0u);
  EXPECT_EQ(queue_.TryGet(), "swarm");
  EXPECT_EQ(queue_.TryGet(), "drone/drone-izar");
}

TEST_F(WorkQueueTest, DueKeyThatIsAlreadyReadyIsNotDuplicated) {
  queue_.AddAfter("swarm", seconds(1));
  queue_.Add("swarm");
  clock_.Advance(seconds(1));
  EXPECT_EQ(queue_.Tick(), 1);
  EXPECT_EQ(queue_.Len(), 1u);
}

TEST_F(WorkQueueTest, DelayedKeyDueWhileProcessingWaitsForDone) {
  queue_.Add("swarm");
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.AddAfter("swarm", seconds(1));
  clock_.Advance(seconds(1));
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
  queue_.Done("swarm");
  EXPECT_EQ(queue_.TryGet(), "swarm");
}

TEST_F(WorkQueueTest, AddRateLimitedBacksOffPerKeyUntilForgotten) {
  SteadyTime start = clock_.SteadyNow();
  queue_.AddRateLimited("swarm");
  EXPECT_EQ(queue_.NumRequeues("swarm"), 1);
  EXPECT_EQ(queue_.NextDelayedAt(), start + milliseconds(500));

  clock_.Advance(milliseconds(500));
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.AddRateLimited("swarm");
  queue_.Done("swarm");
  EXPECT_EQ(queue_.NextDelayedAt(), start + milliseconds(1500));
  EXPECT_EQ(queue_.NumRequeues("swarm"), 2);

  clock_.Advance(seconds(1));
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Forget("swarm");
  queue_.Done("swarm");
  EXPECT_EQ(queue_.NumRequeues("swarm"), 0);
  queue_.AddRateLimited("swarm");
  EXPECT_EQ(queue_.NextDelayedAt(), clock_.SteadyNow() + milliseconds(500));
}

TEST(WorkQueueLimiterTest, UsesTheGivenLimiter) {
  FakeClock clock;
  WorkQueue queue(&clock, std::make_unique<ItemExponentialBackoff>(seconds(2), seconds(3)));
  SteadyTime start = clock.SteadyNow();
  queue.AddRateLimited("a");
  EXPECT_EQ(queue.NextDelayedAt(), start + seconds(2));
  queue.AddRateLimited("b");
  queue.AddRateLimited("b");
  EXPECT_EQ(queue.NumRequeues("b"), 2);
}

TEST_F(WorkQueueTest, ShutDownEndsGetAndIgnoresAdds) {
  queue_.Add("swarm");
  queue_.AddAfter("drone/drone-izar", seconds(1));
  ASSERT_EQ(queue_.TryGet(), "swarm");
  queue_.Add("other");
  queue_.ShutDown();
  EXPECT_TRUE(queue_.ShuttingDown());
  EXPECT_EQ(queue_.NumDelayed(), 0u);
  EXPECT_EQ(queue_.Get(), std::nullopt);
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
  queue_.Add("late");
  queue_.AddRateLimited("late");
  EXPECT_EQ(queue_.NumRequeues("late"), 0);
  queue_.Done("swarm");  // still accepted for the key in flight
  EXPECT_EQ(queue_.TryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, GetBlocksUntilAKeyIsAdded) {
  auto got = std::async(std::launch::async, [this] { return queue_.Get(); });
  queue_.Add("swarm");
  EXPECT_EQ(got.get(), "swarm");
}

TEST_F(WorkQueueTest, GetBlockedOnEmptyQueueEndsAtShutDown) {
  auto got = std::async(std::launch::async, [this] { return queue_.Get(); });
  queue_.ShutDown();
  EXPECT_EQ(got.get(), std::nullopt);
}

TEST_F(WorkQueueTest, GetWaitingForADelayedKeyWakesOnTick) {
  queue_.AddAfter("swarm", minutes(5));
  auto got = std::async(std::launch::async, [this] { return queue_.Get(); });
  clock_.Advance(minutes(5));
  queue_.Tick();
  EXPECT_EQ(got.get(), "swarm");
}

TEST(WorkQueueRealClockTest, GetReturnsADelayedKeyWhenDue) {
  WorkQueue queue(SystemClock::Get());
  SteadyTime start = std::chrono::steady_clock::now();
  queue.AddAfter("swarm", milliseconds(20));
  EXPECT_EQ(queue.Get(), "swarm");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(20));
}

// One worker holds "k"; re-adding "k" must not reach the other workers while
// it is held, only once after it is Done.
TEST_F(WorkQueueTest, OneKeyIsNeverProcessedByTwoWorkersAtOnce) {
  std::promise<void> k_started, release_k, k_rerun, x_done;
  std::shared_future<void> release = release_k.get_future().share();
  std::atomic<int> k_runs{0}, k_in_flight{0}, k_max_in_flight{0};
  auto worker = [&] {
    while (std::optional<std::string> key = queue_.Get()) {
      if (*key == "k") {
        int now = ++k_in_flight;
        int seen = k_max_in_flight.load();
        while (now > seen && !k_max_in_flight.compare_exchange_weak(seen, now)) {
        }
        int run = ++k_runs;
        if (run == 1) {
          k_started.set_value();
          release.wait();
        } else if (run == 2) {
          k_rerun.set_value();
        }
        --k_in_flight;
      } else if (*key == "x") {
        x_done.set_value();
      }
      queue_.Done(*key);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 3; ++i) workers.emplace_back(worker);

  queue_.Add("k");
  k_started.get_future().wait();
  for (int i = 0; i < 3; ++i) queue_.Add("k");
  queue_.Add("x");
  x_done.get_future().wait();  // a free worker took "x", which came after "k"
  EXPECT_EQ(k_runs.load(), 1);
  EXPECT_EQ(queue_.Len(), 0u);

  release_k.set_value();
  k_rerun.get_future().wait();
  queue_.ShutDown();
  for (auto& t : workers) t.join();
  EXPECT_EQ(k_runs.load(), 2);
  EXPECT_EQ(k_max_in_flight.load(), 1);
}

// Producers hammer a few keys while workers process them; no key may ever be
// held by two workers. The run is bounded: ShutDown ends the workers.
TEST_F(WorkQueueTest, ConcurrentAddsNeverOverlapProcessing) {
  std::mutex mu;
  std::set<std::string> in_flight;
  std::atomic<bool> overlap{false};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&] {
      while (std::optional<std::string> key = queue_.Get()) {
        {
          std::lock_guard<std::mutex> l(mu);
          if (!in_flight.insert(*key).second) overlap = true;
        }
        {
          std::lock_guard<std::mutex> l(mu);
          in_flight.erase(*key);
        }
        queue_.Done(*key);
      }
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < 2000; ++i) queue_.Add("key" + std::to_string((i + p) % 5));
    });
  }
  for (auto& t : producers) t.join();
  queue_.ShutDown();
  for (auto& t : workers) t.join();
  EXPECT_FALSE(overlap.load());
}

}  // namespace
}  // namespace swarm::controller
