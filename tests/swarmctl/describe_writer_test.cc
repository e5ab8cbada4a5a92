#include "swarmctl/describe_writer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace swarm::ctl {
namespace {

TEST(DescribeWriterTest, AlignsValuesWithinARunOfOneLevel) {
  DescribeWriter w;
  w.Field(0, "Name", "drone-izar");
  w.Lines(0, "Labels", {"a=1", "b=2"});
  w.Heading(0, "Status");
  w.Field(1, "Health", "HEALTHY");
  w.Field(1, "Consecutive Failures", "0");
  w.Lines(1, "Assignments", {});
  w.Field(0, "Events", "<none>");
  std::ostringstream out;
  w.Print(out);
  EXPECT_EQ(out.str(),
            "Name:    drone-izar\n"
            "Labels:  a=1\n"
            "         b=2\n"
            "Status:\n"
            "  Health:                HEALTHY\n"
            "  Consecutive Failures:  0\n"
            "  Assignments:           <none>\n"
            "Events:  <none>\n");
}

TEST(DescribeWriterTest, IndentsTablesUnderTheirHeading) {
  Table t({"TYPE", "STATUS"});
  t.AddRow({"Ready", "True"});
  DescribeWriter w;
  w.Heading(0, "Conditions");
  w.Rows(0, t);
  w.Field(0, "Multi", "one\ntwo");
  std::ostringstream out;
  w.Print(out);
  EXPECT_EQ(out.str(),
            "Conditions:\n"
            "  TYPE    STATUS\n"
            "  Ready   True\n"
            "Multi:  one\n"
            "        two\n");
}

}  // namespace
}  // namespace swarm::ctl
