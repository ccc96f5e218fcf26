#include "tc/base/byte_writer.h"

#include <gtest/gtest.h>

#include <array>

#include "tc/base/byte_reader.h"

namespace tc {
namespace {

TEST(ByteWriter, WritesBothEndiannessesAndRoundTrips) {
  std::array<uint8_t, 29> buffer{};
  ByteWriter w(buffer);
  ASSERT_TRUE(w.WriteU8(0xAB).ok());
  ASSERT_TRUE(w.WriteU16Le(0x1234).ok());
  ASSERT_TRUE(w.WriteU16Be(0x1234).ok());
  ASSERT_TRUE(w.WriteU32Le(0xDEADBEEF).ok());
  ASSERT_TRUE(w.WriteU32Be(0xDEADBEEF).ok());
  ASSERT_TRUE(w.WriteU64Le(0x0102030405060708ull).ok());
  ASSERT_TRUE(w.WriteU64Be(0x0102030405060708ull).ok());
  EXPECT_EQ(w.remaining(), 0u);
  EXPECT_EQ(buffer[1], 0x34);
  EXPECT_EQ(buffer[3], 0x12);

  ByteReader r(w.written());
  EXPECT_EQ(*r.ReadU8(), 0xAB);
  EXPECT_EQ(*r.ReadU16Le(), 0x1234);
  EXPECT_EQ(*r.ReadU16Be(), 0x1234);
  EXPECT_EQ(*r.ReadU32Le(), 0xDEADBEEFu);
  EXPECT_EQ(*r.ReadU32Be(), 0xDEADBEEFu);
  EXPECT_EQ(*r.ReadU64Le(), 0x0102030405060708ull);
  EXPECT_EQ(*r.ReadU64Be(), 0x0102030405060708ull);
}

TEST(ByteWriter, OverflowWritesNothing) {
  std::array<uint8_t, 3> buffer{0xEE, 0xEE, 0xEE};
  ByteWriter w(buffer);
  ASSERT_TRUE(w.WriteU16Le(0x0102).ok());
  Status s = w.WriteU16Le(0x0304);
  EXPECT_EQ(s, ErrorCode::kResourceExhausted);
  EXPECT_EQ(s.position(), 2u);
  EXPECT_EQ(buffer[2], 0xEE);
  const std::array<uint8_t, 2> two{9, 9};
  EXPECT_EQ(w.WriteBytes(two), ErrorCode::kResourceExhausted);
  EXPECT_EQ(buffer[2], 0xEE);
  EXPECT_EQ(w.size(), 2u);
  EXPECT_TRUE(w.WriteBytes(std::span(two).first(1)).ok());
  EXPECT_EQ(buffer[2], 9);
}

}  // namespace
}  // namespace tc
