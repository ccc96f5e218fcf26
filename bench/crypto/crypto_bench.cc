// Workload driver for callgrind: `crypto_bench WHAT COUNT` runs COUNT units of one workload with
// either tc_crypto or libsodium, so run.sh can subtract a small run from a large one and divide.
//   sha256-tc / sha256-sodium     COUNT bytes hashed in 4096-byte updates
//   sha512-tc / sha512-sodium     COUNT bytes hashed in 4096-byte updates
//   ed25519-tc / ed25519-sodium   COUNT verifications of a 64-byte message
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tc/crypto/ed25519.h"
#include "tc/crypto/sha256.h"
#include "tc/crypto/sha512.h"

namespace {

int HashTc256(size_t bytes, const std::vector<uint8_t>& block) {
  tc::crypto::Sha256 sha;
  for (size_t done = 0; done < bytes; done += block.size()) sha.Update(block);
  return sha.Final()[0];
}

int HashSodium256(size_t bytes, const std::vector<uint8_t>& block) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (size_t done = 0; done < bytes; done += block.size()) {
    crypto_hash_sha256_update(&state, block.data(), block.size());
  }
  uint8_t digest[32];
  crypto_hash_sha256_final(&state, digest);
  return digest[0];
}

int HashTc512(size_t bytes, const std::vector<uint8_t>& block) {
  tc::crypto::Sha512 sha;
  for (size_t done = 0; done < bytes; done += block.size()) sha.Update(block);
  return sha.Final()[0];
}

int HashSodium512(size_t bytes, const std::vector<uint8_t>& block) {
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  for (size_t done = 0; done < bytes; done += block.size()) {
    crypto_hash_sha512_update(&state, block.data(), block.size());
  }
  uint8_t digest[64];
  crypto_hash_sha512_final(&state, digest);
  return digest[0];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || sodium_init() < 0) {
    std::fprintf(stderr, "usage: crypto_bench WHAT COUNT\n");
    return 2;
  }
  const char* what = argv[1];
  const size_t count = std::strtoull(argv[2], nullptr, 10);
  std::vector<uint8_t> block(4096, 0x5a);
  uint8_t seed[crypto_sign_SEEDBYTES] = {7};
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  uint8_t message[64] = {1, 2, 3};
  crypto_sign_detached(sig, nullptr, message, sizeof message, sk);

  int sink = 0;
  if (std::strcmp(what, "sha256-tc") == 0) {
    sink = HashTc256(count, block);
  } else if (std::strcmp(what, "sha256-sodium") == 0) {
    sink = HashSodium256(count, block);
  } else if (std::strcmp(what, "sha512-tc") == 0) {
    sink = HashTc512(count, block);
  } else if (std::strcmp(what, "sha512-sodium") == 0) {
    sink = HashSodium512(count, block);
  } else if (std::strcmp(what, "ed25519-tc") == 0) {
    for (size_t i = 0; i < count; ++i) sink += tc::crypto::Ed25519Verify(pk, message, sig).ok();
  } else if (std::strcmp(what, "ed25519-sodium") == 0) {
    for (size_t i = 0; i < count; ++i) {
      sink += crypto_sign_verify_detached(sig, message, sizeof message, pk) == 0;
    }
  } else {
    std::fprintf(stderr, "crypto_bench: unknown workload '%s'\n", what);
    return 2;
  }
  std::printf("%s %zu -> %d\n", what, count, sink);
  return 0;
}
