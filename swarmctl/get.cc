#include "swarmctl/get.h"

#include <memory>
#include <utility>

#include "api/types.h"
#include "swarmctl/drone_table.h"
#include "swarmctl/errors.h"
#include "swarmctl/event_table.h"
#include "swarmctl/fetch.h"
#include "swarmctl/output.h"
#include "swarmctl/package_table.h"
#include "swarmctl/release_table.h"
#include "swarmctl/resource.h"
#include "swarmctl/swarm_table.h"
#include "swarmctl/watch.h"

namespace swarm::ctl {
namespace {

bool IsData(OutputFormat f) { return f == OutputFormat::kJson || f == OutputFormat::kYaml; }

void PrintNames(const std::string& kind, const std::vector<const Json*>& objects,
                std::ostream& out) {
  for (const Json* o : objects) out << ObjectName(kind, *o) << '\n';
}

int GetDrones(const GetArgs& args, OutputFormat format, ApiTransport& api, WallTime now,
              std::ostream& out, std::ostream& err) {
  auto reply = FetchDrones(api, args.name);
  if (!reply.ok()) return Fail(err, reply.status());
  auto drones = DronesOf(*reply, args.name);
  if (!drones.ok()) return Fail(err, drones.status());
  if (IsData(format)) {
    PrintObject(*reply, format, out);
    return kExitOk;
  }
  if (format == OutputFormat::kName) {
    PrintNames("drone", *drones, out);
    return kExitOk;
  }
  if (drones->empty()) {
    err << "No resources found.\n";
    return kExitOk;
  }
  PrintDroneTable(*drones, format == OutputFormat::kWide, now, out);
  return kExitOk;
}

int GetPackages(const GetArgs& args, OutputFormat format, ApiTransport& api, std::ostream& out,
                std::ostream& err) {
  auto reply = FetchPackages(api);
  if (!reply.ok()) return Fail(err, reply.status());
  auto packages = PackagesOf(*reply, args.name);
  if (!packages.ok()) return Fail(err, packages.status());
  if (IsData(format)) {
    // One named package prints as that object, as `get drones NAME` does.
    PrintObject(args.name.empty() ? *reply : *packages->front(), format, out);
    return kExitOk;
  }
  if (format == OutputFormat::kName) {
    PrintNames("package", *packages, out);
    return kExitOk;
  }
  if (packages->empty()) {
    err << "No resources found.\n";
    return kExitOk;
  }
  PrintPackageTable(*packages, format == OutputFormat::kWide, out);
  return kExitOk;
}

int GetSwarm(const GetArgs& args, OutputFormat format, ApiTransport& api, WallTime now,
             std::ostream& out, std::ostream& err) {
  auto swarm = FetchSwarm(api, args.name);
  if (!swarm.ok()) return Fail(err, swarm.status());
  if (IsData(format)) {
    PrintObject(*swarm, format, out);
    return kExitOk;
  }
  if (format == OutputFormat::kName) {
    PrintNames("swarm", {&*swarm}, out);
    return kExitOk;
  }
  // The DRONES column counts readiness, which only the drone list knows.
  auto reply = FetchDrones(api, "");
  if (!reply.ok()) return Fail(err, reply.status());
  auto drones = DronesOf(*reply, "");
  if (!drones.ok()) return Fail(err, drones.status());
  PrintSwarmTable(*swarm, CountReady(*drones), format == OutputFormat::kWide, now, out);
  return kExitOk;
}

int GetReleases(const GetArgs& args, OutputFormat format, ApiTransport& api, WallTime now,
                std::ostream& out, std::ostream& err) {
  auto reply = FetchReleases(api, args.name);
  if (!reply.ok()) return Fail(err, reply.status());
  auto releases = ReleasesOf(*reply, args.name);
  if (!releases.ok()) return Fail(err, releases.status());
  if (IsData(format)) {
    PrintObject(*reply, format, out);
    return kExitOk;
  }
  if (format == OutputFormat::kName) {
    PrintNames("release", *releases, out);
    return kExitOk;
  }
  if (releases->empty()) {
    err << "No resources found.\n";
    return kExitOk;
  }
  PrintReleaseTable(*releases, format == OutputFormat::kWide, now, out);
  return kExitOk;
}

const char* KindName(Resource r) {
  switch (r) {
    case Resource::kDrone:
      return api::kKindDrone;
    case Resource::kPackage:
      return api::kKindPackage;
    case Resource::kRelease:
      return api::kKindRelease;
    default:
      return api::kKindSwarm;
  }
}

// The events list's path: `--for drone/NAME`, `package/NAME`,
// `release/NAME` or `swarm/NAME` picks one object's.
Result<std::string> EventsPath(const std::string& for_object) {
  if (for_object.empty()) return std::string(kEventsPath);
  const size_t slash = for_object.find('/');
  auto kind = ParseResource(for_object.substr(0, slash), {Resource::kSwarm, Resource::kDrone,
                                                          Resource::kPackage, Resource::kRelease});
  if (slash == std::string::npos || slash + 1 == for_object.size() || !kind.ok()) {
    return InvalidArgument("--for \"" + for_object +
                           "\" is not drone/NAME, package/NAME, release/NAME or swarm/NAME");
  }
  return std::string(kEventsPath) + "?kind=" + KindName(*kind) +
         "&name=" + EscapeComponent(for_object.substr(slash + 1));
}

int GetEvents(const GetArgs& args, OutputFormat format, ApiTransport& api, WallTime now,
              std::ostream& out, std::ostream& err) {
  auto path = EventsPath(args.for_object);
  if (!path.ok()) return Fail(err, path.status(), kExitUsage);
  auto reply = GetJson(api, *path);
  if (!reply.ok()) return Fail(err, reply.status());
  auto events = ListItems(*reply, "GET " + *path);
  if (!events.ok()) return Fail(err, events.status());
  if (IsData(format)) {
    PrintObject(*reply, format, out);
    return kExitOk;
  }
  if (format == OutputFormat::kName) {
    PrintNames("event", *events, out);
    return kExitOk;
  }
  if (events->empty()) {
    err << "No resources found.\n";
    return kExitOk;
  }
  // The newest 100, oldest first: newest last, as kubectl prints them.
  EventTable(*events, now).Print(out);
  return kExitOk;
}

int Watch(const GetArgs& args, Resource resource, OutputFormat format, ApiTransport& api,
          const Clock& clock, std::ostream& out, std::ostream& err) {
  const bool wide = format == OutputFormat::kWide;
  WatchSpec spec;
  spec.format = format;
  spec.name = args.name;
  switch (resource) {
    case Resource::kDrone:
      spec.kind = "drone";
      spec.path = kDronesPath;
      spec.table = [wide](const std::vector<const Json*>& objects, WallTime now) {
        return DroneTable(objects, wide, now);
      };
      break;
    case Resource::kPackage:
      spec.kind = "package";
      spec.path = kPackagesPath;
      spec.table = [wide](const std::vector<const Json*>& objects, WallTime) {
        return PackageTable(objects, wide);
      };
      break;
    case Resource::kEvent: {
      auto path = EventsPath(args.for_object);
      if (!path.ok()) return Fail(err, path.status(), kExitUsage);
      spec.kind = "event";
      spec.path = *path;
      spec.name.clear();
      spec.table = [](const std::vector<const Json*>& objects, WallTime now) {
        return EventTable(objects, now);
      };
      break;
    }
    case Resource::kRelease:
      // The API watches the swarm, drones, packages and events only.
      return Fail(err,
                  InvalidArgument("--watch does not go with get releases: the API has no watch "
                                  "on releases (get events --watch shows them cut and promoted)"),
                  kExitUsage);
    case Resource::kSwarm: {
      spec.kind = "swarm";
      spec.path = kSwarmPath;
      // The DRONES column counts readiness, which only the drone list
      // knows: listed once per change of the Swarm.
      auto counted = std::make_shared<std::pair<std::string, DroneCounts>>();
      spec.table = [wide, &api, counted](const std::vector<const Json*>& objects, WallTime now) {
        const Json& swarm = *objects.front();
        const std::string version = StringOr(swarm, {"metadata", "resourceVersion"}, "");
        if (counted->first != version || version.empty()) {
          auto reply = FetchDrones(api, "");
          auto drones = reply.ok() ? DronesOf(*reply, "") : reply.status();
          counted->first = version;
          counted->second = drones.ok() ? CountReady(*drones) : DroneCounts{};
        }
        return SwarmTable(swarm, counted->second, wide, now);
      };
      break;
    }
  }
  return RunWatch(spec, api, clock, out, err);
}

}  // namespace

int RunGet(const GetArgs& args, ApiTransport& api, const Clock& clock, std::ostream& out,
           std::ostream& err) {
  auto resource =
      ParseResource(args.resource, {Resource::kSwarm, Resource::kDrone, Resource::kPackage,
                                    Resource::kEvent, Resource::kRelease});
  if (!resource.ok()) return Fail(err, resource.status(), kExitUsage);
  auto format = ParseOutputFormat(args.output);
  if (!format.ok()) return Fail(err, format.status(), kExitUsage);
  if (!args.for_object.empty() && *resource != Resource::kEvent) {
    return Fail(err, InvalidArgument("--for goes with get events"), kExitUsage);
  }
  if (args.watch) return Watch(args, *resource, *format, api, clock, out, err);
  const WallTime now = clock.Now();
  if (*resource == Resource::kDrone) return GetDrones(args, *format, api, now, out, err);
  if (*resource == Resource::kPackage) return GetPackages(args, *format, api, out, err);
  if (*resource == Resource::kEvent) return GetEvents(args, *format, api, now, out, err);
  if (*resource == Resource::kRelease) return GetReleases(args, *format, api, now, out, err);
  return GetSwarm(args, *format, api, now, out, err);
}

}  // namespace swarm::ctl
