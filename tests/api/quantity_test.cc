#include "api/quantity.h"

#include <gtest/gtest.h>

#include <limits>

namespace swarm::api {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDurationTest, AcceptsGoLikeDurations) {
  struct Case {
    std::string text;
    Duration want;
  };
  const Case cases[] = {
      {"500ms", milliseconds(500)},
      {"5s", seconds(5)},
      {"2m", minutes(2)},
      {"1h", hours(1)},
      {"1h30m", hours(1) + minutes(30)},
      {"1m30s", minutes(1) + seconds(30)},
      {"1s500ms", milliseconds(1500)},
      {"0s", milliseconds(0)},
      {"90s", seconds(90)},
      {"2562047788015h", hours(2562047788015)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<Duration> d = ParseDuration(c.text);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(*d, c.want);
  }
}

TEST(ParseDurationTest, RejectsMalformedDurationsSayingWhy) {
  struct Case {
    std::string text;
    std::string want;  // substring of the message
  };
  const Case cases[] = {
      {"5", "invalid duration \"5\": missing unit"},
      {"5x", "unknown unit \"x\""},
      {"5sec", "unknown unit \"sec\""},
      {"-5s", "negative durations are not allowed"},
      {"", "invalid duration \"\": empty"},
      {"s", "expected a number"},
      {"1.5h", "unknown unit \".\""},
      {" 5s", "expected a number"},
      {"5s ", "unknown unit \"s \""},
      {"99999999999999999999h", "too large"},
      {"2562047788016h", "too large"},
      {"9223372036854775807ms1ms", "too large"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<Duration> d = ParseDuration(c.text);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find(c.want), std::string::npos) << d.status().message();
    EXPECT_NE(d.status().message().find("\"1h30m\""), std::string::npos)
        << "the message shows the expected form";
  }
}

TEST(FormatDurationTest, WritesCanonicalForms) {
  struct Case {
    Duration d;
    std::string want;
  };
  const Case cases[] = {
      {milliseconds(0), "0s"},         {seconds(5), "5s"}, {milliseconds(250), "250ms"},
      {seconds(90), "1m30s"},          {minutes(5), "5m"}, {hours(1) + minutes(30), "1h30m"},
      {milliseconds(1500), "1s500ms"}, {hours(48), "48h"}, {hours(1) + milliseconds(1), "1h1ms"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatDuration(c.d), c.want);
    Result<Duration> back = ParseDuration(c.want);
    ASSERT_TRUE(back.ok()) << c.want;
    EXPECT_EQ(*back, c.d) << c.want;
  }
}

TEST(ParseMemoryTest, AcceptsKubernetesQuantities) {
  struct Case {
    std::string text;
    int64_t want;
  };
  const int64_t kGi = int64_t(1) << 30;
  const Case cases[] = {
      {"1073741824", kGi},
      {"32Gi", 32 * kGi},
      {"512Mi", 512LL << 20},
      {"1Ki", 1024},
      {"2Ti", 2LL << 40},
      {"1Pi", 1LL << 50},
      {"7Ei", 7LL << 60},
      {"2G", 2000000000},
      {"1k", 1000},
      {"3M", 3000000},
      {"1T", 1000000000000},
      {"1P", 1000000000000000},
      {"9E", 9000000000000000000},
      {"1.5Gi", 3 * kGi / 2},
      {"0.5Ki", 512},
      {"2.50k", 2500},
      {"1.000", 1},
      {"9223372036854775807", std::numeric_limits<int64_t>::max()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> m = ParseMemory(c.text);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(*m, c.want);
  }
}

TEST(ParseMemoryTest, RejectsWhatIsNotAWholePositiveNumberOfBytes) {
  struct Case {
    std::string text;
    std::string want;
  };
  const Case cases[] = {
      {"", "empty"},
      {"0", "must be positive"},
      {"0Gi", "must be positive"},
      {"-1Gi", "must be positive"},
      {"32GB", "unknown suffix \"GB\""},
      {"32K", "unknown suffix \"K\""},
      {"100m", "unknown suffix \"m\""},
      {"1e3", "unknown suffix \"e3\""},
      {"Gi", "expected a number"},
      {".5Gi", "expected a number"},
      {"1.Gi", "expected digits after the decimal point"},
      {"0.5", "not a whole number of bytes"},
      {"1.0001k", "not a whole number of bytes"},
      {"8Ei", "too large"},
      {"10E", "too large"},
      {"9223372036854775808", "too large"},
      {"99999999999999999999999", "too large"},
      {" 1Gi", "expected a number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> m = ParseMemory(c.text);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find(c.want), std::string::npos) << m.status().message();
    EXPECT_NE(m.status().message().find("\"32Gi\""), std::string::npos)
        << "the message shows the expected form";
  }
}

TEST(FormatMemoryTest, WritesTheShortestExactBinaryForm) {
  struct Case {
    int64_t bytes;
    std::string want;
  };
  const Case cases[] = {
      {0, "0"},
      {100, "100"},
      {1024, "1Ki"},
      {1536LL << 20, "1536Mi"},
      {32LL << 30, "32Gi"},
      {64LL << 30, "64Gi"},
      {1LL << 40, "1Ti"},
      {2000000000, "1953125Ki"},
      {1000, "1000"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatMemory(c.bytes), c.want);
    if (c.bytes > 0) {
      Result<int64_t> back = ParseMemory(c.want);
      ASSERT_TRUE(back.ok()) << c.want;
      EXPECT_EQ(*back, c.bytes);
    }
  }
}

}  // namespace
}  // namespace swarm::api
