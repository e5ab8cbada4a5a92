#pragma once

// Semantic checks of a decoded Swarm that are not about YAML shape: names,
// roster uniqueness, label forms, policy ranges, discoverOn membership.

#include <string>
#include <vector>

#include "api/types.h"

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

// True for a DNS-1123 label-like name (lowercase alnum and '-', 1..63 chars),
// the form required of metadata.name and drone names.
bool IsValidName(const std::string& name);

}  // namespace swarm::api
