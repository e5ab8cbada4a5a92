#include "api/types.h"

#include <algorithm>

namespace swarm::api {

const Condition* FindCondition(const std::vector<Condition>& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool IsConditionTrue(const std::vector<Condition>& conditions, const std::string& type) {
  const Condition* c = FindCondition(conditions, type);
  return c != nullptr && c->status == kTrue;
}

bool SetCondition(std::vector<Condition>& conditions, Condition c, WallTime now) {
  for (auto& existing : conditions) {
    if (existing.type != c.type) continue;
    bool changed = false;
    if (existing.status != c.status) {
      existing.status = c.status;
      existing.last_transition_time = now;
      changed = true;
    }
    if (existing.reason != c.reason) {
      existing.reason = std::move(c.reason);
      changed = true;
    }
    if (existing.message != c.message) {
      existing.message = std::move(c.message);
      changed = true;
    }
    return changed;
  }
  c.last_transition_time = now;
  conditions.push_back(std::move(c));
  return true;
}

bool HasRole(const DroneSpec& d, const std::string& role) {
  if (d.roles.empty()) return role == kRoleBuild;
  return std::find(d.roles.begin(), d.roles.end(), role) != d.roles.end();
}

}  // namespace swarm::api
