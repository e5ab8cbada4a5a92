#include "swarmctl/json_read.h"

#include <cmath>
#include <map>

namespace swarm::ctl {

const Json* Find(const Json& j, std::initializer_list<std::string_view> path) {
  const Json* cur = &j;
  for (std::string_view key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(std::string(key));
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::optional<std::string> StringAt(const Json& j, std::initializer_list<std::string_view> path) {
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::string StringOr(const Json& j, std::initializer_list<std::string_view> path,
                     const std::string& fallback) {
  auto s = StringAt(j, path);
  return s && !s->empty() ? *s : fallback;
}

std::optional<double> NumberAt(const Json& j, std::initializer_list<std::string_view> path) {
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  double d = v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<int64_t> IntAt(const Json& j, std::initializer_list<std::string_view> path) {
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  double d = v->get<double>();
  // Outside this range the conversion is undefined; such a value is nonsense here.
  if (!std::isfinite(d) || std::fabs(d) > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(d);
}

std::vector<std::string> StringsAt(const Json& j, std::initializer_list<std::string_view> path) {
  std::vector<std::string> out;
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& e : *v) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

std::vector<const Json*> ObjectsAt(const Json& j, std::initializer_list<std::string_view> path) {
  std::vector<const Json*> out;
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& e : *v) {
    if (e.is_object()) out.push_back(&e);
  }
  return out;
}

std::vector<std::string> KeyValuesAt(const Json& j, std::initializer_list<std::string_view> path) {
  std::vector<std::string> out;
  const Json* v = Find(j, path);
  if (v == nullptr || !v->is_object()) return out;
  std::map<std::string, std::string> sorted;
  for (const auto& [k, val] : v->items()) {
    if (val.is_string()) sorted[k] = val.get<std::string>();
  }
  for (const auto& [k, val] : sorted) out.push_back(k + "=" + val);
  return out;
}

const Json* FindConditionAt(const Json& j, std::initializer_list<std::string_view> path,
                            const std::string& type) {
  for (const Json* c : ObjectsAt(j, path)) {
    if (StringAt(*c, {"type"}) == type) return c;
  }
  return nullptr;
}

std::string JoinOr(const std::vector<std::string>& parts, const std::string& sep,
                   const std::string& empty) {
  if (parts.empty()) return empty;
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace swarm::ctl
