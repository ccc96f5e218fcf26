// A stop whose container runs tc_stop over several engine steps is answered separately (empty
// ACK now, a CON 2.04 with the final state when the container has stopped); one that stops at
// once is still piggybacked.
#include "mgmt_fixture.h"

namespace tc::mgmt::testing {
namespace {

class StopAnswerTest : public MgmtTest {
 protected:
  // A container whose tc_stop never returns: it stops when the engine's stop timeout forces it.
  Bytes SlowStopImage(const std::string& uid) {
    image::ContainerMetadata m = WasmMetadata(uid, 1);
    EXPECT_TRUE(m.entry.stop.Assign("spin").ok());
    return SignedImage(op_, m, module_);
  }

  coap::Outgoing PollAnswers() {
    return device_->management_.PollAnswers(device_->server_, now_ms_, buffer_);
  }

  uint8_t buffer_[coap::kMaxReplySize];
  uint32_t now_ms_ = 100;
};

TEST_F(StopAnswerTest, StopThatWaitsForTcStopIsAnsweredSeparatelyWithTheFinalState) {
  ASSERT_EQ(Install(SlowStopImage("acme.slow")).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.slow", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(3000);

  const Reply ack =
      client_->Post("command", SignedCommand(op_, "acme.slow", CommandAction::kStop, 2), kCbor, 256,
                    coap::content_format::kJson);
  ASSERT_FALSE(ack.dropped);
  EXPECT_EQ(ack.code, coap::code::kEmpty);  // an empty ACK: the answer follows
  EXPECT_TRUE(ack.payload.empty());
  EXPECT_TRUE(PollAnswers().datagram.empty());
  EXPECT_EQ(StateOf("acme.slow"), "stopping");

  device_->RunFor(5000);  // tc_stop still running
  EXPECT_TRUE(PollAnswers().datagram.empty());
  device_->RunFor(30'000);  // past the engine's 20 ms stop timeout
  const coap::Outgoing out = PollAnswers();
  ASSERT_FALSE(out.datagram.empty());
  EXPECT_EQ(out.peer, 1u);
  coap::Message m;
  ASSERT_TRUE(coap::ParseMessage(out.datagram, m).ok());
  EXPECT_EQ(m.type, coap::Type::kConfirmable);
  EXPECT_EQ(m.code, coap::code::kChanged);
  ASSERT_EQ(m.token_length, 2);
  EXPECT_EQ(m.token[0], 0x7c);  // the request's token (the test client's)
  EXPECT_EQ(*m.FindUint(coap::option::kContentFormat), coap::content_format::kJson);
  const json body = json::parse(m.payload.begin(), m.payload.end());
  EXPECT_EQ(body, json({{"uid", "acme.slow"}, {"state", "stopped"}}));
  EXPECT_FALSE(store_.HasRecord("up.acme.slow"));
  EXPECT_TRUE(PollAnswers().datagram.empty());  // answered once

  // Until the client acknowledges it, the response is retransmitted by the server.
  EXPECT_LE(device_->server_.MsUntilPoll(now_ms_), coap::kAckTimeoutMs * 3 / 2);
  uint8_t ack_bytes[coap::kHeaderSize];
  coap::MessageBuilder b(ack_bytes);
  ASSERT_TRUE(b.Header(coap::Type::kAcknowledgement, coap::code::kEmpty, m.message_id, {}).ok());
  EXPECT_TRUE(device_->server_.Handle(b.bytes(), 1, now_ms_, buffer_).status.ok());
  EXPECT_EQ(device_->server_.MsUntilPoll(now_ms_), UINT32_MAX);
}

TEST_F(StopAnswerTest, StopThatCompletesAtOnceIsPiggybacked) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);  // no tc_stop
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  const Reply r = Command("acme.sampler", CommandAction::kStop, 2);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "stopped");
  EXPECT_TRUE(PollAnswers().datagram.empty());
  EXPECT_EQ(device_->server_.pending().in_use(), 0u);
}

TEST_F(StopAnswerTest, WhenNoAnswerCanWaitTheStopIsAnsweredAtOnce) {
  // Every pending-exchange slot taken by stops of slow containers: the next one answers
  // `stopping` piggybacked, as before separate responses existed.
  for (size_t i = 0; i <= coap::kPendingExchanges; ++i) {
    const std::string uid = "acme.slow" + std::to_string(i);
    ASSERT_EQ(Install(SlowStopImage(uid)).code, coap::code::kCreated) << uid;
    ASSERT_EQ(Command(uid, CommandAction::kStart, 1 + i).code, coap::code::kChanged);
  }
  device_->RunFor(2000);
  for (size_t i = 0; i < coap::kPendingExchanges; ++i) {
    const Reply r = Command("acme.slow" + std::to_string(i), CommandAction::kStop, 10 + i);
    EXPECT_EQ(r.code, coap::code::kEmpty) << i;
  }
  const Reply r = Command("acme.slow" + std::to_string(coap::kPendingExchanges),
                          CommandAction::kStop, 10 + coap::kPendingExchanges);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "stopping");

  device_->RunFor(60'000);
  size_t answers = 0;
  while (!PollAnswers().datagram.empty()) ++answers;
  EXPECT_EQ(answers, coap::kPendingExchanges);
}

}  // namespace
}  // namespace tc::mgmt::testing
