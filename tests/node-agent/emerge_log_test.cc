#include "node-agent/emerge_log.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace swarm::agent
