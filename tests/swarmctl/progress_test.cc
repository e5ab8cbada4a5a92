#include "swarmctl/progress.h"

#include <gtest/gtest.h>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;  // 2026-02-05T10:30:05Z

TEST(ProgressTest, FromTheSwarmsStatusLessTheTimeSinceThePass) {
  const Json swarm = Json::parse(R"({"status":{"queue":{"total":1500,"complete":312},
      "progress":{"etaSeconds":4400,"cores":40,"busyCores":28.0,"asOf":"2026-02-05T10:29:25Z"}}})");
  auto p = ProgressOf(swarm, CannedNow());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->complete, 312);
  EXPECT_EQ(p->total, 1500);
  ASSERT_TRUE(p->eta);
  EXPECT_EQ(*p->eta, std::chrono::seconds(4360));
  EXPECT_EQ(ProgressLine(*p), "312/1500 packages complete, ETA 1h12m");
  EXPECT_EQ(IdleLine(*p), "12 of 40 cores idle (30%)");
}

TEST(ProgressTest, WhatIsNotReportedIsSaidSo) {
  EXPECT_FALSE(ProgressOf(Json::parse(R"({"status":{}})"), CannedNow()));
  auto p = ProgressOf(Json::parse(R"({"status":{"queue":{"total":3,"complete":1}}})"), CannedNow());
  ASSERT_TRUE(p);
  EXPECT_EQ(ProgressLine(*p), "1/3 packages complete, ETA unknown");
  EXPECT_EQ(IdleLine(*p), "no drone may take work");
}

TEST(ProgressTest, EtaInTwoUnitsAtMost) {
  EXPECT_EQ(FormatEta(std::chrono::seconds(0)), "0s");
  EXPECT_EQ(FormatEta(std::chrono::seconds(59)), "59s");
  EXPECT_EQ(FormatEta(std::chrono::seconds(754)), "12m");
  EXPECT_EQ(FormatEta(std::chrono::seconds(3600)), "1h");
  EXPECT_EQ(FormatEta(std::chrono::seconds(100000)), "27h46m");
}

}  // namespace
}  // namespace swarm::ctl
