// CBOR -> JSON for people and scripts (e.g. `coap-client -A 50`): a non-recursive transcoder with
// bounded depth that writes through a sink, so the JSON never has to exist in one buffer.
//
// Mapping: integers as JSON numbers (all of -2^64..2^64-1), text strings escaped (RFC 8259),
// byte strings as lowercase hex strings, arrays and maps as arrays and objects, integer map keys
// as their decimal text ("1"), tags dropped (the tagged item is written), true/false/null, and
// undefined as null. Refused with kUnsupported: floats, other simple values, map keys that are
// neither text nor integers. Input errors are the reader's (kTruncated, kMalformed, ...);
// nesting deeper than `max_depth` is kResourceExhausted; bytes after the item are kMalformed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"

namespace tc::cbor {

// Receives the JSON text piece by piece; an error stops the transcoder and is returned.
using JsonSink = Status (*)(void* context, std::string_view text);

// Transcodes exactly one CBOR item filling `in`. `max_depth` is capped at kMaxDepthLimit.
Status CborToJson(std::span<const uint8_t> in, JsonSink sink, void* context, uint8_t max_depth = 8);

// The JSON length CborToJson would write, or its error.
Result<size_t> JsonLength(std::span<const uint8_t> in, uint8_t max_depth = 8);

}  // namespace tc::cbor
