#include "tests/support/processes.h"

#include <string>

#include "tests/support/temp_dir.h"

namespace swarm::testing {

bool IsDead(pid_t pid) {
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  // The state follows the command name, which may hold spaces and ')'.
  const size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

}  // namespace swarm::testing
