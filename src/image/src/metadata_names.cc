#include "tc/base/format.h"
#include "tc/image/metadata.h"
#include "tc/image/metadata_error.h"

namespace tc::image {

bool operator==(const Permissions& a, const Permissions& b) {
  if (a.services != b.services || a.on_violation != b.on_violation ||
      a.endpoints.size() != b.endpoints.size()) {
    return false;
  }
  for (size_t i = 0; i < a.endpoints.size(); ++i) {
    if (!(a.endpoints[i] == b.endpoints[i])) return false;
  }
  return true;
}

const char* RuntimeKindName(RuntimeKind kind) {
  switch (kind) {
    case RuntimeKind::kWasm: return "wasm";
    case RuntimeKind::kEbpf: return "ebpf";
  }
  return "?";
}

const char* OverrunPolicyName(OverrunPolicy policy) {
  switch (policy) {
    case OverrunPolicy::kThrottle: return "throttle";
    case OverrunPolicy::kStop: return "stop";
    case OverrunPolicy::kRestart: return "restart";
  }
  return "?";
}

const char* ServiceName(Service service) {
  switch (service) {
    case Service::kLog: return "log";
    case Service::kTime: return "time";
    case Service::kSleep: return "sleep";
    case Service::kYield: return "yield";
    case Service::kEndpoint: return "endpoint";
    case Service::kChannel: return "channel";
    case Service::kKv: return "kv";
    case Service::kRandom: return "random";
    case Service::kMl: return "ml";
    case Service::kWasi: return "wasi";
  }
  return "?";
}

const char* DeviceClassName(DeviceClass device_class) {
  switch (device_class) {
    case DeviceClass::kGpio: return "gpio";
    case DeviceClass::kLed: return "led";
    case DeviceClass::kI2c: return "i2c";
    case DeviceClass::kSpi: return "spi";
    case DeviceClass::kUart: return "uart";
    case DeviceClass::kSensor: return "sensor";
  }
  return "?";
}

const char* DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kIn: return "in";
    case Direction::kOut: return "out";
    case Direction::kBoth: return "both";
  }
  return "?";
}

const char* ViolationPolicyName(ViolationPolicy policy) {
  switch (policy) {
    case ViolationPolicy::kDeny: return "deny";
    case ViolationPolicy::kStop: return "stop";
  }
  return "?";
}

const char* MetadataFieldName(MetadataField field) {
  switch (field) {
    case MetadataField::kNone: return "metadata";
    case MetadataField::kFormat: return "format";
    case MetadataField::kUid: return "uid";
    case MetadataField::kVersion: return "version";
    case MetadataField::kRuntime: return "runtime";
    case MetadataField::kEntry: return "entry";
    case MetadataField::kEntryInit: return "entry.init";
    case MetadataField::kEntryLoop: return "entry.loop";
    case MetadataField::kEntryStop: return "entry.stop";
    case MetadataField::kEntryStart: return "entry.start";
    case MetadataField::kQuotas: return "quotas";
    case MetadataField::kMemoryLimit: return "quotas.memory_limit";
    case MetadataField::kStackBytes: return "quotas.stack_bytes";
    case MetadataField::kKvBytes: return "quotas.kv_bytes";
    case MetadataField::kMaxHandles: return "quotas.max_handles";
    case MetadataField::kLogLinesPerSecond: return "quotas.log_lines_per_s";
    case MetadataField::kLogBurst: return "quotas.log_burst";
    case MetadataField::kSchedule: return "schedule";
    case MetadataField::kPriority: return "schedule.priority";
    case MetadataField::kPeriod: return "schedule.period_us";
    case MetadataField::kBudget: return "schedule.budget_us";
    case MetadataField::kDeadline: return "schedule.deadline_us";
    case MetadataField::kSlice: return "schedule.slice_us";
    case MetadataField::kOnOverrun: return "schedule.on_overrun";
    case MetadataField::kMaxRestarts: return "schedule.max_restarts";
    case MetadataField::kPermissions: return "permissions";
    case MetadataField::kServices: return "permissions.services";
    case MetadataField::kEndpoints: return "permissions.endpoints";
    case MetadataField::kEndpoint: return "permissions.endpoints[]";
    case MetadataField::kEndpointId: return "permissions.endpoints[].id";
    case MetadataField::kEndpointPeer: return "permissions.endpoints[].peer";
    case MetadataField::kEndpointDirection: return "permissions.endpoints[].direction";
    case MetadataField::kOnViolation: return "permissions.on_violation";
    case MetadataField::kNotAfter: return "not_after";
    case MetadataField::kSignerKid: return "signer_kid";
    case MetadataField::kCodeSha256: return "code_sha256";
    case MetadataField::kCodeSize: return "code_size";
    case MetadataField::kDataSha256: return "data_sha256";
    case MetadataField::kDataSize: return "data_size";
    case MetadataField::kSequence: return "sequence";
  }
  return "?";
}

const char* MetadataProblemName(MetadataProblem problem) {
  switch (problem) {
    case MetadataProblem::kNone: return "none";
    case MetadataProblem::kCbor: return "bad CBOR";
    case MetadataProblem::kTrailingBytes: return "trailing bytes";
    case MetadataProblem::kMissingField: return "missing field";
    case MetadataProblem::kWrongType: return "wrong type";
    case MetadataProblem::kDuplicateKey: return "duplicate key";
    case MetadataProblem::kKeyOrder: return "key order";
    case MetadataProblem::kUnknownKey: return "unknown key";
    case MetadataProblem::kUnsupportedVersion: return "unsupported version";
    case MetadataProblem::kOutOfRange: return "out of range";
    case MetadataProblem::kTooMany: return "too many entries";
    case MetadataProblem::kInvalidValue: return "invalid value";
    case MetadataProblem::kDuplicateId: return "duplicate id";
    case MetadataProblem::kReserved: return "reserved";
  }
  return "?";
}

size_t MetadataError::Describe(std::span<char> out) const {
  const char* name = MetadataFieldName(field);
  char path[48];
  // Endpoint fields carry their index: "permissions.endpoints[]" -> "permissions.endpoints[2]".
  if (index != kNoIndex && field >= MetadataField::kEndpoint &&
      field <= MetadataField::kEndpointDirection) {
    const char* suffix = name + sizeof("permissions.endpoints[") - 1;
    FormatTo(path, "permissions.endpoints[%u%s", static_cast<unsigned>(index), suffix);
    name = path;
  }
  if (status.has_position()) {
    return FormatTo(out, "%s: %s (at byte %u)", name, status.message(),
                    static_cast<unsigned>(status.position()));
  }
  return FormatTo(out, "%s: %s", name, status.message());
}

}  // namespace tc::image
