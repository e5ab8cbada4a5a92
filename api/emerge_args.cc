#include "api/emerge_args.h"

#include <algorithm>
#include <cctype>

#include "api/cpv.h"
#include "base/strings.h"

namespace swarm::api {
namespace {

// What an option takes after it, as emerge reads it (portage 3.0.82,
// lib/_emerge/main.py): an optional value is taken from the next word only
// when that word is a valid value (insert_optional_args); a required one is
// always the next word (argparse).
enum class Takes {
  kNothing,     // --update
  kMaybeYesNo,  // --usepkg, --usepkg=n, --usepkg n
  kYesNo,       // --with-bdeps=y, --with-bdeps y
  kMaybeCount,  // --deep, --deep=3, --deep 3, -D3
  kCount,       // --backtrack=30, --backtrack 30
  kMaybeLoad,   // --load-average, --load-average=4.5, -l4.5
  kPackage,     // --exclude=sys-devel/*, --exclude sys-devel/*
};

struct Option {
  std::string_view name;
  char letter;  // emerge's short form; 0 when it has none (or it is not allowed)
  Takes takes;
};

// The allowlist: options that change what emerge resolves (or only how much
// it says), never where it reads its configuration or installs (--root,
// --config-root, --sysroot, --prefix), nor make it sync, unmerge, fetch,
// prompt, write configuration (--autounmask-write) or the world file
// (--select), or skip the host's EMERGE_DEFAULT_OPTS (--ignore-default-opts).
constexpr Option kOptions[] = {
    {"--update", 'u', Takes::kNothing},
    {"--newuse", 'N', Takes::kNothing},
    {"--changed-use", 'U', Takes::kNothing},
    {"--emptytree", 'e', Takes::kNothing},
    {"--noreplace", 'n', Takes::kNothing},
    {"--oneshot", '1', Takes::kNothing},
    {"--onlydeps", 'o', Takes::kNothing},
    {"--nodeps", 'O', Takes::kNothing},
    {"--newrepo", 0, Takes::kNothing},
    {"--update-if-installed", 0, Takes::kNothing},
    {"--verbose-conflicts", 0, Takes::kNothing},
    {"--deep", 'D', Takes::kMaybeCount},
    {"--jobs", 'j', Takes::kMaybeCount},
    {"--load-average", 'l', Takes::kMaybeLoad},
    {"--backtrack", 0, Takes::kCount},
    {"--usepkg", 'k', Takes::kMaybeYesNo},
    {"--usepkgonly", 'K', Takes::kMaybeYesNo},
    {"--getbinpkg", 'g', Takes::kMaybeYesNo},
    {"--getbinpkgonly", 'G', Takes::kMaybeYesNo},
    {"--verbose", 'v', Takes::kMaybeYesNo},
    {"--autounmask", 0, Takes::kMaybeYesNo},
    {"--binpkg-changed-deps", 0, Takes::kMaybeYesNo},
    {"--binpkg-respect-use", 0, Takes::kMaybeYesNo},
    {"--changed-deps", 0, Takes::kMaybeYesNo},
    {"--changed-slot", 0, Takes::kMaybeYesNo},
    {"--complete-graph", 0, Takes::kMaybeYesNo},
    {"--ignore-world", 0, Takes::kMaybeYesNo},
    {"--keep-going", 0, Takes::kMaybeYesNo},
    {"--onlydeps-with-ideps", 0, Takes::kMaybeYesNo},
    {"--onlydeps-with-rdeps", 0, Takes::kMaybeYesNo},
    {"--quiet-build", 0, Takes::kMaybeYesNo},
    {"--rebuild-if-new-rev", 0, Takes::kMaybeYesNo},
    {"--rebuild-if-new-slot", 0, Takes::kMaybeYesNo},
    {"--rebuild-if-new-ver", 0, Takes::kMaybeYesNo},
    {"--rebuild-if-unbuilt", 0, Takes::kMaybeYesNo},
    {"--rebuilt-binaries", 0, Takes::kMaybeYesNo},
    {"--selective", 0, Takes::kMaybeYesNo},
    {"--use-ebuild-visibility", 0, Takes::kMaybeYesNo},
    {"--usepkg-exclude-live", 0, Takes::kMaybeYesNo},
    {"--with-test-deps", 0, Takes::kMaybeYesNo},
    {"--with-bdeps", 0, Takes::kYesNo},
    {"--with-bdeps-auto", 0, Takes::kYesNo},
    {"--complete-graph-if-new-use", 0, Takes::kYesNo},
    {"--complete-graph-if-new-ver", 0, Takes::kYesNo},
    {"--dynamic-deps", 0, Takes::kYesNo},
    {"--ignore-built-slot-operator-deps", 0, Takes::kYesNo},
    {"--ignore-soname-deps", 0, Takes::kYesNo},
    {"--exclude", 0, Takes::kPackage},
    {"--getbinpkg-exclude", 0, Takes::kPackage},
    {"--getbinpkg-include", 0, Takes::kPackage},
    {"--rebuild-exclude", 0, Takes::kPackage},
    {"--rebuild-ignore", 0, Takes::kPackage},
    {"--reinstall-atoms", 0, Takes::kPackage},
    {"--usepkg-exclude", 0, Takes::kPackage},
    {"--usepkg-include", 0, Takes::kPackage},
    {"--useoldpkg-atoms", 0, Takes::kPackage},
};

constexpr char kNotAllowed[] =
    " is not an option emergeArgs may pass: only emerge's dependency-resolution options are "
    "allowed (docs/swarm.md lists them)";

// Whole numbers as emerge's int() takes them, without signs, spaces or '_'.
constexpr size_t kMaxNumberDigits = 9;

const Option* FindLong(std::string_view name) {
  for (const Option& o : kOptions) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

const Option* FindLetter(char letter) {
  for (const Option& o : kOptions) {
    if (o.letter != 0 && o.letter == letter) return &o;
  }
  return nullptr;
}

bool IsCount(std::string_view v) {
  return !v.empty() && v.size() <= kMaxNumberDigits && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

bool IsLoad(std::string_view v) {
  const size_t dot = v.find('.');
  if (dot == std::string_view::npos) return IsCount(v);
  return IsCount(v.substr(0, dot)) && IsCount(v.substr(dot + 1));
}

bool TakesNumber(const Option& o) {
  return o.takes == Takes::kMaybeCount || o.takes == Takes::kMaybeLoad;
}

bool ValueRequired(const Option& o) {
  return o.takes == Takes::kYesNo || o.takes == Takes::kCount || o.takes == Takes::kPackage;
}

// Ok when `o` takes `value`.
Status CheckValue(const Option& o, std::string_view value) {
  const std::string name(o.name);
  switch (o.takes) {
    case Takes::kNothing:
      return InvalidArgument(name + " takes no value");
    case Takes::kMaybeYesNo:
    case Takes::kYesNo:
      if (value == "y" || value == "n") return Status::Ok();
      return InvalidArgument(name + " takes y or n, got " + Quote(value));
    case Takes::kMaybeCount:
    case Takes::kCount:
      if (IsCount(value)) return Status::Ok();
      return InvalidArgument(name + " takes a whole number, got " + Quote(value));
    case Takes::kMaybeLoad:
      if (IsLoad(value)) return Status::Ok();
      return InvalidArgument(name + " takes a number such as 4 or 4.5, got " + Quote(value));
    case Takes::kPackage:
      if (Status s = CheckPackagePattern(value); !s.ok()) {
        return InvalidArgument(name + " takes a package, got " + Quote(value) + ": " +
                               s.message());
      }
      return Status::Ok();
  }
  return InvalidArgument(name + " takes no value");
}

// An option written without "=value": true when emerge takes `next` as its
// value.
Result<bool> ValueAfter(const Option& o, const std::string* next) {
  if (o.takes == Takes::kNothing) return false;
  if (!ValueRequired(o)) return next != nullptr && CheckValue(o, *next).ok();
  if (next == nullptr) return InvalidArgument(std::string(o.name) + " needs a value after it");
  if (Status s = CheckValue(o, *next); !s.ok()) return s;
  return true;
}

Result<bool> CheckLong(std::string_view word, const std::string* next) {
  const size_t eq = word.find('=');
  const std::string_view name = word.substr(0, eq);
  const Option* o = FindLong(name);
  if (o == nullptr) return InvalidArgument(std::string(name) + kNotAllowed);
  if (eq == std::string_view::npos) return ValueAfter(*o, next);
  if (Status s = CheckValue(*o, word.substr(eq + 1)); !s.ok()) return s;
  return false;
}

// "-u", "-D3", "-uDN".
Result<bool> CheckShort(std::string_view word, const std::string* next) {
  const std::string_view letters = word.substr(1);
  const Option* first = FindLetter(letters[0]);
  if (first == nullptr) return InvalidArgument("-" + std::string(1, letters[0]) + kNotAllowed);
  if (letters.size() == 1) return ValueAfter(*first, next);
  // "-D3", "-j4", "-l4.5": the value joined to its letter.
  if (TakesNumber(*first) && CheckValue(*first, letters.substr(1)).ok()) return false;
  // A bundle of switches: emerge gives none of them a value
  // (insert_optional_args), except that it may glue a digit to -D, -j or -l.
  const bool digit = std::any_of(letters.begin(), letters.end(), IsAsciiDigit);
  const bool number_taker = std::any_of(letters.begin(), letters.end(), [](char c) {
    const Option* o = FindLetter(c);
    return o != nullptr && TakesNumber(*o);
  });
  if (digit && number_taker) {
    return InvalidArgument(
        "emerge may read a digit in it as the value of -D, -j or -l: write the options apart");
  }
  for (char c : letters) {
    if (FindLetter(c) == nullptr) return InvalidArgument("-" + std::string(1, c) + kNotAllowed);
  }
  return false;
}

// Checks one word of emergeArgs; true when emerge takes `next` as its value.
Result<bool> CheckWord(std::string_view word, const std::string* next) {
  if (word.starts_with("--")) return CheckLong(word, next);
  if (word.size() > 1 && word.starts_with("-")) return CheckShort(word, next);
  return InvalidArgument("not an option: packages and sets belong in spec.queue.targets");
}

bool IsSetName(std::string_view s) {
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_.+-").find(c) != std::string_view::npos;
  });
}

}  // namespace

std::vector<std::string> SplitEmergeArgs(std::string_view args) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  std::vector<std::string> words;
  size_t start = args.find_first_not_of(kSpace);
  while (start != std::string_view::npos) {
    const size_t end = args.find_first_of(kSpace, start);
    words.emplace_back(args.substr(start, end == std::string_view::npos ? end : end - start));
    start = args.find_first_not_of(kSpace, end);
  }
  return words;
}

Status CheckEmergeArgs(std::string_view args) {
  const std::vector<std::string> words = SplitEmergeArgs(args);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string* next = i + 1 < words.size() ? &words[i + 1] : nullptr;
    Result<bool> took_next = CheckWord(words[i], next);
    if (!took_next.ok()) {
      return InvalidArgument(Quote(words[i]) + ": " + took_next.status().message());
    }
    if (*took_next) ++i;
  }
  return Status::Ok();
}

Status CheckEmergeTarget(std::string_view target) {
  if (target.starts_with("-")) {
    return InvalidArgument(Quote(target) +
                           " must not start with '-': emerge would read it as an option");
  }
  if (target.starts_with("@")) {
    if (IsSetName(target.substr(1))) return Status::Ok();
    return InvalidArgument(Quote(target) +
                           " is not a set: expected @ and a name of letters, digits and _ . + -, "
                           "such as @world");
  }
  if (Status s = CheckAtom(target); !s.ok()) {
    return InvalidArgument(Quote(target) + " is not a package atom or set: " + s.message());
  }
  return Status::Ok();
}

}  // namespace swarm::api
