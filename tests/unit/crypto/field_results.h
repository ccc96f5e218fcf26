// Runs the GF(2^255 - 19) operations over every input of field_vectors.inc and hashes the
// canonical results in the order gen_field_vectors.py does. Shared by the host unit test and the
// Cortex-M4 self-test, so the UMAAL path is checked against the same Python-computed digest.
#pragma once

#include <cstdint>

#include "field25519.h"
#include "tc/crypto/sha256.h"

namespace tc::crypto::testing {

#include "field_vectors.inc"

inline Sha256Digest FieldResultsDigest() {
  using internal::Fe;
  constexpr int kCount = sizeof kFieldInputs / sizeof kFieldInputs[0];
  Sha256 sha;
  uint8_t bytes[32];
  auto absorb = [&](const Fe& value) {
    internal::FeToBytes(bytes, value);
    sha.Update(bytes);
  };
  for (int op = 0; op < 3; ++op) {
    for (int i = 0; i < kCount; ++i) {
      for (int j = 0; j < kCount; ++j) {
        Fe a, b, r;
        internal::LoadWords(a.w, kFieldInputs[i]);
        internal::LoadWords(b.w, kFieldInputs[j]);
        if (op == 0) internal::FeAdd(r, a, b);
        if (op == 1) internal::FeSub(r, a, b);
        if (op == 2) internal::FeMul(r, a, b);
        absorb(r);
      }
    }
  }
  for (int i = 0; i < kCount; ++i) {
    Fe a, r;
    internal::LoadWords(a.w, kFieldInputs[i]);
    internal::FeSquare(r, a);
    absorb(r);
    internal::FeInvert(r, a);
    absorb(r);
    internal::FePow22523(r, a);
    absorb(r);
  }
  return sha.Final();
}

}  // namespace tc::crypto::testing
