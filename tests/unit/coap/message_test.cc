#include "tc/net/coap/message.h"

#include <gtest/gtest.h>

#include <vector>

namespace tc::coap {
namespace {

Status Parse(const std::vector<uint8_t>& bytes, Message& m) { return ParseMessage(bytes, m); }

TEST(CoapMessage, ParsesHeaderTokenOptionsAndPayload) {
  // CON GET mid 0x1234, token "ab", Uri-Path "status", Uri-Query "x", payload "hi".
  const std::vector<uint8_t> bytes = {0x42, 0x01, 0x12, 0x34, 'a',  'b', 0xB6, 's', 't',
                                      'a',  't',  'u',  's',  0x41, 'x', 0xFF, 'h', 'i'};
  Message m;
  ASSERT_TRUE(Parse(bytes, m).ok());
  EXPECT_EQ(m.type, Type::kConfirmable);
  EXPECT_EQ(m.code, code::kGet);
  EXPECT_EQ(m.message_id, 0x1234);
  ASSERT_EQ(m.token_length, 2);
  EXPECT_EQ(m.token[1], 'b');
  ASSERT_EQ(m.options.size(), 2u);
  EXPECT_EQ(m.options[0].number, option::kUriPath);
  EXPECT_EQ(m.options[0].value.size(), 6u);
  EXPECT_EQ(m.options[1].number, option::kUriQuery);
  ASSERT_EQ(m.payload.size(), 2u);
  EXPECT_EQ(m.payload[0], 'h');
  EXPECT_TRUE(m.is_request());
}

TEST(CoapMessage, ExtendedDeltaAndLength) {
  // Option 60 (Size1): delta 60 = 13 + 47; option 300 (delta 240 = 13 + 227); then a 300-byte
  // value on option 300 + 269 + 1 = 570 (delta 270 = 14 encoding 1).
  std::vector<uint8_t> bytes = {0x50, 0x45, 0x00, 0x01, 0xD1, 47, 0x07, 0xD0, 227};
  bytes.push_back(0xEE);
  bytes.push_back(0x00);
  bytes.push_back(0x01);  // delta 270
  bytes.push_back(0x00);
  bytes.push_back(31);  // length 300
  bytes.insert(bytes.end(), 300, 0xAA);
  Message m;
  ASSERT_TRUE(Parse(bytes, m).ok()) << Parse(bytes, m).message();
  EXPECT_EQ(m.type, Type::kNonConfirmable);
  ASSERT_EQ(m.options.size(), 3u);
  EXPECT_EQ(m.options[0].number, 60);
  EXPECT_EQ(m.options[0].value[0], 0x07);
  EXPECT_EQ(m.options[1].number, 300);
  EXPECT_TRUE(m.options[1].value.empty());
  EXPECT_EQ(m.options[2].number, 570);
  EXPECT_EQ(m.options[2].value.size(), 300u);
  EXPECT_TRUE(m.payload.empty());
}

TEST(CoapMessage, RepeatedOptionsKeepOrder) {
  const std::vector<uint8_t> bytes = {0x40, 0x01, 0, 1, 0xB1, 'a', 0x01, 'b', 0x01, 'c'};
  Message m;
  ASSERT_TRUE(Parse(bytes, m).ok());
  ASSERT_EQ(m.options.size(), 3u);
  for (const Option& o : m.options) EXPECT_EQ(o.number, option::kUriPath);
  EXPECT_EQ(m.options[2].value[0], 'c');
}

TEST(CoapMessage, UintOption) {
  const std::vector<uint8_t> bytes = {0x40, 0x01, 0, 1, 0xC2, 0x01, 0x02};
  Message m;
  ASSERT_TRUE(Parse(bytes, m).ok());
  EXPECT_EQ(*m.FindUint(option::kContentFormat), 0x0102u);
  EXPECT_EQ(m.FindUint(option::kAccept).status().code(), ErrorCode::kNotFound);
}

TEST(CoapMessage, UintOptionLongerThanFourBytesIsMalformed) {
  const std::vector<uint8_t> bytes = {0x40, 0x01, 0, 1, 0xC5, 1, 2, 3, 4, 5};
  Message m;
  ASSERT_TRUE(Parse(bytes, m).ok());
  EXPECT_EQ(m.FindUint(option::kContentFormat).status().code(), ErrorCode::kMalformed);
}

struct BadCase {
  const char* name;
  std::vector<uint8_t> bytes;
  ErrorCode code;
  uint32_t position;
};

class CoapMalformed : public ::testing::TestWithParam<BadCase> {};

TEST_P(CoapMalformed, RejectedWithSpecificError) {
  Message m;
  const Status s = ParseMessage(GetParam().bytes, m);
  EXPECT_EQ(s.code(), GetParam().code) << s.message();
  EXPECT_EQ(s.position(), GetParam().position) << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Classes, CoapMalformed,
    ::testing::Values(
        BadCase{"empty", {}, ErrorCode::kTruncated, 0},
        BadCase{"truncated_header", {0x40, 0x01, 0x00}, ErrorCode::kTruncated, 0},
        BadCase{"version0", {0x00, 0x01, 0, 1}, ErrorCode::kUnsupported, 0},
        BadCase{"version2", {0x80, 0x01, 0, 1}, ErrorCode::kUnsupported, 0},
        BadCase{"token_length_9",
                {0x49, 0x01, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                ErrorCode::kMalformed,
                0},
        BadCase{"token_length_15", {0x4F, 0x01, 0, 1}, ErrorCode::kMalformed, 0},
        BadCase{"truncated_token", {0x44, 0x01, 0, 1, 'a', 'b'}, ErrorCode::kTruncated, 4},
        BadCase{"option_delta_15", {0x40, 0x01, 0, 1, 0xF1, 'a'}, ErrorCode::kMalformed, 4},
        BadCase{"option_length_15", {0x40, 0x01, 0, 1, 0x1F, 'a'}, ErrorCode::kMalformed, 4},
        BadCase{"truncated_delta_ext1", {0x40, 0x01, 0, 1, 0xD0}, ErrorCode::kTruncated, 5},
        BadCase{"truncated_delta_ext2", {0x40, 0x01, 0, 1, 0xE0, 0x01}, ErrorCode::kTruncated, 5},
        BadCase{"truncated_length_ext", {0x40, 0x01, 0, 1, 0x1D}, ErrorCode::kTruncated, 5},
        BadCase{"truncated_value", {0x40, 0x01, 0, 1, 0xB4, 'a', 'b'}, ErrorCode::kTruncated, 5},
        BadCase{
            "number_over_65535", {0x40, 0x01, 0, 1, 0xE0, 0xFF, 0xFF}, ErrorCode::kMalformed, 4},
        BadCase{"marker_empty_payload", {0x40, 0x01, 0, 1, 0xFF}, ErrorCode::kMalformed, 4},
        BadCase{
            "marker_after_option", {0x40, 0x01, 0, 1, 0xB1, 'a', 0xFF}, ErrorCode::kMalformed, 6},
        BadCase{"empty_message_with_token", {0x41, 0x00, 0, 1, 'x'}, ErrorCode::kMalformed, 4},
        BadCase{
            "empty_message_with_payload", {0x40, 0x00, 0, 1, 0xFF, 'x'}, ErrorCode::kMalformed, 4}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(CoapMessage, TooManyOptionsIsResourceExhausted) {
  std::vector<uint8_t> bytes = {0x40, 0x01, 0, 1};
  for (size_t i = 0; i < kMaxOptions + 1; ++i) bytes.push_back(0x00);  // delta 0 (number 0)
  Message m;
  EXPECT_EQ(ParseMessage(bytes, m).code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace tc::coap
