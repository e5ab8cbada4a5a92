#include "node-agent/binpkg.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

// Layouts from portage's lib/portage/dbapi/bintree.py: without
// FEATURES=binpkg-multi-instance a package is ${CATEGORY}/${PF}.tbz2 (xpak) or
// ${CATEGORY}/${PF}.gpkg.tar (BINPKG_FORMAT=gpkg); with it,
// ${CATEGORY}/${PN}/${PF}-${BUILD_ID}.xpak or .gpkg.tar, the build id growing
// by one for each rebuild of the same PF.

namespace swarm::agent {
namespace {

namespace fs = std::filesystem;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool ConsumeDigits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

// PMS 3.2: digits ('.' digits)* [a-z]? ('_' (alpha|beta|pre|rc|p) digits?)* ('-r' digits)?
bool IsVersion(std::string_view v) {
  if (!ConsumeDigits(v)) return false;
  while (StartsWith(v, ".")) {
    v.remove_prefix(1);
    if (!ConsumeDigits(v)) return false;
  }
  if (!v.empty() && v[0] >= 'a' && v[0] <= 'z') v.remove_prefix(1);
  while (StartsWith(v, "_")) {
    v.remove_prefix(1);
    bool known = false;
    // "pre" before "p", which is its prefix.
    for (std::string_view suffix : {"alpha", "beta", "pre", "rc", "p"}) {
      if (StartsWith(v, suffix)) {
        v.remove_prefix(suffix.size());
        known = true;
        break;
      }
    }
    if (!known) return false;
    ConsumeDigits(v);
  }
  if (StartsWith(v, "-r")) {
    v.remove_prefix(2);
    if (!ConsumeDigits(v)) return false;
  }
  return v.empty();
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '_' || c == '-';
}

// PMS 3.1.1.
bool IsCategory(std::string_view s) {
  if (s.empty() || s[0] == '-' || s[0] == '.' || s[0] == '+') return false;
  for (char c : s) {
    if (!IsNameChar(c) && c != '.') return false;
  }
  return true;
}

// PMS 3.1.2: no leading '-' or '+', and no trailing "-<version>", which is
// what makes the PN/version split of a cpv unambiguous.
bool IsPackageName(std::string_view s) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsNameChar(s[i])) return false;
    if (s[i] == '-' && IsVersion(s.substr(i + 1))) return false;
  }
  return true;
}

struct Candidate {
  std::string relative;
  int64_t build_id = 0;  // 0 for the single-instance layouts
  struct timespec mtime = {};
  int64_t size = 0;
};

bool Newer(const Candidate& a, const Candidate& b) {
  if (a.mtime.tv_sec != b.mtime.tv_sec) return a.mtime.tv_sec > b.mtime.tv_sec;
  if (a.mtime.tv_nsec != b.mtime.tv_nsec) return a.mtime.tv_nsec > b.mtime.tv_nsec;
  return a.build_id > b.build_id;
}

// Adds pkgdir/relative when it is a regular file; a missing one is no error.
Status AddIfPresent(const std::string& pkgdir, const std::string& relative, int64_t build_id,
                    std::vector<Candidate>* out) {
  const std::string full = pkgdir + "/" + relative;
  struct stat st;
  if (::stat(full.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::Ok();
    return Unavailable("cannot stat " + full + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::Ok();
  out->push_back({relative, build_id, st.st_mtim, static_cast<int64_t>(st.st_size)});
  return Status::Ok();
}

// The multi-instance files "<pf>-<N><suffix>" in pkgdir/cat/pn.
Status AddMultiInstance(const std::string& pkgdir, const Cpv& cpv, std::string_view suffix,
                        std::vector<Candidate>* out) {
  const std::string dir_rel = cpv.category + "/" + cpv.pn;
  std::error_code ec;
  fs::directory_iterator it(pkgdir + "/" + dir_rel, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
      return Status::Ok();
    }
    return Unavailable("cannot list " + pkgdir + "/" + dir_rel + ": " + ec.message());
  }
  const std::string prefix = cpv.pf + "-";
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!StartsWith(name, prefix) || !EndsWith(name, suffix)) continue;
    std::string_view id(name);
    id = id.substr(prefix.size(), id.size() - prefix.size() - suffix.size());
    // A PF with a revision ("foo-1.0-r1-3") is another package's file.
    if (id.empty() || id.size() > 18) continue;
    bool digits = true;
    for (char c : id) digits = digits && IsDigit(c);
    if (!digits) continue;
    Status s = AddIfPresent(pkgdir, dir_rel + "/" + name, std::stoll(std::string(id)), out);
    if (!s.ok()) return s;
  }
  if (ec) return Unavailable("cannot list " + pkgdir + "/" + dir_rel + ": " + ec.message());
  return Status::Ok();
}

struct ScopedFd {
  int fd;
  ~ScopedFd() {
    if (fd >= 0) ::close(fd);
  }
};

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

Result<Cpv> ParseCpv(const std::string& cpv) {
  const size_t slash = cpv.find('/');
  if (slash == std::string::npos || cpv.find('/', slash + 1) != std::string::npos) {
    return InvalidArgument("not a cat/pkg-ver: '" + cpv + "'");
  }
  const std::string category = cpv.substr(0, slash);
  const std::string pf = cpv.substr(slash + 1);
  if (!IsCategory(category)) return InvalidArgument("bad category in '" + cpv + "'");
  for (size_t dash = pf.find('-'); dash != std::string::npos; dash = pf.find('-', dash + 1)) {
    const std::string pn = pf.substr(0, dash);
    if (IsVersion(std::string_view(pf).substr(dash + 1)) && IsPackageName(pn)) {
      return Cpv{category, pn, pf};
    }
  }
  return InvalidArgument("no valid package name and version in '" + cpv + "'");
}

Result<BinaryPackage> FindBinaryPackage(const std::string& pkgdir, const std::string& cpv) {
  Result<Cpv> parsed = ParseCpv(cpv);
  if (!parsed.ok()) return parsed.status();
  const Cpv& c = *parsed;

  std::error_code ec;
  fs::path abs = fs::absolute(pkgdir, ec);
  if (ec) return Unavailable("cannot resolve PKGDIR " + pkgdir + ": " + ec.message());
  std::string root = abs.lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();

  // Listed in the order that breaks a full tie: multi-instance first, gpkg
  // before the older xpak format.
  std::vector<Candidate> found;
  const std::string single = c.category + "/" + c.pf;
  for (Status s : {AddMultiInstance(root, c, ".gpkg.tar", &found),
                   AddIfPresent(root, single + ".gpkg.tar", 0, &found),
                   AddIfPresent(root, single + ".tbz2", 0, &found),
                   AddMultiInstance(root, c, ".xpak", &found)}) {
    if (!s.ok()) return s;
  }
  if (found.empty()) {
    const std::string multi = root + "/" + c.category + "/" + c.pn + "/" + c.pf + "-<N>";
    return NotFound("no binary package for " + cpv + ": looked for " + multi + ".gpkg.tar, " +
                    root + "/" + single + ".gpkg.tar, " + root + "/" + single + ".tbz2, " + multi +
                    ".xpak");
  }
  const Candidate* best = &found.front();
  for (const Candidate& cand : found) {
    if (Newer(cand, *best)) best = &cand;
  }

  BinaryPackage pkg;
  pkg.relative_path = best->relative;
  pkg.path = root + "/" + best->relative;
  pkg.size = best->size;
  Result<std::string> digest = Sha256File(pkg.path);
  if (!digest.ok()) return digest.status();
  pkg.sha256 = std::move(digest).value();
  return pkg;
}

Result<std::string> Sha256File(const std::string& path) {
  const ScopedFd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return Unavailable("cannot open " + path + ": " + std::strerror(errno));

  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Internal("cannot start a SHA-256 digest");
  }
  std::vector<char> buf(64 * 1024);
  for (;;) {
    const ssize_t n = ::read(file.fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable("cannot read " + path + ": " + std::strerror(errno));
    }
    if (EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n)) != 1) {
      return Internal("SHA-256 update failed for " + path);
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) {
    return Internal("SHA-256 final failed for " + path);
  }
  return Hex(md, len);
}

}  // namespace swarm::agent
