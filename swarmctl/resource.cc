#include "swarmctl/resource.h"

#include <algorithm>
#include <optional>

namespace swarm::ctl {
namespace {

std::optional<Resource> Lookup(const std::string& s) {
  if (s == "swarm" || s == "swarms") return Resource::kSwarm;
  if (s == "drone" || s == "drones") return Resource::kDrone;
  if (s == "package" || s == "packages" || s == "pkg" || s == "pkgs") return Resource::kPackage;
  if (s == "event" || s == "events" || s == "ev") return Resource::kEvent;
  if (s == "release" || s == "releases") return Resource::kRelease;
  return std::nullopt;
}

const char* PluralName(Resource r) {
  switch (r) {
    case Resource::kSwarm:
      return "swarm";
    case Resource::kDrone:
      return "drones";
    case Resource::kPackage:
      return "packages";
    case Resource::kEvent:
      return "events";
    case Resource::kRelease:
      return "releases";
  }
  return "?";
}

// "swarm or drones", "swarm, drones or packages".
std::string Wanted(const std::vector<Resource>& accepted) {
  std::string out;
  for (size_t i = 0; i < accepted.size(); ++i) {
    if (i > 0) out += i + 1 == accepted.size() ? " or " : ", ";
    out += PluralName(accepted[i]);
  }
  return out;
}

}  // namespace

Result<Resource> ParseResource(const std::string& s, const std::vector<Resource>& accepted) {
  auto r = Lookup(s);
  if (!r) {
    return InvalidArgument("unknown resource type \"" + s + "\" (want " + Wanted(accepted) + ")");
  }
  if (std::find(accepted.begin(), accepted.end(), *r) == accepted.end()) {
    return InvalidArgument("this command does not take \"" + s + "\" (want " + Wanted(accepted) +
                           ")");
  }
  return *r;
}

}  // namespace swarm::ctl
