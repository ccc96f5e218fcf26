// The streaming image verifier: every refusal reason of docs/image-format.md, each with its own
// ImageProblem, plus every-byte tamper and every-length truncation of a sample image.
#include <gtest/gtest.h>

#include <set>

#include "signing_util.h"

namespace tc::image {
namespace {

using testing::Build;
using testing::Bytes;
using testing::Map;
using testing::Pairs;
using testing::SigningKey;
using testing::U;
using testing::With;
using testing::Without;

struct Outcome {
  Status status;
  ImageProblem problem = ImageProblem::kNone;
  MetadataProblem metadata_problem = MetadataProblem::kNone;
};

class ImageVerifierTest : public ::testing::Test {
 protected:
  ImageVerifierTest() {
    EXPECT_TRUE(trust_.Add(op_.info).ok());
    EXPECT_TRUE(trust_.Add(mac_.info).ok());
    EXPECT_TRUE(trust_.Add(tenant_.info).ok());
  }

  Bytes Image(const SigningKey& key, const Pairs& top,
              uint64_t content_type = kContentTypeMetadata) {
    return tinyctl::AssembleImage(testing::Envelope(key, Build(Map(top)), content_type), code_,
                                  data_);
  }
  Pairs Top(const SigningKey& key) { return testing::ImageTop(key.info.kid, code_, &data_); }
  Bytes Good() { return Image(op_, Top(op_)); }

  Outcome Run(const Bytes& image, size_t chunk = 64, ImageVerifyOptions options = {},
              ImageSink sink = {}) {
    ImageVerifier v(trust_, options, sink);
    for (size_t at = 0; at < image.size(); at += chunk) {
      (void)v.Feed(std::span<const uint8_t>(image).subspan(at, std::min(chunk, image.size() - at)));
    }
    Outcome out;
    out.status = v.Finish();
    out.problem = v.problem();
    out.metadata_problem = v.metadata_error().problem;
    if (out.status.ok()) {
      EXPECT_EQ(v.stage(), ImageStage::kDone);
      EXPECT_EQ(v.offset(), image.size());
    }
    return out;
  }

  SigningKey op_ = testing::Ed25519Key("op");
  SigningKey mac_ = testing::HmacKey("mac");
  SigningKey tenant_ = testing::Ed25519Key("acme", KeyRole::kTenant, "acme.");
  SigningKey stranger_ = testing::Ed25519Key("stranger");
  Bytes code_ = testing::SampleCode();
  Bytes data_ = testing::SampleData();
  TrustStore trust_;
};

struct Collected {
  Bytes code, data;
  bool metadata_seen = false;
};

TEST_F(ImageVerifierTest, AcceptsInAnyChunkSizeAndStreamsTheSections) {
  const Bytes image = Good();
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{64}, size_t{509}, image.size()}) {
    Collected got;
    ImageSink sink;
    sink.context = &got;
    sink.on_metadata = [](void* c, const ContainerMetadata& m, const TrustedKey& k) {
      static_cast<Collected*>(c)->metadata_seen =
          m.uid.view() == "sampler" && k.role == KeyRole::kOperator;
      return Status::Ok();
    };
    sink.on_code = [](void* c, uint32_t offset, std::span<const uint8_t> b) {
      auto& code = static_cast<Collected*>(c)->code;
      EXPECT_EQ(offset, code.size());
      code.insert(code.end(), b.begin(), b.end());
      return Status::Ok();
    };
    sink.on_data = [](void* c, uint32_t, std::span<const uint8_t> b) {
      auto& data = static_cast<Collected*>(c)->data;
      data.insert(data.end(), b.begin(), b.end());
      return Status::Ok();
    };
    const Outcome out = Run(image, chunk, {}, sink);
    ASSERT_TRUE(out.status.ok()) << chunk << ": " << out.status.message();
    EXPECT_TRUE(got.metadata_seen);
    EXPECT_EQ(got.code, code_);
    EXPECT_EQ(got.data, data_);
  }
}

TEST_F(ImageVerifierTest, AcceptsMac0TenantAndNoData) {
  EXPECT_TRUE(Run(Image(mac_, Top(mac_))).status.ok());
  Pairs tenant_top = With(Top(tenant_), 1, testing::T("acme.sensor"));
  EXPECT_TRUE(Run(Image(tenant_, tenant_top)).status.ok());
  data_.clear();
  EXPECT_TRUE(Run(Image(op_, testing::ImageTop(op_.info.kid, code_, nullptr))).status.ok());
  // Data declared with size 0: the digest of no bytes must still match.
  EXPECT_TRUE(Run(Image(op_, Top(op_))).status.ok());
  Pairs wrong_empty = With(Top(op_), 12, testing::B(Bytes(32, 0)));
  EXPECT_EQ(Run(Image(op_, wrong_empty)).problem, ImageProblem::kDataDigest);
}

TEST_F(ImageVerifierTest, EveryByteFlipIsRejectedWithASpecificReason) {
  const Bytes image = Good();
  const size_t code_start = image.size() - data_.size() - code_.size();
  const size_t data_start = image.size() - data_.size();
  std::set<ImageProblem> seen;
  for (size_t i = 0; i < image.size(); ++i) {
    for (uint8_t mask : {uint8_t{0xff}, uint8_t{0x01}}) {
      Bytes tampered = image;
      tampered[i] ^= mask;
      const Outcome out = Run(tampered, 97);
      ASSERT_FALSE(out.status.ok()) << "byte " << i << " mask " << int(mask) << " accepted";
      ASSERT_NE(out.problem, ImageProblem::kNone);
      ASSERT_NE(out.problem, ImageProblem::kRejected);
      if (i >= data_start) {
        ASSERT_EQ(out.problem, ImageProblem::kDataDigest) << i;
      } else if (i >= code_start) {
        ASSERT_EQ(out.problem, ImageProblem::kCodeDigest) << i;
      } else if (i < 4) {
        ASSERT_EQ(out.problem, ImageProblem::kBadMagic) << i;
      }
      seen.insert(out.problem);
    }
  }
  EXPECT_TRUE(seen.count(ImageProblem::kBadSignature));
  EXPECT_TRUE(seen.count(ImageProblem::kEnvelope));
  EXPECT_TRUE(seen.count(ImageProblem::kUnknownKey));
}

TEST_F(ImageVerifierTest, EveryTruncationAndTrailingBytes) {
  const Bytes image = Good();
  for (size_t cut = 0; cut < image.size(); ++cut) {
    const Outcome out = Run(Bytes(image.begin(), image.begin() + static_cast<long>(cut)));
    ASSERT_EQ(out.problem, ImageProblem::kTruncated) << cut;
    ASSERT_EQ(out.status.code(), ErrorCode::kTruncated);
  }
  Bytes longer = image;
  longer.push_back(0);
  const Outcome out = Run(longer, 1000);
  EXPECT_EQ(out.problem, ImageProblem::kTrailingBytes);
  EXPECT_EQ(out.status.position(), image.size());
}

TEST_F(ImageVerifierTest, HeaderRules) {
  Bytes image = Good();
  Bytes bad = image;
  bad[4] = 2;
  EXPECT_EQ(Run(bad).problem, ImageProblem::kUnsupportedFormat);
  bad = image;
  bad[5] = 1;
  EXPECT_EQ(Run(bad).problem, ImageProblem::kUnsupportedFormat);
  bad = image;
  bad[6] = 0xff;
  EXPECT_EQ(Run(bad).problem, ImageProblem::kEnvelopeTooLarge);
  bad = image;
  bad[6] = bad[7] = 0;
  EXPECT_EQ(Run(bad).problem, ImageProblem::kEnvelopeTooLarge);
}

TEST_F(ImageVerifierTest, WrongKey) {
  // A kid the store does not hold.
  Outcome out = Run(Image(stranger_, Top(stranger_)));
  EXPECT_EQ(out.problem, ImageProblem::kUnknownKey);
  EXPECT_EQ(out.status.code(), ErrorCode::kNotFound);
  // Signed by another key under a trusted kid.
  SigningKey impostor = testing::Ed25519Key("op");
  out = Run(Image(impostor, Top(impostor)));
  EXPECT_EQ(out.problem, ImageProblem::kBadSignature);
  EXPECT_EQ(out.status.code(), ErrorCode::kIntegrityError);
  // No kid at all.
  testing::CoseParts p;
  p.protected_map = testing::ProtectedHeader(kCoseAlgEdDSA, kContentTypeMetadata, nullptr);
  p.unprotected_map = {0xa0};
  p.payload = Build(Map(Top(op_)));
  out = Run(tinyctl::AssembleImage(testing::EncodeCose(p, op_), code_, data_));
  EXPECT_EQ(out.problem, ImageProblem::kUnknownKey);
}

TEST_F(ImageVerifierTest, WrongAlgorithm) {
  testing::CoseParts p;
  p.protected_map = testing::ProtectedHeader(-7, kContentTypeMetadata, &op_.info.kid);
  p.unprotected_map = {0xa0};
  p.payload = Build(Map(Top(op_)));
  Outcome out = Run(tinyctl::AssembleImage(testing::EncodeCose(p, op_), code_, data_));
  EXPECT_EQ(out.problem, ImageProblem::kWrongAlgorithm);
  EXPECT_EQ(out.status.code(), ErrorCode::kUnsupported);
  // A COSE_Mac0 under an Ed25519 kid.
  p.tag = kCoseMac0Tag;
  p.protected_map = testing::ProtectedHeader(kCoseAlgHmac256, kContentTypeMetadata, &op_.info.kid);
  out = Run(tinyctl::AssembleImage(testing::EncodeCose(p, mac_), code_, data_));
  EXPECT_EQ(out.problem, ImageProblem::kWrongAlgorithm);
}

TEST_F(ImageVerifierTest, BadSignedMetadataNamesTheProblem) {
  struct Case {
    Pairs top;
    MetadataProblem expected;
  };
  Pairs duplicate = Top(op_);
  duplicate.insert(duplicate.begin() + 3, {2, U(3)});
  const Case cases[] = {
      {Without(Top(op_), 5), MetadataProblem::kMissingField},
      {With(Top(op_), 2, testing::T("3")), MetadataProblem::kWrongType},
      {duplicate, MetadataProblem::kDuplicateKey},
      {With(Top(op_), 0, U(2)), MetadataProblem::kUnsupportedVersion},
  };
  for (const Case& c : cases) {
    const Outcome out = Run(Image(op_, c.top));
    EXPECT_EQ(out.problem, ImageProblem::kMetadata);
    EXPECT_EQ(out.metadata_problem, c.expected);
  }
}

TEST_F(ImageVerifierTest, PolicyRefusals) {
  // signer_kid in the metadata differs from the COSE kid.
  Pairs mismatch = With(Top(op_), 9, testing::B({1, 2, 3}));
  EXPECT_EQ(Run(Image(op_, mismatch)).problem, ImageProblem::kKidMismatch);
  // A tenant key signing outside its uid prefix.
  EXPECT_EQ(Run(Image(tenant_, Top(tenant_))).problem, ImageProblem::kNotAuthorized);
  // A config update's envelope in an image.
  EXPECT_EQ(Run(Image(op_, Top(op_), kContentTypeConfigUpdate)).problem,
            ImageProblem::kWrongContentType);
  // Expired.
  ImageVerifyOptions options;
  options.check_expiry = true;
  options.now = 1798761601;
  Outcome out = Run(Good(), 64, options);
  EXPECT_EQ(out.problem, ImageProblem::kExpired);
  EXPECT_EQ(out.status.code(), ErrorCode::kExpired);
  options.now = 1798761600;
  EXPECT_TRUE(Run(Good(), 64, options).status.ok());
  // Oversized against the quota.
  options = {};
  options.max_code_size = static_cast<uint32_t>(code_.size() - 1);
  EXPECT_EQ(Run(Good(), 64, options).problem, ImageProblem::kOversized);
  options = {};
  options.max_data_size = static_cast<uint32_t>(data_.size() - 1);
  EXPECT_EQ(Run(Good(), 64, options).problem, ImageProblem::kOversized);
  // Rolled back: the engine's sink compares with the installed version (3).
  ImageSink sink;
  sink.on_metadata = [](void*, const ContainerMetadata& m, const TrustedKey&) {
    return CheckVersion(3, m.version);
  };
  out = Run(Good(), 64, {}, sink);
  EXPECT_EQ(out.problem, ImageProblem::kRollback);
  EXPECT_EQ(out.status.code(), ErrorCode::kRollback);
}

TEST_F(ImageVerifierTest, FirstErrorIsFinal) {
  Bytes image = Good();
  image[0] = 'X';
  ImageVerifier v(trust_, {});
  EXPECT_EQ(v.Feed(image).code(), ErrorCode::kMalformed);
  EXPECT_EQ(v.Feed(image).code(), ErrorCode::kMalformed);
  EXPECT_EQ(v.Finish().code(), ErrorCode::kMalformed);
  EXPECT_EQ(v.problem(), ImageProblem::kBadMagic);
  EXPECT_EQ(v.stage(), ImageStage::kFailed);
}

TEST(ConfigUpdateVerify, OperatorOnlyAndSequence) {
  TrustStore trust;
  const auto op = testing::Ed25519Key("op");
  const auto tenant = testing::Ed25519Key("acme", KeyRole::kTenant, "sampler");
  ASSERT_TRUE(trust.Add(op.info).ok());
  ASSERT_TRUE(trust.Add(tenant.info).ok());
  const Bytes payload = Build(Map(
      {{0, U(1)}, {1, testing::T("sampler")}, {2, U(7)}, {3, Map(testing::DefaultSchedule())}}));
  ConfigUpdate update;
  const TrustedKey* signer = nullptr;
  ImageProblem problem = ImageProblem::kNone;
  const Bytes good = testing::Envelope(op, payload, kContentTypeConfigUpdate);
  ASSERT_TRUE(VerifySignedConfigUpdate(good, trust, &update, &signer, &problem).ok());
  EXPECT_EQ(update.sequence, 7u);
  EXPECT_EQ(signer->role, KeyRole::kOperator);
  EXPECT_TRUE(CheckSequence(6, update.sequence).ok());
  EXPECT_EQ(CheckSequence(7, update.sequence).code(), ErrorCode::kRollback);

  EXPECT_EQ(VerifySignedConfigUpdate(testing::Envelope(tenant, payload, kContentTypeConfigUpdate),
                                     trust, &update, &signer, &problem)
                .code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(problem, ImageProblem::kNotAuthorized);
  EXPECT_FALSE(
      VerifySignedConfigUpdate(testing::Envelope(op, payload), trust, &update, &signer, &problem)
          .ok());
  EXPECT_EQ(problem, ImageProblem::kWrongContentType);
  for (size_t i = 0; i < good.size(); ++i) {
    Bytes tampered = good;
    tampered[i] ^= 0x01;
    ASSERT_FALSE(VerifySignedConfigUpdate(tampered, trust, &update).ok()) << i;
  }
}

}  // namespace
}  // namespace tc::image
