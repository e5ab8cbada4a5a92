#include "swarmctl/fresh.h"

#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

std::string Counted(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int RunFresh(ApiTransport& api, std::ostream& out, std::ostream& err) {
  auto reply = PostJson(api, kFreshPath, "{}");
  if (!reply.ok()) return Fail(err, reply.status());
  auto requested_at = StringAt(*reply, {"requestedAt"});
  if (!requested_at || requested_at->empty()) {
    return Fail(err, Internal(std::string("unexpected reply to POST ") + kFreshPath +
                              ": no \"requestedAt\""));
  }
  const auto members = StringsAt(*reply, {"members"});
  out << "fresh start requested at " << *requested_at << ":\n";
  out << "  re-sync the portage tree on "
      << Counted(static_cast<int64_t>(members.size()), "member", "members");
  if (!members.empty()) out << ": " << JoinOr(members, ", ", "");
  out << '\n';
  if (auto queued = IntAt(*reply, {"queuedPackages"})) {
    out << "  discard the queue (" << Counted(*queued, "package", "packages")
        << ") and discover it again\n";
  } else {
    out << "  discard the queue and discover it again\n";
  }
  out << "  clear every grounding\n";
  out << "watch it with: swarmctl status\n";
  return kExitOk;
}

}  // namespace swarm::ctl
