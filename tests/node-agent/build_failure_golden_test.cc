// ClassifyBuildFailure on real portage's failures (tests/golden/real-portage/,
// hack/real-portage/regen-golden.sh): each run as a drone runs a build
// (build_executor.cc's arguments), with and without colour codes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "node-agent/build_failure.h"
#include "tests/support/real_portage_golden.h"

namespace swarm::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using swarm::testing::ReadRealPortageGolden;

struct GoldenFailure {
  const char* file;
  bool coloured;  // the capture itself holds ANSI escapes
  FailureClass want;
  const char* phase;
  const char* reason;  // exactly
};

// Names a case by its capture in test output, not by its bytes.
void PrintTo(const GoldenFailure& g, std::ostream* os) { *os << g.file; }

constexpr char kCompileReason[] =
    "ERROR: app-misc/broken-1.0::swarm-test failed (compile phase): gcc failed on broken.c";
constexpr char kSlotReason[] =
    "!!! Multiple package instances within a single package slot have been pulled into the "
    "dependency graph, resulting in a slot conflict:";

class BuildFailureGoldenTest : public ::testing::TestWithParam<GoldenFailure> {};

TEST_P(BuildFailureGoldenTest, ClassifiesAsARealDroneWould) {
  const GoldenFailure& g = GetParam();
  const std::string text = ReadRealPortageGolden(g.file);
  ASSERT_FALSE(text.empty()) << "no capture " << g.file;
  // A test of stripping only if there is something to strip.
  EXPECT_EQ(text.find('\x1b') != std::string::npos, g.coloured);

  const BuildFailure f = ClassifyBuildFailure(text, 1, false, 0);
  EXPECT_STREQ(FailureClassName(f.failure_class), FailureClassName(g.want));
  EXPECT_EQ(f.phase, g.phase);
  EXPECT_EQ(f.reason, g.reason);
  EXPECT_FALSE(f.out_of_memory);
  EXPECT_THAT(f.log_tail, Not(HasSubstr("\x1b")));
  EXPECT_FALSE(f.log_tail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    RealPortage, BuildFailureGoldenTest,
    ::testing::Values(
        // gcc colours its diagnostics even here: portage runs phases on a pty.
        GoldenFailure{"compile-failure.txt", true, FailureClass::kPackage, "compile",
                      kCompileReason},
        // No NOCOLOR: ebuild messages (" * ERROR:") coloured too, under --color=n.
        GoldenFailure{"compile-failure.color.txt", true, FailureClass::kPackage, "compile",
                      kCompileReason},
        GoldenFailure{"missing-atom.txt", false, FailureClass::kSystemic, "",
                      "emerge: there are no ebuilds to satisfy \"=app-misc/newcomer-1.0\"."},
        GoldenFailure{"missing-atom-rev-2.txt", false, FailureClass::kSystemic, "",
                      "emerge: there are no ebuilds to satisfy \"=app-misc/legacy-1.0\"."},
        GoldenFailure{"slot-conflict.txt", false, FailureClass::kSystemic, "", kSlotReason},
        GoldenFailure{"slot-conflict.color.txt", true, FailureClass::kSystemic, "", kSlotReason}),
    [](const ::testing::TestParamInfo<GoldenFailure>& info) {
      std::string name;
      for (const char* c = info.param.file; *c != '\0'; ++c) {
        if (std::isalnum(static_cast<unsigned char>(*c))) name.push_back(*c);
      }
      return name;
    });

}  // namespace
}  // namespace swarm::agent
