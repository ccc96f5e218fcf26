// GET /status, /containers, /container and /stats: the device and its containers as CBOR maps
// (JSON with Accept: 50). Policy fields use the key names and value spellings of the JSON
// manifest (docs/metadata.md) so a client can derive a config update from them.
#include "reply.h"
#include "tc/mgmt/management.h"

namespace tc::mgmt {

using internal::Doc;
using internal::SendError;

namespace {

constexpr std::string_view kUidOnly[] = {"uid"};

void WriteQuotas(Doc& doc, const image::Quotas& q) {
  doc.Map(4);
  doc.Pair("memory_limit", q.memory_limit);
  doc.Pair("stack_bytes", q.stack_bytes);
  doc.Pair("kv_bytes", q.kv_bytes);
  doc.Pair("max_handles", q.max_handles);
}

void WriteSchedule(Doc& doc, const image::Schedule& s) {
  doc.Map(7);
  doc.Pair("priority", s.priority);
  doc.Pair("period_us", s.period_us);
  doc.Pair("budget_us", s.budget_us);
  doc.Pair("deadline_us", s.deadline_us);
  doc.Pair("slice_us", s.slice_us);
  doc.Pair("on_overrun", image::OverrunPolicyName(s.on_overrun));
  doc.Pair("max_restarts", s.max_restarts);
}

void WritePermissions(Doc& doc, const image::Permissions& p) {
  doc.Map(3);
  size_t services = 0;
  for (uint8_t s = 0; s < image::kServiceCount; ++s) {
    services += (p.services & image::ServiceBit(static_cast<image::Service>(s))) != 0 ? 1 : 0;
  }
  doc.Text("services");
  doc.Array(services);
  for (uint8_t s = 0; s < image::kServiceCount; ++s) {
    const auto service = static_cast<image::Service>(s);
    if ((p.services & image::ServiceBit(service)) != 0) doc.Text(image::ServiceName(service));
  }
  doc.Text("endpoints");
  doc.Array(p.endpoints.size());
  for (const image::Endpoint& e : p.endpoints) {
    doc.Map(3);
    doc.Pair("id", e.id);
    doc.Text("peer");
    doc.Map(2);
    if (e.peer.kind == image::PeerKind::kContainer) {
      doc.Pair("container", e.peer.container_uid.view());
      doc.Pair("endpoint", e.peer.container_endpoint);
    } else {
      doc.Pair("local", image::DeviceClassName(e.peer.device_class));
      doc.Pair("address", e.peer.address);
    }
    doc.Pair("direction", image::DirectionName(e.direction));
  }
  doc.Pair("on_violation", image::ViolationPolicyName(p.on_violation));
}

}  // namespace

void Management::GetStatus(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  const internal::Query query(request.message);
  const Status checked = query.Check({});
  if (!checked.ok()) return SendError(response, coap::code::kBadRequest, "status", checked);
  size_t containers = 0;
  for (const Entry& e : m.entries_) containers += e.used ? 1 : 0;
  size_t pool_free = 0;
  for (const engine::Container& c : m.engine_.containers()) {
    const bool live = c.state != engine::State::kEmpty && c.state != engine::State::kRemoved;
    const size_t used = live ? m.engine_.MemoryInUse(c.id) : 0;
    pool_free += c.region.size() > used ? c.region.size() - used : 0;
  }
  Doc doc(m.scratch_);
  doc.Map(7);
  doc.Pair("name", m.config_.name);
  doc.Pair("version", m.config_.version);
  doc.Pair("uptime_us", m.engine_.NowUs() - m.started_us_);
  doc.Pair("seq", m.sequence_);
  doc.Pair("containers", containers);
  doc.Pair("slots", engine::kMaxContainers);
  doc.Pair("pool_free", pool_free);
  internal::SendDocument(response, format, doc);
}

void Management::GetContainers(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  const Status checked = internal::Query(request.message).Check({});
  if (!checked.ok()) return SendError(response, coap::code::kBadRequest, "containers", checked);
  size_t count = 0;
  for (const Entry& e : m.entries_) count += e.used ? 1 : 0;
  Doc doc(m.scratch_);
  doc.Map(1);
  doc.Text("containers");
  doc.Array(count);
  for (const Entry& e : m.entries_) {
    if (!e.used) continue;
    const engine::Container* c = m.engine_.Find(e.id);
    doc.Map(7);
    doc.Pair("id", e.id);
    doc.Pair("uid", e.uid.view());
    doc.Pair("version", e.version);
    doc.Pair("runtime", image::RuntimeKindName(e.runtime));
    doc.Pair("state", engine::ToString(c != nullptr ? c->state : engine::State::kRemoved));
    doc.Pair("priority", c != nullptr ? c->schedule.priority : 0);
    doc.Pair("period_us", c != nullptr ? c->schedule.period_us : 0);
  }
  internal::SendDocument(response, format, doc);
}

void Management::GetContainer(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  const internal::Query query(request.message);
  Status checked = query.Check(kUidOnly);
  std::string_view uid;
  if (checked.ok() && !query.Find("uid", &uid)) {
    checked = Status(ErrorCode::kNotFound, "query uid=U is required");
  }
  if (!checked.ok()) return SendError(response, coap::code::kBadRequest, "container", checked);
  const Entry* e = m.FindEntry(uid);
  const engine::Container* c = e != nullptr ? m.engine_.Find(e->id) : nullptr;
  if (c == nullptr) {
    return SendError(response, coap::code::kNotFound, "container", "no container with this uid");
  }
  Doc doc(m.scratch_);
  doc.Map(9);
  doc.Pair("id", e->id);
  doc.Pair("uid", e->uid.view());
  doc.Pair("version", e->version);
  doc.Pair("runtime", image::RuntimeKindName(e->runtime));
  doc.Pair("state", engine::ToString(c->state));
  doc.Pair("config_seq", c->config_sequence);
  doc.Text("quotas");
  WriteQuotas(doc, c->quotas);
  doc.Text("schedule");
  WriteSchedule(doc, c->schedule);
  doc.Text("permissions");
  WritePermissions(doc, m.engine_.PermissionsOf(*c));
  internal::SendDocument(response, format, doc);
}

void Management::GetStats(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  const internal::Query query(request.message);
  const Status checked = query.Check(kUidOnly);
  if (!checked.ok()) return SendError(response, coap::code::kBadRequest, "stats", checked);
  std::string_view uid;
  const bool one = query.Find("uid", &uid);
  if (one && m.FindEntry(uid) == nullptr) {
    return SendError(response, coap::code::kNotFound, "stats", "no container with this uid");
  }
  size_t count = 0;
  for (const Entry& e : m.entries_) count += e.used && (!one || e.uid.view() == uid) ? 1 : 0;
  Doc doc(m.scratch_);
  doc.Map(1);
  doc.Text("stats");
  doc.Array(count);
  for (const Entry& e : m.entries_) {
    if (!e.used || (one && e.uid.view() != uid)) continue;
    const engine::Container* c = m.engine_.Find(e.id);
    const engine::ContainerCounters counters =
        c != nullptr ? c->counters : engine::ContainerCounters{};
    doc.Map(12);
    doc.Pair("uid", e.uid.view());
    doc.Pair("state", engine::ToString(c != nullptr ? c->state : engine::State::kRemoved));
    doc.Pair("cpu_us", counters.cpu_time_us);
    doc.Pair("activations", counters.activations);
    doc.Pair("misses", counters.deadline_misses);
    doc.Pair("overruns", counters.overruns);
    doc.Pair("restarts", counters.restarts);
    doc.Pair("traps", counters.traps);
    doc.Pair("host_calls", counters.host_calls);
    doc.Pair("denials", counters.denials);
    doc.Pair("preemptions", counters.preemptions);
    doc.Pair("memory", m.engine_.MemoryInUse(e.id));
  }
  internal::SendDocument(response, format, doc);
}

}  // namespace tc::mgmt
