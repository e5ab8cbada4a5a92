#include "swarmctl/release_fields.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

TEST(FormatSizeTest, RoundsAsLsDoesWithTheUnitSpelledOut) {
  const struct {
    int64_t bytes;
    const char* text;
  } cases[] = {
      {0, "0 B"},
      {1023, "1023 B"},
      {1024, "1.0 KiB"},
      {1536, "1.5 KiB"},
      {10188, "9.9 KiB"},     // below 9.95 KiB a decimal stays
      {10200, "10 KiB"},      // 9.96 KiB rounds to 10
      {1048063, "1023 KiB"},  // 1023.5 KiB
      {1048575, "1.0 MiB"},   // 1023.999 KiB: not "1024 KiB"
      {7350272, "7.0 MiB"},
      {1288490189, "1.2 GiB"},
      {13958643712, "13 GiB"},
      {1099511627776, "1.0 TiB"},
      {int64_t{1} << 60, "1024 PiB"},  // no unit above PiB
      {-1, "-"},
  };
  for (const auto& c : cases) EXPECT_EQ(FormatSize(c.bytes), c.text) << c.bytes;
}

TEST(ReleaseFieldsTest, ColumnsReadTheApiForm) {
  const Json promoted =
      Json::parse(R"({"status": {"packageCount": 1418, "bytes": 10630044057, "promoted": true}})");
  EXPECT_EQ(PackagesColumn(promoted), "1418");
  EXPECT_EQ(SizeColumn(promoted), "9.9 GiB");
  EXPECT_EQ(PromotedColumn(promoted), "*");
  EXPECT_EQ(ReleaseSummaryText(promoted), "1418 packages, 9.9 GiB");

  // One release's reply has its packages; the count is theirs when absent.
  const Json listed = Json::parse(
      R"({"status": {"packages": [{"name": "a/b-1"}], "bytes": 512, "promoted": false}})");
  EXPECT_EQ(PackagesColumn(listed), "1");
  EXPECT_EQ(ReleaseSummaryText(listed), "1 package, 512 B");
  EXPECT_EQ(PromotedColumn(listed), "");
}

TEST(ReleaseFieldsTest, WhatIsMissingReadsAsADash) {
  const Json odd = Json::parse(R"({"status": {"promoted": "yes", "bytes": "many"}})");
  EXPECT_EQ(PackagesColumn(odd), "-");
  EXPECT_EQ(SizeColumn(odd), "-");
  EXPECT_FALSE(IsPromoted(odd));  // only true is true
  EXPECT_EQ(ReleaseSummaryText(odd), "packages unknown, -");
}

}  // namespace
}  // namespace swarm::ctl
