#include "swarmctl/unified_diff.h"

#include <gtest/gtest.h>

namespace swarm::ctl {
namespace {

TEST(UnifiedDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(UnifiedDiff("", "", "x", "y"), "");
}

TEST(UnifiedDiffTest, AsDiffUPrintsIt) {
  // Checked against `diff -u` of the same two files (headers aside).
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  const std::string b = "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n13\n";
  EXPECT_EQ(UnifiedDiff(a, b, "a", "b"),
            "--- a\n+++ b\n"
            "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n"
            "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
}

TEST(UnifiedDiffTest, NearbyChangesShareAHunk) {
  EXPECT_EQ(UnifiedDiff("a\nb\nc\nd\n", "A\nb\nc\nD\n", "x", "y", 1),
            "--- x\n+++ y\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D\n");
}

TEST(UnifiedDiffTest, FromNothingAndToNothing) {
  EXPECT_EQ(UnifiedDiff("", "a\nb\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  EXPECT_EQ(UnifiedDiff("a\n", "", "x", "y"), "--- x\n+++ y\n@@ -1 +0,0 @@\n-a\n");
}

}  // namespace
}  // namespace swarm::ctl
