#include "sim/report.h"

#include <cstdio>
#include <sstream>

#include "api/quantity.h"

namespace swarm::sim {
namespace {

double Ratio(const SimResult& r) {
  const double lb = r.lower_bound.seconds();
  return lb > 0 ? r.makespan_seconds / lb : 0;
}

// "3h12m" for a person; the JSON carries seconds.
std::string Human(double seconds) {
  return api::FormatDuration(Duration(1000 * static_cast<int64_t>(seconds + 0.5)));
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

nlohmann::json ResultToJson(const SimResult& r) {
  nlohmann::json j;
  j["finished"] = r.finished;
  if (!r.finished) j["unfinishedReason"] = r.unfinished_why;
  j["makespanSeconds"] = r.makespan_seconds;
  j["lowerBoundSeconds"] = r.lower_bound.seconds();
  j["criticalPathSeconds"] = r.lower_bound.critical_path_seconds;
  j["workBoundSeconds"] = r.lower_bound.work_bound_seconds;
  j["ratioToLowerBound"] = Ratio(r);
  j["builds"] = r.builds;
  j["failures"] = r.failures;
  j["ooms"] = r.ooms;
  j["groundings"] = r.groundings;
  j["phases"] = r.phases;
  j["drones"] = nlohmann::json::array();
  for (const auto& d : r.drones) {
    j["drones"].push_back({{"name", d.name},
                           {"busySeconds", d.busy_seconds},
                           {"idleSeconds", d.idle_seconds},
                           {"builds", d.builds},
                           {"failures", d.failures},
                           {"ooms", d.ooms}});
  }
  return j;
}

std::string ResultTable(const SimResult& r) {
  std::ostringstream out;
  out << "makespan      " << Human(r.makespan_seconds) << " (" << Fixed(r.makespan_seconds, 0)
      << " s)" << (r.finished ? "" : "  NOT FINISHED: " + r.unfinished_why) << "\n";
  out << "lower bound   " << Human(r.lower_bound.seconds()) << " (critical path "
      << Human(r.lower_bound.critical_path_seconds) << ", work "
      << Human(r.lower_bound.work_bound_seconds) << "); makespan is " << Fixed(Ratio(r), 2)
      << "x it\n";
  out << "builds        " << r.builds << " started, " << r.failures << " failed (" << r.ooms
      << " OOM-killed), " << r.groundings << " groundings\n";
  out << "queue         ";
  bool first = true;
  for (const auto& [phase, n] : r.phases) {
    out << (first ? "" : ", ") << n << " " << phase;
    first = false;
  }
  out << "\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-20s %8s %10s %10s %8s %6s\n", "DRONE", "BUILDS", "BUSY",
                "IDLE", "UTIL", "FAILED");
  out << line;
  for (const auto& d : r.drones) {
    const double util = r.makespan_seconds > 0 ? 100 * d.busy_seconds / r.makespan_seconds : 0;
    std::snprintf(line, sizeof line, "%-20s %8d %10s %10s %7.1f%% %6d\n", d.name.c_str(),
                  d.builds, Human(d.busy_seconds).c_str(), Human(d.idle_seconds).c_str(), util,
                  d.failures);
    out << line;
  }
  return out.str();
}

}  // namespace swarm::sim
