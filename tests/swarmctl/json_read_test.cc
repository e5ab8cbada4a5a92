#include "swarmctl/json_read.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

TEST(JsonReadTest, MissingOrMistypedFieldsReadAsAbsent) {
  Json j = Json::parse(R"({"a": {"s": "x", "n": 2.7, "i": 3, "arr": ["p", 1, "q"],
    "objs": [{"type": "Ready"}, 5], "labels": {"z": "1", "a.b": "2", "a": "3", "n": 4}},
    "str": "not an object"})");
  EXPECT_EQ(StringAt(j, {"a", "s"}), "x");
  EXPECT_EQ(StringAt(j, {"a", "n"}), std::nullopt);
  EXPECT_EQ(StringAt(j, {"str", "deeper"}), std::nullopt);
  EXPECT_EQ(StringAt(j, {"missing", "x"}), std::nullopt);
  EXPECT_EQ(StringOr(j, {"a", "missing"}, "<none>"), "<none>");
  EXPECT_EQ(NumberAt(j, {"a", "n"}), 2.7);
  EXPECT_EQ(NumberAt(j, {"a", "s"}), std::nullopt);
  EXPECT_EQ(IntAt(j, {"a", "i"}), 3);
  EXPECT_EQ(IntAt(j, {"a", "n"}), 2);
  EXPECT_EQ(StringsAt(j, {"a", "arr"}), (std::vector<std::string>{"p", "q"}));
  EXPECT_TRUE(StringsAt(j, {"a", "s"}).empty());
  EXPECT_EQ(ObjectsAt(j, {"a", "objs"}).size(), 1u);
  EXPECT_NE(FindConditionAt(j, {"a", "objs"}, "Ready"), nullptr);
  EXPECT_EQ(FindConditionAt(j, {"a", "objs"}, "Other"), nullptr);
  EXPECT_EQ(KeyValuesAt(j, {"a", "labels"}), (std::vector<std::string>{"a=3", "a.b=2", "z=1"}));
}

TEST(JsonReadTest, WorksOnNonObjects) {
  Json j = Json::parse("[1, 2]");
  EXPECT_EQ(Find(j, {"a"}), nullptr);
  EXPECT_EQ(Find(j, {}), &j);
}

TEST(JsonReadTest, JoinOrFallsBackWhenEmpty) {
  EXPECT_EQ(JoinOr({}, ",", "<none>"), "<none>");
  EXPECT_EQ(JoinOr({"a", "b"}, ",", "<none>"), "a,b");
}

}  // namespace
}  // namespace swarm::ctl
