#include "tc/base/log.h"

#include <cstdarg>

#include "tc/base/format.h"

namespace tc::log {

namespace {
Sink* g_sink = nullptr;
Level g_threshold = Level::kInfo;
}  // namespace

const char* ToString(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
    case Level::kOff: return "off";
  }
  return "?";
}

void SetSink(Sink* sink) { g_sink = sink; }
void SetLevel(Level threshold) { g_threshold = threshold; }
Level GetLevel() { return g_threshold; }

void Write(Level level, const char* module, const char* format, ...) {
  if (g_sink == nullptr || level < g_threshold || level == Level::kOff) return;
  char line[kMaxLineLength];
  va_list args;
  va_start(args, format);
  FormatToV(line, format, args);
  va_end(args);
  g_sink->Write(level, module, line);
}

}  // namespace tc::log
