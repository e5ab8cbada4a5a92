#include "swarmctl/release_description.h"

#include "swarmctl/describe_sections.h"
#include "swarmctl/describe_writer.h"
#include "swarmctl/drone_fields.h"
#include "swarmctl/release_fields.h"

namespace swarm::ctl {
namespace {

// "9.9 GiB (10630000000 bytes)"; the bytes alone when rounding changed nothing.
std::string ReleaseSizeField(const Json& release) {
  auto bytes = IntAt(release, {"status", "bytes"});
  if (!bytes) return kNotReported;
  const std::string rounded = FormatSize(*bytes);
  if (*bytes < 1024) return rounded;
  return rounded + " (" + std::to_string(*bytes) + " bytes)";
}

// "Added (2):" and the packages, one per line.
void WriteChangeList(DescribeWriter& w, const Json& changes, const char* key,
                     std::string_view field) {
  const std::vector<std::string> names = StringsAt(changes, {field});
  w.Lines(1, std::string(key) + " (" + std::to_string(names.size()) + ")", names);
}

void WriteChanges(DescribeWriter& w, const Json& release) {
  const Json* changes = Find(release, {"status", "changes"});
  if (changes == nullptr || !changes->is_object()) {
    w.Field(0, "Changes", "<unavailable>");
    return;
  }
  w.Heading(0, "Changes");
  WriteChangeList(w, *changes, "Added", "added");
  WriteChangeList(w, *changes, "Removed", "removed");
  WriteChangeList(w, *changes, "Rebuilt", "rebuilt");
}

}  // namespace

void DescribeRelease(const Json& release, const std::optional<std::vector<const Json*>>& events,
                     WallTime now, std::ostream& out) {
  DescribeWriter w;
  w.Field(0, "Name", StringOr(release, {"metadata", "name"}, kNone));
  w.Field(0, "Created",
          TimeWithAge(StringAt(release, {"metadata", "creationTimestamp"}), now, kNone));
  w.Field(0, "Tree Revision", StringOr(release, {"status", "treeRevision"}, kNone));
  w.Field(0, "Deploy Version", StringOr(release, {"status", "deployVersion"}, kNone));
  w.Field(0, "Queue", StringOr(release, {"status", "queue"}, kNone));
  w.Field(0, "Packages", PackagesColumn(release));
  w.Field(0, "Size", ReleaseSizeField(release));
  w.Field(0, "Promoted", IsPromoted(release) ? "true" : "false");
  w.Field(0, "Last Promoted",
          TimeWithAge(StringAt(release, {"status", "promotedAt"}), now, "<never>"));
  w.Field(0, "Previous", StringOr(release, {"status", "previous"}, kNone));
  WriteChanges(w, release);
  WriteEvents(w, events, now);
  w.Print(out);
}

}  // namespace swarm::ctl
