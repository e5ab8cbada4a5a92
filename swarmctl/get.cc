#include "swarmctl/get.h"

#include "swarmctl/drone_table.h"
#include "swarmctl/errors.h"
#include "swarmctl/fetch.h"
#include "swarmctl/output.h"
#include "swarmctl/package_table.h"
#include "swarmctl/resource.h"
#include "swarmctl/swarm_table.h"

namespace swarm::ctl {
namespace {

bool IsData(OutputFormat f) { return f == OutputFormat::kJson || f == OutputFormat::kYaml; }

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
  // The DRONES column counts readiness, which only the drone list knows.
  auto reply = FetchDrones(api, "");
  if (!reply.ok()) return Fail(err, reply.status());
  auto drones = DronesOf(*reply, "");
  if (!drones.ok()) return Fail(err, drones.status());
  PrintSwarmTable(*swarm, CountReady(*drones), format == OutputFormat::kWide, now, out);
  return kExitOk;
}

}  // namespace

int RunGet(const GetArgs& args, ApiTransport& api, WallTime now, std::ostream& out,
           std::ostream& err) {
  auto resource =
      ParseResource(args.resource, {Resource::kSwarm, Resource::kDrone, Resource::kPackage});
  if (!resource.ok()) return Fail(err, resource.status(), kExitUsage);
  auto format = ParseOutputFormat(args.output);
  if (!format.ok()) return Fail(err, format.status(), kExitUsage);
  if (*resource == Resource::kDrone) return GetDrones(args, *format, api, now, out, err);
  if (*resource == Resource::kPackage) return GetPackages(args, *format, api, out, err);
  return GetSwarm(args, *format, api, now, out, err);
}

}  // namespace swarm::ctl
