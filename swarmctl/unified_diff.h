#pragma once

// A unified diff of two texts, line by line, as `diff -u` prints it.

#include <string>

namespace swarm::ctl {

// "--- A\n+++ B\n@@ -l,n +l,n @@\n..." with `context` lines around each
// change (hunks closer than twice that are joined); "" when the texts are
// equal. A text's last line needs no newline. Quadratic in the lines: for
// documents of a few thousand lines, as a Swarm is.
std::string UnifiedDiff(const std::string& a, const std::string& b, const std::string& a_name,
                        const std::string& b_name, int context = 3);

}  // namespace swarm::ctl
