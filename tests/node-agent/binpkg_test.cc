#include "node-agent/binpkg.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using ::testing::HasSubstr;

TEST(FindBinaryPackageTest, FindsEachLayout) {
  for (const char* relative : {
           "dev-libs/foo/foo-1.0-1.gpkg.tar",
           "dev-libs/foo-1.0.gpkg.tar",
           "dev-libs/foo-1.0.tbz2",
           "dev-libs/foo/foo-1.0-7.xpak",
       }) {
    SCOPED_TRACE(relative);
    ::swarm::testing::TempDir pkgdir;
    const std::string path = pkgdir.Write(relative, "abc");
    Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->relative_path, relative);
    EXPECT_EQ(r->path, path);
    EXPECT_EQ(r->size, 3);
  }
}

TEST(FindBinaryPackageTest, NewestMtimeWinsThenHighestBuildId) {
  ::swarm::testing::TempDir pkgdir;
  const std::string one = pkgdir.Write("dev-libs/foo/foo-1.0-1.gpkg.tar", "one");
  const std::string two = pkgdir.Write("dev-libs/foo/foo-1.0-2.gpkg.tar", "two");
  const std::string ten = pkgdir.Write("dev-libs/foo/foo-1.0-10.gpkg.tar", "ten");
  const std::string tbz2 = pkgdir.Write("dev-libs/foo-1.0.tbz2", "old");
  ::swarm::testing::SetMtime(one, 1'700'000'000);
  ::swarm::testing::SetMtime(two, 1'700'000'000);
  ::swarm::testing::SetMtime(ten, 1'700'000'000);
  ::swarm::testing::SetMtime(tbz2, 1'600'000'000);

  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->relative_path, "dev-libs/foo/foo-1.0-10.gpkg.tar");

  ::swarm::testing::SetMtime(two, 1'700'000'100);
  r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->relative_path, "dev-libs/foo/foo-1.0-2.gpkg.tar");

  ::swarm::testing::SetMtime(tbz2, 1'700'000'200);
  r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->relative_path, "dev-libs/foo-1.0.tbz2");
}

TEST(FindBinaryPackageTest, IgnoresOtherVersionsAndStrayFiles) {
  ::swarm::testing::TempDir pkgdir;
  pkgdir.Write("dev-libs/foo/foo-1.0-r1-3.gpkg.tar", "revision");
  pkgdir.Write("dev-libs/foo/foo-1.01-1.gpkg.tar", "other version");
  pkgdir.Write("dev-libs/foo/foo-1.0-.gpkg.tar", "no build id");
  pkgdir.Write("dev-libs/foo/foo-1.0-1.gpkg.tar.partial", "download in progress");
  pkgdir.Write("dev-libs/foo-1.0-r1.tbz2", "revision");
  pkgdir.Write("dev-libs/foobar-1.0.tbz2", "other package");
  std::filesystem::create_directories(pkgdir.File("dev-libs/foo-1.0.gpkg.tar"));

  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(FindBinaryPackageTest, NoneFoundNamesThePathsLookedFor) {
  ::swarm::testing::TempDir pkgdir;
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-qt/qt5compat-6.8.1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  const std::string& m = r.status().message();
  EXPECT_THAT(m, HasSubstr(pkgdir.path() + "/dev-qt/qt5compat/qt5compat-6.8.1-<N>.gpkg.tar"));
  EXPECT_THAT(m, HasSubstr(pkgdir.path() + "/dev-qt/qt5compat-6.8.1.gpkg.tar"));
  EXPECT_THAT(m, HasSubstr(pkgdir.path() + "/dev-qt/qt5compat-6.8.1.tbz2"));
  EXPECT_THAT(m, HasSubstr(pkgdir.path() + "/dev-qt/qt5compat/qt5compat-6.8.1-<N>.xpak"));
}

TEST(FindBinaryPackageTest, ZeroByteFileIsReturned) {
  ::swarm::testing::TempDir pkgdir;
  pkgdir.Write("sys-devel/gcc/gcc-14.2.1_p20241221-1.gpkg.tar", "");
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "sys-devel/gcc-14.2.1_p20241221");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size, 0);
}

TEST(FindBinaryPackageTest, PathIsAbsoluteAndNormalised) {
  ::swarm::testing::TempDir pkgdir;
  pkgdir.Write("dev-libs/foo-1.0.gpkg.tar", "abc");
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path() + "/./", "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->path, pkgdir.path() + "/dev-libs/foo-1.0.gpkg.tar");
  EXPECT_EQ(r->relative_path, "dev-libs/foo-1.0.gpkg.tar");
}

TEST(FindBinaryPackageTest, BadCpvIsInvalidArgument) {
  ::swarm::testing::TempDir pkgdir;
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "=dev-libs/foo-1.0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace swarm::agent
