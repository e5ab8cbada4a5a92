#pragma once

// SHA-256 over OpenSSL's EVP: incremental, for bodies that arrive in pieces
// (binary packages run to gigabytes), and whole files read in chunks.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/status.h"

namespace swarm {

// Thread safety: one thread at a time per object.
class Sha256 : public Digest {
 public:
  Sha256() : Digest(DigestAlgorithm::kSha256) {}
};

// SHA-256 of `bytes` as lowercase hex.
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of the file at `path` as lowercase hex. Unavailable, naming the path,
// when it cannot be opened or read (a directory cannot be read).
Result<std::string> Sha256File(const std::string& path);
// The same for the open file `fd`, read from where it stands to its end;
// `path` names it in errors.
Result<std::string> Sha256Fd(int fd, const std::string& path);

// Whether `s` is 64 hex digits (either case).
bool IsSha256Hex(const std::string& s);

}  // namespace swarm
