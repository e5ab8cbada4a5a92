#pragma once

// Server-written text (condition messages, hook output tails, reasons) made
// to fit one line of a terminal.

#include <cstddef>
#include <string>

namespace swarm::ctl {

// `s` with every run of whitespace (newlines and tabs included) turned into
// one space, and none at either end.
std::string OneLine(const std::string& s);

// OneLine(s) cut to at most `max_chars` characters (UTF-8 aware), the last
// three of them "..." when anything was cut. `max_chars` is at least 4.
std::string Abbreviate(const std::string& s, size_t max_chars);

}  // namespace swarm::ctl
