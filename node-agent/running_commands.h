#pragma once

// The commands this agent has running (builds, hooks, discovery), recorded in
// stateDir/RUNNING_COMMANDS while they run, so that an agent started after
// this one died kills what it left behind. The guard of each command
// (base/process_guard.h) already kills its group when the agent dies; the
// record covers what a guard cannot: a group that was stopped when the agent
// died, or one an agent without guards left.
//
// A command is recorded by its process group's leader (its guard): the pid,
// the leader's start time from procRoot/<pid>/stat (so that a pid the kernel
// has given to another process since is never killed) and the group. Start
// times count from boot, so the record names its boot too
// (procRoot/sys/kernel/random/boot_id): after a reboot nothing recorded can
// still run, whatever the numbers say. The file is rewritten atomically on
// every change: "boot <boot id>", then one line per command,
// "<pid> <start time> <group> <command>".

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/command_runner.h"
#include "base/status.h"

namespace swarm::agent {

// File name of the record inside stateDir.
inline constexpr char kRunningCommandsFile[] = "RUNNING_COMMANDS";

struct RunningCommand {
  pid_t pid = 0;            // the group's leader
  uint64_t start_time = 0;  // the leader's, in clock ticks after boot (field 22 of its stat)
  pid_t group = 0;          // the process group it leads
  std::string command;      // what runs, for the log: one line
  bool operator==(const RunningCommand&) const = default;
};

struct RunningCommandsRecord {
  std::string boot_id;  // "" when the record names none
  std::vector<RunningCommand> commands;
  bool operator==(const RunningCommandsRecord&) const = default;
};

// The file's text, and back. Parsing skips (and describes in `problems`)
// lines that are neither "boot <id>" nor "<pid> <start time> <group>
// <command>".
std::string FormatRunningCommands(const RunningCommandsRecord& record);
RunningCommandsRecord ParseRunningCommands(std::string_view text,
                                           std::vector<std::string>* problems);

// What <proc_root>/<pid>/stat says of a process.
struct ProcessStat {
  pid_t group = 0;
  uint64_t start_time = 0;
};
// NotFound when the process does not exist; InvalidArgument naming the file
// when it cannot be read as a stat line.
Result<ProcessStat> ReadProcessStat(const std::string& proc_root, pid_t pid);

// Thread safety: every method may be called from any thread.
class RunningCommands {
 public:
  // Sends `sig` to process group `group`; ::kill(-group, sig) by default.
  // Tests that describe processes under a fake procRoot give their own.
  using KillGroup = std::function<int(pid_t group, int sig)>;

  RunningCommands(std::string state_dir, std::string proc_root, KillGroup kill_group = {});

  // Records the group `group` leads, started for `command` (argv, joined
  // into one line). Nothing is recorded when its stat cannot be read (it has
  // ended already); a record that cannot be written is logged, and the
  // command runs anyway.
  void Add(pid_t group, const std::vector<std::string>& command);
  // Forgets `group` once its command has ended.
  void Remove(pid_t group);

  // For a starting agent, before it runs anything: reads the record an
  // earlier agent left and, when it was written since this boot, SIGKILLs
  // every recorded group whose leader still runs with the recorded start
  // time and still leads that group; leaves the others alone, logs each, and
  // empties the record. Returns those killed.
  std::vector<RunningCommand> KillLeftovers();

 private:
  // SIGKILLs `c`'s group when its leader is still the recorded process;
  // logs what it found. True when it killed.
  bool KillIfStillRunning(const RunningCommand& c);
  void WriteLocked();

  const std::string path_;
  const std::string proc_root_;
  const std::string boot_id_;  // "" when procRoot does not say
  KillGroup kill_group_;
  std::mutex mu_;
  std::map<pid_t, RunningCommand> running_;  // by group
};

// A CommandRunner that records in `record` each command `inner` runs, from
// its start (CommandSpec::on_start) to its end.
// Thread safety: as `inner`.
class RecordingRunner final : public CommandRunner {
 public:
  // Neither is owned; both must outlive this.
  RecordingRunner(CommandRunner* inner, RunningCommands* record);
  Result<CommandResult> Run(const CommandSpec& spec) override;

 private:
  CommandRunner* inner_;
  RunningCommands* record_;
};

}  // namespace swarm::agent
