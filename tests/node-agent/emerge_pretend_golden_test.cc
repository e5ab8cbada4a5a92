// ParseEmergePretend on what real portage (3.0.82) printed for discovery on
// the test repository (hack/real-portage/repo/), captured by
// hack/real-portage/regen-golden.sh into tests/golden/real-portage/.
//
// --tree shows each package once, under one of the packages that pulled it
// in (lib/_emerge/resolver/output_helpers.py, _ordered_tree_display), so the
// graph read from it holds the edges shown and no others: net-libs/libnet
// needs dev-libs/libutil, but libutil hangs under app-misc/tool-a, and the
// queue learns only that libutil merges first.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "node-agent/emerge_pretend.h"
#include "tests/support/real_portage_golden.h"

namespace swarm::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using swarm::testing::ReadRealPortageGolden;
using GoldenDeps = std::map<std::string, std::vector<std::string>>;

struct GoldenQueue {
  std::vector<std::string> order;
  GoldenDeps deps;
};

GoldenQueue ParseGoldenPretend(const std::string& file) {
  const std::string text = ReadRealPortageGolden(file);
  EXPECT_FALSE(text.empty()) << "no capture " << file;
  auto parsed = ParseEmergePretend(text);
  EXPECT_TRUE(parsed.ok()) << file << ": " << parsed.status().ToString();
  GoldenQueue q;
  if (!parsed.ok()) return q;
  std::set<std::string> before;
  for (const auto& p : *parsed) {
    for (const auto& d : p.dependencies) {
      EXPECT_TRUE(before.count(d)) << file << ": " << d << " after its dependent " << p.name;
    }
    before.insert(p.name);
    q.order.push_back(p.name);
    q.deps[p.name] = p.dependencies;
  }
  return q;
}

// Revision 1 from nothing installed: 15 packages, both slots of libcompat,
// libtls through libnet's USE=ssl (zstd-lite, behind USE=zstd, is not pulled).
const GoldenQueue& Rev1Queue() {
  static const GoldenQueue q{
      {"dev-libs/libcore-1.0", "dev-libs/libcompat-1.0", "dev-libs/libutil-1.2",
       "app-misc/tool-a-1.0", "app-misc/legacy-1.0", "sys-libs/zlib-lite-1.3",
       "dev-libs/libtls-1.0", "net-libs/libnet-0.9", "net-misc/fetcher-1.0",
       "dev-libs/libcompat-2.0", "dev-libs/libxml-lite-2.1", "app-misc/tool-b-2.0",
       "sys-libs/libheavy-1.0", "app-misc/heavy-app-1.0", "app-misc/suite-1.0"},
      {{"dev-libs/libcore-1.0", {}},
       {"dev-libs/libcompat-1.0", {"dev-libs/libcore-1.0"}},
       {"dev-libs/libutil-1.2", {}},
       {"app-misc/tool-a-1.0", {"dev-libs/libcompat-1.0", "dev-libs/libutil-1.2"}},
       {"app-misc/legacy-1.0", {}},
       {"sys-libs/zlib-lite-1.3", {}},
       {"dev-libs/libtls-1.0", {}},
       {"net-libs/libnet-0.9", {"dev-libs/libtls-1.0"}},
       {"net-misc/fetcher-1.0", {"sys-libs/zlib-lite-1.3", "net-libs/libnet-0.9"}},
       {"dev-libs/libcompat-2.0", {}},
       {"dev-libs/libxml-lite-2.1", {}},
       {"app-misc/tool-b-2.0", {"dev-libs/libcompat-2.0", "dev-libs/libxml-lite-2.1"}},
       {"sys-libs/libheavy-1.0", {}},
       {"app-misc/heavy-app-1.0", {"sys-libs/libheavy-1.0"}},
       // From the "[nomerge] app-misc/suite-1.0" line: @world lists suite
       // at the top alone, and again as nomerge over its dependencies.
       {"app-misc/suite-1.0",
        {"app-misc/tool-a-1.0", "app-misc/legacy-1.0", "net-misc/fetcher-1.0",
         "app-misc/tool-b-2.0"}}}};
  return q;
}

TEST(EmergePretendGoldenTest, Revision1TreeGivesTheGraphItShows) {
  const GoldenQueue got = ParseGoldenPretend("pretend-tree-rev-1.txt");
  EXPECT_EQ(got.order, Rev1Queue().order);
  EXPECT_EQ(got.deps, Rev1Queue().deps);
}

TEST(EmergePretendGoldenTest, VerboseAndColouredTreesGiveTheSameGraph) {
  // --verbose adds ":SLOT", "::repo", sizes and a Total line; --color=y
  // wraps every field in escapes.
  const std::string coloured = ReadRealPortageGolden("pretend-tree-color-rev-1.txt");
  ASSERT_THAT(coloured, HasSubstr("\x1b[32;01mebuild")) << "the capture has no colour codes";
  for (const char* file : {"pretend-tree-verbose-rev-1.txt", "pretend-tree-color-rev-1.txt"}) {
    SCOPED_TRACE(file);
    const GoldenQueue got = ParseGoldenPretend(file);
    EXPECT_EQ(got.order, Rev1Queue().order);
    EXPECT_EQ(got.deps, Rev1Queue().deps);
  }
}

TEST(EmergePretendGoldenTest, Revision2FromNothingShowsLibnetOverLibutil) {
  // Here the tree shows the edge revision 1's hid: libnet, already placed
  // under fetcher, comes back as a nomerge line over libutil-1.3.
  const GoldenQueue want{
      {"dev-libs/libcore-1.0", "dev-libs/libutil-1.3", "app-misc/newcomer-1.0",
       "sys-libs/zlib-lite-1.3", "dev-libs/libtls-1.0", "net-libs/libnet-0.9",
       "net-misc/fetcher-1.0", "dev-libs/libcompat-2.0", "dev-libs/libxml-lite-2.1",
       "app-misc/tool-b-2.0", "dev-libs/libcompat-1.0", "app-misc/tool-a-1.0",
       "sys-libs/libheavy-1.0", "app-misc/heavy-app-1.0", "app-misc/suite-1.1"},
      {{"dev-libs/libcore-1.0", {}},
       {"dev-libs/libutil-1.3", {"dev-libs/libcore-1.0"}},
       {"app-misc/newcomer-1.0", {}},
       {"sys-libs/zlib-lite-1.3", {}},
       {"dev-libs/libtls-1.0", {}},
       {"net-libs/libnet-0.9", {"dev-libs/libutil-1.3", "dev-libs/libtls-1.0"}},
       {"net-misc/fetcher-1.0", {"sys-libs/zlib-lite-1.3", "net-libs/libnet-0.9"}},
       {"dev-libs/libcompat-2.0", {}},
       {"dev-libs/libxml-lite-2.1", {}},
       {"app-misc/tool-b-2.0", {"dev-libs/libcompat-2.0", "dev-libs/libxml-lite-2.1"}},
       {"dev-libs/libcompat-1.0", {}},
       {"app-misc/tool-a-1.0", {"dev-libs/libcompat-1.0"}},
       {"sys-libs/libheavy-1.0", {}},
       {"app-misc/heavy-app-1.0", {"sys-libs/libheavy-1.0"}},
       {"app-misc/suite-1.1",
        {"app-misc/newcomer-1.0", "net-misc/fetcher-1.0", "app-misc/tool-b-2.0",
         "app-misc/tool-a-1.0"}}}};
  for (const char* file : {"pretend-tree-rev-2.txt", "pretend-tree-verbose-rev-2.txt"}) {
    SCOPED_TRACE(file);
    const GoldenQueue got = ParseGoldenPretend(file);
    EXPECT_EQ(got.order, want.order);
    EXPECT_EQ(got.deps, want.deps);
  }
}

TEST(EmergePretendGoldenTest, Revision2OverAnInstalledRevision1QueuesOnlyWhatChanged) {
  // "[ebuild     U  ] app-misc/suite-1.1 [1.0]" (no trailing blank after the
  // old version), and libutil-1.3 under a chain of nomerge lines
  // (fetcher, libnet): it goes to the nearest build above them.
  const GoldenQueue want{
      {"dev-libs/libutil-1.3", "app-misc/newcomer-1.0", "app-misc/suite-1.1"},
      {{"dev-libs/libutil-1.3", {}},
       {"app-misc/newcomer-1.0", {}},
       {"app-misc/suite-1.1", {"dev-libs/libutil-1.3", "app-misc/newcomer-1.0"}}}};
  for (const char* file :
       {"pretend-tree-rev-2-upgrade.txt", "pretend-tree-verbose-rev-2-upgrade.txt"}) {
    SCOPED_TRACE(file);
    const GoldenQueue got = ParseGoldenPretend(file);
    EXPECT_EQ(got.order, want.order);
    EXPECT_EQ(got.deps, want.deps);
  }
}

TEST(EmergePretendGoldenTest, BinariesAreNotQueuedButKeepWhatNeedsTheirDependencies) {
  // --usepkg --emptytree over revision 1's binary packages: twelve
  // "[binary   R    ]" lines, and libnet's binary hoisted to a top-level
  // "[nomerge] net-libs/libnet-0.9-1" over libutil-1.3. suite-1.1 needs
  // fetcher, which needs libnet, which needs libutil-1.3.
  const std::string text = ReadRealPortageGolden("pretend-tree-binary-rev-2.txt");
  ASSERT_THAT(text, HasSubstr("\n[nomerge       ] net-libs/libnet-0.9-1 \n"));
  const GoldenQueue got = ParseGoldenPretend("pretend-tree-binary-rev-2.txt");
  EXPECT_EQ(got.order, (std::vector<std::string>{"dev-libs/libutil-1.3", "app-misc/newcomer-1.0",
                                                 "app-misc/suite-1.1"}));
  EXPECT_EQ(got.deps,
            (GoldenDeps{{"dev-libs/libutil-1.3", {}},
                        {"app-misc/newcomer-1.0", {}},
                        {"app-misc/suite-1.1", {"dev-libs/libutil-1.3", "app-misc/newcomer-1.0"}}}));
}

TEST(EmergePretendGoldenTest, TheTwoRevisionsQueueDifferentPackages) {
  const GoldenQueue rev1 = ParseGoldenPretend("pretend-tree-rev-1.txt");
  const GoldenQueue rev2 = ParseGoldenPretend("pretend-tree-rev-2.txt");
  std::set<std::string> only1, only2;
  for (const auto& [name, deps] : rev1.deps) {
    if (!rev2.deps.count(name)) only1.insert(name);
  }
  for (const auto& [name, deps] : rev2.deps) {
    if (!rev1.deps.count(name)) only2.insert(name);
  }
  EXPECT_EQ(only1, (std::set<std::string>{"dev-libs/libutil-1.2", "app-misc/legacy-1.0",
                                          "app-misc/suite-1.0"}));
  EXPECT_EQ(only2, (std::set<std::string>{"dev-libs/libutil-1.3", "app-misc/newcomer-1.0",
                                          "app-misc/suite-1.1"}));
}

TEST(EmergePretendGoldenTest, ResolverFailuresAreRefusedEvenWithAMergeListAboveThem) {
  // The slot conflict prints a whole merge list on stdout before its
  // explanation on stderr: taken as a queue, it would build both libpins.
  const std::string conflict = ReadRealPortageGolden("slot-conflict.txt");
  ASSERT_THAT(conflict, HasSubstr("[ebuild  N     ] app-misc/pin-both-1.0 \n"));
  for (const char* file : {"slot-conflict.txt", "slot-conflict.color.txt", "missing-atom.txt"}) {
    SCOPED_TRACE(file);
    const std::string text = ReadRealPortageGolden(file);
    ASSERT_FALSE(text.empty());
    auto parsed = ParseEmergePretend(text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.status().message(), HasSubstr("emerge could not resolve the targets"));
  }
}

}  // namespace
}  // namespace swarm::agent
