// A small printf subset for device-side text (logs, audit lines) without pulling in the C
// library's vsnprintf. Supports %d %i %u %x %X %c %s %p %% with optional '0', width and the
// 'l', 'll', 'z' length modifiers. Output is always NUL-terminated and silently truncated.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <span>

namespace tc {

// Returns the number of characters written, excluding the terminating NUL.
size_t FormatTo(std::span<char> out, const char* format, ...) __attribute__((format(printf, 2, 3)));
size_t FormatToV(std::span<char> out, const char* format, va_list args);

}  // namespace tc
