#include "swarmctl/age.h"

#include <chrono>

namespace swarm::ctl {

std::string FormatAge(Duration d) {
  using std::chrono::duration_cast;
  const int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return std::to_string(seconds) + "s";
  const int64_t minutes = seconds / 60;
  if (minutes < 60) return std::to_string(minutes) + "m";
  const int64_t hours = minutes / 60;
  if (hours < 24) return std::to_string(hours) + "h";
  if (hours < 24 * 365) return std::to_string(hours / 24) + "d";
  return std::to_string(hours / (24 * 365)) + "y";
}

std::optional<std::string> AgeOf(const std::optional<std::string>& timestamp, WallTime now) {
  if (!timestamp) return std::nullopt;
  auto t = ParseTime(*timestamp);
  if (!t.ok()) return std::nullopt;
  return FormatAge(std::chrono::duration_cast<Duration>(now - *t));
}

}  // namespace swarm::ctl
