#include "api/json_body.h"

#include <string>

namespace swarm::api {
namespace {

// Whether the brackets of `text` nest at most `max_depth` deep, counting
// only those outside strings. Malformed text is the parser's to refuse.
bool NestsWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, a quote included
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view text) {
  if (!NestsWithin(text, kMaxJsonDepth)) {
    return InvalidArgument("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("not valid JSON");
  return j;
}

}  // namespace swarm::api
