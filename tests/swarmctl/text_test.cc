#include "swarmctl/text.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

TEST(OneLineTest, CollapsesWhitespaceRuns) {
  EXPECT_EQ(OneLine("  exit 1\n\tfatal:  bad \r\n"), "exit 1 fatal: bad");
  EXPECT_EQ(OneLine(""), "");
  EXPECT_EQ(OneLine(" \n "), "");
}

TEST(AbbreviateTest, CutsToTheLimitWithAnEllipsis) {
  EXPECT_EQ(Abbreviate("short", 10), "short");
  EXPECT_EQ(Abbreviate("exactly 10", 10), "exactly 10");
  EXPECT_EQ(Abbreviate("exactly 11!", 10), "exactly...");
  EXPECT_EQ(Abbreviate("abc def ghi", 8), "abc d...");
  EXPECT_EQ(Abbreviate("abcd efgh", 8), "abcd...");  // no space before the dots
  EXPECT_EQ(Abbreviate("a\nb\nc", 10), "a b c");
}

TEST(AbbreviateTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Abbreviate("ääää", 4), "ääää");
  EXPECT_EQ(Abbreviate("äääää", 4), "ä...");
}

}  // namespace
}  // namespace swarm::ctl
