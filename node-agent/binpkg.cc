#include "node-agent/binpkg.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
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
    if (!name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    std::string_view id(name);
    id = id.substr(prefix.size(), id.size() - prefix.size() - suffix.size());
    // A PF with a revision ("foo-1.0-r1-3") is another package's file.
    if (id.empty() || id.size() > 18) continue;
    bool digits = true;
    for (char c : id) digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!digits) continue;
    Status s = AddIfPresent(pkgdir, dir_rel + "/" + name, std::stoll(std::string(id)), out);
    if (!s.ok()) return s;
  }
  if (ec) return Unavailable("cannot list " + pkgdir + "/" + dir_rel + ": " + ec.message());
  return Status::Ok();
}

}  // namespace


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
  return pkg;
}

}  // namespace swarm::agent
