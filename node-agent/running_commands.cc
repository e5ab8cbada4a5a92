#include "node-agent/running_commands.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <utility>

#include "node-agent/file_util.h"

namespace swarm::agent {
namespace {

// A command line is kept to this much in the record: enough to tell which
// build or hook it was.
constexpr size_t kMaxCommandBytes = 200;

constexpr std::string_view kBootPrefix = "boot ";

// Fields of /proc/<pid>/stat counted from the state, the first after the
// command name: proc(5) numbers them 3 (state), 5 (pgrp), 22 (starttime).
constexpr size_t kGroupField = 5 - 3;
constexpr size_t kStartTimeField = 22 - 3;

template <typename T>
std::optional<T> Number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The next space-separated word of `s`, taken off it.
std::string_view NextWord(std::string_view& s) {
  const size_t start = s.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    s = {};
    return {};
  }
  const size_t end = s.find(' ', start);
  std::string_view word = s.substr(start, end == std::string_view::npos ? end : end - start);
  s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
  return word;
}

// argv as one line of the record.
std::string OneLine(const std::vector<std::string>& argv) {
  std::string line = Join(argv, " ");
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return Truncate(line, kMaxCommandBytes);
}

std::string Describe(const RunningCommand& c) {
  return "process group " + std::to_string(c.group) + " (" + c.command + ")";
}

// This boot's id; "" when procRoot does not have it.
std::string ReadBootId(const std::string& proc_root) {
  auto id = ReadWholeFile(proc_root + "/sys/kernel/random/boot_id");
  return id.ok() ? Trim(*id) : "";
}

}  // namespace

std::string FormatRunningCommands(const RunningCommandsRecord& record) {
  std::string out = "boot " + record.boot_id + "\n";
  for (const auto& c : record.commands) {
    out += std::to_string(c.pid) + " " + std::to_string(c.start_time) + " " +
           std::to_string(c.group) + " " + c.command + "\n";
  }
  return out;
}

RunningCommandsRecord ParseRunningCommands(std::string_view text,
                                           std::vector<std::string>* problems) {
  RunningCommandsRecord out;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    if (line.starts_with(kBootPrefix)) {
      out.boot_id = Trim(line.substr(kBootPrefix.size()));
      continue;
    }
    std::string_view rest = line;
    auto pid = Number<pid_t>(NextWord(rest));
    auto start_time = Number<uint64_t>(NextWord(rest));
    auto group = Number<pid_t>(NextWord(rest));
    if (!pid || !start_time || !group || *pid <= 1 || *group <= 1) {
      problems->push_back("line " + std::to_string(line_no) + ": expected \"<pid> <start time> " +
                          "<group> <command>\", got " + Quote(line, 100));
      continue;
    }
    out.commands.push_back({*pid, *start_time, *group, std::string(rest)});
  }
  return out;
}

Result<ProcessStat> ReadProcessStat(const std::string& proc_root, pid_t pid) {
  const std::string path = proc_root + "/" + std::to_string(pid) + "/stat";
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  // The command name is in parentheses and may hold spaces and ')'.
  const size_t paren = text->rfind(')');
  std::string_view rest =
      paren == std::string::npos ? std::string_view() : std::string_view(*text).substr(paren + 1);
  std::vector<std::string_view> fields;
  for (std::string_view w = NextWord(rest); !w.empty(); w = NextWord(rest)) fields.push_back(w);
  std::optional<pid_t> group;
  std::optional<uint64_t> start_time;
  if (fields.size() > kStartTimeField) {
    group = Number<pid_t>(fields[kGroupField]);
    start_time = Number<uint64_t>(fields[kStartTimeField]);
  }
  if (!group || !start_time) return InvalidArgument(path + ": not a process stat line");
  return ProcessStat{*group, *start_time};
}

RunningCommands::RunningCommands(std::string state_dir, std::string proc_root, KillGroup kill_group)
    : path_(std::move(state_dir) + "/" + kRunningCommandsFile),
      proc_root_(std::move(proc_root)),
      boot_id_(ReadBootId(proc_root_)),
      kill_group_(std::move(kill_group)) {
  if (!kill_group_) kill_group_ = [](pid_t group, int sig) { return ::kill(-group, sig); };
}

void RunningCommands::Add(pid_t group, const std::vector<std::string>& command) {
  auto stat = ReadProcessStat(proc_root_, group);
  if (!stat.ok()) {
    spdlog::debug("not recording process group {}: {}", group, stat.status().message());
    return;
  }
  std::lock_guard<std::mutex> l(mu_);
  running_[group] = RunningCommand{group, stat->start_time, stat->group, OneLine(command)};
  WriteLocked();
}

void RunningCommands::Remove(pid_t group) {
  std::lock_guard<std::mutex> l(mu_);
  if (running_.erase(group) > 0) WriteLocked();
}

std::vector<RunningCommand> RunningCommands::KillLeftovers() {
  std::vector<RunningCommand> killed;
  auto text = ReadWholeFile(path_);
  if (!text.ok()) {
    if (text.status().code() != StatusCode::kNotFound) {
      spdlog::warn("cannot read what an earlier agent left running: {}", text.status().message());
    }
    return killed;
  }
  std::vector<std::string> problems;
  const RunningCommandsRecord record = ParseRunningCommands(*text, &problems);
  for (const auto& p : problems) spdlog::warn("{}: {}", path_, p);
  const bool this_boot = !boot_id_.empty() && record.boot_id == boot_id_;
  if (this_boot) {
    for (const RunningCommand& c : record.commands) {
      if (KillIfStillRunning(c)) killed.push_back(c);
    }
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    WriteLocked();
  }
  // Said last, once the record is this agent's own.
  if (record.commands.empty()) {
    // Nothing was left.
  } else if (boot_id_.empty()) {
    spdlog::warn(
        "{}/sys/kernel/random/boot_id cannot be read, so the {} command(s) an earlier "
        "agent recorded as running cannot be told from processes started since a "
        "reboot: all left alone",
        proc_root_, record.commands.size());
  } else if (!this_boot) {
    spdlog::info(
        "the {} command(s) an earlier agent recorded as running were recorded in "
        "another boot ({}, now {}): none can still run, all left alone",
        record.commands.size(), record.boot_id.empty() ? "not named" : record.boot_id, boot_id_);
  } else {
    spdlog::info("{} of {} command(s) an earlier agent recorded as running were killed",
                 killed.size(), record.commands.size());
  }
  return killed;
}

bool RunningCommands::KillIfStillRunning(const RunningCommand& c) {
  auto now = ReadProcessStat(proc_root_, c.pid);
  if (!now.ok()) {
    spdlog::info("{} left by an earlier agent has ended", Describe(c));
  } else if (now->start_time != c.start_time) {
    spdlog::info(
        "{} left by an earlier agent has ended; pid {} is another process now "
        "(started at {}, not {}): left alone",
        Describe(c), c.pid, now->start_time, c.start_time);
  } else if (now->group != c.group) {
    spdlog::info("{}: pid {} no longer leads it: left alone", Describe(c), c.pid);
  } else if (kill_group_(c.group, SIGKILL) != 0) {
    spdlog::warn("cannot kill {} left running by an earlier agent: {}", Describe(c), ErrnoText());
  } else {
    spdlog::warn("killed {}, left running by an earlier agent", Describe(c));
    return true;
  }
  return false;
}

void RunningCommands::WriteLocked() {
  RunningCommandsRecord record{boot_id_, {}};
  for (const auto& [group, c] : running_) record.commands.push_back(c);
  if (Status s = WriteFileAtomically(path_, FormatRunningCommands(record)); !s.ok()) {
    spdlog::warn("cannot record the running commands: {}", s.message());
  }
}

RecordingRunner::RecordingRunner(CommandRunner* inner, RunningCommands* record)
    : inner_(inner), record_(record) {}

Result<CommandResult> RecordingRunner::Run(const CommandSpec& spec) {
  CommandSpec recorded = spec;
  std::optional<pid_t> group;  // on_start runs on this thread, inside inner_->Run()
  recorded.on_start = [&](pid_t g) {
    group = g;
    record_->Add(g, spec.argv);
    if (spec.on_start) spec.on_start(g);
  };
  auto result = inner_->Run(recorded);
  if (group) record_->Remove(*group);
  return result;
}

}  // namespace swarm::agent
