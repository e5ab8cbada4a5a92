#include "controller/binhost/index.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/file_util.h"
#include "base/strings.h"

namespace swarm::controller {
namespace {

// Keys that say where a client fetched a package from: portage fills them in
// (or refuses them from a remote index) itself, so a drone's are wrong here.
constexpr const char* kClientOnlyKeys[] = {"BASE_URI", "PKGINDEX_URI", "FETCHCOMMAND",
                                           "RESUMECOMMAND"};

// Every digest portage checks a fetched package against (its
// checksum.get_valid_checksum_keys()): only the controller's may be listed.
constexpr const char* kDigestKeys[] = {"MD5",      "SHA1",      "SHA256",      "SHA512",
                                       "RMD160",   "WHIRLPOOL", "BLAKE2B",     "BLAKE2S",
                                       "SHA3_256", "SHA3_512",  "STREEBOG256", "STREEBOG512"};

}  // namespace

api::IndexBlock IndexEntryOf(const IndexedPackage& p, std::string* why) {
  api::IndexBlock entry;
  if (!p.index_entry.empty()) {
    Result<api::IndexBlock> parsed = api::ParseIndexEntry(p.index_entry);
    if (!parsed.ok()) {
      if (why)
        *why = "the drone's entry for " + p.package + " is unusable: " + parsed.status().message();
    } else if (*parsed->Find("CPV") != p.package) {
      if (why) *why = "the drone's entry for " + p.package + " is for CPV " + *parsed->Find("CPV");
    } else {
      entry = std::move(parsed).value();
    }
  }
  for (const char* key : kClientOnlyKeys) entry.Erase(key);
  for (const char* key : kDigestKeys) entry.Erase(key);
  entry.Set("CPV", p.package);
  entry.Set("PATH", p.path);
  entry.Set("SIZE", std::to_string(p.size));
  entry.Set("MTIME", std::to_string(p.mtime));
  if (!p.digests.md5.empty()) entry.Set("MD5", p.digests.md5);
  if (!p.digests.sha1.empty()) entry.Set("SHA1", p.digests.sha1);
  if (!p.digests.sha256.empty()) entry.Set("SHA256", p.digests.sha256);
  // Portage writes keys sorted; so do we, whatever order the drone sent.
  std::sort(entry.fields.begin(), entry.fields.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entry;
}

std::string FormatBinhostIndex(const std::vector<IndexedPackage>& packages, WallTime now,
                               std::vector<std::string>* warnings) {
  std::vector<const IndexedPackage*> sorted;
  sorted.reserve(packages.size());
  for (const auto& p : packages) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const IndexedPackage* a, const IndexedPackage* b) {
    return a->package < b->package;
  });

  const int64_t timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  api::IndexBlock header;
  header.Set("PACKAGES", std::to_string(packages.size()));
  header.Set("TIMESTAMP", std::to_string(timestamp));
  header.Set("VERSION", kIndexVersion);
  std::string out = api::FormatIndexBlock(header);
  for (const IndexedPackage* p : sorted) {
    std::string why;
    api::IndexBlock entry = IndexEntryOf(*p, &why);
    if (!why.empty() && warnings) {
      warnings->push_back(why + "; it is listed with CPV, PATH, SIZE and MTIME only");
    }
    out += '\n';
    out += api::FormatIndexBlock(entry);
  }
  return out;
}

Result<int> WriteBinhostIndex(const std::string& dir,
                              const std::vector<PublishedPackage>& published, WallTime now,
                              std::vector<std::string>* warnings) {
  std::vector<IndexedPackage> listed;
  listed.reserve(published.size());
  for (const auto& p : published) {
    const std::string file = dir + "/" + p.path;
    struct stat st;
    const bool found = ::stat(file.c_str(), &st) == 0;
    if (!found || !S_ISREG(st.st_mode)) {
      if (warnings) {
        warnings->push_back(
            p.package + " is left out of the index: " + file +
            (found ? " is not a regular file" : " cannot be stat'd: " + ErrnoText()));
      }
      continue;
    }
    listed.push_back({p.package, p.path, static_cast<int64_t>(st.st_size),
                      static_cast<int64_t>(st.st_mtim.tv_sec), p.index_entry, p.digests});
  }
  // The temporary file goes in .staging, which is never served.
  if (Status st = WriteFileAtomically(dir + "/Packages", FormatBinhostIndex(listed, now, warnings),
                                      dir + "/.staging");
      !st.ok()) {
    return st;
  }
  return static_cast<int>(listed.size());
}

}  // namespace swarm::controller
