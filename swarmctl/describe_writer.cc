#include "swarmctl/describe_writer.h"

#include <algorithm>
#include <sstream>

namespace swarm::ctl {
namespace {

constexpr size_t kIndent = 2;
constexpr size_t kValueGap = 2;

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  if (out.empty()) out.emplace_back();
  return out;
}

}  // namespace

void DescribeWriter::Field(int level, const std::string& key, const std::string& value) {
  entries_.push_back({level, key, SplitLines(value)});
}

void DescribeWriter::Lines(int level, const std::string& key,
                           const std::vector<std::string>& values, const std::string& empty) {
  entries_.push_back({level, key, values.empty() ? std::vector<std::string>{empty} : values});
}

void DescribeWriter::Heading(int level, const std::string& key) {
  entries_.push_back({level, key, {}});
}

void DescribeWriter::Rows(int level, const Table& table) {
  std::ostringstream text;
  table.Print(text, std::string((level + 1) * kIndent, ' '));
  entries_.push_back({level, "", SplitLines(text.str())});
}

void DescribeWriter::Print(std::ostream& out) const {
  // Values align within a run of consecutive fields of one level; a heading,
  // a table or a change of level ends the run, so one long key does not push
  // every value of the output to the right.
  auto is_field = [](const Entry& e) { return !e.key.empty() && !e.values.empty(); };
  size_t column = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (!is_field(e)) {
      if (e.key.empty()) {
        for (const auto& line : e.values) out << line << '\n';
      } else {
        out << std::string(e.level * kIndent, ' ') << e.key << ":\n";
      }
      continue;
    }
    if (i == 0 || !is_field(entries_[i - 1]) || entries_[i - 1].level != e.level) {
      column = 0;
      for (size_t j = i;
           j < entries_.size() && is_field(entries_[j]) && entries_[j].level == e.level; ++j) {
        const Entry& f = entries_[j];
        column = std::max(column, f.level * kIndent + f.key.size() + 1 + kValueGap);
      }
    }
    for (size_t k = 0; k < e.values.size(); ++k) {
      std::string line = k == 0 ? std::string(e.level * kIndent, ' ') + e.key + ":" : "";
      line.resize(column, ' ');
      line += e.values[k];
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << '\n';
    }
  }
}

}  // namespace swarm::ctl
