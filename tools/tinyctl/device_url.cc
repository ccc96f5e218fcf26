#include "device_url.h"

#include <charconv>

#include "tool_io.h"

namespace tinyctl {

namespace {

[[noreturn]] void Refuse(std::string_view url, const std::string& why) {
  throw UsageError("--device " + std::string(url) + ": " + why);
}

}  // namespace

DeviceUrl ParseDeviceUrl(std::string_view url) {
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    Refuse(url, "expected udp://HOST:PORT, e.g. udp://127.0.0.1:5683");
  }
  const std::string_view scheme = url.substr(0, colon);
  if (scheme == "serial" || scheme == "tcp") {
    Refuse(url, std::string(scheme) + ": transport not supported yet (only udp://HOST:PORT)");
  }
  if (scheme != "udp") Refuse(url, "unknown scheme '" + std::string(scheme) + "' (use udp://)");
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") Refuse(url, "expected udp://HOST:PORT");
  rest.remove_prefix(2);

  DeviceUrl out;
  out.text = std::string(url);
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) Refuse(url, "IPv6 address without a closing ']'");
    out.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') Refuse(url, "unexpected text after the address");
      port_text = rest.substr(1);
      if (port_text.empty()) Refuse(url, "empty port");
    }
  } else {
    const size_t port_colon = rest.find(':');
    out.host = std::string(rest.substr(0, port_colon));
    if (port_colon != std::string_view::npos) {
      port_text = rest.substr(port_colon + 1);
      if (port_text.empty()) Refuse(url, "empty port");
    }
  }
  if (out.host.empty()) Refuse(url, "missing host");
  if (out.host.find_first_of("/?#@ ") != std::string::npos) {
    Refuse(url, "the host may not contain '/', '?', '#', '@' or spaces");
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      Refuse(url, "port must be a number 1..65535, got '" + std::string(port_text) + "'");
    }
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

}  // namespace tinyctl
