// SHA-256 and SHA-512 against FIPS 180-4 / RFC 6234 vectors, fed whole and in random pieces.
#include <gtest/gtest.h>

#include <random>

#include "hex.h"
#include "tc/crypto/sha256.h"
#include "tc/crypto/sha512.h"

namespace tc::crypto {
namespace {

using testing::Bytes;
using testing::Hex;

struct Vector {
  std::string message;
  const char* sha256;
  const char* sha512;
};

const Vector kVectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877ee"
     "c"
     "2f63b931bd47417a81a538327af927da3e"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3fee"
     "b"
     "bd454d4423643ce80e2a9ac94fa54ca49f"},
    // 448 bits: the padding no longer fits the first SHA-256 block.
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789"
     "c"
     "a031ad85c7a71dd70354ec631238ca3445"},
    // 896 bits: two SHA-256 blocks; the padding no longer fits the SHA-512 block.
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnop"
     "q"
     "rsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b54"
     "3"
     "3ac7d329eeb6dd26545e96e55b874be909"},
    {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
     "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c"
     "3"
     "1beb009c5c2c49aa2e4eadb217ad8cc09b"},
};

template <typename Digest>
std::vector<uint8_t> ToVector(const Digest& d) {
  return std::vector<uint8_t>(d.begin(), d.end());
}

// Feeds `message` in pieces of random length (including empty ones).
template <typename Hasher>
auto HashInPieces(const std::vector<uint8_t>& message, std::mt19937& rng) {
  Hasher hasher;
  size_t offset = 0;
  while (offset < message.size()) {
    size_t piece = std::uniform_int_distribution<size_t>(0, 300)(rng);
    if (piece > message.size() - offset) piece = message.size() - offset;
    hasher.Update(std::span<const uint8_t>(message.data() + offset, piece));
    offset += piece;
  }
  return hasher.Final();
}

TEST(Sha256Test, FipsVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(ToVector(Sha256::Hash(Bytes(v.message))), Hex(v.sha256)) << v.message.size();
  }
}

TEST(Sha512Test, FipsVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(ToVector(Sha512::Hash(Bytes(v.message))), Hex(v.sha512)) << v.message.size();
  }
}

TEST(Sha256Test, RandomSplitPointsGiveTheSameDigest) {
  std::mt19937 rng(1);
  for (const Vector& v : kVectors) {
    if (v.message.size() > 10000) continue;
    for (int round = 0; round < 20; ++round) {
      EXPECT_EQ(ToVector(HashInPieces<Sha256>(Bytes(v.message), rng)), Hex(v.sha256));
    }
  }
  std::vector<uint8_t> long_message(5000);
  for (auto& b : long_message) b = static_cast<uint8_t>(rng());
  auto whole = Sha256::Hash(long_message);
  for (int round = 0; round < 50; ++round)
    EXPECT_EQ(HashInPieces<Sha256>(long_message, rng), whole);
}

TEST(Sha512Test, RandomSplitPointsGiveTheSameDigest) {
  std::mt19937 rng(2);
  for (const Vector& v : kVectors) {
    if (v.message.size() > 10000) continue;
    for (int round = 0; round < 20; ++round) {
      EXPECT_EQ(ToVector(HashInPieces<Sha512>(Bytes(v.message), rng)), Hex(v.sha512));
    }
  }
  std::vector<uint8_t> long_message(5000);
  for (auto& b : long_message) b = static_cast<uint8_t>(rng());
  auto whole = Sha512::Hash(long_message);
  for (int round = 0; round < 50; ++round)
    EXPECT_EQ(HashInPieces<Sha512>(long_message, rng), whole);
}

TEST(Sha256Test, ByteByByteMillionA) {
  Sha256 sha;
  const uint8_t a = 'a';
  for (int i = 0; i < 1000000; ++i) sha.Update(std::span<const uint8_t>(&a, 1));
  EXPECT_EQ(ToVector(sha.Final()), Hex(kVectors[4].sha256));
}

TEST(Sha256Test, FinalResetsForTheNextMessage) {
  Sha256 sha;
  sha.Update(Bytes("garbage"));
  (void)sha.Final();
  sha.Update(Bytes("abc"));
  EXPECT_EQ(ToVector(sha.Final()), Hex(kVectors[1].sha256));
  sha.Update(Bytes("junk"));
  sha.Init();
  EXPECT_EQ(ToVector(sha.Final()), Hex(kVectors[0].sha256));
}

TEST(Sha512Test, FinalResetsForTheNextMessage) {
  Sha512 sha;
  sha.Update(Bytes("garbage"));
  (void)sha.Final();
  sha.Update(Bytes("abc"));
  EXPECT_EQ(ToVector(sha.Final()), Hex(kVectors[1].sha512));
}

}  // namespace
}  // namespace tc::crypto
