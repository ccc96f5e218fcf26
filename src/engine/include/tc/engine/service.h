// A host service as the gate sees it: the function to call and what the gate must check before
// calling it (which arguments are buffers, whether it opens/uses/closes an endpoint handle,
// which quota it consumes). The checks are data, so every service gets the same gate.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "tc/engine/policy.h"
#include "tc/runtime/runtime.h"

namespace tc::engine {

class Engine;

inline constexpr uint8_t kNoArg = 0xFF;

struct BufferArg {
  uint8_t ptr_arg = kNoArg;  // index of the guest address argument
  uint8_t len_arg = kNoArg;  // index of the length argument; kNoArg: the length is fixed_len
  uint8_t fixed_len = 0;     // the size of a fixed-layout structure (e.g. SAUL's phydat_t)
};

enum class EndpointUse : uint8_t {
  kNone,
  kOpen,    // args[0] = endpoint id, args[1] = access (kAccessRead/Write); reply = backend token
  kHandle,  // args[0] = handle; the handle must have been opened with `access`
  kClose,   // args[0] = handle; the engine frees it after the call
  // args[0] = an endpoint reference (EndpointRef, guest_abi.h) used for this call only: checked
  // like kOpen with the spec's `access`, no handle taken (SAUL-style device calls).
  kDirect,
};

enum class QuotaUse : uint8_t {
  kNone,
  kKvBytes,  // the length argument `quota_len_arg` must fit in the container's remaining kv quota
};

// What the gate resolved for services that declare checks: buffers inside the caller's memory and
// the handle or endpoint the call is about.
struct Resolved {
  std::span<uint8_t> buffers[2];       // the spec's BufferArgs, in order
  uint32_t token = 0;                  // kHandle/kClose: the backend token stored at open
  uint8_t endpoint = 0;                // kOpen/kHandle/kClose/kDirect: the endpoint id
  const Endpoint* declared = nullptr;  // kOpen/kDirect: the endpoint's declaration
};

// What a service function receives. Kept to four words so a permitted call with nothing to
// check costs little more than the permission test (docs/engine.md, "Costs").
struct ServiceCall {
  Engine* engine = nullptr;
  uint32_t container = 0;                   // container id
  const runtime::HostCall* host = nullptr;  // service number, arguments, caller memory
  const Resolved* resolved = nullptr;       // null unless the spec declares checks
  uint64_t arg(size_t i) const { return host->args[i]; }
};

using ServiceFn = runtime::HostReply (*)(void* context, ServiceCall& call);

// Key-value bytes a uid already holds in the port's storage. Records outlive a remove, so install
// asks this (Engine::SetKvUsageSource) to charge a reinstalled container its true usage.
using KvUsageFn = Result<uint64_t> (*)(void* context, std::string_view owner);

struct ServiceSpec {
  ServiceFn fn = nullptr;
  void* context = nullptr;
  // Permission bits of which the caller needs one; 0 = DefaultPermission() of the function.
  ServiceMask permission = 0;
  // Set by RegisterService: the spec declares checks beyond the permission bit.
  bool checked = false;
  EndpointUse endpoint = EndpointUse::kNone;
  uint8_t access = kAccessRead;  // kHandle/kDirect: what the call does with the endpoint
  uint8_t buffer_count = 0;
  BufferArg buffers[2];
  QuotaUse quota = QuotaUse::kNone;
  uint8_t quota_len_arg = kNoArg;
};

}  // namespace tc::engine
