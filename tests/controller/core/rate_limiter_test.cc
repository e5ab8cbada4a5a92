#include "controller/core/rate_limiter.h"

#include <gtest/gtest.h>

namespace swarm::controller {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ItemExponentialBackoffLimiterTest, DoublesFromBaseUpToMax) {
  ItemExponentialBackoff limiter(milliseconds(500), minutes(5));
  const std::vector<Duration> want = {milliseconds(500), seconds(1),   seconds(2),  seconds(4),
                                      seconds(8),        seconds(16),  seconds(32), seconds(64),
                                      seconds(128),      seconds(256), minutes(5),  minutes(5)};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(limiter.When("swarm"), want[i]) << "failure " << i;
    EXPECT_EQ(limiter.NumRequeues("swarm"), static_cast<int>(i + 1));
  }
}

TEST(ItemExponentialBackoffLimiterTest, ManyFailuresStayAtMax) {
  ItemExponentialBackoff limiter(milliseconds(500), minutes(5));
  for (int i = 0; i < 200; ++i) limiter.When("swarm");
  EXPECT_EQ(limiter.When("swarm"), minutes(5));
  EXPECT_EQ(limiter.NumRequeues("swarm"), 201);
}

TEST(ItemExponentialBackoffLimiterTest, KeysAreIndependentAndForgetResets) {
  ItemExponentialBackoff limiter(milliseconds(500), minutes(5));
  limiter.When("swarm");
  limiter.When("swarm");
  EXPECT_EQ(limiter.When("drone/drone-izar"), milliseconds(500));
  EXPECT_EQ(limiter.When("swarm"), seconds(2));

  limiter.Forget("swarm");
  EXPECT_EQ(limiter.NumRequeues("swarm"), 0);
  EXPECT_EQ(limiter.When("swarm"), milliseconds(500));
  EXPECT_EQ(limiter.NumRequeues("drone/drone-izar"), 1);
}

TEST(ItemExponentialBackoffLimiterTest, BaseAboveMaxIsCapped) {
  ItemExponentialBackoff limiter(seconds(10), seconds(3));
  EXPECT_EQ(limiter.When("swarm"), seconds(3));
  EXPECT_EQ(limiter.When("swarm"), seconds(3));
}

TEST(TokenBucketLimiterTest, BurstPassesThenOnePerInterval) {
  FakeClock clock;
  TokenBucketLimiter limiter(&clock, 10, 100);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(limiter.When("k" + std::to_string(i)), Duration::zero()) << i;
  }
  EXPECT_EQ(limiter.When("a"), milliseconds(100));
  EXPECT_EQ(limiter.When("b"), milliseconds(200));
  EXPECT_EQ(limiter.When("c"), milliseconds(300));
  EXPECT_EQ(limiter.NumRequeues("a"), 0);
}

TEST(TokenBucketLimiterTest, RefillsWithTimeUpToBurst) {
  FakeClock clock;
  TokenBucketLimiter limiter(&clock, 10, 100);
  for (int i = 0; i < 100; ++i) limiter.When("k");
  clock.Advance(seconds(1));  // 10 tokens back
  for (int i = 0; i < 10; ++i) ASSERT_EQ(limiter.When("k"), Duration::zero()) << i;
  EXPECT_EQ(limiter.When("k"), milliseconds(100));

  clock.Advance(minutes(60));  // far more than a burst's worth of refill
  for (int i = 0; i < 100; ++i) ASSERT_EQ(limiter.When("k"), Duration::zero()) << i;
  EXPECT_EQ(limiter.When("k"), milliseconds(100));
}

TEST(TokenBucketLimiterTest, DebtIsPaidBackBeforeNewTokens) {
  FakeClock clock;
  TokenBucketLimiter limiter(&clock, 10, 1);
  EXPECT_EQ(limiter.When("k"), Duration::zero());
  EXPECT_EQ(limiter.When("k"), milliseconds(100));
  EXPECT_EQ(limiter.When("k"), milliseconds(200));
  clock.Advance(milliseconds(150));
  EXPECT_EQ(limiter.When("k"), milliseconds(150));
}

TEST(TokenBucketLimiterTest, ZeroQpsMeansNoLimit) {
  FakeClock clock;
  TokenBucketLimiter limiter(&clock, 0, 1);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.When("k"), Duration::zero());
}

TEST(ControllerRateLimiterTest, TakesTheLongerOfBackoffAndBucket) {
  FakeClock clock;
  auto limiter = NewControllerRateLimiter(&clock);
  // Each key fails once: its own backoff is 500ms; the bucket empties after 100.
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(limiter->When("k" + std::to_string(i)), milliseconds(500)) << i;
  }
  for (int n = 1; n <= 10; ++n) {
    EXPECT_EQ(limiter->When("late" + std::to_string(n)),
              std::max<Duration>(milliseconds(500), milliseconds(100) * n))
        << n;
  }
  EXPECT_EQ(limiter->NumRequeues("k0"), 1);
  limiter->Forget("k0");
  EXPECT_EQ(limiter->NumRequeues("k0"), 0);
}

TEST(ControllerRateLimiterTest, OptionsAreHonoured) {
  FakeClock clock;
  RateLimiterOptions opts;
  opts.base_delay = milliseconds(5);
  opts.max_delay = milliseconds(40);
  opts.qps = 1;
  opts.burst = 2;
  auto limiter = NewControllerRateLimiter(&clock, opts);
  EXPECT_EQ(limiter->When("a"), milliseconds(5));
  EXPECT_EQ(limiter->When("a"), milliseconds(10));
  EXPECT_EQ(limiter->When("a"), seconds(1));  // bucket of 2 is empty
  clock.Advance(seconds(10));
  EXPECT_EQ(limiter->When("a"), milliseconds(40));
  EXPECT_EQ(limiter->When("a"), milliseconds(40));
}

}  // namespace
}  // namespace swarm::controller
