// The device's trace records (GET /trace "events": {"n","t","slot","uid","kind","aux","value"})
// as the engine's TraceEvent, so tools/trace-export turns them into Chrome trace JSON.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tc/engine/observability.h"

namespace tinyctl {

struct TraceRecords {
  std::vector<tc::engine::TraceEvent> events;
  std::map<uint8_t, std::string> uid_of_slot;  // the row names
};

// `kind` may be the TraceKind number or its name ("run", "release", "deadline_miss", "overrun",
// "denial", "state"); `aux` a number or the name of the state / run exit / denial reason.
// Throws CommandError naming the record number and field of anything else.
TraceRecords ParseTraceRecords(const std::vector<nlohmann::json>& records);

}  // namespace tinyctl
