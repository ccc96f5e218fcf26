#include "trace_records.h"

#include "tc/engine/lifecycle.h"
#include "tc/runtime/execution.h"
#include "text_table.h"
#include "tool_io.h"

namespace tinyctl {

namespace {

namespace engine = tc::engine;
using engine::TraceKind;
using nlohmann::json;

constexpr const char* kKindNames[] = {"run",     "release", "deadline_miss",
                                      "overrun", "denial",  "state"};

std::string Where(const json& r) { return "GET /trace: event " + Cell(r, "n"); }

uint64_t Number(const json& r, const char* key, uint64_t max) {
  const std::optional<uint64_t> value = r.contains(key) ? AsUint(r[key]) : std::nullopt;
  if (!value || *value > max) {
    throw CommandError(Where(r) + ": \"" + key + "\" must be an unsigned number up to " +
                       std::to_string(max));
  }
  return *value;
}

TraceKind Kind(const json& r) {
  if (r.contains("kind") && r["kind"].is_string()) {
    std::string name = r["kind"].get<std::string>();
    for (char& c : name) c = c == ' ' ? '_' : c;
    for (size_t k = 0; k < std::size(kKindNames); ++k) {
      if (name == kKindNames[k]) return static_cast<TraceKind>(k);
    }
    throw CommandError(Where(r) + ": unknown kind \"" + r["kind"].get<std::string>() + "\"");
  }
  return static_cast<TraceKind>(Number(r, "kind", std::size(kKindNames) - 1));
}

// The number whose name `to_string` gives, for an aux sent by name.
template <typename E>
uint8_t AuxByName(const json& r, const std::string& name, const char* (*to_string)(E)) {
  for (unsigned v = 0; v < 32; ++v) {
    if (name == to_string(static_cast<E>(v))) return static_cast<uint8_t>(v);
  }
  throw CommandError(Where(r) + ": unknown aux \"" + name + "\"");
}

uint8_t Aux(const json& r, TraceKind kind) {
  if (!r.contains("aux") || !r["aux"].is_string()) {
    return r.contains("aux") ? static_cast<uint8_t>(Number(r, "aux", 255)) : 0;
  }
  const std::string name = r["aux"].get<std::string>();
  switch (kind) {
    case TraceKind::kState: return AuxByName<engine::State>(r, name, engine::ToString);
    case TraceKind::kRun: return AuxByName<tc::runtime::RunExit>(r, name, tc::runtime::ToString);
    case TraceKind::kDenial: return AuxByName<engine::DenialReason>(r, name, engine::ToString);
    default: throw CommandError(Where(r) + ": aux must be a number for this kind");
  }
}

}  // namespace

TraceRecords ParseTraceRecords(const std::vector<json>& records) {
  TraceRecords out;
  for (const json& r : records) {
    if (!r.is_object()) throw CommandError("GET /trace: an event is not a map");
    engine::TraceEvent e;
    e.time_us = Number(r, "t", UINT64_MAX);
    e.slot = static_cast<uint8_t>(Number(r, "slot", 255));
    e.kind = Kind(r);
    e.aux = Aux(r, e.kind);
    e.value = r.contains("value") ? static_cast<uint32_t>(Number(r, "value", UINT32_MAX)) : 0;
    if (r.contains("uid") && r["uid"].is_string() && !r["uid"].get<std::string>().empty()) {
      out.uid_of_slot[e.slot] = r["uid"].get<std::string>();
    }
    out.events.push_back(e);
  }
  return out;
}

}  // namespace tinyctl
