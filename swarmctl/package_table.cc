#include "swarmctl/package_table.h"

#include "api/protocol.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/table.h"
#include "swarmctl/text.h"

namespace swarm::ctl {

std::string LastFailureColumn(const Json& package) {
  const Json* f = Find(package, {"status", "lastFailure"});
  if (f == nullptr || !f->is_object()) return kNone;
  std::string cls = StringOr(*f, {"class"}, "");
  const std::string drone = StringOr(*f, {"drone"}, "");
  const std::string message = OneLine(StringOr(*f, {"message"}, ""));
  if (!cls.empty() && !drone.empty()) cls += " on " + drone;
  if (cls.empty()) return message.empty() ? kNone : message;
  return message.empty() ? cls : cls + ": " + message;
}

std::string ReasonText(const Json& package) {
  const std::string reason = OneLine(StringOr(package, {"status", "reason"}, ""));
  if (!reason.empty()) return reason;
  if (StringOr(package, {"status", "phase"}, "") == api::kPhaseComplete) return "";
  const std::string failure = LastFailureColumn(package);
  return failure == kNone ? "" : failure;
}

void PrintPackageTable(const std::vector<const Json*>& packages, bool wide, std::ostream& out) {
  PackageTable(packages, wide).Print(out);
}

Table PackageTable(const std::vector<const Json*>& packages, bool wide) {
  std::vector<std::string> header = {"NAME", "PHASE", "DRONE", "ATTEMPTS", "DEPS", "REASON"};
  if (wide) header.insert(header.end(), {"DEPENDENCIES", "EXCLUDED", "LAST FAILURE", "TREE"});
  Table table(std::move(header));
  for (const Json* p : packages) {
    const auto deps = StringsAt(*p, {"spec", "dependencies"});
    const auto attempts = IntAt(*p, {"status", "attempts"});
    // -o wide has a LAST FAILURE column of its own.
    const std::string reason =
        wide ? OneLine(StringOr(*p, {"status", "reason"}, "")) : ReasonText(*p);
    std::vector<std::string> row = {
        StringOr(*p, {"metadata", "name"}, kNone),
        StringOr(*p, {"status", "phase"}, kNone),
        StringOr(*p, {"status", "drone"}, kNone),
        attempts ? std::to_string(*attempts) : kNotReported,
        std::to_string(deps.size()),
        reason.empty() ? kNone
        : wide         ? reason
                       : Abbreviate(reason, kShortReasonWidth),
    };
    if (wide) {
      row.insert(row.end(), {JoinOr(deps, ",", kNone),
                             JoinOr(StringsAt(*p, {"status", "excludedDrones"}), ",", kNone),
                             LastFailureColumn(*p),
                             ShortRevision(StringOr(*p, {"status", "treeRevision"}, ""))});
    }
    table.AddRow(std::move(row));
  }
  return table;
}

}  // namespace swarm::ctl
