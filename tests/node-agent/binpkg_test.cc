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

constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbcSha[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// Pins a file's mtime so "newest" does not depend on how fast the test runs.
void SetMtime(const std::string& path, time_t seconds) {
  const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

struct CpvCase {
  const char* cpv;
  const char* category;
  const char* pn;
};

TEST(ParseCpvTest, SplitsRealPackageNames) {
  const std::vector<CpvCase> cases = {
      {"dev-libs/foo-1.2.3", "dev-libs", "foo"},
      {"app-misc/bar-1.0_rc1", "app-misc", "bar"},
      {"sys-apps/baz-2.4.1-r3", "sys-apps", "baz"},
      {"dev-vcs/git-9999", "dev-vcs", "git"},
      {"app-text/qux-1.0a", "app-text", "qux"},
      {"dev-util/cmake-3.3.3", "dev-util", "cmake"},
      {"dev-qt/qtbase-6.22.0", "dev-qt", "qtbase"},
      {"dev-qt/qt5compat-6.8.1", "dev-qt", "qt5compat"},
      {"sys-devel/gcc-14.2.1_p20241221", "sys-devel", "gcc"},
      {"dev-libs/libxml2-2.13.5", "dev-libs", "libxml2"},
      {"x11-libs/gtk+-3.24.43", "x11-libs", "gtk+"},
      {"dev-python/python-dateutil-2.9.0_p0-r1", "dev-python", "python-dateutil"},
      {"games-fps/doom3-1.3.1304", "games-fps", "doom3"},
      {"media-fonts/font-adobe-100dpi-1.0.4", "media-fonts", "font-adobe-100dpi"},
      {"dev-libs/foo-1.0_alpha1_beta2_pre_p3-r10", "dev-libs", "foo"},
      {"virtual/perl-Scalar-List-Utils-1.630.0", "virtual", "perl-Scalar-List-Utils"},
  };
  for (const CpvCase& c : cases) {
    SCOPED_TRACE(c.cpv);
    Result<Cpv> r = ParseCpv(c.cpv);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->category, c.category);
    EXPECT_EQ(r->pn, c.pn);
    EXPECT_EQ(r->pf, std::string(c.cpv).substr(std::string(c.category).size() + 1));
  }
}

TEST(ParseCpvTest, RefusesWhatIsNotACpv) {
  for (const char* bad : {
           "foo-1.0",                   // no category
           "dev-libs/foo",              // no version
           "=dev-libs/foo-1.0",         // an atom, not a cpv
           "dev-libs/foo-1.0:0",        // slot
           "dev-libs/foo-1.0::gentoo",  // repository
           "dev-libs/foo-",             // empty version
           "dev-libs/foo-1.0-r",        // revision without a number
           "dev-libs/foo-1.0_rc1a",     // letter after a suffix
           "dev-libs/foo-1.0.",         // trailing dot
           "dev-libs/foo-1.0aa",        // two letters
           "dev-libs/foo-1.0_git",      // unknown suffix
           "dev-libs/-1.0",             // empty package name
           "/foo-1.0",                  // empty category
           "a/b/c-1",                   // two slashes
           "app-text/foo-bar-1-3.3.3",  // PN "foo-bar-1" ends in a version
           "",
       }) {
    SCOPED_TRACE(bad);
    Result<Cpv> r = ParseCpv(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(Sha256FileTest, KnownVectors) {
  testing::TempDir dir;
  Result<std::string> empty = Sha256File(dir.Write("empty", ""));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, kEmptySha);

  Result<std::string> abc = Sha256File(dir.Write("abc", "abc"));
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(*abc, kAbcSha);

  // Larger than one read, so the digest spans chunks.
  Result<std::string> mib = Sha256File(dir.Write("mib", std::string(1 << 20, 'a')));
  ASSERT_TRUE(mib.ok());
  EXPECT_EQ(*mib, "9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360");
}

TEST(Sha256FileTest, UnreadableIsUnavailable) {
  testing::TempDir dir;
  Result<std::string> missing = Sha256File(dir.File("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(missing.status().message(), HasSubstr(dir.File("nope")));

  Result<std::string> directory = Sha256File(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kUnavailable);
}

TEST(FindBinaryPackageTest, FindsEachLayout) {
  for (const char* relative : {
           "dev-libs/foo/foo-1.0-1.gpkg.tar",
           "dev-libs/foo-1.0.gpkg.tar",
           "dev-libs/foo-1.0.tbz2",
           "dev-libs/foo/foo-1.0-7.xpak",
       }) {
    SCOPED_TRACE(relative);
    testing::TempDir pkgdir;
    const std::string path = pkgdir.Write(relative, "abc");
    Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->relative_path, relative);
    EXPECT_EQ(r->path, path);
    EXPECT_EQ(r->size, 3);
    EXPECT_EQ(r->sha256, kAbcSha);
  }
}

TEST(FindBinaryPackageTest, NewestMtimeWinsThenHighestBuildId) {
  testing::TempDir pkgdir;
  const std::string one = pkgdir.Write("dev-libs/foo/foo-1.0-1.gpkg.tar", "one");
  const std::string two = pkgdir.Write("dev-libs/foo/foo-1.0-2.gpkg.tar", "two");
  const std::string ten = pkgdir.Write("dev-libs/foo/foo-1.0-10.gpkg.tar", "ten");
  const std::string tbz2 = pkgdir.Write("dev-libs/foo-1.0.tbz2", "old");
  SetMtime(one, 1'700'000'000);
  SetMtime(two, 1'700'000'000);
  SetMtime(ten, 1'700'000'000);
  SetMtime(tbz2, 1'600'000'000);

  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->relative_path, "dev-libs/foo/foo-1.0-10.gpkg.tar");

  SetMtime(two, 1'700'000'100);
  r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->relative_path, "dev-libs/foo/foo-1.0-2.gpkg.tar");

  SetMtime(tbz2, 1'700'000'200);
  r = FindBinaryPackage(pkgdir.path(), "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->relative_path, "dev-libs/foo-1.0.tbz2");
}

TEST(FindBinaryPackageTest, IgnoresOtherVersionsAndStrayFiles) {
  testing::TempDir pkgdir;
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
  testing::TempDir pkgdir;
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
  testing::TempDir pkgdir;
  pkgdir.Write("sys-devel/gcc/gcc-14.2.1_p20241221-1.gpkg.tar", "");
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "sys-devel/gcc-14.2.1_p20241221");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size, 0);
  EXPECT_EQ(r->sha256, kEmptySha);
}

TEST(FindBinaryPackageTest, PathIsAbsoluteAndNormalised) {
  testing::TempDir pkgdir;
  pkgdir.Write("dev-libs/foo-1.0.gpkg.tar", "abc");
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path() + "/./", "dev-libs/foo-1.0");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->path, pkgdir.path() + "/dev-libs/foo-1.0.gpkg.tar");
  EXPECT_EQ(r->relative_path, "dev-libs/foo-1.0.gpkg.tar");
}

TEST(FindBinaryPackageTest, BadCpvIsInvalidArgument) {
  testing::TempDir pkgdir;
  Result<BinaryPackage> r = FindBinaryPackage(pkgdir.path(), "=dev-libs/foo-1.0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace swarm::agent
