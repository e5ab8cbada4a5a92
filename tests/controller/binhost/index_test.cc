#include "controller/binhost/index.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "api/packages_index.h"
#include "tests/support/temp_dir.h"

namespace swarm::controller {
namespace {

using ::swarm::testing::ReadFile;
using ::swarm::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const WallTime kNow = WallTime(std::chrono::seconds(1738773000));

// What the controller hashed of a published file as it received it.
const BinpkgDigests kDigests{"0123456789abcdef0123456789abcdef",
                             "0123456789abcdef0123456789abcdef01234567", std::string(64, 'e')};

// What a drone's portage wrote for openssl (as IndexEntryFor sends it: the
// header's CHOST added), keys in the drone's order.
constexpr char kOpensslEntry[] =
    "BDEPEND: dev-lang/perl virtual/pkgconfig\n"
    "BUILD_ID: 2\n"
    "BUILD_TIME: 1738772411\n"
    "CPV: dev-libs/openssl-3.3.3\n"
    "DEFINED_PHASES: compile configure install prepare test\n"
    "EAPI: 8\n"
    "IUSE: +asm fips ktls static-libs test\n"
    "KEYWORDS: amd64\n"
    "MD5: 2f1a4ad8d7de1b0a3c4ba4c1b0e8d0c1\n"
    "MTIME: 1738772413\n"
    "PATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\n"
    "RDEPEND: >=sys-libs/zlib-1.2.8-r1:=\n"
    "REPO: gentoo\n"
    "SHA1: 5c3a1e7f0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e\n"
    "SIZE: 7987200\n"
    "SLOT: 0/3\n"
    "USE: abi_x86_64 amd64 asm elibc_glibc kernel_linux\n"
    "CHOST: x86_64-pc-linux-gnu\n";

struct Parsed {
  api::IndexBlock header;
  std::vector<api::IndexBlock> packages;
};

// Reads `text` back as portage would.
Parsed Read(const std::string& text) {
  std::istringstream in(text);
  api::IndexReader reader(in);
  Parsed p;
  reader.ReadHeader(&p.header);
  api::IndexBlock block;
  bool overlong = false;
  while (reader.NextPackage(&block, &overlong)) p.packages.push_back(block);
  return p;
}

std::string Value(const api::IndexBlock& b, const std::string& key) {
  const std::string* v = b.Find(key);
  return v ? *v : "<absent>";
}

TEST(FormatBinhostIndexTest, HeaderThenEntriesSortedByCpvAsPortageWritesThem) {
  const std::vector<IndexedPackage> packages = {
      {"sys-libs/zlib-1.3.1-r1", "sys-libs/zlib/zlib-1.3.1-r1-1.gpkg.tar", 112640, 1738771999, ""},
      {"dev-libs/openssl-3.3.3", "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar", 7987200, 1738772999,
       kOpensslEntry, kDigests},
  };
  std::vector<std::string> warnings;
  const std::string text = FormatBinhostIndex(packages, kNow, &warnings);
  EXPECT_THAT(warnings, IsEmpty());
  EXPECT_EQ(text.substr(0, text.find("\n\n") + 2),
            "PACKAGES: 2\nTIMESTAMP: 1738773000\nVERSION: 0\n\n");
  EXPECT_THAT(text, Not(HasSubstr("\n\n\n"))) << "one blank line between blocks";

  Parsed p = Read(text);
  ASSERT_EQ(p.packages.size(), 2u);
  const api::IndexBlock& ssl = p.packages[0];
  EXPECT_EQ(Value(ssl, "CPV"), "dev-libs/openssl-3.3.3");
  // The controller's file: its PATH, SIZE, MTIME and digests.
  EXPECT_EQ(Value(ssl, "PATH"), "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar");
  EXPECT_EQ(Value(ssl, "SIZE"), "7987200");
  EXPECT_EQ(Value(ssl, "MTIME"), "1738772999");
  EXPECT_EQ(Value(ssl, "MD5"), kDigests.md5) << "not the drone's 2f1a4ad8...";
  EXPECT_EQ(Value(ssl, "SHA1"), kDigests.sha1);
  EXPECT_EQ(Value(ssl, "SHA256"), kDigests.sha256);
  // The rest as the drone's portage wrote it.
  EXPECT_EQ(Value(ssl, "RDEPEND"), ">=sys-libs/zlib-1.2.8-r1:=");
  EXPECT_EQ(Value(ssl, "SLOT"), "0/3");
  EXPECT_EQ(Value(ssl, "BUILD_ID"), "2");
  EXPECT_EQ(Value(ssl, "CHOST"), "x86_64-pc-linux-gnu");
  EXPECT_EQ(ssl.fields.size(), 19u) << "the drone's 18, and SHA256";
  std::vector<std::string> keys;
  for (const auto& [k, v] : ssl.fields) keys.push_back(k);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << "keys sorted, as portage writes";

  // Sent nothing: listed with what the controller knows.
  const api::IndexBlock& zlib = p.packages[1];
  EXPECT_EQ(FormatIndexBlock(zlib),
            "CPV: sys-libs/zlib-1.3.1-r1\nMTIME: 1738771999\n"
            "PATH: sys-libs/zlib/zlib-1.3.1-r1-1.gpkg.tar\nSIZE: 112640\n");
}

TEST(FormatBinhostIndexTest, AnEmptyBinhostIsAHeaderAlone) {
  EXPECT_EQ(FormatBinhostIndex({}, kNow), "PACKAGES: 0\nTIMESTAMP: 1738773000\nVERSION: 0\n");
}

TEST(IndexEntryOfTest, ADronesEntryThatCannotBeTrustedIsReplacedByAMinimalOne) {
  IndexedPackage p{"dev-libs/openssl-3.3.3", "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar", 5, 7, ""};
  const std::string minimal =
      "CPV: dev-libs/openssl-3.3.3\nMTIME: 7\nPATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\n"
      "SIZE: 5\n";
  for (const std::string& bad : {
           std::string("CPV: dev-libs/openssl-3.3.3\n\nCPV: x/y-1\n"),
           std::string("CPV: dev-libs/openssl-3.3.3\nnot a field\n"),
           std::string("SLOT: 0\n"),
           std::string("CPV: dev-libs/openssl-3.3.3\nRDEPEND: ") +
               std::string(api::kMaxIndexEntryBytes, 'x'),
       }) {
    p.index_entry = bad;
    std::string why;
    EXPECT_EQ(api::FormatIndexBlock(IndexEntryOf(p, &why)), minimal) << bad.substr(0, 60);
    EXPECT_THAT(why, HasSubstr("the drone's entry for dev-libs/openssl-3.3.3 is unusable"));
  }
  p.index_entry = "CPV: dev-libs/openssl-3.3.2\nSLOT: 0/3\n";
  std::string why;
  EXPECT_EQ(api::FormatIndexBlock(IndexEntryOf(p, &why)), minimal);
  EXPECT_THAT(why, HasSubstr("is for CPV dev-libs/openssl-3.3.2"));
}

TEST(IndexEntryOfTest, KeysOnlyAClientSetsAreDropped) {
  IndexedPackage p{"dev-libs/openssl-3.3.3", "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar", 5, 7,
                   "CPV: dev-libs/openssl-3.3.3\nBASE_URI: http://elsewhere/\n"
                   "PKGINDEX_URI: http://elsewhere/Packages\nFETCHCOMMAND: curl -o x\n"
                   "RESUMECOMMAND: curl -C - -o x\nSLOT: 0/3\nSIZE: 999\nMTIME: 1\n"
                   "PATH: dev-libs/openssl/openssl-3.3.3-9.gpkg.tar\n"};
  std::string why;
  EXPECT_EQ(
      api::FormatIndexBlock(IndexEntryOf(p, &why)),
      "CPV: dev-libs/openssl-3.3.3\nMTIME: 7\nPATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\n"
      "SIZE: 5\nSLOT: 0/3\n");
  EXPECT_EQ(why, "");
}

TEST(IndexEntryOfTest, EveryDigestIsTheControllersAndNoneTheDrones) {
  IndexedPackage p{"dev-libs/openssl-3.3.3", "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar", 5, 7,
                   "CPV: dev-libs/openssl-3.3.3\nMD5: 00000000000000000000000000000000\n"
                   "SHA1: 0000000000000000000000000000000000000000\nSHA256: 00\nSHA512: 00\n"
                   "BLAKE2B: 00\nSIZE: 999\nSLOT: 0/3\n"};
  EXPECT_EQ(
      api::FormatIndexBlock(IndexEntryOf(p, nullptr)),
      "CPV: dev-libs/openssl-3.3.3\nMTIME: 7\nPATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\n"
      "SIZE: 5\nSLOT: 0/3\n")
      << "digests unknown (published before they were kept): none at all, not the drone's";
  p.digests = kDigests;
  EXPECT_EQ(api::FormatIndexBlock(IndexEntryOf(p, nullptr)),
            "CPV: dev-libs/openssl-3.3.3\nMD5: " + kDigests.md5 +
                "\nMTIME: 7\nPATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\nSHA1: " +
                kDigests.sha1 + "\nSHA256: " + kDigests.sha256 + "\nSIZE: 5\nSLOT: 0/3\n");
}

TEST(WriteBinhostIndexTest, WritesAtomicallyFromThePublishedFiles) {
  TempDir dir;
  std::filesystem::create_directories(dir.File(".staging"));
  const std::string ssl = dir.Write("dev-libs/openssl/openssl-3.3.3-2.gpkg.tar", "twelve bytes");
  const struct timespec times[2] = {{1738772999, 0}, {1738772999, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, ssl.c_str(), times, 0), 0);
  dir.Write("Packages", "the old index\n");

  std::vector<std::string> warnings;
  Result<int> listed =
      WriteBinhostIndex(dir.path(),
                        {{"dev-libs/openssl-3.3.3", "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar",
                          kOpensslEntry, kDigests},
                         {"sys-libs/zlib-1.3.1-r1", "sys-libs/zlib/zlib-1.3.1-r1-1.gpkg.tar", ""}},
                        kNow, &warnings);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(*listed, 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("sys-libs/zlib-1.3.1-r1 is left out of the index"));

  Parsed p = Read(ReadFile(dir.File("Packages")));
  EXPECT_EQ(Value(p.header, "PACKAGES"), "1");
  ASSERT_EQ(p.packages.size(), 1u);
  EXPECT_EQ(Value(p.packages[0], "SIZE"), "12");
  EXPECT_EQ(Value(p.packages[0], "MTIME"), "1738772999");
  EXPECT_EQ(Value(p.packages[0], "PATH"), "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar");
  EXPECT_EQ(Value(p.packages[0], "MD5"), kDigests.md5);
  EXPECT_TRUE(std::filesystem::is_empty(dir.File(".staging"))) << "no temporary file left";
}

TEST(WriteBinhostIndexTest, ADiskErrorLeavesTheOldIndex) {
  TempDir dir;  // no .staging: the temporary file cannot be made
  dir.Write("Packages", "the old index\n");
  Result<int> listed = WriteBinhostIndex(dir.path(), {}, kNow);
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(listed.status().message(), HasSubstr(dir.File(".staging/Packages.")));
  EXPECT_EQ(ReadFile(dir.File("Packages")), "the old index\n");
}

}  // namespace
}  // namespace swarm::controller
