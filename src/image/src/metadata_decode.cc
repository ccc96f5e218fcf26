// Strict decoding of metadata and config updates. Every map goes through ReadMap(), which owns the
// key rules (unsigned keys, ascending order, duplicates, extensions, required fields); the field
// visitors only read values and check their ranges.
#include <bit>
#include <iterator>

#include "error_util.h"
#include "tc/cbor/reader.h"
#include "tc/image/metadata_codec.h"

namespace tc::image {

namespace {

using internal::Refuse;
using Field = MetadataField;
using Problem = MetadataProblem;

// Keys of each map, by position: the field each key holds.
constexpr Field kTopFields[] = {
    Field::kFormat,     Field::kUid,      Field::kVersion,     Field::kRuntime,  Field::kEntry,
    Field::kQuotas,     Field::kSchedule, Field::kPermissions, Field::kNotAfter, Field::kSignerKid,
    Field::kCodeSha256, Field::kCodeSize, Field::kDataSha256,  Field::kDataSize};
constexpr uint32_t kTopRequired = 0b00'1110'1111'1111;
constexpr Field kEntryFields[] = {Field::kEntryInit, Field::kEntryLoop, Field::kEntryStop,
                                  Field::kEntryStart};
constexpr Field kQuotaFields[] = {Field::kMemoryLimit, Field::kStackBytes,        Field::kKvBytes,
                                  Field::kMaxHandles,  Field::kLogLinesPerSecond, Field::kLogBurst};
constexpr Field kScheduleFields[] = {Field::kPriority,   Field::kPeriod, Field::kBudget,
                                     Field::kDeadline,   Field::kSlice,  Field::kOnOverrun,
                                     Field::kMaxRestarts};
constexpr Field kPermissionFields[] = {Field::kServices, Field::kEndpoints, Field::kOnViolation};
constexpr Field kEndpointFields[] = {Field::kEndpointId, Field::kEndpointPeer,
                                     Field::kEndpointDirection};
constexpr Field kUpdateFields[] = {Field::kFormat, Field::kUid, Field::kSequence, Field::kSchedule,
                                   Field::kPermissions};
constexpr uint32_t kUpdateRequired = 0b00111;

constexpr uint32_t AllOf(size_t n) { return (uint32_t{1} << n) - 1; }

cbor::ReaderOptions StrictOptions() {
  cbor::ReaderOptions options;
  options.max_depth = kMetadataMaxDepth;
  options.deterministic = true;
  options.validate_utf8 = true;
  return options;
}

class Decoder {
 public:
  Decoder(std::span<const uint8_t> in, MetadataError* error)
      : r_(in, StrictOptions()), error_(error) {}

  Status Metadata(ContainerMetadata* m) {
    TC_RETURN_IF_ERROR(ReadMap(Field::kNone, kTopFields, std::size(kTopFields), kTopRequired,
                               &Decoder::VisitTop, m));
    const bool has_size = (seen_top_ >> 13 & 1) != 0;
    if (m->has_data != has_size) {
      return Fail(Problem::kMissingField, has_size ? Field::kDataSha256 : Field::kDataSize,
                  "data_sha256 and data_size go together", 0);
    }
    return End();
  }

  Status Update(ConfigUpdate* u) {
    TC_RETURN_IF_ERROR(ReadMap(Field::kNone, kUpdateFields, std::size(kUpdateFields),
                               kUpdateRequired, &Decoder::VisitUpdate, u));
    return End();
  }

 private:
  // Reads one field's value for `key` into the object behind `out`.
  using Visit = Status (Decoder::*)(uint64_t key, Field field, void* out);

  Status Fail(Problem problem, Field field, const char* message, size_t position,
              ErrorCode code = ErrorCode::kOk) {
    return Refuse(error_, problem, field, message, static_cast<uint32_t>(position), index_, code);
  }

  // A reader failure: a wrong CBOR type is the field's problem, anything else is bad CBOR.
  Status FromReader(const Status& status, Field field, const char* wrong_type_message) {
    if (status.code() == ErrorCode::kInvalid) {
      return Fail(Problem::kWrongType, field, wrong_type_message, status.position());
    }
    return Fail(Problem::kCbor, field, status.message(), status.position(), status.code());
  }

  Status ReadMap(Field map_field, const Field* fields, size_t keys, uint32_t required, Visit visit,
                 void* out) {
    const size_t map_pos = r_.position();
    Result<uint64_t> count = r_.ReadMapHeader();
    if (!count.ok()) return FromReader(count.status(), map_field, "expected a map");
    uint32_t seen = 0;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < *count; ++i) {
      const size_t key_pos = r_.position();
      Result<uint64_t> key = r_.ReadUint();
      if (!key.ok()) return FromReader(key.status(), map_field, "map keys are unsigned integers");
      const bool known = *key < keys;
      if ((known && (seen >> *key & 1)) || (i > 0 && *key == previous)) {
        return Fail(Problem::kDuplicateKey, known ? fields[*key] : map_field, "key appears twice",
                    key_pos);
      }
      if (i > 0 && *key < previous) {
        return Fail(Problem::kKeyOrder, map_field, "map keys not in ascending order", key_pos);
      }
      previous = *key;
      if (!known) {
        if (*key < kFirstExtensionKey) {
          return Fail(Problem::kUnknownKey, map_field,
                      "unknown key below the extension range (256..)", key_pos);
        }
        Status skipped = r_.SkipItem();
        if (!skipped.ok()) return FromReader(skipped, map_field, "");
        continue;
      }
      if (map_field == Field::kNone && *key != 0 && !(seen & 1)) {
        return Fail(Problem::kMissingField, Field::kFormat, "format version must come first",
                    key_pos);
      }
      seen |= uint32_t{1} << *key;
      TC_RETURN_IF_ERROR((this->*visit)(*key, fields[*key], out));
    }
    if (map_field == Field::kNone) seen_top_ = seen;
    const uint32_t missing = required & ~seen;
    if (missing != 0) {
      return Fail(Problem::kMissingField, fields[std::countr_zero(missing)],
                  "required field missing", map_pos);
    }
    return Status::Ok();
  }

  // An unsigned integer in min..max; `range_message` explains a value outside it.
  Status Number(Field f, uint64_t min, uint64_t max, const char* range_message, uint64_t* out) {
    const size_t pos = r_.position();
    Result<uint64_t> v = r_.ReadUint();
    if (!v.ok()) return FromReader(v.status(), f, "expected an unsigned integer");
    if (*v < min || *v > max) return Fail(Problem::kOutOfRange, f, range_message, pos);
    *out = *v;
    return Status::Ok();
  }

  Status U32(Field f, uint32_t* out) {
    uint64_t v = 0;
    TC_RETURN_IF_ERROR(Number(f, 0, UINT32_MAX, "value above 4294967295", &v));
    *out = static_cast<uint32_t>(v);
    return Status::Ok();
  }

  Status U8(Field f, uint64_t min, uint64_t max, const char* range_message, uint8_t* out) {
    uint64_t v = 0;
    TC_RETURN_IF_ERROR(Number(f, min, max, range_message, &v));
    *out = static_cast<uint8_t>(v);
    return Status::Ok();
  }

  Status Format(Field f) {
    const size_t pos = r_.position();
    uint64_t version = 0;
    TC_RETURN_IF_ERROR(Number(f, 0, UINT64_MAX, "", &version));
    if (version != kMetadataFormatVersion) {
      return Fail(Problem::kUnsupportedVersion, f, "only format version 1 is supported", pos);
    }
    return Status::Ok();
  }

  // A text string of min..capacity bytes copied into `out`.
  Status Text(Field f, size_t min, const char* length_message, FixedString<char, 32>* out32,
              FixedString<char, 31>* out31) {
    const size_t pos = r_.position();
    Result<std::string_view> text = r_.ReadText();
    if (!text.ok()) return FromReader(text.status(), f, "expected a text string");
    const std::span<const char> chars(text->data(), text->size());
    const bool fits = out32 != nullptr ? out32->Assign(chars).ok() : out31->Assign(chars).ok();
    if (text->size() < min || !fits) return Fail(Problem::kOutOfRange, f, length_message, pos);
    return Status::Ok();
  }

  Status Uid(Field f, image::Uid* out) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(Text(f, 1, "uid must be 1..32 bytes", out, nullptr));
    if (!IsValidUid(out->view())) {
      return Fail(Problem::kInvalidValue, f,
                  "uid characters must be [A-Za-z0-9._-], first alphanumeric", pos);
    }
    return Status::Ok();
  }

  // A byte string of min..max bytes; copied into `out` (capacity >= max).
  Status Bytes(Field f, size_t min, size_t max, const char* length_message, uint8_t* out,
               size_t* size) {
    const size_t pos = r_.position();
    Result<std::span<const uint8_t>> bytes = r_.ReadBytes();
    if (!bytes.ok()) return FromReader(bytes.status(), f, "expected a byte string");
    if (bytes->size() < min || bytes->size() > max) {
      return Fail(Problem::kOutOfRange, f, length_message, pos);
    }
    for (size_t i = 0; i < bytes->size(); ++i) out[i] = (*bytes)[i];
    *size = bytes->size();
    return Status::Ok();
  }

  Status Digest(Field f, Sha256Digest* out) {
    size_t size = 0;
    return Bytes(f, kSha256Size, kSha256Size, "a SHA-256 digest is 32 bytes", out->data(), &size);
  }

  Status VisitTop(uint64_t key, Field f, void* out) {
    auto* m = static_cast<ContainerMetadata*>(out);
    switch (key) {
      case 0: return Format(f);
      case 1: return Uid(f, &m->uid);
      case 2: return U32(f, &m->version);
      case 3:
        return U8(f, 0, kRuntimeKindCount - 1, "runtime must be wasm (0) or ebpf (1)",
                  reinterpret_cast<uint8_t*>(&m->runtime));
      case 4:
        return ReadMap(Field::kEntry, kEntryFields, std::size(kEntryFields), 0,
                       &Decoder::VisitEntry, &m->entry);
      case 5: return QuotasMap(&m->quotas);
      case 6: return ScheduleMap(&m->schedule);
      case 7: return PermissionsMap(&m->permissions);
      case 8: m->has_not_after = true; return Number(f, 0, UINT64_MAX, "", &m->not_after);
      case 9: {
        uint8_t kid[kMaxKidLength];
        size_t size = 0;
        TC_RETURN_IF_ERROR(
            Bytes(f, 1, kMaxKidLength, "signer_kid must be 1..16 bytes", kid, &size));
        return m->signer_kid.Assign({kid, size});
      }
      case 10: return Digest(f, &m->code_sha256);
      case 11: {
        uint64_t v = 0;
        TC_RETURN_IF_ERROR(Number(f, 1, UINT32_MAX, "code_size must be 1..4294967295", &v));
        m->code_size = static_cast<uint32_t>(v);
        return Status::Ok();
      }
      case 12: m->has_data = true; return Digest(f, &m->data_sha256);
      default: return U32(f, &m->data_size);
    }
  }

  Status VisitUpdate(uint64_t key, Field f, void* out) {
    auto* u = static_cast<ConfigUpdate*>(out);
    switch (key) {
      case 0: return Format(f);
      case 1: return Uid(f, &u->uid);
      case 2: return Number(f, 0, UINT64_MAX, "", &u->sequence);
      case 3: u->has_schedule = true; return ScheduleMap(&u->schedule);
      default: u->has_permissions = true; return PermissionsMap(&u->permissions);
    }
  }

  Status VisitEntry(uint64_t key, Field f, void* out) {
    auto* e = static_cast<EntryPoints*>(out);
    EntryName* names[] = {&e->init, &e->loop, &e->stop, &e->start};
    return Text(f, 1, "entry names are 1..31 bytes", nullptr, names[key]);
  }

  Status VisitQuota(uint64_t key, Field f, void* out) {
    auto* q = static_cast<Quotas*>(out);
    uint64_t v = 0;
    switch (key) {
      case 0:
        TC_RETURN_IF_ERROR(Number(f, 1, UINT32_MAX, "memory_limit must be 1..4294967295", &v));
        q->memory_limit = static_cast<uint32_t>(v);
        return Status::Ok();
      case 1:
        TC_RETURN_IF_ERROR(Number(f, 1, UINT32_MAX, "stack_bytes must be 1..4294967295", &v));
        q->stack_bytes = static_cast<uint32_t>(v);
        return Status::Ok();
      case 2: return U32(f, &q->kv_bytes);
      case 3: return U8(f, 0, 255, "max_handles must be 0..255", &q->max_handles);
      case 4:
        q->has_log_rate = true;
        TC_RETURN_IF_ERROR(
            Number(f, 0, kMaxLogLinesPerSecond, "log_lines_per_s must be 0..1000000", &v));
        q->log_lines_per_s = static_cast<uint32_t>(v);
        return Status::Ok();
      default:
        TC_RETURN_IF_ERROR(Number(f, 1, kMaxLogBurst, "log_burst must be 1..1000000", &v));
        q->log_burst = static_cast<uint32_t>(v);
        return Status::Ok();
    }
  }

  // The four quotas are required; the log rate is optional, its two keys go together.
  Status QuotasMap(Quotas* q) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(ReadMap(Field::kQuotas, kQuotaFields, std::size(kQuotaFields), AllOf(4),
                               &Decoder::VisitQuota, q));
    const bool has_burst = q->log_burst != 0;
    if (q->has_log_rate != has_burst) {
      return Fail(Problem::kMissingField, has_burst ? Field::kLogLinesPerSecond : Field::kLogBurst,
                  "log_lines_per_s and log_burst go together", pos);
    }
    return Status::Ok();
  }

  Status VisitSchedule(uint64_t key, Field f, void* out) {
    auto* s = static_cast<Schedule*>(out);
    switch (key) {
      case 0: return U8(f, 0, kMaxPriority, "priority must be 0..31", &s->priority);
      case 1: return U32(f, &s->period_us);
      case 2: return U32(f, &s->budget_us);
      case 3: return U32(f, &s->deadline_us);
      case 4: return U32(f, &s->slice_us);
      case 5:
        return U8(f, 0, kOverrunPolicyCount - 1,
                  "on_overrun must be throttle (0), stop (1) or restart (2)",
                  reinterpret_cast<uint8_t*>(&s->on_overrun));
      default: return U8(f, 0, 255, "max_restarts must be 0..255", &s->max_restarts);
    }
  }

  Status ScheduleMap(Schedule* s) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(ReadMap(Field::kSchedule, kScheduleFields, std::size(kScheduleFields),
                               AllOf(7), &Decoder::VisitSchedule, s));
    return WithPosition(ValidateSchedule(*s, error_), pos);
  }

  Status VisitPermissions(uint64_t key, Field f, void* out) {
    auto* p = static_cast<Permissions*>(out);
    switch (key) {
      case 0: {
        uint64_t v = 0;
        TC_RETURN_IF_ERROR(Number(f, 0, kAllServices, "unknown service bit", &v));
        p->services = static_cast<ServiceMask>(v);
        return Status::Ok();
      }
      case 1: return Endpoints(&p->endpoints);
      default:
        return U8(f, 0, kViolationPolicyCount - 1, "on_violation must be deny (0) or stop (1)",
                  reinterpret_cast<uint8_t*>(&p->on_violation));
    }
  }

  Status PermissionsMap(Permissions* p) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(ReadMap(Field::kPermissions, kPermissionFields, std::size(kPermissionFields),
                               AllOf(3), &Decoder::VisitPermissions, p));
    return WithPosition(ValidatePermissions(*p, error_), pos);
  }

  Status VisitEndpoint(uint64_t key, Field f, void* out) {
    auto* e = static_cast<Endpoint*>(out);
    switch (key) {
      case 0: return U8(f, 0, 255, "endpoint id must be 0..255", &e->id);
      case 1: return Peer(f, &e->peer);
      default:
        return U8(f, 0, kDirectionCount - 1, "direction must be in (0), out (1) or both (2)",
                  reinterpret_cast<uint8_t*>(&e->direction));
    }
  }

  Status Endpoints(FixedVector<Endpoint, kMaxEndpoints>* endpoints) {
    const size_t pos = r_.position();
    Result<uint64_t> count = r_.ReadArrayHeader();
    if (!count.ok()) return FromReader(count.status(), Field::kEndpoints, "expected an array");
    if (*count > kMaxEndpoints) {
      return Fail(Problem::kTooMany, Field::kEndpoints, "at most 8 endpoints", pos);
    }
    for (uint64_t i = 0; i < *count; ++i) {
      index_ = static_cast<uint8_t>(i);
      Endpoint e;
      TC_RETURN_IF_ERROR(ReadMap(Field::kEndpoint, kEndpointFields, std::size(kEndpointFields),
                                 AllOf(3), &Decoder::VisitEndpoint, &e));
      TC_RETURN_IF_ERROR(endpoints->push_back(e));
    }
    index_ = MetadataError::kNoIndex;
    return Status::Ok();
  }

  Status Peer(Field f, EndpointPeer* peer) {
    const size_t pos = r_.position();
    Result<uint64_t> count = r_.ReadArrayHeader();
    if (!count.ok()) return FromReader(count.status(), f, "expected a peer array [kind, ...]");
    if (*count == 0) return Fail(Problem::kInvalidValue, f, "empty peer array", pos);
    TC_RETURN_IF_ERROR(U8(f, 0, 2, "peer kind must be local (0), container (1) or remote (2)",
                          reinterpret_cast<uint8_t*>(&peer->kind)));
    if (peer->kind == PeerKind::kRemote) {
      return Fail(Problem::kReserved, f, "remote peers are reserved for a later format version",
                  pos);
    }
    if (*count != 3) {
      return Fail(Problem::kInvalidValue, f,
                  "a peer is [0, device_class, address] or [1, uid, endpoint]", pos);
    }
    if (peer->kind == PeerKind::kLocal) {
      TC_RETURN_IF_ERROR(U8(f, 0, kDeviceClassCount - 1, "unknown local device class",
                            reinterpret_cast<uint8_t*>(&peer->device_class)));
      return U32(f, &peer->address);
    }
    TC_RETURN_IF_ERROR(Uid(f, &peer->container_uid));
    return U8(f, 0, 255, "peer endpoint id must be 0..255", &peer->container_endpoint);
  }

  // Cross-field rules found after a whole map was read point at the map's first byte.
  Status WithPosition(const Status& status, size_t pos) {
    if (status.ok()) return status;
    if (error_ != nullptr) error_->status = status.At(static_cast<uint32_t>(pos));
    return status.At(static_cast<uint32_t>(pos));
  }

  Status End() {
    Status end = r_.ExpectEnd();
    if (!end.ok()) {
      return Fail(Problem::kTrailingBytes, Field::kNone, "bytes after the top-level map",
                  end.position());
    }
    return Status::Ok();
  }

  cbor::Reader r_;
  MetadataError* error_;
  uint8_t index_ = MetadataError::kNoIndex;
  uint32_t seen_top_ = 0;
};

}  // namespace

Status DecodeMetadata(std::span<const uint8_t> in, ContainerMetadata* out, MetadataError* error) {
  ContainerMetadata metadata;
  Decoder decoder(in, error);
  TC_RETURN_IF_ERROR(decoder.Metadata(&metadata));
  TC_RETURN_IF_ERROR(ValidateMetadata(metadata, error));
  *out = metadata;
  return Status::Ok();
}

Status DecodeConfigUpdate(std::span<const uint8_t> in, ConfigUpdate* out, MetadataError* error) {
  ConfigUpdate update;
  Decoder decoder(in, error);
  TC_RETURN_IF_ERROR(decoder.Update(&update));
  TC_RETURN_IF_ERROR(ValidateConfigUpdate(update, error));
  *out = update;
  return Status::Ok();
}

}  // namespace tc::image
