// The controller's reconcile passes end to end on a FakeClock: heartbeats in,
// actions out, results in, conditions and queue after.

#include <gtest/gtest.h>

#include "controller/core/swarm_controller.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using std::chrono::seconds;

class SwarmReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.File("state.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    controller_ = std::make_unique<SwarmController>(store_.get(), &clock_);
    ASSERT_TRUE(controller_->Start().ok());
    swarm_.metadata.name = "home";
    swarm_.spec.portage.tree_revision = "rev2";
    swarm_.spec.deploy.version = "v2";
    swarm_.spec.queue.discover_on = "desktop";
    swarm_.spec.queue.targets = {"@world"};
    swarm_.spec.queue.emerge_args = "--update --deep";
    swarm_.spec.drones = {{"desktop", {}, {"discover"}}, {"izar", {{"cores", "4"}}, {}}};
    ASSERT_TRUE(controller_->Apply(swarm_).ok());
  }

  std::vector<api::Action> Beat(const std::string& name, const std::string& version,
                                const std::string& revision) {
    api::DroneReport r;
    r.deploy_version = version;
    r.tree_revision = revision;
    r.health = "HEALTHY";
    auto reply = controller_->Heartbeat(name, r);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? reply->actions : std::vector<api::Action>{};
  }

  Status Report(const std::string& name, const api::Action& a, bool ok, const std::string& version,
                const std::string& revision, std::vector<api::DiscoveredPackage> packages = {}) {
    api::ActionResult r;
    r.id = a.id;
    r.type = a.type;
    r.succeeded = ok;
    r.exit_code = ok ? 0 : 1;
    r.message = ok ? "done" : "hooks." + a.type + " exited 1";
    r.output_tail = ok ? "" : "No space left on device";
    r.deploy_version = version;
    r.tree_revision = revision;
    r.packages = std::move(packages);
    return controller_->ReportActionResult(name, r);
  }

  std::string Cond(const std::string& drone, const std::string& type) {
    auto d = controller_->GetDrone(drone);
    const api::Condition* c = api::FindCondition(d->status.conditions, type);
    return c ? c->status + "/" + c->reason : "none";
  }
  // The Swarm's conditions after the swarm pass, which the work queue runs
  // shortly after anything that changes them.
  std::string SwarmCond(const std::string& type) {
    controller_->ReconcileOnce();
    auto s = controller_->GetSwarm();
    const api::Condition* c = api::FindCondition(s->status.conditions, type);
    return c ? c->status + "/" + c->reason : "none";
  }

  // Brings both members to v2 at rev2.
  void Converge() {
    for (const std::string name : {"desktop", "izar"}) {
      // Deploy first, then sync: the sync's result reports the deployed version.
      for (const auto& a : Beat(name, "", "rev1")) {
        ASSERT_TRUE(Report(name, a, true, "v2", a.type == "sync" ? "rev2" : "rev1").ok());
      }
      Beat(name, "v2", "rev2");
    }
  }

  ::swarm::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SwarmController> controller_;
  api::Swarm swarm_;
};

TEST_F(SwarmReconcileTest, MissingMarkerGetsADeployAndOldTreeASync) {
  auto actions = Beat("izar", "", "rev1");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].type, "deploy");
  EXPECT_EQ(actions[0].version, "v2");
  EXPECT_EQ(actions[1].type, "sync");
  EXPECT_EQ(actions[1].revision, "rev2");
  EXPECT_EQ(Cond("izar", "Deployed"), "False/Deploying");
  EXPECT_EQ(Cond("izar", "TreeSynced"), "False/Syncing");

  // The same actions are listed again until they report; no new ids.
  auto again = Beat("izar", "", "rev1");
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].id, actions[0].id);

  ASSERT_TRUE(Report("izar", actions[0], true, "v2", "rev1").ok());
  EXPECT_EQ(Cond("izar", "Deployed"), "True/Deployed");
  EXPECT_EQ(Report("izar", actions[0], true, "v2", "rev1").code(), StatusCode::kConflict)
      << "a result is taken once";
  ASSERT_TRUE(Report("izar", actions[1], true, "v2", "rev2").ok());
  EXPECT_EQ(Cond("izar", "TreeSynced"), "True/Synced");
  EXPECT_TRUE(Beat("izar", "v2", "rev2").empty());
}

TEST_F(SwarmReconcileTest, FailedDeployIsReportedAndRetriedAfterBackoff) {
  auto actions = Beat("izar", "v1", "rev2");
  ASSERT_EQ(actions.size(), 1u);
  ASSERT_TRUE(Report("izar", actions[0], false, "v1", "rev2").ok());
  EXPECT_EQ(Cond("izar", "Deployed"), "False/DeployFailed");
  auto d = controller_->GetDrone("izar");
  const api::Condition* c = api::FindCondition(d->status.conditions, "Deployed");
  EXPECT_NE(c->message.find("No space left on device"), std::string::npos) << c->message;
  EXPECT_TRUE(Beat("izar", "v1", "rev2").empty()) << "no retry before the backoff";
  clock_.Advance(seconds(5));
  auto retry = Beat("izar", "v1", "rev2");
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_NE(retry[0].id, actions[0].id);
  EXPECT_EQ(SwarmCond("Converged"), "False/NotConverged");
}

TEST_F(SwarmReconcileTest, DiscoveryWaitsForTheDiscovererThenBuildsTheQueue) {
  Beat("izar", "v2", "rev2");
  controller_->ReconcileOnce();
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/WaitingForDiscoverer");

  auto actions = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(actions.size(), 1u);
  ASSERT_EQ(actions[0].type, "discover");
  EXPECT_EQ(actions[0].tree_revision, "rev2");
  EXPECT_EQ(actions[0].emerge_args, "--update --deep");
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/Discovering");
  ASSERT_TRUE(
      Report("desktop", actions[0], true, "v2", "rev2", {{"a/lib-1", {}}, {"a/app-1", {"a/lib-1"}}})
          .ok());
  EXPECT_EQ(SwarmCond("QueueCurrent"), "True/Current");
  EXPECT_EQ(SwarmCond("Converged"), "True/Converged");
  auto packages = controller_->ListPackages();
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[1].dependencies, std::vector<std::string>{"a/lib-1"});
  EXPECT_EQ(controller_->GetSwarm()->status.queue.total, 2);
  EXPECT_EQ(controller_->GetSwarm()->status.queue.tree_revision, "rev2");
}

TEST_F(SwarmReconcileTest, AQueueGoesStaleWhenTheSpecMovesAndIsRediscovered) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(discover.size(), 1u);
  ASSERT_TRUE(Report("desktop", discover[0], true, "v2", "rev2", {{"a/lib-1", {}}}).ok());
  ASSERT_EQ(SwarmCond("QueueCurrent"), "True/Current");

  swarm_.spec.portage.tree_revision = "rev3";
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  controller_->ReconcileOnce();
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/WaitingForDiscoverer");
  EXPECT_EQ(controller_->ListPackages()->size(), 1u) << "the stale queue stays until replaced";

  auto sync = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(sync.size(), 1u);
  EXPECT_EQ(sync[0].type, "sync");
  ASSERT_TRUE(Report("desktop", sync[0], true, "v2", "rev3").ok());
  auto rediscover = Beat("desktop", "v2", "rev3");
  ASSERT_EQ(rediscover.size(), 1u);
  EXPECT_EQ(rediscover[0].type, "discover");
  EXPECT_EQ(rediscover[0].tree_revision, "rev3");
  ASSERT_TRUE(Report("desktop", rediscover[0], true, "v2", "rev3", {{"a/lib-2", {}}}).ok());
  EXPECT_EQ(SwarmCond("QueueCurrent"), "True/Current");
  EXPECT_EQ(controller_->ListPackages()->at(0).name, "a/lib-2");
}

TEST_F(SwarmReconcileTest, ADiscoveryAgainstAnOldSpecIsDiscarded) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(discover.size(), 1u);
  swarm_.spec.portage.tree_revision = "rev3";
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  // The apply withdrew it: its result is refused, and nothing becomes the queue.
  EXPECT_EQ(Report("desktop", discover[0], true, "v2", "rev2", {{"a/lib-1", {}}}).code(),
            StatusCode::kConflict);
  EXPECT_TRUE(controller_->ListPackages()->empty());
  EXPECT_NE(SwarmCond("QueueCurrent"), "True/Current");
}

TEST_F(SwarmReconcileTest, FreshResyncsEveryMemberAndRediscovers) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_TRUE(Report("desktop", discover[0], true, "v2", "rev2", {{"a/lib-1", {}}}).ok());
  ASSERT_EQ(SwarmCond("Converged"), "True/Converged");

  auto fresh = controller_->RequestFresh();
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->members, (std::vector<std::string>{"desktop", "izar"}));
  EXPECT_EQ(fresh->queued_packages, 1);
  controller_->ReconcileOnce();
  EXPECT_TRUE(controller_->ListPackages()->empty());
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/WaitingForDiscoverer");
  const api::Swarm after = *controller_->GetSwarm();
  const api::Condition* queue = api::FindCondition(after.status.conditions, "QueueCurrent");
  EXPECT_NE(queue->message.find("swarmctl fresh discarded the queue"), std::string::npos)
      << queue->message;
  EXPECT_EQ(controller_->GetSwarm()->status.observed_fresh_request, fresh->requested_at);

  for (const std::string name : {"izar", "desktop"}) {
    auto actions = Beat(name, "v2", "rev2");
    ASSERT_EQ(actions.size(), 1u) << name;
    EXPECT_EQ(actions[0].type, "sync") << "forced even at the right revision";
    ASSERT_TRUE(Report(name, actions[0], true, "v2", "rev2").ok());
  }
  auto rediscover = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(rediscover.size(), 1u);
  EXPECT_EQ(rediscover[0].type, "discover");
  ASSERT_TRUE(Report("desktop", rediscover[0], true, "v2", "rev2", {{"a/lib-1", {}}}).ok());
  EXPECT_EQ(SwarmCond("Converged"), "True/Converged");
  controller_->ReconcileOnce();
  EXPECT_TRUE(Beat("izar", "v2", "rev2").empty()) << "one fresh request is acted on once";
}

TEST_F(SwarmReconcileTest, ReapplyingAnOldManifestDoesNotRequestAFreshStart) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_TRUE(Report("desktop", discover[0], true, "v2", "rev2", {{"a/lib-1", {}}}).ok());
  auto fresh = controller_->RequestFresh();
  ASSERT_TRUE(fresh.ok());
  controller_->ReconcileOnce();
  api::Swarm old = swarm_;
  old.metadata.annotations[api::kFreshAnnotation] = "2020-01-01T00:00:00.000Z";
  auto applied = controller_->Apply(old);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->swarm.metadata.annotations[api::kFreshAnnotation], fresh->requested_at)
      << "the annotation is the server's";
  EXPECT_EQ(applied->outcome, ApplyOutcome::kUnchanged);
}

TEST_F(SwarmReconcileTest, ADiscoveryFromAnotherTreeIsAFailedDiscovery) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_EQ(discover.size(), 1u);
  ASSERT_TRUE(Report("desktop", discover[0], true, "v2", "rev1", {{"a/lib-1", {}}}).ok());
  EXPECT_TRUE(controller_->ListPackages()->empty());
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/DiscoveryFailed");
}

TEST_F(SwarmReconcileTest, BadPackageNamesFailTheDiscovery) {
  Converge();
  auto discover = Beat("desktop", "v2", "rev2");
  ASSERT_TRUE(Report("desktop", discover[0], true, "v2", "rev2", {{"a/lib-1; rm -rf /", {}}}).ok());
  EXPECT_TRUE(controller_->ListPackages()->empty());
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/DiscoveryFailed");
}

TEST_F(SwarmReconcileTest, AnActionTheAgentStopsListingIsCountedLost) {
  auto actions = Beat("izar", "v1", "rev2");
  ASSERT_EQ(actions.size(), 1u);
  // The agent restarted and never lists it: after three beats it is lost,
  // counted as a failure, and asked for again after the backoff.
  Beat("izar", "v1", "rev2");
  Beat("izar", "v1", "rev2");
  EXPECT_EQ(Beat("izar", "v1", "rev2").size(), 0u);
  EXPECT_EQ(Cond("izar", "Deployed"), "False/DeployFailed");
  clock_.Advance(seconds(5));
  auto again = Beat("izar", "v1", "rev2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0].id, actions[0].id);
}

}  // namespace
}  // namespace swarm::controller

namespace swarm::controller {
namespace {

// An agent token is enough to claim any capacity: the roster's labels cap it.
class DroneCapacityTest : public SwarmReconcileTest {
 protected:
  api::DroneStatus BeatWith(int cores, int64_t memory) {
    api::DroneReport r;
    r.deploy_version = "v2";
    r.tree_revision = "rev2";
    r.health = "HEALTHY";
    r.resources.cores = cores;
    r.resources.memory_bytes = memory;
    EXPECT_TRUE(controller_->Heartbeat("izar", r).ok());
    return controller_->GetDrone("izar")->status;
  }
  int EventsOf(const std::string& reason) {
    int n = 0;
    auto events = controller_->ListEvents({"Drone", "izar", 100});
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events) {
      if (e.reason == reason) n += e.count;
    }
    return n;
  }
};

TEST_F(DroneCapacityTest, AReportOverItsLabelIsCountedAsLabelledAndToldOnce) {
  constexpr int64_t kTi = int64_t(1) << 40;
  // izar's roster entry says cores "4" and nothing of memory.
  api::DroneStatus s = BeatWith(512, 10 * kTi);
  EXPECT_EQ(s.resources.cores, 4);
  EXPECT_EQ(s.resources.memory_bytes, 10 * kTi) << "no memory label: the report counts";
  EXPECT_EQ(Cond("izar", "CapacityWithinLabels"), "False/ReportOverLabels");
  BeatWith(512, 10 * kTi);
  BeatWith(600, 10 * kTi);
  EXPECT_EQ(EventsOf("CapacityOverLabels"), 1) << "once, not on every beat";

  s = BeatWith(2, 10 * kTi);
  EXPECT_EQ(s.resources.cores, 2) << "a report under the label counts";
  EXPECT_EQ(Cond("izar", "CapacityWithinLabels"), "True/WithinLabels");
}

TEST_F(DroneCapacityTest, RequiredLabelsMissingAreToldAndAppliedWithTheRoster) {
  swarm_.spec.policy.require_capacity_labels = true;
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  BeatWith(4, int64_t(8) << 30);
  EXPECT_EQ(Cond("izar", "CapacityWithinLabels"), "False/LabelsMissing");
  EXPECT_EQ(EventsOf("CapacityLabelsMissing"), 1);
  swarm_.spec.drones[1].labels["memory"] = "8Gi";
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  BeatWith(4, int64_t(8) << 30);
  EXPECT_EQ(Cond("izar", "CapacityWithinLabels"), "True/WithinLabels");
}

}  // namespace
}  // namespace swarm::controller
