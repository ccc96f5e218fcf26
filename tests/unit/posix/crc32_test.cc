#include "tc/port/posix/crc32.h"

#include <gtest/gtest.h>

#include <string_view>

namespace tc::port::posix {
namespace {

uint32_t Crc(std::string_view s) {
  return Crc32({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(Crc32, CheckValues) {
  EXPECT_EQ(Crc(""), 0u);
  EXPECT_EQ(Crc("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(Crc("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
}

}  // namespace
}  // namespace tc::port::posix
