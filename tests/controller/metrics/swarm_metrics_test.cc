#include "controller/metrics/swarm_metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "api/conditions.h"
#include "api/events.h"
#include "api/protocol.h"

namespace swarm::controller::metrics {
namespace {

class SwarmMetricsTest : public ::testing::Test {
 protected:
  api::Package Building(const std::string& drone, const std::string& assignment) {
    api::Package p;
    p.name = "dev-libs/a-1";
    p.phase = api::kPhaseBuilding;
    p.drone = drone;
    p.assignment = assignment;
    return p;
  }
  double Count(const std::string& sample) {
    const std::string text = registry_.Write();
    const size_t at = text.find("\n" + sample + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + sample.size() + 2));
  }
  api::Event Event(const char* reason, const std::string& package = "") {
    api::Event e;
    e.reason = reason;
    e.object_kind = "Package";
    e.object_name = package;
    return e;
  }

  FakeClock clock_;
  Registry registry_;
  SwarmMetrics m_{&registry_, &clock_};
};

TEST_F(SwarmMetricsTest, CountsBuildsAsTheyStartAndEnd) {
  api::Package needed;
  needed.name = "dev-libs/a-1";
  m_.PackageChanged(needed, Building("d1", "x-b1"));
  EXPECT_EQ(Count("buildswarm_builds_started_total"), 1);

  // It fails with class Package: counted by class; then a retry elsewhere.
  api::Package failed = needed;
  failed.last_failure = api::PackageFailure{api::kFailurePackage, "boom", "d1"};
  m_.PackageChanged(Building("d1", "x-b1"), failed);
  m_.EventRecorded(Event(api::events::kBuildFailed, "dev-libs/a-1"));
  EXPECT_EQ(Count("buildswarm_builds_failed_total{class=\"Package\"}"), 1);
  EXPECT_EQ(Count("buildswarm_builds_failed_total{class=\"Systemic\"}"), 0);

  api::Package retry = Building("d2", "x-b2");
  retry.last_failure = failed.last_failure;
  m_.PackageChanged(failed, retry);
  EXPECT_EQ(Count("buildswarm_builds_started_total"), 2);

  // The same failure again (same drone, same words) is a second failure.
  m_.PackageChanged(retry, failed);
  m_.EventRecorded(Event(api::events::kBuildFailed, "dev-libs/a-1"));
  EXPECT_EQ(Count("buildswarm_builds_failed_total{class=\"Package\"}"), 2);

  api::Package complete = needed;
  complete.phase = api::kPhaseComplete;
  complete.build_ms = 90'000;
  complete.binpkg = api::BinaryPackageRef{"dev-libs/a/a-1-1.gpkg.tar", 4096, "00"};
  m_.PackageChanged(Building("d2", "x-b3"), complete);
  m_.EventRecorded(Event(api::events::kBuildSucceeded, "dev-libs/a-1"));
  EXPECT_EQ(Count("buildswarm_builds_succeeded_total"), 1);
  EXPECT_EQ(Count("buildswarm_binhost_published_bytes_total"), 4096);
  EXPECT_EQ(Count("buildswarm_build_duration_seconds_bucket{le=\"60\"}"), 0);
  EXPECT_EQ(Count("buildswarm_build_duration_seconds_bucket{le=\"120\"}"), 1);
  EXPECT_EQ(Count("buildswarm_build_duration_seconds_sum"), 90);
}

TEST_F(SwarmMetricsTest, TheIdleGapRunsFromADronesBuildEndToItsNextStart) {
  api::Package needed;
  needed.name = "dev-libs/a-1";
  m_.PackageChanged(needed, Building("d1", "x-b1"));
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_count"), 0) << "no end before it";
  api::Package done = needed;
  done.phase = api::kPhaseComplete;
  m_.PackageChanged(Building("d1", "x-b1"), done);
  clock_.Advance(std::chrono::milliseconds(1500));
  m_.PackageChanged(needed, Building("d2", "x-b2"));
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_count"), 0) << "another drone's start";
  m_.PackageChanged(needed, Building("d1", "x-b3"));
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_count"), 1);
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_sum"), 1.5);
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_bucket{le=\"1\"}"), 0);
  EXPECT_EQ(Count("buildswarm_drone_idle_gap_seconds_bucket{le=\"2.5\"}"), 1);
}

TEST_F(SwarmMetricsTest, EventsCountWhatTheySayHappened) {
  for (const char* r :
       {api::events::kBuildReturned, api::events::kBuildLost, api::events::kBuildReclaimed,
        api::events::kBuildReclaimed, api::events::kBuildWithdrawn, api::events::kBinpkgRejected,
        api::events::kBinpkgCorrupt, api::events::kSystemicFault, api::events::kDroneGrounded,
        api::events::kDroneReady}) {
    m_.EventRecorded(Event(r));
  }
  EXPECT_EQ(Count("buildswarm_builds_returned_total"), 1);
  EXPECT_EQ(Count("buildswarm_builds_lost_total{reason=\"lost\"}"), 1);
  EXPECT_EQ(Count("buildswarm_builds_lost_total{reason=\"reclaimed\"}"), 2);
  EXPECT_EQ(Count("buildswarm_builds_lost_total{reason=\"withdrawn\"}"), 1);
  EXPECT_EQ(Count("buildswarm_binhost_verification_failures_total"), 2);
  EXPECT_EQ(Count("buildswarm_systemic_faults_total"), 1);
  EXPECT_EQ(Count("buildswarm_drone_groundings_total"), 1);
}

TEST_F(SwarmMetricsTest, ADiscoveryIsTimedFromItsIssueToItsQueue) {
  m_.EventRecorded(Event(api::events::kQueueDiscovered));
  EXPECT_EQ(Count("buildswarm_queue_discovery_duration_seconds_count"), 0) << "none issued";
  m_.EventRecorded(Event(api::events::kDiscoveryIssued));
  clock_.Advance(std::chrono::seconds(42));
  m_.EventRecorded(Event(api::events::kQueueDiscovered));
  EXPECT_EQ(Count("buildswarm_queue_discovery_duration_seconds_count"), 1);
  EXPECT_EQ(Count("buildswarm_queue_discovery_duration_seconds_sum"), 42);
}

TEST_F(SwarmMetricsTest, GaugesShowTheLastSwarmPassCounts) {
  api::QueueSummary q;
  q.needed = 3;
  q.complete = 7;
  m_.SetCounts({{DroneKey{"True", "HEALTHY", false, false}, 2},
                {DroneKey{"False", "HEALTHY", true, true}, 1}},
               q);
  EXPECT_EQ(Count("buildswarm_packages{phase=\"Needed\"}"), 3);
  EXPECT_EQ(Count("buildswarm_packages{phase=\"Complete\"}"), 7);
  EXPECT_EQ(Count("buildswarm_packages{phase=\"Blocked\"}"), 0);
  EXPECT_EQ(Count("buildswarm_drones{ready=\"True\",health=\"HEALTHY\",grounded=\"false\",cordoned="
                  "\"false\"}"),
            2);
  EXPECT_EQ(Count("buildswarm_drones{ready=\"False\",health=\"HEALTHY\",grounded=\"true\",cordoned="
                  "\"true\"}"),
            1);
  m_.SetCounts({}, q);
  EXPECT_EQ(Count("buildswarm_drones{ready=\"True\",health=\"HEALTHY\",grounded=\"false\",cordoned="
                  "\"false\"}"),
            -1)
      << "a combination no drone has any more is gone";
}

TEST_F(SwarmMetricsTest, RequestsAreCountedByRouteAndCode) {
  m_.ObserveRequest("/api/v1/drones/*/heartbeat", 200, 0.002);
  m_.ObserveRequest("/api/v1/drones/*/heartbeat", 200, 0.004);
  m_.ObserveRequest("other", 404, std::nullopt);
  EXPECT_EQ(
      Count("buildswarm_http_requests_total{route=\"/api/v1/drones/*/heartbeat\",code=\"200\"}"),
      2);
  EXPECT_EQ(Count("buildswarm_http_requests_total{route=\"other\",code=\"404\"}"), 1);
  EXPECT_EQ(
      Count("buildswarm_http_request_duration_seconds_count{route=\"/api/v1/drones/*/heartbeat\"}"),
      2);
  EXPECT_EQ(Count("buildswarm_http_request_duration_seconds_count{route=\"other\"}"), -1);
}

}  // namespace
}  // namespace swarm::controller::metrics
