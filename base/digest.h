#pragma once

// Message digests over OpenSSL's EVP, incremental for bodies that arrive in
// pieces: SHA-256 (how the binhost names a binary package's content, see
// sha256.h), and MD5 and SHA-1 beside it, which portage's Packages index
// lists for each binary package (portage's bintree `_pkgindex_hashes`).

#include <cstddef>
#include <functional>
#include <string>

#include "base/status.h"

struct evp_md_ctx_st;

namespace swarm {

enum class DigestAlgorithm { kMd5, kSha1, kSha256 };

// Thread safety: one thread at a time per object.
class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  // Adds `n` bytes at `data` to the digest.
  void Update(const void* data, size_t n);
  // The digest of everything added since construction or the last
  // HexDigest(), as lowercase hex; the object then starts afresh.
  std::string HexDigest();

 private:
  DigestAlgorithm algorithm_;
  evp_md_ctx_st* ctx_;
};

// A binary package's digests, lowercase hex.
struct BinpkgDigests {
  std::string md5;
  std::string sha1;
  std::string sha256;
  bool operator==(const BinpkgDigests&) const = default;
};

// MD5, SHA-1 and SHA-256 of one stream of bytes, hashed as they pass.
// Thread safety: one thread at a time per object.
class BinpkgDigester {
 public:
  BinpkgDigester()
      : md5_(DigestAlgorithm::kMd5),
        sha1_(DigestAlgorithm::kSha1),
        sha256_(DigestAlgorithm::kSha256) {}
  void Update(const void* data, size_t n) {
    md5_.Update(data, n);
    sha1_.Update(data, n);
    sha256_.Update(data, n);
  }
  // The digests of everything added; the object then starts afresh.
  BinpkgDigests Finish() { return {md5_.HexDigest(), sha1_.HexDigest(), sha256_.HexDigest()}; }

 private:
  Digest md5_;
  Digest sha1_;
  Digest sha256_;
};

// The three digests of the file at `path`, read once. Unavailable, naming
// the path, when it cannot be opened or read.
Result<BinpkgDigests> BinpkgDigestsOfFile(const std::string& path);

// Hands every chunk of the open file `fd`, from where it stands to its end,
// to `chunk`; `path` names it in errors (Unavailable when it cannot be read).
Status ReadChunks(int fd, const std::string& path,
                  const std::function<void(const char*, size_t)>& chunk);

}  // namespace swarm
