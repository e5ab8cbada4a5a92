#pragma once

// Releases of swarm/home's binhost as the controller's API serves them
// (docs/api.md, "Releases"), seen at CannedNow() (2026-02-05T10:30:05Z).
// They are written by the API's own codec, api::ReleaseToJson, so a change
// of the wire form shows here first:
//   2026-02-03T0200Z-9fc7a49a  2 packages, 7.0 MiB; promoted once, since replaced
//   2026-02-04T0300Z-9fc7a49a  3 packages, 1.2 GiB; promoted: /binhost/current serves it
//   2026-02-05T0400Z-b001a823  3 packages, 1.2 GiB; cut, never promoted (the latest)

#include <string>
#include <vector>

#include "api/protocol.h"
#include "api/types.h"
#include "base/clock.h"
#include "swarmctl/json_read.h"

namespace swarm::ctl::testing {

inline constexpr char kOldestRelease[] = "2026-02-03T0200Z-9fc7a49a";
inline constexpr char kPromotedRelease[] = "2026-02-04T0300Z-9fc7a49a";
inline constexpr char kLatestRelease[] = "2026-02-05T0400Z-b001a823";

inline api::ReleasePackage CannedReleasePackage(const std::string& cpv, int64_t size,
                                                const std::string& sha256_start) {
  const std::string pn = cpv.substr(cpv.find('/') + 1);
  api::ReleasePackage p;
  p.name = cpv;
  p.binpkg.path = cpv.substr(0, cpv.find('/')) + "/" + pn + ".gpkg.tar";
  p.binpkg.size = size;
  p.binpkg.sha256 = sha256_start + std::string(64 - sha256_start.size(), '0');
  return p;
}

inline std::vector<api::Release> CannedReleases() {
  const std::string old_tree = "9fc7a49ad6496faebea1c1d1848199fb6278bcec";
  const std::string new_tree = "b001a823ca12b001a823ca12b001a823ca12b001";
  api::Release oldest;
  oldest.name = kOldestRelease;
  oldest.created = ParseTime("2026-02-03T02:00:00Z").value();
  oldest.tree_revision = old_tree;
  oldest.deploy_version = "2026.02.01";
  oldest.queue = "5e0c7d1a";
  oldest.packages = {CannedReleasePackage("dev-libs/openssl-3.3.2", 7340032, "aa"),
                     CannedReleasePackage("sys-apps/base-1.0", 10240, "bb")};
  oldest.bytes = 7340032 + 10240;
  oldest.promoted_at = ParseTime("2026-02-03T02:05:00Z").value();
  oldest.index_timestamp = 1770084300;

  api::Release promoted = oldest;
  promoted.name = kPromotedRelease;
  promoted.created = ParseTime("2026-02-04T03:00:00Z").value();
  promoted.queue = "7a11b2c3";
  promoted.packages = {CannedReleasePackage("dev-libs/openssl-3.3.3", 7340032, "cc"),
                       CannedReleasePackage("dev-qt/qtwebengine-6.8.1", 1288490189, "dd"),
                       CannedReleasePackage("sys-apps/base-1.0", 10240, "ee")};
  promoted.bytes = 7340032 + 1288490189 + 10240;
  promoted.promoted_at = ParseTime("2026-02-04T03:05:00Z").value();
  promoted.index_timestamp = 1770174300;

  api::Release latest;
  latest.name = kLatestRelease;
  latest.created = ParseTime("2026-02-05T04:00:00Z").value();
  latest.tree_revision = new_tree;
  latest.deploy_version = "2026.02.05";
  latest.queue = "";  // cut by hand before its queue was complete
  latest.packages = {CannedReleasePackage("app-misc/hello-2.12", 145408, "ff"),
                     CannedReleasePackage("dev-libs/openssl-3.3.3", 7340032, "ab"),
                     CannedReleasePackage("dev-qt/qtwebengine-6.8.1", 1288490189, "dd")};
  latest.bytes = 145408 + 7340032 + 1288490189;
  std::vector<api::Release> all = {oldest, promoted, latest};
  for (api::Release& r : all) r.package_count = static_cast<int64_t>(r.packages.size());
  return all;
}

// GET /api/v1/releases: the ReleaseList, oldest first, without packages.
inline std::string CannedReleaseList() {
  Json items = Json::array();
  for (const api::Release& r : CannedReleases()) {
    items.push_back(Json::parse(api::ReleaseToJson(r, r.name == kPromotedRelease, false).dump()));
  }
  Json list = {{"apiVersion", api::kApiVersion},
               {"kind", api::kKindReleaseList},
               {"metadata", {{"resourceVersion", "6fe6c918.57"}}},
               {"items", std::move(items)}};
  return list.dump();
}

// GET /api/v1/releases/<latest>: with its packages, the release before it
// and what changed since: hello added, base removed, openssl rebuilt.
inline std::string CannedLatestRelease() {
  Json r = Json::parse(api::ReleaseToJson(CannedReleases()[2], false, true).dump());
  r["status"]["previous"] = kPromotedRelease;
  r["status"]["changes"] = {{"added", {"app-misc/hello-2.12"}},
                            {"removed", {"sys-apps/base-1.0"}},
                            {"rebuilt", {"dev-libs/openssl-3.3.3"}}};
  return r.dump();
}

// GET /api/v1/events?kind=Release&name=<latest>.
inline const std::string kLatestReleaseEvents = R"({"kind": "EventList", "items": [
  {"id": 41, "involvedObject": {"kind": "Release", "name": "2026-02-05T0400Z-b001a823"},
   "type": "Normal", "reason": "ReleaseCut",
   "message": "release 2026-02-05T0400Z-b001a823 cut: 3 packages, 1295975629 bytes",
   "count": 1, "firstTimestamp": "2026-02-05T04:00:02Z", "lastTimestamp": "2026-02-05T04:00:02Z"}]})";

}  // namespace swarm::ctl::testing
