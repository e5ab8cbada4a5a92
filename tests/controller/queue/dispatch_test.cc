// Build dispatch end to end through SwarmController on a FakeClock: the
// queue discovered, packages assigned as fenced leases in dependency order,
// results in, the binhost publishing, drones vanishing, grounding, systemic
// faults, the operator verbs, and a controller restart.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/core/swarm_controller.h"
#include "tests/controller/swarm_fixture.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using std::chrono::seconds;

class SwarmDispatchTest : public SwarmControllerFixture {
 protected:
  void SetUp() override {
    SwarmControllerFixture::SetUp();
    swarm_.metadata.name = "home";
    swarm_.spec.portage.tree_revision = "rev2";
    swarm_.spec.deploy.version = "v2";
    swarm_.spec.queue.discover_on = "desktop";
    swarm_.spec.queue.targets = {"@world"};
    swarm_.spec.policy.ground_after_failures = 3;
    swarm_.spec.drones = {{"desktop", {}, {"discover"}},
                          {"small", {{"cores", "1"}, {"memory", "16Gi"}}, {}},
                          {"big", {{"cores", "1"}, {"memory", "64Gi"}}, {}}};
    ASSERT_TRUE(controller_->Apply(swarm_).ok());
  }

  // One heartbeat at v2/rev2, listing `builds` as held; returns the reply.
  HeartbeatReply Beat(const std::string& name, std::vector<api::BuildProgress> builds = {},
                      const std::string& revision = "rev2") {
    api::DroneReport r;
    r.deploy_version = "v2";
    r.tree_revision = revision;
    r.health = "HEALTHY";
    r.resources.cores = 8;
    r.builds = std::move(builds);
    auto reply = controller_->Heartbeat(name, r);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HeartbeatReply{};
  }

  // Heartbeats listing every assignment held, as a well-behaved agent does.
  std::vector<api::BuildAssignment> Hold(const std::string& name) {
    std::vector<api::BuildProgress> held;
    for (const auto& a : last_[name]) held.push_back({a.id, a.package, "Running"});
    last_[name] = Beat(name, held).assignments;
    return last_[name];
  }

  // Reports `action` of `drone` as succeeded at v2/rev2.
  Status Succeeded(const std::string& drone, const api::Action& action,
                   std::vector<api::DiscoveredPackage> packages = {}) {
    api::ActionResult r;
    r.id = action.id;
    r.type = action.type;
    r.succeeded = true;
    r.deploy_version = "v2";
    r.tree_revision = "rev2";
    r.packages = std::move(packages);
    return controller_->ReportActionResult(drone, r);
  }

  // Members synced, then the queue discovered on desktop: a <- b <- c, and d.
  void DiscoverQueue(std::vector<api::DiscoveredPackage> packages = {}) {
    if (packages.empty()) {
      packages = {{"dev-libs/a-1", {}},
                  {"dev-libs/b-1", {"dev-libs/a-1"}},
                  {"dev-libs/c-1", {"dev-libs/b-1"}},
                  {"dev-libs/d-1", {}}};
    }
    for (const auto& member : swarm_.spec.drones) {
      if (member.name != "desktop") Beat(member.name);
    }
    auto reply = Beat("desktop");
    ASSERT_EQ(reply.actions.size(), 1u);
    ASSERT_EQ(reply.actions[0].type, "discover");
    ASSERT_TRUE(Succeeded("desktop", reply.actions[0], std::move(packages)).ok());
  }

  const api::Package* Package(const std::string& name) {
    auto list = controller_->ListPackages();
    packages_ = *list;
    for (const auto& p : packages_) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  std::string Phase(const std::string& name) {
    const api::Package* p = Package(name);
    return p ? p->phase : "none";
  }

  Result<std::vector<api::BuildAssignment>> Succeed(const std::string& drone,
                                                    const api::BuildAssignment& a) {
    api::BuildResult r;
    r.assignment = a.id;
    r.package = a.package;
    r.outcome = api::kBuildSucceeded;
    r.duration_ms = 60000;
    r.binpkg = Upload(a, "binary package of " + a.package);
    return controller_->ReportBuildResult(drone, r);
  }

  Result<std::vector<api::BuildAssignment>> Fail(const std::string& drone,
                                                 const api::BuildAssignment& a,
                                                 const std::string& failure_class,
                                                 const std::string& message, bool oom = false) {
    api::BuildResult r;
    r.assignment = a.id;
    r.package = a.package;
    r.outcome = api::kBuildFailed;
    r.failure_class = failure_class;
    r.phase = "compile";
    r.message = message;
    r.oom_killed = oom;
    return controller_->ReportBuildResult(drone, r);
  }

  // Five independent packages; only small builds (big is cordoned), so its
  // failures are the only ones, and each of its next `n` builds fails with
  // `failure_class`; `after` (when given) looks at each failed package.
  void FailOnSmallAlone(int n, const std::string& failure_class, const std::string& message,
                        const std::function<void(const std::string&)>& after = {}) {
    DiscoverQueue({{"dev-libs/a-1", {}},
                   {"dev-libs/b-1", {}},
                   {"dev-libs/c-1", {}},
                   {"dev-libs/d-1", {}},
                   {"dev-libs/e-1", {}}});
    ASSERT_TRUE(controller_->Cordon("big").ok());
    for (int i = 0; i < n; ++i) {
      auto held = Hold("small");
      ASSERT_EQ(held.size(), 1u) << "failure " << i;
      ASSERT_TRUE(Fail("small", held[0], failure_class, message).ok());
      if (after) after(held[0].package);
    }
  }

  // The one drone of small and big that got work, and what it holds.
  std::pair<std::string, std::vector<api::BuildAssignment>> HoldAnywhere() {
    auto held = Hold("small");
    if (!held.empty()) return {"small", held};
    return {"big", Hold("big")};
  }

  std::optional<api::BuildAssignment> Find(const std::vector<api::BuildAssignment>& list,
                                           const std::string& package) {
    for (const auto& a : list) {
      if (a.package == package) return a;
    }
    return std::nullopt;
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

  api::Swarm swarm_;
  std::map<std::string, std::vector<api::BuildAssignment>> last_;
  std::vector<api::Package> packages_;
};

TEST_F(SwarmDispatchTest, NothingIsAssignedBeforeTheQueueIsCurrent) {
  EXPECT_TRUE(Beat("small").assignments.empty());
  EXPECT_TRUE(Beat("big").assignments.empty());
}

TEST_F(SwarmDispatchTest, BuildsInDependencyOrderAndACompletionCarriesTheNextAssignment) {
  DiscoverQueue();
  auto small = Hold("small");
  auto big = Hold("big");
  // a and d are ready; b and c wait for their dependencies. One slot each (1 core).
  ASSERT_EQ(small.size() + big.size(), 2u);
  std::vector<api::BuildAssignment> all = small;
  all.insert(all.end(), big.begin(), big.end());
  ASSERT_TRUE(Find(all, "dev-libs/a-1"));
  ASSERT_TRUE(Find(all, "dev-libs/d-1"));
  EXPECT_EQ(Phase("dev-libs/b-1"), "Needed");
  EXPECT_EQ(Phase("dev-libs/a-1"), "Building");

  const std::string a_drone = Find(small, "dev-libs/a-1") ? "small" : "big";
  auto a = *Find(a_drone == "small" ? small : big, "dev-libs/a-1");
  EXPECT_FALSE(a.id.empty());
  EXPECT_EQ(a.attempt, 1);
  auto next = Succeed(a_drone, a);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  // The reply to the completion already carries b: no idle wait for a heartbeat.
  ASSERT_TRUE(Find(*next, "dev-libs/b-1")) << "the next assignment rides on the completion";
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete");
  const api::Package* done = Package("dev-libs/a-1");
  ASSERT_TRUE(done->binpkg);
  EXPECT_EQ(done->binpkg->path, "dev-libs/a/a-1-1.gpkg.tar");
  std::ifstream published(dir_.File("binhost/dev-libs/a/a-1-1.gpkg.tar"));
  std::string content((std::istreambuf_iterator<char>(published)), {});
  EXPECT_EQ(content, "binary package of dev-libs/a-1");

  // The same completion again is refused: the lease is over.
  auto again = Succeed(a_drone, a);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

TEST_F(SwarmDispatchTest, ABuildThatUploadsItsReportGivesItsSlotToTheNext) {
  DiscoverQueue({{"dev-libs/a-1", {}},
                 {"dev-libs/d-1", {}},
                 {"dev-libs/e-1", {}},
                 {"dev-libs/f-1", {}}});
  auto held = Hold("small");
  ASSERT_EQ(held.size(), 1u);  // one core: one slot
  // Still running: the slot stays taken.
  EXPECT_EQ(Beat("small", {{held[0].id, held[0].package, api::kActionRunning}}).assignments.size(),
            1u);
  // Ended, its log and binary package on the way: the next build starts now.
  auto next = Beat("small", {{held[0].id, held[0].package, api::kBuildUploading}}).assignments;
  ASSERT_EQ(next.size(), 2u);
  EXPECT_TRUE(Find(next, held[0].package)) << "its lease still holds";
  EXPECT_EQ(Phase(held[0].package), "Building");
  // Its result counts when it arrives.
  ASSERT_TRUE(Succeed("small", held[0]).ok());
  EXPECT_EQ(Phase(held[0].package), "Complete");
}

TEST_F(SwarmDispatchTest, AnUnreachableDronesWorkGoesBackAndItsLateCompletionIsRefused) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_EQ(held.size(), 1u);
  const std::string other = drone == "small" ? "big" : "small";
  // The holder goes silent past the grace; the other keeps beating.
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(seconds(5));
    Hold(other);
  }
  controller_->ReconcileOnce();
  EXPECT_EQ(Cond(drone, "Ready"), "Unknown/HeartbeatMissed");
  EXPECT_EQ(Cond(drone, "Grounded"), "none") << "unreachable is not grounded";
  auto moved = Hold(other);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].package, "dev-libs/a-1");
  EXPECT_NE(moved[0].id, held[0].id) << "a new lease, a new fencing token";
  EXPECT_EQ(moved[0].attempt, 2) << "attempts are kept";

  // The first drone comes back and reports success under its old id.
  auto late = Succeed(drone, held[0]);
  EXPECT_EQ(late.status().code(), StatusCode::kConflict) << "split brain refused";
  EXPECT_TRUE(Hold(drone).empty()) << "its reply no longer lists the old assignment";
  ASSERT_TRUE(Succeed(other, moved[0]).ok());
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete");
  EXPECT_EQ(Package("dev-libs/a-1")->drone, other);
}

TEST_F(SwarmDispatchTest, AnOomOnTheSmallDroneSendsThePackageToTheBigOneAndNeverBack) {
  swarm_.spec.drones = {{"desktop", {}, {"discover"}},
                        {"small", {{"cores", "1"}, {"memory", "16Gi"}}, {}}};
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  DiscoverQueue({{"dev-qt/qtwebengine-6.8.1", {}}});
  auto held = Hold("small");
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(Fail("small", held[0], "DroneResources", "Killed signal terminated program cc1plus",
                   true)
                  .ok());
  controller_->ReconcileOnce();  // the swarm pass, which sees that nobody can take it
  const api::Package* p = Package("dev-qt/qtwebengine-6.8.1");
  EXPECT_EQ(p->phase, "Blocked") << "only the small drone is in the roster";
  EXPECT_EQ(p->needs_memory_over, int64_t(16) << 30);
  EXPECT_NE(p->reason.find("OOM on small"), std::string::npos) << p->reason;
  EXPECT_TRUE(Hold("small").empty());

  // A big drone joins: the package is Needed again and goes there.
  swarm_.spec.drones.push_back({"big", {{"cores", "1"}, {"memory", "64Gi"}}, {}});
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  auto big = Hold("big");
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].package, "dev-qt/qtwebengine-6.8.1");
  ASSERT_TRUE(Fail("big", big[0], "Fetch", "Couldn't download qtwebengine.tar.xz").ok());
  EXPECT_TRUE(Hold("small").empty()) << "never back to the drone that OOMed";
}

TEST_F(SwarmDispatchTest, RequiredCapacityLabelsKeepAnUnlabelledDroneIdle) {
  swarm_.spec.policy.require_capacity_labels = true;
  swarm_.spec.drones.push_back({"bare", {}, {}});
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}, {"dev-libs/c-1", {}},
                 {"dev-libs/d-1", {}}, {"dev-libs/e-1", {}}});
  EXPECT_TRUE(Hold("bare").empty()) << "its report alone is not trusted";
  controller_->ReconcileOnce();  // nor does the swarm pass give it work
  EXPECT_TRUE(Hold("bare").empty());
  EXPECT_EQ(Cond("bare", "CapacityWithinLabels"), "False/LabelsMissing");
  EXPECT_EQ(Hold("small").size(), 1u);
  EXPECT_EQ(Hold("big").size(), 1u);

  // Labelled in the roster, it builds: the spec counts at once.
  swarm_.spec.drones.back().labels = {{"cores", "1"}, {"memory", "8Gi"}};
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  EXPECT_EQ(Hold("bare").size(), 1u);
}

TEST_F(SwarmDispatchTest, ADroneReportingLessThanItsLabelsIsCountedAsItReports) {
  swarm_.spec.drones = {{"desktop", {}, {"discover"}},
                        {"small", {{"cores", "4"}, {"memory", "16Gi"}}, {}}};
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  DiscoverQueue({{"dev-libs/a-1", {}},
                 {"dev-libs/b-1", {}},
                 {"dev-libs/c-1", {}},
                 {"dev-libs/d-1", {}},
                 {"dev-libs/e-1", {}}});
  api::DroneReport r;
  r.deploy_version = "v2";
  r.tree_revision = "rev2";
  r.health = "HEALTHY";
  r.resources.cores = 2;  // two of its four cores are gone
  auto reply = controller_->Heartbeat("small", r);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->assignments.size(), 2u) << "two cores, two slots: not the label's four";
}

TEST_F(SwarmDispatchTest, AnOomAloneOnTheLargestDroneBlocksThePackageAndSaysWhy) {
  DiscoverQueue({{"dev-qt/qtwebengine-6.8.1", {}}});
  ASSERT_TRUE(controller_->Cordon("small").ok());
  controller_->ReconcileOnce();  // the swarm pass: big, 64Gi, is the largest
  auto held = Hold("big");
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(Fail("big", held[0], "DroneResources", "Killed", true).ok());
  controller_->ReconcileOnce();
  const api::Package* p = Package("dev-qt/qtwebengine-6.8.1");
  EXPECT_EQ(p->needs_memory_over, int64_t(64) << 30) << "not past what exists";
  EXPECT_EQ(p->phase, "Blocked") << "rather than Needed forever";
  EXPECT_EQ(p->reason.rfind("no drone can take it: needs memory > 64Gi (OOM on big", 0), 0u)
      << p->reason;
}

TEST_F(SwarmDispatchTest, RepeatedDroneFailuresGroundItUntilCooldownAndProbation) {
  FailOnSmallAlone(3, "DroneResources", "No space left on device");
  EXPECT_EQ(Cond("small", "Grounded"), "True/RepeatedFailures");
  EXPECT_TRUE(Hold("small").empty()) << "a grounded drone takes no work";
  EXPECT_EQ(SwarmCond("SystemicFault"), "False/NoFault") << "one drone failing is its own fault";

  // After the cooldown it is on probation: one build, and that build decides.
  clock_.Advance(std::chrono::minutes(5));
  controller_->ReconcileOnce();
  EXPECT_EQ(Cond("small", "Grounded"), "False/Probation");
  auto probe = Hold("small");
  ASSERT_EQ(probe.size(), 1u);
  // Ended and uploading: still no second build before its result decides.
  EXPECT_EQ(Beat("small", {{probe[0].id, probe[0].package, api::kBuildUploading}}).assignments.size(),
            1u);
  ASSERT_TRUE(Succeed("small", probe[0]).ok());
  EXPECT_EQ(Cond("small", "Grounded"), "False/ProbationPassed");
  EXPECT_EQ(controller_->GetDrone("small")->status.consecutive_failures, 0);
}

TEST_F(SwarmDispatchTest, AFailedProbationGroundsAgainAndUngroundByHandClears) {
  FailOnSmallAlone(3, "DroneResources", "No space left on device");
  clock_.Advance(std::chrono::minutes(5));
  controller_->ReconcileOnce();
  auto probe = Hold("small");
  ASSERT_EQ(probe.size(), 1u);
  ASSERT_TRUE(Fail("small", probe[0], "DroneResources", "No space left on device").ok());
  EXPECT_EQ(Cond("small", "Grounded"), "True/RepeatedFailures");
  ASSERT_TRUE(controller_->Unground("small").ok());
  EXPECT_EQ(Cond("small", "Grounded"), "False/UngroundedByHand");
  EXPECT_EQ(Hold("small").size(), 1u);
}

TEST_F(SwarmDispatchTest, APackageFailingOnTwoDronesIsBlockedAndNeitherIsBlamed) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto first = Hold("small");
  std::string d1 = "small", d2 = "big";
  if (first.empty()) {
    first = Hold("big");
    std::swap(d1, d2);
  }
  ASSERT_TRUE(Fail(d1, first[0], "Package", "emerge exited 1").ok());
  auto second = Hold(d2);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(Fail(d2, second[0], "Package", "emerge exited 1").ok());
  const api::Package* p = Package("dev-libs/a-1");
  EXPECT_EQ(p->phase, "Blocked");
  EXPECT_NE(p->reason.find("failed to build on"), std::string::npos) << p->reason;
  for (const auto& d : {d1, d2}) {
    EXPECT_EQ(controller_->GetDrone(d)->status.consecutive_failures, 0) << d;
    EXPECT_EQ(Cond(d, "Grounded"), "none") << d;
  }
  clock_.Advance(seconds(5));
  EXPECT_TRUE(Hold(d1).empty());
  EXPECT_EQ(Phase("dev-libs/a-1"), "Blocked") << "a package Blocked for failing stays Blocked";
}

TEST_F(SwarmDispatchTest, ASystemicFailureGroundsNobodyAndSetsOffResyncAndRediscovery) {
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}});
  auto small = Hold("small");
  auto big = Hold("big");
  ASSERT_EQ(small.size(), 1u);
  ASSERT_EQ(big.size(), 1u);
  const std::string conflict = "slot conflict: sys-apps/systemd-utils:0";
  ASSERT_TRUE(Fail("small", small[0], "Systemic", conflict).ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "False/NoFault") << "one drone's word is not enough";
  EXPECT_EQ(controller_->GetDrone("small")->status.consecutive_failures, 1);
  ASSERT_TRUE(Fail("big", big[0], "Systemic", conflict).ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "True/SystemicFailure");
  auto swarm = controller_->GetSwarm();
  EXPECT_NE(api::FindCondition(swarm->status.conditions, "SystemicFault")->message.find(conflict),
            std::string::npos);
  for (const std::string d : {"small", "big"}) {
    EXPECT_EQ(Cond(d, "Grounded"), "none") << d;
    EXPECT_EQ(controller_->GetDrone(d)->status.consecutive_failures, 0);
  }
  EXPECT_EQ(Phase("dev-libs/a-1"), "Needed");

  // Every member re-syncs, even at the right revision; nothing is dispatched meanwhile.
  for (const std::string d : {"small", "big", "desktop"}) {
    auto reply = Beat(d);
    ASSERT_EQ(reply.actions.size(), 1u) << d;
    EXPECT_EQ(reply.actions[0].type, "sync");
    EXPECT_TRUE(reply.assignments.empty());
    ASSERT_TRUE(Succeeded(d, reply.actions[0]).ok());
  }
  EXPECT_EQ(SwarmCond("QueueCurrent"), "False/Discovering")
      << "the queue is discovered again once the discoverer re-synced";
  EXPECT_EQ(SwarmCond("SystemicFault"), "True/SystemicFailure");
  auto reply = Beat("desktop");
  ASSERT_EQ(reply.actions.size(), 1u);
  ASSERT_EQ(reply.actions[0].type, "discover");
  ASSERT_TRUE(
      Succeeded("desktop", reply.actions[0], {{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}}).ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "False/Remediated");
  EXPECT_EQ(Hold("small").size() + Hold("big").size(), 2u) << "every drone building again";

  // The same fault right after the remediation persists, even across a
  // controller restart: a person must act.
  OpenController();
  last_.clear();
  auto again = Hold("small");
  auto again_big = Hold("big");
  ASSERT_TRUE(Fail("small", again[0], "Systemic", conflict).ok());
  ASSERT_TRUE(Fail("big", again_big[0], "Systemic", conflict).ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "True/Persistent");
  EXPECT_TRUE(Beat("small").actions.empty()) << "no second automatic re-sync";
}

TEST_F(SwarmDispatchTest, OneDroneReportingSystemicFailuresAloneIsGroundedNotTheSwarm) {
  FailOnSmallAlone(3, "Systemic", "no ebuilds to satisfy", [&](const std::string& package) {
    EXPECT_EQ(SwarmCond("SystemicFault"), "False/NoFault") << package;
    EXPECT_EQ(Package(package)->excluded_drones, std::vector<std::string>{"small"})
        << "another drone tries it";
  });
  EXPECT_EQ(Cond("small", "Grounded"), "True/RepeatedFailures");
  EXPECT_TRUE(Hold("small").empty());
}

TEST_F(SwarmDispatchTest, DronesFailingAlikeAreASharedFaultNotTheirs) {
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}, {"dev-libs/c-1", {}}});
  auto small = Hold("small");
  auto big = Hold("big");
  ASSERT_TRUE(Fail("small", small[0], "DroneResources", "No space left on device").ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "False/NoFault");
  ASSERT_TRUE(Fail("big", big[0], "DroneResources", "No space left on device").ok());
  EXPECT_EQ(SwarmCond("SystemicFault"), "True/FailingAlike");
  for (const std::string d : {"small", "big"}) {
    EXPECT_EQ(controller_->GetDrone(d)->status.consecutive_failures, 0) << d;
  }
}

TEST_F(SwarmDispatchTest, AZeroByteUploadIsRefusedAndTheSuccessWithoutItToo) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  auto up = binhost_->BeginUpload(held[0].id, "dev-libs/a/a-1-1.gpkg.tar");
  ASSERT_TRUE(up.ok());
  auto staged = (*up)->Finish(std::string(64, '0'));
  EXPECT_FALSE(staged.ok()) << "zero bytes";
  // The agent claims success anyway: refused, requeued.
  api::BuildResult r;
  r.assignment = held[0].id;
  r.package = held[0].package;
  r.outcome = api::kBuildSucceeded;
  r.binpkg = api::BinaryPackageRef{"dev-libs/a/a-1-1.gpkg.tar", 0, std::string(64, '0')};
  auto refused = controller_->ReportBuildResult(drone, r);
  EXPECT_EQ(refused.status().code(), StatusCode::kRejected);
  const api::Package* p = Package("dev-libs/a-1");
  EXPECT_EQ(p->last_failure->failure_class, "Binpkg");
  EXPECT_EQ(p->phase, "Needed");
  // It is built again by the next swarm pass, under a new lease.
  controller_->ReconcileOnce();
  p = Package("dev-libs/a-1");
  EXPECT_EQ(p->phase, "Building");
  EXPECT_NE(p->assignment, held[0].id);
  EXPECT_EQ(p->attempts, 2);
}

TEST_F(SwarmDispatchTest, ABuildTheAgentStopsListingIsLost) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  ASSERT_TRUE(controller_->Cordon("big").ok());
  auto held = Hold("small");
  ASSERT_EQ(held.size(), 1u);
  // The agent restarted and forgot it: three heartbeats without it.
  for (int i = 0; i < 3; ++i) Beat("small");
  const api::Package* p = Package("dev-libs/a-1");
  ASSERT_TRUE(p->last_failure);
  EXPECT_EQ(p->last_failure->failure_class, "Crash");
  EXPECT_EQ(controller_->GetDrone("small")->status.consecutive_failures, 1);
}

TEST_F(SwarmDispatchTest, DrainTakesWorkBackAndCordonStopsNewWork) {
  ASSERT_TRUE(controller_->Cordon("big").ok());
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}});
  EXPECT_TRUE(Hold("big").empty());
  ASSERT_EQ(Hold("small").size(), 1u);
  auto drained = controller_->Drain("small");
  ASSERT_TRUE(drained.ok());
  EXPECT_TRUE(drained->status.cordoned);
  EXPECT_TRUE(drained->status.assignments.empty());
  EXPECT_TRUE(Hold("small").empty());
  ASSERT_TRUE(controller_->Uncordon("big").ok());
  auto big = Hold("big");
  EXPECT_EQ(big.size(), 1u);
}

TEST_F(SwarmDispatchTest, AReturnedPackageGoesElsewhereAtOnce) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto held = Hold("small");
  std::string drone = "small", other = "big";
  if (held.empty()) {
    held = Hold("big");
    std::swap(drone, other);
  }
  api::BuildResult r;
  r.assignment = held[0].id;
  r.package = held[0].package;
  r.outcome = api::kBuildReturned;
  r.message = "agent shutting down (SIGTERM)";
  Upload(held[0], "half a package");
  ASSERT_TRUE(binhost_->Staged(held[0].id));
  ASSERT_TRUE(controller_->ReportBuildResult(drone, r).ok());
  EXPECT_FALSE(binhost_->Staged(held[0].id)) << "an ended assignment leaves nothing staged";
  const api::Package* p = Package("dev-libs/a-1");
  EXPECT_EQ(p->excluded_drones, std::vector<std::string>{drone});
  EXPECT_EQ(Hold(other).size(), 1u);
}

TEST_F(SwarmDispatchTest, APublishedFileThatGoesBadIsBuiltAgain) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_TRUE(Succeed(drone, held[0]).ok());
  auto none = controller_->VerifyBinhost(true);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  std::ofstream(dir_.File("binhost/dev-libs/a/a-1-1.gpkg.tar"), std::ios::trunc).close();
  auto requeued = controller_->VerifyBinhost(false);
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  EXPECT_NE(Phase("dev-libs/a-1"), "Complete");
}

TEST_F(SwarmDispatchTest, TheBinhostCheckRunsFromTheWorkQueueWhenItIsDue) {
  // d stays Building: a queue built whole would be released, and a release's
  // cut re-hashes every file at once.
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/d-1", {}}});
  auto small = Hold("small");
  auto big = Hold("big");
  std::vector<api::BuildAssignment> all = small;
  all.insert(all.end(), big.begin(), big.end());
  ASSERT_TRUE(Find(all, "dev-libs/a-1"));
  ASSERT_TRUE(Succeed(Find(small, "dev-libs/a-1") ? "small" : "big", *Find(all, "dev-libs/a-1")).ok());
  controller_->CheckBinhostEvery(seconds(60), 0);
  std::ofstream(dir_.File("binhost/dev-libs/a/a-1-1.gpkg.tar"), std::ios::trunc).close();
  controller_->RunDue();
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete") << "the check is not due yet";
  clock_.Advance(seconds(59));
  controller_->RunDue();
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete") << "the check is not due yet";
  clock_.Advance(seconds(1));
  controller_->RunDue();
  EXPECT_NE(Phase("dev-libs/a-1"), "Complete") << "the check ran and found the file empty";
}

TEST_F(SwarmDispatchTest, TheBinhostIndexListsWhatIsPublished) {
  const std::string index = dir_.File("binhost/Packages");
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  // The index is written off the controller's lock, by a thread in the
  // process; here FlushBinhostIndex writes what it would.
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  EXPECT_EQ(::swarm::testing::ReadFile(index),
            "PACKAGES: 0\nTIMESTAMP: " + std::to_string(now) + "\nVERSION: 0\n")
      << "written at start";
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/d-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_EQ(held.size(), 1u);
  const api::BuildAssignment a = *Find(held, held[0].package);
  api::BuildResult r;
  r.assignment = a.id;
  r.package = a.package;
  r.outcome = api::kBuildSucceeded;
  r.binpkg = Upload(a, "bytes");
  r.index_entry = "CPV: " + a.package + "\nEAPI: 8\nSLOT: 0/1\nSIZE: 5\n";
  ASSERT_TRUE(controller_->ReportBuildResult(drone, r).ok());
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  std::string text = ::swarm::testing::ReadFile(index);
  EXPECT_NE(text.find("PACKAGES: 1\n"), std::string::npos) << text;
  // The drone's metadata; the file's path, size and digests as the controller received it.
  BinpkgDigester digester;
  digester.Update("bytes", 5);
  const BinpkgDigests d = digester.Finish();
  EXPECT_NE(text.find("CPV: " + a.package + "\nEAPI: 8\nMD5: " + d.md5 + "\nMTIME: "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("PATH: " + r.binpkg->path + "\nSHA1: " + d.sha1 + "\nSHA256: " + d.sha256 +
                      "\nSIZE: 5\nSLOT: 0/1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(Package(a.package)->index_entry, r.index_entry) << "kept with the package";

  // A restart writes the same list again.
  OpenController();
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  EXPECT_NE(::swarm::testing::ReadFile(index).find("SLOT: 0/1"), std::string::npos);

  // Its file goes bad: requeued, and no longer listed.
  std::ofstream(dir_.File("binhost/" + r.binpkg->path), std::ios::trunc).close();
  auto requeued = controller_->VerifyBinhost(false);
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  text = ::swarm::testing::ReadFile(index);
  EXPECT_NE(text.find("PACKAGES: 0\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("CPV: "), std::string::npos) << text;
}

TEST_F(SwarmDispatchTest, AssignmentsSurviveAControllerRestart) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_EQ(held.size(), 1u);
  OpenController();
  auto after = Hold(drone);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, held[0].id) << "the lease is stored, not remembered";
  ASSERT_TRUE(Succeed(drone, after[0]).ok());
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete");
}

TEST_F(SwarmDispatchTest, BuildLogsAreKeptPerPackage) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  EXPECT_EQ(controller_->BuildLog("dev-libs/a-1").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(controller_->StoreBuildLog(drone, held[0].id, ">>> Emerging dev-libs/a-1\n").ok());
  EXPECT_EQ(*controller_->BuildLog("dev-libs/a-1"), ">>> Emerging dev-libs/a-1\n");
  EXPECT_EQ(controller_->StoreBuildLog(drone, "stale-id", "x").code(), StatusCode::kConflict);
  EXPECT_EQ(controller_->BuildLog("../../etc/passwd").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SwarmDispatchTest, ADroneThatLeavesTheRosterGivesItsBuildsBack) {
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_EQ(held.size(), 1u);
  const std::string other = drone == "small" ? "big" : "small";
  swarm_.spec.drones.erase(
      std::remove_if(swarm_.spec.drones.begin(), swarm_.spec.drones.end(),
                     [&, gone = drone](const api::DroneSpec& d) { return d.name == gone; }),
      swarm_.spec.drones.end());
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  auto moved = Hold(other);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].package, "dev-libs/a-1");
}

TEST_F(SwarmDispatchTest, ASuccessClaimingAnotherPackagesFileIsRefused) {
  DiscoverQueue({{"dev-libs/a-1", {}}, {"sys-libs/glibc-2.40", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_FALSE(held.empty());
  api::BuildAssignment a = held[0];
  api::BuildAssignment wrong = a;
  wrong.package = a.package == "dev-libs/a-1" ? "sys-libs/glibc-2.40" : "dev-libs/a-1";
  api::BuildResult r;
  r.assignment = a.id;
  r.package = a.package;
  r.outcome = api::kBuildSucceeded;
  r.binpkg = Upload(wrong, "not what it claims");
  auto refused = controller_->ReportBuildResult(drone, r);
  EXPECT_EQ(refused.status().code(), StatusCode::kRejected) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("is not a binary package of"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(Phase(a.package), "Complete");
}

TEST_F(SwarmDispatchTest, BuildsLostTogetherCountAsOneFailure) {
  swarm_.spec.drones[1].labels["cores"] = "4";  // small: four slots (one per core)
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  ASSERT_TRUE(controller_->Cordon("big").ok());
  DiscoverQueue({{"dev-libs/a-1", {}}, {"dev-libs/b-1", {}}, {"dev-libs/c-1", {}},
                 {"dev-libs/d-1", {}}});
  ASSERT_EQ(Hold("small").size(), 4u);
  for (int i = 0; i < 3; ++i) Beat("small");  // the agent restarted: it holds nothing
  EXPECT_EQ(controller_->GetDrone("small")->status.consecutive_failures, 1);
  EXPECT_EQ(Cond("small", "Grounded"), "none");
}

// The seeds' stale-queue day in small: the spec moves to a new tree while
// one drone runs a build and another holds one it has not started. Both are
// withdrawn before anyone syncs, nobody is blamed, no SystemicFault; a drone
// is synced only once it no longer reports a build.
TEST_F(SwarmDispatchTest, ATreeBumpWithdrawsAssignedAndRunningBuildsBeforeAnySync) {
  DiscoverQueue();
  auto running = Hold("small");
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].tree_revision, "rev2") << "assignments carry the queue's stamp";
  Hold("small");  // now listed as running
  auto unstarted = Beat("big").assignments;
  ASSERT_EQ(unstarted.size(), 1u);

  swarm_.spec.portage.tree_revision = "rev3";
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  for (const auto& a : {running[0], unstarted[0]}) {
    EXPECT_EQ(Phase(a.package), "Needed") << a.package;
    EXPECT_EQ(Package(a.package)->attempts, 0) << "a withdrawn build is not an attempt";
    EXPECT_TRUE(Package(a.package)->excluded_drones.empty());
    EXPECT_FALSE(Package(a.package)->last_failure.has_value());
  }
  auto events = controller_->ListEvents({"Package", "", 100});
  ASSERT_TRUE(events.ok());
  int withdrawn = 0;
  for (const auto& e : *events) withdrawn += e.reason == "BuildWithdrawn";
  EXPECT_EQ(withdrawn, 2);

  // small still reports its build: the reply takes it back and asks for no sync.
  HeartbeatReply r = Beat("small", {{running[0].id, running[0].package, "Running"}});
  EXPECT_TRUE(r.assignments.empty());
  EXPECT_TRUE(r.actions.empty());
  EXPECT_EQ(Cond("small", "TreeSynced"), "False/WaitingForBuilds");
  // The agent stopped it: the next heartbeat gets the sync.
  r = Beat("small");
  ASSERT_EQ(r.actions.size(), 1u);
  EXPECT_EQ(r.actions[0].type, "sync");
  EXPECT_EQ(r.actions[0].revision, "rev3");
  // big never started its build: its first heartbeat is synced at once.
  r = Beat("big");
  ASSERT_EQ(r.actions.size(), 1u);
  EXPECT_EQ(r.actions[0].type, "sync");
  EXPECT_TRUE(r.assignments.empty());

  // A late failure of the withdrawn build (it ran on a tree that moved) is
  // refused, and raises nothing.
  auto late = Fail("small", running[0], api::kFailureSystemic,
                   "there are no ebuilds to satisfy \"=" + running[0].package + "\"");
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_NE(SwarmCond("SystemicFault"), "True/SystemicFailure");
  EXPECT_EQ(Cond("small", "Grounded"), "none");
  auto drone = controller_->GetDrone("small");
  EXPECT_EQ(drone->status.consecutive_failures, 0);
}

TEST_F(SwarmDispatchTest, ADeployBumpWithdrawsBuildsAndDeploysOnlyIdleDrones) {
  DiscoverQueue();
  auto running = Hold("small");
  ASSERT_EQ(running.size(), 1u);
  swarm_.spec.deploy.version = "v3";
  ASSERT_TRUE(controller_->Apply(swarm_).ok());
  EXPECT_EQ(Phase(running[0].package), "Needed");
  HeartbeatReply r = Beat("small", {{running[0].id, running[0].package, "Running"}});
  EXPECT_TRUE(r.actions.empty());
  EXPECT_EQ(Cond("small", "Deployed"), "False/WaitingForBuilds");
  r = Beat("small");
  ASSERT_EQ(r.actions.size(), 1u);
  EXPECT_EQ(r.actions[0].type, "deploy");
}

// The index is written after a debounce, but never lists a path with another
// file's size: a rebuild published at a path the index on disk still lists
// (its removal not written yet) writes the index without it first.
TEST_F(SwarmDispatchTest, ARebuildNeverLeavesTheIndexListingTheOldFilesSize) {
  const std::string index = dir_.File("binhost/Packages");
  DiscoverQueue({{"dev-libs/a-1", {}}});
  auto [drone, held] = HoldAnywhere();
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(Succeed(drone, held[0]).ok());
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  const std::string path = Package("dev-libs/a-1")->binpkg->path;
  ASSERT_NE(::swarm::testing::ReadFile(index).find("PATH: " + path), std::string::npos);

  // The file goes bad: requeued; the removal from the index waits.
  std::ofstream(dir_.File("binhost/" + path), std::ios::trunc).close();
  ASSERT_EQ(*controller_->VerifyBinhost(false), 1);
  controller_->ReconcileOnce();
  auto [builder, again] = HoldAnywhere();
  ASSERT_EQ(again.size(), 1u);
  // The rebuild's file, of another size, is published at the same path.
  api::BuildResult r;
  r.assignment = again[0].id;
  r.package = again[0].package;
  r.outcome = api::kBuildSucceeded;
  r.binpkg = Upload(again[0], "a rebuilt package of another size");
  ASSERT_EQ(r.binpkg->path, path);
  ASSERT_TRUE(controller_->ReportBuildResult(builder, r).ok());
  // Nothing was flushed since: the index on disk no longer lists the path
  // (written before the publish), and lists it again only with the new size.
  std::string text = ::swarm::testing::ReadFile(index);
  EXPECT_EQ(text.find("PATH: " + path), std::string::npos) << text;
  ASSERT_TRUE(controller_->FlushBinhostIndex().ok());
  text = ::swarm::testing::ReadFile(index);
  EXPECT_NE(text.find("PATH: " + path + "\nSHA1: "), std::string::npos) << text;
  EXPECT_NE(text.find("\nSHA256: " + r.binpkg->sha256 +
                      "\nSIZE: " + std::to_string(r.binpkg->size) + "\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace swarm::controller

namespace swarm::controller {
namespace {

TEST_F(SwarmDispatchTest, ProgressCountsTheBuildsItsOwnPassHandsOut) {
  DiscoverQueue();
  // The swarm pass assigns a and d (one core each on small and big): the
  // progress it leaves counts them busy, though no heartbeat took them yet.
  controller_->ReconcileOnce();
  auto swarm = controller_->GetSwarm();
  ASSERT_TRUE(swarm.ok());
  ASSERT_TRUE(swarm->status.progress.has_value());
  EXPECT_EQ(swarm->status.progress->cores, 2);
  EXPECT_DOUBLE_EQ(swarm->status.progress->busy_cores, 2.0);
}

}  // namespace
}  // namespace swarm::controller
