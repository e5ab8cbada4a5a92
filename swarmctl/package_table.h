#pragma once

// The packages table of `get packages`.

#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/json_read.h"
#include "swarmctl/table.h"

namespace swarm::ctl {

// Widest REASON the default table shows; -o wide shows it whole.
inline constexpr size_t kShortReasonWidth = 40;

// "DroneResources on drone-tarn: Killed signal terminated program cc1plus"
// ("Fetch: ..." when no drone is named); "<none>" when the package has not failed.
std::string LastFailureColumn(const Json& package);

// Why the package is where it is, on one line: status.reason, else, unless it
// is Complete, its last failure (why a Needed or Building package is on a
// later attempt); "" when neither says anything.
std::string ReasonText(const Json& package);

// Columns NAME, PHASE, DRONE, ATTEMPTS, DEPS (how many), REASON (ReasonText,
// cut to kShortReasonWidth); `wide` shows status.reason whole in REASON and
// appends DEPENDENCIES, EXCLUDED, LAST FAILURE and TREE (12 characters).
void PrintPackageTable(const std::vector<const Json*>& packages, bool wide, std::ostream& out);
// The same table, not printed yet.
Table PackageTable(const std::vector<const Json*>& packages, bool wide);

}  // namespace swarm::ctl
