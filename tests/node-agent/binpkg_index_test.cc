#include "node-agent/binpkg_index.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "api/packages_index.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr time_t kMtime = 1738772413;

// A PKGDIR as portage leaves it with FEATURES=binpkg-multi-instance after
// building openssl twice (build ids 1 and 2) and zlib once.
class IndexEntryForTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* rel : {"dev-libs/openssl/openssl-3.3.3-1.gpkg.tar",
                            "dev-libs/openssl/openssl-3.3.3-2.gpkg.tar"}) {
      ::swarm::testing::SetMtime(pkgdir_.Write(rel, "12345"), kMtime);
    }
  }

  static std::string Block(const std::string& build_id, const std::string& extra = "") {
    return "BUILD_ID: " + build_id +
           "\nCPV: dev-libs/openssl-3.3.3\nDEFINED_PHASES: compile configure install prepare test\n"
           "EAPI: 8\nIUSE: +asm fips ktls static-libs test\nKEYWORDS: amd64\nMD5: "
           "2f1a4ad8d7de1b0a\n"
           "MTIME: " +
           std::to_string(kMtime) + "\nPATH: dev-libs/openssl/openssl-3.3.3-" + build_id +
           ".gpkg.tar\nRDEPEND: >=sys-libs/zlib-1.2.8-r1:=\n" + extra + "SIZE: 5\nSLOT: 0/3\n" +
           "USE: abi_x86_64 amd64 asm elibc_glibc kernel_linux\n";
  }

  void WriteIndex(const std::string& body) {
    pkgdir_.Write("Packages",
                  "ARCH: amd64\nCHOST: x86_64-pc-linux-gnu\nPACKAGES: 3\nTIMESTAMP: 1738773000\n"
                  "VERSION: 0\n\n" +
                      body);
  }

  BinaryPackage Package(const std::string& rel) {
    return BinaryPackage{pkgdir_.File(rel), rel, 5};
  }

  Result<std::string> EntryFor(const std::string& rel) {
    return IndexEntryFor(pkgdir_.path(), "dev-libs/openssl-3.3.3", Package(rel));
  }

  ::swarm::testing::TempDir pkgdir_;
};

TEST_F(IndexEntryForTest, PicksTheBlockWhosePathIsTheUploadedFile) {
  WriteIndex(Block("1") + "\n" + Block("2", "REPO: gentoo\n") +
             "\nCPV: sys-libs/zlib-1.3.1-r1\nPATH: sys-libs/zlib/zlib-1.3.1-r1-1.gpkg.tar\n"
             "SIZE: 112640\n");
  Result<std::string> e = EntryFor("dev-libs/openssl/openssl-3.3.3-2.gpkg.tar");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_THAT(*e, HasSubstr("BUILD_ID: 2\n"));
  EXPECT_THAT(*e, HasSubstr("PATH: dev-libs/openssl/openssl-3.3.3-2.gpkg.tar\n"));
  EXPECT_THAT(*e, HasSubstr("RDEPEND: >=sys-libs/zlib-1.2.8-r1:=\n"));
  EXPECT_THAT(*e, HasSubstr("CHOST: x86_64-pc-linux-gnu\n")) << "inherited from the header";
  EXPECT_THAT(*e, HasSubstr("REPO: gentoo\n"));
  EXPECT_THAT(*e, Not(HasSubstr("zlib-1.3.1")));
  auto parsed = api::ParseIndexEntry(*e);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();

  Result<std::string> first = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_THAT(*first, HasSubstr("BUILD_ID: 1\n"));
}

TEST_F(IndexEntryForTest, WithoutPathTheBuildIdOrTheSingleInstanceFileDecides) {
  // No PATH: a multi-instance file is matched by BUILD_ID.
  std::string no_path = Block("2");
  no_path.replace(no_path.find("PATH: "),
                  no_path.find('\n', no_path.find("PATH: ")) - no_path.find("PATH: ") + 1, "");
  WriteIndex(no_path);
  EXPECT_TRUE(EntryFor("dev-libs/openssl/openssl-3.3.3-2.gpkg.tar").ok());
  EXPECT_EQ(EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar").status().code(),
            StatusCode::kNotFound);

  // Neither PATH nor BUILD_ID: portage's cat/pf.tbz2.
  ::swarm::testing::SetMtime(pkgdir_.Write("dev-libs/openssl-3.3.3.tbz2", "12345"), kMtime);
  WriteIndex("CPV: dev-libs/openssl-3.3.3\nEAPI: 8\nMTIME: " + std::to_string(kMtime) +
             "\nSIZE: 5\n");
  Result<std::string> e = EntryFor("dev-libs/openssl-3.3.3.tbz2");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(*e,
            "CPV: dev-libs/openssl-3.3.3\nEAPI: 8\nMTIME: 1738772413\nSIZE: 5\n"
            "CHOST: x86_64-pc-linux-gnu\n");
  EXPECT_FALSE(EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar").ok());
}

TEST_F(IndexEntryForTest, AStaleBlockIsNotSent) {
  WriteIndex(Block("1"));
  ::swarm::testing::SetMtime(pkgdir_.File("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"),
                             kMtime + 60);
  Result<std::string> moved = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(moved.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(moved.status().message(), HasSubstr("stale: MTIME 1738772413"));

  pkgdir_.Write("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar", "");
  ::swarm::testing::SetMtime(pkgdir_.File("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"), kMtime);
  Result<std::string> emptied = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(emptied.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(emptied.status().message(), HasSubstr("stale: SIZE \"5\", the file has 0 bytes"));
}

TEST_F(IndexEntryForTest, NothingToSendIsNotFound) {
  Result<std::string> none = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("no " + pkgdir_.File("Packages")));

  WriteIndex("CPV: dev-libs/openssl-3.3.2\nPATH: dev-libs/openssl/openssl-3.3.2-1.gpkg.tar\n");
  Result<std::string> other = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(other.status().message(), HasSubstr("no entry for dev-libs/openssl-3.3.3"));

  pkgdir_.Write("Packages", "");
  EXPECT_EQ(EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar").status().code(),
            StatusCode::kNotFound);
}

TEST_F(IndexEntryForTest, MalformedAndHugeIndexesNeverCrash) {
  // One line of 8 MiB without a newline, then garbage bytes.
  {
    std::ofstream out(pkgdir_.File("Packages"), std::ios::binary);
    out << "VERSION: 0\n\nCPV: dev-libs/openssl-3.3.3\nRDEPEND: ";
    out << std::string(size_t(8) << 20, 'x');
    out << std::string("\0\xff\n:\n::::\n\n\n", 12);
  }
  Result<std::string> e = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound) << e.status().ToString();

  // The right block, but over the limit.
  WriteIndex(Block("1", "REQUIRES: " + std::string(api::kMaxIndexEntryBytes, 'y') + "\n"));
  Result<std::string> big = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(big.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(big.status().message(), HasSubstr("over 65536 bytes"));

  // A key the controller would refuse.
  WriteIndex(Block("1", "BAD KEY: 1\n"));
  Result<std::string> bad = EntryFor("dev-libs/openssl/openssl-3.3.3-1.gpkg.tar");
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(bad.status().message(), HasSubstr("malformed"));
}

}  // namespace
}  // namespace swarm::agent
