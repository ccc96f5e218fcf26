// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <cstdint>
#include <span>

namespace tc::cbor {

// Returns the offset of the first invalid byte, or text.size() if the whole text is valid.
size_t FindInvalidUtf8(std::span<const uint8_t> text);

}  // namespace tc::cbor
