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

}  // namespace
}  // namespace tc::coap
