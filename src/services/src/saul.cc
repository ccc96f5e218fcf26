// SAUL over declared device endpoints: find walks the caller's compact policy, read and write
// open the device for the one call (the gate has checked the endpoint reference, its permission,
// its direction and the phydat_t buffer) and convert between the device's format and phydat_t.
#include "tc/services/saul.h"

#include "service_util.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using internal::Reply;
using runtime::HostReply;

constexpr int32_t kInt16Max = 32767;
constexpr int32_t kInt16Min = -32768;

// The n-th (or the first matching) SAUL device among the caller's declared endpoints, as a
// reference; 0 (SAUL's NULL) when there is none.
template <typename Match>
int64_t FindEndpoint(const engine::ServiceCall& call, uint64_t n, Match match) {
  const engine::Container* c = call.engine->Find(call.container);
  if (c == nullptr) return 0;
  const engine::CompactPermissions& p = c->permissions;
  for (uint8_t i = 0; i < p.endpoint_count; ++i) {
    const engine::EndpointRule& e = p.endpoints[i];
    if (e.kind() != engine::PeerKind::kLocal) continue;
    const uint8_t saul_class =
        SaulClassOf(static_cast<image::DeviceClass>(e.detail), e.direction());
    if (saul_class == 0 || !match(saul_class)) continue;
    if (n-- == 0) return engine::EndpointRef(e.id);
  }
  return 0;
}

void PutLe16(int32_t value, uint8_t* out) {
  out[0] = static_cast<uint8_t>(value);
  out[1] = static_cast<uint8_t>(value >> 8);
}

// Milli-units scaled into an int16 with a power-of-ten exponent, rounded once (half away from
// zero) so -1256049 m becomes -12560 * 10^-1, not a double-rounded -12561.
void PutPhydat(int32_t milli, std::span<uint8_t> out) {
  const int64_t value = milli;
  int64_t scaled = value;
  int64_t divisor = 1;
  int8_t scale = -3;
  while (scaled > kInt16Max || scaled < kInt16Min) {
    divisor *= 10;
    ++scale;
    const int64_t half = divisor / 2;
    scaled = (value + (value < 0 ? -half : half)) / divisor;
  }
  for (uint8_t& b : out) b = 0;
  PutLe16(static_cast<int32_t>(scaled), out.data());
  out[6] = kUnitUndefined;
  out[7] = static_cast<uint8_t>(scale);
}

void PutState(uint8_t state, std::span<uint8_t> out) {
  for (uint8_t& b : out) b = 0;
  out[0] = state != 0 ? 1 : 0;
  out[6] = kUnitNone;
}

// The declared device the call is about, or the guest code that says why it is not one.
int32_t CheckSaulDevice(const DeviceTable* devices, const engine::Endpoint& declared) {
  if (declared.peer.kind != engine::PeerKind::kLocal) return kGuestNoDevice;
  if (SaulClassOf(declared.peer.device_class, declared.direction) == 0) {
    return kGuestDeviceNotSupported;
  }
  return devices == nullptr ? int32_t{engine::kGuestUnknownService} : 0;
}

}  // namespace

uint8_t SaulClassOf(image::DeviceClass cls, image::Direction direction) {
  switch (cls) {
    case image::DeviceClass::kLed: return kSaulActSwitch;
    case image::DeviceClass::kGpio:
      return direction == image::Direction::kIn ? kSaulSenseBtn : kSaulActSwitch;
    case image::DeviceClass::kSensor: return kSaulSenseAny;
    default: return 0;
  }
}

bool SaulTypeMatches(uint8_t type, uint8_t saul_class) {
  if (type == saul_class) return true;
  const uint8_t category = saul_class & kSaulCategoryMask;
  if (type == category) return true;  // SAUL_ACT_ANY / SAUL_SENSE_ANY
  return saul_class == kSaulSenseAny && (type & kSaulCategoryMask) == kSaulSenseAny &&
         type != kSaulSenseBtn;
}

Status SaulHelpers::Register(engine::Engine& engine) {
  const image::ServiceMask endpoint = image::ServiceBit(image::Service::kEndpoint);
  engine::ServiceSpec find;
  find.fn = &FindNth;
  find.context = this;
  find.permission = endpoint;
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kSaulFindNth), find));
  find.fn = &FindType;
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kSaulFindType), find));

  engine::ServiceSpec read;
  read.fn = &Read;
  read.context = this;
  read.permission = endpoint;
  read.endpoint = engine::EndpointUse::kDirect;
  read.access = engine::kAccessRead;
  read.buffer_count = 1;
  read.buffers[0].ptr_arg = 1;
  read.buffers[0].fixed_len = kPhydatSize;
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kSaulRead), read));
  engine::ServiceSpec write = read;
  write.fn = &Write;
  write.access = engine::kAccessWrite;
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kSaulWrite), write));

  TC_RETURN_IF_ERROR(
      engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperSaulFindNth, kSaulFindNth}));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperSaulFindType, kSaulFindType}));
  TC_RETURN_IF_ERROR(engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperSaulRead, kSaulRead}));
  return engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperSaulWrite, kSaulWrite});
}

HostReply SaulHelpers::FindNth(void*, engine::ServiceCall& call) {
  return Reply(FindEndpoint(call, call.arg(0), [](uint8_t) { return true; }));
}

HostReply SaulHelpers::FindType(void*, engine::ServiceCall& call) {
  const uint64_t type = call.arg(0);
  if (type > 0xFF) return Reply(0);
  return Reply(FindEndpoint(call, 0, [type](uint8_t saul_class) {
    return SaulTypeMatches(static_cast<uint8_t>(type), saul_class);
  }));
}

HostReply SaulHelpers::Read(void* self_ptr, engine::ServiceCall& call) {
  DeviceTable* devices = static_cast<SaulHelpers*>(self_ptr)->devices_;
  const engine::Endpoint& declared = *call.resolved->declared;
  if (const int32_t refused = CheckSaulDevice(devices, declared); refused != 0) {
    return Reply(refused);
  }
  const Result<uint32_t> token =
      devices->Open(declared.peer.device_class, declared.peer.address, engine::kAccessRead);
  if (!token.ok()) return Reply(DeviceGuestCode(token.status().code()));
  const bool sensor = declared.peer.device_class == image::DeviceClass::kSensor;
  uint8_t sample[4] = {};
  const Result<size_t> n = devices->Read(*token, std::span<uint8_t>(sample, sensor ? 4 : 1));
  devices->Close(*token);
  if (!n.ok()) return Reply(DeviceGuestCode(n.status().code()));
  if (*n != (sensor ? 4u : 1u)) return Reply(kGuestDeviceIo);
  const std::span<uint8_t> out = call.resolved->buffers[0];
  if (sensor) {
    const uint32_t raw = uint32_t{sample[0]} | uint32_t{sample[1]} << 8 |
                         uint32_t{sample[2]} << 16 | uint32_t{sample[3]} << 24;
    PutPhydat(static_cast<int32_t>(raw), out);
  } else {
    PutState(sample[0], out);
  }
  return Reply(1);  // dimensions read, as saul_reg_read answers
}

HostReply SaulHelpers::Write(void* self_ptr, engine::ServiceCall& call) {
  DeviceTable* devices = static_cast<SaulHelpers*>(self_ptr)->devices_;
  const engine::Endpoint& declared = *call.resolved->declared;
  if (const int32_t refused = CheckSaulDevice(devices, declared); refused != 0) {
    return Reply(refused);
  }
  const std::span<uint8_t> in = call.resolved->buffers[0];
  const uint8_t level = (in[0] | in[1]) != 0 ? 1 : 0;  // val[0] != 0
  const Result<uint32_t> token =
      devices->Open(declared.peer.device_class, declared.peer.address, engine::kAccessWrite);
  if (!token.ok()) return Reply(DeviceGuestCode(token.status().code()));
  const Result<size_t> n = devices->Write(*token, std::span<const uint8_t>(&level, 1));
  devices->Close(*token);
  if (!n.ok()) return Reply(DeviceGuestCode(n.status().code()));
  return Reply(1);  // dimensions written, as saul_reg_write answers
}

}  // namespace tc::services
