#include "tc/image/metadata_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "metadata_builder.h"

namespace tc::image {
namespace {

using namespace testing;  // NOLINT: the builder vocabulary
using Field = MetadataField;
using Problem = MetadataProblem;

std::string Describe(const MetadataError& e) {
  char buf[160];
  e.Describe(buf);
  return buf;
}

// Decodes `doc` expecting a refusal; checks problem, field and that the output is untouched.
void ExpectRefused(const std::vector<uint8_t>& doc, Problem problem, Field field,
                   uint8_t index = MetadataError::kNoIndex) {
  ContainerMetadata out;
  (void)out.uid.Assign("untouched");
  MetadataError error;
  Status status = DecodeMetadata(doc, &out, &error);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(MetadataProblemName(error.problem), std::string(MetadataProblemName(problem)))
      << Describe(error);
  EXPECT_EQ(MetadataFieldName(error.field), std::string(MetadataFieldName(field)))
      << Describe(error);
  EXPECT_EQ(error.index, index) << Describe(error);
  EXPECT_EQ(error.status.code(), status.code());
  EXPECT_EQ(out.uid.view(), "untouched");
}

TEST(MetadataCodec, DecodesTheDefaultDocument) {
  const std::vector<uint8_t> doc = Build(Map(DefaultTop()));
  ContainerMetadata m;
  MetadataError error;
  Status status = DecodeMetadata(doc, &m, &error);
  ASSERT_TRUE(status.ok()) << Describe(error);
  EXPECT_TRUE(m == DefaultMetadata());
}

TEST(MetadataCodec, EncodeIsDeterministicAndRoundTrips) {
  const std::vector<uint8_t> doc = Build(Map(DefaultTop()));
  std::vector<uint8_t> buffer(1024);
  cbor::Writer w(buffer);
  ASSERT_TRUE(EncodeMetadata(DefaultMetadata(), &w).ok());
  EXPECT_EQ(std::vector<uint8_t>(w.written().begin(), w.written().end()), doc);

  ContainerMetadata m = DefaultMetadata();
  m.has_data = true;
  m.data_sha256.fill(0x11);
  m.data_size = 70000;
  m.has_not_after = false;
  m.not_after = 0;
  m.entry = {};
  (void)m.entry.start.Assign("_start");
  m.schedule.period_us = m.schedule.deadline_us = 0;
  cbor::Writer w2(buffer);
  ASSERT_TRUE(EncodeMetadata(m, &w2).ok());
  ContainerMetadata back;
  ASSERT_TRUE(DecodeMetadata(w2.written(), &back).ok());
  EXPECT_TRUE(back == m);
}

TEST(MetadataCodec, EncodeRefusesInvalidMetadataAndFullBuffers) {
  ContainerMetadata m = DefaultMetadata();
  m.schedule.budget_us = m.schedule.period_us + 1;
  std::vector<uint8_t> buffer(1024);
  cbor::Writer w(buffer);
  MetadataError error;
  EXPECT_EQ(EncodeMetadata(m, &w, &error).code(), ErrorCode::kInvalid);
  EXPECT_EQ(error.field, Field::kBudget);
  EXPECT_EQ(w.size(), 0u);

  uint8_t small[40];
  cbor::Writer tiny(small);
  ASSERT_TRUE(tiny.WriteUint(7).ok());
  EXPECT_EQ(EncodeMetadata(DefaultMetadata(), &tiny).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(tiny.size(), 1u);  // rewound to what was there before
}

TEST(MetadataCodec, MissingFieldsAreNamed) {
  ExpectRefused(Build(Map(Without(DefaultTop(), 5))), Problem::kMissingField, Field::kQuotas);
  ExpectRefused(Build(Map(Without(DefaultTop(), 11))), Problem::kMissingField, Field::kCodeSize);
  ExpectRefused(Build(Map(Without(DefaultTop(), 0))), Problem::kMissingField, Field::kFormat);
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(Without(DefaultSchedule(), 1))))),
                Problem::kMissingField, Field::kPeriod);
  ExpectRefused(Build(Map(With(DefaultTop(), 5, Map(Without(DefaultQuotas(), 0))))),
                Problem::kMissingField, Field::kMemoryLimit);
  ExpectRefused(Build(Map(With(DefaultTop(), 4, Map({{0, T("tc_init")}})))), Problem::kMissingField,
                Field::kEntry);
  ExpectRefused(Build(Map(With(DefaultTop(), 12, B(std::vector<uint8_t>(32, 1))))),
                Problem::kMissingField, Field::kDataSize);
  ExpectRefused(Build(Map(With(DefaultTop(), 13, U(5)))), Problem::kMissingField,
                Field::kDataSha256);
  Pairs endpoint = Without(DefaultEndpoint(1), 2);
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(endpoint)})))))),
      Problem::kMissingField, Field::kEndpointDirection, 0);
}

TEST(MetadataCodec, WrongTypesAreNamed) {
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(With(DefaultSchedule(), 1, T("50ms")))))),
                Problem::kWrongType, Field::kPeriod);
  ExpectRefused(Build(Map(With(DefaultTop(), 1, U(7)))), Problem::kWrongType, Field::kUid);
  ExpectRefused(Build(Map(With(DefaultTop(), 9, T("kid")))), Problem::kWrongType,
                Field::kSignerKid);
  ExpectRefused(Build(Map(With(DefaultTop(), 2, Neg(0)))), Problem::kWrongType, Field::kVersion);
  ExpectRefused(Build(Map(With(DefaultTop(), 7, U(1)))), Problem::kWrongType, Field::kPermissions);
  ExpectRefused(Build(Arr({U(1)})), Problem::kWrongType, Field::kNone);
  ExpectRefused(Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Map({})))))),
                Problem::kWrongType, Field::kEndpoints);
  Pairs endpoint = With(DefaultEndpoint(1), 1, Map({}));
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(endpoint)})))))),
      Problem::kWrongType, Field::kEndpointPeer, 0);
  // A text key where integer keys are expected.
  std::vector<uint8_t> doc = Build(Map(DefaultTop()));
  doc[0] = 0xad;  // one more pair...
  const uint8_t text_key[] = {0x61, 'x', 0x00};
  doc.insert(doc.end(), std::begin(text_key), std::end(text_key));  // ..."x": 0 at the end
  ExpectRefused(doc, Problem::kWrongType, Field::kNone);
}

TEST(MetadataCodec, DuplicateAndMisorderedKeys) {
  Pairs top = DefaultTop();
  top.insert(top.begin() + 3, {2, U(4)});  // version twice, adjacent
  ExpectRefused(Build(Map(top)), Problem::kDuplicateKey, Field::kVersion);
  Pairs schedule = DefaultSchedule();
  std::swap(schedule[1], schedule[2]);
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(schedule)))), Problem::kKeyOrder,
                Field::kSchedule);
  Pairs again = DefaultQuotas();
  again.push_back({1, U(1)});  // stack_bytes again, after max_handles
  ExpectRefused(Build(Map(With(DefaultTop(), 5, Map(again)))), Problem::kDuplicateKey,
                Field::kStackBytes);
}

TEST(MetadataCodec, UnknownKeysAndVersions) {
  ExpectRefused(Build(Map(With(DefaultTop(), 20, U(1)))), Problem::kUnknownKey, Field::kNone);
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(With(DefaultSchedule(), 7, U(1)))))),
                Problem::kUnknownKey, Field::kSchedule);
  ExpectRefused(Build(Map(With(DefaultTop(), 0, U(2)))), Problem::kUnsupportedVersion,
                Field::kFormat);
  // Extensions (keys >= 256) are skipped at any level, whatever they hold.
  Pairs top = With(DefaultTop(), 256, Map({{1, Arr({T("x"), B({1})})}}));
  top = With(top, 70000, U(1));
  top = With(top, 6, Map(With(DefaultSchedule(), 300, T("note"))));
  ContainerMetadata m;
  MetadataError error;
  ASSERT_TRUE(DecodeMetadata(Build(Map(top)), &m, &error).ok()) << Describe(error);
  EXPECT_TRUE(m == DefaultMetadata());
  // ...but must still be well-formed and shallow enough.
  Emit deep = U(0);
  for (int i = 0; i < 8; ++i) deep = Arr({deep});
  ExpectRefused(Build(Map(With(DefaultTop(), 256, deep))), Problem::kCbor, Field::kNone);
}

TEST(MetadataCodec, OutOfRangeValuesAreNamed) {
  struct Case {
    Pairs top;
    Field field;
  };
  const Case cases[] = {
      {With(DefaultTop(), 6, Map(With(DefaultSchedule(), 0, U(32)))), Field::kPriority},
      {With(DefaultTop(), 6, Map(With(DefaultSchedule(), 5, U(3)))), Field::kOnOverrun},
      {With(DefaultTop(), 6, Map(With(DefaultSchedule(), 1, U(1ull << 32)))), Field::kPeriod},
      {With(DefaultTop(), 6, Map(With(DefaultSchedule(), 6, U(256)))), Field::kMaxRestarts},
      {With(DefaultTop(), 5, Map(With(DefaultQuotas(), 0, U(0)))), Field::kMemoryLimit},
      {With(DefaultTop(), 5, Map(With(DefaultQuotas(), 1, U(0)))), Field::kStackBytes},
      {With(DefaultTop(), 5, Map(With(DefaultQuotas(), 3, U(256)))), Field::kMaxHandles},
      {With(DefaultTop(), 3, U(2)), Field::kRuntime},
      {With(DefaultTop(), 2, U(1ull << 32)), Field::kVersion},
      {With(DefaultTop(), 9, B(std::vector<uint8_t>(17, 1))), Field::kSignerKid},
      {With(DefaultTop(), 9, B({})), Field::kSignerKid},
      {With(DefaultTop(), 10, B(std::vector<uint8_t>(31, 1))), Field::kCodeSha256},
      {With(DefaultTop(), 11, U(0)), Field::kCodeSize},
      {With(DefaultTop(), 1, T(std::string(33, 'a'))), Field::kUid},
      {With(DefaultTop(), 1, T("")), Field::kUid},
      {With(DefaultTop(), 4, Map({{1, T(std::string(32, 'a'))}})), Field::kEntryLoop},
      {With(DefaultTop(), 4, Map({{1, T("")}})), Field::kEntryLoop},
      {With(DefaultTop(), 7, Map(With(DefaultPermissions(), 0, U(1u << 10)))), Field::kServices},
      {With(DefaultTop(), 7, Map(With(DefaultPermissions(), 2, U(2)))), Field::kOnViolation},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(MetadataFieldName(c.field));
    ExpectRefused(Build(Map(c.top)), Problem::kOutOfRange, c.field);
  }
  Pairs endpoint = With(DefaultEndpoint(1), 2, U(3));
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(endpoint)})))))),
      Problem::kOutOfRange, Field::kEndpointDirection, 0);
  endpoint = With(DefaultEndpoint(1), 1, LocalPeer(6, 0));
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(endpoint)})))))),
      Problem::kOutOfRange, Field::kEndpointPeer, 0);
}

TEST(MetadataCodec, EndpointRules) {
  std::vector<Emit> nine;
  for (uint64_t i = 0; i < 9; ++i) nine.push_back(Map(DefaultEndpoint(i)));
  ExpectRefused(Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr(nine)))))),
                Problem::kTooMany, Field::kEndpoints);
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7,
                     Map(With(DefaultPermissions(), 1,
                              Arr({Map(DefaultEndpoint(4)), Map(DefaultEndpoint(4))})))))),
      Problem::kDuplicateId, Field::kEndpointId, 1);
  Pairs remote = With(DefaultEndpoint(5), 1, Arr({U(2), T("coaps://x")}));
  ExpectRefused(Build(Map(With(DefaultTop(), 7,
                               Map(With(DefaultPermissions(), 1,
                                        Arr({Map(DefaultEndpoint(1)), Map(remote)})))))),
                Problem::kReserved, Field::kEndpointPeer, 1);
  Pairs short_peer = With(DefaultEndpoint(5), 1, Arr({U(0), U(1)}));
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(short_peer)})))))),
      Problem::kInvalidValue, Field::kEndpointPeer, 0);
  Pairs bad_uid = With(DefaultEndpoint(5), 1, Arr({U(1), T("-x"), U(1)}));
  ExpectRefused(
      Build(Map(With(DefaultTop(), 7, Map(With(DefaultPermissions(), 1, Arr({Map(bad_uid)})))))),
      Problem::kInvalidValue, Field::kEndpointPeer, 0);
}

TEST(MetadataCodec, CrossFieldRules) {
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(With(DefaultSchedule(), 2, U(60000)))))),
                Problem::kInvalidValue, Field::kBudget);
  ExpectRefused(Build(Map(With(DefaultTop(), 6, Map(With(DefaultSchedule(), 3, U(60000)))))),
                Problem::kInvalidValue, Field::kDeadline);
  ExpectRefused(Build(Map(With(DefaultTop(), 4, Map({{1, T("tc_loop")}, {3, T("_start")}})))),
                Problem::kInvalidValue, Field::kEntryStart);
  ExpectRefused(Build(Map(With(DefaultTop(), 4, Map({{3, T("_start")}})))), Problem::kInvalidValue,
                Field::kPeriod);
  ExpectRefused(Build(Map(With(DefaultTop(), 4, Map({{1, T("tc loop")}})))), Problem::kInvalidValue,
                Field::kEntryLoop);
  ExpectRefused(Build(Map(With(DefaultTop(), 1, T("has space")))), Problem::kInvalidValue,
                Field::kUid);
}

TEST(MetadataCodec, BadCborAndTrailingBytes) {
  std::vector<uint8_t> doc = Build(Map(DefaultTop()));
  doc.push_back(0x00);
  ExpectRefused(doc, Problem::kTrailingBytes, Field::kNone);
  // version 3 in a two-byte form: not deterministic.
  Pairs top = DefaultTop();
  top[2].second = [](cbor::Writer& w) {
    const uint8_t long_form[] = {0x18, 0x03};
    (void)w.WriteRaw(long_form);
  };
  ExpectRefused(Build(Map(top)), Problem::kCbor, Field::kVersion);
}

TEST(MetadataCodec, EveryTruncationIsRefusedAndEveryByteFlipIsSafe) {
  const std::vector<uint8_t> doc = Build(Map(DefaultTop()));
  for (size_t cut = 0; cut < doc.size(); ++cut) {
    ContainerMetadata m;
    EXPECT_FALSE(DecodeMetadata(std::span(doc).first(cut), &m).ok()) << cut;
    EXPECT_TRUE(m.uid.empty());
  }
  int accepted = 0;
  for (size_t i = 0; i < doc.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> bad = doc;
      bad[i] ^= flip;
      ContainerMetadata m;
      MetadataError error;
      Status status = DecodeMetadata(bad, &m, &error);
      if (status.ok()) {
        ++accepted;  // a value changed to another valid value (e.g. a digest byte)
        EXPECT_FALSE(m == DefaultMetadata());
        EXPECT_TRUE(ValidateMetadata(m).ok());
      } else {
        EXPECT_NE(error.problem, Problem::kNone);
      }
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(MetadataCodec, DescribeNamesFieldIndexAndOffset) {
  Pairs remote = With(DefaultEndpoint(5), 1, Arr({U(2)}));
  const std::vector<uint8_t> doc = Build(
      Map(With(DefaultTop(), 7,
               Map(With(DefaultPermissions(), 1, Arr({Map(DefaultEndpoint(1)), Map(remote)}))))));
  ContainerMetadata m;
  MetadataError error;
  ASSERT_FALSE(DecodeMetadata(doc, &m, &error).ok());
  const std::string text = Describe(error);
  EXPECT_EQ(text.rfind("permissions.endpoints[1].peer: remote peers are reserved", 0), 0u) << text;
  EXPECT_NE(text.find("(at byte "), std::string::npos) << text;

  ASSERT_FALSE(
      DecodeMetadata(Build(Map(With(DefaultTop(), 6, Map(With(DefaultSchedule(), 1, T("x")))))), &m,
                     &error)
          .ok());
  EXPECT_EQ(Describe(error).rfind("schedule.period_us: expected an unsigned integer (at byte ", 0),
            0u);
}

ConfigUpdate DefaultUpdate() {
  ConfigUpdate u;
  (void)u.uid.Assign("sampler");
  u.sequence = 7;
  u.has_schedule = true;
  u.schedule = DefaultMetadata().schedule;
  u.schedule.period_us = 100000;
  return u;
}

TEST(ConfigUpdateCodec, RoundTripsWithEitherPart) {
  std::vector<uint8_t> buffer(512);
  for (int variant = 0; variant < 3; ++variant) {
    ConfigUpdate u = DefaultUpdate();
    if (variant >= 1) {
      u.has_permissions = true;
      u.permissions = DefaultMetadata().permissions;
    }
    if (variant == 2) {
      u.has_schedule = false;
      u.schedule = {};
    }
    cbor::Writer w(buffer);
    ASSERT_TRUE(EncodeConfigUpdate(u, &w).ok());
    ConfigUpdate back;
    MetadataError error;
    ASSERT_TRUE(DecodeConfigUpdate(w.written(), &back, &error).ok()) << Describe(error);
    EXPECT_TRUE(back == u);
  }
}

TEST(ConfigUpdateCodec, RefusalsNameTheField) {
  const Pairs base = {{0, U(1)}, {1, T("sampler")}, {2, U(7)}, {3, Map(DefaultSchedule())}};
  struct Case {
    Pairs pairs;
    Problem problem;
    Field field;
  };
  const Case cases[] = {
      {Without(base, 3), Problem::kMissingField, Field::kNone},
      {With(base, 2, U(0)), Problem::kOutOfRange, Field::kSequence},
      {Without(base, 2), Problem::kMissingField, Field::kSequence},
      {With(base, 5, U(0)), Problem::kUnknownKey, Field::kNone},
      {With(base, 0, U(9)), Problem::kUnsupportedVersion, Field::kFormat},
      {With(base, 3, Map(With(DefaultSchedule(), 0, U(40)))), Problem::kOutOfRange,
       Field::kPriority},
      {With(base, 4, Map(With(DefaultPermissions(), 0, T("log")))), Problem::kWrongType,
       Field::kServices},
  };
  for (const Case& c : cases) {
    ConfigUpdate out;
    MetadataError error;
    ASSERT_FALSE(DecodeConfigUpdate(Build(Map(c.pairs)), &out, &error).ok());
    EXPECT_EQ(error.problem, c.problem) << Describe(error);
    EXPECT_EQ(error.field, c.field) << Describe(error);
    EXPECT_EQ(out.sequence, 0u);
  }
}

}  // namespace
}  // namespace tc::image
