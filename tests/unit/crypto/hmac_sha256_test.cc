// HMAC-SHA256 against the RFC 4231 test cases, and the constant-time helpers.
#include <gtest/gtest.h>

#include "hex.h"
#include "tc/crypto/constant_time.h"
#include "tc/crypto/hmac_sha256.h"

namespace tc::crypto {
namespace {

using testing::Bytes;
using testing::Hex;

struct Rfc4231Case {
  std::vector<uint8_t> key;
  std::vector<uint8_t> data;
  const char* tag;  // case 5 gives only the first 128 bits
};

std::vector<Rfc4231Case> Cases() {
  std::vector<uint8_t> key4;
  for (uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
  return {
      {std::vector<uint8_t>(20, 0x0b), Bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {Bytes("Jefe"), Bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::vector<uint8_t>(20, 0xaa), std::vector<uint8_t>(50, 0xdd),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {key4, std::vector<uint8_t>(50, 0xcd),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::vector<uint8_t>(20, 0x0c), Bytes("Test With Truncation"),
       "a3b6167473100ee06e0c796c2955552b"},
      {std::vector<uint8_t>(131, 0xaa),
       Bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::vector<uint8_t>(131, 0xaa),
       Bytes("This is a test using a larger than block-size key and a larger than block-size data. "
             "The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

std::vector<uint8_t> Prefix(const Sha256Digest& tag, size_t size) {
  return std::vector<uint8_t>(tag.begin(), tag.begin() + static_cast<long>(size));
}

TEST(HmacSha256Test, Rfc4231Vectors) {
  for (const auto& c : Cases()) {
    std::vector<uint8_t> expected = Hex(c.tag);
    EXPECT_EQ(Prefix(HmacSha256::Mac(c.key, c.data), expected.size()), expected) << c.tag;
  }
}

TEST(HmacSha256Test, IncrementalMatchesOneShotAndFinalRestartsUnderTheSameKey) {
  for (const auto& c : Cases()) {
    std::vector<uint8_t> expected = Hex(c.tag);
    HmacSha256 hmac(c.key);
    for (int round = 0; round < 2; ++round) {
      for (uint8_t byte : c.data) hmac.Update(std::span<const uint8_t>(&byte, 1));
      EXPECT_EQ(Prefix(hmac.Final(), expected.size()), expected) << "round " << round;
    }
  }
}

TEST(HmacSha256Test, KeyOfExactlyOneBlockIsUsedAsIs) {
  // 64 bytes is not "longer than the block": not hashed, so it differs from the hashed-key MAC.
  std::vector<uint8_t> key(64, 0x42);
  auto hashed_key = Sha256::Hash(key);
  EXPECT_NE(
      HmacSha256::Mac(key, Bytes("m")),
      HmacSha256::Mac(std::vector<uint8_t>(hashed_key.begin(), hashed_key.end()), Bytes("m")));
  std::vector<uint8_t> long_key(65, 0x42);
  auto hashed_long = Sha256::Hash(long_key);
  EXPECT_EQ(
      HmacSha256::Mac(long_key, Bytes("m")),
      HmacSha256::Mac(std::vector<uint8_t>(hashed_long.begin(), hashed_long.end()), Bytes("m")));
}

TEST(HmacSha256Test, VerifyAcceptsOnlyTheExactFullTag) {
  const auto c = Cases()[1];
  const std::vector<uint8_t> tag = Hex(c.tag);
  HmacSha256 hmac(c.key);
  hmac.Update(c.data);
  EXPECT_TRUE(hmac.Verify(tag).ok());
  for (size_t bit = 0; bit < tag.size() * 8; ++bit) {
    std::vector<uint8_t> bad = tag;
    bad[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
    hmac.Update(c.data);
    EXPECT_EQ(hmac.Verify(bad).code(), ErrorCode::kIntegrityError) << bit;
  }
  hmac.Update(c.data);
  EXPECT_EQ(hmac.Verify(std::span<const uint8_t>(tag).first(16)).code(),
            ErrorCode::kInvalidArgument);
  // Verify() restarted the MAC each time, so the next message starts clean.
  hmac.Update(c.data);
  EXPECT_TRUE(hmac.Verify(tag).ok());
}

TEST(ConstantTimeTest, EqualOnlyForSameLengthAndContent) {
  std::vector<uint8_t> a = Hex("00112233445566778899");
  EXPECT_TRUE(ConstantTimeEqual(a, a));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
  for (size_t i = 0; i < a.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> b = a;
      b[i] ^= static_cast<uint8_t>(1 << bit);
      EXPECT_FALSE(ConstantTimeEqual(a, b)) << i << ":" << bit;
    }
  }
  EXPECT_FALSE(ConstantTimeEqual(a, std::span<const uint8_t>(a).first(9)));
}

TEST(ConstantTimeTest, SecureZeroClears) {
  std::vector<uint8_t> secret(37, 0xa5);
  SecureZero(secret.data(), secret.size());
  EXPECT_EQ(secret, std::vector<uint8_t>(37, 0));
}

}  // namespace
}  // namespace tc::crypto
