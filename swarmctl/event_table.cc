#include "swarmctl/event_table.h"

#include <algorithm>
#include <cctype>

#include "swarmctl/describe_sections.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/text.h"

namespace swarm::ctl {

Table EventTable(const std::vector<const Json*>& events, WallTime now) {
  Table table({"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"});
  for (const Json* e : events) {
    std::string kind = StringOr(*e, {"involvedObject", "kind"}, kNone);
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    table.AddRow({EventAge(*e, now), StringOr(*e, {"type"}, kNone), StringOr(*e, {"reason"}, kNone),
                  kind + "/" + StringOr(*e, {"involvedObject", "name"}, kNone),
                  OneLine(StringOr(*e, {"message"}, ""))});
  }
  return table;
}

}  // namespace swarm::ctl
