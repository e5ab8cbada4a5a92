#include "tests/integration/browser.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace swarm::testing {
namespace {

using nlohmann::json;

// A port nobody listens on now, for chromedriver (which takes no port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

// WebDriver sends screenshots in base64 (RFC 4648, with padding).
std::string Base64Decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned bits = 0;
  int have = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;  // padding, line breaks
    bits = (bits << 6) | static_cast<unsigned>(v);
    have += 6;
    if (have >= 8) {
      have -= 8;
      out += static_cast<char>((bits >> have) & 0xFF);
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<Browser> Browser::Start(std::string* why) {
  std::unique_ptr<Browser> b(new Browser());
  const int port = FreePort();
  // Chromium runs in chromedriver's process group. Should the test die, the
  // shell gets SIGTERM and kills that whole group, browser included.
  b->driver_ = Process::Start({"/bin/sh", "-c",
                               "trap 'kill -KILL 0' TERM; /usr/bin/chromedriver --port=" +
                                   std::to_string(port) + " & wait"},
                              b->dir_.File("chromedriver.log"), SIGTERM);
  auto client = HttpClient::Create("http://127.0.0.1:" + std::to_string(port), "");
  if (!b->driver_ || !client.ok()) {
    *why = "cannot start /usr/bin/chromedriver (Debian's chromium-driver)";
    return nullptr;
  }
  b->client_ = std::move(*client);
  if (!WaitFor([&] {
        auto r = b->client_->Get("/status");
        return r.ok() && r->status == 200;
      })) {
    *why = "chromedriver did not answer: " + ReadFile(b->dir_.File("chromedriver.log"));
    return nullptr;
  }
  const json caps = {
      {"capabilities",
       {{"alwaysMatch",
         {{"browserName", "chrome"},
          {"acceptInsecureCerts", true},
          {"goog:chromeOptions",
           {{"binary", "/usr/bin/chromium"},
            {"args",
             {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1000", "--ignore-certificate-errors",
              "--user-data-dir=" + b->dir_.File("profile")}}}}}}}}};
  const json session = b->Call("POST", "/session", caps, why);
  if (!session.is_object() || !session.contains("sessionId")) {
    if (why->empty()) *why = "no browser session: " + session.dump();
    return nullptr;
  }
  b->session_ = session["sessionId"];
  return b;
}

Browser::~Browser() {
  // Ends the browser with its session: killing the driver alone would leave it.
  if (!session_.empty()) client_->Delete("/session/" + session_);
}

json Browser::Call(const std::string& method, const std::string& path, const json& body,
                   std::string* why) {
  auto r = method == "GET" ? client_->Get(path) : client_->Post(path, body.dump());
  if (!r.ok()) {
    if (why) *why = r.status().ToString();
    return nullptr;
  }
  json reply = json::parse(r->body, nullptr, false);
  if (r->status != 200 || reply.is_discarded()) {
    if (why) *why = method + " " + path + ": " + std::to_string(r->status) + " " + r->body;
    return nullptr;
  }
  return reply["value"];
}

bool Browser::Navigate(const std::string& url) {
  std::string why;
  Call("POST", "/session/" + session_ + "/url", {{"url", url}}, &why);
  return why.empty();
}

bool Browser::Resize(int width, int height) {
  std::string why;
  Call("POST", "/session/" + session_ + "/window/rect", {{"width", width}, {"height", height}},
       &why);
  return why.empty();
}

json Browser::Run(const std::string& script) {
  return Call("POST", "/session/" + session_ + "/execute/sync",
              {{"script", script}, {"args", json::array()}});
}

std::string Browser::Screenshot() {
  const json png = Call("GET", "/session/" + session_ + "/screenshot", nullptr);
  return png.is_string() ? Base64Decode(png.get<std::string>()) : "";
}

}  // namespace swarm::testing
