#pragma once

// The entry of $PKGDIR/Packages (portage's binary package index, which
// emerge --buildpkg updates as it writes a package) for the binary package a
// build just produced. The agent sends it with the build's success so the
// controller's binhost index can describe the package as portage did.

#include <string>

#include "base/status.h"
#include "node-agent/binpkg.h"

namespace swarm::agent {

// The text of the block of `pkgdir`/Packages for `pkg`, the binary package of
// `cpv` that FindBinaryPackage found: a block whose CPV is `cpv` and whose
// PATH is pkg.relative_path; with no PATH, one whose BUILD_ID is the build id
// of a multi-instance file ("cat/pn/pf-N..."), or for a single-instance file
// ("cat/pf.tbz2", "cat/pf.gpkg.tar") one with neither (portage omits PATH for
// cat/pf.tbz2). The last such block wins. CHOST and REPO the block inherits
// from the header are added to it. The block must describe the file as it is
// now: its SIZE, and its MTIME when present, equal the file's.
// NotFound, saying why, when there is no Packages, no such block, the block
// is stale or is over kMaxIndexEntryBytes; Unavailable when Packages or the
// package cannot be read. Never reads more than one block into memory.
Result<std::string> IndexEntryFor(const std::string& pkgdir, const std::string& cpv,
                                  const BinaryPackage& pkg);

}  // namespace swarm::agent
