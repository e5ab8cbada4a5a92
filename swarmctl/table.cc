#include "swarmctl/table.h"

#include <algorithm>
#include <cassert>

namespace swarm::ctl {
namespace {

constexpr size_t kColumnGap = 3;

// Width as a terminal shows it: UTF-8 continuation bytes take no column.
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

void PrintLine(std::ostream& out, const std::string& indent, const std::vector<std::string>& cells,
               const std::vector<size_t>& widths) {
  std::string line = indent;
  for (size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size()) line.append(widths[i] - DisplayWidth(cells[i]) + kColumnGap, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << '\n';
}

}  // namespace

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::AddRow(std::vector<std::string> row) {
  assert(row.size() <= header_.size() && "row wider than the table header");
  row.resize(header_.size());
  // A multi-line message would break the columns; it reads fine on one line.
  for (auto& cell : row) {
    std::replace_if(
        cell.begin(), cell.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  }
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out, const std::string& indent) const {
  std::vector<size_t> widths;
  Measure(&widths, true);
  PrintLine(out, indent, header_, widths);
  for (const auto& r : rows_) PrintLine(out, indent, r, widths);
}

void Table::Print(std::ostream& out, std::vector<size_t>* widths) const {
  Measure(widths, true);
  PrintLine(out, "", header_, *widths);
  for (const auto& r : rows_) PrintLine(out, "", r, *widths);
}

void Table::PrintRows(std::ostream& out, std::vector<size_t>* widths) const {
  Measure(widths, false);
  for (const auto& r : rows_) PrintLine(out, "", r, *widths);
}

void Table::Measure(std::vector<size_t>* widths, bool header) const {
  widths->resize(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      (*widths)[i] = std::max((*widths)[i], DisplayWidth(cells[i]));
    }
  };
  if (header) measure(header_);
  for (const auto& r : rows_) measure(r);
}

}  // namespace swarm::ctl
