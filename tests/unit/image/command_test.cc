// The signed command codec: round trip, every bad-input class with its code, verification
// (content type, key, role, tampering) and interop with the independent Python COSE signer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "signing_util.h"
#include "tc/image/command.h"

namespace tc::image {
namespace {

using testing::B;
using testing::Build;
using testing::Map;
using testing::Pairs;
using testing::U;
using tinyctl::Bytes;

Command Sample(CommandAction action = CommandAction::kStop, uint64_t sequence = 42) {
  Command c;
  EXPECT_TRUE(c.uid.Assign("acme.sampler").ok());
  c.action = action;
  c.sequence = sequence;
  return c;
}

Bytes Encode(const Command& c) {
  Bytes out(64);
  cbor::Writer w(out);
  EXPECT_TRUE(EncodeCommand(c, &w).ok());
  out.resize(w.size());
  return out;
}

Pairs GoodPairs() { return {{1, testing::T("acme.sampler")}, {2, U(1)}, {3, U(42)}}; }

ErrorCode DecodeCode(const Bytes& in) {
  Command out = Sample(CommandAction::kRemove, 7);
  const Status s = DecodeCommand(in, &out);
  if (!s.ok()) EXPECT_EQ(out, Sample(CommandAction::kRemove, 7)) << "output written on error";
  return s.code();
}

TEST(CommandCodec, RoundTripEveryAction) {
  for (uint8_t a = 0; a < kCommandActionCount; ++a) {
    const Command c = Sample(static_cast<CommandAction>(a), 1000000000000ull + a);
    Command back;
    ASSERT_TRUE(DecodeCommand(Encode(c), &back).ok());
    EXPECT_EQ(back, c);
  }
  EXPECT_STREQ(CommandActionName(CommandAction::kSuspend), "suspend");
  EXPECT_STREQ(CommandActionName(static_cast<CommandAction>(9)), "?");
}

TEST(CommandCodec, KnownBytes) {
  // {1: "a", 2: 0, 3: 1}
  const Bytes expected = {0xa3, 0x01, 0x61, 'a', 0x02, 0x00, 0x03, 0x01};
  Command c;
  ASSERT_TRUE(c.uid.Assign("a").ok());
  c.action = CommandAction::kStart;
  c.sequence = 1;
  EXPECT_EQ(Encode(c), expected);
}

TEST(CommandCodec, EncodeRefusesBadInputAndShortBuffers) {
  Command c = Sample();
  uint8_t small[5];
  cbor::Writer w(small);
  EXPECT_EQ(EncodeCommand(c, &w).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(w.size(), 0u);
  uint8_t big[64];
  cbor::Writer w2(big);
  c.action = static_cast<CommandAction>(5);
  EXPECT_EQ(EncodeCommand(c, &w2).code(), ErrorCode::kInvalidArgument);
  c = Sample();
  ASSERT_TRUE(c.uid.Assign("-bad").ok());
  EXPECT_EQ(EncodeCommand(c, &w2).code(), ErrorCode::kInvalidArgument);
}

TEST(CommandCodec, BadInputs) {
  EXPECT_EQ(DecodeCode(Build(Map(GoodPairs()))), ErrorCode::kOk);
  EXPECT_EQ(DecodeCode({}), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeCode({0x83, 0x01, 0x02, 0x03}), ErrorCode::kMalformed);  // an array
  EXPECT_EQ(DecodeCode(Build(Map({{1, testing::T("a")}, {2, U(0)}}))), ErrorCode::kNotFound);
  EXPECT_EQ(DecodeCode(Build(Map({{1, testing::T("a")}, {3, U(0)}}))), ErrorCode::kNotFound);
  EXPECT_EQ(DecodeCode(Build(Map({{2, U(0)}, {3, U(0)}}))), ErrorCode::kNotFound);
  EXPECT_EQ(DecodeCode(Build(Map({{2, U(0)}, {1, testing::T("a")}, {3, U(0)}}))),
            ErrorCode::kMalformed);  // key order
  EXPECT_EQ(DecodeCode(Build(Map({{1, testing::T("a")}, {1, testing::T("a")}, {2, U(0)}}))),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 4, U(0))))), ErrorCode::kUnsupported);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 0, U(0))))), ErrorCode::kUnsupported);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 2, U(5))))), ErrorCode::kOutOfRange);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 2, testing::T("stop"))))),
            ErrorCode::kInvalid);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 1, B({'a'}))))), ErrorCode::kInvalid);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 1, testing::T(".x"))))),
            ErrorCode::kInvalid);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 1, testing::T(std::string(33, 'a')))))),
            ErrorCode::kInvalid);
  EXPECT_EQ(DecodeCode(Build(Map(testing::With(GoodPairs(), 3, testing::Neg(0))))),
            ErrorCode::kInvalid);
  Bytes trailing = Build(Map(GoodPairs()));
  trailing.push_back(0x00);
  EXPECT_EQ(DecodeCode(trailing), ErrorCode::kMalformed);
  // Non-shortest integer: 0x18 0x01 for 1.
  EXPECT_EQ(DecodeCode({0xa3, 0x01, 0x61, 'a', 0x02, 0x18, 0x01, 0x03, 0x01}),
            ErrorCode::kMalformed);
  // Invalid UTF-8 in the uid.
  EXPECT_EQ(DecodeCode({0xa3, 0x01, 0x61, 0xff, 0x02, 0x00, 0x03, 0x01}), ErrorCode::kMalformed);
  const Bytes whole = Build(Map(GoodPairs()));
  for (size_t n = 0; n < whole.size(); ++n) {
    EXPECT_NE(DecodeCode(Bytes(whole.begin(), whole.begin() + n)), ErrorCode::kOk) << n;
  }
}

class SignedCommandTest : public ::testing::Test {
 protected:
  SignedCommandTest() {
    EXPECT_TRUE(trust_.Add(op_.info).ok());
    EXPECT_TRUE(trust_.Add(hmac_.info).ok());
    EXPECT_TRUE(trust_.Add(tenant_.info).ok());
  }
  tinyctl::SigningKey op_ = testing::Ed25519Key("op");
  tinyctl::SigningKey hmac_ = testing::HmacKey("mac");
  tinyctl::SigningKey tenant_ = testing::Ed25519Key("acme", KeyRole::kTenant, "acme.");
  TrustStore trust_;
};

TEST_F(SignedCommandTest, OperatorSignaturesVerify) {
  for (const auto* key : {&op_, &hmac_}) {
    const Bytes signed_command = testing::Envelope(*key, Encode(Sample()), kContentTypeCommand);
    Command out;
    const TrustedKey* signer = nullptr;
    ImageProblem problem = ImageProblem::kBadMagic;
    ASSERT_TRUE(VerifySignedCommand(signed_command, trust_, &out, &signer, &problem).ok());
    EXPECT_EQ(out, Sample());
    EXPECT_EQ(signer, trust_.Find(key->info.kid.span()));
    EXPECT_EQ(problem, ImageProblem::kNone);
  }
}

TEST_F(SignedCommandTest, Refusals) {
  Command out;
  ImageProblem problem = ImageProblem::kNone;
  auto verify = [&](const Bytes& in) {
    return VerifySignedCommand(in, trust_, &out, nullptr, &problem);
  };
  EXPECT_EQ(verify(testing::Envelope(tenant_, Encode(Sample()), kContentTypeCommand)).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(problem, ImageProblem::kNotAuthorized);
  EXPECT_EQ(verify(testing::Envelope(op_, Encode(Sample()), kContentTypeConfigUpdate)).code(),
            ErrorCode::kInvalid);
  EXPECT_EQ(problem, ImageProblem::kWrongContentType);
  const auto stranger = testing::Ed25519Key("stranger");
  EXPECT_EQ(verify(testing::Envelope(stranger, Encode(Sample()), kContentTypeCommand)).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(problem, ImageProblem::kUnknownKey);
  const Bytes bad_payload = Build(Map(testing::With(GoodPairs(), 2, U(9))));
  const Status s = verify(testing::Envelope(op_, bad_payload, kContentTypeCommand));
  EXPECT_EQ(s.code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(problem, ImageProblem::kMetadata);
  EXPECT_TRUE(s.has_position());
  EXPECT_EQ(verify(Encode(Sample())).code(), ErrorCode::kMalformed);  // bare payload: not COSE
  EXPECT_EQ(problem, ImageProblem::kEnvelope);

  const Bytes good = testing::Envelope(op_, Encode(Sample()), kContentTypeCommand);
  for (size_t i = 0; i < good.size(); ++i) {
    Bytes tampered = good;
    tampered[i] ^= 0x01;
    out = Command{};
    ASSERT_FALSE(verify(tampered).ok()) << i;
    EXPECT_EQ(out, Command{});
  }
}

// The Python script builds the command and its COSE envelope with cbor2 and cryptography only.
TEST_F(SignedCommandTest, PythonSignedCommandVerifies) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("tc_command_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  tinyctl::SigningKey key;
  tinyctl::GenerateKey(dir, "py", KeyRole::kOperator, KeyType::kEd25519, {'p', 'y'}, "", &key);
  TrustStore trust;
  ASSERT_TRUE(trust.Add(key.info).ok());
  const std::string out = (dir / "cmd.cose").string();
  const std::string cmd = "/usr/bin/python3 " TC_COSE_INTEROP " sign-command " + out + " " +
                          (dir / "py.key").string() + " acme.sampler 3 17";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const Bytes signed_command = tinyctl::ReadFile(out);
  Command decoded;
  ASSERT_TRUE(VerifySignedCommand(signed_command, trust, &decoded).ok());
  EXPECT_EQ(decoded, Sample(CommandAction::kResume, 17));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tc::image
