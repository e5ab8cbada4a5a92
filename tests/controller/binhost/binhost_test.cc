#include "controller/binhost/binhost.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.h"
#include "tests/support/known_digests.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;
using ::swarm::testing::ReadFile;
using ::swarm::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kPkg[] = "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar";

// Bytes that differ from one offset to the next, longer than one write.
std::string Bytes(size_t n, int seed) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 31 + seed * 7 + i / 251) % 256);
  return out;
}

std::unique_ptr<Binhost> MustOpenBinhost(const std::string& dir) {
  Result<std::unique_ptr<Binhost>> b = Binhost::Open(dir);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? std::move(b).value() : nullptr;
}

// Uploads `bytes` in uneven pieces and finishes with `expected` (their own
// digest when empty).
Result<api::BinaryPackageRef> Upload(Binhost& b, const std::string& id, const std::string& path,
                                     const std::string& bytes, std::string expected = "") {
  Result<std::unique_ptr<BinhostUpload>> up = b.BeginUpload(id, path);
  if (!up.ok()) return up.status();
  for (size_t at = 0, step = 1; at < bytes.size(); at += step, step = step * 3 + 1) {
    step = std::min(step, bytes.size() - at);
    if (Status st = (*up)->Write(bytes.data() + at, step); !st.ok()) return st;
  }
  return (*up)->Finish(expected.empty() ? Sha256Hex(bytes) : expected);
}

std::vector<std::string> StagingFiles(const Binhost& b) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(b.dir() + "/.staging")) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

TEST(BinhostPathTest, AcceptsPortageLayouts) {
  for (const char* path :
       {kPkg, "dev-libs/openssl-3.3.3.gpkg.tar", "dev-libs/openssl-3.3.3.tbz2",
        "dev-libs/openssl-3.3.3.xpak", "dev-libs/openssl/openssl-3.3.3-r1-12.xpak",
        "sys-devel/gcc/gcc-14.2.1_p20241221-r1-3.gpkg.tar",
        "dev-cpp/libxml++/libxml++-2.42.3-1.gpkg.tar"}) {
    std::string why;
    EXPECT_TRUE(Binhost::IsValidBinpkgPath(path, &why)) << path << ": " << why;
  }
}

TEST(BinhostPathTest, RefusesEverythingElseSayingWhy) {
  struct Case {
    std::string path;
    const char* why;
  };
  const std::vector<Case> cases = {
      {"", "is empty"},
      {"/dev-libs/x-1.tbz2", "absolute"},
      {"../dev-libs/x-1.tbz2", "starting with '.'"},
      {"dev-libs/../x-1.tbz2", "starting with '.'"},
      {"./dev-libs/x-1.tbz2", "starting with '.'"},
      {".staging/x-1.tbz2", "starting with '.'"},
      {"dev-libs/.x-1.tbz2", "starting with '.'"},
      {"dev-libs//x-1.tbz2", "empty component"},
      {"dev-libs/x-1.tbz2/", "empty component"},
      {"x-1.tbz2", "1 components"},
      {"a/b/c/d-1-1.gpkg.tar", "4 components"},
      {"dev-libs/x-1.tar.gz", "is not cat/<pf>.gpkg.tar"},
      {"dev-libs/x-1", "is not cat/<pf>.gpkg.tar"},
      {"dev-libs/openssl/openssl-3.3.3.gpkg.tar", "<pf>-<N>"},
      {"dev-libs/openssl/openssl-1.gpkg.tar", "<pf>-<N>"},
      {"dev-libs/openssl/openssl-3.3.3-1.tbz2", "is not cat/<pn>/<pf>-<N>.gpkg.tar"},
      {"dev-libs/openssl/curl-8.0-1.gpkg.tar", "starting with 'openssl-'"},
      {"dev-libs/x y-1.tbz2", "character outside"},
      {std::string("dev-libs/x\0-1.tbz2", 18), "character outside"},
      {"dev-libs/\xc3\xbc-1.tbz2", "character outside"},
      {"dev-libs\\x-1.tbz2", "character outside"},
      {"dev-libs/" + std::string(600, 'a') + ".tbz2", "longer than 512"},
      {"dev-libs/" + std::string(300, 'a') + ".tbz2", "longer than 255"},
  };
  for (const Case& c : cases) {
    std::string why;
    EXPECT_FALSE(Binhost::IsValidBinpkgPath(c.path, &why)) << c.path;
    EXPECT_THAT(why, HasSubstr(c.why)) << c.path;
    EXPECT_FALSE(Binhost::IsValidBinpkgPath(c.path, nullptr));
  }
}

TEST(BinhostPathTest, APathBelongsToOnePackage) {
  const std::string pkg = "dev-qt/qtwebengine-6.8.1-r2";
  for (const char* ok : {"dev-qt/qtwebengine-6.8.1-r2.gpkg.tar", "dev-qt/qtwebengine-6.8.1-r2.tbz2",
                         "dev-qt/qtwebengine-6.8.1-r2.xpak",
                         "dev-qt/qtwebengine/qtwebengine-6.8.1-r2-1.gpkg.tar",
                         "dev-qt/qtwebengine/qtwebengine-6.8.1-r2-12.xpak"}) {
    std::string why;
    EXPECT_TRUE(BinpkgPathIsFor(ok, pkg, &why)) << ok << ": " << why;
  }
  for (const char* bad : {"sys-libs/glibc/glibc-2.40-1.gpkg.tar",
                          "dev-qt/qtwebengine-6.8.1.gpkg.tar",
                          "dev-qt/qtwebengine/qtwebengine-6.8.1-r2-x.gpkg.tar",
                          "dev-qt/qtwebengine/qtwebengine-6.8.1-r2-1.tbz2",
                          "dev-qt/qtbase/qtwebengine-6.8.1-r2-1.gpkg.tar"}) {
    std::string why;
    EXPECT_FALSE(BinpkgPathIsFor(bad, pkg, &why)) << bad;
    EXPECT_NE(why.find("is not a binary package of " + pkg), std::string::npos) << why;
  }
}

TEST(BinhostOpenTest, CreatesTheDirectoryAndRemovesStaleStaging) {
  TempDir tmp;
  const std::string dir = tmp.File("a/b/binhost");
  tmp.Write("a/b/binhost/.staging/old.7.part", "partial");
  tmp.Write("a/b/binhost/.staging/old", "staged before a crash");
  tmp.Write("a/b/binhost/.staging/odd/dir/file", "x");
  tmp.Write(std::string("a/b/binhost/") + kPkg, "published");
  std::unique_ptr<Binhost> b = MustOpenBinhost(dir);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->dir(), fs::canonical(dir).string());
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
  EXPECT_EQ(ReadFile(b->dir() + "/" + kPkg), "published");
}

TEST(BinhostOpenTest, RefusesBadDirectories) {
  TempDir tmp;
  EXPECT_EQ(Binhost::Open("").status().code(), StatusCode::kInvalidArgument);
  const std::string file = tmp.Write("file", "x");
  Result<std::unique_ptr<Binhost>> on_file = Binhost::Open(file);
  ASSERT_FALSE(on_file.ok());
  EXPECT_EQ(on_file.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(on_file.status().message(), HasSubstr(file));
  tmp.Write("b/.staging", "a file where the staging directory goes");
  EXPECT_EQ(Binhost::Open(tmp.File("b")).status().code(), StatusCode::kUnavailable);
}

TEST(BinhostTest, UploadThenPublishPutsTheExactBytesInPlace) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  const std::string bytes = Bytes(300 * 1024 + 7, 1);
  Result<api::BinaryPackageRef> staged = Upload(*b, "7c1e09aa-b42", kPkg, bytes);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->path, kPkg);
  EXPECT_EQ(staged->size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(staged->sha256, Sha256Hex(bytes));
  EXPECT_THAT(StagingFiles(*b), UnorderedElementsAre("7c1e09aa-b42"));
  ASSERT_TRUE(b->Staged("7c1e09aa-b42").has_value());
  EXPECT_EQ(b->Staged("7c1e09aa-b42")->sha256, staged->sha256);
  EXPECT_FALSE(fs::exists(b->dir() + "/" + kPkg)) << "published before the success report";

  Result<api::BinaryPackageRef> published = b->Publish("7c1e09aa-b42", *staged);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->sha256, staged->sha256);
  EXPECT_EQ(ReadFile(b->dir() + "/" + kPkg), bytes);
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
  EXPECT_FALSE(b->Staged("7c1e09aa-b42").has_value());

  // Published once: the same report again finds nothing staged.
  EXPECT_EQ(b->Publish("7c1e09aa-b42", *staged).status().code(), StatusCode::kInvalidArgument);
}

TEST(BinhostTest, AnUploadPutOnDiskInStepsKeepsEveryByte) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  // Uneven pieces across two sync steps and into a third.
  const std::string bytes = Bytes(static_cast<size_t>(kUploadSyncStep) * 5 / 2 + 3, 9);
  Result<api::BinaryPackageRef> staged = Upload(*b, "b2", kPkg, bytes);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->size, static_cast<int64_t>(bytes.size()));
  ASSERT_TRUE(b->Publish("b2", *staged).ok());
  EXPECT_EQ(ReadFile(b->dir() + "/" + kPkg), bytes);
}

TEST(BinhostTest, UnpublishRemovesAFileNothingRecords) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<api::BinaryPackageRef> staged = Upload(*b, "a1", kPkg, "abc");
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  ASSERT_TRUE(b->Publish("a1", *staged).ok());
  ASSERT_TRUE(fs::exists(b->dir() + "/" + kPkg));
  EXPECT_TRUE(b->Unpublish(kPkg).ok());
  EXPECT_FALSE(fs::exists(b->dir() + "/" + kPkg));
  EXPECT_TRUE(b->Unpublish(kPkg).ok()) << "already gone is fine";
  EXPECT_EQ(b->Unpublish("../etc/passwd").code(), StatusCode::kInvalidArgument);
}

TEST(BinhostTest, RemoveUnneededTakesOnlyOldBinaryPackagesNobodyNames) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  const std::string old_pkg = "dev-libs/a/a-1-1.gpkg.tar";
  const std::string kept = "dev-libs/b/b-1-1.gpkg.tar";
  for (const auto& [id, path] : {std::pair{"a1", old_pkg}, {"b1", kept}}) {
    Result<api::BinaryPackageRef> staged = Upload(*b, id, path, "bytes");
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    ASSERT_TRUE(b->Publish(id, *staged).ok());
  }
  const uint64_t as_of = b->PublishSequence();
  EXPECT_EQ(as_of, 2u);
  // Published after the caller looked: not garbage, whatever it names.
  const std::string late = "dev-libs/c/c-1-1.gpkg.tar";
  Result<api::BinaryPackageRef> staged = Upload(*b, "c1", late, "bytes");
  ASSERT_TRUE(staged.ok());
  ASSERT_TRUE(b->Publish("c1", *staged).ok());
  // Not binary packages of the live tree: left alone.
  std::ofstream(b->dir() + "/README") << "mine";
  fs::create_directories(b->dir() + "/.releases/r1/dev-libs/a");
  std::ofstream(b->dir() + "/.releases/r1/" + old_pkg) << "bytes";
  auto removed = b->RemoveUnneeded({kept}, as_of);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, std::vector<std::string>{old_pkg});
  EXPECT_FALSE(fs::exists(b->dir() + "/" + old_pkg));
  EXPECT_TRUE(fs::exists(b->dir() + "/" + kept));
  EXPECT_TRUE(fs::exists(b->dir() + "/" + late));
  EXPECT_TRUE(fs::exists(b->dir() + "/README"));
  EXPECT_TRUE(fs::exists(b->dir() + "/.releases/r1/" + old_pkg));
  // Once the caller knows of it, the late one goes too when unnamed.
  removed = b->RemoveUnneeded({kept}, b->PublishSequence());
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, std::vector<std::string>{late});
}

TEST(BinhostTest, UppercaseDigestsAreAccepted) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  std::string upper = Sha256Hex("abc");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Result<api::BinaryPackageRef> staged = Upload(*b, "a1", kPkg, "abc", upper);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->sha256, Sha256Hex("abc"));
  auto published = b->Publish("a1", {kPkg, 3, upper});
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  // Hashed from the bytes as they came, for the Packages index.
  EXPECT_EQ(published->md5, ::swarm::testing::kMd5OfAbc);
  EXPECT_EQ(published->sha1, ::swarm::testing::kSha1OfAbc);
}

TEST(BinhostTest, ZeroByteUploadIsRefused) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<api::BinaryPackageRef> r = Upload(*b, "a1", kPkg, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("0 bytes"));
  EXPECT_THAT(r.status().message(), HasSubstr(kPkg));
  EXPECT_THAT(r.status().message(), HasSubstr("a1"));
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
  EXPECT_FALSE(b->Staged("a1").has_value());
}

TEST(BinhostTest, DigestMismatchIsRefused) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  const std::string other = Sha256Hex("something else");
  Result<api::BinaryPackageRef> r = Upload(*b, "a1", kPkg, "the bytes", other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(Sha256Hex("the bytes")));
  EXPECT_THAT(r.status().message(), HasSubstr("not the expected " + other));
  EXPECT_THAT(r.status().message(), HasSubstr(kPkg));
  EXPECT_THAT(StagingFiles(*b), IsEmpty());

  Result<api::BinaryPackageRef> malformed = Upload(*b, "a2", kPkg, "the bytes", "xyz");
  ASSERT_FALSE(malformed.ok());
  EXPECT_THAT(malformed.status().message(), HasSubstr("'xyz', which is not 64 hex digits"));
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
}

TEST(BinhostTest, BadIdsAndPathsAreRefusedBeforeAnythingIsWritten) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  for (const std::string& id : {std::string(""), std::string("../x"), std::string("a/b"),
                                std::string("a.b"), std::string(129, 'a')}) {
    Result<std::unique_ptr<BinhostUpload>> up = b->BeginUpload(id, kPkg);
    ASSERT_FALSE(up.ok()) << id;
    EXPECT_EQ(up.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(up.status().message(), HasSubstr("assignment id"));
  }
  Result<std::unique_ptr<BinhostUpload>> bad_path = b->BeginUpload("a1", "../../etc/passwd");
  ASSERT_FALSE(bad_path.ok());
  EXPECT_EQ(bad_path.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_path.status().message(), HasSubstr("'../../etc/passwd'"));
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
}

TEST(BinhostTest, AbandonedUploadLeavesNothing) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  {
    Result<std::unique_ptr<BinhostUpload>> up = b->BeginUpload("a1", kPkg);
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write("half a package", 14).ok());
    EXPECT_EQ((*up)->size(), 14);
    EXPECT_EQ(StagingFiles(*b).size(), 1u);
  }
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
  EXPECT_FALSE(b->Staged("a1").has_value());
}

TEST(BinhostTest, FinishedUploadTakesNoMore) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<std::unique_ptr<BinhostUpload>> up = b->BeginUpload("a1", kPkg);
  ASSERT_TRUE(up.ok());
  ASSERT_TRUE((*up)->Write("abc", 3).ok());
  ASSERT_TRUE((*up)->Finish(Sha256Hex("abc")).ok());
  EXPECT_EQ((*up)->Write("more", 4).code(), StatusCode::kInternal);
  EXPECT_EQ((*up)->Finish(Sha256Hex("abc")).status().code(), StatusCode::kInternal);
  up->reset();
  EXPECT_TRUE(b->Staged("a1").has_value()) << "destroying a finished upload keeps it staged";
}

TEST(BinhostTest, PublishWithoutAnUploadIsRefused) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<api::BinaryPackageRef> r = b->Publish("a1", {kPkg, 3, Sha256Hex("abc")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("no upload was staged for assignment 'a1'"));
  EXPECT_FALSE(fs::exists(b->dir() + "/" + kPkg));
}

TEST(BinhostTest, PublishRefusesAClaimOtherThanTheUpload) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  const std::string bytes = "package bytes";
  const int64_t n = static_cast<int64_t>(bytes.size());
  struct Case {
    api::BinaryPackageRef claim;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {{kPkg, 0, Sha256Hex(bytes)}, {"size 0"}},
      {{kPkg, n + 1, Sha256Hex(bytes)}, {"size 14 differs from the upload's 13"}},
      {{kPkg, n, Sha256Hex("other")}, {"sha256 differs from the upload", Sha256Hex("other")}},
      {{"dev-libs/openssl-3.3.3.tbz2", n, Sha256Hex(bytes)},
       {"path 'dev-libs/openssl-3.3.3.tbz2'"}},
      {{kPkg, 0, "zz"}, {"size 0", "sha256 differs from the upload (claimed 'zz'"}},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(Upload(*b, "a1", kPkg, bytes).ok());
    Result<api::BinaryPackageRef> r = b->Publish("a1", c.claim);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("assignment a1 refused"));
    for (const std::string& s : c.says) EXPECT_THAT(r.status().message(), HasSubstr(s));
    // The assignment ends with the refusal: its upload is gone.
    EXPECT_FALSE(b->Staged("a1").has_value());
    EXPECT_THAT(StagingFiles(*b), IsEmpty());
  }
  EXPECT_FALSE(fs::exists(b->dir() + "/" + kPkg));
}

TEST(BinhostTest, PublishReplacesAnOlderFileAtomically) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<api::BinaryPackageRef> v1 = Upload(*b, "a1", kPkg, "version one");
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(b->Publish("a1", *v1).ok());
  // A drone downloading the old file keeps reading it whole.
  const int reader = ::open((b->dir() + "/" + kPkg).c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);

  Result<api::BinaryPackageRef> v2 = Upload(*b, "a2", kPkg, "version two, longer");
  ASSERT_TRUE(v2.ok());
  ASSERT_TRUE(b->Publish("a2", *v2).ok());
  EXPECT_EQ(ReadFile(b->dir() + "/" + kPkg), "version two, longer");
  char buf[64] = {};
  EXPECT_EQ(::pread(reader, buf, sizeof(buf), 0), 11);
  EXPECT_EQ(std::string(buf), "version one");
  ::close(reader);
}

TEST(BinhostTest, PublishOverADirectoryFailsNamingIt) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  fs::create_directories(b->dir() + "/" + kPkg);
  Result<api::BinaryPackageRef> up = Upload(*b, "a1", kPkg, "bytes");
  ASSERT_TRUE(up.ok());
  Result<api::BinaryPackageRef> r = b->Publish("a1", *up);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr(kPkg));
  EXPECT_TRUE(b->Staged("a1").has_value());
}

TEST(BinhostTest, LastOfOverlappingUploadsWins) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  Result<std::unique_ptr<BinhostUpload>> first = b->BeginUpload("a1", kPkg);
  Result<std::unique_ptr<BinhostUpload>> retry = b->BeginUpload("a1", kPkg);
  ASSERT_TRUE(first.ok() && retry.ok());
  ASSERT_TRUE((*first)->Write("first", 5).ok());
  ASSERT_TRUE((*retry)->Write("retry", 5).ok());
  ASSERT_TRUE((*retry)->Finish(Sha256Hex("retry")).ok());
  ASSERT_TRUE((*first)->Finish(Sha256Hex("first")).ok());
  first->reset();
  retry->reset();
  ASSERT_TRUE(b->Staged("a1").has_value());
  EXPECT_EQ(b->Staged("a1")->sha256, Sha256Hex("first"));
  EXPECT_THAT(StagingFiles(*b), UnorderedElementsAre("a1"));
  EXPECT_EQ(ReadFile(b->dir() + "/.staging/a1"), "first");
}

TEST(BinhostTest, DiscardRemovesStagedAndRunningUploads) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  EXPECT_TRUE(b->Discard("nothing-here").ok());

  ASSERT_TRUE(Upload(*b, "a1", kPkg, "bytes").ok());
  EXPECT_TRUE(b->Discard("a1").ok());
  EXPECT_FALSE(b->Staged("a1").has_value());
  EXPECT_THAT(StagingFiles(*b), IsEmpty());

  Result<std::unique_ptr<BinhostUpload>> running = b->BeginUpload("a2", kPkg);
  ASSERT_TRUE(running.ok());
  ASSERT_TRUE((*running)->Write("bytes", 5).ok());
  EXPECT_TRUE(b->Discard("a2").ok());
  Result<api::BinaryPackageRef> late = (*running)->Finish(Sha256Hex("bytes"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_THAT(late.status().message(), HasSubstr("assignment a2 was discarded"));
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
  EXPECT_FALSE(b->Staged("a2").has_value());
}

TEST(BinhostTest, UploadsAndPublishesRunConcurrently) {
  TempDir tmp;
  std::unique_ptr<Binhost> b = MustOpenBinhost(tmp.File("binhost"));
  constexpr int kThreads = 4;
  constexpr int kEach = 5;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        const std::string path = "cat-" + std::to_string(t) + "/pkg-" + std::to_string(i) + ".tbz2";
        Result<api::BinaryPackageRef> up = Upload(*b, id, path, Bytes(20000 + i, t));
        Result<api::BinaryPackageRef> pub = up.ok() ? b->Publish(id, *up) : up;
        if (!pub.ok()) errors[t] += pub.status().ToString() + "\n";
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    for (int i = 0; i < kEach; ++i) {
      const std::string path = "cat-" + std::to_string(t) + "/pkg-" + std::to_string(i) + ".tbz2";
      EXPECT_EQ(ReadFile(b->dir() + "/" + path), Bytes(20000 + i, t)) << path;
    }
  }
  EXPECT_THAT(StagingFiles(*b), IsEmpty());
}

}  // namespace
}  // namespace swarm::controller
