#include "node-agent/build_failure.h"

#include <array>
#include <cctype>
#include <csignal>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The message texts below are portage's and the toolchain's own:
// - die (bin/isolated-functions.sh): " * ERROR: cat/pf::repo failed (<phase> phase):"
//   followed by " *   <die message>".
// - resolver (lib/_emerge/depgraph.py, resolver/slot_collision.py, output.py):
//   slot conflicts, masked packages, "no ebuilds to satisfy", unsatisfied
//   "[blocks B ...]" lines, REQUIRED_USE and autounmask change requests.
// - fetch (package/ebuild/fetch.py, _emerge/EbuildFetcher.py):
//   "!!! Couldn't download 'f'. Aborting." and " * Fetch failed for 'cpv'".
// - check-reqs.eclass: " * There is NOT at least 32 GiB RAM" and, when fatal in
//   pkg_pretend, die "Build requirements not met!".
// - gcc, ld, make, the shell, rustc/cargo and LLVM for memory exhaustion.

namespace swarm::agent {
namespace {

constexpr size_t kTailLines = 40;
constexpr size_t kTailMaxBytes = 8 * 1024;

using Matcher = bool (*)(std::string_view line, std::string_view text);

bool Prefix(std::string_view line, std::string_view text) { return line.starts_with(text); }
bool Suffix(std::string_view line, std::string_view text) { return line.ends_with(text); }
bool Contains(std::string_view line, std::string_view text) {
  return line.find(text) != std::string_view::npos;
}
bool Equals(std::string_view line, std::string_view text) { return line == text; }

// bash reporting a child killed by SIGKILL: "/bin/sh: line 1: 12345 Killed  cc1plus ...".
bool ShellReportsKilled(std::string_view line, std::string_view) {
  for (size_t k = line.find(" Killed"); k != std::string_view::npos;
       k = line.find(" Killed", k + 1)) {
    size_t b = k;
    while (b > 0 && std::isdigit(static_cast<unsigned char>(line[b - 1]))) --b;
    if (b < k && b >= 2 && line[b - 1] == ' ' && line[b - 2] == ':') return true;
  }
  return false;
}

struct Signature {
  FailureClass failure_class;
  Matcher match;
  std::string_view text;
  bool out_of_memory = false;  // the message means the build ran out of memory
};

constexpr bool kOom = true;

// Matched against each line with colours, surrounding blanks and the leading
// "* " of ebuild messages removed. Only messages printed when the run is over
// are listed: a mirror that fails before another one works ("VERIFY FAILED",
// "Refetching") must not turn a later compile error into a fetch failure.
constexpr Signature kSignatures[] = {
    // A compiler, linker or build tool killed by the kernel's OOM killer.
    {FailureClass::kDroneResources, Contains, "Killed signal terminated program", kOom},
    {FailureClass::kDroneResources, Contains, "internal compiler error: Killed (program", kOom},
    {FailureClass::kDroneResources, Contains, "terminated with signal 9", kOom},
    {FailureClass::kDroneResources, Contains, "(signal: 9, SIGKILL: kill)", kOom},
    {FailureClass::kDroneResources, Equals, "Killed", kOom},
    {FailureClass::kDroneResources, Suffix, "] Killed", kOom},
    {FailureClass::kDroneResources, ShellReportsKilled, "", kOom},
    // Allocation failures reported by the program itself.
    {FailureClass::kDroneResources, Contains, "virtual memory exhausted", kOom},
    {FailureClass::kDroneResources, Contains, "Cannot allocate memory", kOom},
    {FailureClass::kDroneResources, Contains, "Out of memory", kOom},
    {FailureClass::kDroneResources, Contains, "out of memory allocating", kOom},  // cc1plus
    {FailureClass::kDroneResources, Contains, "LLVM ERROR: out of memory", kOom},
    {FailureClass::kDroneResources, Prefix, "memory allocation of ", kOom},
    {FailureClass::kDroneResources, Contains, "throwing an instance of 'std::bad_alloc'", kOom},
    {FailureClass::kDroneResources, Contains, "No space left on device"},
    {FailureClass::kDroneResources, Contains, "Disk quota exceeded"},
    // check-reqs: fatal in pkg_pretend; in pkg_setup only a warning, but the
    // ebuild said this drone is too small for it, so a later failure is
    // charged to the drone rather than to the package.
    {FailureClass::kDroneResources, Prefix, "There is NOT at least "},
    {FailureClass::kDroneResources, Prefix, "Build requirements not met"},
    {FailureClass::kDroneResources, Prefix, "Space constraints set in the ebuild were not met"},

    {FailureClass::kSystemic, Prefix,
     "!!! Multiple package instances within a single package slot"},
    {FailureClass::kSystemic, Prefix, "!!! All ebuilds that could satisfy"},
    {FailureClass::kSystemic, Prefix, "emerge: there are no ebuilds to satisfy"},
    {FailureClass::kSystemic, Prefix,
     "emerge: there are no ebuilds built with USE flags to satisfy"},
    // Upper-case B only: "[blocks b" is a blocker emerge resolves by itself.
    {FailureClass::kSystemic, Prefix, "[blocks B"},
    {FailureClass::kSystemic, Prefix,
     "Error: The above package list contains packages which cannot be"},
    {FailureClass::kSystemic, Prefix, "For more information about Blocked Packages"},
    {FailureClass::kSystemic, Prefix,
     "The following REQUIRED_USE flag constraints are unsatisfied"},
    {FailureClass::kSystemic, Prefix, "The following USE changes are necessary to proceed"},
    {FailureClass::kSystemic, Prefix, "The following keyword changes are necessary to proceed"},
    {FailureClass::kSystemic, Prefix, "The following mask changes are necessary to proceed"},
    {FailureClass::kSystemic, Prefix, "The following license changes are necessary to proceed"},
    {FailureClass::kSystemic, Prefix, "Error: circular dependencies"},
    {FailureClass::kSystemic, Prefix, "!!! Problem resolving dependencies"},

    {FailureClass::kFetch, Prefix, "!!! Couldn't download '"},
    {FailureClass::kFetch, Prefix, "Fetch failed for '"},
    {FailureClass::kFetch, Prefix, "!!! Some fetch errors were encountered"},
};

// Evidence classes in the order they win.
constexpr std::array<FailureClass, 3> kPriority = {FailureClass::kDroneResources,
                                                   FailureClass::kSystemic, FailureClass::kFetch};

size_t PriorityIndex(FailureClass c) {
  for (size_t i = 0; i < kPriority.size(); ++i) {
    if (kPriority[i] == c) return i;
  }
  return kPriority.size();
}

// Drops ANSI escapes (build systems colour their output even under
// --color=n) and turns carriage returns into line breaks.
std::string CleanOutput(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\x1b' && i + 1 < in.size() && in[i + 1] == '[') {
      i += 2;
      while (i < in.size() && !std::isalpha(static_cast<unsigned char>(in[i]))) ++i;
      continue;
    }
    if (in[i] == '\r') {
      if (i + 1 < in.size() && in[i + 1] == '\n') continue;
      out.push_back('\n');
      continue;
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string_view TrimView(std::string_view s) {
  constexpr std::string_view kSpace = " \t\v\f";
  const size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// The message itself: ebuild helpers prefix theirs with " * ".
std::string_view Normalize(std::string_view line) {
  line = TrimView(line);
  if (line == "*") return {};
  if (line.starts_with("* ")) line = TrimView(line.substr(2));
  return line;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// gcc quotes the source line of each diagnostic ("   12 |   puts(\"Out of
// memory\");"): string literals there are code, not what happened to the build.
bool IsQuotedSource(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  return line.substr(i, 2) == " |" || (i == 0 && line.starts_with("|"));
}

// emerge wraps its "!!! " sentences over several lines ("!!! Multiple package
// instances ... have been pulled" / "!!! into the dependency graph, resulting
// in a slot conflict:"): a following "!!! " line that starts in lower case
// continues the sentence, and belongs in the reason.
std::string WithContinuation(std::string_view line, const std::vector<std::string_view>& lines,
                             size_t i) {
  std::string out(line);
  if (!line.starts_with("!!! ")) return out;
  for (size_t next = i + 1; next < lines.size(); ++next) {
    const std::string_view more = TrimView(lines[next]);
    if (!more.starts_with("!!! ") || more.size() < 5 ||
        !std::islower(static_cast<unsigned char>(more[4]))) {
      break;
    }
    out += " " + std::string(more.substr(4));
  }
  return out;
}

struct PhaseError {
  std::string phase;
  std::string reason;
};

// "ERROR: cat/pf::repo failed (compile phase):" (older portage: no "::repo",
// and no phase when EBUILD_PHASE was unset).
std::optional<PhaseError> ParsePhaseError(std::string_view line) {
  if (!line.starts_with("ERROR: ")) return std::nullopt;
  const size_t failed = line.find(" failed");
  if (failed == std::string_view::npos || line.back() != ':') return std::nullopt;
  PhaseError e;
  e.reason = std::string(line);
  constexpr std::string_view kOpen = " failed (", kClose = " phase):";
  if (line.substr(failed, kOpen.size()) == kOpen && line.ends_with(kClose)) {
    const size_t from = failed + kOpen.size();
    e.phase = std::string(line.substr(from, line.size() - kClose.size() - from));
  }
  return e;
}

std::string LogTail(const std::vector<std::string_view>& lines) {
  size_t end = lines.size();
  while (end > 0 && TrimView(lines[end - 1]).empty()) --end;
  const size_t begin = end > kTailLines ? end - kTailLines : 0;
  std::string tail;
  for (size_t i = begin; i < end; ++i) {
    tail.append(lines[i]);
    if (i + 1 < end) tail.push_back('\n');
  }
  if (tail.size() > kTailMaxBytes) {
    size_t cut = tail.size() - kTailMaxBytes;
    const size_t nl = tail.find('\n', cut);
    if (nl != std::string::npos) cut = nl + 1;
    tail.erase(0, cut);
  }
  return tail;
}

}  // namespace

const char* FailureClassName(FailureClass c) {
  switch (c) {
    case FailureClass::kSystemic:
      return "Systemic";
    case FailureClass::kFetch:
      return "Fetch";
    case FailureClass::kDroneResources:
      return "DroneResources";
    case FailureClass::kPackage:
      return "Package";
  }
  return "Package";
}

BuildFailure ClassifyBuildFailure(std::string_view output, int exit_code, bool killed_by_signal,
                                  int signal) {
  const std::string text = CleanOutput(output);
  const std::vector<std::string_view> lines = SplitLines(text);

  std::array<std::optional<std::string>, kPriority.size()> evidence;
  bool evidence_oom = false;  // of the DroneResources evidence
  std::optional<PhaseError> phase_error;
  bool want_die_message = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = Normalize(lines[i]);
    if (want_die_message) {
      // die prints its message on the line after the ERROR header.
      want_die_message = false;
      if (!line.empty()) phase_error->reason += " " + std::string(line);
    }
    if (!phase_error) {
      phase_error = ParsePhaseError(line);
      want_die_message = phase_error.has_value();
    }
    if (IsQuotedSource(line)) continue;
    for (const Signature& s : kSignatures) {
      if (!s.match(line, s.text)) continue;
      auto& slot = evidence[PriorityIndex(s.failure_class)];
      if (!slot) {
        slot = WithContinuation(line, lines, i);
        if (s.failure_class == FailureClass::kDroneResources) evidence_oom = s.out_of_memory;
      }
      break;
    }
  }

  BuildFailure f;
  f.log_tail = LogTail(lines);
  if (phase_error) f.phase = phase_error->phase;
  for (size_t i = 0; i < kPriority.size(); ++i) {
    if (!evidence[i]) continue;
    f.failure_class = kPriority[i];
    f.reason = *evidence[i];
    f.out_of_memory = f.failure_class == FailureClass::kDroneResources && evidence_oom;
    // Fetching is a phase of its own that never reaches die.
    if (f.failure_class == FailureClass::kFetch && f.phase.empty()) f.phase = "fetch";
    return f;
  }
  if (killed_by_signal && signal == SIGKILL && !phase_error) {
    f.failure_class = FailureClass::kDroneResources;
    f.reason = "killed by signal 9 (out of memory?)";
    return f;
  }
  f.failure_class = FailureClass::kPackage;
  if (phase_error) {
    f.reason = phase_error->reason;
  } else if (killed_by_signal) {
    f.reason = "emerge killed by signal " + std::to_string(signal);
  } else {
    f.reason = "emerge exited " + std::to_string(exit_code);
  }
  return f;
}

}  // namespace swarm::agent
