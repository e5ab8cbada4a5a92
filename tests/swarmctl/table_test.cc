#include "swarmctl/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace swarm::ctl {
namespace {

TEST(TableTest, AlignsColumnsLeftWithThreeSpaces) {
  Table t({"NAME", "READY", "LAST SEEN"});
  t.AddRow({"drone-izar", "True", "5s"});
  t.AddRow({"d", "Unknown", "<never>"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(),
            "NAME         READY     LAST SEEN\n"
            "drone-izar   True      5s\n"
            "d            Unknown   <never>\n");
}

TEST(TableTest, PadsShortRowsAndTrimsTrailingBlanks) {
  Table t({"A", "B", "C"});
  t.AddRow({"x"});
  std::ostringstream out;
  t.Print(out, "  ");
  EXPECT_EQ(out.str(), "  A   B   C\n  x\n");
}

TEST(TableTest, KeepsAMultiLineCellOnOneLine) {
  Table t({"MESSAGE", "X"});
  t.AddRow({"two\nlines", "y"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "MESSAGE     X\ntwo lines   y\n");
}

TEST(TableTest, MeasuresUtf8ByCharacters) {
  Table t({"N", "X"});
  t.AddRow({"\xC3\xA9t\xC3\xA9", "1"});  // "été": three columns, five bytes
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "N     X\n\xC3\xA9t\xC3\xA9   1\n");
}

}  // namespace
}  // namespace swarm::ctl
