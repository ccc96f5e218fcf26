// Differential tests against libsodium 1.0.18: SHA-256/512 and HMAC-SHA256 on random inputs, and
// Ed25519 accept/reject equal to crypto_sign_verify_detached on random and crafted signatures.
// TC_CRYPTO_DIFF_CASES sets the number of random cases (scripts/crypto-differential.sh runs many).
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <random>

#include "hex.h"
#include "tc/crypto/ed25519.h"
#include "tc/crypto/hmac_sha256.h"
#include "tc/crypto/sha256.h"
#include "tc/crypto/sha512.h"

namespace tc::crypto {
namespace {

using testing::Hex;
using Bytes = std::vector<uint8_t>;

// Random cases per test: TC_CRYPTO_DIFF_CASES, else the build's default (fewer under sanitizers).
int CaseCount() {
  const char* env = std::getenv("TC_CRYPTO_DIFF_CASES");
  return env != nullptr ? std::atoi(env) : TC_CRYPTO_DIFF_DEFAULT_CASES;
}

// libsodium declares its pointers non-null even for empty inputs.
const uint8_t* Data(const std::vector<uint8_t>& bytes) {
  static const uint8_t kNothing = 0;
  return bytes.empty() ? &kNothing : bytes.data();
}

Bytes RandomBytes(std::mt19937& rng, size_t size) {
  Bytes out(size);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

size_t RandomSize(std::mt19937& rng, size_t max) {
  return std::uniform_int_distribution<size_t>(0, max)(rng);
}

class LibsodiumTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(LibsodiumTest, Sha2AndHmacMatchOnRandomInputs) {
  std::mt19937 rng(3);
  const int cases = CaseCount();
  for (int i = 0; i < cases; ++i) {
    // Lengths cluster around the padding boundaries half of the time.
    size_t size =
        (i % 2 == 0) ? RandomSize(rng, 300) : 55 + RandomSize(rng, 3) + 64 * RandomSize(rng, 2);
    Bytes message = RandomBytes(rng, size);
    Bytes key = RandomBytes(rng, RandomSize(rng, 150));

    uint8_t expected256[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(expected256, Data(message), message.size());
    auto ours256 = Sha256::Hash(message);
    ASSERT_EQ(Bytes(ours256.begin(), ours256.end()), Bytes(expected256, expected256 + 32)) << size;

    uint8_t expected512[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(expected512, Data(message), message.size());
    auto ours512 = Sha512::Hash(message);
    ASSERT_EQ(Bytes(ours512.begin(), ours512.end()), Bytes(expected512, expected512 + 64)) << size;

    crypto_auth_hmacsha256_state state;
    uint8_t expected_mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&state, Data(key), key.size());
    crypto_auth_hmacsha256_update(&state, Data(message), message.size());
    crypto_auth_hmacsha256_final(&state, expected_mac);
    auto ours_mac = HmacSha256::Mac(key, message);
    ASSERT_EQ(Bytes(ours_mac.begin(), ours_mac.end()), Bytes(expected_mac, expected_mac + 32))
        << size << " key " << key.size();
  }
}

bool SodiumAccepts(const Bytes& key, const Bytes& message, const Bytes& sig) {
  return crypto_sign_verify_detached(sig.data(), Data(message), message.size(), key.data()) == 0;
}

// Both verifiers must agree; returns the common verdict.
bool ExpectSameVerdict(const Bytes& key, const Bytes& message, const Bytes& sig,
                       const std::string& what) {
  bool sodium = SodiumAccepts(key, message, sig);
  Status ours = Ed25519Verify(key, message, sig);
  EXPECT_EQ(ours.ok(), sodium) << what << ": ours says '" << ours.message() << "', key "
                               << testing::ToHex(key) << " sig " << testing::ToHex(sig);
  return sodium;
}

struct KeyPair {
  Bytes public_key = Bytes(crypto_sign_PUBLICKEYBYTES);
  Bytes secret_key = Bytes(crypto_sign_SECRETKEYBYTES);
};

KeyPair SeededKeyPair(std::mt19937& rng) {
  KeyPair kp;
  Bytes seed = RandomBytes(rng, crypto_sign_SEEDBYTES);
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

Bytes Sign(const KeyPair& kp, const Bytes& message) {
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, Data(message), message.size(), kp.secret_key.data());
  return sig;
}

TEST_F(LibsodiumTest, Ed25519RandomKeysMessagesAndBitFlips) {
  std::mt19937 rng(4);
  const int cases = CaseCount();
  int accepted = 0;
  for (int i = 0; i < cases; ++i) {
    KeyPair kp = SeededKeyPair(rng);
    Bytes message = RandomBytes(rng, RandomSize(rng, 200));
    Bytes sig = Sign(kp, message);
    ASSERT_TRUE(ExpectSameVerdict(kp.public_key, message, sig, "valid"));
    ++accepted;

    // The streaming interface, fed in random pieces, reaches the same verdict.
    Ed25519Verifier verifier;
    ASSERT_TRUE(verifier.Start(kp.public_key, sig).ok());
    for (size_t offset = 0; offset < message.size();) {
      size_t piece = std::min(RandomSize(rng, 80), message.size() - offset);
      verifier.Update(std::span<const uint8_t>(message).subspan(offset, piece));
      offset += piece;
    }
    ASSERT_TRUE(verifier.Finish().ok());

    Bytes bad_sig = sig;
    bad_sig[RandomSize(rng, 63)] ^= static_cast<uint8_t>(1 << RandomSize(rng, 7));
    ExpectSameVerdict(kp.public_key, message, bad_sig, "signature bit flip");

    Bytes bad_key = kp.public_key;
    bad_key[RandomSize(rng, 31)] ^= static_cast<uint8_t>(1 << RandomSize(rng, 7));
    ExpectSameVerdict(bad_key, message, sig, "key bit flip");

    if (!message.empty()) {
      Bytes bad_message = message;
      bad_message[RandomSize(rng, message.size() - 1)] ^=
          static_cast<uint8_t>(1 << RandomSize(rng, 7));
      ExpectSameVerdict(kp.public_key, bad_message, sig, "message bit flip");
    }
  }
  EXPECT_EQ(accepted, cases);
}

// The eight points of order dividing 8: kTorsion[k] = k T for a point T of order 8.
const char* const kTorsion[8] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
};

// Small-order encodings: the eight canonical ones, the sign-flipped twins (for x = 0 the set
// sign bit is invalid, for the others it names the other point), and y = p, p + 1 (non-canonical
// encodings of y = 0 and y = 1) with both sign bits.
std::vector<Bytes> SmallOrderEncodings() {
  std::vector<Bytes> out;
  for (const char* hex : kTorsion) {
    out.push_back(Hex(hex));
    out.push_back(Hex(hex));
    out.back()[31] ^= 0x80;
  }
  for (uint8_t low : {0xed, 0xee}) {
    for (uint8_t top : {0x7f, 0xff}) {
      Bytes e(32, 0xff);
      e[0] = low;
      e[31] = top;
      out.push_back(e);
    }
  }
  return out;
}

// Every y >= p (19 values) with both sign bits.
std::vector<Bytes> NonCanonicalEncodings() {
  std::vector<Bytes> out;
  for (int y = 0xed; y <= 0xff; ++y) {
    for (uint8_t top : {0x7f, 0xff}) {
      Bytes e(32, 0xff);
      e[0] = static_cast<uint8_t>(y);
      e[31] = top;
      out.push_back(e);
    }
  }
  return out;
}

TEST_F(LibsodiumTest, Ed25519NonCanonicalS) {
  std::mt19937 rng(5);
  const Bytes l = Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  for (int i = 0; i < 50; ++i) {
    KeyPair kp = SeededKeyPair(rng);
    Bytes message = RandomBytes(rng, RandomSize(rng, 64));
    Bytes sig = Sign(kp, message);
    // S + L (still < 2^256 since S < L < 2^253).
    Bytes plus_l = sig;
    unsigned carry = 0;
    for (size_t j = 0; j < 32; ++j) {
      carry += plus_l[32 + j] + l[j];
      plus_l[32 + j] = static_cast<uint8_t>(carry);
      carry >>= 8;
    }
    EXPECT_FALSE(ExpectSameVerdict(kp.public_key, message, plus_l, "S + L"));
    // S = L, L - 1, L + 1, 2^252, all-ones.
    for (int delta : {-1, 0, 1}) {
      Bytes s = sig;
      std::copy(l.begin(), l.end(), s.begin() + 32);
      s[32] = static_cast<uint8_t>(s[32] + delta);
      ExpectSameVerdict(kp.public_key, message, s, "S near L");
    }
    Bytes top = sig;
    std::fill(top.begin() + 32, top.end(), 0xff);
    EXPECT_FALSE(ExpectSameVerdict(kp.public_key, message, top, "S all ones"));
  }
}

TEST_F(LibsodiumTest, Ed25519SmallOrderAndNonCanonicalPoints) {
  std::mt19937 rng(6);
  KeyPair kp = SeededKeyPair(rng);
  Bytes message = RandomBytes(rng, 40);
  Bytes sig = Sign(kp, message);
  std::vector<Bytes> points = SmallOrderEncodings();
  for (const Bytes& e : NonCanonicalEncodings()) points.push_back(e);
  const Bytes zero_s(32, 0);
  for (const Bytes& a : points) {
    // As the key, with a signature made by another key.
    EXPECT_FALSE(ExpectSameVerdict(a, message, sig, "crafted key"));
    for (const Bytes& r : points) {
      // The classic forgery for small-order keys: S = 0 and R a small-order point makes the
      // cofactorless equation hold for a fraction of all messages.
      Bytes forged(r);
      forged.insert(forged.end(), zero_s.begin(), zero_s.end());
      for (int m = 0; m < 4; ++m) {
        Bytes any_message = RandomBytes(rng, 16);
        ExpectSameVerdict(a, any_message, forged, "crafted key and R, S = 0");
      }
    }
  }
  // As R, under a valid key, with the real S and with S = 0.
  for (const Bytes& r : points) {
    Bytes s1 = r;
    s1.insert(s1.end(), sig.begin() + 32, sig.end());
    EXPECT_FALSE(ExpectSameVerdict(kp.public_key, message, s1, "crafted R"));
    Bytes s2 = r;
    s2.insert(s2.end(), zero_s.begin(), zero_s.end());
    EXPECT_FALSE(ExpectSameVerdict(kp.public_key, message, s2, "crafted R, S = 0"));
  }
}

TEST_F(LibsodiumTest, Ed25519RandomEncodings) {
  // Random 32-byte strings as keys and R values: about half are not curve points.
  std::mt19937 rng(7);
  KeyPair kp = SeededKeyPair(rng);
  Bytes message = RandomBytes(rng, 10);
  Bytes sig = Sign(kp, message);
  const int cases = CaseCount() / 2;
  for (int i = 0; i < cases; ++i) {
    Bytes random = RandomBytes(rng, 32);
    ExpectSameVerdict(random, message, sig, "random key");
    Bytes s = random;
    s.insert(s.end(), sig.begin() + 32, sig.end());
    ExpectSameVerdict(kp.public_key, message, s, "random R");
  }
}

// Scalar arithmetic helpers (libsodium's crypto_core_ed25519_*), for signing with mixed-order keys.
Bytes ScalarReduce64(const Bytes& wide) {
  Bytes out(32);
  crypto_core_ed25519_scalar_reduce(out.data(), wide.data());
  return out;
}

Bytes PointAdd(const Bytes& p, const Bytes& q) {
  if (p == Hex(kTorsion[0])) return q;
  if (q == Hex(kTorsion[0])) return p;
  Bytes out(32);
  EXPECT_EQ(crypto_core_ed25519_add(out.data(), p.data(), q.data()), 0);
  return out;
}

// h = SHA-512(R || A || M) mod L.
Bytes Challenge(const Bytes& r, const Bytes& a, const Bytes& message) {
  Bytes input = r;
  input.insert(input.end(), a.begin(), a.end());
  input.insert(input.end(), message.begin(), message.end());
  Bytes wide(64);
  crypto_hash_sha512(wide.data(), input.data(), input.size());
  return ScalarReduce64(wide);
}

TEST_F(LibsodiumTest, Ed25519MixedOrderKeys) {
  // A = aB + T with T of order 8. For R = rB + T2 and S = r + h a, the cofactorless equation
  // [S]B - [h]A = R holds exactly when T2 = -[h]T, i.e. it depends on h mod 8: a verifier that
  // reduced h wrongly, or multiplied by the cofactor, would disagree with libsodium here.
  std::mt19937 rng(8);
  int accepted = 0, rejected = 0;
  const int cases = std::max(8, CaseCount() / 10);
  for (int i = 0; i < cases; ++i) {
    Bytes a_scalar = ScalarReduce64(RandomBytes(rng, 64));
    Bytes r_scalar = ScalarReduce64(RandomBytes(rng, 64));
    Bytes a_point(32), r_point(32);
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(a_point.data(), a_scalar.data()), 0);
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(r_point.data(), r_scalar.data()), 0);
    size_t t = 1 + RandomSize(rng, 6);
    Bytes key = PointAdd(a_point, Hex(kTorsion[t]));
    size_t t2 = RandomSize(rng, 7);
    Bytes r = PointAdd(r_point, Hex(kTorsion[t2]));
    for (int attempt = 0; attempt < 4; ++attempt) {
      Bytes message = RandomBytes(rng, 20);
      Bytes h = Challenge(r, key, message);
      Bytes s(32), ha(32);
      crypto_core_ed25519_scalar_mul(ha.data(), h.data(), a_scalar.data());
      crypto_core_ed25519_scalar_add(s.data(), r_scalar.data(), ha.data());
      Bytes sig = r;
      sig.insert(sig.end(), s.begin(), s.end());
      bool verdict = ExpectSameVerdict(key, message, sig, "mixed-order key");
      bool equation_holds = (t2 + t * (h[0] & 7)) % 8 == 0;
      EXPECT_EQ(verdict, equation_holds) << "libsodium is not cofactorless as documented";
      (verdict ? accepted : rejected)++;
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);
}

TEST_F(LibsodiumTest, Ed25519SmallOrderRWithValidEquation) {
  // R = T2 (small order) and S = h a under A = aB + T: the equation holds when T2 = -[h]T. RFC
  // 8032 alone would accept; libsodium refuses small-order R, and so must we.
  std::mt19937 rng(9);
  int equation_held = 0;
  for (int i = 0; i < 64; ++i) {
    Bytes a_scalar = ScalarReduce64(RandomBytes(rng, 64));
    Bytes a_point(32);
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(a_point.data(), a_scalar.data()), 0);
    size_t t = 1 + RandomSize(rng, 6);
    Bytes key = PointAdd(a_point, Hex(kTorsion[t]));
    size_t t2 = RandomSize(rng, 7);
    Bytes r = Hex(kTorsion[t2]);
    Bytes message = RandomBytes(rng, 20);
    Bytes h = Challenge(r, key, message);
    Bytes s(32);
    crypto_core_ed25519_scalar_mul(s.data(), h.data(), a_scalar.data());
    Bytes sig = r;
    sig.insert(sig.end(), s.begin(), s.end());
    if ((t2 + t * (h[0] & 7)) % 8 == 0) ++equation_held;
    EXPECT_FALSE(ExpectSameVerdict(key, message, sig, "small-order R, equation holds"));
  }
  EXPECT_GT(equation_held, 0);
}

TEST_F(LibsodiumTest, Ed25519SmallOrderKeyWithValidEquation) {
  // A = T (small order), R = sB + T2, S = s: the equation holds when T2 = -[h]T, for any message
  // and without any secret. RFC 8032 alone would accept; libsodium refuses small-order keys.
  std::mt19937 rng(11);
  int equation_held = 0;
  for (int i = 0; i < 64; ++i) {
    size_t t = RandomSize(rng, 7);
    Bytes key = Hex(kTorsion[t]);
    Bytes s = ScalarReduce64(RandomBytes(rng, 64));
    Bytes s_point(32);
    ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(s_point.data(), s.data()), 0);
    size_t t2 = RandomSize(rng, 7);
    Bytes r = PointAdd(s_point, Hex(kTorsion[t2]));
    Bytes message = RandomBytes(rng, 20);
    Bytes h = Challenge(r, key, message);
    Bytes sig = r;
    sig.insert(sig.end(), s.begin(), s.end());
    if ((t2 + t * (h[0] & 7)) % 8 == 0) ++equation_held;
    EXPECT_FALSE(ExpectSameVerdict(key, message, sig, "small-order key, equation holds"));
  }
  EXPECT_GT(equation_held, 0);
}

TEST_F(LibsodiumTest, Ed25519WrongLengthsAreRejectedLikeCryptoSignOpen) {
  // crypto_sign_verify_detached has fixed-size arguments; its length-checked sibling
  // crypto_sign_open rejects signed messages shorter than a signature. Ours rejects any length
  // other than 32 (key) and 64 (signature).
  std::mt19937 rng(10);
  KeyPair kp = SeededKeyPair(rng);
  Bytes message = RandomBytes(rng, 10);
  Bytes sig = Sign(kp, message);
  for (size_t size = 0; size < 64; ++size) {
    Bytes truncated(sig.begin(), sig.begin() + static_cast<long>(size));
    Bytes opened(64);
    unsigned long long opened_size = 0;
    EXPECT_NE(crypto_sign_open(opened.data(), &opened_size, Data(truncated), truncated.size(),
                               kp.public_key.data()),
              0);
    EXPECT_EQ(Ed25519Verify(kp.public_key, message, truncated).code(), ErrorCode::kInvalidArgument);
  }
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_EQ(Ed25519Verify(kp.public_key, message, longer).code(), ErrorCode::kInvalidArgument);
  Bytes long_key = kp.public_key;
  long_key.push_back(0);
  EXPECT_EQ(Ed25519Verify(long_key, message, sig).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ed25519Verify(std::span<const uint8_t>(kp.public_key).first(31), message, sig).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tc::crypto
