// Where the device is: `udp://HOST:PORT` (the native device, tinycontainerd). Serial lines and
// TCP are part of the address syntax the operator will use later; this build refuses them
// clearly instead of treating them as typos.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tinyctl {

inline constexpr std::string_view kDefaultDeviceUrl = "udp://127.0.0.1:5683";

struct DeviceUrl {
  std::string host;  // a name or an IPv4/IPv6 literal (without the brackets of "[::1]")
  uint16_t port = 5683;
  std::string text;  // as given, for messages

  bool operator==(const DeviceUrl&) const = default;
};

// Throws UsageError naming the problem: a scheme other than udp (serial:, tcp: "not supported
// yet"), a missing host, a port outside 1..65535 or trailing characters. The port defaults to
// 5683 (RFC 7252's default) when omitted.
DeviceUrl ParseDeviceUrl(std::string_view url);

}  // namespace tinyctl
