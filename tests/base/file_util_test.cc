// Durable writes: the old file or the whole new one, never half.

#include "base/file_util.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using swarm::testing::TempDir;
using ::testing::HasSubstr;

TEST(FileUtilTest, WriteFileAtomicallyReplacesTheFile) {
  TempDir dir;
  std::string path = dir.Write("MARKER", "old\n");
  ASSERT_TRUE(WriteFileAtomically(path, "new\n").ok());
  EXPECT_EQ(swarm::testing::ReadFile(path), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);  // no temporary file left beside it
}

TEST(FileUtilTest, WriteFileAtomicallyFailsIntoAMissingDirectory) {
  TempDir dir;
  Status s = WriteFileAtomically(dir.File("nope/MARKER"), "x");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(dir.File("nope/MARKER")));
}

TEST(FileUtilTest, WriteFileAtomicallyLeavesTheOldFileWhenTheRenameFails) {
  TempDir dir;
  dir.Write("target/keep", "x");  // a non-empty directory cannot be renamed over
  Status s = WriteFileAtomically(dir.File("target"), "new");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(swarm::testing::ReadFile(dir.File("target/keep")), "x");
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FileUtilTest, ASecretOthersMayReadOrWriteIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("secret", "x");
  for (mode_t ok : {0600, 0640, 0660, 0400}) {
    chmod(path.c_str(), ok);
    EXPECT_TRUE(CheckSecretFileMode(path, "token file").ok()) << std::oct << ok;
  }
  for (mode_t bad : {0644, 0602, 0666}) {
    chmod(path.c_str(), bad);
    Status st = CheckSecretFileMode(path, "token file");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << std::oct << bad;
    EXPECT_NE(st.message().find("token file " + path + " is open to every user"),
              std::string::npos)
        << st.message();
  }
  EXPECT_EQ(CheckSecretFileMode(dir.File("none"), "token file").code(), StatusCode::kUnavailable);
}

TEST(FileUtilTest, MakeDirsCreatesParents) {
  TempDir dir;
  ASSERT_TRUE(MakeDirs(dir.File("a/b/c")).ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("a/b/c")));
  EXPECT_TRUE(MakeDirs(dir.File("a/b/c")).ok());  // already there
  dir.Write("file", "");
  EXPECT_EQ(MakeDirs(dir.File("file/sub")).code(), StatusCode::kUnavailable);
}

TEST(OpenNoFollowTest, OpensAFileButNotALink) {
  TempDir dir;
  const std::string file = dir.Write("log", "x");
  auto opened = OpenNoFollow(file, O_RDONLY);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(opened->valid());
  EXPECT_NE(fcntl(opened->get(), F_GETFD) & FD_CLOEXEC, 0);

  auto created = OpenNoFollow(dir.File("new.log"), O_WRONLY | O_CREAT | O_APPEND);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.File("new.log")));

  ASSERT_EQ(symlink(file.c_str(), dir.File("link.log").c_str()), 0);
  for (int flags : {O_RDONLY, O_WRONLY | O_CREAT | O_APPEND}) {
    auto link = OpenNoFollow(dir.File("link.log"), flags);
    ASSERT_FALSE(link.ok());
    EXPECT_EQ(link.status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(link.status().message(),
              "\"" + dir.File("link.log") + "\" is a symbolic link; refusing to follow it");
  }
  // A dangling link is refused too, rather than created at its target.
  ASSERT_EQ(symlink(dir.File("absent").c_str(), dir.File("dangling.log").c_str()), 0);
  EXPECT_EQ(OpenNoFollow(dir.File("dangling.log"), O_WRONLY | O_CREAT).status().code(),
            StatusCode::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(dir.File("absent")));

  EXPECT_EQ(OpenNoFollow(dir.File("missing"), O_RDONLY).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace swarm
