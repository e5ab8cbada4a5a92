#include "api/json_body.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace swarm::api {
namespace {

using ::testing::HasSubstr;

// `depth` arrays, one inside the other.
std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ParseJsonBodyTest, ReadsMessagesAndRefusesWhatIsNotJson) {
  auto j = ParseJsonBody(R"({"id": "a-1", "packages": [{"dependencies": ["a/b-1"]}]})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["packages"][0]["dependencies"][0], "a/b-1");

  for (const char* bad : {"", "{", "not json", "{\"a\": }", "[1, 2"}) {
    auto r = ParseJsonBody(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "not valid JSON");
  }
}

TEST(ParseJsonBodyTest, NestingIsBounded) {
  EXPECT_TRUE(ParseJsonBody(Nested(kMaxJsonDepth)).ok());
  auto r = ParseJsonBody(Nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "nested deeper than 64 levels");
  r = ParseJsonBody(R"({"a": )" + Nested(kMaxJsonDepth) + "}");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("nested deeper"));

  // What an 8 MiB request body may hold: refused from its first 65 bytes, where
  // parsing it took some 600 MB.
  r = ParseJsonBody(std::string(8 << 20, '['));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("nested deeper"));
}

TEST(ParseJsonBodyTest, BracketsInStringsAreText) {
  const std::string deep_text = std::string(100, '[') + "\\\"{" + std::string(100, '{');
  auto j = ParseJsonBody(R"({"message": ")" + deep_text + R"(", "n": [1]})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["n"][0], 1);
}

}  // namespace
}  // namespace swarm::api
