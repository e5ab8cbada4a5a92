#include "api/cpv.h"

#include <cctype>

#include "base/strings.h"

namespace swarm::api {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '_' || c == '-';
}

// Portage's \w: the first character of most names.
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// PMS 3.1.3.
bool IsSlotName(std::string_view s) {
  return !s.empty() && IsWordChar(s[0]) &&
         AllOf(s, [](char c) { return IsWordChar(c) || c == '+' || c == '.' || c == '-'; });
}

// PMS 3.1.5, as portage reads it.
bool IsRepositoryName(std::string_view s) {
  return !s.empty() && IsWordChar(s[0]) && AllOf(s, [](char c) { return IsWordChar(c) || c == '-'; });
}

// PMS 3.1.4.
bool IsUseFlagName(std::string_view s) {
  return !s.empty() && std::isalnum(static_cast<unsigned char>(s[0])) &&
         AllOf(s, [](char c) { return IsWordChar(c) || c == '+' || c == '@' || c == '-'; });
}

// "slot" or "slot/subslot". Slot operators (":=", ":*") mean something only in
// an ebuild's dependencies.
Status CheckSlot(std::string_view slot) {
  const size_t slash = slot.find('/');
  const bool ok = slash == std::string_view::npos
                      ? IsSlotName(slot)
                      : IsSlotName(slot.substr(0, slash)) && IsSlotName(slot.substr(slash + 1));
  if (ok) return Status::Ok();
  return InvalidArgument("slot " + Quote(slot) +
                         " is not a slot name: expected letters, digits and + _ . -, "
                         "optionally /subslot");
}

// The inside of "[...]": what a command line may ask of a package's USE
// flags. Conditional forms ("flag?", "flag=") need a parent package.
Status CheckUseDeps(std::string_view list) {
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    std::string_view dep = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
    std::string_view flag = dep;
    if (flag.starts_with("-")) flag.remove_prefix(1);
    if (flag.ends_with("(+)") || flag.ends_with("(-)")) flag.remove_suffix(3);
    if (!IsUseFlagName(flag)) {
      return InvalidArgument("use dependency " + Quote(dep) +
                             " is not flag or -flag (optionally followed by (+) or (-))");
    }
    if (comma == std::string_view::npos) return Status::Ok();
    start = comma + 1;
  }
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

Status CheckAtom(std::string_view atom) {
  std::string_view rest = atom;
  if (rest.ends_with("]")) {
    const size_t open = rest.find('[');
    if (open == std::string_view::npos) return InvalidArgument("']' without '['");
    if (Status s = CheckUseDeps(rest.substr(open + 1, rest.size() - open - 2)); !s.ok()) return s;
    rest = rest.substr(0, open);
  }
  if (const size_t repo = rest.find("::"); repo != std::string_view::npos) {
    if (!IsRepositoryName(rest.substr(repo + 2))) {
      return InvalidArgument("repository " + Quote(rest.substr(repo + 2)) +
                             " is not a repository name: expected letters, digits, _ and -");
    }
    rest = rest.substr(0, repo);
  }
  if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    if (Status s = CheckSlot(rest.substr(colon + 1)); !s.ok()) return s;
    rest = rest.substr(0, colon);
  }
  std::string_view op;
  for (std::string_view o : {">=", "<=", "=", "~", "<", ">"}) {
    if (rest.starts_with(o)) {
      op = o;
      break;
    }
  }
  rest.remove_prefix(op.size());
  if (rest.ends_with("*")) {
    if (op != "=") return InvalidArgument("'*' may end a version only after the operator '='");
    rest.remove_suffix(1);
  }
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos) {
    return InvalidArgument(
        "expected category/package (such as dev-lang/rust), optionally with an operator "
        "and version (>=dev-lang/rust-1.80), :slot, ::repository and [use]");
  }
  if (!op.empty()) {
    if (ParseCpv(std::string(rest)).ok()) return Status::Ok();
    return InvalidArgument("the operator " + std::string(op) +
                           " needs category/package-version, such as " + std::string(op) +
                           "dev-lang/rust-1.80");
  }
  if (!IsCategory(rest.substr(0, slash))) {
    return InvalidArgument("category " + Quote(rest.substr(0, slash)) +
                           " is not a category name: expected letters, digits and + _ . -, "
                           "not starting with - . or +");
  }
  if (ParseCpv(std::string(rest)).ok()) {
    return InvalidArgument("a version needs an operator, such as =" + std::string(rest));
  }
  if (!IsPackageName(rest.substr(slash + 1))) {
    return InvalidArgument("package " + Quote(rest.substr(slash + 1)) +
                           " is not a package name: expected letters, digits and + _ -, "
                           "not starting with - or +");
  }
  return Status::Ok();
}

Status CheckPackagePattern(std::string_view pattern) {
  std::string_view rest = pattern;
  if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    if (Status s = CheckSlot(rest.substr(colon + 1)); !s.ok()) return s;
    rest = rest.substr(0, colon);
  }
  auto starts_well = [](std::string_view part) {
    return !part.empty() && (IsWordChar(part[0]) || part[0] == '*');
  };
  const size_t slash = rest.find('/');
  std::string_view category = slash == std::string_view::npos ? "*" : rest.substr(0, slash);
  std::string_view package = slash == std::string_view::npos ? rest : rest.substr(slash + 1);
  const bool ok =
      starts_well(category) && starts_well(package) &&
      AllOf(category, [](char c) { return IsWordChar(c) || std::string_view("+.*-").find(c) != std::string_view::npos; }) &&
      AllOf(package, [](char c) { return IsWordChar(c) || std::string_view("+*-").find(c) != std::string_view::npos; });
  if (ok) return Status::Ok();
  return InvalidArgument(
      "expected [category/]package[:slot] with '*' matching any characters, such as "
      "sys-devel/* or dev-lang/rust:stable");
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
