#include "sim/workload.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "api/cpv.h"
#include "node-agent/file_util.h"

namespace swarm::sim {
namespace {

using Json = nlohmann::json;

// Beyond these a run's arithmetic would overflow: 31 years of CPU, 1 PiB.
constexpr double kMaxCpuSeconds = 1e9;
constexpr int64_t kMaxPeakMemoryBytes = int64_t{1} << 50;

std::string Where(const std::string& source, size_t i, const std::string& name) {
  return source + ": packages[" + std::to_string(i) + "]" + (name.empty() ? "" : " (" + name + ")");
}

// Names the first package on a cycle of dependencies, or "".
std::string FindCycle(const Workload& w) {
  std::map<std::string, const WorkPackage*> by_name;
  for (const auto& p : w.packages) by_name[p.name] = &p;
  std::map<std::string, int> state;  // 1 on the path, 2 done
  // Iterative depth-first search: a graph of thousands must not overflow the stack.
  for (const auto& root : w.packages) {
    if (state[root.name] != 0) continue;
    std::vector<std::pair<const WorkPackage*, size_t>> stack = {{&root, 0}};
    state[root.name] = 1;
    while (!stack.empty()) {
      auto& [p, next] = stack.back();
      if (next == p->deps.size()) {
        state[p->name] = 2;
        stack.pop_back();
        continue;
      }
      const std::string& dep = p->deps[next++];
      if (state[dep] == 1) return dep;
      if (state[dep] == 0) {
        state[dep] = 1;
        stack.push_back({by_name.at(dep), 0});
      }
    }
  }
  return "";
}

}  // namespace

Result<Workload> ParseWorkload(const std::string& text, const std::string& source) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::exception& e) {
    return InvalidArgument(source + ": not JSON: " + e.what());
  }
  if (!doc.is_object()) return InvalidArgument(source + ": must be an object with \"packages\"");
  for (const auto& [key, value] : doc.items()) {
    if (key != "packages") return InvalidArgument(source + ": unknown field \"" + key + "\"");
  }
  if (!doc.contains("packages") || !doc["packages"].is_array()) {
    return InvalidArgument(source + ": \"packages\" must be an array");
  }
  Workload w;
  std::set<std::string> names;
  const Json& packages = doc["packages"];
  for (size_t i = 0; i < packages.size(); ++i) {
    const Json& j = packages[i];
    if (!j.is_object()) return InvalidArgument(Where(source, i, "") + ": must be an object");
    WorkPackage p;
    if (!j.contains("name") || !j["name"].is_string()) {
      return InvalidArgument(Where(source, i, "") + ": \"name\" (cat/pkg-ver) is required");
    }
    p.name = j["name"].get<std::string>();
    const std::string at = Where(source, i, p.name);
    if (p.name.size() > 256 || !api::ParseCpv(p.name).ok()) {
      return InvalidArgument(at + ": \"name\" is not a cat/pkg-ver");
    }
    if (!names.insert(p.name).second) return InvalidArgument(at + ": listed twice");
    for (const auto& [key, value] : j.items()) {
      if (key == "name") continue;
      if (key == "deps") {
        if (!value.is_array()) return InvalidArgument(at + ": \"deps\" must be an array of names");
        for (const auto& d : value) {
          if (!d.is_string()) return InvalidArgument(at + ": \"deps\" must be an array of names");
          p.deps.push_back(d.get<std::string>());
        }
      } else if (key == "cpuSeconds") {
        if (!value.is_number() || !(value.get<double>() >= 0) || value.get<double>() > kMaxCpuSeconds) {
          return InvalidArgument(at + ": \"cpuSeconds\" must be a number from 0 to 1e9");
        }
        p.cpu_seconds = value.get<double>();
      } else if (key == "parallelism") {
        if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
            value.get<int64_t>() > 4096) {
          return InvalidArgument(at + ": \"parallelism\" must be an integer from 1 to 4096");
        }
        p.parallelism = static_cast<int>(value.get<int64_t>());
      } else if (key == "peakMemoryBytes") {
        if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
            value.get<int64_t>() > kMaxPeakMemoryBytes) {
          return InvalidArgument(at + ": \"peakMemoryBytes\" must be an integer from 0 to 2^50");
        }
        p.peak_memory_bytes = value.get<int64_t>();
      } else {
        return InvalidArgument(at + ": unknown field \"" + key + "\"");
      }
    }
    w.packages.push_back(std::move(p));
  }
  if (w.packages.empty()) return InvalidArgument(source + ": \"packages\" is empty");
  for (size_t i = 0; i < w.packages.size(); ++i) {
    for (const auto& d : w.packages[i].deps) {
      if (!names.count(d)) {
        return InvalidArgument(Where(source, i, w.packages[i].name) + ": dependency \"" + d +
                               "\" is not a package of the workload");
      }
      if (d == w.packages[i].name) {
        return InvalidArgument(Where(source, i, d) + ": depends on itself");
      }
    }
  }
  if (std::string cycle = FindCycle(w); !cycle.empty()) {
    return InvalidArgument(source + ": " + cycle + " is on a cycle of dependencies");
  }
  return w;
}

Result<Workload> ReadWorkload(const std::string& path) {
  auto text = agent::ReadWholeFile(path);
  if (!text.ok()) return InvalidArgument("cannot read workload " + text.status().message());
  return ParseWorkload(*text, path);
}

std::string WorkloadToJson(const Workload& w) {
  Json packages = Json::array();
  for (const auto& p : w.packages) {
    packages.push_back({{"name", p.name},
                        {"deps", p.deps},
                        {"cpuSeconds", p.cpu_seconds},
                        {"parallelism", p.parallelism},
                        {"peakMemoryBytes", p.peak_memory_bytes}});
  }
  return Json{{"packages", std::move(packages)}}.dump(1) + "\n";
}

}  // namespace swarm::sim
