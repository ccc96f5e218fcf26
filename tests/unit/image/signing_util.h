// Test-side COSE construction: the to-be-signed structure is built here with cbor::Writer (not
// with the library's WriteToBeSignedHeads), so any header, label or alg can be forged and the
// library's structure is cross-checked.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <vector>

#include "image_file.h"
#include "keys.h"
#include "metadata_builder.h"
#include "tc/crypto/sha256.h"
#include "tc/image/cose.h"
#include "tc/image/image_verifier.h"

namespace tc::image::testing {

using tinyctl::Bytes;
using tinyctl::SigningKey;

inline SigningKey Ed25519Key(const char* kid, KeyRole role = KeyRole::kOperator,
                             const char* prefix = "") {
  return tinyctl::MakeSigningKey(role, KeyType::kEd25519,
                                 Bytes(kid, kid + std::char_traits<char>::length(kid)), prefix);
}
inline SigningKey HmacKey(const char* kid, KeyRole role = KeyRole::kOperator) {
  return tinyctl::MakeSigningKey(role, KeyType::kHmacSha256,
                                 Bytes(kid, kid + std::char_traits<char>::length(kid)), "");
}

struct CoseParts {
  uint64_t tag = kCoseSign1Tag;
  Bytes protected_map;    // serialized map (the bstr's contents)
  Bytes unprotected_map;  // serialized map
  Bytes payload;
  int context_override = 0;  // 1: sign a wrong context string
};

inline Bytes ProtectedHeader(int64_t alg, uint64_t content_type, const Kid* kid) {
  Pairs pairs;
  Emit alg_emit = [alg](cbor::Writer& w) { (void)w.WriteInt(alg); };
  pairs.push_back({1, alg_emit});
  pairs.push_back({3, U(content_type)});
  if (kid != nullptr) pairs.push_back({4, B(Bytes(kid->data(), kid->data() + kid->size()))});
  return Build(Map(pairs));
}

inline Bytes KidHeader(const Kid& kid) {
  return Build(Map({{4, B(Bytes(kid.data(), kid.data() + kid.size()))}}));
}

// Signs parts with `key` (Ed25519 signature or HMAC tag per the key type).
inline Bytes EncodeCose(const CoseParts& p, const SigningKey& key) {
  Bytes tbs(p.payload.size() + 256);
  cbor::Writer s(tbs);
  (void)s.WriteArrayHeader(4);
  const bool sign1 = p.tag == kCoseSign1Tag;
  (void)s.WriteText(p.context_override ? "Signature" : sign1 ? "Signature1" : "MAC0");
  (void)s.WriteBytes(p.protected_map);
  (void)s.WriteBytes({});
  (void)s.WriteBytes(p.payload);
  tbs.resize(s.size());
  const Bytes tag = tinyctl::SignBytes(key, tbs);
  Bytes out(p.payload.size() + 256);
  cbor::Writer w(out);
  (void)w.WriteTag(p.tag);
  (void)w.WriteArrayHeader(4);
  (void)w.WriteBytes(p.protected_map);
  (void)w.WriteRaw(p.unprotected_map);
  (void)w.WriteBytes(p.payload);
  (void)w.WriteBytes(tag);
  out.resize(w.size());
  return out;
}

// A standard envelope over `payload` for `key`.
inline Bytes Envelope(const SigningKey& key, const Bytes& payload,
                      uint64_t content_type = kContentTypeMetadata) {
  CoseParts p;
  const bool sign1 = key.info.type == KeyType::kEd25519;
  p.tag = sign1 ? kCoseSign1Tag : kCoseMac0Tag;
  p.protected_map =
      ProtectedHeader(sign1 ? kCoseAlgEdDSA : kCoseAlgHmac256, content_type, &key.info.kid);
  p.unprotected_map = {0xa0};
  p.payload = payload;
  return EncodeCose(p, key);
}

// Metadata document pairs for `code`/`data`, signed by `kid`.
inline Pairs ImageTop(const Kid& kid, const Bytes& code, const Bytes* data) {
  Pairs top = DefaultTop();
  top = With(top, 9, B(Bytes(kid.data(), kid.data() + kid.size())));
  const auto code_digest = crypto::Sha256::Hash(code);
  top = With(top, 10, B(Bytes(code_digest.begin(), code_digest.end())));
  top = With(top, 11, U(code.size()));
  if (data != nullptr) {
    const auto data_digest = crypto::Sha256::Hash(*data);
    top = With(top, 12, B(Bytes(data_digest.begin(), data_digest.end())));
    top = With(top, 13, U(data->size()));
  }
  return top;
}

inline Bytes SampleCode() {
  Bytes code(200);
  for (size_t i = 0; i < code.size(); ++i) code[i] = static_cast<uint8_t>(i * 7 + 1);
  return code;
}
inline Bytes SampleData() { return Bytes(60, 0x5a); }

}  // namespace tc::image::testing
