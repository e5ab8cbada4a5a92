#include "swarmctl/unified_diff.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace swarm::ctl {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// One line of the edit script: ' ' kept, '-' only in a, '+' only in b.
struct Edit {
  char op;
  size_t a;  // index in a (for ' ' and '-'), else where in a it stands
  size_t b;  // index in b (for ' ' and '+'), else where in b it stands
};

// The longest common subsequence's edit script.
std::vector<Edit> Script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t n = a.size(), m = b.size();
  // lcs[i][j]: the LCS length of a[i..] and b[j..].
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> out;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({' ', i++, j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removals first, as diff prints them.
      out.push_back({'-', i++, j});
    } else {
      out.push_back({'+', i, j++});
    }
  }
  return out;
}

// "l,n" of a hunk's range as diff prints it: an empty range names the line
// before it.
std::string Range(size_t start, size_t count) {
  if (count == 0) return std::to_string(start) + ",0";
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(const std::string& a_text, const std::string& b_text,
                        const std::string& a_name, const std::string& b_name, int context) {
  const std::vector<std::string> a = Lines(a_text), b = Lines(b_text);
  const std::vector<Edit> script = Script(a, b);
  std::string out;
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t k = 0;
  while (k < script.size()) {
    // The next change, and its hunk: back `ctx` kept lines, then on until
    // more than 2 * ctx kept lines follow the last change.
    while (k < script.size() && script[k].op == ' ') ++k;
    if (k == script.size()) break;
    const size_t begin = k >= ctx ? k - ctx : 0;
    size_t end = k;
    size_t kept = 0;
    for (size_t x = k; x < script.size(); ++x) {
      if (script[x].op == ' ') {
        if (++kept > 2 * ctx) break;
      } else {
        kept = 0;
        end = x + 1;
      }
    }
    end = std::min(script.size(), end + ctx);
    size_t a_count = 0, b_count = 0;
    for (size_t x = begin; x < end; ++x) {
      a_count += script[x].op != '+';
      b_count += script[x].op != '-';
    }
    if (out.empty()) out = "--- " + a_name + "\n+++ " + b_name + "\n";
    out +=
        "@@ -" + Range(script[begin].a, a_count) + " +" + Range(script[begin].b, b_count) + " @@\n";
    for (size_t x = begin; x < end; ++x) {
      const Edit& e = script[x];
      out += e.op;
      out += e.op == '+' ? b[e.b] : a[e.a];
      out += '\n';
    }
    k = end;
  }
  return out;
}

}  // namespace swarm::ctl
