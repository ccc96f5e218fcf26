// The device's log of container output: the lines the log service let through (after its rate
// limit), kept in a fixed ring and numbered from 0 so a client can page through them with
// GET /logs?since=N. When the ring is full the oldest line is overwritten and counted as dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/ring_buffer.h"
#include "tc/engine/port.h"
#include "tc/image/metadata.h"
#include "tc/services/ports.h"

#ifndef TC_MGMT_LOG_LINES
#define TC_MGMT_LOG_LINES 64
#endif

namespace tc::mgmt {

inline constexpr size_t kLogLines = TC_MGMT_LOG_LINES;
// Longer lines are cut; the text is always valid UTF-8 (invalid bytes become '?').
inline constexpr size_t kLogLineText = 120;

struct LogLine {
  uint64_t number = 0;   // 0, 1, 2, ... in the order written
  uint64_t time_us = 0;  // the engine clock when written
  image::Uid uid;
  uint8_t length = 0;
  char text[kLogLineText] = {};
  std::string_view view() const { return {text, length}; }
};

class LogRing final : public services::LogSink {
 public:
  // `clock` stamps each line (the engine's port).
  explicit LogRing(engine::EnginePort& clock) : clock_(clock) {}
  LogRing(const LogRing&) = delete;
  LogRing& operator=(const LogRing&) = delete;

  void Write(std::string_view container_uid, std::span<const uint8_t> text) override;

  // Number of the next line to be written (= lines written so far).
  uint64_t next() const { return next_; }
  // Number of the oldest line still held.
  uint64_t first() const { return next_ - lines_.size(); }
  // Lines overwritten since construction.
  uint64_t dropped() const { return lines_.dropped(); }
  // The line numbered `number`, or nullptr when it is overwritten or not written yet.
  const LogLine* Find(uint64_t number) const;

 private:
  engine::EnginePort& clock_;
  RingBuffer<LogLine, kLogLines> lines_;
  uint64_t next_ = 0;
};

}  // namespace tc::mgmt
