// Grounding on a fake clock: the threshold, probation, ungrounding, and the
// failing-alike window that keeps a shared fault from grounding anyone.

#include "controller/reconcilers/grounding.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

using std::chrono::minutes;

api::DroneStatus WithFailures(int n) {
  api::DroneStatus s;
  s.consecutive_failures = n;
  return s;
}

TEST(GroundingTest, GroundsAtTheThresholdOnly) {
  EXPECT_FALSE(GroundAfterFailure(WithFailures(4), 5, "a-1", "No space"));
  auto c = GroundAfterFailure(WithFailures(5), 5, "a-1", "No space left on device");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, api::kTrue);
  EXPECT_EQ(c->reason, api::reason::kRepeatedFailures);
  EXPECT_NE(c->message.find("No space left on device"), std::string::npos);
  api::DroneStatus grounded = WithFailures(6);
  api::SetCondition(grounded.conditions, *c, WallTime{});
  EXPECT_TRUE(IsGrounded(grounded));
  EXPECT_FALSE(GroundAfterFailure(grounded, 5, "a-1", "x")) << "already grounded";
}

TEST(GroundingTest, CooldownLeadsToProbationAndOneBuildDecides) {
  FakeClock clock;
  api::DroneStatus s = WithFailures(5);
  api::SetCondition(s.conditions, *GroundAfterFailure(s, 5, "a-1", "x"), clock.Now());
  auto early = ReconcileGroundingCooldown(s, minutes(5), clock.Now() + minutes(4));
  EXPECT_FALSE(early.probation);
  ASSERT_TRUE(early.requeue_after);
  EXPECT_EQ(*early.requeue_after, Duration(minutes(1)));
  auto due = ReconcileGroundingCooldown(s, minutes(5), clock.Now() + minutes(5));
  ASSERT_TRUE(due.probation);
  api::SetCondition(s.conditions, *due.probation, clock.Now() + minutes(5));
  EXPECT_FALSE(IsGrounded(s));
  EXPECT_TRUE(OnProbation(s));

  // A failure on probation grounds again at once, whatever the count.
  api::DroneStatus failing = s;
  failing.consecutive_failures = 1;
  auto again = GroundAfterFailure(failing, 5, "b-1", "Killed");
  ASSERT_TRUE(again);
  EXPECT_NE(again->message.find("probation"), std::string::npos);
  // A success ends it.
  auto passed = ClearAfterSuccess(s);
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->reason, api::reason::kProbationPassed);
  EXPECT_FALSE(ClearAfterSuccess(WithFailures(0))) << "nothing to clear off probation";
}

TEST(GroundingTest, UngroundOnlyWhenThereIsSomethingToClear) {
  EXPECT_FALSE(Unground(WithFailures(0), api::reason::kUngroundedByHand, "by hand"));
  api::DroneStatus s = WithFailures(5);
  api::SetCondition(s.conditions, *GroundAfterFailure(s, 5, "a", "x"), WallTime{});
  auto c = Unground(s, api::reason::kUngroundedByHand, "ungrounded by swarmctl unground");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, api::kFalse);
  EXPECT_EQ(c->reason, api::reason::kUngroundedByHand);
}

TEST(FailingAlikeTest, TheFractionOfReadyDronesDecides) {
  EXPECT_FALSE(IsFailingAlike(1, 1, 0.5)) << "one drone is never the swarm";
  EXPECT_TRUE(IsFailingAlike(2, 4, 0.5));
  EXPECT_FALSE(IsFailingAlike(2, 5, 0.5));
  EXPECT_TRUE(IsFailingAlike(3, 5, 0.5));
  EXPECT_TRUE(IsFailingAlike(2, 2, 1.0));
  EXPECT_FALSE(IsFailingAlike(2, 3, 1.0));
}

TEST(FailingAlikeTest, TheWindowGroupsBySignatureAndForgets) {
  FakeClock clock;
  FailingAlikeWindow w;
  EXPECT_EQ(w.Record("izar", "DroneResources: No space", clock.SteadyNow()).size(), 1u);
  EXPECT_EQ(w.Record("izar", "DroneResources: No space", clock.SteadyNow()).size(), 1u)
      << "one drone twice is still one";
  EXPECT_EQ(w.Record("tarn", "DroneResources: Killed", clock.SteadyNow()).size(), 1u);
  EXPECT_EQ(w.Record("tarn", "DroneResources: No space", clock.SteadyNow()).size(), 2u);
  clock.Advance(minutes(11));
  EXPECT_EQ(w.Record("vega", "DroneResources: No space", clock.SteadyNow()).size(), 1u)
      << "failures older than the window are forgotten";
}

}  // namespace
}  // namespace swarm::controller::reconcilers
