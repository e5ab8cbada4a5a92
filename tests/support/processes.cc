#include "tests/support/processes.h"

#include <filesystem>
#include <sstream>
#include <string>
#include <system_error>

#include "tests/support/temp_dir.h"

namespace swarm::testing {
namespace {

// The fields of /proc/<pid>/stat from the state on (proc(5) field 3), the
// command name before them skipped (it may hold spaces and ')'); empty when
// the process does not exist.
std::vector<std::string> StatFields(pid_t pid) {
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t paren = stat.rfind(')');
  std::vector<std::string> fields;
  if (paren == std::string::npos) return fields;
  std::istringstream in(stat.substr(paren + 1));
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;
}

constexpr size_t kState = 3 - 3;
constexpr size_t kGroup = 5 - 3;
constexpr size_t kStartTime = 22 - 3;

}  // namespace

bool IsDead(pid_t pid) {
  const std::vector<std::string> f = StatFields(pid);
  return f.empty() || f[kState] == "Z";
}

uint64_t StartTime(pid_t pid) {
  const std::vector<std::string> f = StatFields(pid);
  return f.size() > kStartTime ? std::stoull(f[kStartTime]) : 0;
}

std::vector<pid_t> GroupMembers(pid_t group) {
  std::vector<pid_t> members;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    const std::vector<std::string> f = StatFields(pid);
    if (f.size() > kGroup && f[kState] != "Z" && std::stoi(f[kGroup]) == group) {
      members.push_back(pid);
    }
  }
  return members;
}

}  // namespace swarm::testing
