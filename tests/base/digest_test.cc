#include "base/digest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/known_digests.h"
#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using namespace ::swarm::testing;

TEST(DigestTest, KnownVectorsOfEachAlgorithm) {
  Digest md5(DigestAlgorithm::kMd5);
  EXPECT_EQ(md5.HexDigest(), kMd5OfEmpty);
  md5.Update("abc", 3);
  EXPECT_EQ(md5.HexDigest(), kMd5OfAbc);
  Digest sha1(DigestAlgorithm::kSha1);
  EXPECT_EQ(sha1.HexDigest(), kSha1OfEmpty);
  sha1.Update("ab", 2);
  sha1.Update("c", 1);
  EXPECT_EQ(sha1.HexDigest(), kSha1OfAbc) << "in pieces, as an upload arrives";
}

TEST(BinpkgDigesterTest, AllThreeFromOnePass) {
  BinpkgDigester d;
  d.Update("a", 1);
  d.Update("bc", 2);
  EXPECT_EQ(d.Finish(), (BinpkgDigests{kMd5OfAbc, kSha1OfAbc, kSha256OfAbc}));
  EXPECT_EQ(d.Finish(), (BinpkgDigests{kMd5OfEmpty, kSha1OfEmpty, kSha256OfEmpty}))
      << "it starts afresh";
}

TEST(BinpkgDigestsOfFileTest, ReadsTheFileOnceAndNamesItWhenItCannot) {
  TempDir dir;
  auto digests = BinpkgDigestsOfFile(dir.Write("abc", "abc"));
  ASSERT_TRUE(digests.ok()) << digests.status().ToString();
  EXPECT_EQ(*digests, (BinpkgDigests{kMd5OfAbc, kSha1OfAbc, kSha256OfAbc}));
  auto missing = BinpkgDigestsOfFile(dir.File("nothing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(missing.status().message(), ::testing::HasSubstr(dir.File("nothing")));
}

}  // namespace
}  // namespace swarm
