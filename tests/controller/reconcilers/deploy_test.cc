#include "controller/reconcilers/deploy.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

using std::chrono::seconds;

api::DroneStatus Reporting(const std::string& version) {
  api::DroneStatus s;
  s.deploy_version = version;
  s.last_heartbeat_time = WallTime{};
  return s;
}

TEST(DeployTest, Table) {
  FakeClock clock;
  const SteadyTime now = clock.SteadyNow();
  ActionState idle;
  ActionState flying;
  flying.in_flight = api::Action{"a-1", api::kActionDeploy, "v2", "", {}, "", "", ""};
  ActionState failed;
  failed.failures = 2;
  failed.retry_at = now + seconds(10);
  failed.retry_at_wall = clock.Now() + seconds(10);
  failed.last_error = "hooks.deploy exited 1; output: no space";
  ActionState retry_due = failed;
  retry_due.retry_at = now;

  struct Case {
    const char* name;
    api::DroneStatus observed;
    ActionState state;
    const char* status;
    const char* reason;
    bool want;
  } cases[] = {
      {"matches", Reporting("v2"), idle, api::kTrue, "Deployed", false},
      {"missing marker fails closed", Reporting(""), idle, api::kFalse, "MarkerMissing", true},
      {"old version", Reporting("v1"), idle, api::kFalse, "VersionMismatch", true},
      {"in flight", Reporting("v1"), flying, api::kFalse, "Deploying", false},
      {"matches while in flight", Reporting("v2"), flying, api::kTrue, "Deployed", false},
      {"backing off", Reporting("v1"), failed, api::kFalse, "DeployFailed", false},
      {"retry due", Reporting("v1"), retry_due, api::kFalse, "VersionMismatch", true},
      {"never reported", api::DroneStatus{}, idle, api::kUnknown, "AwaitingReport", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto d = ReconcileDeploy("v2", c.observed, c.state, now);
    EXPECT_EQ(d.condition.type, "Deployed");
    EXPECT_EQ(d.condition.status, c.status);
    EXPECT_EQ(d.condition.reason, c.reason);
    EXPECT_EQ(d.want_action, c.want);
  }
  auto backing = ReconcileDeploy("v2", Reporting("v1"), failed, now);
  ASSERT_TRUE(backing.requeue_after.has_value());
  EXPECT_EQ(*backing.requeue_after, seconds(10));
  EXPECT_NE(backing.condition.message.find(
                "failed 2 time(s), retry at 2025-12-18T00:00:10Z: hooks.deploy exited 1"),
            std::string::npos)
      << backing.condition.message;
}

TEST(ActionStateTest, BackoffDoublesFromFiveSecondsToFiveMinutes) {
  EXPECT_EQ(ActionBackoff(1), seconds(5));
  EXPECT_EQ(ActionBackoff(2), seconds(10));
  EXPECT_EQ(ActionBackoff(4), seconds(40));
  EXPECT_EQ(ActionBackoff(7), seconds(300));
  EXPECT_EQ(ActionBackoff(50), seconds(300));
}

TEST(ActionStateTest, ResultsMatchOnlyTheActionInFlight) {
  FakeClock clock;
  ActionState s;
  s.in_flight = api::Action{"a-1", api::kActionSync, "", "r2", {}, "", "", ""};
  s.forced = true;
  EXPECT_FALSE(RecordActionResult(s, "a-0", true, "", clock.SteadyNow(), clock.Now()));
  EXPECT_TRUE(s.in_flight.has_value());
  EXPECT_TRUE(RecordActionResult(s, "a-1", false, "boom", clock.SteadyNow(), clock.Now()));
  EXPECT_FALSE(s.in_flight.has_value());
  EXPECT_EQ(s.failures, 1);
  EXPECT_EQ(s.retry_at, clock.SteadyNow() + seconds(5));
  EXPECT_TRUE(s.forced) << "a failed forced sync is still owed";
  s.in_flight = api::Action{"a-2", api::kActionSync, "", "r2", {}, "", "", ""};
  EXPECT_TRUE(RecordActionResult(s, "a-2", true, "", clock.SteadyNow(), clock.Now()));
  EXPECT_EQ(s.failures, 0);
  EXPECT_FALSE(s.retry_at.has_value());
  EXPECT_FALSE(s.forced);
  EXPECT_FALSE(RecordActionResult(s, "a-2", true, "", clock.SteadyNow(), clock.Now()))
      << "reported twice";
}

}  // namespace
}  // namespace swarm::controller::reconcilers
