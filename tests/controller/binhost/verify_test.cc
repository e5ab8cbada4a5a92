// Binhost::Verify and Binhost::ResolveForServing (controller/binhost_verify.cc).

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "controller/binhost/binhost.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;
using ::swarm::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A binhost in a temp dir, with helpers to publish through the real path.
class BinhostVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Binhost>> b = Binhost::Open(tmp_.File("binhost"));
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    binhost_ = std::move(b).value();
  }

  // Publishes `bytes` as `path` for `package`, recording it in published_.
  void Publish(const std::string& package, const std::string& path, const std::string& bytes) {
    const std::string id = "a" + std::to_string(published_.size());
    Result<std::unique_ptr<BinhostUpload>> up = binhost_->BeginUpload(id, path);
    ASSERT_TRUE(up.ok()) << up.status().ToString();
    ASSERT_TRUE((*up)->Write(bytes.data(), bytes.size()).ok());
    Result<api::BinaryPackageRef> staged = (*up)->Finish(Sha256Hex(bytes));
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    Result<api::BinaryPackageRef> ref = binhost_->Publish(id, *staged);
    ASSERT_TRUE(ref.ok()) << ref.status().ToString();
    published_.push_back({package, *ref});
  }

  std::string Full(const std::string& rel) const { return binhost_->dir() + "/" + rel; }

  // Overwrites the file's first bytes in place and puts its mtime back.
  void CorruptInPlace(const std::string& rel) {
    const std::string path = Full(rel);
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, "XXXX", 4, 0), 4);
    ::close(fd);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }

  TempDir tmp_;
  std::unique_ptr<Binhost> binhost_;
  Binhost::PublishedList published_;
};

constexpr char kOpenssl[] = "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar";
constexpr char kZlib[] = "sys-libs/zlib/zlib-1.3.1-1.gpkg.tar";
constexpr char kCurl[] = "net-misc/curl-8.11.1.tbz2";
constexpr char kXz[] = "app-arch/xz-utils-5.6.3.xpak";

TEST_F(BinhostVerifyTest, ReportsZeroByteTruncatedAndMissingFiles) {
  Publish("dev-libs/openssl-3.3.3", kOpenssl, std::string(31244, 'o'));
  Publish("sys-libs/zlib-1.3.1", kZlib, std::string(5000, 'z'));
  Publish("net-misc/curl-8.11.1", kCurl, std::string(700, 'c'));
  Publish("app-arch/xz-utils-5.6.3", kXz, std::string(900, 'x'));
  EXPECT_THAT(binhost_->Verify(published_), IsEmpty());

  ASSERT_EQ(::truncate(Full(kOpenssl).c_str(), 0), 0);
  ASSERT_EQ(::truncate(Full(kZlib).c_str(), 1200), 0);
  ASSERT_EQ(::unlink(Full(kCurl).c_str()), 0);
  const std::vector<BinhostProblem> problems = binhost_->Verify(published_);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].package, "dev-libs/openssl-3.3.3");
  EXPECT_EQ(problems[0].path, kOpenssl);
  EXPECT_EQ(problems[0].what, "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar is 0 bytes, was 31244");
  EXPECT_EQ(problems[1].package, "sys-libs/zlib-1.3.1");
  EXPECT_EQ(problems[1].what, "sys-libs/zlib/zlib-1.3.1-1.gpkg.tar is 1200 bytes, was 5000");
  EXPECT_EQ(problems[2].package, "net-misc/curl-8.11.1");
  EXPECT_EQ(problems[2].what, "net-misc/curl-8.11.1.tbz2 is missing, was 700 bytes");
}

TEST_F(BinhostVerifyTest, SameSizeCorruptionIsFoundByAFullPass) {
  Publish("dev-libs/openssl-3.3.3", kOpenssl, std::string(4096, 'o'));
  Publish("sys-libs/zlib-1.3.1", kZlib, std::string(4096, 'z'));
  CorruptInPlace(kOpenssl);
  const std::vector<BinhostProblem> problems = binhost_->Verify(published_, /*full=*/true);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].package, "dev-libs/openssl-3.3.3");
  EXPECT_THAT(problems[0].what, HasSubstr(std::string(kOpenssl) + " has changed: sha256 is "));
  EXPECT_THAT(problems[0].what, HasSubstr("was " + Sha256Hex(std::string(4096, 'o'))));
  // Found once, remembered: a quick pass reports it too, without re-hashing.
  const int64_t hashed = binhost_->files_hashed();
  EXPECT_THAT(binhost_->Verify(published_),
              ElementsAre(Field(&BinhostProblem::path, std::string(kOpenssl))));
  EXPECT_EQ(binhost_->files_hashed(), hashed);
}

TEST_F(BinhostVerifyTest, RehashesOnlyWhatChangedSinceItWasLastVerified) {
  Publish("dev-libs/openssl-3.3.3", kOpenssl, "openssl bytes");
  Publish("sys-libs/zlib-1.3.1", kZlib, "zlib bytes");
  // Publishing recorded both as verified.
  EXPECT_THAT(binhost_->Verify(published_), IsEmpty());
  EXPECT_EQ(binhost_->files_hashed(), 0);
  EXPECT_THAT(binhost_->Verify(published_, /*full=*/true), IsEmpty());
  EXPECT_EQ(binhost_->files_hashed(), 2);

  // Same bytes as a new file (a new inode): hashed again, and still fine.
  tmp_.Write("copy", "zlib bytes");
  ASSERT_EQ(::rename(tmp_.File("copy").c_str(), Full(kZlib).c_str()), 0);
  EXPECT_THAT(binhost_->Verify(published_), IsEmpty());
  EXPECT_EQ(binhost_->files_hashed(), 3);
  EXPECT_THAT(binhost_->Verify(published_), IsEmpty());
  EXPECT_EQ(binhost_->files_hashed(), 3);

  // A path left out of the list is forgotten, so it is hashed when it returns.
  EXPECT_THAT(binhost_->Verify({published_[0]}), IsEmpty());
  EXPECT_THAT(binhost_->Verify(published_), IsEmpty());
  EXPECT_EQ(binhost_->files_hashed(), 4);

  // After a restart nothing is remembered: the first pass hashes everything.
  Result<std::unique_ptr<Binhost>> reopened = Binhost::Open(binhost_->dir());
  ASSERT_TRUE(reopened.ok());
  EXPECT_THAT((*reopened)->Verify(published_), IsEmpty());
  EXPECT_EQ((*reopened)->files_hashed(), 2);
}

TEST_F(BinhostVerifyTest, ReportsOddEntries) {
  Publish("dev-libs/openssl-3.3.3", kOpenssl, "openssl bytes");
  ASSERT_EQ(::unlink(Full(kOpenssl).c_str()), 0);
  fs::create_directory(Full(kOpenssl));
  Binhost::PublishedList list = published_;
  list.push_back({"evil/pkg-1", {"../../etc/passwd", 10, Sha256Hex("x")}});
  const std::vector<BinhostProblem> problems = binhost_->Verify(list);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].what, std::string(kOpenssl) + " is not a regular file");
  EXPECT_EQ(problems[1].package, "evil/pkg-1");
  EXPECT_THAT(problems[1].what, HasSubstr("recorded binary package path '../../etc/passwd'"));
}

TEST_F(BinhostVerifyTest, ServesOnlyPublishedRegularFiles) {
  Publish("dev-libs/openssl-3.3.3", kOpenssl, "openssl bytes");
  Result<std::string> served = binhost_->ResolveForServing(kOpenssl);
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  EXPECT_EQ(*served, Full(kOpenssl));

  // A staged upload, a dot-file, a file beside the binhost, and symlinks.
  Result<std::unique_ptr<BinhostUpload>> up = binhost_->BeginUpload("a9", kZlib);
  ASSERT_TRUE(up.ok());
  ASSERT_TRUE((*up)->Write("zz", 2).ok());
  ASSERT_TRUE((*up)->Finish(Sha256Hex("zz")).ok());
  tmp_.Write("binhost/dev-libs/.hidden", "h");
  tmp_.Write("binhost/.hidden", "h");
  tmp_.Write("secret", "outside");
  fs::create_symlink(tmp_.File("secret"), Full("dev-libs/escape.tbz2"));
  fs::create_symlink("../.staging/a9", Full("dev-libs/staged.tbz2"));
  fs::create_symlink("openssl/openssl-3.3.3-1.gpkg.tar", Full("dev-libs/alias.gpkg.tar"));

  for (const std::string& rel :
       {std::string(""), std::string(".staging/a9"), std::string(".staging"),
        std::string("../secret"), std::string("dev-libs/../../secret"),
        std::string("dev-libs/openssl/../openssl/openssl-3.3.3-1.gpkg.tar"),
        std::string("./dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"), std::string(".hidden"),
        std::string("dev-libs/.hidden"), std::string("dev-libs"), std::string("dev-libs/openssl/"),
        std::string("/") + kOpenssl, std::string("dev-libs//openssl/openssl-3.3.3-1.gpkg.tar"),
        std::string("dev-libs/missing.tbz2"), std::string("Packages"),
        std::string("dev-libs/escape.tbz2"), std::string("dev-libs/staged.tbz2"),
        std::string(kOpenssl) + std::string("\0x", 2), std::string(2000, 'a')}) {
    Result<std::string> r = binhost_->ResolveForServing(rel);
    EXPECT_FALSE(r.ok()) << rel << " resolved to " << (r.ok() ? *r : "");
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << rel;
  }

  // A symlink to a published file inside the binhost is fine, as is an index.
  Result<std::string> alias = binhost_->ResolveForServing("dev-libs/alias.gpkg.tar");
  ASSERT_TRUE(alias.ok()) << alias.status().ToString();
  EXPECT_EQ(*alias, Full(kOpenssl));
  tmp_.Write("binhost/Packages", "PACKAGES: 1\n");
  EXPECT_TRUE(binhost_->ResolveForServing("Packages").ok());
}

}  // namespace
}  // namespace swarm::controller
