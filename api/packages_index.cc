#include "api/packages_index.h"

#include <algorithm>

namespace swarm::api {
namespace {

// Portage splits at the first ':' and drops the one character after it
// (always the space it writes).
std::pair<std::string, std::string> SplitField(std::string_view line) {
  const size_t colon = line.find(':');
  std::string_view value = line.substr(colon + 1);
  if (!value.empty()) value.remove_prefix(1);
  return {std::string(line.substr(0, colon)), std::string(value)};
}

std::string Shown(std::string_view line) {
  constexpr size_t kShown = 80;
  std::string out(line.substr(0, kShown));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return "\"" + out + (line.size() > kShown ? "...\"" : "\"");
}

}  // namespace

const std::string* IndexBlock::Find(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return &v;
  }
  return nullptr;
}

void IndexBlock::Set(const std::string& key, std::string value) {
  for (auto& [k, v] : fields) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  fields.emplace_back(key, std::move(value));
}

bool IndexBlock::Erase(std::string_view key) {
  auto it =
      std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key; });
  if (it == fields.end()) return false;
  fields.erase(it);
  return true;
}

bool IsIndexKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<IndexBlock> ParseIndexEntry(std::string_view text) {
  if (text.size() > kMaxIndexEntryBytes) {
    return InvalidArgument("index entry of " + std::to_string(text.size()) +
                           " bytes is over the limit of " + std::to_string(kMaxIndexEntryBytes));
  }
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.empty()) return InvalidArgument("index entry is empty");
  IndexBlock block;
  size_t number = 0;
  while (true) {
    ++number;
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    const std::string where = "index entry line " + std::to_string(number);
    if (line.empty()) return InvalidArgument(where + " is blank: an entry is one block");
    if (line.find('\0') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return InvalidArgument(where + " holds a NUL or CR: " + Shown(line));
    }
    if (line.find(':') == std::string_view::npos) {
      return InvalidArgument(where + " is not \"KEY: value\": " + Shown(line));
    }
    auto [key, value] = SplitField(line);
    if (!IsIndexKey(key)) {
      return InvalidArgument(where + " has a key that is not 1-64 of [A-Za-z0-9_]: " + Shown(line));
    }
    block.Set(key, std::move(value));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  const std::string* cpv = block.Find("CPV");
  if (cpv == nullptr || cpv->empty()) return InvalidArgument("index entry has no CPV");
  return block;
}

std::string FormatIndexBlock(const IndexBlock& block) {
  std::string out;
  for (const auto& [k, v] : block.fields) {
    if (v.empty()) continue;
    out += k;
    out += ": ";
    out += v;
    out += '\n';
  }
  return out;
}

bool IndexReader::ReadLine(std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* buf = in_->rdbuf();
  if (buf == nullptr) return false;
  bool any = false;
  for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line->size() < kMaxIndexEntryBytes) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
  }
  return any;
}

bool IndexReader::ReadBlock(IndexBlock* block, bool* overlong) {
  block->fields.clear();
  *overlong = false;
  size_t bytes = 0;
  std::string line;
  bool too_long = false;
  bool any = false;
  while (ReadLine(&line, &too_long)) {
    any = true;
    if (!too_long && line.empty()) break;
    if (too_long) {
      *overlong = true;
      continue;
    }
    if (line.find(':') == std::string::npos) continue;  // portage skips it too
    bytes += line.size() + 1;
    if (bytes > kMaxIndexEntryBytes) {
      *overlong = true;
      continue;
    }
    auto [key, value] = SplitField(line);
    block->Set(key, std::move(value));
  }
  return any;
}

bool IndexReader::ReadHeader(IndexBlock* header) {
  bool overlong = false;
  return ReadBlock(header, &overlong);
}

bool IndexReader::NextPackage(IndexBlock* block, bool* overlong) {
  if (!ReadBlock(block, overlong)) return false;
  // Portage stops at the first block without a field; an overlong block
  // had some, it only could not keep them.
  return !block->empty() || *overlong;
}

}  // namespace swarm::api
