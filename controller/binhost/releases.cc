#include "controller/binhost/releases.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/packages_index.h"
#include "base/digest.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "controller/binhost/index.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;

constexpr char kReleasesDir[] = ".releases";
constexpr char kCutPrefix[] = ".cut-";

std::string ReleasesRoot(const std::string& binhost_dir) {
  return binhost_dir + "/" + kReleasesDir;
}

bool IsReleaseNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '-';
}

Status SyncPath(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Unavailable("cannot open " + path + ": " + ErrnoText());
  if (::fsync(fd.get()) != 0) return Unavailable("cannot fsync " + path + ": " + ErrnoText());
  return Status::Ok();
}

// Checks the linked file at `path` against `p`'s record; empty when it holds.
std::string CheckReleaseFile(const std::string& path, const api::ReleasePackage& p) {
  const api::BinaryPackageRef& ref = p.binpkg;
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return "cannot stat " + ref.path + ": " + ErrnoText();
  if (!S_ISREG(st.st_mode)) return ref.path + " is not a regular file";
  if (st.st_size == 0 || st.st_size != ref.size) {
    return ref.path + " is " + std::to_string(st.st_size) + " bytes, was " +
           std::to_string(ref.size);
  }
  Result<BinpkgDigests> digests = BinpkgDigestsOfFile(path);
  if (!digests.ok()) return digests.status().message();
  if (digests->sha256 != AsciiLower(ref.sha256)) {
    return ref.path + " has changed: sha256 is " + digests->sha256 + ", was " + ref.sha256;
  }
  if (!ref.md5.empty() && digests->md5 != AsciiLower(ref.md5)) {
    return ref.path + " has changed: md5 is " + digests->md5 + ", was " + ref.md5;
  }
  if (!ref.sha1.empty() && digests->sha1 != AsciiLower(ref.sha1)) {
    return ref.path + " has changed: sha1 is " + digests->sha1 + ", was " + ref.sha1;
  }
  std::string why;
  IndexedPackage indexed{p.name, ref.path, ref.size, 0, p.index_entry, {}};
  IndexEntryOf(indexed, &why);
  if (!why.empty()) return "its Packages entry does not match " + ref.path + ": " + why;
  return "";
}

}  // namespace

std::string ReleaseDir(const std::string& binhost_dir, const std::string& name) {
  return ReleasesRoot(binhost_dir) + "/" + name;
}

bool IsValidReleaseName(const std::string& name, std::string* why) {
  auto fail = [&](const std::string& what) {
    if (why) *why = "release name " + Quote(name, 80) + " " + what;
    return false;
  };
  if (name.empty()) return fail("is empty");
  if (name.size() > 64) return fail("is longer than 64 bytes");
  if (name[0] == '.' || name[0] == '-') return fail("starts with '" + name.substr(0, 1) + "'");
  for (char c : name) {
    if (!IsReleaseNameChar(c)) return fail("has a character outside [A-Za-z0-9_.-]");
  }
  return true;
}

Result<CutOutcome> CutReleaseFiles(const std::string& binhost_dir, const std::string& name,
                                   const std::vector<ReleaseFile>& files, WallTime now) {
  std::string why;
  if (!IsValidReleaseName(name, &why)) return InvalidArgument(why);
  const std::string root = ReleasesRoot(binhost_dir);
  const std::string final_dir = root + "/" + name;
  const std::string cut_dir = root + "/" + kCutPrefix + name;
  std::error_code ec;
  if (fs::exists(final_dir, ec)) return AlreadyExists("release " + name + " exists at " + final_dir);
  if (Status s = MakeDirs(root); !s.ok()) return s;
  fs::remove_all(cut_dir, ec);
  if (ec) return Unavailable("cannot remove " + cut_dir + ": " + ec.message());
  if (Status s = MakeDirs(cut_dir); !s.ok()) return s;
  auto abandon = [&] {
    std::error_code ignored;
    fs::remove_all(cut_dir, ignored);
  };

  CutOutcome out;
  std::vector<IndexedPackage> listed;
  listed.reserve(files.size());
  for (const ReleaseFile& f : files) {
    const api::BinaryPackageRef& ref = f.package.binpkg;
    auto problem = [&](std::string what) {
      out.problems.push_back({f.package.name, ref.path, std::move(what)});
    };
    if (!Binhost::IsValidBinpkgPath(ref.path, &why)) {
      problem("recorded binary package " + why);
      continue;
    }
    const std::string target = cut_dir + "/" + ref.path;
    if (Status s = MakeDirs(fs::path(target).parent_path().string()); !s.ok()) {
      abandon();
      return s;
    }
    // Linked first, then checked: what is verified is the inode the release
    // keeps, whatever replaces the source meanwhile.
    if (::link(f.source.c_str(), target.c_str()) != 0) {
      if (errno == ENOENT) {
        problem(ref.path + " is missing, was " + std::to_string(ref.size) + " bytes");
        continue;
      }
      const std::string err = ErrnoText();
      abandon();
      return Unavailable("cannot link " + f.source + " to " + target + ": " + err);
    }
    if (std::string bad = CheckReleaseFile(target, f.package); !bad.empty()) {
      problem(std::move(bad));
      continue;
    }
    struct stat st;
    if (::stat(target.c_str(), &st) != 0) {
      const std::string err = ErrnoText();
      abandon();
      return Unavailable("cannot stat " + target + ": " + err);
    }
    out.bytes += st.st_size;
    listed.push_back({f.package.name, ref.path, static_cast<int64_t>(st.st_size),
                      static_cast<int64_t>(st.st_mtim.tv_sec), f.package.index_entry,
                      BinpkgDigests{ref.md5, ref.sha1, ref.sha256}});
  }
  if (!out.problems.empty()) {
    abandon();
    out.bytes = 0;
    return out;
  }
  // The index goes in with the files; its temporary beside it, in the cut.
  if (Status s = WriteFileAtomically(cut_dir + "/Packages", FormatBinhostIndex(listed, now));
      !s.ok()) {
    abandon();
    return s;
  }
  // Every link and directory of the cut on disk before it is renamed into
  // place (one syncfs rather than an fsync per directory).
  {
    const UniqueFd fd(::open(cut_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid() || ::syncfs(fd.get()) != 0) {
      const std::string err = ErrnoText();
      abandon();
      return Unavailable("cannot sync " + cut_dir + ": " + err);
    }
  }
  if (::rename(cut_dir.c_str(), final_dir.c_str()) != 0) {
    const std::string err = ErrnoText();
    abandon();
    return Unavailable("cannot rename " + cut_dir + " to " + final_dir + ": " + err);
  }
  if (Status s = SyncPath(root); !s.ok()) return s;
  return out;
}

Status RemoveReleaseFiles(const std::string& binhost_dir, const std::string& name) {
  std::string why;
  if (!IsValidReleaseName(name, &why)) return InvalidArgument(why);
  std::error_code ec;
  fs::remove_all(ReleaseDir(binhost_dir, name), ec);
  if (ec) return Unavailable("cannot remove release " + name + ": " + ec.message());
  return Status::Ok();
}

Result<std::vector<std::string>> RemoveUnrecordedReleases(const std::string& binhost_dir,
                                                          const std::set<std::string>& recorded) {
  const std::string root = ReleasesRoot(binhost_dir);
  std::vector<std::string> removed;
  std::error_code ec;
  if (!fs::exists(root, ec)) return removed;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!recorded.count(name)) doomed.push_back(it->path());
  }
  if (ec) return Unavailable("cannot list " + root + ": " + ec.message());
  for (const fs::path& p : doomed) {
    std::error_code rm;
    fs::remove_all(p, rm);
    if (rm) return Unavailable("cannot remove " + p.string() + ": " + rm.message());
    removed.push_back(p.filename().string());
  }
  return removed;
}

Result<std::string> CurrentIndex(const std::string& binhost_dir, const std::string& name,
                                 int64_t index_timestamp, const std::string& base_uri) {
  const std::string path = ReleaseDir(binhost_dir, name) + "/Packages";
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("release " + name + " has no Packages index: " + ErrnoText());
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  // The header is the first block: "KEY: value" lines up to a blank line.
  const size_t end = all.find("\n\n");
  const std::string header_text = all.substr(0, end == std::string::npos ? all.size() : end + 1);
  api::IndexBlock header;
  std::istringstream header_lines(header_text);
  for (std::string line; std::getline(header_lines, line);) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    header.Set(line.substr(0, colon), std::string(Trim(line.substr(colon + 1))));
  }
  header.Set("TIMESTAMP", std::to_string(index_timestamp));
  if (!base_uri.empty()) header.Set("URI", base_uri);
  std::sort(header.fields.begin(), header.fields.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = api::FormatIndexBlock(header);
  if (end != std::string::npos) out += all.substr(end + 1);
  return out;
}

}  // namespace swarm::controller
