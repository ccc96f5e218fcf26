#include "tc/net/coap/block.h"

#include <gtest/gtest.h>

#include <vector>

namespace tc::coap {
namespace {

std::vector<uint8_t> UintBytes(uint32_t v) {
  std::vector<uint8_t> out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    if (out.empty() && ((v >> shift) & 0xFF) == 0) continue;
    out.push_back(static_cast<uint8_t>(v >> shift));
  }
  return out;
}

TEST(CoapBlock, RoundTrip) {
  for (const BlockOption& b : {BlockOption{0, false, 0}, BlockOption{0, true, 2},
                               BlockOption{5, false, 6}, BlockOption{kMaxBlockNum, true, 4}}) {
    const Result<uint32_t> value = EncodeBlock(b);
    ASSERT_TRUE(value.ok());
    const Result<BlockOption> back = DecodeBlock(UintBytes(*value));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, b);
  }
}

TEST(CoapBlock, KnownValues) {
  EXPECT_EQ(*EncodeBlock({1, true, 2}), 0x1Au);
  const Result<BlockOption> b = DecodeBlock(std::vector<uint8_t>{0x1A});
  EXPECT_EQ(b->num, 1u);
  EXPECT_TRUE(b->more);
  EXPECT_EQ(b->size(), 64u);
  EXPECT_EQ(b->offset(), 64u);
  const Result<BlockOption> empty = DecodeBlock({});
  EXPECT_EQ(*empty, (BlockOption{0, false, 0}));
}

TEST(CoapBlock, Limits) {
  EXPECT_EQ(DecodeBlock(std::vector<uint8_t>{0x07}).status().code(), ErrorCode::kMalformed);
  EXPECT_EQ(DecodeBlock(std::vector<uint8_t>{1, 2, 3, 4}).status().code(), ErrorCode::kMalformed);
  EXPECT_EQ(EncodeBlock({0, false, 7}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(EncodeBlock({kMaxBlockNum + 1, false, 0}).status().code(), ErrorCode::kInvalidArgument);
}

TEST(CoapBlock, SzxForSize) {
  EXPECT_EQ(*SzxForSize(16), 0);
  EXPECT_EQ(*SzxForSize(64), 2);
  EXPECT_EQ(*SzxForSize(100), 2);
  EXPECT_EQ(*SzxForSize(1024), 6);
  EXPECT_EQ(*SzxForSize(5000), 6);
  EXPECT_EQ(SzxForSize(15).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tc::coap
