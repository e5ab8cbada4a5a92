// Crash safety of the controller's decisions: a scripted run (discovery,
// dispatch, a success, a failure, a drone leaving the roster, a tree bump) is
// cut short after every possible number of commits, as kill -9 would cut it;
// a controller restarted on what reached the file must keep every rule after
// one reconcile pass, and take back every build once the leases lapse.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "controller/core/swarm_controller.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using std::chrono::seconds;

class CrashRun {
 public:
  explicit CrashRun(const std::string& dir) : dir_(dir) {}

  // Opens store, binhost and controller on `dir_`; with `crash_after` >= 0
  // the store stops taking writes after that many commits.
  void Open(int crash_after) {
    controller_.reset();
    store_.reset();
    binhost_.reset();
    auto binhost = Binhost::Open(dir_ + "/binhost");
    ASSERT_TRUE(binhost.ok()) << binhost.status().ToString();
    binhost_ = std::move(binhost.value());
    auto store = Store::Open(dir_ + "/state.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    store_->CrashAfterCommits(crash_after);
    controller_ = std::make_unique<SwarmController>(store_.get(), &clock_,
                                                    BuildOutputs{binhost_.get(), dir_ + "/logs"});
    (void)controller_->Start();
  }

  static api::Swarm Spec(const std::string& tree, bool with_big) {
    api::Swarm s;
    s.metadata.name = "home";
    s.spec.portage.tree_revision = tree;
    s.spec.deploy.version = "v2";
    s.spec.queue.discover_on = "desktop";
    s.spec.queue.targets = {"@world"};
    s.spec.policy.heartbeat_grace = Duration(20000);
    s.spec.drones = {{"desktop", {}, {"discover"}},
                     {"small", {{"cores", "2"}, {"memory", "16Gi"}}, {}}};
    if (with_big) s.spec.drones.push_back({"big", {{"cores", "2"}, {"memory", "64Gi"}}, {}});
    return s;
  }

  // A well-behaved agent's heartbeat: it lists what it holds and keeps what
  // the reply gives it. Errors are the crash's and are ignored.
  HeartbeatReply Beat(const std::string& name, const std::string& tree = "rev2") {
    api::DroneReport r;
    r.deploy_version = "v2";
    r.tree_revision = tree;
    r.health = "HEALTHY";
    r.resources.cores = 16;
    for (const auto& a : held_[name]) r.builds.push_back({a.id, a.package, "Running"});
    auto reply = controller_->Heartbeat(name, r);
    if (!reply.ok()) return {};
    held_[name] = reply->assignments;
    return *reply;
  }

  void Succeed(const std::string& drone, const api::BuildAssignment& a) {
    const std::string pn = a.package.substr(a.package.find('/') + 1);
    const std::string path = a.package.substr(0, a.package.find('/')) + "/" +
                             pn.substr(0, pn.rfind('-')) + "/" + pn + "-1.gpkg.tar";
    const std::string bytes = "binary package of " + a.package;
    auto up = binhost_->BeginUpload(a.id, path);
    if (!up.ok()) return;
    if (!(*up)->Write(bytes.data(), bytes.size()).ok()) return;
    auto ref = (*up)->Finish(Sha256Hex(bytes));
    if (!ref.ok()) return;
    api::BuildResult r;
    r.assignment = a.id;
    r.package = a.package;
    r.outcome = api::kBuildSucceeded;
    r.duration_ms = 1000;
    r.binpkg = *ref;
    (void)controller_->ReportBuildResult(drone, r);
  }

  void FailOnDisk(const std::string& drone, const api::BuildAssignment& a) {
    api::BuildResult r;
    r.assignment = a.id;
    r.package = a.package;
    r.outcome = api::kBuildFailed;
    r.failure_class = api::kFailureDroneResources;
    r.message = "No space left on device";
    (void)controller_->ReportBuildResult(drone, r);
  }

  // The script. Every step may fail once the store "died"; it goes on as a
  // process that does not know yet would.
  void Script() {
    (void)controller_->Apply(Spec("rev2", true));
    Beat("small");
    Beat("big");
    HeartbeatReply d = Beat("desktop");
    for (const auto& a : d.actions) {
      if (a.type != "discover") continue;
      api::ActionResult r;
      r.id = a.id;
      r.type = a.type;
      r.succeeded = true;
      r.deploy_version = "v2";
      r.tree_revision = "rev2";
      r.packages = {{"dev-libs/a-1", {}},
                    {"dev-libs/b-1", {"dev-libs/a-1"}},
                    {"dev-libs/c-1", {}},
                    {"dev-libs/d-1", {}},
                    {"dev-libs/e-1", {}}};
      (void)controller_->ReportActionResult("desktop", r);
    }
    Beat("small");
    Beat("big");
    Beat("small");
    Beat("big");
    if (!held_["small"].empty()) Succeed("small", held_["small"][0]);
    if (!held_["big"].empty()) FailOnDisk("big", held_["big"][0]);
    Beat("small");
    Beat("big");
    clock_.Advance(seconds(1));
    // big leaves the roster while it holds builds; then the tree moves.
    (void)controller_->Apply(Spec("rev2", false));
    (void)controller_->Apply(Spec("rev3", false));
    Beat("small");
    Beat("small");
  }

  // The rules every state a restart finds must keep after one pass.
  void ExpectRules(const std::string& when) {
    auto swarm = controller_->GetSwarm();
    std::set<std::string> roster;
    if (swarm.ok()) {
      for (const auto& d : swarm->spec.drones) roster.insert(d.name);
    }
    auto packages = controller_->ListPackages();
    ASSERT_TRUE(packages.ok()) << when;
    std::set<std::string> names;
    for (const auto& p : *packages) {
      EXPECT_TRUE(names.insert(p.name).second) << when << ": " << p.name << " listed twice";
      static const std::set<std::string> kPhases = {api::kPhaseNeeded, api::kPhaseBuilding,
                                                    api::kPhaseComplete, api::kPhaseFailed,
                                                    api::kPhaseBlocked};
      EXPECT_TRUE(kPhases.count(p.phase)) << when << ": " << p.name << " in " << p.phase;
      if (p.phase == api::kPhaseBuilding) {
        EXPECT_TRUE(roster.count(p.drone))
            << when << ": " << p.name << " Building on " << p.drone << ", not in the roster";
        EXPECT_FALSE(p.assignment.empty()) << when << ": " << p.name;
      }
      if (p.phase == api::kPhaseComplete) {
        ASSERT_TRUE(p.binpkg.has_value()) << when << ": " << p.name;
        std::error_code ec;
        auto size = std::filesystem::file_size(dir_ + "/binhost/" + p.binpkg->path, ec);
        EXPECT_FALSE(ec) << when << ": " << p.name << " Complete without its file";
        EXPECT_EQ(static_cast<int64_t>(size), p.binpkg->size) << when << ": " << p.name;
      }
    }
    auto drones = controller_->ListDrones();
    ASSERT_TRUE(drones.ok());
    for (const auto& d : *drones) EXPECT_TRUE(roster.count(d.name)) << when;
  }

  void ExpectNothingBuilding(const std::string& when) {
    auto packages = controller_->ListPackages();
    ASSERT_TRUE(packages.ok());
    for (const auto& p : *packages) {
      EXPECT_NE(p.phase, api::kPhaseBuilding)
          << when << ": " << p.name << " still Building on " << p.drone
          << " though no drone heartbeats";
    }
  }

  FakeClock clock_;
  std::string dir_;
  std::unique_ptr<Binhost> binhost_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SwarmController> controller_;
  std::map<std::string, std::vector<api::BuildAssignment>> held_;
};

TEST(SwarmCrashTest, EveryRuleHoldsAfterACrashBetweenAnyTwoCommits) {
  int crashes = 0;
  for (int k = 0;; ++k) {
    ASSERT_LT(k, 1000) << "the script never ends";
    ::swarm::testing::TempDir dir;
    CrashRun run(dir.path());
    run.Open(k);
    run.Script();
    const bool crashed = run.store_->crashed();
    const std::string when = "crash after commit " + std::to_string(k);
    // kill -9, then a restart on what reached the file.
    run.Open(-1);
    run.controller_->ReconcileOnce();
    run.ExpectRules(when);
    // Nobody heartbeats after the restart: past the grace every build is back.
    run.clock_.Advance(seconds(21));
    run.controller_->ReconcileOnce();
    run.ExpectRules(when + ", past the grace");
    run.ExpectNothingBuilding(when + ", past the grace");
    if (::testing::Test::HasFailure()) return;
    if (!crashed) {
      // The script ran to its end, so every point was tried; and it went
      // through what it means to: a build taken from a drone that left the
      // roster, builds withdrawn by the tree bump, a success published.
      std::set<std::string> reasons;
      auto events = run.controller_->ListEvents({"", "", 1000});
      ASSERT_TRUE(events.ok());
      for (const auto& e : *events) reasons.insert(e.reason);
      EXPECT_TRUE(reasons.count("BuildReclaimed"));
      EXPECT_TRUE(reasons.count("BuildWithdrawn"));
      EXPECT_TRUE(reasons.count("BuildSucceeded"));
      EXPECT_TRUE(reasons.count("BuildFailed"));
      break;
    }
    ++crashes;
  }
  EXPECT_GT(crashes, 20) << "the script makes fewer commits than it should";
}

}  // namespace
}  // namespace swarm::controller
