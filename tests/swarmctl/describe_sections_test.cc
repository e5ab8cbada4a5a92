#include "swarmctl/describe_sections.h"

#include <gtest/gtest.h>

#include "tests/swarmctl/canned.h"

namespace swarm::ctl {
namespace {

using testing::CannedNow;

TEST(EventAgeTest, FoldedEventsShowCountAndSpan) {
  EXPECT_EQ(EventAge(Json::parse(R"({"count": 1, "firstTimestamp": "2026-02-05T10:30:00Z",
    "lastTimestamp": "2026-02-05T10:30:00Z"})"),
                     CannedNow()),
            "5s");
  EXPECT_EQ(EventAge(Json::parse(R"({"count": 4, "firstTimestamp": "2026-02-05T08:30:05Z",
    "lastTimestamp": "2026-02-05T10:27:05Z"})"),
                     CannedNow()),
            "3m (x4 over 2h)");
  EXPECT_EQ(EventAge(Json::object(), CannedNow()), "<unknown>");
}

TEST(TimeWithAgeTest, AppendsTheAge) {
  EXPECT_EQ(TimeWithAge(std::string("2026-02-05T10:30:00Z"), CannedNow(), "<never>"),
            "2026-02-05T10:30:00Z (5s ago)");
  EXPECT_EQ(TimeWithAge(std::string("soon"), CannedNow(), "<never>"), "soon");
  EXPECT_EQ(TimeWithAge(std::nullopt, CannedNow(), "<never>"), "<never>");
}

TEST(ScalarTextTest, StringsAsIsNumbersAsJson) {
  Json j = Json::parse(R"({"s": "5s", "n": 0.5, "i": 5, "z": null, "o": {"a": 1}})");
  EXPECT_EQ(ScalarText(&j["s"]), "5s");
  EXPECT_EQ(ScalarText(&j["n"]), "0.5");
  EXPECT_EQ(ScalarText(&j["i"]), "5");
  EXPECT_EQ(ScalarText(&j["z"]), "<none>");
  EXPECT_EQ(ScalarText(nullptr), "<none>");
  EXPECT_EQ(ScalarText(&j["o"]), "{\"a\":1}");
}

}  // namespace
}  // namespace swarm::ctl
