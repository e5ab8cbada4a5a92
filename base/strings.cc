#include "base/strings.h"

#include <cstring>

namespace swarm {

std::string ErrnoText(int err) { return std::strerror(err); }

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(kSpace);
  return std::string(s.substr(b, e - b + 1));
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {

// A UTF-8 continuation byte (10xxxxxx): never the first of a character.
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string CutUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t end = max_bytes;
  // A character is at most 4 bytes: past 3 continuations it is not UTF-8.
  for (int i = 0; i < 3 && end > 0 && IsContinuation(s[end]); ++i) --end;
  return std::string(s.substr(0, end));
}

std::string CutUtf8Tail(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t begin = s.size() - max_bytes;
  for (int i = 0; i < 3 && begin < s.size() && IsContinuation(s[begin]); ++i) ++begin;
  return std::string(s.substr(begin));
}

std::string Truncate(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  return CutUtf8(s, max_bytes) + "...";
}

std::string Quote(std::string_view s, size_t max_bytes) {
  return "\"" + Truncate(s, max_bytes) + "\"";
}

}  // namespace swarm
