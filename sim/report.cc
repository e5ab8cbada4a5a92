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

nlohmann::json ResultToJson(const SimResult& r, const SimResult* fifo) {
  nlohmann::json j;
  j["policy"] = r.policy;
  j["finished"] = r.finished;
  if (!r.finished) j["unfinishedReason"] = r.unfinished_why;
  j["makespanSeconds"] = r.makespan_seconds;
  j["lowerBoundSeconds"] = r.lower_bound.seconds();
  j["criticalPathSeconds"] = r.lower_bound.critical_path_seconds;
  j["workBoundSeconds"] = r.lower_bound.work_bound_seconds;
  j["ratioToLowerBound"] = Ratio(r);
  if (r.lower_bound_remaining) {
    const double lb = r.lower_bound_remaining->seconds();
    j["lowerBoundRemainingSeconds"] = lb;
    j["ratioToRemainingLowerBound"] = lb > 0 ? r.makespan_seconds / lb : 0;
  }
  j["builds"] = r.builds;
  j["failures"] = r.failures;
  j["ooms"] = r.ooms;
  j["groundings"] = r.groundings;
  j["builtTwice"] = r.built_twice;
  j["phases"] = r.phases;
  j["drones"] = nlohmann::json::array();
  for (const auto& d : r.drones) {
    j["drones"].push_back({{"name", d.name},
                           {"busySeconds", d.busy_seconds},
                           {"idleSeconds", d.idle_seconds},
                           {"cpuSeconds", d.cpu_seconds},
                           {"builds", d.builds},
                           {"failures", d.failures},
                           {"ooms", d.ooms}});
  }
  if (fifo) {
    j["compare"]["fifo"] = ResultToJson(*fifo);
    j["compare"]["makespanVsFifo"] =
        fifo->makespan_seconds > 0 ? r.makespan_seconds / fifo->makespan_seconds : 0;
  }
  return j;
}

std::string ResultTable(const SimResult& r, const SimResult* fifo) {
  std::ostringstream out;
  out << "policy        " << r.policy << "\n";
  out << "makespan      " << Human(r.makespan_seconds) << " (" << Fixed(r.makespan_seconds, 0)
      << " s)" << (r.finished ? "" : "  NOT FINISHED: " + r.unfinished_why) << "\n";
  out << "lower bound   " << Human(r.lower_bound.seconds()) << " (critical path "
      << Human(r.lower_bound.critical_path_seconds) << ", work "
      << Human(r.lower_bound.work_bound_seconds) << "); makespan is " << Fixed(Ratio(r), 2)
      << "x it\n";
  if (r.lower_bound_remaining) {
    const double lb = r.lower_bound_remaining->seconds();
    out << "without the drones that left: lower bound " << Human(lb) << "; makespan is "
        << Fixed(lb > 0 ? r.makespan_seconds / lb : 0, 2) << "x it\n";
  }
  out << "builds        " << r.builds << " started, " << r.failures << " failed (" << r.ooms
      << " OOM-killed), " << r.groundings << " groundings"
      << (r.built_twice > 0 ? ", " + std::to_string(r.built_twice) + " packages built twice" : "")
      << "\n";
  out << "queue         ";
  bool first = true;
  for (const auto& [phase, n] : r.phases) {
    out << (first ? "" : ", ") << n << " " << phase;
    first = false;
  }
  out << "\n\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-20s %8s %10s %10s %8s %10s %6s\n", "DRONE", "BUILDS", "BUSY",
                "IDLE", "UTIL", "CPU-HOURS", "FAILED");
  out << line;
  for (const auto& d : r.drones) {
    const double util = r.makespan_seconds > 0 ? 100 * d.busy_seconds / r.makespan_seconds : 0;
    std::snprintf(line, sizeof line, "%-20s %8d %10s %10s %7.1f%% %10.1f %6d\n", d.name.c_str(),
                  d.builds, Human(d.busy_seconds).c_str(), Human(d.idle_seconds).c_str(), util,
                  d.cpu_seconds / 3600, d.failures);
    out << line;
  }
  if (fifo) {
    out << "\ncompared with fifo (emerge's merge order, first free drone that fits):\n";
    std::snprintf(line, sizeof line, "%-24s %14s %14s\n", "", r.policy.c_str(), "fifo");
    out << line;
    auto row = [&](const char* what, const std::string& a, const std::string& b) {
      std::snprintf(line, sizeof line, "%-24s %14s %14s\n", what, a.c_str(), b.c_str());
      out << line;
    };
    row("makespan", Human(r.makespan_seconds), Human(fifo->makespan_seconds));
    row("x lower bound", Fixed(Ratio(r), 2), Fixed(Ratio(*fifo), 2));
    row("builds", std::to_string(r.builds), std::to_string(fifo->builds));
    row("failures (OOM)", std::to_string(r.failures) + " (" + std::to_string(r.ooms) + ")",
        std::to_string(fifo->failures) + " (" + std::to_string(fifo->ooms) + ")");
    row("groundings", std::to_string(r.groundings), std::to_string(fifo->groundings));
    if (fifo->makespan_seconds > 0) {
      out << r.policy << " is " << Fixed(100 * (1 - r.makespan_seconds / fifo->makespan_seconds), 1)
          << "% shorter than fifo\n";
    }
  }
  return out.str();
}

}  // namespace swarm::sim
