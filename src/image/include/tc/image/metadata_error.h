// Why a metadata or config-update document was refused: which field, what kind of problem, and
// where in the input. The decoders return a Status (code + message + byte offset) and, on request,
// fill a MetadataError that also names the field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"

namespace tc::image {

enum class MetadataProblem : uint8_t {
  kNone = 0,
  kCbor,                // not well-formed / truncated / too deep CBOR (Status code says which)
  kTrailingBytes,       // bytes after the top-level map (kMalformed)
  kMissingField,        // a required key is absent (kNotFound)
  kWrongType,           // the value has the wrong CBOR type (kInvalid)
  kDuplicateKey,        // a map key appears twice (kAlreadyExists)
  kKeyOrder,            // map keys not in ascending (deterministic) order (kMalformed)
  kUnknownKey,          // an unknown key below the extension range (kUnsupported)
  kUnsupportedVersion,  // format version other than 1 (kUnsupported)
  kOutOfRange,          // a number or length outside the field's range (kOutOfRange)
  kTooMany,             // more array entries than the fixed capacity (kResourceExhausted)
  kInvalidValue,        // violates a rule linking fields or a value syntax (kInvalid)
  kDuplicateId,         // two endpoints with one id (kAlreadyExists)
  kReserved,            // a value reserved for a later version, e.g. remote peers (kUnsupported)
};

enum class MetadataField : uint8_t {
  kNone = 0,  // the document as a whole
  kFormat,
  kUid,
  kVersion,
  kRuntime,
  kEntry,
  kEntryInit,
  kEntryLoop,
  kEntryStop,
  kEntryStart,
  kQuotas,
  kMemoryLimit,
  kStackBytes,
  kKvBytes,
  kMaxHandles,
  kSchedule,
  kPriority,
  kPeriod,
  kBudget,
  kDeadline,
  kSlice,
  kOnOverrun,
  kMaxRestarts,
  kPermissions,
  kServices,
  kEndpoints,
  kEndpoint,  // permissions.endpoints[i]
  kEndpointId,
  kEndpointPeer,
  kEndpointDirection,
  kOnViolation,
  kNotAfter,
  kSignerKid,
  kCodeSha256,
  kCodeSize,
  kDataSha256,
  kDataSize,
  kSequence,  // config update only
  kLogLinesPerSecond,
  kLogBurst,
};

struct MetadataError {
  static constexpr uint8_t kNoIndex = 0xff;

  MetadataProblem problem = MetadataProblem::kNone;
  MetadataField field = MetadataField::kNone;
  uint8_t index = kNoIndex;  // endpoint index for permissions.endpoints[i].*
  Status status;             // code, static message and byte offset

  // "permissions.endpoints[2].peer: remote peers are reserved (at byte 131)".
  size_t Describe(std::span<char> out) const;
};

// Dotted path of a field as used in docs/metadata.md and the JSON manifest ("schedule.period_us");
// endpoint fields without their index ("permissions.endpoints[].id").
const char* MetadataFieldName(MetadataField field);
const char* MetadataProblemName(MetadataProblem problem);

}  // namespace tc::image
