// The binhost's releases on real processes (docs/operations.md,
// "Releases"): a queue built whole is cut into a release and promoted; a
// host reading /binhost/current gets one release whole, its files fetched
// from the release's own address even across a promotion; a second queue on
// a new tree is released and promoted; a rollback serves the first set again
// byte for byte; with Manual promotion nothing is served until the operator
// promotes, and pruning keeps what it must.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "api/packages_index.h"
#include "base/sha256.h"
#include "tests/integration/dispatch_fixture.h"

namespace swarm::testing {
namespace {

using std::chrono::seconds;

// What a host saw of /binhost/current: the index's header, and each
// package's file as fetched from the index's URI and PATH.
struct HostView {
  std::map<std::string, std::string> header;
  std::map<std::string, std::string> files;  // CPV -> bytes
};

class ReleasesTest : public DispatchTest {
 protected:
  // GET `path` as a portage host does: no token, no client certificate.
  HttpResponse HostGet(const std::string& path) {
    auto client = h_.Client("", "");
    auto r = client->Get(path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : HttpResponse{};
  }

  // What portage's --getbinpkg does with binrepos.conf's sync-uri at
  // /binhost/current: the index, then every file from URI + "/" + PATH,
  // each checked against the index's SIZE and SHA256.
  HostView ReadCurrent() {
    HostView view;
    HttpResponse index = HostGet("/binhost/current/Packages");
    EXPECT_EQ(index.status, 200) << index.body;
    std::istringstream in(index.body);
    api::IndexReader reader(in);
    api::IndexBlock header;
    if (!reader.ReadHeader(&header)) {
      ADD_FAILURE() << "no index: " << index.body;
      return view;
    }
    for (const auto& [k, v] : header.fields) view.header[k] = v;
    const std::string uri = view.header["URI"];
    EXPECT_EQ(uri.rfind(h_.url() + "/binhost/releases/", 0), 0u) << uri;
    const std::string base = uri.substr(h_.url().size());
    api::IndexBlock entry;
    bool overlong = false;
    while (reader.NextPackage(&entry, &overlong)) {
      const std::string cpv = *entry.Find("CPV");
      HttpResponse file = HostGet(base + "/" + *entry.Find("PATH"));
      EXPECT_EQ(file.status, 200) << cpv;
      EXPECT_EQ(std::to_string(file.body.size()), *entry.Find("SIZE")) << cpv;
      EXPECT_EQ(Sha256Hex(file.body), *entry.Find("SHA256")) << cpv;
      view.files[cpv] = file.body;
    }
    EXPECT_EQ(std::to_string(view.files.size()), view.header["PACKAGES"]);
    return view;
  }

  json Releases() { return h_.GetJson("/api/v1/releases")["items"]; }

  std::string Promoted() {
    json s = h_.GetJson("/api/v1/swarm");
    return s.is_null() ? "" : s["status"]["release"]["promoted"].get<std::string>();
  }

  // Waits until the promoted release is not `was`; its name ("" on timeout).
  std::string WaitPromotedOtherThan(const std::string& was) {
    std::string now;
    WaitFor(
        [&] {
          now = Promoted();
          return !now.empty() && now != was;
        },
        seconds(30));
    return now == was ? "" : now;
  }

  json Post(const std::string& path) {
    auto client = h_.Client(h_.admin_token());
    auto r = client->Post(path, "");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? json::parse(r->body, nullptr, false) : json();
  }

  static ino_t Inode(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_ino;
  }
};

TEST_F(ReleasesTest, HostsFollowCurrentThroughAPromotionAndARollbackByteForByte) {
  std::map<std::string, std::string> fast = {{"FAKE_EMERGE_BUILD_SECONDS", "0.05"}};
  Start({{"drone-izar", "2", "32Gi", fast}, {"drone-tarn", "2", "32Gi", fast}}, dag_);
  EXPECT_EQ(HostGet("/binhost/current/Packages").status, 404) << "nothing promoted yet";
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();

  const std::string first = WaitPromotedOtherThan("");
  ASSERT_FALSE(first.empty()) << Diagnose();
  json releases = Releases();
  ASSERT_EQ(releases.size(), 1u) << releases.dump();
  EXPECT_EQ(releases[0]["metadata"]["name"], first);
  EXPECT_EQ(releases[0]["status"]["packageCount"], 30);
  EXPECT_EQ(releases[0]["status"]["promoted"], true);
  EXPECT_EQ(releases[0]["status"]["treeRevision"], dag_);
  EXPECT_EQ(first.substr(first.size() - 9), "-" + dag_.substr(0, 8));
  EXPECT_EQ(h_.SwarmCondition("Released"), "True/Promoted");
  int64_t bytes = 0;
  for (const auto& p : Packages()) bytes += p["status"]["binpkg"]["size"].get<int64_t>();
  EXPECT_EQ(releases[0]["status"]["bytes"], bytes);

  HostView one = ReadCurrent();
  EXPECT_EQ(one.files.size(), 30u);
  EXPECT_EQ(one.header["URI"], h_.url() + "/binhost/releases/" + first);
  EXPECT_EQ(one.header["TIMESTAMP"],
            std::to_string(releases[0]["status"]["indexTimestamp"].get<int64_t>()));
  // Hard links of the published files, not copies.
  const json some = Packages()[0];
  const std::string path = some["status"]["binpkg"]["path"];
  EXPECT_EQ(Inode(h_.dir().File("binhost/.releases/" + first + "/" + path)),
            Inode(h_.dir().File("binhost/" + path)));

  // A second queue, on a tree that bumps every package.
  const std::string bumped = BumpEveryVersionOnDag();
  std::string yaml = ReadFile(h_.dir().File("swarm.yaml"));
  yaml.replace(yaml.find(dag_), dag_.size(), bumped);
  auto applied = h_.Swarmctl({"apply", "-f", h_.dir().Write("swarm-bumped.yaml", yaml)});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const std::string second = WaitPromotedOtherThan(first);
  ASSERT_FALSE(second.empty()) << Diagnose();
  // The first queue's files leave the live tree; the first release keeps its links.
  EXPECT_TRUE(WaitFor([&] { return !std::filesystem::exists(h_.dir().File("binhost/" + path)); }))
      << path << " is still in the live tree";
  EXPECT_TRUE(std::filesystem::exists(h_.dir().File("binhost/.releases/" + first + "/" + path)));
  HostView two = ReadCurrent();
  EXPECT_EQ(two.files.size(), 30u);
  for (const auto& [cpv, content] : two.files) {
    EXPECT_EQ(cpv.substr(cpv.size() - 4), "-1.1") << "the new set whole: " << cpv;
  }
  EXPECT_GT(std::stoll(two.header["TIMESTAMP"]), std::stoll(one.header["TIMESTAMP"]));
  json detail = h_.GetJson("/api/v1/releases/" + second);
  EXPECT_EQ(detail["status"]["previous"], first);
  EXPECT_EQ(detail["status"]["changes"]["added"].size(), 30u);
  EXPECT_EQ(detail["status"]["changes"]["removed"].size(), 30u);
  EXPECT_EQ(detail["status"]["changes"]["rebuilt"].size(), 0u);

  // A host that read the first index before the switch still gets the
  // first release's files from its address.
  const std::string old_base = one.header["URI"].substr(h_.url().size());
  HttpResponse late = HostGet(old_base + "/Packages");
  EXPECT_EQ(late.status, 200);
  std::istringstream late_in(late.body);
  api::IndexReader late_reader(late_in);
  api::IndexBlock late_entry;
  bool late_overlong = false;
  ASSERT_TRUE(late_reader.ReadHeader(&late_entry));
  int fetched = 0;
  while (late_reader.NextPackage(&late_entry, &late_overlong)) {
    HttpResponse file = HostGet(old_base + "/" + *late_entry.Find("PATH"));
    EXPECT_EQ(file.body, one.files[*late_entry.Find("CPV")]) << *late_entry.Find("CPV");
    ++fetched;
  }
  EXPECT_EQ(fetched, 30);

  // Rollback: the first set again, byte for byte, with a newer TIMESTAMP
  // than any the host has cached.
  json back = Post("/api/v1/rollback");
  EXPECT_EQ(back["metadata"]["name"], first) << back.dump();
  EXPECT_EQ(Promoted(), first);
  HostView again = ReadCurrent();
  EXPECT_EQ(again.files, one.files);
  EXPECT_GT(std::stoll(again.header["TIMESTAMP"]), std::stoll(two.header["TIMESTAMP"]));
  ASSERT_TRUE(WaitFor([&] { return h_.SwarmCondition("Released") == "False/OlderPromoted"; }))
      << h_.SwarmCondition("Released");
  EXPECT_EQ(CountEvents("kind=Release", "ReleaseCut"), 2);
  EXPECT_EQ(CountEvents("kind=Release", "ReleasePromoted"), 2);
  EXPECT_EQ(CountEvents("kind=Release&name=" + first, "ReleaseRolledBack"), 1);
  EXPECT_EQ(Post("/api/v1/rollback")["code"], 409) << "nothing before the first";
}

TEST_F(ReleasesTest, ManualPromotionServesNothingNewUntilTheOperatorSaysAndPruningKeepsWhatItMust) {
  std::map<std::string, std::string> fast = {{"FAKE_EMERGE_BUILD_SECONDS", "0.05"}};
  Start({{"drone-izar", "2", "32Gi", fast}}, dag_,
        "  binhost:\n    promotion: Manual\n    keepReleases: 2\n");
  ASSERT_TRUE(WaitAllComplete(30)) << Diagnose();
  ASSERT_TRUE(WaitFor([&] { return Releases().size() == 1; }, seconds(30))) << Diagnose();
  const std::string first = Releases()[0]["metadata"]["name"];
  ASSERT_TRUE(
      WaitFor([&] { return h_.SwarmCondition("Released") == "False/AwaitingPromotion"; }))
      << h_.SwarmCondition("Released");
  EXPECT_EQ(HostGet("/binhost/current/Packages").status, 404);
  EXPECT_EQ(HostGet("/binhost/releases/" + first + "/Packages").status, 200);

  json promoted = Post("/api/v1/releases/" + first + "/promote");
  EXPECT_EQ(promoted["status"]["promoted"], true) << promoted.dump();
  EXPECT_EQ(ReadCurrent().files.size(), 30u);
  ASSERT_TRUE(WaitFor([&] { return h_.SwarmCondition("Released") == "True/Promoted"; }));

  // Two more cut by hand: three is one more than keepReleases; the
  // promoted one stays, the one after it goes.
  std::vector<std::string> names = {first};
  for (int i = 0; i < 2; ++i) {
    json accepted = Post("/api/v1/releases");
    EXPECT_FALSE(accepted["message"].get<std::string>().empty()) << accepted.dump();
    ASSERT_TRUE(WaitFor(
        [&] {
          json rs = Releases();
          return !rs.empty() && rs.back()["metadata"]["name"] != names.back();
        },
        seconds(30)));
    names.push_back(Releases().back()["metadata"]["name"]);
  }
  ASSERT_TRUE(WaitFor([&] { return Releases().size() == 2; }, seconds(30))) << Releases().dump();
  json rs = Releases();
  EXPECT_EQ(rs[0]["metadata"]["name"], first);
  EXPECT_EQ(rs[1]["metadata"]["name"], names[2]);
  EXPECT_EQ(HostGet("/binhost/releases/" + names[1] + "/Packages").status, 404);
  EXPECT_EQ(CountEvents("kind=Release&name=" + names[1], "ReleasePruned"), 1);
  EXPECT_EQ(Promoted(), first) << "Manual: a release cut by hand is not promoted";
  EXPECT_EQ(Post("/api/v1/releases/no-such/promote")["code"], 404);
}

}  // namespace
}  // namespace swarm::testing
