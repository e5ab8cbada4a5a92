#include "controller/reconcilers/swarm_status.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

api::Drone Member(const std::string& name, const char* ready, const char* reason) {
  api::Drone d;
  d.name = name;
  d.status.conditions.push_back({"Ready", ready, reason, "", {}});
  return d;
}

TEST(SwarmStatusTest, ObservesGenerationAndCountsReadyDrones) {
  FakeClock clock;
  api::Swarm s;
  s.metadata.generation = 3;
  auto status = ReconcileSwarmStatus(
      s, {Member("a", api::kTrue, "HeartbeatReceived"), Member("b", api::kUnknown, "NeverJoined")},
      clock.Now());
  EXPECT_EQ(status.observed_generation, 3);
  const api::Condition* c = api::FindCondition(status.conditions, "DronesReady");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, api::kFalse);
  EXPECT_EQ(c->reason, "DronesNotReady");
  EXPECT_EQ(c->message, "1/2 roster members ready; not ready: b (NeverJoined)");
}

TEST(SwarmStatusTest, TransitionTimeMovesOnlyOnStatusChange) {
  FakeClock clock;
  api::Swarm s;
  s.metadata.generation = 1;
  s.status = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, clock.Now());
  const WallTime first = api::FindCondition(s.status.conditions, "DronesReady")->last_transition_time;
  clock.Advance(std::chrono::seconds(30));
  auto again = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, clock.Now());
  EXPECT_EQ(api::FindCondition(again.conditions, "DronesReady")->last_transition_time, first);
  auto down =
      ReconcileSwarmStatus(s, {Member("a", api::kUnknown, "HeartbeatMissed")}, clock.Now());
  const api::Condition* c = api::FindCondition(down.conditions, "DronesReady");
  EXPECT_EQ(c->status, api::kFalse);
  EXPECT_EQ(c->last_transition_time, clock.Now());
}

}  // namespace
}  // namespace swarm::controller::reconcilers
