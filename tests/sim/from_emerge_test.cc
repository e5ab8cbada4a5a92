#include "sim/from_emerge.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace swarm::sim {
namespace {

// emerge --pretend --tree --color=n --nospinner, as portage prints it.
constexpr char kPretend[] =
    "\nThese are the packages that would be merged, in reverse order:\n\n"
    "Calculating dependencies... done!\n"
    "[ebuild     U  ] www-client/chromium-133.0.6943.53 [132.0.6834.159]\n"
    "[ebuild     U  ]  llvm-core/clang-19.1.7 [19.1.4]\n"
    "[ebuild     U  ]   llvm-core/llvm-19.1.7 [19.1.4]\n"
    "[ebuild     U  ]    dev-libs/libxml2-2.13.6 [2.13.5]\n"
    "[ebuild  N     ] app-misc/new-thing-1.0\n"
    "\nTotal: 5 packages (4 upgrades, 1 new), Size of downloads: 0 KiB\n";

constexpr char kLog[] =
    "1733472010:  >>> emerge (1 of 3) dev-libs/libxml2-2.13.5 to /\n"
    "1733472130:  ::: completed emerge (1 of 3) dev-libs/libxml2-2.13.5 to /\n"
    "1733472131:  >>> emerge (2 of 3) llvm-core/llvm-19.1.7 to /\n"
    "1733476631:  ::: completed emerge (2 of 3) llvm-core/llvm-19.1.7 to /\n"
    "1733476632:  >>> emerge (3 of 3) www-client/chromium-132.0.6834.159 to /\n"
    "1733512632:  ::: completed emerge (3 of 3) www-client/chromium-132.0.6834.159 to /\n";

TEST(FromEmergeTest, TimesEachPackageFromTheLogAndKeepsTheTree) {
  auto r = WorkloadFromEmerge(kPretend, kLog, {16, 600, 32, 60});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->workload.packages.size(), 5u);
  std::map<std::string, WorkPackage> p;
  std::set<std::string> before;
  for (const auto& w : r->workload.packages) {
    for (const auto& d : w.deps) EXPECT_TRUE(before.count(d)) << "merge order: " << d << " first";
    before.insert(w.name);
    p[w.name] = w;
  }
  const WorkPackage& libxml2 = p["dev-libs/libxml2-2.13.6"];
  EXPECT_EQ(libxml2.cpu_seconds, 120) << "another version's time, on one core";
  EXPECT_EQ(libxml2.parallelism, 1);
  const WorkPackage& llvm = p["llvm-core/llvm-19.1.7"];
  EXPECT_EQ(llvm.deps, std::vector<std::string>{"dev-libs/libxml2-2.13.6"});
  EXPECT_EQ(llvm.cpu_seconds, 4500 * 16) << "75 minutes: it used the whole machine";
  EXPECT_EQ(llvm.parallelism, 32) << "and would use up to 32 on a bigger drone";
  EXPECT_EQ(p["llvm-core/clang-19.1.7"].cpu_seconds, 60) << "never in the log";
  EXPECT_EQ(p["www-client/chromium-133.0.6943.53"].cpu_seconds, 36000 * 16);
  EXPECT_EQ(p["www-client/chromium-133.0.6943.53"].deps,
            std::vector<std::string>{"llvm-core/clang-19.1.7"});
  EXPECT_EQ(r->timed_by_other_version, 2);
  EXPECT_EQ(std::set<std::string>(r->untimed.begin(), r->untimed.end()),
            (std::set<std::string>{"llvm-core/clang-19.1.7", "app-misc/new-thing-1.0"}));
  // What it writes reads back as a workload.
  auto back = ParseWorkload(WorkloadToJson(r->workload), "made.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->packages.size(), 5u);
  EXPECT_EQ(back->packages[3].deps, r->workload.packages[3].deps);
}

TEST(FromEmergeTest, SaysWhatIsWrong) {
  auto none = WorkloadFromEmerge("nothing to merge here\n", kLog, {16, 600, 32, 60});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message().rfind("--pretend: ", 0), 0u) << none.status().message();
  auto cores = WorkloadFromEmerge(kPretend, kLog, {0, 600, 32, 60});
  ASSERT_FALSE(cores.ok());
  EXPECT_NE(cores.status().message().find("--cores 0"), std::string::npos);
}

}  // namespace
}  // namespace swarm::sim
