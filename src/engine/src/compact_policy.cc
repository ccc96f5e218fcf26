#include "tc/engine/compact_policy.h"

namespace tc::engine {

Status CompactPermissionsOf(const Permissions& permissions, NameTable& names,
                            CompactPermissions* out) {
  CompactPermissions compact;
  compact.services = permissions.services;
  compact.on_violation = permissions.on_violation;
  for (const Endpoint& e : permissions.endpoints) {
    EndpointRule& rule = compact.endpoints[compact.endpoint_count];
    rule.id = e.id;
    rule.kind_direction = static_cast<uint8_t>(static_cast<uint8_t>(e.peer.kind) |
                                               static_cast<uint8_t>(e.direction) << 2);
    if (e.peer.kind == PeerKind::kContainer) {
      rule.detail = e.peer.container_endpoint;
      const Result<uint8_t> uid = names.Intern(e.peer.container_uid.view());
      if (!uid.ok()) {
        ReleaseNames(compact, names);
        return uid.status();
      }
      rule.peer_uid = *uid;
    } else {
      rule.detail = static_cast<uint8_t>(e.peer.device_class);
      rule.address = e.peer.address;
    }
    ++compact.endpoint_count;
  }
  *out = compact;
  return Status::Ok();
}

void ReleaseNames(const CompactPermissions& permissions, NameTable& names) {
  for (uint8_t i = 0; i < permissions.endpoint_count; ++i) {
    names.Release(permissions.endpoints[i].peer_uid);
  }
}

image::Endpoint ExpandEndpoint(const EndpointRule& rule, const NameTable& names) {
  image::Endpoint e;
  e.id = rule.id;
  e.direction = rule.direction();
  e.peer.kind = rule.kind();
  if (e.peer.kind == PeerKind::kContainer) {
    (void)e.peer.container_uid.Assign(names.View(rule.peer_uid));
    e.peer.container_endpoint = rule.detail;
  } else {
    e.peer.device_class = static_cast<image::DeviceClass>(rule.detail);
    e.peer.address = rule.address;
  }
  return e;
}

Permissions ExpandPermissions(const CompactPermissions& permissions, const NameTable& names) {
  Permissions p;
  p.services = permissions.services;
  p.on_violation = permissions.on_violation;
  for (uint8_t i = 0; i < permissions.endpoint_count; ++i) {
    (void)p.endpoints.emplace_back(ExpandEndpoint(permissions.endpoints[i], names));
  }
  return p;
}

Status InternEntryNames(const image::EntryPoints& entry, NameTable& names, EntryNameRefs& out) {
  const image::EntryName* by_entry[runtime::kEntryCount] = {};
  by_entry[static_cast<size_t>(runtime::Entry::kInit)] = &entry.init;
  by_entry[static_cast<size_t>(runtime::Entry::kLoop)] = &entry.loop;
  by_entry[static_cast<size_t>(runtime::Entry::kStop)] = &entry.stop;
  by_entry[static_cast<size_t>(runtime::Entry::kStart)] = &entry.start;
  EntryNameRefs refs = {kNoName, kNoName, kNoName, kNoName};
  for (size_t i = 0; i < runtime::kEntryCount; ++i) {
    const Result<uint8_t> index = names.Intern(by_entry[i]->view());
    if (!index.ok()) {
      ReleaseEntryNames(refs, names);
      return index.status();
    }
    refs[i] = *index;
  }
  for (size_t i = 0; i < runtime::kEntryCount; ++i) out[i] = refs[i];
  return Status::Ok();
}

void ReleaseEntryNames(EntryNameRefs& refs, NameTable& names) {
  for (uint8_t& r : refs) {
    names.Release(r);
    r = kNoName;
  }
}

}  // namespace tc::engine
