// Strict decoding of metadata and config updates. Every map goes through ReadMap(), which owns the
// key rules (unsigned keys, ascending order, duplicates, extensions, required fields); the field
// visitors only read values and check their ranges.
#include <bit>

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
constexpr Field kQuotaFields[] = {Field::kMemoryLimit, Field::kStackBytes, Field::kKvBytes,
                                  Field::kMaxHandles};
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
    bool has_data_hash = false;
    TC_RETURN_IF_ERROR(ReadMap(Field::kNone, kTopFields, kTopRequired, [&](uint64_t key, Field f) {
      switch (key) {
        case 0: return Format(f);
        case 1: return Uid(f, &m->uid);
        case 2: return Uint32(f, 0, UINT32_MAX, "", &m->version);
        case 3:
          return Enum(f, kRuntimeKindCount, "runtime must be wasm (0) or ebpf (1)", &m->runtime);
        case 4: return Entry(&m->entry);
        case 5: return Quota(&m->quotas);
        case 6: return ScheduleMap(&m->schedule);
        case 7: return PermissionsMap(&m->permissions);
        case 8: m->has_not_after = true; return Uint(f, UINT64_MAX, "", &m->not_after);
        case 9: return Bytes(f, 1, kMaxKidLength, "signer_kid must be 1..16 bytes", &m->signer_kid);
        case 10: return Digest(f, &m->code_sha256);
        case 11: return Uint32(f, 1, UINT32_MAX, "code_size must be at least 1", &m->code_size);
        case 12: has_data_hash = m->has_data = true; return Digest(f, &m->data_sha256);
        default: return Uint32(f, 0, UINT32_MAX, "", &m->data_size);
      }
    }));
    if (has_data_hash != (seen_top_ >> 13 & 1)) {
      const bool missing_size = has_data_hash;
      return Fail(Problem::kMissingField, missing_size ? Field::kDataSize : Field::kDataSha256,
                  "data_sha256 and data_size go together", 0);
    }
    return End();
  }

  Status Update(ConfigUpdate* u) {
    TC_RETURN_IF_ERROR(
        ReadMap(Field::kNone, kUpdateFields, kUpdateRequired, [&](uint64_t key, Field f) {
          switch (key) {
            case 0: return Format(f);
            case 1: return Uid(f, &u->uid);
            case 2: return Uint(f, UINT64_MAX, "", &u->sequence);
            case 3: u->has_schedule = true; return ScheduleMap(&u->schedule);
            default: u->has_permissions = true; return PermissionsMap(&u->permissions);
          }
        }));
    return End();
  }

 private:
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

  template <size_t kKeys, typename Visit>
  Status ReadMap(Field map_field, const Field (&fields)[kKeys], uint32_t required, Visit visit) {
    static_assert(kKeys < 32, "seen keys are a 32-bit mask");
    const size_t map_pos = r_.position();
    Result<uint64_t> count = r_.ReadMapHeader();
    if (!count.ok()) return FromReader(count.status(), map_field, "expected a map");
    uint32_t seen = 0;
    uint64_t previous = 0;
    for (uint64_t i = 0; i < *count; ++i) {
      const size_t key_pos = r_.position();
      Result<uint64_t> key = r_.ReadUint();
      if (!key.ok()) return FromReader(key.status(), map_field, "map keys are unsigned integers");
      const bool known = *key < kKeys;
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
      TC_RETURN_IF_ERROR(visit(*key, fields[*key]));
    }
    if (map_field == Field::kNone) seen_top_ = seen;
    const uint32_t missing = required & ~seen;
    if (missing != 0) {
      return Fail(Problem::kMissingField, fields[std::countr_zero(missing)],
                  "required field missing", map_pos);
    }
    return Status::Ok();
  }

  Status Uint(Field f, uint64_t max, const char* range_message, uint64_t* out) {
    const size_t pos = r_.position();
    Result<uint64_t> v = r_.ReadUint();
    if (!v.ok()) return FromReader(v.status(), f, "expected an unsigned integer");
    if (*v > max) return Fail(Problem::kOutOfRange, f, range_message, pos);
    *out = *v;
    return Status::Ok();
  }

  template <typename T>
  Status Uint32(Field f, uint64_t min, uint64_t max, const char* range_message, T* out) {
    const size_t pos = r_.position();
    uint64_t v = 0;
    TC_RETURN_IF_ERROR(Uint(f, UINT64_MAX, range_message, &v));
    if (v < min || v > max) {
      return Fail(Problem::kOutOfRange, f, *range_message ? range_message : "value too large", pos);
    }
    *out = static_cast<T>(v);
    return Status::Ok();
  }

  template <typename E>
  Status Enum(Field f, uint8_t count, const char* range_message, E* out) {
    uint8_t v = 0;
    TC_RETURN_IF_ERROR(Uint32(f, 0, count - 1u, range_message, &v));
    *out = static_cast<E>(v);
    return Status::Ok();
  }

  Status Format(Field f) {
    const size_t pos = r_.position();
    uint64_t version = 0;
    TC_RETURN_IF_ERROR(Uint(f, UINT64_MAX, "", &version));
    if (version != kMetadataFormatVersion) {
      return Fail(Problem::kUnsupportedVersion, f, "only format version 1 is supported", pos);
    }
    return Status::Ok();
  }

  template <size_t N>
  Status Text(Field f, size_t min, const char* length_message, FixedText<N>* out) {
    const size_t pos = r_.position();
    Result<std::string_view> text = r_.ReadText();
    if (!text.ok()) return FromReader(text.status(), f, "expected a text string");
    if (text->size() < min || !out->Assign(*text).ok()) {
      return Fail(Problem::kOutOfRange, f, length_message, pos);
    }
    return Status::Ok();
  }

  Status Uid(Field f, image::Uid* out) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(Text(f, 1, "uid must be 1..32 bytes", out));
    if (!IsValidUid(out->view())) {
      return Fail(Problem::kInvalidValue, f,
                  "uid characters must be [A-Za-z0-9._-], first alphanumeric", pos);
    }
    return Status::Ok();
  }

  template <size_t N>
  Status Bytes(Field f, size_t min, size_t max, const char* length_message, FixedBytes<N>* out) {
    const size_t pos = r_.position();
    Result<std::span<const uint8_t>> bytes = r_.ReadBytes();
    if (!bytes.ok()) return FromReader(bytes.status(), f, "expected a byte string");
    if (bytes->size() < min || bytes->size() > max || !out->Assign(*bytes).ok()) {
      return Fail(Problem::kOutOfRange, f, length_message, pos);
    }
    return Status::Ok();
  }

  Status Digest(Field f, Sha256Digest* out) {
    FixedBytes<kSha256Size> bytes;
    TC_RETURN_IF_ERROR(Bytes(f, kSha256Size, kSha256Size, "a SHA-256 digest is 32 bytes", &bytes));
    for (size_t i = 0; i < kSha256Size; ++i) (*out)[i] = bytes.data()[i];
    return Status::Ok();
  }

  Status Entry(EntryPoints* e) {
    EntryName* names[] = {&e->init, &e->loop, &e->stop, &e->start};
    return ReadMap(Field::kEntry, kEntryFields, 0, [&](uint64_t key, Field f) {
      return Text(f, 1, "entry names are 1..31 bytes", names[key]);
    });
  }

  Status Quota(Quotas* q) {
    return ReadMap(Field::kQuotas, kQuotaFields, AllOf(4), [&](uint64_t key, Field f) {
      switch (key) {
        case 0:
          return Uint32(f, 1, UINT32_MAX, "memory_limit must be 1..4294967295", &q->memory_limit);
        case 1:
          return Uint32(f, 1, UINT32_MAX, "stack_bytes must be 1..4294967295", &q->stack_bytes);
        case 2: return Uint32(f, 0, UINT32_MAX, "", &q->kv_bytes);
        default: return Uint32(f, 0, 255, "max_handles must be 0..255", &q->max_handles);
      }
    });
  }

  Status ScheduleMap(Schedule* s) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(
        ReadMap(Field::kSchedule, kScheduleFields, AllOf(7), [&](uint64_t key, Field f) {
          switch (key) {
            case 0: return Uint32(f, 0, kMaxPriority, "priority must be 0..31", &s->priority);
            case 1: return Uint32(f, 0, UINT32_MAX, "", &s->period_us);
            case 2: return Uint32(f, 0, UINT32_MAX, "", &s->budget_us);
            case 3: return Uint32(f, 0, UINT32_MAX, "", &s->deadline_us);
            case 4: return Uint32(f, 0, UINT32_MAX, "", &s->slice_us);
            case 5:
              return Enum(f, kOverrunPolicyCount,
                          "on_overrun must be throttle (0), stop (1) or restart (2)",
                          &s->on_overrun);
            default: return Uint32(f, 0, 255, "max_restarts must be 0..255", &s->max_restarts);
          }
        }));
    return WithPosition(ValidateSchedule(*s, error_), pos);
  }

  Status PermissionsMap(Permissions* p) {
    const size_t pos = r_.position();
    TC_RETURN_IF_ERROR(
        ReadMap(Field::kPermissions, kPermissionFields, AllOf(3), [&](uint64_t key, Field f) {
          switch (key) {
            case 0: return Uint32(f, 0, kAllServices, "unknown service bit", &p->services);
            case 1: return Endpoints(&p->endpoints);
            default:
              return Enum(f, kViolationPolicyCount, "on_violation must be deny (0) or stop (1)",
                          &p->on_violation);
          }
        }));
    return WithPosition(ValidatePermissions(*p, error_), pos);
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
      TC_RETURN_IF_ERROR(
          ReadMap(Field::kEndpoint, kEndpointFields, AllOf(3), [&](uint64_t key, Field f) {
            switch (key) {
              case 0: return Uint32(f, 0, 255, "endpoint id must be 0..255", &e.id);
              case 1: return Peer(f, &e.peer);
              default:
                return Enum(f, kDirectionCount, "direction must be in (0), out (1) or both (2)",
                            &e.direction);
            }
          }));
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
    uint8_t kind = 0;
    TC_RETURN_IF_ERROR(
        Uint32(f, 0, 2, "peer kind must be local (0), container (1), remote (2)", &kind));
    peer->kind = static_cast<PeerKind>(kind);
    if (peer->kind == PeerKind::kRemote) {
      return Fail(Problem::kReserved, f, "remote peers are reserved for a later format version",
                  pos);
    }
    if (*count != 3) {
      return Fail(Problem::kInvalidValue, f,
                  "a peer is [0, device_class, address] or [1, uid, endpoint]", pos);
    }
    if (peer->kind == PeerKind::kLocal) {
      TC_RETURN_IF_ERROR(
          Enum(f, kDeviceClassCount, "unknown local device class", &peer->device_class));
      return Uint32(f, 0, UINT32_MAX, "", &peer->address);
    }
    TC_RETURN_IF_ERROR(Uid(f, &peer->container_uid));
    return Uint32(f, 0, 255, "peer endpoint id must be 0..255", &peer->container_endpoint);
  }

  // Cross-field rules found after a whole map was read point at the map's first byte.
  Status WithPosition(const Status& status, size_t pos) {
    if (status.ok()) return status;
    if (error_ != nullptr) error_->status = status.At(static_cast<uint32_t>(pos));
    return status.At(static_cast<uint32_t>(pos));
  }

  Status End() {
    Status end = r_.ExpectEnd();
    if (!end.ok())
      return Fail(Problem::kTrailingBytes, Field::kNone, "bytes after the top-level map",
                  end.position());
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
