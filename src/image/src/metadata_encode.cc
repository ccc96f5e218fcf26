// Deterministic encoding: maps with their integer keys in ascending order, every required field
// written, optional ones only when present. Validation runs first, so nothing the decoder would
// refuse is ever produced.
#include "tc/image/metadata_codec.h"

namespace tc::image {

namespace {

using cbor::Writer;

Status WriteText(Writer* w, std::string_view text) { return w->WriteText(text); }

Status WriteSchedule(Writer* w, const Schedule& s) {
  TC_RETURN_IF_ERROR(w->WriteMapHeader(7));
  const uint64_t values[] = {s.priority,    s.period_us, s.budget_us,
                             s.deadline_us, s.slice_us,  static_cast<uint8_t>(s.on_overrun),
                             s.max_restarts};
  for (uint64_t key = 0; key < 7; ++key) {
    TC_RETURN_IF_ERROR(w->WriteUint(key));
    TC_RETURN_IF_ERROR(w->WriteUint(values[key]));
  }
  return Status::Ok();
}

Status WritePeer(Writer* w, const EndpointPeer& peer) {
  TC_RETURN_IF_ERROR(w->WriteArrayHeader(3));
  TC_RETURN_IF_ERROR(w->WriteUint(static_cast<uint8_t>(peer.kind)));
  if (peer.kind == PeerKind::kLocal) {
    TC_RETURN_IF_ERROR(w->WriteUint(static_cast<uint8_t>(peer.device_class)));
    return w->WriteUint(peer.address);
  }
  TC_RETURN_IF_ERROR(WriteText(w, peer.container_uid.view()));
  return w->WriteUint(peer.container_endpoint);
}

Status WritePermissions(Writer* w, const Permissions& p) {
  TC_RETURN_IF_ERROR(w->WriteMapHeader(3));
  TC_RETURN_IF_ERROR(w->WriteUint(0));
  TC_RETURN_IF_ERROR(w->WriteUint(p.services));
  TC_RETURN_IF_ERROR(w->WriteUint(1));
  TC_RETURN_IF_ERROR(w->WriteArrayHeader(p.endpoints.size()));
  for (const Endpoint& e : p.endpoints) {
    TC_RETURN_IF_ERROR(w->WriteMapHeader(3));
    TC_RETURN_IF_ERROR(w->WriteUint(0));
    TC_RETURN_IF_ERROR(w->WriteUint(e.id));
    TC_RETURN_IF_ERROR(w->WriteUint(1));
    TC_RETURN_IF_ERROR(WritePeer(w, e.peer));
    TC_RETURN_IF_ERROR(w->WriteUint(2));
    TC_RETURN_IF_ERROR(w->WriteUint(static_cast<uint8_t>(e.direction)));
  }
  TC_RETURN_IF_ERROR(w->WriteUint(2));
  return w->WriteUint(static_cast<uint8_t>(p.on_violation));
}

Status WriteEntry(Writer* w, const EntryPoints& e) {
  const EntryName* names[] = {&e.init, &e.loop, &e.stop, &e.start};
  uint64_t count = 0;
  for (const EntryName* name : names) count += name->empty() ? 0 : 1;
  TC_RETURN_IF_ERROR(w->WriteMapHeader(count));
  for (uint64_t key = 0; key < 4; ++key) {
    if (names[key]->empty()) continue;
    TC_RETURN_IF_ERROR(w->WriteUint(key));
    TC_RETURN_IF_ERROR(WriteText(w, names[key]->view()));
  }
  return Status::Ok();
}

Status WriteMetadata(Writer* w, const ContainerMetadata& m) {
  TC_RETURN_IF_ERROR(w->WriteMapHeader(11 + (m.has_not_after ? 1 : 0) + (m.has_data ? 2 : 0)));
  TC_RETURN_IF_ERROR(w->WriteUint(0));
  TC_RETURN_IF_ERROR(w->WriteUint(kMetadataFormatVersion));
  TC_RETURN_IF_ERROR(w->WriteUint(1));
  TC_RETURN_IF_ERROR(WriteText(w, m.uid.view()));
  TC_RETURN_IF_ERROR(w->WriteUint(2));
  TC_RETURN_IF_ERROR(w->WriteUint(m.version));
  TC_RETURN_IF_ERROR(w->WriteUint(3));
  TC_RETURN_IF_ERROR(w->WriteUint(static_cast<uint8_t>(m.runtime)));
  TC_RETURN_IF_ERROR(w->WriteUint(4));
  TC_RETURN_IF_ERROR(WriteEntry(w, m.entry));
  TC_RETURN_IF_ERROR(w->WriteUint(5));
  const uint64_t quota_keys = m.quotas.has_log_rate ? 6 : 4;
  TC_RETURN_IF_ERROR(w->WriteMapHeader(quota_keys));
  const uint64_t quotas[] = {m.quotas.memory_limit, m.quotas.stack_bytes,     m.quotas.kv_bytes,
                             m.quotas.max_handles,  m.quotas.log_lines_per_s, m.quotas.log_burst};
  for (uint64_t key = 0; key < quota_keys; ++key) {
    TC_RETURN_IF_ERROR(w->WriteUint(key));
    TC_RETURN_IF_ERROR(w->WriteUint(quotas[key]));
  }
  TC_RETURN_IF_ERROR(w->WriteUint(6));
  TC_RETURN_IF_ERROR(WriteSchedule(w, m.schedule));
  TC_RETURN_IF_ERROR(w->WriteUint(7));
  TC_RETURN_IF_ERROR(WritePermissions(w, m.permissions));
  if (m.has_not_after) {
    TC_RETURN_IF_ERROR(w->WriteUint(8));
    TC_RETURN_IF_ERROR(w->WriteUint(m.not_after));
  }
  TC_RETURN_IF_ERROR(w->WriteUint(9));
  TC_RETURN_IF_ERROR(w->WriteBytes(m.signer_kid.span()));
  TC_RETURN_IF_ERROR(w->WriteUint(10));
  TC_RETURN_IF_ERROR(w->WriteBytes(m.code_sha256));
  TC_RETURN_IF_ERROR(w->WriteUint(11));
  TC_RETURN_IF_ERROR(w->WriteUint(m.code_size));
  if (m.has_data) {
    TC_RETURN_IF_ERROR(w->WriteUint(12));
    TC_RETURN_IF_ERROR(w->WriteBytes(m.data_sha256));
    TC_RETURN_IF_ERROR(w->WriteUint(13));
    TC_RETURN_IF_ERROR(w->WriteUint(m.data_size));
  }
  return Status::Ok();
}

Status WriteUpdate(Writer* w, const ConfigUpdate& u) {
  TC_RETURN_IF_ERROR(w->WriteMapHeader(3 + (u.has_schedule ? 1 : 0) + (u.has_permissions ? 1 : 0)));
  TC_RETURN_IF_ERROR(w->WriteUint(0));
  TC_RETURN_IF_ERROR(w->WriteUint(kMetadataFormatVersion));
  TC_RETURN_IF_ERROR(w->WriteUint(1));
  TC_RETURN_IF_ERROR(WriteText(w, u.uid.view()));
  TC_RETURN_IF_ERROR(w->WriteUint(2));
  TC_RETURN_IF_ERROR(w->WriteUint(u.sequence));
  if (u.has_schedule) {
    TC_RETURN_IF_ERROR(w->WriteUint(3));
    TC_RETURN_IF_ERROR(WriteSchedule(w, u.schedule));
  }
  if (u.has_permissions) {
    TC_RETURN_IF_ERROR(w->WriteUint(4));
    TC_RETURN_IF_ERROR(WritePermissions(w, u.permissions));
  }
  return Status::Ok();
}

// A failed write (buffer full) leaves the caller's writer as it was.
template <typename T>
Status WriteWhole(cbor::Writer* out, const T& value, Status (*write)(Writer*, const T&)) {
  const size_t mark = out->size();
  Status status = write(out, value);
  if (!status.ok()) out->Rewind(mark);
  return status;
}

}  // namespace

Status EncodeMetadata(const ContainerMetadata& metadata, cbor::Writer* out, MetadataError* error) {
  TC_RETURN_IF_ERROR(ValidateMetadata(metadata, error));
  return WriteWhole(out, metadata, WriteMetadata);
}

Status EncodeConfigUpdate(const ConfigUpdate& update, cbor::Writer* out, MetadataError* error) {
  TC_RETURN_IF_ERROR(ValidateConfigUpdate(update, error));
  return WriteWhole(out, update, WriteUpdate);
}

}  // namespace tc::image
