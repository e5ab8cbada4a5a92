#include "swarmctl/wait.h"

#include <algorithm>

#include "api/conditions.h"
#include "api/quantity.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/errors.h"
#include "swarmctl/progress.h"
#include "swarmctl/watch.h"

namespace swarm::ctl {
namespace {

struct WantedCondition {
  std::string type;
  std::string status = api::kTrue;
};

Result<WantedCondition> ParseFor(const std::string& text) {
  constexpr std::string_view kPrefix = "condition=";
  if (text.rfind(kPrefix, 0) != 0 || text.size() == kPrefix.size()) {
    return InvalidArgument("--for \"" + text +
                           "\" is not condition=NAME[=STATUS] (e.g. condition=QueueComplete)");
  }
  WantedCondition w;
  w.type = text.substr(kPrefix.size());
  if (const size_t eq = w.type.find('='); eq != std::string::npos) {
    std::string status = w.type.substr(eq + 1);
    w.type.resize(eq);
    std::transform(status.begin(), status.end(), status.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (status == "true") {
      w.status = api::kTrue;
    } else if (status == "false") {
      w.status = api::kFalse;
    } else if (status == "unknown") {
      w.status = api::kUnknown;
    } else {
      return InvalidArgument("--for \"" + text + "\": the status is True, False or Unknown");
    }
  }
  if (w.type.empty()) return InvalidArgument("--for \"" + text + "\" names no condition");
  return w;
}

// The terminal's progress line: rewritten in place, cleared before anything
// else is printed.
class ProgressLineWriter {
 public:
  ProgressLineWriter(bool on, std::ostream& out) : on_(on), out_(out) {}
  void Show(const std::string& line) {
    if (!on_ || line == shown_) return;
    Clear();
    out_ << line << std::flush;
    shown_ = line;
  }
  void Clear() {
    if (!on_ || shown_.empty()) return;
    out_ << '\r' << std::string(shown_.size(), ' ') << '\r' << std::flush;
    shown_.clear();
  }

 private:
  const bool on_;
  std::ostream& out_;
  std::string shown_;
};

}  // namespace

int RunWait(const WaitArgs& args, ApiTransport& api, const Clock& clock, bool progress,
            std::ostream& out, std::ostream& err) {
  auto wanted = ParseFor(args.for_condition);
  if (!wanted.ok()) return Fail(err, wanted.status(), kExitUsage);
  auto timeout = api::ParseDuration(args.timeout);
  if (!timeout.ok()) {
    return Fail(err, InvalidArgument("--timeout: " + timeout.status().message()), kExitUsage);
  }
  const SteadyTime deadline = clock.SteadyNow() + *timeout;
  ProgressLineWriter line(progress, out);
  std::string version;
  std::string name = "swarm";
  while (true) {
    const Duration left = std::chrono::duration_cast<Duration>(deadline - clock.SteadyNow());
    const int seconds = static_cast<int>(std::clamp<int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(left).count(), 0, kWatchSeconds));
    const std::string path = WatchPath(kSwarmPath, version, seconds);
    auto reply = GetJson(api, path);
    if (!reply.ok() && reply.status().code() == StatusCode::kExpired && !version.empty()) {
      version.clear();
      continue;
    }
    if (!reply.ok()) {
      line.Clear();
      return Fail(err, reply.status());
    }
    version = StringOr(*reply, {"metadata", "resourceVersion"}, "");
    auto items = ListItems(*reply, "GET " + path);
    if (!items.ok()) {
      line.Clear();
      return Fail(err, items.status());
    }
    for (const Json* item : *items) {
      const Json* swarm = Find(*item, {"object"});
      if (swarm == nullptr || StringOr(*item, {"type"}, "") == "DELETED") continue;
      name = "swarm/" + StringOr(*swarm, {"metadata", "name"}, "");
      const Json* c = FindConditionAt(*swarm, {"status", "conditions"}, wanted->type);
      const std::string status = c ? StringOr(*c, {"status"}, "") : "";
      if (status == wanted->status) {
        line.Clear();
        out << name << " condition met\n";
        return kExitOk;
      }
      if (wanted->type == api::condition::kQueueComplete && wanted->status == api::kTrue && c &&
          StringOr(*c, {"reason"}, "") == api::reason::kPackagesBlocked) {
        line.Clear();
        return Fail(err, Conflict(name + ": " + wanted->type +
                                  " cannot become True without a "
                                  "person: " +
                                  StringOr(*c, {"message"}, "")));
      }
      if (auto p = ProgressOf(*swarm, clock.Now()); p && p->total > 0) line.Show(ProgressLine(*p));
    }
    if (version.empty()) {
      line.Clear();
      return Fail(err,
                  Internal("unexpected reply to GET " + path + ": no metadata.resourceVersion"));
    }
    if (clock.SteadyNow() >= deadline) {
      line.Clear();
      return Fail(err, Unavailable("timed out waiting for the condition on " + name));
    }
  }
}

}  // namespace swarm::ctl
