#include "api/cpv.h"

#include <cctype>

#include "base/strings.h"

namespace swarm::api {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '_' || c == '-';
}

bool ConsumeDigits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsAsciiDigit(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

}  // namespace

bool IsVersion(std::string_view v) {
  if (!ConsumeDigits(v)) return false;
  while (v.starts_with(".")) {
    v.remove_prefix(1);
    if (!ConsumeDigits(v)) return false;
  }
  if (!v.empty() && v[0] >= 'a' && v[0] <= 'z') v.remove_prefix(1);
  while (v.starts_with("_")) {
    v.remove_prefix(1);
    bool known = false;
    // "pre" before "p", which is its prefix.
    for (std::string_view suffix : {"alpha", "beta", "pre", "rc", "p"}) {
      if (v.starts_with(suffix)) {
        v.remove_prefix(suffix.size());
        known = true;
        break;
      }
    }
    if (!known) return false;
    ConsumeDigits(v);
  }
  if (v.starts_with("-r")) {
    v.remove_prefix(2);
    if (!ConsumeDigits(v)) return false;
  }
  return v.empty();
}

bool IsCategory(std::string_view s) {
  if (s.empty() || s[0] == '-' || s[0] == '.' || s[0] == '+') return false;
  for (char c : s) {
    if (!IsNameChar(c) && c != '.') return false;
  }
  return true;
}

// A PN never ends in "-<version>": that is what makes the split of a cpv unambiguous.
bool IsPackageName(std::string_view s) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsNameChar(s[i])) return false;
    if (s[i] == '-' && IsVersion(s.substr(i + 1))) return false;
  }
  return true;
}

Result<Cpv> ParseCpv(const std::string& cpv) {
  const size_t slash = cpv.find('/');
  if (slash == std::string::npos || cpv.find('/', slash + 1) != std::string::npos) {
    return InvalidArgument("not a cat/pkg-ver: '" + cpv + "'");
  }
  const std::string category = cpv.substr(0, slash);
  const std::string pf = cpv.substr(slash + 1);
  if (!IsCategory(category)) return InvalidArgument("bad category in '" + cpv + "'");
  for (size_t dash = pf.find('-'); dash != std::string::npos; dash = pf.find('-', dash + 1)) {
    const std::string pn = pf.substr(0, dash);
    if (IsVersion(std::string_view(pf).substr(dash + 1)) && IsPackageName(pn)) {
      return Cpv{category, pn, pf};
    }
  }
  return InvalidArgument("no valid package name and version in '" + cpv + "'");
}

std::string PackageKey(const std::string& atom) {
  std::string s = atom.substr(std::min(atom.size(), atom.find_first_not_of("<>=~!")));
  s = s.substr(0, s.find(':'));
  size_t slash = s.find('/');
  if (slash == std::string::npos) return s;
  for (size_t dash = s.find('-', slash); dash != std::string::npos; dash = s.find('-', dash + 1)) {
    // A package name never ends in "-<version>": the first such '-' starts it.
    if (IsVersion(std::string_view(s).substr(dash + 1))) return s.substr(0, dash);
  }
  return s;
}

}  // namespace swarm::api
