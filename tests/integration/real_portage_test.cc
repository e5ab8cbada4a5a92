// The swarm on REAL portage (3.0.82, hack/real-portage): a controller and
// agents as processes, whose drones run real emerge in prefixes of their
// own on the test repository (tags rev-1 and rev-2), and a real client
// prefix that follows /binhost/current with --getbinpkgonly. What the fake
// emerge's tests assume of portage is checked here against portage itself:
// discovery of the real graph, builds into real gpkg files published and
// released, a real host fetching each release whole (and the first one
// again after a rollback), and a real compile error classified as the
// package's fault.
//
// Costs (2 cores): a package built from source 8 to 12 s, one installed
// from a binhost 3 to 4 s; the two tests take about 2.5 minutes together,
// so they cover each claim once and run no more.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "tests/integration/harness.h"

namespace swarm::testing {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;
using RealGraph = std::map<std::string, std::set<std::string>>;  // CPV -> its dependencies

// What real portage resolves for @world (app-misc/suite, app-misc/heavy-app)
// on an empty prefix, as the committed captures show it
// (tests/golden/real-portage/pretend-tree-rev-{1,2}.txt, which CTest's
// real_portage_golden keeps equal to what portage prints), with the edges
// --tree shows. --tree shows each package once, under one package that
// pulls it in: at rev-1 it hides net-libs/libnet -> dev-libs/libutil, at
// rev-2 dev-libs/libcompat-1.0 -> dev-libs/libcore (libcore shows under
// libutil-1.3). The queue takes the edges shown, no more.
const RealGraph& RealGraphRev1() {
  static const RealGraph g = {
      {"app-misc/suite-1.0",
       {"app-misc/tool-b-2.0", "net-misc/fetcher-1.0", "app-misc/legacy-1.0",
        "app-misc/tool-a-1.0"}},
      {"app-misc/heavy-app-1.0", {"sys-libs/libheavy-1.0"}},
      {"sys-libs/libheavy-1.0", {}},
      {"app-misc/tool-b-2.0", {"dev-libs/libxml-lite-2.1", "dev-libs/libcompat-2.0"}},
      {"dev-libs/libxml-lite-2.1", {}},
      {"dev-libs/libcompat-2.0", {}},
      {"net-misc/fetcher-1.0", {"net-libs/libnet-0.9", "sys-libs/zlib-lite-1.3"}},
      {"net-libs/libnet-0.9", {"dev-libs/libtls-1.0"}},
      {"dev-libs/libtls-1.0", {}},
      {"sys-libs/zlib-lite-1.3", {}},
      {"app-misc/legacy-1.0", {}},
      {"app-misc/tool-a-1.0", {"dev-libs/libutil-1.2", "dev-libs/libcompat-1.0"}},
      {"dev-libs/libutil-1.2", {}},
      {"dev-libs/libcompat-1.0", {"dev-libs/libcore-1.0"}},
      {"dev-libs/libcore-1.0", {}},
  };
  return g;
}

const RealGraph& RealGraphRev2() {
  static const RealGraph g = {
      {"app-misc/suite-1.1",
       {"app-misc/tool-a-1.0", "app-misc/tool-b-2.0", "net-misc/fetcher-1.0",
        "app-misc/newcomer-1.0"}},
      {"app-misc/heavy-app-1.0", {"sys-libs/libheavy-1.0"}},
      {"sys-libs/libheavy-1.0", {}},
      {"app-misc/tool-a-1.0", {"dev-libs/libcompat-1.0"}},
      {"dev-libs/libcompat-1.0", {}},
      {"app-misc/tool-b-2.0", {"dev-libs/libxml-lite-2.1", "dev-libs/libcompat-2.0"}},
      {"dev-libs/libxml-lite-2.1", {}},
      {"dev-libs/libcompat-2.0", {}},
      {"net-misc/fetcher-1.0", {"net-libs/libnet-0.9", "sys-libs/zlib-lite-1.3"}},
      {"net-libs/libnet-0.9", {"dev-libs/libtls-1.0", "dev-libs/libutil-1.3"}},
      {"dev-libs/libtls-1.0", {}},
      {"sys-libs/zlib-lite-1.3", {}},
      {"app-misc/newcomer-1.0", {}},
      {"dev-libs/libutil-1.3", {"dev-libs/libcore-1.0"}},
      {"dev-libs/libcore-1.0", {}},
  };
  return g;
}

class RealPortageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RealPortageTarball().empty()) {
      // CI sets SWARM_PORTAGE_TARBALL (.ci/run): there a missing file fails.
      const char* set = getenv("SWARM_PORTAGE_TARBALL");
      ASSERT_FALSE(set && *set) << "SWARM_PORTAGE_TARBALL=" << set << " does not exist";
      GTEST_SKIP() << "no portage tarball: set SWARM_PORTAGE_TARBALL or put "
                      "portage-3.0.82.tar.xz in ../shared/portage/ (hack/real-portage/README.md)";
    }
    origin_ = h_.dir().File("origin");
    CommandOutput made = RealPortageShell("realportage::make_repo '" + origin_ + "'");
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
    std::istringstream revs(made.out);
    revs >> rev1_ >> rev2_;
    ASSERT_EQ(rev1_.size(), 40u) << made.out;
    ASSERT_EQ(rev2_.size(), 40u) << made.out;
  }

  // Starts the controller and a real-portage agent per drone, all deployed
  // ("v1") and at rev-1.
  void StartDrones(const std::vector<std::string>& drones) {
    for (const auto& d : drones) h_.AddAgentToken(d);
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
    for (const auto& d : drones) {
      ASSERT_TRUE(h_.StartRealPortageAgent(d, origin_, rev1_, "v1")) << d;
    }
  }

  // The Swarm at `tree`: `desktop` discovers (when listed), the others
  // build one package at a time (two emerges in one prefix would fight over
  // its package database). `queue` replaces the queue's lines (a queue of
  // explicit packages instead of discovery).
  void Apply(const std::string& tree, const std::vector<std::string>& builders,
             bool with_desktop, const std::string& queue = "") {
    std::string yaml = SwarmYamlHead(tree, "v1", with_desktop ? "desktop" : "");
    if (!queue.empty()) {
      const size_t from = yaml.find("  queue:\n");
      const size_t to = yaml.find("  drones:\n");
      yaml = yaml.substr(0, from) + queue + yaml.substr(to);
    }
    if (with_desktop) yaml += "    - name: desktop\n      roles: [discover]\n";
    for (const auto& b : builders) {
      yaml += "    - name: " + b + "\n      labels: {cores: \"1\", memory: 1Gi}\n";
    }
    // A drone busy with emerge's Python still beats; the grace is for a
    // loaded 2-core machine.
    yaml += "  policy:\n    heartbeatInterval: 250ms\n    heartbeatGrace: 10s\n";
    auto r = h_.Swarmctl({"apply", "-f", h_.dir().Write("swarm.yaml", yaml)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  json Packages() { return h_.GetJson("/api/v1/packages")["items"]; }

  // The queue as a graph, if every package of it is stamped with `tree`.
  RealGraph QueueGraph(const std::string& tree) {
    RealGraph g;
    for (const auto& p : Packages()) {
      if (p["status"]["treeRevision"] != tree) return {};
      auto& deps = g[p["metadata"]["name"].get<std::string>()];
      for (const auto& d : p["spec"]["dependencies"]) deps.insert(d.get<std::string>());
    }
    return g;
  }

  std::map<std::string, std::string> Phases() {
    std::map<std::string, std::string> out;
    for (const auto& p : Packages()) out[p["metadata"]["name"]] = p["status"]["phase"];
    return out;
  }

  bool AllComplete(seconds timeout) {
    return WaitFor(
        [&] {
          auto phases = Phases();
          if (phases.empty()) return false;
          for (const auto& [name, phase] : phases) {
            if (phase != "Complete") return false;
          }
          return true;
        },
        timeout);
  }

  json Releases() { return h_.GetJson("/api/v1/releases")["items"]; }

  std::string Promoted() {
    for (const auto& r : Releases()) {
      if (r["status"]["promoted"] == true) return r["metadata"]["name"];
    }
    return "";
  }

  // The release `name`'s files: SHA-256 -> CPV.
  std::map<std::string, std::string> ReleaseDigests(const std::string& name) {
    std::map<std::string, std::string> out;
    json r = h_.GetJson("/api/v1/releases/" + name);
    for (const auto& p : r["status"]["packages"]) {
      out[p["binpkg"]["sha256"].get<std::string>()] = p["name"];
    }
    return out;
  }

  std::string Diagnose() {
    std::string log = h_.controller() ? h_.controller()->Log() : "";
    return "\nstatus:\n" + h_.Swarmctl({"status"}).out + "\npackages:\n" +
           h_.Swarmctl({"get", "packages"}).out + "\nreleases:\n" +
           h_.Swarmctl({"get", "releases"}).out + "\ncontroller log tail:\n" +
           log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  }

  SwarmHarness h_;
  std::string origin_;
  std::string rev1_, rev2_;
};

// A real host: a prefix whose binrepos.conf names /binhost/current, on its
// own checkout of the test repository. Portage reads the index with
// Python's urllib (SSL_CERT_FILE makes it trust the test CA) and fetches
// the files with FETCHCOMMAND (wget, told the CA).
class RealClient {
 public:
  RealClient(SwarmHarness& h, const std::string& origin) : h_(h) {
    dir_ = h.dir().File("client");
    repo_ = dir_ + "-repo";
    ok_ = RunCommand({"/usr/bin/git", "clone", "-q", origin, repo_}).exit_code == 0;
    const std::string url = h.url() + "/binhost/current";
    CommandOutput made = RealPortageShell("realportage::make_prefix '" + dir_ + "' '" + repo_ +
                                          "' '" + url + "' && realportage::select '" + dir_ + "'");
    EXPECT_EQ(made.exit_code, 0) << made.out << made.err;
    ok_ = ok_ && made.exit_code == 0;
    ok_ = ok_ && RealPortageTrustTestCa(dir_);
  }
  bool ok() const { return ok_; }

  // Checks out `rev` (the tree the release was built from) and runs emerge
  // with `args`; empties PKGDIR and the binhost cache first when
  // `fresh_pkgdir`, so what is there after is exactly what was fetched.
  CommandOutput Emerge(const std::string& rev, std::vector<std::string> args,
                       bool fresh_pkgdir) {
    RunCommand({"/usr/bin/git", "-C", repo_, "checkout", "-q", "--detach", rev});
    if (fresh_pkgdir) {
      for (const std::string& d : {PkgDir(), BinhostCache()}) {
        std::filesystem::remove_all(d);
        std::filesystem::create_directories(d);
      }
    }
    std::vector<std::string> argv = RealPortageEnv();
    argv.push_back(dir_ + "/emerge");
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  std::string PkgDir() const { return dir_ + "/var/cache/binpkgs"; }
  // Where portage 3.0.82 keeps what it fetched from a binhost
  // (var/cache/binhost/<binrepos.conf section>/), not PKGDIR.
  std::string BinhostCache() const { return dir_ + "/var/cache/binhost"; }
  const std::string& dir() const { return dir_; }

  // The binary packages fetched (in PKGDIR or the binhost cache):
  // SHA-256 -> path.
  std::map<std::string, std::string> Fetched() {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir_ + "/var/cache", ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::string path = it->path().string();
      if (!it->is_regular_file() || path.size() < 10 ||
          path.compare(path.size() - 9, 9, ".gpkg.tar") != 0) {
        continue;
      }
      auto digest = Sha256File(path);
      EXPECT_TRUE(digest.ok()) << path;
      if (digest.ok()) out[*digest] = path;
    }
    return out;
  }

 private:
  SwarmHarness& h_;
  std::string dir_, repo_;
  bool ok_ = false;
};

std::set<std::string> KeysOf(const std::map<std::string, std::string>& m) {
  std::set<std::string> out;
  for (const auto& [k, v] : m) out.insert(k);
  return out;
}

// Discovery of the real graph, every package built by real emerge and
// published, a release cut and promoted, a real host fetching it; then
// rev-2: the queue real portage resolves, its release fetched; then a
// rollback, after which the host fetches the first release's files again,
// byte for byte.
TEST_F(RealPortageTest, BuildsReleasesAndRollsBackTheRealGraph) {
  ASSERT_NO_FATAL_FAILURE(StartDrones({"desktop", "drone-a", "drone-b"}));
  RealClient client(h_, origin_);
  ASSERT_TRUE(client.ok());
  ASSERT_NO_FATAL_FAILURE(Apply(rev1_, {"drone-a", "drone-b"}, true));

  // 1. The queue discovered on the desktop is real portage's @world.
  RealGraph queue;
  ASSERT_TRUE(WaitFor([&] { return !(queue = QueueGraph(rev1_)).empty(); }, seconds(60)))
      << Diagnose();
  EXPECT_EQ(queue, RealGraphRev1());

  // 2. Every package built by real emerge, published, released, promoted.
  ASSERT_TRUE(AllComplete(seconds(300))) << Diagnose();
  for (const auto& p : Packages()) {
    const std::string path = p["status"]["binpkg"]["path"];
    EXPECT_NE(path.find(".gpkg.tar"), std::string::npos) << path;
    EXPECT_GT(std::filesystem::file_size(h_.dir().File("binhost/" + path)), 0u) << path;
  }
  std::string first;
  ASSERT_TRUE(WaitFor([&] { return !(first = Promoted()).empty(); }, seconds(30))) << Diagnose();
  const auto first_digests = ReleaseDigests(first);
  EXPECT_EQ(first_digests.size(), 15u);

  // 3. A real host fetches the release whole with --getbinpkgonly.
  CommandOutput fetch =
      client.Emerge(rev1_, {"--getbinpkgonly", "--fetchonly", "--color=n", "@world"}, true);
  ASSERT_EQ(fetch.exit_code, 0) << fetch.out << fetch.err;
  const auto fetched_first = client.Fetched();
  EXPECT_EQ(KeysOf(fetched_first), KeysOf(first_digests)) << fetch.out;

  // rev-2 after rev-1 is built: the queue is what portage resolves on the
  // desktop (nothing installed there: the whole graph); what rev-1 built
  // stays Complete, the rest is built.
  ASSERT_NO_FATAL_FAILURE(Apply(rev2_, {"drone-a", "drone-b"}, true));
  ASSERT_TRUE(WaitFor([&] { return !(queue = QueueGraph(rev2_)).empty(); }, seconds(60)))
      << Diagnose();
  EXPECT_EQ(queue, RealGraphRev2());
  ASSERT_TRUE(AllComplete(seconds(180))) << Diagnose();
  std::string second;
  ASSERT_TRUE(WaitFor(
      [&] {
        second = Promoted();
        return !second.empty() && second != first;
      },
      seconds(30)))
      << Diagnose();
  const auto second_digests = ReleaseDigests(second);
  std::set<std::string> second_cpvs;
  for (const auto& [digest, cpv] : second_digests) second_cpvs.insert(cpv);
  // The queue's packages, and legacy-1.0 of the release before (nothing
  // supersedes it); suite-1.0 and libutil-1.2 are superseded.
  std::set<std::string> want_cpvs = {"app-misc/legacy-1.0"};
  for (const auto& [cpv, deps] : RealGraphRev2()) want_cpvs.insert(cpv);
  EXPECT_EQ(second_cpvs, want_cpvs);

  fetch = client.Emerge(rev2_, {"--getbinpkgonly", "--fetchonly", "--color=n", "@world"}, true);
  ASSERT_EQ(fetch.exit_code, 0) << fetch.out << fetch.err;
  std::set<std::string> fetched_cpvs;
  for (const auto& [digest, path] : client.Fetched()) {
    ASSERT_TRUE(second_digests.count(digest)) << path << " is not release " << second;
    fetched_cpvs.insert(second_digests.at(digest));
  }
  std::set<std::string> world_rev2;
  for (const auto& [cpv, deps] : RealGraphRev2()) world_rev2.insert(cpv);
  EXPECT_EQ(fetched_cpvs, world_rev2) << fetch.out;

  // The rollback: the host sees the first release again, byte for byte.
  CommandOutput rolled = h_.Swarmctl({"rollback"});
  ASSERT_EQ(rolled.exit_code, 0) << rolled.out << rolled.err;
  EXPECT_EQ(Promoted(), first);
  fetch = client.Emerge(rev1_, {"--getbinpkgonly", "--fetchonly", "--color=n", "@world"}, true);
  ASSERT_EQ(fetch.exit_code, 0) << fetch.out << fetch.err;
  EXPECT_EQ(KeysOf(client.Fetched()), KeysOf(fetched_first)) << fetch.out;

  // A real install of one package from the release served now (after the
  // comparison: what a host has installed, it does not fetch again).
  CommandOutput install = client.Emerge(
      rev1_, {"--getbinpkgonly", "--oneshot", "--color=n", "=dev-libs/libcore-1.0"}, false);
  EXPECT_EQ(install.exit_code, 0) << install.out << install.err;
  EXPECT_TRUE(std::filesystem::exists(client.dir() + "/usr/bin/libcore")) << install.out;
}

// A real compile error (app-misc/broken's C file does not compile) is the
// package's fault, in the compile phase: no drone is blamed.
TEST_F(RealPortageTest, CompileErrorIsThePackagesFault) {
  ASSERT_NO_FATAL_FAILURE(StartDrones({"drone-c"}));
  ASSERT_NO_FATAL_FAILURE(
      Apply(rev1_, {"drone-c"}, false, "  queue:\n    packages: [\"=app-misc/broken-1.0\"]\n"));
  json failure;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& p : Packages()) {
          if (p["metadata"]["name"] == "app-misc/broken-1.0" &&
              p["status"]["lastFailure"].is_object()) {
            failure = p["status"]["lastFailure"];
            return true;
          }
        }
        return false;
      },
      seconds(90)))
      << Diagnose();
  EXPECT_EQ(failure["class"], "Package") << failure.dump();
  EXPECT_EQ(failure["drone"], "drone-c") << failure.dump();
  EXPECT_NE(failure["message"].get<std::string>().find("compile"), std::string::npos)
      << failure.dump();
  EXPECT_EQ(h_.DroneCondition("drone-c", "Grounded").rfind("True", 0), std::string::npos);
}

}  // namespace
}  // namespace swarm::testing
