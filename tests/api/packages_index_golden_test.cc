// The Packages readers on a real PKGDIR/Packages: the one portage 3.0.82
// wrote while building the test repository's first revision
// (tests/golden/real-portage/, hack/real-portage/regen-golden.sh).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/packages_index.h"
#include "tests/support/real_portage_golden.h"

namespace swarm::api {
namespace {

using ::testing::ElementsAreArray;
using swarm::testing::ReadRealPortageGolden;

// What revision 1 builds (its @world), sorted: portage writes the blocks by CPV.
const std::vector<std::string>& GoldenRev1Cpvs() {
  static const std::vector<std::string> cpvs = {
      "app-misc/heavy-app-1.0", "app-misc/legacy-1.0",    "app-misc/suite-1.0",
      "app-misc/tool-a-1.0",    "app-misc/tool-b-2.0",    "dev-libs/libcompat-1.0",
      "dev-libs/libcompat-2.0", "dev-libs/libcore-1.0",   "dev-libs/libtls-1.0",
      "dev-libs/libutil-1.2",   "dev-libs/libxml-lite-2.1", "net-libs/libnet-0.9",
      "net-misc/fetcher-1.0",   "sys-libs/libheavy-1.0",  "sys-libs/zlib-lite-1.3"};
  return cpvs;
}

std::vector<std::string> GoldenLines(const std::string& file) {
  std::vector<std::string> lines;
  std::istringstream in(ReadRealPortageGolden(file));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(PackagesIndexGoldenTest, ReadsEveryBlockOfARealIndex) {
  const std::string text = ReadRealPortageGolden("Packages");
  ASSERT_FALSE(text.empty());
  std::istringstream in(text);
  IndexReader reader(in);
  IndexBlock header;
  ASSERT_TRUE(reader.ReadHeader(&header));
  ASSERT_NE(header.Find("VERSION"), nullptr);
  EXPECT_EQ(*header.Find("VERSION"), "0");
  ASSERT_NE(header.Find("PACKAGES"), nullptr);
  EXPECT_EQ(*header.Find("PACKAGES"), "15");
  ASSERT_NE(header.Find("CHOST"), nullptr);
  EXPECT_EQ(*header.Find("CHOST"), "x86_64-pc-linux-gnu");
  EXPECT_EQ(header.Find("CPV"), nullptr);

  std::vector<std::string> cpvs, paths;
  IndexBlock block;
  bool overlong = false;
  while (reader.NextPackage(&block, &overlong)) {
    EXPECT_FALSE(overlong);
    const std::string* cpv = block.Find("CPV");
    ASSERT_NE(cpv, nullptr);
    cpvs.push_back(*cpv);
    SCOPED_TRACE(*cpv);
    // binpkg-multi-instance: a PATH and a BUILD_ID in every block, and
    // portage writes REPO into each one (the header has none to inherit).
    ASSERT_NE(block.Find("PATH"), nullptr);
    paths.push_back(*block.Find("PATH"));
    ASSERT_NE(block.Find("BUILD_ID"), nullptr);
    EXPECT_EQ(*block.Find("BUILD_ID"), "1");
    ASSERT_NE(block.Find("REPO"), nullptr);
    EXPECT_EQ(*block.Find("REPO"), "swarm-test");
    for (const char* key : {"SIZE", "MD5", "SHA1", "MTIME", "EAPI"}) {
      ASSERT_NE(block.Find(key), nullptr) << key;
      EXPECT_FALSE(block.Find(key)->empty()) << key;
    }
    // What an agent sends the controller for it passes the strict reader
    // and reads back the same.
    auto entry = ParseIndexEntry(FormatIndexBlock(block));
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    EXPECT_EQ(entry->fields, block.fields);
  }
  EXPECT_THAT(cpvs, ElementsAreArray(GoldenRev1Cpvs()));
  // Every PATH names a binary package the build wrote, and only those.
  const std::vector<std::string> written = GoldenLines("binpkgs.txt");
  EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()),
            std::set<std::string>(written.begin(), written.end()));
  EXPECT_EQ(paths.size(), 15u);
}

TEST(PackagesIndexGoldenTest, SlotsOtherThanZeroAreWrittenAndZeroIsLeftOut) {
  std::istringstream in(ReadRealPortageGolden("Packages"));
  IndexReader reader(in);
  IndexBlock header, block;
  ASSERT_TRUE(reader.ReadHeader(&header));
  bool overlong = false;
  std::set<std::string> slotted;
  while (reader.NextPackage(&block, &overlong)) {
    if (const std::string* slot = block.Find("SLOT")) slotted.insert(*block.Find("CPV") + ":" + *slot);
  }
  EXPECT_EQ(slotted, (std::set<std::string>{"dev-libs/libcompat-1.0:1", "dev-libs/libcompat-2.0:2"}));
}

}  // namespace
}  // namespace swarm::api
