#include "api/packages_index.h"

#include <gtest/gtest.h>

#include <sstream>

namespace swarm::api {
namespace {

// As portage writes $PKGDIR/Packages with FEATURES=binpkg-multi-instance:
// header keys sorted, then packages sorted by CPV, keys sorted, SLOT 0 and
// the header's CHOST left out.
constexpr char kPackages[] = R"(ACCEPT_KEYWORDS: amd64
ARCH: amd64
CBUILD: x86_64-pc-linux-gnu
CHOST: x86_64-pc-linux-gnu
PACKAGES: 2
PROFILE: default/linux/amd64/23.0
TIMESTAMP: 1738773000
VERSION: 0

BDEPEND: dev-lang/perl virtual/pkgconfig
BUILD_ID: 2
BUILD_TIME: 1738772411
CPV: dev-libs/openssl-3.3.3
DEFINED_PHASES: compile configure install prepare test
EAPI: 8
IUSE: +asm cpu_flags_x86_sse2 fips ktls rfc3779 sctp static-libs test tls-compression vanilla verify-sig weak-ssl-ciphers
KEYWORDS: amd64
LICENSE: Apache-2.0
MD5: 2f1a4ad8d7de1b0a3c4ba4c1b0e8d0c1
MTIME: 1738772413
PATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar
PROVIDES: x86_64: libcrypto.so.3 libssl.so.3
RDEPEND: >=sys-libs/zlib-1.2.8-r1:=
REPO: gentoo
REQUIRES: x86_64: libc.so.6 libz.so.1
SHA1: 5c3a1e7f0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e
SIZE: 7987200
SLOT: 0/3
USE: abi_x86_64 amd64 asm elibc_glibc kernel_linux

BUILD_ID: 1
CPV: sys-libs/zlib-1.3.1-r1
DEFINED_PHASES: compile configure install prepare
EAPI: 8
IUSE: minizip static-libs verify-sig
KEYWORDS: amd64
MD5: 9b4b1e8d1e2a5d0f6e2c8b0a7d3f1c2e
MTIME: 1738771000
PATH: sys-libs/zlib/zlib-1.3.1-r1-1.gpkg.tar
REPO: gentoo
SHA1: 0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6
SIZE: 112640
SLOT: 0/1
USE: abi_x86_64 amd64 elibc_glibc kernel_linux
)";

TEST(IndexReaderTest, ReadsHeaderAndEveryPackageBlock) {
  std::istringstream in(kPackages);
  IndexReader reader(in);
  IndexBlock header;
  ASSERT_TRUE(reader.ReadHeader(&header));
  ASSERT_NE(header.Find("VERSION"), nullptr);
  EXPECT_EQ(*header.Find("VERSION"), "0");
  EXPECT_EQ(*header.Find("CHOST"), "x86_64-pc-linux-gnu");
  EXPECT_EQ(header.Find("CPV"), nullptr);

  IndexBlock block;
  bool overlong = true;
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  EXPECT_FALSE(overlong);
  EXPECT_EQ(*block.Find("CPV"), "dev-libs/openssl-3.3.3");
  EXPECT_EQ(*block.Find("PROVIDES"), "x86_64: libcrypto.so.3 libssl.so.3")
      << "split at the first ':' only";
  EXPECT_EQ(*block.Find("RDEPEND"), ">=sys-libs/zlib-1.2.8-r1:=");
  EXPECT_EQ(block.fields.size(), 20u);
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  EXPECT_EQ(*block.Find("CPV"), "sys-libs/zlib-1.3.1-r1");
  EXPECT_EQ(block.Find("BDEPEND"), nullptr) << "nothing carried over from the previous block";
  EXPECT_FALSE(reader.NextPackage(&block, &overlong));
}

TEST(IndexReaderTest, ReadsAsPortageDoes) {
  // Lines without ':' are skipped, a later duplicate wins, an empty value
  // stays empty, and the body ends at a block with no field.
  std::istringstream in(
      "VERSION: 0\n\n"
      "CPV: a/b-1\nnot a field\nSIZE: 1\nSIZE: 2\nUSE:\n\n"
      "no field here\n\n"
      "CPV: c/d-1\n");
  IndexReader reader(in);
  IndexBlock header, block;
  bool overlong = false;
  ASSERT_TRUE(reader.ReadHeader(&header));
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  EXPECT_EQ(*block.Find("SIZE"), "2");
  EXPECT_EQ(*block.Find("USE"), "");
  EXPECT_EQ(block.fields.size(), 3u);
  EXPECT_FALSE(reader.NextPackage(&block, &overlong)) << "portage stops there: c/d-1 is unseen";
}

TEST(IndexReaderTest, OverlongLinesAreDroppedAndMarked) {
  std::string text =
      "VERSION: 0\n\nCPV: a/b-1\nRDEPEND: " + std::string(kMaxIndexEntryBytes * 3, 'x') +
      "\nSIZE: 3\n\nCPV: c/d-1\n";
  std::istringstream in(text);
  IndexReader reader(in);
  IndexBlock header, block;
  bool overlong = false;
  ASSERT_TRUE(reader.ReadHeader(&header));
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  EXPECT_TRUE(overlong);
  EXPECT_EQ(block.Find("RDEPEND"), nullptr);
  EXPECT_EQ(*block.Find("SIZE"), "3");
  ASSERT_TRUE(reader.NextPackage(&block, &overlong));
  EXPECT_FALSE(overlong);
  EXPECT_EQ(*block.Find("CPV"), "c/d-1");
}

TEST(IndexReaderTest, EmptyAndHeaderlessInputs) {
  std::istringstream empty("");
  IndexReader a(empty);
  IndexBlock header, block;
  bool overlong = false;
  EXPECT_FALSE(a.ReadHeader(&header));

  std::istringstream binary(std::string("\0\x01\x02\xff", 4));
  IndexReader b(binary);
  EXPECT_TRUE(b.ReadHeader(&header));
  EXPECT_TRUE(header.empty());
  EXPECT_FALSE(b.NextPackage(&block, &overlong));
}

TEST(ParseIndexEntryTest, ParsesOneBlockAndFormatsItBack) {
  const std::string text =
      "BUILD_ID: 1\nCPV: dev-libs/openssl-3.3.3\nEAPI: 8\nPATH: "
      "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar\nRDEPEND: >=sys-libs/zlib-1.2.8-r1:=\nSIZE: "
      "30720\n";
  auto e = ParseIndexEntry(text);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(*e->Find("RDEPEND"), ">=sys-libs/zlib-1.2.8-r1:=");
  EXPECT_EQ(FormatIndexBlock(*e), text);
  EXPECT_TRUE(ParseIndexEntry("CPV: a/b-1").ok()) << "the last newline is optional";
}

TEST(ParseIndexEntryTest, RefusesWhatIsNotOneEntry) {
  auto expect_error = [](const std::string& text, const std::string& says) {
    auto e = ParseIndexEntry(text);
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find(says), std::string::npos) << e.status().message();
  };
  expect_error("", "empty");
  expect_error("CPV: a/b-1\n\nCPV: c/d-1\n", "line 2 is blank");
  expect_error("CPV: a/b-1\njunk\n", "line 2 is not \"KEY: value\": \"junk\"");
  expect_error("CPV: a/b-1\nBAD KEY: 1\n", "line 2 has a key");
  expect_error("CPV: a/b-1\r\n", "line 1 holds a NUL or CR");
  expect_error(std::string("CPV: a/b-1\nX: \0\n", 16), "line 2 holds a NUL or CR");
  expect_error("SIZE: 1\n", "no CPV");
  expect_error("CPV:\n", "no CPV");
  expect_error("CPV: a/b-1\nRDEPEND: " + std::string(kMaxIndexEntryBytes, 'x'), "over the limit");
}

TEST(IndexBlockTest, SetReplacesInPlaceAndEraseRemoves) {
  IndexBlock b;
  b.Set("CPV", "a/b-1");
  b.Set("SIZE", "1");
  b.Set("CPV", "a/b-2");
  EXPECT_EQ(FormatIndexBlock(b), "CPV: a/b-2\nSIZE: 1\n");
  EXPECT_TRUE(b.Erase("SIZE"));
  EXPECT_FALSE(b.Erase("SIZE"));
  b.Set("USE", "");
  EXPECT_EQ(FormatIndexBlock(b), "CPV: a/b-2\n") << "empty values are not written";
}

}  // namespace
}  // namespace swarm::api
