// Test hook for the kill-at-every-step test (docs/native-device.md): with TC_CRASH_AT_STEP=N in
// the environment, the container store's N-th durable step (FileStore StoreStep: temp file
// created, half written, written, synced, renamed, directory synced, unlinked) ends the process
// at once with _exit(kCrashExitCode), as a power cut would, without running any destructor.
#pragma once

#include <cstdint>
#include <optional>

#include "tc/port/posix/file_store.h"

namespace tc::port::posix {

inline constexpr int kCrashExitCode = 86;
inline constexpr const char* kCrashAtStepVariable = "TC_CRASH_AT_STEP";

// "temp-created", "temp-half-written", ... ("?" outside the enum).
const char* StoreStepName(StoreStep step);

// An observer that counts steps and exits at the n-th (n >= 1), after writing
// "TC_CRASH_AT_STEP: exit at step N (NAME)" to stderr.
FileStore::StepObserver CrashAtStep(uint64_t n);

// The hook's step from the environment: nullopt when the variable is unset; 0 when it is not a
// positive decimal number (the caller refuses to start).
std::optional<uint64_t> CrashStepFromEnvironment();

}  // namespace tc::port::posix
