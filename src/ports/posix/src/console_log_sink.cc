#include "tc/port/posix/console_log_sink.h"

#include <cinttypes>
#include <string>

namespace tc::port::posix {

std::string FormatConsoleLine(uint64_t time_us, std::string_view uid,
                              std::span<const uint8_t> text) {
  if (!text.empty() && text.back() == '\n') text = text.first(text.size() - 1);
  char stamp[40];
  std::snprintf(stamp, sizeof stamp, "[%5" PRIu64 ".%06" PRIu64 "] ", time_us / 1000000u,
                time_us % 1000000u);
  std::string line(stamp);
  line.append(uid);
  line.append(": ");
  for (uint8_t c : text) line.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  line.push_back('\n');
  return line;
}

void ConsoleLogSink::Write(std::string_view container_uid, std::span<const uint8_t> text) {
  ++lines_;
  if (out_ != nullptr) {
    const std::string line = FormatConsoleLine(clock_.NowUs(), container_uid, text);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
  }
  ring_.Write(container_uid, text);
}

}  // namespace tc::port::posix
