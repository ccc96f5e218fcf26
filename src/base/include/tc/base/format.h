// A small printf subset for device-side text (logs, audit lines) without pulling in the C
// library's vsnprintf. Supports %d %i %u %x %X %c %s %p %% with optional '0', width and the
// 'l', 'll', 'z' length modifiers. Output is always NUL-terminated and silently truncated.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tc {

// Returns the number of characters written, excluding the terminating NUL.
size_t FormatTo(std::span<char> out, const char* format, ...) __attribute__((format(printf, 2, 3)));
size_t FormatToV(std::span<char> out, const char* format, va_list args);

// One integer conversion exactly as FormatTo does it, for formatters whose values do not come in
// a va_list (a guest's printf): `magnitude` with a '-' when `negative`, right-aligned in `width`
// with `pad`. Same truncation and NUL as FormatTo; returns the characters written.
struct IntegerFormat {
  unsigned base = 10;  // 10 or 16
  bool upper = false;  // hex digits A-F
  unsigned width = 0;
  char pad = ' ';  // ' ' or '0'
};
size_t FormatInteger(std::span<char> out, uint64_t magnitude, bool negative,
                     const IntegerFormat& format);

}  // namespace tc
