#include "controller/reconcilers/liveness.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace swarm::controller::reconcilers {
namespace {

using std::chrono::seconds;

api::Drone DroneWithReady(const std::string& name, const char* status, const char* reason) {
  api::Drone d;
  d.name = name;
  d.spec.name = name;
  d.status.conditions.push_back({"Ready", status, reason, "", {}});
  return d;
}

TEST(LivenessTest, ReadyDroneStaysReadyWithinGraceAndRequeuesAtExpiry) {
  FakeClock clock;
  HeartbeatLeases leases;
  leases.Renew("izar", clock.SteadyNow());
  clock.Advance(seconds(15));
  auto r = ReconcileLiveness({DroneWithReady("izar", api::kTrue, "HeartbeatReceived")}, leases,
                             clock.SteadyNow(), seconds(20));
  EXPECT_TRUE(r.transitions.empty());
  ASSERT_TRUE(r.requeue_after.has_value());
  EXPECT_EQ(*r.requeue_after, seconds(5));
}

TEST(LivenessTest, SilentPastGraceBecomesUnknownNotGrounded) {
  FakeClock clock;
  HeartbeatLeases leases;
  leases.Renew("izar", clock.SteadyNow());
  leases.Renew("tarn", clock.SteadyNow());
  clock.Advance(seconds(10));
  leases.Renew("tarn", clock.SteadyNow());
  clock.Advance(seconds(10));
  auto r = ReconcileLiveness({DroneWithReady("izar", api::kTrue, "HeartbeatReceived"),
                              DroneWithReady("tarn", api::kTrue, "HeartbeatReceived")},
                             leases, clock.SteadyNow(), seconds(20));
  ASSERT_EQ(r.transitions.size(), 1u);
  const auto& t = r.transitions[0];
  EXPECT_EQ(t.drone, "izar");
  EXPECT_EQ(t.ready.type, "Ready");
  EXPECT_EQ(t.ready.status, api::kUnknown);
  EXPECT_EQ(t.ready.reason, "HeartbeatMissed");
  EXPECT_NE(t.ready.message.find("no heartbeat for 20s (heartbeatGrace 20s)"), std::string::npos)
      << t.ready.message;
  EXPECT_NE(t.ready.message.find("not grounded"), std::string::npos);
  EXPECT_EQ(t.event_reason, "DroneUnreachable");
  ASSERT_TRUE(r.requeue_after.has_value());
  EXPECT_EQ(*r.requeue_after, seconds(10));
}

TEST(LivenessTest, IsIdempotentOnceApplied) {
  FakeClock clock;
  HeartbeatLeases leases;
  leases.Renew("izar", clock.SteadyNow());
  clock.Advance(seconds(30));
  // The transition was applied: the drone is Unknown now, so nothing more to do.
  auto r = ReconcileLiveness({DroneWithReady("izar", api::kUnknown, "HeartbeatMissed")}, leases,
                             clock.SteadyNow(), seconds(20));
  EXPECT_TRUE(r.transitions.empty());
  EXPECT_FALSE(r.requeue_after.has_value());
}

TEST(LivenessTest, NeverJoinedDroneIsLeftAlone) {
  FakeClock clock;
  HeartbeatLeases leases;
  auto r = ReconcileLiveness({DroneWithReady("ghost", api::kUnknown, "NeverJoined")}, leases,
                             clock.SteadyNow(), seconds(20));
  EXPECT_TRUE(r.transitions.empty());
}

TEST(LivenessTest, ReadyDroneWithoutLeaseIsTreatedAsExpired) {
  FakeClock clock;
  HeartbeatLeases leases;
  auto r = ReconcileLiveness({DroneWithReady("izar", api::kTrue, "HeartbeatReceived")}, leases,
                             clock.SteadyNow(), seconds(20));
  ASSERT_EQ(r.transitions.size(), 1u);
  EXPECT_EQ(r.transitions[0].ready.status, api::kUnknown);
}

TEST(HeartbeatLeasesTest, ForgetDropsTheLease) {
  FakeClock clock;
  HeartbeatLeases leases;
  leases.Renew("izar", clock.SteadyNow());
  ASSERT_TRUE(leases.RenewedAt("izar").has_value());
  leases.Forget("izar");
  EXPECT_FALSE(leases.RenewedAt("izar").has_value());
}

}  // namespace
}  // namespace swarm::controller::reconcilers
