#pragma once

// Semantic checks of a decoded Swarm that are not about YAML shape: names,
// roster uniqueness, label forms, policy ranges, discoverOn membership, and
// what may reach a drone's command line (api/emerge_args.h, the tree
// revision and the deploy version).

#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "base/status.h"

namespace swarm::api {

struct FieldError {
  std::string path;     // e.g. "spec.drones[2].name", "spec.drones[0].labels.memory"
  std::string message;  // what is wrong and what was expected
  // For a duplicate, the path of the first occurrence, so that a decoder can
  // say where that is ("first at line 9"); empty otherwise.
  std::string first_path = {};
};

// Returns every problem found; empty when the Swarm is acceptable.
std::vector<FieldError> Validate(const Swarm& s);

// spec.portage.treeRevision as a drone may take it (the sync hook hands it
// to git): a git commit or ref name of letters, digits and . _ + - (no
// shell quoting needed), starting with a letter or digit, without "..",
// not ending in "." or ".lock". InvalidArgument naming it otherwise; both
// the Swarm's validation and the agent use it.
Status CheckTreeRevision(std::string_view revision);

// spec.deploy.version as a drone may take it (the deploy hook gets it as an
// argument): letters, digits and . _ + -, starting with a letter or digit.
// InvalidArgument naming it otherwise; both ends use it.
Status CheckDeployVersion(std::string_view version);

// True for a DNS-1123 label-like name (lowercase alnum and '-', 1..63 chars),
// the form required of metadata.name and drone names.
bool IsValidName(const std::string& name);

}  // namespace swarm::api
