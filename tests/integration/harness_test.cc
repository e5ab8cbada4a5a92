#include "tests/integration/harness.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace swarm::testing {
namespace {

// Under hack/test.sh --sanitize a program that hits undefined behaviour prints
// the report to its stderr and exits; the harness must turn that into a failure
// even when the test itself would not notice.
TEST(HarnessTest, ASanitizerReportOnStderrFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(
      RunCommand({"/bin/sh", "-c",
                  "echo 'api/quantity.cc:70:12: runtime error: signed integer overflow' >&2"}),
      "sanitizer report from /bin/sh");
}

TEST(HarnessTest, ASanitizerReportInAProcessLogFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(
      {
        TempDir dir;
        auto p = Process::Start({"/bin/sh", "-c", "echo '==1==ERROR: AddressSanitizer: x' >&2"},
                                dir.File("log"));
        ASSERT_NE(p, nullptr);
        p->Wait();
      },
      "ERROR: AddressSanitizer");
}

TEST(HarnessTest, OrdinaryOutputIsNoReport) {
  const CommandOutput out = RunCommand({"/bin/sh", "-c", "echo 'no error here' >&2; exit 3"});
  EXPECT_EQ(out.exit_code, 3);
  EXPECT_EQ(out.err, "no error here\n");
}

}  // namespace
}  // namespace swarm::testing
