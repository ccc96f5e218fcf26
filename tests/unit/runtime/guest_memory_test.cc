#include "tc/runtime/guest_memory.h"

#include <gtest/gtest.h>

namespace tc::runtime {
namespace {

TEST(GuestMemory, ResolvesRangesInside) {
  uint8_t bytes[64] = {};
  GuestMemory memory(bytes);
  auto slice = memory.Resolve(8, 16);
  ASSERT_TRUE(slice.ok);
  EXPECT_EQ(slice.bytes.data(), bytes + 8);
  EXPECT_EQ(slice.bytes.size(), 16u);
  EXPECT_TRUE(memory.Resolve(0, 64).ok);
  EXPECT_TRUE(memory.Resolve(64, 0).ok);  // empty range at the end
}

TEST(GuestMemory, RejectsRangesReachingOutside) {
  uint8_t bytes[64] = {};
  GuestMemory memory(bytes);
  EXPECT_FALSE(memory.Resolve(60, 5).ok);
  EXPECT_FALSE(memory.Resolve(65, 0).ok);
  EXPECT_FALSE(memory.Resolve(0, 65).ok);
  EXPECT_FALSE(memory.Resolve(1, UINT64_MAX).ok);
}

TEST(GuestMemory, AddressPlusLengthCannotWrapAround) {
  uint8_t bytes[64] = {};
  GuestMemory memory(bytes);
  EXPECT_FALSE(memory.Resolve(UINT64_MAX, 2).ok);
  EXPECT_FALSE(memory.Resolve(UINT64_MAX - 3, 8).ok);
  EXPECT_FALSE(memory.Resolve(0xFFFFFFFFu, 0x10).ok);
}

TEST(GuestMemory, HonoursBaseAddress) {
  uint8_t bytes[32] = {};
  GuestMemory memory(bytes, 0x1000);
  EXPECT_FALSE(memory.Resolve(0xFFF, 1).ok);
  EXPECT_TRUE(memory.Resolve(0x1000, 32).ok);
  EXPECT_FALSE(memory.Resolve(0x1001, 32).ok);
  EXPECT_EQ(memory.Resolve(0x1004, 4).bytes.data(), bytes + 4);
}

}  // namespace
}  // namespace tc::runtime
