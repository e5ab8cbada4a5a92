#include "node-agent/emerge_pretend.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/cpv.h"

// The formats below are portage's (lib/_emerge/resolver/output.py): a merge
// line is "[<type> <attrs>] <indent><cpv>[:slot][::repo] [old] USE=... size",
// where <indent> is one space per --tree level; a non-merge line is
// "[<operation padded to 13><mask column>] <indent><cpv> ..."; a blocker is
// "[blocks B      ] <indent><atom> (...)".

namespace swarm::agent {
namespace {

enum class LineKind {
  kBuild,      // [ebuild ...]: compiled from source, a queue entry
  kNomerge,    // [nomerge ...]: shown only to place its children in the tree
  kStructure,  // [binary], [blocks], [uninstall]: in the tree, never built here
};

struct TreeLine {
  LineKind kind;
  std::string name;  // cat/pkg-ver; empty for blockers
  size_t depth = 0;
};

// Lines that emerge prints only when the resolution failed. emerge exits
// non-zero then, but a merge list printed above them is not a usable queue,
// so they are refused even if the exit code was lost on the way.
constexpr std::string_view kFatalMarkers[] = {
    "!!! Multiple package instances within a single package slot",
    "emerge: there are no ebuilds to satisfy",
    "emerge: there are no ebuilds built with USE flags to satisfy",
    "!!! All ebuilds that could satisfy",
    "!!! Problem resolving dependencies",
    "* Error: circular dependencies",
    "* Error: The above package list contains packages which cannot be",
};

std::string StripAnsi(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\x1b' && i + 1 < in.size() && in[i + 1] == '[') {
      i += 2;
      while (i < in.size() && !std::isalpha(static_cast<unsigned char>(in[i]))) ++i;
      continue;
    }
    if (in[i] != '\r') out.push_back(in[i]);
  }
  return out;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '_' || c == '.' ||
         c == '-';
}

// cat/pkg-ver: one slash, and a '-' followed by a digit in the package part
// (versions always start with one; package names never end in "-<digit>").
bool IsPackageVersion(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == 0 || slash == std::string_view::npos || s.find('/', slash + 1) != s.npos) {
    return false;
  }
  if (!std::all_of(s.begin(), s.begin() + slash, IsNameChar)) return false;
  const std::string_view pkg = s.substr(slash + 1);
  if (pkg.empty() || !std::all_of(pkg.begin(), pkg.end(), IsNameChar)) return false;
  for (size_t i = 1; i + 1 < pkg.size(); ++i) {
    if (pkg[i] == '-' && std::isdigit(static_cast<unsigned char>(pkg[i + 1]))) return true;
  }
  return false;
}

// "[ebuild  N     ]  dev-libs/openssl-3.3.3:0/3::gentoo [3.3.2:0/3::gentoo] ..."
std::optional<TreeLine> ReadBracketLine(std::string_view line) {
  const size_t close = line.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view inside = line.substr(1, close - 1);
  const std::string_view type = inside.substr(0, inside.find(' '));

  TreeLine t;
  if (type == "ebuild") {
    t.kind = LineKind::kBuild;
  } else if (type == "nomerge") {
    t.kind = LineKind::kNomerge;
  } else if (type == "binary" || type == "blocks" || type == "uninstall") {
    t.kind = LineKind::kStructure;
  } else {
    return std::nullopt;
  }

  std::string_view rest = line.substr(close + 1);
  const size_t spaces = std::min(rest.find_first_not_of(' '), rest.size());
  // portage writes "] " and then one more space per --tree level.
  t.depth = spaces > 0 ? spaces - 1 : 0;
  rest.remove_prefix(spaces);
  std::string_view token = rest.substr(0, rest.find(' '));
  if (token.empty()) return std::nullopt;
  if (type == "blocks") return t;  // an atom, not a package: tree structure only

  token = token.substr(0, token.find("::"));
  token = token.substr(0, token.find(':'));
  if (!IsPackageVersion(token)) return std::nullopt;
  t.name = std::string(token);
  // A build is a queue entry, and the controller refuses a whole discovery
  // for one that is not a PMS cat/pkg-ver: refused here, the error names the
  // line. (A binary's name may end in its build id, "nmap-7.95-1".)
  if (t.kind == LineKind::kBuild && !api::ParseCpv(t.name).ok()) return std::nullopt;
  return t;
}

// What the text around the merge list says about it.
struct Framing {
  bool merge_header = false;   // "These are the packages that would be merged..."
  bool reverse_order = false;  // "... in reverse order:" (--tree)
  bool in_order = false;       // "... in order:"
  bool calculated = false;     // "Calculating dependencies... done!"
  std::optional<long> total;   // "Total: N packages ..." (--verbose only)
  bool nothing_to_merge = false;
};

void ReadFraming(std::string_view line, Framing& f) {
  if (line.starts_with("These are the packages that would be ")) {
    f.merge_header = true;
    if (line.find("in reverse order") != line.npos) {
      f.reverse_order = true;
    } else if (line.find("in order") != line.npos) {
      f.in_order = true;
    }
  } else if (line.starts_with("Calculating dependencies") && line.find("done!") != line.npos) {
    f.calculated = true;
  } else if (line.starts_with("Total: ")) {
    f.total = std::strtol(std::string(line.substr(7)).c_str(), nullptr, 10);
  } else if (line.starts_with("Nothing to merge")) {
    f.nothing_to_merge = true;
  }
}

// Emits every package after its dependencies, keeping emerge's merge order
// where the edges allow. An edge that would close a cycle is dropped: emerge
// has already broken such cycles in its own order, and a cyclic queue would
// never dispatch. A depth-first walk with a stack of its own, not the call
// stack: a chain of dependencies is as long as the output makes it.
class MergeOrder {
 public:
  MergeOrder(const std::vector<std::string>& order,
             const std::map<std::string, std::set<std::string>>& deps)
      : order_(order), deps_(deps) {
    for (size_t i = 0; i < order_.size(); ++i) rank_[order_[i]] = i;
  }

  std::vector<api::DiscoveredPackage> Run() {
    for (const std::string& name : order_) Visit(name);
    return std::move(out_);
  }

 private:
  // A package being walked: its dependencies in merge order, the next one to
  // look at, and those kept as its edges so far.
  struct Frame {
    std::string name;
    std::vector<std::string> deps;
    size_t next = 0;
    std::vector<std::string> kept;
  };

  void Push(const std::string& name) {
    Frame f{name, {}, 0, {}};
    if (auto it = deps_.find(name); it != deps_.end()) {
      f.deps.assign(it->second.begin(), it->second.end());
      std::sort(f.deps.begin(), f.deps.end(),
                [&](const std::string& a, const std::string& b) { return rank_[a] < rank_[b]; });
    }
    on_path_.insert(name);
    stack_.push_back(std::move(f));
  }

  void Visit(const std::string& root) {
    if (done_.count(root) || on_path_.count(root)) return;
    Push(root);
    while (!stack_.empty()) {
      Frame& f = stack_.back();
      if (f.next < f.deps.size()) {
        const std::string d = f.deps[f.next++];
        if (on_path_.count(d)) continue;  // closes a cycle
        f.kept.push_back(d);
        if (!done_.count(d)) Push(d);  // invalidates f
        continue;
      }
      on_path_.erase(f.name);
      done_.insert(f.name);
      out_.push_back({std::move(f.name), std::move(f.kept)});
      stack_.pop_back();
    }
  }

  const std::vector<std::string>& order_;
  const std::map<std::string, std::set<std::string>>& deps_;
  std::map<std::string, size_t> rank_;
  std::set<std::string> done_, on_path_;
  std::vector<Frame> stack_;
  std::vector<api::DiscoveredPackage> out_;
};

}  // namespace

Result<std::vector<api::DiscoveredPackage>> ParseEmergePretend(std::string_view output) {
  std::vector<TreeLine> lines;
  Framing framing;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    const std::string line = StripAnsi(output.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;

    for (std::string_view marker : kFatalMarkers) {
      if (line.find(marker) != std::string::npos) {
        return InvalidArgument("emerge could not resolve the targets (line " +
                               std::to_string(line_no) + ": " + line + ")");
      }
    }
    if (line.starts_with("[")) {
      std::optional<TreeLine> t = ReadBracketLine(line);
      if (!t) {
        return InvalidArgument("cannot read emerge output line " + std::to_string(line_no) + ": " +
                               line);
      }
      lines.push_back(std::move(*t));
      continue;
    }
    ReadFraming(line, framing);
  }

  std::set<std::string> builds;
  std::set<std::string> merges;  // builds and binaries: what emerge's Total counts
  bool nested = false;
  for (const TreeLine& t : lines) {
    if (t.kind == LineKind::kBuild) builds.insert(t.name);
    if (t.kind == LineKind::kBuild || (t.kind == LineKind::kStructure && !t.name.empty())) {
      merges.insert(t.name);
    }
    nested = nested || t.depth > 0;
  }
  // Without --verbose emerge prints no Total line, so an empty queue shows only
  // as the header and a finished dependency calculation.
  const bool framed = framing.total.has_value() || framing.nothing_to_merge ||
                      (framing.merge_header && framing.calculated);
  if (lines.empty() && !framed) return InvalidArgument("no merge list in emerge output");
  // The capture keeps the tail of long output, so a list whose head was cut
  // still ends in a Total line: fewer merge lines than it counts means lost ones.
  if (framing.total && *framing.total > static_cast<long>(merges.size())) {
    return InvalidArgument("emerge output lists " + std::to_string(merges.size()) +
                           " packages to merge but its Total line says " +
                           std::to_string(*framing.total));
  }

  // Each line hangs under the nearest line above it that is less indented.
  // The owner of a line is the build it stands for: itself for a build (or a
  // nomerge line naming a package that is built elsewhere in the list), else
  // its parent's owner, so children of context-only lines go to the nearest
  // build above them. A nomerge line naming a binary placed above it stands
  // for that binary where it was placed: portage hoists a package merged
  // from a binary to a top-level nomerge line over a dependency that had no
  // other place in the tree ("[nomerge] net-libs/libnet-0.9-1" over an
  // "[ebuild U] dev-libs/libutil-1.3"), and whatever needs the binary needs
  // that dependency.
  std::map<std::string, std::set<std::string>> deps;
  std::map<std::string, std::optional<std::string>> binary_owner;  // first placement
  struct Open {
    size_t depth;
    std::optional<std::string> owner;
  };
  std::vector<Open> stack;
  for (const TreeLine& t : lines) {
    while (!stack.empty() && stack.back().depth >= t.depth) stack.pop_back();
    std::optional<std::string> parent = stack.empty() ? std::nullopt : stack.back().owner;
    const bool stands_for_build =
        t.kind == LineKind::kBuild || (t.kind == LineKind::kNomerge && builds.count(t.name));
    std::optional<std::string> owner = parent;
    if (stands_for_build) {
      owner = t.name;
      deps[t.name];
      if (parent && *parent != t.name) deps[*parent].insert(t.name);
    } else if (t.kind == LineKind::kStructure && !t.name.empty()) {
      binary_owner.emplace(t.name, parent);
    } else if (t.kind == LineKind::kNomerge) {
      if (auto placed = binary_owner.find(t.name); placed != binary_owner.end() && !parent) {
        owner = placed->second;
      }
    }
    stack.push_back({t.depth, std::move(owner)});
  }

  // --tree prints dependents above their dependencies, i.e. merge order
  // reversed; a plain list is already in merge order.
  const bool reversed = framing.reverse_order || (!framing.in_order && nested);
  std::vector<std::string> order;
  std::set<std::string> seen;
  auto note = [&](const TreeLine& t) {
    if (t.kind == LineKind::kBuild && seen.insert(t.name).second) order.push_back(t.name);
  };
  if (reversed) {
    std::for_each(lines.rbegin(), lines.rend(), note);
  } else {
    std::for_each(lines.begin(), lines.end(), note);
  }
  return MergeOrder(order, deps).Run();
}

}  // namespace swarm::agent
