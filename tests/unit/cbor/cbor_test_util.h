// Test helpers: a token description of a CBOR document (the same format the Python differential
// scripts produce) and a generic reader-to-writer transcoder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tc/base/status.h"
#include "tc/cbor/reader.h"

namespace tc::cbor::testing {

std::vector<uint8_t> FromHex(std::string_view hex);
std::string ToHex(std::span<const uint8_t> bytes);

// Tokens separated by spaces: u:N (unsigned), n:N (negative, value -1-N), b:HEX, t:HEX (UTF-8),
// A:N (array), M:N (map), T:N (tag), s:N (simple), f:HEX (the value widened to a double, bits).
// Reads every item of the input; returns the first error instead.
Status Describe(std::span<const uint8_t> in, std::string* tokens, ReaderOptions options = {});

// Decodes `in` item by item and re-encodes each with the deterministic Writer.
Status Transcode(std::span<const uint8_t> in, std::vector<uint8_t>* out,
                 ReaderOptions options = {});

}  // namespace tc::cbor::testing
