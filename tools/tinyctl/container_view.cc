#include "container_view.h"

#include <map>

#include "text_table.h"

namespace tinyctl {

using nlohmann::json;

json FetchContainerView(DeviceClient& device) {
  const json list = device.Get("containers");
  const json stats = device.Get("stats");
  if (!list.contains("containers") || !list["containers"].is_array()) {
    throw CommandError("GET /containers: the answer has no \"containers\" array");
  }
  std::map<std::string, json> by_uid;
  if (stats.contains("stats") && stats["stats"].is_array()) {
    for (const json& s : stats["stats"]) {
      if (s.contains("uid") && s["uid"].is_string()) by_uid[s["uid"].get<std::string>()] = s;
    }
  }
  json out = {{"containers", json::array()}};
  for (json c : list["containers"]) {
    if (!c.is_object()) throw CommandError("GET /containers: an entry is not a map");
    const std::string uid =
        c.contains("uid") && c["uid"].is_string() ? c["uid"].get<std::string>() : std::string();
    if (auto it = by_uid.find(uid); it != by_uid.end()) {
      for (const auto& [key, value] : it->second.items()) {
        if (!c.contains(key)) c[key] = value;
      }
    }
    out["containers"].push_back(std::move(c));
  }
  return out;
}

void PrintPsTable(const json& view, std::ostream& out) {
  TextTable table(
      {"ID", "UID", "VERSION", "RUNTIME", "STATE", "PRIO", "PERIOD", "CPU", "MISSES", "DENIALS"});
  for (const json& c : view["containers"]) {
    table.AddRow({Cell(c, "id"), Cell(c, "uid"), Cell(c, "version"), Cell(c, "runtime"),
                  Cell(c, "state"), Cell(c, "priority"),
                  FormatDurationUs(UintField(c, "period_us")),
                  c.contains("cpu_us") ? FormatCpuUs(UintField(c, "cpu_us")) : "-",
                  Cell(c, "misses"), Cell(c, "denials")});
  }
  table.Print(out);
}

}  // namespace tinyctl
