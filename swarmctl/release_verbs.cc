#include "swarmctl/release_verbs.h"

#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

// An error unless `reply` is a release that /binhost/current serves; a
// reply without status.promoted is taken at its 200.
Status CheckNowPromoted(const std::string& path, const Json& reply) {
  if (StringOr(reply, {"metadata", "name"}, "").empty()) {
    return Internal("unexpected reply to POST " + path + ": no metadata.name");
  }
  const Json* promoted = Find(reply, {"status", "promoted"});
  if (promoted == nullptr || !promoted->is_boolean() || promoted->get<bool>()) return Status::Ok();
  return Internal("POST " + path + " succeeded, but the reply shows release/" +
                  StringAt(reply, {"metadata", "name"}).value_or("") + " not promoted");
}

}  // namespace

int RunPromote(const std::string& release, ApiTransport& api, std::ostream& out,
               std::ostream& err) {
  if (release.empty())
    return Fail(err, InvalidArgument("promote needs a release name"), kExitUsage);
  const std::string path = std::string(kReleasesPath) + "/" + EscapeComponent(release) + "/promote";
  auto reply = PostJson(api, path, "{}");
  if (!reply.ok()) return Fail(err, reply.status());
  if (Status s = CheckNowPromoted(path, *reply); !s.ok()) return Fail(err, s);
  const std::string name = StringOr(*reply, {"metadata", "name"}, "");
  if (name != release) {
    return Fail(err, Internal("POST " + path + " succeeded, but the reply is release/" + name +
                              ", not release/" + release));
  }
  out << "release/" << name << " promoted\n";
  return kExitOk;
}

int RunRollback(ApiTransport& api, std::ostream& out, std::ostream& err) {
  auto reply = PostJson(api, kRollbackPath, "{}");
  if (!reply.ok()) return Fail(err, reply.status());
  if (Status s = CheckNowPromoted(kRollbackPath, *reply); !s.ok()) return Fail(err, s);
  out << "rolled back to release/" << StringAt(*reply, {"metadata", "name"}).value_or("") << '\n';
  return kExitOk;
}

}  // namespace swarm::ctl
