// Portage's `Packages` index (api/packages_index.h) on any text, both ways the
// product reads it: as a whole file, block by block (a drone's PKGDIR, the
// binhost's own), and as one package's entry (a build result's indexEntry,
// which crossed the network). An entry that parses is written back by the
// controller into the binhost's index, and must read back the same.

#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "api/packages_index.h"
#include "fuzz/check.h"

namespace {

// Keys unique, as the header promises.
void CheckBlock(const swarm::api::IndexBlock& block) {
  std::set<std::string> keys;
  for (const auto& [key, value] : block.fields) {
    FUZZ_CHECK(keys.insert(key).second, "key " + key + " twice in one block");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swarm::api;
  const std::string text(reinterpret_cast<const char*>(data), size);

  std::istringstream in(text);
  IndexReader reader(in);
  IndexBlock block;
  if (reader.ReadHeader(&block)) {
    CheckBlock(block);
    bool overlong = false;
    while (reader.NextPackage(&block, &overlong)) CheckBlock(block);
  }

  auto entry = ParseIndexEntry(text);
  if (!entry.ok()) return 0;
  CheckBlock(*entry);
  const std::string written = FormatIndexBlock(*entry);
  auto again = ParseIndexEntry(written);
  FUZZ_CHECK(again.ok(), "a written entry does not parse: " + again.status().ToString());
  IndexBlock kept;  // FormatIndexBlock leaves out empty values, as portage does
  for (const auto& [key, value] : entry->fields) {
    if (!value.empty()) kept.fields.emplace_back(key, value);
  }
  FUZZ_CHECK(again->fields == kept.fields, "a written entry reads back otherwise: " + written);
  return 0;
}
