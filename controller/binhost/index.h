#pragma once

// The binhost's `Packages` index (docs/api.md, "GET /binhost/..."): what
// portage's --getbinpkg reads first from PORTAGE_BINHOST to learn which
// binary packages there are, where (PATH), how big (SIZE) and with what
// metadata (SLOT, USE, dependencies...). Written in portage's format
// (api/packages_index.h) from the published packages, each described by the
// entry its drone's portage wrote, with everything that says which file a
// client gets and how it checks it (PATH, SIZE, MTIME, MD5, SHA1, SHA256)
// set by the controller from the published file: a drone's word on those
// would let it serve any file to every host that installs from the binhost.

#include <cstdint>
#include <string>
#include <vector>

#include "api/packages_index.h"
#include "base/clock.h"
#include "base/digest.h"
#include "base/status.h"

namespace swarm::controller {

// One published package, as the index lists it.
struct IndexedPackage {
  std::string package;      // cat/pkg-ver: the CPV
  std::string path;         // relative to the binhost
  int64_t size = 0;         // of the published file
  int64_t mtime = 0;        // of the published file, seconds since the epoch
  std::string index_entry;  // the drone's entry (BuildResult::index_entry); may be empty
  // Of the published file, hashed by the controller as it received it;
  // empty when unknown (a package published before they were kept).
  BinpkgDigests digests = {};
};

// Portage's index format version (bintree.py `_pkgindex_version`): clients
// refuse an index whose VERSION is above theirs, and every portage is at 0.
inline constexpr char kIndexVersion[] = "0";

// The entry for `p`: the drone's entry when it parses and names the same CPV,
// else a minimal one (CPV alone); then PATH, SIZE, MTIME and the digests
// from `p` (MD5, SHA1 and SHA256 where known), without any other digest
// key of the drone's (SHA512, BLAKE2B...: nobody checked them), and
// without the keys that only describe where a client fetched a package
// (BASE_URI, PKGINDEX_URI, FETCHCOMMAND, RESUMECOMMAND: portage sets or
// refuses those itself). When the drone's entry was not used, `*why` (if
// given) says why; it is left alone otherwise.
api::IndexBlock IndexEntryOf(const IndexedPackage& p, std::string* why);

// The whole index: a header (PACKAGES, TIMESTAMP `now`, VERSION), then one
// entry per package sorted by CPV, as portage writes it. `packages` are
// distinct CPVs. Warnings about entries not used are appended to `warnings`
// (if given).
std::string FormatBinhostIndex(const std::vector<IndexedPackage>& packages, WallTime now,
                               std::vector<std::string>* warnings = nullptr);

// A published package before its file is looked at: what the store knows.
struct PublishedPackage {
  std::string package;      // cat/pkg-ver
  std::string path;         // relative to the binhost
  std::string index_entry;  // may be empty
  BinpkgDigests digests = {};  // IndexedPackage::digests
};

// Writes `dir`/Packages for `published`, atomically: a temporary file in
// `dir`/.staging (which must exist: Binhost::Open makes it), fsynced, renamed
// over Packages, the directory fsynced; a client sees the old index or the new
// one. SIZE and MTIME come from stat'ing each file; a package whose file is
// missing or not a regular file is left out (with a warning): the binhost
// check requeues it. Returns how many packages the index lists. Unavailable,
// naming the file, for disk errors (the old index stays).
Result<int> WriteBinhostIndex(const std::string& dir,
                              const std::vector<PublishedPackage>& published, WallTime now,
                              std::vector<std::string>* warnings = nullptr);

}  // namespace swarm::controller
