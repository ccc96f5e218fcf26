// Values with units in manifests: durations ("50ms"), sizes ("16KiB") and UTC timestamps.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tc::manifest {

// "<digits><unit>", unit one of us, ms, s; returns microseconds (nullopt on syntax or overflow).
std::optional<uint64_t> ParseDurationUs(std::string_view text);
// "<digits><unit>", unit one of B, KiB, MiB; returns bytes.
std::optional<uint64_t> ParseSizeBytes(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ" (UTC, 1970..9999); returns seconds since the Unix epoch.
std::optional<uint64_t> ParseUtcTimestamp(std::string_view text);

}  // namespace tc::manifest
