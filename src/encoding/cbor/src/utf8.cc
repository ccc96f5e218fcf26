#include "tc/cbor/utf8.h"

namespace tc::cbor {

size_t FindInvalidUtf8(std::span<const uint8_t> text) {
  size_t i = 0;
  while (i < text.size()) {
    const uint8_t lead = text[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    uint32_t minimum = 0;
    if ((lead & 0xe0) == 0xc0) {
      length = 2, code_point = lead & 0x1fu, minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, code_point = lead & 0x0fu, minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, code_point = lead & 0x07u, minimum = 0x10000;
    } else {
      return i;
    }
    if (text.size() - i < length) return i;
    for (size_t k = 1; k < length; ++k) {
      const uint8_t next = text[i + k];
      if ((next & 0xc0) != 0x80) return i;
      code_point = code_point << 6 | (next & 0x3fu);
    }
    const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
    if (code_point < minimum || code_point > 0x10ffff || surrogate) return i;
    i += length;
  }
  return text.size();
}

}  // namespace tc::cbor
