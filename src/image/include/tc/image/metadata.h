// Container metadata v1 (docs/metadata.md, docs/metadata.cddl): what a signed image says about the
// container it carries. Fixed capacity throughout so the device holds it without a heap.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "tc/base/fixed_vector.h"
#include "tc/image/fixed_text.h"

namespace tc::image {

inline constexpr uint64_t kMetadataFormatVersion = 1;
inline constexpr size_t kMaxUidLength = 32;
inline constexpr size_t kMaxEntryNameLength = 31;
inline constexpr size_t kMaxEndpoints = 8;
inline constexpr size_t kMaxKidLength = 16;
inline constexpr size_t kSha256Size = 32;
inline constexpr uint8_t kMaxPriority = 31;
// Keys at or above this value are extensions: decoders that do not know them skip them.
inline constexpr uint64_t kFirstExtensionKey = 256;

using Uid = FixedText<kMaxUidLength>;
using EntryName = FixedText<kMaxEntryNameLength>;
using Kid = FixedBytes<kMaxKidLength>;
using Sha256Digest = std::array<uint8_t, kSha256Size>;

enum class RuntimeKind : uint8_t { kWasm = 0, kEbpf = 1 };
inline constexpr uint8_t kRuntimeKindCount = 2;

// Exported functions the engine calls. Periodic containers have `loop` (with optional `init` and
// `stop`); one-shot containers have `start` only. An empty name means "not present".
struct EntryPoints {
  EntryName init;
  EntryName loop;
  EntryName stop;
  EntryName start;
  friend bool operator==(const EntryPoints&, const EntryPoints&) = default;
};

// Bounds of the optional log rate (one line per microsecond is the finest the engine's clock sees).
inline constexpr uint32_t kMaxLogLinesPerSecond = 1000000;
inline constexpr uint32_t kMaxLogBurst = 1000000;

struct Quotas {
  uint32_t memory_limit = 0;  // bytes of linear memory; may be below one 64 KiB wasm page
  uint32_t stack_bytes = 0;
  uint32_t kv_bytes = 0;    // key-value store quota, 0 = none
  uint8_t max_handles = 0;  // endpoint/channel handles open at once
  // The container's own log rate (token bucket); absent = the device's default.
  bool has_log_rate = false;
  uint32_t log_lines_per_s = 0;  // refill, 0..kMaxLogLinesPerSecond (0: the burst, then nothing)
  uint32_t log_burst = 0;        // lines at once, 1..kMaxLogBurst
  friend bool operator==(const Quotas&, const Quotas&) = default;
};

enum class OverrunPolicy : uint8_t { kThrottle = 0, kStop = 1, kRestart = 2 };
inline constexpr uint8_t kOverrunPolicyCount = 3;

struct Schedule {
  uint8_t priority = 0;      // 0..kMaxPriority, higher runs first
  uint32_t period_us = 0;    // activation period of `loop`; 0 = not periodic
  uint32_t budget_us = 0;    // CPU time per activation; 0 = unlimited
  uint32_t deadline_us = 0;  // relative to activation; 0 = the period
  uint32_t slice_us = 0;     // round-robin slice among equal priorities; 0 = engine default
  OverrunPolicy on_overrun = OverrunPolicy::kThrottle;
  uint8_t max_restarts = 0;
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// Host services a container may call; a permission set is a bitmask of ServiceBit()s.
enum class Service : uint8_t {
  kLog = 0,
  kTime = 1,
  kSleep = 2,
  kYield = 3,
  kEndpoint = 4,
  kChannel = 5,
  kKv = 6,
  kRandom = 7,
  kMl = 8,
  kWasi = 9,
};
inline constexpr uint8_t kServiceCount = 10;
using ServiceMask = uint32_t;
constexpr ServiceMask ServiceBit(Service s) { return ServiceMask{1} << static_cast<uint8_t>(s); }
inline constexpr ServiceMask kAllServices = (ServiceMask{1} << kServiceCount) - 1;

enum class PeerKind : uint8_t { kLocal = 0, kContainer = 1, kRemote = 2 };
enum class DeviceClass : uint8_t {
  kGpio = 0,
  kLed = 1,
  kI2c = 2,
  kSpi = 3,
  kUart = 4,
  kSensor = 5
};
inline constexpr uint8_t kDeviceClassCount = 6;
enum class Direction : uint8_t { kIn = 0, kOut = 1, kBoth = 2 };
inline constexpr uint8_t kDirectionCount = 3;

// Who is at the other end of an endpoint. kRemote is reserved in v1 (decoders reject it).
struct EndpointPeer {
  PeerKind kind = PeerKind::kLocal;
  DeviceClass device_class = DeviceClass::kGpio;  // kLocal
  uint32_t address = 0;                           // kLocal: pin, bus address or port
  Uid container_uid;                              // kContainer
  uint8_t container_endpoint = 0;                 // kContainer: the peer's endpoint id
  friend bool operator==(const EndpointPeer&, const EndpointPeer&) = default;
};

struct Endpoint {
  uint8_t id = 0;  // unique within the container; what the guest passes to open()
  EndpointPeer peer;
  Direction direction = Direction::kIn;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

enum class ViolationPolicy : uint8_t { kDeny = 0, kStop = 1 };
inline constexpr uint8_t kViolationPolicyCount = 2;

struct Permissions {
  ServiceMask services = 0;
  FixedVector<Endpoint, kMaxEndpoints> endpoints;
  ViolationPolicy on_violation = ViolationPolicy::kDeny;
};
bool operator==(const Permissions& a, const Permissions& b);

struct ContainerMetadata {
  Uid uid;
  uint32_t version = 0;  // anti-rollback: an update must not lower it
  RuntimeKind runtime = RuntimeKind::kWasm;
  EntryPoints entry;
  Quotas quotas;
  Schedule schedule;
  Permissions permissions;
  bool has_not_after = false;
  uint64_t not_after = 0;  // seconds since the Unix epoch; the image is refused after it
  Kid signer_kid;
  Sha256Digest code_sha256 = {};
  uint32_t code_size = 0;
  bool has_data = false;
  Sha256Digest data_sha256 = {};
  uint32_t data_size = 0;
  friend bool operator==(const ContainerMetadata&, const ContainerMetadata&) = default;
};

// A signed change of a running container's schedule and/or permissions (docs/metadata.md).
struct ConfigUpdate {
  Uid uid;
  uint64_t sequence = 0;  // strictly increasing per container; the engine refuses replays
  bool has_schedule = false;
  Schedule schedule;
  bool has_permissions = false;
  Permissions permissions;
  friend bool operator==(const ConfigUpdate&, const ConfigUpdate&) = default;
};

// Readable names used by the manifest, tinyctl and logs ("wasm", "throttle", "i2c", ...).
const char* RuntimeKindName(RuntimeKind kind);
const char* OverrunPolicyName(OverrunPolicy policy);
const char* ServiceName(Service service);
const char* DeviceClassName(DeviceClass device_class);
const char* DirectionName(Direction direction);
const char* ViolationPolicyName(ViolationPolicy policy);

}  // namespace tc::image
