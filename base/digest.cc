#include "base/digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/strings.h"
#include "base/unique_fd.h"

namespace swarm {
namespace {

// EVP fails only when allocation fails or the library is broken, never for
// any input: a broken invariant, so it stops the process loudly.
void CheckEvp(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fatal: OpenSSL %s failed for a message digest\n", what);
  std::abort();
}

const EVP_MD* Md(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return EVP_md5();
    case DigestAlgorithm::kSha1:
      return EVP_sha1();
    case DigestAlgorithm::kSha256:
      return EVP_sha256();
  }
  return EVP_sha256();
}

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

Digest::Digest(DigestAlgorithm algorithm) : algorithm_(algorithm), ctx_(EVP_MD_CTX_new()) {
  CheckEvp(ctx_ != nullptr, "EVP_MD_CTX_new");
  CheckEvp(EVP_DigestInit_ex(ctx_, Md(algorithm_), nullptr) == 1, "EVP_DigestInit_ex");
}

Digest::~Digest() { EVP_MD_CTX_free(ctx_); }

void Digest::Update(const void* data, size_t n) {
  if (n == 0) return;
  CheckEvp(EVP_DigestUpdate(ctx_, data, n) == 1, "EVP_DigestUpdate");
}

std::string Digest::HexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  CheckEvp(EVP_DigestFinal_ex(ctx_, md, &len) == 1, "EVP_DigestFinal_ex");
  CheckEvp(EVP_DigestInit_ex(ctx_, Md(algorithm_), nullptr) == 1, "EVP_DigestInit_ex");
  return Hex(md, len);
}

Status ReadChunks(int fd, const std::string& path,
                  const std::function<void(const char*, size_t)>& chunk) {
  std::vector<char> buf(256 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) return Status::Ok();
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable("cannot read " + path + ": " + ErrnoText());
    }
    chunk(buf.data(), static_cast<size_t>(n));
  }
}

Result<BinpkgDigests> BinpkgDigestsOfFile(const std::string& path) {
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return Unavailable("cannot open " + path + ": " + ErrnoText());
  BinpkgDigester digester;
  Status st =
      ReadChunks(file.get(), path, [&](const char* data, size_t n) { digester.Update(data, n); });
  if (!st.ok()) return st;
  return digester.Finish();
}

}  // namespace swarm
