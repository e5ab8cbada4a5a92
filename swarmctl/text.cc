#include "swarmctl/text.h"

#include <cassert>

namespace swarm::ctl {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

bool StartsCharacter(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

std::string OneLine(const std::string& s) {
  std::string out;
  bool gap = false;
  for (char c : s) {
    if (IsSpace(c)) {
      gap = !out.empty();
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

std::string Abbreviate(const std::string& s, size_t max_chars) {
  assert(max_chars >= 4 && "no room for the ellipsis");
  std::string line = OneLine(s);
  size_t chars = 0;
  size_t keep = 0;  // bytes of the first max_chars - 3 characters
  for (size_t i = 0; i < line.size(); ++i) {
    if (!StartsCharacter(line[i])) continue;
    if (chars == max_chars - 3) keep = i;
    ++chars;
  }
  if (chars <= max_chars) return line;
  line.resize(keep);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "...";
}

}  // namespace swarm::ctl
