#pragma once

// Gentoo package names as PMS spells them (category, PN, version), for every
// place a "cat/pkg-ver" crosses a boundary: a discovered queue, a build's
// package, an upload's path, `swarmctl logs`.

#include <string>
#include <string_view>

#include "base/status.h"

namespace swarm::api {

struct Cpv {
  std::string category;  // "sys-devel"
  std::string pn;        // "gcc"
  std::string pf;        // "gcc-14.2.1_p20241221-r1": PN, version and revision
};

// Splits "cat/pkg-1.2.3-r1" into category, PN and PF following PMS naming and
// version rules (a PN never ends in "-<valid version>"). InvalidArgument,
// naming the input, for anything else (no version, operators, slots, repos).
Result<Cpv> ParseCpv(const std::string& cpv);

// PMS 3.2: digits ('.' digits)* [a-z]? ('_' (alpha|beta|pre|rc|p) digits?)* ('-r' digits)?
bool IsVersion(std::string_view v);
// PMS 3.1.1.
bool IsCategory(std::string_view s);
// PMS 3.1.2: no leading '-' or '+', and no trailing "-<version>".
bool IsPackageName(std::string_view s);

// A package atom as emerge takes one on its command line (PMS 8.3 with
// portage's additions): [op]category/package[-version[*]][:slot[/subslot]]
// [::repository][[use,...]]. An operator (>=, <=, =, ~, <, >) needs a
// version and a version needs an operator; '*' ends a version only after
// '='; use dependencies are plain flags, each optionally "-" before it and
// "(+)" or "(-)" after it. InvalidArgument saying what is wrong otherwise
// (paths, bare names without a category, blockers, slot operators).
Status CheckAtom(std::string_view atom);

// A package pattern as emerge's --exclude and its kin take one:
// [category/]package[:slot], where '*' matches any characters; no operator,
// version, repository or use dependency. InvalidArgument saying what is
// wrong otherwise.
Status CheckPackagePattern(std::string_view pattern);

// "cat/pn" of a package atom, the key of build times and what requirements
// match: "=dev-qt/qtwebengine-6.8.1-r2" -> "dev-qt/qtwebengine". An atom
// without a version is returned as it is (less any operator or slot).
std::string PackageKey(const std::string& atom);

}  // namespace swarm::api
