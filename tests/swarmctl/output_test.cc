#include "swarmctl/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace swarm::ctl {
namespace {

TEST(ParseOutputFormatTest, AcceptsTheFiveFormats) {
  EXPECT_EQ(ParseOutputFormat("").value(), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("wide").value(), OutputFormat::kWide);
  EXPECT_EQ(ParseOutputFormat("json").value(), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("yaml").value(), OutputFormat::kYaml);
  EXPECT_EQ(ParseOutputFormat("name").value(), OutputFormat::kName);
  auto bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "unknown output format \"xml\" (want wide, json, yaml or name)");
}

TEST(PrintObjectTest, JsonIsIndentedByFourInServerOrder) {
  std::ostringstream out;
  PrintObject(Json::parse(R"({"kind":"DroneList","items":[{"b":1,"a":"x"}]})"), OutputFormat::kJson,
              out);
  EXPECT_EQ(out.str(),
            "{\n"
            "    \"kind\": \"DroneList\",\n"
            "    \"items\": [\n"
            "        {\n"
            "            \"b\": 1,\n"
            "            \"a\": \"x\"\n"
            "        }\n"
            "    ]\n"
            "}\n");
}

TEST(PrintObjectTest, YamlEndsWithANewline) {
  std::ostringstream out;
  PrintObject(Json::parse(R"({"kind":"DroneList","items":[]})"), OutputFormat::kYaml, out);
  EXPECT_EQ(out.str(), "kind: DroneList\nitems: []\n");
}

}  // namespace
}  // namespace swarm::ctl
