// Container-to-container channels: the channel backend of the endpoint router (endpoints.h). A
// channel joins two declared endpoints — (container uid, endpoint id) on each side, each naming
// the other as its peer — and holds one bounded queue of fixed-size messages per direction.
// Writes never block (a full queue answers kGuestWouldBlock); a read on an empty queue blocks the
// container and the engine resumes it when the peer writes.
#pragma once

#include <cstdint>

#include "tc/base/ring_buffer.h"
#include "tc/engine/engine.h"

#ifndef TC_CHANNEL_COUNT
#define TC_CHANNEL_COUNT 4
#endif
#ifndef TC_CHANNEL_DEPTH
#define TC_CHANNEL_DEPTH 4
#endif
#ifndef TC_CHANNEL_MESSAGE_BYTES
#define TC_CHANNEL_MESSAGE_BYTES 32
#endif

namespace tc::services {

inline constexpr size_t kChannelCount = TC_CHANNEL_COUNT;
inline constexpr size_t kChannelDepth = TC_CHANNEL_DEPTH;
inline constexpr size_t kChannelMessageBytes = TC_CHANNEL_MESSAGE_BYTES;

enum ChannelError : int32_t {
  kGuestWouldBlock = -11,      // the peer's queue is full (EAGAIN)
  kGuestNoChannel = -23,       // every channel slot is in use (ENFILE)
  kGuestMessageTooLong = -90,  // longer than kChannelMessageBytes (EMSGSIZE)
};

class Channels {
 public:
  Channels() = default;
  Channels(const Channels&) = delete;
  Channels& operator=(const Channels&) = delete;

  // The router calls these after the gate's checks, for endpoints whose peer is a container.
  // Open's reply is the channel token (below 2^31); the others get it in call.resolved->token.
  runtime::HostReply Open(engine::ServiceCall& call);
  runtime::HostReply Read(engine::ServiceCall& call);
  runtime::HostReply Write(engine::ServiceCall& call);
  runtime::HostReply Close(engine::ServiceCall& call);

  // Messages waiting for the end (uid, endpoint) from (peer_uid, peer_endpoint); 0 when there is
  // no such channel.
  size_t Pending(std::string_view uid, uint8_t endpoint, std::string_view peer_uid,
                 uint8_t peer_endpoint) const;

 private:
  struct End {
    image::Uid uid;
    uint8_t endpoint = 0;
  };
  struct Message {
    uint8_t length = 0;
    uint8_t bytes[kChannelMessageBytes] = {};
  };
  struct Waiter {
    bool waiting = false;
    uint32_t container = 0;
    uint64_t address = 0;  // the blocked read's guest buffer
    uint64_t capacity = 0;
  };
  struct Channel {
    bool used = false;
    End ends[2];                                   // ordered, so each pair has one slot
    RingBuffer<Message, kChannelDepth> to_end[2];  // messages for ends[i]
    Waiter waiter[2];                              // a read blocked at ends[i]
  };
  static_assert(kChannelMessageBytes <= 255, "message length is stored in one byte");

  // Copies `m` into the guest buffer and returns the result the read call gives.
  static int64_t Deliver(const Message& m, std::span<uint8_t> out);

  Channel channels_[kChannelCount];
};

}  // namespace tc::services
