#pragma once

// Typed reading of JSON objects this program exchanges with itself (store
// rows, heartbeats, action results): a missing or null field keeps its
// default, a field of the wrong type is an error naming its path, unknown
// fields are ignored so newer peers can talk to older ones.

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/limits.h"
#include "base/clock.h"
#include "base/status.h"
#include "base/strings.h"

namespace swarm::api {

inline std::string JoinJsonPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Reads typed fields of one JSON object. A missing or null field keeps its
// default; a field of the wrong type is an error naming it. Unknown fields are
// ignored so that newer peers can talk to older ones.
class JsonFields {
  using json = nlohmann::json;

 public:
  JsonFields(const json& j, std::string path, std::vector<std::string>& errors)
      : path_(std::move(path)), errors_(&errors) {
    if (j.is_object()) {
      object_ = &j;
    } else if (!j.is_null()) {
      Error(path_, "expected an object", j);
    }
  }

  // The field's value, or nullptr when absent or null.
  const json* Get(const std::string& key) const {
    if (object_ == nullptr) return nullptr;
    auto it = object_->find(key);
    if (it == object_->end() || it->is_null()) return nullptr;
    return &*it;
  }
  // The field's value, or a null that outlives any reader built on it (for
  // nested JsonFields, which keep a pointer to their object).
  const json& Child(const std::string& key) const {
    static const json kNull;
    const json* v = Get(key);
    return v ? *v : kNull;
  }
  std::string PathOf(const std::string& key) const { return JoinJsonPath(path_, key); }

  void String(const std::string& key, std::string& out) {
    const json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_string()) return Error(PathOf(key), "expected a string", *v);
    out = v->get<std::string>();
  }

  // What a drone sends (api/limits.h). A name, id, version or revision:
  // refused over kMaxTokenBytes, since cut it would name something else.
  void Token(const std::string& key, std::string& out) {
    String(key, out);
    if (out.size() > kMaxTokenBytes) TooLong(PathOf(key), out.size(), kMaxTokenBytes);
  }
  // Text for a person: cut to `max_bytes`, keeping its start.
  void Text(const std::string& key, std::string& out, size_t max_bytes) {
    String(key, out);
    out = CutUtf8(out, max_bytes);
  }
  // The last lines of some output: cut to `max_bytes`, keeping its end.
  void Tail(const std::string& key, std::string& out, size_t max_bytes) {
    String(key, out);
    out = CutUtf8Tail(out, max_bytes);
  }
  // A list of tokens, refused past `max_items` entries.
  void TokenList(const std::string& key, std::vector<std::string>& out, size_t max_items) {
    StringList(key, out);
    if (out.size() > max_items) return TooMany(PathOf(key), out.size(), max_items);
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].size() > kMaxTokenBytes) {
        TooLong(PathOf(key) + "[" + std::to_string(i) + "]", out[i].size(), kMaxTokenBytes);
      }
    }
  }
  // The errors for a list of `n` entries, or a value of `n` bytes, over `max`.
  void TooMany(const std::string& path, size_t n, size_t max) const {
    errors_->push_back(path + ": " + std::to_string(n) + " entries, over the limit of " +
                       std::to_string(max));
  }
  void TooLong(const std::string& path, size_t n, size_t max) const {
    errors_->push_back(path + ": " + std::to_string(n) + " bytes, over the limit of " +
                       std::to_string(max));
  }

  void Int64(const std::string& key, int64_t& out) {
    const json* v = Get(key);
    if (v == nullptr) return;
    if (v->is_number_unsigned() &&
        v->get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
      return Error(PathOf(key), "integer out of range", *v);
    }
    if (!v->is_number_integer()) return Error(PathOf(key), "expected an integer", *v);
    out = v->get<int64_t>();
  }

  void Int(const std::string& key, int& out) {
    int64_t v = out;
    Int64(key, v);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      return Error(PathOf(key), "integer out of range", *Get(key));
    }
    out = static_cast<int>(v);
  }

  void Bool(const std::string& key, bool& out) {
    const json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) return Error(PathOf(key), "expected a boolean", *v);
    out = v->get<bool>();
  }

  void Double(const std::string& key, double& out) {
    const json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_number()) return Error(PathOf(key), "expected a number", *v);
    out = v->get<double>();
  }

  void Time(const std::string& key, WallTime& out) {
    std::optional<WallTime> t;
    OptionalTime(key, t);
    if (t) out = *t;
  }

  void OptionalTime(const std::string& key, std::optional<WallTime>& out) {
    std::string text;
    if (Get(key) == nullptr) return;
    String(key, text);
    if (!Get(key)->is_string()) return;
    Result<WallTime> t = ParseTime(text);
    if (!t.ok()) return errors_->push_back(PathOf(key) + ": " + t.status().message());
    out = *t;
  }

  void StringList(const std::string& key, std::vector<std::string>& out) {
    const json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_array()) return Error(PathOf(key), "expected an array of strings", *v);
    std::vector<std::string> values;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& item = (*v)[i];
      if (!item.is_string()) {
        return Error(PathOf(key) + "[" + std::to_string(i) + "]", "expected a string", item);
      }
      values.push_back(item.get<std::string>());
    }
    out = std::move(values);
  }

 private:
  void Error(const std::string& path, const std::string& expected, const json& got) {
    errors_->push_back((path.empty() ? "" : path + ": ") + expected + ", got " +
                       std::string(got.type_name()));
  }

  std::string path_;
  std::vector<std::string>* errors_;
  const json* object_ = nullptr;
};

inline Status ErrorsToStatus(const std::string& what, const std::vector<std::string>& errors) {
  std::string message = "invalid " + what + ":";
  for (const auto& e : errors) message += "\n" + e;
  return InvalidArgument(message);
}

}  // namespace swarm::api
