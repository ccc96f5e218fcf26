// A zero-allocation streaming CBOR reader (RFC 8949) over untrusted bytes.
//
// Every head is checked against the remaining input before anything is consumed (string lengths,
// array counts and map counts alike: an array of n items needs at least n more bytes), so no
// length can overflow or run past the input. The reader tracks one item counter per open
// array/map, which bounds the nesting depth, lets SkipItem() walk whole items iteratively (no
// recursion) and lets ExpectEnd() check that every container was read to its end.
//
// Every typed read either succeeds and consumes exactly one item (for arrays/maps: the header),
// or fails and leaves the reader unchanged, with a Status whose position is the byte offset of the
// offending head. Indefinite-length items are rejected with kUnsupported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"
#include "tc/cbor/types.h"

namespace tc::cbor {

struct ReaderOptions {
  // Deepest nesting of arrays/maps accepted (1..kMaxDepthLimit); deeper input is
  // kResourceExhausted. A top-level scalar has depth 0, the items of a top-level array depth 1.
  uint8_t max_depth = 8;
  // Deterministic encoding (RFC 8949 §4.2.1): integers, lengths, tags and floats must use their
  // shortest form, else kMalformed. Map key order is checked by the caller (MapKeyOrder).
  bool deterministic = true;
  // Text strings must be valid UTF-8, else kMalformed.
  bool validate_utf8 = true;
};

// The decoded head of one item.
struct Head {
  MajorType major = MajorType::kUnsigned;
  uint8_t additional = 0;  // the 5-bit additional information
  uint8_t size = 0;        // bytes taken by the head itself (1, 2, 3, 5 or 9)
  // Value (major 0), -1-value (major 1), byte length (2, 3), item count (4), pair count (5),
  // tag number (6), simple value or raw float bits (7).
  uint64_t argument = 0;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data, ReaderOptions options = {});

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }
  std::span<const uint8_t> data() const { return data_; }
  // Number of arrays/maps currently open.
  size_t depth() const { return depth_; }
  // Items still to read in the innermost open array/map (a map counts keys and values);
  // 0 at top level.
  size_t ItemsLeftInContainer() const { return depth_ == 0 ? 0 : left_[depth_ - 1]; }

  // The head of the next item, validated, without consuming anything.
  Result<Head> PeekHead() const;

  Result<uint64_t> ReadUint();
  // Major type 0 or 1, kOutOfRange if outside int64_t.
  Result<int64_t> ReadInt();
  // Views into the input (no copy).
  Result<std::span<const uint8_t>> ReadBytes();
  Result<std::string_view> ReadText();
  // Consume an array/map header and return its item/pair count; then read the items.
  Result<uint64_t> ReadArrayHeader();
  Result<uint64_t> ReadMapHeader();
  // Consume a tag and return its number; the tagged item follows.
  Result<uint64_t> ReadTag();
  Result<bool> ReadBool();
  Status ReadNull();
  Status ReadUndefined();
  // Any simple value other than a float (false/true/null/undefined included).
  Result<uint8_t> ReadSimple();
  // A half, single or double precision float, widened exactly.
  Result<double> ReadFloat();

  // Skips one complete item (a tag together with its item, an array/map with all its contents),
  // validating it on the way.
  Status SkipItem();
  // Skips one complete item and returns its encoded bytes.
  Result<std::span<const uint8_t>> ReadEncodedItem();
  // OK if all opened arrays/maps have been read completely and no input is left.
  Status ExpectEnd() const;

 private:
  Status DecodeHeadAt(size_t pos, Head* head) const;
  // Consumes the already validated head `head` (and a string's payload), updating the counters.
  Status Consume(const Head& head);
  // Decodes the next head, checks its major type and additional-information range, consumes it.
  Status Take(MajorType major, uint8_t min_additional, uint8_t max_additional, const char* message,
              Head* head);
  Result<uint64_t> TakeArgument(MajorType major, const char* message);

  std::span<const uint8_t> data_;
  ReaderOptions options_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t left_[kMaxDepthLimit] = {};
};

}  // namespace tc::cbor
