// GET /logs, /audit and /trace: records numbered from 0, served from `since` on, as many as fit
// in one body (in the requested format); `next` says where to continue.
#include "reply.h"
#include "tc/mgmt/management.h"

namespace tc::mgmt {

using internal::Doc;
using internal::SendError;

namespace {

constexpr std::string_view kLogsQuery[] = {"since", "uid"};
constexpr std::string_view kSinceQuery[] = {"since"};

const char* TraceKindName(engine::TraceKind kind) {
  switch (kind) {
    case engine::TraceKind::kRun: return "run";
    case engine::TraceKind::kRelease: return "release";
    case engine::TraceKind::kDeadlineMiss: return "deadline_miss";
    case engine::TraceKind::kOverrun: return "overrun";
    case engine::TraceKind::kDenial: return "denial";
    case engine::TraceKind::kState: return "state";
  }
  return "?";
}

// Builds the page with the most records (of `available`) that fits the response body in
// `format`: a binary search over the record count, each try a complete document.
template <typename Build>
void SendPage(coap::Response& response, internal::Format format, std::span<uint8_t> scratch,
              size_t available, Build build) {
  auto fits = [&](size_t count) {
    Doc doc(scratch);
    build(doc, count);
    if (!doc.status().ok()) return false;
    return format == internal::Format::kCbor ||
           internal::JsonSize(doc.bytes()) <= coap::kBodyCapacity;
  };
  size_t low = 0;
  size_t high = available;
  while (low < high) {
    const size_t mid = low + (high - low + 1) / 2;
    if (fits(mid)) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  Doc doc(scratch);
  build(doc, low);
  internal::SendDocument(response, format, doc);
}

bool ParseSince(const coap::Request& request, coap::Response& response, const char* what,
                std::span<const std::string_view> allowed, uint64_t* since) {
  const internal::Query query(request.message);
  Status status = query.Check(allowed);
  if (status.ok()) {
    const Result<uint64_t> number = query.Number("since", 0);
    status = number.status();
    if (number.ok()) *since = *number;
  }
  if (!status.ok()) SendError(response, coap::code::kBadRequest, what, status);
  return status.ok();
}

}  // namespace

void Management::GetLogs(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  uint64_t since = 0;
  if (!ParseSince(request, response, "logs", kLogsQuery, &since)) return;
  std::string_view uid;
  const bool filtered = internal::Query(request.message).Find("uid", &uid);
  const LogRing& logs = m.logs_;
  const uint64_t start = since > logs.first() ? since : logs.first();
  const uint64_t dropped = since < logs.first() ? logs.first() - since : 0;
  auto matches = [&](const LogLine& line) { return !filtered || line.uid.view() == uid; };
  size_t available = 0;
  for (uint64_t n = start; n < logs.next(); ++n) available += matches(*logs.Find(n)) ? 1 : 0;

  SendPage(response, format, m.scratch_, available, [&](Doc& doc, size_t count) {
    // `next`: after the last line sent, or past everything when all matching lines are sent.
    uint64_t next = logs.next() > start ? logs.next() : start;
    size_t written = 0;
    for (uint64_t n = start; n < logs.next() && count < available; ++n) {
      if (!matches(*logs.Find(n))) continue;
      if (written++ == count) {
        next = n;
        break;
      }
    }
    doc.Map(3);
    doc.Pair("next", next);
    doc.Pair("dropped", dropped);
    doc.Text("lines");
    doc.Array(count);
    written = 0;
    for (uint64_t n = start; n < logs.next() && written < count; ++n) {
      const LogLine& line = *logs.Find(n);
      if (!matches(line)) continue;
      ++written;
      doc.Map(4);
      doc.Pair("n", line.number);
      doc.Pair("t", line.time_us);
      doc.Pair("uid", line.uid.view());
      doc.Pair("text", line.view());
    }
  });
}

void Management::GetAudit(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  uint64_t since = 0;
  if (!ParseSince(request, response, "audit", kSinceQuery, &since)) return;
  const auto& audit = m.engine_.audit_log();
  const uint64_t first = audit.dropped();
  const uint64_t end = first + audit.size();
  const uint64_t start = since > first ? (since < end ? since : end) : first;
  SendPage(response, format, m.scratch_, static_cast<size_t>(end - start),
           [&](Doc& doc, size_t count) {
             doc.Map(2);
             doc.Pair("next", start + count);
             doc.Text("entries");
             doc.Array(count);
             for (size_t i = 0; i < count; ++i) {
               const engine::AuditEntry& a = audit[static_cast<size_t>(start - first) + i];
               const engine::Container* c = m.engine_.Find(a.container);
               doc.Map(5);
               doc.Pair("n", start + i);
               doc.Pair("t", a.time_us);
               doc.Pair("uid", c != nullptr ? c->uid.view() : std::string_view());
               doc.Pair("service", a.service);
               doc.Pair("reason", engine::ToString(a.reason));
             }
           });
}

void Management::GetTrace(void* self, const coap::Request& request, coap::Response& response) {
  auto& m = *static_cast<Management*>(self);
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  uint64_t since = 0;
  if (!ParseSince(request, response, "trace", kSinceQuery, &since)) return;
  const auto& trace = m.engine_.trace();
  const uint64_t first = trace.dropped();
  const uint64_t end = first + trace.size();
  const uint64_t start = since > first ? (since < end ? since : end) : first;
  const std::span<const engine::Container> slots = m.engine_.containers();
  SendPage(
      response, format, m.scratch_, static_cast<size_t>(end - start), [&](Doc& doc, size_t count) {
        doc.Map(2);
        doc.Pair("next", start + count);
        doc.Text("events");
        doc.Array(count);
        for (size_t i = 0; i < count; ++i) {
          const engine::TraceEvent& e = trace[static_cast<size_t>(start - first) + i];
          doc.Map(7);
          doc.Pair("n", start + i);
          doc.Pair("t", e.time_us);
          doc.Pair("slot", e.slot);
          doc.Pair("uid", e.slot < slots.size() ? slots[e.slot].uid.view() : std::string_view());
          doc.Pair("kind", TraceKindName(e.kind));
          doc.Pair("aux", e.aux);
          doc.Pair("value", e.value);
        }
      });
}

}  // namespace tc::mgmt
