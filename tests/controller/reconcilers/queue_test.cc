#include "controller/reconcilers/queue.h"

#include <gtest/gtest.h>

namespace swarm::controller::reconcilers {
namespace {

api::SwarmSpec Spec() {
  api::SwarmSpec s;
  s.portage.tree_revision = "rev2";
  s.deploy.version = "v1";
  s.queue.discover_on = "desktop";
  s.queue.targets = {"@world"};
  return s;
}

api::QueueSummary Stamp(const std::string& tree, const std::string& deploy, int total = 4) {
  api::QueueSummary q;
  q.tree_revision = tree;
  q.deploy_version = deploy;
  q.queue_spec = QueueSpecDigest(Spec().queue);
  q.total = total;
  return q;
}

const Discoverer kReady{true, true, true, true};

TEST(QueueTest, Table) {
  FakeClock clock;
  const SteadyTime now = clock.SteadyNow();
  ActionState idle;
  ActionState flying;
  flying.in_flight = api::Action{"d-1", api::kActionDiscover, "", "", {}, "", "rev2", "v1"};
  ActionState failed;
  failed.failures = 1;
  failed.retry_at = now + std::chrono::seconds(5);
  failed.last_error = "emerge exited 1";
  struct Case {
    const char* name;
    api::QueueSummary stamp;
    bool fresh;
    Discoverer discoverer;
    ActionState state;
    const char* status;
    const char* reason;
    bool want;
  } cases[] = {
      {"current", Stamp("rev2", "v1"), false, kReady, idle, api::kTrue, "Current", false},
      {"never discovered", {}, false, kReady, idle, api::kFalse, "NeverDiscovered", true},
      {"stale tree", Stamp("rev1", "v1"), false, kReady, idle, api::kFalse, "Stale", true},
      {"stale deploy", Stamp("rev2", "v0"), false, kReady, idle, api::kFalse, "Stale", true},
      {"discoverer not synced",
       Stamp("rev1", "v1"),
       false,
       {true, true, true, false},
       idle,
       api::kFalse,
       "WaitingForDiscoverer",
       false},
      {"discoverer not deployed",
       {},
       false,
       {true, true, false, true},
       idle,
       api::kFalse,
       "WaitingForDiscoverer",
       false},
      {"discoverer unreachable",
       {},
       false,
       {true, false, true, true},
       idle,
       api::kFalse,
       "WaitingForDiscoverer",
       false},
      {"discovering", Stamp("rev1", "v1"), false, kReady, flying, api::kFalse, "Discovering",
       false},
      {"failed, backing off", Stamp("rev1", "v1"), false, kReady, failed, api::kFalse,
       "DiscoveryFailed", false},
      {"fresh", {}, true, kReady, idle, api::kFalse, "FreshRequested", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto d = ReconcileQueue(Spec(), c.stamp, c.fresh, c.discoverer, c.state, now);
    EXPECT_EQ(d.queue_current.type, "QueueCurrent");
    EXPECT_EQ(d.queue_current.status, c.status);
    EXPECT_EQ(d.queue_current.reason, c.reason);
    EXPECT_EQ(d.want_discover, c.want);
    EXPECT_FALSE(d.build_from_packages);
  }
  auto stale =
      ReconcileQueue(Spec(), Stamp("rev1", "v1"), false, {true, true, true, false}, idle, now);
  EXPECT_NE(stale.queue_current.message.find("nothing is dispatched from it"), std::string::npos);
  EXPECT_NE(stale.queue_current.message.find("waiting for desktop to be synced to rev2"),
            std::string::npos)
      << stale.queue_current.message;
}

TEST(QueueTest, ChangingWhatIsDiscoveredMakesTheQueueStale) {
  FakeClock clock;
  api::SwarmSpec spec = Spec();
  spec.queue.targets = {"@world", "@kde"};
  auto d = ReconcileQueue(spec, Stamp("rev2", "v1"), false, kReady, {}, clock.SteadyNow());
  EXPECT_EQ(d.queue_current.reason, "Stale");
  EXPECT_NE(d.queue_current.message.find("spec.queue"), std::string::npos);
  EXPECT_TRUE(d.want_discover);
  EXPECT_NE(QueueSpecDigest(spec.queue), QueueSpecDigest(Spec().queue));
  api::QueueSpec moved = Spec().queue;
  moved.targets = {"@worl", "d"};
  api::QueueSpec joined = Spec().queue;
  joined.targets = {"@world"};
  EXPECT_EQ(QueueSpecDigest(joined), QueueSpecDigest(Spec().queue));
}

TEST(QueueTest, WithoutDiscoverOnTheQueueIsTheExplicitPackages) {
  FakeClock clock;
  api::SwarmSpec spec = Spec();
  spec.queue.discover_on.clear();
  auto d = ReconcileQueue(spec, {}, false, {}, {}, clock.SteadyNow());
  EXPECT_TRUE(d.build_from_packages);
  EXPECT_FALSE(d.want_discover);
}

TEST(BuildQueueTest, KeepsCompletePackagesStillWantedAndStampsEverything) {
  std::vector<api::Package> old(3);
  old[0].name = "dev-libs/openssl-3.3.3";
  old[0].phase = api::kPhaseComplete;
  old[0].drone = "izar";
  old[0].binpkg = api::BinaryPackageRef{"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", 5, "ab"};
  old[0].index_entry = "CPV: dev-libs/openssl-3.3.3\nSLOT: 0/3\n";
  old[1].name = "sys-apps/systemd-utils-6.20.0";
  old[1].phase = api::kPhaseComplete;
  old[2].name = "dev-qt/qtbase-6.8.1";
  old[2].phase = api::kPhaseFailed;
  std::vector<api::DiscoveredPackage> found = {
      {"sys-apps/systemd-utils-6.22.0", {}},
      {"dev-libs/openssl-3.3.3", {"sys-apps/systemd-utils-6.22.0", "not/in-queue-1"}},
      {"dev-qt/qtbase-6.8.1", {"dev-libs/openssl-3.3.3"}},
  };
  auto q =
      BuildQueue(found, {"=app-misc/extra-1.0", "dev-libs/openssl-3.3.3"}, old, true, "rev2", "v1");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].name, "sys-apps/systemd-utils-6.22.0");
  EXPECT_EQ(q[0].phase, api::kPhaseNeeded);
  EXPECT_EQ(q[1].name, "dev-libs/openssl-3.3.3");
  EXPECT_EQ(q[1].phase, api::kPhaseComplete) << "complete and still wanted";
  EXPECT_EQ(q[1].drone, "izar");
  EXPECT_EQ(q[1].binpkg->path, "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar") << "still published";
  EXPECT_EQ(q[1].index_entry, old[0].index_entry) << "and still described";
  EXPECT_EQ(q[1].dependencies, std::vector<std::string>{"sys-apps/systemd-utils-6.22.0"});
  EXPECT_EQ(q[2].phase, api::kPhaseNeeded) << "failed before: a new queue tries again";
  EXPECT_EQ(q[3].name, "app-misc/extra-1.0");
  for (const auto& p : q) {
    EXPECT_EQ(p.tree_revision, "rev2");
    EXPECT_EQ(p.deploy_version, "v1");
  }
  auto fresh = BuildQueue(found, {}, old, false, "rev2", "v1");
  EXPECT_EQ(fresh[1].phase, api::kPhaseNeeded) << "a fresh start keeps nothing";
  auto counts = SummarizeQueue(q, Stamp("rev2", "v1"));
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.complete, 1);
  EXPECT_EQ(counts.needed, 3);
}

TEST(BuildQueueTest, ANewVersionIsExpectedToTakeWhatItsLastMeasuredBuildTook) {
  std::vector<api::Package> old(3);
  old[0].name = "dev-lang/rust-1.83.0";
  old[0].phase = api::kPhaseComplete;
  old[0].build_ms = 3'600'000;
  old[0].build_cpu_ms = 14'400'000;
  old[0].build_cores = 16;
  old[1].name = "app-misc/screen-4.9.1";  // no CPU time measured
  old[1].phase = api::kPhaseComplete;
  old[1].build_ms = 60'000;
  old[2].name = "dev-lang/rust-1.84.0";
  old[2].phase = api::kPhaseComplete;
  old[2].build_ms = 4'000'000;
  old[2].build_cpu_ms = 16'000'000;
  old[2].build_cores = 8;
  old[2].completed_at = WallTime{} + std::chrono::hours(1);
  std::vector<api::DiscoveredPackage> found = {
      {"dev-lang/rust-1.85.0", {}, 3'000'000, 0},  // from emerge.log
      {"app-misc/screen-5.0.0", {}, 50'000, 0},
      {"app-misc/tmux-3.5a", {}, 40'000, 0},
  };
  auto q = BuildQueue(found, {}, old, true, "rev2", "v1");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].estimated_ms, 4'000'000) << "the swarm's last build of dev-lang/rust, measured";
  EXPECT_EQ(q[0].estimated_cpu_ms, 16'000'000);
  EXPECT_EQ(q[0].estimated_cores, 8);
  EXPECT_EQ(q[1].estimated_ms, 50'000) << "no CPU time: emerge.log's time stands";
  EXPECT_EQ(q[1].estimated_cpu_ms, 0);
  EXPECT_EQ(q[2].estimated_ms, 40'000);
  auto again = BuildQueue(found, {}, q, true, "rev2", "v1");
  EXPECT_EQ(again[0].estimated_ms, 3'000'000) << "what the queue before no longer holds is gone";
}

// A discovery is a drone's word: one name may come any number of times, each
// with dependencies of its own, which are merged, each once, without a scan
// per repeat (with one, 40,000 repeats took half a minute under the
// controller's lock).
TEST(BuildQueueTest, RepeatsOfANameMergeTheirDependenciesOnceEach) {
  constexpr int kRepeats = 50'000;
  std::vector<api::DiscoveredPackage> found;
  for (int i = 0; i < kRepeats; ++i) {
    const std::string dep = "dev-libs/d" + std::to_string(i % (kRepeats / 2)) + "-1";
    found.push_back({"app-misc/a-1", {dep, "dev-libs/d0-1"}});
    if (i < kRepeats / 2) found.push_back({dep, {}});
  }
  auto q = BuildQueue(found, {}, {}, true, "rev2", "v1");
  ASSERT_EQ(q.size(), size_t(kRepeats / 2 + 1));
  EXPECT_EQ(q[0].name, "app-misc/a-1");
  ASSERT_EQ(q[0].dependencies.size(), size_t(kRepeats / 2));
  for (int i = 0; i < kRepeats / 2; ++i) {
    ASSERT_EQ(q[0].dependencies[i], "dev-libs/d" + std::to_string(i) + "-1");
  }
}

}  // namespace
}  // namespace swarm::controller::reconcilers
