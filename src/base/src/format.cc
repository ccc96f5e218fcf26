#include "tc/base/format.h"

#include <cstdint>

namespace tc {

namespace {

class Output {
 public:
  explicit Output(std::span<char> out) : out_(out) {}
  void Put(char c) {
    if (out_.size() > 0 && pos_ + 1 < out_.size()) out_[pos_++] = c;
  }
  size_t Finish() {
    if (out_.size() > 0) out_[pos_] = '\0';
    return pos_;
  }

 private:
  std::span<char> out_;
  size_t pos_ = 0;
};

void PutUnsigned(Output& out, uint64_t value, unsigned base, bool upper, bool negative,
                 unsigned width, char pad) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buffer[24];
  unsigned n = 0;
  do {
    buffer[n++] = digits[value % base];
    value /= base;
  } while (value != 0);
  const unsigned used = n + (negative ? 1u : 0u);
  if (negative && pad == '0') out.Put('-');
  for (unsigned i = used; i < width; ++i) out.Put(pad);
  if (negative && pad != '0') out.Put('-');
  while (n > 0) out.Put(buffer[--n]);
}

}  // namespace

size_t FormatToV(std::span<char> out_span, const char* format, va_list args) {
  Output out(out_span);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      out.Put(*p);
      continue;
    }
    ++p;
    char pad = ' ';
    if (*p == '0') {
      pad = '0';
      ++p;
    }
    unsigned width = 0;
    while (*p >= '0' && *p <= '9') width = width * 10 + static_cast<unsigned>(*p++ - '0');
    int length = 0;  // 0 = int, 1 = long, 2 = long long, 3 = size_t
    if (*p == 'l') {
      length = 1;
      if (*++p == 'l') {
        length = 2;
        ++p;
      }
    } else if (*p == 'z') {
      length = 3;
      ++p;
    }
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v = length == 0   ? va_arg(args, int)
                    : length == 1 ? va_arg(args, long)
                    : length == 2 ? va_arg(args, long long)
                                  : static_cast<int64_t>(va_arg(args, size_t));
        const bool negative = v < 0;
        const uint64_t magnitude =
            negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        PutUnsigned(out, magnitude, 10, false, negative, width, pad);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t v = length == 0   ? va_arg(args, unsigned)
                     : length == 1 ? va_arg(args, unsigned long)
                     : length == 2 ? va_arg(args, unsigned long long)
                                   : va_arg(args, size_t);
        PutUnsigned(out, v, *p == 'u' ? 10 : 16, *p == 'X', false, width, pad);
        break;
      }
      case 'p':
        out.Put('0');
        out.Put('x');
        PutUnsigned(out, reinterpret_cast<uintptr_t>(va_arg(args, void*)), 16, false, false, 0,
                    ' ');
        break;
      case 'c': out.Put(static_cast<char>(va_arg(args, int))); break;
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        while (*s != '\0') out.Put(*s++);
        break;
      }
      case '%': out.Put('%'); break;
      case '\0': return out.Finish();
      default:  // unknown conversion: show it verbatim so the mistake is visible
        out.Put('%');
        out.Put(*p);
        break;
    }
  }
  return out.Finish();
}

size_t FormatInteger(std::span<char> out_span, uint64_t magnitude, bool negative,
                     const IntegerFormat& format) {
  Output out(out_span);
  PutUnsigned(out, magnitude, format.base, format.upper, negative, format.width, format.pad);
  return out.Finish();
}

size_t FormatTo(std::span<char> out, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const size_t n = FormatToV(out, format, args);
  va_end(args);
  return n;
}

}  // namespace tc
