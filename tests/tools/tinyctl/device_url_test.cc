#include "device_url.h"

#include <gtest/gtest.h>

#include "tool_io.h"

namespace tinyctl {
namespace {

TEST(DeviceUrl, ParsesHostsPortsAndIpv6) {
  EXPECT_EQ(ParseDeviceUrl("udp://127.0.0.1:5683"),
            (DeviceUrl{"127.0.0.1", 5683, "udp://127.0.0.1:5683"}));
  EXPECT_EQ(ParseDeviceUrl("udp://localhost").port, 5683);
  const DeviceUrl v6 = ParseDeviceUrl("udp://[::1]:6000");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 6000);
}

TEST(DeviceUrl, RefusesWithTheReason) {
  auto refused = [](const std::string& url, const std::string& fragment) {
    try {
      ParseDeviceUrl(url);
      ADD_FAILURE() << url << " accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refused("serial:/dev/ttyACM0", "serial: transport not supported yet");
  refused("tcp://10.0.0.2:5683", "tcp: transport not supported yet");
  refused("http://x", "unknown scheme 'http'");
  refused("127.0.0.1:5683", "unknown scheme '127.0.0.1'");
  refused("udp:127.0.0.1", "expected udp://HOST:PORT");
  refused("udp://:5683", "missing host");
  refused("udp://host:0", "port must be a number 1..65535");
  refused("udp://host:70000", "port must be a number 1..65535");
  refused("udp://host:12x", "port must be a number");
  refused("udp://host:", "empty port");
  refused("udp://[::1", "closing ']'");
  refused("udp://a/b:1", "may not contain");
  refused("", "expected udp://HOST:PORT");
}

}  // namespace
}  // namespace tinyctl
