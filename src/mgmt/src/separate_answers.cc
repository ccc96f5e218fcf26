// Stop commands answered when the container has really stopped: the handler defers its CoAP
// answer (a separate response) while tc_stop runs, and PollAnswers completes it once the
// container has left `stopping` (tc_stop returned or the stop timeout forced it).
#include "reply.h"
#include "tc/mgmt/management.h"

namespace tc::mgmt {

namespace {

struct StopAnswer {
  Management* self;
  internal::Format format;
  std::string_view uid;
  const char* state;
};

}  // namespace

bool Management::DeferStop(coap::Response& response, uint32_t id, std::string_view uid, bool json) {
  for (PendingStop& p : stops_) {
    if (p.used) continue;
    const Result<coap::ExchangeId> exchange = response.Defer();
    if (!exchange.ok()) return false;
    p.used = true;
    p.exchange = *exchange;
    p.id = id;
    (void)p.uid.Assign(uid);  // fits: it is an installed container's uid
    p.json = json;
    return true;
  }
  return false;
}

coap::Outgoing Management::PollAnswers(coap::Server& server, uint32_t now_ms,
                                       std::span<uint8_t> buffer) {
  for (PendingStop& p : stops_) {
    if (!p.used) continue;
    const engine::Container* c = engine_.Find(p.id);
    if (c != nullptr && c->state == engine::State::kStopping) continue;
    p.used = false;
    // The container may have been replaced meanwhile (an update): answer with the uid's state.
    if (c == nullptr) {
      const Entry* entry = FindEntry(p.uid.view());
      c = entry != nullptr ? engine_.Find(entry->id) : nullptr;
    }
    StopAnswer answer{this, p.json ? internal::Format::kJson : internal::Format::kCbor,
                      p.uid.view(),
                      engine::ToString(c != nullptr ? c->state : engine::State::kRemoved)};
    const Result<coap::Outgoing> out =
        server.Complete(p.exchange, now_ms, &FillStopAnswer, &answer, buffer);
    if (out.ok()) return *out;
    Note("stop: separate answer not sent", p.uid.view(), out.status());
  }
  return {};
}

void Management::FillStopAnswer(void* context, coap::Response& response) {
  const auto* answer = static_cast<const StopAnswer*>(context);
  internal::SendCommandAnswer(response, answer->format, answer->self->scratch_, answer->uid,
                              answer->state);
}

}  // namespace tc::mgmt
