#include "tc/base/byte_reader.h"

#include <gtest/gtest.h>

#include <array>

namespace tc {
namespace {

constexpr std::array<uint8_t, 9> kBytes = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};

TEST(ByteReader, ReadsLittleAndBigEndian) {
  ByteReader r(kBytes);
  EXPECT_EQ(*r.ReadU8(), 0x01);
  EXPECT_EQ(*r.ReadU16Le(), 0x0302);
  EXPECT_EQ(*r.ReadU16Be(), 0x0405);
  EXPECT_EQ(*r.ReadU32Be(), 0x06070809u);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, Reads64Bit) {
  ByteReader le(kBytes);
  EXPECT_EQ(*le.ReadU64Le(), 0x0807060504030201ull);
  ByteReader be(kBytes);
  EXPECT_EQ(*be.ReadU64Be(), 0x0102030405060708ull);
  EXPECT_EQ(be.remaining(), 1u);
}

TEST(ByteReader, ShortReadFailsWithPositionAndConsumesNothing) {
  ByteReader r(kBytes);
  ASSERT_TRUE(r.Skip(7).ok());
  auto v = r.ReadU32Le();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status(), ErrorCode::kTruncated);
  EXPECT_EQ(v.status().position(), 7u);
  EXPECT_EQ(r.position(), 7u);
  EXPECT_EQ(*r.ReadU16Le(), 0x0908);
  EXPECT_FALSE(r.ReadU8().ok());
  EXPECT_FALSE(r.PeekU8().ok());
}

TEST(ByteReader, ReadBytesReturnsAViewOrFails) {
  ByteReader r(kBytes);
  auto view = r.ReadBytes(3);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->size(), 3u);
  EXPECT_EQ((*view)[2], 0x03);
  EXPECT_EQ(r.ReadBytes(7).status(), ErrorCode::kTruncated);
  EXPECT_EQ(r.Skip(100), ErrorCode::kTruncated);
  EXPECT_EQ(r.position(), 3u);
  EXPECT_EQ(*r.PeekU8(), 0x04);
  EXPECT_EQ(r.position(), 3u);
}

TEST(ByteReader, HugeLengthDoesNotOverflow) {
  ByteReader r(kBytes);
  ASSERT_TRUE(r.Skip(1).ok());
  EXPECT_EQ(r.ReadBytes(SIZE_MAX).status(), ErrorCode::kTruncated);
  EXPECT_EQ(r.ReadBytes(SIZE_MAX - 1).status(), ErrorCode::kTruncated);
}

TEST(ByteReader, EmptyInput) {
  ByteReader r(std::span<const uint8_t>{});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.ReadU8().status(), ErrorCode::kTruncated);
  EXPECT_TRUE(r.ReadBytes(0).ok());
}

}  // namespace
}  // namespace tc
