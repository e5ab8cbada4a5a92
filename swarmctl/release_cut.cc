#include "swarmctl/release_cut.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "api/events.h"
#include "api/quantity.h"
#include "api/types.h"
#include "swarmctl/errors.h"
#include "swarmctl/release_fields.h"
#include "swarmctl/watch.h"

namespace swarm::ctl {
namespace {

// The Swarm's events, where a refusal to cut lands. The newest 1000: the
// Swarm has few events of its own (a repeated one folds into its count).
std::string SwarmEventsPath() {
  return std::string(kEventsPath) + "?kind=" + api::kKindSwarm + "&limit=1000";
}

// What an event was when the request went out: a refusal folded into an
// old one shows as a higher count and a later timestamp.
struct SeenEvent {
  int64_t count = 0;
  std::string last;
  bool operator==(const SeenEvent&) const = default;
};

SeenEvent SeenOf(const Json& event) {
  return {IntAt(event, {"count"}).value_or(1), StringOr(event, {"lastTimestamp"}, "")};
}

bool IsRefusal(const Json& event) {
  return StringOr(event, {"reason"}, "") == api::events::kReleaseRefused &&
         StringOr(event, {"involvedObject", "kind"}, "") == api::kKindSwarm;
}

bool IsAboutARelease(const Json& event) {
  return StringOr(event, {"involvedObject", "kind"}, "") == api::kKindRelease;
}

// Where the wait stands: what was there before the request.
struct CutBaseline {
  std::string version;                    // the events' resourceVersion
  std::map<int64_t, SeenEvent> refusals;  // by event id
  std::set<std::string> releases;         // names
};

bool IsNewRefusal(const CutBaseline& before, const Json& event) {
  if (!IsRefusal(event)) return false;
  auto id = IntAt(event, {"id"});
  if (!id) return true;
  auto it = before.refusals.find(*id);
  return it == before.refusals.end() || !(it->second == SeenOf(event));
}

Result<CutBaseline> ReadBaseline(ApiTransport& api) {
  CutBaseline b;
  const std::string path = SwarmEventsPath();
  auto events = GetJson(api, path);
  if (!events.ok()) return events.status();
  auto items = ListItems(*events, "GET " + path);
  if (!items.ok()) return items.status();
  for (const Json* e : *items) {
    if (!IsRefusal(*e)) continue;
    if (auto id = IntAt(*e, {"id"})) b.refusals[*id] = SeenOf(*e);
  }
  b.version = StringOr(*events, {"metadata", "resourceVersion"}, "");
  auto list = GetJson(api, kReleasesPath);
  if (!list.ok()) return list.status();
  auto releases = ListItems(*list, std::string("GET ") + kReleasesPath);
  if (!releases.ok()) return releases.status();
  for (const Json* r : *releases) b.releases.insert(StringOr(*r, {"metadata", "name"}, ""));
  return b;
}

// The newest release listed now that was not before; nullopt when none is.
Result<std::optional<Json>> NewRelease(ApiTransport& api, const CutBaseline& before) {
  auto list = GetJson(api, kReleasesPath);
  if (!list.ok()) return list.status();
  auto releases = ListItems(*list, std::string("GET ") + kReleasesPath);
  if (!releases.ok()) return releases.status();
  // Oldest first: the last new one is the newest.
  for (auto it = releases->rbegin(); it != releases->rend(); ++it) {
    const std::string name = StringOr(**it, {"metadata", "name"}, "");
    if (!name.empty() && before.releases.count(name) == 0) return std::optional<Json>(**it);
  }
  return std::optional<Json>();
}

int WaitForCut(const CutBaseline& before, Duration timeout, const std::string& timeout_text,
               ApiTransport& api, const Clock& clock, std::ostream& out, std::ostream& err) {
  const SteadyTime deadline = clock.SteadyNow() + timeout;
  std::string version = before.version;
  while (true) {
    const Duration left = std::chrono::duration_cast<Duration>(deadline - clock.SteadyNow());
    const int seconds = static_cast<int>(std::clamp<int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(left).count(), 0, kWatchSeconds));
    const std::string path = WatchPath(kEventsPath, version, seconds);
    auto reply = GetJson(api, path);
    if (!reply.ok() && reply.status().code() == StatusCode::kExpired && !version.empty()) {
      version.clear();  // every event again; the baseline tells the old ones
      continue;
    }
    if (!reply.ok()) return Fail(err, reply.status());
    auto items = ListItems(*reply, "GET " + path);
    if (!items.ok()) return Fail(err, items.status());
    version = StringOr(*reply, {"metadata", "resourceVersion"}, "");
    // A quiet watch lists the releases too, in case their event was missed.
    bool look = items->empty();
    for (const Json* item : *items) {
      const Json* event = Find(*item, {"object"});
      if (event == nullptr) continue;
      if (IsNewRefusal(before, *event)) {
        const std::string message = StringOr(*event, {"message"}, "");
        return Fail(err,
                    Conflict(message.empty() ? "the controller refused to cut a release (" +
                                                   std::string(api::events::kReleaseRefused) + ")"
                                             : message));
      }
      look = look || IsAboutARelease(*event);
    }
    const bool last = clock.SteadyNow() >= deadline;
    if (look || last) {
      auto cut = NewRelease(api, before);
      if (!cut.ok()) return Fail(err, cut.status());
      if (*cut) {
        out << "release/" << StringOr(**cut, {"metadata", "name"}, "") << " cut ("
            << ReleaseSummaryText(**cut) << ")\n";
        return kExitOk;
      }
    }
    if (version.empty()) {
      return Fail(err,
                  Internal("unexpected reply to GET " + path + ": no metadata.resourceVersion"));
    }
    if (last) {
      return Fail(err, Unavailable("timed out after " + timeout_text +
                                   " waiting for a release to be cut (see swarmctl get events)"));
    }
  }
}

}  // namespace

int RunReleaseCut(const ReleaseCutArgs& args, ApiTransport& api, const Clock& clock,
                  std::ostream& out, std::ostream& err) {
  const std::string timeout_text = args.timeout.empty() ? kDefaultCutWait : args.timeout;
  Duration timeout{};
  CutBaseline before;
  if (args.wait) {
    auto parsed = api::ParseDuration(timeout_text);
    if (!parsed.ok()) {
      return Fail(err, InvalidArgument("--wait: " + parsed.status().message()), kExitUsage);
    }
    timeout = *parsed;
    // Read before the request, so that whatever it causes is after.
    auto baseline = ReadBaseline(api);
    if (!baseline.ok()) return Fail(err, baseline.status());
    before = std::move(*baseline);
  } else if (!args.timeout.empty()) {
    return Fail(err, InvalidArgument("a timeout goes with --wait only"), kExitUsage);
  }
  auto reply = PostJson(api, kReleasesPath, "");
  if (!reply.ok()) return Fail(err, reply.status());
  out << StringOr(*reply, {"message"}, "release cut requested") << '\n';
  if (!args.wait) return kExitOk;
  return WaitForCut(before, timeout, timeout_text, api, clock, out, err);
}

}  // namespace swarm::ctl
