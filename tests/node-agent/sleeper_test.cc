#include "node-agent/sleeper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace swarm::agent {
namespace {

using std::chrono::hours;

TEST(InterruptibleSleeperTest, ZeroWaitElapses) {
  InterruptibleSleeper s;
  EXPECT_TRUE(s.SleepFor(Duration(0)));
}

TEST(InterruptibleSleeperTest, InterruptBeforeTheWaitEndsItAtOnce) {
  InterruptibleSleeper s;
  s.Interrupt();
  EXPECT_FALSE(s.SleepFor(hours(1)));
  EXPECT_FALSE(s.SleepFor(hours(1)));  // and every later one
}

TEST(InterruptibleSleeperTest, InterruptFromAnotherThreadWakesTheWait) {
  InterruptibleSleeper s;
  std::thread t([&] { s.Interrupt(); });
  // Whether the interrupt lands before or during the wait, it ends it.
  EXPECT_FALSE(s.SleepFor(hours(1)));
  t.join();
}

TEST(InterruptibleSleeperTest, WakeEndsOneWaitOnly) {
  InterruptibleSleeper s;
  s.Wake();  // before the wait: not lost
  EXPECT_TRUE(s.SleepFor(hours(1)));
  EXPECT_TRUE(s.SleepFor(Duration(0)));
}

TEST(InterruptibleSleeperTest, WakeFromAnotherThreadEndsTheWait) {
  InterruptibleSleeper s;
  std::thread t([&] { s.Wake(); });
  EXPECT_TRUE(s.SleepFor(hours(1)));
  t.join();
}

TEST(InterruptibleSleeperTest, WakeDoesNotUndoInterrupt) {
  InterruptibleSleeper s;
  s.Interrupt();
  s.Wake();
  EXPECT_FALSE(s.SleepFor(hours(1)));
}

}  // namespace
}  // namespace swarm::agent
