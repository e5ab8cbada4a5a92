// The binhost's releases on disk (controller/binhost/releases.cc): a cut
// links and verifies every file, refuses a release with a bad one, and
// what /binhost/current/Packages serves of a promoted release.

#include "controller/binhost/releases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/digest.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;
using ::swarm::testing::ReadFile;
using ::swarm::testing::TempDir;
using ::testing::HasSubstr;

class BinhostReleasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = Binhost::Open(tmp_.File("binhost"));
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    binhost_ = std::move(b).value();
    dir_ = binhost_->dir();
  }

  // A file in the live tree and what a release records of it.
  ReleaseFile Live(const std::string& name, const std::string& path, const std::string& bytes) {
    fs::create_directories(fs::path(dir_ + "/" + path).parent_path());
    std::ofstream(dir_ + "/" + path, std::ios::binary) << bytes;
    auto d = BinpkgDigestsOfFile(dir_ + "/" + path);
    EXPECT_TRUE(d.ok());
    ReleaseFile f;
    f.package.name = name;
    f.package.binpkg = {path, static_cast<int64_t>(bytes.size()), d->sha256, d->md5, d->sha1};
    f.package.index_entry = "CPV: " + name + "\nEAPI: 8\nSLOT: 0\n";
    f.source = dir_ + "/" + path;
    return f;
  }

  static ino_t Inode(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_ino;
  }

  TempDir tmp_;
  std::unique_ptr<Binhost> binhost_;
  std::string dir_;
};

const WallTime kCutAt(std::chrono::seconds(1765000000));

TEST_F(BinhostReleasesTest, ACutHardLinksEveryFileAndIndexesThem) {
  std::vector<ReleaseFile> files = {Live("dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", "aaaa"),
                                    Live("app-misc/b-2", "app-misc/b/b-2-1.gpkg.tar", "bbbbbb")};
  auto cut = CutReleaseFiles(dir_, "r1", files, kCutAt);
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_TRUE(cut->problems.empty());
  EXPECT_EQ(cut->bytes, 10);
  const std::string rel = ReleaseDir(dir_, "r1");
  EXPECT_EQ(Inode(rel + "/dev-libs/a/a-1-1.gpkg.tar"), Inode(dir_ + "/dev-libs/a/a-1-1.gpkg.tar"))
      << "a hard link, not a copy";
  const std::string index = ReadFile(rel + "/Packages");
  EXPECT_EQ(index.rfind("PACKAGES: 2\nTIMESTAMP: 1765000000\nVERSION: 0\n\n", 0), 0u) << index;
  EXPECT_THAT(index, HasSubstr("CPV: app-misc/b-2\n"));
  EXPECT_THAT(index, HasSubstr("PATH: dev-libs/a/a-1-1.gpkg.tar\n"));
  EXPECT_THAT(index, HasSubstr("SHA256: " + files[0].package.binpkg.sha256 + "\n"));
  EXPECT_FALSE(fs::exists(ReleaseDir(dir_, ".cut-r1")));

  // Served: the release's own files, nothing outside it.
  auto served = binhost_->ResolveReleaseFile("r1", "dev-libs/a/a-1-1.gpkg.tar");
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  EXPECT_EQ(ReadFile(*served), "aaaa");
  EXPECT_FALSE(binhost_->ResolveReleaseFile("r1", "../r1/Packages").ok());
  EXPECT_FALSE(binhost_->ResolveReleaseFile("..", "binhost/Packages").ok());
  EXPECT_FALSE(binhost_->ResolveReleaseFile("r2", "Packages").ok());
  // The live tree never serves the releases' directory.
  EXPECT_FALSE(binhost_->ResolveForServing(".releases/r1/Packages").ok());

  // A release of that name exists: not cut again.
  EXPECT_EQ(CutReleaseFiles(dir_, "r1", files, kCutAt).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(BinhostReleasesTest, AFileThatFailsItsRecordRefusesTheWholeRelease) {
  std::vector<ReleaseFile> files = {Live("dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", "aaaa"),
                                    Live("dev-libs/b-1", "dev-libs/b/b-1-1.gpkg.tar", "bbbb"),
                                    Live("dev-libs/c-1", "dev-libs/c/c-1-1.gpkg.tar", "cccc"),
                                    Live("dev-libs/d-1", "dev-libs/d/d-1-1.gpkg.tar", "dddd"),
                                    Live("dev-libs/e-1", "dev-libs/e/e-1-1.gpkg.tar", "eeee")};
  // b changed, same size; c is zero bytes; d's drone entry names another
  // package; e is missing.
  std::ofstream(dir_ + "/dev-libs/b/b-1-1.gpkg.tar", std::ios::binary) << "BBBB";
  std::ofstream(dir_ + "/dev-libs/c/c-1-1.gpkg.tar", std::ios::trunc).close();
  files[3].package.index_entry = "CPV: dev-libs/x-1\n";
  fs::remove(dir_ + "/dev-libs/e/e-1-1.gpkg.tar");
  auto cut = CutReleaseFiles(dir_, "r1", files, kCutAt);
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  ASSERT_EQ(cut->problems.size(), 4u);
  EXPECT_EQ(cut->problems[0].package, "dev-libs/b-1");
  EXPECT_THAT(cut->problems[0].what, HasSubstr("has changed: sha256 is"));
  EXPECT_EQ(cut->problems[1].what, "dev-libs/c/c-1-1.gpkg.tar is 0 bytes, was 4");
  EXPECT_THAT(cut->problems[2].what,
              HasSubstr("its Packages entry does not match dev-libs/d/d-1-1.gpkg.tar"));
  EXPECT_EQ(cut->problems[3].what, "dev-libs/e/e-1-1.gpkg.tar is missing, was 4 bytes");
  EXPECT_EQ(cut->bytes, 0);
  EXPECT_FALSE(fs::exists(ReleaseDir(dir_, "r1")));
  EXPECT_FALSE(fs::exists(ReleaseDir(dir_, ".cut-r1"))) << "nothing of it is left";
}

TEST_F(BinhostReleasesTest, WhatNothingRecordsIsRemovedAndPrunedFilesGo) {
  ASSERT_TRUE(CutReleaseFiles(dir_, "r1", {Live("dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", "a")},
                              kCutAt)
                  .ok());
  ASSERT_TRUE(CutReleaseFiles(dir_, "r2", {Live("dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", "a")},
                              kCutAt)
                  .ok());
  // A cut a crash interrupted.
  fs::create_directories(ReleaseDir(dir_, ".cut-r3") + "/dev-libs");
  auto removed = RemoveUnrecordedReleases(dir_, {"r1"});
  ASSERT_TRUE(removed.ok());
  std::sort(removed->begin(), removed->end());
  EXPECT_EQ(*removed, (std::vector<std::string>{".cut-r3", "r2"}));
  EXPECT_TRUE(fs::exists(ReleaseDir(dir_, "r1") + "/Packages"));
  ASSERT_TRUE(RemoveReleaseFiles(dir_, "r1").ok());
  EXPECT_FALSE(fs::exists(ReleaseDir(dir_, "r1")));
  EXPECT_TRUE(fs::exists(dir_ + "/dev-libs/a/a-1-1.gpkg.tar")) << "the live tree keeps its file";
  EXPECT_FALSE(RemoveReleaseFiles(dir_, "../binhost").ok());
}

TEST_F(BinhostReleasesTest, TheCurrentIndexCarriesThePromotionsTimeAndTheReleasesAddress) {
  ASSERT_TRUE(CutReleaseFiles(dir_, "r1", {Live("dev-libs/a-1", "dev-libs/a/a-1-1.gpkg.tar", "a")},
                              kCutAt)
                  .ok());
  const std::string own = ReadFile(ReleaseDir(dir_, "r1") + "/Packages");
  auto current = CurrentIndex(dir_, "r1", 1765000100, "https://binhost:8443/binhost/releases/r1");
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  const std::string body = own.substr(own.find("\n\n") + 1);
  EXPECT_EQ(*current,
            "PACKAGES: 1\nTIMESTAMP: 1765000100\nURI: https://binhost:8443/binhost/releases/r1\n"
            "VERSION: 0\n" +
                body);
  current = CurrentIndex(dir_, "r1", 1765000200, "");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->rfind("PACKAGES: 1\nTIMESTAMP: 1765000200\nVERSION: 0\n\n", 0), 0u);
  EXPECT_EQ(CurrentIndex(dir_, "r9", 1, "").status().code(), StatusCode::kNotFound);
}

TEST(ReleaseNameCheckTest, PlainNamesOnly) {
  std::string why;
  EXPECT_TRUE(IsValidReleaseName("2026-12-06T0412Z-16b3ce4e", &why));
  EXPECT_FALSE(IsValidReleaseName("", &why));
  EXPECT_FALSE(IsValidReleaseName(".cut-x", &why));
  EXPECT_FALSE(IsValidReleaseName("a/b", &why));
  EXPECT_EQ(why, "release name \"a/b\" has a character outside [A-Za-z0-9_.-]");
  EXPECT_FALSE(IsValidReleaseName(std::string(65, 'a'), &why));
}

}  // namespace
}  // namespace swarm::controller
