#include "base/sha256.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>

#include "base/strings.h"
#include "base/unique_fd.h"

namespace swarm {

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes.data(), bytes.size());
  return sha.HexDigest();
}

Result<std::string> Sha256File(const std::string& path) {
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return Unavailable("cannot open " + path + ": " + ErrnoText());
  return Sha256Fd(file.get(), path);
}

Result<std::string> Sha256Fd(int fd, const std::string& path) {
  Sha256 sha;
  Status st = ReadChunks(fd, path, [&](const char* data, size_t n) { sha.Update(data, n); });
  if (!st.ok()) return st;
  return sha.HexDigest();
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace swarm
