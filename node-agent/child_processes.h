#pragma once

// Finding and signalling the commands this process started. CommandRunner
// gives no handle on a running command, but ProcessRunner starts each one as
// a direct child leading its own process group, so /proc names them: that is
// how a stopping agent ends a hook it will not wait for.

#include <string>
#include <vector>

namespace swarm::agent {

// Process ids of the direct children of `parent` that lead their own process
// group, read from <proc_root>/<pid>/stat. Entries that vanish or do not
// parse while being read are skipped; an unreadable proc_root gives none.
std::vector<int> ChildProcessGroups(const std::string& proc_root, int parent);

// Sends `sig` to every group ChildProcessGroups() finds for this process.
// Returns how many groups were signalled.
int SignalChildProcessGroups(const std::string& proc_root, int sig);

}  // namespace swarm::agent
