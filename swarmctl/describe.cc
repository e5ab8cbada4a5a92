#include "swarmctl/describe.h"

#include "swarmctl/drone_description.h"
#include "swarmctl/errors.h"
#include "swarmctl/fetch.h"
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

}  // namespace

int RunDescribe(const DescribeArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
                std::ostream& err) {
  auto resource = ParseResource(args.resource, {Resource::kSwarm, Resource::kDrone});
  if (!resource.ok()) return Fail(err, resource.status(), kExitUsage);
  if (*resource == Resource::kDrone) return DescribeDrones(args, api, now, out, err);
  return DescribeTheSwarm(args, api, now, out, err);
}

}  // namespace swarm::ctl
