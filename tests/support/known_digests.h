#pragma once

// Digest test vectors (FIPS 180-2, RFC 1321, RFC 3174), for tests that
// check digests.

namespace swarm::testing {

inline constexpr char kSha256OfEmpty[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr char kSha256OfAbc[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
inline constexpr char kMd5OfEmpty[] = "d41d8cd98f00b204e9800998ecf8427e";
inline constexpr char kMd5OfAbc[] = "900150983cd24fb0d6963f7d28e17f72";
inline constexpr char kSha1OfEmpty[] = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
inline constexpr char kSha1OfAbc[] = "a9993e364706816aba3e25717850c26c9cd0d89d";

}  // namespace swarm::testing
