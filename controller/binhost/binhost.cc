#include "controller/binhost/binhost.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "api/cpv.h"
#include "api/limits.h"
#include "base/strings.h"
#include "base/unique_fd.h"

namespace swarm::controller {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxAssignmentIdBytes = 128;

// Quotes untrusted text for a message, cut short so a hostile value cannot
// flood a log line.
std::string QuoteUntrusted(std::string_view s) {
  constexpr size_t kMax = 120;
  std::string out = "'";
  for (char c : s.substr(0, kMax)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out + (s.size() > kMax ? "...'" : "'");
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash; (slash = s.find('/', start)) != std::string::npos; start = slash + 1) {
    parts.push_back(s.substr(start, slash - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

// ASCII only, whatever the locale.
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsPathChar(char c) { return IsAlnum(c) || c == '+' || c == '_' || c == '.' || c == '-'; }

bool IsValidAssignmentId(const std::string& id) {
  if (id.empty() || id.size() > kMaxAssignmentIdBytes) return false;
  for (char c : id) {
    if (!IsAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// Every refusal of an upload's content or of a claim about it, in one place.
Status Refused(std::string message) { return InvalidArgument(std::move(message)); }

Status BadAssignmentId(const std::string& id) {
  return InvalidArgument("assignment id " + QuoteUntrusted(id) + " is not 1-128 of [A-Za-z0-9_-]");
}

Status FsyncDir(const std::string& dir) {
  const UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.valid()) return Unavailable("cannot open directory " + dir + ": " + ErrnoText());
  if (::fsync(d.get()) != 0)
    return Unavailable("cannot fsync directory " + dir + ": " + ErrnoText());
  return Status::Ok();
}

// mkdir -p of the directories of `rel` under `root`, fsyncing the parent of
// each one created so that the published file's path survives a crash.
Status MakeParents(const std::string& root, const std::string& rel) {
  std::vector<std::string> parts = Split(rel);
  std::string dir = root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string parent = dir;
    dir += "/" + parts[i];
    if (::mkdir(dir.c_str(), 0755) == 0) {
      if (Status st = FsyncDir(parent); !st.ok()) return st;
      continue;
    }
    if (errno != EEXIST) return Unavailable("cannot create directory " + dir + ": " + ErrnoText());
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Unavailable("cannot publish " + rel + ": " + dir + " exists and is not a directory");
    }
  }
  return Status::Ok();
}

}  // namespace

// ---- BinhostUpload ----

BinhostUpload::BinhostUpload(Binhost* binhost, std::string assignment_id, std::string rel_path,
                             uint64_t generation, std::string part_path, int fd)
    : binhost_(binhost),
      assignment_id_(std::move(assignment_id)),
      rel_path_(std::move(rel_path)),
      generation_(generation),
      part_path_(std::move(part_path)),
      fd_(fd) {}

BinhostUpload::~BinhostUpload() {
  if (!finished_) Fail(Unavailable("upload abandoned"));
  binhost_->Forget(generation_);
}

void BinhostUpload::Fail(const Status& st) {
  if (failed_.ok()) failed_ = st;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    ::unlink(part_path_.c_str());
  }
}

Status BinhostUpload::Write(const char* data, size_t n) {
  if (finished_) return Internal("the upload for assignment " + assignment_id_ + " has finished");
  if (!failed_.ok()) return failed_;
  while (n > 0) {
    const ssize_t w = ::write(fd_, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      Fail(Unavailable("cannot write " + part_path_ + ": " + ErrnoText()));
      return failed_;
    }
    digests_.Update(data, static_cast<size_t>(w));
    size_ += w;
    unsynced_ += w;
    if (unsynced_ >= kUploadSyncStep) {
      if (::fdatasync(fd_) != 0) {
        Fail(Unavailable("cannot fdatasync " + part_path_ + ": " + ErrnoText()));
        return failed_;
      }
      unsynced_ = 0;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Result<api::BinaryPackageRef> BinhostUpload::Finish(const std::string& expected_sha256) {
  if (finished_) return Internal("the upload for assignment " + assignment_id_ + " has finished");
  if (!failed_.ok()) return failed_;
  const std::string what = "the upload of " + rel_path_ + " for assignment " + assignment_id_;
  if (!IsSha256Hex(expected_sha256)) {
    Fail(Refused(what + " names sha256 " + QuoteUntrusted(expected_sha256) +
                 ", which is not 64 hex digits"));
    return failed_;
  }
  if (size_ == 0) {
    Fail(Refused(what + " is 0 bytes: an empty binary package is never published"));
    return failed_;
  }
  const BinpkgDigests digests = digests_.Finish();
  const std::string& digest = digests.sha256;
  if (digest != AsciiLower(expected_sha256)) {
    Fail(Refused(what + " has sha256 " + digest + " over " + std::to_string(size_) +
                 " bytes, not the expected " + AsciiLower(expected_sha256)));
    return failed_;
  }
  if (::fsync(fd_) != 0) {
    Fail(Unavailable("cannot fsync " + part_path_ + ": " + ErrnoText()));
    return failed_;
  }
  // close() reports delayed write errors on some filesystems (NFS).
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    failed_ = Unavailable("cannot close " + part_path_ + ": " + ErrnoText());
    ::unlink(part_path_.c_str());
    return failed_;
  }
  Result<api::BinaryPackageRef> staged =
      binhost_->Stage(this, {rel_path_, size_, digest, digests.md5, digests.sha1});
  if (!staged.ok()) {
    failed_ = staged.status();
    ::unlink(part_path_.c_str());
    return failed_;
  }
  finished_ = true;
  return staged;
}

// ---- Binhost ----

Binhost::Binhost(std::string root) : root_(std::move(root)) {}

Binhost::~Binhost() = default;

namespace {

// Makes directory `path` (when missing) and checks that it is one, on the
// filesystem of the binhost (`root_st`); `why` says what needs that.
Status MakeDirOnFilesystemOf(const std::string& path, const struct stat& root_st,
                             const std::string& why) {
  struct stat st;
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return Unavailable("cannot create " + path + ": " + ErrnoText());
  }
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Unavailable(path + " is not a directory");
  }
  if (st.st_dev != root_st.st_dev) {
    return InvalidArgument(path + " is on another filesystem than the binhost: " + why);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Binhost>> Binhost::Open(const std::string& dir) {
  if (dir.empty()) return InvalidArgument("the binhost directory is not set");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Unavailable("cannot create binhost directory " + dir + ": " + ec.message());
  char resolved[PATH_MAX];
  if (::realpath(dir.c_str(), resolved) == nullptr) {
    return Unavailable("cannot resolve binhost directory " + dir + ": " + ErrnoText());
  }
  const std::string root = resolved;
  struct stat root_st;
  if (::stat(root.c_str(), &root_st) != 0 || !S_ISDIR(root_st.st_mode)) {
    return Unavailable("binhost directory " + root + " is not a directory");
  }
  // Publishing renames out of .staging: that is atomic only within one
  // filesystem. Releases are hard links of published files: likewise.
  const std::string staging = root + (root == "/" ? "" : "/") + ".staging";
  if (Status st = MakeDirOnFilesystemOf(staging, root_st, "publishing needs an atomic rename");
      !st.ok()) {
    return st;
  }
  if (Status st = MakeDirOnFilesystemOf(root + (root == "/" ? "" : "/") + ".releases", root_st,
                                        "a release hard-links the published files");
      !st.ok()) {
    return st;
  }
  int removed = 0;
  for (fs::directory_iterator it(staging, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    if (rm) return Unavailable("cannot remove stale " + it->path().string() + ": " + rm.message());
    ++removed;
  }
  if (ec) return Unavailable("cannot list " + staging + ": " + ec.message());
  if (removed > 0) {
    spdlog::info("binhost: removed {} stale staging files from {}", removed, staging);
  }
  return std::unique_ptr<Binhost>(new Binhost(root));
}

bool Binhost::IsPlainRelativePath(const std::string& rel, std::string* why) {
  auto fail = [&](const std::string& what) {
    if (why) *why = "path " + QuoteUntrusted(rel) + " " + what;
    return false;
  };
  if (rel.empty()) return fail("is empty");
  if (rel.size() > api::kMaxBinpkgPathBytes) return fail("is longer than 512 bytes");
  if (rel[0] == '/') return fail("is absolute; it must be relative to the binhost");
  for (char c : rel) {
    if (c != '/' && !IsPathChar(c)) return fail("has a character outside [A-Za-z0-9+_.-/]");
  }
  for (const std::string& part : Split(rel)) {
    if (part.empty()) return fail("has an empty component");
    if (part[0] == '.') return fail("has a component starting with '.': " + QuoteUntrusted(part));
    if (part.size() > api::kMaxPathComponentBytes) {
      return fail("has a component longer than 255 bytes");
    }
  }
  return true;
}

bool Binhost::IsValidBinpkgPath(const std::string& rel, std::string* why) {
  if (!IsPlainRelativePath(rel, why)) return false;
  const std::vector<std::string> parts = Split(rel);
  auto fail = [&](const std::string& what) {
    if (why) *why = "path " + QuoteUntrusted(rel) + " " + what;
    return false;
  };
  const std::string& file = parts.back();
  if (parts.size() == 2) {
    if (file.ends_with(".gpkg.tar") || file.ends_with(".tbz2") || file.ends_with(".xpak")) {
      return true;
    }
    return fail("is not cat/<pf>.gpkg.tar, cat/<pf>.tbz2 or cat/<pf>.xpak");
  }
  if (parts.size() != 3) {
    return fail("has " + std::to_string(parts.size()) +
                " components; a binary package is cat/<pf>.<ext> or cat/<pn>/<pf>-<N>.<ext>");
  }
  std::string_view stem(file);
  if (stem.ends_with(".gpkg.tar")) {
    stem.remove_suffix(9);
  } else if (stem.ends_with(".xpak")) {
    stem.remove_suffix(5);
  } else {
    return fail("is not cat/<pn>/<pf>-<N>.gpkg.tar or cat/<pn>/<pf>-<N>.xpak");
  }
  size_t digits = 0;
  while (digits < stem.size() &&
         std::isdigit(static_cast<unsigned char>(stem[stem.size() - 1 - digits]))) {
    ++digits;
  }
  const std::string& pn = parts[1];
  if (digits == 0 || digits + 1 > stem.size() || stem[stem.size() - 1 - digits] != '-' ||
      stem.size() < pn.size() + 1 + digits + 1 || stem.substr(0, pn.size() + 1) != pn + "-") {
    return fail("is not cat/<pn>/<pf>-<N>.<ext> with <pf> starting with '" + pn + "-'");
  }
  return true;
}

std::string Binhost::StagedPath(const std::string& assignment_id) const {
  return StagingDir() + "/" + assignment_id;
}

Result<std::unique_ptr<BinhostUpload>> Binhost::BeginUpload(const std::string& assignment_id,
                                                            const std::string& rel_path) {
  if (!IsValidAssignmentId(assignment_id)) return BadAssignmentId(assignment_id);
  std::string why;
  if (!IsValidBinpkgPath(rel_path, &why)) return Refused("binary package " + why);
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = ++next_generation_;
    live_[generation] = {assignment_id, false};
  }
  const std::string part =
      StagingDir() + "/" + assignment_id + "." + std::to_string(generation) + ".part";
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    Status st = Unavailable("cannot create staging file " + part + ": " + ErrnoText());
    Forget(generation);
    return st;
  }
  return std::unique_ptr<BinhostUpload>(
      new BinhostUpload(this, assignment_id, rel_path, generation, part, fd));
}

Result<api::BinaryPackageRef> Binhost::Stage(BinhostUpload* upload, api::BinaryPackageRef ref) {
  std::lock_guard<std::mutex> lock(mu_);
  auto live = live_.find(upload->generation_);
  if (live != live_.end() && live->second.discarded) {
    return Conflict("assignment " + upload->assignment_id_ +
                    " was discarded while its binary package was being uploaded");
  }
  const std::string staged = StagedPath(upload->assignment_id_);
  if (::rename(upload->part_path_.c_str(), staged.c_str()) != 0) {
    return Unavailable("cannot stage " + upload->part_path_ + " as " + staged + ": " + ErrnoText());
  }
  staged_[upload->assignment_id_] = ref;
  return ref;
}

void Binhost::Forget(uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  live_.erase(generation);
}

std::optional<api::BinaryPackageRef> Binhost::Staged(const std::string& assignment_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = staged_.find(assignment_id);
  if (it == staged_.end()) return std::nullopt;
  return it->second;
}

Result<api::BinaryPackageRef> Binhost::Publish(const std::string& assignment_id,
                                               const api::BinaryPackageRef& claimed) {
  // The lock is held for the checks and the rename only: directories are
  // made and fsynced outside it, so a Discard (which the controller calls
  // under its own lock) never waits for a disk.
  std::unique_lock<std::mutex> lock(mu_);
  auto it = staged_.find(assignment_id);
  if (it == staged_.end()) {
    return Refused("binary package " + QuoteUntrusted(claimed.path) +
                   " refused: no upload was staged for assignment " +
                   QuoteUntrusted(assignment_id));
  }
  const api::BinaryPackageRef upload = it->second;
  std::vector<std::string> diffs;
  if (claimed.path != upload.path) {
    diffs.push_back("path " + QuoteUntrusted(claimed.path) + " differs from the upload's " +
                    upload.path);
  }
  if (claimed.size == 0) {
    diffs.push_back("size 0 (the upload has " + std::to_string(upload.size) + " bytes)");
  } else if (claimed.size != upload.size) {
    diffs.push_back("size " + std::to_string(claimed.size) + " differs from the upload's " +
                    std::to_string(upload.size));
  }
  if (AsciiLower(claimed.sha256) != upload.sha256) {
    diffs.push_back("sha256 differs from the upload (claimed " + QuoteUntrusted(claimed.sha256) +
                    ", uploaded " + upload.sha256 + ")");
  }
  if (!diffs.empty()) {
    std::string message =
        "binary package " + upload.path + " for assignment " + assignment_id + " refused: ";
    for (size_t i = 0; i < diffs.size(); ++i) message += (i ? "; " : "") + diffs[i];
    // The assignment ends with a refusal (docs/api.md): nothing will claim it again.
    if (Status st = DiscardStagedLocked(assignment_id); !st.ok()) message += "; " + st.message();
    return Refused(message);
  }

  lock.unlock();
  if (Status st = MakeParents(root_, upload.path); !st.ok()) return st;
  const std::string target = root_ + "/" + upload.path;
  const std::string staged = StagedPath(assignment_id);
  lock.lock();
  // The staging may have moved on meanwhile (discarded, or a retried upload
  // finished): only the upload that was checked is published.
  it = staged_.find(assignment_id);
  if (it == staged_.end() || it->second != upload) {
    return Refused("binary package " + upload.path + " for assignment " + assignment_id +
                   " refused: its upload was discarded or replaced while it was published");
  }
  if (::rename(staged.c_str(), target.c_str()) != 0) {
    return Unavailable("cannot publish " + upload.path + ": rename " + staged + " to " + target +
                       ": " + ErrnoText());
  }
  staged_.erase(it);
  published_seq_[upload.path] = ++publish_seq_;
  lock.unlock();
  if (Status st = FsyncDir(fs::path(target).parent_path().string()); !st.ok()) {
    return Unavailable("published " + upload.path +
                       " but it may not survive a crash: " + st.message());
  }
  lock.lock();
  RememberVerifiedLocked(upload.path, target, upload.sha256);
  return upload;
}

uint64_t Binhost::PublishSequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return publish_seq_;
}

Result<std::vector<std::string>> Binhost::RemoveUnneeded(const std::set<std::string>& needed,
                                                         uint64_t as_of) {
  std::vector<std::string> removed;
  std::error_code ec;
  fs::recursive_directory_iterator it(root_, fs::directory_options::none, ec), end;
  if (ec) return Unavailable("cannot list the binhost " + root_ + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Unavailable("cannot list the binhost " + root_ + ": " + ec.message());
    const std::string name = it->path().filename().string();
    // .staging, .releases: never garbage of the live tree.
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const std::string rel = it->path().string().substr(root_.size() + 1);
    if (needed.count(rel) || !IsValidBinpkgPath(rel, nullptr)) continue;
    std::lock_guard<std::mutex> lock(mu_);
    auto seq = published_seq_.find(rel);
    if (seq != published_seq_.end() && seq->second > as_of) continue;
    if (::unlink(it->path().c_str()) != 0 && errno != ENOENT) {
      return Unavailable("cannot remove " + rel + " from the binhost: " + ErrnoText());
    }
    verified_.erase(rel);
    if (seq != published_seq_.end()) published_seq_.erase(seq);
    removed.push_back(rel);
  }
  return removed;
}

Status Binhost::Unpublish(const std::string& rel_path) {
  std::string why;
  if (!IsValidBinpkgPath(rel_path, &why)) return InvalidArgument(why);
  const std::string target = root_ + "/" + rel_path;
  {
    std::lock_guard<std::mutex> lock(mu_);
    verified_.erase(rel_path);
  }
  if (::unlink(target.c_str()) != 0 && errno != ENOENT) {
    return Unavailable("cannot remove " + rel_path + ": " + ErrnoText());
  }
  return Status::Ok();
}

Status Binhost::Discard(const std::string& assignment_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [generation, live] : live_) {
    if (live.assignment_id == assignment_id) live.discarded = true;
  }
  return DiscardStagedLocked(assignment_id);
}

Status Binhost::DiscardStagedLocked(const std::string& assignment_id) {
  auto it = staged_.find(assignment_id);
  if (it == staged_.end()) return Status::Ok();
  const std::string staged = StagedPath(assignment_id);
  if (::unlink(staged.c_str()) != 0 && errno != ENOENT) {
    return Unavailable("cannot remove staged upload " + staged + ": " + ErrnoText());
  }
  staged_.erase(it);
  return Status::Ok();
}

bool BinpkgPathIsFor(const std::string& rel, const std::string& package, std::string* why) {
  auto cpv = api::ParseCpv(package);
  auto fail = [&](const std::string& what) {
    if (why) *why = "\"" + rel + "\" is not a binary package of " + package + ": " + what;
    return false;
  };
  if (!cpv.ok()) return fail(cpv.status().message());
  const std::string single = cpv->category + "/" + cpv->pf;
  for (const char* ext : {".gpkg.tar", ".tbz2", ".xpak"}) {
    if (rel == single + ext) return true;
  }
  const std::string multi = cpv->category + "/" + cpv->pn + "/" + cpv->pf + "-";
  if (rel.rfind(multi, 0) == 0) {
    std::string rest = rel.substr(multi.size());
    for (const std::string ext : {".gpkg.tar", ".xpak"}) {
      if (rest.size() > ext.size() && rest.compare(rest.size() - ext.size(), ext.size(), ext) == 0) {
        const std::string id = rest.substr(0, rest.size() - ext.size());
        if (!id.empty() && id.size() <= 9 &&
            std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); })) {
          return true;
        }
      }
    }
  }
  return fail("want " + single + ".gpkg.tar (or .tbz2, .xpak) or " + multi + "<N>.gpkg.tar");
}

}  // namespace swarm::controller
