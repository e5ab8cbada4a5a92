#include "swarmctl/progress.h"

#include <algorithm>
#include <cmath>

#include "base/clock.h"

namespace swarm::ctl {

std::optional<QueueOutlook> ProgressOf(const Json& swarm, WallTime now) {
  auto total = IntAt(swarm, {"status", "queue", "total"});
  auto complete = IntAt(swarm, {"status", "queue", "complete"});
  if (!total || !complete) return std::nullopt;
  QueueOutlook p;
  p.total = static_cast<int>(*total);
  p.complete = static_cast<int>(*complete);
  const Json* progress = Find(swarm, {"status", "progress"});
  if (progress == nullptr || !progress->is_object()) return p;
  p.cores = static_cast<int>(IntAt(*progress, {"cores"}).value_or(0));
  if (const Json* busy = Find(*progress, {"busyCores"}); busy && busy->is_number()) {
    p.busy_cores = busy->get<double>();
  }
  if (auto eta = IntAt(*progress, {"etaSeconds"})) {
    Duration left = std::chrono::seconds(*eta);
    if (auto as_of = StringAt(*progress, {"asOf"})) {
      if (auto t = ParseTime(*as_of); t.ok() && now > *t) {
        left -= std::chrono::duration_cast<Duration>(now - *t);
      }
    }
    p.eta = std::max(left, Duration(0));
  }
  return p;
}

std::string FormatEta(Duration d) {
  const int64_t s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return std::to_string(std::max<int64_t>(s, 0)) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  const int64_t m = (s / 60) % 60;
  return std::to_string(s / 3600) + "h" + (m ? std::to_string(m) + "m" : "");
}

std::string ProgressLine(const QueueOutlook& p) {
  return std::to_string(p.complete) + "/" + std::to_string(p.total) + " packages complete, ETA " +
         (p.eta ? FormatEta(*p.eta) : "unknown");
}

std::string IdleLine(const QueueOutlook& p) {
  if (p.cores <= 0) return "no drone may take work";
  const double idle = std::max(0.0, p.cores - p.busy_cores);
  const long idle_cores = std::lround(idle);
  return std::to_string(idle_cores) + " of " + std::to_string(p.cores) + " cores idle (" +
         std::to_string(std::lround(100 * idle / p.cores)) + "%)";
}

}  // namespace swarm::ctl
