#pragma once

// Text laid out as `kubectl describe` does: "Key:" labels indented two spaces
// per level, the values of consecutive fields of a level starting in one column, and
// tables under a heading.

#include <ostream>
#include <string>
#include <vector>

#include "swarmctl/table.h"

namespace swarm::ctl {

// Thread safety: a value type, used from one thread.
class DescribeWriter {
 public:
  // "Key:" and its value. A value with several lines continues under itself.
  void Field(int level, const std::string& key, const std::string& value);
  // "Key:" and one value per line; `empty` when there are none.
  void Lines(int level, const std::string& key, const std::vector<std::string>& values,
             const std::string& empty = "<none>");
  // "Key:" alone: the heading of the fields or table that follow.
  void Heading(int level, const std::string& key);
  // A table under a Heading, indented one level deeper than `level`.
  void Rows(int level, const Table& table);

  void Print(std::ostream& out) const;

 private:
  struct Entry {
    int level = 0;
    std::string key;                  // empty for pre-rendered text
    std::vector<std::string> values;  // for a key; or the text's lines
  };
  std::vector<Entry> entries_;
};

}  // namespace swarm::ctl
