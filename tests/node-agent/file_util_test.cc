#include "node-agent/file_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::TempDir;
using ::testing::HasSubstr;

TEST(FileUtilTest, ReadsWholeFiles) {
  TempDir dir;
  auto text = ReadWholeFile(dir.Write("f", std::string("a\0b\n", 4)));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, std::string("a\0b\n", 4));
}

TEST(FileUtilTest, MissingFileIsNotFoundAndNamed) {
  TempDir dir;
  auto text = ReadWholeFile(dir.File("nope"));
  EXPECT_EQ(text.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(text.status().message(), HasSubstr(dir.File("nope")));
}

TEST(FileUtilTest, DirectoryIsUnavailable) {
  TempDir dir;
  EXPECT_EQ(ReadWholeFile(dir.path()).status().code(), StatusCode::kUnavailable);
}

TEST(FileUtilTest, Trim) {
  EXPECT_EQ(Trim("  a b \r\n"), "a b");
  EXPECT_EQ(Trim("\n\t "), "");
  EXPECT_EQ(Trim(""), "");
}

}  // namespace
}  // namespace swarm::agent
