// Random and mutated datagrams against the server: each must be answered or dropped, and an
// answer must itself be a well-formed CoAP message. Bounded loop, fixed seed (CI-sized).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"

namespace tc::coap {
namespace {

void Echo(void*, const Request& request, Response& r) { (void)r.Append(request.message.payload); }

TEST(CoapRobustness, GarbledDatagramsAreAnsweredOrDropped) {
  Server server;
  ASSERT_TRUE(server.Register({"status", "", Echo, Echo, Echo, Echo}).ok());
  uint8_t valid_buffer[128];
  MessageBuilder b(valid_buffer);
  const uint8_t token[] = {1, 2, 3};
  ASSERT_TRUE(b.Header(Type::kConfirmable, code::kPost, 1, token).ok());
  ASSERT_TRUE(b.AddStringOption(option::kUriPath, "status").ok());
  ASSERT_TRUE(b.AddUintOption(option::kBlock2, 0x12).ok());
  ASSERT_TRUE(b.AddUintOption(option::kBlock1, 0x02).ok());
  ASSERT_TRUE(b.SetPayload(std::vector<uint8_t>(20, 'p')).ok());
  const std::vector<uint8_t> valid(b.bytes().begin(), b.bytes().end());

  std::mt19937 rng(20261128);
  uint8_t reply[kMaxReplySize];
  size_t answered = 0;
  for (int i = 0; i < 200000; ++i) {
    std::vector<uint8_t> d;
    if (i % 2 == 0) {
      d.resize(rng() % 64);
      for (uint8_t& x : d) x = static_cast<uint8_t>(rng());
      if (!d.empty() && (i % 4 == 0)) d[0] = static_cast<uint8_t>(0x40 | (d[0] & 0x3F));
    } else {
      d = valid;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) d[rng() % d.size()] = static_cast<uint8_t>(rng());
      if (rng() % 4 == 0) d.resize(rng() % d.size());
    }
    const Server::Outcome out = server.Handle(d, rng() % 4, static_cast<uint32_t>(i), reply);
    if (out.reply.empty()) continue;
    ++answered;
    Message m;
    ASSERT_TRUE(ParseMessage(out.reply, m).ok()) << "iteration " << i;
    ASSERT_LE(out.reply.size(), kMaxReplySize);
  }
  EXPECT_GT(answered, 1000u);
}

void DeferOrAnswer(void* context, const Request&, Response& r) {
  auto* ids = static_cast<std::vector<ExchangeId>*>(context);
  const Result<ExchangeId> id = r.Defer();
  if (id.ok()) ids->push_back(*id);
}
void FillOk(void*, Response& r) { (void)r.Append("ok"); }

// Deferred requests, completions with valid and stale ids, stray ACKs/RSTs and retransmissions in
// random order: every datagram the server emits is well-formed and the table never overflows.
TEST(CoapRobustness, SeparateResponsesUnderRandomTraffic) {
  Server server(0x1234);
  std::vector<ExchangeId> ids;
  ASSERT_TRUE(
      server.Register({"later", "", DeferOrAnswer, DeferOrAnswer, nullptr, nullptr, &ids}).ok());
  std::mt19937 rng(20261129);
  uint8_t buffer[kMaxReplySize];
  uint32_t now = 0;
  auto check = [&](std::span<const uint8_t> datagram) {
    if (datagram.empty()) return;
    Message m;
    ASSERT_TRUE(ParseMessage(datagram, m).ok());
  };
  for (int i = 0; i < 20000; ++i) {
    now += rng() % 3000;
    const uint64_t peer = rng() % 3;
    const auto mid = static_cast<uint16_t>(rng() % 64);
    uint8_t datagram[32];
    MessageBuilder b(datagram);
    switch (rng() % 4) {
      case 0: {
        const uint8_t token[] = {static_cast<uint8_t>(i)};
        const Type type = rng() % 2 ? Type::kConfirmable : Type::kNonConfirmable;
        ASSERT_TRUE(b.Header(type, code::kGet, mid, token).ok());
        ASSERT_TRUE(b.AddStringOption(option::kUriPath, "later").ok());
        check(server.Handle(b.bytes(), peer, now, buffer).reply);
        break;
      }
      case 1:
        ASSERT_TRUE(
            b.Header(rng() % 2 ? Type::kAcknowledgement : Type::kReset, code::kEmpty, mid, {})
                .ok());
        check(server.Handle(b.bytes(), peer, now, buffer).reply);
        break;
      case 2:
        if (!ids.empty()) {
          const ExchangeId id = ids[rng() % ids.size()] ^ (rng() % 8 == 0 ? 1u << 8 : 0u);
          const Result<Outgoing> out = server.Complete(id, now, FillOk, nullptr, buffer);
          if (out.ok()) check(out->datagram);
        }
        break;
      default:
        for (Outgoing o = server.Poll(now, buffer); !o.datagram.empty();
             o = server.Poll(now, buffer)) {
          check(o.datagram);
        }
    }
    ASSERT_LE(server.pending().in_use(), kPendingExchanges);
  }
  EXPECT_GT(ids.size(), 100u);
  EXPECT_GT(server.pending().given_up(), 0u);
}

}  // namespace
}  // namespace tc::coap
