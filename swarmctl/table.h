#pragma once

// Column output as kubectl prints it: an upper-case header, every column
// left-aligned and separated by three spaces, the last one not padded.

#include <ostream>
#include <string>
#include <vector>

namespace swarm::ctl {

// Thread safety: a value type, used from one thread.
class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // Rows shorter than the header are padded with empty cells; longer ones
  // are a bug.
  void AddRow(std::vector<std::string> row);
  bool empty() const { return rows_.empty(); }

  // Writes the header and the rows, each line prefixed by `indent`.
  void Print(std::ostream& out, const std::string& indent = "") const;
  // Writes the header and the rows with columns at least `*widths` wide,
  // and widens `*widths` to what it printed: a watch's later rows line up
  // under the first ones.
  void Print(std::ostream& out, std::vector<size_t>* widths) const;
  // The same without the header.
  void PrintRows(std::ostream& out, std::vector<size_t>* widths) const;

 private:
  // Widens `*widths` to the rows' cells (and the header's).
  void Measure(std::vector<size_t>* widths, bool header) const;

  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace swarm::ctl
