#include "controller/binhost/index_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using ::swarm::testing::ReadFile;

class BinhostIndexWriterTest : public ::testing::Test {
 protected:
  BinhostIndexWriterTest() {
    dir_.Write(".staging/.keep", "");
    dir_.Write("dev-libs/a/a-1-1.gpkg.tar", "aaa");
    dir_.Write("dev-libs/b/b-1-1.gpkg.tar", "bbbbb");
  }
  std::string Index() { return ReadFile(dir_.File("Packages")); }

  ::swarm::testing::TempDir dir_;
  FakeClock clock_;
  BinhostIndexWriter writer_{dir_.path(), &clock_, Duration(200), /*background=*/false};
  const PublishedPackage a_{"dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", ""};
  const PublishedPackage b_{"dev-libs/b-1", "dev-libs/b/b-1-1.gpkg.tar", ""};
};

TEST_F(BinhostIndexWriterTest, ChangesAreWrittenTogetherWhenFlushed) {
  EXPECT_FALSE(writer_.pending());
  writer_.Reset({a_});
  writer_.Put(b_);
  EXPECT_TRUE(writer_.pending());
  EXPECT_EQ(Index(), "") << "nothing is written before a flush";
  ASSERT_TRUE(writer_.Flush().ok());
  EXPECT_FALSE(writer_.pending());
  EXPECT_EQ(Index().rfind("PACKAGES: 2\n", 0), 0u) << Index();
  EXPECT_NE(Index().find("PATH: dev-libs/b/b-1-1.gpkg.tar\nSIZE: 5\n"), std::string::npos);

  writer_.Remove("dev-libs/a-1");
  ASSERT_TRUE(writer_.Flush().ok());
  EXPECT_EQ(Index().rfind("PACKAGES: 1\n", 0), 0u) << Index();
  EXPECT_EQ(Index().find("dev-libs/a-1"), std::string::npos);
}

TEST_F(BinhostIndexWriterTest, TheLastChangeOfAPackageWins) {
  writer_.Put(a_);
  writer_.Remove("dev-libs/a-1");
  ASSERT_TRUE(writer_.Flush().ok());
  EXPECT_EQ(Index().rfind("PACKAGES: 0\n", 0), 0u) << Index();
  // A reset drops what was pending before it.
  writer_.Put(b_);
  writer_.Reset({a_});
  ASSERT_TRUE(writer_.Flush().ok());
  EXPECT_EQ(Index().rfind("PACKAGES: 1\n", 0), 0u) << Index();
  EXPECT_NE(Index().find("CPV: dev-libs/a-1"), std::string::npos);
}

TEST_F(BinhostIndexWriterTest, FlushIfListedWritesOnlyWhenTheIndexOnDiskListsThePath) {
  writer_.Put(a_);
  ASSERT_TRUE(writer_.FlushIfListed(a_.path).ok());
  EXPECT_TRUE(writer_.pending()) << "not on disk yet: nothing to take back";
  ASSERT_TRUE(writer_.Flush().ok());
  writer_.Remove("dev-libs/a-1");
  ASSERT_TRUE(writer_.FlushIfListed(b_.path).ok());
  EXPECT_TRUE(writer_.pending()) << "another path";
  ASSERT_TRUE(writer_.FlushIfListed(a_.path).ok());
  EXPECT_FALSE(writer_.pending());
  EXPECT_EQ(Index().find(a_.path), std::string::npos) << Index();
}

TEST_F(BinhostIndexWriterTest, AFailedWriteStaysPendingAndIsRetried) {
  const std::string staging = dir_.File(".staging");
  std::filesystem::remove_all(staging);
  writer_.Put(a_);
  EXPECT_FALSE(writer_.Flush().ok());
  EXPECT_TRUE(writer_.pending());
  dir_.Write(".staging/.keep", "");
  ASSERT_TRUE(writer_.Flush().ok());
  EXPECT_FALSE(writer_.pending());
  EXPECT_NE(Index().find("CPV: dev-libs/a-1"), std::string::npos);
}

TEST_F(BinhostIndexWriterTest, TheThreadWritesAfterTheDebounceAndOnDestruction) {
  {
    BinhostIndexWriter background(dir_.path(), &clock_, Duration(3600000), true);
    background.Put(b_);
    EXPECT_EQ(Index(), "") << "an hour's debounce";
  }
  EXPECT_NE(Index().find("CPV: dev-libs/b-1"), std::string::npos) << "written when it stopped";
}

}  // namespace
}  // namespace swarm::controller
