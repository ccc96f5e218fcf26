// The engine's run-time form of a container's permissions and entry names (docs/engine.md,
// "Per-container RAM"). image::Permissions keeps every endpoint's peer uid inline (428 bytes on
// Cortex-M4); here an endpoint is 8 bytes and a peer uid is a one-byte index into the engine's
// NameTable, so the whole policy is 72 bytes and the gate still tests the service mask with one
// AND and finds an endpoint in at most kMaxEndpoints compares.
#pragma once

#include <cstdint>

#include "tc/base/status.h"
#include "tc/engine/name_table.h"
#include "tc/engine/policy.h"
#include "tc/runtime/runtime.h"

namespace tc::engine {

// One declared endpoint.
struct EndpointRule {
  uint32_t address = 0;  // local peer: pin, bus address or port
  uint8_t id = 0;
  uint8_t kind_direction = 0;  // PeerKind in bits 0..1, Direction in bits 2..3
  uint8_t detail = 0;          // local: DeviceClass; container: the peer's endpoint id
  uint8_t peer_uid = kNoName;  // container peer: its uid in the NameTable

  PeerKind kind() const { return static_cast<PeerKind>(kind_direction & 3); }
  Direction direction() const { return static_cast<Direction>(kind_direction >> 2 & 3); }
};
static_assert(sizeof(EndpointRule) == 8);

struct CompactPermissions {
  ServiceMask services = 0;
  ViolationPolicy on_violation = ViolationPolicy::kDeny;
  uint8_t endpoint_count = 0;
  EndpointRule endpoints[image::kMaxEndpoints];

  // The declared endpoint with this id, or null.
  const EndpointRule* Find(uint64_t id) const {
    for (uint8_t i = 0; i < endpoint_count; ++i) {
      if (endpoints[i].id == id) return &endpoints[i];
    }
    return nullptr;
  }
};

// Interns the peer uids and builds the compact form. All or nothing: on failure (name table
// full) nothing stays interned and `out` is untouched.
Status CompactPermissionsOf(const Permissions& permissions, NameTable& names,
                            CompactPermissions* out);
void ReleaseNames(const CompactPermissions& permissions, NameTable& names);
// The metadata form again (for services that get the declaration, and for observation).
image::Endpoint ExpandEndpoint(const EndpointRule& rule, const NameTable& names);
Permissions ExpandPermissions(const CompactPermissions& permissions, const NameTable& names);

// Entry-point export names, one NameTable index per runtime::Entry (kNoName: absent).
using EntryNameRefs = uint8_t[runtime::kEntryCount];
Status InternEntryNames(const image::EntryPoints& entry, NameTable& names, EntryNameRefs& out);
void ReleaseEntryNames(EntryNameRefs& refs, NameTable& names);

}  // namespace tc::engine
