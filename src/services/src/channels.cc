// Channels: the gate has checked that the endpoint is declared with a container peer, that the
// caller holds the channel permission and that the handle's access covers read or write; the
// router sends only channel handles here. These functions find the channel, move messages and
// wake a blocked reader.
#include "tc/services/channels.h"

#include "service_util.h"

namespace tc::services {
namespace {

using internal::Reply;
using runtime::HostAction;
using runtime::HostReply;

// The handle token: channel slot and which end the holder is.
constexpr uint32_t Token(size_t slot, int side) { return static_cast<uint32_t>(slot * 2 + side); }
constexpr size_t SlotOf(uint32_t token) { return token / 2; }
constexpr int SideOf(uint32_t token) { return static_cast<int>(token % 2); }

// Orders ends so the pair {a, b} has one canonical form.
int Compare(std::string_view uid_a, uint8_t ep_a, std::string_view uid_b, uint8_t ep_b) {
  const int c = uid_a.compare(uid_b);
  if (c != 0) return c;
  return static_cast<int>(ep_a) - static_cast<int>(ep_b);
}

}  // namespace

size_t Channels::Pending(std::string_view uid, uint8_t endpoint, std::string_view peer_uid,
                         uint8_t peer_endpoint) const {
  for (const Channel& ch : channels_) {
    for (int side = 0; side < 2; ++side) {
      const End& mine = ch.ends[side];
      const End& theirs = ch.ends[1 - side];
      if (ch.used && mine.uid.view() == uid && mine.endpoint == endpoint &&
          theirs.uid.view() == peer_uid && theirs.endpoint == peer_endpoint) {
        return ch.to_end[side].size();
      }
    }
  }
  return 0;
}

HostReply Channels::Open(engine::ServiceCall& call) {
  const engine::Endpoint& declared = *call.resolved->declared;
  const std::string_view me = internal::OwnerOf(call);
  const std::string_view peer = declared.peer.container_uid.view();
  const int order = Compare(me, declared.id, peer, declared.peer.container_endpoint);
  if (order == 0) return Reply(engine::kGuestInvalidArgument);  // a channel to itself
  const int side = order < 0 ? 0 : 1;

  Channel* free_slot = nullptr;
  for (size_t i = 0; i < kChannelCount; ++i) {
    Channel& ch = channels_[i];
    if (!ch.used) {
      if (free_slot == nullptr) free_slot = &ch;
      continue;
    }
    const End& mine = ch.ends[side];
    const End& theirs = ch.ends[1 - side];
    if (mine.uid.view() == me && mine.endpoint == declared.id && theirs.uid.view() == peer &&
        theirs.endpoint == declared.peer.container_endpoint) {
      return Reply(Token(i, side));
    }
  }
  if (free_slot == nullptr) return Reply(kGuestNoChannel);
  Channel& ch = *free_slot;
  ch = Channel{};
  ch.used = true;
  (void)ch.ends[side].uid.Assign(me);
  ch.ends[side].endpoint = declared.id;
  ch.ends[1 - side].uid = declared.peer.container_uid;
  ch.ends[1 - side].endpoint = declared.peer.container_endpoint;
  return Reply(Token(static_cast<size_t>(free_slot - channels_), side));
}

int64_t Channels::Deliver(const Message& m, std::span<uint8_t> out) {
  const size_t n = out.size() < m.length ? out.size() : m.length;
  for (size_t i = 0; i < n; ++i) out[i] = m.bytes[i];
  return static_cast<int64_t>(n);
}

HostReply Channels::Read(engine::ServiceCall& call) {
  const uint32_t token = call.resolved->token;
  Channel& ch = channels_[SlotOf(token)];
  const int side = SideOf(token);
  Message m;
  if (ch.to_end[side].Pop(m).ok()) return Reply(Deliver(m, call.resolved->buffers[0]));
  // Empty: block until the peer writes; Write() copies into this buffer and resumes us.
  Waiter& w = ch.waiter[side];
  w.waiting = true;
  w.container = call.container;
  w.address = call.arg(1);
  w.capacity = call.arg(2);
  return {HostAction::kBlock, 0};
}

HostReply Channels::Write(engine::ServiceCall& call) {
  const uint32_t token = call.resolved->token;
  Channel& ch = channels_[SlotOf(token)];
  const int to = 1 - SideOf(token);
  const std::span<uint8_t> data = call.resolved->buffers[0];
  if (data.size() > kChannelMessageBytes) return Reply(kGuestMessageTooLong);
  Message m;
  m.length = static_cast<uint8_t>(data.size());
  for (size_t i = 0; i < data.size(); ++i) m.bytes[i] = data[i];

  Waiter& w = ch.waiter[to];
  if (w.waiting) {
    w.waiting = false;
    const engine::Container* reader = call.engine->Find(w.container);
    if (reader != nullptr && reader->instance != nullptr) {
      // The reader's memory is resolved again now: it is the one the blocked read will see.
      const auto out = reader->instance->Memory().Resolve(w.address, w.capacity);
      const int64_t result = out.ok ? Deliver(m, out.bytes) : int64_t{engine::kGuestBadBuffer};
      if (call.engine->CompleteBlockedCall(w.container, result).ok()) {
        return Reply(static_cast<int64_t>(data.size()));
      }
    }
    // The reader went away (stopped, removed): the message is queued for whoever reads next.
  }
  if (!ch.to_end[to].Push(m).ok()) return Reply(kGuestWouldBlock);
  return Reply(static_cast<int64_t>(data.size()));
}

HostReply Channels::Close(engine::ServiceCall& call) {
  const uint32_t token = call.resolved->token;
  Waiter& w = channels_[SlotOf(token)].waiter[SideOf(token)];
  if (w.waiting && w.container == call.container) w = Waiter{};
  return Reply(0);
}

}  // namespace tc::services
