#include "api/yaml_fields.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "api/quantity.h"
#include "base/strings.h"

namespace swarm::api {
namespace {

// Tags yaml-cpp gives scalars: "?" for plain ones, "!" for quoted ones.
constexpr char kPlainTag[] = "?";
constexpr char kIntTag[] = "tag:yaml.org,2002:int";
constexpr char kFloatTag[] = "tag:yaml.org,2002:float";

// How much of a scalar an error message quotes.
constexpr size_t kMaxQuoted = 60;

std::string FormatPos(const std::string& source, SourcePos pos) {
  if (pos.line <= 0) return source + ": ";
  return source + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
}

// Digits with an optional sign.
bool LooksLikeInteger(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  return std::all_of(s.begin() + i, s.end(), IsAsciiDigit);
}

// A decimal number as YAML and JSON write it: sign, digits, optional fraction
// and exponent. Rejects the hex, "inf" and "nan" forms that strtod would take.
bool LooksLikeNumber(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && IsAsciiDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsAsciiDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_start = i;
    while (i < s.size() && IsAsciiDigit(s[i])) ++i;
    if (i == exp_start) return false;
  }
  return i == s.size();
}

// Strings read here are kept as JSON (the store, the API), which holds
// only UTF-8: yaml-cpp passes any bytes through, and they would come back
// from the store changed.
Status CheckUtf8(const std::string& s) {
  const size_t bad = FindInvalidUtf8(s);
  if (bad == std::string::npos) return Status::Ok();
  return InvalidArgument("expected UTF-8 text, got a string whose byte " + std::to_string(bad + 1) +
                         " is not UTF-8");
}

bool IsNumericScalar(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return node.IsScalar() && (tag == kPlainTag || tag == kIntTag || tag == kFloatTag);
}

}  // namespace

SourcePos ToSourcePos(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string JoinPath(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string IndexPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string ParentPath(const std::string& path) {
  size_t cut = path.find_last_of(".[");
  if (cut == std::string::npos) return "";
  return path.substr(0, cut);
}

namespace {

// Keeps only where the last document started.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark start;
};

// yaml-cpp 0.7's LoadAll never returns from a stream where a document reads
// nothing, such as a stray ',' where a document should start ("," or
// "a: 1\n---\n,"): it adds a null document per turn until memory runs out
// (yaml-cpp issue 1040). A first pass that keeps nothing finds such a stream
// by a document starting where the one before it started, so that LoadAll,
// making the same turns, is only called on a stream that ends.
Status CheckDocumentsEnd(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  int last_start = -1;
  while (parser.HandleNextDocument(starts)) {
    if (starts.start.pos == last_start) {
      // The mark counts decoded characters: a UTF-16 stream has fewer than bytes.
      const size_t at = std::min(static_cast<size_t>(std::max(0, last_start)), text.size());
      return InvalidArgument(FormatPos(source, ToSourcePos(starts.start)) + "unexpected " +
                             Quote(text.substr(at, 1)) + " where a document should start");
    }
    last_start = starts.start.pos;
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<YAML::Node>> LoadYamlDocuments(std::string_view text,
                                                  const std::string& source) {
  try {
    const std::string stream(text);
    if (Status st = CheckDocumentsEnd(stream, source); !st.ok()) return st;
    return YAML::LoadAll(stream);
  } catch (const YAML::ParserException& e) {
    return InvalidArgument(FormatPos(source, ToSourcePos(e.mark)) + e.msg);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(FormatPos(source, ToSourcePos(e.mark)) + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgument(source + ": cannot read YAML: " + e.what());
  }
}

void YamlDiagnostics::Record(const std::string& path, SourcePos pos) {
  if (pos.line <= 0) return;
  positions_.emplace(path, pos);
}

SourcePos YamlDiagnostics::Locate(const std::string& path) const {
  std::string p = path;
  while (true) {
    auto it = positions_.find(p);
    if (it != positions_.end()) return it->second;
    if (p.empty()) return {};
    p = ParentPath(p);
  }
}

void YamlDiagnostics::Add(SourcePos pos, const std::string& path, const std::string& message) {
  errors_.push_back({pos, path, message});
  error_paths_.insert(path);
}

bool YamlDiagnostics::HasErrorAtOrAbove(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (error_paths_.count(p)) return true;
    if (p.empty()) return false;
    p = ParentPath(p);
  }
}

std::string YamlDiagnostics::Message() const {
  std::vector<const Error*> sorted;
  for (const auto& e : errors_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Error* a, const Error* b) {
    if (a->pos.line != b->pos.line) return a->pos.line < b->pos.line;
    return a->pos.column < b->pos.column;
  });
  std::string out;
  for (const Error* e : sorted) {
    if (!out.empty()) out += "\n";
    out += FormatPos(source_, e->pos);
    if (!e->path.empty()) out += e->path + ": ";
    out += e->message;
  }
  return out;
}

Status YamlDiagnostics::ToStatus() const {
  if (ok()) return Status::Ok();
  return InvalidArgument(Message());
}

std::string DescribeYamlNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  if (node.Tag() == "!") return "the quoted string " + Quote(node.Scalar(), kMaxQuoted);
  return Quote(node.Scalar(), kMaxQuoted);
}

bool ReadYamlString(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                    std::string& out) {
  if (!node.IsDefined() || node.IsNull()) return false;
  if (!node.IsScalar()) {
    diag.AddAt(path, "expected a string, got " + DescribeYamlNode(node));
    return false;
  }
  if (Status st = CheckUtf8(node.Scalar()); !st.ok()) {
    diag.AddAt(path, st.message());
    return false;
  }
  out = node.Scalar();
  return true;
}

bool ReadYamlInt64(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                   int64_t& out) {
  if (!node.IsDefined() || node.IsNull()) return false;
  if (!IsNumericScalar(node) || !LooksLikeInteger(node.Scalar())) {
    diag.AddAt(path, "expected an integer, got " + DescribeYamlNode(node));
    return false;
  }
  errno = 0;
  long long v = std::strtoll(node.Scalar().c_str(), nullptr, 10);
  if (errno == ERANGE) {
    diag.AddAt(path, "integer " + node.Scalar() + " is out of range");
    return false;
  }
  out = v;
  return true;
}

bool ReadYamlDouble(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                    double& out) {
  if (!node.IsDefined() || node.IsNull()) return false;
  if (!IsNumericScalar(node) || !LooksLikeNumber(node.Scalar())) {
    diag.AddAt(path, "expected a number, got " + DescribeYamlNode(node));
    return false;
  }
  double v = std::strtod(node.Scalar().c_str(), nullptr);
  if (!std::isfinite(v)) {
    diag.AddAt(path, "number " + node.Scalar() + " is out of range");
    return false;
  }
  out = v;
  return true;
}

YamlMap::YamlMap(YamlDiagnostics& diag, const YAML::Node& node, std::string path,
                 std::vector<std::string> allowed, std::vector<std::string> ignored)
    : diag_(&diag), path_(std::move(path)) {
  if (!node.IsDefined() || node.IsNull()) return;
  diag_->Record(path_, ToSourcePos(node.Mark()));
  if (!node.IsMap()) {
    is_map_ = false;
    diag_->AddAt(path_, "expected a mapping, got " + DescribeYamlNode(node));
    return;
  }
  auto listed = [](const std::vector<std::string>& keys, const std::string& k) {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  };
  std::map<std::string, SourcePos> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> yields a temporary
    SourcePos key_pos = ToSourcePos(key.Mark());
    if (!key.IsScalar()) {
      diag_->Add(key_pos, path_, "field names must be strings, got " + DescribeYamlNode(key));
      continue;
    }
    const std::string name = key.Scalar();
    std::string field_path = FieldPath(name);
    auto [first, inserted] = seen.emplace(name, key_pos);
    if (!inserted) {
      diag_->Add(key_pos, field_path,
                 "duplicate field \"" + name + "\" (first at line " +
                     std::to_string(first->second.line) + ")");
      continue;
    }
    if (listed(ignored, name)) continue;
    if (!listed(allowed, name)) {
      std::string names;
      for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
      diag_->Add(key_pos, field_path, "unknown field \"" + name + "\"; allowed fields: " + names);
      continue;
    }
    diag_->Record(field_path, key_pos);
    fields_.push_back({name, it->second});
  }
}

const YamlMap::Field* YamlMap::Find(std::string_view key) const {
  for (const auto& f : fields_) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

bool YamlMap::Has(std::string_view key) const {
  const Field* f = Find(key);
  return f != nullptr && !f->value.IsNull();
}

YAML::Node YamlMap::Get(std::string_view key) const {
  const Field* f = Find(key);
  return f == nullptr ? YAML::Node(YAML::NodeType::Undefined) : f->value;
}

bool YamlMap::ReadString(std::string_view key, std::string& out) {
  return ReadYamlString(*diag_, Get(key), FieldPath(key), out);
}

bool YamlMap::ReadInt64(std::string_view key, int64_t& out) {
  return ReadYamlInt64(*diag_, Get(key), FieldPath(key), out);
}

bool YamlMap::ReadInt(std::string_view key, int& out) {
  int64_t v = 0;
  if (!ReadInt64(key, v)) return false;
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    diag_->AddAt(FieldPath(key), "integer " + std::to_string(v) + " is out of range");
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

bool YamlMap::ReadDouble(std::string_view key, double& out) {
  return ReadYamlDouble(*diag_, Get(key), FieldPath(key), out);
}

bool YamlMap::ReadBool(std::string_view key, bool& out) {
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return false;
  std::string text = node.IsScalar() ? node.Scalar() : "";
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!node.IsScalar() || node.Tag() == "!" || (text != "true" && text != "false")) {
    diag_->AddAt(FieldPath(key), "expected true or false, got " + DescribeYamlNode(node));
    return false;
  }
  out = text == "true";
  return true;
}

bool YamlMap::ReadDuration(std::string_view key, Duration& out) {
  std::string text;
  if (!ReadString(key, text)) return false;
  Result<Duration> d = ParseDuration(text);
  if (!d.ok()) {
    diag_->AddAt(FieldPath(key), d.status().message());
    return false;
  }
  out = *d;
  return true;
}

bool YamlMap::ReadStringList(std::string_view key, std::vector<std::string>& out) {
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return false;
  std::string path = FieldPath(key);
  if (!node.IsSequence()) {
    diag_->AddAt(path, "expected a sequence of strings, got " + DescribeYamlNode(node));
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  size_t i = 0;
  for (const YAML::Node& item : node) {
    std::string item_path = IndexPath(path, i++);
    std::string value;
    // A null entry has no position of its own; it is reported at the list.
    if (!item.IsNull()) {
      diag_->Record(item_path, ToSourcePos(item.Mark()));
      if (!ReadYamlString(*diag_, item, item_path, value)) ok = false;
    }
    values.push_back(value);
  }
  out = std::move(values);
  return ok;
}

bool YamlMap::ReadStringMap(std::string_view key, std::map<std::string, std::string>& out) {
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return false;
  std::string path = FieldPath(key);
  if (!node.IsMap()) {
    diag_->AddAt(path, "expected a mapping of strings, got " + DescribeYamlNode(node));
    return false;
  }
  std::map<std::string, std::string> values;
  std::map<std::string, SourcePos> seen;
  bool ok = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    SourcePos key_pos = ToSourcePos(it->first.Mark());
    if (!it->first.IsScalar()) {
      diag_->Add(key_pos, path, "keys must be strings, got " + DescribeYamlNode(it->first));
      ok = false;
      continue;
    }
    const std::string name = it->first.Scalar();
    if (Status st = CheckUtf8(name); !st.ok()) {
      diag_->Add(key_pos, path, "keys must be UTF-8 text: " + st.message());
      ok = false;
      continue;
    }
    std::string entry_path = JoinPath(path, name);
    auto [first, inserted] = seen.emplace(name, key_pos);
    if (!inserted) {
      diag_->Add(key_pos, entry_path,
                 "duplicate key \"" + name + "\" (first at line " +
                     std::to_string(first->second.line) + ")");
      ok = false;
      continue;
    }
    diag_->Record(entry_path, key_pos);
    std::string value;
    if (!it->second.IsNull() && !ReadYamlString(*diag_, it->second, entry_path, value)) {
      ok = false;
      continue;
    }
    values[name] = value;
  }
  out = std::move(values);
  return ok;
}

YamlMap YamlMap::ReadMap(std::string_view key, std::vector<std::string> allowed,
                         std::vector<std::string> ignored) {
  return YamlMap(*diag_, Get(key), FieldPath(key), std::move(allowed), std::move(ignored));
}

std::vector<YamlItem> YamlMap::ReadSequence(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return {};
  std::string path = FieldPath(key);
  if (!node.IsSequence()) {
    diag_->AddAt(path, "expected a sequence, got " + DescribeYamlNode(node));
    return {};
  }
  std::vector<YamlItem> items;
  for (const YAML::Node& entry : node) {
    YamlItem item{entry, IndexPath(path, items.size())};
    if (!item.node.IsNull()) diag_->Record(item.path, ToSourcePos(item.node.Mark()));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace swarm::api
