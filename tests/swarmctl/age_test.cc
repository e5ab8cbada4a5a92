#include "swarmctl/age.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(FormatAgeTest, KeepsTheMostSignificantUnitTruncated) {
  EXPECT_EQ(FormatAge(seconds(0)), "0s");
  EXPECT_EQ(FormatAge(milliseconds(5999)), "5s");
  EXPECT_EQ(FormatAge(seconds(59)), "59s");
  EXPECT_EQ(FormatAge(seconds(60)), "1m");
  EXPECT_EQ(FormatAge(seconds(3 * 60 + 59)), "3m");
  EXPECT_EQ(FormatAge(minutes(59)), "59m");
  EXPECT_EQ(FormatAge(hours(2) + minutes(59)), "2h");
  EXPECT_EQ(FormatAge(hours(23)), "23h");
  EXPECT_EQ(FormatAge(hours(24 * 4 + 23)), "4d");
  EXPECT_EQ(FormatAge(hours(24 * 364)), "364d");
  EXPECT_EQ(FormatAge(hours(24 * 365 * 2 + 5)), "2y");
}

TEST(FormatAgeTest, ToleratesASecondOfClockSkew) {
  EXPECT_EQ(FormatAge(milliseconds(-1500)), "0s");
  EXPECT_EQ(FormatAge(seconds(-2)), "<invalid>");
}

TEST(AgeOfTest, ReadsRfc3339AndRefusesTheRest) {
  WallTime now = ParseTime("2026-02-05T10:30:05Z").value();
  EXPECT_EQ(AgeOf(std::string("2026-02-05T10:30:00Z"), now), "5s");
  EXPECT_EQ(AgeOf(std::string("2026-02-01T10:30:00Z"), now), "4d");
  EXPECT_EQ(AgeOf(std::nullopt, now), std::nullopt);
  EXPECT_EQ(AgeOf(std::string("yesterday"), now), std::nullopt);
}

}  // namespace
}  // namespace swarm::ctl
