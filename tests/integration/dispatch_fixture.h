#pragma once

// The fixture of the dispatch tests (dispatch_test.cc, lying_drone_test.cc):
// a controller, a discovering desktop and drones on the fake portage
// (hack/fake-portage), and what the tests read back of them.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/packages_index.h"
#include "api/quantity.h"
#include "base/digest.h"
#include "base/http_client.h"
#include "tests/integration/harness.h"

namespace swarm::testing {

struct Member {
  std::string name;
  std::string cores = "2";  // two build slots each (one per core)
  std::string memory = "32Gi";
  std::map<std::string, std::string> emerge_env;
  bool deferred = false;  // in the roster, but its agent starts when the test says
};

class DispatchTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;
  using seconds = std::chrono::seconds;

  void SetUp() override {
    ASSERT_FALSE(h_.TreeDir().empty());
    dag_ = Git({"rev-parse", "dag-30"});
    ASSERT_EQ(dag_.size(), 40u);
    h_.AddAgentToken("desktop");
  }

  // How long a silent drone stays Ready; a test whose drone beats only when
  // it says so sets more before Start.
  std::string heartbeat_grace_ = "2s";

  std::string Git(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/git", "-C", h_.TreeDir()});
    auto out = RunCommand(args);
    std::string s = out.out;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }

  // A commit on top of dag-30 adding `files` (path -> content) to the tree;
  // returns its id. Drones started afterwards clone it.
  std::string CommitOnDag(const std::map<std::string, std::string>& files) {
    const std::string work = h_.dir().File("tree-work");
    RunCommand({"/usr/bin/git", "clone", "-q", h_.TreeDir(), work});
    RunCommand({"/usr/bin/git", "-C", work, "checkout", "-q", "--detach", dag_});
    for (const auto& [path, content] : files) {
      const std::string full = work + "/" + path;
      RunCommand({"/bin/mkdir", "-p", full.substr(0, full.rfind('/'))});
      std::ofstream(full) << content;
    }
    RunCommand({"/usr/bin/git", "-C", work, "add", "-A"});
    RunCommand({"/usr/bin/git", "-C", work, "-c", "user.name=t", "-c", "user.email=t@localhost",
                "commit", "-q", "-m", "test injection"});
    RunCommand({"/usr/bin/git", "-C", work, "tag", "injected"});
    RunCommand({"/usr/bin/git", "-C", work, "push", "-q", "origin", "injected"});
    return Git({"rev-parse", "injected"});
  }

  // Starts the controller and an agent per member (all already deployed and
  // at `tree`), then applies the swarm.
  void Start(const std::vector<Member>& members, const std::string& tree,
             const std::string& policy = "") {
    members_ = members;
    for (const auto& m : members) h_.AddAgentToken(m.name);
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
    const std::string start_tag = tree == dag_ ? "dag-30" : "injected";
    SwarmHarness::PortageAgentOptions desktop;
    desktop.start_tag = start_tag;
    desktop.marker = "v1";
    ASSERT_TRUE(h_.StartPortageAgent("desktop", desktop));
    start_tag_ = start_tag;
    for (const auto& m : members) {
      if (!m.deferred) ASSERT_TRUE(StartMember(m)) << m.name;
    }
    std::string yaml = SwarmYamlHead(tree, "v1", "desktop") +
                       "    - name: desktop\n"
                       "      roles: [discover]\n";
    for (const auto& m : members) {
      yaml += "    - name: " + m.name + "\n      labels: {cores: \"" + m.cores +
              "\", memory: " + m.memory + "}\n";
    }
    yaml +=
        "  policy:\n"
        "    heartbeatInterval: 250ms\n"
        "    heartbeatGrace: " +
        heartbeat_grace_ + "\n" + policy;
    if (before_apply_) before_apply_();
    auto r = h_.Swarmctl({"apply", "-f", h_.dir().Write("swarm.yaml", yaml)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // What `swarmctl get packages --watch` printed into `log` says of each of
  // the `total` packages: its last row says Complete (waited for), and the
  // packages that waited for others were seen Needed first.
  void ExpectWatchedToComplete(const std::string& log, size_t total) {
    std::map<std::string, std::vector<std::string>> phases;
    auto read = [&] {
      phases.clear();
      std::istringstream in(ReadFile(log));
      std::string line;
      std::getline(in, line);
      EXPECT_EQ(line.rfind("NAME ", 0), 0u) << "a header first: " << line;
      while (std::getline(in, line)) {
        std::istringstream row(line);
        std::string name, phase;
        row >> name >> phase;
        phases[name].push_back(phase);
      }
      if (phases.size() != total) return false;
      for (const auto& [name, seen] : phases) {
        if (seen.back() != "Complete") return false;
      }
      return true;
    };
    ASSERT_TRUE(WaitFor(read, seconds(10))) << ReadFile(log);
    int needed_first = 0;
    for (const auto& [name, seen] : phases) {
      needed_first += seen.front() == "Needed";
      // Rows print only when a package's row changed.
      for (size_t i = 1; i < seen.size(); ++i) EXPECT_NE(seen[i], seen[i - 1]) << name;
    }
    EXPECT_GT(needed_first, 0) << ReadFile(log);
  }

  // Runs in Start once the controller and agents run, before the Swarm is applied.
  std::function<void()> before_apply_;

  // `swarmctl ARGS...` (server, admin token and TLS flags first) as a
  // process of its own, its output in `log`: a command that goes on, such
  // as a watch.
  std::unique_ptr<Process> StartSwarmctl(const std::vector<std::string>& args,
                                         const std::string& log) {
    std::vector<std::string> argv = {BinPath("swarmctl"), "--server", h_.url(), "--token",
                                     h_.admin_token()};
    for (std::string& flag : h_.SwarmctlTlsFlags()) argv.push_back(std::move(flag));
    argv.insert(argv.end(), args.begin(), args.end());
    return Process::Start(argv, log);
  }

  bool StartMember(const Member& m) {
    SwarmHarness::PortageAgentOptions o;
    o.start_tag = start_tag_;
    o.marker = "v1";
    o.emerge_env = m.emerge_env;
    o.emerge_env["FAKE_EMERGE_BUILD_LOG"] = h_.dir().File("builds.log");
    // The size its labels give it, whatever this host is.
    o.cores = std::stoi(m.cores);
    o.memory_bytes = api::ParseMemory(m.memory).value();
    return h_.StartPortageAgent(m.name, o);
  }

  json Packages() { return h_.GetJson("/api/v1/packages")["items"]; }

  std::map<std::string, json> PackagesByName() {
    std::map<std::string, json> out;
    for (const auto& p : Packages()) out[p["metadata"]["name"]] = p;
    return out;
  }

  int CountPhase(const std::string& phase) {
    int n = 0;
    for (const auto& p : Packages()) n += p["status"]["phase"] == phase;
    return n;
  }

  bool WaitAllComplete(int total, seconds timeout = seconds(90)) {
    return WaitFor([&] { return CountPhase("Complete") == total; }, timeout);
  }

  // Packages being built on `drone` now.
  std::vector<std::string> BuildingOn(const std::string& drone) {
    std::vector<std::string> out;
    for (const auto& p : Packages()) {
      if (p["status"]["phase"] == "Building" && p["status"]["drone"] == drone) {
        out.push_back(p["metadata"]["name"]);
      }
    }
    return out;
  }

  // Waits until `drone` builds something; what it builds then (empty on timeout).
  std::vector<std::string> WaitBuildingOn(const std::string& drone) {
    std::vector<std::string> held;
    WaitFor([&] {
      held = BuildingOn(drone);
      return !held.empty();
    });
    return held;
  }

  // Waits until `drone`'s agent has started a build the controller still has
  // on it (an assignment in a reply the agent has not read yet is not
  // started); those packages (empty on timeout).
  std::vector<std::string> WaitStartedOn(const std::string& drone) {
    std::vector<std::string> held;
    WaitFor([&] {
      held.clear();
      const std::string log = h_.agent(drone)->Log();
      for (const auto& name : BuildingOn(drone)) {
        if (log.find("(" + name + ", attempt") != std::string::npos) held.push_back(name);
      }
      return !held.empty();
    });
    return held;
  }

  int CountEvents(const std::string& query, const std::string& reason) {
    json events = h_.GetJson("/api/v1/events?" + query + "&limit=1000");
    int n = 0;
    for (const auto& e : events["items"]) n += e["reason"] == reason ? e["count"].get<int>() : 0;
    return n;
  }

  std::string Diagnose() {
    std::string log = h_.controller() ? h_.controller()->Log() : "";
    return "\nstatus:\n" + h_.Swarmctl({"status"}).out + "\npackages:\n" +
           h_.Swarmctl({"get", "packages"}).out + "\ncontroller log tail:\n" +
           log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  }

  // Every Complete package has its binary package on the binhost, not empty.
  void ExpectPublished() {
    for (const auto& p : Packages()) {
      if (p["status"]["phase"] != "Complete") continue;
      const std::string path = p["status"]["binpkg"]["path"];
      const std::string content = ReadFile(h_.dir().File("binhost/" + path));
      EXPECT_FALSE(content.empty()) << path;
      EXPECT_EQ(static_cast<int64_t>(content.size()), p["status"]["binpkg"]["size"].get<int64_t>())
          << path;
    }
  }

  // <binhost>/Packages, portage's index, lists every published package with
  // the PATH, SIZE and digests of its file and the metadata its drone's
  // portage wrote, and GET /binhost/Packages serves it, as --getbinpkg
  // fetches it.
  void ExpectIndexed(size_t count) {
    // Written by the controller's index thread shortly after the last change.
    const std::string want = "PACKAGES: " + std::to_string(count) + "\n";
    WaitFor([&] { return ReadFile(h_.dir().File("binhost/Packages")).find(want) == 0; });
    const std::string text = ReadFile(h_.dir().File("binhost/Packages"));
    std::istringstream in(text);
    api::IndexReader reader(in);
    api::IndexBlock header, block;
    bool overlong = false;
    ASSERT_TRUE(reader.ReadHeader(&header)) << "no binhost/Packages";
    ASSERT_NE(header.Find("VERSION"), nullptr) << text;
    EXPECT_EQ(*header.Find("VERSION"), "0");
    ASSERT_NE(header.Find("PACKAGES"), nullptr) << text;
    EXPECT_EQ(*header.Find("PACKAGES"), std::to_string(count));
    std::map<std::string, api::IndexBlock> listed;
    while (reader.NextPackage(&block, &overlong)) {
      ASSERT_NE(block.Find("CPV"), nullptr) << text;
      listed[*block.Find("CPV")] = block;
    }
    EXPECT_EQ(listed.size(), count);
    for (const auto& p : Packages()) {
      if (p["status"]["phase"] != "Complete") continue;
      const std::string name = p["metadata"]["name"];
      auto it = listed.find(name);
      ASSERT_NE(it, listed.end()) << name << " is not in the index";
      const std::string path = p["status"]["binpkg"]["path"];
      const std::string content = ReadFile(h_.dir().File("binhost/" + path));
      auto value = [&](const char* key) {
        const std::string* v = it->second.Find(key);
        return v ? *v : std::string("<absent>");
      };
      EXPECT_EQ(value("PATH"), path) << name;
      EXPECT_EQ(value("SIZE"), std::to_string(content.size())) << name;
      EXPECT_NE(value("MTIME"), "<absent>") << name;
      // From the drone's own Packages: its portage's metadata came along.
      EXPECT_EQ(value("BUILD_ID"), "1") << name;
      EXPECT_EQ(value("EAPI"), "8") << name;
      EXPECT_EQ(value("REPO"), "gentoo") << name;
      EXPECT_EQ(value("CHOST"), "x86_64-pc-linux-gnu") << name << ": inherited from its header";
      // The controller's digests of the file it serves, whatever the drone said.
      auto digests = BinpkgDigestsOfFile(h_.dir().File("binhost/" + path));
      ASSERT_TRUE(digests.ok()) << digests.status().ToString();
      EXPECT_EQ(value("MD5"), digests->md5) << name;
      EXPECT_EQ(value("SHA1"), digests->sha1) << name;
      EXPECT_EQ(value("SHA256"), digests->sha256) << name;
    }
    // Portage hosts fetch the binhost without a client certificate.
    auto client = h_.Client("", "");
    ASSERT_TRUE(client);
    auto served = client->Get("/binhost/Packages");
    ASSERT_TRUE(served.ok()) << served.status().ToString();
    EXPECT_EQ(served->status, 200) << served->body;
    EXPECT_EQ(served->body, text) << "served as written";
  }

  // A commit on top of dag-30 that bumps every package of the queue from
  // 1.0 to 1.1 (ebuilds renamed, the merge list rewritten), pushed to the
  // origin the drones fetch from; returns its id. A build of a 1.0 atom on
  // it fails as emerge does: "there are no ebuilds to satisfy".
  std::string BumpEveryVersionOnDag() {
    const std::string work = h_.dir().File("bump-work");
    RunCommand({"/usr/bin/git", "clone", "-q", h_.TreeDir(), work});
    RunCommand({"/usr/bin/git", "-C", work, "checkout", "-q", "--detach", dag_});
    auto run = RunCommand(
        {"/bin/sh", "-c",
         "cd \"$0\" && w=metadata/fake-emerge/world.tree && "
         "for cpv in $(awk '/^[0-9]/ {print $3}' $w); do "
         "  p=${cpv%-1.0}; git mv -f \"$p/${p#*/}-1.0.ebuild\" \"$p/${p#*/}-1.1.ebuild\" || exit "
         "1; "
         "done && sed -i 's/-1\\.0$/-1.1/' $w && "
         "git add -A && git -c user.name=t -c user.email=t@localhost commit -q -m bump && "
         "git push -q origin HEAD:refs/heads/bumped",
         work});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return Git({"rev-parse", "bumped"});
  }

  SwarmHarness h_;
  std::string dag_;
  std::string start_tag_;
  std::vector<Member> members_;
};

}  // namespace swarm::testing
