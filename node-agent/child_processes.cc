#include "node-agent/child_processes.h"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <sstream>

#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

// The pid a /proc entry name stands for; false for the other entries.
bool ParsePid(const std::string& s, int* pid) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *pid);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && *pid > 0;
}

}  // namespace

std::vector<int> ChildProcessGroups(const std::string& proc_root, int parent) {
  std::vector<int> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(proc_root, ec);
  if (ec) return out;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    int pid = 0;
    if (!ParsePid(it->path().filename().string(), &pid)) continue;
    auto stat = ReadWholeFile(it->path().string() + "/stat");
    if (!stat.ok()) continue;  // exited meanwhile
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses,
    // so the fields are counted from the last ')'.
    size_t close = stat->rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat->substr(close + 1));
    std::string state;
    int ppid = 0, pgrp = 0;
    if (!(fields >> state >> ppid >> pgrp)) continue;
    if (ppid == parent && pgrp == pid) out.push_back(pid);
  }
  return out;
}

int SignalChildProcessGroups(const std::string& proc_root, int sig) {
  int signalled = 0;
  for (int pgid : ChildProcessGroups(proc_root, static_cast<int>(::getpid()))) {
    if (::kill(-pgid, sig) == 0) ++signalled;
  }
  return signalled;
}

}  // namespace swarm::agent
