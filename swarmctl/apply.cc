#include "swarmctl/apply.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api/codec.h"
#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

constexpr char kStdinName[] = "<stdin>";

Result<std::string> ReadInput(const std::string& file, std::istream& in) {
  std::ostringstream text;
  if (file == "-") {
    text << in.rdbuf();
    return text.str();
  }
  std::ifstream f(file, std::ios::binary);
  if (!f) return InvalidArgument("cannot read " + file + ": " + std::strerror(errno));
  text << f.rdbuf();
  if (f.bad()) return InvalidArgument("cannot read " + file + ": " + std::strerror(errno));
  return text.str();
}

Result<std::string> ApplyOne(ApiTransport& api, const api::Swarm& swarm, bool dry_run) {
  auto reply = PutJson(api, dry_run ? std::string(kSwarmPath) + "?dryRun=All" : kSwarmPath,
                       api::SwarmToJson(swarm).dump());
  if (!reply.ok()) return reply.status();
  const std::string result = StringOr(*reply, {"result"}, "");
  if (result != "created" && result != "configured" && result != "unchanged") {
    return Internal(std::string("unexpected reply to PUT ") + kSwarmPath +
                    ": \"result\" is not created, configured or unchanged");
  }
  return result;
}

}  // namespace

Result<std::vector<api::Swarm>> ReadSwarms(const std::vector<std::string>& files, std::istream& in,
                                           std::ostream& err) {
  std::vector<api::Swarm> swarms;
  bool invalid = false;
  for (const auto& file : files) {
    auto text = ReadInput(file, in);
    if (!text.ok()) return text.status();
    auto decoded = api::DecodeSwarms(*text, file == "-" ? kStdinName : file);
    if (!decoded.ok()) {
      // Report every bad file before giving up, so one run shows all there is to fix.
      Fail(err, decoded.status());
      invalid = true;
      continue;
    }
    for (auto& s : *decoded) swarms.push_back(std::move(s));
  }
  if (invalid) return InvalidArgument("");
  if (swarms.empty()) return InvalidArgument("no objects passed to apply");
  return swarms;
}

int RunApply(const ApplyArgs& args, ApiTransport& api, std::istream& in, std::ostream& out,
             std::ostream& err) {
  if (args.files.empty()) {
    return Fail(err, InvalidArgument("apply needs -f FILE (\"-f -\" reads stdin)"), kExitUsage);
  }
  if (!args.dry_run.empty() && args.dry_run != "none" && args.dry_run != "server") {
    return Fail(err, InvalidArgument("--dry-run=" + args.dry_run + " is not none or server"),
                kExitUsage);
  }
  const bool dry_run = args.dry_run == "server";
  auto swarms = ReadSwarms(args.files, in, err);
  if (!swarms.ok()) {
    if (swarms.status().message().empty()) return kExitError;  // printed already
    return Fail(err, swarms.status());
  }
  for (const auto& swarm : *swarms) {
    auto result = ApplyOne(api, swarm, dry_run);
    if (!result.ok()) return Fail(err, result.status());
    out << "swarm/" << swarm.metadata.name << " " << *result << (dry_run ? " (server dry run)" : "")
        << '\n';
  }
  return kExitOk;
}

}  // namespace swarm::ctl
