#pragma once

// SHA-256 test vectors (FIPS 180-2), for tests that check digests.

namespace swarm::testing {

inline constexpr char kSha256OfEmpty[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr char kSha256OfAbc[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

}  // namespace swarm::testing
