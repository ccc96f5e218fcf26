// `tinyctl config`: the operator's edits (--period, --grant, --revoke led0, ...) applied to a
// container's current schedule and permissions (GET /container, manifest vocabulary) give the
// complete config update to sign. Pure functions, so the derivation is tested without a device.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tinyctl {

struct ConfigEdits {
  std::optional<std::string> period;    // duration: "50ms", "1s", "2500us" or microseconds
  std::optional<std::string> budget;    // duration
  std::optional<std::string> deadline;  // duration
  std::optional<unsigned> priority;
  std::optional<std::string> on_overrun;  // throttle | stop | restart
  std::vector<std::string> grants;        // service names
  std::vector<std::string> revokes;       // service, endpoint id, device name or peer uid

  bool empty() const {
    return !period && !budget && !deadline && !priority && !on_overrun && grants.empty() &&
           revokes.empty();
  }
};

struct DerivedConfig {
  // {"uid", "sequence", "schedule"?, "permissions"?}: config-update JSON (tc::manifest syntax),
  // with only the parts that change.
  nlohmann::json update;
  // One line per change, e.g. "schedule.period_us: 100ms -> 50ms",
  // "permissions.endpoints: revoked 2 (led 0, out)". Empty: the edits change nothing.
  std::vector<std::string> changes;
};

// `container` is the answer of GET /container ({"uid", "schedule", "permissions", ...}).
// Throws UsageError when an edit names nothing (an unknown service, a device the container has
// no endpoint to) or would make an invalid config (budget above period), naming the edit.
DerivedConfig DeriveConfigUpdate(const nlohmann::json& container, uint64_t sequence,
                                 const ConfigEdits& edits);

// What an endpoint reaches, for messages: "led 0", "i2c 0x48", "container acme.agg endpoint 1".
std::string DescribePeer(const nlohmann::json& peer);

}  // namespace tinyctl
