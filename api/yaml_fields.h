#pragma once

// Strict reading of operator-written YAML, shared by every decoder of such
// files (the Swarm resource here, agent.yaml in the node agent). A typo in a
// file that drives a fleet must stop it with a precise message, never be
// silently dropped: unknown and duplicate keys, wrong types and malformed values
// are all reported, each with its source, line and column, and all of them at
// once so that one edit-apply round fixes everything.
//
// Typical use for a document type of its own:
//
//   YamlDiagnostics diag("agent.yaml");
//   auto docs = LoadYamlDocuments(text, "agent.yaml");
//   if (!docs.ok()) return docs.status();
//   YamlMap root(diag, docs->at(0), "", {"name", "controller", "hooks"});
//   root.ReadString("name", cfg.name);
//   YamlMap hooks = root.ReadMap("hooks", {"sync", "deploy"});
//   hooks.ReadString("sync", cfg.sync_hook);
//   if (cfg.name.empty()) diag.AddAt("name", "required");
//   return diag.ToStatus();

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace swarm::api {

// A 1-based position in a source; line 0 means unknown.
struct SourcePos {
  int line = 0;
  int column = 0;
};

// Converts yaml-cpp's 0-based mark; a null mark gives {0, 0}.
SourcePos ToSourcePos(const YAML::Mark& mark);

// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string JoinPath(const std::string& parent, std::string_view key);
// "a.b" + 2 -> "a.b[2]".
std::string IndexPath(const std::string& parent, size_t index);
// The enclosing path: "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "". "" has none.
std::string ParentPath(const std::string& path);

// Parses every document of a YAML (or JSON) stream, empty documents included
// as null nodes. A syntax error is InvalidArgument
// "<source>:<line>:<column>: <what the parser expected>".
Result<std::vector<YAML::Node>> LoadYamlDocuments(std::string_view text, const std::string& source);

// The errors found in one source and where each field path was seen, so that
// semantic checks made later on plain structs (which know only paths) can be
// reported at the right line. Thread safety: none; one per decode.
class YamlDiagnostics {
 public:
  explicit YamlDiagnostics(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }

  // Starts the next document of a stream: paths recorded so far are forgotten
  // (each document has its own "spec"), errors are kept.
  void BeginDocument() {
    positions_.clear();
    error_paths_.clear();
  }

  // Records where `path` appears; the first record of a path wins.
  void Record(const std::string& path, SourcePos pos);
  // Where `path` was recorded, else where its nearest recorded ancestor was
  // (a missing field is reported at the mapping that lacks it); {0, 0} if none.
  SourcePos Locate(const std::string& path) const;

  // Adds an error; an empty path is the document itself.
  void Add(SourcePos pos, const std::string& path, const std::string& message);
  // Adds an error located with Locate(path).
  void AddAt(const std::string& path, const std::string& message) {
    Add(Locate(path), path, message);
  }
  // True when an error of this document was added at `path` or at one of its
  // ancestors: a check of a field whose value could not be read would only
  // repeat that error. Costs the path's depth, not the number of errors.
  bool HasErrorAtOrAbove(const std::string& path) const;

  bool ok() const { return errors_.empty(); }
  size_t error_count() const { return errors_.size(); }
  // One line per error, "<source>:<line>:<column>: <path>: <message>", in
  // document order (by position; errors at one position in the order added).
  std::string Message() const;
  // Ok when no error was added, else InvalidArgument(Message()).
  Status ToStatus() const;

 private:
  struct Error {
    SourcePos pos;
    std::string path;
    std::string message;
  };
  std::string source_;
  std::map<std::string, SourcePos> positions_;
  std::vector<Error> errors_;
  std::set<std::string> error_paths_;  // of this document's errors
};

// A node inside a sequence, with its field path ("spec.drones[1]").
struct YamlItem {
  YAML::Node node;
  std::string path;
};

// A strict view of one mapping. Construction reports a node that is not a
// mapping, unknown keys (naming the allowed ones), duplicate keys and non-string
// keys, and records the position of every key. The Read* methods then read one
// field each:
// - an absent or null field leaves `out` unchanged and returns false;
// - a wrong type or malformed value is reported at the field, leaves `out`
//   unchanged (or partly filled for lists and maps) and returns false;
// - otherwise `out` is set and they return true.
// A scalar read as a string is its text as written ("1.10" stays "1.10"),
// and must be UTF-8 (as must the keys of a string map), since what is read
// is kept as JSON; numbers must be plain scalars ("5", not "\"5\"").
// Thread safety: none; it writes to the YamlDiagnostics it was given, which
// must outlive it.
class YamlMap {
 public:
  // An absent or null `node` reads as an empty mapping. Keys in `ignored` are
  // accepted and not read (e.g. server-owned fields a client echoes back).
  YamlMap(YamlDiagnostics& diag, const YAML::Node& node, std::string path,
          std::vector<std::string> allowed, std::vector<std::string> ignored = {});

  const std::string& path() const { return path_; }
  // Where errors go; for reading entries of this mapping's sequences.
  YamlDiagnostics& diagnostics() const { return *diag_; }
  // False when the node was present but not a mapping (already reported).
  bool is_map() const { return is_map_; }
  // JoinPath(path(), key).
  std::string FieldPath(std::string_view key) const { return JoinPath(path_, key); }
  // True when the field is present and not null.
  bool Has(std::string_view key) const;
  // The field's value; an undefined node when absent.
  YAML::Node Get(std::string_view key) const;

  bool ReadString(std::string_view key, std::string& out);
  bool ReadInt(std::string_view key, int& out);
  bool ReadInt64(std::string_view key, int64_t& out);
  bool ReadDouble(std::string_view key, double& out);
  // true or false (any case).
  bool ReadBool(std::string_view key, bool& out);
  // A duration as ParseDuration reads it ("5s", "1h30m").
  bool ReadDuration(std::string_view key, Duration& out);
  // A sequence of scalars; a null entry reads as "".
  bool ReadStringList(std::string_view key, std::vector<std::string>& out);
  // A mapping of scalars; a null value reads as "". Each entry's path is
  // "<field path>.<key>".
  bool ReadStringMap(std::string_view key, std::map<std::string, std::string>& out);
  // A nested mapping, strict in the same way.
  YamlMap ReadMap(std::string_view key, std::vector<std::string> allowed,
                  std::vector<std::string> ignored = {});
  // The entries of a sequence, each with its path recorded; empty when absent,
  // null or not a sequence (reported).
  std::vector<YamlItem> ReadSequence(std::string_view key);

 private:
  struct Field {
    std::string key;
    YAML::Node value;
  };
  const Field* Find(std::string_view key) const;

  YamlDiagnostics* diag_;
  std::string path_;
  bool is_map_ = true;
  std::vector<Field> fields_;
};

// Value readers for a node already known to be at `path`, for entries of a
// sequence and for the YamlMap methods above; same contract as those.
bool ReadYamlString(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                    std::string& out);
bool ReadYamlInt64(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                   int64_t& out);
bool ReadYamlDouble(YamlDiagnostics& diag, const YAML::Node& node, const std::string& path,
                    double& out);

// "a mapping", "a sequence", "null", "the string \"x\"": how errors name what
// they found.
std::string DescribeYamlNode(const YAML::Node& node);

}  // namespace swarm::api
