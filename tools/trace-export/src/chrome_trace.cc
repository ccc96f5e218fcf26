#include "tc/tools/chrome_trace.h"

#include <nlohmann/json.hpp>
#include <set>

#include "tc/engine/lifecycle.h"
#include "tc/engine/policy.h"
#include "tc/image/metadata.h"
#include "tc/runtime/execution.h"

namespace tc::tools {

namespace {

using engine::TraceKind;
using nlohmann::json;

json Instant(const engine::TraceEvent& e, const std::string& name, json args) {
  return {{"name", name},           {"ph", "i"}, {"s", "t"},
          {"ts", e.time_us},        {"pid", 1},  {"tid", e.slot},
          {"args", std::move(args)}};
}

}  // namespace

std::string ChromeTraceJson(std::span<const engine::TraceEvent> events,
                            const std::function<std::string(uint8_t slot)>& name_of) {
  json out = json::array();
  std::set<uint8_t> slots;
  for (const engine::TraceEvent& e : events) {
    slots.insert(e.slot);
    switch (e.kind) {
      case TraceKind::kRun:
        out.push_back(
            {{"name", "run"},
             {"ph", "X"},
             {"ts", e.time_us},
             {"dur", e.value},
             {"pid", 1},
             {"tid", e.slot},
             {"args", {{"exit", runtime::ToString(static_cast<runtime::RunExit>(e.aux))}}}});
        break;
      case TraceKind::kRelease: out.push_back(Instant(e, "release", json::object())); break;
      case TraceKind::kDeadlineMiss:
        out.push_back(Instant(e, "deadline miss", {{"late_us", e.value}}));
        break;
      case TraceKind::kOverrun:
        out.push_back(Instant(
            e, "budget overrun",
            {{"policy", image::OverrunPolicyName(static_cast<image::OverrunPolicy>(e.aux))}}));
        break;
      case TraceKind::kDenial:
        out.push_back(
            Instant(e, "denied",
                    {{"service", e.value},
                     {"reason", engine::ToString(static_cast<engine::DenialReason>(e.aux))}}));
        break;
      case TraceKind::kState:
        out.push_back(
            Instant(e, std::string("state: ") + engine::ToString(static_cast<engine::State>(e.aux)),
                    json::object()));
        break;
    }
  }
  for (uint8_t slot : slots) {
    std::string name = name_of ? name_of(slot) : std::string();
    if (name.empty()) name = "slot " + std::to_string(slot);
    out.push_back({{"name", "thread_name"},
                   {"ph", "M"},
                   {"pid", 1},
                   {"tid", slot},
                   {"args", {{"name", name}}}});
  }
  const json document = {{"traceEvents", out}, {"displayTimeUnit", "ms"}};
  return document.dump();
}

}  // namespace tc::tools
