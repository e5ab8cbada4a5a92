#include "base/strings.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

TEST(StringsTest, FindInvalidUtf8NamesTheFirstByteThatIsNotUtf8) {
  const std::string npos_ok[] = {"",
                                 "plain ASCII",
                                 "gr\xc3\xbc\xc3\x9f",
                                 "\xe2\x82\xac 5",
                                 "\xf0\x9f\x90\xa7",
                                 "\xef\xbf\xbd",
                                 "\xf4\x8f\xbf\xbf"};
  for (const std::string& s : npos_ok) EXPECT_EQ(FindInvalidUtf8(s), std::string::npos) << s;
  EXPECT_EQ(FindInvalidUtf8("@wo\xf2ld"), 3u);           // a lead byte without its tail
  EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2u);              // a tail without its lead
  EXPECT_EQ(FindInvalidUtf8("\xc3"), 0u);                // cut short
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);            // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xe0\x80\xaf"), 0u);        // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);        // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xf5\x80\x80\x80"), 2u);  // no such lead byte
}

// What JSON refuses is exactly what FindInvalidUtf8 finds: every string of
// one and two bytes, and longer ones whose bytes sit at the edges of the
// ranges the encoding allows.
TEST(StringsTest, FindInvalidUtf8AgreesWithTheJsonParser) {
  auto json_accepts = [](const std::string& s) {
    return !nlohmann::json::parse("\"" + s + "\"", nullptr, false).is_discarded();
  };
  std::vector<std::string> cases;
  auto printable = [](int b) { return b >= 0x20 && b != '"' && b != '\\'; };
  for (int a = 0; a < 256; ++a) {
    if (!printable(a)) continue;
    cases.push_back(std::string(1, char(a)));
    for (int b = 0; b < 256; ++b) {
      if (printable(b)) cases.push_back({char(a), char(b)});
    }
  }
  const int edges[] = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
  for (int lead = 0xe0; lead < 0x100; ++lead) {
    for (int b : edges) {
      for (int c : edges) {
        cases.push_back({char(lead), char(b), char(c)});
        for (int d : edges) cases.push_back({char(lead), char(b), char(c), char(d)});
      }
    }
  }
  for (const std::string& s : cases) {
    EXPECT_EQ(FindInvalidUtf8(s) == std::string::npos, json_accepts(s))
        << ::testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace swarm
