#pragma once

// The packages table of `get packages`.

#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/json_read.h"

namespace swarm::ctl {

// Widest REASON the default table shows; -o wide shows it whole.
inline constexpr size_t kShortReasonWidth = 40;

// "Fetch: distfile not found"; "<none>" when the package has not failed.
std::string LastFailureColumn(const Json& package);

// Columns NAME, PHASE, DRONE, ATTEMPTS, DEPS (how many), REASON (cut to
// kShortReasonWidth); `wide` shows REASON whole and appends DEPENDENCIES,
// EXCLUDED, LAST FAILURE (class: message) and TREE (12 characters).
void PrintPackageTable(const std::vector<const Json*>& packages, bool wide, std::ostream& out);

}  // namespace swarm::ctl
