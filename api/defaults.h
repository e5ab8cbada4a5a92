#pragma once

// Defaults applied to a decoded Swarm. Policy defaults are the member
// initializers in types.h (the values DESIGN.md documents); this fills what
// depends on other fields.

#include "api/types.h"

namespace swarm::api {

// Idempotent. Fills queue.targets with {"@world"} when neither targets nor
// packages are given, and queue.emergeArgs with
// "--update --deep --newuse --with-bdeps=y" when empty.
void ApplyDefaults(Swarm& s);

}  // namespace swarm::api
