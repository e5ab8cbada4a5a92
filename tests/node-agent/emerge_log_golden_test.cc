// ParseEmergeLog and BuildTimes on the emerge.log real portage wrote while
// building the test repository's first revision (tests/golden/real-portage/,
// its times moved to start at a fixed second, durations kept).

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "node-agent/emerge_log.h"
#include "tests/support/real_portage_golden.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadRealPortageGolden;

// The seconds on the first line of the golden log that holds `marker` and
// `cpv` followed by " to ": a reading of its own, so that the durations
// below do not depend on the parser under test nor on the capture's run.
long GoldenLogTime(const std::string& log, const std::string& marker, const std::string& cpv) {
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(marker) != std::string::npos && line.find(") " + cpv + " to ") != line.npos) {
      return std::strtol(line.c_str(), nullptr, 10);
    }
  }
  ADD_FAILURE() << "no \"" << marker << "\" line for " << cpv;
  return -1;
}

// The order in which emerge merged revision 1's @world when not asked for
// --tree (another order than --pretend --tree's reversed one; both put
// dependencies first).
const std::vector<std::string> kGoldenMergeOrder = {
    "dev-libs/libcore-1.0",   "sys-libs/zlib-lite-1.3", "sys-libs/libheavy-1.0",
    "dev-libs/libcompat-1.0", "dev-libs/libutil-1.2",   "dev-libs/libtls-1.0",
    "dev-libs/libcompat-2.0", "dev-libs/libxml-lite-2.1", "app-misc/heavy-app-1.0",
    "app-misc/tool-a-1.0",    "app-misc/tool-b-2.0",    "app-misc/legacy-1.0",
    "net-libs/libnet-0.9",    "net-misc/fetcher-1.0",   "app-misc/suite-1.0"};

TEST(EmergeLogGoldenTest, EveryCompiledMergeOfARealLogWithItsDuration) {
  const std::string log = ReadRealPortageGolden("emerge.log");
  ASSERT_FALSE(log.empty());
  const std::vector<LoggedMerge> merges = ParseEmergeLog(log);
  ASSERT_EQ(merges.size(), kGoldenMergeOrder.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const std::string& cpv = kGoldenMergeOrder[i];
    SCOPED_TRACE(cpv);
    EXPECT_EQ(merges[i].cpv, cpv);
    // "Compiling/Packaging" (FEATURES=buildpkg), never "Merging Binary".
    EXPECT_FALSE(merges[i].binary);
    const long started = GoldenLogTime(log, ">>> emerge (", cpv);
    const long completed = GoldenLogTime(log, "::: completed emerge (", cpv);
    EXPECT_EQ(merges[i].started, started);
    EXPECT_EQ(merges[i].seconds, completed - started);
    // From source, even these small packages take seconds: portage's phases.
    EXPECT_GE(merges[i].seconds, 2);
  }
}

TEST(EmergeLogGoldenTest, BuildTimesGiveRevision2ItsPredecessorsTimes) {
  const std::string log = ReadRealPortageGolden("emerge.log");
  const BuildTimes times(log);
  ASSERT_FALSE(times.empty());
  const long libutil = GoldenLogTime(log, "::: completed emerge (", "dev-libs/libutil-1.2") -
                       GoldenLogTime(log, ">>> emerge (", "dev-libs/libutil-1.2");
  bool other = false;
  EXPECT_EQ(times.For("dev-libs/libutil-1.2", &other), libutil);
  EXPECT_FALSE(other);
  // Revision 2 bumps libutil to 1.3: the estimate is 1.2's build.
  EXPECT_EQ(times.For("dev-libs/libutil-1.3", &other), libutil);
  EXPECT_TRUE(other);
  // New in revision 2: nothing to go by.
  EXPECT_EQ(times.For("app-misc/newcomer-1.0"), std::nullopt);
}

}  // namespace
}  // namespace swarm::agent
