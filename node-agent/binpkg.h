#pragma once

// Finds the binary package emerge --buildpkg just wrote to PKGDIR, so the
// agent can upload it. Its SHA-256, which the controller checks (a zero-byte
// or mismatched file is refused and rebuilt there), is taken when it is
// uploaded (build_reports.h), off the build's slot.

#include <cstdint>
#include <string>

#include "api/cpv.h"
#include "base/status.h"

namespace swarm::agent {

using api::Cpv;
using api::ParseCpv;

struct BinaryPackage {
  std::string path;           // absolute
  std::string relative_path;  // to PKGDIR, e.g. "dev-libs/foo/foo-1.0-2.gpkg.tar"
  int64_t size = 0;
};

// The binary package of `cpv` (cat/pkg-ver) under `pkgdir`, in any of the
// layouts portage writes: cat/pn/pf-N.gpkg.tar and cat/pn/pf-N.xpak
// (FEATURES=binpkg-multi-instance, build id N), cat/pf.gpkg.tar, cat/pf.tbz2.
// When several exist the newest wins: latest mtime, then highest build id.
// A zero-byte file is returned (size 0); the caller decides. NotFound, naming
// the paths looked for, when there is none; InvalidArgument for a bad cpv;
// Unavailable when a directory or the file cannot be read.
Result<BinaryPackage> FindBinaryPackage(const std::string& pkgdir, const std::string& cpv);


}  // namespace swarm::agent
