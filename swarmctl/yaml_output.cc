#include "swarmctl/yaml_output.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace swarm::ctl {
namespace {

void Emit(YAML::Emitter& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      if (j.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key;
        if (ResolvesAsNonString(k)) out << YAML::DoubleQuoted;
        out << k << YAML::Value;
        Emit(out, v);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      if (j.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& v : j) Emit(out, v);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (ResolvesAsNonString(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case Json::value_t::boolean:
      out << j.get<bool>();
      break;
    case Json::value_t::null:
    case Json::value_t::discarded:
      out << YAML::Null;
      break;
    default:
      // Numbers keep JSON's shortest round-trip spelling ("3.2", not
      // "3.2000000000000002"); written plain, YAML reads them as numbers.
      out << j.dump();
      break;
  }
}

}  // namespace

bool ResolvesAsNonString(const std::string& s) {
  static const std::regex kNull(R"(^(~|null|Null|NULL)?$)");
  static const std::regex kBool(
      R"(^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$)");
  static const std::regex kInt(
      R"(^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|[1-9][0-9_]*(:[0-5]?[0-9])+)$)");
  static const std::regex kFloat(
      R"(^([-+]?([0-9][0-9_]*)?\.[0-9._]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$)");
  static const std::regex kTimestamp(R"(^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$)");
  return std::regex_match(s, kNull) || std::regex_match(s, kBool) || std::regex_match(s, kInt) ||
         std::regex_match(s, kFloat) || std::regex_match(s, kTimestamp);
}

std::string JsonToYaml(const Json& j) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  Emit(out, j);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace swarm::ctl
