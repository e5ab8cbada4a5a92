#include <gtest/gtest.h>

#include <functional>

#include "node-agent/health.h"

namespace swarm::agent {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr SteadyTime kT0{std::chrono::hours(1)};
constexpr char kQtWebEngine[] = "dev-qt/qtwebengine-6.8.1";

api::Resources MachineUsage(double memory, double disk = 40) {
  api::Resources r;
  r.memory_used_percent = memory;
  r.disk_used_percent = disk;
  return r;
}

const api::HealthPolicy kPolicy = DefaultHealthPolicy();  // 85%, 90%, every 15s

BuildOutcome Succeeded(Duration took = minutes(10), Duration expected = minutes(10)) {
  BuildOutcome b;
  b.atom = "app-misc/jq-1.7.1";
  b.took = took;
  b.expected = expected;
  b.succeeded = true;
  return b;
}

BuildOutcome Failed(const std::string& failure_class,
                    const std::string& atom = "sys-devel/gcc-14") {
  BuildOutcome b;
  b.atom = atom;
  b.took = minutes(3);
  b.expected = minutes(40);
  b.failure_class = failure_class;
  b.failure_reason = "No space left on device";
  return b;
}

BuildOutcome OomKilled() {
  BuildOutcome b = Failed("DroneResources", kQtWebEngine);
  b.oom_killed = true;
  return b;
}

void ExpectSame(const HealthVerdict& a, const HealthVerdict& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.since, b.since);
  EXPECT_EQ(a.want_self_check, b.want_self_check);
}

// CRITICAL since kT0 after an OOM kill, on an idle drone.
HealthMonitor CriticalMonitor() {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0 - seconds(5));
  m.RecordBuild(OomKilled(), kT0);
  return m;
}

// RECOVERING since kT0 + 15s, asking for its self-check.
HealthMonitor RecoveringMonitor() {
  HealthMonitor m = CriticalMonitor();
  m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(15));
  return m;
}

TEST(HealthMachineTest, VerdictSaysWhatTheAgentMayDo) {
  struct Case {
    HealthState state;
    bool accepts, returns;
  } cases[] = {
      {HealthState::kHealthy, true, false},
      {HealthState::kDegraded, false, false},
      {HealthState::kCritical, false, true},
      {HealthState::kRecovering, false, false},
  };
  for (const auto& c : cases) {
    HealthVerdict v;
    v.state = c.state;
    EXPECT_EQ(v.accepts_work(), c.accepts) << HealthStateName(c.state);
    EXPECT_EQ(v.must_return_work(), c.returns) << HealthStateName(c.state);
  }
}

TEST(HealthMachineTest, ContinuedDegradationIsCritical) {
  HealthMonitor m;
  HealthVerdict v = m.Observe(MachineUsage(96), kPolicy, kT0);
  EXPECT_EQ(v.state, HealthState::kDegraded);
  EXPECT_EQ(v.reason, "memory 96% >= 85%");
  v = m.Observe(MachineUsage(97), kPolicy, kT0 + seconds(10));
  EXPECT_EQ(v.state, HealthState::kDegraded);

  v = m.Observe(MachineUsage(97), kPolicy, kT0 + seconds(15));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason, "memory 97% >= 95% for 15s");
  EXPECT_EQ(v.since, kT0 + seconds(15));
  EXPECT_TRUE(v.must_return_work());
  EXPECT_FALSE(v.accepts_work());
}

TEST(HealthMachineTest, DegradedBelowTheCriticalLevelStaysDegraded) {
  HealthMonitor m;
  for (int i = 0; i <= 60; ++i) {
    HealthVerdict v = m.Observe(MachineUsage(94.9, 93), kPolicy, kT0 + minutes(i));
    ASSERT_EQ(v.state, HealthState::kDegraded) << i;
    EXPECT_EQ(v.since, kT0);
  }
}

TEST(HealthMachineTest, ADipBelowTheCriticalLevelRestartsTheRun) {
  HealthMonitor m;
  m.Observe(MachineUsage(40, 96), kPolicy, kT0);
  m.Observe(MachineUsage(40, 92), kPolicy, kT0 + seconds(10));
  EXPECT_EQ(m.Observe(MachineUsage(40, 96), kPolicy, kT0 + seconds(20)).state,
            HealthState::kDegraded);
  HealthVerdict v = m.Observe(MachineUsage(40, 96), kPolicy, kT0 + seconds(35));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason, "disk 96% >= 95% for 15s");
}

TEST(HealthMachineTest, CriticalLevelIsNeverBelowTheDegradedThreshold) {
  api::HealthPolicy policy = kPolicy;
  policy.memory_degraded_percent = 97;
  HealthMonitor m;
  EXPECT_EQ(m.Observe(MachineUsage(96), policy, kT0).state, HealthState::kHealthy);
  EXPECT_EQ(m.Observe(MachineUsage(96), policy, kT0 + minutes(5)).state, HealthState::kHealthy);
  EXPECT_EQ(m.Observe(MachineUsage(97), policy, kT0 + minutes(6)).state, HealthState::kDegraded);
  HealthVerdict v = m.Observe(MachineUsage(98), policy, kT0 + minutes(7));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason, "memory 98% >= 97% for 1m");
}

TEST(HealthMachineTest, OomKillIsCriticalAtOnce) {
  for (HealthState from : {HealthState::kHealthy, HealthState::kDegraded}) {
    HealthMonitor m;
    m.Observe(MachineUsage(from == HealthState::kHealthy ? 40 : 90), kPolicy, kT0);
    ASSERT_EQ(m.current().state, from);
    HealthVerdict v = m.RecordBuild(OomKilled(), kT0 + seconds(3));
    EXPECT_EQ(v.state, HealthState::kCritical);
    EXPECT_EQ(v.reason, "OOM kill while building dev-qt/qtwebengine-6.8.1");
    EXPECT_EQ(v.since, kT0 + seconds(3));
    EXPECT_TRUE(v.must_return_work());
  }
}

TEST(HealthMachineTest, ThreeDroneFailuresInARowAreCritical) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0);
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(1)).state, HealthState::kHealthy);
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(2)).state, HealthState::kHealthy);
  HealthVerdict v = m.RecordBuild(Failed("DroneResources", "sys-devel/llvm-19"), kT0 + minutes(3));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason,
            "3 DroneResources failures in a row, the last building sys-devel/llvm-19: No space "
            "left on device");
  EXPECT_EQ(v.since, kT0 + minutes(3));
}

TEST(HealthMachineTest, FailuresThatAreNotTheDronesNeitherCountNorBreakTheRun) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0);
  for (int i = 0; i < 10; ++i) {
    for (const char* c : {"Package", "Systemic", "Fetch"}) {
      ASSERT_EQ(m.RecordBuild(Failed(c), kT0 + minutes(i)).state, HealthState::kHealthy) << c;
    }
  }
  m.RecordBuild(Failed("DroneResources"), kT0 + minutes(20));
  m.RecordBuild(Failed("Package"), kT0 + minutes(21));
  m.RecordBuild(Failed("DroneResources"), kT0 + minutes(22));
  m.RecordBuild(Failed("Systemic"), kT0 + minutes(23));
  EXPECT_EQ(m.current().state, HealthState::kHealthy);
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(24)).state,
            HealthState::kCritical);
}

TEST(HealthMachineTest, ASuccessEndsTheRun) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0);
  m.RecordBuild(Failed("DroneResources"), kT0 + minutes(1));
  m.RecordBuild(Failed("DroneResources"), kT0 + minutes(2));
  m.RecordBuild(Succeeded(), kT0 + minutes(3));
  m.RecordBuild(Failed("DroneResources"), kT0 + minutes(4));
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(5)).state, HealthState::kHealthy);
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(6)).state,
            HealthState::kCritical);
}

TEST(HealthMachineTest, ThreeSlowBuildsDegrade) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0);
  m.RecordBuild(Succeeded(minutes(25), minutes(10)), kT0 + minutes(1));
  // Exactly twice as long is not over twice as long.
  m.RecordBuild(Succeeded(minutes(20), minutes(10)), kT0 + minutes(2));
  m.RecordBuild(Succeeded(minutes(25), minutes(10)), kT0 + minutes(3));
  EXPECT_EQ(m.RecordBuild(Succeeded(minutes(25), minutes(10)), kT0 + minutes(4)).state,
            HealthState::kHealthy);

  // A build with no expected time is not judged and does not break the run.
  m.RecordBuild(Succeeded(minutes(1), Duration::zero()), kT0 + minutes(5));
  HealthVerdict v = m.RecordBuild(Succeeded(minutes(7), minutes(3)), kT0 + minutes(6));
  EXPECT_EQ(v.state, HealthState::kDegraded);
  EXPECT_EQ(v.reason, "last 3 builds took over 2x their expected time");
  EXPECT_EQ(v.since, kT0 + minutes(6));
  EXPECT_FALSE(v.accepts_work());
  EXPECT_FALSE(v.must_return_work());

  v = m.Observe(MachineUsage(88), kPolicy, kT0 + minutes(7));
  EXPECT_EQ(v.reason, "memory 88% >= 85%, last 3 builds took over 2x their expected time");
  EXPECT_EQ(v.since, kT0 + minutes(6));

  // A build at its normal pace ends the run.
  m.Observe(MachineUsage(40), kPolicy, kT0 + minutes(8));
  v = m.RecordBuild(Succeeded(), kT0 + minutes(9));
  EXPECT_EQ(v.state, HealthState::kHealthy);
  EXPECT_EQ(v.reason, "");
  EXPECT_EQ(v.since, kT0 + minutes(9));
}

TEST(HealthMachineTest, SlowBuildsAgeOutAndOneMoreDegradesAgain) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0);
  for (int i = 1; i <= 3; ++i) m.RecordBuild(Succeeded(minutes(30), minutes(10)), kT0 + minutes(i));
  EXPECT_EQ(m.Observe(MachineUsage(40), kPolicy, kT0 + minutes(12)).state, HealthState::kDegraded);
  HealthVerdict v = m.Observe(MachineUsage(40), kPolicy, kT0 + minutes(13));
  EXPECT_EQ(v.state, HealthState::kHealthy);
  EXPECT_EQ(v.since, kT0 + minutes(13));
  EXPECT_EQ(m.RecordBuild(Succeeded(minutes(30), minutes(10)), kT0 + minutes(50)).state,
            HealthState::kDegraded);
}

TEST(HealthMachineTest, CriticalRecoversAfterAQuietProbeInterval) {
  HealthMonitor m = CriticalMonitor();
  HealthVerdict v = m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(5));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_FALSE(v.want_self_check);

  v = m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(15));
  EXPECT_EQ(v.state, HealthState::kRecovering);
  EXPECT_EQ(v.reason, "self-check pending after: OOM kill while building dev-qt/qtwebengine-6.8.1");
  EXPECT_EQ(v.since, kT0 + seconds(15));
  EXPECT_TRUE(v.want_self_check);
  EXPECT_FALSE(v.accepts_work());
  EXPECT_FALSE(v.must_return_work());
}

TEST(HealthMachineTest, CriticalStaysWhileResourcesArePastAThreshold) {
  HealthMonitor m = CriticalMonitor();
  HealthVerdict v = m.Observe(MachineUsage(40, 91), kPolicy, kT0 + minutes(5));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason, "OOM kill while building dev-qt/qtwebengine-6.8.1");
  EXPECT_EQ(v.since, kT0);
}

TEST(HealthMachineTest, TroubleWhileCriticalRestartsTheQuietInterval) {
  HealthMonitor m = CriticalMonitor();
  m.RecordBuild(Failed("DroneResources"), kT0 + seconds(10));
  EXPECT_EQ(m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(15)).state, HealthState::kCritical);
  BuildOutcome oom = OomKilled();
  oom.atom = "www-client/chromium-131";
  HealthVerdict v = m.RecordBuild(oom, kT0 + seconds(20));
  EXPECT_EQ(v.reason, "OOM kill while building www-client/chromium-131");
  EXPECT_EQ(v.since, kT0);
  EXPECT_EQ(m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(30)).state, HealthState::kCritical);
  EXPECT_EQ(m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(35)).state,
            HealthState::kRecovering);
}

TEST(HealthMachineTest, ContinuedDegradationRecoversOnceUnderTheThresholds) {
  HealthMonitor m;
  m.Observe(MachineUsage(96), kPolicy, kT0);
  ASSERT_EQ(m.Observe(MachineUsage(96), kPolicy, kT0 + seconds(15)).state, HealthState::kCritical);
  EXPECT_EQ(m.Observe(MachineUsage(90), kPolicy, kT0 + seconds(30)).state, HealthState::kCritical);
  HealthVerdict v = m.Observe(MachineUsage(60), kPolicy, kT0 + seconds(45));
  EXPECT_EQ(v.state, HealthState::kRecovering);
  EXPECT_EQ(v.reason, "self-check pending after: memory 96% >= 95% for 15s");
}

TEST(HealthMachineTest, PassingSelfCheckIsHealthy) {
  HealthMonitor m = RecoveringMonitor();
  HealthVerdict v = m.RecordSelfCheck(true, "", kT0 + seconds(40));
  EXPECT_EQ(v.state, HealthState::kHealthy);
  EXPECT_EQ(v.reason, "");
  EXPECT_EQ(v.since, kT0 + seconds(40));
  EXPECT_FALSE(v.want_self_check);
  EXPECT_TRUE(v.accepts_work());
}

TEST(HealthMachineTest, FailedSelfCheckStaysRecoveringAndAsksAgainAfterTheBackoff) {
  HealthMonitor m = RecoveringMonitor();
  const SteadyTime failed_at = kT0 + seconds(40);
  HealthVerdict v = m.RecordSelfCheck(false, "tree revision 1a2b != 9fc7", failed_at);
  EXPECT_EQ(v.state, HealthState::kRecovering);
  EXPECT_EQ(v.reason, "self-check failed: tree revision 1a2b != 9fc7");
  EXPECT_EQ(v.since, kT0 + seconds(15));
  EXPECT_FALSE(v.want_self_check);

  EXPECT_FALSE(m.Observe(MachineUsage(40), kPolicy, failed_at + seconds(59)).want_self_check);
  v = m.Observe(MachineUsage(40), kPolicy, failed_at + HealthMonitor::kSelfCheckBackoff);
  EXPECT_EQ(v.state, HealthState::kRecovering);
  EXPECT_TRUE(v.want_self_check);
  EXPECT_EQ(v.reason, "self-check failed: tree revision 1a2b != 9fc7");

  v = m.RecordSelfCheck(true, "", failed_at + minutes(2));
  EXPECT_EQ(v.state, HealthState::kHealthy);
}

TEST(HealthMachineTest, RecoveringFallsBackToCriticalWhenThingsGoBadAgain) {
  HealthMonitor m = RecoveringMonitor();
  HealthVerdict v = m.Observe(MachineUsage(88), kPolicy, kT0 + seconds(20));
  EXPECT_EQ(v.state, HealthState::kCritical);
  EXPECT_EQ(v.reason, "memory 88% >= 85% while recovering");
  EXPECT_EQ(v.since, kT0 + seconds(20));
  EXPECT_TRUE(v.must_return_work());
  EXPECT_FALSE(v.want_self_check);
  // A self-check that comes back late changes nothing.
  ExpectSame(m.RecordSelfCheck(true, "", kT0 + seconds(25)), v);

  HealthMonitor oom = RecoveringMonitor();
  EXPECT_EQ(oom.RecordBuild(OomKilled(), kT0 + seconds(20)).state, HealthState::kCritical);
}

TEST(HealthMachineTest, SelfCheckIsIgnoredUnlessRecovering) {
  HealthMonitor m;
  const HealthVerdict degraded = m.Observe(MachineUsage(90), kPolicy, kT0);
  ExpectSame(m.RecordSelfCheck(true, "", kT0 + seconds(1)), degraded);
  HealthMonitor c = CriticalMonitor();
  EXPECT_EQ(c.RecordSelfCheck(true, "", kT0 + seconds(1)).state, HealthState::kCritical);
}

TEST(HealthMachineTest, RecoveryStartsFromACleanBuildHistory) {
  HealthMonitor m;
  m.Observe(MachineUsage(40), kPolicy, kT0 - minutes(10));
  m.RecordBuild(Failed("DroneResources"), kT0 - minutes(3));
  m.RecordBuild(Failed("DroneResources"), kT0 - minutes(2));
  m.RecordBuild(OomKilled(), kT0);
  m.Observe(MachineUsage(40), kPolicy, kT0 + seconds(15));
  m.RecordSelfCheck(true, "", kT0 + seconds(20));
  EXPECT_EQ(m.RecordBuild(Failed("DroneResources"), kT0 + minutes(5)).state, HealthState::kHealthy);
}

TEST(HealthMachineTest, ObservingTheSameInputsTwiceChangesNothing) {
  struct Case {
    const char* name;
    std::function<HealthMonitor()> setup;
    api::Resources probe;
    SteadyTime at;
  } cases[] = {
      {"healthy", [] { return HealthMonitor(); }, MachineUsage(40), kT0},
      {"degraded", [] { return HealthMonitor(); }, MachineUsage(90), kT0},
      {"entering critical",
       [] {
         HealthMonitor m;
         m.Observe(MachineUsage(96), kPolicy, kT0);
         return m;
       },
       MachineUsage(96), kT0 + seconds(20)},
      {"critical", CriticalMonitor, MachineUsage(40), kT0 + seconds(5)},
      {"entering recovering", CriticalMonitor, MachineUsage(40), kT0 + seconds(15)},
      {"recovering", RecoveringMonitor, MachineUsage(40), kT0 + seconds(30)},
      {"recovering after a failed check",
       [] {
         HealthMonitor m = RecoveringMonitor();
         m.RecordSelfCheck(false, "emerge --info failed", kT0 + seconds(20));
         return m;
       },
       MachineUsage(40), kT0 + minutes(5)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    HealthMonitor m = c.setup();
    const HealthVerdict first = m.Observe(c.probe, kPolicy, c.at);
    ExpectSame(m.Observe(c.probe, kPolicy, c.at), first);
    ExpectSame(m.current(), first);
  }
}

}  // namespace
}  // namespace swarm::agent
