#pragma once

// Small string helpers every module shares: one copy each. For prefixes and
// suffixes use std::string_view's starts_with and ends_with.

#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

namespace swarm {

// The text of an errno value ("No such file or directory"); errno by default.
std::string ErrnoText(int err = errno);

// `s` with ASCII letters in lower case, whatever the locale.
std::string AsciiLower(std::string s);

// '0' to '9', whatever the locale.
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// `s` without leading and trailing whitespace (space, \t, \r, \n, \v, \f).
std::string Trim(std::string_view s);

// The parts with `sep` between each two.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Its first bytes, at most `max_bytes`, ending at a UTF-8 character
// boundary (a character is never split; invalid UTF-8 is cut as it falls).
std::string CutUtf8(std::string_view s, size_t max_bytes);
// Its last bytes, at most `max_bytes`, starting at a UTF-8 character boundary.
std::string CutUtf8Tail(std::string_view s, size_t max_bytes);

// `s` cut to at most `max_bytes` at a UTF-8 character boundary, ended with
// "..." when cut.
std::string Truncate(std::string_view s, size_t max_bytes);

// The offset of the first byte of `s` that is not part of well-formed UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF);
// npos when all of `s` is. JSON must be such text: nlohmann_json refuses or
// replaces anything else.
size_t FindInvalidUtf8(std::string_view s);

// `s` in double quotes for a message; longer than `max_bytes`, cut there and
// ended with "..." inside the quotes.
std::string Quote(std::string_view s, size_t max_bytes = std::string_view::npos);

}  // namespace swarm
