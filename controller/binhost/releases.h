#pragma once

// The binhost's releases on disk (docs/operations.md, "Releases"): each is
// BINHOST/.releases/<name>/, hard links of the files it holds (no copies;
// .releases is on the binhost's filesystem) and a Packages index of its own,
// never changed once cut. Cutting writes BINHOST/.releases/.cut-<name>/,
// re-hashes every file there against its record, and renames it into place;
// a cut interrupted by a crash leaves only a .cut- directory, which the next
// cut or RemoveUnrecordedReleases removes.
//
// These functions do disk work (links, hashing, fsyncs): never call them
// under the controller's lock.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "api/protocol.h"
#include "base/clock.h"
#include "base/status.h"
#include "controller/binhost/binhost.h"

namespace swarm::controller {

// One package a release is to hold, and the file to link for it now: the
// live tree's (a package of the current queue) or an earlier release's.
struct ReleaseFile {
  api::ReleasePackage package;
  std::string source;  // absolute path
};

struct CutOutcome {
  // Non-empty: the release was not cut, and nothing of it is left on disk.
  std::vector<BinhostProblem> problems;
  int64_t bytes = 0;  // of the files, once cut
};

// BINHOST/.releases/<name>.
std::string ReleaseDir(const std::string& binhost_dir, const std::string& name);

// Whether `name` may name a release: 1 to 64 of [A-Za-z0-9_.-], not
// starting with '.' or '-'. Sets `*why` when not.
bool IsValidReleaseName(const std::string& name, std::string* why);

// Cuts release `name` of `files` (distinct packages): links each file,
// checks that it is a regular file of its recorded size (never 0 bytes)
// whose SHA-256 (and MD5 and SHA-1, where recorded) are its record's, and
// that the entry its drone wrote names its package, then writes the
// release's Packages index (TIMESTAMP `now`), makes it all durable and
// renames it into place. A file that fails is a problem; with any problem
// nothing is cut. Unavailable for disk errors (nothing is left either).
Result<CutOutcome> CutReleaseFiles(const std::string& binhost_dir, const std::string& name,
                                   const std::vector<ReleaseFile>& files, WallTime now);

// Removes release `name`'s directory. Ok when it is not there.
Status RemoveReleaseFiles(const std::string& binhost_dir, const std::string& name);

// Removes every directory under BINHOST/.releases that is not one of
// `recorded` (a cut interrupted, or a release whose record was deleted
// before its files). Returns the names removed.
Result<std::vector<std::string>> RemoveUnrecordedReleases(const std::string& binhost_dir,
                                                          const std::set<std::string>& recorded);

// The Packages index of a promoted release as /binhost/current/Packages
// serves it: the release's own, its TIMESTAMP replaced by
// `index_timestamp` and, with a `base_uri`, a URI header naming where the
// release's files are (portage fetches each file from URI + "/" + PATH, so
// a client that read this index gets this release's files even if another
// is promoted while it fetches). NotFound when the release has no index.
Result<std::string> CurrentIndex(const std::string& binhost_dir, const std::string& name,
                                 int64_t index_timestamp, const std::string& base_uri);

}  // namespace swarm::controller
