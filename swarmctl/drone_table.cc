#include "swarmctl/drone_table.h"

#include "swarmctl/describe_sections.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/table.h"
#include "swarmctl/text.h"

namespace swarm::ctl {

void PrintDroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now,
                     std::ostream& out) {
  DroneTable(drones, wide, now).Print(out);
}

Table DroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now) {
  std::vector<std::string> header = {"NAME", "READY", "STATUS", "HEALTH",   "DEPLOYED",
                                     "TREE", "CORES", "MEMORY", "LAST SEEN"};
  if (wide) {
    header.insert(header.end(), {"DISK", "LOAD", "FAILURES", "ROLES", "LABELS", "REASON",
                                 "HEALTH REASON", "ACTIONS"});
  }
  // Last, as it is the one column whose width has no bound.
  header.push_back("BUILDING");
  Table table(std::move(header));
  for (const Json* d : drones) {
    std::vector<std::string> row = {
        StringOr(*d, {"metadata", "name"}, kNone),
        ReadyStatus(*d),
        StatusColumn(*d),
        StringOr(*d, {"status", "health"}, kNone),
        StringOr(*d, {"status", "deployVersion"}, kNone),
        ShortRevision(StringOr(*d, {"status", "treeRevision"}, "")),
        CoresColumn(*d),
        MemoryColumn(*d),
        LastSeenColumn(*d, now),
    };
    if (wide) {
      const Json* failures = Find(*d, {"status", "consecutiveFailures"});
      row.insert(row.end(),
                 {DiskColumn(*d), LoadColumn(*d),
                  failures && failures->is_number() ? ScalarText(failures) : kNotReported,
                  JoinOr(StringsAt(*d, {"spec", "roles"}), ",", kNone),
                  JoinOr(KeyValuesAt(*d, {"spec", "labels"}), ",", kNone), ReadyReason(*d),
                  OneLine(StringOr(*d, {"status", "healthReason"}, kNone)), ActionsColumn(*d)});
    }
    row.push_back(BuildingColumn(*d, wide));
    table.AddRow(std::move(row));
  }
  return table;
}

}  // namespace swarm::ctl
