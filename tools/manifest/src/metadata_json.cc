// Metadata -> JSON in manifest syntax: every field, plain integers for durations and sizes,
// lowercase hex for kid and digests, so the output reads back through ManifestToMetadata().
#include <span>

#include "tc/manifest/manifest.h"

namespace tc::manifest {

namespace {

using nlohmann::json;
namespace img = tc::image;

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

json ScheduleJson(const img::Schedule& s) {
  return {{"priority", s.priority},        {"period_us", s.period_us},
          {"budget_us", s.budget_us},      {"deadline_us", s.deadline_us},
          {"slice_us", s.slice_us},        {"on_overrun", img::OverrunPolicyName(s.on_overrun)},
          {"max_restarts", s.max_restarts}};
}

json PermissionsJson(const img::Permissions& p) {
  json services = json::array();
  for (uint8_t s = 0; s < img::kServiceCount; ++s) {
    const auto service = static_cast<img::Service>(s);
    if (p.services & img::ServiceBit(service)) services.push_back(img::ServiceName(service));
  }
  json endpoints = json::array();
  for (const img::Endpoint& e : p.endpoints) {
    json peer;
    if (e.peer.kind == img::PeerKind::kLocal) {
      peer = {{"local", img::DeviceClassName(e.peer.device_class)}, {"address", e.peer.address}};
    } else {
      peer = {{"container", std::string(e.peer.container_uid.view())},
              {"endpoint", e.peer.container_endpoint}};
    }
    endpoints.push_back(
        {{"id", e.id}, {"peer", peer}, {"direction", img::DirectionName(e.direction)}});
  }
  return {{"services", services},
          {"endpoints", endpoints},
          {"on_violation", img::ViolationPolicyName(p.on_violation)}};
}

}  // namespace

json MetadataToJson(const img::ContainerMetadata& m) {
  json entry = json::object();
  const std::pair<const char*, const img::EntryName*> names[] = {{"init", &m.entry.init},
                                                                 {"loop", &m.entry.loop},
                                                                 {"stop", &m.entry.stop},
                                                                 {"start", &m.entry.start}};
  for (const auto& [key, name] : names) {
    if (!name->empty()) entry[key] = std::string(name->view());
  }
  json out = {
      {"format", img::kMetadataFormatVersion},
      {"uid", std::string(m.uid.view())},
      {"version", m.version},
      {"runtime", img::RuntimeKindName(m.runtime)},
      {"entry", entry},
      {"quotas",
       {{"memory_limit", m.quotas.memory_limit},
        {"stack_bytes", m.quotas.stack_bytes},
        {"kv_bytes", m.quotas.kv_bytes},
        {"max_handles", m.quotas.max_handles}}},
      {"schedule", ScheduleJson(m.schedule)},
      {"permissions", PermissionsJson(m.permissions)},
      {"signer_kid", Hex(m.signer_kid.span())},
      {"code_sha256", Hex(m.code_sha256)},
      {"code_size", m.code_size},
  };
  if (m.quotas.has_log_rate) {
    out["quotas"]["log_lines_per_s"] = m.quotas.log_lines_per_s;
    out["quotas"]["log_burst"] = m.quotas.log_burst;
  }
  if (m.has_not_after) out["not_after"] = m.not_after;
  if (m.has_data) {
    out["data_sha256"] = Hex(m.data_sha256);
    out["data_size"] = m.data_size;
  }
  return out;
}

json ConfigUpdateToJson(const img::ConfigUpdate& u) {
  json out = {{"format", img::kMetadataFormatVersion},
              {"uid", std::string(u.uid.view())},
              {"sequence", u.sequence}};
  if (u.has_schedule) out["schedule"] = ScheduleJson(u.schedule);
  if (u.has_permissions) out["permissions"] = PermissionsJson(u.permissions);
  return out;
}

}  // namespace tc::manifest
