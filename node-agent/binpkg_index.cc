#include "node-agent/binpkg_index.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>

#include "api/packages_index.h"

namespace swarm::agent {
namespace {

// How a block may name the file `relative` (of `cpv`) when it has no PATH.
struct FileIdentity {
  std::string build_id;          // multi-instance "cat/pn/pf-N.<ext>": "N"
  bool single_instance = false;  // "cat/pf.tbz2" or "cat/pf.gpkg.tar"
};

FileIdentity IdentityOf(const Cpv& cpv, const std::string& relative) {
  FileIdentity id;
  const std::string single = cpv.category + "/" + cpv.pf;
  if (relative == single + ".tbz2" || relative == single + ".gpkg.tar") {
    id.single_instance = true;
    return id;
  }
  const std::string prefix = cpv.category + "/" + cpv.pn + "/" + cpv.pf + "-";
  if (relative.compare(0, prefix.size(), prefix) != 0) return id;
  std::string_view rest = std::string_view(relative).substr(prefix.size());
  for (std::string_view ext : {".gpkg.tar", ".xpak"}) {
    if (rest.ends_with(ext)) {
      id.build_id = std::string(rest.substr(0, rest.size() - ext.size()));
      break;
    }
  }
  return id;
}

// 0 when `block` is not the file's; else how surely it is (higher wins).
int MatchOf(const api::IndexBlock& block, const std::string& relative, const FileIdentity& id) {
  if (const std::string* path = block.Find("PATH"); path != nullptr && !path->empty()) {
    return *path == relative ? 3 : 0;
  }
  const std::string* build_id = block.Find("BUILD_ID");
  if (build_id != nullptr && !build_id->empty()) {
    return !id.build_id.empty() && *build_id == id.build_id ? 2 : 0;
  }
  return id.single_instance ? 1 : 0;
}

}  // namespace

Result<std::string> IndexEntryFor(const std::string& pkgdir, const std::string& cpv,
                                  const BinaryPackage& pkg) {
  Result<Cpv> parsed = ParseCpv(cpv);
  if (!parsed.ok()) return parsed.status();
  const std::string index = pkgdir + "/Packages";
  struct stat index_st;
  if (::stat(index.c_str(), &index_st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound("no " + index);
    return Unavailable("cannot stat " + index + ": " + std::strerror(errno));
  }
  if (!S_ISREG(index_st.st_mode)) return NotFound(index + " is not a regular file");
  std::ifstream in(index, std::ios::binary);
  if (!in) return Unavailable("cannot open " + index + ": " + std::strerror(errno));
  const FileIdentity id = IdentityOf(*parsed, pkg.relative_path);

  api::IndexReader reader(in);
  api::IndexBlock header;
  if (!reader.ReadHeader(&header)) return NotFound(index + " is empty");
  api::IndexBlock block, best;
  int best_match = 0;
  bool best_overlong = false;
  bool overlong = false;
  while (reader.NextPackage(&block, &overlong)) {
    const std::string* block_cpv = block.Find("CPV");
    if (block_cpv == nullptr || *block_cpv != cpv) continue;
    const int match = MatchOf(block, pkg.relative_path, id);
    if (match == 0 || match < best_match) continue;
    best_match = match;
    best = std::move(block);
    best_overlong = overlong;
  }
  if (best_match == 0) {
    return NotFound(index + " has no entry for " + cpv + " at " + pkg.relative_path);
  }
  if (best_overlong) {
    return NotFound("the entry of " + index + " for " + cpv + " is over " +
                    std::to_string(api::kMaxIndexEntryBytes) + " bytes");
  }

  struct stat st;
  if (::stat(pkg.path.c_str(), &st) != 0) {
    return Unavailable("cannot stat " + pkg.path + ": " + std::strerror(errno));
  }
  const std::string* size = best.Find("SIZE");
  if (size == nullptr || *size != std::to_string(st.st_size)) {
    return NotFound("the entry of " + index + " for " + pkg.relative_path + " is stale: SIZE " +
                    (size ? "\"" + *size + "\"" : std::string("missing")) + ", the file has " +
                    std::to_string(st.st_size) + " bytes");
  }
  if (const std::string* mtime = best.Find("MTIME");
      mtime != nullptr && *mtime != std::to_string(st.st_mtim.tv_sec)) {
    return NotFound("the entry of " + index + " for " + pkg.relative_path + " is stale: MTIME " +
                    *mtime + ", the file's is " + std::to_string(st.st_mtim.tv_sec));
  }
  for (const char* key : api::kIndexInheritedKeys) {
    const std::string* inherited = header.Find(key);
    if (best.Find(key) == nullptr && inherited != nullptr && !inherited->empty()) {
      best.Set(key, *inherited);
    }
  }
  std::string text = api::FormatIndexBlock(best);
  if (text.size() > api::kMaxIndexEntryBytes) {
    return NotFound("the entry of " + index + " for " + cpv + " is over " +
                    std::to_string(api::kMaxIndexEntryBytes) + " bytes");
  }
  // What the controller accepts: one block, valid keys, a CPV.
  if (auto checked = api::ParseIndexEntry(text); !checked.ok()) {
    return NotFound("the entry of " + index + " for " + cpv +
                    " is malformed: " + checked.status().message());
  }
  return text;
}

}  // namespace swarm::agent
