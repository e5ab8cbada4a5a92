#include "controller/faults/faults.h"

#include <gtest/gtest.h>

#include "controller/reconcilers/tree_sync.h"

namespace swarm::controller {
namespace {

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::Swarm s;
    s.metadata.name = "home";
    s.spec.policy.ground_after_failures = 2;
    s.spec.policy.systemic_failure_fraction = 0.5;
    for (const char* name : {"izar", "tarn", "vega"}) {
      s.spec.drones.push_back({name, {}, {}});
      api::SetCondition(state_.statuses[name].conditions,
                        {api::condition::kReady, api::kTrue, "HeartbeatReceived", "", {}},
                        clock_.Now());
    }
    state_.swarm = s;
  }

  // Applies `c` to the state as a commit would (what these rules read back).
  void Apply(Changes& c) {
    for (auto& [name, s] : c.drones) state_.statuses[name] = s;
    if (c.swarm) state_.swarm = *c.swarm;
    c = {};
  }

  static api::BuildResult Failed(const std::string& message) {
    api::BuildResult r;
    r.outcome = api::kBuildFailed;
    r.failure_class = "BuildError";
    r.message = message;
    return r;
  }

  FakeClock clock_;
  SwarmState state_;
  Faults faults_{&state_, &clock_};
};

TEST_F(FaultsTest, ADroneIsGroundedAtTheThresholdAndUngroundedOnlyWhenItWas) {
  Changes c;
  faults_.CountFailure("izar", "dev-libs/a-1", "disk full", c);
  EXPECT_FALSE(reconcilers::IsGrounded(c.PeekDrone(state_, "izar")));
  EXPECT_TRUE(c.events.empty());
  Apply(c);

  // Ungrounding a drone that is not grounded changes nothing: its count stays.
  faults_.Unground("izar", api::reason::kCauseGone, "synced", c);
  EXPECT_TRUE(c.drones.empty());
  EXPECT_EQ(state_.Status("izar").consecutive_failures, 1);

  faults_.CountFailure("izar", "dev-libs/a-1", "disk full", c);
  EXPECT_TRUE(reconcilers::IsGrounded(c.PeekDrone(state_, "izar")));
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].reason, "DroneGrounded");
  Apply(c);

  faults_.Unground("izar", api::reason::kCauseGone, "synced", c);
  EXPECT_FALSE(reconcilers::IsGrounded(c.PeekDrone(state_, "izar")));
  EXPECT_EQ(c.PeekDrone(state_, "izar").consecutive_failures, 0);
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].reason, "DroneUngrounded");
}

TEST_F(FaultsTest, ForgivingResetsTheCountEvenWhenNotGrounded) {
  Changes c;
  faults_.CountFailure("izar", "dev-libs/a-1", "disk full", c);
  Apply(c);
  faults_.Forgive("izar", api::reason::kUngroundedByHand, "by hand", c);
  EXPECT_EQ(c.PeekDrone(state_, "izar").consecutive_failures, 0);
  EXPECT_TRUE(c.events.empty()) << "nothing was grounded: no Ungrounded event";
}

TEST_F(FaultsTest, DronesFailingAlikeRaiseOneFaultThatNobodyIsGroundedFor) {
  Changes c;
  EXPECT_FALSE(faults_.JudgeDroneFailure("izar", "dev-libs/a-1", Failed("no ebuilds"), c));
  EXPECT_EQ(c.PeekDrone(state_, "izar").consecutive_failures, 1) << "alone, it is its own";
  Apply(c);

  EXPECT_TRUE(faults_.JudgeDroneFailure("tarn", "dev-libs/b-1", Failed("no ebuilds"), c));
  ASSERT_TRUE(c.swarm);
  EXPECT_TRUE(api::IsConditionTrue(c.swarm->status.conditions, api::condition::kSystemicFault));
  for (const char* name : {"izar", "tarn"}) {
    EXPECT_EQ(c.PeekDrone(state_, name).consecutive_failures, 0) << name;
    EXPECT_FALSE(reconcilers::IsGrounded(c.PeekDrone(state_, name))) << name;
  }
  // Its remediation: every member re-syncs.
  for (const char* name : {"izar", "tarn", "vega"}) {
    const api::Condition* synced =
        api::FindCondition(c.PeekDrone(state_, name).conditions, api::condition::kTreeSynced);
    ASSERT_NE(synced, nullptr) << name;
    EXPECT_EQ(synced->reason, api::reason::kResyncRequested) << name;
  }
  Apply(c);
  faults_.Raised();
  EXPECT_TRUE(faults_.remediation_pending());
  EXPECT_FALSE(faults_.Raise("SystemicFailure", "again", c)) << "one fault stands at a time";
}

TEST_F(FaultsTest, AFaultBackWithinTheHourOfItsRemediationPersists) {
  Changes c;
  ASSERT_TRUE(faults_.Raise("SystemicFailure", "no ebuilds", c));
  Apply(c);
  faults_.Raised();
  ASSERT_TRUE(faults_.FinishRemediation(c));
  Apply(c);
  faults_.RemediationFinished();
  EXPECT_FALSE(state_.SystemicFault());

  clock_.Advance(std::chrono::minutes(30));
  ASSERT_TRUE(faults_.Raise("SystemicFailure", "no ebuilds", c));
  const api::Condition* fault =
      api::FindCondition(c.swarm->status.conditions, api::condition::kSystemicFault);
  ASSERT_NE(fault, nullptr);
  EXPECT_EQ(fault->reason, api::reason::kPersistent);
  EXPECT_TRUE(c.drones.empty()) << "no re-sync: re-syncing did not help the last time";
  Apply(c);
  faults_.Raised();
  EXPECT_FALSE(faults_.remediation_pending()) << "a persistent fault waits for a person";
}

}  // namespace
}  // namespace swarm::controller
