#include "swarmctl/drone_table.h"

#include "swarmctl/drone_fields.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

void PrintDroneTable(const std::vector<const Json*>& drones, bool wide, WallTime now,
                     std::ostream& out) {
  std::vector<std::string> header = {"NAME", "READY", "HEALTH", "DEPLOYED",
                                     "TREE", "CORES", "MEMORY", "LAST SEEN"};
  if (wide) header.insert(header.end(), {"DISK", "LOAD", "ROLES", "LABELS", "REASON", "ACTIONS"});
  Table table(std::move(header));
  for (const Json* d : drones) {
    std::vector<std::string> row = {
        StringOr(*d, {"metadata", "name"}, kNone),
        ReadyStatus(*d),
        StringOr(*d, {"status", "health"}, kNone),
        StringOr(*d, {"status", "deployVersion"}, kNone),
        ShortRevision(StringOr(*d, {"status", "treeRevision"}, "")),
        CoresColumn(*d),
        MemoryColumn(*d),
        LastSeenColumn(*d, now),
    };
    if (wide) {
      row.insert(row.end(), {DiskColumn(*d), LoadColumn(*d),
                             JoinOr(StringsAt(*d, {"spec", "roles"}), ",", kNone),
                             JoinOr(KeyValuesAt(*d, {"spec", "labels"}), ",", kNone),
                             ReadyReason(*d), ActionsColumn(*d)});
    }
    table.AddRow(std::move(row));
  }
  table.Print(out);
}

}  // namespace swarm::ctl
