#include "api/quantity.h"

#include <cstdlib>
#include <limits>
#include <string_view>

#include "base/strings.h"

namespace swarm::api {
namespace {

constexpr char kDurationForm[] =
    "expected whole numbers with units ms, s, m or h, such as \"500ms\", \"5s\", \"2m\", "
    "\"1h30m\"";
constexpr char kMemoryForm[] =
    "expected a whole positive number of bytes: an integer or decimal number followed by "
    "nothing, Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P or E, such as \"32Gi\" or \"512Mi\"";

Status BadDuration(const std::string& s, const std::string& why) {
  return InvalidArgument("invalid duration \"" + s + "\": " + why + "; " + kDurationForm);
}

Status BadMemory(const std::string& s, const std::string& why) {
  return InvalidArgument("invalid quantity \"" + s + "\": " + why + "; " + kMemoryForm);
}

// Milliseconds per unit, or 0 for an unknown unit.
int64_t DurationUnit(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 60 * 60 * 1000;
  return 0;
}

// Bytes per suffix, or 0 for an unknown suffix. Kubernetes spells kilo "k" and
// has no byte-sized fractions, so "K" and "m" are unknown here.
__int128 MemoryMultiplier(std::string_view suffix) {
  static constexpr struct {
    const char* suffix;
    int binary_shift;
    int decimal_exponent;
  } kSuffixes[] = {
      {"", 0, 0},    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0},
      {"Pi", 50, 0}, {"Ei", 60, 0}, {"k", 0, 3},   {"M", 0, 6},   {"G", 0, 9},
      {"T", 0, 12},  {"P", 0, 15},  {"E", 0, 18},
  };
  for (const auto& s : kSuffixes) {
    if (suffix != s.suffix) continue;
    __int128 m = __int128(1) << s.binary_shift;
    for (int i = 0; i < s.decimal_exponent; ++i) m *= 10;
    return m;
  }
  return 0;
}

}  // namespace

Result<Duration> ParseDuration(const std::string& s) {
  if (s.empty()) return BadDuration(s, "empty");
  if (s[0] == '-') return BadDuration(s, "negative durations are not allowed");
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t digits_start = i;
    int64_t n = 0;
    while (i < s.size() && IsAsciiDigit(s[i])) {
      if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, s[i] - '0', &n)) {
        return BadDuration(s, "too large");
      }
      ++i;
    }
    if (i == digits_start) {
      return BadDuration(s, "expected a number at \"" + s.substr(i) + "\"");
    }
    size_t unit_start = i;
    while (i < s.size() && !IsAsciiDigit(s[i])) ++i;
    std::string unit = s.substr(unit_start, i - unit_start);
    if (unit.empty()) return BadDuration(s, "missing unit after " + s.substr(digits_start));
    int64_t per_unit = DurationUnit(unit);
    if (per_unit == 0) return BadDuration(s, "unknown unit \"" + unit + "\"");
    int64_t ms = 0;
    if (__builtin_mul_overflow(n, per_unit, &ms) || __builtin_add_overflow(total, ms, &total)) {
      return BadDuration(s, "too large");
    }
  }
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  // Magnitude as unsigned so that the most negative value formats too; such
  // values never come from ParseDuration, which refuses negatives.
  uint64_t rest = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  if (ms < 0) out += "-";
  static constexpr struct {
    uint64_t ms;
    const char* unit;
  } kUnits[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& u : kUnits) {
    if (rest < u.ms) continue;
    out += std::to_string(rest / u.ms) + u.unit;
    rest %= u.ms;
  }
  return out;
}

Result<int64_t> ParseMemory(const std::string& s) {
  if (s.empty()) return BadMemory(s, "empty");
  if (s[0] == '-') return BadMemory(s, "must be positive");
  size_t i = 0;
  __int128 whole = 0;
  const __int128 kMax = std::numeric_limits<int64_t>::max();
  while (i < s.size() && IsAsciiDigit(s[i])) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > kMax) return BadMemory(s, "too large");
    ++i;
  }
  if (i == 0) return BadMemory(s, "expected a number at the start");
  // Fraction digits with trailing zeros dropped, as numerator over 10^places.
  __int128 fraction = 0;
  int places = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    std::string digits;
    while (i < s.size() && IsAsciiDigit(s[i])) digits += s[i++];
    if (i == start) return BadMemory(s, "expected digits after the decimal point");
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (digits.size() > 18) return BadMemory(s, "too many decimal places");
    for (char c : digits) fraction = fraction * 10 + (c - '0');
    places = static_cast<int>(digits.size());
  }
  std::string suffix = s.substr(i);
  __int128 multiplier = MemoryMultiplier(suffix);
  if (multiplier == 0) return BadMemory(s, "unknown suffix \"" + suffix + "\"");
  __int128 bytes = whole * multiplier;
  if (bytes > kMax) return BadMemory(s, "too large");
  __int128 scale = 1;
  for (int p = 0; p < places; ++p) scale *= 10;
  // fraction < scale <= 10^18 and multiplier <= 10^18, so this fits in 128 bits.
  __int128 fraction_bytes = fraction * multiplier;
  if (fraction_bytes % scale != 0) return BadMemory(s, "not a whole number of bytes");
  bytes += fraction_bytes / scale;
  if (bytes > kMax) return BadMemory(s, "too large");
  if (bytes == 0) return BadMemory(s, "must be positive");
  return static_cast<int64_t>(bytes);
}

std::string FormatMemory(int64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr struct {
    int shift;
    const char* suffix;
  } kUnits[] = {{60, "Ei"}, {50, "Pi"}, {40, "Ti"}, {30, "Gi"}, {20, "Mi"}, {10, "Ki"}};
  for (const auto& u : kUnits) {
    int64_t unit = int64_t(1) << u.shift;
    if (bytes % unit == 0) return std::to_string(bytes / unit) + u.suffix;
  }
  return std::to_string(bytes);
}

Result<double> ParseSpeed(const std::string& s) {
  char* end = nullptr;
  const double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= 0.01) || v > 1000) {
    return InvalidArgument("\"" + s + "\" is not a relative speed from 0.01 to 1000 (1 is the default)");
  }
  return v;
}

}  // namespace swarm::api
