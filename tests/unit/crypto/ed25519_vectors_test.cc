// Ed25519 verification against the RFC 8032 §7.1 test vectors, the streaming interface and the
// error paths that do not need libsodium (see ed25519_differential_test.cc for those that do).
#include <gtest/gtest.h>

#include "hex.h"
#include "tc/crypto/ed25519.h"
#include "tc/crypto/sha512.h"

namespace tc::crypto {
namespace {

using testing::Hex;
using Bytes = std::vector<uint8_t>;

struct Rfc8032Vector {
  const char* name;
  std::vector<uint8_t> public_key;
  std::vector<uint8_t> message;
  std::vector<uint8_t> signature;
};

std::vector<Rfc8032Vector> Vectors() {
  auto abc = Sha512::Hash(std::vector<uint8_t>{'a', 'b', 'c'});
  return {
      {"TEST 1",
       Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
       {},
       Hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e397"
           "01c"
           "f9b46bd25bf5f0595bbe24655141438e7a100b")},
      {"TEST 2", Hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"), Hex("72"),
       Hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f361"
           "3d0"
           "f11d8c387b2eaeb4302aeeb00d291612bb0c00")},
      {"TEST 3", Hex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"),
       Hex("af82"),
       Hex("6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f76"
           "098"
           "4dc6594a7c15e9716ed28dc027beceea1ec40a")},
      {"TEST 1024", Hex("278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e"),
       Hex("08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f"
           "54e"
           "9f77b1e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c"
           "93a"
           "1b270b20329d658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb85"
           "50e"
           "e3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310"
           "da9"
           "03401aa62100ab5d1a36553e06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbe"
           "fef"
           "d75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68"
           "c83"
           "f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d05"
           "32e"
           "d8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9a"
           "ad6"
           "079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f27088d78b7e883c8759d2c4f5c65adb7553878ad57"
           "5f9"
           "fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b070"
           "7e0"
           "917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebf"
           "e80"
           "8b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144"
           "da2"
           "af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb751fb73e666c6c65"
           "5ad"
           "e8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988dcda6f3bfd"
           "15c"
           "4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff73"
           "10f"
           "dc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4a"
           "ca7"
           "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b"
           "939"
           "ae49e488acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e3"
           "08a"
           "a342721aac0943bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2"
           "f25"
           "6656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334"
           "ba7"
           "7c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03"
           "412"
           "c091c6315cf4fde7cb68606937380db2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac8"
           "6ab"
           "a41c0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0"),
       Hex("0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea2"
           "3c4"
           "36d94b5e8fcd4f681e30a6ac00a9704a188a03")},
      {"TEST SHA(abc)", Hex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"),
       std::vector<uint8_t>(abc.begin(), abc.end()),
       Hex("dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c"
           "664"
           "31e0303dca179c138ac17ad9bef1177331a704")},
  };
}

TEST(Ed25519VectorsTest, Rfc8032VectorsVerify) {
  ASSERT_EQ(Vectors()[3].message.size(), 1023u);  // TEST 1024's message is 1023 bytes
  for (const auto& v : Vectors()) {
    Status status = Ed25519Verify(v.public_key, v.message, v.signature);
    EXPECT_TRUE(status.ok()) << v.name << ": " << status.message();
  }
}

TEST(Ed25519VectorsTest, FlippedBitsAreRejected) {
  // Every bit of TEST 2's signature and key; one bit per byte (rotating) for the other vectors.
  for (const auto& v : Vectors()) {
    const size_t stride = std::string_view(v.name) == "TEST 2" ? 1 : 9;
    for (size_t bit = 0; bit < 64 * 8; bit += stride) {
      auto sig = v.signature;
      sig[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      EXPECT_FALSE(Ed25519Verify(v.public_key, v.message, sig).ok())
          << v.name << " sig bit " << bit;
    }
    for (size_t bit = 0; bit < 32 * 8; bit += stride) {
      auto key = v.public_key;
      key[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      EXPECT_FALSE(Ed25519Verify(key, v.message, v.signature).ok()) << v.name << " key bit " << bit;
    }
    if (!v.message.empty()) {
      auto message = v.message;
      message[message.size() / 2] ^= 0x10;
      EXPECT_EQ(Ed25519Verify(v.public_key, message, v.signature).code(),
                ErrorCode::kIntegrityError);
    }
  }
}

TEST(Ed25519VectorsTest, StreamingInAnyPiecesMatches) {
  const auto vectors = Vectors();
  const auto& v = vectors[3];
  for (size_t piece : {1u, 7u, 64u, 127u, 128u, 129u, 1000u}) {
    Ed25519Verifier verifier;
    ASSERT_TRUE(verifier.Start(v.public_key, v.signature).ok());
    for (size_t offset = 0; offset < v.message.size(); offset += piece) {
      verifier.Update(std::span<const uint8_t>(v.message).subspan(
          offset, std::min(piece, v.message.size() - offset)));
    }
    EXPECT_TRUE(verifier.Finish().ok()) << piece;
  }
}

TEST(Ed25519VectorsTest, WrongLengthsAreInvalidArguments) {
  const auto v = Vectors()[1];
  for (size_t size : {0u, 31u, 33u, 64u}) {
    std::vector<uint8_t> key(size, 0x11);
    if (size >= 32) std::copy(v.public_key.begin(), v.public_key.end(), key.begin());
    EXPECT_EQ(Ed25519Verify(key, v.message, v.signature).code(), ErrorCode::kInvalidArgument)
        << size;
  }
  for (size_t size : {0u, 32u, 63u, 65u, 128u}) {
    std::vector<uint8_t> sig(size, 0);
    for (size_t i = 0; i < std::min(size, v.signature.size()); ++i) sig[i] = v.signature[i];
    EXPECT_EQ(Ed25519Verify(v.public_key, v.message, sig).code(), ErrorCode::kInvalidArgument)
        << size;
  }
}

TEST(Ed25519VectorsTest, FinishWithoutSuccessfulStartFails) {
  Ed25519Verifier verifier;
  EXPECT_EQ(verifier.Finish().code(), ErrorCode::kFailedPrecondition);
  const auto v = Vectors()[0];
  EXPECT_FALSE(verifier.Start(v.public_key, std::span<const uint8_t>(v.signature).first(10)).ok());
  EXPECT_EQ(verifier.Finish().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(verifier.Start(v.public_key, v.signature).ok());
  EXPECT_TRUE(verifier.Finish().ok());
  EXPECT_EQ(verifier.Finish().code(), ErrorCode::kFailedPrecondition);
}

TEST(Ed25519VectorsTest, SpecificErrorsForEachRule) {
  const auto v = Vectors()[0];
  // S + L: the same group element, but not canonical.
  auto sig = v.signature;
  const auto l = Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    carry += sig[32 + i] + l[i];
    sig[32 + i] = static_cast<uint8_t>(carry);
    carry >>= 8;
  }
  Status s = Ed25519Verify(v.public_key, v.message, sig);
  EXPECT_EQ(s.code(), ErrorCode::kIntegrityError);
  EXPECT_STREQ(s.message(), "Ed25519 signature S is not below the group order");

  // y = p: non-canonical encoding of y = 0.
  auto key = Hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  EXPECT_EQ(Ed25519Verify(key, v.message, v.signature).code(), ErrorCode::kMalformed);
  // y = 2: no x satisfies the curve equation.
  key = Hex("0200000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(Ed25519Verify(key, v.message, v.signature).code(), ErrorCode::kMalformed);
  // y + p for every y < 19 that is on the curve: the same point as y, in a non-canonical encoding.
  int on_curve = 0;
  for (uint8_t y = 2; y < 19; ++y) {
    Bytes canonical(32, 0);
    canonical[0] = y;
    Status decoded = Ed25519Verify(canonical, v.message, v.signature);
    if (decoded.code() == ErrorCode::kMalformed) continue;
    ++on_curve;
    Bytes non_canonical(32, 0xff);
    non_canonical[0] = static_cast<uint8_t>(0xed + y);
    non_canonical[31] = 0x7f;
    Status s2 = Ed25519Verify(non_canonical, v.message, v.signature);
    EXPECT_EQ(s2.code(), ErrorCode::kMalformed);
    EXPECT_STREQ(s2.message(), "Ed25519 public key is not canonical (y >= p)");
  }
  EXPECT_GT(on_curve, 0);
  // x = 0 with the sign bit set ("negative zero"): not a valid encoding of (0, 1).
  key = Hex("0100000000000000000000000000000000000000000000000000000000000080");
  Status negative_zero = Ed25519Verify(key, v.message, v.signature);
  EXPECT_EQ(negative_zero.code(), ErrorCode::kMalformed);
  EXPECT_STREQ(negative_zero.message(), "Ed25519 public key is not a curve point");
  // The identity (0, 1) as the public key.
  key = Hex("0100000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(Ed25519Verify(key, v.message, v.signature).code(), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace tc::crypto
