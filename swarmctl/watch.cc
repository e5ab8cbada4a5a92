#include "swarmctl/watch.h"

#include <map>
#include <sstream>

#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

// The row `object` prints as, for telling whether it changed.
std::string RowText(const WatchSpec& spec, const Json* object, WallTime now) {
  std::ostringstream row;
  std::vector<size_t> widths;
  spec.table({object}, now).PrintRows(row, &widths);
  return row.str();
}

}  // namespace

std::string WatchPath(const std::string& path, const std::string& resource_version, int seconds) {
  std::string out = path + (path.find('?') == std::string::npos ? "?" : "&") +
                    "watch=true&timeoutSeconds=" + std::to_string(seconds);
  if (!resource_version.empty()) out += "&resourceVersion=" + EscapeComponent(resource_version);
  return out;
}

int RunWatch(const WatchSpec& spec, ApiTransport& api, const Clock& clock, std::ostream& out,
             std::ostream& err) {
  std::string version;
  std::map<std::string, std::string> printed;  // key -> the row last printed
  std::vector<size_t> widths;
  bool header = false;
  while (true) {
    const std::string path = WatchPath(spec.path, version);
    auto reply = GetJson(api, path);
    if (!reply.ok()) {
      // Too old a version (or the controller restarted): start again from a
      // full listing; rows that did not change are not printed again.
      if (reply.status().code() == StatusCode::kExpired && !version.empty()) {
        version.clear();
        continue;
      }
      return Fail(err, reply.status());
    }
    version = StringOr(*reply, {"metadata", "resourceVersion"}, "");
    auto items = ListItems(*reply, "GET " + path);
    if (!items.ok()) return Fail(err, items.status());
    if (version.empty())
      return Fail(err,
                  Internal("unexpected reply to GET " + path + ": no metadata.resourceVersion"));
    const WallTime now = clock.Now();
    std::vector<const Json*> changed;
    for (const Json* item : *items) {
      const Json* object = Find(*item, {"object"});
      if (object == nullptr || !object->is_object()) {
        return Fail(err, Internal("unexpected reply to GET " + path + ": an item has no object"));
      }
      if (!spec.name.empty() && StringOr(*object, {"metadata", "name"}, "") != spec.name) continue;
      if (spec.format == OutputFormat::kJson || spec.format == OutputFormat::kYaml) {
        PrintObject(*object, spec.format, out);
        continue;
      }
      if (spec.format == OutputFormat::kName) {
        out << ObjectName(spec.kind, *object) << '\n';
        continue;
      }
      std::string row = RowText(spec, object, now);
      std::string& last = printed[ObjectName(spec.kind, *object)];
      if (row == last) continue;
      last = std::move(row);
      changed.push_back(object);
    }
    if (!changed.empty()) {
      Table table = spec.table(changed, now);
      if (header) {
        table.PrintRows(out, &widths);
      } else {
        table.Print(out, &widths);
        header = true;
      }
    }
    out.flush();
  }
}

}  // namespace swarm::ctl
