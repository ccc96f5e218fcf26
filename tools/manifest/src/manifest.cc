// JSON manifest -> metadata. Each value is read through one helper per kind (count, duration, size,
// name from a list, ...) that knows its JSON path, so every refusal says which field and why.
#include "tc/manifest/manifest.h"

#include <initializer_list>
#include <set>
#include <utility>

#include "tc/image/metadata_codec.h"
#include "tc/manifest/units.h"

namespace tc::manifest {

namespace {

using nlohmann::json;
namespace img = tc::image;

// Thrown inside this file only; the public functions turn it into a ManifestError.
struct Failure {
  std::string field;
  std::string problem;
};

std::string Got(const json& value) { return "got " + value.dump(); }

// JSON integers built in code are signed, parsed ones unsigned: accept both when >= 0.
std::optional<uint64_t> AsUnsigned(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) {
    return static_cast<uint64_t>(value.get<int64_t>());
  }
  return std::nullopt;
}

class Object {
 public:
  // `allowed` are the keys this object may have; anything else is refused as a likely typo.
  Object(const json& value, std::string path, std::initializer_list<const char*> allowed)
      : value_(value), path_(std::move(path)) {
    if (!value.is_object()) throw Failure{Display(), "expected an object, " + Got(value)};
    std::set<std::string> known(allowed.begin(), allowed.end());
    for (const auto& [key, unused] : value.items()) {
      if (!known.contains(key)) throw Failure{Path(key), "unknown field"};
    }
  }

  bool Has(const char* key) const { return value_.contains(key); }
  const json& At(const char* key) const { return value_.at(key); }
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  std::string Display() const { return path_.empty() ? "manifest" : path_; }

  void Require(const char* key) const {
    if (!Has(key)) throw Failure{Path(key), "required field missing"};
  }

  uint64_t Count(const char* key, uint64_t max) const {
    const json& v = At(key);
    const std::optional<uint64_t> value = AsUnsigned(v);
    if (!value) throw Failure{Path(key), "expected a non-negative integer, " + Got(v)};
    const uint64_t n = *value;
    if (n > max) throw Failure{Path(key), "must be at most " + std::to_string(max) + ", " + Got(v)};
    return n;
  }

  uint32_t Duration(const char* key) const {
    const json& v = At(key);
    std::optional<uint64_t> us = AsUnsigned(v);
    if (v.is_string()) us = ParseDurationUs(v.get<std::string>());
    if (!us) {
      throw Failure{Path(key),
                    "expected microseconds or a duration like \"50ms\" (us, ms, s), " + Got(v)};
    }
    if (*us > UINT32_MAX) throw Failure{Path(key), "longer than 4294967295 us, " + Got(v)};
    return static_cast<uint32_t>(*us);
  }

  uint32_t Size(const char* key, uint64_t min) const {
    const json& v = At(key);
    std::optional<uint64_t> bytes = AsUnsigned(v);
    if (v.is_string()) bytes = ParseSizeBytes(v.get<std::string>());
    if (!bytes) {
      throw Failure{Path(key), "expected bytes or a size like \"16KiB\" (B, KiB, MiB), " + Got(v)};
    }
    if (*bytes < min || *bytes > UINT32_MAX) {
      throw Failure{Path(key), "must be " + std::to_string(min) + "..4294967295 bytes, " + Got(v)};
    }
    return static_cast<uint32_t>(*bytes);
  }

  std::string Text(const char* key) const {
    const json& v = At(key);
    if (!v.is_string()) throw Failure{Path(key), "expected a string, " + Got(v)};
    return v.get<std::string>();
  }

  // A name out of `names` (indexed by enum value); returns its index.
  template <typename E>
  E Name(const char* key, uint8_t count, const char* (*name_of)(E)) const {
    const json& v = At(key);
    std::string choices;
    for (uint8_t i = 0; i < count; ++i) {
      const char* name = name_of(static_cast<E>(i));
      if (v.is_string() && v.get<std::string>() == name) return static_cast<E>(i);
      choices += (i == 0 ? "" : i + 1 == count ? " or " : ", ") + std::string("\"") + name + "\"";
    }
    throw Failure{Path(key), "expected " + choices + ", " + Got(v)};
  }

  std::vector<uint8_t> Hex(const char* key, size_t min, size_t max) const {
    const std::string text = Text(key);
    std::vector<uint8_t> bytes;
    auto nibble = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    for (size_t i = 0; i + 1 < text.size(); i += 2) {
      const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
      if (hi < 0 || lo < 0) break;
      bytes.push_back(static_cast<uint8_t>(hi << 4 | lo));
    }
    if (bytes.size() * 2 != text.size() || bytes.size() < min || bytes.size() > max) {
      throw Failure{Path(key), "expected " + std::to_string(min) + ".." + std::to_string(max) +
                                   " bytes as lowercase hex, " + Got(At(key))};
    }
    return bytes;
  }

 private:
  const json& value_;
  std::string path_;
};

template <size_t N>
void AssignText(img::FixedText<N>* out, const std::string& text, const std::string& path,
                size_t min) {
  if (text.size() < min || !out->Assign(text).ok()) {
    throw Failure{path, "must be " + std::to_string(min) + ".." + std::to_string(N) +
                            " bytes, got \"" + text + "\""};
  }
}

void ReadUid(const Object& o, const char* key, img::Uid* out) {
  const std::string uid = o.Text(key);
  if (!img::IsValidUid(uid)) {
    throw Failure{
        o.Path(key),
        "must be 1..32 of [A-Za-z0-9._-] starting with a letter or digit, got \"" + uid + "\""};
  }
  AssignText(out, uid, o.Path(key), 1);
}

img::Schedule ReadSchedule(const json& value, const std::string& path) {
  Object o(value, path,
           {"priority", "period_us", "budget_us", "deadline_us", "slice_us", "on_overrun",
            "max_restarts"});
  img::Schedule s;
  s.priority = 10;
  if (o.Has("priority")) s.priority = static_cast<uint8_t>(o.Count("priority", img::kMaxPriority));
  if (o.Has("period_us")) s.period_us = o.Duration("period_us");
  if (o.Has("budget_us")) s.budget_us = o.Duration("budget_us");
  if (o.Has("deadline_us")) s.deadline_us = o.Duration("deadline_us");
  if (o.Has("slice_us")) s.slice_us = o.Duration("slice_us");
  if (o.Has("on_overrun")) {
    s.on_overrun = o.Name("on_overrun", img::kOverrunPolicyCount, img::OverrunPolicyName);
  }
  if (o.Has("max_restarts")) s.max_restarts = static_cast<uint8_t>(o.Count("max_restarts", 255));
  return s;
}

img::EndpointPeer ReadPeer(const json& value, const std::string& path) {
  if (value.is_object() && value.contains("remote")) {
    throw Failure{path + ".remote", "remote peers are reserved for a later format version"};
  }
  img::EndpointPeer peer;
  if (value.is_object() && value.contains("container")) {
    Object o(value, path, {"container", "endpoint"});
    o.Require("endpoint");
    peer.kind = img::PeerKind::kContainer;
    ReadUid(o, "container", &peer.container_uid);
    peer.container_endpoint = static_cast<uint8_t>(o.Count("endpoint", 255));
    return peer;
  }
  Object o(value, path, {"local", "address"});
  if (!o.Has("local")) {
    throw Failure{path,
                  "expected {\"local\": CLASS, \"address\": N} or "
                  "{\"container\": UID, \"endpoint\": ID}"};
  }
  peer.kind = img::PeerKind::kLocal;
  peer.device_class = o.Name("local", img::kDeviceClassCount, img::DeviceClassName);
  if (o.Has("address")) peer.address = static_cast<uint32_t>(o.Count("address", UINT32_MAX));
  return peer;
}

img::Permissions ReadPermissions(const json& value, const std::string& path) {
  Object o(value, path, {"services", "endpoints", "on_violation"});
  img::Permissions p;
  if (o.Has("services")) {
    const json& services = o.At("services");
    if (!services.is_array()) {
      throw Failure{o.Path("services"), "expected an array of service names, " + Got(services)};
    }
    for (size_t i = 0; i < services.size(); ++i) {
      const std::string item_path = o.Path("services") + "[" + std::to_string(i) + "]";
      bool found = false;
      for (uint8_t s = 0; s < img::kServiceCount; ++s) {
        const auto service = static_cast<img::Service>(s);
        if (services[i].is_string() &&
            services[i].get<std::string>() == img::ServiceName(service)) {
          if (p.services & img::ServiceBit(service)) throw Failure{item_path, "listed twice"};
          p.services |= img::ServiceBit(service);
          found = true;
        }
      }
      if (!found) {
        throw Failure{item_path,
                      "expected one of log, time, sleep, yield, endpoint, channel, kv, random, "
                      "ml, wasi, " +
                          Got(services[i])};
      }
    }
  }
  if (o.Has("endpoints")) {
    const json& endpoints = o.At("endpoints");
    if (!endpoints.is_array()) {
      throw Failure{o.Path("endpoints"), "expected an array, " + Got(endpoints)};
    }
    if (endpoints.size() > img::kMaxEndpoints) {
      throw Failure{o.Path("endpoints"),
                    "at most 8 endpoints, got " + std::to_string(endpoints.size())};
    }
    for (size_t i = 0; i < endpoints.size(); ++i) {
      const std::string item_path = o.Path("endpoints") + "[" + std::to_string(i) + "]";
      Object e(endpoints[i], item_path, {"id", "peer", "direction"});
      e.Require("id");
      e.Require("peer");
      e.Require("direction");
      img::Endpoint endpoint;
      endpoint.id = static_cast<uint8_t>(e.Count("id", 255));
      for (const img::Endpoint& other : p.endpoints) {
        if (other.id == endpoint.id) {
          throw Failure{e.Path("id"), "endpoint id " + std::to_string(endpoint.id) + " used twice"};
        }
      }
      endpoint.peer = ReadPeer(e.At("peer"), e.Path("peer"));
      endpoint.direction = e.Name("direction", img::kDirectionCount, img::DirectionName);
      (void)p.endpoints.push_back(endpoint);
    }
  }
  if (o.Has("on_violation")) {
    p.on_violation = o.Name("on_violation", img::kViolationPolicyCount, img::ViolationPolicyName);
  }
  return p;
}

// Turns a device-side validation refusal into manifest vocabulary (the field names match).
void CheckWithDeviceRules(const img::MetadataError& error) {
  std::string field = img::MetadataFieldName(error.field);
  if (error.index != img::MetadataError::kNoIndex) {
    const size_t bracket = field.find("[]");
    if (bracket != std::string::npos) {
      field.replace(bracket, 2, "[" + std::to_string(error.index) + "]");
    }
  }
  throw Failure{error.field == img::MetadataField::kNone ? "" : field, error.status.message()};
}

void FormatVersion(const Object& o) {
  if (o.Has("format") && o.Count("format", UINT64_MAX) != img::kMetadataFormatVersion) {
    throw Failure{"format", "only format version 1 is supported, " + Got(o.At("format"))};
  }
}

void ReadMetadata(const json& manifest, img::ContainerMetadata* out) {
  Object o(manifest, "",
           {"format", "uid", "version", "runtime", "entry", "quotas", "schedule", "permissions",
            "not_after", "signer_kid", "code_sha256", "code_size", "data_sha256", "data_size"});
  FormatVersion(o);
  for (const char* key : {"uid", "version", "runtime", "quotas"}) o.Require(key);
  img::ContainerMetadata m;
  ReadUid(o, "uid", &m.uid);
  m.version = static_cast<uint32_t>(o.Count("version", UINT32_MAX));
  m.runtime = o.Name("runtime", img::kRuntimeKindCount, img::RuntimeKindName);

  if (o.Has("entry")) {
    Object e(o.At("entry"), "entry", {"init", "loop", "stop", "start"});
    const std::pair<const char*, img::EntryName*> names[] = {{"init", &m.entry.init},
                                                             {"loop", &m.entry.loop},
                                                             {"stop", &m.entry.stop},
                                                             {"start", &m.entry.start}};
    for (const auto& [key, name] : names) {
      if (e.Has(key)) AssignText(name, e.Text(key), e.Path(key), 1);
    }
  } else {
    (void)m.entry.init.Assign("tc_init");
    (void)m.entry.loop.Assign("tc_loop");
    (void)m.entry.stop.Assign("tc_stop");
  }

  Object q(
      o.At("quotas"), "quotas",
      {"memory_limit", "stack_bytes", "kv_bytes", "max_handles", "log_lines_per_s", "log_burst"});
  q.Require("memory_limit");
  m.quotas.memory_limit = q.Size("memory_limit", 1);
  m.quotas.stack_bytes = q.Has("stack_bytes") ? q.Size("stack_bytes", 1) : 4096;
  m.quotas.kv_bytes = q.Has("kv_bytes") ? q.Size("kv_bytes", 0) : 0;
  m.quotas.max_handles =
      static_cast<uint8_t>(q.Has("max_handles") ? q.Count("max_handles", 255) : 4);
  if (q.Has("log_lines_per_s") || q.Has("log_burst")) {
    q.Require("log_lines_per_s");
    q.Require("log_burst");
    m.quotas.has_log_rate = true;
    m.quotas.log_lines_per_s =
        static_cast<uint32_t>(q.Count("log_lines_per_s", img::kMaxLogLinesPerSecond));
    m.quotas.log_burst = static_cast<uint32_t>(q.Count("log_burst", img::kMaxLogBurst));
    if (m.quotas.log_burst == 0) throw Failure{q.Path("log_burst"), "must be at least 1, got 0"};
  }

  m.schedule = ReadSchedule(o.Has("schedule") ? o.At("schedule") : json::object(), "schedule");
  m.permissions =
      ReadPermissions(o.Has("permissions") ? o.At("permissions") : json::object(), "permissions");

  if (o.Has("not_after")) {
    const json& v = o.At("not_after");
    std::optional<uint64_t> seconds = AsUnsigned(v);
    if (v.is_string()) seconds = ParseUtcTimestamp(v.get<std::string>());
    if (!seconds) {
      throw Failure{"not_after", "expected Unix seconds or \"YYYY-MM-DDTHH:MM:SSZ\", " + Got(v)};
    }
    m.has_not_after = true;
    m.not_after = *seconds;
  }
  if (o.Has("signer_kid")) {
    const std::vector<uint8_t> kid = o.Hex("signer_kid", 1, img::kMaxKidLength);
    (void)m.signer_kid.Assign(kid);
  }
  if (o.Has("code_sha256")) {
    const std::vector<uint8_t> digest = o.Hex("code_sha256", 32, 32);
    std::copy(digest.begin(), digest.end(), m.code_sha256.begin());
  }
  if (o.Has("code_size")) m.code_size = o.Size("code_size", 1);
  if (o.Has("data_sha256") != o.Has("data_size")) {
    throw Failure{o.Has("data_size") ? "data_sha256" : "data_size",
                  "data_sha256 and data_size go together"};
  }
  if (o.Has("data_sha256")) {
    const std::vector<uint8_t> digest = o.Hex("data_sha256", 32, 32);
    std::copy(digest.begin(), digest.end(), m.data_sha256.begin());
    m.has_data = true;
    m.data_size = o.Size("data_size", 0);
  }

  // The device rules, with placeholders for what tinyctl fills in at build time.
  img::ContainerMetadata check = m;
  if (check.signer_kid.empty()) (void)check.signer_kid.Assign(std::span<const uint8_t>({0}));
  if (check.code_size == 0) check.code_size = 1;
  img::MetadataError error;
  if (!img::ValidateMetadata(check, &error).ok()) CheckWithDeviceRules(error);
  *out = m;
}

void ReadUpdate(const json& value, img::ConfigUpdate* out) {
  Object o(value, "", {"format", "uid", "sequence", "schedule", "permissions"});
  FormatVersion(o);
  o.Require("uid");
  o.Require("sequence");
  img::ConfigUpdate u;
  ReadUid(o, "uid", &u.uid);
  u.sequence = o.Count("sequence", UINT64_MAX);
  if (o.Has("schedule")) {
    u.has_schedule = true;
    u.schedule = ReadSchedule(o.At("schedule"), "schedule");
  }
  if (o.Has("permissions")) {
    u.has_permissions = true;
    u.permissions = ReadPermissions(o.At("permissions"), "permissions");
  }
  img::MetadataError error;
  if (!img::ValidateConfigUpdate(u, &error).ok()) CheckWithDeviceRules(error);
  *out = u;
}

template <typename Read>
std::optional<ManifestError> Guard(Read read) {
  try {
    read();
  } catch (const Failure& f) {
    return ManifestError{f.field, f.problem};
  }
  return std::nullopt;
}

std::optional<ManifestError> ParseJson(std::string_view text, json* out) {
  try {
    *out = json::parse(text);
  } catch (const json::parse_error& e) {
    return ManifestError{"", std::string("invalid JSON: ") + e.what()};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ManifestError> ManifestToMetadata(const json& manifest, img::ContainerMetadata* out) {
  return Guard([&] { ReadMetadata(manifest, out); });
}

std::optional<ManifestError> ParseManifest(std::string_view json_text,
                                           img::ContainerMetadata* out) {
  json value;
  if (auto error = ParseJson(json_text, &value)) return error;
  return ManifestToMetadata(value, out);
}

std::optional<ManifestError> JsonToConfigUpdate(const json& value, img::ConfigUpdate* out) {
  return Guard([&] { ReadUpdate(value, out); });
}

std::optional<ManifestError> ParseConfigUpdate(std::string_view json_text, img::ConfigUpdate* out) {
  json value;
  if (auto error = ParseJson(json_text, &value)) return error;
  return JsonToConfigUpdate(value, out);
}

}  // namespace tc::manifest
