#pragma once

// The binhost directory drones fetch binary packages from (docs/api.md,
// "GET /binhost/..."). An upload streams into DIR/.staging/ while it is
// hashed; it is published into DIR/<path> only when the build's success
// report names the same path, size and digest; what is published is
// re-verified periodically. Staging lives inside DIR so that publishing is a
// rename on one filesystem: a drone sees the old file or the new one, never
// half of one.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/protocol.h"
#include "base/digest.h"
#include "base/sha256.h"
#include "base/status.h"

namespace swarm::controller {

// A published file that is no longer what was recorded.
struct BinhostProblem {
  std::string package;  // as given to Verify, e.g. "dev-libs/openssl-3.3.3"
  std::string path;     // relative to the binhost, e.g. "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"
  std::string what;     // "dev-libs/openssl/openssl-3.3.3-1.gpkg.tar is 0 bytes, was 31244"
};

class Binhost;

// One binary package being received into DIR/.staging/<assignment>.<n>.part.
// Thread safety: one thread at a time; distinct uploads may run on distinct
// threads. The Binhost must outlive it.
// An upload's bytes are put on disk every this many bytes as they arrive,
// not all at its end. The controller's commits (one fsync each) share the
// disk's cache flushes with the upload: left to the end, a 300 MiB upload's
// fsync took 0.6 s and the commit that gave a drone its next build waited
// 0.2 s behind it; in steps, no commit waits for more than one step
// (docs/benchmarks.md, "The gap between a drone's builds").
inline constexpr int64_t kUploadSyncStep = int64_t{4} << 20;

class BinhostUpload {
 public:
  // Without a successful Finish(), removes the partial file.
  ~BinhostUpload();
  BinhostUpload(const BinhostUpload&) = delete;
  BinhostUpload& operator=(const BinhostUpload&) = delete;

  // Appends `n` bytes, hashing them (SHA-256, MD5, SHA-1); every kUploadSyncStep bytes waits for
  // them to reach the disk. Unavailable, naming the file, when the disk
  // refuses them (ENOSPC); the upload has then failed and Finish says so.
  Status Write(const char* data, size_t n);
  // Ends the upload: fsyncs it and stages it as DIR/.staging/<assignment>,
  // replacing an earlier upload for the assignment. The ref returned (and
  // published) carries the MD5 and SHA-1 of the bytes too. InvalidArgument (the
  // partial file removed) for zero bytes, an `expected_sha256` that is not 64
  // hex digits or differs from the bytes' digest; Conflict when the
  // assignment was discarded meanwhile; Unavailable for disk errors.
  Result<api::BinaryPackageRef> Finish(const std::string& expected_sha256);

  const std::string& assignment_id() const { return assignment_id_; }
  int64_t size() const { return size_; }

 private:
  friend class Binhost;
  BinhostUpload(Binhost* binhost, std::string assignment_id, std::string rel_path,
                uint64_t generation, std::string part_path, int fd);
  // Closes and removes the partial file; keeps the first error.
  void Fail(const Status& st);

  Binhost* const binhost_;
  const std::string assignment_id_;
  const std::string rel_path_;
  const uint64_t generation_;
  const std::string part_path_;
  int fd_;
  int64_t size_ = 0;
  int64_t unsynced_ = 0;  // bytes written since the last fdatasync
  // SHA-256 to check against the agent's claim, MD5 and SHA-1 for the
  // Packages index: all from this one pass over the bytes.
  BinpkgDigester digests_;
  Status failed_;
  bool finished_ = false;
};

// Thread safety: every method may be called from any thread. One mutex guards
// the staged uploads and the verification cache; it is never held while a
// file is hashed or an upload's bytes are written, only for renames (Publish:
// a rename and the fsync of its directory).
// Whether `rel` (already a valid binpkg path) is the binary package of
// `package` (cat/pkg-ver): "cat/pf.gpkg.tar", "cat/pf.tbz2", "cat/pf.xpak",
// or "cat/pn/pf-N.gpkg.tar" / ".xpak". A drone may publish only the package
// it was assigned, never over another's file. When not, sets `*why`.
bool BinpkgPathIsFor(const std::string& rel, const std::string& package, std::string* why);

class Binhost {
 public:
  using PublishedList = std::vector<std::pair<std::string /*package*/, api::BinaryPackageRef>>;

  // Opens the binhost at `dir`, creating it and DIR/.staging/ when missing and
  // removing the staging files of a previous run. InvalidArgument for an empty
  // `dir` or a .staging on another filesystem; Unavailable for disk errors.
  static Result<std::unique_ptr<Binhost>> Open(const std::string& dir);
  ~Binhost();

  // The binhost directory, absolute, symlinks resolved, no trailing '/'.
  const std::string& dir() const { return root_; }

  // Whether `rel` is a path an agent may upload: "cat/pn/pf-N.gpkg.tar",
  // "cat/pn/pf-N.xpak" (multi-instance, pf starting "pn-"), or
  // "cat/pf.gpkg.tar", "cat/pf.tbz2", "cat/pf.xpak"; only [A-Za-z0-9+_.-]
  // between the slashes, no empty or dot-leading component, at most 255 bytes
  // per component and 512 in all. When not, sets `*why` (if given) to a
  // sentence naming `rel`.
  static bool IsValidBinpkgPath(const std::string& rel, std::string* why);

  // Starts receiving the binary package at `rel_path` for `assignment_id`
  // (1-128 of [A-Za-z0-9_-]). Several uploads for one assignment may overlap
  // (an agent retrying): the last to finish is the staged one.
  // InvalidArgument for a bad id or path; Unavailable when the staging file
  // cannot be created.
  Result<std::unique_ptr<BinhostUpload>> BeginUpload(const std::string& assignment_id,
                                                     const std::string& rel_path);

  // What is staged for `assignment_id`; nullopt when nothing is.
  std::optional<api::BinaryPackageRef> Staged(const std::string& assignment_id) const;

  // Publishes the upload staged for `assignment_id` as DIR/<claimed.path>,
  // by an atomic rename that replaces an older file at that path, fsyncing
  // the directory. InvalidArgument when no upload is staged, or naming every
  // difference when `claimed` says size 0 or its path, size or sha256 differ
  // from the upload's (the upload is then discarded). Unavailable for disk
  // errors (the upload stays staged). Returns the published ref.
  Result<api::BinaryPackageRef> Publish(const std::string& assignment_id,
                                        const api::BinaryPackageRef& claimed);

  // Removes what is staged for `assignment_id`, and makes uploads for it that
  // are still running fail at Finish: for an assignment that ends without a
  // publication (taken back, failed). Ok when there was nothing; Unavailable
  // when the file cannot be removed.
  Status Discard(const std::string& assignment_id);

  // Removes the published file at `rel_path`, which nothing records any
  // more (a build taken back while it was published). Ok when it is gone.
  Status Unpublish(const std::string& rel_path);

  // Checks that every file of `published` (every package the binhost should
  // hold) is still there with its recorded size and digest; one problem per
  // file that is missing, unreadable, 0 bytes, resized or changed. A file is
  // re-hashed only when its size, mtime, ctime or inode differ from when it
  // was last verified or published, so a same-size change that keeps all of
  // them (corruption below the filesystem, a write within one timestamp tick)
  // is caught only by a `full` pass or after a restart. Paths not in
  // `published` are dropped from that cache.
  std::vector<BinhostProblem> Verify(const PublishedList& published, bool full = false);

  // The absolute path of the file to serve for GET /binhost/<url_rel_path>
  // (already URL-decoded, no leading '/'). NotFound, saying why, for anything
  // but a regular file inside DIR: empty paths, "..", dot-files, anything
  // under .staging, symlinks leading out of DIR or into a dot-directory.
  Result<std::string> ResolveForServing(const std::string& url_rel_path) const;

  // How many files Verify has hashed since Open (for logs and tests).
  int64_t files_hashed() const;

  // Counts publications: each Publish's rename takes the next number.
  uint64_t PublishSequence() const;
  // Removes every binary package file of the live tree (not Packages, not
  // under a dot-directory, only paths IsValidBinpkgPath takes) that `needed`
  // does not name and that no Publish has put there after sequence `as_of`
  // (a publication the caller's `needed` could not know of yet). Walks the
  // tree: O(files), never under the controller's lock. Returns what it
  // removed; Unavailable when the tree cannot be listed.
  Result<std::vector<std::string>> RemoveUnneeded(const std::set<std::string>& needed,
                                                  uint64_t as_of);

  // The release GET /binhost/current/... serves (releases.h), and the
  // TIMESTAMP its index carries there; an empty name: none is promoted.
  // One switch: a request sees the release before it or the one after.
  void SetCurrent(const std::string& release, int64_t index_timestamp);
  std::pair<std::string, int64_t> Current() const;
  // The absolute path of file `rel` of release `release` (its Packages
  // included), for GET /binhost/releases/<release>/<rel>. NotFound, saying
  // why, for anything but a regular file inside that release.
  Result<std::string> ResolveReleaseFile(const std::string& release, const std::string& rel) const;

 private:
  friend class BinhostUpload;
  struct LiveUpload {
    std::string assignment_id;
    bool discarded = false;
  };
  struct VerifiedStat {
    uint64_t dev = 0;
    uint64_t inode = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    std::string sha256;
  };

  explicit Binhost(std::string root);
  std::string StagingDir() const { return root_ + "/.staging"; }
  std::string StagedPath(const std::string& assignment_id) const;
  // Called by BinhostUpload under no lock.
  Result<api::BinaryPackageRef> Stage(BinhostUpload* upload, api::BinaryPackageRef ref);
  void Forget(uint64_t generation);
  Status DiscardStagedLocked(const std::string& assignment_id);
  // Records `full`'s stat and `sha` as last verified; mu_ held. False when
  // `full` cannot be stat'd (it is then re-hashed by the next Verify).
  bool RememberVerifiedLocked(const std::string& rel, const std::string& full,
                              const std::string& sha);
  // The shape of every relative path in the binhost: [A-Za-z0-9+_.-/], no
  // empty or dot-leading component, bounded lengths; else sets `*why`.
  static bool IsPlainRelativePath(const std::string& rel, std::string* why);

  const std::string root_;
  mutable std::mutex mu_;
  uint64_t next_generation_ = 0;                         // guarded by mu_
  std::map<uint64_t, LiveUpload> live_;                  // guarded by mu_
  std::map<std::string, api::BinaryPackageRef> staged_;  // by assignment; guarded by mu_
  std::map<std::string, VerifiedStat> verified_;         // by relative path; guarded by mu_
  int64_t files_hashed_ = 0;                             // guarded by mu_
  uint64_t publish_seq_ = 0;                             // guarded by mu_
  std::map<std::string, uint64_t> published_seq_;        // by path; guarded by mu_
  std::string current_;                                  // guarded by mu_
  int64_t current_timestamp_ = 0;                        // guarded by mu_
};

}  // namespace swarm::controller
