// What ps and top show: GET /containers joined with GET /stats by uid.
#pragma once

#include <nlohmann/json.hpp>

#include "device_client.h"

namespace tinyctl {

// {"containers": [ {id, uid, version, runtime, state, priority, period_us, and every /stats
// counter: cpu_us, activations, misses, overruns, restarts, traps, host_calls, denials,
// preemptions, memory} ... ]} in the device's order. Counters of a container /stats does not
// list are absent.
nlohmann::json FetchContainerView(DeviceClient& device);

// The ps table: ID UID VERSION RUNTIME STATE PRIO PERIOD CPU MISSES DENIALS.
void PrintPsTable(const nlohmann::json& view, std::ostream& out);

}  // namespace tinyctl
