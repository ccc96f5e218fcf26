// Separate responses (RFC 7252 §5.2.2) and the sender side of CON (§4.2): Response::Defer,
// Server::Complete, retransmission through Server::Poll on a fake clock, ACK/RST matching,
// duplicates of a deferred request, the full table and bad ids.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"

namespace tc::coap {
namespace {

struct Later {
  int runs = 0;
  std::vector<ExchangeId> ids;
  Status refused;  // why the last Defer failed
};

// Defers every request; when it cannot, answers at once with 5.03 (what a real handler does).
void DeferAll(void* context, const Request&, Response& r) {
  auto* later = static_cast<Later*>(context);
  ++later->runs;
  const Result<ExchangeId> id = r.Defer();
  if (id.ok()) {
    later->ids.push_back(*id);
    return;
  }
  later->refused = id.status();
  r.set_code(MakeCode(5, 3));
  (void)r.Append("busy");
}

void FillDone(void*, Response& r) {
  r.set_code(code::kChanged);
  r.set_content_format(content_format::kTextPlain);
  (void)r.Append("done");
}
void FillTooLarge(void*, Response& r) { (void)r.Append(std::string(kSeparateBodyLimit + 1, 'x')); }
void FillDefers(void* context, Response& r) {
  *static_cast<Status*>(context) = r.Defer().status();
  r.set_code(code::kChanged);
}

constexpr uint64_t kPeer = 7;

class SeparateResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Resource r;
    r.path = "later";
    r.get = DeferAll;
    r.post = DeferAll;
    r.context = &later_;
    ASSERT_TRUE(server_.Register(r).ok());
  }

  static std::vector<uint8_t> Request(Type type, uint16_t mid, int block2 = -1) {
    uint8_t buffer[64];
    MessageBuilder b(buffer);
    const uint8_t token[] = {0x51, 0x52, 0x53};
    EXPECT_TRUE(b.Header(type, code::kPost, mid, token).ok());
    EXPECT_TRUE(b.AddStringOption(option::kUriPath, "later").ok());
    if (block2 >= 0) EXPECT_TRUE(b.AddUintOption(option::kBlock2, uint32_t(block2)).ok());
    return {b.bytes().begin(), b.bytes().end()};
  }
  static std::vector<uint8_t> Empty(Type type, uint16_t mid) {
    uint8_t buffer[kHeaderSize];
    MessageBuilder b(buffer);
    EXPECT_TRUE(b.Header(type, code::kEmpty, mid, {}).ok());
    return {b.bytes().begin(), b.bytes().end()};
  }

  // Handles `datagram` from `peer`; the reply (empty: none) is parsed into reply_.
  Server::Outcome Send(const std::vector<uint8_t>& datagram, uint64_t peer = kPeer) {
    const Server::Outcome out = server_.Handle(datagram, peer, now_ms_, buffer_);
    if (!out.reply.empty()) EXPECT_TRUE(ParseMessage(out.reply, reply_).ok());
    return out;
  }

  // Completes exchange `id` with "done" and keeps the datagram in sent_.
  Outgoing Complete(ExchangeId id) {
    const Result<Outgoing> out = server_.Complete(id, now_ms_, FillDone, nullptr, buffer_);
    EXPECT_TRUE(out.ok()) << out.status().message();
    if (!out.ok()) return {};
    sent_.assign(out->datagram.begin(), out->datagram.end());
    EXPECT_TRUE(ParseMessage(sent_, response_).ok());
    return *out;
  }

  // Defers one CON request (mid 0x200) and completes it; returns the response's message id.
  uint16_t DeferAndComplete() {
    Send(Request(Type::kConfirmable, 0x200));
    EXPECT_EQ(later_.ids.size(), 1u);
    Complete(later_.ids.back());
    return response_.message_id;
  }

  Server server_{0x4000};
  Later later_;
  uint8_t buffer_[kMaxReplySize];
  Message reply_, response_;
  std::vector<uint8_t> sent_;
  uint32_t now_ms_ = 1000;
};

TEST_F(SeparateResponseTest, ConRequestGetsEmptyAckThenConResponse) {
  const Server::Outcome ack = Send(Request(Type::kConfirmable, 0x200));
  ASSERT_TRUE(ack.status.ok());
  ASSERT_EQ(ack.reply.size(), kHeaderSize);
  EXPECT_EQ(reply_.type, Type::kAcknowledgement);
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(reply_.message_id, 0x200);
  EXPECT_EQ(reply_.token_length, 0);
  ASSERT_EQ(later_.ids.size(), 1u);
  EXPECT_EQ(server_.pending().in_use(), 1u);
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), kDeferLifetimeMs);

  now_ms_ += 50;
  const Outgoing out = Complete(later_.ids[0]);
  EXPECT_EQ(out.peer, kPeer);
  EXPECT_EQ(response_.type, Type::kConfirmable);
  EXPECT_EQ(response_.code, code::kChanged);
  EXPECT_EQ(response_.message_id, 0x4000);  // the server's own id, not the request's
  ASSERT_EQ(response_.token_length, 3);
  EXPECT_EQ(response_.token[0], 0x51);
  EXPECT_EQ(response_.token[2], 0x53);
  EXPECT_EQ(*response_.FindUint(option::kContentFormat), content_format::kTextPlain);
  EXPECT_EQ(std::string(response_.payload.begin(), response_.payload.end()), "done");
}

TEST_F(SeparateResponseTest, NonRequestGetsNothingThenNonResponse) {
  const Server::Outcome out = Send(Request(Type::kNonConfirmable, 0x201));
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.reply.empty());
  ASSERT_EQ(later_.ids.size(), 1u);
  Complete(later_.ids[0]);
  EXPECT_EQ(response_.type, Type::kNonConfirmable);
  EXPECT_EQ(response_.message_id, 0x4000);
  EXPECT_EQ(response_.token_length, 3);
  // Nothing to retransmit, and the slot is free again.
  EXPECT_EQ(server_.pending().in_use(), 0u);
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), UINT32_MAX);
  EXPECT_TRUE(server_.Poll(now_ms_ + 100'000, buffer_).datagram.empty());
}

TEST_F(SeparateResponseTest, RetransmissionBacksOffAndGivesUpAfterMaxRetransmit) {
  DeferAndComplete();
  const uint32_t first = server_.MsUntilPoll(now_ms_);
  EXPECT_GE(first, kAckTimeoutMs);
  EXPECT_LE(first, kAckTimeoutMs * 3 / 2);
  const std::vector<uint8_t> original = sent_;

  uint32_t timeout = first;
  for (int i = 0; i < kMaxRetransmit; ++i) {
    EXPECT_EQ(server_.MsUntilPoll(now_ms_), timeout) << "retransmission " << i;
    now_ms_ += timeout - 1;
    EXPECT_TRUE(server_.Poll(now_ms_, buffer_).datagram.empty()) << "early, retransmission " << i;
    now_ms_ += 1;
    const Outgoing again = server_.Poll(now_ms_, buffer_);
    ASSERT_EQ(std::vector<uint8_t>(again.datagram.begin(), again.datagram.end()), original);
    EXPECT_EQ(again.peer, kPeer);
    EXPECT_TRUE(server_.Poll(now_ms_, buffer_).datagram.empty());  // one per deadline
    timeout *= 2;
  }
  // No fifth retransmission: after the last timeout the exchange is given up.
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), timeout);
  now_ms_ += timeout;
  EXPECT_TRUE(server_.Poll(now_ms_, buffer_).datagram.empty());
  EXPECT_EQ(server_.pending().given_up(), 1u);
  EXPECT_EQ(server_.pending().in_use(), 0u);
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), UINT32_MAX);
}

TEST_F(SeparateResponseTest, AckEndsRetransmission) {
  const uint16_t mid = DeferAndComplete();
  const Server::Outcome out = Send(Empty(Type::kAcknowledgement, mid));
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(server_.pending().in_use(), 0u);
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), UINT32_MAX);
  EXPECT_TRUE(server_.Poll(now_ms_ + 10'000, buffer_).datagram.empty());
  EXPECT_EQ(server_.pending().given_up(), 0u);
  EXPECT_EQ(server_.pending().reset_by_peer(), 0u);
}

TEST_F(SeparateResponseTest, RstEndsRetransmissionAndCountsTheClientGone) {
  const uint16_t mid = DeferAndComplete();
  const Server::Outcome out = Send(Empty(Type::kReset, mid));
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(server_.pending().in_use(), 0u);
  EXPECT_EQ(server_.pending().reset_by_peer(), 1u);
}

TEST_F(SeparateResponseTest, AckWithWrongIdOrFromAnotherPeerChangesNothing) {
  const uint16_t mid = DeferAndComplete();
  const uint32_t due = server_.MsUntilPoll(now_ms_);
  for (const auto& [datagram, peer] :
       {std::pair{Empty(Type::kAcknowledgement, static_cast<uint16_t>(mid + 1)), kPeer},
        std::pair{Empty(Type::kAcknowledgement, mid), kPeer + 1},
        std::pair{Empty(Type::kReset, static_cast<uint16_t>(mid - 1)), kPeer},
        std::pair{Empty(Type::kAcknowledgement, 0x200), kPeer}}) {  // the request's id
    const Server::Outcome out = Send(datagram, peer);
    EXPECT_EQ(out.status.code(), ErrorCode::kFailedPrecondition);
    EXPECT_TRUE(out.reply.empty());
  }
  EXPECT_EQ(server_.pending().in_use(), 1u);
  EXPECT_EQ(server_.pending().reset_by_peer(), 0u);
  now_ms_ += due;
  EXPECT_FALSE(server_.Poll(now_ms_, buffer_).datagram.empty());
}

TEST_F(SeparateResponseTest, DuplicateRequestIsAcknowledgedAgainAndNotExecuted) {
  const std::vector<uint8_t> request = Request(Type::kConfirmable, 0x200);
  Send(request);
  ASSERT_EQ(later_.runs, 1);
  // The client lost the empty ACK and retransmits: the same empty ACK, no second run.
  now_ms_ += 2500;
  Server::Outcome out = Send(request);
  ASSERT_FALSE(out.reply.empty());
  EXPECT_EQ(reply_.type, Type::kAcknowledgement);
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(reply_.message_id, 0x200);
  EXPECT_EQ(later_.runs, 1);

  // After Complete the CON response is being retransmitted; the duplicate is acknowledged again.
  Complete(later_.ids[0]);
  out = Send(request);
  ASSERT_FALSE(out.reply.empty());
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(later_.runs, 1);

  // After the client's ACK the dedup cache still answers with the empty ACK.
  Send(Empty(Type::kAcknowledgement, response_.message_id));
  out = Send(request);
  ASSERT_FALSE(out.reply.empty());
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(later_.runs, 1);
  // The same message id from another peer is another request.
  Send(request, kPeer + 1);
  EXPECT_EQ(later_.runs, 2);
}

TEST_F(SeparateResponseTest, DuplicateNonRequestIsDropped) {
  const std::vector<uint8_t> request = Request(Type::kNonConfirmable, 0x300);
  Send(request);
  const Server::Outcome out = Send(request);
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(later_.runs, 1);
}

TEST_F(SeparateResponseTest, DuplicateOutlivesEvictionFromTheDedupCache) {
  const std::vector<uint8_t> request = Request(Type::kConfirmable, 0x200);
  Send(request);
  ASSERT_EQ(later_.ids.size(), 1u);
  Complete(later_.ids[0]);  // frees nothing: the slot retransmits until acknowledged
  for (uint16_t mid = 1; mid <= kDedupEntries; ++mid) {
    Send(Request(Type::kNonConfirmable, mid), kPeer + 1);
    Complete(later_.ids.back());
  }
  Send(request);
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(later_.runs, 1 + static_cast<int>(kDedupEntries));
}

TEST_F(SeparateResponseTest, FullTableMakesTheHandlerAnswerAtOnce) {
  for (uint16_t mid = 1; mid <= kPendingExchanges; ++mid) {
    Send(Request(Type::kConfirmable, mid));
    EXPECT_EQ(reply_.code, code::kEmpty);
  }
  EXPECT_EQ(server_.pending().in_use(), kPendingExchanges);
  const Server::Outcome out = Send(Request(Type::kConfirmable, 0x99));
  ASSERT_FALSE(out.reply.empty());
  EXPECT_EQ(reply_.type, Type::kAcknowledgement);
  EXPECT_EQ(reply_.code, MakeCode(5, 3));
  EXPECT_EQ(later_.refused.code(), ErrorCode::kResourceExhausted);
  // A completed NON or an acknowledged CON frees its slot for the next request.
  Complete(later_.ids[0]);
  Send(Empty(Type::kAcknowledgement, response_.message_id));
  Send(Request(Type::kConfirmable, 0x9A));
  EXPECT_EQ(reply_.code, code::kEmpty);
  EXPECT_EQ(later_.ids.size(), kPendingExchanges + 1);
}

TEST_F(SeparateResponseTest, BadExpiredOrReusedIdsAreRefused) {
  EXPECT_EQ(server_.Complete(0, now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(server_.Complete(0xFF, now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);
  Send(Request(Type::kNonConfirmable, 1));
  const ExchangeId id = later_.ids[0];
  uint8_t small[kMaxReplySize - 1];
  EXPECT_EQ(server_.Complete(id, now_ms_, FillDone, nullptr, small).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(server_.Complete(id + (1u << 8), now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);
  Complete(id);
  EXPECT_EQ(server_.Complete(id, now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);
  // The slot is reused by the next deferral, under another id.
  Send(Request(Type::kNonConfirmable, 2));
  ASSERT_EQ(later_.ids.size(), 2u);
  EXPECT_NE(later_.ids[1], id);
  EXPECT_EQ(server_.Complete(id, now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);

  // A deferral nobody completes is forgotten after EXCHANGE_LIFETIME.
  now_ms_ += kDeferLifetimeMs;
  EXPECT_EQ(server_.MsUntilPoll(now_ms_), 0u);
  EXPECT_TRUE(server_.Poll(now_ms_, buffer_).datagram.empty());
  EXPECT_EQ(server_.pending().forgotten(), 1u);
  EXPECT_EQ(server_.Complete(later_.ids[1], now_ms_, FillDone, nullptr, buffer_).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(SeparateResponseTest, BodyLargerThanOneBlockIsAnswered500) {
  Send(Request(Type::kConfirmable, 0x200));
  const Result<Outgoing> out =
      server_.Complete(later_.ids[0], now_ms_, FillTooLarge, nullptr, buffer_);
  ASSERT_TRUE(out.ok());
  Message m;
  ASSERT_TRUE(ParseMessage(out->datagram, m).ok());
  EXPECT_EQ(m.type, Type::kConfirmable);
  EXPECT_EQ(m.code, code::kInternalServerError);
  EXPECT_EQ(std::string(m.payload.begin(), m.payload.end()),
            "separate response larger than one block");
}

TEST_F(SeparateResponseTest, BlockWiseRequestsAndCompletionsCannotDefer) {
  const Server::Outcome out = Send(Request(Type::kConfirmable, 0x200, /*block2=*/0x02));
  ASSERT_FALSE(out.reply.empty());
  EXPECT_EQ(reply_.code, MakeCode(5, 3));
  EXPECT_EQ(later_.refused.code(), ErrorCode::kFailedPrecondition);

  Send(Request(Type::kConfirmable, 0x201));
  Status refused;
  ASSERT_TRUE(server_.Complete(later_.ids[0], now_ms_, FillDefers, &refused, buffer_).ok());
  EXPECT_EQ(refused.code(), ErrorCode::kFailedPrecondition);

  uint8_t body[8];
  Response standalone(body);
  EXPECT_EQ(standalone.Defer().status().code(), ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tc::coap
