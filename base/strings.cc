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

size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    // The length the lead byte announces, and the range its first
    // continuation byte must fall in (RFC 3629, section 4).
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) low = 0xA0;   // overlong
      if (b == 0xED) high = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) low = 0x90;   // overlong
      if (b == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > s.size() || byte(i + 1) < low || byte(i + 1) > high) return i;
    for (size_t k = i + 2; k < i + length; ++k) {
      if (byte(k) < 0x80 || byte(k) > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string Quote(std::string_view s, size_t max_bytes) {
  return "\"" + Truncate(s, max_bytes) + "\"";
}

}  // namespace swarm
