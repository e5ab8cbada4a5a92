#include "swarmctl/status.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/swarmctl/canned.h"
#include "tests/swarmctl/canned_reconciled.h"
#include "tests/swarmctl/fake_api.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;
using testing::FakeApi;

// Replaces the condition `type` in `object`'s status; fails the test when there is none.
void Set(Json& object, const std::string& type, const std::string& status,
         const std::string& reason, const std::string& message,
         const std::string& since = "2026-02-05T10:20:00Z") {
  for (auto& c : object["status"]["conditions"]) {
    if (c["type"] == type) {
      c = {{"type", type},
           {"status", status},
           {"reason", reason},
           {"message", message},
           {"lastTransitionTime", since}};
      return;
    }
  }
  FAIL() << "no condition " << type;
}

// The drone of that name in a DroneList.
Json& DroneIn(Json& list, const std::string& name) {
  for (auto& d : list["items"]) {
    if (d["metadata"]["name"] == name) return d;
  }
  ADD_FAILURE() << "no drone " << name;
  return list;
}

class StatusTest : public ::testing::Test {
 protected:
  StatusTest()
      : swarm_(Json::parse(testing::kReconciledSwarm)),
        drones_(Json::parse(testing::kConvergedDrones)),
        packages_(Json::parse(testing::kPackageList)) {}

  // Serves the state as it is now and runs `swarmctl status`.
  int Run() {
    api_.Reply("GET", "/api/v1/swarm", 200, swarm_.dump());
    api_.Reply("GET", "/api/v1/drones", 200, drones_.dump());
    api_.Reply("GET", "/api/v1/packages", 200, packages_.dump());
    return RunStatus(api_, CannedNow(), out_, err_);
  }

  // Leaves the queue without its blocked package.
  void UnblockQueue() {
    auto& items = packages_["items"];
    items.erase(items.begin() + 4);
    swarm_["status"]["queue"]["blocked"] = 0;
    swarm_["status"]["queue"]["total"] = 5;
  }

  Json swarm_;
  Json drones_;
  Json packages_;
  FakeApi api_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(StatusTest, Converged) {
  UnblockQueue();
  ASSERT_EQ(Run(), 0);
  ASSERT_EQ(api_.requests().size(), 3u);
  EXPECT_EQ(api_.requests()[0].path, "/api/v1/swarm");
  EXPECT_EQ(api_.requests()[1].path, "/api/v1/drones");
  EXPECT_EQ(api_.requests()[2].path, "/api/v1/packages");
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(
      out_.str(),
      "Swarm:       home\n"
      "Generation:  4 (observed 4)\n"
      "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
      "\n"
      "CONDITIONS\n"
      "TYPE            STATUS   REASON           MESSAGE\n"
      "Deployed        True     AllDeployed      every member runs 2026.02.05\n"
      "TreeSynced      True     AllSynced        every member has b001a823ca12\n"
      "QueueCurrent    True     Current          discovered on desktop against b001a823ca12 and "
      "2026.02.05\n"
      "SystemicFault   False    NoFault          <none>\n"
      "Converged       True     Converged        members deployed and synced, queue current\n"
      "DronesReady     True     AllDronesReady   3 of 3 members heartbeat\n"
      "\n"
      "QUEUE (tree b001a823ca12, deploy 2026.02.05)\n"
      "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
      "1        2          1          1        0         5\n"
      "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
      "\n"
      "DRONES\n"
      "NAME             STATUS   DEPLOYED   TREESYNCED   HEALTH    ACTIONS   BUILDING\n"
      "desktop          Ready    True       True         HEALTHY   <none>    <none>\n"
      "drone-izar       Ready    True       True         HEALTHY   <none>    "
      "dev-libs/openssl-3.3.3\n"
      "drone-meridian   Ready    True       True         HEALTHY   <none>    "
      "dev-qt/qtwebengine-6.8.1\n"
      "\n"
      "NEXT ACTION: none — the swarm is converged\n");
}

TEST_F(StatusTest, Converging) {
  UnblockQueue();
  Set(swarm_, "TreeSynced", "False", "MembersNotSynced", "drone-izar: Syncing");
  Set(swarm_, "QueueCurrent", "False", "Stale", "stamped 9fc7a49ad649, spec wants b001a823ca12");
  Set(swarm_, "Converged", "False", "NotConverged", "members not synced; queue not current");
  swarm_["status"]["queue"]["treeRevision"] = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  Json& izar = DroneIn(drones_, "drone-izar");
  Set(izar, "TreeSynced", "False", "Syncing", "syncing to b001a823ca12");
  izar["status"]["actions"] =
      Json::parse(R"([{"id": "9a1b", "type": "sync", "state": "Running"}])");
  izar["status"]["assignments"] = Json::array();
  Json& meridian = DroneIn(drones_, "drone-meridian");
  Set(meridian, "Deployed", "False", "Deploying", "deploying 2026.02.05");
  meridian["status"]["assignments"] = Json::array();
  meridian["status"]["actions"] = Json::parse(
      R"([{"id": "5f0c", "type": "deploy", "state": "Running"},
          {"id": "0d1e", "type": "sync", "state": "Queued"}])");
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(
      out_.str(),
      "Swarm:       home\n"
      "Generation:  4 (observed 4)\n"
      "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
      "\n"
      "CONDITIONS\n"
      "TYPE            STATUS   REASON             MESSAGE\n"
      "Deployed        True     AllDeployed        every member runs 2026.02.05\n"
      "TreeSynced      False    MembersNotSynced   drone-izar: Syncing\n"
      "QueueCurrent    False    Stale              stamped 9fc7a49ad649, spec wants b001a823ca12\n"
      "SystemicFault   False    NoFault            <none>\n"
      "Converged       False    NotConverged       members not synced; queue not current\n"
      "DronesReady     True     AllDronesReady     3 of 3 members heartbeat\n"
      "\n"
      "QUEUE (tree 9fc7a49ad649, deploy 2026.02.05)\n"
      "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
      "1        2          1          1        0         5\n"
      "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
      "\n"
      "DRONES\n"
      "NAME             STATUS   DEPLOYED            TREESYNCED        HEALTH    ACTIONS           "
      " "
      "           BUILDING\n"
      "desktop          Ready    True                True              HEALTHY   <none>            "
      " "
      "           <none>\n"
      "drone-izar       Ready    True                False (Syncing)   HEALTHY   sync Running      "
      " "
      "           <none>\n"
      "drone-meridian   Ready    False (Deploying)   True              HEALTHY   deploy Running, "
      "sync Queued   <none>\n"
      "\n"
      "NEXT ACTION: none — the swarm is converging on its own\n");
}

TEST_F(StatusTest, FailingHooks) {
  Set(swarm_, "Deployed", "False", "MembersNotDeployed", "drone-izar: DeployFailed");
  Set(swarm_, "TreeSynced", "False", "MembersNotSynced", "drone-meridian: SyncFailed");
  Set(swarm_, "Converged", "False", "NotConverged", "members not deployed or not synced");
  Json& izar = DroneIn(drones_, "drone-izar");
  Set(izar, "Deployed", "False", "DeployFailed",
      "hooks.deploy exited 1: rsync: connection refused (111)\nnext try in 40s");
  izar["status"]["assignments"] = Json::array();
  Json& meridian = DroneIn(drones_, "drone-meridian");
  Set(meridian, "TreeSynced", "False", "SyncFailed",
      "hooks.sync exited 128: fatal: reference is not a tree: b001a823ca12; next try in 5m");
  meridian["status"]["assignments"] = Json::array();
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(
      out_.str(),
      "Swarm:       home\n"
      "Generation:  4 (observed 4)\n"
      "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
      "\n"
      "CONDITIONS\n"
      "TYPE            STATUS   REASON               MESSAGE\n"
      "Deployed        False    MembersNotDeployed   drone-izar: DeployFailed\n"
      "TreeSynced      False    MembersNotSynced     drone-meridian: SyncFailed\n"
      "QueueCurrent    True     Current              discovered on desktop against b001a823ca12 "
      "and 2026.02.05\n"
      "SystemicFault   False    NoFault              <none>\n"
      "Converged       False    NotConverged         members not deployed or not synced\n"
      "DronesReady     True     AllDronesReady       3 of 3 members heartbeat\n"
      "\n"
      "QUEUE (tree b001a823ca12, deploy 2026.02.05)\n"
      "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
      "1        2          1          1        1         6\n"
      "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
      "\n"
      "DRONES\n"
      "NAME             STATUS   DEPLOYED               TREESYNCED           HEALTH    ACTIONS   "
      "BUILDING\n"
      "desktop          Ready    True                   True                 HEALTHY   <none>    "
      "<none>\n"
      "drone-izar       Ready    False (DeployFailed)   True                 HEALTHY   <none>    "
      "<none>\n"
      "drone-meridian   Ready    True                   False (SyncFailed)   HEALTHY   <none>    "
      "<none>\n"
      "\n"
      "NEXT ACTION\n"
      "  - drone-izar: deploy hook keeps failing (hooks.deploy exited 1: rsync: connection refused "
      "(111) next try in 40s); fix hooks.deploy on drone-izar — it is retried automatically\n"
      "  - drone-meridian: tree sync hook keeps failing (hooks.sync exited 128: fatal: reference "
      "is not a tree: b001a823ca12; next try in 5m); fix hooks.sync on drone-meridian — it is "
      "retried automatically\n"
      "  - media-libs/mesa-24.3.3 is blocked: failed to build on drone-izar and drone-meridian "
      "(last: compile error in src/gallium/drivers/radeonsi); fix the cause, then run "
      "`swarmctl fresh` to rediscover the queue\n");
}

TEST_F(StatusTest, NeverJoined) {
  UnblockQueue();
  Set(swarm_, "DronesReady", "False", "DronesNotReady", "desktop: NeverJoined");
  Set(swarm_, "QueueCurrent", "False", "WaitingForDiscoverer", "desktop is not ready");
  Set(swarm_, "Converged", "False", "NotConverged", "queue not current");
  Json& desktop = DroneIn(drones_, "desktop");
  desktop["status"] = Json::parse(testing::kDesktop)["status"];
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(out_.str(),
            "Swarm:       home\n"
            "Generation:  4 (observed 4)\n"
            "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
            "\n"
            "CONDITIONS\n"
            "TYPE            STATUS   REASON                 MESSAGE\n"
            "Deployed        True     AllDeployed            every member runs 2026.02.05\n"
            "TreeSynced      True     AllSynced              every member has b001a823ca12\n"
            "QueueCurrent    False    WaitingForDiscoverer   desktop is not ready\n"
            "SystemicFault   False    NoFault                <none>\n"
            "Converged       False    NotConverged           queue not current\n"
            "DronesReady     False    DronesNotReady         desktop: NeverJoined\n"
            "\n"
            "QUEUE (tree b001a823ca12, deploy 2026.02.05)\n"
            "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
            "1        2          1          1        0         5\n"
            "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
            "\n"
            "DRONES\n"
            "NAME             STATUS    DEPLOYED   TREESYNCED   HEALTH    ACTIONS   BUILDING\n"
            "desktop          Unknown   -          -            <none>    <none>    <none>\n"
            "drone-izar       Ready     True       True         HEALTHY   <none>    "
            "dev-libs/openssl-3.3.3\n"
            "drone-meridian   Ready     True       True         HEALTHY   <none>    "
            "dev-qt/qtwebengine-6.8.1\n"
            "\n"
            "NEXT ACTION\n"
            "  - desktop never joined: start swarm-agent on it (token name must be desktop)\n");
}

TEST_F(StatusTest, Unreachable) {
  UnblockQueue();
  Set(swarm_, "DronesReady", "False", "DronesNotReady", "drone-meridian: HeartbeatMissed");
  Json& meridian = DroneIn(drones_, "drone-meridian");
  Set(meridian, "Ready", "Unknown", "HeartbeatMissed", "no heartbeat for 20s",
      "2026-02-05T10:27:20Z");
  meridian["status"]["lastHeartbeatTime"] = "2026-02-05T10:27:00Z";
  meridian["status"]["assignments"] = Json::array();
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(out_.str(),
            "Swarm:       home\n"
            "Generation:  4 (observed 4)\n"
            "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
            "\n"
            "CONDITIONS\n"
            "TYPE            STATUS   REASON           MESSAGE\n"
            "Deployed        True     AllDeployed      every member runs 2026.02.05\n"
            "TreeSynced      True     AllSynced        every member has b001a823ca12\n"
            "QueueCurrent    True     Current          discovered on desktop against b001a823ca12 "
            "and 2026.02.05\n"
            "SystemicFault   False    NoFault          <none>\n"
            "Converged       True     Converged        members deployed and synced, queue current\n"
            "DronesReady     False    DronesNotReady   drone-meridian: HeartbeatMissed\n"
            "\n"
            "QUEUE (tree b001a823ca12, deploy 2026.02.05)\n"
            "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
            "1        2          1          1        0         5\n"
            "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
            "\n"
            "DRONES\n"
            "NAME             STATUS    DEPLOYED   TREESYNCED   HEALTH    ACTIONS   BUILDING\n"
            "desktop          Ready     True       True         HEALTHY   <none>    <none>\n"
            "drone-izar       Ready     True       True         HEALTHY   <none>    "
            "dev-libs/openssl-3.3.3\n"
            "drone-meridian   Unknown   True       True         HEALTHY   <none>    <none>\n"
            "\n"
            "NEXT ACTION\n"
            "  - drone-meridian is unreachable since 2026-02-05T10:27:20Z (2m ago): check the host "
            "and its network (its work is reclaimed automatically)\n");
}

TEST_F(StatusTest, DiscoveryFailed) {
  UnblockQueue();
  Set(swarm_, "QueueCurrent", "False", "DiscoveryFailed",
      "emerge --pretend exited 1: slot conflict on dev-libs/openssl; next try in 2m");
  Set(swarm_, "Converged", "False", "NotConverged", "queue not current");
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(out_.str(),
            "Swarm:       home\n"
            "Generation:  4 (observed 4)\n"
            "Desired:     deploy 2026.02.05, tree b001a823ca12\n"
            "\n"
            "CONDITIONS\n"
            "TYPE            STATUS   REASON            MESSAGE\n"
            "Deployed        True     AllDeployed       every member runs 2026.02.05\n"
            "TreeSynced      True     AllSynced         every member has b001a823ca12\n"
            "QueueCurrent    False    DiscoveryFailed   emerge --pretend exited 1: slot conflict "
            "on dev-libs/openssl; next try in 2m\n"
            "SystemicFault   False    NoFault           <none>\n"
            "Converged       False    NotConverged      queue not current\n"
            "DronesReady     True     AllDronesReady    3 of 3 members heartbeat\n"
            "\n"
            "QUEUE (tree b001a823ca12, deploy 2026.02.05)\n"
            "NEEDED   BUILDING   COMPLETE   FAILED   BLOCKED   TOTAL\n"
            "1        2          1          1        0         5\n"
            "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted)\n"
            "\n"
            "DRONES\n"
            "NAME             STATUS   DEPLOYED   TREESYNCED   HEALTH    ACTIONS   BUILDING\n"
            "desktop          Ready    True       True         HEALTHY   <none>    <none>\n"
            "drone-izar       Ready    True       True         HEALTHY   <none>    "
            "dev-libs/openssl-3.3.3\n"
            "drone-meridian   Ready    True       True         HEALTHY   <none>    "
            "dev-qt/qtwebengine-6.8.1\n"
            "\n"
            "NEXT ACTION\n"
            "  - queue discovery on desktop fails: emerge --pretend exited 1: slot conflict on "
            "dev-libs/openssl; next try in 2m; fix it or run `swarmctl fresh`\n");
}

TEST_F(StatusTest, DronesThatNeedAPerson) {
  UnblockQueue();
  swarm_["spec"]["policy"]["groundingCooldown"] = "5m";
  // Cordoned: its running build finishes, it gets no new one.
  Json& izar = DroneIn(drones_, "drone-izar");
  izar["status"]["cordoned"] = true;
  // Grounded after five OOM kills in a row: no work, nothing assigned.
  Json& meridian = DroneIn(drones_, "drone-meridian");
  meridian["status"]["conditions"].push_back(
      {{"type", "Grounded"},
       {"status", "True"},
       {"reason", "RepeatedFailures"},
       {"message",
        "5 drone failures in a row (groundAfterFailures 5); last: dev-qt/qtwebengine-6.8.1: "
        "Killed signal terminated program cc1plus; no work until the cause is gone, the "
        "cooldown ends and a probation build succeeds, or swarmctl unground"},
       {"lastTransitionTime", "2026-02-05T10:12:00Z"}});
  meridian["status"]["consecutiveFailures"] = 5;
  meridian["status"]["assignments"] = Json::array();
  meridian["status"]["builds"] = Json::array();
  Json& desktop = DroneIn(drones_, "desktop");
  desktop["status"]["health"] = "DEGRADED";
  desktop["status"]["healthReason"] = "disk 93% >= 90%";
  ASSERT_EQ(Run(), 0);
  EXPECT_EQ(err_.str(), "");
  const std::string out = out_.str();
  EXPECT_NE(
      out.find("DRONES\n"
               "NAME             STATUS                     DEPLOYED   TREESYNCED   HEALTH     "
               "ACTIONS   BUILDING\n"
               "desktop          Ready                      True       True         DEGRADED   "
               "<none>    <none>\n"
               "drone-izar       Ready,SchedulingDisabled   True       True         HEALTHY    "
               "<none>    dev-libs/openssl-3.3.3\n"
               "drone-meridian   Ready,Grounded             True       True         HEALTHY    "
               "<none>    <none>\n"),
      std::string::npos)
      << out;
  EXPECT_EQ(out.substr(out.find("NEXT ACTION")),
            "NEXT ACTION\n"
            "  - desktop is DEGRADED (disk 93% >= 90%): it gets no new builds until it is HEALTHY "
            "again\n"
            "  - drone-izar is cordoned: it takes no new work; run `swarmctl uncordon drone-izar` "
            "to give it work again\n"
            "  - drone-meridian is grounded: 5 drone failures in a row (groundAfterFailures 5); "
            "last: dev-qt/qtwebengine-6.8.1: Killed signal terminated program cc1plus; find what "
            "fails on it (`swarmctl describe drone drone-meridian`), fix it and run `swarmctl "
            "unground drone-meridian` — else it gets one probation build after groundingCooldown "
            "(5m)\n");
}

TEST_F(StatusTest, SystemicFaultAndACapacityBlockedPackage) {
  Set(swarm_, "SystemicFault", "True", "FailingAlike",
      "2 of 3 Ready drones failed alike within 10m with DroneResources: No space left on device "
      "(drone-izar, drone-meridian); nothing is dispatched: every member re-syncs and the queue "
      "is discovered again");
  // qtwebengine was OOM-killed on drone-meridian (64Gi): no member has more.
  Json& qt = packages_["items"][2];
  qt["status"]["phase"] = "Blocked";
  qt["status"]["drone"] = "";
  qt["status"]["assignment"] = "";
  qt["status"]["startedAt"] = nullptr;
  qt["status"]["excludedDrones"] = {"drone-izar", "drone-meridian"};
  qt["status"]["lastFailure"] = {{"class", "DroneResources"},
                                 {"message", "Killed signal terminated program cc1plus"},
                                 {"drone", "drone-meridian"}};
  qt["status"]["needsMemoryOver"] = 68719476736;
  qt["status"]["needsMemoryCause"] = "OOM on drone-meridian (64Gi)";
  qt["status"]["reason"] =
      "no drone can take it: needs memory > 64Gi (OOM on drone-meridian (64Gi)); none of 2 "
      "drones fits (drone-izar: memory 32Gi, returned or failed it; drone-meridian: memory 64Gi, "
      "returned or failed it)";
  ASSERT_EQ(Run(), 0);
  const std::string out = out_.str();
  EXPECT_EQ(out.substr(out.find("NEXT ACTION")),
            "NEXT ACTION\n"
            "  - systemic fault: 2 of 3 Ready drones failed alike within 10m with DroneResources: "
            "No space left on device (drone-izar, drone-meridian); nothing is dispatched while "
            "the controller re-syncs every member and rediscovers the queue — dispatch resumes "
            "on its own once the new queue is in\n"
            "  - dev-qt/qtwebengine-6.8.1 is blocked: no drone can take it: needs memory > 64Gi "
            "(OOM on drone-meridian (64Gi)); none of 2 drones fits (drone-izar: memory 32Gi, "
            "returned or failed it; drone-meridian: memory 64Gi, returned or failed it); a build "
            "drone with more than 64Gi of memory would take it: add one to spec.drones — it is "
            "dispatched once one fits\n"
            "  - media-libs/mesa-24.3.3 is blocked: failed to build on drone-izar and "
            "drone-meridian (last: compile error in src/gallium/drivers/radeonsi); fix the cause, "
            "then run `swarmctl fresh` to rediscover the queue\n");
}

TEST_F(StatusTest, PackagesThatCannotBeListedAreAWarning) {
  api_.Reply("GET", "/api/v1/swarm", 200, swarm_.dump());
  api_.Reply("GET", "/api/v1/drones", 200, drones_.dump());
  api_.Reply("GET", "/api/v1/packages", 404,
             R"({"kind":"Status","message":"the requested resource could not be found"})");
  ASSERT_EQ(RunStatus(api_, CannedNow(), out_, err_), 0);
  EXPECT_EQ(err_.str(),
            "warning: cannot list packages: 404 Not Found: the requested resource could not be "
            "found\n");
  // The swarm's count stands in for the names.
  EXPECT_NE(out_.str().find("\nNEXT ACTION\n"
                            "  - 1 package blocked: see `swarmctl get packages -o wide`\n"),
            std::string::npos)
      << out_.str();
}

TEST_F(StatusTest, NoSwarmYetSaysHowToApplyOne) {
  api_.Reply("GET", "/api/v1/swarm", 404,
             R"({"kind":"Status","code":404,"message":"no Swarm applied yet"})");
  EXPECT_EQ(RunStatus(api_, CannedNow(), out_, err_), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(),
            "error: 404 Not Found: no Swarm applied yet (apply one first: swarmctl apply -f "
            "swarm.yaml)\n");
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(StatusTest, OtherFailuresAreOneErrorLine) {
  api_.Fail("GET", "/api/v1/swarm", Unavailable("cannot reach http://127.0.0.1:7800: Connection"));
  EXPECT_EQ(RunStatus(api_, CannedNow(), out_, err_), 1);
  EXPECT_EQ(err_.str(), "error: cannot reach http://127.0.0.1:7800: Connection\n");

  err_.str("");
  api_.Reply("GET", "/api/v1/swarm", 200, swarm_.dump());
  api_.Reply("GET", "/api/v1/drones", 401, R"({"kind":"Status","message":"unknown bearer token"})");
  EXPECT_EQ(RunStatus(api_, CannedNow(), out_, err_), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: 401 Unauthorized: unknown bearer token\n");
}

TEST(PrintStatusTest, ASwarmJustAppliedShowsWhatIsMissing) {
  std::ostringstream out;
  PrintStatus(Json::parse(R"({"metadata": {"name": "home", "generation": 1}})"), {},
              std::vector<const Json*>{}, CannedNow(), out);
  EXPECT_EQ(out.str(),
            "Swarm:       home\n"
            "Generation:  1 (observed -)\n"
            "Desired:     deploy <none>, tree <none>\n"
            "\n"
            "CONDITIONS: <none>\n"
            "\n"
            "QUEUE: not discovered yet\n"
            "\n"
            "DRONES: <none>\n"
            "\n"
            "NEXT ACTION: none — the swarm is converging on its own\n");
}

TEST_F(StatusTest, TheReleaseLineAfterTheQueue) {
  UnblockQueue();
  const std::string queue_row = "1        2          1          1        0         5\n";
  const struct {
    std::string promoted, latest, line;
  } cases[] = {
      {"", "", "RELEASE: none cut yet\n"},
      {"", "2026-02-05T0400Z-b001a823",
       "RELEASE: none promoted; latest 2026-02-05T0400Z-b001a823\n"},
      {"2026-02-05T0400Z-b001a823", "2026-02-05T0400Z-b001a823",
       "RELEASE: 2026-02-05T0400Z-b001a823 (promoted)\n"},
      {"2026-02-04T0300Z-9fc7a49a", "2026-02-05T0400Z-b001a823",
       "RELEASE: 2026-02-04T0300Z-9fc7a49a (promoted); latest 2026-02-05T0400Z-b001a823\n"},
  };
  for (const auto& c : cases) {
    swarm_["status"]["release"] = {{"promoted", c.promoted}, {"latest", c.latest}};
    out_.str("");
    ASSERT_EQ(Run(), 0) << err_.str();
    EXPECT_NE(out_.str().find(queue_row + c.line + "\nDRONES\n"), std::string::npos) << out_.str();
  }
}

TEST_F(StatusTest, NoReleaseLineFromAControllerWithoutReleases) {
  swarm_["status"].erase("release");
  ASSERT_EQ(Run(), 0) << err_.str();
  EXPECT_EQ(out_.str().find("RELEASE"), std::string::npos) << out_.str();
}

TEST_F(StatusTest, AReleaseAwaitingPromotionNeedsAPerson) {
  UnblockQueue();
  swarm_["status"]["release"] = {{"promoted", "2026-02-04T0300Z-9fc7a49a"},
                                 {"latest", "2026-02-05T0400Z-b001a823"}};
  swarm_["status"]["conditions"].push_back(
      {{"type", "Released"},
       {"status", "False"},
       {"reason", "AwaitingPromotion"},
       {"message", "release 2026-02-05T0400Z-b001a823 awaits promotion"},
       {"lastTransitionTime", "2026-02-05T10:00:00Z"}});
  ASSERT_EQ(Run(), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_NE(text.find("\nReleased        False    AwaitingPromotion   release "
                      "2026-02-05T0400Z-b001a823 awaits promotion\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("NEXT ACTION\n  - release 2026-02-05T0400Z-b001a823 awaits promotion "
                      "(spec.binhost.promotion is Manual): check it (`swarmctl describe release "
                      "2026-02-05T0400Z-b001a823`) and run `swarmctl promote "
                      "2026-02-05T0400Z-b001a823`\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace swarm::ctl
