#include "api/validation.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "api/emerge_args.h"
#include "api/limits.h"
#include "api/quantity.h"
#include "base/strings.h"

namespace swarm::api {
namespace {

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

bool IsAlnumLower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Revisions and versions are substituted into the operator's shell hooks
// ({revision}, {version}), so only characters that need no quoting pass; and
// the programs those hooks run must not take them for options.
Status CheckHookWord(std::string_view s, const char* reader) {
  const bool shell_safe = std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '+' || c == '-';
  });
  if (s.empty() || !shell_safe) {
    return InvalidArgument(Quote(s) +
                           " may contain only letters, digits and . _ + - (it is substituted "
                           "into shell hooks)");
  }
  if (!std::isalnum(static_cast<unsigned char>(s[0]))) {
    return InvalidArgument(Quote(s) + " must start with a letter or digit (" + reader +
                           " would take a leading '-' for an option)");
  }
  return Status::Ok();
}

bool HasWhitespace(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// One part of "category/name": the characters of Gentoo category and package
// names, plus '*' as a wildcard.
bool IsAtomPart(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '+' || c == '.' || c == '*';
  });
}

bool IsPackageMatch(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return false;
  return IsAtomPart(s.substr(0, slash)) && IsAtomPart(s.substr(slash + 1));
}

bool IsWholePositive(const std::string& s) {
  if (s.empty() || s.size() > 9 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::stoi(s) > 0;
}

class Checker {
 public:
  void Add(std::string path, std::string message, std::string first_path = "") {
    errors_.push_back({std::move(path), std::move(message), std::move(first_path)});
  }

  void Name(const std::string& path, const std::string& name, const std::string& what) {
    if (name.empty()) {
      Add(path, "required: " + what);
    } else if (!IsValidName(name)) {
      Add(path, "invalid name " + Quote(name) +
                    ": expected 1-63 lowercase letters, digits or '-', starting and ending "
                    "with a letter or digit");
    }
  }

  // A required value that `check` must pass.
  void Required(const std::string& path, const std::string& value, const std::string& what,
                Status (*check)(std::string_view)) {
    if (value.empty()) {
      Add(path, "required: " + what);
    } else if (Status s = check(value); !s.ok()) {
      Add(path, s.message());
    } else if (value.size() > kMaxTokenBytes) {
      // A drone reporting it back is held to the same limit (api/limits.h).
      Add(path, std::to_string(value.size()) + " bytes, over the limit of " +
                    std::to_string(kMaxTokenBytes));
    }
  }

  // True when `value` is one non-empty word.
  bool Word(const std::string& path, const std::string& value) {
    if (value.empty()) {
      Add(path, "must not be empty");
    } else if (HasWhitespace(value)) {
      Add(path, Quote(value) + " must not contain whitespace (one entry per item)");
    } else {
      return true;
    }
    return false;
  }

  void Positive(const std::string& path, Duration d) {
    if (d.count() <= 0) Add(path, "must be greater than 0s, got " + FormatDuration(d));
  }

  void Percent(const std::string& path, int v) {
    if (v < 1 || v > 100) Add(path, "must be between 1 and 100, got " + std::to_string(v));
  }

  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

void CheckQueue(Checker& c, const SwarmSpec& spec) {
  const QueueSpec& q = spec.queue;
  const std::string path = "spec.queue";
  for (size_t i = 0; i < q.targets.size(); ++i) {
    const std::string tpath = Index(path + ".targets", i);
    if (!c.Word(tpath, q.targets[i])) continue;
    if (Status s = CheckEmergeTarget(q.targets[i]); !s.ok()) c.Add(tpath, s.message());
  }
  if (Status s = CheckEmergeArgs(q.emerge_args); !s.ok()) c.Add(path + ".emergeArgs", s.message());
  for (size_t i = 0; i < q.packages.size(); ++i) {
    c.Word(Index(path + ".packages", i), q.packages[i]);
  }
  if (!q.discover_on.empty()) {
    bool in_roster = std::any_of(spec.drones.begin(), spec.drones.end(),
                                 [&](const DroneSpec& d) { return d.name == q.discover_on; });
    if (!in_roster) {
      std::string names;
      for (const auto& d : spec.drones) names += (names.empty() ? "" : ", ") + d.name;
      c.Add(path + ".discoverOn", Quote(q.discover_on) +
                                      " is not in the roster (spec.drones); expected one of: " +
                                      (names.empty() ? "(the roster is empty)" : names));
    }
  }
  for (size_t i = 0; i < q.requirements.size(); ++i) {
    const Requirement& r = q.requirements[i];
    std::string rpath = Index(path + ".requirements", i);
    if (r.match.empty()) {
      c.Add(rpath + ".match", "required: the package (category/name) this requirement is for");
    } else if (!IsPackageMatch(r.match)) {
      c.Add(rpath + ".match", Quote(r.match) +
                                  " is not a package: expected category/name such as "
                                  "dev-qt/qtwebengine ('*' matches any characters)");
    }
    if (!r.memory.empty()) {
      Result<int64_t> bytes = ParseMemory(r.memory);
      if (!bytes.ok()) c.Add(rpath + ".memory", bytes.status().message());
    }
    if (r.cores && *r.cores <= 0) {
      c.Add(rpath + ".cores", "must be a positive integer, got " + std::to_string(*r.cores));
    }
  }
}

void CheckDrone(Checker& c, const DroneSpec& d, const std::string& path) {
  c.Name(path + ".name", d.name, "the drone's host name");
  for (const auto& [key, value] : d.labels) {
    std::string lpath = path + ".labels." + key;
    if (key.empty()) {
      c.Add(path + ".labels", "label keys must not be empty");
    } else if (key == kLabelCores && !IsWholePositive(value)) {
      c.Add(lpath, Quote(value) + " must be a whole positive number of cores, such as \"16\"");
    } else if (key == kLabelMemory) {
      Result<int64_t> bytes = ParseMemory(value);
      if (!bytes.ok()) c.Add(lpath, bytes.status().message());
    } else if (key == kLabelSpeed) {
      Result<double> speed = ParseSpeed(value);
      if (!speed.ok()) c.Add(lpath, speed.status().message());
    }
  }
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < d.roles.size(); ++i) {
    const std::string& role = d.roles[i];
    std::string rpath = Index(path + ".roles", i);
    if (role != kRoleBuild && role != kRoleDiscover) {
      c.Add(rpath, "unknown role " + Quote(role) + "; expected build or discover");
    } else if (auto [it, inserted] = seen.emplace(role, i); !inserted) {
      c.Add(rpath, "duplicate role " + Quote(role), Index(path + ".roles", it->second));
    }
  }
}

void CheckPolicy(Checker& c, const Policy& p) {
  const std::string path = "spec.policy";
  c.Positive(path + ".heartbeatInterval", p.heartbeat_interval);
  c.Positive(path + ".heartbeatGrace", p.heartbeat_grace);
  if (p.heartbeat_interval.count() > 0 && p.heartbeat_grace.count() > 0 &&
      p.heartbeat_grace <= p.heartbeat_interval) {
    c.Add(path + ".heartbeatGrace", "must be greater than heartbeatInterval (" +
                                        FormatDuration(p.heartbeat_interval) + "), got " +
                                        FormatDuration(p.heartbeat_grace));
  }
  if (p.ground_after_failures < 1) {
    c.Add(path + ".groundAfterFailures",
          "must be at least 1, got " + std::to_string(p.ground_after_failures));
  }
  c.Positive(path + ".groundingCooldown", p.grounding_cooldown);
  double f = p.systemic_failure_fraction;
  if (!(f > 0 && f <= 1)) {
    c.Add(path + ".systemicFailureFraction",
          "must be greater than 0 and at most 1, got " + FormatNumber(f));
  }
  if (p.scheduling != kSchedulingCriticalPath && p.scheduling != kSchedulingFifo) {
    c.Add(path + ".scheduling", "unknown policy " + Quote(p.scheduling) + "; expected " +
                                    kSchedulingCriticalPath + " or " + kSchedulingFifo);
  }
  c.Positive(path + ".health.probeInterval", p.health.probe_interval);
  c.Percent(path + ".health.memoryDegradedPercent", p.health.memory_degraded_percent);
  c.Percent(path + ".health.diskDegradedPercent", p.health.disk_degraded_percent);
}

void CheckBinhost(Checker& c, const BinhostSpec& b) {
  const std::string path = "spec.binhost";
  if (b.promotion != kPromotionAutomatic && b.promotion != kPromotionManual) {
    c.Add(path + ".promotion", "unknown promotion " + Quote(b.promotion) + "; expected " +
                                   kPromotionAutomatic + " or " + kPromotionManual);
  }
  // The promoted release and the one before it are always kept.
  if (b.keep_releases < 2 || b.keep_releases > 1000) {
    c.Add(path + ".keepReleases",
          "must be from 2 (the promoted release and the one a rollback returns to) to 1000, got " +
              std::to_string(b.keep_releases));
  }
}

}  // namespace

Status CheckTreeRevision(std::string_view revision) {
  if (Status s = CheckHookWord(revision, "git"); !s.ok()) return s;
  if (revision.find("..") != std::string_view::npos || revision.ends_with(".") ||
      revision.ends_with(".lock")) {
    return InvalidArgument(Quote(revision) +
                           " is not a git commit or ref name: no \"..\", and no \".\" or "
                           "\".lock\" at the end (git check-ref-format)");
  }
  return Status::Ok();
}

Status CheckDeployVersion(std::string_view version) {
  return CheckHookWord(version, "the deploy hook");
}

bool IsValidName(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  if (!IsAlnumLower(name.front()) || !IsAlnumLower(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char ch) { return IsAlnumLower(ch) || ch == '-'; });
}

std::vector<FieldError> Validate(const Swarm& s) {
  Checker c;
  if (s.api_version.empty()) {
    c.Add("apiVersion", std::string("required; expected ") + kApiVersion);
  } else if (s.api_version != kApiVersion) {
    c.Add("apiVersion",
          "unsupported apiVersion " + Quote(s.api_version) + "; expected " + kApiVersion);
  }
  if (s.kind.empty()) {
    c.Add("kind", std::string("required; expected ") + kKindSwarm);
  } else if (s.kind != kKindSwarm) {
    c.Add("kind", "unsupported kind " + Quote(s.kind) + "; expected " + kKindSwarm);
  }
  c.Name("metadata.name", s.metadata.name, "the swarm's name");
  c.Required("spec.portage.treeRevision", s.spec.portage.tree_revision,
             "the gentoo repository commit every member must have", CheckTreeRevision);
  c.Required("spec.deploy.version", s.spec.deploy.version,
             "the deploy version every member must run", CheckDeployVersion);
  CheckQueue(c, s.spec);
  std::map<std::string, size_t> first_seen;
  for (size_t i = 0; i < s.spec.drones.size(); ++i) {
    const DroneSpec& d = s.spec.drones[i];
    std::string path = Index("spec.drones", i);
    CheckDrone(c, d, path);
    if (d.name.empty()) continue;
    auto [it, inserted] = first_seen.emplace(d.name, i);
    if (!inserted) {
      c.Add(path + ".name", "duplicate drone name " + Quote(d.name),
            Index("spec.drones", it->second) + ".name");
    }
  }
  CheckPolicy(c, s.spec.policy);
  CheckBinhost(c, s.spec.binhost);
  return c.Take();
}

}  // namespace swarm::api
