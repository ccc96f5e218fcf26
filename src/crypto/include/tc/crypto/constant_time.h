// Helpers for secret data: comparisons whose timing does not depend on where bytes differ, and
// wiping that the compiler may not drop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::crypto {

// True when a and b have the same length and content. The time depends only on the lengths
// (which are public), never on the content, so a MAC check leaks nothing about the expected tag.
bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);

// Overwrites `size` bytes at `data` with zeros; the writes are not optimised away.
void SecureZero(void* data, size_t size);

}  // namespace tc::crypto
