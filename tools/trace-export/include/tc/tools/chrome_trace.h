// Turns the engine's execution-trace ring into Chrome trace JSON ("Trace Event Format"), so a
// person can see the schedule in Perfetto or chrome://tracing: one row per container, a slice per
// run, instant markers for releases, deadline misses, overruns and denials, and state changes.
#pragma once

#include <functional>
#include <span>
#include <string>

#include "tc/engine/observability.h"

namespace tc::tools {

// `name_of(slot)` names a container's row (its uid); empty names become "slot N".
std::string ChromeTraceJson(std::span<const engine::TraceEvent> events,
                            const std::function<std::string(uint8_t slot)>& name_of);

}  // namespace tc::tools
