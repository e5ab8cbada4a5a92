#include "swarmctl/release_fields.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "swarmctl/drone_fields.h"

namespace swarm::ctl {

std::string FormatSize(int64_t bytes) {
  if (bytes < 0) return kNotReported;
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr std::array<const char*, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (value < 9.95) {
    std::snprintf(text, sizeof text, "%.1f", value);
  } else {
    // 1023.7 MiB rounds to 1024 MiB, which reads better as the next unit.
    if (std::llround(value) >= 1024 && unit + 1 < kUnits.size()) {
      value /= 1024;
      ++unit;
      std::snprintf(text, sizeof text, "%.1f", value);
    } else {
      std::snprintf(text, sizeof text, "%lld", static_cast<long long>(std::llround(value)));
    }
  }
  return std::string(text) + " " + kUnits[unit];
}

bool IsPromoted(const Json& release) {
  const Json* p = Find(release, {"status", "promoted"});
  return p != nullptr && p->is_boolean() && p->get<bool>();
}

std::optional<int64_t> PackageCount(const Json& release) {
  if (auto n = IntAt(release, {"status", "packageCount"})) return n;
  const Json* packages = Find(release, {"status", "packages"});
  if (packages != nullptr && packages->is_array()) return static_cast<int64_t>(packages->size());
  return std::nullopt;
}

std::string PackagesColumn(const Json& release) {
  auto n = PackageCount(release);
  return n ? std::to_string(*n) : kNotReported;
}

std::string SizeColumn(const Json& release) {
  auto bytes = IntAt(release, {"status", "bytes"});
  return bytes ? FormatSize(*bytes) : kNotReported;
}

std::string PromotedColumn(const Json& release) { return IsPromoted(release) ? kPromotedMark : ""; }

std::string ReleaseSummaryText(const Json& release) {
  auto n = PackageCount(release);
  std::string text =
      n ? std::to_string(*n) + (*n == 1 ? " package" : " packages") : "packages unknown";
  return text + ", " + SizeColumn(release);
}

}  // namespace swarm::ctl
