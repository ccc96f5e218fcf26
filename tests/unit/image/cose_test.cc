// COSE_Sign1 / COSE_Mac0 parsing and verification (RFC 9052) against structures built here.
#include <gtest/gtest.h>

#include "signing_util.h"

namespace tc::image {
namespace {

using testing::CoseParts;
using testing::Ed25519Key;
using testing::EncodeCose;
using testing::Envelope;
using testing::HmacKey;
using testing::KidHeader;
using testing::ProtectedHeader;

const testing::Bytes kPayload = {0xa1, 0x00, 0x01};

TEST(Cose, Sign1VerifiesAndExposesHeaders) {
  const auto key = Ed25519Key("op");
  const auto bytes = Envelope(key, kPayload);
  CoseMessage m;
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(m.kind, CoseKind::kSign1);
  EXPECT_EQ(m.alg, kCoseAlgEdDSA);
  EXPECT_EQ(m.content_type, kContentTypeMetadata);
  EXPECT_EQ(std::string(m.kid.begin(), m.kid.end()), "op");
  EXPECT_EQ(testing::Bytes(m.payload.begin(), m.payload.end()), kPayload);
  EXPECT_TRUE(VerifyCose(m, key.info).ok());
}

TEST(Cose, Mac0Verifies) {
  const auto key = HmacKey("shared");
  const auto bytes = Envelope(key, kPayload);
  CoseMessage m;
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(m.kind, CoseKind::kMac0);
  EXPECT_TRUE(VerifyCose(m, key.info).ok());
  const auto other = HmacKey("shared");
  EXPECT_EQ(VerifyCose(m, other.info).code(), ErrorCode::kIntegrityError);
}

TEST(Cose, KidMayBeUnprotected) {
  const auto key = Ed25519Key("op");
  CoseParts p;
  p.protected_map = ProtectedHeader(kCoseAlgEdDSA, kContentTypeMetadata, nullptr);
  p.unprotected_map = KidHeader(key.info.kid);
  p.payload = kPayload;
  CoseMessage m;
  const auto bytes = EncodeCose(p, key);
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(m.kid.size(), 2u);
  EXPECT_TRUE(VerifyCose(m, key.info).ok());
}

TEST(Cose, StreamingEqualsOneShot) {
  const auto key = Ed25519Key("op");
  testing::Bytes payload(1000);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i);
  const auto bytes = Envelope(key, payload);
  CoseMessage m;
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  CoseVerifier v;
  ASSERT_TRUE(v.Start(m, key.info, payload.size()).ok());
  for (size_t at = 0; at < payload.size(); at += 37) {
    v.Update(
        std::span<const uint8_t>(payload).subspan(at, std::min<size_t>(37, payload.size() - at)));
  }
  EXPECT_TRUE(v.Finish().ok());
  ASSERT_TRUE(v.Start(m, key.info, payload.size()).ok());
  v.Update(std::span<const uint8_t>(payload).first(10));
  EXPECT_EQ(v.Finish().code(), ErrorCode::kFailedPrecondition);
}

TEST(Cose, WrongContextOrKeyOrAlgIsRefused) {
  const auto key = Ed25519Key("op");
  CoseParts p;
  p.protected_map = ProtectedHeader(kCoseAlgEdDSA, kContentTypeMetadata, &key.info.kid);
  p.unprotected_map = {0xa0};
  p.payload = kPayload;
  p.context_override = 1;
  CoseMessage m;
  auto bytes = EncodeCose(p, key);
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(VerifyCose(m, key.info).code(), ErrorCode::kIntegrityError);

  p.context_override = 0;
  bytes = EncodeCose(p, key);
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(VerifyCose(m, Ed25519Key("op").info).code(), ErrorCode::kIntegrityError);
  EXPECT_EQ(VerifyCose(m, HmacKey("op").info).code(), ErrorCode::kUnsupported);

  p.protected_map = ProtectedHeader(-7, kContentTypeMetadata, &key.info.kid);  // ES256
  bytes = EncodeCose(p, key);
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_EQ(CheckCoseAlgorithm(m, key.info).code(), ErrorCode::kUnsupported);
  EXPECT_EQ(VerifyCose(m, key.info).code(), ErrorCode::kUnsupported);

  p.protected_map = testing::Build(testing::Map({{3, testing::U(kContentTypeMetadata)}}));
  bytes = EncodeCose(p, key);
  ASSERT_TRUE(ParseCose(bytes, &m).ok());
  EXPECT_FALSE(m.has_alg);
  EXPECT_EQ(VerifyCose(m, key.info).code(), ErrorCode::kUnsupported);
}

Status ParseWith(const testing::Bytes& protected_map, const testing::Bytes& unprotected_map) {
  CoseParts p;
  p.protected_map = protected_map;
  p.unprotected_map = unprotected_map;
  p.payload = kPayload;
  const auto bytes = EncodeCose(p, Ed25519Key("x"));
  CoseMessage m;
  return ParseCose(bytes, &m);
}

TEST(Cose, HeaderRules) {
  using testing::B;
  using testing::Build;
  using testing::Map;
  using testing::U;
  const auto alg = [](cbor::Writer& w) { (void)w.WriteInt(kCoseAlgEdDSA); };
  const testing::Bytes kid = {1, 2};
  // kid in both buckets
  EXPECT_EQ(ParseWith(Build(Map({{1, alg}, {4, B(kid)}})), Build(Map({{4, B(kid)}}))).code(),
            ErrorCode::kAlreadyExists);
  // alg outside the protected header
  EXPECT_EQ(ParseWith(Build(Map({{4, B(kid)}})), Build(Map({{1, alg}}))).code(),
            ErrorCode::kInvalid);
  // crit
  EXPECT_EQ(ParseWith(Build(Map({{1, alg}, {2, testing::Arr({U(1)})}})), {0xa0}).code(),
            ErrorCode::kUnsupported);
  // kid of the wrong type / too long
  EXPECT_EQ(ParseWith(Build(Map({{1, alg}, {4, U(3)}})), {0xa0}).code(), ErrorCode::kInvalid);
  EXPECT_EQ(ParseWith(Build(Map({{1, alg}, {4, B(testing::Bytes(17, 1))}})), {0xa0}).code(),
            ErrorCode::kOutOfRange);
  // a protected header that is not one map, or has bytes after it
  EXPECT_EQ(ParseWith({0x01}, {0xa0}).code(), ErrorCode::kMalformed);
  EXPECT_EQ(ParseWith({0xa0, 0x00}, {0xa0}).code(), ErrorCode::kMalformed);
  // unprotected header not a map
  EXPECT_EQ(ParseWith(Build(Map({{1, alg}})), {0x80}).code(), ErrorCode::kMalformed);
  // unknown labels are skipped
  EXPECT_TRUE(ParseWith(Build(Map({{1, alg}, {99, U(1)}})), {0xa0}).ok());
}

TEST(Cose, StructureRules) {
  const auto key = Ed25519Key("op");
  const auto good = Envelope(key, kPayload);
  CoseMessage m;
  testing::Bytes untagged(good.begin() + 1, good.end());
  EXPECT_EQ(ParseCose(untagged, &m).code(), ErrorCode::kMalformed);
  testing::Bytes wrong_tag = good;
  wrong_tag[0] = 0xd0;  // tag 16 (COSE_Encrypt0)
  EXPECT_EQ(ParseCose(wrong_tag, &m).code(), ErrorCode::kMalformed);
  testing::Bytes three = good;
  three[1] = 0x83;
  EXPECT_NE(ParseCose(three, &m).code(), ErrorCode::kOk);
  testing::Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(ParseCose(trailing, &m).code(), ErrorCode::kMalformed);
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(ParseCose(std::span<const uint8_t>(good).first(cut), &m).ok()) << cut;
  }
  // detached payload (nil)
  const uint8_t detached[] = {0xd2, 0x84, 0x43, 0xa1, 0x01, 0x27, 0xa0, 0xf6, 0x40};
  EXPECT_EQ(ParseCose(detached, &m).code(), ErrorCode::kUnsupported);
}

TEST(Cose, ToBeSignedHeadsMatchTheCborEncoding) {
  for (size_t payload_size : {0u, 23u, 24u, 255u, 256u, 70000u}) {
    uint8_t heads[kCoseToBeSignedHeadMax];
    const auto sizes = WriteToBeSignedHeads(CoseKind::kMac0, 40, payload_size, heads);
    testing::Bytes expected(64);
    cbor::Writer w(expected);
    (void)w.WriteArrayHeader(4);
    (void)w.WriteText("MAC0");
    (void)w.WriteHead(cbor::MajorType::kBytes, 40);
    const size_t before = w.size();
    (void)w.WriteBytes({});
    (void)w.WriteHead(cbor::MajorType::kBytes, payload_size);
    expected.resize(w.size());
    ASSERT_EQ(sizes.before_protected, before);
    ASSERT_EQ(sizes.before_protected + sizes.between, expected.size());
    EXPECT_EQ(testing::Bytes(heads, heads + expected.size()), expected);
  }
}

}  // namespace
}  // namespace tc::image
