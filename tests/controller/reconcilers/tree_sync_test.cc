#include "controller/reconcilers/tree_sync.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

api::DroneStatus At(const std::string& revision) {
  api::DroneStatus s;
  s.tree_revision = revision;
  s.last_heartbeat_time = WallTime{};
  return s;
}

TEST(TreeSyncTest, Table) {
  FakeClock clock;
  const SteadyTime now = clock.SteadyNow();
  ActionState idle;
  ActionState flying;
  flying.in_flight = api::Action{"s-1", api::kActionSync, "", "rev2", {}, "", "", ""};
  ActionState forced_flying = flying;
  forced_flying.forced = true;
  ActionState failed;
  failed.failures = 1;
  failed.retry_at = now + std::chrono::seconds(5);
  failed.last_error = "hooks.sync exited 128";
  struct Case {
    const char* name;
    api::DroneStatus observed;
    bool resync;
    ActionState state;
    const char* status;
    const char* reason;
    bool want;
  } cases[] = {
      {"synced", At("rev2"), false, idle, api::kTrue, "Synced", false},
      {"old revision", At("rev1"), false, idle, api::kFalse, "RevisionMismatch", true},
      {"no revision", At(""), false, idle, api::kFalse, "RevisionMismatch", true},
      {"fresh forces a sync at the right revision", At("rev2"), true, idle, api::kFalse,
       "ResyncRequested", true},
      {"forced sync in flight", At("rev2"), false, forced_flying, api::kFalse, "Syncing", false},
      {"failed", At("rev1"), false, failed, api::kFalse, "SyncFailed", false},
      {"never reported", api::DroneStatus{}, false, idle, api::kUnknown, "AwaitingReport", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto d = ReconcileTreeSync("rev2", c.observed, c.resync, c.state, now);
    EXPECT_EQ(d.condition.type, "TreeSynced");
    EXPECT_EQ(d.condition.status, c.status);
    EXPECT_EQ(d.condition.reason, c.reason);
    EXPECT_EQ(d.want_action, c.want);
  }
}

}  // namespace
}  // namespace swarm::controller::reconcilers
