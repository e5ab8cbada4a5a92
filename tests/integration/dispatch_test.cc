// Build dispatch and self-healing with real processes: a controller, agents
// on the fake portage, the fake emerge building (and failing) as told. Each
// test is one incident from the seeds, handled with nobody awake.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "tests/integration/dispatch_fixture.h"

namespace swarm::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

TEST_F(DispatchTest, ThirtyPackagesAreBuiltByThreeDronesInDependencyOrder) {
  std::map<std::string, std::string> slow = {{"FAKE_EMERGE_BUILD_SECONDS", "0.2"}};
  // An operator watches the queue from before it exists: once the
  // controller has answered the watch's first request, every change after
  // it reaches the watch.
  std::unique_ptr<Process> watch;
  before_apply_ = [&] {
    watch = StartSwarmctl({"get", "packages", "--watch"}, h_.dir().File("watch.out"));
    ASSERT_TRUE(WaitFor([&] {
      return MetricValue(
                 h_.GetText("/metrics", h_.viewer_token()),
                 R"(buildswarm_http_requests_total{route="/api/v1/packages",code="200"})") >= 1;
    }));
  };
  Start({{"drone-izar", "2", "32Gi", slow},
         {"drone-tarn", "2", "32Gi", slow},
         {"drone-vega", "2", "32Gi", slow}},
        dag_);
  // As an operator waits for it, piped: the one line, no progress line.
  auto waited = h_.Swarmctl({"wait", "--for=condition=QueueComplete", "--timeout=90s"});
  ASSERT_EQ(waited.exit_code, 0) << waited.err << Diagnose();
  EXPECT_EQ(waited.out, "swarm/home condition met\n");
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  ExpectWatchedToComplete(h_.dir().File("watch.out"), 30);

  // Every package started only after each of its dependencies had finished.
  std::vector<std::string> lines;
  std::istringstream log(ReadFile(h_.dir().File("builds.log")));
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  auto position = [&](const std::string& what) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] == what) return static_cast<int>(i);
    }
    return -1;
  };
  std::set<std::string> builders;
  for (const auto& [name, p] : PackagesByName()) {
    const int started = position("start " + name);
    ASSERT_GE(started, 0) << name << " never started";
    for (const auto& dep : p["spec"]["dependencies"]) {
      const int done = position("done " + dep.get<std::string>());
      ASSERT_GE(done, 0) << dep;
      EXPECT_LT(done, started) << name << " started before its dependency " << dep << " was done";
    }
    builders.insert(p["status"]["drone"].get<std::string>());
    EXPECT_EQ(CountEvents("kind=Package&name=" + name, "BuildSucceeded"), 1) << name;
  }
  EXPECT_EQ(builders.size(), 3u) << "the work spreads over the three drones";
  EXPECT_EQ(lines.size(), 60u) << "30 builds, none twice";
  ExpectPublished();
  ExpectIndexed(30);
  auto status = h_.Swarmctl({"status"});
  EXPECT_NE(status.out.find("30"), std::string::npos) << status.out;
  // Nothing left: no time to go, and every core of the three idle.
  EXPECT_NE(status.out.find("\nETA: 0s\nIDLE: 6 of 6 cores idle (100%)\n"), std::string::npos)
      << status.out;

  // Prometheus' view of the same run, with a viewer token: it says what
  // happened, and promtool takes it.
  int64_t bytes = 0;
  for (const auto& p : Packages()) bytes += p["status"]["binpkg"]["size"].get<int64_t>();
  ASSERT_TRUE(WaitFor([&] {
    return MetricValue(h_.GetText("/metrics", h_.viewer_token()),
                       "buildswarm_packages{phase=\"Complete\"}") == 30;
  })) << "the swarm pass counts the queue";
  const std::string metrics = h_.GetText("/metrics", h_.viewer_token());
  EXPECT_EQ(MetricValue(metrics, "buildswarm_builds_started_total"), 30) << metrics;
  EXPECT_EQ(MetricValue(metrics, "buildswarm_builds_succeeded_total"), 30);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_builds_failed_total{class=\"Package\"}"), 0);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_build_duration_seconds_count"), 30);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_binhost_published_bytes_total"), bytes);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_packages{phase=\"Needed\"}"), 0);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_queue_discovery_duration_seconds_count"), 1);
  EXPECT_EQ(MetricValue(metrics,
                        "buildswarm_drones{ready=\"True\",health=\"HEALTHY\","
                        "grounded=\"false\",cordoned=\"false\"}"),
            4)
      << "three builders and the desktop";
  // A gap is measured from a drone's latest build end to its next start: at
  // most one per start after each drone's first, and some (a drone waits
  // for dependencies built elsewhere).
  const double gaps = MetricValue(metrics, "buildswarm_drone_idle_gap_seconds_count");
  EXPECT_GT(gaps, 0);
  EXPECT_LE(gaps, 30 - 3);
  EXPECT_GT(MetricValue(metrics,
                        "buildswarm_http_request_duration_seconds_count{route=\"/api/"
                        "v1/drones/*/heartbeat\"}"),
            0);
  EXPECT_GT(MetricValue(metrics,
                        "buildswarm_http_requests_total{route=\"/api/v1/drones/*/"
                        "builds/*\",code=\"200\"}"),
            29);
  EXPECT_EQ(PromtoolCheck(metrics), "") << "promtool check metrics";
  // An agent's token reads no metrics.
  EXPECT_EQ(h_.GetText("/metrics", h_.AgentToken("drone-izar")), "");
}

TEST_F(DispatchTest, ABuildsSlotGoesToTheNextBuildBeforeItsPackageIsUploaded) {
  // One slot; every package a few MiB, uploaded while the next build runs.
  Start({{"drone-izar", "1", "32Gi",
          {{"FAKE_EMERGE_BUILD_SECONDS", "0.1"}, {"FAKE_EMERGE_BINPKG_BYTES", "4194304"}}}},
        dag_);
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  json events = h_.GetJson("/api/v1/events?kind=Package&limit=1000");
  std::vector<int64_t> assigned, succeeded;
  for (const auto& e : events["items"]) {
    if (e["reason"] == "BuildAssigned") assigned.push_back(e["id"].get<int64_t>());
    if (e["reason"] == "BuildSucceeded") succeeded.push_back(e["id"].get<int64_t>());
  }
  std::sort(assigned.begin(), assigned.end());
  std::sort(succeeded.begin(), succeeded.end());
  ASSERT_EQ(assigned.size(), 30u);
  ASSERT_EQ(succeeded.size(), 30u);
  // 15 packages are ready from the start: for the first builds the next one
  // is assigned when the heartbeat says the build ended, before its package
  // and result are in.
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_LT(assigned[i + 1], succeeded[i]) << "build " << i + 2 << " waited for build " << i + 1
                                             << "'s upload";
  }
  ExpectPublished();
}

TEST_F(DispatchTest, ADroneKilledMidBuildHasItsWorkFinishedElsewhere) {
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "1.5"}}},
         {"drone-tarn", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "0.1"}}}},
        dag_);
  std::vector<std::string> held = WaitBuildingOn("drone-izar");
  ASSERT_FALSE(held.empty()) << Diagnose();
  h_.agent("drone-izar")->Signal(SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return h_.DroneCondition("drone-izar", "Ready") ==
                                   "Unknown/HeartbeatMissed"; },
                      seconds(10)))
      << Diagnose();
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  for (const auto& name : held) {
    json p = PackagesByName()[name];
    EXPECT_EQ(p["status"]["drone"], "drone-tarn") << name;
    EXPECT_GE(p["status"]["attempts"].get<int>(), 2) << name;
  }
  EXPECT_EQ(h_.DroneCondition("drone-izar", "Grounded"), "") << "unreachable is not grounded";
}

TEST_F(DispatchTest, APackageThatOomsOnTheSmallDroneGoesToTheBigOneAndNeverBack) {
  const std::string tree =
      CommitOnDag({{"metadata/fake-emerge/needs-memory/app-misc/app1-1.0", "34359738368\n"}});
  const Member big{"drone-big", "1", "64Gi", {{"FAKE_EMERGE_MEMORY_BYTES", "68719476736"}}, true};
  // Only the small drone at first, so the package meets it first; one core,
  // so it builds alone there and the OOM is the package's alone.
  Start({{"drone-small", "1", "16Gi", {{"FAKE_EMERGE_MEMORY_BYTES", "17179869184"}}}, big}, tree);
  ASSERT_TRUE(WaitFor([&] {
    json p = PackagesByName()["app-misc/app1-1.0"];
    return p["status"]["lastFailure"].is_object();
  }, seconds(60)))
      << Diagnose();
  EXPECT_TRUE(WaitFor([&] { return CountPhase("Complete") == 29; })) << Diagnose();
  EXPECT_EQ(PackagesByName()["app-misc/app1-1.0"]["status"]["phase"], "Needed")
      << "the big drone can take it once it joins: not Blocked";
  ASSERT_TRUE(StartMember(big));
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  json p = PackagesByName()["app-misc/app1-1.0"];
  EXPECT_EQ(p["status"]["drone"], "drone-big");
  EXPECT_EQ(p["status"]["needsMemoryOver"], int64_t(16) << 30)
      << "only after an OOM on the small drone";
  EXPECT_EQ(p["status"]["excludedDrones"], json::array({"drone-small"}));
  EXPECT_EQ(p["status"]["lastFailure"]["class"], "DroneResources");
  // It OOMed once on the small drone and was never sent back there.
  std::string log = ReadFile(h_.dir().File("builds.log"));
  size_t starts = 0;
  for (size_t at = log.find("start app-misc/app1-1.0"); at != std::string::npos;
       at = log.find("start app-misc/app1-1.0", at + 1)) {
    ++starts;
  }
  EXPECT_EQ(starts, 2u) << log;
  EXPECT_EQ(h_.DroneCondition("drone-small", "Grounded"), "") << "one OOM does not ground";
}

TEST_F(DispatchTest, ADroneFailingEveryBuildWithADiskFullIsGroundedAndTheOthersFinish) {
  const std::string no_space = ReadFile(SourcePath("hack/fake-portage/samples/no-space.txt"));
  ASSERT_FALSE(no_space.empty());
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_FAIL_ALL", no_space}}},
         {"drone-tarn", "1", "32Gi", {}},
         {"drone-vega", "1", "32Gi", {}}},
        dag_, "    groundAfterFailures: 2\n");
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  EXPECT_EQ(h_.DroneCondition("drone-izar", "Grounded"), "True/RepeatedFailures") << Diagnose();
  for (const std::string d : {"drone-tarn", "drone-vega"}) {
    EXPECT_NE(h_.DroneCondition(d, "Grounded"), "True/RepeatedFailures") << d;
  }
  EXPECT_EQ(h_.SwarmCondition("SystemicFault").rfind("False/", 0), 0u)
      << "one drone's disk is its own fault";
  for (const auto& [name, p] : PackagesByName()) {
    EXPECT_NE(p["status"]["drone"], "drone-izar") << name;
  }
  // As Prometheus sees it: one grounding, its failures counted by class.
  const std::string metrics = h_.GetText("/metrics", h_.viewer_token());
  EXPECT_EQ(MetricValue(metrics, "buildswarm_drone_groundings_total"), 1) << metrics;
  EXPECT_GE(MetricValue(metrics, "buildswarm_builds_failed_total{class=\"DroneResources\"}"), 2);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_systemic_faults_total"), 0);
  EXPECT_EQ(MetricValue(metrics, "buildswarm_builds_succeeded_total"), 30);
}

TEST_F(DispatchTest, EveryDroneFailingWithASlotConflictGroundsNobodyAndRaisesSystemicFault) {
  const std::string conflict = ReadFile(SourcePath("hack/fake-portage/samples/slot-conflict.txt"));
  ASSERT_FALSE(conflict.empty());
  std::map<std::string, std::string> fail = {{"FAKE_EMERGE_FAIL_ALL", conflict}};
  Start({{"drone-izar", "1", "32Gi", fail},
         {"drone-tarn", "1", "32Gi", fail},
         {"drone-vega", "1", "32Gi", fail}},
        dag_, "    groundAfterFailures: 2\n");
  ASSERT_TRUE(WaitFor([&] { return h_.SwarmCondition("SystemicFault").rfind("True/", 0) == 0; },
                      seconds(60)))
      << Diagnose();
  json swarm = h_.GetJson("/api/v1/swarm");
  std::string evidence;
  for (const auto& c : swarm["status"]["conditions"]) {
    if (c["type"] == "SystemicFault") evidence = c["message"];
  }
  EXPECT_NE(evidence.find("slot conflict"), std::string::npos) << evidence;
  // The remediation (re-sync, rediscovery) runs; the fault comes back and
  // persists: a person has to fix the tree. Nobody stays grounded for it: a
  // drone whose Systemic failures counted against it while no other drone
  // had reported one is forgiven once a second drone does.
  ASSERT_TRUE(WaitFor([&] { return h_.SwarmCondition("SystemicFault") == "True/Persistent"; },
                      seconds(60)))
      << Diagnose();
  for (const std::string d : {"drone-izar", "drone-tarn", "drone-vega"}) {
    EXPECT_NE(h_.DroneCondition(d, "Grounded"), "True/RepeatedFailures") << d;
  }
  auto status = h_.Swarmctl({"status"});
  EXPECT_NE(status.out.find("slot conflict"), std::string::npos) << status.out;
  // Raised, remediated, raised again: two faults. (A drone may have been
  // grounded for a while before a second drone's report forgave it.)
  const std::string metrics = h_.GetText("/metrics", h_.viewer_token());
  EXPECT_GE(MetricValue(metrics, "buildswarm_systemic_faults_total"), 2) << metrics;
  EXPECT_GE(MetricValue(metrics, "buildswarm_builds_failed_total{class=\"Systemic\"}"), 2);
}

TEST_F(DispatchTest, ASigtermedAgentReturnsItsWorkAndExits) {
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "5"}}},
         {"drone-tarn", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "0.1"}}}},
        dag_);
  std::vector<std::string> held = WaitStartedOn("drone-izar");
  ASSERT_FALSE(held.empty()) << Diagnose();
  h_.agent("drone-izar")->Signal(SIGTERM);
  EXPECT_EQ(h_.agent("drone-izar")->Wait(), 0);
  EXPECT_NE(h_.agent("drone-izar")->Log().find("agent shutting down"), std::string::npos);
  // Returned at once, not after the grace: each is Needed or built elsewhere
  // while izar still counts as Ready.
  for (const auto& name : held) {
    json p = PackagesByName()[name];
    EXPECT_EQ(p["status"]["excludedDrones"], json::array({"drone-izar"})) << name;
    EXPECT_EQ(CountEvents("kind=Package&name=" + name, "BuildReturned"), 1) << name;
  }
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
}

TEST_F(DispatchTest, DrainTakesADronesBuildsAwayAndUncordonGivesItWorkAgain) {
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "3"}}},
         {"drone-tarn", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "0.1"}}}},
        dag_);
  std::vector<std::string> held = WaitStartedOn("drone-izar");
  ASSERT_FALSE(held.empty()) << Diagnose();
  auto drained = h_.Swarmctl({"drain", "drone-izar"});
  ASSERT_EQ(drained.exit_code, 0) << drained.err;
  EXPECT_NE(drained.out.find("drone/drone-izar drained"), std::string::npos) << drained.out;
  EXPECT_TRUE(BuildingOn("drone-izar").empty());
  auto drones = h_.Swarmctl({"get", "drones"});
  EXPECT_NE(drones.out.find("SchedulingDisabled"), std::string::npos) << drones.out;
  // Its emerge is stopped: the agent reports nothing for it, and it never completes there.
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  for (const auto& name : held) EXPECT_EQ(PackagesByName()[name]["status"]["drone"], "drone-tarn");
  EXPECT_NE(h_.agent("drone-izar")->Log().find("taken back by the controller: stopping it"),
            std::string::npos)
      << h_.agent("drone-izar")->Log();
  ASSERT_EQ(h_.Swarmctl({"uncordon", "drone-izar"}).exit_code, 0);
  EXPECT_EQ(PackagesByName()[held[0]]["status"]["phase"], "Complete");
}

TEST_F(DispatchTest, AZeroBytePackageIsRefusedAndBuiltAgain) {
  const std::string tree =
      CommitOnDag({{"metadata/fake-emerge/zero-byte-once/sys-apps/solo1-1.0", ""}});
  Start({{"drone-izar", "1", "32Gi", {}}}, tree);
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  EXPECT_EQ(CountEvents("kind=Package&name=sys-apps/solo1-1.0", "BinpkgRejected"), 1) << Diagnose();
  json p = PackagesByName()["sys-apps/solo1-1.0"];
  EXPECT_EQ(p["status"]["attempts"], 2);
  EXPECT_GT(p["status"]["binpkg"]["size"].get<int64_t>(), 0);
  ExpectPublished();
  const std::string metrics = h_.GetText("/metrics", h_.viewer_token());
  EXPECT_EQ(MetricValue(metrics, "buildswarm_binhost_verification_failures_total"), 1) << metrics;
  EXPECT_EQ(MetricValue(metrics, "buildswarm_builds_started_total"), 31) << "solo1 twice";
}

TEST_F(DispatchTest, ADroneStoppedPastTheGraceHasItsLateCompletionRefused) {
  Start({{"drone-izar", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "3"}}},
         {"drone-tarn", "1", "32Gi", {{"FAKE_EMERGE_BUILD_SECONDS", "0.1"}}}},
        dag_);
  // Frozen, not dead: its emerge keeps building; its agent says nothing.
  // What it holds is read once it is frozen (a build it reported just
  // before is not one of them); if it holds nothing then, try again.
  std::vector<std::string> held;
  for (int attempt = 0; attempt < 5 && held.empty(); ++attempt) {
    ASSERT_FALSE(WaitStartedOn("drone-izar").empty()) << Diagnose();
    h_.agent("drone-izar")->Signal(SIGSTOP);
    held = BuildingOn("drone-izar");
    if (held.empty()) h_.agent("drone-izar")->Signal(SIGCONT);
  }
  ASSERT_FALSE(held.empty()) << Diagnose();
  ASSERT_TRUE(WaitFor([&] { return h_.DroneCondition("drone-izar", "Ready") ==
                                   "Unknown/HeartbeatMissed"; },
                      seconds(10)))
      << Diagnose();
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& name : held) {
      if (PackagesByName()[name]["status"]["phase"] != "Complete") return false;
    }
    return true;
  }, seconds(60)))
      << Diagnose();
  h_.agent("drone-izar")->Signal(SIGCONT);
  // Its builds end and it reports them under the old leases: refused.
  // Either the controller refuses the report (409, "not current"), or the
  // agent's next heartbeat reply already told it the lease was gone and it
  // drops the report unsent: never counted either way.
  ASSERT_TRUE(WaitFor([&] {
    const std::string log = h_.agent("drone-izar")->Log();
    return log.find("not current") != std::string::npos ||
           log.find("taken back by the controller") != std::string::npos;
  }, seconds(30)))
      << h_.agent("drone-izar")->Log();
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  for (const auto& name : held) {
    json p = PackagesByName()[name];
    EXPECT_EQ(p["status"]["drone"], "drone-tarn") << name;
    EXPECT_EQ(CountEvents("kind=Package&name=" + name, "BuildSucceeded"), 1) << name;
  }
}

TEST_F(DispatchTest, AControllerKilledMidRunLeavesEveryPackageCompleteExactlyOnce) {
  std::map<std::string, std::string> slow = {{"FAKE_EMERGE_BUILD_SECONDS", "0.3"}};
  Start({{"drone-izar", "2", "32Gi", slow}, {"drone-tarn", "2", "32Gi", slow}}, dag_);
  ASSERT_TRUE(WaitFor([&] { return CountPhase("Complete") >= 5; }, seconds(60))) << Diagnose();
  const int port = h_.port();
  h_.KillController(SIGKILL);
  ASSERT_TRUE(h_.StartController(port)) << h_.dir().File("controller.log");
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  std::string log = ReadFile(h_.dir().File("builds.log"));
  for (const auto& [name, p] : PackagesByName()) {
    EXPECT_EQ(CountEvents("kind=Package&name=" + name, "BuildSucceeded"), 1) << name;
  }
  ExpectPublished();
}

// The seeds' stale-queue day: the spec moves to a tree where every queued
// version is gone while builds run and more are assigned. The old queue's
// builds are withdrawn before any drone syncs, the queue is discovered again
// on the new tree, and everything completes: no build fails, nobody is
// grounded, no SystemicFault.
TEST_F(DispatchTest, ATreeBumpMidRunWithdrawsTheOldQueueAndBuildsTheNewOne) {
  std::map<std::string, std::string> slow = {{"FAKE_EMERGE_BUILD_SECONDS", "1"}};
  Start({{"drone-izar", "2", "32Gi", slow}, {"drone-tarn", "2", "32Gi", slow}}, dag_);
  ASSERT_FALSE(WaitStartedOn("drone-izar").empty()) << Diagnose();
  const std::string bumped = BumpEveryVersionOnDag();
  ASSERT_EQ(bumped.size(), 40u);
  std::string yaml = ReadFile(h_.dir().File("swarm.yaml"));
  yaml.replace(yaml.find(dag_), dag_.size(), bumped);
  auto r = h_.Swarmctl({"apply", "-f", h_.dir().Write("swarm-bumped.yaml", yaml)});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  ASSERT_TRUE(WaitFor(
      [&] {
        int done = 0;
        for (const auto& p : Packages()) {
          const std::string name = p["metadata"]["name"];
          done += p["status"]["phase"] == "Complete" && name.size() > 4 &&
                  name.compare(name.size() - 4, 4, "-1.1") == 0;
        }
        return done == 30;
      },
      seconds(120)))
      << Diagnose();
  EXPECT_GE(CountEvents("kind=Package", "BuildWithdrawn"), 1) << Diagnose();
  EXPECT_EQ(CountEvents("kind=Package", "BuildFailed"), 0) << Diagnose();
  EXPECT_EQ(CountEvents("kind=Swarm", "SystemicFault"), 0) << Diagnose();
  EXPECT_EQ(CountEvents("kind=Drone", "DroneGrounded"), 0) << Diagnose();
  // No 1.0 build started on a tree without it: emerge never said so.
  const std::string builds = ReadFile(h_.dir().File("builds.log"));
  EXPECT_EQ(builds.find("no ebuilds"), std::string::npos);
  for (const std::string d : {"drone-izar", "drone-tarn"}) {
    EXPECT_EQ(h_.agent(d)->Log().find("there are no ebuilds to satisfy"), std::string::npos) << d;
  }
}

}  // namespace
}  // namespace swarm::testing
