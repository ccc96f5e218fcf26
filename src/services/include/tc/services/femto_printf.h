// Femto-Containers' bpf_printf(fmt, ...) for eBPF guests. The format string comes from the guest,
// so it is hostile input: only integer and character conversions are understood (no %s or %p,
// which would need host pointers or unbounded reads), each value comes from the helper's
// argument registers, widths are bounded and the output is one bounded log line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"

namespace tc::services {

inline constexpr size_t kFemtoPrintfMaxFormat = 128;  // bytes before the NUL
inline constexpr size_t kFemtoPrintfMaxLine = 128;    // characters logged (longer is truncated)
inline constexpr unsigned kFemtoPrintfMaxWidth = 32;
inline constexpr size_t kFemtoPrintfMaxValues = 4;  // r2..r5

// Formats `format` with `values` into `out` (NUL-terminated, truncated) and returns the
// characters written. Understood: %d %i %u %x %X %c %%, the '0' flag, a width up to 32 and the
// length modifiers hh h l ll z j t (none/h/hh: 32/16/8-bit values, the others 64-bit, as clang
// -target bpf passes them). kInvalidArgument for anything else — %s, %p, %f, precision, '*',
// '-', a width above 32, a '%' at the end — and for more conversions than values.
Result<size_t> FormatFemtoPrintf(std::string_view format, std::span<const uint64_t> values,
                                 std::span<char> out);

}  // namespace tc::services
