// FindBinaryPackage and IndexEntryFor on a PKGDIR laid out as real portage
// left it after building the test repository's first revision: its real
// Packages (tests/golden/real-portage/), and a file of each entry's SIZE at
// each PATH with the MTIME the capture fixed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "node-agent/binpkg.h"
#include "node-agent/binpkg_index.h"
#include "tests/support/real_portage_golden.h"
#include "tests/support/temp_dir.h"

namespace swarm::agent {
namespace {

using swarm::testing::ReadRealPortageGolden;

// The capture's MTIME for every package (regen-golden.sh).
constexpr time_t kGoldenMtime = 1772359200;

struct GoldenBlock {
  std::string text;  // as in the file, with its final newline
  std::string cpv, path;
  long size = 0;
};

// The package blocks of the golden Packages, split at blank lines: a reading
// of its own, so a reader's bug cannot hide in both sides.
std::vector<GoldenBlock> GoldenPackageBlocks(const std::string& index) {
  std::vector<GoldenBlock> blocks;
  size_t at = index.find("\n\n");  // after the header
  while (at != std::string::npos && at + 2 < index.size()) {
    const size_t end = index.find("\n\n", at + 2);
    GoldenBlock b;
    b.text = index.substr(at + 2, (end == std::string::npos ? index.size() : end + 1) - at - 2);
    std::istringstream in(b.text);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("CPV: ")) b.cpv = line.substr(5);
      if (line.starts_with("PATH: ")) b.path = line.substr(6);
      if (line.starts_with("SIZE: ")) b.size = std::stol(line.substr(6));
    }
    blocks.push_back(b);
    at = end;
  }
  return blocks;
}

TEST(BinpkgIndexGoldenTest, EachBuiltPackageGetsItsOwnBlockOfTheRealIndex) {
  const std::string index = ReadRealPortageGolden("Packages");
  ASSERT_FALSE(index.empty());
  const std::vector<GoldenBlock> blocks = GoldenPackageBlocks(index);
  ASSERT_EQ(blocks.size(), 15u);

  swarm::testing::TempDir pkgdir;
  pkgdir.Write("Packages", index);
  for (const GoldenBlock& b : blocks) {
    ASSERT_FALSE(b.path.empty()) << b.text;
    ASSERT_GT(b.size, 0) << b.text;
    swarm::testing::SetMtime(pkgdir.Write(b.path, std::string(b.size, 'x')), kGoldenMtime);
  }
  for (const GoldenBlock& b : blocks) {
    SCOPED_TRACE(b.cpv);
    Result<BinaryPackage> found = FindBinaryPackage(pkgdir.path(), b.cpv);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(found->relative_path, b.path);
    EXPECT_EQ(found->size, b.size);
    Result<std::string> entry = IndexEntryFor(pkgdir.path(), b.cpv, *found);
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    // The block as portage wrote it, and the CHOST it inherits from the
    // header (REPO it carries itself).
    EXPECT_EQ(*entry, b.text + "CHOST: x86_64-pc-linux-gnu\n");
  }
}

TEST(BinpkgIndexGoldenTest, ARebuiltFileMakesTheRealBlockStale) {
  const std::string index = ReadRealPortageGolden("Packages");
  const std::vector<GoldenBlock> blocks = GoldenPackageBlocks(index);
  ASSERT_FALSE(blocks.empty());
  const GoldenBlock& b = blocks.front();
  swarm::testing::TempDir pkgdir;
  pkgdir.Write("Packages", index);
  swarm::testing::SetMtime(pkgdir.Write(b.path, std::string(b.size, 'x')), kGoldenMtime + 60);
  Result<std::string> entry =
      IndexEntryFor(pkgdir.path(), b.cpv, BinaryPackage{pkgdir.File(b.path), b.path, b.size});
  ASSERT_FALSE(entry.ok());
  EXPECT_THAT(entry.status().message(), ::testing::HasSubstr("is stale: MTIME"));
}

}  // namespace
}  // namespace swarm::agent
