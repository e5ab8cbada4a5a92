// SwarmController's releases (controller/core/releases.cc) on a FakeClock:
// a queue built whole is cut once into a verified release and promoted
// (Automatic) or waits (Manual); a bad file refuses the release and builds
// its package again; rollback, pruning and a restart.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/conditions.h"
#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/releases.h"
#include "controller/core/swarm_controller.h"
#include "tests/controller/swarm_fixture.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;

class SwarmReleasesTest : public SwarmControllerFixture {
 protected:
  void SetUp() override {
    SwarmControllerFixture::SetUp();
    swarm_.metadata.name = "home";
    swarm_.spec.portage.tree_revision = "16b3ce4e0123";
    swarm_.spec.deploy.version = "v2";
    swarm_.spec.queue.discover_on = "desktop";
    swarm_.spec.queue.targets = {"@world"};
    swarm_.spec.drones = {{"desktop", {}, {"discover"}},
                          {"builder", {{"cores", "2"}, {"memory", "16Gi"}}, {}}};
  }

  HeartbeatReply Beat(const std::string& name, std::vector<api::BuildProgress> builds = {}) {
    api::DroneReport r;
    r.deploy_version = "v2";
    r.tree_revision = swarm_.spec.portage.tree_revision;
    r.health = "HEALTHY";
    r.resources.cores = 2;
    r.builds = std::move(builds);
    auto reply = controller_->Heartbeat(name, r);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HeartbeatReply{};
  }

  // Applies the Swarm, discovers `packages` (independent) and builds them
  // all on "builder"; then the swarm pass.
  void BuildQueue(const std::vector<std::string>& packages) {
    ASSERT_TRUE(controller_->Apply(swarm_).ok());
    Beat("builder");
    auto reply = Beat("desktop");
    ASSERT_EQ(reply.actions.size(), 1u);
    api::ActionResult r;
    r.id = reply.actions[0].id;
    r.type = reply.actions[0].type;
    r.succeeded = true;
    r.deploy_version = "v2";
    r.tree_revision = swarm_.spec.portage.tree_revision;
    for (const auto& p : packages) r.packages.push_back({p, {}});
    ASSERT_TRUE(controller_->ReportActionResult("desktop", r).ok());
    for (size_t built = 0; built < packages.size();) {
      auto held = Beat("builder").assignments;
      ASSERT_FALSE(held.empty()) << "nothing to build after " << built;
      for (const auto& a : held) {
        api::BuildResult res;
        res.assignment = a.id;
        res.package = a.package;
        res.outcome = api::kBuildSucceeded;
        res.duration_ms = 1000;
        res.binpkg = Upload(a, "binary package of " + a.package);
        res.index_entry = "CPV: " + a.package + "\nEAPI: 8\nSLOT: 0\n";
        ASSERT_TRUE(controller_->ReportBuildResult("builder", res).ok());
        ++built;
      }
    }
    controller_->ReconcileOnce();
  }

  std::vector<api::Release> Releases() {
    auto list = controller_->ListReleases();
    return list->releases;
  }
  api::Swarm Swarm() { return *controller_->GetSwarm(); }
  std::string Released() {
    const api::Swarm swarm = Swarm();
    const api::Condition* c = api::FindCondition(swarm.status.conditions, "Released");
    return c ? c->status + "/" + c->reason : "none";
  }
  int Events(const std::string& reason) {
    const std::vector<api::Event> events = *controller_->ListEvents({"", "", 1000});
    int n = 0;
    for (const auto& e : events) n += e.reason == reason;
    return n;
  }
  std::string Phase(const std::string& name) {
    const std::vector<api::Package> packages = *controller_->ListPackages();
    for (const auto& p : packages) {
      if (p.name == name) return p.phase;
    }
    return "none";
  }

  api::Swarm swarm_;
};

TEST_F(SwarmReleasesTest, AQueueBuiltWholeIsCutOnceVerifiedAndPromoted) {
  BuildQueue({"dev-libs/a-1", "dev-libs/b-1"});
  EXPECT_EQ(Released(), "none") << "not before the releases' pass";
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  auto releases = Releases();
  ASSERT_EQ(releases.size(), 1u);
  const api::Release& r = releases[0];
  EXPECT_EQ(r.name.substr(r.name.size() - 9), "-16b3ce4e");
  EXPECT_EQ(r.package_count, 2);
  EXPECT_EQ(r.tree_revision, "16b3ce4e0123");
  EXPECT_EQ(r.bytes, static_cast<int64_t>(std::string("binary package of dev-libs/a-1").size() * 2));
  EXPECT_TRUE(r.promoted_at.has_value());
  EXPECT_EQ(Swarm().status.release.promoted, r.name);
  EXPECT_EQ(Swarm().status.release.latest, r.name);
  EXPECT_EQ(Released(), "True/Promoted");
  EXPECT_EQ(binhost_->Current(), std::make_pair(r.name, r.index_timestamp));
  EXPECT_TRUE(fs::exists(ReleaseDir(binhost_->dir(), r.name) + "/dev-libs/a/a-1-1.gpkg.tar"));
  EXPECT_EQ(Events("ReleaseCut"), 1);
  EXPECT_EQ(Events("ReleasePromoted"), 1);
  // Level-triggered: the same queue is released once.
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  EXPECT_EQ(Releases().size(), 1u);
  EXPECT_EQ(Events("ReleaseCut"), 1);

  // A restart keeps the releases and what current serves.
  binhost_->SetCurrent("", 0);
  OpenController();
  EXPECT_EQ(Releases(), releases);
  EXPECT_EQ(binhost_->Current(), std::make_pair(r.name, r.index_timestamp));
}

TEST_F(SwarmReleasesTest, ManualPromotionWaitsForTheOperator) {
  swarm_.spec.binhost.promotion = api::kPromotionManual;
  BuildQueue({"dev-libs/a-1"});
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  ASSERT_EQ(Releases().size(), 1u);
  const std::string name = Releases()[0].name;
  EXPECT_EQ(Swarm().status.release.promoted, "");
  EXPECT_EQ(Released(), "False/AwaitingPromotion");
  EXPECT_EQ(binhost_->Current().first, "");
  auto promoted = controller_->Promote(name);
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(binhost_->Current().first, name);
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  EXPECT_EQ(Released(), "True/Promoted");
  EXPECT_EQ(controller_->Promote("no-such").status().code(), StatusCode::kNotFound);
}

TEST_F(SwarmReleasesTest, AFileThatFailsItsRehashRefusesTheReleaseAndIsBuiltAgain) {
  BuildQueue({"dev-libs/a-1", "dev-libs/b-1"});
  // Changed under the binhost's feet, same size: only a re-hash sees it.
  const std::string file = binhost_->dir() + "/dev-libs/b/b-1-1.gpkg.tar";
  std::string bytes = ::swarm::testing::ReadFile(file);
  bytes[0] ^= 1;
  std::ofstream(file, std::ios::binary) << bytes;
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  EXPECT_TRUE(Releases().empty());
  EXPECT_EQ(Phase("dev-libs/b-1"), "Needed");
  EXPECT_EQ(Phase("dev-libs/a-1"), "Complete");
  EXPECT_EQ(Released(), "False/VerificationFailed");
  const api::Swarm swarm = Swarm();
  const api::Condition* c = api::FindCondition(swarm.status.conditions, "Released");
  EXPECT_NE(c->message.find("dev-libs/b-1: dev-libs/b/b-1-1.gpkg.tar has changed"),
            std::string::npos)
      << c->message;
  EXPECT_EQ(Events("ReleaseRefused"), 1);
  EXPECT_EQ(Events("BinpkgCorrupt"), 1);
  EXPECT_EQ(binhost_->Current().first, "");
  // Still refused while the package is rebuilt, then its release is cut.
  controller_->ReconcileOnce();
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  EXPECT_EQ(Released(), "False/VerificationFailed");
  auto held = Beat("builder").assignments;
  ASSERT_EQ(held.size(), 1u);
  api::BuildResult res;
  res.assignment = held[0].id;
  res.package = held[0].package;
  res.outcome = api::kBuildSucceeded;
  res.binpkg = Upload(held[0], "rebuilt b");
  ASSERT_TRUE(controller_->ReportBuildResult("builder", res).ok());
  controller_->ReconcileOnce();
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  ASSERT_EQ(Releases().size(), 1u);
  EXPECT_EQ(Released(), "True/Promoted");
}

TEST_F(SwarmReleasesTest, RollbackPromotesTheOneBeforeAndAutomaticLeavesItThere) {
  BuildQueue({"dev-libs/a-1"});
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  const std::string first = Releases()[0].name;
  EXPECT_EQ(controller_->Rollback().status().code(), StatusCode::kConflict)
      << "nothing before the first";
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(controller_->RequestReleaseCut().ok());
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  ASSERT_EQ(Releases().size(), 2u);
  const api::Release second = Releases()[1];
  EXPECT_EQ(Swarm().status.release.promoted, second.name);
  auto back = controller_->Rollback();
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, first);
  EXPECT_EQ(Swarm().status.release.promoted, first);
  EXPECT_GT(back->index_timestamp, second.index_timestamp)
      << "a client that cached the newer index reads this one";
  EXPECT_EQ(binhost_->Current(), std::make_pair(first, back->index_timestamp));
  EXPECT_EQ(Events("ReleaseRolledBack"), 1);
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  EXPECT_EQ(Swarm().status.release.promoted, first) << "not promoted again by itself";
}

TEST_F(SwarmReleasesTest, PruningKeepsTheNewestThePromotedAndTheOneBeforeIt) {
  swarm_.spec.binhost.keep_releases = 2;
  swarm_.spec.binhost.promotion = api::kPromotionManual;
  BuildQueue({"dev-libs/a-1"});
  ASSERT_TRUE(controller_->ReconcileReleases().ok());
  const std::string first = Releases()[0].name;
  ASSERT_TRUE(controller_->Promote(first).ok());
  std::vector<std::string> names = {first};
  for (int i = 0; i < 2; ++i) {
    clock_.Advance(std::chrono::minutes(1));
    ASSERT_TRUE(controller_->RequestReleaseCut().ok());
    ASSERT_TRUE(controller_->ReconcileReleases().ok());
    names.push_back(Releases().back().name);
  }
  auto releases = Releases();
  ASSERT_EQ(releases.size(), 2u);
  EXPECT_EQ(releases[0].name, first) << "promoted";
  EXPECT_EQ(releases[1].name, names[2]) << "the newest";
  EXPECT_FALSE(fs::exists(ReleaseDir(binhost_->dir(), names[1])));
  EXPECT_EQ(Events("ReleasePruned"), 1);
}

}  // namespace
}  // namespace swarm::controller
