#include "swarmctl/describe_sections.h"

#include "swarmctl/age.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

void WriteConditions(DescribeWriter& w, const std::vector<const Json*>& conditions) {
  if (conditions.empty()) {
    w.Field(0, "Conditions", kNone);
    return;
  }
  Table t({"TYPE", "STATUS", "REASON", "MESSAGE", "LAST TRANSITION"});
  for (const Json* c : conditions) {
    t.AddRow({StringOr(*c, {"type"}, kNone), StringOr(*c, {"status"}, kNone),
              StringOr(*c, {"reason"}, kNone), StringOr(*c, {"message"}, kNone),
              StringOr(*c, {"lastTransitionTime"}, kNone)});
  }
  w.Heading(0, "Conditions");
  w.Rows(0, t);
}

void WriteEvents(DescribeWriter& w, const std::optional<std::vector<const Json*>>& events,
                 WallTime now) {
  if (!events) {
    w.Field(0, "Events", "<unavailable>");
    return;
  }
  if (events->empty()) {
    w.Field(0, "Events", kNone);
    return;
  }
  Table t({"TYPE", "REASON", "AGE", "MESSAGE"});
  for (const Json* e : *events) {
    t.AddRow({StringOr(*e, {"type"}, kNone), StringOr(*e, {"reason"}, kNone), EventAge(*e, now),
              StringOr(*e, {"message"}, "")});
  }
  w.Heading(0, "Events");
  w.Rows(0, t);
}

std::string EventAge(const Json& event, WallTime now) {
  auto last = StringAt(event, {"lastTimestamp"});
  auto first = StringAt(event, {"firstTimestamp"});
  std::string age = AgeOf(last ? last : first, now).value_or("<unknown>");
  auto count = IntAt(event, {"count"});
  if (count && *count > 1) {
    age +=
        " (x" + std::to_string(*count) + " over " + AgeOf(first, now).value_or("<unknown>") + ")";
  }
  return age;
}

std::string TimeWithAge(const std::optional<std::string>& timestamp, WallTime now,
                        const std::string& absent) {
  if (!timestamp) return absent;
  auto age = AgeOf(timestamp, now);
  return age ? *timestamp + " (" + *age + " ago)" : *timestamp;
}

std::string ScalarText(const Json* v) {
  if (v == nullptr || v->is_null()) return kNone;
  if (v->is_string()) return v->get<std::string>();
  return v->dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace swarm::ctl
