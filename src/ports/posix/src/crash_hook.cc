#include "tc/port/posix/crash_hook.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace tc::port::posix {

const char* StoreStepName(StoreStep step) {
  switch (step) {
    case StoreStep::kTempCreated: return "temp-created";
    case StoreStep::kTempHalfWritten: return "temp-half-written";
    case StoreStep::kTempWritten: return "temp-written";
    case StoreStep::kTempSynced: return "temp-synced";
    case StoreStep::kRenamed: return "renamed";
    case StoreStep::kDirectorySynced: return "directory-synced";
    case StoreStep::kUnlinked: return "unlinked";
  }
  return "?";
}

FileStore::StepObserver CrashAtStep(uint64_t n) {
  auto count = std::make_shared<uint64_t>(0);
  return [n, count](StoreStep step) {
    if (++*count != n) return;
    const std::string line = std::string(kCrashAtStepVariable) + ": exit at step " +
                             std::to_string(n) + " (" + StoreStepName(step) + ")\n";
    [[maybe_unused]] const ssize_t written = ::write(2, line.data(), line.size());
    ::_exit(kCrashExitCode);
  };
}

std::optional<uint64_t> CrashStepFromEnvironment() {
  const char* text = std::getenv(kCrashAtStepVariable);
  if (text == nullptr) return std::nullopt;
  const std::string_view view(text);
  uint64_t n = 0;
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), n);
  if (error != std::errc() || end != view.data() + view.size()) return 0;
  return n;
}

}  // namespace tc::port::posix
