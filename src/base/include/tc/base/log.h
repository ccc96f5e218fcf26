// Logging facade: device code logs through TC_LOG_*; the port (or a test) installs the sink that
// decides where lines go. Formatting happens in a bounded stack buffer, never on the heap.
#pragma once

#include <cstddef>

namespace tc::log {

enum class Level : unsigned char { kDebug = 0, kInfo, kWarn, kError, kOff };

const char* ToString(Level level);

class Sink {
 public:
  virtual ~Sink() = default;
  // `message` is NUL-terminated and valid only during the call.
  virtual void Write(Level level, const char* module, const char* message) = 0;
};

inline constexpr size_t kMaxLineLength = 160;

// Installing nullptr discards all output. Lines below the threshold are dropped before formatting.
void SetSink(Sink* sink);
void SetLevel(Level threshold);
Level GetLevel();

void Write(Level level, const char* module, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace tc::log

#define TC_LOG_DEBUG(module, ...) ::tc::log::Write(::tc::log::Level::kDebug, module, __VA_ARGS__)
#define TC_LOG_INFO(module, ...) ::tc::log::Write(::tc::log::Level::kInfo, module, __VA_ARGS__)
#define TC_LOG_WARN(module, ...) ::tc::log::Write(::tc::log::Level::kWarn, module, __VA_ARGS__)
#define TC_LOG_ERROR(module, ...) ::tc::log::Write(::tc::log::Level::kError, module, __VA_ARGS__)
