#include "base/sha256.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/support/known_digests.h"
#include "tests/support/temp_dir.h"

namespace swarm {
namespace {

using ::testing::HasSubstr;

// FIPS 180-2's two-block message.
constexpr char kTwoBlock[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr char kTwoBlockSha[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

TEST(Sha256Test, HexOfBytes) {
  EXPECT_EQ(Sha256Hex(""), ::swarm::testing::kSha256OfEmpty);
  EXPECT_EQ(Sha256Hex("abc"), ::swarm::testing::kSha256OfAbc);
}

TEST(Sha256Test, KnownVectors) {
  Sha256 empty;
  EXPECT_EQ(empty.HexDigest(), ::swarm::testing::kSha256OfEmpty);

  Sha256 abc;
  abc.Update("abc", 3);
  EXPECT_EQ(abc.HexDigest(), ::swarm::testing::kSha256OfAbc);

  Sha256 two;
  two.Update(kTwoBlock, sizeof(kTwoBlock) - 1);
  EXPECT_EQ(two.HexDigest(), kTwoBlockSha);
}

TEST(Sha256Test, ChunkedUpdateEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 200000; ++i) data.push_back(static_cast<char>((i * 131) % 251));
  Sha256 whole;
  whole.Update(data.data(), data.size());
  const std::string expected = whole.HexDigest();

  // Uneven pieces, including empty ones, across block boundaries.
  Sha256 pieces;
  size_t at = 0;
  for (size_t step = 0; at < data.size(); step = (step * 7 + 13) % 9000) {
    const size_t n = std::min(step, data.size() - at);
    pieces.Update(data.data() + at, n);
    at += n;
  }
  EXPECT_EQ(pieces.HexDigest(), expected);
}

TEST(Sha256Test, HexDigestStartsAfresh) {
  Sha256 sha;
  sha.Update("xyz", 3);
  sha.HexDigest();
  sha.Update("abc", 3);
  EXPECT_EQ(sha.HexDigest(), ::swarm::testing::kSha256OfAbc);
  EXPECT_EQ(sha.HexDigest(), ::swarm::testing::kSha256OfEmpty);
}

TEST(Sha256FileTest, MatchesTheStreamingDigest) {
  ::swarm::testing::TempDir dir;
  Result<std::string> empty = Sha256File(dir.Write("empty", ""));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, ::swarm::testing::kSha256OfEmpty);

  // Larger than one read, so the digest spans chunks.
  const std::string big(3 * 64 * 1024 + 17, 'q');
  Sha256 sha;
  sha.Update(big.data(), big.size());
  Result<std::string> file = Sha256File(dir.Write("big", big));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, sha.HexDigest());
}

TEST(Sha256FileTest, UnreadableIsUnavailableNamingThePath) {
  ::swarm::testing::TempDir dir;
  Result<std::string> missing = Sha256File(dir.File("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(missing.status().message(), HasSubstr(dir.File("nope")));

  Result<std::string> directory = Sha256File(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(directory.status().message(), HasSubstr(dir.path()));
}

TEST(IsSha256HexTest, SixtyFourHexDigits) {
  EXPECT_TRUE(IsSha256Hex(::swarm::testing::kSha256OfAbc));
  EXPECT_TRUE(IsSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(IsSha256Hex(""));
  EXPECT_FALSE(IsSha256Hex(std::string(::swarm::testing::kSha256OfAbc).substr(1)));
  EXPECT_FALSE(IsSha256Hex(std::string(::swarm::testing::kSha256OfAbc) + "0"));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a') + "g"));
}

}  // namespace
}  // namespace swarm
