// Bad input for the CBOR reader: truncation at every byte, oversized lengths, depth bombs, wrong
// types, non-deterministic encodings, invalid UTF-8. A failed read must leave the reader unchanged.
#include "tc/cbor/reader.h"

#include <gtest/gtest.h>

#include <string>

#include "cbor_test_util.h"
#include "tc/cbor/map_key_order.h"

namespace tc::cbor {
namespace {

using testing::Describe;
using testing::FromHex;

// A document exercising every major type, nesting, tags, floats and strings.
constexpr const char* kRichDocument =
    "a4"  // map, 4 pairs
    "01"
    "83 01 820203 c1 1a514b67b0"
    "20"
    "fb3ff199999999999a"
    "6161"
    "a2 00 4401020304 01 64f0908591"
    "626262"
    "84 f4 f5 f6 f97e00";

TEST(CborReader, RichDocumentDescribes) {
  std::string tokens;
  ASSERT_TRUE(Describe(FromHex(kRichDocument), &tokens).ok());
  EXPECT_EQ(tokens,
            "M:4 u:1 A:3 u:1 A:2 u:2 u:3 T:1 u:1363896240 n:0 f:3ff199999999999a t:61 M:2 u:0 "
            "b:01020304 u:1 t:f0908591 t:6262 A:4 s:20 s:21 s:22 f:7ff8000000000000");
}

TEST(CborReader, TruncatedAtEveryByteIsRejected) {
  const std::vector<uint8_t> doc = FromHex(kRichDocument);
  for (size_t cut = 0; cut < doc.size(); ++cut) {
    std::vector<uint8_t> prefix(doc.begin(), doc.begin() + static_cast<long>(cut));
    std::string tokens;
    Status status = Describe(prefix, &tokens);
    if (cut == 0) {
      EXPECT_TRUE(status.ok());  // an empty sequence of items
      continue;
    }
    EXPECT_FALSE(status.ok()) << "cut at " << cut;
    EXPECT_TRUE(status.code() == ErrorCode::kTruncated || status.code() == ErrorCode::kMalformed)
        << "cut at " << cut << ": " << status.message();
    // SkipItem on the truncated document fails too and leaves the reader where it was.
    Reader r(prefix);
    EXPECT_FALSE(r.SkipItem().ok()) << "cut at " << cut;
    EXPECT_EQ(r.position(), 0u);
    EXPECT_EQ(r.depth(), 0u);
  }
}

TEST(CborReader, LengthsBeyondTheInputAreTruncatedNotOverflowed) {
  const char* cases[] = {
      "5bffffffffffffffff",    // byte string of 2^64-1 bytes
      "7bffffffffffffffff00",  // text string of 2^64-1 bytes
      "4500",                  // 5 bytes promised, 1 present
      "9bffffffffffffffff",    // array of 2^64-1 items
      "83 01 02",              // 3 items promised, 2 bytes left
      "bbffffffffffffffff",    // map of 2^64-1 pairs (2 * count would overflow)
      "bb8000000000000000",    // map of 2^63 pairs: 2 * count wraps to 0
      "a2 01 02 03",           // two pairs need four bytes
      "c1",                    // tag without an item
      "19 01",                 // two-byte argument cut short
      "1b 00 00 00",           // eight-byte argument cut short
  };
  for (const char* hex : cases) {
    const std::vector<uint8_t> r_bytes = FromHex(hex);
    Reader r(r_bytes);
    Result<Head> head = r.PeekHead();
    ASSERT_FALSE(head.ok()) << hex;
    EXPECT_EQ(head.status().code(), ErrorCode::kTruncated) << hex;
    EXPECT_EQ(head.status().position(), 0u) << hex;
    EXPECT_FALSE(r.SkipItem().ok()) << hex;
    EXPECT_EQ(r.position(), 0u) << hex;
  }
}

TEST(CborReader, DepthBombIsRejectedWithoutRecursion) {
  // 100000 nested one-element arrays around 0: deeper than any limit, read iteratively.
  std::vector<uint8_t> bomb(100000, 0x81);
  bomb.push_back(0x00);
  Reader r(bomb);
  Status status = r.SkipItem();
  EXPECT_EQ(status.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(status.position(), 8u);  // the 9th array exceeds the default depth of 8
  EXPECT_EQ(r.position(), 0u);

  // Tags nest without a container: a long chain still reads (bounded by the input).
  std::vector<uint8_t> tags(1000, 0xc6);
  tags.push_back(0x01);
  Reader t(tags);
  EXPECT_TRUE(t.SkipItem().ok());
  EXPECT_TRUE(t.ExpectEnd().ok());
}

TEST(CborReader, DepthLimitIsConfigurable) {
  const std::vector<uint8_t> nested = FromHex("8181818100");  // 4 levels
  ReaderOptions options;
  options.max_depth = 3;
  Reader shallow(nested, options);
  EXPECT_EQ(shallow.SkipItem().code(), ErrorCode::kResourceExhausted);
  options.max_depth = 4;
  Reader deep(nested, options);
  EXPECT_TRUE(deep.SkipItem().ok());
  options.max_depth = 200;  // clamped to kMaxDepthLimit
  std::vector<uint8_t> seventeen(17, 0x81);
  seventeen.push_back(0);
  Reader clamped(seventeen, options);
  EXPECT_EQ(clamped.SkipItem().code(), ErrorCode::kResourceExhausted);
  // Empty containers do not open a level.
  std::vector<uint8_t> empties = FromHex("83 80 a0 80");
  options.max_depth = 1;
  Reader flat(empties, options);
  EXPECT_TRUE(flat.SkipItem().ok());
}

TEST(CborReader, WrongTypeIsInvalidAndConsumesNothing) {
  const std::vector<uint8_t> doc = FromHex("6161");  // "a"
  Reader r(doc);
  EXPECT_EQ(r.ReadUint().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadInt().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadBytes().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadArrayHeader().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadMapHeader().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadTag().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadBool().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadNull().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadUndefined().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadSimple().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.ReadFloat().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(*r.ReadText(), "a");
  EXPECT_TRUE(r.ExpectEnd().ok());
  const std::vector<uint8_t> f_bytes = FromHex("f4");
  Reader f(f_bytes);
  EXPECT_EQ(f.ReadText().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(f.ReadFloat().status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(*f.ReadBool(), false);
}

TEST(CborReader, TypedReadsReturnValues) {
  const std::vector<uint8_t> r_bytes =
      FromHex("1bffffffffffffffff 3b7fffffffffffffff 3b8000000000000000 f6 f7 f820 f93c00");
  Reader r(r_bytes);
  EXPECT_EQ(*r.ReadUint(), UINT64_MAX);
  EXPECT_EQ(*r.ReadInt(), INT64_MIN);
  EXPECT_EQ(r.ReadInt().status().code(), ErrorCode::kOutOfRange);
  ASSERT_TRUE(r.SkipItem().ok());
  EXPECT_TRUE(r.ReadNull().ok());
  EXPECT_TRUE(r.ReadUndefined().ok());
  EXPECT_EQ(*r.ReadSimple(), 32);
  EXPECT_EQ(*r.ReadFloat(), 1.0);
  EXPECT_TRUE(r.ExpectEnd().ok());
  const std::vector<uint8_t> big_bytes = FromHex("1b8000000000000000");
  Reader big(big_bytes);
  EXPECT_EQ(big.ReadInt().status().code(), ErrorCode::kOutOfRange);
}

TEST(CborReader, NonShortestFormsRejectedOnlyInDeterministicMode) {
  const char* cases[] = {
      "1817",                // 23 in one extra byte
      "190017",              // 23 in two extra bytes
      "1a000000ff",          // 255 in four bytes
      "1b00000000ffffffff",  // 2^32-1 in eight bytes
      "3817",                // -24 with a one-byte argument
      "5801ff",              // byte string length 1 in long form
      "780161",              // text length 1 in long form
      "9800",                // empty array in long form
      "b800",                // empty map in long form
      "d80101",              // tag 1 in long form
      "fa3f800000",          // 1.0 as single
      "fb3ff0000000000000",  // 1.0 as double
      "fb3ff8000000000000",  // 1.5 as double: fits half
      "fb47efffffe0000000",  // FLT_MAX as double: fits single
  };
  for (const char* hex : cases) {
    const std::vector<uint8_t> bytes = FromHex(hex);
    Reader strict(bytes);
    EXPECT_EQ(strict.SkipItem().code(), ErrorCode::kMalformed) << hex;
    ReaderOptions lenient;
    lenient.deterministic = false;
    Reader loose(bytes, lenient);
    EXPECT_TRUE(loose.SkipItem().ok()) << hex;
    EXPECT_TRUE(loose.ExpectEnd().ok()) << hex;
  }
}

TEST(CborReader, NotWellFormedHeadsAreMalformed) {
  const char* malformed[] = {
      "1c",   "1d",   "1e",  // reserved additional information
      "3c",   "5c",   "7d", "9e", "bc", "dc",
      "fc",   "fd",   "fe", "1f", "3f", "df",  // indefinite on integers and tags
      "ff",                                    // break outside an indefinite item
      "f800", "f81f",                          // two-byte simple values below 32
  };
  for (const char* hex : malformed) {
    const std::vector<uint8_t> r_bytes = FromHex(hex);
    Reader r(r_bytes);
    EXPECT_EQ(r.SkipItem().code(), ErrorCode::kMalformed) << hex;
  }
  for (const char* hex : {"5f", "7f", "9f", "bf"}) {
    const std::vector<uint8_t> r_bytes = FromHex(hex);
    Reader r(r_bytes);
    EXPECT_EQ(r.SkipItem().code(), ErrorCode::kUnsupported) << hex;
  }
}

TEST(CborReader, InvalidUtf8IsMalformedUnlessDisabled) {
  const char* invalid[] = {
      "61ff",        // not a UTF-8 byte
      "6180",        // lone continuation byte
      "62c0af",      // overlong '/'
      "63eda080",    // surrogate U+D800
      "64f4908080",  // above U+10FFFF
      "62e282",      // sequence cut short by the string end
      "63e0808f",    // overlong three-byte form
  };
  for (const char* hex : invalid) {
    const std::vector<uint8_t> bytes = FromHex(hex);
    Reader r(bytes);
    Status status = r.ReadText().status();
    EXPECT_EQ(status.code(), ErrorCode::kMalformed) << hex;
    EXPECT_GE(status.position(), 1u) << hex;
    EXPECT_EQ(r.position(), 0u);
    ReaderOptions options;
    options.validate_utf8 = false;
    Reader raw(bytes, options);
    EXPECT_TRUE(raw.ReadText().ok()) << hex;
  }
}

TEST(CborReader, ContainerTrackingAndEncodedItem) {
  const std::vector<uint8_t> doc = FromHex("82 a1 01 02 c1 83 01 02 03");
  Reader r(doc);
  EXPECT_EQ(*r.ReadArrayHeader(), 2u);
  EXPECT_EQ(r.depth(), 1u);
  EXPECT_EQ(r.ItemsLeftInContainer(), 2u);
  Result<std::span<const uint8_t>> first = r.ReadEncodedItem();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(testing::ToHex(*first), "a10102");
  EXPECT_EQ(r.ItemsLeftInContainer(), 1u);
  EXPECT_EQ(r.ExpectEnd().code(), ErrorCode::kMalformed);  // array not finished
  Result<std::span<const uint8_t>> second = r.ReadEncodedItem();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(testing::ToHex(*second), "c183010203");
  EXPECT_EQ(r.depth(), 0u);
  EXPECT_TRUE(r.ExpectEnd().ok());

  const std::vector<uint8_t> trailing_bytes = FromHex("01 02");

  Reader trailing(trailing_bytes);
  EXPECT_EQ(*trailing.ReadUint(), 1u);
  EXPECT_EQ(trailing.ExpectEnd().code(), ErrorCode::kMalformed);
}

TEST(CborReader, HalfFloatsWidenExactly) {
  struct Case {
    const char* hex;
    double value;
  };
  const Case cases[] = {{"f90001", 5.960464477539063e-8},
                        {"f903ff", 0.000060975551605224609375},
                        {"f90400", 0.00006103515625},
                        {"f97bff", 65504.0},
                        {"f9c400", -4.0},
                        {"f93555", 0.333251953125}};
  for (const Case& c : cases) {
    const std::vector<uint8_t> r_bytes = FromHex(c.hex);
    Reader r(r_bytes);
    EXPECT_EQ(*r.ReadFloat(), c.value) << c.hex;
  }
}

TEST(MapKeyOrder, DetectsDuplicatesAndDisorder) {
  const std::vector<uint8_t> k0 = FromHex("00"), k10 = FromHex("0a"), k100 = FromHex("1864"),
                             kneg = FromHex("20"), ka = FromHex("6161");
  MapKeyOrder order;
  EXPECT_TRUE(order.Next(k0).ok());
  EXPECT_TRUE(order.Next(k10).ok());
  EXPECT_TRUE(order.Next(k100).ok());  // bytewise: 0x18 < 0x20
  EXPECT_TRUE(order.Next(kneg).ok());
  EXPECT_TRUE(order.Next(ka).ok());
  EXPECT_EQ(order.Next(ka).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(order.Next(k10).code(), ErrorCode::kMalformed);
  order.Reset();
  EXPECT_TRUE(order.Next(k10).ok());
}

}  // namespace
}  // namespace tc::cbor
