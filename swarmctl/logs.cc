#include "swarmctl/logs.h"

#include <string_view>

#include "api/cpv.h"
#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

using api::IsCategory;
using api::IsPackageName;
using api::IsVersion;

// NAME-VERSION: some '-' splits it into a valid name and a valid version.
bool IsNameVersion(std::string_view pf) {
  for (size_t dash = pf.find('-'); dash != std::string_view::npos; dash = pf.find('-', dash + 1)) {
    if (IsPackageName(pf.substr(0, dash)) && IsVersion(pf.substr(dash + 1))) return true;
  }
  return false;
}

constexpr char kExpected[] = "want CATEGORY/NAME-VERSION, e.g. dev-libs/openssl-3.3.3";

}  // namespace

Result<std::string> PackageVersionArg(const std::string& arg) {
  std::string_view s(arg);
  if (!s.empty() && s[0] == '=') s.remove_prefix(1);
  const size_t slash = s.find('/');
  std::string problem;
  if (s.empty()) {
    problem = "a package is required";
  } else if (slash == std::string_view::npos) {
    problem = "\"" + arg + "\" has no category";
  } else if (s.find('/', slash + 1) != std::string_view::npos) {
    problem = "\"" + arg + "\" has more than one '/'";
  } else if (!IsCategory(s.substr(0, slash))) {
    problem = "\"" + arg + "\" has no valid category";
  } else if (IsPackageName(s.substr(slash + 1))) {
    problem = "\"" + arg + "\" has no version";
  } else if (!IsNameVersion(s.substr(slash + 1))) {
    problem = "\"" + arg + "\" is not NAME-VERSION after the category";
  } else {
    return std::string(s);
  }
  return InvalidArgument(problem + ": " + kExpected);
}

int RunLogs(const std::string& arg, ApiTransport& api, std::ostream& out, std::ostream& err) {
  auto cpv = PackageVersionArg(arg);
  if (!cpv.ok()) return Fail(err, cpv.status(), kExitUsage);
  const size_t slash = cpv->find('/');
  const std::string path = std::string(kPackagesPath) + "/" +
                           EscapeComponent(cpv->substr(0, slash)) + "/" +
                           EscapeComponent(cpv->substr(slash + 1)) + "/log";
  auto log = GetText(api, path);
  if (!log.ok()) {
    if (log.status().code() == StatusCode::kNotFound) {
      return Fail(err, NotFound("no build log for " + *cpv + " yet"));
    }
    return Fail(err, log.status());
  }
  out << *log;
  out.flush();
  return kExitOk;
}

}  // namespace swarm::ctl
