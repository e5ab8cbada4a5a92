#include "controller/reconcilers/swarm_status.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

api::Drone Member(const std::string& name, const char* ready, const char* reason,
                  const char* deployed = api::kTrue, const char* synced = api::kTrue) {
  api::Drone d;
  d.name = name;
  d.status.conditions.push_back({"Ready", ready, reason, "", {}});
  d.status.conditions.push_back({"Deployed", deployed, "X", "", {}});
  d.status.conditions.push_back({"TreeSynced", synced, "Y", "", {}});
  return d;
}

const api::Condition kCurrent{"QueueCurrent", api::kTrue, "Current", "3 packages", {}};
const api::Condition kStale{"QueueCurrent", api::kFalse, "Stale", "old tree", {}};

std::string StatusOf(const api::SwarmStatus& s, const std::string& type) {
  const api::Condition* c = api::FindCondition(s.conditions, type);
  return c ? c->status + "/" + c->reason : "none";
}

TEST(SwarmStatusTest, ObservesGenerationAndNamesMembersThatLag) {
  FakeClock clock;
  api::Swarm s;
  s.metadata.generation = 3;
  s.spec.deploy.version = "v2";
  api::QueueSummary q;
  q.total = 3;
  auto status =
      ReconcileSwarmStatus(s,
                           {Member("a", api::kTrue, "HeartbeatReceived"),
                            Member("b", api::kUnknown, "NeverJoined", api::kFalse, api::kFalse)},
                           kCurrent, q, clock.Now());
  EXPECT_EQ(status.observed_generation, 3);
  EXPECT_EQ(status.queue.total, 3);
  const api::Condition* ready = api::FindCondition(status.conditions, "DronesReady");
  ASSERT_NE(ready, nullptr);
  EXPECT_EQ(ready->message, "1/2 roster members ready; not yet: b (NeverJoined)");
  EXPECT_EQ(StatusOf(status, "Deployed"), "False/MembersNotDeployed");
  EXPECT_NE(api::FindCondition(status.conditions, "Deployed")->message.find("b (X)"),
            std::string::npos);
  EXPECT_EQ(StatusOf(status, "TreeSynced"), "False/MembersNotSynced");
  EXPECT_EQ(StatusOf(status, "QueueCurrent"), "True/Current");
  EXPECT_EQ(StatusOf(status, "Converged"), "False/NotConverged");
  EXPECT_EQ(StatusOf(status, "SystemicFault"), "False/NoFault");
}

TEST(SwarmStatusTest, ConvergedNeedsDeployedSyncedAndACurrentQueue) {
  FakeClock clock;
  api::Swarm s;
  auto all = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, kCurrent, {},
                                  clock.Now());
  EXPECT_EQ(StatusOf(all, "Converged"), "True/Converged");
  auto stale = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, kStale, {},
                                    clock.Now());
  EXPECT_EQ(StatusOf(stale, "Converged"), "False/NotConverged");
  EXPECT_NE(
      api::FindCondition(stale.conditions, "Converged")->message.find("QueueCurrent: old tree"),
      std::string::npos);
}

TEST(SwarmStatusTest, TransitionTimeMovesOnlyOnStatusChange) {
  FakeClock clock;
  api::Swarm s;
  s.metadata.generation = 1;
  s.status = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, kCurrent, {},
                                  clock.Now());
  const WallTime first =
      api::FindCondition(s.status.conditions, "DronesReady")->last_transition_time;
  clock.Advance(std::chrono::seconds(30));
  auto again = ReconcileSwarmStatus(s, {Member("a", api::kTrue, "HeartbeatReceived")}, kCurrent, {},
                                    clock.Now());
  EXPECT_EQ(api::FindCondition(again.conditions, "DronesReady")->last_transition_time, first);
  auto down = ReconcileSwarmStatus(s, {Member("a", api::kUnknown, "HeartbeatMissed")}, kCurrent, {},
                                   clock.Now());
  const api::Condition* c = api::FindCondition(down.conditions, "DronesReady");
  EXPECT_EQ(c->status, api::kFalse);
  EXPECT_EQ(c->last_transition_time, clock.Now());
}

TEST(SwarmStatusTest, QueueCompleteOnlyWhenEveryPackageOfTheCurrentQueueIs) {
  FakeClock clock;
  api::Swarm s;
  const std::vector<api::Drone> members = {Member("a", api::kTrue, "HeartbeatReceived")};
  auto with = [&](int complete, int needed, int building, int blocked,
                  const api::Condition& current = kCurrent) {
    api::QueueSummary q;
    q.total = complete + needed + building + blocked;
    q.complete = complete;
    q.needed = needed;
    q.building = building;
    q.blocked = blocked;
    auto status = ReconcileSwarmStatus(s, members, current, q, clock.Now());
    const api::Condition* c = api::FindCondition(status.conditions, "QueueComplete");
    return c ? c->status + "/" + c->reason + ": " + c->message : "none";
  };
  EXPECT_EQ(with(3, 0, 0, 0), "True/AllBuilt: 3 of 3 packages complete");
  EXPECT_EQ(with(1, 1, 1, 0), "False/Building: 1 of 3 packages complete, 1 building, 1 needed");
  EXPECT_EQ(with(2, 0, 0, 1),
            "False/PackagesBlocked: 2 of 3 packages complete; 1 blocked or failed wait for a "
            "person (swarmctl get packages)");
  EXPECT_EQ(with(0, 0, 0, 0), "False/NoQueue: no package is queued");
  EXPECT_EQ(with(3, 0, 0, 0, kStale), "False/QueueNotCurrent: the queue is not current: old tree");
}

}  // namespace
}  // namespace swarm::controller::reconcilers
