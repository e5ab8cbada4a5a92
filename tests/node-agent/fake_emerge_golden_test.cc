// The fake emerge (hack/fake-portage/emerge) against real portage's captures
// (tests/golden/real-portage/): for the same tree it must print the same
// merge list, and its failure samples must be real output that the agent
// reads as it reads the real failures.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "base/command_runner.h"
#include "node-agent/build_failure.h"
#include "node-agent/emerge_pretend.h"
#include "tests/node-agent/fake_portage.h"
#include "tests/support/real_portage_golden.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using ::testing::HasSubstr;
using swarm::testing::ReadFile;
using swarm::testing::ReadRealPortageGolden;
using testing::FakePortagePath;

// The fake's world.tree for a real --tree capture: one line per merge-list
// line, "<depth> <ebuild|nomerge> <cat/pkg-ver> [installed version]".
std::string FakeWorldTreeOf(const std::string& capture) {
  static const std::regex kLine(
      R"(^\[(ebuild|nomerge) [^\]]*\] ( *)([^ :]+)(::[^ ]+)?( \[([^\]:]+)(::[^\]]+)?\])?.*$)");
  std::istringstream in(capture);
  std::string tree;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) continue;
    tree += std::to_string(m[2].length()) + " " + m[1].str() + " " + m[3].str();
    // "[old]": an upgrade (or a nomerge line over one); none: new, or for
    // nomerge installed as it is, which the fake prints alike.
    if (m[6].matched) tree += " " + m[6].str();
    tree += "\n";
  }
  return tree;
}

// What may differ: how long the resolver took, the USE column the fake does
// not print.
std::string ComparableOutput(const std::string& text) {
  std::string out = std::regex_replace(text, std::regex(R"(took [^ ]+ s)"), "took N s");
  return std::regex_replace(out, std::regex(R"(  USE="[^"]*" )"), " ");
}

class FakeEmergeGoldenTest : public ::testing::Test {
 protected:
  CommandResult Run(std::vector<std::string> argv, std::map<std::string, std::string> env = {}) {
    return testing::RunFakePortageCommand(runner_, std::move(argv), std::move(env));
  }

  // The fake's --pretend --tree (as discovery runs it) on the tree of `capture`.
  CommandResult FakePretend(const std::string& capture, bool verbose) {
    dir_.Write("repo/metadata/fake-emerge/world.tree", FakeWorldTreeOf(capture));
    std::vector<std::string> argv = {FakePortagePath("emerge"), "--fake-repo", dir_.File("repo"),
                                     "--pretend", "--tree", "--color=n", "--nospinner", "--update",
                                     "--deep", "--newuse", "--with-bdeps=y", "@world"};
    if (verbose) argv.push_back("--verbose");
    return Run(argv);
  }

  swarm::testing::TempDir dir_;
  ProcessRunner runner_;
};

TEST_F(FakeEmergeGoldenTest, PrintsTheRealMergeListForTheSameTree) {
  for (const char* file :
       {"pretend-tree-rev-1.txt", "pretend-tree-rev-2.txt", "pretend-tree-rev-2-upgrade.txt"}) {
    SCOPED_TRACE(file);
    const std::string real = ReadRealPortageGolden(file);
    ASSERT_FALSE(real.empty());
    const CommandResult fake = FakePretend(real, false);
    ASSERT_EQ(fake.exit_code, 0) << fake.output;
    EXPECT_EQ(ComparableOutput(fake.output), ComparableOutput(real));
  }
}

TEST_F(FakeEmergeGoldenTest, VerboseParsesAlikeAndCountsAlike) {
  // --verbose lines differ in what the fake does not know (":SLOT", the
  // repository's name); the queue and the Total line must not.
  for (const char* file : {"pretend-tree-verbose-rev-1.txt", "pretend-tree-verbose-rev-2.txt",
                           "pretend-tree-verbose-rev-2-upgrade.txt"}) {
    SCOPED_TRACE(file);
    const std::string real = ReadRealPortageGolden(file);
    ASSERT_FALSE(real.empty());
    const CommandResult fake = FakePretend(real, true);
    ASSERT_EQ(fake.exit_code, 0) << fake.output;
    auto from_fake = ParseEmergePretend(fake.output);
    auto from_real = ParseEmergePretend(real);
    ASSERT_TRUE(from_fake.ok()) << from_fake.status().ToString();
    ASSERT_TRUE(from_real.ok()) << from_real.status().ToString();
    EXPECT_EQ(*from_fake, *from_real);
    std::smatch total_real, total_fake;
    const std::regex kTotal(R"(\nTotal: [^\n]*\n)");
    ASSERT_TRUE(std::regex_search(real, total_real, kTotal));
    ASSERT_TRUE(std::regex_search(fake.output, total_fake, kTotal)) << fake.output;
    EXPECT_EQ(total_fake.str(), total_real.str());
  }
}

// The samples a fake build injects are cut from the real captures: the slot
// conflict's explanation whole; the compile failure from the compiler's
// command to the end of the die block, with the prefix's paths as a
// drone's (/var/...) and the log's date fixed.
TEST(FakeEmergeSamplesTest, AreCutFromTheRealCaptures) {
  const std::string slot = ReadFile(FakePortagePath("samples/slot-conflict.txt"));
  ASSERT_THAT(slot, HasSubstr("!!! Multiple package instances within a single package slot"));
  EXPECT_THAT(ReadRealPortageGolden("slot-conflict.txt"), HasSubstr(slot));

  std::string compile = ReadFile(FakePortagePath("samples/compile-failure.txt"));
  ASSERT_THAT(compile, HasSubstr(" * ERROR: "));
  compile = std::regex_replace(compile, std::regex("'/var/"), "'@PREFIX@/var/");
  compile = std::regex_replace(compile, std::regex(":20260301-100000\\.log"), ":@DATE@.log");
  EXPECT_THAT(ReadRealPortageGolden("compile-failure.txt"), HasSubstr(compile));
}

class FakeEmergeFailureGoldenTest : public FakeEmergeGoldenTest {
 protected:
  void SetUp() override {
    CommandResult made = Run({FakePortagePath("make-tree.sh"), dir_.File("tree")});
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }
  // A fake drone's build of an atom in its tree, with `inject` as its failure.
  CommandResult FakeBuild(const std::string& atom, const std::string& inject) {
    std::map<std::string, std::string> env = {{"PKGDIR", dir_.File("pkgdir")}};
    if (!inject.empty()) env["FAKE_EMERGE_FAIL_ALL"] = inject;
    return Run({FakePortagePath("emerge"), "--fake-repo", dir_.File("tree"), "--oneshot",
                "--usepkg", "--getbinpkg", "--buildpkg", "--color=n", "--nospinner", atom},
               env);
  }
  static BuildFailure Classify(const std::string& output, int exit_code) {
    return ClassifyBuildFailure(output, exit_code, false, 0);
  }
};

TEST_F(FakeEmergeFailureGoldenTest, InjectedSamplesClassifyAsTheRealFailures) {
  for (const auto& [sample, golden] :
       std::vector<std::pair<std::string, std::string>>{
           {"samples/compile-failure.txt", "compile-failure.txt"},
           {"samples/slot-conflict.txt", "slot-conflict.txt"}}) {
    SCOPED_TRACE(sample);
    const CommandResult fake =
        FakeBuild("=dev-libs/openssl-3.3.3", ReadFile(FakePortagePath(sample)));
    EXPECT_EQ(fake.exit_code, 1);
    const BuildFailure from_fake = Classify(fake.output, fake.exit_code);
    const BuildFailure from_real = Classify(ReadRealPortageGolden(golden), 1);
    EXPECT_STREQ(FailureClassName(from_fake.failure_class),
                 FailureClassName(from_real.failure_class));
    EXPECT_EQ(from_fake.phase, from_real.phase);
    EXPECT_EQ(from_fake.reason, from_real.reason);
  }
}

TEST_F(FakeEmergeFailureGoldenTest, AMissingAtomFailsWithTheRealMessage) {
  const CommandResult fake = FakeBuild("=app-misc/newcomer-1.0", "");
  EXPECT_EQ(fake.exit_code, 1);
  const std::string real = ReadRealPortageGolden("missing-atom.txt");
  const std::string line = "emerge: there are no ebuilds to satisfy \"=app-misc/newcomer-1.0\".\n";
  EXPECT_THAT(real, HasSubstr("\n" + line));
  EXPECT_THAT(fake.output, HasSubstr("\n" + line));
  EXPECT_EQ(Classify(fake.output, 1).reason, Classify(real, 1).reason);
}

}  // namespace
}  // namespace swarm::agent
