#include "swarmctl/describe.h"

#include <vector>

#include "api/types.h"
#include "swarmctl/drone_description.h"
#include "swarmctl/errors.h"
#include "swarmctl/fetch.h"
#include "swarmctl/release_description.h"
#include "swarmctl/resource.h"
#include "swarmctl/swarm_description.h"

namespace swarm::ctl {
namespace {

int DescribeDrones(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                   std::ostream& err) {
  auto reply = FetchDrones(api, args.name);
  if (!reply.ok()) return Fail(err, reply.status());
  auto drones = DronesOf(*reply, args.name);
  if (!drones.ok()) return Fail(err, drones.status());
  if (drones->empty()) {
    err << "No resources found.\n";
    return kExitOk;
  }
  for (size_t i = 0; i < drones->size(); ++i) {
    const Json& drone = *(*drones)[i];
    if (i > 0) out << '\n';
    ObjectEvents events(api, "Drone", StringOr(drone, {"metadata", "name"}, args.name), err);
    DescribeDrone(drone, events.items(), now, out);
  }
  return kExitOk;
}

int DescribeTheSwarm(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                     std::ostream& err) {
  auto swarm = FetchSwarm(api, args.name);
  if (!swarm.ok()) return Fail(err, swarm.status());
  ObjectEvents events(api, "Swarm", StringOr(*swarm, {"metadata", "name"}, ""), err);
  DescribeSwarm(*swarm, events.items(), now, out);
  return kExitOk;
}

int DescribeReleases(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                     std::ostream& err) {
  // Only one release's reply holds its changes: without a NAME, each is read.
  std::vector<std::string> names;
  if (args.name.empty()) {
    auto list = FetchReleases(api, "");
    if (!list.ok()) return Fail(err, list.status());
    auto items = ReleasesOf(*list, "");
    if (!items.ok()) return Fail(err, items.status());
    for (const Json* r : *items) names.push_back(StringOr(*r, {"metadata", "name"}, ""));
    if (names.empty()) {
      err << "No resources found.\n";
      return kExitOk;
    }
  } else {
    names.push_back(args.name);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    auto release = FetchReleases(api, names[i]);
    if (!release.ok()) return Fail(err, release.status());
    if (i > 0) out << '\n';
    ObjectEvents events(api, api::kKindRelease, StringOr(*release, {"metadata", "name"}, names[i]),
                        err);
    DescribeRelease(*release, events.items(), now, out);
  }
  return kExitOk;
}

}  // namespace

int RunDescribe(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                std::ostream& err) {
  auto resource =
      ParseResource(args.resource, {Resource::kSwarm, Resource::kDrone, Resource::kRelease});
  if (!resource.ok()) return Fail(err, resource.status(), kExitUsage);
  if (*resource == Resource::kDrone) return DescribeDrones(args, api, now, out, err);
  if (*resource == Resource::kRelease) return DescribeReleases(args, api, now, out, err);
  return DescribeTheSwarm(args, api, now, out, err);
}

}  // namespace swarm::ctl
