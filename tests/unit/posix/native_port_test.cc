// The native device's port pieces: engine clock and tick, UDP transport, console log, entropy,
// the crash hook's environment parsing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include "tc/net/coap/message_builder.h"
#include "tc/port/posix/console_log_sink.h"
#include "tc/port/posix/crash_hook.h"
#include "tc/port/posix/engine_port.h"
#include "tc/port/posix/signal_pipe.h"
#include "tc/port/posix/system_entropy.h"
#include "tc/port/posix/udp_transport.h"

namespace tc::port::posix {
namespace {

std::span<const uint8_t> Text(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool WaitFor(const std::function<bool()>& condition, int timeout_ms) {
  for (int i = 0; i < timeout_ms; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return condition();
}

TEST(PosixEnginePort, ClockIsMonotonicMicroseconds) {
  PosixEnginePort port;
  const uint64_t a = port.NowUs();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  const uint64_t b = port.NowUs();
  EXPECT_GE(b - a, 3000u);
  EXPECT_LT(b - a, 2000000u);
}

TEST(PosixEnginePort, TickArrivesAtTheRequestedTime) {
  PosixEnginePort port;
  std::atomic<uint64_t> fired_at{0};
  port.SetTick([&] { fired_at = port.NowUs(); });
  const uint64_t want = port.NowUs() + 5000;
  port.RequestWakeAt(want);
  ASSERT_TRUE(WaitFor([&] { return fired_at.load() != 0; }, 2000));
  EXPECT_GE(fired_at.load(), want);
  EXPECT_EQ(port.ticks(), 1u);
}

TEST(PosixEnginePort, LaterRequestReplacesAndNeverCancels) {
  PosixEnginePort port;
  std::atomic<int> ticks{0};
  port.SetTick([&] { ++ticks; });
  port.RequestWakeAt(port.NowUs() + 2000);
  port.RequestWakeAt(port.NowUs() + 4000);  // replaces the first: one tick only
  ASSERT_TRUE(WaitFor([&] { return ticks.load() == 1; }, 2000));
  port.RequestWakeAt(port.NowUs() + 3000);
  port.RequestWakeAt(engine::kNever);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ticks.load(), 1);
}

TEST(PosixEnginePort, PastTimeTicksAtOnce) {
  PosixEnginePort port;
  std::atomic<int> ticks{0};
  port.SetTick([&] { ++ticks; });
  port.RequestWakeAt(0);
  EXPECT_TRUE(WaitFor([&] { return ticks.load() == 1; }, 2000));
}

void GetStatus(void*, const coap::Request&, coap::Response& r) { (void)r.Append("ok"); }

class UdpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Register({"status", "", GetStatus}).ok());
    ASSERT_TRUE(transport_.Open("127.0.0.1", 0).ok());
    ASSERT_NE(transport_.port(), 0);
    client_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(client_, 0);
    timeval timeout{2, 0};
    ::setsockopt(client_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    to_.sin_family = AF_INET;
    to_.sin_port = htons(transport_.port());
    to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }
  void TearDown() override { ::close(client_); }

  void Send(std::span<const uint8_t> bytes) {
    ASSERT_EQ(::sendto(client_, bytes.data(), bytes.size(), 0,
                       reinterpret_cast<const sockaddr*>(&to_), sizeof to_),
              static_cast<ssize_t>(bytes.size()));
  }
  // Waits for the datagram, then serves it.
  size_t Serve() {
    const int fds[] = {transport_.fd()};
    bool ready[1] = {};
    WaitReadable(fds, 2000000, ready);
    return transport_.ServePending(server_, 0);
  }

  coap::Server server_;
  UdpTransport transport_;
  int client_ = -1;
  sockaddr_in to_{};
};

TEST_F(UdpTransportTest, RequestIsAnsweredToTheSender) {
  uint8_t buffer[64];
  coap::MessageBuilder builder(buffer);
  const uint8_t token[] = {0xAB};
  ASSERT_TRUE(builder.Header(coap::Type::kConfirmable, coap::code::kGet, 0x1234, token).ok());
  ASSERT_TRUE(builder.AddStringOption(coap::option::kUriPath, "status").ok());
  Send(builder.bytes());
  EXPECT_EQ(Serve(), 1u);
  uint8_t reply[coap::kMaxReplySize];
  const ssize_t n = ::recv(client_, reply, sizeof reply, 0);
  ASSERT_GT(n, 4);
  EXPECT_EQ(reply[0] >> 4 & 3, 2);  // ACK
  EXPECT_EQ(reply[1], coap::code::kContent);
  EXPECT_EQ(reply[2] << 8 | reply[3], 0x1234);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(reply) + n - 2, 2), "ok");
  EXPECT_EQ(transport_.rejected(), 0u);
}

TEST_F(UdpTransportTest, GarbageIsCountedAndAnsweredOrDropped) {
  const uint8_t short_datagram[] = {0x40};
  Send(short_datagram);
  EXPECT_EQ(Serve(), 1u);
  EXPECT_EQ(transport_.rejected(), 1u);
  // Nothing pending: serving reads nothing and does not block.
  EXPECT_EQ(transport_.ServePending(server_, 0), 0u);
}

TEST_F(UdpTransportTest, SendToReachesARememberedPeerOnly) {
  const uint8_t datagram[] = {0x60, 0x00, 0x12, 0x34};
  EXPECT_EQ(transport_.SendTo(0x7F00000112345, datagram).code(), ErrorCode::kNotFound);

  const uint8_t ping[] = {0x40, 0x00, 0x00, 0x01};  // a CON ping: answered with RST
  Send(ping);
  EXPECT_EQ(Serve(), 1u);
  uint8_t reply[coap::kMaxReplySize];
  ASSERT_EQ(::recv(client_, reply, sizeof reply, 0), 4);
  // The peer id of the client socket (what the server names it by).
  sockaddr_storage client{};
  socklen_t length = sizeof client;
  ASSERT_EQ(::getsockname(client_, reinterpret_cast<sockaddr*>(&client), &length), 0);
  reinterpret_cast<sockaddr_in&>(client).sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  ASSERT_TRUE(transport_.SendTo(PeerId(client), datagram).ok());
  ASSERT_EQ(::recv(client_, reply, sizeof reply, 0), 4);
  EXPECT_EQ(std::vector<uint8_t>(reply, reply + 4), std::vector<uint8_t>(datagram, datagram + 4));
  EXPECT_EQ(transport_.SendTo(PeerId(client) + 1, datagram).code(), ErrorCode::kNotFound);
}

TEST(UdpTransport, RefusesNonNumericAddressAndReportsBindErrors) {
  UdpTransport a;
  EXPECT_EQ(a.Open("localhost", 0).code(), ErrorCode::kInvalidArgument);
  UdpTransport b;
  ASSERT_TRUE(b.Open("127.0.0.1", 0).ok());
  UdpTransport c;
  EXPECT_EQ(c.Open("127.0.0.1", b.port()).code(), ErrorCode::kUnavailable);
  EXPECT_NE(c.error_number(), 0);
  UdpTransport v6;
  if (v6.Open("::1", 0).ok()) EXPECT_NE(v6.port(), 0);
}

TEST(WaitReadable, TimesOutWhenNothingArrives) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  bool ready[1] = {true};
  const uint64_t start = MonotonicUs();
  WaitReadable(std::span<const int>(fds, 1), 3000, ready);
  EXPECT_FALSE(ready[0]);
  EXPECT_GE(MonotonicUs() - start, 3000u);
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  WaitReadable(std::span<const int>(fds, 1), engine::kNever, ready);
  EXPECT_TRUE(ready[0]);
  ::close(fds[0]);
  ::close(fds[1]);
}

class FixedClock final : public engine::EnginePort {
 public:
  uint64_t NowUs() override { return 12345678; }
  void RequestWakeAt(uint64_t) override {}
};

TEST(ConsoleLogSink, PrefixesTimeAndUidAndTeesIntoTheRing) {
  EXPECT_EQ(FormatConsoleLine(12345678, "hello", Text("hi there\n")),
            "[   12.345678] hello: hi there\n");
  EXPECT_EQ(FormatConsoleLine(5, "x", Text("a\nb\x1b[2J")), "[    0.000005] x: a?b?[2J\n");

  FixedClock clock;
  mgmt::LogRing ring(clock);
  char* captured = nullptr;
  size_t captured_size = 0;
  std::FILE* out = ::open_memstream(&captured, &captured_size);
  ASSERT_NE(out, nullptr);
  ConsoleLogSink sink(ring, clock, out);
  sink.Write("acme.app", Text("tick 1"));
  std::fclose(out);
  EXPECT_EQ(std::string(captured, captured_size), "[   12.345678] acme.app: tick 1\n");
  std::free(captured);
  ASSERT_EQ(ring.next(), 1u);
  EXPECT_EQ(ring.Find(0)->view(), "tick 1");
  EXPECT_EQ(ring.Find(0)->uid.view(), "acme.app");

  ConsoleLogSink quiet(ring, clock, nullptr);
  quiet.Write("acme.app", Text("tick 2"));
  EXPECT_EQ(ring.next(), 2u);
  EXPECT_EQ(quiet.lines(), 1u);
}

TEST(SignalPipe, SignalMakesThePipeReadable) {
  SignalPipe signals;
  ASSERT_TRUE(signals.Install());
  const int fds[] = {signals.fd()};
  bool ready[1] = {true};
  WaitReadable(fds, 0, ready);
  EXPECT_FALSE(ready[0]);
  ASSERT_EQ(::raise(SIGTERM), 0);  // handled: the process goes on
  WaitReadable(fds, 1000000, ready);
  EXPECT_TRUE(ready[0]);
  EXPECT_EQ(signals.received(), SIGTERM);
  ASSERT_EQ(::raise(SIGINT), 0);
  EXPECT_EQ(signals.received(), SIGTERM);  // the first one is kept
}

TEST(SystemEntropy, FillsTheBuffer) {
  SystemEntropy entropy;
  uint8_t a[32] = {};
  uint8_t b[32] = {};
  ASSERT_TRUE(entropy.Fill(a).ok());
  ASSERT_TRUE(entropy.Fill(b).ok());
  EXPECT_NE(std::memcmp(a, b, sizeof a), 0);
}

TEST(CrashHook, ParsesTheEnvironment) {
  ::unsetenv(kCrashAtStepVariable);
  EXPECT_FALSE(CrashStepFromEnvironment().has_value());
  ::setenv(kCrashAtStepVariable, "7", 1);
  EXPECT_EQ(CrashStepFromEnvironment(), 7u);
  ::setenv(kCrashAtStepVariable, "7x", 1);
  EXPECT_EQ(CrashStepFromEnvironment(), 0u);
  ::setenv(kCrashAtStepVariable, "", 1);
  EXPECT_EQ(CrashStepFromEnvironment(), 0u);
  ::unsetenv(kCrashAtStepVariable);
  EXPECT_STREQ(StoreStepName(StoreStep::kRenamed), "renamed");
}

}  // namespace
}  // namespace tc::port::posix
