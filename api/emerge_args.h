#pragma once

// What a Swarm may put on emerge's command line. spec.queue.emergeArgs and
// spec.queue.targets reach `emerge --pretend` on the discovering drone;
// whoever writes them (an operator's typo, or a controller that is not to be
// trusted) must not be able to make emerge do anything but resolve packages:
// no other config or root (--config-root, --root), no sync, no unmerge, no
// prompt (--ask), no files or paths as targets. Both ends use these checks:
// the Swarm's validation (swarmctl apply and the controller refuse the
// spec) and the agent before it runs discovery (it refuses the action).

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace swarm::api {

// emergeArgs as the agent passes them to emerge: split on whitespace, with
// no quoting of any kind (a quote is part of its word).
std::vector<std::string> SplitEmergeArgs(std::string_view args);

// Ok when every word of `args` (as SplitEmergeArgs splits them) is one of
// emerge's dependency-resolution options, in emerge's own forms
// (`--deep`, `--deep=3`, `--deep 3`, `-D`, `-D3`, bundles such as `-uDN`),
// or the value such an option takes. InvalidArgument naming the first word
// that is not, and why: an option outside the allowlist, a bad value, a
// missing value, a package or set (those belong in targets), a bundle emerge
// could read two ways.
Status CheckEmergeArgs(std::string_view args);

// Ok for a package atom (api::CheckAtom) or a set (`@world`, `@system`,
// `@name`); InvalidArgument naming `target` and what is wrong otherwise.
// Nothing starting with '-' passes: emerge would read it as an option.
Status CheckEmergeTarget(std::string_view target);

}  // namespace swarm::api
