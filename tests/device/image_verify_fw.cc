// The device-side verify path alone (CBOR + SHA-2 + Ed25519 + COSE + metadata + streaming
// verifier) on a Cortex-M4 under QEMU: a real image signed at build time by an independent Python
// implementation is accepted when streamed in chunks; a changed code, data or signature byte is
// refused with its specific reason. Its map file gives the size of the verify path
// (scripts/verify-path-size.py).
#include <cstddef>
#include <cstdint>
#include <new>

#include "device_check.h"
#include "tc/image/image_verifier.h"

namespace {

#include "signed_image.inc"

using tc::image::ImageProblem;

uint8_t g_image[sizeof kSignedImage];

ImageProblem Verify(const tc::image::TrustStore& trust, size_t chunk) {
  static tc::image::ImageVerifier* verifier;  // too big for comfort on the stack: static storage
  static uint8_t storage[sizeof(tc::image::ImageVerifier)] alignas(tc::image::ImageVerifier);
  verifier = new (storage) tc::image::ImageVerifier(trust, {});
  for (size_t at = 0; at < sizeof g_image; at += chunk) {
    const size_t n = sizeof g_image - at < chunk ? sizeof g_image - at : chunk;
    (void)verifier->Feed({g_image + at, n});
  }
  (void)verifier->Finish();
  return verifier->problem();
}

void Copy() {
  for (size_t i = 0; i < sizeof g_image; ++i) g_image[i] = kSignedImage[i];
}

}  // namespace

int main() {
  static tc::image::TrustStore trust;
  tc::image::TrustedKey key;
  (void)key.kid.Assign(kKid);
  key.role = tc::image::KeyRole::kOperator;
  key.type = tc::image::KeyType::kEd25519;
  for (size_t i = 0; i < sizeof kPublicKey; ++i) key.key[i] = kPublicKey[i];
  DEVICE_CHECK(trust.Add(key).ok());

  Copy();
  DEVICE_CHECK(Verify(trust, 64) == ImageProblem::kNone);
  DEVICE_CHECK(Verify(trust, 1) == ImageProblem::kNone);
  DEVICE_CHECK(Verify(trust, sizeof g_image) == ImageProblem::kNone);
  g_image[kCodeOffset + 10] ^= 1;
  DEVICE_CHECK(Verify(trust, 64) == ImageProblem::kCodeDigest);
  Copy();
  g_image[kDataOffset + 3] ^= 0x80;
  DEVICE_CHECK(Verify(trust, 64) == ImageProblem::kDataDigest);
  Copy();
  g_image[kSignatureOffset + 5] ^= 4;
  DEVICE_CHECK(Verify(trust, 64) == ImageProblem::kBadSignature);
  Copy();
  g_image[0] = 'X';
  DEVICE_CHECK(Verify(trust, 64) == ImageProblem::kBadMagic);
  return tc::device_test::Finish("image_verify_fw");
}
