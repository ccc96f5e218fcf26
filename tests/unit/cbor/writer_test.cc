#include "tc/cbor/writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "cbor_test_util.h"

namespace tc::cbor {
namespace {

using testing::ToHex;

std::string Encode(const std::function<Status(Writer&)>& write) {
  uint8_t buffer[64];
  Writer w(buffer);
  Status status = write(w);
  EXPECT_TRUE(status.ok()) << status.message();
  return ToHex(w.written());
}

TEST(CborWriter, IntegersUseTheShortestForm) {
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(23); }), "17");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(24); }), "1818");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(255); }), "18ff");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(256); }), "190100");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(65536); }), "1a00010000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUint(1ull << 32); }), "1b0000000100000000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteInt(-1); }), "20");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteInt(-25); }), "3818");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteInt(INT64_MIN); }), "3b7fffffffffffffff");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteNegative(UINT64_MAX); }), "3bffffffffffffffff");
}

TEST(CborWriter, FloatsUseTheShortestExactForm) {
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(0.0); }), "f90000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(-0.0); }), "f98000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(1.5); }), "f93e00");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(65504.0); }), "f97bff");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(65505.0); }), "fa477fe100");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(100000.0); }), "fa47c35000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(1.1); }), "fb3ff199999999999a");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(5.960464477539063e-8); }), "f90001");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(2.9802322387695312e-8); }), "fa33000000");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(1e-40); }), "fb37a16c262777579c");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(std::numeric_limits<double>::infinity()); }),
            "f97c00");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(std::nan("")); }), "f97e00");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteFloat(1.401298464324817e-45); }), "fa00000001");
}

TEST(CborWriter, StringsContainersTagsSimple) {
  const uint8_t bytes[] = {1, 2, 3, 4};
  EXPECT_EQ(Encode([&](Writer& w) { return w.WriteBytes(bytes); }), "4401020304");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteText("IETF"); }), "6449455446");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteArrayHeader(25); }), "9819");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteMapHeader(2); }), "a2");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteTag(32); }), "d820");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteBool(true); }), "f5");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteNull(); }), "f6");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteUndefined(); }), "f7");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteSimple(255); }), "f8ff");
  EXPECT_EQ(Encode([](Writer& w) { return w.WriteHead(MajorType::kBytes, 300); }), "59012c");
  EXPECT_EQ(Encode([&](Writer& w) { return w.WriteRaw(bytes); }), "01020304");
}

TEST(CborWriter, RejectsUnencodableSimpleValues) {
  uint8_t buffer[4];
  Writer w(buffer);
  for (uint8_t v = 24; v < 32; ++v) EXPECT_EQ(w.WriteSimple(v).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(w.WriteHead(MajorType::kSimple, 256).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(w.size(), 0u);
}

TEST(CborWriter, FullBufferWritesNothing) {
  uint8_t buffer[4] = {0xaa, 0xaa, 0xaa, 0xaa};
  Writer w(buffer);
  EXPECT_EQ(w.WriteUint(1ull << 32).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(w.WriteText("abcd").code(), ErrorCode::kResourceExhausted);  // head + 4 bytes
  EXPECT_EQ(w.WriteFloat(1.1).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(buffer[0], 0xaa);
  EXPECT_TRUE(w.WriteText("abc").ok());
  EXPECT_EQ(w.remaining(), 0u);
  EXPECT_EQ(w.WriteNull().code(), ErrorCode::kResourceExhausted);
  const uint8_t one[] = {1};
  EXPECT_EQ(w.WriteRaw(one).code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace tc::cbor
