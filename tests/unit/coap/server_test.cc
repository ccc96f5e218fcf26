#include "tc/net/coap/server.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tc/net/coap/message_builder.h"

namespace tc::coap {
namespace {

struct Counters {
  int puts = 0;
  std::string last_payload;
};

void GetStatus(void*, const Request&, Response& r) {
  r.set_content_format(content_format::kTextPlain);
  (void)r.Append("ok");
}
void GetBig(void*, const Request&, Response& r) {
  for (int i = 0; i < 700; ++i) (void)r.Append(std::string(1, static_cast<char>('a' + i % 26)));
}
// A different 600-byte body on every call, like a counter table that changes while it is read.
void GetChanging(void* context, const Request&, Response& r) {
  const int call = ++static_cast<Counters*>(context)->puts;
  (void)r.Append(std::string(600, static_cast<char>('A' + call % 26)));
}
void GetHuge(void*, const Request&, Response& r) {
  (void)r.Append(std::string(kBodyCapacity + 1, 'x'));
}
void PutCount(void* context, const Request& request, Response& r) {
  auto* c = static_cast<Counters*>(context);
  ++c->puts;
  c->last_payload.assign(request.message.payload.begin(), request.message.payload.end());
  r.set_code(code::kChanged);
}

class CoapServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Register({"status", ";rt=\"tc.status\"", GetStatus}).ok());
    ASSERT_TRUE(server_.Register({"big", "", GetBig}).ok());
    ASSERT_TRUE(server_.Register({"huge", "", GetHuge}).ok());
    Resource changing;
    changing.path = "changing";
    changing.get = GetChanging;
    changing.context = &counters_;
    ASSERT_TRUE(server_.Register(changing).ok());
    Resource put;
    put.path = "c/cfg";
    put.put = PutCount;
    put.context = &counters_;
    put.request_format = content_format::kCbor;
    ASSERT_TRUE(server_.Register(put).ok());
  }

  struct Req {
    Type type = Type::kConfirmable;
    uint8_t code = code::kGet;
    uint16_t mid = 0x100;
    std::vector<std::string> path;
    int content_format = -1;
    int block1 = -1;
    int block2 = -1;
    int accept = -1;
    uint16_t extra_option = 0;
    std::vector<uint8_t> payload;
  };

  std::vector<uint8_t> Build(const Req& r) {
    uint8_t buffer[1500];
    MessageBuilder b(buffer);
    const uint8_t token[] = {0x7A, 0x7B};
    EXPECT_TRUE(b.Header(r.type, r.code, r.mid, token).ok());
    // Test options below Uri-Path (11), written first to keep ascending order.
    if (r.extra_option != 0) EXPECT_TRUE(b.AddUintOption(r.extra_option, 1).ok());
    for (const std::string& s : r.path) EXPECT_TRUE(b.AddStringOption(option::kUriPath, s).ok());
    if (r.content_format >= 0) {
      EXPECT_TRUE(b.AddUintOption(option::kContentFormat, uint32_t(r.content_format)).ok());
    }
    if (r.accept >= 0) EXPECT_TRUE(b.AddUintOption(option::kAccept, uint32_t(r.accept)).ok());
    if (r.block2 >= 0) EXPECT_TRUE(b.AddUintOption(option::kBlock2, uint32_t(r.block2)).ok());
    if (r.block1 >= 0) EXPECT_TRUE(b.AddUintOption(option::kBlock1, uint32_t(r.block1)).ok());
    EXPECT_TRUE(b.SetPayload(r.payload).ok());
    return {b.bytes().begin(), b.bytes().end()};
  }

  // Sends the request and parses the reply into reply_ (false when nothing was sent back).
  bool Send(const Req& r, uint64_t peer = 1) {
    datagram_ = Build(r);
    const Server::Outcome out = server_.Handle(datagram_, peer, now_ms_, reply_buffer_);
    last_status_ = out.status;
    if (out.reply.empty()) return false;
    reply_bytes_.assign(out.reply.begin(), out.reply.end());
    EXPECT_TRUE(ParseMessage(reply_bytes_, reply_).ok());
    return true;
  }
  std::string Payload() const { return {reply_.payload.begin(), reply_.payload.end()}; }

  Server server_{0x4000};
  Counters counters_;
  uint8_t reply_buffer_[kMaxReplySize];
  std::vector<uint8_t> datagram_, reply_bytes_;
  Message reply_;
  Status last_status_;
  uint32_t now_ms_ = 0;
};

TEST_F(CoapServerTest, ConGetIsPiggybackedOnAck) {
  ASSERT_TRUE(Send({.path = {"status"}}));
  EXPECT_EQ(reply_.type, Type::kAcknowledgement);
  EXPECT_EQ(reply_.message_id, 0x100);
  EXPECT_EQ(reply_.code, code::kContent);
  ASSERT_EQ(reply_.token_length, 2);
  EXPECT_EQ(reply_.token[1], 0x7B);
  EXPECT_EQ(*reply_.FindUint(option::kContentFormat), 0u);
  EXPECT_EQ(Payload(), "ok");
}

TEST_F(CoapServerTest, NonGetIsAnsweredWithNon) {
  ASSERT_TRUE(Send({.type = Type::kNonConfirmable, .path = {"status"}}));
  EXPECT_EQ(reply_.type, Type::kNonConfirmable);
  EXPECT_EQ(reply_.message_id, 0x4000);
  EXPECT_EQ(Payload(), "ok");
}

TEST_F(CoapServerTest, WellKnownCoreListsResources) {
  ASSERT_TRUE(Send({.path = {".well-known", "core"}}));
  EXPECT_EQ(reply_.code, code::kContent);
  EXPECT_EQ(*reply_.FindUint(option::kContentFormat), content_format::kLinkFormat);
  EXPECT_EQ(Payload(), "</status>;rt=\"tc.status\",</big>,</huge>,</changing>,</c/cfg>");
  ASSERT_TRUE(Send({.code = code::kPost, .mid = 2, .path = {".well-known", "core"}}));
  EXPECT_EQ(reply_.code, code::kMethodNotAllowed);
}

TEST_F(CoapServerTest, ErrorAnswers) {
  ASSERT_TRUE(Send({.mid = 1, .path = {"nope"}}));
  EXPECT_EQ(reply_.code, code::kNotFound);
  ASSERT_TRUE(Send({.mid = 2, .path = {"status", "x"}}));
  EXPECT_EQ(reply_.code, code::kNotFound);
  ASSERT_TRUE(Send({.mid = 3, .path = {"c"}}));
  EXPECT_EQ(reply_.code, code::kNotFound);
  ASSERT_TRUE(Send({.mid = 4}));
  EXPECT_EQ(reply_.code, code::kNotFound);
  ASSERT_TRUE(Send({.code = code::kDelete, .mid = 5, .path = {"status"}}));
  EXPECT_EQ(reply_.code, code::kMethodNotAllowed);
  ASSERT_TRUE(Send({.code = MakeCode(0, 9), .mid = 6, .path = {"status"}}));
  EXPECT_EQ(reply_.code, code::kMethodNotAllowed);
  ASSERT_TRUE(Send({.mid = 7, .path = {"status"}, .block2 = 0x07}));
  EXPECT_EQ(reply_.code, code::kBadRequest);
  EXPECT_EQ(Payload(), "block SZX 7 is reserved");
  ASSERT_TRUE(Send({.mid = 8, .path = {"status"}, .extra_option = 9}));
  EXPECT_EQ(reply_.code, code::kBadOption);
  ASSERT_TRUE(Send({.mid = 9, .path = {"status"}, .extra_option = 10}));  // elective: ignored
  EXPECT_EQ(reply_.code, code::kContent);
  ASSERT_TRUE(Send({.mid = 10, .path = {"status"}, .accept = content_format::kCbor}));
  EXPECT_EQ(reply_.code, code::kNotAcceptable);
  ASSERT_TRUE(Send({.mid = 11, .path = {"huge"}}));
  EXPECT_EQ(reply_.code, code::kInternalServerError);
}

TEST_F(CoapServerTest, ContentFormatIsChecked) {
  ASSERT_TRUE(Send({.code = code::kPut, .mid = 1, .path = {"c", "cfg"}, .payload = {1}}));
  EXPECT_EQ(reply_.code, code::kUnsupportedContentFormat);
  ASSERT_TRUE(Send({.code = code::kPut,
                    .mid = 2,
                    .path = {"c", "cfg"},
                    .content_format = content_format::kJson,
                    .payload = {1}}));
  EXPECT_EQ(reply_.code, code::kUnsupportedContentFormat);
  EXPECT_EQ(counters_.puts, 0);
  ASSERT_TRUE(Send({.code = code::kPut,
                    .mid = 3,
                    .path = {"c", "cfg"},
                    .content_format = content_format::kCbor,
                    .payload = {1}}));
  EXPECT_EQ(reply_.code, code::kChanged);
  EXPECT_EQ(counters_.puts, 1);
}

TEST_F(CoapServerTest, Block2ServesLargeBodyInBlocks) {
  std::string whole;
  for (uint32_t num = 0;; ++num) {
    ASSERT_TRUE(Send({.mid = uint16_t(num), .path = {"big"}, .block2 = int((num << 4) | 2)}));
    ASSERT_EQ(reply_.code, code::kContent);
    const Option* o = reply_.Find(option::kBlock2);
    ASSERT_NE(o, nullptr);
    const BlockOption b = *DecodeBlock(o->value);
    EXPECT_EQ(b.num, num);
    EXPECT_EQ(b.szx, 2);
    if (num == 0) EXPECT_EQ(*reply_.FindUint(option::kSize2), 700u);
    whole += Payload();
    if (!b.more) break;
    EXPECT_EQ(reply_.payload.size(), 64u);
  }
  EXPECT_EQ(whole.size(), 700u);
  EXPECT_EQ(whole.substr(0, 3), "abc");
}

TEST_F(CoapServerTest, Block2OfAChangingResourceComesFromOneSnapshotWithOneETag) {
  std::string whole;
  std::vector<uint8_t> etag;
  for (uint32_t num = 0; num < 3; ++num) {
    ASSERT_TRUE(Send({.mid = uint16_t(num), .path = {"changing"}, .block2 = int(num << 4 | 4)}));
    ASSERT_EQ(reply_.code, code::kContent);
    const Option* o = reply_.Find(option::kETag);
    ASSERT_NE(o, nullptr);
    if (num == 0) etag.assign(o->value.begin(), o->value.end());
    EXPECT_EQ(std::vector<uint8_t>(o->value.begin(), o->value.end()), etag) << num;
    whole += Payload();
  }
  EXPECT_EQ(counters_.puts, 1);  // the handler ran for block 0 only
  EXPECT_EQ(whole, std::string(600, 'B'));

  // Another request in between replaces the snapshot: block 1 is cut from a new representation
  // and says so with another ETag, so the client starts again.
  ASSERT_TRUE(Send({.mid = 10, .path = {"changing"}, .block2 = 0 << 4 | 4}));
  ASSERT_TRUE(Send({.mid = 11, .path = {"status"}}));
  ASSERT_TRUE(Send({.mid = 12, .path = {"changing"}, .block2 = 1 << 4 | 4}));
  const Option* o = reply_.Find(option::kETag);
  ASSERT_NE(o, nullptr);
  EXPECT_NE(std::vector<uint8_t>(o->value.begin(), o->value.end()), etag);
  // A different peer never gets another peer's snapshot.
  ASSERT_TRUE(Send({.mid = 20, .path = {"changing"}, .block2 = 0 << 4 | 4}, 1));
  ASSERT_TRUE(Send({.mid = 21, .path = {"changing"}, .block2 = 1 << 4 | 4}, 2));
  EXPECT_EQ(counters_.puts, 5);
}

TEST_F(CoapServerTest, Block2StartsOnItsOwnAndShrinksLargeBlocks) {
  ASSERT_TRUE(Send({.mid = 1, .path = {"big"}}));
  BlockOption b = *DecodeBlock(reply_.Find(option::kBlock2)->value);
  EXPECT_EQ(b, (BlockOption{0, true, kServerMaxSzx}));
  EXPECT_EQ(reply_.payload.size(), 256u);
  // Block 1 of 1024-byte blocks is offset 1024: past the 700-byte body.
  ASSERT_TRUE(Send({.mid = 2, .path = {"big"}, .block2 = (1 << 4) | 6}));
  EXPECT_EQ(reply_.code, code::kBadOption);
  // Block 0 of 512-byte blocks becomes block 0 of 256-byte blocks.
  ASSERT_TRUE(Send({.mid = 3, .path = {"big"}, .block2 = 5}));
  b = *DecodeBlock(reply_.Find(option::kBlock2)->value);
  EXPECT_EQ(b, (BlockOption{0, true, kServerMaxSzx}));
}

TEST_F(CoapServerTest, Block1UploadIsAcknowledgedPerBlock) {
  Req r{.code = code::kPut, .path = {"c", "cfg"}, .content_format = content_format::kCbor};
  r.mid = 1;
  r.block1 = (0 << 4) | 0x8 | 0;  // block 0, more, 16 bytes
  r.payload.assign(16, 0xAB);
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(reply_.code, code::kContinue);
  EXPECT_EQ(*DecodeBlock(reply_.Find(option::kBlock1)->value), (BlockOption{0, true, 0}));
  r.mid = 2;
  r.block1 = (1 << 4) | 0;  // last block
  r.payload.assign(5, 0xCD);
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(reply_.code, code::kChanged);
  EXPECT_EQ(*DecodeBlock(reply_.Find(option::kBlock1)->value), (BlockOption{1, false, 0}));
  EXPECT_EQ(counters_.puts, 2);
  // A non-final block whose size differs from SZX, and a block larger than the server takes.
  r.mid = 3;
  r.block1 = 0x8 | 1;
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(reply_.code, code::kBadRequest);
  r.mid = 4;
  r.block1 = 6;
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(reply_.code, code::kRequestEntityTooLarge);
  EXPECT_EQ(DecodeBlock(reply_.Find(option::kBlock1)->value)->szx, kServerMaxSzx);
  EXPECT_EQ(counters_.puts, 2);
}

TEST_F(CoapServerTest, DuplicateConGetsCachedReplyWithoutRerunning) {
  Req r{.code = code::kPut,
        .mid = 77,
        .path = {"c", "cfg"},
        .content_format = content_format::kCbor,
        .payload = {1}};
  ASSERT_TRUE(Send(r));
  const std::vector<uint8_t> first = reply_bytes_;
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(reply_bytes_, first);
  EXPECT_EQ(counters_.puts, 1);
  ASSERT_TRUE(Send(r, /*peer=*/2));  // same id from another peer is a new request
  EXPECT_EQ(counters_.puts, 2);
  now_ms_ += kExchangeLifetimeMs;
  ASSERT_TRUE(Send(r));
  EXPECT_EQ(counters_.puts, 3);
}

TEST_F(CoapServerTest, DuplicateNonIsDropped) {
  Req r{.type = Type::kNonConfirmable, .mid = 5, .path = {"status"}};
  ASSERT_TRUE(Send(r));
  EXPECT_FALSE(Send(r));
}

TEST_F(CoapServerTest, MalformedConGetsResetOthersAreDropped) {
  const std::vector<uint8_t> bad_con = {0x40, 0x01, 0x12, 0x34, 0xF1, 'a'};
  Server::Outcome out = server_.Handle(bad_con, 1, 0, reply_buffer_);
  EXPECT_EQ(out.status.code(), ErrorCode::kMalformed);
  ASSERT_EQ(out.reply.size(), 4u);
  EXPECT_EQ(out.reply[0], 0x70);  // version 1, RST, no token
  EXPECT_EQ(out.reply[1], 0x00);
  EXPECT_EQ(out.reply[2], 0x12);
  EXPECT_EQ(out.reply[3], 0x34);

  const std::vector<uint8_t> bad_non = {0x50, 0x01, 0, 1, 0xF1, 'a'};
  EXPECT_TRUE(server_.Handle(bad_non, 1, 0, reply_buffer_).reply.empty());
  const std::vector<uint8_t> bad_version = {0x80, 0x01, 0, 1};
  EXPECT_TRUE(server_.Handle(bad_version, 1, 0, reply_buffer_).reply.empty());
  const std::vector<uint8_t> short_header = {0x40, 0x01};
  EXPECT_TRUE(server_.Handle(short_header, 1, 0, reply_buffer_).reply.empty());
  const std::vector<uint8_t> ack = {0x60, 0x00, 0, 1};
  EXPECT_TRUE(server_.Handle(ack, 1, 0, reply_buffer_).reply.empty());
}

TEST_F(CoapServerTest, PingAndResponseCodesGetReset) {
  const std::vector<uint8_t> ping = {0x40, 0x00, 0xAA, 0xBB};
  Server::Outcome out = server_.Handle(ping, 1, 0, reply_buffer_);
  ASSERT_EQ(out.reply.size(), 4u);
  EXPECT_EQ(out.reply[0], 0x70);
  EXPECT_TRUE(out.status.ok());
  const std::vector<uint8_t> response_as_request = {0x40, 0x45, 0, 9};
  out = server_.Handle(response_as_request, 1, 0, reply_buffer_);
  ASSERT_EQ(out.reply.size(), 4u);
  EXPECT_EQ(out.status.code(), ErrorCode::kInvalid);
}

TEST(CoapServerRegister, RejectsBadRegistrations) {
  Server s;
  EXPECT_EQ(s.Register({"", "", GetStatus}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Register({"/a", "", GetStatus}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Register({"a//b", "", GetStatus}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Register({"a/", "", GetStatus}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Register({"a", ""}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Register({".well-known/core", "", GetStatus}).code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(s.Register({"a", "", GetStatus}).ok());
  EXPECT_EQ(s.Register({"a", "", GetStatus}).code(), ErrorCode::kAlreadyExists);
  const char* names[] = {"b", "c", "d", "e", "f", "g", "h", "i",
                         "j", "k", "l", "m", "n", "o", "p", "q"};
  for (size_t i = 0; i + 1 < kMaxResources; ++i)
    ASSERT_TRUE(s.Register({names[i], "", GetStatus}).ok());
  EXPECT_EQ(s.Register({names[15], "", GetStatus}).code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace tc::coap
