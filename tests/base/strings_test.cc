#include "base/strings.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace swarm {
namespace {

TEST(StringsTest, ErrnoTextNamesTheError) {
  EXPECT_EQ(ErrnoText(ENOENT), "No such file or directory");
  errno = EACCES;
  EXPECT_EQ(ErrnoText(), "Permission denied");
}

TEST(StringsTest, AsciiLowerTouchesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("ABCdef-09_XYZ"), "abcdef-09_xyz");
  EXPECT_EQ(AsciiLower("\xC3\x84"), "\xC3\x84");  // UTF-8 'Ä' is left alone
}

TEST(StringsTest, IsAsciiDigit) {
  EXPECT_TRUE(IsAsciiDigit('0'));
  EXPECT_TRUE(IsAsciiDigit('9'));
  EXPECT_FALSE(IsAsciiDigit('a'));
  EXPECT_FALSE(IsAsciiDigit('\xB2'));  // superscript two in Latin-1
}

TEST(StringsTest, TrimRemovesEveryKindOfSpaceAtBothEnds) {
  EXPECT_EQ(Trim(" \t\r\n\v\f token \n"), "token");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \n "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(StringsTest, JoinPutsTheSeparatorBetweenParts) {
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(Join({"a"}, ", "), "a");
  EXPECT_EQ(Join({"a", "", "c"}, "; "), "a; ; c");
}

TEST(StringsTest, CutUtf8NeverSplitsACharacter) {
  const std::string euro = "\xE2\x82\xAC";   // U+20AC, three bytes
  const std::string s = "ab" + euro + "cd";  // 7 bytes
  EXPECT_EQ(CutUtf8(s, 7), s);
  EXPECT_EQ(CutUtf8(s, 5), "ab" + euro);
  EXPECT_EQ(CutUtf8(s, 4), "ab") << "not the first two bytes of the euro sign";
  EXPECT_EQ(CutUtf8(s, 3), "ab");
  EXPECT_EQ(CutUtf8(s, 0), "");
  EXPECT_EQ(CutUtf8("\x80\x80\x80\x80\x80\x80", 5).size(), 2u)
      << "invalid UTF-8 is cut as it falls, a few bytes short";
}

TEST(StringsTest, CutUtf8TailKeepsTheEndWithoutSplittingACharacter) {
  const std::string euro = "\xE2\x82\xAC";
  const std::string s = "ab" + euro + "cd";
  EXPECT_EQ(CutUtf8Tail(s, 7), s);
  EXPECT_EQ(CutUtf8Tail(s, 5), euro + "cd");
  EXPECT_EQ(CutUtf8Tail(s, 4), "cd") << "not the last two bytes of the euro sign";
  EXPECT_EQ(CutUtf8Tail(s, 2), "cd");
  EXPECT_EQ(CutUtf8Tail(s, 0), "");
}

TEST(StringsTest, QuoteCutsLongValues) {
  EXPECT_EQ(Quote("abc"), "\"abc\"");
  EXPECT_EQ(Quote("abcdef", 6), "\"abcdef\"");
  EXPECT_EQ(Quote("abcdefg", 6), "\"abcdef...\"");
  EXPECT_EQ(Quote(""), "\"\"");
}

}  // namespace
}  // namespace swarm
