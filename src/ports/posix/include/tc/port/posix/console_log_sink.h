// The native device's console: every log line a container was allowed to write is printed as
// "[   12.345678] uid: text" (engine time in seconds) and also handed to the management LogRing,
// so GET /logs serves the same lines. Control characters are shown as '?' so a container cannot
// forge console lines.
#pragma once

#include <cstdio>

#include "tc/engine/port.h"
#include "tc/mgmt/log_ring.h"
#include "tc/services/ports.h"

namespace tc::port::posix {

class ConsoleLogSink final : public services::LogSink {
 public:
  // `out` null: only the ring receives the lines (--quiet).
  ConsoleLogSink(mgmt::LogRing& ring, engine::EnginePort& clock, std::FILE* out)
      : ring_(ring), clock_(clock), out_(out) {}

  void Write(std::string_view container_uid, std::span<const uint8_t> text) override;

  uint64_t lines() const { return lines_; }

 private:
  mgmt::LogRing& ring_;
  engine::EnginePort& clock_;
  std::FILE* out_;
  uint64_t lines_ = 0;
};

// "[   12.345678] uid: text\n" with control characters replaced; one trailing newline of `text`
// is dropped.
std::string FormatConsoleLine(uint64_t time_us, std::string_view uid,
                              std::span<const uint8_t> text);

}  // namespace tc::port::posix
