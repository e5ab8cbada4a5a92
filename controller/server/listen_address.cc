#include "controller/server/listen_address.h"

#include <arpa/inet.h>

namespace swarm::controller {

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string ListenAddress::UrlHost() const {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return InvalidArgument("\"" + text + "\" is not HOST:PORT (e.g. 127.0.0.1:7800)");
  }
  ListenAddress a;
  a.host = text.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  } else if (a.host.find(':') != std::string::npos) {
    return InvalidArgument("\"" + text + "\": an IPv6 host goes in brackets ([::1]:7800)");
  }
  if (a.host.empty()) a.host = "0.0.0.0";
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("\"" + text + "\": port \"" + port + "\" is not a number");
  }
  a.port = std::stoi(port);
  if (a.port > 65535) {
    return InvalidArgument("\"" + text + "\": port " + port + " is out of range (0-65535)");
  }
  return a;
}

}  // namespace swarm::controller
