// Names and encodings of the management's durable records in the ContainerStore.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "tc/image/fixed_text.h"

namespace tc::mgmt::internal {

using RecordName = image::FixedText<48>;

// The operator sequence: 8 bytes, little-endian.
inline constexpr std::string_view kSequenceRecord = "seq";

// prefix + uid (uids are at most 32 characters, so it always fits).
inline RecordName PrefixedRecord(std::string_view prefix, std::string_view uid) {
  char text[RecordName::capacity()];
  size_t n = 0;
  for (size_t i = 0; i < prefix.size() && n < sizeof text; ++i) text[n++] = prefix[i];
  for (size_t i = 0; i < uid.size() && n < sizeof text; ++i) text[n++] = uid[i];
  RecordName name;
  (void)name.Assign(std::string_view(text, n));
  return name;
}

// "up.<uid>" exists while the container is started (1 byte, value 1).
inline RecordName StartedRecord(std::string_view uid) { return PrefixedRecord("up.", uid); }

// "cfgs.<uid>" / "cfgp.<uid>": the last signed config update that changed the container's
// schedule / permissions (one update may be both), re-applied by Restore().
inline RecordName ScheduleConfigRecord(std::string_view uid) {
  return PrefixedRecord("cfgs.", uid);
}
inline RecordName PermissionsConfigRecord(std::string_view uid) {
  return PrefixedRecord("cfgp.", uid);
}

// "cfgv.<uid>": the image version the cfgs/cfgp records were applied to (4 bytes, little-endian).
// Written before them; Restore() ignores config records of another version, so an update whose
// switch was cut short before its old records were removed never inherits them.
inline RecordName ConfigVersionRecord(std::string_view uid) { return PrefixedRecord("cfgv.", uid); }

inline void EncodeSequence(uint64_t value, uint8_t out[8]) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

inline uint64_t DecodeSequence(const uint8_t in[8]) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = value << 8 | in[i];
  return value;
}

}  // namespace tc::mgmt::internal
