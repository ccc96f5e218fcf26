// CoapClient against an in-memory device (tc::coap::Server behind a transport that loses chosen
// datagrams) and against real UDP sockets: retransmission, matching, block-wise transfers,
// timeouts.
#include "coap_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <thread>

#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"
#include "udp_transport.h"

namespace tinyctl {
namespace {

namespace coap = tc::coap;
using std::chrono::milliseconds;

CoapTiming FastTiming(int retransmits = 2) {
  CoapTiming t;
  t.ack_timeout = milliseconds(5);
  t.max_retransmit = retransmits;
  t.separate_response_timeout = milliseconds(50);
  return t;
}

// The device's resources for these tests.
struct Device {
  coap::Server server{0x7000};
  int handler_runs = 0;
  std::vector<uint8_t> upload;
  std::vector<coap::BlockOption> blocks_seen;
  std::vector<std::string> queries;
  int refuse_block = -1;  // answer 4.13 to this Block1 number

  Device() {
    EXPECT_TRUE(server.Register({"hello", ";ct=0", Hello, nullptr, nullptr, nullptr, this}).ok());
    EXPECT_TRUE(server.Register({"large", ";ct=0", Large, nullptr, nullptr, nullptr, this}).ok());
    EXPECT_TRUE(server.Register({"upload", "", nullptr, Upload, nullptr, nullptr, this, 42}).ok());
  }
  static void Hello(void* self, const coap::Request& r, coap::Response& out) {
    auto& d = *static_cast<Device*>(self);
    ++d.handler_runs;
    for (const coap::Option& o : r.message.options) {
      if (o.number == coap::option::kUriQuery)
        d.queries.emplace_back(o.value.begin(), o.value.end());
    }
    out.set_content_format(coap::content_format::kTextPlain);
    (void)out.Append("hi");
  }
  // 780 bytes: block 0..2 of 256 and a last block of 12.
  static void Large(void*, const coap::Request&, coap::Response& out) {
    for (int i = 0; i < 780; ++i) {
      const uint8_t b = static_cast<uint8_t>(i * 7);
      (void)out.Append(std::span(&b, 1));
    }
  }
  static void Upload(void* self, const coap::Request& r, coap::Response& out) {
    auto& d = *static_cast<Device*>(self);
    d.blocks_seen.push_back(r.block1);
    if (static_cast<int>(r.block1.num) == d.refuse_block) {
      out.set_code(coap::code::kRequestEntityTooLarge);
      (void)out.Append("no room");
      return;
    }
    if (r.block1.offset() != d.upload.size()) {
      out.set_code(coap::code::kRequestEntityIncomplete);
      return;
    }
    d.upload.insert(d.upload.end(), r.message.payload.begin(), r.message.payload.end());
    out.set_code(r.block1.more ? coap::code::kChanged : coap::code::kCreated);
  }
};

// Hands datagrams to the Device synchronously; `lose_request(i)` / `lose_reply(i)` drop the i-th
// datagram of each direction (0-based). Nothing waits: an empty queue is a timeout.
class MemoryTransport final : public DatagramTransport {
 public:
  explicit MemoryTransport(Device& device) : device_(device) {}
  std::function<bool(size_t)> lose_request = [](size_t) { return false; };
  std::function<bool(size_t)> lose_reply = [](size_t) { return false; };
  std::deque<Bytes> inbox;  // replies waiting for the client
  size_t requests = 0;

  void Send(std::span<const uint8_t> datagram) override {
    if (lose_request(requests++)) return;
    uint8_t reply[coap::kMaxReplySize];
    const auto out = device_.server.Handle(datagram, 1, 0, reply);
    if (out.reply.empty() || lose_reply(replies_++)) return;
    inbox.emplace_back(out.reply.begin(), out.reply.end());
  }
  std::optional<Bytes> Receive(milliseconds) override {
    if (inbox.empty()) return std::nullopt;
    Bytes b = std::move(inbox.front());
    inbox.pop_front();
    return b;
  }
  std::string Describe() const override { return "mem://device"; }

 private:
  Device& device_;
  size_t replies_ = 0;
};

CoapRequest Get(std::string path) {
  CoapRequest r;
  r.method = coap::code::kGet;
  r.path = std::move(path);
  return r;
}

TEST(CoapClient, PiggybackedResponseWithContentFormatAndQueries) {
  Device device;
  MemoryTransport transport(device);
  CoapClient client(transport, FastTiming(), 1);
  CoapRequest request = Get("hello");
  request.query = {"uid=acme.sampler", "since=4"};
  const CoapResponse r = client.Send(request);
  EXPECT_EQ(r.code, coap::code::kContent);
  EXPECT_EQ(r.content_format, coap::content_format::kTextPlain);
  EXPECT_EQ(std::string(r.payload.begin(), r.payload.end()), "hi");
  EXPECT_EQ(device.queries, (std::vector<std::string>{"uid=acme.sampler", "since=4"}));
  EXPECT_EQ(client.datagrams_sent(), 1u);
}

TEST(CoapClient, RetransmitsWhenTheRequestIsLost) {
  Device device;
  MemoryTransport transport(device);
  transport.lose_request = [](size_t i) { return i == 0; };
  CoapClient client(transport, FastTiming(), 2);
  EXPECT_EQ(client.Send(Get("hello")).code, coap::code::kContent);
  EXPECT_EQ(client.datagrams_sent(), 2u);
  EXPECT_EQ(device.handler_runs, 1);
}

TEST(CoapClient, RetransmitsWhenTheReplyIsLostAndTheDeviceDeduplicates) {
  Device device;
  MemoryTransport transport(device);
  transport.lose_reply = [](size_t i) { return i == 0; };
  CoapClient client(transport, FastTiming(), 3);
  EXPECT_EQ(client.Send(Get("hello")).code, coap::code::kContent);
  EXPECT_EQ(client.datagrams_sent(), 2u);
  EXPECT_EQ(device.handler_runs, 1) << "the retransmission must be answered from the dedup cache";
}

TEST(CoapClient, GivesUpAfterMaxRetransmitWithAClearMessage) {
  Device device;
  MemoryTransport transport(device);
  transport.lose_request = [](size_t) { return true; };
  CoapClient client(transport, FastTiming(2), 4);
  try {
    client.Send(Get("hello"));
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_STREQ(e.what(), "no answer from mem://device after 3 tries");
  }
  EXPECT_EQ(client.datagrams_sent(), 3u);
}

TEST(CoapClient, IgnoresStaleAndMalformedDatagrams) {
  Device device;
  MemoryTransport transport(device);
  // A late duplicate of some earlier exchange and garbage arrive before the real answer.
  uint8_t stale[16];
  coap::MessageBuilder b(stale);
  ASSERT_TRUE(b.Header(coap::Type::kAcknowledgement, coap::code::kContent, 0x1234,
                       std::array<uint8_t, 2>{9, 9})
                  .ok());
  transport.inbox.emplace_back(b.bytes().begin(), b.bytes().end());
  transport.inbox.push_back({0xFF, 0x00});
  CoapClient client(transport, FastTiming(), 5);
  const CoapResponse r = client.Send(Get("hello"));
  EXPECT_EQ(std::string(r.payload.begin(), r.payload.end()), "hi");
}

TEST(CoapClient, AnErrorAnswerIsReturnedNotThrown) {
  Device device;
  MemoryTransport transport(device);
  CoapClient client(transport, FastTiming(), 6);
  CoapRequest request = Get("hello");
  request.accept = 50;  // the handler answers text/plain
  const CoapResponse r = client.Send(request);
  EXPECT_EQ(r.code, coap::code::kNotAcceptable);
  EXPECT_FALSE(r.ok());
}

TEST(CoapClient, ResetIsATransportError) {
  struct Resetting final : DatagramTransport {
    std::optional<Bytes> pending;
    void Send(std::span<const uint8_t> d) override {
      coap::Message m;
      ASSERT_TRUE(coap::ParseMessage(d, m).ok());
      uint8_t buffer[4];
      coap::MessageBuilder rst(buffer);
      ASSERT_TRUE(rst.Header(coap::Type::kReset, 0, m.message_id, {}).ok());
      pending = Bytes(rst.bytes().begin(), rst.bytes().end());
    }
    std::optional<Bytes> Receive(milliseconds) override { return std::exchange(pending, {}); }
    std::string Describe() const override { return "rst://"; }
  } transport;
  CoapClient client(transport, FastTiming(), 15);
  EXPECT_THROW(client.Send(Get("x")), TransportError);
  EXPECT_EQ(client.datagrams_sent(), 1u);
}

TEST(CoapClient, ReassemblesBlock2InOrder) {
  Device device;
  MemoryTransport transport(device);
  transport.lose_request = [](size_t i) { return i == 2; };  // one block request lost
  CoapClient client(transport, FastTiming(), 7);
  const CoapResponse r = client.Send(Get("large"));
  ASSERT_EQ(r.payload.size(), 780u);
  for (size_t i = 0; i < r.payload.size(); ++i) {
    ASSERT_EQ(r.payload[i], static_cast<uint8_t>(i * 7)) << "byte " << i;
  }
  EXPECT_EQ(client.datagrams_sent(), 5u);  // 4 blocks + 1 retransmission
}

TEST(CoapClient, UploadsBlock1WithContinueAndProgress) {
  Device device;
  MemoryTransport transport(device);
  transport.lose_reply = [](size_t i) { return i == 1; };  // the 2.31 of block 1 lost
  CoapClient client(transport, FastTiming(), 8);
  CoapRequest request;
  request.method = coap::code::kPost;
  request.path = "upload";
  request.content_format = 42;
  for (int i = 0; i < 1000; ++i) request.payload.push_back(static_cast<uint8_t>(i));
  std::vector<size_t> progress;
  const CoapResponse r = client.Upload(request, 256, [&](size_t done, size_t total) {
    EXPECT_EQ(total, 1000u);
    progress.push_back(done);
  });
  EXPECT_EQ(r.code, coap::code::kCreated);
  EXPECT_EQ(device.upload, request.payload);
  EXPECT_EQ(progress, (std::vector<size_t>{256, 512, 768, 1000}));
  ASSERT_EQ(device.blocks_seen.size(), 4u) << "the duplicate block must not reach the handler";
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(device.blocks_seen[i].num, i);
    EXPECT_EQ(device.blocks_seen[i].szx, 4);
    EXPECT_EQ(device.blocks_seen[i].more, i < 3);
  }
}

TEST(CoapClient, UploadStopsAtTheFirstRefusedBlock) {
  Device device;
  device.refuse_block = 1;
  MemoryTransport transport(device);
  CoapClient client(transport, FastTiming(), 9);
  CoapRequest request;
  request.method = coap::code::kPost;
  request.path = "upload";
  request.content_format = 42;
  request.payload.assign(1000, 0xAB);
  const CoapResponse r = client.Upload(request, 256, {});
  EXPECT_EQ(r.code, coap::code::kRequestEntityTooLarge);
  EXPECT_EQ(std::string(r.payload.begin(), r.payload.end()), "no room");
  EXPECT_EQ(device.blocks_seen.size(), 2u);
}

TEST(CoapClient, UploadUsesTheSmallerBlockSizeTheDeviceAsksFor) {
  Device device;
  MemoryTransport transport(device);
  CoapClient client(transport, FastTiming(), 10);
  CoapRequest request;
  request.method = coap::code::kPost;
  request.path = "upload";
  request.content_format = 42;
  request.payload.assign(600, 0x5A);
  // 1024-byte blocks: the device (at most 256) answers 4.13 with SZX 4; the client follows.
  const CoapResponse r = client.Upload(request, 1024, {});
  EXPECT_EQ(r.code, coap::code::kCreated);
  EXPECT_EQ(device.upload, request.payload);
  ASSERT_FALSE(device.blocks_seen.empty());
  EXPECT_EQ(device.blocks_seen.front().szx, 4);
}

TEST(CoapClient, WaitsForASeparateResponseAfterAnEmptyAck) {
  // A device that acknowledges first and answers later (RFC 7252 §5.2.2).
  struct Separate final : DatagramTransport {
    std::deque<Bytes> inbox;
    Bytes acked;
    void Send(std::span<const uint8_t> d) override {
      coap::Message m;
      ASSERT_TRUE(coap::ParseMessage(d, m).ok());
      if (m.type == coap::Type::kAcknowledgement) {
        acked.assign(d.begin(), d.end());
        return;
      }
      uint8_t buffer[64];
      coap::MessageBuilder ack(buffer);
      ASSERT_TRUE(ack.Header(coap::Type::kAcknowledgement, 0, m.message_id, {}).ok());
      inbox.emplace_back(ack.bytes().begin(), ack.bytes().end());
      uint8_t buffer2[64];
      coap::MessageBuilder response(buffer2);
      ASSERT_TRUE(
          response.Header(coap::Type::kConfirmable, coap::code::kContent, 0x9999, m.token_bytes())
              .ok());
      ASSERT_TRUE(response.SetPayload(std::array<uint8_t, 2>{'o', 'k'}).ok());
      inbox.emplace_back(response.bytes().begin(), response.bytes().end());
    }
    std::optional<Bytes> Receive(milliseconds) override {
      if (inbox.empty()) return std::nullopt;
      Bytes b = inbox.front();
      inbox.pop_front();
      return b;
    }
    std::string Describe() const override { return "sep://"; }
  } transport;
  CoapClient client(transport, FastTiming(), 11);
  const CoapResponse r = client.Send(Get("x"));
  EXPECT_EQ(std::string(r.payload.begin(), r.payload.end()), "ok");
  coap::Message ack;
  ASSERT_TRUE(coap::ParseMessage(transport.acked, ack).ok());
  EXPECT_EQ(ack.message_id, 0x9999) << "the confirmable response must be acknowledged";
}

TEST(CoapClient, CodeNames) {
  EXPECT_EQ(CodeName(coap::MakeCode(4, 1)), "4.01 Unauthorized");
  EXPECT_EQ(CodeName(coap::MakeCode(2, 31)), "2.31 Continue");
  EXPECT_EQ(CodeName(coap::MakeCode(4, 30)), "4.30");
}

// A UDP peer on 127.0.0.1 that loses the first `drop` datagrams and answers the rest.
class LossyUdpPeer {
 public:
  explicit LossyUdpPeer(int drop) : drop_(drop) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~LossyUdpPeer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  int received() const { return received_; }
  bool answer = true;

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      uint8_t datagram[1500];
      sockaddr_in peer{};
      socklen_t peer_len = sizeof(peer);
      const ssize_t n = ::recvfrom(fd_, datagram, sizeof(datagram), 0,
                                   reinterpret_cast<sockaddr*>(&peer), &peer_len);
      if (n < 0 || received_++ < drop_ || !answer) continue;
      uint8_t reply[coap::kMaxReplySize];
      const auto out = device_.server.Handle({datagram, static_cast<size_t>(n)}, 1, 0, reply);
      ::sendto(fd_, out.reply.data(), out.reply.size(), 0, reinterpret_cast<sockaddr*>(&peer),
               peer_len);
    }
  }
  Device device_;
  int drop_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> received_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(CoapClientUdp, RetransmitsAfterTheFirstDatagramIsDropped) {
  LossyUdpPeer peer(1);
  UdpTransport transport(ParseDeviceUrl("udp://127.0.0.1:" + std::to_string(peer.port())));
  CoapTiming timing;
  timing.ack_timeout = milliseconds(30);
  CoapClient client(transport, timing, 12);
  const CoapResponse r = client.Send(Get("hello"));
  EXPECT_EQ(std::string(r.payload.begin(), r.payload.end()), "hi");
  EXPECT_EQ(client.datagrams_sent(), 2u);
  EXPECT_EQ(peer.received(), 2);
}

TEST(CoapClientUdp, TimesOutWhenThePeerNeverAnswers) {
  LossyUdpPeer peer(0);
  peer.answer = false;
  const std::string url = "udp://127.0.0.1:" + std::to_string(peer.port());
  UdpTransport transport(ParseDeviceUrl(url));
  CoapTiming timing;
  timing.ack_timeout = milliseconds(10);
  timing.ack_random_factor = 1.0;
  timing.max_retransmit = 2;
  CoapClient client(transport, timing, 13);
  const auto start = std::chrono::steady_clock::now();
  try {
    client.Send(Get("hello"));
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()), "no answer from " + url + " after 3 tries");
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(60));  // 10 + 20 + 40, give or take a tick
  EXPECT_LT(elapsed, milliseconds(1000));
  EXPECT_EQ(peer.received(), 3);
}

TEST(CoapClientUdp, NothingListeningSaysPortUnreachable) {
  int port = 0;
  {
    LossyUdpPeer closed(0);
    port = closed.port();
  }
  UdpTransport transport(ParseDeviceUrl("udp://127.0.0.1:" + std::to_string(port)));
  CoapTiming timing;
  timing.ack_timeout = milliseconds(5);
  timing.max_retransmit = 1;
  CoapClient client(transport, timing, 14);
  try {
    client.Send(Get("hello"));
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("after 2 tries (port unreachable"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tinyctl
