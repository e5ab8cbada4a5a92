#include "swarmctl/yaml_output.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace swarm::ctl {
namespace {

TEST(ResolvesAsNonStringTest, FindsWhatYamlWouldRetype) {
  for (const char* s : {"True",       "true",
                        "False",      "yes",
                        "No",         "on",
                        "OFF",        "y",
                        "16",         "-3",
                        "0x1F",       "0o17",
                        "1_000",      "2026.02.05",
                        "3.2",        "1e3",
                        ".5",         ".inf",
                        "-.Inf",      ".nan",
                        "null",       "Null",
                        "~",          "",
                        "2026-02-05", "2026-02-05T10:30:00Z",
                        "1:30"}) {
    EXPECT_TRUE(ResolvesAsNonString(s)) << s;
  }
  for (const char* s : {"32Gi", "HEALTHY", "drone-izar", "@world", "9fc7a49ad6496fae", "5s",
                        "--update --deep", "Unknown", "v1.2", "2026.02.05-rc1"}) {
    EXPECT_FALSE(ResolvesAsNonString(s)) << s;
  }
}

TEST(JsonToYamlTest, KeepsKeyOrderAndQuotesAmbiguousStrings) {
  Json j = Json::parse(R"({"kind": "Drone", "status": {"ready": "True", "cores": "16",
    "deployVersion": "2026.02.05", "memory": "32Gi", "load1": 3.2, "count": 16, "ok": true,
    "lastHeartbeatTime": null, "at": "2026-02-05T10:30:00Z"}, "labels": {}, "items": []})");
  EXPECT_EQ(JsonToYaml(j),
            "kind: Drone\n"
            "status:\n"
            "  ready: \"True\"\n"
            "  cores: \"16\"\n"
            "  deployVersion: \"2026.02.05\"\n"
            "  memory: 32Gi\n"
            "  load1: 3.2\n"
            "  count: 16\n"
            "  ok: true\n"
            "  lastHeartbeatTime: null\n"
            "  at: \"2026-02-05T10:30:00Z\"\n"
            "labels: {}\n"
            "items: []\n");
}

TEST(JsonToYamlTest, ReadsBackToTheSameTypes) {
  Json j = Json::parse(R"({"a": "True", "b": "16", "c": "2026.02.05", "d": "", "e": "null",
    "f": 16, "g": 2.5, "h": false, "i": ["x: y", "#c", "multi\nline"], "16": "key"})");
  YAML::Node n = YAML::Load(JsonToYaml(j));
  EXPECT_EQ(n["a"].Tag(), "!");  // quoted: a string, not a bool
  EXPECT_EQ(n["b"].Tag(), "!");
  EXPECT_EQ(n["c"].Tag(), "!");
  EXPECT_EQ(n["d"].as<std::string>(), "");
  EXPECT_EQ(n["e"].as<std::string>(), "null");
  EXPECT_FALSE(n["e"].IsNull());
  EXPECT_EQ(n["f"].Tag(), "?");  // plain: a number
  EXPECT_EQ(n["f"].as<int>(), 16);
  EXPECT_DOUBLE_EQ(n["g"].as<double>(), 2.5);
  EXPECT_FALSE(n["h"].as<bool>());
  EXPECT_EQ(n["i"][0].as<std::string>(), "x: y");
  EXPECT_EQ(n["i"][1].as<std::string>(), "#c");
  EXPECT_EQ(n["i"][2].as<std::string>(), "multi\nline");
  EXPECT_EQ(n["16"].as<std::string>(), "key");
}

TEST(JsonToYamlTest, WritesScalarsAndEmptyDocuments) {
  EXPECT_EQ(JsonToYaml(Json::object()), "{}\n");
  EXPECT_EQ(JsonToYaml(Json("True")), "\"True\"\n");
}

}  // namespace
}  // namespace swarm::ctl
