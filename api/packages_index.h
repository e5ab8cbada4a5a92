#pragma once

// Portage's binary package index, the `Packages` file at the root of a PKGDIR
// or a binhost (portage's lib/portage/getbinpkg.py PackageIndex, written by
// lib/portage/dbapi/bintree.py): blocks of "KEY: value" lines separated by
// one blank line. The first block is the header (VERSION, TIMESTAMP,
// PACKAGES, ...); every later block is one package instance (CPV, PATH,
// BUILD_ID, SIZE, MTIME, MD5, SHA1, SLOT, USE, EAPI, RDEPEND, REPO, ...).
// Portage reads the body until a block with no "KEY: value" line, skips
// lines without a ':' and blocks without CPV, and lets a later duplicate key
// win; omitted keys take defaults (SLOT and EAPI "0", others empty), and
// CHOST and REPO, when absent from a package, are inherited from the header.
// The agent reads its PKGDIR's index with this and the controller writes the
// binhost's.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/limits.h"
#include "base/status.h"

namespace swarm::api {

// The keys a package inherits from the header when it has none of its own
// (bintree.py `_pkgindex_inherited_keys`, "repository" written as REPO).
inline constexpr const char* kIndexInheritedKeys[] = {"CHOST", "REPO"};

// One block of a Packages file: its fields in file order, keys unique (a
// later duplicate replaced the earlier value in place, as portage's dict does).
struct IndexBlock {
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of `key`; nullptr when absent.
  const std::string* Find(std::string_view key) const;
  // Replaces the value of `key`, or appends the field when absent.
  void Set(const std::string& key, std::string value);
  // Removes `key`; false when it was absent.
  bool Erase(std::string_view key);
  bool empty() const { return fields.empty(); }
};

// Whether `key` may name a field: 1-64 of [A-Za-z0-9_].
bool IsIndexKey(std::string_view key);

// Parses the text of one package entry (as a BuildResult's indexEntry
// carries it): "KEY: value" lines, an optional trailing newline. Stricter
// than portage, since the text crossed the network: InvalidArgument, naming
// the line, for a blank line inside it, a line without ':', a bad key, a NUL
// or CR, more than kMaxIndexEntryBytes, or no CPV.
Result<IndexBlock> ParseIndexEntry(std::string_view text);

// "KEY: value\n" for every field with a non-empty value, in order (portage
// writes no empty values). No blank line: the caller separates blocks.
std::string FormatIndexBlock(const IndexBlock& block);

// Reads a Packages file one block at a time, as portage does, without holding
// more than one block: lines over kMaxIndexEntryBytes are dropped (and mark
// the block `overlong`), lines without ':' are skipped.
// Thread safety: one thread at a time.
class IndexReader {
 public:
  // `in` is not owned and must outlive the reader.
  explicit IndexReader(std::istream& in) : in_(&in) {}

  // The header block (empty when the file starts with a blank line); call
  // first, once. False at the end of the input.
  bool ReadHeader(IndexBlock* header);
  // The next package block; false when the body ends (end of input, or a
  // block without fields, where portage stops reading). `*overlong` is set
  // when a line of the block was too long to keep, or the block itself
  // exceeded kMaxIndexEntryBytes.
  bool NextPackage(IndexBlock* block, bool* overlong);

 private:
  // One block (lines up to a blank line or the end); false when nothing at
  // all was left to read.
  bool ReadBlock(IndexBlock* block, bool* overlong);
  // One line without its '\n'; false at the end of the input. A line longer
  // than kMaxIndexEntryBytes is consumed whole but returned truncated with
  // `*too_long` set.
  bool ReadLine(std::string* line, bool* too_long);

  std::istream* in_;
};

}  // namespace swarm::api
