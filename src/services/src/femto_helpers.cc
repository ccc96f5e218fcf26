// eBPF helpers with Femto-Containers' numbers and signatures, served by the same log, storage and
// clock as the tc services: printf into the container's log, memcpy inside the caller's memory,
// store/fetch of 32-bit values under 32-bit keys in the caller's key-value namespace, and the
// time in milliseconds.
#include "service_util.h"
#include "tc/services/femto_printf.h"
#include "tc/services/host_services.h"

namespace tc::services {
namespace {

using internal::OwnerOf;
using internal::Reply;

using runtime::HostAction;
using runtime::HostReply;

// Femto keys and values are stored as 4 little-endian bytes.
void PutLe32(uint32_t value, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

Status HostServices::RegisterFemtoHelpers(engine::Engine& engine) {
  using engine::HostFunction;
  using image::Service;
  using image::ServiceBit;
  if (ports_.log != nullptr) {
    engine::ServiceSpec printf;
    printf.fn = &FemtoPrintf;
    printf.context = this;
    printf.permission = ServiceBit(Service::kLog);
    printf.buffer_count = 1;
    printf.buffers[0].ptr_arg = 0;  // the format's first byte; its NUL is searched below
    printf.buffers[0].fixed_len = 1;
    TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kFemtoPrintf), printf));
    TC_RETURN_IF_ERROR(
        engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperPrintf, kFemtoPrintf}));
  }
  engine::ServiceSpec copy;
  copy.fn = &Memcpy;
  copy.context = this;
  // memcpy touches only the caller's own memory: any granted service suffices.
  copy.permission = image::kAllServices;
  copy.buffer_count = 2;
  copy.buffers[0] = {0, 2};
  copy.buffers[1] = {1, 2};
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kFemtoMemcpy), copy));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperMemcpy, kFemtoMemcpy}));

  engine::ServiceSpec now;
  now.fn = &NowMs;
  now.permission = ServiceBit(Service::kTime);
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kFemtoNowMs), now));
  TC_RETURN_IF_ERROR(engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperNowMs, kFemtoNowMs}));

  if (ports_.kv == nullptr) return Status::Ok();
  engine::ServiceSpec store;
  store.fn = &StoreLocal;
  store.context = this;
  store.permission = ServiceBit(Service::kKv);
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kFemtoStoreLocal), store));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperStoreLocal, kFemtoStoreLocal}));
  engine::ServiceSpec fetch = store;
  fetch.fn = &FetchLocal;
  fetch.buffer_count = 1;
  fetch.buffers[0].ptr_arg = 1;  // the u32 the value is fetched into
  fetch.buffers[0].fixed_len = 4;
  TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<HostFunction>(kFemtoFetchLocal), fetch));
  return engine.AddBinding({nullptr, nullptr, nullptr, kBpfHelperFetchLocal, kFemtoFetchLocal});
}

HostReply HostServices::FemtoPrintf(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  // The format runs from the byte the gate checked to its NUL, which must come within
  // kFemtoPrintfMaxFormat bytes and inside the caller's memory.
  const std::span<uint8_t> memory = call.host->memory.bytes();
  const size_t offset = static_cast<size_t>(call.resolved->buffers[0].data() - memory.data());
  const std::span<uint8_t> rest = memory.subspan(offset);
  size_t length = 0;
  while (length < rest.size() && length <= kFemtoPrintfMaxFormat && rest[length] != 0) ++length;
  if (length == rest.size() || length > kFemtoPrintfMaxFormat) {
    return Reply(engine::kGuestInvalidArgument);
  }
  const uint64_t values[kFemtoPrintfMaxValues] = {call.arg(1), call.arg(2), call.arg(3),
                                                  call.arg(4)};
  char text[kFemtoPrintfMaxLine + 1];
  const Result<size_t> n = FormatFemtoPrintf(
      std::string_view(reinterpret_cast<const char*>(rest.data()), length), values, text);
  if (!n.ok()) return Reply(engine::kGuestInvalidArgument);
  size_t size = *n;
  if (size > 0 && text[size - 1] == '\n') --size;  // Femto programs end their lines with \n
  if (!self->AdmitLine(*call.engine, call.container)) return Reply(kGuestLogDropped);
  self->ports_.log->Write(OwnerOf(call),
                          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text), size));
  return Reply(static_cast<int64_t>(size));
}

HostReply HostServices::Memcpy(void*, engine::ServiceCall& call) {
  const std::span<uint8_t> dest = call.resolved->buffers[0];
  const std::span<uint8_t> src = call.resolved->buffers[1];
  __builtin_memmove(dest.data(), src.data(), dest.size());  // regions may overlap
  return Reply(static_cast<int64_t>(call.arg(0)));          // Femto's memcpy returns dest
}

HostReply HostServices::NowMs(void*, engine::ServiceCall& call) {
  return Reply(static_cast<uint32_t>(call.engine->NowUs() / 1000));
}

HostReply HostServices::StoreLocal(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  uint8_t key[4];
  uint8_t value[4];
  PutLe32(static_cast<uint32_t>(call.arg(0)), key);
  PutLe32(static_cast<uint32_t>(call.arg(1)), value);
  return Reply(Store(*self->ports_.kv, call, key, value));
}

HostReply HostServices::FetchLocal(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  const std::span<uint8_t> out = call.resolved->buffers[0];
  uint8_t key[4];
  PutLe32(static_cast<uint32_t>(call.arg(0)), key);
  uint8_t value[4] = {};
  const auto length = self->ports_.kv->Get(OwnerOf(call), key, value);
  if (!length.ok())
    return Reply(length.status().code() == ErrorCode::kNotFound ? kGuestKvNotFound : kGuestIoError);
  if (*length != 4) return Reply(engine::kGuestInvalidArgument);  // a tc record, not a Femto one
  for (size_t i = 0; i < 4; ++i) out[i] = value[i];
  return Reply(0);
}

}  // namespace tc::services
