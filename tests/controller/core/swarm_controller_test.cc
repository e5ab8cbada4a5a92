#include "controller/core/swarm_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using std::chrono::seconds;

api::Swarm MakeSwarm(const std::string& name, std::vector<std::string> drones) {
  api::Swarm s;
  s.metadata.name = name;
  s.spec.portage.tree_revision = "rev1";
  s.spec.deploy.version = "v1";
  for (auto& d : drones) s.spec.drones.push_back({d, {{"cores", "4"}}, {}});
  s.spec.policy.heartbeat_interval = seconds(5);
  s.spec.policy.heartbeat_grace = seconds(20);
  return s;
}

api::DroneReport Report(const std::string& version = "v1") {
  api::DroneReport r;
  r.deploy_version = version;
  r.tree_revision = "rev1";
  r.health = "HEALTHY";
  r.resources.cores = 4;
  r.resources.memory_bytes = 8LL << 30;
  return r;
}

std::string ReadyOf(const api::Drone& d) {
  const api::Condition* c = api::FindCondition(d.status.conditions, "Ready");
  return c ? c->status + "/" + c->reason : "none";
}

class SwarmControllerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    controller_.reset();
    store_.reset();
    auto store = Store::Open(dir_.File("state.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    controller_ = std::make_unique<SwarmController>(store_.get(), &clock_);
    ASSERT_TRUE(controller_->Start().ok());
  }

  api::Drone Drone(const std::string& name) {
    auto d = controller_->GetDrone(name);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : api::Drone{};
  }

  std::vector<api::Event> Events(const std::string& kind, const std::string& name) {
    auto events = controller_->ListEvents({kind, name, 100});
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<api::Event>{};
  }

  ::swarm::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SwarmController> controller_;
};

TEST_F(SwarmControllerTest, ApplyCreatesThenUnchangedThenConfigured) {
  auto created = controller_->Apply(MakeSwarm("home", {"izar", "tarn"}));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->outcome, ApplyOutcome::kCreated);
  EXPECT_EQ(created->swarm.metadata.generation, 1);

  auto again = controller_->Apply(MakeSwarm("home", {"izar", "tarn"}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ApplyOutcome::kUnchanged);
  EXPECT_EQ(again->swarm.metadata.generation, 1);

  api::Swarm edited = MakeSwarm("home", {"izar", "tarn"});
  edited.spec.deploy.version = "v2";
  auto configured = controller_->Apply(edited);
  ASSERT_TRUE(configured.ok());
  EXPECT_EQ(configured->outcome, ApplyOutcome::kConfigured);
  EXPECT_EQ(configured->swarm.metadata.generation, 2);

  edited.metadata.annotations["note"] = "x";
  auto annotated = controller_->Apply(edited);
  ASSERT_TRUE(annotated.ok());
  EXPECT_EQ(annotated->outcome, ApplyOutcome::kConfigured);
  EXPECT_EQ(annotated->swarm.metadata.generation, 2) << "annotations are not spec";
  EXPECT_GT(annotated->swarm.metadata.resource_version, configured->swarm.metadata.resource_version);
}

TEST_F(SwarmControllerTest, ASecondSwarmNameIsAConflict) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  auto other = controller_->Apply(MakeSwarm("work", {"izar"}));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kConflict);
  EXPECT_EQ(controller_->GetSwarm()->metadata.name, "home");
}

TEST_F(SwarmControllerTest, RosterMembersAreListedBeforeTheyJoin) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"tarn", "izar"})).ok());
  auto drones = controller_->ListDrones();
  ASSERT_TRUE(drones.ok());
  ASSERT_EQ(drones->size(), 2u);
  EXPECT_EQ((*drones)[0].name, "izar");
  EXPECT_EQ(ReadyOf((*drones)[0]), "Unknown/NeverJoined");
  EXPECT_FALSE((*drones)[0].status.last_heartbeat_time.has_value());
  EXPECT_EQ(controller_->GetDrone("ghost").status().code(), StatusCode::kNotFound);
}

TEST_F(SwarmControllerTest, HeartbeatMakesDroneReadyAndRecordsObservedState) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  auto reply = controller_->Heartbeat("izar", Report());
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->heartbeat_interval, seconds(5));
  api::Drone d = Drone("izar");
  EXPECT_EQ(ReadyOf(d), "True/HeartbeatReceived");
  EXPECT_EQ(d.status.deploy_version, "v1");
  EXPECT_EQ(d.status.resources.memory_bytes, 8LL << 30);
  EXPECT_EQ(d.status.last_heartbeat_time, clock_.Now());
  auto events = Events("Drone", "izar");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().reason, "DroneReady");
}

TEST_F(SwarmControllerTest, NamesOutsideTheRosterCannotJoin) {
  auto before = controller_->Heartbeat("ghost", Report());
  EXPECT_EQ(before.status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  auto ghost = controller_->Heartbeat("ghost", Report());
  ASSERT_FALSE(ghost.ok());
  EXPECT_EQ(ghost.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(ghost.status().message().find("not in the roster of swarm/home"), std::string::npos);
  auto events = Events("Drone", "ghost");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().reason, "NotInRoster");
  EXPECT_EQ(events.back().type, "Warning");
  EXPECT_EQ(controller_->ListDrones()->size(), 1u) << "a refused name is not added";
}

TEST_F(SwarmControllerTest, SilentDroneTurnsUnknownAfterGraceAndBackOnHeartbeat) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "tarn"})).ok());
  ASSERT_TRUE(controller_->Heartbeat("izar", Report()).ok());
  ASSERT_TRUE(controller_->Heartbeat("tarn", Report()).ok());
  clock_.Advance(seconds(15));
  ASSERT_TRUE(controller_->Heartbeat("tarn", Report()).ok());
  Duration next = controller_->ReconcileOnce();
  EXPECT_LE(next, seconds(5) + Duration(1));
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived");

  clock_.Advance(seconds(5));
  controller_->ReconcileOnce();
  EXPECT_EQ(ReadyOf(Drone("izar")), "Unknown/HeartbeatMissed");
  EXPECT_EQ(ReadyOf(Drone("tarn")), "True/HeartbeatReceived");
  EXPECT_EQ(Events("Drone", "izar").back().reason, "DroneUnreachable");

  ASSERT_TRUE(controller_->Heartbeat("izar", Report()).ok());
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived");
}

TEST_F(SwarmControllerTest, RestartKeepsStateAndGivesAFreshGracePeriod) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  ASSERT_TRUE(controller_->Heartbeat("izar", Report()).ok());
  clock_.Advance(seconds(19));
  Open();  // the controller restarts on the same state file, 19s after the heartbeat

  auto swarm = controller_->GetSwarm();
  ASSERT_TRUE(swarm.ok());
  EXPECT_EQ(swarm->metadata.generation, 1);
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived");

  clock_.Advance(seconds(19));
  controller_->ReconcileOnce();
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived") << "grace restarts with the controller";
  clock_.Advance(seconds(1));
  controller_->ReconcileOnce();
  EXPECT_EQ(ReadyOf(Drone("izar")), "Unknown/HeartbeatMissed");
}

TEST_F(SwarmControllerTest, DroneLeavingTheRosterIsForgotten) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "tarn"})).ok());
  ASSERT_TRUE(controller_->Heartbeat("tarn", Report()).ok());
  auto applied = controller_->Apply(MakeSwarm("home", {"izar"}));
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->outcome, ApplyOutcome::kConfigured);
  EXPECT_EQ(controller_->ListDrones()->size(), 1u);
  EXPECT_EQ(controller_->Heartbeat("tarn", Report()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Events("Drone", "tarn").front().reason, "DroneReady");
  bool removed = false;
  for (const auto& e : Events("Drone", "tarn")) removed |= e.reason == "DroneRemoved";
  EXPECT_TRUE(removed);
}

TEST_F(SwarmControllerTest, ReconcileObservesGenerationAndWritesStatusOnlyOnChange) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  controller_->ReconcileOnce();
  auto s1 = controller_->GetSwarm();
  EXPECT_EQ(s1->status.observed_generation, 1);
  const api::Condition* c = api::FindCondition(s1->status.conditions, "DronesReady");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, api::kFalse);
  controller_->ReconcileOnce();
  EXPECT_EQ(controller_->GetSwarm()->metadata.resource_version, s1->metadata.resource_version);

  ASSERT_TRUE(controller_->Heartbeat("izar", Report()).ok());
  controller_->ReconcileOnce();
  auto s2 = controller_->GetSwarm();
  EXPECT_EQ(api::FindCondition(s2->status.conditions, "DronesReady")->status, api::kTrue);
  EXPECT_GT(s2->metadata.resource_version, s1->metadata.resource_version);
}

TEST_F(SwarmControllerTest, ALapsedLeaseIsSeenByTheWorkQueueOnTheFakeClock) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  ASSERT_TRUE(controller_->Heartbeat("izar", Report()).ok());
  EXPECT_GT(controller_->RunDue(), 0) << "the first resync looks at every key";
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived");

  // heartbeatGrace is 20s: nothing lapses before, and no sleep waits for it.
  clock_.Advance(seconds(19));
  controller_->RunDue();
  EXPECT_EQ(ReadyOf(Drone("izar")), "True/HeartbeatReceived");
  clock_.Advance(seconds(2));
  EXPECT_GT(controller_->RunDue(), 0);
  EXPECT_EQ(ReadyOf(Drone("izar")), "Unknown/HeartbeatMissed");
}

// ---- Watches (docs/api.md, "Watching").

WatchRequest WatchOf(WatchKind kind, std::string version) {
  WatchRequest w;
  w.kind = kind;
  w.resource_version = std::move(version);
  w.deadline = std::chrono::steady_clock::now();  // answer at once
  return w;
}

std::vector<std::string> Changed(const WatchBatch& batch) {
  std::vector<std::string> out;
  for (const auto& item : batch.items) {
    std::string name = std::visit(
        [](const auto& o) -> std::string {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, api::Swarm>) return o.metadata.name;
          if constexpr (std::is_same_v<T, api::Event>) return o.object_name + ":" + o.reason;
          if constexpr (!std::is_same_v<T, api::Swarm> && !std::is_same_v<T, api::Event>) {
            return o.name;
          }
        },
        item.object);
    out.push_back(std::string(WatchChangeName(item.change)) + " " + name);
  }
  return out;
}

TEST_F(SwarmControllerTest, WatchWithoutAVersionListsEveryObjectAsAdded) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"tarn", "izar"})).ok());
  auto batch = controller_->Watch(WatchOf(WatchKind::kDrone, ""));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(Changed(*batch), (std::vector<std::string>{"ADDED izar", "ADDED tarn"}));
  EXPECT_FALSE(batch->resource_version.empty());
  // From there, nothing more until something changes.
  auto next = controller_->Watch(WatchOf(WatchKind::kDrone, batch->resource_version));
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(next->items.empty());
  EXPECT_EQ(next->resource_version, batch->resource_version);
}

TEST_F(SwarmControllerTest, WatchTellsOnlyWhatChangedSinceTheList) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "tarn"})).ok());
  std::string version;
  ASSERT_TRUE(controller_->ListDrones(&version).ok());
  ASSERT_TRUE(controller_->Cordon("izar").ok());
  auto batch = controller_->Watch(WatchOf(WatchKind::kDrone, version));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(Changed(*batch), (std::vector<std::string>{"MODIFIED izar"}));
  EXPECT_TRUE(std::get<api::Drone>(batch->items[0].object).status.cordoned);
  EXPECT_NE(batch->resource_version, version);
  // Packages did not change: a package watch from the same version is empty.
  auto packages = controller_->Watch(WatchOf(WatchKind::kPackage, version));
  ASSERT_TRUE(packages.ok());
  EXPECT_TRUE(packages->items.empty());
}

TEST_F(SwarmControllerTest, WatchSeesDronesJoinAndLeaveTheRoster) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "tarn"})).ok());
  std::string version;
  ASSERT_TRUE(controller_->ListDrones(&version).ok());
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "vega"})).ok());
  auto batch = controller_->Watch(WatchOf(WatchKind::kDrone, version));
  ASSERT_TRUE(batch.ok());
  auto changed = Changed(*batch);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"ADDED vega", "DELETED tarn", "MODIFIED izar"}));
}

TEST_F(SwarmControllerTest, EventWatchKeepsToTheObjectAsked) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar", "tarn"})).ok());
  std::string version;
  ASSERT_TRUE(controller_->ListEvents({}, &version).ok());
  ASSERT_TRUE(controller_->Cordon("tarn").ok());
  ASSERT_TRUE(controller_->Cordon("izar").ok());
  WatchRequest w = WatchOf(WatchKind::kEvent, version);
  w.object_kind = api::kKindDrone;
  w.object_name = "izar";
  auto batch = controller_->Watch(w);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(Changed(*batch), (std::vector<std::string>{"ADDED izar:DroneCordoned"}));
}

TEST_F(SwarmControllerTest, WatchRefusesVersionsItDidNotGive) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  auto garbage = controller_->Watch(WatchOf(WatchKind::kDrone, "12"));
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  // Another run's version: the client lists again.
  auto other = controller_->Watch(WatchOf(WatchKind::kDrone, "0badc0de.3"));
  EXPECT_EQ(other.status().code(), StatusCode::kExpired) << other.status().ToString();
  // And after a restart, this run's versions are another run's.
  std::string version;
  ASSERT_TRUE(controller_->ListDrones(&version).ok());
  Open();
  auto restarted = controller_->Watch(WatchOf(WatchKind::kDrone, version));
  EXPECT_EQ(restarted.status().code(), StatusCode::kExpired);
}

TEST_F(SwarmControllerTest, AWaitingWatchWakesOnTheChange) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  std::string version;
  ASSERT_TRUE(controller_->ListDrones(&version).ok());
  WatchRequest w = WatchOf(WatchKind::kDrone, version);
  w.deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  Result<WatchBatch> batch = Internal("not answered");
  std::thread watcher([&] { batch = controller_->Watch(w); });
  // Whether the watch waits already or not, the change is after `version`.
  ASSERT_TRUE(controller_->Cordon("izar").ok());
  watcher.join();
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(Changed(*batch), (std::vector<std::string>{"MODIFIED izar"}));
}

TEST_F(SwarmControllerTest, StoppingWatchesEndsThemAtOnce) {
  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  std::string version;
  ASSERT_TRUE(controller_->ListDrones(&version).ok());
  WatchRequest w = WatchOf(WatchKind::kDrone, version);
  w.deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  Result<WatchBatch> batch = Internal("not answered");
  std::thread watcher([&] { batch = controller_->Watch(w); });
  controller_->StopWatches();
  watcher.join();
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->items.empty());
}

TEST_F(SwarmControllerTest, ADryRunSaysWhatAnApplyWouldDoAndChangesNothing) {
  auto dry = controller_->Apply(MakeSwarm("home", {"izar"}), /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->outcome, ApplyOutcome::kCreated);
  EXPECT_EQ(dry->swarm.metadata.generation, 1);
  EXPECT_EQ(controller_->GetSwarm().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Events(api::kKindSwarm, "home").empty());

  ASSERT_TRUE(controller_->Apply(MakeSwarm("home", {"izar"})).ok());
  const auto before = *controller_->GetSwarm();
  auto configured = controller_->Apply(MakeSwarm("home", {"izar", "tarn"}), true);
  ASSERT_TRUE(configured.ok());
  EXPECT_EQ(configured->outcome, ApplyOutcome::kConfigured);
  EXPECT_EQ(configured->swarm.metadata.generation, 2);
  EXPECT_EQ(configured->swarm.spec.drones.size(), 2u);
  EXPECT_EQ(*controller_->GetSwarm(), before);
  EXPECT_EQ(controller_->ListDrones()->size(), 1u);
  // A name the controller does not manage is refused as the apply would be.
  EXPECT_EQ(controller_->Apply(MakeSwarm("work", {"izar"}), true).status().code(),
            StatusCode::kConflict);
}

}  // namespace
}  // namespace swarm::controller
