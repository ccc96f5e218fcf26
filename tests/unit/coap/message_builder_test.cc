#include "tc/net/coap/message_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace tc::coap {
namespace {

TEST(CoapBuilder, RoundTripsThroughTheParser) {
  uint8_t buffer[2048];
  MessageBuilder b(buffer);
  const uint8_t token[] = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(b.Header(Type::kNonConfirmable, code::kPost, 0xBEEF, token).ok());
  ASSERT_TRUE(b.AddStringOption(option::kUriPath, "a").ok());
  ASSERT_TRUE(b.AddStringOption(option::kUriPath, "bb").ok());
  ASSERT_TRUE(b.AddUintOption(option::kContentFormat, content_format::kCbor).ok());
  const std::vector<uint8_t> long_value(400, 0x5A);
  ASSERT_TRUE(b.AddOption(option::kSize1, std::vector<uint8_t>(20, 1)).ok());  // delta 13+
  ASSERT_TRUE(b.AddOption(1000, long_value).ok());                             // delta/len 14
  const uint8_t payload[] = {9, 8, 7};
  ASSERT_TRUE(b.SetPayload(payload).ok());

  Message m;
  ASSERT_TRUE(ParseMessage(b.bytes(), m).ok());
  EXPECT_EQ(m.type, Type::kNonConfirmable);
  EXPECT_EQ(m.code, code::kPost);
  EXPECT_EQ(m.message_id, 0xBEEF);
  ASSERT_EQ(m.token_length, 8);
  EXPECT_EQ(m.token[7], 8);
  ASSERT_EQ(m.options.size(), 5u);
  EXPECT_EQ(m.options[1].value.size(), 2u);
  EXPECT_EQ(*m.FindUint(option::kContentFormat), 60u);
  EXPECT_EQ(m.options[3].number, option::kSize1);
  EXPECT_EQ(m.options[3].value.size(), 20u);
  EXPECT_EQ(m.options[4].number, 1000);
  EXPECT_EQ(m.options[4].value.size(), 400u);
  ASSERT_EQ(m.payload.size(), 3u);
  EXPECT_EQ(m.payload[2], 7);
}

TEST(CoapBuilder, KnownBytes) {
  uint8_t buffer[64];
  MessageBuilder b(buffer);
  const uint8_t token[] = {0xAB};
  ASSERT_TRUE(b.Header(Type::kAcknowledgement, code::kContent, 0x0102, token).ok());
  ASSERT_TRUE(b.AddUintOption(option::kContentFormat, 0).ok());
  ASSERT_TRUE(b.SetPayload(std::vector<uint8_t>{'o', 'k'}).ok());
  const std::vector<uint8_t> expected = {0x61, 0x45, 0x01, 0x02, 0xAB, 0xC0, 0xFF, 'o', 'k'};
  EXPECT_EQ(std::vector<uint8_t>(b.bytes().begin(), b.bytes().end()), expected);
}

TEST(CoapBuilder, UintUsesShortestEncoding) {
  for (const auto& [value, length] : std::vector<std::pair<uint32_t, size_t>>{
           {0, 0}, {1, 1}, {255, 1}, {256, 2}, {65535, 2}, {65536, 3}, {0x01000000, 4}}) {
    uint8_t buffer[16];
    MessageBuilder b(buffer);
    ASSERT_TRUE(b.Header(Type::kConfirmable, code::kGet, 1, {}).ok());
    ASSERT_TRUE(b.AddUintOption(option::kSize2, value).ok());
    Message m;
    ASSERT_TRUE(ParseMessage(b.bytes(), m).ok());
    EXPECT_EQ(m.options[0].value.size(), length) << value;
    EXPECT_EQ(*m.FindUint(option::kSize2), value);
  }
}

TEST(CoapBuilder, RefusesOutOfOrderUse) {
  uint8_t buffer[64];
  MessageBuilder b(buffer);
  EXPECT_EQ(b.AddUintOption(option::kUriPath, 1).code(), ErrorCode::kInvalidArgument);
  const uint8_t long_token[9] = {};
  EXPECT_EQ(b.Header(Type::kConfirmable, code::kGet, 1, long_token).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(b.Header(Type::kConfirmable, code::kGet, 1, {}).ok());
  ASSERT_TRUE(b.AddStringOption(option::kUriQuery, "q").ok());
  EXPECT_EQ(b.AddStringOption(option::kUriPath, "p").code(), ErrorCode::kInvalidArgument);
  const uint8_t payload[] = {1};
  ASSERT_TRUE(b.SetPayload(payload).ok());
  EXPECT_EQ(b.AddUintOption(option::kSize1, 1).code(), ErrorCode::kInvalidArgument);
}

TEST(CoapBuilder, FullBufferWritesNothingMore) {
  uint8_t buffer[8];
  MessageBuilder b(buffer);
  ASSERT_TRUE(b.Header(Type::kConfirmable, code::kGet, 1, {}).ok());
  EXPECT_EQ(b.AddStringOption(option::kUriPath, "toolong").code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(b.size(), 4u);
  const uint8_t payload[4] = {};
  EXPECT_EQ(b.SetPayload(payload).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(b.size(), 4u);
}

TEST(CoapBuilder, EmptyPayloadWritesNoMarker) {
  uint8_t buffer[8];
  MessageBuilder b(buffer);
  ASSERT_TRUE(b.Header(Type::kReset, code::kEmpty, 7, {}).ok());
  ASSERT_TRUE(b.SetPayload({}).ok());
  EXPECT_EQ(b.size(), 4u);
  Message m;
  EXPECT_TRUE(ParseMessage(b.bytes(), m).ok());
}

}  // namespace
}  // namespace tc::coap
