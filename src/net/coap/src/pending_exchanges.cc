#include "tc/net/coap/pending_exchanges.h"

#include <algorithm>

namespace tc::coap {

namespace {

constexpr uint32_t kSlotBits = 8;
static_assert(kPendingExchanges >= 1 && kPendingExchanges < (1u << kSlotBits));

// Milliseconds from `now` to `deadline` on the wrapping 32-bit clock, 0 when it has passed.
uint32_t Remaining(uint32_t deadline, uint32_t now) {
  const auto left = static_cast<int32_t>(deadline - now);
  return left > 0 ? static_cast<uint32_t>(left) : 0;
}

}  // namespace

Result<ExchangeId> PendingExchanges::Defer(uint64_t peer, const Message& request, uint32_t now_ms) {
  for (size_t i = 0; i < kPendingExchanges; ++i) {
    Slot& s = slots_[i];
    if (s.phase != Phase::kFree) continue;
    s.phase = Phase::kDeferred;
    // Use counts wrap inside the 24 bits above the slot; 0 is skipped so no id is 0.
    s.uses = (s.uses + 1) & ((1u << (32 - kSlotBits)) - 1);
    if (s.uses == 0) s.uses = 1;
    s.request.peer = peer;
    s.request.type = request.type;
    s.request.token_length = request.token_length;
    std::copy_n(request.token, request.token_length, s.request.token);
    s.request_id = request.message_id;
    s.since_ms = now_ms;
    return (s.uses << kSlotBits) | static_cast<uint32_t>(i);
  }
  return Status(ErrorCode::kResourceExhausted, "every pending-exchange slot is in use");
}

bool PendingExchanges::HasRequest(uint64_t peer, uint16_t message_id) const {
  return std::any_of(std::begin(slots_), std::end(slots_), [&](const Slot& s) {
    return s.phase != Phase::kFree && s.request.peer == peer && s.request_id == message_id;
  });
}

size_t PendingExchanges::IndexOf(ExchangeId id) const {
  const size_t index = id & ((1u << kSlotBits) - 1);
  if (index >= kPendingExchanges) return kPendingExchanges;
  const Slot& s = slots_[index];
  return s.phase == Phase::kFree || s.uses != (id >> kSlotBits) ? kPendingExchanges : index;
}

PendingExchanges::Slot* PendingExchanges::Lookup(ExchangeId id) {
  const size_t index = IndexOf(id);
  return index < kPendingExchanges ? &slots_[index] : nullptr;
}

Result<PendingExchanges::Request> PendingExchanges::Find(ExchangeId id) const {
  const size_t index = IndexOf(id);
  if (index == kPendingExchanges || slots_[index].phase != Phase::kDeferred) {
    return Status(ErrorCode::kNotFound,
                  "no deferred exchange with this id (completed, forgotten or never deferred)");
  }
  return slots_[index].request;
}

void PendingExchanges::Release(ExchangeId id) {
  if (Slot* s = Lookup(id)) s->phase = Phase::kFree;
}

Status PendingExchanges::Send(ExchangeId id, uint16_t message_id, std::span<const uint8_t> datagram,
                              uint32_t now_ms) {
  Slot* s = Lookup(id);
  if (s == nullptr || s->phase != Phase::kDeferred) {
    return Status(ErrorCode::kNotFound, "no deferred exchange with this id");
  }
  if (datagram.size() > kSeparateReplySize) {
    s->phase = Phase::kFree;
    return Status(ErrorCode::kOutOfRange, "separate response larger than its retransmit buffer");
  }
  s->phase = Phase::kSending;
  s->response_id = message_id;
  s->length = static_cast<uint16_t>(datagram.size());
  std::copy(datagram.begin(), datagram.end(), s->response);
  s->retransmits = 0;
  s->timeout_ms = kAckTimeoutMs + NextRandom() % (kAckRandomSpanMs + 1);
  s->since_ms = now_ms + s->timeout_ms;
  return Status::Ok();
}

bool PendingExchanges::Acknowledge(uint64_t peer, uint16_t message_id, bool reset) {
  for (Slot& s : slots_) {
    if (s.phase == Phase::kSending && s.request.peer == peer && s.response_id == message_id) {
      s.phase = Phase::kFree;
      if (reset) ++reset_by_peer_;
      return true;
    }
  }
  return false;
}

Outgoing PendingExchanges::Poll(uint32_t now_ms, std::span<uint8_t> buffer) {
  for (Slot& s : slots_) {
    if (s.phase == Phase::kDeferred && Remaining(s.since_ms + kDeferLifetimeMs, now_ms) == 0) {
      s.phase = Phase::kFree;
      ++forgotten_;
      continue;
    }
    if (s.phase != Phase::kSending || Remaining(s.since_ms, now_ms) != 0) continue;
    // A buffer too small for the response (a caller bug) gives it up rather than spin on it.
    if (s.retransmits == kMaxRetransmit || buffer.size() < s.length) {
      s.phase = Phase::kFree;
      ++given_up_;
      continue;
    }
    ++s.retransmits;
    s.timeout_ms *= 2;
    s.since_ms = now_ms + s.timeout_ms;
    std::copy_n(s.response, s.length, buffer.begin());
    return {buffer.first(s.length), s.request.peer};
  }
  return {};
}

uint32_t PendingExchanges::MsUntilDeadline(uint32_t now_ms) const {
  uint32_t soonest = UINT32_MAX;
  for (const Slot& s : slots_) {
    if (s.phase == Phase::kDeferred) {
      soonest = std::min(soonest, Remaining(s.since_ms + kDeferLifetimeMs, now_ms));
    } else if (s.phase == Phase::kSending) {
      soonest = std::min(soonest, Remaining(s.since_ms, now_ms));
    }
  }
  return soonest;
}

size_t PendingExchanges::in_use() const {
  return static_cast<size_t>(std::count_if(std::begin(slots_), std::end(slots_),
                                           [](const Slot& s) { return s.phase != Phase::kFree; }));
}

uint32_t PendingExchanges::NextRandom() {
  // xorshift32: enough to spread the first timeouts of several responses.
  random_ ^= random_ << 13;
  random_ ^= random_ >> 17;
  random_ ^= random_ << 5;
  return random_;
}

}  // namespace tc::coap
