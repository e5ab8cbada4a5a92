#include "node-agent/emerge_log.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

// As portage's emergelog() writes it ("%d: %s" with the message's own
// leading space), two --jobs merges interleaved, one that failed.
constexpr char kLog[] =
    "1733472000: Started emerge on: Dec 06, 2024 08:00:00\n"
    "1733472000:  *** emerge --jobs=2 --update --deep --newuse @world\n"
    "1733472010:  >>> emerge (1 of 3) dev-libs/libxml2-2.13.5 to /\n"
    "1733472010:  === (1 of 3) Cleaning (dev-libs/libxml2-2.13.5::/var/db/repos/gentoo/dev-libs/"
    "libxml2/libxml2-2.13.5.ebuild)\n"
    "1733472011:  >>> emerge (2 of 3) llvm-core/llvm-19.1.7 to /\n"
    "1733472130:  ::: completed emerge (1 of 3) dev-libs/libxml2-2.13.5 to /\n"
    "1733472140:  >>> emerge (3 of 3) app-misc/broken-1 to /\n"
    "1733472150:  *** exiting unsuccessfully with status '1'.\n"
    "1733476511:  ::: completed emerge (2 of 3) llvm-core/llvm-19.1.7 to /\n"
    "garbage line\n"
    "x:  >>> emerge (1 of 1) a/b-1 to /\n"
    "1733480000:  >>> emerge (1 of 1) dev-libs/libxml2-2.13.6 to /\n"
    "1733480100:  ::: completed emerge (1 of 1) dev-libs/libxml2-2.13.6 to /";

TEST(EmergeLogTest, PairsEachCompletionWithItsStart) {
  auto merges = ParseEmergeLog(kLog);
  ASSERT_EQ(merges.size(), 3u);
  EXPECT_EQ(merges[0].cpv, "dev-libs/libxml2-2.13.5");
  EXPECT_EQ(merges[0].started, 1733472010);
  EXPECT_EQ(merges[0].seconds, 120);
  EXPECT_EQ(merges[1].cpv, "llvm-core/llvm-19.1.7");
  EXPECT_EQ(merges[1].seconds, 4500);
  EXPECT_EQ(merges[2].cpv, "dev-libs/libxml2-2.13.6");
  EXPECT_EQ(merges[2].seconds, 100) << "the last line has no newline";
}

TEST(EmergeLogTest, NothingReadableIsNothing) {
  EXPECT_TRUE(ParseEmergeLog("").empty());
  EXPECT_TRUE(ParseEmergeLog("::: completed emerge (1 of 1) a/b-1 to /\n").empty());
  EXPECT_TRUE(ParseEmergeLog("5:  ::: completed emerge (1 of 1) a/b-1 to /\n").empty())
      << "a completion without a start";
  EXPECT_TRUE(ParseEmergeLog("9:  >>> emerge (1 of 1) a/b-1 to /\n"
                             "5:  ::: completed emerge (1 of 1) a/b-1 to /\n")
                  .empty())
      << "the clock went backwards";
}

// A drone's log: it compiled openssl once, then installed a newer build of
// it and zlib from the binhost (Binpkg.py logs "Merging Binary").
constexpr char kDroneLog[] =
    "1733472000:  >>> emerge (1 of 1) dev-libs/openssl-3.3.2 to /\n"
    "1733472000:  === (1 of 1) Compiling/Merging (dev-libs/openssl-3.3.2::/var/db/repos/gentoo/"
    "dev-libs/openssl/openssl-3.3.2.ebuild)\n"
    "1733472300:  ::: completed emerge (1 of 1) dev-libs/openssl-3.3.2 to /\n"
    "1733480000:  >>> emerge (1 of 2) dev-libs/openssl-3.3.3 to /\n"
    "1733480000:  === (1 of 2) Merging Binary (dev-libs/openssl-3.3.3::/var/cache/binpkgs/"
    "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar)\n"
    "1733480004:  ::: completed emerge (1 of 2) dev-libs/openssl-3.3.3 to /\n"
    "1733480004:  >>> emerge (2 of 2) sys-libs/zlib-1.3.1 to /\n"
    "1733480004:  === (2 of 2) Merging Binary (sys-libs/zlib-1.3.1::/var/cache/binpkgs/"
    "sys-libs/zlib/zlib-1.3.1-1.gpkg.tar)\n"
    "1733480005:  ::: completed emerge (2 of 2) sys-libs/zlib-1.3.1 to /\n";

TEST(EmergeLogTest, BinaryInstallsAreMarkedAndTimeNoBuild) {
  auto merges = ParseEmergeLog(kDroneLog);
  ASSERT_EQ(merges.size(), 3u);
  EXPECT_FALSE(merges[0].binary);
  EXPECT_TRUE(merges[1].binary);
  EXPECT_TRUE(merges[2].binary);

  BuildTimes times(kDroneLog);
  bool other_version = false;
  // 3.3.3 was only installed: the compile of 3.3.2 times it.
  EXPECT_EQ(times.For("dev-libs/openssl-3.3.3", &other_version), 300);
  EXPECT_TRUE(other_version);
  EXPECT_EQ(times.For("sys-libs/zlib-1.3.1"), std::nullopt);
  EXPECT_EQ(BuildTimes(kLog).For("dev-libs/libxml2-2.13.6"), 100);
}

TEST(EmergeLogTest, DiscoveredPackagesGetTheirCompileTimes) {
  ::swarm::testing::TempDir dir;
  const std::string log = dir.Write("emerge.log", kDroneLog);
  std::vector<api::DiscoveredPackage> packages = {{"dev-libs/openssl-3.3.4", {}},
                                                  {"sys-libs/zlib-1.3.1", {}}};
  EXPECT_EQ(EstimateFromEmergeLog(log, packages), 1);
  EXPECT_EQ(packages[0].estimated_ms, 300000);
  EXPECT_EQ(packages[0].estimated_cpu_ms, 0) << "emerge.log holds wall times only";
  EXPECT_EQ(packages[1].estimated_ms, 0);
  EXPECT_EQ(EstimateFromEmergeLog(dir.File("missing.log"), packages), 0);
  EXPECT_EQ(EstimateFromEmergeLog("", packages), 0);
}

// Times are portage's Unix seconds; a log can still hold anything.
TEST(EmergeLogTest, TimesAreUnsignedAndBuildTimesAtMostAYear) {
  const std::string log =
      "-9223372036854775808:  >>> emerge (1 of 1) a/signed-1 to /\n"
      "9223372036854775807:  ::: completed emerge (1 of 1) a/signed-1 to /\n"
      "0:  >>> emerge (1 of 1) a/jump-1 to /\n"
      "9223372036854775807:  ::: completed emerge (1 of 1) a/jump-1 to /\n"
      "1733472000:  >>> emerge (1 of 1) a/year-1 to /\n"
      "1765094400:  ::: completed emerge (1 of 1) a/year-1 to /\n";
  auto merges = ParseEmergeLog(log);
  ASSERT_EQ(merges.size(), 2u) << "a signed time is not a time";
  EXPECT_EQ(merges[0].cpv, "a/jump-1");
  EXPECT_EQ(merges[0].seconds, INT64_MAX);
  EXPECT_EQ(merges[1].seconds, 31622400) << "366 days";
  std::vector<api::DiscoveredPackage> packages = {{"a/jump-1", {}}, {"a/year-1", {}}};
  ::swarm::testing::TempDir dir;
  EXPECT_EQ(EstimateFromEmergeLog(dir.Write("emerge.log", log), packages), 1);
  EXPECT_EQ(packages[0].estimated_ms, 0) << "no build takes longer than a year";
  EXPECT_EQ(packages[1].estimated_ms, api::kMaxBuildMs);
}

}  // namespace
}  // namespace swarm::agent
