#include "config_change.h"

#include <algorithm>
#include <charconv>

#include "tc/image/metadata.h"
#include "tc/image/metadata_codec.h"
#include "tc/manifest/manifest.h"
#include "tc/manifest/units.h"
#include "text_table.h"
#include "tool_io.h"

namespace tinyctl {

namespace {

namespace img = tc::image;
using nlohmann::json;

std::optional<uint64_t> ParseNumber(std::string_view text, int base) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

uint32_t DurationEdit(const std::string& flag, const std::string& text) {
  std::optional<uint64_t> us = ParseNumber(text, 10);
  if (!us) us = tc::manifest::ParseDurationUs(text);
  if (!us || *us > UINT32_MAX) {
    throw UsageError(flag + ": expected a duration like 50ms, 2500us or 1s, got '" + text + "'");
  }
  return static_cast<uint32_t>(*us);
}

// A duration field of the device's answer as the operator reads it.
std::string ShowDuration(const json& schedule, const char* key) {
  if (!schedule.contains(key)) return "-";
  const json& v = schedule[key];
  const std::optional<uint64_t> us = AsUint(v);
  return us ? FormatDurationUs(*us) : v.dump();
}

bool IsService(const std::string& name) {
  for (uint8_t s = 0; s < img::kServiceCount; ++s) {
    if (name == img::ServiceName(static_cast<img::Service>(s))) return true;
  }
  return false;
}

// "led0", "sensor1", "i2c0x48", "gpio17": a device class name followed by its address (decimal
// or 0x-hex), the way the board file names devices.
struct DeviceName {
  std::string device_class;
  uint64_t address = 0;
};
std::optional<DeviceName> ParseDeviceName(const std::string& text) {
  for (uint8_t c = 0; c < img::kDeviceClassCount; ++c) {
    const std::string name = img::DeviceClassName(static_cast<img::DeviceClass>(c));
    if (text.size() <= name.size() || text.compare(0, name.size(), name) != 0) continue;
    const std::string_view rest = std::string_view(text).substr(name.size());
    const std::optional<uint64_t> address = rest.size() > 2 && rest.substr(0, 2) == "0x"
                                                ? ParseNumber(rest.substr(2), 16)
                                                : ParseNumber(rest, 10);
    if (address && *address <= UINT32_MAX) return DeviceName{name, *address};
  }
  return std::nullopt;
}

std::string DescribeEndpoint(const json& endpoint) {
  return "endpoint " + Cell(endpoint, "id") + " (" +
         DescribePeer(endpoint.contains("peer") ? endpoint["peer"] : json()) + ", " +
         Cell(endpoint, "direction") + ")";
}

// The indices of the endpoints `what` designates; UsageError when `what` is no selector.
std::vector<size_t> SelectEndpoints(const json& endpoints, const std::string& what) {
  std::vector<size_t> selected;
  const std::optional<uint64_t> id = ParseNumber(what, 10);
  const std::optional<DeviceName> device = id ? std::nullopt : ParseDeviceName(what);
  if (!id && !device && !img::IsValidUid(what)) {
    throw UsageError("--revoke " + what +
                     ": not a service, an endpoint id, a device name (led0, sensor0, i2c0x48) "
                     "or a container uid");
  }
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const json& e = endpoints[i];
    const json peer = e.contains("peer") ? e["peer"] : json::object();
    bool match = false;
    if (id) {
      match = UintField(e, "id", UINT64_MAX) == *id;
    } else if (device) {
      match = peer.contains("local") && peer["local"] == device->device_class &&
              UintField(peer, "address", 0) == device->address;
    }
    // A name that reads like a device may still be a container's uid ("sensor1" the app).
    if (!id && !match) match = peer.contains("container") && peer["container"] == what;
    if (match) selected.push_back(i);
  }
  return selected;
}

std::string ListEndpoints(const json& endpoints) {
  if (endpoints.empty()) return "it has no endpoints";
  std::string text = "its endpoints: ";
  for (size_t i = 0; i < endpoints.size(); ++i) {
    text += (i == 0 ? "" : ", ") + DescribeEndpoint(endpoints[i]);
  }
  return text;
}

}  // namespace

std::string DescribePeer(const json& peer) {
  if (peer.is_object() && peer.contains("local")) {
    const uint64_t address = UintField(peer, "address", 0);
    char hex[16];
    std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(address));
    return Cell(peer, "local") + " " +
           (peer["local"] == "i2c" || peer["local"] == "spi" ? std::string(hex)
                                                             : std::to_string(address));
  }
  if (peer.is_object() && peer.contains("container")) {
    return "container " + Cell(peer, "container") + " endpoint " + Cell(peer, "endpoint");
  }
  return peer.dump();
}

DerivedConfig DeriveConfigUpdate(const json& container, uint64_t sequence,
                                 const ConfigEdits& edits) {
  if (!container.is_object() || !container.contains("uid") || !container["uid"].is_string()) {
    throw CommandError("GET /container: the answer has no \"uid\"");
  }
  const std::string uid = container["uid"].get<std::string>();
  const json schedule = container.contains("schedule") ? container["schedule"] : json::object();
  const json permissions =
      container.contains("permissions") ? container["permissions"] : json::object();
  if (!schedule.is_object() || !permissions.is_object()) {
    throw CommandError("GET /container: schedule and permissions must be maps");
  }
  json new_schedule = schedule;
  json new_permissions = permissions;
  DerivedConfig out;

  auto set_duration = [&](const char* key, const std::string& flag,
                          const std::optional<std::string>& text) {
    if (!text) return;
    const uint32_t us = DurationEdit(flag, *text);
    if (schedule.contains(key) && schedule[key] == us) return;
    new_schedule[key] = us;
    out.changes.push_back(std::string("schedule.") + key + ": " + ShowDuration(schedule, key) +
                          " -> " + FormatDurationUs(us));
  };
  set_duration("period_us", "--period", edits.period);
  set_duration("budget_us", "--budget", edits.budget);
  set_duration("deadline_us", "--deadline", edits.deadline);
  if (edits.priority &&
      !(schedule.contains("priority") && schedule["priority"] == *edits.priority)) {
    if (*edits.priority > img::kMaxPriority) {
      throw UsageError("--priority: must be 0.." + std::to_string(img::kMaxPriority) + ", got " +
                       std::to_string(*edits.priority));
    }
    new_schedule["priority"] = *edits.priority;
    out.changes.push_back("schedule.priority: " + Cell(schedule, "priority") + " -> " +
                          std::to_string(*edits.priority));
  }
  if (edits.on_overrun &&
      !(schedule.contains("on_overrun") && schedule["on_overrun"] == *edits.on_overrun)) {
    bool known = false;
    for (uint8_t p = 0; p < img::kOverrunPolicyCount; ++p) {
      known |= *edits.on_overrun == img::OverrunPolicyName(static_cast<img::OverrunPolicy>(p));
    }
    if (!known) {
      throw UsageError("--on-overrun: expected throttle, stop or restart, got '" +
                       *edits.on_overrun + "'");
    }
    new_schedule["on_overrun"] = *edits.on_overrun;
    out.changes.push_back("schedule.on_overrun: " + Cell(schedule, "on_overrun") + " -> " +
                          *edits.on_overrun);
  }

  json services =
      new_permissions.contains("services") ? new_permissions["services"] : json::array();
  json endpoints =
      new_permissions.contains("endpoints") ? new_permissions["endpoints"] : json::array();
  if (!services.is_array() || !endpoints.is_array()) {
    throw CommandError("GET /container: permissions.services and .endpoints must be arrays");
  }
  for (const std::string& service : edits.grants) {
    if (!IsService(service)) {
      throw UsageError("--grant " + service +
                       ": not a service (log, time, sleep, yield, endpoint, channel, kv, random, "
                       "ml, wasi)");
    }
    if (std::find(services.begin(), services.end(), service) != services.end()) continue;
    services.push_back(service);
    out.changes.push_back("permissions.services: granted " + service);
  }
  for (const std::string& what : edits.revokes) {
    if (IsService(what)) {
      const auto it = std::find(services.begin(), services.end(), what);
      if (it == services.end()) {
        throw UsageError("--revoke " + what + ": " + uid + " does not have the " + what +
                         " service");
      }
      services.erase(it);
      out.changes.push_back("permissions.services: revoked " + what);
      continue;
    }
    const std::vector<size_t> selected = SelectEndpoints(endpoints, what);
    if (selected.empty()) {
      throw UsageError("--revoke " + what + ": no endpoint of " + uid + " reaches " + what + "; " +
                       ListEndpoints(endpoints));
    }
    for (auto it = selected.rbegin(); it != selected.rend(); ++it) {
      out.changes.push_back("permissions.endpoints: revoked " + DescribeEndpoint(endpoints[*it]));
      endpoints.erase(endpoints.begin() + static_cast<std::ptrdiff_t>(*it));
    }
  }
  if (!edits.grants.empty() || !edits.revokes.empty()) {
    new_permissions["services"] = services;
    new_permissions["endpoints"] = endpoints;
  }

  out.update = {{"uid", uid}, {"sequence", sequence}};
  if (new_schedule != schedule) out.update["schedule"] = new_schedule;
  if (new_permissions != permissions) out.update["permissions"] = new_permissions;
  if (out.changes.empty()) return out;
  img::ConfigUpdate check;
  if (auto error = tc::manifest::JsonToConfigUpdate(out.update, &check)) {
    throw UsageError("the changed config is not valid: " + error->ToString());
  }
  return out;
}

}  // namespace tinyctl
