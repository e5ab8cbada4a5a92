#pragma once

// The most the controller takes of what a drone sends (docs/api.md,
// "Limits"): an agent token is all it takes to send anything, and what is
// sent ends up in the store, in conditions, events and the binhost's index.
// One constant per kind of field. Text for a person is cut to its limit at
// a UTF-8 character boundary (CutUtf8, CutUtf8Tail); a name, id, version or
// revision over its limit is refused (400) instead, since cut it would name
// something else; so is a list over its count.

#include <cstddef>

namespace swarm::api {

// A name, id, version, revision, state, class or phase: a package's
// cat/pkg-ver, an assignment or action id, a deploy version, a tree
// revision, a health state, a failure class. Refused when longer.
inline constexpr size_t kMaxTokenBytes = 256;
// A one-line message for a person (a health reason, an action's or a
// build's message): cut to this, keeping its start.
inline constexpr size_t kMaxMessageBytes = 2048;
// The last lines of a command's output or of a build log sent with a
// result: cut to this, keeping its end.
inline constexpr size_t kMaxTailBytes = 16 << 10;
// One package's entry of a Packages index, as text (a build result's
// indexEntry): real entries are a few KiB, dependency strings included.
// Refused when longer.
inline constexpr size_t kMaxIndexEntryBytes = 64 << 10;
// A build log, as kept: its last this many bytes.
inline constexpr size_t kMaxBuildLogBytes = 1 << 20;
// A binary package's path on the binhost (X-Binpkg-Path, a result's
// binpkg.path), and each of its components. Refused when longer.
inline constexpr size_t kMaxBinpkgPathBytes = 512;
inline constexpr size_t kMaxPathComponentBytes = 255;

// Lists, refused past their count.
// Actions a heartbeat lists as held (an agent holds at most one of each type).
inline constexpr size_t kMaxReportedActions = 16;
// Builds a heartbeat lists as held (its slots and the reports on the way).
inline constexpr size_t kMaxReportedBuilds = 1024;
// Packages a discovery returns (a @world of every package in gentoo is
// under 20,000), and the in-queue dependencies of one.
inline constexpr size_t kMaxDiscoveredPackages = 200000;
inline constexpr size_t kMaxDependencies = 10000;

}  // namespace swarm::api
