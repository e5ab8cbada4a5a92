// The read side of Binhost: periodic verification of what is published, and
// resolving GET /binhost/<path> to a file that may be served.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <set>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "controller/binhost/binhost.h"
#include "controller/binhost/releases.h"

namespace swarm::controller {
namespace {

int64_t Nanos(const struct timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

bool SameStat(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         Nanos(a.st_mtim) == Nanos(b.st_mtim) && Nanos(a.st_ctim) == Nanos(b.st_ctim);
}

// Hashes the file at `path`; `*before` and `*after` are its stat around the
// reads, so a file that changed meanwhile is not remembered as verified.
Result<std::string> HashFile(const std::string& path, struct stat* before, struct stat* after) {
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return Unavailable("cannot open " + path + ": " + ErrnoText());
  if (::fstat(file.get(), before) != 0)
    return Unavailable("cannot stat " + path + ": " + ErrnoText());
  auto digest = Sha256Fd(file.get(), path);
  if (!digest.ok()) return digest;
  if (::fstat(file.get(), after) != 0)
    return Unavailable("cannot stat " + path + ": " + ErrnoText());
  return digest;
}

std::string SizeChange(const std::string& rel, int64_t is, int64_t was) {
  return rel + " is " + std::to_string(is) + " bytes, was " + std::to_string(was);
}

}  // namespace

bool Binhost::RememberVerifiedLocked(const std::string& rel, const std::string& full,
                                     const std::string& sha) {
  struct stat st;
  if (::stat(full.c_str(), &st) != 0) return false;
  verified_[rel] = {static_cast<uint64_t>(st.st_dev),
                    static_cast<uint64_t>(st.st_ino),
                    static_cast<int64_t>(st.st_size),
                    Nanos(st.st_mtim),
                    Nanos(st.st_ctim),
                    sha};
  return true;
}

std::vector<BinhostProblem> Binhost::Verify(const PublishedList& published, bool full) {
  std::vector<BinhostProblem> problems;
  std::set<std::string> listed;
  for (const auto& [package, ref] : published) {
    auto problem = [&, &package = package, &ref = ref](std::string what) {
      problems.push_back({package, ref.path, std::move(what)});
    };
    std::string why;
    if (!IsValidBinpkgPath(ref.path, &why)) {
      problem("recorded binary package " + why);
      continue;
    }
    listed.insert(ref.path);
    const std::string path = root_ + "/" + ref.path;
    const std::string was = AsciiLower(ref.sha256);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        problem(ref.path + " is missing, was " + std::to_string(ref.size) + " bytes");
      } else {
        problem("cannot stat " + ref.path + ": " + ErrnoText());
      }
      continue;
    }
    if (!S_ISREG(st.st_mode)) {
      problem(ref.path + " is not a regular file");
      continue;
    }
    if (st.st_size == 0 || st.st_size != ref.size) {
      problem(SizeChange(ref.path, st.st_size, ref.size));
      continue;
    }
    if (!full) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = verified_.find(ref.path);
      const VerifiedStat* v = it == verified_.end() ? nullptr : &it->second;
      if (v && v->dev == static_cast<uint64_t>(st.st_dev) &&
          v->inode == static_cast<uint64_t>(st.st_ino) && v->size == st.st_size &&
          v->mtime_ns == Nanos(st.st_mtim) && v->ctime_ns == Nanos(st.st_ctim)) {
        if (v->sha256 != was) {
          problem(ref.path + " has changed: sha256 is " + v->sha256 + ", was " + was);
        }
        continue;
      }
    }
    // Hashed without the lock: gigabytes take seconds, publishing must not wait.
    struct stat before, after;
    Result<std::string> digest = HashFile(path, &before, &after);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++files_hashed_;
      if (digest.ok() && SameStat(before, after)) {
        verified_[ref.path] = {static_cast<uint64_t>(after.st_dev),
                               static_cast<uint64_t>(after.st_ino),
                               static_cast<int64_t>(after.st_size),
                               Nanos(after.st_mtim),
                               Nanos(after.st_ctim),
                               *digest};
      } else {
        verified_.erase(ref.path);
      }
    }
    if (!digest.ok()) {
      problem(digest.status().message());
    } else if (after.st_size != ref.size) {
      problem(SizeChange(ref.path, after.st_size, ref.size));
    } else if (*digest != was) {
      problem(ref.path + " has changed: sha256 is " + *digest + ", was " + was);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = verified_.begin(); it != verified_.end();) {
    it = listed.count(it->first) ? std::next(it) : verified_.erase(it);
  }
  return problems;
}

Result<std::string> Binhost::ResolveForServing(const std::string& url_rel_path) const {
  std::string why;
  if (!IsPlainRelativePath(url_rel_path, &why)) return NotFound("not served: " + why);
  const std::string candidate = root_ + "/" + url_rel_path;
  char resolved[PATH_MAX];
  if (::realpath(candidate.c_str(), resolved) == nullptr) {
    return NotFound("no file " + url_rel_path + " in the binhost: " + ErrnoText());
  }
  // A symlink may lead anywhere: what it resolves to must still be a plain
  // path inside the binhost, outside .staging and every other dot-directory.
  const std::string real = resolved;
  const std::string prefix = root_ == "/" ? "/" : root_ + "/";
  if (real.compare(0, prefix.size(), prefix) != 0 ||
      !IsPlainRelativePath(real.substr(prefix.size()), nullptr)) {
    return NotFound("not served: " + url_rel_path + " leads to " + real +
                    ", which is not a published file of the binhost " + root_);
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFound("not served: " + url_rel_path + " is not a regular file");
  }
  return real;
}

void Binhost::SetCurrent(const std::string& release, int64_t index_timestamp) {
  std::lock_guard<std::mutex> lock(mu_);
  current_ = release;
  current_timestamp_ = index_timestamp;
}

std::pair<std::string, int64_t> Binhost::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {current_, current_timestamp_};
}

Result<std::string> Binhost::ResolveReleaseFile(const std::string& release,
                                                const std::string& rel) const {
  std::string why;
  if (!IsValidReleaseName(release, &why)) return NotFound("not served: " + why);
  if (!IsPlainRelativePath(rel, &why)) return NotFound("not served: " + why);
  const std::string dir = ReleaseDir(root_, release);
  const std::string candidate = dir + "/" + rel;
  char resolved[PATH_MAX];
  if (::realpath(candidate.c_str(), resolved) == nullptr) {
    return NotFound("no file " + rel + " in release " + release + ": " + ErrnoText());
  }
  const std::string real = resolved;
  if (real.compare(0, dir.size() + 1, dir + "/") != 0) {
    return NotFound("not served: " + rel + " leads out of release " + release);
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFound("not served: " + rel + " is not a regular file");
  }
  return real;
}

int64_t Binhost::files_hashed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_hashed_;
}

}  // namespace swarm::controller
