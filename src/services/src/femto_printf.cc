// The guest-format printf: a strict parser over the format view (never past its end) that hands
// each integer to tc::FormatInteger, so the digits are the ones FormatTo would print.
#include "tc/services/femto_printf.h"

#include "tc/base/format.h"

namespace tc::services {
namespace {

// Appends to a NUL-terminated, truncating line.
class Line {
 public:
  explicit Line(std::span<char> out) : out_(out) {
    if (!out_.empty()) out_[0] = '\0';
  }
  void Put(char c) {
    if (used_ + 1 < out_.size()) {
      out_[used_++] = c;
      out_[used_] = '\0';
    }
  }
  void PutInteger(uint64_t magnitude, bool negative, const IntegerFormat& format) {
    if (used_ + 1 < out_.size()) {
      used_ += FormatInteger(out_.subspan(used_), magnitude, negative, format);
    }
  }
  size_t used() const { return used_; }

 private:
  std::span<char> out_;
  size_t used_ = 0;
};

enum class Width : uint8_t { k8, k16, k32, k64 };

int64_t Signed(uint64_t value, Width width) {
  switch (width) {
    case Width::k8: return static_cast<int8_t>(value);
    case Width::k16: return static_cast<int16_t>(value);
    case Width::k32: return static_cast<int32_t>(value);
    case Width::k64: break;
  }
  return static_cast<int64_t>(value);
}

uint64_t Unsigned(uint64_t value, Width width) {
  switch (width) {
    case Width::k8: return static_cast<uint8_t>(value);
    case Width::k16: return static_cast<uint16_t>(value);
    case Width::k32: return static_cast<uint32_t>(value);
    case Width::k64: break;
  }
  return value;
}

}  // namespace

Result<size_t> FormatFemtoPrintf(std::string_view format, std::span<const uint64_t> values,
                                 std::span<char> out) {
  Line line(out);
  size_t next_value = 0;
  size_t i = 0;
  const auto at = [&](size_t k) { return k < format.size() ? format[k] : '\0'; };
  while (i < format.size()) {
    const char c = format[i++];
    if (c != '%') {
      line.Put(c);
      continue;
    }
    if (at(i) == '%') {
      line.Put('%');
      ++i;
      continue;
    }
    IntegerFormat spec;
    if (at(i) == '0') {
      spec.pad = '0';
      ++i;
    }
    while (at(i) >= '0' && at(i) <= '9') {
      spec.width = spec.width * 10 + static_cast<unsigned>(at(i++) - '0');
      if (spec.width > kFemtoPrintfMaxWidth) {
        return Status(ErrorCode::kInvalidArgument, "bpf_printf: width above 32",
                      static_cast<uint32_t>(i - 1));
      }
    }
    Width width = Width::k32;
    if (at(i) == 'h') {
      width = at(i + 1) == 'h' ? Width::k8 : Width::k16;
      i += width == Width::k8 ? 2 : 1;
    } else if (at(i) == 'l') {
      width = Width::k64;
      i += at(i + 1) == 'l' ? 2 : 1;
    } else if (at(i) == 'z' || at(i) == 'j' || at(i) == 't') {
      width = Width::k64;
      ++i;
    }
    const char conversion = at(i++);
    if (conversion != 'd' && conversion != 'i' && conversion != 'u' && conversion != 'x' &&
        conversion != 'X' && conversion != 'c') {
      return Status(ErrorCode::kInvalidArgument,
                    "bpf_printf: unsupported conversion (only d i u x X c %)",
                    static_cast<uint32_t>(i - 1));
    }
    if (next_value == values.size()) {
      return Status(ErrorCode::kInvalidArgument, "bpf_printf: more conversions than values",
                    static_cast<uint32_t>(i - 1));
    }
    const uint64_t value = values[next_value++];
    if (conversion == 'c') {
      if (spec.pad == '0') {  // undefined in C: refused rather than guessed
        return Status(ErrorCode::kInvalidArgument, "bpf_printf: '0' flag on %c",
                      static_cast<uint32_t>(i - 1));
      }
      for (unsigned k = 1; k < spec.width; ++k) line.Put(' ');
      line.Put(static_cast<char>(value));
    } else if (conversion == 'd' || conversion == 'i') {
      const int64_t v = Signed(value, width);
      line.PutInteger(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), v < 0, spec);
    } else {
      spec.base = conversion == 'u' ? 10 : 16;
      spec.upper = conversion == 'X';
      line.PutInteger(Unsigned(value, width), false, spec);
    }
  }
  return line.used();
}

}  // namespace tc::services
