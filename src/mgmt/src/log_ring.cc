#include "tc/mgmt/log_ring.h"

#include "tc/cbor/utf8.h"

namespace tc::mgmt {

void LogRing::Write(std::string_view container_uid, std::span<const uint8_t> text) {
  LogLine line;
  line.number = next_++;
  line.time_us = clock_.NowUs();
  // A uid longer than a uid can be is cut: the line is kept, its origin stays recognisable.
  (void)line.uid.Assign(container_uid.substr(0, image::kMaxUidLength));
  size_t length = text.size() < kLogLineText ? text.size() : kLogLineText;
  for (size_t i = 0; i < length; ++i) line.text[i] = static_cast<char>(text[i]);
  // Lines go out as CBOR/JSON text: every byte that breaks UTF-8 (a cut character included)
  // becomes '?'.
  size_t at = 0;
  while (at < length) {
    const std::span<const uint8_t> rest(reinterpret_cast<const uint8_t*>(line.text) + at,
                                        length - at);
    const size_t bad = cbor::FindInvalidUtf8(rest);
    if (bad == rest.size()) break;
    line.text[at + bad] = '?';
    at += bad + 1;
  }
  line.length = static_cast<uint8_t>(length);
  lines_.PushOverwrite(line);
}

const LogLine* LogRing::Find(uint64_t number) const {
  if (number < first() || number >= next_) return nullptr;
  return &lines_[static_cast<size_t>(number - first())];
}

}  // namespace tc::mgmt
