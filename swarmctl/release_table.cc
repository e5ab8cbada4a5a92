#include "swarmctl/release_table.h"

#include "swarmctl/age.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/release_fields.h"

namespace swarm::ctl {

Table ReleaseTable(const std::vector<const Json*>& releases, bool wide, WallTime now) {
  std::vector<std::string> header = {"NAME", "PACKAGES", "SIZE", "AGE", "PROMOTED"};
  if (wide) header.insert(header.end(), {"TREE", "DEPLOY", "LAST PROMOTED"});
  Table table(std::move(header));
  for (const Json* r : releases) {
    std::vector<std::string> row = {
        StringOr(*r, {"metadata", "name"}, kNone),
        PackagesColumn(*r),
        SizeColumn(*r),
        AgeOf(StringAt(*r, {"metadata", "creationTimestamp"}), now).value_or("<unknown>"),
        PromotedColumn(*r),
    };
    if (wide) {
      row.insert(row.end(),
                 {ShortRevision(StringOr(*r, {"status", "treeRevision"}, "")),
                  StringOr(*r, {"status", "deployVersion"}, kNone),
                  AgeOf(StringAt(*r, {"status", "promotedAt"}), now).value_or("<never>")});
    }
    table.AddRow(std::move(row));
  }
  return table;
}

void PrintReleaseTable(const std::vector<const Json*>& releases, bool wide, WallTime now,
                       std::ostream& out) {
  ReleaseTable(releases, wide, now).Print(out);
}

}  // namespace swarm::ctl
