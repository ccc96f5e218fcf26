// The optional per-container log rate (quotas keys 4 and 5): decode, encode, and every refusal.
#include <gtest/gtest.h>

#include <string>

#include "metadata_builder.h"
#include "tc/image/metadata_codec.h"

namespace tc::image {
namespace {

using namespace testing;  // NOLINT: the builder vocabulary
using Field = MetadataField;
using Problem = MetadataProblem;

Pairs QuotasWithRate(Emit lines, Emit burst) {
  return With(With(DefaultQuotas(), 4, std::move(lines)), 5, std::move(burst));
}

std::vector<uint8_t> TopWithQuotas(const Pairs& quotas) {
  return Build(Map(With(DefaultTop(), 5, Map(quotas))));
}

void ExpectRefused(const std::vector<uint8_t>& doc, Problem problem, Field field) {
  ContainerMetadata out;
  MetadataError error;
  ASSERT_FALSE(DecodeMetadata(doc, &out, &error).ok());
  EXPECT_EQ(MetadataProblemName(error.problem), std::string(MetadataProblemName(problem)));
  EXPECT_EQ(MetadataFieldName(error.field), std::string(MetadataFieldName(field)));
  EXPECT_TRUE(out == ContainerMetadata{});  // untouched
}

TEST(LogRateCodec, AbsentMeansTheDeviceDefault) {
  ContainerMetadata m;
  ASSERT_TRUE(DecodeMetadata(Build(Map(DefaultTop())), &m).ok());
  EXPECT_FALSE(m.quotas.has_log_rate);
  EXPECT_EQ(m.quotas.log_lines_per_s, 0u);
  EXPECT_EQ(m.quotas.log_burst, 0u);
}

TEST(LogRateCodec, DecodesAndRoundTripsByteExactly) {
  const std::vector<uint8_t> doc = TopWithQuotas(QuotasWithRate(U(25), U(100)));
  ContainerMetadata m;
  ASSERT_TRUE(DecodeMetadata(doc, &m).ok());
  EXPECT_TRUE(m.quotas.has_log_rate);
  EXPECT_EQ(m.quotas.log_lines_per_s, 25u);
  EXPECT_EQ(m.quotas.log_burst, 100u);

  std::vector<uint8_t> buffer(1024);
  cbor::Writer w(buffer);
  ASSERT_TRUE(EncodeMetadata(m, &w).ok());
  EXPECT_EQ(std::vector<uint8_t>(w.written().begin(), w.written().end()), doc);
}

TEST(LogRateCodec, ExtremesAreAccepted) {
  for (const auto& [lines, burst] : {std::pair<uint64_t, uint64_t>{0, 1}, {1000000, 1000000}}) {
    ContainerMetadata m;
    ASSERT_TRUE(DecodeMetadata(TopWithQuotas(QuotasWithRate(U(lines), U(burst))), &m).ok());
    EXPECT_EQ(m.quotas.log_lines_per_s, lines);
    EXPECT_EQ(m.quotas.log_burst, burst);
  }
}

TEST(LogRateCodec, BadValuesAreNamed) {
  ExpectRefused(TopWithQuotas(QuotasWithRate(U(1000001), U(4))), Problem::kOutOfRange,
                Field::kLogLinesPerSecond);
  ExpectRefused(TopWithQuotas(QuotasWithRate(U(10), U(0))), Problem::kOutOfRange, Field::kLogBurst);
  ExpectRefused(TopWithQuotas(QuotasWithRate(U(10), U(1000001))), Problem::kOutOfRange,
                Field::kLogBurst);
  ExpectRefused(TopWithQuotas(QuotasWithRate(U(10), U(1ull << 40))), Problem::kOutOfRange,
                Field::kLogBurst);
  ExpectRefused(TopWithQuotas(QuotasWithRate(T("10/s"), U(4))), Problem::kWrongType,
                Field::kLogLinesPerSecond);
  ExpectRefused(TopWithQuotas(QuotasWithRate(U(10), Neg(1))), Problem::kWrongType,
                Field::kLogBurst);
}

TEST(LogRateCodec, BothKeysOrNeither) {
  ExpectRefused(TopWithQuotas(With(DefaultQuotas(), 4, U(10))), Problem::kMissingField,
                Field::kLogBurst);
  ExpectRefused(TopWithQuotas(With(DefaultQuotas(), 5, U(10))), Problem::kMissingField,
                Field::kLogLinesPerSecond);
}

TEST(LogRateCodec, UnknownQuotaKeyBelowTheExtensionsIsStillRefused) {
  ExpectRefused(TopWithQuotas(With(QuotasWithRate(U(1), U(1)), 6, U(1))), Problem::kUnknownKey,
                Field::kQuotas);
}

TEST(LogRateCodec, EncodeValidatesTheRate) {
  std::vector<uint8_t> buffer(1024);
  const struct {
    bool has;
    uint32_t lines;
    uint32_t burst;
    Field field;
  } cases[] = {
      {true, 1000001, 1, Field::kLogLinesPerSecond},
      {true, 1, 0, Field::kLogBurst},
      {true, 1, 1000001, Field::kLogBurst},
      {false, 5, 0, Field::kLogBurst},  // values without the flag: not encodable
  };
  for (const auto& c : cases) {
    ContainerMetadata m = DefaultMetadata();
    m.quotas.has_log_rate = c.has;
    m.quotas.log_lines_per_s = c.lines;
    m.quotas.log_burst = c.burst;
    cbor::Writer w(buffer);
    MetadataError error;
    EXPECT_FALSE(EncodeMetadata(m, &w, &error).ok());
    EXPECT_EQ(error.field, c.field);
    EXPECT_EQ(w.size(), 0u);
  }
}

}  // namespace
}  // namespace tc::image
