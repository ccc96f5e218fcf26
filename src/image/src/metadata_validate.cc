#include "error_util.h"
#include "tc/image/metadata_codec.h"

namespace tc::image {

namespace internal {

ErrorCode CodeFor(MetadataProblem problem) {
  switch (problem) {
    case MetadataProblem::kNone: return ErrorCode::kOk;
    case MetadataProblem::kCbor: return ErrorCode::kMalformed;
    case MetadataProblem::kTrailingBytes: return ErrorCode::kMalformed;
    case MetadataProblem::kMissingField: return ErrorCode::kNotFound;
    case MetadataProblem::kWrongType: return ErrorCode::kInvalid;
    case MetadataProblem::kDuplicateKey: return ErrorCode::kAlreadyExists;
    case MetadataProblem::kKeyOrder: return ErrorCode::kMalformed;
    case MetadataProblem::kUnknownKey: return ErrorCode::kUnsupported;
    case MetadataProblem::kUnsupportedVersion: return ErrorCode::kUnsupported;
    case MetadataProblem::kOutOfRange: return ErrorCode::kOutOfRange;
    case MetadataProblem::kTooMany: return ErrorCode::kResourceExhausted;
    case MetadataProblem::kInvalidValue: return ErrorCode::kInvalid;
    case MetadataProblem::kDuplicateId: return ErrorCode::kAlreadyExists;
    case MetadataProblem::kReserved: return ErrorCode::kUnsupported;
  }
  return ErrorCode::kInternal;
}

}  // namespace internal

using internal::Refuse;

namespace {

constexpr MetadataProblem kInvalidValue = MetadataProblem::kInvalidValue;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Export names: printable ASCII without spaces.
bool IsValidEntryName(std::string_view name) {
  for (char c : name) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

Status ValidateEntry(const EntryPoints& entry, MetadataError* error) {
  const struct {
    const EntryName& name;
    MetadataField field;
  } names[] = {{entry.init, MetadataField::kEntryInit},
               {entry.loop, MetadataField::kEntryLoop},
               {entry.stop, MetadataField::kEntryStop},
               {entry.start, MetadataField::kEntryStart}};
  for (const auto& n : names) {
    if (!IsValidEntryName(n.name.view())) {
      return Refuse(error, kInvalidValue, n.field,
                    "entry names are printable ASCII without spaces");
    }
  }
  if (entry.loop.empty() && entry.start.empty()) {
    return Refuse(error, MetadataProblem::kMissingField, MetadataField::kEntry,
                  "needs a loop (periodic) or a start (one-shot) entry point");
  }
  if (!entry.start.empty() && (!entry.loop.empty() || !entry.init.empty() || !entry.stop.empty())) {
    return Refuse(error, kInvalidValue, MetadataField::kEntryStart,
                  "a start entry point excludes init, loop and stop");
  }
  return Status::Ok();
}

}  // namespace

bool IsValidUid(std::string_view uid) {
  if (uid.empty() || uid.size() > kMaxUidLength || !IsAsciiAlnum(uid[0])) return false;
  for (char c : uid) {
    if (!IsAsciiAlnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

Status ValidateSchedule(const Schedule& s, MetadataError* error) {
  if (s.priority > kMaxPriority) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kPriority,
                  "priority must be 0..31");
  }
  if (static_cast<uint8_t>(s.on_overrun) >= kOverrunPolicyCount) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kOnOverrun,
                  "on_overrun must be throttle (0), stop (1) or restart (2)");
  }
  if (s.period_us != 0 && s.deadline_us > s.period_us) {
    return Refuse(error, kInvalidValue, MetadataField::kDeadline,
                  "deadline_us must not exceed period_us");
  }
  if (s.period_us != 0 && s.budget_us > s.period_us) {
    return Refuse(error, kInvalidValue, MetadataField::kBudget,
                  "budget_us must not exceed period_us");
  }
  if (s.deadline_us != 0 && s.budget_us > s.deadline_us) {
    return Refuse(error, kInvalidValue, MetadataField::kBudget,
                  "budget_us must not exceed deadline_us");
  }
  return Status::Ok();
}

Status ValidatePermissions(const Permissions& p, MetadataError* error) {
  if ((p.services & ~kAllServices) != 0) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kServices,
                  "unknown service bit");
  }
  if (static_cast<uint8_t>(p.on_violation) >= kViolationPolicyCount) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kOnViolation,
                  "on_violation must be deny (0) or stop (1)");
  }
  for (size_t i = 0; i < p.endpoints.size(); ++i) {
    const Endpoint& e = p.endpoints[i];
    const auto index = static_cast<uint8_t>(i);
    for (size_t j = 0; j < i; ++j) {
      if (p.endpoints[j].id == e.id) {
        return Refuse(error, MetadataProblem::kDuplicateId, MetadataField::kEndpointId,
                      "endpoint id used twice", Status::kNoPosition, index);
      }
    }
    if (static_cast<uint8_t>(e.direction) >= kDirectionCount) {
      return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kEndpointDirection,
                    "direction must be in (0), out (1) or both (2)", Status::kNoPosition, index);
    }
    switch (e.peer.kind) {
      case PeerKind::kLocal:
        if (static_cast<uint8_t>(e.peer.device_class) >= kDeviceClassCount) {
          return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kEndpointPeer,
                        "unknown local device class", Status::kNoPosition, index);
        }
        break;
      case PeerKind::kContainer:
        if (!IsValidUid(e.peer.container_uid.view())) {
          return Refuse(error, kInvalidValue, MetadataField::kEndpointPeer,
                        "peer uid must be 1..32 of [A-Za-z0-9._-] starting alphanumeric",
                        Status::kNoPosition, index);
        }
        break;
      case PeerKind::kRemote:
      default:
        return Refuse(error, MetadataProblem::kReserved, MetadataField::kEndpointPeer,
                      "remote peers are reserved for a later format version", Status::kNoPosition,
                      index);
    }
  }
  return Status::Ok();
}

namespace {

Status ValidateLogRate(const Quotas& q, MetadataError* error) {
  if (!q.has_log_rate) {
    if (q.log_lines_per_s != 0 || q.log_burst != 0) {
      return Refuse(error, kInvalidValue, MetadataField::kLogBurst,
                    "log_lines_per_s/log_burst set without has_log_rate");
    }
    return Status::Ok();
  }
  if (q.log_lines_per_s > kMaxLogLinesPerSecond) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kLogLinesPerSecond,
                  "log_lines_per_s must be 0..1000000");
  }
  if (q.log_burst == 0 || q.log_burst > kMaxLogBurst) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kLogBurst,
                  "log_burst must be 1..1000000");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateMetadata(const ContainerMetadata& m, MetadataError* error) {
  if (!IsValidUid(m.uid.view())) {
    return Refuse(error, kInvalidValue, MetadataField::kUid,
                  "uid must be 1..32 of [A-Za-z0-9._-] starting alphanumeric");
  }
  if (static_cast<uint8_t>(m.runtime) >= kRuntimeKindCount) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kRuntime,
                  "runtime must be wasm (0) or ebpf (1)");
  }
  TC_RETURN_IF_ERROR(ValidateEntry(m.entry, error));
  if (m.quotas.memory_limit == 0) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kMemoryLimit,
                  "memory_limit must be at least 1 byte");
  }
  if (m.quotas.stack_bytes == 0) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kStackBytes,
                  "stack_bytes must be at least 1 byte");
  }
  TC_RETURN_IF_ERROR(ValidateLogRate(m.quotas, error));
  TC_RETURN_IF_ERROR(ValidateSchedule(m.schedule, error));
  if (!m.entry.start.empty() && m.schedule.period_us != 0) {
    return Refuse(error, kInvalidValue, MetadataField::kPeriod,
                  "a one-shot (start) container has no period");
  }
  TC_RETURN_IF_ERROR(ValidatePermissions(m.permissions, error));
  if (m.signer_kid.empty()) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kSignerKid,
                  "signer_kid must be 1..16 bytes");
  }
  if (m.code_size == 0) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kCodeSize,
                  "code_size must be at least 1 byte");
  }
  if (!m.has_data && m.data_size != 0) {
    return Refuse(error, kInvalidValue, MetadataField::kDataSize, "data_size without data_sha256");
  }
  return Status::Ok();
}

Status ValidateConfigUpdate(const ConfigUpdate& u, MetadataError* error) {
  if (!IsValidUid(u.uid.view())) {
    return Refuse(error, kInvalidValue, MetadataField::kUid,
                  "uid must be 1..32 of [A-Za-z0-9._-] starting alphanumeric");
  }
  if (u.sequence == 0) {
    return Refuse(error, MetadataProblem::kOutOfRange, MetadataField::kSequence,
                  "sequence starts at 1");
  }
  if (!u.has_schedule && !u.has_permissions) {
    return Refuse(error, MetadataProblem::kMissingField, MetadataField::kNone,
                  "a config update needs a schedule, permissions or both");
  }
  if (u.has_schedule) TC_RETURN_IF_ERROR(ValidateSchedule(u.schedule, error));
  if (u.has_permissions) TC_RETURN_IF_ERROR(ValidatePermissions(u.permissions, error));
  return Status::Ok();
}

}  // namespace tc::image
