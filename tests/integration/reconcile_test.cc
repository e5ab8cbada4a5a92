// Issue-3 behaviour with real processes: the controller converges members to
// the spec's deploy and tree and discovers the queue against exactly that
// tree, with the fake portage standing in for Gentoo.

#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace swarm::testing {
namespace {

using nlohmann::json;

const std::vector<std::string> kMembers = {"desktop", "drone-izar", "drone-tarn"};

class ReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& d : kMembers) h_.AddAgentToken(d);
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
    ASSERT_FALSE(h_.TreeDir().empty());
    rev1_ = h_.Revision(1);
    rev2_ = h_.Revision(2);
    ASSERT_EQ(rev1_.size(), 40u);
  }

  void Apply(const std::string& tree, const std::string& deploy) {
    auto r = h_.Swarmctl(
        {"apply", "-f", h_.WriteReconcileSwarm("swarm-" + tree + "-" + deploy + ".yaml", kMembers,
                                               tree, deploy, "desktop")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  bool WaitConverged() {
    return WaitFor([&] { return h_.SwarmCondition("Converged") == "True/Converged"; },
                   std::chrono::seconds(60));
  }

  std::string Head(const std::string& drone) {
    auto out = RunCommand({"/usr/bin/git", "-C", h_.DroneDir(drone) + "/repo", "rev-parse", "HEAD"});
    return out.out.substr(0, 40);
  }

  std::string Diagnose() {
    return "\nstatus:\n" + h_.Swarmctl({"status"}).out + "\ncontroller log tail:\n" +
           h_.controller()->Log().substr(h_.controller()->Log().size() > 4000
                                             ? h_.controller()->Log().size() - 4000
                                             : 0);
  }

  int CountEvents(const std::string& query, const std::string& reason) {
    json events = h_.GetJson("/api/v1/events?" + query + "&limit=1000");
    int n = 0;
    for (const auto& e : events["items"]) n += e["reason"] == reason ? e["count"].get<int>() : 0;
    return n;
  }

  SwarmHarness h_;
  std::string rev1_, rev2_;
};

TEST_F(ReconcileTest, MembersWithoutMarkerAreDeployedAndOldTreesSynced) {
  for (const auto& d : kMembers) ASSERT_TRUE(h_.StartPortageAgent(d, "rev-1"));
  Apply(rev2_, "2026.02.05");
  ASSERT_TRUE(WaitConverged()) << Diagnose();
  for (const auto& d : kMembers) {
    EXPECT_EQ(ReadFile(h_.DroneDir(d) + "/state/DEPLOY_MARKER"), "2026.02.05\n") << d;
    EXPECT_EQ(ReadFile(h_.DroneDir(d) + "/state/bundle/2026.02.05").empty(), false) << d;
    EXPECT_EQ(Head(d), rev2_) << d;
    EXPECT_EQ(h_.DroneCondition(d, "Deployed"), "True/Deployed");
    EXPECT_EQ(h_.DroneCondition(d, "TreeSynced"), "True/Synced");
  }
  json swarm = h_.GetJson("/api/v1/swarm");
  EXPECT_EQ(swarm["status"]["queue"]["treeRevision"], rev2_);
  EXPECT_EQ(swarm["status"]["queue"]["total"], 10);
  const json& q = swarm["status"]["queue"];
  EXPECT_EQ(q["needed"].get<int>() + q["building"].get<int>() + q["complete"].get<int>(), 10)
      << "the members build the queue as soon as it is current";
  auto packages = h_.Swarmctl({"get", "packages", "-o", "json"});
  ASSERT_EQ(packages.exit_code, 0) << packages.err;
  json list = json::parse(packages.out);
  EXPECT_EQ(list["kind"], "PackageList");
  ASSERT_EQ(list["items"].size(), 10u);
  bool has_systemd = false;
  for (const auto& p : list["items"]) {
    EXPECT_EQ(p["status"]["treeRevision"], rev2_);
    EXPECT_NE(p["status"]["phase"], "Failed");
    has_systemd |= p["metadata"]["name"] == "sys-apps/systemd-utils-6.22.0";
  }
  EXPECT_TRUE(has_systemd) << packages.out;
}

TEST_F(ReconcileTest, AStaleQueueIsNotKeptAndIsRediscoveredAtTheNewRevision) {
  for (const auto& d : kMembers) ASSERT_TRUE(h_.StartPortageAgent(d, "rev-1", "2026.02.05"));
  Apply(rev1_, "2026.02.05");
  ASSERT_TRUE(WaitConverged()) << Diagnose();
  EXPECT_EQ(h_.GetJson("/api/v1/swarm")["status"]["queue"]["total"], 8);

  // Stop the discoverer so the stale window stays open long enough to look at.
  h_.agent("desktop")->Signal(SIGSTOP);
  Apply(rev2_, "2026.02.05");
  ASSERT_TRUE(WaitFor([&] {
    std::string c = h_.SwarmCondition("QueueCurrent");
    return c.rfind("False/", 0) == 0;
  })) << Diagnose();
  json stale = h_.GetJson("/api/v1/swarm");
  EXPECT_EQ(stale["status"]["queue"]["treeRevision"], rev1_) << "the stamp names the old tree";
  auto status = h_.Swarmctl({"status"});
  EXPECT_NE(status.out.find("QueueCurrent"), std::string::npos) << status.out;
  h_.agent("desktop")->Signal(SIGCONT);

  ASSERT_TRUE(WaitConverged()) << Diagnose();
  json swarm = h_.GetJson("/api/v1/swarm");
  EXPECT_EQ(swarm["status"]["queue"]["treeRevision"], rev2_);
  EXPECT_EQ(swarm["status"]["queue"]["total"], 10);
  json packages = h_.GetJson("/api/v1/packages");
  for (const auto& p : packages["items"]) EXPECT_EQ(p["status"]["treeRevision"], rev2_);
  EXPECT_EQ(Head("desktop"), rev2_);
}

TEST_F(ReconcileTest, FreshResyncsEveryMemberAndRediscovers) {
  for (const auto& d : kMembers) ASSERT_TRUE(h_.StartPortageAgent(d, "rev-2", "2026.02.05"));
  Apply(rev2_, "2026.02.05");
  ASSERT_TRUE(WaitConverged()) << Diagnose();
  const int discovered_before = CountEvents("kind=Swarm", "QueueDiscovered");
  EXPECT_EQ(CountEvents("kind=Drone&name=drone-izar", "SyncIssued"), 0) << "already at rev-2";

  auto fresh = h_.Swarmctl({"fresh"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(fresh.out.find("re-sync the portage tree on 3 members"), std::string::npos)
      << fresh.out;
  EXPECT_NE(fresh.out.find("discard the queue (10 packages)"), std::string::npos) << fresh.out;

  ASSERT_TRUE(WaitFor([&] {
    json s = h_.GetJson("/api/v1/swarm");
    return s["status"]["observedFreshRequest"] ==
               s["metadata"]["annotations"]["buildswarm.io/fresh-requested-at"] &&
           h_.SwarmCondition("Converged") == "True/Converged" &&
           CountEvents("kind=Swarm", "QueueDiscovered") > discovered_before;
  }, std::chrono::seconds(60))) << Diagnose();
  for (const auto& d : kMembers) {
    EXPECT_GE(CountEvents("kind=Drone&name=" + d, "SyncIssued"), 1) << d << ": forced re-sync";
    EXPECT_GE(CountEvents("kind=Drone&name=" + d, "SyncSucceeded"), 1) << d;
  }
  EXPECT_EQ(h_.GetJson("/api/v1/swarm")["status"]["queue"]["total"], 10);
}

TEST_F(ReconcileTest, AFailingDeployHookIsReportedRetriedAndShownInStatus) {
  for (const auto& d : kMembers) ASSERT_TRUE(h_.StartPortageAgent(d, "rev-2"));
  h_.dir().Write("drones/drone-tarn/state/FAIL_DEPLOY", "bundle checksum mismatch\n");
  Apply(rev2_, "2026.02.05");
  ASSERT_TRUE(WaitFor([&] {
    return h_.DroneCondition("drone-tarn", "Deployed") == "False/DeployFailed";
  })) << Diagnose();
  json d = h_.GetJson("/api/v1/drones/drone-tarn");
  std::string message;
  for (const auto& c : d["status"]["conditions"]) {
    if (c["type"] == "Deployed") message = c["message"];
  }
  EXPECT_NE(message.find("bundle checksum mismatch"), std::string::npos) << message;
  EXPECT_FALSE(access((h_.DroneDir("drone-tarn") + "/state/DEPLOY_MARKER").c_str(), F_OK) == 0)
      << "a failed deploy writes no marker";

  auto status = h_.Swarmctl({"status"});
  EXPECT_NE(status.out.find("drone-tarn: deploy hook keeps failing"), std::string::npos)
      << status.out;
  EXPECT_EQ(h_.SwarmCondition("Converged"), "False/NotConverged");

  // It is retried after its backoff; once the cause is gone it succeeds.
  ASSERT_TRUE(WaitFor([&] {
    return CountEvents("kind=Drone&name=drone-tarn", "DeployFailed") >= 2;
  }, std::chrono::seconds(30))) << Diagnose();
  unlink((h_.DroneDir("drone-tarn") + "/state/FAIL_DEPLOY").c_str());
  ASSERT_TRUE(WaitConverged()) << Diagnose();
  EXPECT_EQ(ReadFile(h_.DroneDir("drone-tarn") + "/state/DEPLOY_MARKER"), "2026.02.05\n");
}

}  // namespace
}  // namespace swarm::testing
